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

from .._validation import as_choice, as_float, as_float_array, as_int, as_interval, check_finite
from ..bases import chebyshev
from ..errors import SpecnumWarning
from .algebra import recompress
from .tucker import hooi, mode_svd, tail_ranks, truncated_hosvd

__all__ = [
    "check_box",
    "check_n",
    "check_rtol",
    "grid_points",
    "data_from_values",
    "data_from_function",
    "data_from_cp",
    "adaptive_start",
    "adaptive_max",
    "trim_coefficients",
    "TRIM_SHARE",
]

Box = tuple[tuple[float, float], tuple[float, float], tuple[float, float]]

adaptive_start = 17
adaptive_max = 257


def check_box(box) -> Box:
    """Validate ``((a1, b1), (a2, b2), (a3, b3))`` with ``a_k < b_k``."""
    try:
        items = tuple(box)
    except TypeError:
        raise TypeError(f"box must be a sequence of 3 intervals (a, b), got {box!r}") from None
    if len(items) != 3:
        raise ValueError(f"box must have 3 intervals (a, b), got {len(items)}")
    return tuple(as_interval(iv, f"box[{k}]") for k, iv in enumerate(items))  # type: ignore[return-value]


def check_n(n, *, minimum: int = 2, name: str = "n") -> tuple[int, int, int]:
    """Validate an int or 3-tuple of ints ``>= minimum``."""
    if isinstance(n, (int, np.integer)) and not isinstance(n, bool):
        v = as_int(n, name, minimum=minimum)
        return (v, v, v)
    try:
        items = tuple(n)
    except TypeError:
        raise TypeError(f"{name} must be an int, a 3-tuple of ints or None, got {n!r}") from None
    if len(items) != 3:
        raise ValueError(f"{name} must have 3 entries, got {len(items)}")
    return tuple(as_int(v, f"{name}[{k}]", minimum=minimum) for k, v in enumerate(items))  # type: ignore


def check_rtol(rtol) -> float:
    """``rtol`` in the open interval (0, 1)."""
    return as_float(rtol, "rtol", low=0.0, high=1.0, low_open=True, high_open=True)


def grid_points(box: Box, n: Sequence[int], kind: int = 1) -> list[np.ndarray]:
    """The Chebyshev points (ascending) of each axis."""
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
    if trim:
        c = trim_coefficients(c, TRIM_SHARE * rtol)
        rtol = (1.0 - TRIM_SHARE) * rtol
    core, factors = truncated_hosvd(np.ascontiguousarray(c), rtol=rtol, method=method)
    if sweeps > 0 and core.size > 0:
        core, factors = hooi(c, core.shape, sweeps=sweeps, init=method)
    return core, factors


def _coefficients(values: np.ndarray, kind: int) -> np.ndarray:
    """Coefficients of finite values (the callers have checked them)."""
    return chebyshev.vals_to_coeffs(values, kind=kind, axis=(0, 1, 2), check_finite=False)


def data_from_values(values, box, kind: int = 1, rtol: float = 1e-8, sweeps: int = 0,
                     method: str = "hosvd", trim: bool = True):
    """Validated ``(box, core, factors)`` from values at the Chebyshev grid."""
    box = check_box(box)
    kind = as_choice(kind, "kind", (1, 2))
    rtol = check_rtol(rtol)
    sweeps = as_int(sweeps, "sweeps", minimum=0)
    method = as_choice(method, "method", ("hosvd", "sthosvd"))
    v = as_float_array(values, "values", ndim=3)
    if min(v.shape) < 2:
        raise ValueError(f"values must have at least 2 points per axis, got shape {v.shape}")
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


def data_from_function(f, box, n=None, rtol: float = 1e-8, kind: int = 1, sweeps: int = 0,
                       method: str = "hosvd", n_max: int = adaptive_max, trim: bool = True):
    """Validated ``(box, core, factors)`` sampled from ``f``; ``n=None`` is adaptive."""
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")
    box = check_box(box)
    kind = as_choice(kind, "kind", (1, 2))
    rtol = check_rtol(rtol)
    sweeps = as_int(sweeps, "sweeps", minimum=0)
    method = as_choice(method, "method", ("hosvd", "sthosvd"))
    if n is not None:
        nn = check_n(n)
        c = _coefficients(_sample(f, box, nn, kind), kind)
        core, factors = _compress(c, rtol, sweeps, method, bool(trim))
        return box, core, factors
    n_max = as_int(n_max, "n_max", minimum=adaptive_start)
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
                stacklevel=3,
            )
            cuts = [nn[k] for k in range(3)]
            break
        nn = grow
    c = np.ascontiguousarray(c[: max(cuts[0], 2), : max(cuts[1], 2), : max(cuts[2], 2)])
    core, factors = _compress(c, rtol, sweeps, method, bool(trim))
    return box, core, factors


def data_from_cp(weights, factors_1d, box, kind: int = 1, rtol: float = 1e-8, batch: int = 4096):
    """Validated ``(box, core, factors)`` of a CP tensor given by values at Chebyshev points.

    The tensor is ``A = sum_j w_j a1_j o a2_j o a3_j`` where ``ak_j`` (column j of
    ``factors_1d[k]``, shape ``(n_k, R)``) holds values of a 1D function at the
    ``n_k`` Chebyshev points of ``kind`` on ``box[k]``.

    Steps (the RHOSVD of the notes, with a relative, scale-invariant truncation):
    coefficient factors ``CUk`` by DCT; columns normalised, their norms moved into
    ``lambda_j = w_j prod_k ||CUk_j||``; per mode an SVD of ``CUk diag(|lambda|)``
    truncated at tail ``<= (rtol/100) ||CUk diag(lambda)||_F / sqrt(3)``; the core
    ``sum_j lambda_j z1_j o z2_j o z3_j`` (``zk = Vk^T CUk``) by batched matrix
    products; finally a truncated HOSVD of that core to ``rtol``.
    """
    box = check_box(box)
    kind = as_choice(kind, "kind", (1, 2))
    rtol = check_rtol(rtol)
    w = as_float_array(weights, "weights", ndim=1)
    r = w.shape[0]
    if not isinstance(factors_1d, (list, tuple)) or len(factors_1d) != 3:
        raise TypeError("factors_1d must be a sequence of 3 arrays of shape (n_k, R)")
    fac = []
    for k in range(3):
        a = as_float_array(factors_1d[k], f"factors_1d[{k}]", ndim=2)
        if a.shape[1] != r:
            raise ValueError(
                f"factors_1d[{k}] must have R = len(weights) = {r} columns, got shape {a.shape}"
            )
        if a.shape[0] < 2:
            raise ValueError(f"factors_1d[{k}] must have at least 2 rows (points), got shape {a.shape}")
        fac.append(chebyshev.vals_to_coeffs(a, kind=kind, axis=0))
    lam = w.copy()
    for k in range(3):
        nrm = np.linalg.norm(fac[k], axis=0)
        lam *= nrm
        fac[k] = fac[k] / np.where(nrm > 0, nrm, 1.0)
    keep = lam != 0
    if not np.any(keep):
        return box, np.zeros((0, 0, 0)), [np.zeros((fac[k].shape[0], 0)) for k in range(3)]
    lam = lam[keep]
    fac = [f[:, keep] for f in fac]
    bases = []
    zs = []
    for k in range(3):
        weighted = fac[k] * np.abs(lam)
        u, s = mode_svd(weighted)
        rk = max(tail_ranks(s, 1e-2 * rtol * float(np.linalg.norm(weighted)) / math.sqrt(3.0)), 1)
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
    return box, g, [np.ascontiguousarray(bases[k] @ wk[k]) for k in range(3)]


def recompressed(core, factors, rtol: float):
    """Shortcut used by the container: :func:`algebra.recompress` with a validated rtol."""
    return recompress(core, factors, check_rtol(rtol))
