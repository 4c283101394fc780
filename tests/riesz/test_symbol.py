"""riesz_symbol against mpmath (Hurwitz closed form and the defining Poisson series) and the Toeplitz data."""

import warnings

import mpmath as mp
import numpy as np
import pytest
import ref_riesz as ref
from scipy import integrate

from specnum.riesz import riesz_symbol

EPS = np.finfo(float).eps


@pytest.mark.parametrize("p", [2, 3, 4, 5, 6, 8])
@pytest.mark.parametrize("alpha", [1.2, 1.5, 1.8])
def test_symbol_matches_mpmath_hurwitz(p, alpha):
    theta = np.array([1e-12, 1e-6, 1e-3, 0.1, 0.5, 1.0, 2.0, 2.9, 3.1, np.pi])
    got = riesz_symbol(theta, p, alpha)
    want = np.array([float(ref.symbol_hurwitz_mp(t, p, alpha)) for t in theta])
    # a few eps relative on (0, pi], including theta -> 0 where f ~ theta^alpha
    np.testing.assert_allclose(got, want, rtol=8 * EPS, atol=0)


@pytest.mark.parametrize("p, alpha, theta", [(2, 1.5, 0.7), (3, 1.2, 2.5), (5, 1.8, 1.3), (4, 1.5, np.pi)])
def test_symbol_matches_defining_series(p, alpha, theta):
    # independent of the zeta closed form: sum_j |theta+2 pi j|^alpha sinc^(p+1) by mpmath.nsum
    want = float(ref.symbol_series_mp(theta, p, alpha))
    got = float(riesz_symbol(theta, p, alpha))
    assert abs(got - want) <= 8 * EPS * abs(want)


@pytest.mark.parametrize("p", [3, 4])
def test_symbol_at_pi_closed_form(p):
    # f(pi) = 2 pi^alpha (2/pi)^(p+1) lambda(s) (odd p) or beta(s) (even p), s = p + 1 - alpha
    alpha = 1.5
    s = mp.mpf(p + 1) - mp.mpf(alpha)
    if p % 2:
        dirichlet = (1 - mp.mpf(2) ** (-s)) * mp.zeta(s)
    else:
        dirichlet = (mp.zeta(s, mp.mpf(1) / 4) - mp.zeta(s, mp.mpf(3) / 4)) / mp.mpf(4) ** s
    want = float(2 * mp.pi ** mp.mpf(alpha) * (2 / mp.pi) ** (p + 1) * dirichlet)
    assert abs(float(riesz_symbol(np.pi, p, alpha)) - want) <= 8 * EPS * want


def test_symbol_zero_of_order_alpha_and_symmetries():
    p, alpha = 4, 1.3
    tiny = np.array([1e-200, 1e-100, 1e-20, 1e-8])
    ratio = riesz_symbol(tiny, p, alpha) / tiny**alpha
    np.testing.assert_allclose(ratio, 1.0, rtol=4 * EPS)  # f(theta)/theta^alpha -> 1
    assert riesz_symbol(0.0, p, alpha) == 0.0
    theta = np.linspace(0.01, 3.1, 17)
    f = riesz_symbol(theta, p, alpha)
    np.testing.assert_allclose(riesz_symbol(-theta, p, alpha), f, rtol=2 * EPS)  # even
    # periodic; theta + 2 pi carries an absolute rounding of eps * 2 pi, i.e. ~1e-13 relative at theta = 0.01
    np.testing.assert_allclose(riesz_symbol(theta + 2 * np.pi, p, alpha), f, rtol=1e-12)
    assert np.all(f > 0)


def test_symbol_batched_shape():
    theta = np.linspace(0.1, 3.0, 12).reshape(3, 4)
    assert riesz_symbol(theta, 3, 1.5).shape == (3, 4)


@pytest.mark.parametrize("p, alpha", [(2, 1.5), (3, 1.2), (5, 1.8), (8, 1.5)])
def test_symbol_fourier_coefficients_are_toeplitz_coefficients(p, alpha):
    # a_k = (1/pi) int_0^pi f(theta) cos(k theta) dtheta, against psi_{p,alpha}((p+1)/2+k) in mpmath
    a0 = float(ref.toeplitz_mp(0, p, alpha))

    def f(t):
        return float(riesz_symbol(t, p, alpha))

    for k in [0, 1, 2, 5, 20]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", integrate.IntegrationWarning)
            val, _ = integrate.quad(f, 0, np.pi, weight="cos", wvar=k, epsabs=1e-15, epsrel=1e-14, limit=200)
        want = float(ref.toeplitz_mp(k, p, alpha))
        # quadrature of a C^1 integrand: a few eps relative to a_0
        assert abs(val / np.pi - want) <= 16 * EPS * a0, (k, val / np.pi, want)


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        (dict(theta=1.0, degree=1, alpha=1.5), ValueError, "degree"),
        (dict(theta=1.0, degree=2.5, alpha=1.5), TypeError, "degree"),
        (dict(theta=1.0, degree=3, alpha=2.0), ValueError, "alpha"),
        (dict(theta=1.0, degree=3, alpha=1.0), ValueError, "alpha"),
        (dict(theta=1.0, degree=3, alpha=float("nan")), ValueError, "alpha"),
        (dict(theta=np.nan, degree=3, alpha=1.5), ValueError, "theta"),
        (dict(theta="x", degree=3, alpha=1.5), TypeError, "theta"),
    ],
)
def test_symbol_bad_input(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        riesz_symbol(**kwargs)
