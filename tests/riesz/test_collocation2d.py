"""RieszCollocation2D: dense A2 against the Kronecker formula, the fast operator against A2, solvers, orders."""

import numpy as np
import pytest
import ref_riesz2d as ref2

from specnum.errors import ConvergenceError
from specnum.riesz import RieszCollocation2D, RieszSolution2D
from specnum.riesz.manufactured import test_problem
from specnum.testing import assert_convergence_order

EPS = np.finfo(float).eps
GRID = np.linspace(0.0, 1.0, 201)


def order_1d(p, alpha):
    return p + 2 - alpha if p % 2 == 0 else p + 1 - alpha


def separable_problem(name, alpha, beta, coefficients=(1.0, 1.0), box=((0.0, 1.0), (0.0, 1.0))):
    """u = g(x) h(y) with exact sources: f = K_x (L_alpha g) h + K_y g (L_beta h)."""
    gx, gy = test_problem(name, alpha, box[0]), test_problem(name, beta, box[1])
    kx, ky = coefficients

    def source_on(col):  # separable: evaluate the 1D factors once per direction
        x, y = col.points
        return kx * np.outer(gx.source(x), gy.exact(y)) + ky * np.outer(gx.exact(x), gy.source(y))

    return gx, gy, source_on


@pytest.mark.parametrize(
    "degree, n, alpha, box, coefficients",
    [
        ((3, 3), (6, 5), (1.5, 1.5), ((0.0, 1.0), (0.0, 1.0)), (1.0, 1.0)),
        ((2, 4), (5, 6), (1.2, 1.8), ((-1.0, 2.0), (0.5, 1.0)), (0.3, 7.0)),
        ((5, 2), (7, 4), (1.7, 1.3), ((0.0, 2.0), (0.0, 1.0)), (2.0, 1.0)),
    ],
)
def test_dense_matrix_equals_kronecker_formula_and_fast_operator(degree, n, alpha, box, coefficients):
    col = RieszCollocation2D(degree, n, alpha, box=box, coefficients=coefficients)
    a2 = col.matrix()
    # the Kronecker formula with naive dense 1D factors (every basis function at every point, exact B)
    hx = (box[0][1] - box[0][0]) / n[0]
    hy = (box[1][1] - box[1][0]) / n[1]
    want = ref2.dense_a2_naive(degree, n, alpha, box, coefficients)
    assert hx > 0 and hy > 0
    np.testing.assert_allclose(a2, want, rtol=1e-12, atol=1e-13 * np.abs(want).max())
    op = col.operator()
    rng = np.random.default_rng(5)
    for _ in range(3):
        v = rng.standard_normal(col.size)
        ref_v = a2 @ v
        assert np.linalg.norm(op @ v - ref_v) <= 1e-12 * np.linalg.norm(ref_v)


def test_fast_operator_matches_dense_at_moderate_size():
    col = RieszCollocation2D((3, 4), (40, 33), (1.3, 1.9), coefficients=(1.0, 100.0))
    a2 = col.matrix()
    v = np.random.default_rng(0).standard_normal((col.size, 2))
    got = np.column_stack([col.operator() @ v[:, k] for k in range(2)])
    assert np.linalg.norm(got - a2 @ v) <= 1e-12 * np.linalg.norm(a2 @ v)


@pytest.mark.parametrize("n", [(520, 5), (6, 517)])
def test_fft_path_of_the_operator_matches_dense(n):
    # directions with more than GEMM_MAX unknowns use the FFT Toeplitz product, smaller ones the dense 1D matrix
    from specnum.riesz.tau_pencil import GEMM_MAX

    col = RieszCollocation2D((2, 3), n, (1.3, 1.7), coefficients=(2.0, 0.5))
    assert max(col.shape) > GEMM_MAX >= min(col.shape)
    a2 = col.matrix()
    v = np.random.default_rng(1).standard_normal(col.size)
    assert np.linalg.norm(col.operator() @ v - a2 @ v) <= 1e-12 * np.linalg.norm(a2 @ v)


@pytest.mark.parametrize("method", ["direct", "gmres"])
@pytest.mark.parametrize("degree, alpha", [((2, 3), (1.2, 1.8)), (4, (1.5, 1.5))])
def test_spline_space_solution_reproduced(method, degree, alpha):
    # x(1-x) y(1-y) lies in the tensor spline space (x^2(1-x)^2 y^2(1-y)^2 for p = 4): exact up to rounding
    name = "T1" if degree == 4 else "T0"
    gx, gy, source_on = separable_problem(name, alpha[0], alpha[1], coefficients=(2.0, 0.5))
    col = RieszCollocation2D(degree, (12, 14), alpha, coefficients=(2.0, 0.5))
    sol = col.solve(source_on(col), method=method, rtol=1e-13)
    err = np.max(np.abs(sol.grid(GRID, GRID) - np.outer(gx.exact(GRID), gy.exact(GRID))))
    assert err <= 1e-12
    assert sol.method == method and sol.residual <= 1e-12


@pytest.mark.parametrize("preconditioner", ["tau", "tau-plain", "diagonalization", None])
def test_gmres_matches_direct(preconditioner):
    gx, gy, source_on = separable_problem("T2", 1.5, 1.8)
    col = RieszCollocation2D(3, (24, 20), (1.5, 1.8))
    direct = col.solve(source_on(col), method="direct")
    it = col.solve(source_on(col), method="gmres", preconditioner=preconditioner, rtol=1e-11)
    assert it.method == "gmres" and it.residual <= 1e-11
    # the exact diagonalization solves from its starting guess P^-1 b
    assert (it.iterations == 0) if preconditioner == "diagonalization" else (it.iterations > 0)
    kappa = np.linalg.cond(col.matrix())
    rel = np.linalg.norm(it.coefficients - direct.coefficients) / np.linalg.norm(direct.coefficients)
    assert rel <= kappa * (1e-11 + 1e3 * EPS)


@pytest.mark.parametrize("p", [2, 4])
@pytest.mark.parametrize("alpha, coefficients", [((1.2, 1.8), (1.0, 100.0)), ((1.8, 1.5), (1.0, 1.0))])
def test_tau_iterations_bounded_independent_of_n(p, alpha, coefficients):
    counts = []
    for n in (16, 64, 192):
        col = RieszCollocation2D(p, n, alpha, coefficients=coefficients)
        b = col.operator() @ np.ones(col.size)
        counts.append(col.solve(b.reshape(col.shape), method="gmres", rtol=1e-10).iterations)
    assert max(counts) <= 14 and max(counts) - min(counts) <= 3, counts


def _errors(p, alpha, beta, ns, coefficients=(1.0, 1.0)):
    gx, gy, source_on = separable_problem("T2", alpha, beta, coefficients)
    exact = np.outer(gx.exact(GRID), gy.exact(GRID))
    errs = []
    for n in ns:
        col = RieszCollocation2D(p, n, (alpha, beta), coefficients=coefficients)
        errs.append(np.max(np.abs(col.solve(source_on(col), rtol=1e-12).grid(GRID, GRID) - exact)))
    return errs


def _orders_case(p, alpha, beta):
    ns = [16, 32, 64] if p <= 3 else [24, 48, 96]
    errs = _errors(p, alpha, beta, ns, coefficients=(1.0, 3.0))
    # the smaller 1D order governs
    assert_convergence_order(ns, errs, min(order_1d(p, alpha), order_1d(p, beta)), tol=0.15)


@pytest.mark.filterwarnings("ignore::specnum.errors.SpecnumWarning")  # rtol capped at the rounding floor
@pytest.mark.parametrize("p, alpha, beta", [(2, 1.2, 1.8), (3, 1.5, 1.5), (4, 1.8, 1.2)])
def test_convergence_order_manufactured(p, alpha, beta):
    _orders_case(p, alpha, beta)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::specnum.errors.SpecnumWarning")
@pytest.mark.parametrize("p", [2, 3, 4])
@pytest.mark.parametrize("alpha", [1.2, 1.5, 1.8])
@pytest.mark.parametrize("beta", [1.2, 1.5, 1.8])
def test_convergence_order_manufactured_full_grid(p, alpha, beta):
    _orders_case(p, alpha, beta)


def test_mixed_degrees_order():
    # p_x = 2 (order 4 - alpha), p_y = 3 (order 4 - beta): the smaller governs
    gx, gy, source_on = separable_problem("T2", 1.3, 1.6)
    exact = np.outer(gx.exact(GRID), gy.exact(GRID))
    ns = [16, 32, 64]
    errs = [np.max(np.abs(RieszCollocation2D((2, 3), n, (1.3, 1.6)).solve(
        source_on(RieszCollocation2D((2, 3), n, (1.3, 1.6))), rtol=1e-12).grid(GRID, GRID) - exact)) for n in ns]
    assert_convergence_order(ns, errs, min(order_1d(2, 1.3), order_1d(3, 1.6)), tol=0.15)


def test_solution_evaluation_box_and_shapes():
    box = ((-1.0, 2.0), (0.5, 1.5))
    gx, gy, source_on = separable_problem("T0", 1.5, 1.7, box=box)
    col = RieszCollocation2D(3, (10, 8), (1.5, 1.7), box=box)
    assert col.shape == (11, 9) and col.points[0].shape == (11,) and not col.points[1].flags.writeable
    sol = col.solve(lambda x, y: gx.source(x) * gy.exact(y) + gx.exact(x) * gy.source(y))
    assert isinstance(sol, RieszSolution2D) and sol.coefficients.shape == (11, 9)
    assert not sol.coefficients.flags.writeable
    x = np.linspace(-1.5, 2.5, 12).reshape(3, 4)
    y = np.linspace(0.0, 2.0, 4)
    u = sol(x, y)  # broadcast (3, 4) with (4,)
    assert u.shape == (3, 4)
    np.testing.assert_allclose(u, gx.exact(x) * gy.exact(y), atol=1e-12)
    xs, ys = np.linspace(-1.2, 2.2, 9), np.linspace(0.4, 1.6, 7)
    np.testing.assert_allclose(sol.grid(xs, ys), sol(xs[:, None], ys[None, :]), atol=1e-14)
    assert sol(-3.0, 1.0) == 0.0 and sol.grid([3.0], [1.0])[0, 0] == 0.0  # zero extension


@pytest.mark.parametrize("degree, n, alpha", [((2, 3), (13, 9), (1.2, 1.9)), (5, 12, 1.5)])
def test_diagonalization_is_the_exact_inverse(degree, n, alpha):
    from specnum.riesz.diagonalization import pencil_eigen

    col = RieszCollocation2D(degree, n, alpha, coefficients=(3.0, 0.5))
    for mass, factor in ((0.0, 1.0), (1.0, 0.01), (1.0, 30.0)):
        pencil = col.pencil(mass, factor)
        rhs = np.random.default_rng(2).standard_normal(col.shape)
        got = pencil.diagonalization_inverse()(rhs)
        want = np.linalg.solve(pencil.dense(), rhs.ravel()).reshape(col.shape)
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-11 * np.abs(want).max())
    e = pencil_eigen(col.degree[0], col.n[0], col.alpha[0])
    assert np.all(e.lam > 0) and np.linalg.cond(e.vecs) < 10  # well-conditioned eigenvectors


def test_diagonalization_refuses_huge_directions():
    col = RieszCollocation2D(2, (4000, 8), 1.5)
    with pytest.raises(ValueError, match="2048"):
        col.solve(np.ones(col.shape), preconditioner="diagonalization")


def test_gmres_convergence_error():
    col = RieszCollocation2D(3, 48, 1.8)
    with pytest.raises(ConvergenceError, match="rtol"):
        col.solve(np.ones(col.shape), method="gmres", preconditioner=None, rtol=1e-10, restart=2, maxiter=1)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"degree": (2, 3, 4)}, "degree"),
        ({"degree": "3"}, "degree"),
        ({"degree": (3, 1)}, r"degree\[1\]"),
        ({"n": (8,)}, "n"),
        ({"n": (8, 2)}, r"n\[1\]"),
        ({"n": 2}, "n"),
        ({"alpha": (1.5, 2.0)}, r"alpha\[1\]"),
        ({"alpha": (1.5, 1.5, 1.5)}, "alpha"),
        ({"coefficients": (1.0, 0.0)}, r"coefficients\[1\]"),
        ({"coefficients": (-1.0, 1.0)}, r"coefficients\[0\]"),
        ({"coefficients": (1.0, np.inf)}, r"coefficients\[1\]"),
        ({"box": ((0.0, 1.0),)}, "box"),
        ({"box": ((0.0, 1.0), (1.0, 0.0))}, r"box\[1\]"),
        ({"box": "unit"}, "box"),
    ],
)
def test_bad_constructor_input(kwargs, match):
    args = {"degree": 3, "n": 8, "alpha": 1.5, **kwargs}
    with pytest.raises((ValueError, TypeError), match=match):
        RieszCollocation2D(**args)


@pytest.mark.parametrize(
    "source, kwargs, exc, match",
    [
        (lambda x, y: np.ones(3), {}, ValueError, "source"),
        (lambda x, y: 1.0, {}, ValueError, "source"),
        (lambda x, y: np.ones(x.shape[::-1]), {}, ValueError, "source"),
        (lambda x, y: np.where(x > 0.5, np.nan, 1.0), {}, ValueError, "non-finite"),
        (np.ones((8, 9)), {}, ValueError, "source"),
        (np.full((9, 8), np.inf), {}, ValueError, "non-finite"),
        (lambda x, y: [["a"] * 8] * 9, {}, TypeError, "source"),
        (np.ones((9, 8)), {"method": "lu"}, ValueError, "method"),
        (np.ones((9, 8)), {"preconditioner": "ilu"}, ValueError, "preconditioner"),
        (np.ones((9, 8)), {"rtol": 0.0}, ValueError, "rtol"),
        (np.ones((9, 8)), {"rtol": 1.5}, ValueError, "rtol"),
        (np.ones((9, 8)), {"restart": 0}, ValueError, "restart"),
        (np.ones((9, 8)), {"workers": 0}, ValueError, "workers"),
    ],
)
def test_bad_solve_input(source, kwargs, exc, match):
    col = RieszCollocation2D(3, (8, 7), 1.5)  # shape (9, 8)
    with pytest.raises(exc, match=match):
        col.solve(source, **kwargs)


def test_size_budget_refuses_hopeless_dense_requests():
    import specnum

    col = RieszCollocation2D(3, 2000, 1.5)
    with pytest.raises(ValueError, match="budget"):
        col.matrix()
    with pytest.raises(ValueError, match="budget"):
        col.solve(np.zeros(col.shape), method="direct")
    with specnum.size_budget(memory=1e3):
        with pytest.raises(ValueError, match="budget"):
            col.solve(np.zeros(col.shape))


@pytest.mark.parametrize("magnitude", [1e160, 1e-170])
@pytest.mark.parametrize("method", ["direct", "gmres"])
def test_scale_safe_solve(magnitude, method):
    # the problem is linear: scaling the source scales the solution, nothing else changes
    col = RieszCollocation2D(3, (10, 12), (1.4, 1.7), coefficients=(1.0, 3.0))
    f = np.random.default_rng(4).standard_normal(col.shape)
    ref = col.solve(f, method=method, rtol=1e-12)
    big = col.solve(magnitude * f, method=method, rtol=1e-12)
    np.testing.assert_allclose(big.coefficients, magnitude * ref.coefficients, rtol=1e-12,
                               atol=1e-12 * magnitude * np.abs(ref.coefficients).max())
    assert big.iterations == ref.iterations
    assert np.all(col.solve(np.zeros(col.shape)).coefficients == 0.0)
    with pytest.raises(ValueError, match="too large"):
        RieszCollocation2D(3, 10, 1.5, box=((0.0, 1e100), (0.0, 1e100))).solve(np.full((11, 11), 1e300))
