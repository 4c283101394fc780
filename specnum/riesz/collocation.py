"""``RieszCollocation``: B-spline collocation of ``L u = s`` with zero Dirichlet data, and its solution.

A thin frozen class over the functions of :mod:`~specnum.riesz.assembly`,
:mod:`~specnum.riesz.dense` and :mod:`~specnum.riesz.solve`; it holds validated parameters
and caches what it assembled.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from scipy import linalg
from scipy.interpolate import BSpline
from scipy.sparse.linalg import LinearOperator

from specnum._validation import (
    as_choice,
    as_float,
    as_float_array,
    as_int,
    as_interval,
    as_rtol,
    check_budget,
    readonly,
)
from specnum.bases.bsplines import BSplineBasis, open_uniform_knots
from specnum.riesz._checks import (
    budget_dense,
    budget_points,
    check_alpha,
    check_degree,
    check_elements,
    check_open_knots,
    source_values,
)
from specnum.riesz.assembly import RieszStructure, assemble_structure, lattice_points, toeplitz_coefficients
from specnum.riesz.dense import assemble_dense, collocation_points, local_mesh_sizes
from specnum.riesz.solve import (
    PRECONDITIONERS,
    binary_scale,
    blas_threads_for,
    gmres_solve,
    residual_floor,
    strang_preconditioner,
    tau_boundary_preconditioner,
    tau_preconditioner,
)

__all__ = ["RieszCollocation", "RieszSolution"]

_AUTO_DIRECT_MAX = 256  # "auto" uses dense LU up to this many unknowns, tau-GMRES above


def _power_times(h: float, alpha: float, peak: float) -> float:
    """``h**alpha * peak`` for a power of two ``peak``: exact product when ``h**alpha`` is a normal float."""
    hp = h**alpha
    if 1e-300 < hp < 1e300:
        return hp * peak
    return math.exp(alpha * math.log(h) + math.log(peak))


@dataclass(frozen=True)
class _DenseScaled:
    """The equilibrated ``E = D^alpha h^alpha A`` of general knots, with the two methods the solvers use."""

    mat: np.ndarray

    def dense(self) -> np.ndarray:
        return self.mat

    def matvec(self, x: np.ndarray) -> np.ndarray:
        return self.mat @ x


def _uniform_gmres(col, struct, op, b, preconditioner, rtol, restart, maxiter):
    """GMRES on uniform knots: tau + boundary block (Woodbury), Strang circulant or none."""
    if preconditioner == "tau":
        prec = tau_boundary_preconditioner(struct)
    elif preconditioner == "circulant":
        prec = strang_preconditioner(struct.toeplitz)
    else:
        prec = None
    # start from x0 = tau^{-1} b (with the boundary block when "tau"); it also sizes the rounding floor
    x0 = (prec if preconditioner == "tau" else tau_preconditioner(col.degree, col.size, col.alpha)).matvec(b)
    floor = residual_floor(struct, b, x0)
    return gmres_solve(op, b, prec, rtol, restart=restart, maxiter=maxiter, floor=floor, x0=np.ravel(x0))


def _general_gmres(col, struct, op, b, preconditioner, rtol, restart, maxiter):
    """GMRES on general knots for the equilibrated system, preconditioned by the uniform ``tau(f)^{-1}``.

    Row ``i`` of ``D^alpha h^alpha A`` sees a locally uniform mesh, so its symbol is ``f_{p,alpha}``
    in every row; the rounding floor uses ``||E||_2 <= sqrt(||E||_1 ||E||_inf)``.
    """
    prec = tau_preconditioner(col.degree, col.size, col.alpha) if preconditioner == "tau" else None
    x0 = prec.matvec(b) if prec is not None else np.zeros_like(b)
    mat = struct.mat
    bound = math.sqrt(float(np.abs(mat).sum(axis=0).max()) * float(np.abs(mat).sum(axis=1).max()))
    guess = float(np.linalg.norm(x0)) or float(np.linalg.norm(b))
    floor = float(np.finfo(float).eps * bound * guess / np.linalg.norm(b))
    return gmres_solve(op, b, prec, rtol, restart=restart, maxiter=maxiter, floor=floor, x0=x0)


@dataclass(frozen=True, eq=False)
class RieszSolution:
    """A computed spline ``u_h = sum_j coefficients[j] B_{j+1}`` (end B-splines dropped).

    Attributes
    ----------
    coefficients : ndarray, shape (N,)
        Coefficients of the retained B-splines ``B_1, ..., B_{n+p-2}`` (read-only).
    knots : ndarray, shape (n + 2p + 1,)
        The knot vector (open uniform or general open).
    degree : int
        Spline degree.
    iterations : int
        GMRES inner iterations (0 for the direct solver).
    residual : float
        Final relative residual ``||s - A c|| / ||s||`` (2-norm at the collocation points; on
        general knots of the system with rows scaled by ``(h_i/h)^alpha``).
    method : str
        ``"direct"`` or ``"gmres"``.
    """

    coefficients: np.ndarray
    knots: np.ndarray
    degree: int
    iterations: int
    residual: float
    method: str

    def __post_init__(self) -> None:
        # copies: freezing must not make the caller's arrays read-only
        coef = readonly(as_float_array(self.coefficients, "coefficients", ndim=1), copy=True)
        knots = readonly(as_float_array(self.knots, "knots", ndim=1), copy=True)
        degree = as_int(self.degree, "degree", minimum=2)
        if np.any(np.diff(knots) < 0):
            raise ValueError("knots must be non-decreasing, got a decreasing pair")
        if coef.shape[0] != knots.shape[0] - degree - 3:
            raise ValueError(
                f"coefficients must have length len(knots) - degree - 3 = {knots.shape[0] - degree - 3}, "
                f"got {coef.shape[0]}"
            )
        object.__setattr__(self, "coefficients", coef)
        object.__setattr__(self, "knots", knots)
        object.__setattr__(self, "degree", degree)
        object.__setattr__(self, "iterations", as_int(self.iterations, "iterations", minimum=0))
        object.__setattr__(self, "residual", as_float(self.residual, "residual", low=0.0))
        object.__setattr__(self, "method", as_choice(self.method, "method", ("direct", "gmres")))

    @functools.cached_property
    def _spline(self) -> BSpline:
        full = np.concatenate([[0.0], self.coefficients, [0.0]])
        return BSpline(self.knots, full, self.degree, extrapolate=False)

    def __call__(self, x) -> np.ndarray:
        """Evaluate ``u_h`` at ``x`` (any shape; zero outside the interval).

        Uses :class:`scipy.interpolate.BSpline` (``O(p)`` work per point).
        """
        arr = as_float_array(x, "x")
        vals = self._spline(arr)
        return np.where(np.isnan(vals), 0.0, vals)


@dataclass(frozen=True, eq=False)
class RieszCollocation:
    """Collocation of ``L u = c_alpha (D^alpha_left + D^alpha_right) u = s`` by B-splines of degree ``p``.

    Open uniform knots with ``n`` elements on ``interval`` (or any open knot vector given as
    ``knots``), maximal smoothness, the two end B-splines dropped (``N = n + p - 2`` unknowns),
    collocation at the Greville points of the retained B-splines.
    ``A[i, j] = (L B_{j+1})(points[i])``.

    Parameters
    ----------
    degree : int
        Spline degree ``2 <= p <= 30`` (``p = 1`` is undefined for ``alpha > 1``).
    n : int or None
        Number of elements, ``n >= max(2, degree)``; with ``knots`` it may be ``None`` (else it
        must match).
    alpha : float
        Order, ``1 < alpha < 2``.
    interval : (float, float), optional
        The interval ``(a, b)``; default ``(0, 1)``, or the ends of ``knots`` (must match if given).
    knots : array_like, shape (n + 2p + 1,), optional
        Keyword only. An open knot vector: non-decreasing, finite, ends repeated exactly ``p + 1``
        times, simple interior knots, at least ``max(2, p)`` elements (e.g.
        :func:`specnum.bases.knots.graded_knots`). The matrix is then assembled densely
        (``O(N^2)`` stable evaluations, no Toeplitz structure, :func:`~specnum.riesz.dense.assemble_dense`),
        its rows scaled by ``(h_i/h)^alpha`` with the local mesh sizes ``h_i``, and solved by dense
        LU, or by GMRES preconditioned by the uniform ``tau(f)^{-1}``. Knots equal to the open
        uniform ones take the structured path.

    Attributes
    ----------
    points : ndarray, shape (N,)
        Collocation points (read-only).
    basis : BSplineBasis
        The full basis (dimension ``n + p``) of the shared layer.
    h : float
        Mesh size ``(b - a) / n`` (the mean element length for general knots).
    size : int
        Number of unknowns ``N``.
    uniform : bool
        Whether the knots are open uniform (Toeplitz-plus-low-rank structure).

    Raises
    ------
    ValueError, TypeError
        For bad arguments, naming the argument.

    Notes
    -----
    ``h**alpha * A = T_N(f_{p,alpha}) + R_N`` with ``T_N`` symmetric Toeplitz
    (symbol :func:`~specnum.riesz.riesz_symbol`) and ``R_N`` supported on
    ``2(p-1)`` boundary columns and ``2(p-2)`` boundary rows.

    Examples
    --------
    >>> import numpy as np
    >>> from specnum.riesz import RieszCollocation
    >>> from specnum.riesz.manufactured import test_problem
    >>> prob = test_problem("T0", 1.5)          # u = x(1-x) lies in the spline space
    >>> col = RieszCollocation(3, 16, 1.5)
    >>> sol = col.solve(prob.source)
    >>> x = np.linspace(0, 1, 7)
    >>> print(bool(np.max(np.abs(sol(x) - prob.exact(x))) < 1e-12))
    True
    """

    degree: int
    n: int | None
    alpha: float
    interval: tuple[float, float] | None = None
    knots: np.ndarray | None = field(default=None, kw_only=True)

    def __post_init__(self) -> None:
        degree = check_degree(self.degree)
        object.__setattr__(self, "degree", degree)
        object.__setattr__(self, "alpha", check_alpha(self.alpha))
        if self.knots is None:
            object.__setattr__(self, "n", check_elements(self.n, degree))
            object.__setattr__(self, "interval", as_interval((0.0, 1.0) if self.interval is None else self.interval))
            budget_points(f"n = {self.n}", self.size, degree)
            return
        knots = check_open_knots(self.knots, degree)
        n = knots.size - 2 * degree - 1
        budget_points(f"knots with {n} elements", n + degree - 2, degree)
        if self.n is not None and check_elements(self.n, degree) != n:
            raise ValueError(f"n must equal the number of elements of knots ({n}) or be None, got {self.n}")
        ends = (float(knots[0]), float(knots[-1]))
        if self.interval is not None and as_interval(self.interval) != ends:
            raise ValueError(f"interval must equal the ends of knots {ends} or be None, got {self.interval}")
        object.__setattr__(self, "n", n)
        object.__setattr__(self, "interval", ends)
        uniform = np.array_equal(knots, open_uniform_knots(degree, n, ends))
        object.__setattr__(self, "knots", None if uniform else readonly(knots))

    @property
    def uniform(self) -> bool:
        """Whether the knots are open uniform (structured assembly and solvers)."""
        return self.knots is None

    @property
    def h(self) -> float:
        """Mesh size ``(b - a) / n``."""
        return (self.interval[1] - self.interval[0]) / self.n

    @property
    def size(self) -> int:
        """Number of unknowns ``N = n + degree - 2``."""
        return self.n + self.degree - 2

    @functools.cached_property
    def basis(self) -> BSplineBasis:
        """The full B-spline basis (dimension ``n + p``) on ``interval``."""
        knots = open_uniform_knots(self.degree, self.n, self.interval) if self.uniform else self.knots
        return BSplineBasis(knots, self.degree)

    @functools.cached_property
    def points(self) -> np.ndarray:
        """Greville points of the retained B-splines, shape ``(N,)`` (read-only)."""
        if not self.uniform:
            return collocation_points(self.knots, self.degree)
        pts = self.interval[0] + self.h * lattice_points(self.degree, self.n)
        return readonly(pts)

    def structure(self) -> RieszStructure:
        """The dimensionless ``h**alpha A = T + R`` (cached, read-only; uniform knots only)."""
        if not self.uniform:
            raise ValueError("knots are not uniform: the matrix has no Toeplitz structure (use matrix())")
        return assemble_structure(self.degree, self.n, self.alpha)

    @functools.cached_property
    def _row_scale(self) -> np.ndarray:
        """``(h_i / h)**alpha`` with the local mesh sizes ``h_i`` of general knots (read-only)."""
        return readonly((local_mesh_sizes(self.knots, self.degree) / self.h) ** self.alpha)

    @functools.cached_property
    def _equilibrated(self) -> np.ndarray:
        """``D^alpha h^alpha A``, ``D = diag(h_i/h)``, on general knots: rows of order one (cached, read-only)."""
        mat = assemble_dense(self.knots, self.degree, self.alpha)
        mat *= (self._row_scale * self.h**self.alpha)[:, None]
        return readonly(mat)

    def matrix(self) -> np.ndarray:
        """Dense ``(N, N)`` matrix ``A`` (unscaled; ``h**alpha * A`` is dimensionless)."""
        budget_dense(f"n = {self.n} ({self.size} unknowns) for matrix()", self.size, copies=2)
        if not self.uniform:
            return self._equilibrated / (self._row_scale * self.h**self.alpha)[:, None]
        return self.structure().dense() * self.h ** (-self.alpha)

    def toeplitz_coefficients(self, kmax: int) -> np.ndarray:
        """``a_0, ..., a_kmax`` of the Toeplitz part of ``h**alpha * A`` (shape ``(kmax+1,)``, read-only)."""
        return toeplitz_coefficients(self.degree, self.alpha, kmax)

    def operator(self) -> LinearOperator:
        """``LinearOperator`` applying ``A`` in ``O(N log N)`` (vectors ``(N,)`` or blocks ``(N, k)``).

        On general knots the product is dense (``O(N^2)``).
        """
        scale = self.h ** (-self.alpha)
        size = self.size
        if self.uniform:
            apply = self.structure().matvec
        else:
            eq, row = self._equilibrated, self._row_scale

            def apply(v: np.ndarray) -> np.ndarray:  # h^alpha A = D^(-alpha) E
                return (eq @ v) / (row if v.ndim == 1 else row[:, None])

        def matvec(v: np.ndarray) -> np.ndarray:
            v = np.asarray(v, dtype=np.float64).reshape(size)
            return scale * apply(v)

        def matmat(v: np.ndarray) -> np.ndarray:
            return scale * apply(np.asarray(v, dtype=np.float64))

        return LinearOperator((size, size), matvec=matvec, matmat=matmat, rmatvec=None, dtype=np.float64)

    def solve(
        self,
        source: Callable | np.ndarray,
        *,
        method: str = "auto",
        preconditioner: str | None = "tau",
        rtol: float = 1e-12,
        restart: int = 60,
        maxiter: int | None = None,
    ) -> RieszSolution:
        """Solve ``A c = s`` and return the spline solution.

        Parameters
        ----------
        source : callable or array_like, shape (N,)
            ``s(x)`` (called once with ``points``, must return shape ``(N,)``) or its values at ``points``.
        method : {"auto", "direct", "gmres"}
            Keyword only. ``"direct"``: dense LU (``O(N^3)``, reference); ``"gmres"``: matrix-free
            GMRES with ``preconditioner``; ``"auto"``: direct for ``N <= 256`` or general knots,
            else GMRES.
        preconditioner : {"tau", "circulant", None}
            Keyword only. ``"tau"``: ``tau(f)`` by DST-I from the symbol plus the exact low-rank boundary block
            (Woodbury); on general knots ``tau(f)^{-1}`` for the system with rows scaled by
            ``(h_i/h)^alpha`` (local mesh sizes ``h_i``); ``"circulant"``: Strang
            circulant (uniform knots only); ``None``. The iteration count is reported in
            ``RieszSolution.iterations``.
        rtol : float
            Keyword only. Relative residual target for GMRES, in ``(0, 1)``. Raised, with a ``SpecnumWarning``,
            to the float64 rounding floor of the system when below it (the floor grows like
            ``n**alpha``; e.g. about 1e-10 at ``n = 65536``).
        restart : int
            GMRES restart length.
        maxiter : int, optional
            Maximum number of GMRES restarts.

        Returns
        -------
        RieszSolution

        Raises
        ------
        ValueError
            Bad ``method``/``preconditioner``/``rtol``, wrong source shape or non-finite source values.
        ConvergenceError
            If GMRES misses ``rtol``.
        """
        method = as_choice(method, "method", ("auto", "direct", "gmres"))
        preconditioner = as_choice(preconditioner, "preconditioner", PRECONDITIONERS)
        rtol = as_rtol(rtol)
        restart = as_int(restart, "restart", minimum=1)
        if maxiter is not None:
            maxiter = as_int(maxiter, "maxiter", minimum=1)
        rhs = source_values(source, self.points)
        if method == "auto":
            method = "direct" if self.size <= _AUTO_DIRECT_MAX or not self.uniform else "gmres"
        if preconditioner == "circulant" and not self.uniform:
            raise ValueError("preconditioner='circulant' needs uniform knots; use 'tau' or None")
        size = self.size
        if method == "direct":
            budget_dense(f"n = {self.n} ({size} unknowns) with method='direct'", size, copies=2, cubic=1.0)
        else:
            check_budget(f"n = {self.n} ({size} unknowns) with restart = {restart}", memory=8.0 * size * (restart + 16))
        struct = self.structure() if self.uniform else _DenseScaled(self._equilibrated)
        # scaled system (h^alpha A) c = h^alpha s, solved for y = c / factor with b = s / 2^e of order one,
        # so that thresholds and norms do not depend on the magnitude of the data
        peak = binary_scale(rhs)
        if peak == 0.0:
            return RieszSolution(np.zeros(size), self.basis.knots, self.degree, 0, 0.0, method)
        b = rhs / peak
        if not self.uniform:  # row i of A scales like h_i^(-alpha): solve the equilibrated system
            b = self._row_scale * b
        factor = _power_times(self.h, self.alpha, peak)
        if method == "direct":
            with blas_threads_for(size):
                y = linalg.solve(struct.dense(), b, check_finite=False)
            res = float(np.linalg.norm(b - struct.matvec(y))) / float(np.linalg.norm(b))
            its = 0
        else:
            op = LinearOperator((size, size), matvec=lambda v: struct.matvec(np.ravel(v)), dtype=np.float64)
            solver = _uniform_gmres if self.uniform else _general_gmres
            with blas_threads_for(size):  # BLAS level-1/2 calls in the GMRES loop
                y, its, res = solver(self, struct, op, b, preconditioner, rtol, restart, maxiter)
        coef = y * factor
        if not np.all(np.isfinite(coef)):
            raise ValueError(f"source is too large: the solution overflows float64 (source values up to {peak:.3g})")
        return RieszSolution(coef, self.basis.knots, self.degree, its, res, method)

    def evolve(
        self,
        u0,
        t_final: float,
        steps: int,
        source=None,
        theta: float = 0.5,
        *,
        rtol: float = 1e-10,
        preconditioner: str | None = "auto",
        progress: bool | None = None,
        save_every: int = 1,
        restart: int = 30,
        workers: int | None = None,
    ):
        """Integrate ``u_t + L u = f(t, x)``, ``u(0) = u0``, by the theta-method in the coefficients.

        Each step solves ``(B + theta dt A) c^{k+1} = (B - (1-theta) dt A) c^k + dt f^{k+theta}``
        (``B`` the B-spline values at the points, ``f^{k+theta} = theta f(t_{k+1}) + (1-theta) f(t_k)``)
        by tau-preconditioned GMRES started from ``c^k`` plus the preconditioned update.
        Parameters as in :func:`specnum.riesz.timestepping.evolve_1d`: ``u0(x)`` or its values at
        ``points``, ``source(t, x)`` or ``None``, ``theta`` in ``[1/2, 1]``, ``steps >= 1``; keyword
        options ``rtol``, ``preconditioner``, ``progress`` (a tqdm bar; ``None`` shows it for long
        runs), ``save_every``, ``restart``, ``workers``.

        Returns
        -------
        Evolution
            ``times``, ``coefficients`` of shape ``(k, N)``, per-step ``iterations``, and the
            states as callables (``solutions``).
        """
        from specnum.riesz.timestepping import evolve_1d

        return evolve_1d(self, u0, t_final, steps, source, theta, rtol=rtol, preconditioner=preconditioner,
                         progress=progress, save_every=save_every, restart=restart, workers=workers)
