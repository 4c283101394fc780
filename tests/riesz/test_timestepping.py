"""The theta-method: time orders, exact discrete eigen-decay, per-step iterations, bad input."""

import numpy as np
import pytest
from scipy import linalg

from specnum.riesz import Evolution, RieszCollocation, RieszCollocation2D, RieszSolution, RieszSolution2D
from specnum.riesz.manufactured import test_problem
from specnum.riesz.timestepping import evolve_1d, evolve_2d
from specnum.riesz.values import value_matrix
from specnum.testing import assert_convergence_order

T_FINAL = 0.25
STEPS = [10, 20, 40]


def amplitude(t):
    return np.cos(2.0 * t) + 0.5 * np.sin(3.0 * t)


def amplitude_dt(t):
    return -2.0 * np.sin(2.0 * t) + 1.5 * np.cos(3.0 * t)


@pytest.mark.parametrize("theta, order", [(0.5, 2.0), (1.0, 1.0)])
def test_time_order_1d(theta, order):
    # u = a(t) x(1-x): x(1-x) lies in the spline space, so only the time error remains
    g = test_problem("T0", 1.5)
    col = RieszCollocation(3, 16, 1.5)

    def source(t, x):
        return amplitude_dt(t) * g.exact(x) + amplitude(t) * g.source(x)

    xs = np.linspace(0.0, 1.0, 101)
    errs = []
    for steps in STEPS:
        ev = col.evolve(g.exact, T_FINAL, steps, source, theta, rtol=1e-13)
        errs.append(np.max(np.abs(ev.solutions[-1](xs) - amplitude(T_FINAL) * g.exact(xs))))
    assert_convergence_order(STEPS, errs, order, tol=0.1)


@pytest.mark.filterwarnings("ignore::specnum.errors.SpecnumWarning")
@pytest.mark.parametrize("theta, order", [(0.5, 2.0), (1.0, 1.0)])
def test_time_order_2d(theta, order):
    gx, gy = test_problem("T0", 1.4), test_problem("T0", 1.7)
    col = RieszCollocation2D((2, 3), (12, 10), (1.4, 1.7), coefficients=(1.0, 2.0))

    def source(t, x, y):
        space = gx.source(x) * gy.exact(y) + 2.0 * gx.exact(x) * gy.source(y)
        return amplitude_dt(t) * gx.exact(x) * gy.exact(y) + amplitude(t) * space

    x, y = np.meshgrid(np.linspace(0, 1, 21), np.linspace(0, 1, 23), indexing="ij")
    errs = []
    for steps in STEPS:
        ev = col.evolve(lambda x, y: gx.exact(x) * gy.exact(y), T_FINAL, steps, source, theta, rtol=1e-13)
        errs.append(np.max(np.abs(ev.solutions[-1](x, y) - amplitude(T_FINAL) * gx.exact(x) * gy.exact(y))))
    assert_convergence_order(STEPS, errs, order, tol=0.1)


def _smallest_real_eigenpair(a, b):
    mu, vecs = linalg.eig(a, b)
    real = np.abs(mu.imag) < 1e-10 * np.abs(mu)
    k = np.flatnonzero(real)[np.argmin(mu.real[real])]
    v = vecs[:, k].real
    return float(mu[k].real), v / np.max(np.abs(v))


@pytest.mark.parametrize("theta", [0.5, 0.75, 1.0])
def test_exact_discrete_eigen_decay_1d(theta):
    # f = 0, A v = mu B v: c^k = g^k v with g = (1 - (1-theta) dt mu) / (1 + theta dt mu)
    col = RieszCollocation(4, 14, 1.3, interval=(-1.0, 1.0))
    b = value_matrix(4, 14).toarray()
    mu, v = _smallest_real_eigenpair(col.matrix(), b)
    steps, t_final = 6, 0.3
    dt = t_final / steps
    g = (1 - (1 - theta) * dt * mu) / (1 + theta * dt * mu)
    ev = col.evolve(b @ v, t_final, steps, theta=theta, rtol=1e-14)
    want = np.array([g**k * v for k in range(steps + 1)])
    np.testing.assert_allclose(ev.coefficients, want, rtol=0, atol=1e-12)
    np.testing.assert_allclose(ev.times, dt * np.arange(steps + 1), rtol=1e-15)


@pytest.mark.filterwarnings("ignore::specnum.errors.SpecnumWarning")
@pytest.mark.parametrize("theta", [0.5, 1.0])
def test_exact_discrete_eigen_decay_2d(theta):
    # separable eigenvector v_x kron v_y with mu = K_x mu_x + K_y mu_y
    col = RieszCollocation2D((3, 2), (9, 11), (1.6, 1.2), box=((0.0, 2.0), (0.0, 1.0)), coefficients=(0.5, 3.0))
    cx, cy = col.directions
    bx, by = value_matrix(3, 9).toarray(), value_matrix(2, 11).toarray()
    mux, vx = _smallest_real_eigenpair(cx.matrix(), bx)
    muy, vy = _smallest_real_eigenpair(cy.matrix(), by)
    mu = 0.5 * mux + 3.0 * muy
    v = np.outer(vx, vy)
    steps, t_final = 5, 0.1
    dt = t_final / steps
    g = (1 - (1 - theta) * dt * mu) / (1 + theta * dt * mu)
    ev = col.evolve(bx @ v @ by.T, t_final, steps, theta=theta, rtol=1e-14)
    want = np.array([g**k * v for k in range(steps + 1)])
    np.testing.assert_allclose(ev.coefficients, want, rtol=0, atol=1e-12)


@pytest.mark.parametrize("p", [2, 4])
def test_per_step_iterations_bounded_in_n_and_dt(p):
    u0 = lambda x, y: np.sin(np.pi * x) * np.sin(np.pi * y) * np.exp(x)  # noqa: E731
    counts = []
    for n in (16, 64):
        for dt in (1e-4, 1e-2, 1e-1):
            col = RieszCollocation2D(p, n, (1.5, 1.8), coefficients=(1.0, 100.0))
            ev = col.evolve(u0, 3 * dt, 3, lambda t, x, y: np.ones_like(x), progress=False, preconditioner="tau")
            counts.append(int(ev.iterations.max()))
    assert max(counts) <= 18, counts


@pytest.mark.parametrize("p, alpha", [(2, 1.2), (4, 1.8)])
def test_per_step_iterations_1d_do_not_grow_with_n(p, alpha):
    # tau with the boundary-graded coarse correction, Crank-Nicolson, rtol 1e-10: at most 3 GMRES iterations
    # per step for N = 256 and 4096 and dt = 1e-3, 1e-1, and no growth from 256 to 4096 unknowns (the
    # one-level tau preconditioner alone needs 5 and 7-8 at dt = 1e-1, growing to 9-11 at N = 65536)
    counts = {}
    for big_n in (256, 4096):
        col = RieszCollocation(p, big_n - p + 2, alpha)
        for dt in (1e-3, 1e-1):
            ev = col.evolve(lambda x: np.sin(np.pi * x), 3 * dt, 3, lambda t, x: np.ones_like(x), progress=False,
                            preconditioner="tau")
            counts[big_n, dt] = int(ev.iterations.max())
    assert max(counts.values()) <= 3, counts
    for dt in (1e-3, 1e-1):
        assert counts[4096, dt] <= counts[256, dt] + 1, counts


@pytest.mark.parametrize("theta", [0.5, 1.0])
def test_preconditioners_give_the_same_steps(theta):
    # the exact diagonalization needs no GMRES iteration; tau needs a few; both solve the same steps
    col = RieszCollocation2D((3, 2), (20, 16), (1.5, 1.8), coefficients=(1.0, 100.0))
    u0 = lambda x, y: np.sin(np.pi * x) * y * (1 - y)  # noqa: E731
    src = lambda t, x, y: np.cos(t) + x * y  # noqa: E731
    runs = {p: col.evolve(u0, 0.05, 4, src, theta, preconditioner=p, rtol=1e-12)
            for p in ("diagonalization", "tau", "tau-plain", None)}
    assert runs["diagonalization"].iterations.max() == 0 and runs["tau"].iterations.min() > 0
    ref = runs["diagonalization"].coefficients
    for ev in runs.values():
        np.testing.assert_allclose(ev.coefficients, ref, rtol=0, atol=1e-9 * np.abs(ref).max())
    one = RieszCollocation(3, 40, 1.5)
    a = one.evolve(lambda x: x * (1 - x), 0.05, 4, theta=theta, preconditioner="diagonalization", rtol=1e-12)
    b = one.evolve(lambda x: x * (1 - x), 0.05, 4, theta=theta, rtol=1e-12)
    np.testing.assert_allclose(a.coefficients, b.coefficients, rtol=0, atol=1e-10)


def test_evolution_container_saving_and_solutions():
    col = RieszCollocation(2, 32, 1.5)
    ev = col.evolve(lambda x: np.sin(np.pi * x), 0.1, 7, save_every=3, progress=False)
    assert isinstance(ev, Evolution)
    assert ev.steps.tolist() == [0, 3, 6, 7] and ev.coefficients.shape == (4, 32)
    np.testing.assert_allclose(ev.times, [0.0, 0.3 / 7, 0.6 / 7, 0.1], rtol=1e-14)
    assert ev.iterations.shape == (7,) and np.all(ev.iterations > 0) and np.all(ev.residuals <= 1e-10)
    assert not ev.coefficients.flags.writeable
    sols = ev.solutions
    assert len(sols) == 4 and all(isinstance(s, RieszSolution) for s in sols)
    assert sols[-1].iterations == ev.iterations[-1] and sols[0].iterations == 0
    # u0 is interpolated exactly at the collocation points
    np.testing.assert_allclose(sols[0](col.points), np.sin(np.pi * col.points), atol=1e-14)
    # heat-like decay of a positive bump
    assert sols[-1](0.5) < sols[0](0.5)
    ev2 = RieszCollocation2D(2, 8, 1.5).evolve(np.ones((8, 8)), 0.01, 2, progress=True)
    assert isinstance(ev2.solution(-1), RieszSolution2D) and ev2.coefficients.shape == (3, 8, 8)


def test_functions_and_methods_agree():
    col = RieszCollocation2D(3, (8, 9), (1.4, 1.6))
    u0 = np.random.default_rng(1).standard_normal(col.shape)
    a = col.evolve(u0, 0.05, 3, lambda t, x, y: t + x * y, 0.6)
    b = evolve_2d(col, u0, 0.05, 3, lambda t, x, y: t + x * y, 0.6)
    np.testing.assert_array_equal(a.coefficients, b.coefficients)
    c1 = RieszCollocation(3, 9, 1.4)
    np.testing.assert_array_equal(c1.evolve(np.ones(10), 0.1, 2).coefficients,
                                  evolve_1d(c1, np.ones(10), 0.1, 2).coefficients)


@pytest.mark.parametrize(
    "args, kwargs, match",
    [
        ((np.ones(10), 0.1, 4), {"theta": 0.4}, "theta"),
        ((np.ones(10), 0.1, 4), {"theta": 1.01}, "theta"),
        ((np.ones(10), 0.1, 0), {}, "steps"),
        ((np.ones(10), 0.1, 2.5), {}, "steps"),
        ((np.ones(10), 0.0, 4), {}, "t_final"),
        ((np.ones(10), np.nan, 4), {}, "t_final"),
        ((np.ones(9), 0.1, 4), {}, "u0"),
        ((lambda x: np.full(x.shape, np.nan), 0.1, 4), {}, "u0"),
        ((np.ones(10), 0.1, 4), {"source": lambda t, x: np.ones(3)}, "source"),
        ((np.ones(10), 0.1, 4), {"source": lambda t, x: np.where(t > 0.05, np.inf, 0 * x)}, "source"),
        ((np.ones(10), 0.1, 4), {"source": np.ones(10)}, "source"),
        ((np.ones(10), 0.1, 4), {"rtol": 0.0}, "rtol"),
        ((np.ones(10), 0.1, 4), {"save_every": 0}, "save_every"),
        ((np.ones(10), 0.1, 4), {"preconditioner": "ilu"}, "preconditioner"),
        ((np.ones(10), 0.1, 4), {"progress": "yes"}, "progress"),
    ],
)
def test_bad_evolve_input_1d(args, kwargs, match):
    col = RieszCollocation(3, 9, 1.5)  # N = 10
    with pytest.raises((ValueError, TypeError), match=match):
        col.evolve(*args, **kwargs)


@pytest.mark.parametrize(
    "args, kwargs, match",
    [
        ((np.ones((9, 8)), 0.1, 4), {"theta": 0.0}, "theta"),
        ((np.ones((9, 8)), 0.1, -1), {}, "steps"),
        ((np.ones((8, 9)), 0.1, 4), {}, "u0"),
        ((lambda x, y: x, 0.1, 4), {"source": lambda t, x, y: np.ones(4)}, "source"),
        ((lambda x, y: x, 0.1, 4), {"source": lambda t, x, y: x / 0.0}, "source"),
    ],
)
def test_bad_evolve_input_2d(args, kwargs, match):
    col = RieszCollocation2D(3, (8, 7), 1.5)  # shape (9, 8)
    with pytest.raises((ValueError, TypeError), match=match):
        with np.errstate(divide="ignore", invalid="ignore"):
            col.evolve(*args, **kwargs)


def test_evolve_budget_refuses_hopeless_runs():
    col = RieszCollocation2D(2, 512, 1.5)
    with pytest.raises(ValueError, match="budget"):
        col.evolve(np.zeros(col.shape), 1.0, 10**7)


@pytest.mark.parametrize("magnitude", [1e160, 1e-170])
def test_scale_safe_evolve(magnitude):
    col = RieszCollocation2D(2, 10, (1.3, 1.6))
    u0 = np.random.default_rng(5).standard_normal(col.shape)
    src = lambda t, x, y: np.cos(t) * x * (1 - y)  # noqa: E731
    ref = col.evolve(u0, 0.1, 3, src, rtol=1e-12)
    big = col.evolve(magnitude * u0, 0.1, 3, lambda t, x, y: magnitude * src(t, x, y), rtol=1e-12)
    np.testing.assert_allclose(big.coefficients, magnitude * ref.coefficients, rtol=1e-11,
                               atol=1e-12 * magnitude * np.abs(ref.coefficients).max())
    one = RieszCollocation(3, 12, 1.5)
    r1 = one.evolve(lambda x: x * (1 - x), 0.1, 3)
    b1 = one.evolve(lambda x: magnitude * x * (1 - x), 0.1, 3)
    np.testing.assert_allclose(b1.coefficients, magnitude * r1.coefficients, rtol=1e-11,
                               atol=1e-12 * magnitude * np.abs(r1.coefficients).max())
