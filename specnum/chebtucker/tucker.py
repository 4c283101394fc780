"""Tucker decompositions of full 3D arrays: truncated HOSVD and HOOI.

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

from collections.abc import Sequence

import numpy as np
import scipy.linalg

from .._validation import as_choice, as_float, as_float_array, as_int

__all__ = [
    "hosvd",
    "hooi",
    "tucker_to_full",
    "mode_product",
    "unfold",
    "mode_svd",
    "tail_ranks",
]


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
    if len(factors) != 3:
        raise ValueError(f"factors must be a sequence of 3 matrices, got {len(factors)}")
    for k in range(3):
        u = as_float_array(factors[k], f"factors[{k}]", ndim=2)
        if u.shape[1] != out.shape[k]:
            raise ValueError(f"factors[{k}] must have {out.shape[k]} columns (core.shape[{k}]), got shape {u.shape}")
        out = mode_product(out, u, k)
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


def tail_ranks(singular_values: np.ndarray, threshold: float) -> int:
    """Smallest ``r`` with ``sqrt(sum_{i >= r} s_i^2) <= threshold``.

    The tail sums are accumulated from the smallest singular value upwards, so
    they are accurate even when they are many orders below ``s_1``.
    """
    s2 = np.asarray(singular_values, dtype=np.float64) ** 2
    # tails[r] = sum_{i >= r} s_i^2, r = 0..len(s)
    tails = np.concatenate([np.cumsum(s2[::-1])[::-1], [0.0]])
    ok = np.nonzero(np.sqrt(tails) <= threshold)[0]
    return int(ok[0])


def _check_tensor(tensor, name: str = "tensor") -> np.ndarray:
    return as_float_array(tensor, name, ndim=3)


def _check_ranks(ranks, shape: tuple[int, ...], name: str = "ranks") -> tuple[int, int, int]:
    if isinstance(ranks, (int, np.integer)) and not isinstance(ranks, bool):
        ranks = (ranks,) * 3
    try:
        if isinstance(ranks, (str, bytes)):
            raise TypeError
        items = tuple(ranks)
    except TypeError:
        raise TypeError(f"{name} must be an int or a sequence of 3 ints, got {ranks!r}") from None
    if len(items) != 3:
        raise ValueError(f"{name} must have 3 entries, got {len(items)}")
    out = tuple(as_int(r, f"{name}[{k}]", minimum=0, maximum=shape[k]) for k, r in enumerate(items))
    return out  # type: ignore[return-value]


def hosvd(
    tensor,
    rtol: float | None = None,
    ranks: int | Sequence[int] | None = None,
    *,
    method: str = "hosvd",
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Truncated higher-order SVD of a full 3D array.

    Parameters
    ----------
    tensor : array_like, shape (n1, n2, n3)
        Finite real array.
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
        If ``tensor`` is not 3D or not finite, ``rtol`` is outside (0, 1), both
        ``rtol`` and ``ranks`` are given, or a rank is outside ``[0, n_k]``.

    Notes
    -----
    The SVD of each wide unfolding is computed from the QR factorisation of its
    transpose (see :func:`mode_svd`). The all-zero array has ranks (0, 0, 0).

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
    if ranks is not None:
        fixed = _check_ranks(ranks, t.shape)
        thr = None
    else:
        rtol = 1e-8 if rtol is None else as_float(rtol, "rtol", low=0.0, high=1.0, low_open=True, high_open=True)
        thr = rtol * float(np.linalg.norm(t)) / np.sqrt(3.0)
        fixed = None
    factors: list[np.ndarray] = []
    work = t
    for k in range(3):
        u, s = mode_svd(unfold(work if method == "sthosvd" else t, k))
        r = fixed[k] if fixed is not None else tail_ranks(s, thr)
        uk = np.ascontiguousarray(u[:, :r]) if r <= u.shape[1] else _complete_basis(u, r)
        factors.append(uk)
        if method == "sthosvd":
            work = mode_product(work, uk.T, k)
    if method == "sthosvd":
        core = np.ascontiguousarray(work)
    else:
        core = t
        for k in range(3):
            core = mode_product(core, factors[k].T, k)
        core = np.ascontiguousarray(core)
    return core, factors


def _complete_basis(u: np.ndarray, r: int) -> np.ndarray:
    """Extend orthonormal columns ``u`` (n, m) to ``r > m`` orthonormal columns."""
    n, m = u.shape
    # deterministic: the full QR of u holds an orthonormal complement in its last columns
    q, _ = np.linalg.qr(u, mode="complete")
    return np.ascontiguousarray(np.hstack([u, q[:, m:r]]))


def hooi(
    tensor,
    ranks: int | Sequence[int],
    sweeps: int = 5,
    *,
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
    _, factors = hosvd(t, ranks=fixed, method=init)
    if min(fixed) > 0:
        for _ in range(sweeps):
            for k in range(3):
                y = t
                for j in range(3):
                    if j != k:
                        y = mode_product(y, factors[j].T, j)
                u, _ = mode_svd(unfold(y, k))
                factors[k] = np.ascontiguousarray(u[:, : fixed[k]]) if fixed[k] <= u.shape[1] else (
                    _complete_basis(u, fixed[k]))
    core = t
    for k in range(3):
        core = mode_product(core, factors[k].T, k)
    return np.ascontiguousarray(core), factors
