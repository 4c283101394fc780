"""Construction of Chebyshev-Tucker data from a function, from values, or from CP form.

Internal module: the constructors of :class:`specnum.chebtucker.ChebTucker`
(``from_function``, ``from_values``, ``from_cp``) validate their arguments here
and receive ``(box, core, factors)``.

Algorithm (Benner, Khoromskaia, Khoromskij, Sun, arXiv:2503.01696, Alg. 3.1-3.3):

1. values ``F[i,j,k] = f(x_i, y_j, z_k)`` at the tensor grid of Chebyshev points;
2. coefficients ``C = F x_1 D x_2 D x_3 D`` (one batched DCT per axis);
3. truncated HOSVD with the relative Frobenius criterion
   ``||C - C_r||_F <= rtol ||C||_F`` (the budget ``rtol/sqrt(3)`` per mode),
   optionally followed by HOOI sweeps at the chosen ranks.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence

import numpy as np

from .._validation import as_choice, as_float_array, as_int, check_budget, check_finite
from ..bases import chebyshev
from ..errors import SpecnumWarning
from ._checks import FLOAT_BYTES, Box, budget_array, check_box, check_n, check_rtol
from .algebra import recompress
from .tucker import frobenius_norm, hooi, mode_svd, scale_exponent, tail_ranks, truncated_hosvd

__all__ = [
    "grid_points",
    "data_from_values",
    "data_from_function",
    "data_from_cp",
    "adaptive_start",
    "adaptive_max",
    "trim_coefficients",
    "TRIM_SHARE",
]

adaptive_start = 17
adaptive_max = 257


def grid_points(box: Box, n: Sequence[int], kind: int = 1) -> list[np.ndarray]:
    """The Chebyshev points (ascending) of each axis (``kind`` 1: first family, 2: second)."""
    return [chebyshev.points(n[k], kind=kind, interval=box[k]) for k in range(3)]


TRIM_SHARE = 0.01  # share of rtol spent on trimming negligible trailing degrees


def trim_coefficients(c: np.ndarray, rtol: float) -> np.ndarray:
    """Drop trailing degrees along each axis while the dropped part stays below ``rtol ||C||_F``.

    Each axis may discard coefficient slices of total Frobenius norm at most
    ``rtol ||C||_F / sqrt(3)``; the three discarded parts are orthogonal, so
    ``||C - C_trim||_F <= rtol ||C||_F``. At least 2 coefficients per axis are kept.
    """
    squares01 = np.einsum("ijk,ijk->ij", c, c)  # sums of squares over the last axis, one pass
    tol = rtol * math.sqrt(float(squares01.sum())) / math.sqrt(3.0)
    keep0 = _kept(squares01.sum(axis=1), tol)
    keep1 = _kept(squares01[:keep0].sum(axis=0), tol)
    sub = c[:keep0, :keep1]
    keep2 = _kept(np.einsum("ijk,ijk->k", sub, sub), tol)
    if (keep0, keep1, keep2) == c.shape:
        return c
    return np.ascontiguousarray(c[:keep0, :keep1, :keep2])


def _kept(profile: np.ndarray, tol: float) -> int:
    """How many leading slices to keep: the tail of ``profile`` (sums of squares) above ``tol^2``."""
    tails = np.sqrt(np.cumsum(profile[::-1])[::-1])
    return max(int(np.count_nonzero(tails > tol)), min(2, profile.size))


def _compress(c: np.ndarray, rtol: float, sweeps: int, method: str, trim: bool = True):
    """Trim and truncate coefficients ``c``; the scale is taken out first (power of two, exact)."""
    e = scale_exponent(c)
    if e != 0:
        c = np.ldexp(c, -e)
    if trim:
        c = trim_coefficients(c, TRIM_SHARE * rtol)
        rtol = (1.0 - TRIM_SHARE) * rtol
    core, factors = truncated_hosvd(np.ascontiguousarray(c), rtol=rtol, method=method)
    if sweeps > 0:
        core, factors = hooi(c, core.shape, sweeps=sweeps, init=method)
    return np.ldexp(core, e), factors


def _coefficients(values: np.ndarray, kind: int) -> np.ndarray:
    """Coefficients of finite values (the callers have checked them)."""
    return chebyshev.vals_to_coeffs(values, kind=kind, axis=(0, 1, 2), check_finite=False)


def _budget_grid(n: Sequence[int], sweeps: int, what: str) -> None:
    """Sampling, transforming and compressing an ``n1 x n2 x n3`` grid: memory and work."""
    size = float(np.prod(np.asarray(n, dtype=np.float64)))
    work = size * (2.0 * float(sum(n)) + 10.0 * math.log2(max(size, 2.0))) * (1.0 + sweeps)
    check_budget(what, memory=4.0 * size * FLOAT_BYTES, work=work)


def _common(box, rtol, sweeps, method):
    return (check_box(box), check_rtol(rtol), as_int(sweeps, "sweeps", minimum=0),
            as_choice(method, "method", ("hosvd", "sthosvd")))


def data_from_values(values, box, kind: int, rtol: float = 1e-8, sweeps: int = 0,
                     method: str = "hosvd", trim: bool = True):
    """Validated ``(box, core, factors)`` from values at the Chebyshev grid of ``kind`` (1 or 2)."""
    box, rtol, sweeps, method = _common(box, rtol, sweeps, method)
    v = as_float_array(values, "values", ndim=3)
    if min(v.shape) < 2:
        raise ValueError(f"values must have at least 2 points per axis, got shape {v.shape}")
    _budget_grid(v.shape, sweeps, f"values of shape {v.shape}")
    core, factors = _compress(_coefficients(v, kind), rtol, sweeps, method, bool(trim))
    return box, core, factors


def _sample(f: Callable, box: Box, n: Sequence[int], kind: int) -> np.ndarray:
    x, y, z = grid_points(box, n, kind)
    # broadcastable open grid: (n1, 1, 1), (1, n2, 1), (1, 1, n3); saves three n^3 arrays
    vals = f(x[:, None, None], y[None, :, None], z[None, None, :])
    try:
        vals = np.broadcast_to(np.asarray(vals, dtype=np.float64), tuple(n))
    except (ValueError, TypeError) as exc:
        raise ValueError(
            f"f must return real values of shape {tuple(n)} (the grid shape), got {np.shape(vals)}: {exc}"
        ) from None
    check_finite(vals, "f (its samples)")
    return vals


def data_from_function(f, box, n, kind: int, rtol: float = 1e-8, sweeps: int = 0,
                       method: str = "hosvd", n_max: int = adaptive_max, trim: bool = True):
    """Validated ``(box, core, factors)`` sampled from ``f``; ``n=None`` is adaptive."""
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")
    box, rtol, sweeps, method = _common(box, rtol, sweeps, method)
    if n is not None:
        nn = check_n(n)
        _budget_grid(nn, sweeps, f"n = {nn}")
        c = _coefficients(_sample(f, box, nn, kind), kind)
        core, factors = _compress(c, rtol, sweeps, method, bool(trim))
        return box, core, factors
    n_max = as_int(n_max, "n_max", minimum=adaptive_start)
    # the adaptive loop may grow to n_max points per axis: refuse a cap whose grid cannot fit
    _budget_grid((n_max,) * 3, sweeps, f"n_max = {n_max} (adaptive n may grow to it)")
    nn = [adaptive_start] * 3
    while True:
        c = _coefficients(_sample(f, box, nn, kind), kind)
        cuts = []
        resolved = []
        for k in range(3):
            prof = np.max(np.abs(np.moveaxis(c, k, -1)).reshape(-1, nn[k]), axis=0)
            cut = chebyshev.chop(prof, rtol=rtol)
            cuts.append(cut)
            resolved.append(cut < nn[k] or float(prof.max()) == 0.0)
        if all(resolved):
            break
        grow = [2 * nn[k] - 1 if not resolved[k] else nn[k] for k in range(3)]
        if max(grow) > n_max:
            warnings.warn(
                f"ChebTucker.from_function: the Chebyshev coefficients did not decay to rtol={rtol:g} "
                f"with n <= {n_max} points per axis (unresolved axes "
                f"{[k for k in range(3) if not resolved[k]]}); the result is not accurate to rtol",
                SpecnumWarning,
                stacklevel=4,
            )
            cuts = [nn[k] for k in range(3)]
            break
        nn = grow
    c = np.ascontiguousarray(c[: max(cuts[0], 2), : max(cuts[1], 2), : max(cuts[2], 2)])
    core, factors = _compress(c, rtol, sweeps, method, bool(trim))
    return box, core, factors


CP_FACTOR_SHARE = 1e-2  # share of rtol for the per-mode factor bases of from_cp (the core truncation takes the rest)


def _safe_column_norms(a: np.ndarray) -> np.ndarray:
    """Euclidean norms of the columns of ``a`` without overflow or underflow of the squares."""
    m = np.max(np.abs(a), axis=0, initial=0.0)
    safe = np.where(m > 0, m, 1.0)
    return m * np.sqrt(np.sum((a / safe) ** 2, axis=0))


def data_from_cp(weights, factors_1d, box, kind: int, rtol: float = 1e-8, batch: int = 4096):
    """Validated ``(box, core, factors)`` of a CP tensor given by values at Chebyshev points.

    The tensor is ``A = sum_j w_j a1_j o a2_j o a3_j`` where ``ak_j`` (column j of
    ``factors_1d[k]``, shape ``(n_k, R)``) holds values of a 1D function at the
    ``n_k`` Chebyshev points of ``kind`` on ``box[k]``.

    Steps (the reduced HOSVD of a CP tensor, with a relative, scale-invariant truncation):
    coefficient factors ``CUk`` by DCT; columns normalised, their norms moved into
    ``lambda_j = w_j prod_k ||CUk_j||`` (kept as mantissa and power of two, so that no
    product over- or underflows); per mode an SVD of ``CUk diag(|lambda|)``
    truncated at tail ``<= CP_FACTOR_SHARE rtol ||CUk diag(lambda)||_F / sqrt(3)``; the core
    ``sum_j lambda_j z1_j o z2_j o z3_j`` (``zk = Vk^T CUk``) by batched matrix
    products; finally a truncated HOSVD of that core to ``rtol``.
    """
    box = check_box(box)
    rtol = check_rtol(rtol)
    w = as_float_array(weights, "weights", ndim=1)
    r = w.shape[0]
    if isinstance(factors_1d, np.ndarray) or not isinstance(factors_1d, (list, tuple)) or len(factors_1d) != 3:
        raise TypeError("factors_1d must be a sequence of 3 arrays of shape (n_k, R)")
    arrays = []
    for k in range(3):
        a = as_float_array(factors_1d[k], f"factors_1d[{k}]", ndim=2)
        if a.shape[1] != r:
            raise ValueError(
                f"factors_1d[{k}] must have R = len(weights) = {r} columns, got shape {a.shape}"
            )
        if a.shape[0] < 2:
            raise ValueError(f"factors_1d[{k}] must have at least 2 rows (points), got shape {a.shape}")
        arrays.append(a)
    n_sizes = [a.shape[0] for a in arrays]
    budget_array(f"factors_1d with {n_sizes} rows and R = {r} columns", (sum(n_sizes), r), copies=4.0,
                 work=2.0 * r * float(sum(nk * min(nk, r) for nk in n_sizes)))
    fac = []
    exponent = np.frexp(w)[1].astype(np.int64)
    lam = np.ldexp(w, -exponent)  # mantissas in [1/2, 1) (0 for w = 0)
    for k in range(3):
        cu = chebyshev.vals_to_coeffs(np.ldexp(arrays[k], -scale_exponent(arrays[k])), kind=kind, axis=0)
        nrm = _safe_column_norms(cu)
        mant, ex = np.frexp(nrm)
        lam *= mant
        exponent += ex
        fac.append(cu / np.where(nrm > 0, nrm, 1.0))
    keep = lam != 0
    if not np.any(keep):
        return box, np.zeros((0, 0, 0)), [np.zeros((fac[k].shape[0], 0)) for k in range(3)]
    top = int(exponent[keep].max())
    lam = np.ldexp(lam[keep], exponent[keep] - top)  # the largest term is O(1); terms below 2^-1074 of it vanish
    fac = [f[:, keep] for f in fac]
    bases = []
    zs = []
    for k in range(3):
        weighted = fac[k] * np.abs(lam)
        u, s = mode_svd(weighted)
        threshold = CP_FACTOR_SHARE * rtol * frobenius_norm(weighted) / math.sqrt(3.0)
        rk = max(tail_ranks(s, threshold), 1)
        uk = np.ascontiguousarray(u[:, :rk])
        bases.append(uk)
        zs.append(uk.T @ fac[k])
    r1, r2, r3 = (b.shape[1] for b in bases)
    core = np.zeros((r1, r2 * r3))
    for s0 in range(0, lam.shape[0], batch):
        sl = slice(s0, s0 + batch)
        kr = (zs[1][:, None, sl] * zs[2][None, :, sl]).reshape(r2 * r3, -1)
        core += (zs[0][:, sl] * lam[sl]) @ kr.T
    core = core.reshape(r1, r2, r3)
    if not np.any(core):
        return box, np.zeros((0, 0, 0)), [np.zeros((b.shape[0], 0)) for b in bases]
    g, wk = truncated_hosvd(core, rtol=rtol)
    # undo the scalings: the columns' powers of two and the largest term's exponent
    total = top + sum(scale_exponent(a) for a in arrays)
    with np.errstate(over="ignore"):
        g = np.ldexp(g, total)
    if not np.all(np.isfinite(g)):
        raise ValueError("weights and factors_1d describe a tensor whose entries overflow float64")
    return box, g, [np.ascontiguousarray(bases[k] @ wk[k]) for k in range(3)]


def recompressed(core, factors, rtol: float):
    """Shortcut used by the container: :func:`algebra.recompress` with a validated rtol."""
    return recompress(core, factors, check_rtol(rtol))
