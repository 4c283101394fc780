"""The theta-method for ``u_t + L u = f(t)`` in the collocation coefficients, in 1D and 2D.

Internal module: :mod:`specnum.riesz` re-exports ``Evolution``; the other names here serve the
pillar's own modules and may change.

With the value matrix ``B`` (point values of the splines) and the collocation matrix
``A`` (``A`` in 1D, ``A2 = K_x A_x kron B_y + K_y B_x kron A_y`` in 2D), the semi-discrete
problem ``B c' + A c = f`` is advanced by

.. math::

    (B + \\theta\\,\\Delta t\\,A)\\, c^{k+1} = (B - (1-\\theta)\\,\\Delta t\\,A)\\, c^k
      + \\Delta t\\,\\big(\\theta f^{k+1} + (1-\\theta) f^k\\big),
    \\qquad B c^0 = u_0,

``theta = 1/2`` (Crank-Nicolson, second order) to ``theta = 1`` (implicit Euler, first
order). Every step solves for the increment,
``(B + theta dt A)(c^{k+1} - c^k) = dt (f^{k+theta} - A c^k)``, by GMRES preconditioned by the
tau approximation of ``B + theta dt A`` (the same DSTs diagonalize the tau parts of ``B`` and
``A``; the default ``"tau"`` keeps the exact boundary blocks, see :mod:`specnum.riesz.kron`
and :mod:`specnum.riesz.tau_pencil`; in 1D it adds a coarse correction on hats graded towards
the ends, :mod:`specnum.riesz.coarse`, which keeps the iterations per step bounded in ``N``),
built once per run. The iteration starts from the
preconditioned right-hand side, i.e. from ``c^k`` plus its tau update; with the exact
``"diagonalization"`` preconditioner that start already solves the step.

For ``f = 0`` and a generalized eigenvector ``A v = mu B v`` the scheme gives exactly
``c^k = ((1 - (1-theta) dt mu) / (1 + theta dt mu))**k v``.
"""

from __future__ import annotations

import contextlib
import functools
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import fft as sfft
from scipy.sparse.linalg import LinearOperator, splu
from threadpoolctl import threadpool_limits

from specnum._validation import as_choice, as_float, as_float_array, as_int, as_rtol, check_budget, readonly
from specnum.errors import SpecnumWarning
from specnum.riesz._checks import source_values
from specnum.riesz.coarse import two_level
from specnum.riesz.collocation import RieszCollocation, RieszSolution
from specnum.riesz.collocation2d import RieszCollocation2D, RieszSolution2D, grid_values
from specnum.riesz.diagonalization import pencil_eigen
from specnum.riesz.kron import PRECONDITIONERS_2D
from specnum.riesz.solve import binary_scale, gmres_solve
from specnum.riesz.tau_pencil import boundary_tau, pencil_inverse
from specnum.riesz.values import value_matrix

__all__ = ["Evolution", "evolve_1d", "evolve_2d"]

_PROGRESS_WORK = 2e7  # progress=None shows the bar when steps * unknowns exceeds this
_AUTO_DIAGONALIZATION_MAX = 512  # "auto": diagonalization up to this many unknowns per direction (2D)
EVOLVE_PRECONDITIONERS = ("auto",) + PRECONDITIONERS_2D


@dataclass(frozen=True, eq=False)
class Evolution:
    """Saved states of a theta-method run (arrays read-only).

    Attributes
    ----------
    times : ndarray, shape (k,)
        Times of the saved states (``0``, every ``save_every``-th step, and ``t_final``).
    steps : ndarray of int, shape (k,)
        Step numbers of the saved states (``times = steps * dt``).
    coefficients : ndarray, shape (k, N) or (k, N_x, N_y)
        Spline coefficients of the saved states.
    iterations : ndarray of int, shape (steps,)
        GMRES iterations of every step.
    residuals : ndarray, shape (steps,)
        Final relative residuals of every step.
    theta, dt : float
        The scheme and the step.
    knots : ndarray or (ndarray, ndarray)
        Knot vector(s) of the spline space.
    degree : int or (int, int)
        Spline degree(s).
    """

    times: np.ndarray
    steps: np.ndarray
    coefficients: np.ndarray
    iterations: np.ndarray
    residuals: np.ndarray
    theta: float
    dt: float
    knots: np.ndarray | tuple[np.ndarray, np.ndarray]
    degree: int | tuple[int, int]

    def __post_init__(self) -> None:
        times = readonly(as_float_array(self.times, "times", ndim=1), copy=True)
        steps = np.asarray(self.steps)
        if steps.ndim != 1 or not np.issubdtype(steps.dtype, np.integer):
            raise TypeError(f"steps must be a 1-D integer array, got dtype {steps.dtype} and shape {steps.shape}")
        coef = as_float_array(self.coefficients, "coefficients")
        if coef.ndim not in (2, 3) or coef.shape[0] != times.shape[0] or steps.shape != times.shape:
            raise ValueError(f"coefficients must have shape (k, N) or (k, N_x, N_y) and steps shape (k,) with "
                             f"k = len(times) = {times.shape[0]}, got {coef.shape} and {steps.shape}")
        its = np.asarray(self.iterations)
        if its.ndim != 1 or not np.issubdtype(its.dtype, np.integer) or np.any(its < 0):
            raise TypeError("iterations must be a 1-D array of non-negative integers")
        res = as_float_array(self.residuals, "residuals", ndim=1)
        if res.shape != its.shape or np.any(res < 0) or np.any(steps < 0) or np.any(steps > its.shape[0]):
            raise ValueError(f"residuals must match iterations (shape {its.shape}) and be >= 0, and steps must lie "
                             f"in [0, {its.shape[0]}]")
        object.__setattr__(self, "times", times)
        object.__setattr__(self, "steps", readonly(np.array(steps, dtype=np.int64)))
        object.__setattr__(self, "coefficients", readonly(coef, copy=True))
        object.__setattr__(self, "iterations", readonly(np.array(its, dtype=np.int64)))
        object.__setattr__(self, "residuals", readonly(res, copy=True))
        object.__setattr__(self, "theta", as_float(self.theta, "theta", low=0.5, high=1.0))
        object.__setattr__(self, "dt", as_float(self.dt, "dt", low=0.0, low_open=True))

    def solution(self, index: int) -> RieszSolution | RieszSolution2D:
        """The saved state ``index`` (negative counts from the end) as a callable spline.

        Its ``iterations`` and ``residual`` are those of the step that produced it (0 for ``u0``).
        """
        k = as_int(index, "index", minimum=-len(self.times), maximum=len(self.times) - 1)
        step = int(self.steps[k])
        its, res = (int(self.iterations[step - 1]), float(self.residuals[step - 1])) if step else (0, 0.0)
        cls = RieszSolution if self.coefficients.ndim == 2 else RieszSolution2D
        return cls(self.coefficients[k], self.knots, self.degree, its, res, "gmres")

    @functools.cached_property
    def solutions(self) -> tuple:
        """All saved states as callables (:class:`RieszSolution` or :class:`RieszSolution2D`)."""
        return tuple(self.solution(k) for k in range(len(self.times)))


def _options(t_final, steps, theta, rtol, preconditioner, progress, save_every, restart, workers, choices):
    t_final = as_float(t_final, "t_final", low=0.0, low_open=True)
    steps = as_int(steps, "steps", minimum=1)
    theta = as_float(theta, "theta", low=0.5, high=1.0)
    rtol = as_rtol(rtol)
    preconditioner = as_choice(preconditioner, "preconditioner", choices)
    if progress is not None and not isinstance(progress, (bool, np.bool_)):
        raise TypeError(f"progress must be True, False or None, got {progress!r}")
    save_every = as_int(save_every, "save_every", minimum=1)
    restart = as_int(restart, "restart", minimum=1)
    if workers is not None:
        workers = as_int(workers, "workers", minimum=1)
    return t_final, steps, theta, rtol, preconditioner, progress, save_every, restart, workers


def _saved_steps(steps: int, save_every: int) -> list[int]:
    saved = list(range(0, steps + 1, save_every))
    if saved[-1] != steps:
        saved.append(steps)
    return saved


def _run(
    *,
    shape: tuple[int, ...],
    c0: np.ndarray,
    implicit: LinearOperator,
    stiffness: Callable[[np.ndarray], np.ndarray],
    precond: LinearOperator | None,
    exact: bool,
    norm_bound: float,
    forcing: Callable[[float], np.ndarray] | None,
    t_final: float,
    steps: int,
    theta: float,
    rtol: float,
    restart: int,
    save_every: int,
    progress: bool | None,
    workers: int | None,
):
    """The time loop on flattened vectors; returns (times, saved steps, states, iterations, residuals).

    Each step solves for the increment: ``M (c^{k+1} - c^k) = dt (f^{k+theta} - A c^k)`` with
    ``M = B + theta dt A`` (``implicit``) and ``A`` (``stiffness``), starting from ``P^{-1}`` of
    the right-hand side; with an ``exact`` ``P`` (diagonalization) the start is checked first and
    usually needs no GMRES iteration.
    """
    from tqdm.auto import tqdm

    size = int(np.prod(shape))
    dt = t_final / steps
    saved = _saved_steps(steps, save_every)
    states = np.empty((len(saved),) + shape)
    states[0] = c0.reshape(shape)
    iterations = np.zeros(steps, dtype=np.int64)
    residuals = np.zeros(steps)
    show = progress if progress is not None else steps * size > _PROGRESS_WORK
    c = c0.ravel().copy()
    f_old = forcing(0.0).ravel() if forcing is not None and theta < 1.0 else None
    eps = np.finfo(float).eps
    raised = False
    slot = 1
    fft_workers = sfft.set_workers(workers) if workers is not None else contextlib.nullcontext()
    with threadpool_limits(limits=1, user_api="blas"), fft_workers:
        for k in tqdm(range(steps), desc="evolve", disable=not show, leave=False):
            rhs = -dt * stiffness(c).ravel()
            if forcing is not None:
                f_new = forcing((k + 1) * dt).ravel()
                rhs += (theta * dt) * f_new
                if f_old is not None:
                    rhs += ((1.0 - theta) * dt) * f_old
                    f_old = f_new
            bn = float(np.linalg.norm(rhs))
            if bn == 0.0:
                delta, its, res = np.zeros(size), 0, 0.0
            else:
                x0 = precond.matvec(rhs) if precond is not None else np.zeros(size)
                floor = eps * norm_bound * float(np.linalg.norm(x0)) / bn
                if rtol < floor and not raised:
                    warnings.warn(f"rtol={rtol:g} is below the float64 rounding floor {floor:.2e} of the "
                                  f"time-step system; iterating to the floor instead", SpecnumWarning,
                                  stacklevel=4)  # the caller of RieszCollocation*.evolve
                    raised = True
                tol = max(rtol, floor)
                res = float(np.linalg.norm(rhs - implicit.matvec(x0))) / bn if exact else np.inf
                if res <= tol:
                    delta, its = x0, 0
                else:
                    delta, its, res = gmres_solve(implicit, rhs, precond, tol, restart=restart, x0=x0)
            c += delta
            iterations[k], residuals[k] = its, res
            if saved[slot] == k + 1:
                states[slot] = c.reshape(shape)
                slot += 1
    times = np.array(saved, dtype=np.float64) * dt
    times[-1] = t_final
    return times, np.array(saved), states, iterations, residuals


def _data_scale(u0_vals: np.ndarray, forcing: Callable[[float], np.ndarray] | None):
    """A power of two ``s`` for the data and the scaled forcing ``f / s``: the loop works on order-one
    numbers whatever the magnitude of ``u0`` and ``f`` (the problem is linear)."""
    peak = binary_scale(u0_vals)
    if forcing is not None:
        f0 = forcing(0.0)
        peak = max(peak, binary_scale(f0))
    scale = peak if peak > 0.0 else 1.0
    if forcing is None:
        return scale, None
    return scale, (lambda t: forcing(t) / scale)


def _unscale(states: np.ndarray, scale: float) -> np.ndarray:
    out = states * scale
    if not np.all(np.isfinite(out)):
        raise ValueError(f"u0 or source is too large: the solution overflows float64 (data up to {scale:.3g})")
    return out


def _check_budget(size: int, steps: int, save_every: int, restart: int) -> None:
    n_saved = len(range(0, steps + 1, save_every)) + 1
    # work: a few preconditioned products per step, each about 10 FFT passes of N log2 N
    check_budget(f"steps = {steps} with {size} unknowns", memory=8.0 * size * (n_saved + min(restart, size) + 24),
                 work=50.0 * steps * size * (np.log2(size) + 4))


def evolve_1d(
    collocation: RieszCollocation,
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
) -> Evolution:
    """Theta-method for ``u_t + L_alpha u = f(t, x)`` with zero Dirichlet data on an interval.

    Parameters
    ----------
    collocation : RieszCollocation
        The spatial discretization.
    u0 : callable or array_like, shape (N,)
        ``u0(x)`` (called with the collocation points) or its values there.
    t_final : float
        Final time, ``> 0``.
    steps : int
        Number of steps, ``>= 1`` (``dt = t_final / steps``).
    source : callable, optional
        ``f(t, x)`` returning shape ``(N,)`` at the collocation points; ``None`` for ``f = 0``.
    theta : float
        In ``[1/2, 1]``: ``1/2`` Crank-Nicolson, ``1`` implicit Euler.
    rtol : float
        Relative residual per step, measured on the increment system
        ``(B + theta dt A)(c^{k+1} - c^k) = dt (f^{k+theta} - A c^k)`` (keyword only).
    preconditioner : {"auto", "tau", "tau-plain", "diagonalization", None}
        ``"tau"``: tau approximation of ``B + theta dt A`` with the exact boundary blocks and a
        coarse correction on about ``4 log2 N`` hats graded towards the ends
        (:mod:`specnum.riesz.coarse`; 1-3 GMRES iterations per step for ``N`` up to 65536);
        ``"tau-plain"``: its DST-diagonal part only; ``"diagonalization"``: the exact inverse by
        fast diagonalization (dense setup, ``N <= 2048``; no GMRES iteration needed);
        ``"auto"``: ``"tau"`` in 1D.
    progress : bool, optional
        Show a tqdm bar; ``None`` shows it for long runs (``steps * N > 2e7``).
    save_every : int
        Keep every ``save_every``-th state (and the last).
    restart : int
        GMRES restart length.
    workers : int, optional
        Threads for :mod:`scipy.fft` (default: scipy's, one).

    Returns
    -------
    Evolution
        ``coefficients`` of shape ``(k, N)``.

    Raises
    ------
    ValueError, TypeError
        For ``theta`` outside ``[1/2, 1]``, ``steps < 1``, ``t_final <= 0``, values of the wrong
        shape or non-finite values, general (non-uniform) knots, naming the argument.
    ConvergenceError
        If a step's GMRES misses ``rtol``.
    """
    if not isinstance(collocation, RieszCollocation):
        raise TypeError(f"collocation must be a RieszCollocation, got {type(collocation).__name__}")
    if not collocation.uniform:
        raise ValueError("collocation must have open uniform knots for evolve (the time-step pencils use the "
                         "Toeplitz structure of A and B); got general knots")
    t_final, steps, theta, rtol, preconditioner, progress, save_every, restart, workers = _options(
        t_final, steps, theta, rtol, preconditioner, progress, save_every, restart, workers, EVOLVE_PRECONDITIONERS)
    if source is not None and not callable(source):
        raise TypeError(f"source must be a callable f(t, x) or None, got {type(source).__name__}")
    col = collocation
    size = col.size
    _check_budget(size, steps, save_every, restart)
    pts = np.array(col.points)
    u0_vals = source_values(u0, pts, "u0")
    b = value_matrix(col.degree, col.n)
    struct = col.structure()
    w_a = col.h ** (-col.alpha)
    dt = t_final / steps
    c0 = splu(b.tocsc()).solve(u0_vals)
    w_imp = theta * dt * w_a

    def implicit_mv(v: np.ndarray) -> np.ndarray:
        v = np.ravel(v)
        return b @ v + w_imp * struct.matvec(v)

    if preconditioner == "auto":
        preconditioner = "tau"
    precond = None
    if preconditioner == "diagonalization":
        eig = pencil_eigen(col.degree, col.n, col.alpha)
        precond = LinearOperator((size, size), matvec=lambda v: eig.solve(np.ravel(v), 1.0, w_imp),
                                 dtype=np.float64)
    elif preconditioner is not None:
        inv = pencil_inverse(boundary_tau(col.degree, col.n, col.alpha), [1.0], [w_imp],
                             boundary=preconditioner == "tau")
        apply = inv.solve
        if preconditioner == "tau":  # plus the coarse correction on the boundary-graded hats
            levels = two_level(lambda z: b @ z + w_imp * struct.matvec(z), inv.solve, size)
            apply = levels.solve if levels is not None else inv.solve
        precond = LinearOperator((size, size), matvec=lambda v: apply(np.ravel(v)), dtype=np.float64)
    a = struct.toeplitz
    a_bound = a[0] + 2.0 * np.abs(a[1:]).sum() + np.linalg.norm(struct.col_values) + np.linalg.norm(struct.row_values)
    forcing = None
    if source is not None:
        def forcing(t: float) -> np.ndarray:
            return source_values(lambda x: source(t, x), pts, "source")

    scale, forcing = _data_scale(u0_vals, forcing)
    times, saved, states, its, res = _run(
        shape=(size,), c0=c0 / scale, implicit=LinearOperator((size, size), matvec=implicit_mv, dtype=np.float64),
        stiffness=lambda c: w_a * struct.matvec(c), precond=precond,
        exact=preconditioner == "diagonalization", norm_bound=1.0 + w_imp * a_bound,
        forcing=forcing, t_final=t_final, steps=steps, theta=theta, rtol=rtol, restart=restart,
        save_every=save_every, progress=progress, workers=workers)
    return Evolution(times, saved, _unscale(states, scale), its, res, theta, dt,
                     col.basis.knots, col.degree)


def evolve_2d(
    collocation: RieszCollocation2D,
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
) -> Evolution:
    """Theta-method for ``u_t + K_x L_alpha u + K_y L_beta u = f(t, x, y)`` on a rectangle.

    Parameters
    ----------
    collocation : RieszCollocation2D
        The spatial discretization.
    u0 : callable or array_like, shape (N_x, N_y)
        ``u0(X, Y)`` (called with the ``(N_x, N_y)`` grids of collocation points) or its values there.
    t_final : float
        Final time, ``> 0``.
    steps : int
        Number of steps, ``>= 1``.
    source : callable, optional
        ``f(t, X, Y)`` returning shape ``(N_x, N_y)``; ``None`` for ``f = 0``.
    theta : float
        In ``[1/2, 1]``.
    preconditioner : {"auto", "tau", "tau-plain", "diagonalization", None}
        As in :func:`evolve_1d`; ``"auto"`` is ``"diagonalization"`` when both directions have at
        most 512 unknowns (one dense setup, then four matrix products per step; e.g. about 10x
        faster than ``"tau"`` per step at 256 x 256), ``"tau"`` above (``O(N log N)`` per iteration).
    rtol, progress, save_every, restart, workers
        As in :func:`evolve_1d` (keyword only).

    Returns
    -------
    Evolution
        ``coefficients`` of shape ``(k, N_x, N_y)``.

    Raises
    ------
    ValueError, TypeError
        As in :func:`evolve_1d`.
    ConvergenceError
        If a step's GMRES misses ``rtol``.

    Examples
    --------
    >>> import numpy as np
    >>> from specnum.riesz import RieszCollocation2D
    >>> col = RieszCollocation2D(2, 16, 1.5)
    >>> ev = col.evolve(lambda x, y: np.sin(np.pi * x) * np.sin(np.pi * y), 0.05, 10)
    >>> print(ev.coefficients.shape, bool(ev.solutions[-1](0.5, 0.5) < ev.solutions[0](0.5, 0.5)))
    (11, 16, 16) True
    """
    if not isinstance(collocation, RieszCollocation2D):
        raise TypeError(f"collocation must be a RieszCollocation2D, got {type(collocation).__name__}")
    t_final, steps, theta, rtol, preconditioner, progress, save_every, restart, workers = _options(
        t_final, steps, theta, rtol, preconditioner, progress, save_every, restart, workers, EVOLVE_PRECONDITIONERS)
    if source is not None and not callable(source):
        raise TypeError(f"source must be a callable f(t, x, y) or None, got {type(source).__name__}")
    col = collocation
    shape = col.shape
    _check_budget(col.size, steps, save_every, restart)
    xx, yy = np.meshgrid(*col.points, indexing="ij")
    u0_vals = grid_values(u0, "u0", shape, (xx, yy))
    dt = t_final / steps
    bx = value_matrix(col.degree[0], col.n[0]).tocsc()
    by = value_matrix(col.degree[1], col.n[1]).tocsc()
    c0 = splu(by).solve(np.ascontiguousarray(splu(bx).solve(u0_vals).T)).T
    implicit = col.pencil(1.0, theta * dt * col.scale)
    stiffness = col.pencil(0.0, col.scale)  # A2
    if preconditioner == "auto":
        preconditioner = "diagonalization" if max(shape) <= _AUTO_DIAGONALIZATION_MAX else "tau"
    precond = implicit.preconditioner(preconditioner)
    forcing = None
    if source is not None:
        def forcing(t: float) -> np.ndarray:
            return grid_values(source, "source", shape, (t, xx, yy))

    scale, forcing = _data_scale(u0_vals, forcing)
    times, saved, states, its, res = _run(
        shape=shape, c0=c0 / scale, implicit=implicit.operator(),
        stiffness=lambda c: stiffness.matvec(c.reshape(shape)), precond=precond,
        exact=preconditioner == "diagonalization",
        norm_bound=implicit.norm_bound(), forcing=forcing, t_final=t_final, steps=steps, theta=theta, rtol=rtol,
        restart=restart, save_every=save_every, progress=progress, workers=workers)
    return Evolution(times, saved, _unscale(states, scale), its, res, theta, dt,
                     col.knots(), col.degree)
