"""Solvers: exactness on the spline space, GMRES against LU, tau iteration counts, convergence orders."""

import numpy as np
import pytest

from specnum.errors import ConvergenceError, SpecnumWarning
from specnum.riesz import RieszCollocation, RieszSolution
from specnum.riesz.manufactured import test_problem
from specnum.testing import assert_convergence_order

EPS = np.finfo(float).eps
GRID = np.linspace(0.0, 1.0, 2001)


def expected_order(p, alpha):
    return p + 2 - alpha if p % 2 == 0 else p + 1 - alpha


@pytest.mark.parametrize("p", [2, 3, 4, 5])
@pytest.mark.parametrize("alpha", [1.2, 1.8])
@pytest.mark.parametrize("method", ["direct", "gmres"])
def test_spline_space_solution_reproduced(p, alpha, method):
    # x(1-x) lies in S_p for p >= 2 (and x^2(1-x)^2 for p >= 4): collocation is exact up to rounding
    name = "T1" if p >= 4 else "T0"
    prob = test_problem(name, alpha)
    sol = RieszCollocation(p, 24, alpha).solve(prob.source, method=method)
    err = np.max(np.abs(sol(GRID) - prob.exact(GRID)))
    # rounding amplified by kappa(A) ~ 1e3 at n = 24
    assert err <= 2e3 * 16 * EPS
    assert sol.residual <= 1e-12


@pytest.mark.parametrize("preconditioner", ["tau", "circulant", None])
def test_gmres_matches_direct(preconditioner):
    prob = test_problem("T2", 1.5)
    col = RieszCollocation(4, 80, 1.5)
    direct = col.solve(prob.source, method="direct")
    rtol = 1e-10
    it = col.solve(prob.source, method="gmres", preconditioner=preconditioner, rtol=rtol)
    assert it.residual <= rtol and it.iterations > 0 and it.method == "gmres"
    kappa = np.linalg.cond(col.matrix())
    # ||dc|| / ||c|| <= kappa * relative residual (plus rounding of the direct solve)
    rel = np.linalg.norm(it.coefficients - direct.coefficients) / np.linalg.norm(direct.coefficients)
    assert rel <= kappa * (rtol + 1e3 * EPS)


@pytest.mark.parametrize("p", [2, 5])
@pytest.mark.parametrize("alpha", [1.2, 1.8])
def test_tau_iterations_independent_of_n(p, alpha):
    prob = test_problem("T2", alpha)
    ns = (64, 512, 2048)
    # protocol of the notes (rhs = A 1, rtol 1e-10): flat counts, 5-10 iterations
    flat = []
    smooth = []
    for n in ns:
        col = RieszCollocation(p, n, alpha)
        flat.append(col.solve(col.operator() @ np.ones(col.size), method="gmres", rtol=1e-10).iterations)
        smooth.append(col.solve(prob.source, method="gmres", rtol=1e-9).iterations)
    assert max(flat) <= 10 and max(flat) - min(flat) <= 2, flat
    assert max(smooth) <= 15, smooth  # issue: at most about 15


@pytest.mark.parametrize("p", [2, 3, 4, 5])
@pytest.mark.parametrize("alpha", [1.2, 1.5, 1.8])
def test_convergence_order_smooth_solution(p, alpha):
    # T2 = x^2(1-x)^2 e^x: order p+2-alpha (even p), p+1-alpha (odd p) in the max norm
    prob = test_problem("T2", alpha)
    ns = [16, 32, 64] if p <= 3 else [32, 64, 128]
    errs = [np.max(np.abs(RieszCollocation(p, n, alpha).solve(prob.source)(GRID) - prob.exact(GRID)))
            for n in ns]
    assert_convergence_order(ns, errs, expected_order(p, alpha), tol=0.15)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::specnum.errors.SpecnumWarning")  # rtol capped at the rounding floor
@pytest.mark.parametrize("p", [2, 3, 4, 5])
@pytest.mark.parametrize("alpha", [1.2, 1.5, 1.8])
def test_convergence_order_sweep_gmres(p, alpha):
    prob = test_problem("T2", alpha)
    ns = [64, 128, 256, 512] if p <= 3 else [48, 96, 192]
    errs = []
    for n in ns:
        sol = RieszCollocation(p, n, alpha).solve(prob.source, method="gmres", rtol=1e-14)
        errs.append(np.max(np.abs(sol(GRID) - prob.exact(GRID))))
    assert_convergence_order(ns, errs, expected_order(p, alpha), tol=0.15)


def test_source_array_and_interval_and_evaluation():
    a, b = -1.0, 2.0
    prob = test_problem("T0", 1.5, interval=(a, b))
    col = RieszCollocation(3, 12, 1.5, interval=(a, b))
    sol = col.solve(prob.source(col.points))
    assert isinstance(sol, RieszSolution)
    x = np.linspace(a - 0.5, b + 0.5, 24).reshape(4, 6)
    u = sol(x)
    assert u.shape == (4, 6)
    np.testing.assert_allclose(u, prob.exact(x), atol=1e-12)
    assert sol(np.array([a - 1.0, b + 1.0])).tolist() == [0.0, 0.0]  # zero extension
    assert not sol.coefficients.flags.writeable


def test_gmres_convergence_error():
    col = RieszCollocation(3, 300, 1.8)
    with pytest.raises(ConvergenceError, match="rtol"):
        col.solve(np.ones(col.size), method="gmres", preconditioner=None, rtol=1e-8, restart=2, maxiter=1)


def test_rtol_below_rounding_floor_warns_and_still_converges():
    # kappa ~ n^alpha: at n = 2048 a relative residual of 1e-15 is out of reach in float64
    prob = test_problem("T2", 1.8)
    col = RieszCollocation(3, 2048, 1.8)
    with pytest.warns(SpecnumWarning, match="rounding floor"):
        sol = col.solve(prob.source, method="gmres", rtol=1e-15)
    assert sol.residual < 1e-9


@pytest.mark.parametrize(
    "source, kwargs, exc, match",
    [
        (lambda x: np.ones(3), {}, ValueError, "source"),
        (lambda x: np.ones((len(x), 2)), {}, ValueError, "source"),
        (lambda x: np.full(len(x), np.nan), {}, ValueError, "source"),
        (np.ones(5), {}, ValueError, "source"),
        (np.array([np.inf] + [1.0] * 10), {}, ValueError, "source"),
        (lambda x: ["a"] * len(x), {}, TypeError, "source"),
        (np.ones(11), {"method": "lu"}, ValueError, "method"),
        (np.ones(11), {"preconditioner": "ilu"}, ValueError, "preconditioner"),
        (np.ones(11), {"rtol": 0.0}, ValueError, "rtol"),
        (np.ones(11), {"rtol": -1e-3}, ValueError, "rtol"),
    ],
)
def test_bad_solve_input(source, kwargs, exc, match):
    col = RieszCollocation(3, 10, 1.5)  # N = 11
    with pytest.raises(exc, match=match):
        col.solve(source, **kwargs)


def test_solution_container_validates_and_does_not_freeze_caller_arrays():
    knots = np.r_[np.zeros(4), 0.5, np.ones(4)]  # degree 3, n = 2: N = 3 retained coefficients
    coef = np.array([0.1, 0.2, 0.1])
    sol = RieszSolution(coef, knots, 3, 0, 0.0, "direct")
    assert coef.flags.writeable and knots.flags.writeable  # the container froze its own copies
    assert not sol.coefficients.flags.writeable and not sol.knots.flags.writeable
    with pytest.raises(ValueError, match="knots must be non-decreasing"):
        RieszSolution(coef, knots[::-1], 3, 0, 0.0, "direct")
    with pytest.raises(ValueError, match="coefficients must have length"):
        RieszSolution(coef[:2], knots, 3, 0, 0.0, "direct")
    with pytest.raises(ValueError, match="method"):
        RieszSolution(coef, knots, 3, 0, 0.0, "lu")


@pytest.mark.parametrize("method", ["direct", "gmres"])
@pytest.mark.parametrize("scale", [1e160, 1e-170, 1e-300])
def test_scaled_source_gives_scaled_solution(method, scale):
    # L is linear: s -> scale * s must give scale * u. The solver works on s / 2^e (exact), so the
    # result equals the unscaled solve up to the rounding of scale * s itself.
    prob = test_problem("T2", 1.5)
    col = RieszCollocation(3, 300, 1.5)
    s = prob.source(col.points)
    ref = col.solve(s, method=method, rtol=1e-10)
    sol = col.solve(scale * s, method=method, rtol=1e-10)
    assert np.all(np.isfinite(sol.coefficients))
    np.testing.assert_allclose(sol.coefficients / scale, ref.coefficients, rtol=0, atol=8 * EPS * np.abs(
        ref.coefficients).max() * (1 if method == "direct" else 1e4))
    assert sol.residual <= (1e-12 if method == "direct" else 1e-10)


def test_zero_source_gives_zero_solution():
    col = RieszCollocation(3, 16, 1.5)
    for method in ("direct", "gmres"):
        sol = col.solve(np.zeros(col.size), method=method)
        assert not np.any(sol.coefficients) and sol.residual == 0.0


def test_huge_interval_and_tiny_interval_scale_consistently():
    # L on (0, l) scales like l^(-alpha): u_l(l y) = l^alpha u_1(y) for the same source values
    base = RieszCollocation(3, 32, 1.5).solve(np.ones(33))
    for length in (1e-150, 1e150):
        sol = RieszCollocation(3, 32, 1.5, (0.0, length)).solve(np.ones(33))
        np.testing.assert_allclose(sol.coefficients / length**1.5, base.coefficients, rtol=1e-13)
