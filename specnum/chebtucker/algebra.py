"""Algebra of Chebyshev-Tucker data: pure functions on ``(box, core, factors)``.

Internal module: :class:`specnum.chebtucker.ChebTucker` calls these functions and
wraps their results. A Chebyshev-Tucker function on the box
``[a1, b1] x [a2, b2] x [a3, b3]`` is

    f(x) = sum_{pqs} G[p,q,s] u1_p(x1) u2_q(x2) u3_s(x3),   uk_p(x) = sum_i Uk[i,p] T_i(t_k(x)),

with ``t_k(x) = (2x - a_k - b_k)/(b_k - a_k)``; its Chebyshev coefficient tensor
is ``C = G x_1 U1 x_2 U2 x_3 U3``. Factors are kept orthonormal (in coefficient
space) and the core carries the scale.
"""

from __future__ import annotations

import math

import numpy as np

from ..bases import chebyshev
from .tucker import frobenius_norm, hosvd, mode_product, scale_exponent, tucker_to_full

__all__ = [
    "orthonormalise",
    "recompress",
    "add",
    "hadamard",
    "derivative",
    "integral",
    "mass_matrix",
    "inner",
    "norm",
    "coefficient_profile",
    "chop_degrees",
    "full_coefficients",
]

Box = tuple[tuple[float, float], tuple[float, float], tuple[float, float]]


def orthonormalise(core: np.ndarray, factors) -> tuple[np.ndarray, list[np.ndarray]]:
    """QR of each factor; the triangular factors move into the core (same tensor)."""
    new = []
    for k in range(3):
        q, r = np.linalg.qr(factors[k])
        core = mode_product(core, r, k)
        new.append(np.ascontiguousarray(q))
    return np.ascontiguousarray(core), new


def coefficient_profile(core: np.ndarray, factors, axis: int) -> np.ndarray:
    """Norms ``||C_(k)[i, :]||_2`` of the coefficient slices of degree ``i`` along ``axis``.

    With orthonormal factors on the other axes this is ``||Uk[i,:] G_(k)||`` (cheap).
    """
    g = np.moveaxis(core, axis, 0).reshape(core.shape[axis], -1)
    return np.linalg.norm(factors[axis] @ g, axis=1)


def chop_degrees(core, factors, tol: float) -> list[np.ndarray]:
    """Drop trailing coefficient rows so that the discarded part has norm at most ``tol``.

    Removing rows ``i >= d`` of ``Uk`` zeroes the coefficient slices of degree
    ``>= d`` along axis k, of norm ``sqrt(sum_{i >= d} profile_k[i]^2)``; each axis
    may discard ``tol/sqrt(3)`` and the union of the three discarded blocks has
    norm at most ``tol``. Factors are returned unnormalised (call
    :func:`orthonormalise` afterwards).
    """
    out = []
    for k in range(3):
        prof = coefficient_profile(core, factors, k)
        tails = np.sqrt(np.cumsum((prof**2)[::-1])[::-1])
        keep = int(np.count_nonzero(tails > tol / math.sqrt(3.0)))
        out.append(np.ascontiguousarray(factors[k][: max(keep, 1), :]))
    return out


def recompress(core: np.ndarray, factors, rtol: float, *, trim: bool = True, ref_norm: float | None = None):
    """Re-orthonormalise and truncate to relative Frobenius accuracy ``rtol``.

    Returns ``(core, factors)`` with ``||C - C_new||_F <= rtol * ref``, where ``ref`` is
    ``ref_norm`` if given (e.g. the sum of the operands' norms of a sum, so that
    ``f - f`` is recognised as zero) and ``||C||_F`` otherwise. Half of the budget
    (in squares) goes to trimming negligible trailing degrees (if ``trim``), the
    rest to a truncated HOSVD of the small core. A core of extreme magnitude is scaled
    by a power of two first (exact) and scaled back at the end.
    """
    core, factors = orthonormalise(core, factors)
    e = scale_exponent(core)
    if e != 0:
        core = np.ldexp(core, -e)
        ref_norm = None if ref_norm is None else math.ldexp(float(ref_norm), -e)
    g, new = _recompress(core, factors, rtol, trim, ref_norm)
    return np.ldexp(g, e), new


def _recompress(core, factors, rtol: float, trim: bool, ref_norm: float | None):
    norm = frobenius_norm(core)
    ref = norm if ref_norm is None else float(ref_norm)
    if norm == 0.0 or norm <= rtol * ref:
        return np.zeros((0, 0, 0)), [np.zeros((f.shape[0], 0)) for f in factors]
    budget = rtol * ref / norm
    if trim:
        tol_trim = budget / math.sqrt(2.0) * norm
        factors = chop_degrees(core, factors, tol_trim)
        core, factors = orthonormalise(core, factors)
        budget = budget / math.sqrt(2.0)
    norm2 = frobenius_norm(core)
    if norm2 == 0.0 or budget * norm / norm2 >= 1.0:
        return np.zeros((0, 0, 0)), [np.zeros((f.shape[0], 0)) for f in factors]
    g, w = hosvd(core, rtol=budget * norm / norm2)
    return g, [np.ascontiguousarray(factors[k] @ w[k]) for k in range(3)]


def _pad_rows(a: np.ndarray, n: int) -> np.ndarray:
    if a.shape[0] == n:
        return a
    out = np.zeros((n, a.shape[1]))
    out[: a.shape[0]] = a
    return out


def add(core_f, factors_f, core_g, factors_g, alpha: float, rtol: float):
    """Data of ``f + alpha g``: concatenated factors, block-diagonal core, recompressed."""
    fac = []
    for k in range(3):
        n = max(factors_f[k].shape[0], factors_g[k].shape[0])
        fac.append(np.hstack([_pad_rows(factors_f[k], n), _pad_rows(factors_g[k], n)]))
    r_f = core_f.shape
    r_g = core_g.shape
    core = np.zeros(tuple(a + b for a, b in zip(r_f, r_g)))
    core[: r_f[0], : r_f[1], : r_f[2]] = core_f
    core[r_f[0]:, r_f[1]:, r_f[2]:] = alpha * core_g
    ref = frobenius_norm(core_f) + abs(alpha) * frobenius_norm(core_g)
    return recompress(core, fac, rtol, ref_norm=ref)


def _product_columns(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Chebyshev coefficients of all products ``u_p(x) v_q(x)``: shape (n_u + n_v - 1, r_u * r_v).

    Exact: both series are padded to ``N = n_u + n_v - 1`` coefficients, evaluated at
    N first-kind points, multiplied and transformed back (the product has degree N - 1).
    """
    n = u.shape[0] + v.shape[0] - 1
    uv = chebyshev.coeffs_to_vals(_pad_rows(u, n), kind=1, axis=0)
    vv = chebyshev.coeffs_to_vals(_pad_rows(v, n), kind=1, axis=0)
    prod = (uv[:, :, None] * vv[:, None, :]).reshape(n, -1)
    return chebyshev.vals_to_coeffs(prod, kind=1, axis=0)


def hadamard(core_f, factors_f, core_g, factors_g, rtol: float):
    """Data of the pointwise product ``f g``: Kronecker core, product factors, recompressed."""
    core = np.kron(core_f, core_g)  # (r_f1 r_g1, r_f2 r_g2, r_f3 r_g3), index p*r_g + p'
    fac = [_product_columns(factors_f[k], factors_g[k]) for k in range(3)]
    return recompress(core, fac, rtol)


def derivative(box: Box, core, factors, axis: int, m: int = 1):
    """Data of ``d^m f / d x_axis^m`` (orthonormalised; the core absorbs the scale)."""
    d = chebyshev.differentiate(factors[axis], m=m, axis=0, interval=box[axis])
    fac = list(factors)
    fac[axis] = d
    return orthonormalise(core, fac)


def integral(box: Box, core, factors) -> float:
    """``int_box f``: the core contracted with the factor integrals ``int uk_p``."""
    if core.size == 0:
        return 0.0
    v = [np.atleast_1d(chebyshev.definite_integral(factors[k], axis=0, interval=box[k])) for k in range(3)]
    return float(np.einsum("pqs,p,q,s->", core, v[0], v[1], v[2]))


def mass_matrix(n: int, interval: tuple[float, float]) -> np.ndarray:
    """``M[i, j] = int_a^b T_i(t(x)) T_j(t(x)) dx`` for ``i, j < n`` (closed form).

    ``int_{-1}^1 T_i T_j = (w_{i+j} + w_{|i-j|})/2`` with ``w_k = 2/(1 - k^2)`` for
    even ``k`` and 0 for odd ``k``; times the Jacobian ``(b - a)/2``.
    """
    k = np.arange(2 * n, dtype=np.float64)
    w = np.zeros(2 * n)
    w[::2] = 2.0 / (1.0 - k[::2] ** 2)
    i = np.arange(n)
    return 0.5 * (w[i[:, None] + i[None, :]] + w[np.abs(i[:, None] - i[None, :])]) * (0.5 * (interval[1] - interval[0]))


def inner(box: Box, core_f, factors_f, core_g, factors_g) -> float:
    """L2 inner product ``int_box f g dx`` (no weight) in ``O(n r^2 + r^4)``."""
    if core_f.size == 0 or core_g.size == 0:
        return 0.0
    g = core_g
    for k in range(3):
        n = max(factors_f[k].shape[0], factors_g[k].shape[0])
        mk = mass_matrix(n, box[k])
        mk = _pad_rows(factors_f[k], n).T @ mk @ _pad_rows(factors_g[k], n)  # (r_f, r_g)
        g = mode_product(g, mk, k)
    return float(np.sum(core_f * g))


def norm(box: Box, core, factors) -> float:
    """L2 norm ``sqrt(int_box f^2 dx)``, computed on the core scaled to a safe magnitude."""
    e = scale_exponent(core)
    scaled = np.ldexp(core, -e)
    return math.ldexp(math.sqrt(max(inner(box, scaled, factors, scaled, factors), 0.0)), e)


def full_coefficients(core, factors) -> np.ndarray:
    """The full coefficient tensor ``C = G x_1 U1 x_2 U2 x_3 U3``."""
    return tucker_to_full(core, factors)
