"""Tests of specnum.bases.quadrature against mpmath references and exact integrals."""

from __future__ import annotations

import math
import sys
from fractions import Fraction
from pathlib import Path

import mpmath as mp
import numpy as np
import pytest

import specnum
from specnum.bases.quadrature import (
    QUADRATURE_KINDS,
    QuadratureRule,
    clenshaw_curtis,
    gauss_jacobi,
    gauss_legendre,
    gauss_lobatto,
    gauss_radau,
    periodic_trapezoid,
    quadrature_rule,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from reference.ref_quadrature import (  # noqa: E402
    jacobi_mass_mp,
    ref_clenshaw_curtis,
    ref_gauss_jacobi,
    ref_gauss_legendre,
    ref_gauss_lobatto,
    ref_gauss_radau,
)

EPS = np.finfo(np.float64).eps


def _f(values):
    return np.array([float(v) for v in values])


# ---------------------------------------------------------------------------
# nodes and weights against mpmath (40 digits)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 2, 3, 7, 16, 33, 64])
def test_gauss_legendre_vs_mpmath(n):
    x, w = gauss_legendre(n)
    xr, wr = ref_gauss_legendre(n, x)
    # nodes: absolute error of a few eps (correctly rounded up to Newton's last step)
    assert np.max(np.abs(x - _f(xr))) <= 2 * EPS
    # weights: relative error of a few eps, also at the nodes next to +-1
    # (scipy.special.roots_legendre: ~75 n eps there at n = 64)
    assert np.max(np.abs(w / _f(wr) - 1)) <= 4 * EPS


@pytest.mark.parametrize("alpha,beta", [(0.5, -0.5), (-0.7, 1.3), (2.0, 0.0), (-0.5, -0.5)])
@pytest.mark.parametrize("n", [1, 5, 16, pytest.param(64, marks=pytest.mark.slow)])
def test_gauss_jacobi_vs_mpmath(n, alpha, beta):
    x, w = gauss_jacobi(n, alpha, beta)
    xr, wr = ref_gauss_jacobi(n, alpha, beta, x)
    assert np.max(np.abs(x - _f(xr))) <= 2 * EPS  # nodes: a few eps absolute
    assert np.max(np.abs(w / _f(wr) - 1)) <= 6 * EPS  # weights: a few eps relative (measured <= 4)


@pytest.mark.parametrize("n", [2, 3, 8, 21, pytest.param(64, marks=pytest.mark.slow)])
def test_gauss_lobatto_vs_mpmath(n):
    x, w = gauss_lobatto(n)
    xr, wr = ref_gauss_lobatto(n, x[1:-1])
    assert x[0] == -1.0 and x[-1] == 1.0
    assert np.max(np.abs(x - _f(xr))) <= 2 * EPS
    assert np.max(np.abs(w / _f(wr) - 1)) <= 4 * EPS  # weights: a few eps relative


@pytest.mark.parametrize("n", [1, 2, 9, 33, pytest.param(64, marks=pytest.mark.slow)])
def test_gauss_radau_vs_mpmath(n):
    x, w = gauss_radau(n)
    xr, wr = ref_gauss_radau(n, x[1:])
    assert x[0] == -1.0
    assert np.max(np.abs(x - _f(xr))) <= 2 * EPS
    assert np.max(np.abs(w / _f(wr) - 1)) <= 4 * EPS  # weights: a few eps relative
    # the right rule is the mirror image
    xR, wR = gauss_radau(n, endpoint="right")
    np.testing.assert_array_equal(xR, -x[::-1])
    np.testing.assert_array_equal(wR, w[::-1])


@pytest.mark.parametrize("n", [1, 2, 3, 8, 33, 64])
def test_clenshaw_curtis_vs_mpmath(n):
    x, w = clenshaw_curtis(n)
    xr, wr = ref_clenshaw_curtis(n)
    assert np.max(np.abs(x - _f(xr))) <= 2 * EPS  # nodes: -cos(pi j/(n-1)) to a few eps
    assert np.max(np.abs(w - _f(wr))) <= 4 * EPS  # weights: absolute (FFT rounding), sum is 2


def test_reference_agrees_with_mpmath_gauss_quadrature():
    """The Newton reference itself against mpmath's own Golub-Welsch rule (independent method)."""
    n = 8
    with mp.workdps(40):
        X, W = mp.gauss_quadrature(n, "legendre")
        xr, wr = ref_gauss_legendre(n, sorted(float(v) for v in X))
        order = sorted(range(n), key=lambda i: X[i])
        for i, j in enumerate(order):
            assert abs(xr[i] - X[j]) < mp.mpf(10) ** -30
            assert abs(wr[i] - W[j]) < mp.mpf(10) ** -30


# ---------------------------------------------------------------------------
# exactness degree: exact at the claimed degree, not at degree + 1
# ---------------------------------------------------------------------------


def _monomial_integral(k):
    """int_{-1}^{1} x^k dx as an exact rational."""
    return Fraction(2, k + 1) if k % 2 == 0 else Fraction(0)


@pytest.mark.parametrize(
    "kind,ns",
    [
        ("gauss_legendre", [1, 2, 3, 5, 8]),
        ("gauss_lobatto", [2, 3, 4, 6, 9]),
        ("gauss_radau", [1, 2, 3, 5, 8]),
        ("clenshaw_curtis", [1, 2, 3, 4, 7, 10]),
    ],
)
def test_exactness_degree_is_sharp(kind, ns):
    for n in ns:
        rule = quadrature_rule(kind, n)
        x, w = rule.points, rule.weights
        for k in range(rule.degree + 1):
            exact = float(_monomial_integral(k))
            # exact up to rounding: sum |w x^k| <= 2, so a few eps absolute
            assert abs(w @ x**k - exact) <= 8 * EPS, (kind, n, k)
        k = rule.degree + 1
        # the error at degree + 1 is O(1e-3) or larger for these n: far above rounding
        assert abs(w @ x**k - float(_monomial_integral(k))) > 1e-6, (kind, n, k)


@pytest.mark.parametrize("alpha,beta", [(0.5, -0.5), (-0.7, 1.3), (2.0, 0.0)])
def test_gauss_jacobi_exactness(alpha, beta):
    n = 4
    x, w = gauss_jacobi(n, alpha, beta)
    with mp.workdps(30):
        a, b = mp.mpf(alpha), mp.mpf(beta)

        def moment(k):  # int (1-x)^a (1+x)^b x^k dx, by x = 2t - 1 and Beta functions
            return 2 ** (a + b + 1) * sum(
                mp.binomial(k, j) * 2**j * (-1) ** (k - j) * mp.beta(b + j + 1, a + 1) for j in range(k + 1)
            )

        for k in range(2 * n):
            assert abs(w @ x**k - float(moment(k))) <= 16 * EPS * float(moment(0))
        assert abs(w @ x ** (2 * n) - float(moment(2 * n))) > 1e-6


def test_periodic_trapezoid_exactness():
    n = 7
    x, w = periodic_trapezoid(n)
    for k in range(-(n - 1), n):
        exact = 2 * math.pi if k == 0 else 0.0
        assert abs(w @ np.exp(1j * k * x) - exact) <= 16 * EPS
    assert abs(w @ np.exp(1j * n * x)) > 1.0  # aliasing at k = n
    assert quadrature_rule("periodic_trapezoid", n).degree == n - 1


# ---------------------------------------------------------------------------
# large n, interval mapping, symmetry
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("func", [gauss_legendre, gauss_lobatto, gauss_radau, clenshaw_curtis])
def test_n_1000_integrates_oscillatory(func):
    x, w = func(1000)
    assert np.all(np.diff(x) > 0) and np.all(w > 0)
    exact = 2 * math.sin(50.0) / 50.0
    assert abs(w @ np.cos(50 * x) - exact) <= 1e-14  # absolute, integrand of size 1
    exact2 = float(mp.quad(lambda t: mp.exp(t) / (1 + 25 * t * t), [-1, 0, 1]))
    assert abs(w @ (np.exp(x) / (1 + 25 * x * x)) - exact2) <= 1e-14


def test_symmetry_exact():
    for n in (5, 64, 1000):
        x, w = gauss_legendre(n)
        np.testing.assert_array_equal(x, -x[::-1])
        np.testing.assert_array_equal(w, w[::-1])
        x, w = clenshaw_curtis(n)
        np.testing.assert_array_equal(x, -x[::-1])


@pytest.mark.parametrize("func", [gauss_legendre, gauss_lobatto, gauss_radau, clenshaw_curtis])
def test_interval_mapping(func):
    a, b = 2.0, 5.0
    x, w = func(20, interval=(a, b))
    assert x[0] >= a and x[-1] <= b
    assert abs(w.sum() - (b - a)) <= 8 * EPS * (b - a)
    exact = math.exp(b) - math.exp(a)
    assert abs(w @ np.exp(x) / exact - 1) <= 16 * EPS
    if func is gauss_lobatto or func is clenshaw_curtis:
        assert x[0] == a and x[-1] == b


def test_gauss_jacobi_physical_weight_on_interval():
    # int_a^b (b-t)^alpha (t-a)^beta dt = (b-a)^(alpha+beta+1) B(alpha+1, beta+1)
    a, b, alpha, beta = -1.0, 3.0, 0.3, -0.6
    x, w = gauss_jacobi(6, alpha, beta, interval=(a, b))
    exact = float((b - a) ** (alpha + beta + 1) * mp.beta(alpha + 1, beta + 1))
    assert abs(w.sum() / exact - 1) <= 16 * EPS
    # and t * weight: the mean of Beta(beta+1, alpha+1) distribution mapped to (a, b)
    mean = a + (b - a) * (beta + 1) / (alpha + beta + 2)
    assert abs(w @ x / exact - mean) <= 16 * EPS * max(abs(a), abs(b))


def test_periodic_trapezoid_interval():
    x, w = periodic_trapezoid(4, interval=(1.0, 3.0))
    np.testing.assert_allclose(x, [1.0, 1.5, 2.0, 2.5], rtol=0, atol=0)
    np.testing.assert_array_equal(w, np.full(4, 0.5))


# ---------------------------------------------------------------------------
# QuadratureRule
# ---------------------------------------------------------------------------


def test_rule_read_only_and_integrate():
    rule = quadrature_rule("gauss_legendre", 12, interval=(0.0, 1.0))
    assert rule.n == 12 and rule.degree == 23 and rule.interval == (0.0, 1.0)
    with pytest.raises(ValueError):
        rule.points[0] = 1.0
    with pytest.raises(ValueError):
        rule.weights[0] = 1.0
    assert abs(rule.integrate(np.exp) - (math.e - 1)) <= 4 * EPS
    # batched values, node axis first
    vals = np.stack([np.ones(12), rule.points, rule.points**2])  # (3, 12)
    out = rule.integrate(vals.T, axis=0)
    np.testing.assert_allclose(out, [1.0, 0.5, 1 / 3], rtol=4 * EPS)
    out = rule.integrate(np.broadcast_to(vals, (2, 3, 12)))
    assert out.shape == (2, 3)
    # complex values
    z = rule.integrate(np.exp(1j * rule.points))
    assert abs(z - (np.exp(1j) - 1) / 1j) <= 8 * EPS


def test_rule_gauss_jacobi_kwargs():
    rule = quadrature_rule("gauss_jacobi", 3, alpha=0.5, beta=0.5)
    assert rule.degree == 5
    assert abs(rule.weights.sum() - math.pi / 2) <= 8 * EPS
    rule = quadrature_rule("gauss_radau", 3, endpoint="right")
    assert rule.points[-1] == 1.0 and rule.degree == 4
    assert set(QUADRATURE_KINDS) >= {"gauss_legendre", "clenshaw_curtis"}


def test_rule_validation():
    with pytest.raises(ValueError, match="weights"):
        QuadratureRule(points=[0.0, 1.0], weights=[1.0], degree=1, interval=(0, 1))
    with pytest.raises(ValueError, match="points"):
        QuadratureRule(points=[[0.0]], weights=[[1.0]], degree=1, interval=(0, 1))
    with pytest.raises(ValueError, match="finite"):
        QuadratureRule(points=[np.nan], weights=[1.0], degree=1, interval=(0, 1))
    with pytest.raises(ValueError, match="degree"):
        QuadratureRule(points=[0.5], weights=[1.0], degree=-1, interval=(0, 1))
    with pytest.raises(ValueError, match="interval"):
        QuadratureRule(points=[0.5], weights=[1.0], degree=1, interval=(1, 0))
    with pytest.raises(TypeError, match="points"):
        QuadratureRule(points=["a"], weights=[1.0], degree=1, interval=(0, 1))
    with pytest.raises(TypeError, match="weights"):
        QuadratureRule(points=[0.5], weights=[1j], degree=1, interval=(0, 1))
    rule = quadrature_rule("clenshaw_curtis", 5)
    with pytest.raises(ValueError, match="length 5"):
        rule.integrate(np.ones(4))
    with pytest.raises(ValueError, match="axis"):
        rule.integrate(np.ones(5), axis=3)
    with pytest.raises(TypeError, match="numeric"):
        rule.integrate(np.array(["a"] * 5))


# ---------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("func", [gauss_legendre, gauss_radau, clenshaw_curtis, periodic_trapezoid])
def test_bad_n(func):
    with pytest.raises(ValueError, match="n must"):
        func(0)
    with pytest.raises(TypeError, match="n must"):
        func(2.5)
    with pytest.raises(TypeError, match="n must"):
        func(True)


def test_bad_inputs():
    with pytest.raises(ValueError, match="n must"):
        gauss_lobatto(1)
    with pytest.raises(ValueError, match="alpha"):
        gauss_jacobi(3, -1.0, 0.0)
    with pytest.raises(ValueError, match="beta"):
        gauss_jacobi(3, 0.0, -2.0)
    with pytest.raises(TypeError, match="alpha"):
        gauss_jacobi(3, "x", 0.0)
    with pytest.raises(ValueError, match="interval"):
        gauss_legendre(3, interval=(1.0, 0.0))
    with pytest.raises(ValueError, match="interval"):
        gauss_legendre(3, interval=(0.0, np.inf))
    with pytest.raises(TypeError, match="interval"):
        clenshaw_curtis(3, interval=1.0)
    with pytest.raises(ValueError, match="endpoint"):
        gauss_radau(3, endpoint="middle")
    with pytest.raises(ValueError, match="kind"):
        quadrature_rule("simpson", 3)


@pytest.mark.slow
def test_gauss_legendre_n1000_vs_mpmath_selected_nodes():
    n = 1000
    x, w = gauss_legendre(n)
    idx = [0, 1, 2, 10, 250, 499]
    xr, wr = ref_gauss_legendre(n, x[idx])
    assert np.max(np.abs(x[idx] - _f(xr))) <= 2 * EPS
    assert np.max(np.abs(w[idx] / _f(wr) - 1)) <= 4 * EPS  # no O(n eps) growth near the endpoints


# ---------------------------------------------------------------------------
# Gauss-Jacobi at the edges: exponents near -1 and in the thousands, the mass mu0
# ---------------------------------------------------------------------------


def _rel(a, b):
    return np.abs(np.asarray(a) / _f(b) - 1)


@pytest.mark.parametrize(
    "alpha,beta",
    [(1.0, 658.0), (658.0, 1.0), (0.5, 1000.0), (-0.5, 300.25), (511.0, 512.0), (1000.0, 500.0),
     (1e-3, 1000.0), (2.5e5, 2.5e5), (-0.999, 0.0), (-1 + 1e-12, 7.5), (1e6, 1e6 - 700.0)],
)
def test_gauss_jacobi_total_weight_vs_mpmath(alpha, beta):
    """The one-node rule's weight is mu0 = 2^(a+b+1) B(a+1, b+1): a few eps (scipy.special.beta: 8e-13 at (1, 658))."""
    _, w = gauss_jacobi(1, alpha, beta)
    assert _rel(w[0], [jacobi_mass_mp(alpha, beta)])[0] <= 4 * EPS


def test_gauss_jacobi_total_weight_random_exponents():
    rng = np.random.default_rng(3)
    pairs = np.concatenate([rng.uniform(-1, 4, (20, 2)), 10 ** rng.uniform(-2, 2.8, (20, 2))])
    errs = [_rel(gauss_jacobi(1, a, b)[1][0], [jacobi_mass_mp(a, b)])[0] for a, b in pairs]
    assert max(errs) <= 4 * EPS  # measured <= 2.7 eps over 300 random pairs


@pytest.mark.parametrize(
    "n,alpha,beta",
    [
        (50, -1 + 1e-8, 0.0),  # sum(w)/mu0 - 1 was -2.9e-7: the last weight was off
        (50, -1 + 1e-12, -1 + 1e-12),  # was -0.29
        (40, float(np.nextafter(-1.0, 0.0)), float(np.nextafter(-1.0, 0.0))),  # end nodes round to -1, 1
        (30, -1 + 1e-15, -1 + 1e-13),  # both ends singular, not symmetric
        (20, 0.5, -1 + 1e-10),
        (5, -1 + 1e-15, 0.3),
        (30, -0.999, 2.0),
    ],
)
def test_gauss_jacobi_exponents_near_minus_one_vs_mpmath(n, alpha, beta):
    x, w = gauss_jacobi(n, alpha, beta)
    idx = np.unique(np.r_[0, 1, 2, n // 2, n - 3, n - 2, n - 1].clip(0, n - 1))  # the ends, where it goes wrong
    xr, wr = ref_gauss_jacobi(n, alpha, beta, x[idx], dps=50)
    assert np.max(np.abs(x[idx] - _f(xr))) <= 2 * EPS  # nodes correctly rounded (the end ones are +-1 or next to it)
    assert np.max(_rel(w[idx], wr)) <= 6 * EPS  # including the huge weight(s) at the singular end(s)
    assert abs(math.fsum(w) / float(jacobi_mass_mp(alpha, beta)) - 1) <= 6 * EPS


@pytest.mark.parametrize("n,alpha,beta", [(5, 511.0, 512.0), (20, 1000.0, 500.0), (200, 1000.0, 500.0),
                                          (300, 1000.0, 1000.0), (30, 2.5e5, 2.5e5)])
def test_gauss_jacobi_large_exponents_vs_mpmath(n, alpha, beta):
    """scipy's own test cases: ``2.0**(alpha+beta+1)`` overflowed; the rules are finite and accurate."""
    x, w = gauss_jacobi(n, alpha, beta)
    assert np.all(np.isfinite(x)) and np.all(np.isfinite(w)) and np.all(w > 0)
    assert np.all(np.diff(x) > 0)
    # ends and middle only: the mpmath twin costs O(n) per node
    idx = np.unique(np.r_[0, 1, n // 2, n - 2, n - 1].clip(0, n - 1))
    xr, wr = ref_gauss_jacobi(n, alpha, beta, x[idx])
    assert np.max(np.abs(x[idx] - _f(xr))) <= 2 * EPS
    assert np.max(_rel(w[idx], wr)) <= 6 * EPS
    assert abs(math.fsum(w) / float(jacobi_mass_mp(alpha, beta)) - 1) <= 8 * EPS


def test_gauss_jacobi_refuses_unrepresentable_weights():
    with pytest.raises(ValueError, match=r"alpha = 1000000.0, beta = 0.0.*total weight.*outside the float64 range"):
        gauss_jacobi(3, 1e6, 0.0)  # mu0 = 2^(1e6+1)/(1e6+1)
    with pytest.raises(ValueError, match=r"alpha must lie in \(-1.0, 1000000.0\]"):
        gauss_jacobi(3, 1e7, 1e7)
    with pytest.raises(ValueError, match=r"interval = \(0.0, 1e-30\).*outside the float64 range"):
        gauss_jacobi(3, 10.0, 10.0, interval=(0.0, 1e-30))  # ((b-a)/2)^21 underflows
    # a finite total reached through a large mass and a small Jacobian is fine
    x, w = gauss_jacobi(4, 0.0, 900.0, interval=(0.0, 1.0))
    exact = float(mp.beta(1, 901))  # int_0^1 t^900 dt
    assert abs(w.sum() / exact - 1) <= 8 * EPS


# ---------------------------------------------------------------------------
# size budget, overflowing intervals, non-finite values
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "func,n",
    [(gauss_legendre, 10**8), (gauss_legendre, 10**9), (gauss_lobatto, 10**6), (gauss_radau, 10**6),
     (clenshaw_curtis, 10**9), (periodic_trapezoid, 10**9), (lambda n: gauss_jacobi(n, 0.5, 0.5), 10**5)],
)
def test_size_budget_refuses_before_any_work(func, n):
    with pytest.raises(ValueError, match=rf"n = {n} needs about .* above the size budget"):
        func(n)


def test_size_budget_can_be_lowered_and_raised():
    with specnum.size_budget(work=1e6):
        with pytest.raises(ValueError, match="n = 100 needs about 3e\\+06 operations"):
            gauss_legendre(100)  # 300 n^2 operations
        gauss_legendre(50)
    with specnum.size_budget(memory=2**20):
        with pytest.raises(ValueError, match="n = 10000 needs about"):
            clenshaw_curtis(10_000)
    assert gauss_legendre(100)[0].size == 100


def test_interval_whose_length_overflows():
    with pytest.raises(ValueError, match="interval must have a length b - a within the float64 range"):
        gauss_legendre(4, interval=(-1e308, 1e308))  # was: a NaN node and infinite weights
    for func in (gauss_legendre, gauss_lobatto, gauss_radau, clenshaw_curtis, periodic_trapezoid):
        with pytest.raises(ValueError, match="interval"):
            func(4, interval=(-1.7e308, 1.7e308))
    # a + b overflows but b - a does not: the map is computed without overflow
    a, b = 1.0e308, 1.7e308
    for func in (gauss_legendre, gauss_lobatto, gauss_radau, clenshaw_curtis):
        x, w = func(6, interval=(a, b))
        assert np.all(np.isfinite(x)) and np.all((x >= a) & (x <= b)) and np.all(np.diff(x) > 0)
        assert abs(w.sum() / (b - a) - 1) <= 8 * EPS


def test_integrate_refuses_non_finite_values():
    rule = quadrature_rule("gauss_legendre", 3)
    with pytest.raises(ValueError, match="values_or_callable must be finite, got 3 non-finite"):
        rule.integrate(np.full(3, np.nan))  # was: NaN
    with pytest.raises(ValueError, match=r"values_or_callable\(points\) must be finite"):
        rule.integrate(lambda x: np.where(x > 0, np.inf, 1.0))
    with pytest.raises(ValueError, match="values_or_callable must be finite"):
        rule.integrate(np.array([1.0, 1j * np.inf, 0.0]))
    with pytest.raises(ValueError, match="integral beyond the float64 range"):
        rule.integrate(np.full(3, 1.7e308))  # sum(w) = 2


def test_options_are_keyword_only():
    with pytest.raises(TypeError):
        gauss_radau(3, (-1.0, 1.0), "right")
    with pytest.raises(TypeError):
        quadrature_rule("gauss_legendre", 3).integrate(np.ones((3, 2)), 0)


def test_clenshaw_curtis_end_weights_closed_form():
    """End weights 1/(m^2 - 1) (m = n - 1 even) and 1/m^2 (m odd), exactly as the closed form gives them."""
    for n in (2, 3, 8, 9, 64, 65):
        m = n - 1
        _, w = clenshaw_curtis(n)
        expected = 1.0 / (m * m - 1.0) if m % 2 == 0 else 1.0 / (m * m)
        assert w[0] == w[-1] == expected
