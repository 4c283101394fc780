"""Many-body powers of spherical functions (MACE-style symmetric contractions) and their gradients.

:func:`power_products` gives ``x^2 .. x^nu`` projected to ``lmax_out`` with per-degree
weights, :func:`power_products_vjp` the gradients with respect to ``x`` and the weights.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from specnum._validation import as_float_array, as_int, check_budget
from specnum.gaunt._checks import as_sh_array, check_result_finite, unbroadcast
from specnum.gaunt._grid import grid_powers, grid_powers_vjp
from specnum.gaunt.layers import degree_expand, degree_sum

__all__ = ["power_products", "power_products_vjp"]


def power_products(x: Any, nu: int, *, weights: Any = None, lmax_out: int | None = None) -> np.ndarray:
    """Many-body products ``x^2, ..., x^nu`` of a spherical function, projected to ``lmax_out``.

    Parameters
    ----------
    x : array_like, shape (..., (L+1)**2)
        Real SH coefficients of ``f``.
    nu : int
        Highest power (correlation order), ``>= 2``.
    weights : array_like, shape (nu-1, lmax_out+1) or (..., nu-1, lmax_out+1), optional
        Per-power, per-degree output weights (default 1); broadcast against the batch axes.
    lmax_out : int, optional
        Largest output degree; default ``L`` (as in MACE's symmetric contraction).

    Returns
    -------
    ndarray, shape (..., nu-1, (lmax_out+1)**2)
        Entry ``[..., k - 2, :]`` holds the coefficients of ``f^k`` (exact, not truncated in
        between), times the weights of power ``k``. float32 for float32 input.

    Raises
    ------
    ValueError, TypeError
        Bad shapes or values, ``nu < 2``, weights of the wrong shape, sizes beyond the
        size budget (:func:`specnum.size_budget`), powers that overflow the working precision.

    Notes
    -----
    The grid form of the paper's repeated FFT convolutions: ``f`` is synthesised once on a
    Gauss-Legendre x uniform grid exact for degree ``nu L + lmax_out``, raised to the
    powers pointwise and projected, so every power is exact (``O(nu (nu L)^3)`` per input,
    never a chain of truncated products).

    Examples
    --------
    >>> import numpy as np
    >>> from specnum.gaunt import gaunt_product
    >>> x = np.random.default_rng(0).normal(size=9)
    >>> p = power_products(x, 3)
    >>> bool(np.allclose(p[1], gaunt_product(gaunt_product(x, x), x, lmax_out=2), atol=1e-12))
    True
    """
    a, lm, nu, lo, w = _validated(x, nu, weights, lmax_out)
    out = _unweighted(a, lm, nu, lo)
    if w is not None:
        out = (out * degree_expand(w, lo)).astype(a.dtype, copy=False)
    check_result_finite(out, "x (to the power nu)")
    return out


def _validated(x: Any, nu: Any, weights: Any, lmax_out: Any):
    a, lm = as_sh_array(x, "x")
    nu = as_int(nu, "nu", minimum=2)
    lo = lm if lmax_out is None else as_int(lmax_out, "lmax_out", minimum=0)
    w = None
    if weights is not None:  # validated before any work
        w = as_float_array(weights, "weights", min_ndim=2)
        if w.shape[-2:] != (nu - 1, lo + 1):
            raise ValueError(f"weights must have trailing shape ({nu - 1}, {lo + 1}) (powers, degrees), got {w.shape}")
    nrow = math.prod(a.shape[:-1])
    top = nu * lm
    grid_pts = float((top + lo) // 2 + 1) * (top + lo + 1)
    check_budget(f"power_products of degree {lm} to the power nu = {nu} over {nrow} rows",
                 memory=a.itemsize * (2 * nu * nrow * (lo + 1) ** 2 + 8 * 256 * grid_pts),
                 work=nrow * grid_pts * (nu + 4 * (lm + lo + 2)))
    return a, lm, nu, lo, w


def _unweighted(a: np.ndarray, lm: int, nu: int, lo: int) -> np.ndarray:
    """``P_lo(f^k)``, ``k = 2..nu``, shape ``(..., nu - 1, (lo+1)**2)``, scaled to stay finite."""
    dtype = a.dtype.name
    batch = a.shape[:-1]
    a2 = a.reshape(-1, a.shape[-1])
    if a2.shape[0] == 0:  # empty batch: nothing to synthesise
        return np.zeros((*batch, nu - 1, (lo + 1) ** 2), dtype=dtype)
    # exact power-of-two row scaling when x**nu could leave the floating-point range
    big = max(float(np.max(a2)), -float(np.min(a2)))
    exps = None
    if big > 0 and not (-400 < nu * math.log2(big) < (600 if dtype == "float64" else 60)):
        exps = np.frexp(np.abs(a2).max(axis=1))[1]
        a2 = np.ldexp(a2, -exps[:, None]).astype(dtype, copy=False)
    out = grid_powers(np.ascontiguousarray(a2), lm, nu, lo)
    if exps is not None:
        with np.errstate(over="ignore"):
            for k in range(2, nu + 1):
                out[k - 2] = np.ldexp(out[k - 2], k * exps[:, None])
    return np.moveaxis(out, 0, -2).reshape(*batch, nu - 1, (lo + 1) ** 2)


def power_products_vjp(
    x: Any, nu: int, grad_out: Any, *, weights: Any = None, lmax_out: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Vector-Jacobian product of :func:`power_products` (the input and the weights).

    Parameters
    ----------
    x, nu, weights, lmax_out
        As :func:`power_products` (keyword-only after ``grad_out``).
    grad_out : array_like, shape (..., nu-1, (lmax_out+1)**2)
        Gradient of a scalar loss with respect to ``power_products(x, nu, ...)``.

    Returns
    -------
    grad_x : ndarray, shape of ``x``
    grad_weights : ndarray
        Shape of ``weights`` (summed over its broadcast axes), or ``(nu-1, lmax_out+1)``
        when no weights were given (the gradient at unit weights).

    Raises
    ------
    ValueError, TypeError
        As :func:`power_products`; ``grad_out`` of the wrong shape; a gradient that overflows.

    Notes
    -----
    With ``out_k = w_k P(f^k)``: ``d/dx sum_k <g_k, out_k> = P_L(sum_k k f^(k-1) h_k)``,
    ``h_k`` the function with coefficients ``w_k g_k``; the sum is accumulated on the grid
    by Horner's rule (exact: the grid integrates degree ``nu L + lmax_out``).
    ``d/dw_k[l] = sum_m g_k P(f^k)`` over the orders of degree ``l``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> x, g = rng.normal(size=9), rng.normal(size=(2, 9))
    >>> gx, gw = power_products_vjp(x, 3, g)
    >>> gx.shape, gw.shape
    ((9,), (2, 3))
    """
    a, lm, nu, lo, w = _validated(x, nu, weights, lmax_out)
    dtype = a.dtype
    batch = a.shape[:-1]
    wfull = np.ones((nu - 1, lo + 1), dtype) if w is None else w
    g = as_float_array(grad_out, "grad_out", min_ndim=2, dtype=dtype)
    out_shape = np.broadcast_shapes((*batch, nu - 1, (lo + 1) ** 2), degree_expand(wfull, lo).shape)
    if g.shape != out_shape:
        raise ValueError(f"grad_out must have the shape {out_shape} of the powers, got {g.shape}")
    powers = _unweighted(a, lm, nu, lo)
    grad_w = unbroadcast(degree_sum(g * powers, lo), wfull.shape).astype(dtype, copy=False)
    h = unbroadcast(g * degree_expand(wfull, lo), (*batch, nu - 1, (lo + 1) ** 2))
    nrow = math.prod(batch)
    h = np.ascontiguousarray(np.moveaxis(h.reshape(nrow, nu - 1, -1), 1, 0), dtype=dtype)
    grad_x = grid_powers_vjp(np.ascontiguousarray(a.reshape(nrow, -1)), h, lm, nu, lo) if nrow else \
        np.zeros((0, a.shape[-1]), dtype)
    check_result_finite(grad_x, "x and grad_out")
    return grad_x.reshape(a.shape), grad_w
