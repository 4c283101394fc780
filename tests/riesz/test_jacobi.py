"""RieszJacobi: closed forms, a 30-digit mpmath series, the eigen-relation against the singular integral."""

import math

import mpmath as mp
import numpy as np
import pytest
from ref_riesz import hypersingular_mp, jacobi_all_mp, riesz_jacobi_series_mp

from specnum.errors import SpecnumWarning
from specnum.riesz import JacobiSolution, RieszJacobi, jacobi_eigenvalues
from specnum.riesz.jacobi import _vandermonde
from specnum.testing import pairwise_orders

EPS = np.finfo(float).eps
ONE = lambda x: np.ones_like(x)  # noqa: E731

SOURCES = {
    "exp": (np.exp, mp.exp),
    "cos3x": (lambda x: np.cos(3 * x), lambda x: mp.cos(3 * x)),
    "runge": (lambda x: 1 / (1 + x**2), lambda x: 1 / (1 + x * x)),
}


@pytest.mark.parametrize("alpha", [1.2, 1.5, 1.8])
@pytest.mark.parametrize("interval", [(0.0, 1.0), (-2.0, 3.0)])
def test_constant_source_closed_form(alpha, interval):
    # L u = 1 on (a, b): u = ((x - a)(b - x))^(alpha/2) / Gamma(alpha + 1)
    a, b = interval
    sol = RieszJacobi(alpha, interval=interval).solve(ONE)
    x = np.linspace(a - 0.5, b + 0.5, 2001)
    exact = np.clip((x - a) * (b - x), 0.0, None) ** (alpha / 2) / math.gamma(alpha + 1)
    assert sol.modes <= 4 and sol.resolved
    assert np.max(np.abs(sol(x) - exact)) <= 1e-14 * max(1.0, np.max(exact))
    assert sol.error_estimate <= 1e-14 * max(1.0, np.max(exact))
    assert sol(np.array([a, b, a - 1.0, b + 1.0])).tolist() == [0.0, 0.0, 0.0, 0.0]


@pytest.mark.parametrize("alpha", [1.2, 1.5, 1.8])
def test_smooth_sources_against_mpmath_series(alpha):
    # the series u = (1-t^2)^s sum f_k/lambda_k P_k at 30 digits (standard Jacobi normalisation,
    # 80-node Gauss-Jacobi rule polished in mpmath, 48 terms): agreement to 1e-13 with <= 48 modes
    x = np.linspace(0.0, 1.0, 17)
    for name, (f, fmp) in SOURCES.items():
        ref = np.array([float(v) for v in riesz_jacobi_series_mp(fmp, alpha, x, nodes=60, terms=48)])
        sol = RieszJacobi(alpha).solve(f)
        assert sol.modes <= 48 and sol.resolved, name
        assert np.max(np.abs(sol(x) - ref)) <= 1e-13, name
        assert sol.error_estimate <= 1e-13, name


def test_constant_source_reference_is_itself_right():
    # the mpmath twin reproduces the closed form (so that the comparison above means something)
    x = [0.1, 0.5, 0.77]
    ref = riesz_jacobi_series_mp(lambda t: mp.mpf(1), 1.5, x, nodes=20, terms=6)
    with mp.workdps(30):
        for xi, r in zip(x, ref):
            exact = (mp.mpf(xi) * (1 - mp.mpf(xi))) ** mp.mpf(0.75) / mp.gamma(mp.mpf(2.5))
            assert abs(r - exact) < mp.mpf(10) ** -28


@pytest.mark.parametrize("k", [0, 1, 2, 5])
def test_eigen_relation_against_singular_integral(k):
    # L[(1-t^2)^s P_k(t)] = (2/(b-a))^alpha lambda_k P_k(t) on (0, 1), t = 2x - 1: the left side is
    # the hypersingular integral C int (2u(x) - u(x+z) - u(x-z)) z^(-1-alpha) dz at 25 digits,
    # lambda_k = jacobi_eigenvalues (float64)
    alpha = 1.5
    s = mp.mpf(alpha) / 2
    x = mp.mpf("0.3")

    def u(y):
        return (1 - (2 * y - 1) ** 2) ** s * jacobi_all_mp(k, s, s, 2 * y - 1)[k]

    lhs = hypersingular_mp(u, x, alpha, dps=25)
    rhs = 2**alpha * jacobi_eigenvalues(alpha, k + 1)[k] * float(jacobi_all_mp(k, s, s, 2 * x - 1)[k])
    assert float(lhs) == pytest.approx(rhs, rel=1e-14)


@pytest.mark.parametrize("alpha", [1.2, 1.8])
def test_orthonormal_polynomials(alpha):
    # p_k = P_k^(s,s) / sqrt(h_k), h_k = 2^(2s+1) Gamma(k+s+1)^2 / ((2k+2s+1) k! Gamma(k+2s+1))
    s = mp.mpf(alpha) / 2
    t = np.array([-0.97, -0.2, 0.55, 1.0])
    v = _vandermonde(t, alpha / 2, 30)
    with mp.workdps(30):
        for i, ti in enumerate(t):
            pk = jacobi_all_mp(29, s, s, mp.mpf(ti))
            for k in (0, 1, 7, 29):
                h = 2 ** (2 * s + 1) * mp.gamma(k + s + 1) ** 2 / ((2 * k + 2 * s + 1) * mp.factorial(k)
                                                                  * mp.gamma(k + 2 * s + 1))
                assert v[i, k] == pytest.approx(float(pk[k] / mp.sqrt(h)), rel=1e-13, abs=1e-14)


@pytest.mark.slow
@pytest.mark.parametrize("alpha", [1.2, 1.8])
@pytest.mark.parametrize("k", [0, 3, 8])
def test_eigen_relation_sweep(alpha, k):
    s = mp.mpf(alpha) / 2
    for x in (mp.mpf("0.05"), mp.mpf("0.62")):
        lhs = hypersingular_mp(lambda y: (1 - (2 * y - 1) ** 2) ** s * jacobi_all_mp(k, s, s, 2 * y - 1)[k], x,
                               alpha, dps=25)
        with mp.workdps(30):
            pk = jacobi_all_mp(k, s, s, 2 * x - 1)[k]
            rhs = 2 ** mp.mpf(alpha) * mp.gamma(mp.mpf(alpha) + k + 1) / mp.factorial(k) * pk
            assert abs(lhs - rhs) <= mp.mpf(10) ** -24 * max(1, abs(rhs))
        assert float(rhs) == pytest.approx(2**alpha * jacobi_eigenvalues(alpha, k + 1)[k] * float(pk), rel=1e-13)


def test_eigenvalues_accurate_for_large_k():
    lam = jacobi_eigenvalues(1.5, 4097)
    assert np.all(np.isfinite(lam)) and np.all(np.diff(lam) > 0)
    with mp.workdps(30):
        for k in (0, 1, 7, 60, 4096):
            exact = float(mp.gamma(mp.mpf(2.5) + k) / mp.factorial(k))
            assert lam[k] == pytest.approx(exact, rel=np.sqrt(k + 1) * 2 * EPS)


def test_reaction_discrete_solution_matches_mpmath_petrov_galerkin():
    # same number of modes, same equations, solved in mpmath at 30 digits with an independent rule
    alpha, m = 1.5, 12
    c = lambda x: 1 + x**2  # noqa: E731
    x = np.linspace(0.0, 1.0, 9)
    ref = riesz_jacobi_series_mp(mp.exp, alpha, x, reaction=lambda y: 1 + y * y, nodes=40, terms=m)
    with pytest.warns(SpecnumWarning, match="not resolved with 12 modes"):  # fixed m on purpose
        sol = RieszJacobi(alpha, m).solve(np.exp, reaction=c)
    np.testing.assert_allclose(sol(x), [float(v) for v in ref], rtol=0, atol=1e-14)


@pytest.mark.filterwarnings("ignore::specnum.errors.SpecnumWarning")  # small n: rightly reported unresolved
@pytest.mark.parametrize("alpha", [1.2, 1.5, 1.8])
def test_reaction_manufactured_solution(alpha):
    # u = (x(1-x))^s (1 + x): L u = 3/2 Gamma(alpha+1) + Gamma(alpha+2)(x - 1/2) (eigen-relation with
    # P_0 and P_1 = (s+1) t), f = L u + c u. The weighted Jacobi space contains u, but c u is not
    # smooth, so convergence is algebraic: measured max-error orders approach 2 alpha + 2.
    s = alpha / 2
    c = lambda x: 1 + x**2  # noqa: E731

    def u(x):
        return np.clip(x * (1 - x), 0, None) ** s * (1 + x)

    def f(x):
        return 1.5 * math.gamma(alpha + 1) + math.gamma(alpha + 2) * (x - 0.5) + c(x) * u(x)

    x = np.linspace(0.0, 1.0, 2001)
    ns = [32, 64, 128, 256]
    errs = [np.max(np.abs(RieszJacobi(alpha, n).solve(f, reaction=c)(x) - u(x))) for n in ns]
    orders = pairwise_orders(ns, errs)
    assert errs[-1] <= 5e-10
    assert np.all(orders[-2:] >= 2 * alpha + 1), orders


def test_constant_reaction_shifts_the_spectrum():
    # with c = const and f = 1 the solution is between 0 and the c = 0 solution (maximum principle)
    x = np.linspace(0.0, 1.0, 101)
    u0 = RieszJacobi(1.5).solve(ONE)(x)
    with _no_warning():
        u1 = RieszJacobi(1.5, 128, rtol=1e-6).solve(ONE, reaction=5.0)(x)
    assert np.all(u1 <= u0 + 1e-9) and np.all(u1 >= -1e-9) and u1[50] < 0.8 * u0[50]
    # reaction 0 is no reaction
    assert np.array_equal(RieszJacobi(1.5).solve(ONE, reaction=0.0)(x), u0)


class _no_warning:
    def __enter__(self):
        import warnings

        self._cm = warnings.catch_warnings()
        self._cm.__enter__()
        warnings.simplefilter("error", SpecnumWarning)

    def __exit__(self, *exc):
        return self._cm.__exit__(*exc)


def test_unresolved_source_warns_with_estimate():
    with pytest.warns(SpecnumWarning, match=r"not resolved with 65 modes: estimated error"):
        sol = RieszJacobi(1.5, max_modes=65).solve(lambda x: np.abs(x - 0.3))
    assert not sol.resolved and sol.error_estimate > 1e-8
    with pytest.warns(SpecnumWarning, match="increase n"):
        sol = RieszJacobi(1.5, 4).solve(np.exp)
    assert not sol.resolved and 1e-8 < sol.error_estimate < 1e-2


def test_resolved_fixed_n_keeps_all_modes_without_warning():
    with _no_warning():
        sol = RieszJacobi(1.5, 40).solve(np.exp)
    assert sol.modes == 40 and sol.resolved and sol.error_estimate < 1e-14


@pytest.mark.parametrize("scale", [1e160, 1e-170])
def test_scaled_source_gives_scaled_solution(scale):
    x = np.linspace(0.0, 1.0, 33)
    ref = RieszJacobi(1.8).solve(np.exp)
    sol = RieszJacobi(1.8).solve(lambda y: scale * np.exp(y))
    assert sol.modes == ref.modes
    np.testing.assert_allclose(sol(x) / scale, ref(x), rtol=4 * EPS, atol=0)
    zero = RieszJacobi(1.8).solve(0.0)
    assert np.all(zero(x) == 0.0)


def test_symmetric_source_has_even_series_and_batched_evaluation():
    sol = RieszJacobi(1.5).solve(lambda x: np.cos(3 * (x - 0.5)))
    assert np.max(np.abs(sol.coefficients[1::2])) <= 1e-16 * np.max(np.abs(sol.coefficients))
    x = np.linspace(-0.2, 1.2, 12).reshape(3, 4)
    assert sol(x).shape == (3, 4)
    np.testing.assert_allclose(sol(x), sol(1.0 - x), atol=1e-16)


def test_points_and_solution_container():
    col = RieszJacobi(1.5, interval=(2.0, 4.0))
    p = col.points(5)
    assert p.shape == (5,) and np.all((p > 2.0) & (p < 4.0)) and np.allclose(p, 6.0 - p[::-1])
    coef = np.array([1.0, 0.5])
    sol = JacobiSolution(1.5, (0.0, 1.0), coef, 0.0, True)
    assert coef.flags.writeable and not sol.coefficients.flags.writeable and sol.modes == 2
