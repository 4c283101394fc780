"""Tests of specnum.bases.bsplines against scipy, exact rationals and mpmath."""

from __future__ import annotations

import math
import sys
from fractions import Fraction
from pathlib import Path

import mpmath as mp
import numpy as np
import pytest
from scipy.interpolate import BSpline
from scipy.special import gamma

from specnum.bases.bsplines import (
    BSplineBasis,
    cardinal_bspline,
    cardinal_fractional_derivative,
    collocation_matrix,
    open_uniform_knots,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reference"))
import ref_bsplines as ref  # noqa: E402

EPS = np.finfo(float).eps


def random_knots(rng, p, n_inner, repeat=True):
    """Clamped knots on [0, 1] with random interior knots (optionally one repeated)."""
    inner = np.sort(rng.uniform(0.0, 1.0, n_inner))
    if repeat and p >= 1 and n_inner >= 4:
        inner[2] = inner[3]  # an interior knot of multiplicity 2
    return np.r_[np.zeros(p + 1), inner, np.ones(p + 1)]


def scipy_basis(t, p, x, nu=0):
    return BSpline(t, np.eye(len(t) - p - 1), p, extrapolate=False)(x, nu=nu)


# --------------------------------------------------------------------------- knots and validation


def test_open_uniform_knots():
    t = open_uniform_knots(3, 4, (1.0, 3.0))
    assert t.shape == (4 + 2 * 3 + 1,)
    np.testing.assert_array_equal(t[:4], 1.0)
    np.testing.assert_array_equal(t[-4:], 3.0)
    np.testing.assert_allclose(t[3:8], [1.0, 1.5, 2.0, 2.5, 3.0], rtol=0, atol=4 * EPS)
    with pytest.raises(ValueError, match=r"^n must"):
        open_uniform_knots(2, 0)
    with pytest.raises(ValueError, match="degree"):
        open_uniform_knots(-1, 3)
    with pytest.raises(ValueError, match="interval"):
        open_uniform_knots(2, 3, (1.0, 0.0))


def test_basis_properties_and_readonly():
    basis = BSplineBasis(open_uniform_knots(2, 5), 2)
    assert basis.dim == 7
    assert basis.interval == (0.0, 1.0)
    np.testing.assert_allclose(basis.breakpoints, np.linspace(0, 1, 6), atol=2 * EPS)
    assert not basis.knots.flags.writeable
    assert not basis.breakpoints.flags.writeable
    tau, J = basis.jumps()
    assert not tau.flags.writeable and not J.flags.writeable
    with pytest.raises(AttributeError):
        basis.degree = 3  # frozen dataclass
    same = BSplineBasis(list(open_uniform_knots(2, 5)), 2)
    assert same == basis and hash(same) == hash(basis)
    assert BSplineBasis(open_uniform_knots(3, 4), 3) != basis


@pytest.mark.parametrize(
    ("knots", "degree", "exc", "match"),
    [
        ([0, 0, 0, 0.5, 0.2, 1, 1, 1], 2, ValueError, "knots"),  # unsorted
        ([0, 0, 1, 1], -1, ValueError, "degree"),
        ([0, 0, 1, 1], 1.5, TypeError, "degree"),
        ([0, 0, 0, 0, 1, 1, 1], 2, ValueError, "multiplicity"),
        ([0, 0, 1], 1, ValueError, "knots"),  # too few
        ([0, 0, np.nan, 1, 1], 1, ValueError, "knots"),
        ([[0, 0], [1, 1]], 1, ValueError, "knots"),
    ],
)
def test_basis_rejects_bad_input(knots, degree, exc, match):
    with pytest.raises(exc, match=match):
        BSplineBasis(knots, degree)


def test_bad_arguments_named():
    basis = BSplineBasis(open_uniform_knots(2, 4), 2)
    with pytest.raises(ValueError, match=r"^x must"):
        basis.evaluate([0.1, np.inf])
    with pytest.raises(ValueError, match="deriv"):
        basis.evaluate([0.1], deriv=-1)
    with pytest.raises(ValueError, match=r"^x must"):
        basis.fractional_derivative([np.nan], 1.5)
    for alpha in (0.0, 2.0, -0.5, 2.5):
        with pytest.raises(ValueError, match="alpha"):
            basis.fractional_derivative([0.3], alpha)
    with pytest.raises(ValueError, match="side"):
        basis.fractional_derivative([0.3], 1.5, side="both")
    with pytest.raises(ValueError, match="alpha"):
        cardinal_fractional_derivative([1.0], 3, 2.0)
    with pytest.raises(ValueError, match=r"^x must"):
        cardinal_fractional_derivative([np.inf], 3, 1.5)
    with pytest.raises(ValueError, match="degree"):
        cardinal_bspline([1.0], -1)
    with pytest.raises(ValueError, match="order"):
        basis.moments(-1)
    with pytest.raises(TypeError, match="basis"):
        collocation_matrix("not a basis", [0.5])


# --------------------------------------------------------------------------- evaluation


@pytest.mark.parametrize("p", [0, 1, 2, 3, 5, 8])
def test_evaluate_matches_scipy_random_knots(p):
    rng = np.random.default_rng(10 + p)
    t = random_knots(rng, p, 9)
    basis = BSplineBasis(t, p)
    x = np.r_[rng.uniform(0, 1, 200), t[p + 1 : -p - 1], 0.0, 1.0]
    for nu in range(p + 1):
        want = scipy_basis(t, p, x, nu)
        got = basis.evaluate(x, nu)
        # de Boor in float64: a few eps relative to the size of the derivative
        scale = np.abs(want).max()
        np.testing.assert_allclose(got, want, rtol=0, atol=64 * EPS * scale)
    np.testing.assert_array_equal(basis.evaluate(x, p + 1), 0.0)


def test_evaluate_open_uniform_and_unclamped():
    for t, p in [(open_uniform_knots(4, 7, (-2.0, 5.0)), 4), (np.arange(12.0) * 0.3, 3)]:
        basis = BSplineBasis(t, p)
        a, b = basis.interval
        x = np.linspace(a, b, 101)[:-1]  # scipy's span convention differs at b itself
        for nu in (0, 1, 2):
            want = scipy_basis(t, p, x, nu)
            atol = 64 * EPS * np.abs(want).max()
            np.testing.assert_allclose(basis.evaluate(x, nu), want, rtol=0, atol=atol)


def test_partition_of_unity_and_linear_precision():
    rng = np.random.default_rng(1)
    for p in (1, 2, 3, 6):
        basis = BSplineBasis(random_knots(rng, p, 12), p)
        x = np.r_[rng.uniform(0, 1, 300), 0.0, 1.0]
        values = basis.evaluate(x)
        np.testing.assert_allclose(values.sum(axis=1), 1.0, rtol=0, atol=8 * EPS)
        # Marsden / Greville: sum_j xi_j B_j(x) = x
        np.testing.assert_allclose(values @ basis.greville(), x, rtol=0, atol=8 * EPS)
        assert np.all(values >= 0)


def test_end_points_outside_and_batch_shape():
    basis = BSplineBasis(open_uniform_knots(3, 4), 3)
    v = basis.evaluate([0.0, 1.0, -0.1, 1.1])
    np.testing.assert_array_equal(v[0], np.eye(basis.dim)[0])
    np.testing.assert_array_equal(v[1], np.eye(basis.dim)[-1])  # right end included
    np.testing.assert_array_equal(v[2:], 0.0)
    x = np.linspace(0, 1, 12).reshape(3, 4)
    assert basis.evaluate(x).shape == (3, 4, basis.dim)
    assert basis.fractional_derivative(x, 1.5).shape == (3, 4, basis.dim)
    np.testing.assert_array_equal(collocation_matrix(basis, x.ravel(), 1), basis.evaluate(x.ravel(), 1))


# --------------------------------------------------------------------------- Greville, jumps, moments


@pytest.mark.parametrize(
    ("p", "left"),
    [
        (2, [0, Fraction(1, 2), Fraction(3, 2), Fraction(5, 2)]),
        (3, [0, Fraction(1, 3), 1, 2, 3]),
        (4, [0, Fraction(1, 4), Fraction(3, 4), Fraction(3, 2), Fraction(5, 2)]),
        (5, [0, Fraction(1, 5), Fraction(3, 5), Fraction(6, 5), 2, 3]),
    ],
)
def test_greville_closed_form(p, left):
    # table of riesz.md section 2 (xi/h at the left end, mirrored at the right end)
    n = 10
    xi = BSplineBasis(open_uniform_knots(p, n), p).greville() * n
    want = np.array([float(f) for f in left])
    np.testing.assert_allclose(xi[: len(left)], want, rtol=0, atol=16 * EPS * n)
    np.testing.assert_allclose(xi[::-1][: len(left)], n - want, rtol=0, atol=16 * EPS * n)


@pytest.mark.parametrize("p", [1, 2, 4, 8])
def test_jumps_exact_and_reproduce_values(p):
    rng = np.random.default_rng(20 + p)
    t = random_knots(rng, p, 7)
    basis = BSplineBasis(t, p)
    tau, J = basis.jumps()
    assert tau.shape == (basis.dim, p + 2) and J.shape == (basis.dim, p + 2, p + 1)
    fact = np.array([math.factorial(r) for r in range(p + 1)], float)
    x = np.r_[rng.uniform(-0.2, 1.2, 150)]
    vals = basis.evaluate(x)
    for j in range(basis.dim):
        # against the exact rational jumps
        exact = {float(xk): [float(v) for v in jr] for xk, jr in ref.exact_jumps(t, p, j)}
        for k in range(p + 2):
            first = k == 0 or tau[j, k] > tau[j, k - 1]
            if first:
                want = np.array(exact[tau[j, k]])
                scale = np.abs(want).max()
                # float de Boor derivatives: relative accuracy ~ (p+1)^2 eps of the largest jump
                np.testing.assert_allclose(J[j, k], want, rtol=0, atol=256 * EPS * scale)
                np.testing.assert_array_equal(J[j, k][want == 0], 0.0)  # smoothness zeros are exact
            else:
                np.testing.assert_array_equal(J[j, k], 0.0)
        # sum of truncated powers (left and mirrored right form) equals the value on all of R
        y = x[:, None] - tau[j][None, :]
        powr = np.where(y[..., None] > 0, np.abs(y[..., None]) ** np.arange(p + 1), 0.0)
        left = np.einsum("xkr,kr->x", powr, J[j] / fact)
        K = (-1.0) ** (np.arange(p + 1) + 1) * J[j]
        powl = np.where(y[..., None] < 0, np.abs(y[..., None]) ** np.arange(p + 1), 0.0)
        right = np.einsum("xkr,kr->x", powl, K / fact)
        inside = (x >= 0) & (x <= 1)
        want = np.where(inside, vals[:, j], 0.0)
        scale = np.abs(J[j] / fact).max() * 1.0 ** p
        np.testing.assert_allclose(left, want, rtol=0, atol=1e3 * EPS * scale)
        np.testing.assert_allclose(right, want, rtol=0, atol=1e3 * EPS * scale)


def test_moments_exact():
    rng = np.random.default_rng(5)
    for p in (2, 5):
        t = random_knots(rng, p, 6)
        basis = BSplineBasis(t, p)
        c, mu = basis.moments(7)
        assert mu.shape == (basis.dim, 8)
        for j in range(basis.dim):
            exact = [float(v) for v in ref.exact_moments(t, p, j, 7)]
            w = 0.5 * (t[j + p + 1] - t[j])
            # Gauss-Legendre is exact: errors ~ eps * mu_0 * w^m
            tol = 64 * EPS * exact[0] * w ** np.arange(8)
            assert np.all(np.abs(mu[j] - exact) <= tol), (j, mu[j] - exact)
            assert c[j] == pytest.approx(0.5 * (t[j] + t[j + p + 1]))
    # cardinal B-splines: mu_0 = 1, odd moments vanish, mu_2 = (p+1)/12
    for p in (1, 3, 8):
        _, mu = BSplineBasis(np.arange(-p, 2 * p + 2.0), p).moments(3)  # B_p has knots 0..p+1
        np.testing.assert_allclose(mu[p], [1.0, 0.0, (p + 1) / 12, 0.0], rtol=0, atol=32 * EPS)


# --------------------------------------------------------------------------- fractional derivatives


def _check_against_twin(t, p, js, xs_for_j, alpha, side, basis, rtol=1e-12):
    """|error| <= rtol |exact| + 1e-14 * scale against the mpmath twin (30 digits);
    the floor (1e-14 times the size of D^alpha B_j over its support, ~50 eps)
    only matters at zero crossings inside the support."""
    worst = 0.0
    for j in js:
        xs = xs_for_j(j)
        got = basis.fractional_derivative(xs, alpha, side)[:, j]
        want = np.array([float(ref.frac_derivative_mp(t, p, j, x, alpha, side)) for x in xs])
        inner = np.linspace(t[j], t[j + p + 1], 9)[1:-1]
        scale = max(abs(float(ref.frac_derivative_mp(t, p, j, x, alpha, side))) for x in inner)
        ratio = np.abs(got - want) / (rtol * np.abs(want) + 1e-14 * scale)
        worst = max(worst, float(ratio.max()))
    assert worst <= 1.0, worst


def _far_points(t, p, j, h, side, rng):
    a, b = t[j], t[j + p + 1]
    spans = np.array([0.05, 0.4, 0.6, 1.3, 2.5, 7.0, 31.0, 1000.3])
    inside = rng.uniform(a, b, 4)
    return np.r_[inside, b + h * spans] if side == "left" else np.r_[inside, a - h * spans]


@pytest.mark.parametrize(("p", "alpha"), [(2, 1.5), (8, 1.2), (8, 0.6), (5, 1.9)])
def test_fractional_derivative_vs_mpmath_far(p, alpha):
    """x up to 1000 knot spans from the support, degrees up to 8, both sides."""
    n = 1020
    t = open_uniform_knots(p, n)
    basis = BSplineBasis(t, p)
    rng = np.random.default_rng(p)
    for side in ("left", "right"):
        js = [0, 1, p + 1] if side == "left" else [basis.dim - 1, basis.dim - 2, basis.dim - p - 2]
        points = lambda j, s=side: _far_points(t, p, j, 1.0 / n, s, rng)  # noqa: E731
        _check_against_twin(t, p, js, points, alpha, side, basis)


@pytest.mark.slow
@pytest.mark.parametrize("p", [2, 3, 4, 5, 6, 7, 8])
@pytest.mark.parametrize("alpha", [0.3, 1.01, 1.5, 1.99])
def test_fractional_derivative_vs_mpmath_sweep(p, alpha):
    n = 1010
    t = open_uniform_knots(p, n)
    basis = BSplineBasis(t, p)
    rng = np.random.default_rng(p)
    for side in ("left", "right"):
        js = list(range(p + 2)) if side == "left" else [basis.dim - 1 - k for k in range(p + 2)]
        points = lambda j, s=side: _far_points(t, p, j, 1.0 / n, s, rng)  # noqa: E731
        _check_against_twin(t, p, js, points, alpha, side, basis)


@pytest.mark.parametrize("p", [0, 1, 2, 4, 8])
def test_fractional_derivative_random_knots(p):
    rng = np.random.default_rng(40 + p)
    t = random_knots(rng, p, 14)
    basis = BSplineBasis(t, p)
    xs = np.r_[rng.uniform(0, 1, 10), t[p + 4] + 1e-9, t[p + 6] - 1e-7, t[p + 5] + 1e-3]
    for alpha, side in [(1.3, "left"), (0.4, "right"), (1.7, "right")]:
        js = sorted({0, 1, p, p + 3, basis.dim - 2, basis.dim - 1})
        _check_against_twin(t, p, js, lambda j: xs, alpha, side, basis)


def test_naive_truncated_power_sum_fails_far_away():
    """The plain float64 jump sum loses ~(p+1) log10(distance) digits; ours does not."""
    p, n, alpha = 8, 1020, 1.5
    t = open_uniform_knots(p, n)
    basis = BSplineBasis(t, p)
    tau, J = basis.jumps()
    j = p + 1  # a cardinal (interior) B-spline
    x = t[j + p + 1] + 1000.3 / n
    want = float(ref.frac_derivative_mp(t, p, j, x, alpha))
    y = x - tau[j]
    naive = sum(
        J[j, k, r] * y[k] ** (r - alpha) / gamma(r + 1 - alpha) for k in range(p + 2) for r in range(p + 1)
    )
    got = basis.fractional_derivative([x], alpha)[0, j]
    assert abs(naive - want) > 1e-6 * abs(want)  # the far field is really needed here
    assert abs(got - want) < 1e-13 * abs(want)


def test_twin_against_defining_integral():
    """The mpmath twin agrees with mpmath.quad of 1/Gamma(-alpha) int B(t)(x-t)^(-1-alpha) dt."""
    rng = np.random.default_rng(7)
    t = random_knots(rng, 3, 6)
    for j, x in [(2, 1.3), (4, 2.0)]:
        a = ref.frac_derivative_mp(t, 3, j, x, 1.4)
        b = ref.frac_derivative_quad_mp(t, 3, j, x, 1.4)
        assert abs(a - b) < mp.mpf(10) ** -25 * abs(a)


def test_alpha_one_is_first_derivative_and_mirror_symmetry():
    rng = np.random.default_rng(3)
    basis = BSplineBasis(open_uniform_knots(3, 9), 3)
    x = rng.uniform(0, 1, 40)
    d1 = basis.evaluate(x, 1)
    atol = 1e3 * EPS * np.abs(d1).max()  # truncated powers near x: ~1e3 eps of the largest term
    np.testing.assert_allclose(basis.fractional_derivative(x, 1.0), d1, rtol=0, atol=atol)
    np.testing.assert_allclose(basis.fractional_derivative(x, 1.0, "right"), -d1, rtol=0, atol=atol)
    # symmetric knots: D_R B_j(x) = D_L B_{dim-1-j}(1-x)
    left = basis.fractional_derivative(1.0 - x, 1.5)[:, ::-1]
    right = basis.fractional_derivative(x, 1.5, "right")
    np.testing.assert_allclose(right, left, rtol=1e-12, atol=1e-13 * np.abs(left).max())


def test_knot_singularity_and_greville_finite():
    p = 2
    basis = BSplineBasis(open_uniform_knots(p, 6), p)
    v = basis.fractional_derivative([0.0], 1.5)[0]
    # B_0(a) = 1: the term (x-a)^(-alpha)/Gamma(1-alpha) is infinite (documented); Gamma(-0.5) < 0
    assert v[0] == -np.inf
    assert v[1] == np.inf  # B_1 has a slope jump at a: (x-a)^(1-alpha)/Gamma(2-alpha) -> +inf
    assert np.all(v[2:] == 0.0)  # B_2 is C^1 at a: (x-a)^(2-alpha) -> 0
    for p in (2, 3, 4, 5):
        basis = BSplineBasis(open_uniform_knots(p, 7), p)
        xi = basis.greville()[1:-1]
        for side in ("left", "right"):
            assert np.all(np.isfinite(basis.fractional_derivative(xi, 1.9, side)))
    zero = basis.fractional_derivative([-0.5], 1.5)
    np.testing.assert_array_equal(zero, 0.0)


# --------------------------------------------------------------------------- cardinal B-splines


@pytest.mark.parametrize("p", [0, 1, 2, 3, 7])
def test_cardinal_bspline(p):
    x = np.linspace(-1, p + 2, 97)
    want = BSpline.basis_element(np.arange(p + 2.0), extrapolate=False)(x)
    want = np.nan_to_num(want)
    if p == 0:
        want[x == 1.0] = 1.0  # closed interval convention at the right end for phi_0
    np.testing.assert_allclose(cardinal_bspline(x, p), want, rtol=0, atol=16 * EPS)
    # closed form with exact rationals at a few points
    for xv in (0.5, 1.25, p + 0.75):
        exact = sum((-1) ** k * math.comb(p + 1, k) * Fraction(xv - k) ** p for k in range(p + 2) if xv > k)
        exact /= math.factorial(p)
        assert cardinal_bspline([xv], p)[0] == pytest.approx(float(exact), rel=16 * EPS, abs=16 * EPS)


@pytest.mark.parametrize(("p", "alpha"), [(2, 1.5), (3, 1.2), (5, 1.8), (8, 1.5), (4, 0.5), (3, 1.99)])
def test_cardinal_fractional_derivative_vs_mpmath(p, alpha):
    c = (p + 1) / 2
    xs = np.r_[-1.0, np.linspace(0.1, p + 1.9, 23), c + np.array([3.0, 10, 100, 1e3, 1e4, 1e5, 65536.0, 3e6])]
    got = cardinal_fractional_derivative(xs, p, alpha)
    want = np.array([float(ref.cardinal_frac_derivative_mp(x, p, alpha)) for x in xs])
    near = xs < 2 * p + 2
    scale = np.abs(want).max()
    # near: 1e-12 relative with a 1e-14*scale floor (zero crossings); far: 1e-13 relative
    assert np.all(np.abs(got - want)[near] <= 1e-12 * np.abs(want)[near] + 1e-14 * scale)
    assert np.all(np.abs(got - want)[~near] <= 1e-13 * np.abs(want)[~near])
    assert got[0] == 0.0


def test_cardinal_asymptotics_and_basis_consistency():
    # riesz.md section 2: D phi(x) ~ (x-c)^(-1-alpha)/Gamma(-alpha) [1 + (1+alpha)(2+alpha)/2 mu_2/(x-c)^2]
    p, alpha = 3, 1.5
    c = (p + 1) / 2
    d = np.array([200.0, 2000.0])
    lead = (1 + (1 + alpha) * (2 + alpha) / 2 * (p + 1) / 12 / d**2) * d ** (-1 - alpha) / gamma(-alpha)
    got = cardinal_fractional_derivative(c + d, p, alpha)
    assert np.all(np.abs(got / lead - 1) < 10 / d**4)  # the next term is O(d^-4) relative
    # an interior B-spline of a uniform basis is a scaled, shifted cardinal one
    n, h = 40, 1 / 40
    basis = BSplineBasis(open_uniform_knots(p, n), p)
    j = 10
    x = np.linspace(0.05, 0.95, 31)
    want = h**-alpha * cardinal_fractional_derivative(x / h - (j - p), p, alpha)
    got = basis.fractional_derivative(x, alpha)[:, j]
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-13 * np.abs(want).max())


def test_cardinal_batch_shape():
    x = np.linspace(0, 10, 6).reshape(2, 3)
    assert cardinal_fractional_derivative(x, 3, 1.5).shape == (2, 3)
    assert cardinal_bspline(x, 3).shape == (2, 3)


def test_size_budget_refuses_before_allocating():
    with pytest.raises(ValueError, match=r"n = 10000000000, degree = 3 needs about .* above the size budget"):
        open_uniform_knots(3, 10**10)
    basis = BSplineBasis(open_uniform_knots(3, 10**5), 3)
    with pytest.raises(ValueError, match=r"x of shape \(100000,\) with a basis of dim = 100003 needs"):
        basis.evaluate(np.zeros(10**5))  # a dense 80 GB value array
    with pytest.raises(ValueError, match=r"x of shape \(100000,\) with a basis of dim = 100003 needs"):
        collocation_matrix(basis, np.zeros(10**5))
    with pytest.raises(ValueError, match=r"order = 1000000000, degree = 3"):
        basis.moments(10**9)
    with pytest.raises(ValueError, match=r"degree = 10000 with x of shape \(1,\) needs"):
        cardinal_fractional_derivative([1.0], 10**4, 1.5)  # tables of ~1e13 values
    with pytest.raises(ValueError, match=r"degree = 1000000000 with x of shape \(1,\) needs"):
        cardinal_bspline([1.0], 10**9)


@pytest.mark.parametrize(("p", "alpha"), [(3, 1.5), (2, 1.9), (4, 0.5), (1, 1.5)])
def test_fractional_derivative_just_right_of_a_knot_is_finite(p, alpha):
    """At x = knot + 1e-308 .. 1e-100 the Taylor term B^(r)(x) (x - s)^(r-alpha) is 0 * inf in float64
    (the coefficient underflows, the power overflows); the product is tiny and must not become NaN."""
    xs = np.array([1e-308, 1e-300, 1e-200, 1e-160, 1e-100, 1e-20])
    got = cardinal_fractional_derivative(xs, p, alpha)
    want = np.array([float(ref.cardinal_frac_derivative_mp(x, p, alpha)) for x in xs])
    assert np.all(np.isfinite(got))
    # the documented floor: absolute 1e-14 times the size of the derivative on the support (here O(1))
    assert np.all(np.abs(got - want) <= 1e-12 * np.abs(want) + 1e-14)
    # the same next to the end knot 0 of clamped bases: left derivative on [0, 1], right one on [-1, 0]
    left = BSplineBasis(open_uniform_knots(p, 8, (0.0, 1.0)), p).fractional_derivative(xs, alpha, side="left")
    right = BSplineBasis(open_uniform_knots(p, 8, (-1.0, 0.0)), p).fractional_derivative(-xs, alpha, side="right")
    assert not np.isnan(left).any() and not np.isnan(right).any()
