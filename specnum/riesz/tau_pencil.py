"""tau preconditioners with exact boundary blocks for the 1D pencils ``c1 B + c2 (h**alpha A)``.

Internal module: nothing here is part of the public API; the pillar's public classes and
functions in :mod:`specnum.riesz` use it.

Both 1D matrices of Riesz collocation are "tau plus a boundary block" in the
orthonormal DST-I basis ``S`` (:func:`~specnum.riesz.solve.dst1`):

* ``h**alpha A = T + R = tau(f) + R + (T - tau(f))`` with ``tau(f) = S diag(f(theta_j)) S``,
  ``theta_j = j pi/(N+1)``, and ``R`` supported on the ``2(p-1)`` boundary columns and
  ``2(p-2)`` boundary rows (:class:`~specnum.riesz.assembly.RieszStructure`); the remainder
  ``T - tau(f)`` is dropped.
* ``B = tau(m_p) + L`` exactly, with ``L`` supported on the same columns and rows
  (``B`` is banded Toeplitz in the interior and ``m_p`` a cosine polynomial, so the
  difference between its Toeplitz part and ``tau(m_p)`` sits in the corners).

For a pencil ``P = c1 (tau(m) + L) + c2 (tau(f) + R)`` write both blocks as
``U_A V_A^T`` and ``U_B V_B^T`` (rank ``r = 2(p-1) + 2(p-2)`` each). In the DST basis,
with ``D = c1 m + c2 f`` and ``W = diag(c2 I_r, c1 I_r)``,

.. math::

    S P S = D + \\hat U W \\hat V^T, \\qquad
    (S P S)^{-1} = D^{-1} - D^{-1}\\hat U\\, W (I + \\hat V^T D^{-1} \\hat U W)^{-1} \\hat V^T D^{-1}

(Sherman-Morrison-Woodbury, ``hat U = S U``). :class:`PencilInverse` applies this to
many columns at once, each column with its own ``(c1, c2)``: that is what the
2D preconditioners need after a DST in the other direction, where every frequency
gives one 1D pencil.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from specnum._validation import as_float_array, readonly
from specnum.riesz._checks import check_alpha, check_degree, check_elements
from specnum.riesz.assembly import assemble_structure
from specnum.riesz.folded import FoldedMatrix, fold_dst
from specnum.riesz.solve import dst1, tau_eigenvalues
from specnum.riesz.values import value_matrix, value_symbol

__all__ = ["BoundaryTau", "boundary_tau", "PencilInverse", "pencil_inverse", "dst_columns", "dst_rows", "GEMM_MAX"]

_CAP_COND_MAX = 1e12  # capacitance matrices above this condition number fall back to plain tau
#: batched DSTs (and, in :mod:`~specnum.riesz.kron`, batched products with ``hat A``) up to this size are one
#: dense matrix product: faster than the FFT for every N in this range
GEMM_MAX = 512
_GEMM_DST_BATCH = 32


@functools.lru_cache(maxsize=8)
def _dst_matrix(size: int) -> FoldedMatrix:
    return fold_dst(size)


def dst_columns(v: np.ndarray) -> np.ndarray:
    """Orthonormal DST-I along axis 0 of ``v`` (shape ``(N,)`` or ``(N, k)``).

    Batches of at least 32 columns with ``N <= 512`` use dense products with the DST matrix in
    folded form (:mod:`~specnum.riesz.folded`, two half-size products): their cost does not
    depend on the factorization of ``N + 1`` (``N + 1 = 257`` is prime, and an FFT-based DST
    of that size is ten times slower than of size 255). Otherwise :func:`~specnum.riesz.solve.dst1`.
    """
    if v.ndim == 2 and v.shape[0] <= GEMM_MAX and v.shape[1] >= _GEMM_DST_BATCH:
        return _dst_matrix(v.shape[0]).left(v)
    return dst1(v)


def dst_rows(v: np.ndarray) -> np.ndarray:
    """Orthonormal DST-I along axis 1 of ``v`` (shape ``(k, N)``), as :func:`dst_columns`."""
    if v.shape[1] <= GEMM_MAX and v.shape[0] >= _GEMM_DST_BATCH:
        return _dst_matrix(v.shape[1]).right(v)  # S is symmetric
    return dst1(v.T).T


@dataclass(frozen=True, eq=False)
class BoundaryTau:
    """One direction's tau data: symbol samples and the boundary blocks in the DST basis (read-only).

    Attributes
    ----------
    degree, n : int
    alpha : float
    f : ndarray, shape (N,)
        ``f_{p,alpha}(theta_j)``: eigenvalues of ``tau(f)``.
    m : ndarray, shape (N,)
        ``m_p(theta_j)``: eigenvalues of ``tau(m_p)``.
    u_hat, v_hat : ndarray, shape (N, 2r)
        ``S [U_A, U_B]`` and ``S [V_A, V_B]`` with ``R = U_A V_A^T``, ``B - tau(m_p) = U_B V_B^T``.
    rank : int
        ``r``, the rank of one block.
    """

    degree: int
    n: int
    alpha: float
    f: np.ndarray
    m: np.ndarray
    u_hat: np.ndarray
    v_hat: np.ndarray
    rank: int

    @property
    def size(self) -> int:
        """``N = n + degree - 2``."""
        return self.f.shape[0]

    def blocks(self) -> tuple[np.ndarray, np.ndarray]:
        """``(U, V)`` in the original basis, shapes ``(N, 2r)`` (for tests and dense twins)."""
        return dst1(self.u_hat), dst1(self.v_hat)


def _tau_columns(eig: np.ndarray, index: np.ndarray) -> np.ndarray:
    """Columns ``index`` of ``S diag(eig) S`` (shape ``(N, len(index))``)."""
    unit = np.zeros((eig.shape[0], index.shape[0]))
    unit[index, np.arange(index.shape[0])] = 1.0
    return dst1(eig[:, None] * dst1(unit))


def _low_rank(cols: np.ndarray, col_values: np.ndarray, rows: np.ndarray, row_values: np.ndarray):
    """``(U, V)`` with ``U V^T`` = the block with columns ``col_values`` and rows ``row_values``."""
    size = col_values.shape[0]
    mc, mr = cols.shape[0], rows.shape[0]
    u = np.zeros((size, mc + mr))
    v = np.zeros((size, mc + mr))
    u[:, :mc] = col_values
    u[rows, mc + np.arange(mr)] = 1.0
    v[cols, np.arange(mc)] = 1.0
    v[:, mc:] = row_values.T
    return u, v


@functools.lru_cache(maxsize=16)
def _boundary_tau_cached(degree: int, n: int, alpha: float) -> BoundaryTau:
    struct = assemble_structure(degree, n, alpha)
    size = struct.size
    cols, rows = struct.col_index, struct.row_index
    u_a, v_a = _low_rank(cols, struct.col_values, rows, struct.row_values)
    theta = np.arange(1, size + 1) * (np.pi / (size + 1))
    m = value_symbol(theta, degree)
    b = value_matrix(degree, n)
    b_cols = b[:, cols].toarray() - _tau_columns(m, cols)
    b_rows = b[rows, :].toarray() - _tau_columns(m, rows).T  # tau(m) is symmetric
    b_rows[:, cols] = 0.0  # those entries live in b_cols
    u_b, v_b = _low_rank(cols, b_cols, rows, b_rows)
    u_hat = dst1(np.concatenate([u_a, u_b], axis=1))
    v_hat = dst1(np.concatenate([v_a, v_b], axis=1))
    f = np.array(tau_eigenvalues(degree, size, alpha))
    return BoundaryTau(degree, n, alpha, readonly(f), readonly(m), readonly(u_hat), readonly(v_hat),
                       cols.shape[0] + rows.shape[0])


def boundary_tau(degree: int, n: int, alpha: float) -> BoundaryTau:
    """Symbol samples and boundary blocks of ``h**alpha A`` and ``B`` in the DST basis (cached).

    Parameters
    ----------
    degree : int
        Spline degree ``2 <= p <= 30``.
    n : int
        Number of elements, ``n >= max(2, p)``.
    alpha : float
        Order, ``1 < alpha < 2``.

    Returns
    -------
    BoundaryTau

    Raises
    ------
    ValueError, TypeError
        For bad ``degree``, ``n`` or ``alpha``.

    Examples
    --------
    >>> from specnum.riesz.tau_pencil import boundary_tau
    >>> bt = boundary_tau(3, 16, 1.5)
    >>> print(bt.size, bt.rank, bt.u_hat.shape)
    17 6 (17, 12)
    """
    degree = check_degree(degree)
    alpha = check_alpha(alpha)
    n = check_elements(n, degree)
    return _boundary_tau_cached(degree, n, alpha)


@dataclass(frozen=True, eq=False)
class PencilInverse:
    """Applies ``(c1_j B~ + c2_j A~)^{-1}`` to column ``j`` of an ``(N, k)`` array (``A~ = tau(f) + R``).

    Attributes
    ----------
    factor : BoundaryTau
    dinv : ndarray, shape (N, k)
        ``1 / (c1_j m + c2_j f)`` in the DST basis.
    kinv : ndarray, shape (k, 2r, 2r)
        ``W_j (I + V^T D_j^{-1} U W_j)^{-1}``; zero for columns whose capacitance matrix is
        numerically singular (those fall back to plain tau).
    """

    factor: BoundaryTau
    dinv: np.ndarray
    kinv: np.ndarray

    def solve_hat(self, rhs_hat: np.ndarray) -> np.ndarray:
        """The inverse in the DST basis: ``rhs_hat`` and the result have shape ``(N, k)``."""
        z = rhs_hat * self.dinv
        if self.kinv.shape[1]:
            t = self.factor.v_hat.T @ z  # (2r, k)
            s = np.einsum("jab,bj->aj", self.kinv, t)
            z -= self.dinv * (self.factor.u_hat @ s)
        return z

    def solve(self, rhs: np.ndarray) -> np.ndarray:
        """Apply the inverse to ``rhs`` of shape ``(N, k)`` (or ``(N,)`` when ``k = 1``)."""
        flat = rhs.ndim == 1
        r = rhs[:, None] if flat else rhs
        out = dst_columns(self.solve_hat(dst_columns(r)))
        return out[:, 0] if flat else out


def pencil_inverse(factor: BoundaryTau, c1, c2, *, boundary: bool = True) -> PencilInverse:
    """Set up :class:`PencilInverse` for the pencils ``c1[j] B + c2[j] (h**alpha A)``.

    Parameters
    ----------
    factor : BoundaryTau
        From :func:`boundary_tau`.
    c1, c2 : array_like, shape (k,)
        Non-negative weights with ``c1[j] + c2[j] > 0``.
    boundary : bool
        Keep the exact boundary blocks (Woodbury); ``False`` gives the plain
        ``tau(c1 m + c2 f)^{-1}``.

    Returns
    -------
    PencilInverse
        Setup costs ``O(N k r^2)``; each application ``O(N k (log N + r))``.

    Raises
    ------
    ValueError, TypeError
        For weights of different shapes, negative or non-finite weights, or a zero pencil.
    """
    if not isinstance(factor, BoundaryTau):
        raise TypeError(f"factor must be a BoundaryTau, got {type(factor).__name__}")
    c1 = as_float_array(c1, "c1", ndim=1)
    c2 = as_float_array(c2, "c2", ndim=1)
    if c1.shape != c2.shape:
        raise ValueError(f"c1 and c2 must have the same shape, got {c1.shape} and {c2.shape}")
    if np.any(c1 < 0) or np.any(c2 < 0) or np.any(c1 + c2 <= 0):
        raise ValueError("c1 and c2 must be >= 0 with c1 + c2 > 0 in every column")
    d = c1[None, :] * factor.m[:, None] + c2[None, :] * factor.f[:, None]
    dinv = 1.0 / d
    k = c1.shape[0]
    if not boundary or factor.rank == 0:
        return PencilInverse(factor, dinv, np.zeros((k, 0, 0)))
    size, rr = factor.u_hat.shape
    outer = (factor.v_hat[:, :, None] * factor.u_hat[:, None, :]).reshape(size, rr * rr)
    g = (dinv.T @ outer).reshape(k, rr, rr)  # V^T D_j^{-1} U for every column j
    w = np.concatenate([np.repeat(c2[:, None], factor.rank, axis=1), np.repeat(c1[:, None], factor.rank, axis=1)],
                       axis=1)  # (k, 2r): the A block scales with c2, the B block with c1
    cap = np.eye(rr)[None, :, :] + g * w[:, None, :]
    try:
        inv = np.linalg.inv(cap)
    except np.linalg.LinAlgError:  # an exactly singular capacitance matrix: invert one by one
        inv = np.stack([_inverse_or_nan(c) for c in cap])
    # 1-norm condition numbers from the inverses we need anyway (cheaper than an SVD per column)
    cond = np.abs(cap).sum(axis=1).max(axis=1) * np.abs(inv).sum(axis=1).max(axis=1)
    good = np.isfinite(cond) & (cond < _CAP_COND_MAX)
    kinv = np.where(good[:, None, None], w[:, :, None] * inv, 0.0)
    return PencilInverse(factor, dinv, kinv)


def _inverse_or_nan(mat: np.ndarray) -> np.ndarray:
    try:
        return np.linalg.inv(mat)
    except np.linalg.LinAlgError:
        return np.full_like(mat, np.nan)
