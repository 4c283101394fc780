"""Tests of specnum.bases.chebyshev against numpy.polynomial.chebyshev, closed forms and dense twins."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import numpy.polynomial.chebyshev as npcheb
import pytest
import scipy.special

from specnum.bases.chebyshev import (
    chop,
    coeffs_to_vals,
    definite_integral,
    differentiate,
    evaluate,
    integrate,
    points,
    vals_to_coeffs,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from reference.ref_chebyshev import (  # noqa: E402
    cheb_coeffs_mp,
    cheb_matrix,
    evaluate_direct,
    vals_to_coeffs_dense,
)

EPS = np.finfo(np.float64).eps


def _f(x):
    return np.exp(x) * np.sin(3 * x) + 1 / (2 + x)


# ---------------------------------------------------------------------------
# points
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 2, 3, 8, 31, 100])
def test_points_vs_closed_forms_and_numpy(n):
    j = np.arange(n)
    x1 = points(n, kind=1)
    # closed form: roots of T_n, ascending; numpy's chebpts1 uses the same order
    assert np.max(np.abs(x1 - np.sort(np.cos(np.pi * (2 * j + 1) / (2 * n))))) <= 2 * EPS
    assert np.max(np.abs(x1 - npcheb.chebpts1(n))) <= 2 * EPS
    np.testing.assert_array_equal(x1, -x1[::-1])  # exact symmetry
    assert np.all(np.diff(x1) > 0)
    if n >= 2:
        x2 = points(n, kind=2)
        assert np.max(np.abs(x2 - np.sort(np.cos(np.pi * j / (n - 1))))) <= 2 * EPS
        assert np.max(np.abs(x2 - npcheb.chebpts2(n))) <= 2 * EPS
        np.testing.assert_array_equal(x2, -x2[::-1])
        assert x2[0] == -1.0 and x2[-1] == 1.0


def test_points_interval():
    x = points(9, kind=2, interval=(2.0, 5.0))
    assert x[0] == 2.0 and x[-1] == 5.0
    np.testing.assert_allclose(x, 3.5 + 1.5 * points(9, kind=2), rtol=0, atol=4 * EPS * 5)
    x = points(9, kind=1, interval=(2.0, 5.0))
    np.testing.assert_allclose(x, 3.5 + 1.5 * points(9, kind=1), rtol=0, atol=4 * EPS * 5)


# ---------------------------------------------------------------------------
# values <-> coefficients
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 2, 5, 16, 33])
def test_vals_to_coeffs_kind1_vs_numpy(n):
    c = vals_to_coeffs(_f(points(n)))
    ref = npcheb.chebinterpolate(_f, n - 1)  # interpolation at the first-kind points
    # both are O(n eps)-accurate transforms of O(1) data
    assert np.max(np.abs(c - ref)) <= 8 * n * EPS
    assert np.max(np.abs(c - vals_to_coeffs_dense(points(n), _f(points(n))))) <= 8 * n * EPS


@pytest.mark.parametrize("n", [2, 3, 6, 17, 32])
def test_vals_to_coeffs_kind2_vs_numpy(n):
    x = points(n, kind=2)
    c = vals_to_coeffs(_f(x), kind=2)
    ref = npcheb.chebfit(x, _f(x), n - 1)  # square system: interpolation
    assert np.max(np.abs(c - ref)) <= 8 * n * EPS
    assert np.max(np.abs(c - vals_to_coeffs_dense(x, _f(x)))) <= 8 * n * EPS


@pytest.mark.parametrize("kind", [1, 2])
def test_round_trips_batched_any_axis(kind):
    rng = np.random.default_rng(0)
    v = rng.standard_normal((3, 7, 4))
    for axis in (0, 1, 2, -1):
        c = vals_to_coeffs(v, kind=kind, axis=axis)
        assert c.shape == v.shape
        back = coeffs_to_vals(c, kind=kind, axis=axis)
        assert np.max(np.abs(back - v)) <= 16 * EPS  # exact inverses up to rounding
        # the same as transforming each 1-d slice
        moved = np.moveaxis(v, axis, -1).reshape(-1, v.shape[axis])
        sl = np.array([vals_to_coeffs(row, kind=kind) for row in moved])
        np.testing.assert_allclose(np.moveaxis(c, axis, -1).reshape(sl.shape), sl, rtol=0, atol=4 * EPS)
    # complex input
    z = v + 1j * rng.standard_normal(v.shape)
    zc = vals_to_coeffs(z, kind=kind)
    np.testing.assert_allclose(zc, vals_to_coeffs(z.real, kind=kind) + 1j * vals_to_coeffs(z.imag, kind=kind))


@pytest.mark.parametrize("kind", [1, 2])
def test_coeffs_to_vals_vs_dense_matrix(kind):
    rng = np.random.default_rng(1)
    c = rng.standard_normal((2, 12))
    x = points(12, kind=kind)
    np.testing.assert_allclose(coeffs_to_vals(c, kind=kind), c @ cheb_matrix(x, 12).T, rtol=0, atol=32 * EPS)


def test_exp_coefficients_closed_form():
    # exp(x) = I_0(1) + 2 sum_{k>=1} I_k(1) T_k(x)
    n = 20
    c = vals_to_coeffs(np.exp(points(n)))
    k = np.arange(n)
    ref = 2 * scipy.special.iv(k, 1.0)
    ref[0] /= 2
    assert np.max(np.abs(c - ref)) <= 8 * EPS  # aliasing error ~ I_20(1) ~ 4e-25 is negligible
    c2 = vals_to_coeffs(np.exp(points(n, kind=2)), kind=2)
    assert np.max(np.abs(c2 - ref)) <= 8 * EPS


def test_coefficients_vs_mpmath_projection():
    f = lambda t: 1 / (2 + t)  # noqa: E731
    import mpmath as mp

    ref = cheb_coeffs_mp(lambda t: 1 / (2 + t), 10)
    c = vals_to_coeffs(f(points(40)))[:10]
    assert np.max(np.abs(c - ref)) <= 8 * EPS
    with mp.workdps(20):  # closed form: c_k = (2 - delta_k0)/sqrt(3) (sqrt(3) - 2)^k
        closed = [float((2 if k else 1) / mp.sqrt(3) * (mp.sqrt(3) - 2) ** k) for k in range(10)]
    assert np.max(np.abs(ref - closed)) <= 2 * EPS


# ---------------------------------------------------------------------------
# evaluation
# ---------------------------------------------------------------------------


def test_evaluate_batched_vs_numpy():
    rng = np.random.default_rng(2)
    c = rng.standard_normal((3, 4, 10))
    x = rng.uniform(-1, 1, (5, 2))
    out = evaluate(c, x)
    assert out.shape == (3, 4, 5, 2)
    ref = np.array([[npcheb.chebval(x, c[i, j]) for j in range(4)] for i in range(3)])
    assert np.max(np.abs(out - ref)) <= 64 * EPS * np.abs(c).sum(axis=-1).max()
    direct = evaluate_direct(c[1, 2], x)
    assert np.max(np.abs(out[1, 2] - direct)) <= 64 * EPS * np.abs(c).sum(axis=-1).max()


def test_evaluate_many_points_blocks_and_extrapolation():
    # more points than the kernel's block of 256, not a multiple of it; includes |x| > 1
    rng = np.random.default_rng(7)
    c = rng.standard_normal((2, 40))
    x = np.linspace(-1.2, 1.2, 601)
    out = evaluate(c, x)
    ref = np.array([npcheb.chebval(x, row) for row in c])
    assert np.max(np.abs(out - ref)) <= 1e3 * EPS * np.abs(ref).max()  # T_39(1.2) ~ 1e12: relative check
    inside = np.abs(x) <= 1
    assert np.max(np.abs(out[:, inside] - ref[:, inside])) <= 64 * EPS * np.abs(c).sum(axis=-1).max()
    np.testing.assert_array_equal(evaluate([3.5], x), np.full(x.shape, 3.5))  # n = 1


def test_evaluate_interval_scalar_and_complex():
    c = vals_to_coeffs(np.exp(points(25, interval=(1.0, 4.0))))
    t = np.array([1.0, 2.2, 4.0])
    assert np.max(np.abs(evaluate(c, t, interval=(1.0, 4.0)) / np.exp(t) - 1)) <= 32 * EPS
    assert evaluate([1.0, 2.0], 0.5).shape == ()
    assert float(evaluate([1.0, 2.0], 0.5)) == 2.0
    z = evaluate([1.0 + 1j, 2.0], np.array([0.5]))
    np.testing.assert_allclose(z, [2.0 + 1j])
    assert evaluate(np.ones((2, 3)), np.empty(0)).shape == (2, 0)


# ---------------------------------------------------------------------------
# calculus
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("m", [0, 1, 2, 3, 12])
def test_differentiate_vs_numpy(m):
    rng = np.random.default_rng(3)
    c = rng.standard_normal((2, 10, 3))
    d = differentiate(c, m=m, axis=1, interval=(0.0, 3.0))
    ref = npcheb.chebder(c, m, scl=2.0 / 3.0, axis=1)
    assert d.shape == ref.shape if m < 10 else d.shape == (2, 1, 3)
    if m < 10:
        assert np.max(np.abs(d - ref)) <= 16 * EPS * max(1.0, np.abs(ref).max())
    else:
        assert np.all(d == 0)


def test_derivative_of_exp_on_interval():
    a, b = -2.0, 1.0
    c = vals_to_coeffs(np.exp(points(30, interval=(a, b))))
    dc = differentiate(c, interval=(a, b))
    t = np.linspace(a, b, 7)
    # differentiation amplifies rounding by ~n^2: absolute error <= 4 n^2 eps max|f|
    assert np.max(np.abs(evaluate(dc, t, interval=(a, b)) - np.exp(t))) <= 4 * 30**2 * EPS * math.e


def test_integrate_vs_numpy():
    rng = np.random.default_rng(4)
    c = rng.standard_normal((3, 9))
    out = integrate(c, interval=(0.0, 3.0))
    ref = npcheb.chebint(c, 1, lbnd=-1, scl=1.5, axis=-1)
    assert out.shape == (3, 10)
    assert np.max(np.abs(out - ref)) <= 16 * EPS * np.abs(ref).max()
    # value 0 at the left end, and differentiate inverts integrate
    assert np.max(np.abs(evaluate(out, 0.0, interval=(0.0, 3.0)))) <= 16 * EPS * np.abs(ref).max()
    back = differentiate(out, interval=(0.0, 3.0))
    assert np.max(np.abs(back - c)) <= 16 * EPS * np.abs(c).max()
    out0 = integrate(c.T, axis=0)
    np.testing.assert_allclose(out0.T, npcheb.chebint(c, 1, lbnd=-1, axis=-1), atol=16 * EPS)
    np.testing.assert_allclose(integrate([2.0]), [2.0, 2.0])


def test_definite_integral():
    a, b = 0.5, 2.0
    c = vals_to_coeffs(np.exp(points(30, interval=(a, b))))
    exact = math.exp(b) - math.exp(a)
    assert abs(definite_integral(c, interval=(a, b)) / exact - 1) <= 16 * EPS
    rng = np.random.default_rng(5)
    cc = rng.standard_normal((4, 11))
    ref = np.array([np.diff(npcheb.chebval([-1.0, 1.0], npcheb.chebint(row)))[0] for row in cc])
    np.testing.assert_allclose(definite_integral(cc.T, axis=0), ref, rtol=0, atol=32 * EPS)


# ---------------------------------------------------------------------------
# chop
# ---------------------------------------------------------------------------


def test_chop_exp():
    c = vals_to_coeffs(np.exp(points(100)))
    k = chop(c)
    assert 14 <= k <= 17  # chebfun represents exp on [-1, 1] with 15 coefficients
    # the kept series is accurate to ~eps
    x = np.linspace(-1, 1, 101)
    assert np.max(np.abs(evaluate(c[:k], x) - np.exp(x))) <= 16 * EPS * math.e
    # a looser tolerance cuts earlier
    assert chop(c, rtol=1e-8) < k


def test_chop_noise_plateau():
    rng = np.random.default_rng(6)
    x = points(200)
    c = vals_to_coeffs(np.exp(x) + 1e-10 * rng.standard_normal(x.size))
    k = chop(c)
    # |2 I_k(1)| falls below 1e-10 at k ~ 11: the cut is where the noise plateau starts
    assert 9 <= k <= 13


def test_chop_polynomial_and_edge_cases():
    c = np.zeros(50)
    c[:6] = [1.0, 2.0, 0.0, 0.0, 0.0, 3.0]
    assert chop(c) == 6
    x = points(64)
    assert chop(vals_to_coeffs(1 + x + x**5)) == 6
    assert chop(np.zeros(30)) == 1
    assert chop(np.ones(10)) == 10  # too short to judge
    c = vals_to_coeffs(np.abs(points(100)))  # unresolved: no plateau
    assert chop(c) == 100
    # batched: the common cut covers the slowest-decaying row
    cb = np.stack([vals_to_coeffs(np.exp(points(100))), vals_to_coeffs(np.exp(2 * points(100)))])
    assert chop(cb) == chop(cb[1]) >= chop(cb[0])


# ---------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------


def test_bad_input():
    with pytest.raises(ValueError, match="n must"):
        points(0)
    with pytest.raises(ValueError, match="n must"):
        points(1, kind=2)
    with pytest.raises(ValueError, match="kind"):
        points(4, kind=3)
    with pytest.raises(TypeError, match="n must"):
        points(2.5)
    with pytest.raises(ValueError, match="interval"):
        points(4, interval=(1, 1))
    with pytest.raises(ValueError, match="values"):
        vals_to_coeffs([1.0], kind=2)
    with pytest.raises(ValueError, match="values"):
        vals_to_coeffs([1.0, np.nan])
    with pytest.raises(ValueError, match="values"):
        vals_to_coeffs(np.float64(1.0))
    with pytest.raises(ValueError, match="axis"):
        vals_to_coeffs(np.ones(4), axis=1)
    with pytest.raises(TypeError, match="values"):
        vals_to_coeffs(["a", "b"])
    with pytest.raises(ValueError, match="coeffs"):
        coeffs_to_vals(np.ones((3, 0)))
    with pytest.raises(ValueError, match="coeffs"):
        evaluate(np.ones((3, 0)), [0.0])
    with pytest.raises(ValueError, match=r"^x must"):
        evaluate([1.0], [np.inf])
    with pytest.raises(ValueError, match="m must"):
        differentiate([1.0, 2.0], m=-1)
    with pytest.raises(ValueError, match="interval"):
        integrate([1.0], interval=(0.0, -1.0))
    with pytest.raises(ValueError, match="rtol"):
        chop(np.ones(20), rtol=0.0)
    with pytest.raises(ValueError, match="rtol"):
        chop(np.ones(20), rtol=1.5)
    with pytest.raises(ValueError, match="coeffs"):
        chop(np.ones((2, 0)))


@pytest.mark.parametrize("kind", [1, 2])
@pytest.mark.parametrize(
    "shape, axes",
    [
        ((5, 6, 7, 3), (0, 2, 1)),
        ((40, 41, 42), (0, 1, 2)),  # large enough for the padded copy
        ((32, 2, 32, 33), (2, 0)),  # padded copy, the transformed axes are not the last two
        ((64, 64, 16), (1,)),  # a one-element tuple
    ],
)
def test_vals_to_coeffs_several_axes_equals_one_axis_at_a_time(kind, shape, axes):
    """The multi-axis route must equal successive one-axis transforms (each checked against numpy above)."""
    rng = np.random.default_rng(7)
    values = rng.normal(size=shape)
    several = vals_to_coeffs(values, kind=kind, axis=axes)
    assert several.flags.c_contiguous and several.shape == values.shape
    one_by_one = values
    for ax in axes:
        one_by_one = vals_to_coeffs(one_by_one, kind=kind, axis=ax)
    atol = 20 * np.finfo(float).eps * np.abs(values).max()
    np.testing.assert_allclose(several, one_by_one, rtol=0, atol=atol)
    z = values + 1j * values[::-1]  # complex input through the same route
    one_by_one = z
    for ax in axes:
        one_by_one = vals_to_coeffs(one_by_one, kind=kind, axis=ax)
    np.testing.assert_allclose(vals_to_coeffs(z, kind=kind, axis=axes), one_by_one, rtol=0, atol=2 * atol)
    # a separable polynomial: T_2(x) T_1(y) has the single coefficient [2, 1] = 1
    x, y = points(5, kind=kind), points(6, kind=kind)
    c = vals_to_coeffs((2 * x[:, None] ** 2 - 1) * y[None, :], kind=kind, axis=(0, 1))
    expected = np.zeros((5, 6))
    expected[2, 1] = 1.0
    np.testing.assert_allclose(c, expected, atol=10 * np.finfo(float).eps)


def test_vals_to_coeffs_check_finite_switch():
    v = np.ones((4, 5))
    v[1, 2] = np.nan
    with pytest.raises(ValueError, match="values must be finite"):
        vals_to_coeffs(v, axis=(0, 1))
    # check_finite=False skips the check: the NaN spreads instead of raising
    assert np.isnan(vals_to_coeffs(v, axis=(0, 1), check_finite=False)).any()


def test_vals_to_coeffs_bad_axes():
    with pytest.raises(ValueError, match="repeat"):
        vals_to_coeffs(np.ones((3, 4)), axis=(0, -2))
    with pytest.raises(ValueError, match="axis"):
        vals_to_coeffs(np.ones((3, 4)), axis=(0, 2))
    with pytest.raises(ValueError, match="empty"):
        vals_to_coeffs(np.ones((3, 4)), axis=())


# ---------------------------------------------------------------------------
# scale safety, overflow-free maps, keyword-only options
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("scale", [1e160, 1e-170, -1e160])
def test_chop_decisions_do_not_depend_on_the_scale(scale):
    """Only ratios to max|c| enter chop: 1e160 or 1e-170 times a series gives the same cut."""
    x = points(200)
    for f in (np.exp, lambda t: 1 / (1 + 25 * t * t), lambda t: np.exp(t) + 1e-10 * np.cos(100 * t)):
        c = vals_to_coeffs(f(x))
        for rtol in (2.0**-52, 1e-10, 1e-6):
            assert chop(scale * c, rtol=rtol) == chop(c, rtol=rtol)
        assert chop(scale * (c + 1j * c[::-1])) == chop(c + 1j * c[::-1])


def test_points_and_evaluate_on_an_interval_near_the_float64_limit():
    """a + b overflows for (1e308, 1.7e308), b - a does not: the maps must not overflow."""
    a, b = 1.0e308, 1.7e308
    for kind in (1, 2):
        x = points(7, kind=kind, interval=(a, b))
        ref = points(7, kind=kind)
        assert np.all(np.isfinite(x)) and np.all(np.diff(x) > 0)
        np.testing.assert_allclose((x - a) / (b - a) * 2 - 1, ref, rtol=0, atol=8 * EPS)
    t = np.array([a, 0.5 * a + 0.5 * b, b])
    got = evaluate([1.0, 2.0, 3.0], t, interval=(a, b))  # 1 + 2 T_1 + 3 T_2 at -1, 0, 1
    np.testing.assert_allclose(got, [2.0, -2.0, 6.0], rtol=8 * EPS)


def test_evaluate_refuses_overflowing_extrapolation():
    with pytest.raises(ValueError, match="overflow"):
        evaluate([1.0, 2.0], [1e308])  # 1 + 2e308 does not exist in float64
    assert evaluate([1.0, 2.0], [3.0])[0] == 7.0  # moderate extrapolation is fine


def test_options_are_keyword_only():
    with pytest.raises(TypeError):
        points(5, 2)
    with pytest.raises(TypeError):
        vals_to_coeffs(np.ones(5), 2)
    with pytest.raises(TypeError):
        coeffs_to_vals(np.ones(5), 1)
    with pytest.raises(TypeError):
        differentiate(np.ones(5), 1, 0)
    with pytest.raises(TypeError):
        integrate(np.ones(5), 0)
    with pytest.raises(TypeError):
        definite_integral(np.ones(5), 0)
    with pytest.raises(TypeError):
        chop(np.ones(20), 1e-10)


def test_size_budget():
    with pytest.raises(ValueError, match=r"n = 1000000000 needs about .* above the size budget"):
        points(10**9)
    with pytest.raises(ValueError, match=r"coeffs of shape \(10000, 4\) at x of shape \(100000,\) needs"):
        evaluate(np.ones((10**4, 4)), np.zeros(10**5))  # a 10^9-value output


def test_overflowing_results_are_refused():
    """Finite input whose exact result exceeds float64: a ValueError, not inf or NaN."""
    with pytest.raises(ValueError, match="integral coefficients beyond the float64 range"):
        integrate([1e308, 1e308], interval=(0.0, 1e308))
    with pytest.raises(ValueError, match="derivative coefficients beyond the float64 range"):
        differentiate([0.0, 0.0, 1e308], interval=(0.0, 1e-300))
    with pytest.raises(ValueError, match="an integral beyond the float64 range"):
        definite_integral([1e308, 0.0, 1e308], interval=(0.0, 1.7e308))
    with pytest.raises(ValueError, match="coeffs give values beyond"):
        coeffs_to_vals(np.full(10, 1e308))
    with pytest.raises(ValueError, match="values give coefficients beyond"):
        vals_to_coeffs(np.r_[1.7e308, -1.7e308, 1.7e308])
    # large but representable results pass unchanged
    assert definite_integral([1e300], interval=(0.0, 1e7)) == pytest.approx(1e307, rel=4 * EPS)
