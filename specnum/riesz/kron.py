"""Kronecker pencils of tensor-product Riesz collocation and their tau preconditioners.

Internal module: nothing here is part of the public API; the pillar's public classes and functions in
:mod:`specnum.riesz` use it.

On coefficient arrays ``C`` of shape ``(N_x, N_y)`` (the ``y`` index runs fastest in
the flattened vector) the pencil

.. math::

    M = w_0\\, B_x \\otimes B_y + w_x\\, \\hat A_x \\otimes B_y + w_y\\, B_x \\otimes \\hat A_y,
    \\qquad M C = w_0 B_x C B_y^T + w_x \\hat A_x C B_y^T + w_y B_x C \\hat A_y^T,

covers the steady problem (``w_0 = 0``, ``w_x = K_x h_x**(-alpha)``, ``w_y = K_y h_y**(-beta)``,
up to a common scale) and the theta-method (``w_0 = 1``, ``w_{x,y}`` times ``theta dt``).
``hat A = h**alpha A`` is the dimensionless 1D Riesz matrix (FFT Toeplitz product plus a
boundary block), ``B`` the banded value matrix. A product costs ``O(N log N)``. Directions
with at most 512 unknowns multiply by the dense ``hat A`` instead (two half-size matrix products
for all columns, as ``hat A`` is centrosymmetric, see :mod:`~specnum.riesz.folded`; a few times
faster than the batched FFT product at these sizes; the same rule as the batched DSTs of
:mod:`~specnum.riesz.tau_pencil`).

Preconditioners (``S`` the orthonormal DST-I in each direction):

* ``"tau-plain"``: ``(S kron S) diag(w_0 m_x m_y + w_x f_x m_y + w_y m_x f_y) (S kron S)``,
  the tau approximation factor by factor (symbols sampled at ``j pi/(N+1)``).
* ``"tau"`` (default): two sweeps. ``P_x`` keeps the exact boundary blocks of ``hat A_x``
  and ``B_x`` and the tau approximation in ``y``: after a DST in ``y`` every frequency
  ``theta_j`` leaves the 1D pencil ``(w_0 m_y + w_y f_y)(theta_j) B_x + w_x m_y(theta_j) hat A_x``,
  inverted by :class:`~specnum.riesz.tau_pencil.PencilInverse`; ``P_y`` is the same
  with the directions swapped. The preconditioner is the multiplicative combination
  ``z = P_x^{-1} v``, ``z <- z + P_y^{-1}(v - M z)``. It costs one extra product with
  ``M`` per application and cuts GMRES iterations about in half for ``p >= 3``
  (e.g. 26-29 to 9-11 at ``p = 4``; see ``benchmarks/RESULTS.md``).
* ``"diagonalization"``: the exact inverse by fast diagonalization
  (:mod:`specnum.riesz.diagonalization`): ``O(N_x^3 + N_y^3)`` setup, ``O(N (N_x + N_y))``
  per application; GMRES then converges in one or two iterations. It pays for moderate
  sizes and many solves with one matrix (time stepping); for large ``n`` ``"tau"`` wins.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from scipy.sparse.linalg import LinearOperator

from specnum._validation import as_choice, check_budget
from specnum.riesz.assembly import RieszStructure, assemble_structure
from specnum.riesz.diagonalization import pencil_eigen
from specnum.riesz.folded import FoldedMatrix, fold_centrosymmetric
from specnum.riesz.tau_pencil import GEMM_MAX, BoundaryTau, boundary_tau, dst_columns, dst_rows, pencil_inverse
from specnum.riesz.values import value_matrix

__all__ = ["KroneckerPencil", "PRECONDITIONERS_2D", "dst2"]

PRECONDITIONERS_2D = ("tau", "tau-plain", "diagonalization", None)


@functools.lru_cache(maxsize=8)
def _dense_factor(degree: int, n: int, alpha: float) -> FoldedMatrix | None:
    """Dense ``hat A`` in folded form (it is centrosymmetric) when ``N <= GEMM_MAX``, else ``None``
    (the FFT product is used)."""
    if n + degree - 2 > GEMM_MAX:
        return None
    return fold_centrosymmetric(assemble_structure(degree, n, alpha).dense())


def dst2(v: np.ndarray) -> np.ndarray:
    """Orthonormal DST-I along both axes of ``v`` (shape ``(N_x, N_y)``); it is its own inverse."""
    return dst_rows(dst_columns(v))


@dataclass(frozen=True, eq=False)
class KroneckerPencil:
    """``M = w0 B_x kron B_y + wx hat A_x kron B_y + wy B_x kron hat A_y`` (see the module notes).

    Parameters
    ----------
    degree, n : (int, int)
        Spline degree and number of elements per direction.
    alpha : (float, float)
        Orders in ``x`` and ``y``.
    weights : (float, float, float)
        ``(w0, wx, wy)``, finite. Preconditioners need them ``>= 0`` and not all zero.

    Notes
    -----
    The arguments are assumed validated (this is an internal building block of
    :class:`~specnum.riesz.RieszCollocation2D` and the theta-method).
    """

    degree: tuple[int, int]
    n: tuple[int, int]
    alpha: tuple[float, float]
    weights: tuple[float, float, float]

    @property
    def shape(self) -> tuple[int, int]:
        """``(N_x, N_y)``."""
        return (self.n[0] + self.degree[0] - 2, self.n[1] + self.degree[1] - 2)

    @property
    def size(self) -> int:
        """``N_x N_y``."""
        return self.shape[0] * self.shape[1]

    @functools.cached_property
    def _factors(self) -> tuple[RieszStructure, RieszStructure, object, object]:
        sx = assemble_structure(self.degree[0], self.n[0], self.alpha[0])
        sy = assemble_structure(self.degree[1], self.n[1], self.alpha[1])
        return sx, sy, value_matrix(self.degree[0], self.n[0]), value_matrix(self.degree[1], self.n[1])

    @functools.cached_property
    def _dense_factors(self) -> tuple[FoldedMatrix | None, FoldedMatrix | None]:
        return (_dense_factor(self.degree[0], self.n[0], self.alpha[0]),
                _dense_factor(self.degree[1], self.n[1], self.alpha[1]))

    def matvec(self, c: np.ndarray) -> np.ndarray:
        """``M C`` for ``C`` of shape ``(N_x, N_y)`` in ``O(N log N)`` (dense 1D products up to 512 unknowns)."""
        sx, sy, bx, by = self._factors
        ax, ay = self._dense_factors
        w0, wx, wy = self.weights
        cby = (by @ c.T).T  # C B_y^T
        if wx:
            out = wx * (ax.left(cby) if ax is not None else sx.matvec(cby))
        else:
            out = np.zeros(self.shape)
        inner = w0 * cby if w0 else None
        if wy:
            cay = ay.right(c) if ay is not None else sy.matvec(np.ascontiguousarray(c.T)).T  # C hat(A)_y^T
            term = wy * cay
            inner = term if inner is None else inner + term
        if inner is not None:
            out += bx @ inner
        return out

    def dense(self) -> np.ndarray:
        """Dense ``(N_x N_y, N_x N_y)`` matrix (small sizes; checked against the size budget)."""
        size = self.size
        check_budget(f"n = {self.n}", memory=3 * 8.0 * size * size, work=4.0 * size * size)
        sx, sy, bx, by = self._factors
        w0, wx, wy = self.weights
        bxd, byd = bx.toarray(), by.toarray()
        out = np.kron(sx.dense(), byd) * wx + np.kron(bxd, sy.dense()) * wy
        if w0:
            out += w0 * np.kron(bxd, byd)
        return out

    def operator(self) -> LinearOperator:
        """``LinearOperator`` on flattened vectors of length ``N_x N_y`` (``y`` index fastest)."""
        shape = self.shape

        def mv(v: np.ndarray) -> np.ndarray:
            return self.matvec(np.asarray(v, dtype=np.float64).reshape(shape)).ravel()

        return LinearOperator((self.size, self.size), matvec=mv, rmatvec=None, dtype=np.float64)

    # ------------------------------------------------------------------ preconditioners
    @functools.cached_property
    def _tau(self) -> tuple[BoundaryTau, BoundaryTau]:
        return (boundary_tau(self.degree[0], self.n[0], self.alpha[0]),
                boundary_tau(self.degree[1], self.n[1], self.alpha[1]))

    def _check_weights(self) -> None:
        w0, wx, wy = self.weights
        if min(w0, wx, wy) < 0 or not (wx > 0 or w0 > 0) or not (wy > 0 or w0 > 0):
            raise ValueError(f"preconditioners need weights w0, wx, wy >= 0 with wx, wy > 0 or w0 > 0, "
                             f"got {self.weights}")

    def plain_tau_inverse(self):
        """Callable applying the plain tau inverse to arrays of shape ``(N_x, N_y)``."""
        self._check_weights()
        tx, ty = self._tau
        w0, wx, wy = self.weights
        diag = (w0 * np.outer(tx.m, ty.m) + wx * np.outer(tx.f, ty.m) + wy * np.outer(tx.m, ty.f))
        inv = 1.0 / diag

        def apply(v: np.ndarray) -> np.ndarray:
            w = dst2(v)
            w *= inv
            return dst2(w)

        return apply

    def sweep_inverses(self):
        """``(P_x^{-1}, P_y^{-1})``: the two one-direction-exact preconditioners (callables on ``(N_x, N_y)``)."""
        self._check_weights()
        tx, ty = self._tau
        w0, wx, wy = self.weights
        px = pencil_inverse(tx, w0 * ty.m + wy * ty.f, wx * ty.m)  # one x-pencil per y-frequency
        py = pencil_inverse(ty, w0 * tx.m + wx * tx.f, wy * tx.m)  # one y-pencil per x-frequency

        def apply_x(v: np.ndarray) -> np.ndarray:
            return dst_rows(px.solve(dst_rows(v)))

        def apply_y(v: np.ndarray) -> np.ndarray:
            return dst_columns(py.solve(np.ascontiguousarray(dst_columns(v).T)).T)

        return apply_x, apply_y

    def tau_inverse(self):
        """Callable applying the two-sweep ``"tau"`` preconditioner to arrays of shape ``(N_x, N_y)``."""
        apply_x, apply_y = self.sweep_inverses()

        def apply(v: np.ndarray) -> np.ndarray:
            z = apply_x(v)
            return z + apply_y(v - self.matvec(z))

        return apply

    def diagonalization_inverse(self):
        """Callable applying the exact inverse ``M^{-1}`` by fast diagonalization to ``(N_x, N_y)`` arrays."""
        self._check_weights()
        ex = pencil_eigen(self.degree[0], self.n[0], self.alpha[0])
        ey = pencil_eigen(self.degree[1], self.n[1], self.alpha[1])
        w0, wx, wy = self.weights
        inv = 1.0 / (w0 + wx * ex.lam[:, None] + wy * ey.lam[None, :])

        def apply(v: np.ndarray) -> np.ndarray:
            z = ex.left @ v @ ey.left.T
            z *= inv
            return ex.vecs @ z @ ey.vecs.T

        return apply

    def preconditioner(self, kind: str | None) -> LinearOperator | None:
        """``LinearOperator`` for ``kind`` in :data:`PRECONDITIONERS_2D` (``None`` gives ``None``)."""
        kind = as_choice(kind, "preconditioner", PRECONDITIONERS_2D)
        if kind is None:
            return None
        if kind == "tau":
            apply = self.tau_inverse()
        elif kind == "tau-plain":
            apply = self.plain_tau_inverse()
        else:
            apply = self.diagonalization_inverse()
        shape = self.shape

        def mv(v: np.ndarray) -> np.ndarray:
            return apply(np.asarray(v, dtype=np.float64).reshape(shape)).ravel()

        return LinearOperator((self.size, self.size), matvec=mv, dtype=np.float64)

    def norm_bound(self) -> float:
        """An upper bound of ``||M||_2`` from the factors (for the rounding floor of GMRES)."""
        sx, sy, bx, by = self._factors
        w0, wx, wy = self.weights

        def a_norm(s: RieszStructure) -> float:
            a = s.toeplitz
            return float(a[0] + 2.0 * np.abs(a[1:]).sum() + np.linalg.norm(s.col_values)
                         + np.linalg.norm(s.row_values))

        def b_norm(b) -> float:  # ||B||_2 <= sqrt(||B||_1 ||B||_inf)
            ab = abs(b)
            return float(np.sqrt(ab.sum(axis=0).max() * ab.sum(axis=1).max()))

        nbx, nby = b_norm(bx), b_norm(by)
        return abs(w0) * nbx * nby + abs(wx) * a_norm(sx) * nby + abs(wy) * nbx * a_norm(sy)

