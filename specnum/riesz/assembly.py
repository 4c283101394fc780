"""Structured assembly of the scaled Riesz collocation matrix ``h**alpha * A = T_N(f) + R_N``.

Internal module: :mod:`specnum.riesz` re-exports ``RieszStructure``, ``toeplitz_coefficients``,
``assemble_structure``; the other names here serve the pillar's own modules and may change.

Everything here is dimensionless: lengths are measured in units of the mesh
size ``h`` (knots ``0, ..., 0, 1, 2, ..., n-1, n, ..., n``), so the result depends
only on ``(degree, n, alpha)``; the physical matrix is ``A = h**(-alpha) * (T + R)``.

* ``T = [a_{i-j}]`` is symmetric Toeplitz with ``a_k = psi_{p,alpha}((p+1)/2 + k)``,
  ``psi(x) = c_alpha [D phi_p(x) + D phi_p(p+1-x)]`` (cardinal B-spline ``phi_p``,
  left RL derivative ``D`` from ``-inf``). ``N`` coefficients: ``O(N)`` evaluations.
* ``R`` is nonzero only in the first/last ``p-1`` columns (boundary B-splines,
  all rows) and the first/last ``p-2`` rows (non-lattice Greville points, all
  columns): ``O(N p)`` evaluations, stored as two dense blocks. The right-hand
  blocks follow from the left ones by centrosymmetry
  (``A[N-1-i, N-1-j] = A[i, j]``, the knots being symmetric).

Matrix-vector products cost ``O(N log N)`` (circulant embedding of ``T`` with
:mod:`scipy.fft`) plus ``O(N p)`` for ``R``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from scipy import fft as sfft
from scipy import linalg

from specnum._validation import as_float_array, as_int, check_budget, readonly
from specnum.bases.bsplines import BSplineBasis, cardinal_fractional_derivative, open_uniform_knots
from specnum.riesz._checks import (
    _EVAL_WORK,
    budget_dense,
    budget_points,
    budget_structure,
    check_alpha,
    check_degree,
    check_elements,
)
from specnum.riesz.operators import riesz_constant

__all__ = [
    "RieszStructure",
    "toeplitz_coefficients",
    "assemble_structure",
    "lattice_points",
    "toeplitz_matvec",
]


@functools.lru_cache(maxsize=32)
def _toeplitz_cached(degree: int, alpha: float, kmax: int) -> np.ndarray:
    k = np.arange(kmax + 1, dtype=np.float64)
    centre = 0.5 * (degree + 1)
    right = cardinal_fractional_derivative(centre + k, degree, alpha)
    left = np.zeros(kmax + 1)
    near = k <= centre  # D phi_p vanishes for negative arguments
    left[near] = cardinal_fractional_derivative(centre - k[near], degree, alpha)
    return readonly(riesz_constant(alpha) * (right + left))


def toeplitz_coefficients(degree: int, alpha: float, kmax: int) -> np.ndarray:
    """Return ``a_0, ..., a_kmax``, the Toeplitz coefficients of ``h**alpha * A``.

    Parameters
    ----------
    degree : int
        Spline degree ``2 <= p <= 30``.
    alpha : float
        Order, ``1 < alpha < 2``.
    kmax : int
        Largest index, ``kmax >= 0``.

    Returns
    -------
    ndarray, shape (kmax + 1,)
        Read-only array; ``a_k = psi_{p,alpha}((p+1)/2 + k)`` and ``a_{-k} = a_k``.

    Raises
    ------
    ValueError
        For ``degree`` outside ``[2, 30]``, ``alpha`` outside (1, 2) or ``kmax < 0``.

    Notes
    -----
    The cardinal fractional derivatives are evaluated by the shared layer with a
    far-field (moment) expansion, so ``a_k`` keeps full relative accuracy for
    large ``k``, where ``a_k ~ -C_{1,alpha} k**(-1-alpha)``. The generating
    function is :func:`specnum.riesz.riesz_symbol`.

    Examples
    --------
    >>> from specnum.riesz.assembly import toeplitz_coefficients
    >>> a = toeplitz_coefficients(3, 1.5, 2)
    >>> print(bool(a[0] > 0), bool(a[1] < 0))
    True True
    """
    degree = check_degree(degree)
    alpha = check_alpha(alpha)
    kmax = as_int(kmax, "kmax", minimum=0)
    check_budget(f"kmax = {kmax}", memory=8.0 * (kmax + 1) * 8, work=(kmax + 1.0) * (degree + 2) * _EVAL_WORK)
    return _toeplitz_cached(degree, alpha, kmax)


def lattice_points(degree: int, n: int) -> np.ndarray:
    """Greville points of the retained B-splines, in units of ``h`` (shape ``(n + degree - 2,)``).

    ``xi_i = (t_{i+1} + ... + t_{i+p}) / p`` for ``i = 1, ..., n+p-2`` (0-based
    full index) on the knots ``0 (p+1 times), 1, ..., n-1, n (p+1 times)``: the
    shared layer's :meth:`BSplineBasis.greville` without the two end points (the
    knots are integers, so the sums are exact).

    Raises
    ------
    ValueError, TypeError
        For ``degree`` outside ``[2, 30]`` or ``n < max(2, degree)``.

    Examples
    --------
    >>> from specnum.riesz.assembly import lattice_points
    >>> lattice_points(2, 3).tolist()
    [0.5, 1.5, 2.5]
    """
    degree = check_degree(degree)
    n = check_elements(n, degree)
    budget_points(f"n = {n}", n + degree - 2, degree)
    basis = BSplineBasis(open_uniform_knots(degree, n, (0.0, float(n))), degree)
    return np.array(basis.greville()[1:-1])


@dataclass(frozen=True, eq=False)
class RieszStructure:
    """``h**alpha * A = T + R`` for given ``(degree, n, alpha)`` (all arrays read-only).

    Attributes
    ----------
    degree, n : int
    alpha : float
    toeplitz : ndarray, shape (N,)
        ``a_0, ..., a_{N-1}``.
    col_index : ndarray of int, shape (m_c,)
        Boundary columns (``2(p-1)`` of them).
    col_values : ndarray, shape (N, m_c)
        ``R[:, col_index]``.
    row_index : ndarray of int, shape (m_r,)
        Non-lattice rows (``2(p-2)`` of them).
    row_values : ndarray, shape (m_r, N)
        ``R[row_index, :]`` with the ``col_index`` entries set to zero (they live in ``col_values``).
    """

    degree: int
    n: int
    alpha: float
    toeplitz: np.ndarray
    col_index: np.ndarray
    col_values: np.ndarray
    row_index: np.ndarray
    row_values: np.ndarray

    def __post_init__(self) -> None:
        degree = check_degree(self.degree)
        n = check_elements(self.n, degree)
        object.__setattr__(self, "degree", degree)
        object.__setattr__(self, "n", n)
        object.__setattr__(self, "alpha", check_alpha(self.alpha))
        size = n + degree - 2
        shapes = {"toeplitz": (size,), "col_values": (size, None), "row_values": (None, size)}
        for name, shape in shapes.items():
            arr = as_float_array(getattr(self, name), name, ndim=len(shape))
            if any(want is not None and got != want for got, want in zip(arr.shape, shape)):
                raise ValueError(f"{name} must have shape {shape} (None: any length), got {arr.shape}")
            object.__setattr__(self, name, arr if not arr.flags.writeable else readonly(arr, copy=True))
        for name, limit in (("col_index", self.col_values.shape[1]), ("row_index", self.row_values.shape[0])):
            idx = np.asarray(getattr(self, name))
            if idx.ndim != 1 or not np.issubdtype(idx.dtype, np.integer):
                raise TypeError(f"{name} must be a 1-D integer array, got dtype {idx.dtype} and shape {idx.shape}")
            if idx.shape[0] != limit or np.any(idx < 0) or np.any(idx >= size):
                raise ValueError(f"{name} must hold {limit} indices in [0, {size}), got {idx.tolist()[:8]}")
            object.__setattr__(self, name, idx if not idx.flags.writeable else readonly(idx.astype(np.intp), copy=True))

    @property
    def size(self) -> int:
        """Number of unknowns ``N = n + degree - 2``."""
        return self.n + self.degree - 2

    def dense(self) -> np.ndarray:
        """Return the dense ``(N, N)`` matrix ``T + R``."""
        budget_dense(f"n = {self.n} ({self.size} unknowns) for dense()", self.size, copies=2)
        a = self.toeplitz
        mat = linalg.toeplitz(a)
        mat[:, self.col_index] += self.col_values
        mat[self.row_index, :] += self.row_values
        return mat

    @functools.cached_property
    def _embedding(self) -> tuple[int, np.ndarray]:
        size = self.size
        m = sfft.next_fast_len(2 * size - 1, real=True)
        c = np.zeros(m)
        c[:size] = self.toeplitz
        if size > 1:
            c[m - size + 1 :] = self.toeplitz[:0:-1]
        return m, readonly(sfft.rfft(c))

    def matvec(self, x: np.ndarray) -> np.ndarray:
        """Apply ``T + R`` to ``x`` of shape ``(N,)`` or ``(N, k)`` in ``O(N log N + N p)``."""
        m, spec = self._embedding
        y = toeplitz_matvec(spec, m, x)
        if self.col_index.size:
            y += self.col_values @ x[self.col_index]
        if self.row_index.size:
            y[self.row_index] += self.row_values @ x
        return y


def toeplitz_matvec(spectrum: np.ndarray, m: int, x: np.ndarray) -> np.ndarray:
    """Symmetric Toeplitz product by circulant embedding of length ``m`` (``x``: ``(N,)`` or ``(N, k)``)."""
    size = x.shape[0]
    xf = sfft.rfft(x, n=m, axis=0)
    if x.ndim == 2:
        xf *= spectrum[:, None]
    else:
        xf *= spectrum
    return sfft.irfft(xf, n=m, axis=0)[:size]


def _lattice_fractional(basis: BSplineBasis, x: np.ndarray, alpha: float) -> np.ndarray:
    """``(L B_j)(x)`` in lattice units for every function of ``basis``: shape ``(len(x), dim)``."""
    left = basis.fractional_derivative(x, alpha, side="left")
    right = basis.fractional_derivative(x, alpha, side="right")
    return riesz_constant(alpha) * (left + right)


@functools.lru_cache(maxsize=16)
def _structure_cached(degree: int, n: int, alpha: float) -> RieszStructure:
    p = degree
    size = n + p - 2
    a = _toeplitz_cached(p, alpha, size - 1)
    xi = lattice_points(p, n)
    idx = np.arange(size)

    # Left boundary columns: B_1..B_{p-1} depend only on the knots 0 (p+1 times), 1, ..., p
    # (one more knot, p+1, makes a valid knot vector of the shared layer; it does not touch them).
    local_knots = np.concatenate([np.zeros(p + 1), np.arange(1, p + 2, dtype=np.float64)])
    local = BSplineBasis(local_knots, p)
    left_cols = _lattice_fractional(local, xi, alpha)[:, 1:p]  # (N, p-1): retained columns 0..p-2
    ncol = p - 1
    lc = np.arange(ncol)
    left_cols = left_cols - a[np.abs(idx[:, None] - lc[None, :])]
    # Right boundary columns by centrosymmetry: R[i, N-1-c] = R[N-1-i, c].
    right_cols = left_cols[::-1, ::-1]
    col_index = np.concatenate([lc, size - ncol + lc])
    col_values = np.ascontiguousarray(np.concatenate([left_cols, right_cols], axis=1))

    nrow = p - 2
    if nrow > 0:
        # Non-lattice rows: cardinal columns j = p..n-1 (retained r = j-1) are psi(xi_i - (j-p)),
        # evaluated with the stable cardinal routine (O(N) per row); boundary columns live in col_values.
        lr = np.arange(nrow)
        rows = np.zeros((nrow, size))
        card = np.arange(p - 1, n - 1)
        if card.size:
            y = xi[:nrow, None] - (card[None, :] + 1 - p)
            dl = cardinal_fractional_derivative(y.ravel(), p, alpha)
            dr = cardinal_fractional_derivative((p + 1.0 - y).ravel(), p, alpha)
            rows[:, card] = riesz_constant(alpha) * (dl + dr).reshape(y.shape)
        rows = rows - a[np.abs(lr[:, None] - idx[None, :])]
        rows[:, col_index] = 0.0
        row_values = np.ascontiguousarray(np.concatenate([rows, rows[::-1, ::-1]], axis=0))
        row_index = np.concatenate([lr, size - nrow + lr])
    else:
        row_values = np.zeros((0, size))
        row_index = np.zeros(0, dtype=np.intp)
    return RieszStructure(
        p,
        n,
        alpha,
        a,
        readonly(col_index.astype(np.intp)),
        readonly(col_values),
        readonly(row_index.astype(np.intp)),
        readonly(row_values),
    )


def assemble_structure(degree: int, n: int, alpha: float) -> RieszStructure:
    """Assemble ``h**alpha * A = T + R`` in ``O(N p)`` evaluations (cached, read-only).

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
    RieszStructure

    Raises
    ------
    ValueError
        For bad ``degree``, ``n`` or ``alpha``.

    Examples
    --------
    >>> from specnum.riesz.assembly import assemble_structure
    >>> s = assemble_structure(3, 16, 1.5)
    >>> print(s.size, s.col_index.tolist(), s.row_index.tolist())
    17 [0, 1, 15, 16] [0, 16]
    """
    degree = check_degree(degree)
    alpha = check_alpha(alpha)
    n = check_elements(n, degree)
    budget_structure(f"n = {n}", n + degree - 2, degree)
    return _structure_cached(degree, n, alpha)
