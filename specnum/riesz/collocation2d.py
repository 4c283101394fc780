"""``RieszCollocation2D``: tensor-product B-spline collocation of ``K_x L_alpha u + K_y L_beta u = f``.

Internal module: :mod:`specnum.riesz` re-exports ``RieszCollocation2D``, ``RieszSolution2D``;
the other names here serve the pillar's own modules and may change.

A thin frozen class over :mod:`~specnum.riesz.kron` (the Kronecker pencil, its fast
product and tau preconditioners), the 1D :class:`~specnum.riesz.RieszCollocation` of
each direction and the shared GMRES driver of :mod:`~specnum.riesz.solve`.
"""

from __future__ import annotations

import contextlib
import functools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import fft as sfft
from scipy import linalg, sparse
from scipy.interpolate import BSpline, NdBSpline
from scipy.sparse.linalg import LinearOperator
from threadpoolctl import threadpool_limits

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
from specnum.riesz._checks import check_alpha, check_degree
from specnum.riesz.collocation import RieszCollocation
from specnum.riesz.kron import PRECONDITIONERS_2D, KroneckerPencil
from specnum.riesz.solve import binary_scale, gmres_solve
from specnum.riesz.symbol2d import _named, as_pair

__all__ = ["RieszCollocation2D", "RieszSolution2D", "grid_values"]

_AUTO_DIRECT_MAX = 256  # "auto" uses dense LU up to this many unknowns, tau-GMRES above


def grid_values(values, name: str, shape: tuple[int, ...], call_args: tuple = ()) -> np.ndarray:
    """Validated float64 values of shape ``shape``: ``values(*call_args)`` when callable, else ``values``.

    Raises ``TypeError`` for non-numeric results and ``ValueError`` (naming ``name``) for a wrong
    shape or non-finite values.
    """
    if callable(values):
        vals = values(*call_args)
        what = f"{name} callable must return"
    else:
        vals = values
        what = f"{name} must be"
    try:
        arr = np.asarray(vals, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must give real numbers, got {type(vals).__name__}") from None
    if arr.shape != tuple(shape):
        raise ValueError(f"{what} an array of shape {tuple(shape)} (one value per collocation point), "
                         f"got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        bad = int(arr.size - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"{name} must be finite at the collocation points, got {bad} non-finite value(s)")
    return np.ascontiguousarray(arr)


@dataclass(frozen=True, eq=False)
class RieszSolution2D:
    """A tensor-product spline ``u_h(x, y) = sum_kl coefficients[k, l] B_{k+1}(x) B_{l+1}(y)``.

    Attributes
    ----------
    coefficients : ndarray, shape (N_x, N_y)
        Coefficients of the retained B-splines (end splines dropped; read-only).
    knots : (ndarray, ndarray)
        Open uniform knot vectors in ``x`` and ``y``.
    degree : (int, int)
        Spline degrees.
    iterations : int
        GMRES inner iterations (0 for the direct solver).
    residual : float
        Final relative residual ``||f - A2 c|| / ||f||`` at the collocation points.
    method : str
        ``"direct"`` or ``"gmres"``.
    """

    coefficients: np.ndarray
    knots: tuple[np.ndarray, np.ndarray]
    degree: tuple[int, int]
    iterations: int
    residual: float
    method: str

    def __post_init__(self) -> None:
        coef = readonly(as_float_array(self.coefficients, "coefficients", ndim=2), copy=True)
        degree = as_pair(self.degree, "degree", _named(check_degree))
        knots = tuple(readonly(as_float_array(k, f"knots[{i}]", ndim=1), copy=True)
                      for i, k in enumerate(self.knots))
        if len(knots) != 2:
            raise ValueError(f"knots must be a pair of knot vectors, got {len(knots)}")
        for i in range(2):
            if np.any(np.diff(knots[i]) < 0):
                raise ValueError(f"knots[{i}] must be non-decreasing, got a decreasing pair")
            want = knots[i].shape[0] - degree[i] - 3
            if coef.shape[i] != want:
                raise ValueError(f"coefficients must have shape[{i}] = len(knots[{i}]) - degree[{i}] - 3 = {want}, "
                                 f"got {coef.shape[i]}")
        object.__setattr__(self, "coefficients", coef)
        object.__setattr__(self, "knots", knots)
        object.__setattr__(self, "degree", degree)
        object.__setattr__(self, "iterations", as_int(self.iterations, "iterations", minimum=0))
        object.__setattr__(self, "residual", as_float(self.residual, "residual", low=0.0))
        object.__setattr__(self, "method", as_choice(self.method, "method", ("direct", "gmres")))

    @functools.cached_property
    def _spline(self) -> NdBSpline:
        full = np.pad(self.coefficients, 1)
        return NdBSpline(self.knots, full, self.degree, extrapolate=False)

    def __call__(self, x, y) -> np.ndarray:
        """Evaluate ``u_h`` at the points ``(x, y)`` (broadcast together; zero outside the box).

        Uses :class:`scipy.interpolate.NdBSpline` (``O(p_x p_y)`` work per point).
        """
        xa = as_float_array(x, "x")
        ya = as_float_array(y, "y")
        try:
            xa, ya = np.broadcast_arrays(xa, ya)
        except ValueError:
            raise ValueError(f"x and y must broadcast, got shapes {xa.shape} and {ya.shape}") from None
        check_budget(f"{xa.size} points", memory=64.0 * xa.size, work=10.0 * xa.size * np.prod(self.degree))
        pts = np.stack([xa.ravel(), ya.ravel()], axis=-1)
        vals = self._spline(pts).reshape(xa.shape)
        return np.where(np.isnan(vals), 0.0, vals)

    def grid(self, x, y) -> np.ndarray:
        """Values on the tensor grid ``x`` by ``y`` (1-D arrays), shape ``(len(x), len(y))``.

        ``U = B_x C B_y^T`` with sparse B-spline design matrices: cheaper than ``__call__`` on a mesh.
        """
        xa = as_float_array(x, "x", ndim=1)
        ya = as_float_array(y, "y", ndim=1)
        check_budget(f"a {xa.size} x {ya.size} grid", memory=16.0 * xa.size * ya.size,
                     work=4.0 * xa.size * ya.size * max(self.degree))
        full = np.pad(self.coefficients, 1)
        mats = []
        for pts, knots, deg in ((xa, self.knots[0], self.degree[0]), (ya, self.knots[1], self.degree[1])):
            a, b = knots[deg], knots[-deg - 1]
            inside = (pts >= a) & (pts <= b)
            dm = BSpline.design_matrix(np.clip(pts, a, b), knots, deg)
            mats.append(sparse.csr_array(sparse.diags_array(inside.astype(np.float64)) @ dm))  # zero outside
        return np.asarray((mats[1] @ (mats[0] @ full).T).T)


@dataclass(frozen=True, eq=False)
class RieszCollocation2D:
    """Collocation of ``K_x L_alpha u + K_y L_beta u = f`` on a rectangle by tensor-product B-splines.

    ``L_alpha = -d^alpha/d|x|^alpha`` acts in ``x``, ``L_beta`` in ``y``, with ``u = 0`` outside
    the box. Degrees ``(p_x, p_y)``, maximal smoothness, open uniform knots with
    ``(n_x, n_y)`` elements, end B-splines dropped (``N_x = n_x + p_x - 2`` and ``N_y``
    unknowns per direction), collocation at the tensor grid of Greville points. The matrix is

    ``A2 = K_x A_x kron B_y + K_y B_x kron A_y``

    with the 1D Riesz collocation matrices ``A`` and B-spline value matrices ``B``; the
    coefficient vector is the ``(N_x, N_y)`` array flattened with the ``y`` index fastest.

    Parameters
    ----------
    degree : int or (int, int)
        Spline degrees, each in ``[2, 30]``.
    n : int or (int, int)
        Numbers of elements, each ``>= max(2, degree)``.
    alpha : float or (float, float)
        Orders ``(alpha, beta)``, each in ``(1, 2)``.
    box : ((float, float), (float, float))
        ``((a, b), (c, d))``.
    coefficients : float or (float, float)
        ``(K_x, K_y)``, each finite and ``> 0``.

    Attributes
    ----------
    directions : (RieszCollocation, RieszCollocation)
        The 1D discretizations of each direction.
    points : (ndarray, ndarray)
        Collocation points in ``x`` (shape ``(N_x,)``) and ``y`` (shape ``(N_y,)``), read-only.
    shape : (int, int)
        ``(N_x, N_y)``.

    Raises
    ------
    ValueError, TypeError
        For bad arguments (e.g. a triple where a pair is expected, ``K <= 0``), naming the argument.

    Notes
    -----
    ``A2`` is never formed by :meth:`operator` and :meth:`solve`: a product costs
    ``O(N log N)`` (FFT Toeplitz products along each axis, banded ``B``), see
    :mod:`specnum.riesz.kron`. The scaled matrix ``A2 / scale`` has the bivariate
    symbol :func:`~specnum.riesz.riesz_symbol_2d` with :attr:`symbol_weights`.

    Examples
    --------
    >>> import numpy as np
    >>> from specnum.riesz import RieszCollocation2D
    >>> from specnum.riesz.manufactured import test_problem
    >>> gx, gy = test_problem("T0", 1.5), test_problem("T0", 1.8)   # x(1-x), y(1-y): in the spline space
    >>> col = RieszCollocation2D(3, (12, 10), (1.5, 1.8), coefficients=(1.0, 2.0))
    >>> f = lambda x, y: gx.source(x) * gy.exact(y) + 2.0 * gx.exact(x) * gy.source(y)
    >>> sol = col.solve(f, rtol=1e-12)
    >>> x, y = np.meshgrid(np.linspace(0, 1, 5), np.linspace(0, 1, 7))
    >>> print(bool(np.max(np.abs(sol(x, y) - gx.exact(x) * gy.exact(y))) < 1e-11))
    True
    """

    degree: int | tuple[int, int]
    n: int | tuple[int, int]
    alpha: float | tuple[float, float]
    box: tuple[tuple[float, float], tuple[float, float]] = ((0.0, 1.0), (0.0, 1.0))
    coefficients: float | tuple[float, float] = (1.0, 1.0)

    def __post_init__(self) -> None:
        degree = as_pair(self.degree, "degree", _named(check_degree))
        alpha = as_pair(self.alpha, "alpha", _named(check_alpha))
        n = as_pair(self.n, "n", lambda v, name: as_int(v, name, minimum=2))
        paired = isinstance(self.n, (tuple, list, np.ndarray))
        for i in range(2):  # the rule of check_elements, per direction
            as_int(n[i], f"n[{i}]" if paired else "n", minimum=max(2, degree[i]))
        if isinstance(self.box, (str, bytes)):
            raise TypeError(f"box must be a pair of intervals ((a, b), (c, d)), got {self.box!r}")
        try:
            boxes = tuple(self.box)
        except TypeError:
            raise TypeError(f"box must be a pair of intervals ((a, b), (c, d)), got {self.box!r}") from None
        if len(boxes) != 2:
            raise ValueError(f"box must be a pair of intervals ((a, b), (c, d)), got {len(boxes)} entries")
        box = (as_interval(boxes[0], "box[0]"), as_interval(boxes[1], "box[1]"))
        coefficients = as_pair(self.coefficients, "coefficients",
                               lambda v, name: as_float(v, name, low=0.0, low_open=True))
        object.__setattr__(self, "degree", degree)
        object.__setattr__(self, "alpha", alpha)
        object.__setattr__(self, "n", n)
        object.__setattr__(self, "box", box)
        object.__setattr__(self, "coefficients", coefficients)
        for i in range(2):  # K h**(-alpha) must be a normal float: refuse boxes of absurd size
            h = (box[i][1] - box[i][0]) / n[i]
            log_w = math.log(coefficients[i]) - alpha[i] * math.log(h)
            if not -600.0 < log_w < 600.0:
                raise ValueError(f"box[{i}] and coefficients[{i}] give K h**(-alpha) = exp({log_w:.4g}), outside "
                                 f"the float64 range; rescale the problem (box side {box[i][1] - box[i][0]!r})")

    # ------------------------------------------------------------------ geometry
    @functools.cached_property
    def directions(self) -> tuple[RieszCollocation, RieszCollocation]:
        """The 1D collocations ``(x, y)``."""
        return tuple(RieszCollocation(self.degree[i], self.n[i], self.alpha[i], self.box[i]) for i in range(2))

    @property
    def shape(self) -> tuple[int, int]:
        """``(N_x, N_y)``: unknowns per direction."""
        return (self.directions[0].size, self.directions[1].size)

    @property
    def size(self) -> int:
        """``N_x N_y``."""
        return self.shape[0] * self.shape[1]

    @property
    def h(self) -> tuple[float, float]:
        """Mesh sizes ``(h_x, h_y)``."""
        return (self.directions[0].h, self.directions[1].h)

    @property
    def points(self) -> tuple[np.ndarray, np.ndarray]:
        """Collocation points ``(x, y)``, shapes ``(N_x,)`` and ``(N_y,)`` (read-only)."""
        return (self.directions[0].points, self.directions[1].points)

    @property
    def weights(self) -> tuple[float, float]:
        """``(K_x h_x**(-alpha), K_y h_y**(-beta))``: ``A2 = w_x hat A_x kron B_y + w_y B_x kron hat A_y``."""
        return tuple(self.coefficients[i] * self.h[i] ** (-self.alpha[i]) for i in range(2))

    @property
    def scale(self) -> float:
        """``max(weights)``: the scaled matrix ``A2 / scale`` has bounded entries."""
        return max(self.weights)

    @property
    def symbol_weights(self) -> tuple[float, float]:
        """``weights / scale``: the weights of :func:`~specnum.riesz.riesz_symbol_2d` for ``A2 / scale``."""
        return tuple(w / self.scale for w in self.weights)

    def knots(self) -> tuple[np.ndarray, np.ndarray]:
        """The open uniform knot vectors ``(t_x, t_y)``."""
        return (self.directions[0].basis.knots, self.directions[1].basis.knots)

    def pencil(self, mass: float = 0.0, factor: float = 1.0) -> KroneckerPencil:
        """``mass * B_x kron B_y + factor * A2 / scale`` as a :class:`~specnum.riesz.kron.KroneckerPencil`."""
        wx, wy = self.symbol_weights
        return KroneckerPencil(self.degree, self.n, self.alpha, (mass, factor * wx, factor * wy))

    # ------------------------------------------------------------------ matrices
    def matrix(self) -> np.ndarray:
        """Dense ``A2``, shape ``(N, N)`` with ``N = N_x N_y`` (for small sizes and tests)."""
        return self.pencil().dense() * self.scale

    def operator(self) -> LinearOperator:
        """``LinearOperator`` applying ``A2`` in ``O(N log N)`` to vectors of length ``N_x N_y``.

        The vector is the coefficient array of shape ``(N_x, N_y)`` flattened in C order. The
        products with ``A_x`` and ``A_y`` are batched FFT Toeplitz products plus the boundary
        blocks; a direction with at most 512 unknowns uses one product with its dense 1D matrix
        instead (faster at these sizes). ``A2`` itself is never formed.
        """
        size = self.size
        check_budget(f"n = {self.n}", memory=12 * 8.0 * size)
        pencil = self.pencil()
        shape, scale = self.shape, self.scale

        def mv(v: np.ndarray) -> np.ndarray:
            return scale * pencil.matvec(np.asarray(v, dtype=np.float64).reshape(shape)).ravel()

        return LinearOperator((size, size), matvec=mv, rmatvec=None, dtype=np.float64)

    def source_values(self, source: Callable | np.ndarray, name: str = "source") -> np.ndarray:
        """Values of ``source`` on the collocation grid, shape ``(N_x, N_y)`` (validated).

        ``source`` is called once as ``source(X, Y)`` with the ``(N_x, N_y)`` arrays of
        :func:`numpy.meshgrid` (``indexing="ij"``), or given as those values.
        """
        xx, yy = np.meshgrid(*self.points, indexing="ij")
        return grid_values(source, name, self.shape, (xx, yy))

    def solution(self, coefficients: np.ndarray, iterations: int = 0, residual: float = 0.0,
                 method: str = "direct") -> RieszSolution2D:
        """Wrap a coefficient array of shape ``(N_x, N_y)`` as a :class:`RieszSolution2D`."""
        return RieszSolution2D(coefficients, self.knots(), self.degree, iterations, residual, method)

    # ------------------------------------------------------------------ solve
    def solve(
        self,
        source: Callable | np.ndarray,
        *,
        method: str = "auto",
        preconditioner: str | None = "tau",
        rtol: float = 1e-10,
        restart: int = 30,
        maxiter: int | None = None,
        workers: int | None = None,
    ) -> RieszSolution2D:
        """Solve ``A2 c = f`` and return the tensor-product spline solution.

        Parameters
        ----------
        source : callable or array_like, shape (N_x, N_y)
            ``f(X, Y)``, called once with the ``(N_x, N_y)`` grids of collocation points,
            or its values there.
        method : {"auto", "direct", "gmres"}
            Keyword only (as all options). ``"direct"``: dense LU of ``A2`` (``O(N^3)``, reference);
            ``"gmres"``: matrix-free GMRES; ``"auto"``: direct up to 256 unknowns, GMRES above.
        preconditioner : {"tau", "tau-plain", "diagonalization", None}
            ``"tau"``: two tau sweeps, each exact in the boundary blocks of one direction
            (:mod:`specnum.riesz.kron`, ``O(N log N)`` per iteration); ``"tau-plain"``: the
            DST-diagonal tau approximation of ``A2``; ``"diagonalization"``: the exact inverse by
            fast diagonalization (dense ``O(N_x^3 + N_y^3)`` setup, ``O(N (N_x + N_y))`` per
            application, ``N_x, N_y <= 2048``); ``None``.
        rtol : float
            Relative residual target in ``(0, 1)``; raised, with a ``SpecnumWarning``, to the
            float64 rounding floor of the system when below it.
        restart : int
            GMRES restart length. GMRES stores ``restart + 1`` vectors of length ``N``.
        maxiter : int, optional
            Maximum number of restarts.
        workers : int, optional
            Threads for :mod:`scipy.fft` inside the solve (default: scipy's, one).

        Returns
        -------
        RieszSolution2D

        Raises
        ------
        ValueError, TypeError
            Bad options, a source of the wrong shape or with non-finite values, sizes above the budget.
        ConvergenceError
            If GMRES misses ``rtol``.

        Notes
        -----
        The system is solved in the scaled form ``(A2 / scale) c = f / scale``; GMRES starts
        from ``P^{-1} b``. BLAS runs single-threaded inside (threadpoolctl): the BLAS calls of
        the iteration are thin, and threaded BLAS on a busy machine slows them down many times.
        """
        method = as_choice(method, "method", ("auto", "direct", "gmres"))
        preconditioner = as_choice(preconditioner, "preconditioner", PRECONDITIONERS_2D)
        rtol = as_rtol(rtol)
        restart = as_int(restart, "restart", minimum=1)
        if maxiter is not None:
            maxiter = as_int(maxiter, "maxiter", minimum=1)
        if workers is not None:
            workers = as_int(workers, "workers", minimum=1)
        size = self.size
        if method == "auto":
            method = "direct" if size <= _AUTO_DIRECT_MAX else "gmres"
        if method == "direct":
            check_budget(f"n = {self.n} with method='direct'", memory=3 * 8.0 * size * size,
                         work=size**3)
        else:
            check_budget(f"n = {self.n}", memory=8.0 * size * (min(restart, size) + 24),
                         work=2000.0 * size * (np.log2(size) + 10))
        rhs = self.source_values(source)
        pencil = self.pencil()
        # solve (A2 / scale) y = b with b = f / 2^e of order one (norms and thresholds independent of the
        # magnitude of the data), then c = y 2^e / scale
        peak = binary_scale(rhs)
        if peak == 0.0:
            return self.solution(np.zeros(self.shape), 0, 0.0, "direct" if method == "direct" else "gmres")
        b = rhs / peak
        factor = peak / self.scale
        fft_workers = sfft.set_workers(workers) if workers is not None else contextlib.nullcontext()
        with threadpool_limits(limits=1, user_api="blas"), fft_workers:
            if method == "direct":
                y = linalg.solve(pencil.dense(), b.ravel(), check_finite=False).reshape(self.shape)
                res = float(np.linalg.norm(b - pencil.matvec(y))) / float(np.linalg.norm(b))
                return self.solution(self._unscale(y, factor, peak), 0, res, "direct")
            prec = pencil.preconditioner(preconditioner)
            x0 = prec.matvec(b.ravel()) if prec is not None else np.zeros(size)
            floor = np.finfo(float).eps * pencil.norm_bound() * float(np.linalg.norm(x0)) / float(np.linalg.norm(b))
            y, its, res = gmres_solve(pencil.operator(), b.ravel(), prec, rtol, restart=restart,
                                      maxiter=maxiter, floor=floor, x0=x0)
        return self.solution(self._unscale(y.reshape(self.shape), factor, peak), its, res, "gmres")

    @staticmethod
    def _unscale(y: np.ndarray, factor: float, peak: float) -> np.ndarray:
        coef = y * factor
        if not np.all(np.isfinite(coef)):
            raise ValueError(f"source is too large: the solution overflows float64 (source values up to {peak:.3g})")
        return coef

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
        """Integrate ``u_t + K_x L_alpha u + K_y L_beta u = f(t, x, y)``, ``u(0) = u0``, by the theta-method.

        Each step solves ``(B + theta dt A2) c^{k+1} = (B - (1-theta) dt A2) c^k + dt f^{k+theta}``
        (``B = B_x kron B_y``, ``f^{k+theta} = theta f(t_{k+1}) + (1-theta) f(t_k)``) by GMRES
        started from ``c^k`` plus the preconditioned update: ``preconditioner="auto"`` uses the
        exact fast diagonalization up to 512 unknowns per direction and the tau preconditioner
        (``O(N log N)`` per iteration, iterations bounded in ``n`` and ``dt``) above.
        Parameters as in :func:`specnum.riesz.timestepping.evolve_2d`: ``u0(X, Y)`` or its
        values on the ``(N_x, N_y)`` collocation grid, ``source(t, X, Y)`` or ``None``,
        ``theta`` in ``[1/2, 1]``, ``steps >= 1``; keyword options ``rtol``, ``preconditioner``,
        ``progress`` (a tqdm bar; ``None`` shows it for long runs), ``save_every``, ``restart``,
        ``workers``.

        Returns
        -------
        Evolution
            ``times``, ``coefficients`` of shape ``(k, N_x, N_y)``, per-step ``iterations``,
            and the states as callables (``solutions``).
        """
        from specnum.riesz.timestepping import evolve_2d

        return evolve_2d(self, u0, t_final, steps, source, theta, rtol=rtol, preconditioner=preconditioner,
                         progress=progress, save_every=save_every, restart=restart, workers=workers)
