"""Tucker decompositions of full 3D arrays: truncated HOSVD and HOOI.

Internal module: :mod:`specnum.chebtucker` re-exports ``hosvd``, ``hooi``, ``tucker_to_full``;
the other names here serve the pillar's own modules and may change.

Pure functions on plain arrays. A Tucker decomposition writes a 3D array as

    T ~= G x_1 U1 x_2 U2 x_3 U3,   T[i,j,k] ~= sum_{pqs} G[p,q,s] U1[i,p] U2[j,q] U3[k,s],

with a core ``G`` of shape ``(r1, r2, r3)`` and factor matrices ``Uk`` of shape
``(n_k, r_k)`` with orthonormal columns.

Rank selection by tolerance (the relative Frobenius criterion): for each mode k
the rank ``r_k`` is the smallest integer with

    sqrt(sum_{i >= r_k} s_{k,i}^2) <= rtol * ||T||_F / sqrt(3),

where ``s_{k,i}`` are the singular values of the mode-k unfolding. The
discarded tails add up in squares, so ``||T - T_r||_F <= rtol ||T||_F``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import scipy.linalg

from .._validation import as_choice, as_float_array, as_int, as_rtol, as_triple, check_budget
from ._checks import budget_input

__all__ = [
    "hosvd",
    "hooi",
    "tucker_to_full",
    "mode_product",
    "unfold",
    "mode_svd",
    "tail_ranks",
    "tail_norms",
    "scale_exponent",
    "frobenius_norm",
]

# magnitudes whose squares, summed over any array that fits in memory, stay normal floats
_SAFE_LOW = 2.0**-400
_SAFE_HIGH = 2.0**400


def _max_abs(a: np.ndarray) -> float:
    if a.size == 0:
        return 0.0
    return float(max(a.max(), -a.min()))


def scale_exponent(a: np.ndarray) -> int:
    """Exponent ``e`` of the power of two that brings ``a`` to a safe magnitude.

    0 when the largest magnitude of ``a`` lies in ``[2^-400, 2^400]`` (or ``a`` is zero):
    squares and sums of squares then stay normal floats. Otherwise ``e`` is such that
    ``ldexp(a, -e)`` has its largest magnitude in ``[1/2, 1)``. Scaling by a power of two
    is exact, so a computation on ``ldexp(a, -e)`` followed by ``ldexp(result, e)`` differs
    from the unscaled one only where the latter over- or underflows.
    """
    m = _max_abs(a)
    if m == 0.0 or _SAFE_LOW <= m <= _SAFE_HIGH:
        return 0
    return math.frexp(m)[1]


def frobenius_norm(a: np.ndarray) -> float:
    """``sqrt(sum a**2)`` without overflow or underflow of the squares (any magnitude)."""
    a = np.asarray(a, dtype=np.float64)
    e = scale_exponent(a)
    flat = np.ravel(a if e == 0 else np.ldexp(a, -e))
    return math.ldexp(math.sqrt(float(flat @ flat)), e)


def unfold(tensor: np.ndarray, mode: int) -> np.ndarray:
    """Mode-``mode`` unfolding of a 3D array: shape ``(n_mode, prod(other n))``.

    The remaining axes keep their order (C order), so ``unfold(T, 0) == T.reshape(n0, -1)``.
    """
    return np.moveaxis(tensor, mode, 0).reshape(tensor.shape[mode], -1)


def mode_product(tensor: np.ndarray, matrix: np.ndarray, mode: int) -> np.ndarray:
    """Mode-``mode`` product ``tensor x_mode matrix`` of a 3D array.

    Parameters
    ----------
    tensor : ndarray, shape (n0, n1, n2)
    matrix : ndarray, shape (m, n_mode)
    mode : int, 0, 1 or 2

    Returns
    -------
    ndarray
        The array with axis ``mode`` replaced by ``m``:
        ``out[..., a, ...] = sum_i matrix[a, i] tensor[..., i, ...]``.
    """
    n0, n1, n2 = tensor.shape
    m = matrix.shape[0]
    if mode == 0:
        return (matrix @ tensor.reshape(n0, n1 * n2)).reshape(m, n1, n2)
    if mode == 1:
        # one matrix product (a batched matmul would issue n0 small BLAS calls)
        moved = np.ascontiguousarray(tensor.transpose(1, 0, 2)).reshape(n1, n0 * n2)
        return np.ascontiguousarray((matrix @ moved).reshape(m, n0, n2).transpose(1, 0, 2))
    return (tensor.reshape(n0 * n1, n2) @ matrix.T).reshape(n0, n1, m)


def tucker_to_full(core: np.ndarray, factors: Sequence[np.ndarray]) -> np.ndarray:
    """Full array ``core x_1 U1 x_2 U2 x_3 U3`` of shape ``(n1, n2, n3)``.

    Parameters
    ----------
    core : array_like, shape (r1, r2, r3)
    factors : sequence of 3 array_like, shapes (n_k, r_k)

    Returns
    -------
    ndarray, shape (n1, n2, n3)
        ``T[i, j, l] = sum_{p,q,s} core[p, q, s] U1[i, p] U2[j, q] U3[l, s]``.

    Raises
    ------
    ValueError
        Not three factors, shapes that do not match the core, non-finite values.
    TypeError
        Non-numeric or complex input.

    Examples
    --------
    >>> import numpy as np
    >>> tucker_to_full(np.ones((1, 1, 1)), [np.ones((2, 1))] * 3).shape
    (2, 2, 2)
    """
    out = as_float_array(core, "core", ndim=3)
    if isinstance(factors, np.ndarray) or not isinstance(factors, Sequence) or len(factors) != 3:
        raise ValueError("factors must be a sequence of 3 matrices of shapes (n_k, r_k)"
                         f"{f', got {len(factors)}' if isinstance(factors, Sequence) else ''}")
    mats = []
    for k in range(3):
        u = as_float_array(factors[k], f"factors[{k}]", ndim=2)
        if u.shape[1] != out.shape[k]:
            raise ValueError(f"factors[{k}] must have {out.shape[k]} columns (core.shape[{k}]), got shape {u.shape}")
        mats.append(u)
    shape = tuple(u.shape[0] for u in mats)
    size = float(np.prod(np.asarray(shape, dtype=np.float64)))
    check_budget(f"factors with {shape} rows", memory=2.0 * size * 8,
                 work=2.0 * size * max(max(out.shape), 1))
    for k in range(3):
        out = mode_product(out, mats[k], k)
    return out


def mode_svd(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Left singular vectors and singular values of a (wide) matrix.

    A wide ``(m, N)`` matrix with ``N > m`` is first reduced by a QR factorisation
    of its transpose, ``A^T = Q R``; then ``A = R^T Q^T`` and the SVD of the small
    ``(m, m)`` factor ``R^T`` gives the left singular vectors and singular values of
    ``A`` to full accuracy (unlike the Gram matrix ``A A^T``, which loses the
    singular values below ``sqrt(eps) * s_1``).

    Returns
    -------
    U : ndarray, shape (m, min(m, N))
    s : ndarray, shape (min(m, N),), descending
    """
    m, n = matrix.shape
    if m == 0 or n == 0:
        return np.zeros((m, 0)), np.zeros(0)
    if n > m:
        geqrf = scipy.linalg.lapack.dgeqrf
        qr, _, _, info = geqrf(np.asfortranarray(matrix.T))
        if info != 0:  # pragma: no cover - LAPACK argument error
            raise RuntimeError(f"dgeqrf failed with info={info}")
        small = np.triu(qr[:m, :m]).T
    else:
        small = matrix
    u, s, _ = scipy.linalg.svd(small, full_matrices=False, check_finite=False, lapack_driver="gesdd")
    return u, s


def tail_norms(singular_values: np.ndarray) -> np.ndarray:
    """``tails[r] = sqrt(sum_{i >= r} s_i^2)`` for ``r = 0..len(s)`` (the last entry is 0).

    The sums are accumulated from the smallest singular value upwards, so they
    are accurate even when they are many orders below ``s_1``.
    """
    s = np.asarray(singular_values, dtype=np.float64)
    if s.size == 0:
        return np.zeros(1)
    # hypot accumulates sqrt(a^2 + b^2) without forming squares: no overflow or underflow
    return np.concatenate([np.hypot.accumulate(s[::-1])[::-1], [0.0]])


def tail_ranks(singular_values: np.ndarray, threshold: float) -> int:
    """Smallest ``r`` with ``sqrt(sum_{i >= r} s_i^2) <= threshold`` (see :func:`tail_norms`)."""
    return _first_below(tail_norms(singular_values), threshold)


def _first_below(tails: np.ndarray, threshold: float) -> int:
    return int(np.nonzero(tails <= threshold)[0][0])


def _check_tensor(tensor, name: str = "tensor") -> np.ndarray:
    budget_input(tensor, name, copies=3.0)
    t = as_float_array(tensor, name, ndim=3)
    if t.size == 0:
        raise ValueError(f"{name} must have at least one entry per axis, got shape {t.shape}")
    return t


def _check_ranks(ranks, shape: tuple[int, ...], name: str = "ranks") -> tuple[int, int, int]:
    fixed = as_triple(ranks, name, minimum=0)
    for k, r in enumerate(fixed):
        if r > shape[k]:
            raise ValueError(f"{name}[{k}] must be an integer in [0, {shape[k]}] (tensor.shape[{k}]), got {r}")
    return fixed


def _hosvd_work(shape: tuple[int, ...]) -> float:
    """Operations of the three QR-route mode SVDs of an array of ``shape``."""
    size = float(np.prod(np.asarray(shape, dtype=np.float64)))
    return 2.0 * size * float(sum(shape))


def hosvd(
    tensor,
    *,
    rtol: float | None = None,
    ranks: int | Sequence[int] | None = None,
    method: str = "hosvd",
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Truncated higher-order SVD of a full 3D array.

    Parameters
    ----------
    tensor : array_like, shape (n1, n2, n3)
        Finite real array, ``n_k >= 1``.
    rtol : float, optional
        Relative Frobenius tolerance in (0, 1). Mode k keeps the smallest rank
        whose discarded singular-value tail is at most ``rtol * ||T||_F / sqrt(3)``,
        which guarantees ``||T - T_r||_F <= rtol * ||T||_F``. Used when ``ranks``
        is not given; the default (both None) is ``rtol = 1e-8``.
    ranks : int or sequence of 3 ints, optional
        Fixed ranks ``(r1, r2, r3)`` with ``0 <= r_k <= n_k`` (instead of ``rtol``).
    method : {"hosvd", "sthosvd"}
        ``"hosvd"``: every mode is truncated from the SVD of the unfolding of the
        full array (the classical truncated HOSVD; ranks are those of the full
        unfoldings). ``"sthosvd"``: sequentially truncated HOSVD (modes 1, 2, 3,
        each computed on the already projected array); cheaper (one large SVD
        instead of three), same error guarantee, ranks never larger.

    Returns
    -------
    core : ndarray, shape (r1, r2, r3)
    factors : list of 3 ndarrays, shapes (n_k, r_k), orthonormal columns

    Raises
    ------
    ValueError
        If ``tensor`` is not 3D, empty or not finite, ``rtol`` is outside (0, 1), both
        ``rtol`` and ``ranks`` are given, a rank is outside ``[0, n_k]``, or the work
        exceeds the size budget (:func:`specnum.size_budget`).
    TypeError
        Non-numeric ``tensor``, non-integer ``ranks``.

    Notes
    -----
    The SVD of each wide unfolding is computed from the QR factorisation of its
    transpose (see :func:`mode_svd`). The all-zero array has ranks (0, 0, 0).
    The array is first scaled by a power of two when its magnitude is extreme
    (:func:`scale_exponent`), so the ranks do not depend on the scale of ``tensor``
    and the core scales with it.

    With ``rtol`` and ``method="hosvd"``, modes 2 and 3 are computed on the array
    projected onto the leading singular vectors of the modes before them, keeping
    every direction above ``1e-6`` times the per-mode threshold. The later
    unfoldings move by less than that in Frobenius norm, so the ranks are those of
    the classical HOSVD (a mode whose decision is that close to the threshold is
    recomputed from its full unfolding) and the error bound holds as stated, at
    about the cost of ``"sthosvd"``.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.linspace(-1, 1, 20)
    >>> T = np.exp(-(x[:, None, None] + x[None, :, None] * x[None, None, :]))
    >>> core, factors = hosvd(T, rtol=1e-10)
    >>> err = np.linalg.norm(tucker_to_full(core, factors) - T) / np.linalg.norm(T)
    >>> core.shape[0] == 1, bool(err <= 1e-10)
    (True, True)
    """
    t = _check_tensor(tensor)
    method = as_choice(method, "method", ("hosvd", "sthosvd"))
    if rtol is not None and ranks is not None:
        raise ValueError("give either rtol or ranks to hosvd, not both")
    fixed = _check_ranks(ranks, t.shape) if ranks is not None else None
    rtol = 1e-8 if rtol is None or fixed is not None else as_rtol(rtol)
    check_budget(f"tensor of shape {t.shape}", memory=3.0 * t.size * 8, work=_hosvd_work(t.shape))
    if fixed is not None:
        return truncated_hosvd(t, ranks=fixed, method=method)
    return truncated_hosvd(t, rtol=rtol, method=method)


REDUCTION_SHARE = 1e-6  # the lossless reduction drops at most this share of the per-mode threshold


def truncated_hosvd(
    t: np.ndarray,
    rtol: float | None = None,
    ranks: tuple[int, int, int] | None = None,
    method: str = "hosvd",
) -> tuple[np.ndarray, list[np.ndarray]]:
    """:func:`hosvd` on a validated C-contiguous float64 3D array (no checks).

    ``method="hosvd"`` with ``rtol``: mode 1 is the SVD of the full unfolding.
    Before the SVD of mode k + 1 the array is projected, along mode k, onto the
    leading singular vectors whose discarded tail is at most
    ``delta = REDUCTION_SHARE * threshold``. This perturbs the later unfoldings by
    at most ``sqrt(k) delta`` in Frobenius norm, so their singular values and
    tail norms move by at most that (Weyl) and the ranks are the classical ones
    whenever no tail lies within ``2 sqrt(k) delta`` of the threshold; if one
    does, that mode falls back to the SVD of the full unfolding. The unfoldings
    shrink from ``n^2`` to about ``r^2`` columns at the price of nothing
    visible: the results are the classical HOSVD to the accuracy of its own
    rank decisions.

    An array of extreme magnitude is scaled by a power of two first (exact; see
    :func:`scale_exponent`) and the core scaled back.
    """
    e = scale_exponent(t)
    if e != 0:
        core, factors = _truncated_hosvd(np.ldexp(t, -e), rtol, ranks, method)
        return np.ldexp(core, e), factors
    return _truncated_hosvd(t, rtol, ranks, method)


def _truncated_hosvd(t: np.ndarray, rtol: float | None, ranks: tuple[int, int, int] | None, method: str):
    threshold = 0.0 if ranks is not None else rtol * frobenius_norm(t) / math.sqrt(3.0)

    def rank(k: int, s: np.ndarray) -> int:
        return ranks[k] if ranks is not None else tail_ranks(s, threshold)

    factors: list[np.ndarray] = []
    if method == "sthosvd":
        work = t
        for k in range(3):
            u, s = mode_svd(unfold(work, k))
            factors.append(_leading(u, s, rank(k, s)))
            work = mode_product(work, factors[k].T, k)
        return np.ascontiguousarray(work), factors
    if ranks is not None:  # fixed ranks: the full unfoldings (there is no threshold to protect)
        for k in range(3):
            u, s = mode_svd(unfold(t, k))
            factors.append(_leading(u, s, ranks[k]))
        return _core(t, factors), factors
    delta = REDUCTION_SHARE * threshold
    work = t  # t projected, along the modes done so far, on their leading q singular vectors
    dropped = 0.0  # Frobenius norm of what those projections removed
    sliced = True  # whether every factor so far is the first r columns of the basis `work` was projected on
    for k in range(3):
        u, s = mode_svd(unfold(work, k))
        tails = tail_norms(s)
        if dropped > 0.0 and np.any(np.abs(tails - threshold) <= 2.0 * dropped):
            u_full, s_full = mode_svd(unfold(t, k))  # too close to call: the classical unfolding
            factors.append(_leading(u_full, s_full, tail_ranks(s_full, threshold)))
            sliced = sliced and k == 2
        else:
            factors.append(_leading(u, s, _first_below(tails, threshold)))
        if k < 2:
            q = min(max(_first_below(tails, delta), factors[k].shape[1]), u.shape[1])
            dropped = float(np.hypot(dropped, tails[q]))
            work = mode_product(work, u[:, :q].T, k)
    if sliced:  # work[:r0, :r1] = t x_1 U1^T x_2 U2^T
        r0, r1 = factors[0].shape[1], factors[1].shape[1]
        return np.ascontiguousarray(mode_product(work[:r0, :r1], factors[2].T, 2)), factors
    return _core(t, factors), factors


def _leading(u: np.ndarray, s: np.ndarray | None, r: int) -> np.ndarray:
    """The first ``r`` columns of ``u`` (completed to an orthonormal basis if ``u`` has fewer)."""
    return np.ascontiguousarray(u[:, :r]) if r <= u.shape[1] else _complete_basis(u, r)


def _core(t: np.ndarray, factors: Sequence[np.ndarray]) -> np.ndarray:
    core = t
    for k in range(3):
        core = mode_product(core, factors[k].T, k)
    return np.ascontiguousarray(core)


def _complete_basis(u: np.ndarray, r: int) -> np.ndarray:
    """Extend orthonormal columns ``u`` (n, m) to ``r > m`` orthonormal columns."""
    n, m = u.shape
    # deterministic: the full QR of u holds an orthonormal complement in its last columns
    q, _ = np.linalg.qr(u, mode="complete")
    return np.ascontiguousarray(np.hstack([u, q[:, m:r]]))


def hooi(
    tensor,
    ranks: int | Sequence[int],
    *,
    sweeps: int = 5,
    init: str = "hosvd",
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Tucker decomposition at fixed ranks by higher-order orthogonal iteration (ALS).

    Parameters
    ----------
    tensor : array_like, shape (n1, n2, n3)
    ranks : int or sequence of 3 ints
        Target ranks ``0 <= r_k <= n_k``.
    sweeps : int, >= 0
        Number of ALS sweeps after the initialisation.
    init : {"hosvd", "sthosvd"}
        Initial factors: truncated HOSVD at ``ranks``.

    Returns
    -------
    core : ndarray, shape (r1, r2, r3)
    factors : list of 3 ndarrays, shapes (n_k, r_k), orthonormal columns

    Raises
    ------
    ValueError, TypeError
        As :func:`hosvd`; ``sweeps < 0``; work over the size budget.

    Notes
    -----
    One sweep updates, for k = 1, 2, 3, ``Uk`` to the leading ``r_k`` left singular
    vectors of the mode-k unfolding of ``T x_{j != k} Uj^T``. Each update cannot
    increase ``||T - T_r||_F``; the core is ``T x_1 U1^T x_2 U2^T x_3 U3^T``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> T = rng.standard_normal((6, 7, 8))
    >>> core, factors = hooi(T, (2, 3, 4), sweeps=3)
    >>> core.shape, [f.shape for f in factors]
    ((2, 3, 4), [(6, 2), (7, 3), (8, 4)])
    """
    t = _check_tensor(tensor)
    fixed = _check_ranks(ranks, t.shape)
    sweeps = as_int(sweeps, "sweeps", minimum=0)
    init = as_choice(init, "init", ("hosvd", "sthosvd"))
    sweep_work = 2.0 * t.size * float(sum(fixed)) * 3.0 + _hosvd_work(t.shape) / 3.0
    check_budget(f"tensor of shape {t.shape} with sweeps = {sweeps}", memory=3.0 * t.size * 8,
                 work=_hosvd_work(t.shape) + sweeps * sweep_work)
    e = scale_exponent(t)
    if e != 0:
        t = np.ldexp(t, -e)
    _, factors = truncated_hosvd(t, ranks=fixed, method=init)
    if min(fixed) > 0:
        for _ in range(sweeps):
            for k in range(3):
                y = t
                for j in range(3):
                    if j != k:
                        y = mode_product(y, factors[j].T, j)
                u, _ = mode_svd(unfold(y, k))
                factors[k] = _leading(u, None, fixed[k])
    return np.ldexp(_core(t, factors), e), factors
