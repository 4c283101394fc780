"""Tests of specnum.bases.quadrature against mpmath references and exact integrals."""

from __future__ import annotations

import math
import sys
from fractions import Fraction
from pathlib import Path

import mpmath as mp
import numpy as np
import pytest

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
