"""Products of spherical functions in real spherical-harmonic coefficients (Gaunt products).

``gaunt_product(x1, x2)`` returns the coefficients ``c`` of ``f1 * f2`` where
``f_i = sum_k x_i[k] Y_k`` (real orthonormal harmonics, no Condon-Shortley phase,
flat index ``l*l + l + m``):

.. math:: c_{k_3} = \\sum_{k_1, k_2} G_{k_1 k_2 k_3}\\, x_1[k_1]\\, x_2[k_2],\\qquad
          G_{k_1 k_2 k_3} = \\int_{S^2} Y_{k_1} Y_{k_2} Y_{k_3}\\, d\\Omega .

Three exact methods compute the same bilinear map:

* ``"direct"``: contraction with the sparse real Gaunt table (numba), ``O(L^5)``;
* ``"fourier"``: the route of Luo, Chen and Krishnapriyan (ICLR 2024): SH to the 2D
  Fourier basis with exact tables, 2D FFT convolution, projection back, ``O(L^3)``;
* ``"grid"``: Gauss-Legendre x uniform-phi sphere grid of :mod:`specnum.bases.spheregrid`
  (dense or separable transforms by its one rule), pointwise product of the values
  folded by the symmetries of the grid, quadrature; ``O(L^3)`` when separable;

and ``"auto"`` picks the fastest from crossovers measured by ``benchmarks/bench_gaunt.py``
per batch size (:func:`specnum.gaunt.choose_method`). :func:`gaunt_product_vjp` gives the
gradients: ``G`` is symmetric in its three indices, so the vector-Jacobian product with
respect to ``x1`` is the Gaunt product of ``x2`` and the output gradient, truncated to
degree ``L1`` (and likewise for ``x2``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from specnum._dask import is_dask_array, map_pair
from specnum._validation import as_int, check_budget, flat_sh_lmax
from specnum.gaunt._checks import (
    METHODS,
    abs_max,
    apply_scales,
    as_method,
    broadcast_pair,
    check_product_budget,
    check_result_finite,
    float_name,
    product_can_overflow,
    product_scales,
    sh_array_magnitude,
    unbroadcast,
)
from specnum.gaunt._crossover import choose_method
from specnum.gaunt._direct import direct_product, direct_product_vjp
from specnum.gaunt._fourier_route import fourier_product
from specnum.gaunt._grid import grid_product, grid_product_vjp
from specnum.gaunt.sh_fourier import MAX_TABLE_DEGREE

__all__ = ["gaunt_product", "gaunt_product_vjp", "METHODS"]


def _grid_dense(a1, a2, l1, l2, lo):
    return grid_product(a1, a2, l1, l2, lo, "dense")


def _grid_separable(a1, a2, l1, l2, lo):
    return grid_product(a1, a2, l1, l2, lo, "separable")


#: Implementations by name; "grid_dense" and "grid_separable" force the two forms of the
#: sphere-grid transforms that "grid" chooses between (benchmarks and tests).
_IMPL = {
    "direct": direct_product,
    "grid": grid_product,
    "grid_dense": _grid_dense,
    "grid_separable": _grid_separable,
    "fourier": fourier_product,
}


def _gaunt_product_dask(x1: Any, x2: Any, lmax_out: int | None, method: str) -> Any:
    """Chunk-wise :func:`gaunt_product` over the batch axes of dask arrays (validated up front)."""
    shapes = [np.shape(x) for x in (x1, x2)]
    l1 = flat_sh_lmax(shapes[0][-1] if shapes[0] else 0, "x1")
    l2 = flat_sh_lmax(shapes[1][-1] if shapes[1] else 0, "x2")
    np.broadcast_shapes(shapes[0][:-1], shapes[1][:-1])  # raises ValueError when batches do not broadcast
    lo = l1 + l2 if lmax_out is None else as_int(lmax_out, "lmax_out", minimum=0)
    method = as_method(method)
    if method == "fourier" and l1 + l2 > MAX_TABLE_DEGREE:  # as gaunt_product, but before any compute
        raise ValueError(f"x1 and x2 must have L1 + L2 <= {MAX_TABLE_DEGREE} for method 'fourier', got {l1} + {l2}")
    dtypes = [np.dtype(getattr(x, "dtype", np.float64)) for x in (x1, x2)]
    for name, dt in zip(("x1", "x2"), dtypes):
        if dt.kind not in "biuf":
            raise TypeError(f"{name} must be real, got dtype {dt}")
    out_dtype = np.float32 if all(dt == np.float32 for dt in dtypes) else np.float64
    return map_pair(lambda a, b: gaunt_product(a, b, lo, method=method), x1, x2, (lo + 1) ** 2, out_dtype)


def gaunt_product(x1: Any, x2: Any, lmax_out: int | None = None, *, method: str = "auto") -> np.ndarray:
    """Real SH coefficients of the product of two spherical functions.

    Parameters
    ----------
    x1 : array_like, shape (..., (L1+1)**2)
        Real SH coefficients of ``f1`` (orthonormal, no Condon-Shortley phase,
        flat index ``l*l + l + m``). If ``x1`` or ``x2`` is a ``dask.array.Array``, the
        product is computed chunk-wise over the batch axes and a lazy dask array is returned.
    x2 : array_like, shape (..., (L2+1)**2)
        Coefficients of ``f2``; batch axes broadcast against those of ``x1``.
    lmax_out : int, optional
        Largest output degree, ``>= 0``; default ``L1 + L2`` (the exact product).
        Smaller values truncate, larger ones pad with zeros.
    method : {"auto", "direct", "fourier", "grid"}, keyword-only
        Algorithm (module docstring); all are exact up to rounding.

    Returns
    -------
    ndarray, shape (..., (lmax_out+1)**2)
        Coefficients of ``f1 * f2`` up to degree ``lmax_out``. float32 if both inputs
        are float32 (computed in single precision, about 1e-6 relative error), else float64.

    Raises
    ------
    ValueError
        Last axis not a perfect square, batch shapes that do not broadcast, negative
        ``lmax_out``, non-finite values, unknown ``method``, ``L1 + L2`` above
        ``MAX_TABLE_DEGREE`` for method "fourier", sizes beyond the size budget
        (:func:`specnum.size_budget`), a product too large for the working precision.
    TypeError
        Complex or non-numeric input, non-integer ``lmax_out``.

    Notes
    -----
    ``c_{k3} = sum G[k1, k2, k3] x1[k1] x2[k2]`` with the real Gaunt coefficients
    ``G = int Y_{k1} Y_{k2} Y_{k3} dOmega``. Only couplings with ``l1 + l2 + l3`` even occur,
    so the output at degree ``l3`` has parity ``(-1)^{l3}`` for sh-parity inputs.
    Inputs with very large or very small magnitudes are scaled row by row by powers of
    two, so the result is finite whenever it is representable.

    Examples
    --------
    >>> import numpy as np
    >>> y00 = np.array([1.0])  # the constant 1/sqrt(4 pi)
    >>> x = np.array([0.3, -1.0, 2.0, 0.5])
    >>> c = gaunt_product(y00, x, method="grid")
    >>> bool(np.allclose(c, x / np.sqrt(4 * np.pi), atol=1e-15))
    True
    """
    if is_dask_array(x1) or is_dask_array(x2):
        return _gaunt_product_dask(x1, x2, lmax_out, method)
    a1, l1, m1 = sh_array_magnitude(x1, "x1")
    a2, l2, m2 = sh_array_magnitude(x2, "x2")
    lo_req = l1 + l2 if lmax_out is None else as_int(lmax_out, "lmax_out", minimum=0)
    method = as_method(method)
    dtype = np.float32 if (a1.dtype == np.float32 and a2.dtype == np.float32) else np.float64
    a1, a2, batch = broadcast_pair(a1.astype(dtype, copy=False), a2.astype(dtype, copy=False))
    nrow = a1.shape[0]
    if lo_req > l1 + l2:  # zero padding of the output
        check_budget(f"gaunt_product output of lmax_out = {lo_req} over {nrow} rows",
                     memory=float(nrow) * (lo_req + 1) ** 2 * a1.itemsize)
    res = _product(a1, a2, l1, l2, lo_req, method, "x1", "x2", m1, m2)
    return res.reshape(*batch, (lo_req + 1) ** 2)


def _pick(method: str, l1: int, l2: int, lo: int, nrow: int, dtype: np.dtype) -> str:
    if method == "auto":
        method = choose_method(l1, l2, lo, nrow=nrow, dtype=float_name(np.dtype(dtype)))
    if method == "fourier" and max(l1 + l2, lo) > MAX_TABLE_DEGREE:
        raise ValueError(f"x1 and x2 must have L1 + L2 <= {MAX_TABLE_DEGREE} for method 'fourier', got {l1} + {l2}")
    return method


def _product(a1: np.ndarray, a2: np.ndarray, l1: int, l2: int, lo_req: int, method: str, name1: str,
             name2: str, m1: float | None = None, m2: float | None = None) -> np.ndarray:
    """Products of validated rows ``a1 (B, n1)``, ``a2 (B, n2)`` of one dtype, to degree ``lo_req``
    (zero padded above ``l1 + l2``): budget, method choice, scaling, overflow check.
    ``m1``, ``m2``: the known ``max |a1|``, ``max |a2|``."""
    nrow, dtype = a1.shape[0], a1.dtype
    lo = min(lo_req, l1 + l2)  # higher degrees of the product vanish
    method = _pick(method, l1, l2, lo, nrow, dtype)
    check_product_budget(f"gaunt_product of degrees {name1}: {l1}, {name2}: {l2} -> lmax_out = {lo} over {nrow} "
                         f"rows (method {method!r})", l1, l2, lo, nrow, method.partition("_")[0], a1.itemsize)
    if nrow == 0:
        res = np.zeros((0, (lo + 1) ** 2), dtype=dtype)
    else:
        m1 = abs_max(a1) if m1 is None else m1
        m2 = abs_max(a2) if m2 is None else m2
        scales = product_scales(a1, a2, m1, m2)
        if scales is None:
            res = _IMPL[method](a1, a2, l1, l2, lo)
        else:
            e1, e2 = scales
            res = _IMPL[method](apply_scales(a1, e1), apply_scales(a2, e2), l1, l2, lo)
            with np.errstate(over="ignore"):
                res = np.ldexp(res, (e1 + e2)[:, None]).astype(dtype, copy=False)
        if product_can_overflow(m1, m2, l1, l2, dtype):
            check_result_finite(res, f"{name1} and {name2}")
    if lo_req > lo:
        res = np.concatenate([res, np.zeros((nrow, (lo_req + 1) ** 2 - (lo + 1) ** 2), dtype=dtype)], axis=1)
    return res


def gaunt_product_vjp(x1: Any, x2: Any, grad_out: Any, *, method: str = "auto") -> tuple[np.ndarray, np.ndarray]:
    """Vector-Jacobian product of :func:`gaunt_product`: the gradients with respect to both inputs.

    Parameters
    ----------
    x1 : array_like, shape (..., (L1+1)**2)
        First input of the product.
    x2 : array_like, shape (..., (L2+1)**2)
        Second input; batch axes broadcast with ``x1``.
    grad_out : array_like, shape (..., (lmax_out+1)**2)
        Gradient of a scalar loss with respect to ``gaunt_product(x1, x2, lmax_out)``; its
        batch shape is the broadcast batch shape of the inputs, its degree ``lmax_out``.
    method : {"auto", "direct", "fourier", "grid"}, keyword-only
        Algorithm of the products (all exact to rounding).

    Returns
    -------
    grad_x1 : ndarray, shape of ``x1``
    grad_x2 : ndarray, shape of ``x2``
        Summed over the axes along which an input was broadcast; float32 when all three
        arrays are float32.

    Raises
    ------
    ValueError
        As :func:`gaunt_product`; a ``grad_out`` whose batch shape is not the broadcast
        batch shape of the inputs.
    TypeError
        As :func:`gaunt_product`.

    Notes
    -----
    With ``out[k3] = sum G[k1, k2, k3] x1[k1] x2[k2]`` and ``G`` symmetric in its three
    indices, ``d/dx1[k1] sum_k3 g[k3] out[k3] = sum G[k2, k3, k1] x2[k2] g[k3]``: the Gaunt
    product of ``x2`` and ``g`` truncated to degree ``L1``; likewise for ``x2``. The grid
    method shares the syntheses of the three functions between both gradients, the direct
    method makes one pass over the table of the forward product.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> x1, x2, g = rng.normal(size=4), rng.normal(size=9), rng.normal(size=16)
    >>> g1, g2 = gaunt_product_vjp(x1, x2, g)
    >>> bool(np.allclose(g1, gaunt_product(x2, g, lmax_out=1), atol=1e-14)), g2.shape
    (True, (9,))
    """
    a1, l1, m1 = sh_array_magnitude(x1, "x1")
    a2, l2, m2 = sh_array_magnitude(x2, "x2")
    g, lg, mg = sh_array_magnitude(grad_out, "grad_out")
    method = as_method(method)
    dtype = np.float32 if all(a.dtype == np.float32 for a in (a1, a2, g)) else np.float64
    shape1, shape2 = a1.shape, a2.shape
    b1, b2, batch = broadcast_pair(a1.astype(dtype, copy=False), a2.astype(dtype, copy=False))
    if g.shape[:-1] != batch:
        raise ValueError(f"grad_out must have the broadcast batch shape {batch} of x1 and x2, got {g.shape[:-1]}")
    nrow = b1.shape[0]
    lo = min(lg, l1 + l2)  # components of degree above l1 + l2 do not reach the inputs
    g2d = np.ascontiguousarray(g.reshape(nrow, -1)[:, : (lo + 1) ** 2], dtype=dtype)
    chosen = _pick(method, l1, l2, lo, nrow, dtype)
    fused = {"grid": grid_product_vjp, "direct": direct_product_vjp}.get(chosen.partition("_")[0])
    if fused and nrow and product_scales(b2, g2d, m2, mg) is None and product_scales(b1, g2d, m1, mg) is None:
        check_product_budget(f"gaunt_product_vjp of degrees x1: {l1}, x2: {l2}, grad_out: {lo} over {nrow} rows",
                             l1, l2, lo, nrow, chosen.partition("_")[0], b1.itemsize)
        gr1, gr2 = fused(b1, b2, g2d, l1, l2, lo)
        if product_can_overflow(m2, mg, l2, lo, dtype):
            check_result_finite(gr1, "x2 and grad_out")
        if product_can_overflow(m1, mg, l1, lo, dtype):
            check_result_finite(gr2, "x1 and grad_out")
    else:
        m1_ = method if method != "auto" else _pick("auto", l2, lo, l1, nrow, dtype)
        m2_ = method if method != "auto" else _pick("auto", l1, lo, l2, nrow, dtype)
        gr1 = _product(b2, g2d, l2, lo, l1, m1_, "x2", "grad_out", m2, mg)
        gr2 = _product(b1, g2d, l1, lo, l2, m2_, "x1", "grad_out", m1, mg)
    return (unbroadcast(gr1.reshape(*batch, -1), shape1).astype(dtype, copy=False),
            unbroadcast(gr2.reshape(*batch, -1), shape2).astype(dtype, copy=False))
