"""Tests of specnum.bases.sphharm against independent references.

References: closed forms of degree <= 2, scipy.special.sph_harm_y (converted to the
real form of gaunt.md 1.1), an mpmath twin (explicit finite sum for d^m P_l at raised
precision), dense quadrature sums, a least-squares Wigner D, and exact identities
(addition theorem, rotations about z).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from specnum.bases.sphharm import (
    SphereGrid,
    analysis,
    degree_order,
    flat_index,
    num_coeffs,
    random_rotation,
    real_sph_harm,
    real_sph_harm_xyz,
    rotation_from_euler_zyz,
    sphere_grid,
    synthesis,
    wigner_D_real,
)
from tests.reference.ref_sphharm import (
    ref_analysis_dense,
    ref_real_sph_harm_hyp,
    ref_real_sph_harm_mp,
    ref_real_sph_harm_scipy,
    ref_synthesis_dense,
    ref_wigner_D_lstsq,
)

EPS = np.finfo(float).eps


def _ymax(lmax: int) -> np.ndarray:
    """max over the sphere of |Y_{l,m}| scale, sqrt((2l+1)/(4 pi)), per flat index."""
    l, _ = degree_order(lmax)
    return np.sqrt((2 * l + 1) / (4 * np.pi))


def _random_angles(rng, n):
    return np.arccos(rng.uniform(-1, 1, n)), rng.uniform(0, 2 * np.pi, n)


# ------------------------------------------------------------------ flat index
def test_flat_index_and_degree_order():
    lmax = 6
    l, m = degree_order(lmax)
    assert l.shape == m.shape == (num_coeffs(lmax),) == (49,)
    assert not l.flags.writeable
    k = np.arange(49)
    assert np.array_equal(flat_index(l, m), k)
    assert np.array_equal(l * l + l + m, k)
    assert flat_index(3, -3) == 9 and flat_index(3, 3) == 15
    assert np.all(np.abs(m) <= l)


def test_flat_index_bad_input():
    with pytest.raises(ValueError, match="m must"):
        flat_index(2, 3)
    with pytest.raises(ValueError, match="l must"):
        flat_index(-1, 0)
    with pytest.raises(TypeError, match="l must"):
        flat_index(1.5, 0)
    with pytest.raises(ValueError, match="l and m must broadcast"):
        flat_index(np.arange(2), np.zeros(3, dtype=int))
    # small integer dtypes: 100*100 + 100 must not wrap around in int8
    assert flat_index(np.int8(100), np.int8(-100)) == 10000
    assert flat_index(np.array([100], dtype=np.int8), 0).tolist() == [10100]
    with pytest.raises(ValueError, match="lmax"):
        degree_order(-1)
    with pytest.raises(ValueError, match="lmax"):
        num_coeffs(-2)


# ------------------------------------------------------------------ closed forms
def test_degree_one_and_two_closed_forms():
    rng = np.random.default_rng(1)
    v = rng.standard_normal((50, 3))
    u = v / np.linalg.norm(v, axis=-1, keepdims=True)
    x, y, z = u.T
    Y = real_sph_harm_xyz(2, v)
    c1 = math.sqrt(3 / (4 * math.pi))
    c2 = 0.5 * math.sqrt(15 / math.pi)
    expected = np.stack(
        [
            np.full_like(x, 0.5 / math.sqrt(math.pi)),
            c1 * y, c1 * z, c1 * x,
            c2 * x * y, c2 * y * z, 0.25 * math.sqrt(5 / math.pi) * (3 * z * z - 1), c2 * x * z,
            0.5 * c2 * (x * x - y * y),
        ],
        axis=-1,
    )
    # rounding of a few flops on O(1) values
    np.testing.assert_allclose(Y, expected, rtol=0, atol=16 * EPS)


# ------------------------------------------------------------------ scipy and mpmath
def test_matches_scipy_sph_harm_y():
    rng = np.random.default_rng(2)
    lmax = 24
    theta, phi = _random_angles(rng, 40)
    theta = np.concatenate([theta, [0.0, np.pi, 1e-8, np.pi - 1e-8]])
    phi = np.concatenate([phi, [0.3, 1.0, 2.0, 5.0]])
    Y = real_sph_harm(lmax, theta, phi)
    ref = ref_real_sph_harm_scipy(lmax, theta, phi)
    # relative to max |Y_l|; both sides accurate to O(l eps)
    err = np.abs(Y - ref) / _ymax(lmax)
    assert err.max() < 200 * EPS


def test_condon_shortley_variant_is_sqrt2_re_im_of_scipy():
    from scipy.special import sph_harm_y

    rng = np.random.default_rng(3)
    theta, phi = _random_angles(rng, 20)
    Y = real_sph_harm(5, theta, phi, condon_shortley=True)
    for l in range(6):
        for m in range(-l, l + 1):
            c = sph_harm_y(l, abs(m), theta, phi)
            ref = c.real if m == 0 else math.sqrt(2) * (c.real if m > 0 else c.imag)
            np.testing.assert_allclose(Y[:, l * l + l + m], ref, rtol=0, atol=64 * EPS)
    Y0 = real_sph_harm(5, theta, phi)
    _, m = degree_order(5)
    assert np.array_equal(Y, Y0 * (-1.0) ** np.abs(m))


_MP_POINTS = [(1e-9, 0.3), (np.pi - 1e-7, 2.0), (0.0, 1.0), (0.7, 5.9), (1.5707963, 1.234), (3.0, 4.0)]


def _mp_error(lmax, theta, phi, degrees):
    Y = real_sph_harm(lmax, theta, phi)
    worst = 0.0
    for l in degrees:
        scale = math.sqrt((2 * l + 1) / (4 * math.pi))
        for m in range(-l, l + 1):
            ref = float(ref_real_sph_harm_mp(l, m, theta, phi))
            worst = max(worst, abs(Y[l * l + l + m] - ref) / scale)
    return worst


@pytest.mark.parametrize("theta,phi", _MP_POINTS[:3] + _MP_POINTS[4:5])
def test_matches_mpmath_high_degree(theta, phi):
    # 1e-12 relative to max|Y_l| is the contract; measured ~1e-14 at l = 64
    assert _mp_error(64, theta, phi, [1, 6, 17, 64]) < 1e-12


@pytest.mark.slow
@pytest.mark.parametrize("theta,phi", _MP_POINTS)
def test_matches_mpmath_all_degrees_to_64(theta, phi):
    assert _mp_error(64, theta, phi, range(65)) < 1e-12


# high degree: values far below the float64 range (extended exponents in the kernel).
# (l, m, theta) with phi = 0.7; comments give the true value
_HIGH_DEGREE_CASES = {
    (3000, 1.2): [(3000, 1.0e-92), (-2990, 1.4e-80), (1500, 0.3)],
    (3000, np.pi / 2): [(2999, 1.4e-14), (-3000, 0.5), (10, 0.3)],
    (2000, 0.1): [(-700, 4.1e-302), (-722, 1.1e-320), (-726, 4.9e-324), (-727, 1e-324), (0, 0.7)],
    (1500, 3.0): [(690, 2.3e-280), (1000, 1e-500), (-3, 0.4)],
    (1600, 0.1): [(700, 1.4e-370), (-1600, 1e-1600)],
    (3000, 0.1): [(1500, 2.9e-885), (10, 0.6)],
    (3000, 1e-7): [(10, 4e-44), (0, 20.0), (2, 1e-11)],
    (3000, 1e-3): [(0, 6.0), (-1, 7.0), (40, 1e-50)],
    (3000, np.pi - 1e-5): [(0, 20.0), (-1, 0.3), (5, 1e-18)],
    (3000, 1e-300): [(0, 20.0), (1, 3e-296), (-2, 1e-592)],
}


@pytest.mark.parametrize("lmax, theta", list(_HIGH_DEGREE_CASES))
def test_high_degree_against_mpmath_underflow_gives_correct_tiny_values(lmax, theta):
    # The recurrence is evaluated on float64 x, y, z; the twin (hypergeometric series in mpmath,
    # no exponent limit) takes the same floats, so only the algorithm's error is measured:
    # relative error O(l eps) (measured <= 1.3e-11 at l = 3000 near the poles, where it grows
    # fastest), and values in the subnormal range within one subnormal ulp (2**-1074) of the truth,
    # values below it exactly 0. The whole table, and a synthesis through it, stays finite.
    phi = 0.7
    Y = real_sph_harm(lmax, theta, phi)
    assert np.all(np.isfinite(Y))
    c = np.random.default_rng(lmax).standard_normal(Y.shape[-1])
    assert np.isfinite(Y @ c)
    x, y, z = np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi), np.cos(theta)
    for m, _ in _HIGH_DEGREE_CASES[(lmax, theta)]:
        ref = ref_real_sph_harm_hyp(lmax, m, x, y, z)
        got = Y[lmax * lmax + lmax + m]
        assert abs(got - ref) <= 50 * lmax * EPS * abs(ref) + 2.0**-1074, (m, got, ref)
        if abs(ref) < 2.0**-1075:
            assert got == 0.0


@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_poles_closed_form_at_high_degree(sign):
    # Y_{l,0}(pole) = (+-1)^l sqrt((2l+1)/(4 pi)) (P_l(+-1) = (+-1)^l) and Y_{l,m} = 0 for m != 0;
    # the recurrence at z = +-1 carries O(l eps) rounding (measured 5.3 l eps)
    lmax = 2000
    Y = real_sph_harm_xyz(lmax, [0.0, 0.0, sign])
    l, m = degree_order(lmax)
    expected = np.where(m == 0, sign ** l * np.sqrt((2 * l + 1) / (4 * np.pi)), 0.0)
    assert np.all(np.abs(Y - expected) <= 16 * l * EPS * np.abs(expected))


@pytest.mark.slow
def test_grid_synthesis_at_high_degree_stays_finite():
    # a coarse grid (aliasing allowed) with nodes at theta = 0.28: the Legendre table of degree
    # 1700 holds values below 1e-308 there; synthesis and analysis must stay finite
    lmax = 1700
    g = sphere_grid(4, n_theta=8)
    c = np.random.default_rng(19).standard_normal(num_coeffs(lmax)) / num_coeffs(lmax)
    f = synthesis(c, g, method="separable")
    assert np.all(np.isfinite(f))
    assert np.all(np.isfinite(analysis(f, g, lmax, method="separable")))


def test_mpmath_twins_agree():
    # the hypergeometric twin against the explicit-sum twin (independent formulas)
    for l, m, theta, phi in [(5, 3, 0.7, 0.2), (20, -7, 2.5, 1.0), (64, 40, 1e-9, 3.0), (150, -120, 3.0, 0.4)]:
        x, y, z = np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi), np.cos(theta)
        a = ref_real_sph_harm_hyp(l, m, x, y, z)
        b = ref_real_sph_harm_mp(l, m, theta, phi)
        # the explicit twin takes theta exactly, the hypergeometric one the rounded point:
        # they differ by the conditioning of the point, about m eps relative
        assert abs(a - b) <= 4 * (l + 1) * EPS * abs(b)


def test_mpmath_twin_agrees_with_legenp_at_low_degree():
    # the twin's explicit sum against mpmath.legenp (independent formula) for l <= 6
    for l in range(7):
        for m in range(-l, l + 1):
            a = ref_real_sph_harm_mp(l, m, 0.7, 5.9)
            b = ref_real_sph_harm_mp(l, m, 0.7, 5.9, method="legenp")
            assert abs(a - b) < 1e-25


# ------------------------------------------------------------------ routes, normalisations, shapes
def test_xyz_and_angle_routes_agree_and_scale_invariant():
    rng = np.random.default_rng(4)
    theta, phi = _random_angles(rng, 30)
    v = np.stack([np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi), np.cos(theta)], -1)
    a = real_sph_harm(20, theta, phi)
    b = real_sph_harm_xyz(20, v)
    # only the rounding of x, y, z from the angles differs
    assert np.max(np.abs(a - b) / _ymax(20)) < 100 * EPS
    for s in (1e-200, 3.0, 1e200):
        assert np.max(np.abs(real_sph_harm_xyz(20, s * v) - b) / _ymax(20)) < 100 * EPS


def test_normalizations_addition_theorem():
    rng = np.random.default_rng(5)
    v = rng.standard_normal((25, 3))
    lmax = 12
    l, _ = degree_order(lmax)
    for norm, target in (("integral", lambda ll: (2 * ll + 1) / (4 * np.pi)),
                         ("component", lambda ll: 2 * ll + 1.0),
                         ("norm", lambda ll: np.ones_like(ll, dtype=float))):
        Y = real_sph_harm_xyz(lmax, v, normalization=norm)
        sums = np.stack([np.sum(Y[:, l == d] ** 2, axis=-1) for d in range(lmax + 1)], -1)
        expected = target(np.arange(lmax + 1))
        # sum_m Y_lm^2 is constant on the sphere (addition theorem)
        np.testing.assert_allclose(sums, np.broadcast_to(expected, sums.shape), rtol=100 * EPS)


def test_batched_shapes():
    th = np.linspace(0.1, 3.0, 6).reshape(2, 3)
    ph = np.linspace(0, 6, 3)
    Y = real_sph_harm(3, th, ph)
    assert Y.shape == (2, 3, 16)
    np.testing.assert_array_equal(Y[1, 2], real_sph_harm(3, th[1, 2], ph[2]))
    assert real_sph_harm(3, 0.5, 0.5).shape == (16,)
    v = np.random.default_rng(6).standard_normal((4, 5, 3))
    Yv = real_sph_harm_xyz(2, v)
    assert Yv.shape == (4, 5, 9)
    np.testing.assert_array_equal(Yv[3, 1], real_sph_harm_xyz(2, v[3, 1]))
    assert real_sph_harm_xyz(0, [1.0, 0, 0]).shape == (1,)


def test_evaluation_bad_input():
    with pytest.raises(ValueError, match="lmax"):
        real_sph_harm(-1, 0.1, 0.2)
    with pytest.raises(TypeError, match="lmax"):
        real_sph_harm(2.5, 0.1, 0.2)
    with pytest.raises(ValueError, match="theta"):
        real_sph_harm(2, np.nan, 0.2)
    with pytest.raises(ValueError, match="phi"):
        real_sph_harm(2, 0.1, [0.0, np.inf])
    with pytest.raises(ValueError, match="broadcast"):
        real_sph_harm(2, [0.1, 0.2], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="normalization"):
        real_sph_harm(2, 0.1, 0.2, normalization="schmidt")
    with pytest.raises(TypeError, match="condon_shortley"):
        real_sph_harm(2, 0.1, 0.2, condon_shortley="yes")
    with pytest.raises(ValueError, match="vectors must be nonzero"):
        real_sph_harm_xyz(2, [[1.0, 0, 0], [0, 0, 0]])
    with pytest.raises(ValueError, match="vectors"):
        real_sph_harm_xyz(2, [1.0, 0.0])
    with pytest.raises(ValueError, match="vectors"):
        real_sph_harm_xyz(2, [1.0, np.nan, 0.0])


# ------------------------------------------------------------------ grids and transforms
@pytest.mark.parametrize("lmax", [0, 1, 5, 16, 32])
def test_orthonormality_on_sphere_grid(lmax):
    g = sphere_grid(2 * lmax)
    assert g.shape == (lmax + 1, 2 * lmax + 1)
    Y = real_sph_harm_xyz(lmax, g.xyz()).reshape(-1, num_coeffs(lmax))
    gram = Y.T @ (g.weights.reshape(-1, 1) * Y)
    # exact quadrature: only rounding of the sum over (lmax+1)(2lmax+1) nodes remains
    assert np.max(np.abs(gram - np.eye(num_coeffs(lmax)))) < 1e-13


def test_orthonormality_lmax_64_separable():
    # at lmax = 64 check the latitude factor per m (Gauss-Legendre part) and the round trip
    lmax = 64
    g = sphere_grid(2 * lmax)
    Y0 = real_sph_harm(lmax, g.theta, 0.0)  # (n_theta, K): sqrt2 N Pbar (m > 0), N P (m = 0)
    l, m = degree_order(lmax)
    worst = 0.0
    for mm in range(0, lmax + 1, 7):
        cols = Y0[:, (m == mm)]
        factor = 2 * np.pi if mm == 0 else np.pi  # int cos^2(m phi) = pi, times (sqrt2)^2 / 2
        gram = factor * cols.T @ (g.theta_weights[:, None] * cols)
        worst = max(worst, np.max(np.abs(gram - np.eye(cols.shape[1]))))
    assert worst < 1e-13
    c = np.random.default_rng(7).standard_normal((2, num_coeffs(lmax)))
    assert np.max(np.abs(analysis(synthesis(c, g), g, lmax) - c)) < 1e-12  # separable (auto)


def test_sphere_grid_exactness_degree_is_sharp():
    for D in (0, 3, 8, 13):
        g = sphere_grid(D)
        assert g.degree >= D and g.n_theta == D // 2 + 1 and g.n_phi == D + 1
        w = g.weights
        assert abs(w.sum() - 4 * np.pi) < 32 * EPS
        z = np.cos(g.theta)[:, None]
        Deven = D - D % 2
        # int z^n dOmega = 4 pi/(n+1) for even n (exact up to rounding)
        assert abs(np.sum(w * z**Deven) - 4 * np.pi / (Deven + 1)) < 64 * EPS
        # degree 2 n_theta (next even) is NOT integrated exactly by n_theta Gauss points
        n = 2 * g.n_theta
        assert abs(np.sum(w * z**n) - 4 * np.pi / (n + 1)) > 1e-6
        # azimuthal degree n_phi - 1 integrates to 0, degree n_phi is aliased onto a constant
        assert abs(np.sum(w * np.cos((g.n_phi - 1) * g.phi)[None, :])) < 64 * EPS or g.n_phi == 1
        assert abs(np.sum(w * np.cos(g.n_phi * g.phi)[None, :]) - 4 * np.pi) < 64 * EPS
        assert np.allclose(g.points()[..., 0], g.theta[:, None]) and g.xyz().shape == g.shape + (3,)
    assert sphere_grid(4) is sphere_grid(4)
    assert isinstance(sphere_grid(4), SphereGrid)


@pytest.mark.parametrize("method", ["separable", "dense", "auto"])
@pytest.mark.parametrize("lmax", [0, 1, 3, 12])
def test_transforms_match_dense_twins(lmax, method):
    rng = np.random.default_rng(8 + lmax)
    g = sphere_grid(2 * lmax)
    c = rng.standard_normal((3, 2, num_coeffs(lmax)))
    f = synthesis(c, g, method=method)
    assert f.shape == (3, 2) + g.shape
    ref_f = ref_synthesis_dense(c, g.theta, g.phi)
    # sums of (lmax+1)^2 O(sqrt(l)) terms
    assert np.max(np.abs(f - ref_f)) < 100 * num_coeffs(lmax) * EPS
    vals = rng.standard_normal((4,) + g.shape)
    a = analysis(vals, g, lmax, method=method)
    ref_a = ref_analysis_dense(vals, g.theta, g.phi, g.weights, lmax)
    assert a.shape == (4, num_coeffs(lmax))
    assert np.max(np.abs(a - ref_a)) < 100 * g.n_theta * g.n_phi * EPS
    # round trip
    tol = 100 * num_coeffs(lmax) * EPS
    assert np.max(np.abs(analysis(f, g, lmax, method=method) - c)) < tol
    assert np.max(np.abs(g.analysis(g.synthesis(c, method=method), method=method) - c)) < tol


def test_transforms_with_aliasing_and_even_nphi():
    # grids coarser or finer than 2 lmax: synthesis still gives point values; analysis still
    # matches the dense quadrature sum (orders beyond n_phi/2 are folded)
    rng = np.random.default_rng(9)
    lmax = 9
    c = rng.standard_normal((2, num_coeffs(lmax)))
    grids = (sphere_grid(5), sphere_grid(6, n_phi=10), sphere_grid(18, n_theta=12, n_phi=24))
    for g, method in [(g, meth) for g in grids for meth in ("separable", "dense")]:
        f = synthesis(c, g, method=method)
        assert np.max(np.abs(f - ref_synthesis_dense(c, g.theta, g.phi))) < 1e-12
        vals = rng.standard_normal(g.shape)
        a = analysis(vals, g, lmax, method=method)
        assert np.max(np.abs(a - ref_analysis_dense(vals, g.theta, g.phi, g.weights, lmax))) < 1e-12


def test_grid_product_projection_exact():
    # product of two band-limited functions projected on a grid of degree l1 + l2 + lout
    rng = np.random.default_rng(10)
    l1, l2 = 3, 4
    g = sphere_grid(2 * (l1 + l2))
    c1 = rng.standard_normal(num_coeffs(l1))
    c2 = rng.standard_normal(num_coeffs(l2))
    c = analysis(synthesis(c1, g) * synthesis(c2, g), g, l1 + l2)
    fine = sphere_grid(40)
    direct = synthesis(c1, fine) * synthesis(c2, fine)
    assert np.max(np.abs(synthesis(c, fine) - direct)) < 1e-12


def test_grid_bad_input():
    g = sphere_grid(4)
    with pytest.raises(ValueError, match="degree"):
        sphere_grid(-1)
    with pytest.raises(ValueError, match="n_theta"):
        sphere_grid(8, n_theta=2)
    with pytest.raises(ValueError, match="n_phi"):
        sphere_grid(8, n_phi=8)
    with pytest.raises(ValueError, match="values"):
        analysis(np.zeros((3, 4)), g)
    with pytest.raises(ValueError, match="values"):
        analysis(np.full(g.shape, np.nan), g)
    with pytest.raises(TypeError, match="grid"):
        analysis(np.zeros(g.shape), "grid")
    with pytest.raises(ValueError, match="coeffs"):
        synthesis(np.zeros(5), g)
    with pytest.raises(TypeError, match="grid"):
        synthesis(np.zeros(4), None)
    with pytest.raises(ValueError, match="method"):
        synthesis(np.zeros(4), g, method="fast")
    with pytest.raises(ValueError, match="method"):
        analysis(np.zeros(g.shape), g, method="fast")
    with pytest.raises(ValueError, match="lmax"):
        analysis(np.zeros(g.shape), g, -1)
    with pytest.raises(ValueError, match="theta"):
        SphereGrid(2, 3, np.zeros(3), np.zeros(3), np.zeros(2), 1.0)


# ------------------------------------------------------------------ Wigner D
def _max_dev(a, b):
    return float(np.max(np.abs(a - b)))


def test_wigner_identity_and_degree_one_block():
    lmax = 6
    assert _max_dev(wigner_D_real(lmax, np.eye(3)), np.eye(num_coeffs(lmax))) < 4 * EPS
    R = random_rotation(np.random.default_rng(11))
    D = wigner_D_real(lmax, R)
    P = np.array([[0, 1, 0], [0, 0, 1], [1, 0, 0]])  # (x, y, z) -> (y, z, x)
    assert _max_dev(D[1:4, 1:4], P @ R @ P.T) == 0.0
    l, _ = degree_order(lmax)
    assert np.all(D[l[:, None] != l[None, :]] == 0.0)  # block diagonal


def test_wigner_rotation_about_z_closed_form():
    a = 0.83
    lmax = 7
    D = wigner_D_real(lmax, rotation_from_euler_zyz(a, 0.0, 0.0))
    E = np.zeros_like(D)
    for l in range(lmax + 1):
        o = l * l + l
        E[o, o] = 1.0
        for m in range(1, l + 1):
            # Y_{l,m}(phi + a): cos(m(phi+a)) = cos cos - sin sin, sin(m(phi+a)) = sin cos + cos sin
            E[o + m, o + m] = E[o - m, o - m] = math.cos(m * a)
            E[o + m, o - m] = -math.sin(m * a)
            E[o - m, o + m] = math.sin(m * a)
    assert _max_dev(D, E) < 64 * EPS


def test_wigner_equivariance_orthogonality_homomorphism():
    rng = np.random.default_rng(12)
    lmax = 10
    R1, R2 = random_rotation(rng), random_rotation(rng)
    D1, D2, D12 = wigner_D_real(lmax, R1), wigner_D_real(lmax, R2), wigner_D_real(lmax, R1 @ R2)
    K = num_coeffs(lmax)
    # O(l) rounding growth of the recursion, measured ~1e-14
    assert _max_dev(D1 @ D1.T, np.eye(K)) < 200 * EPS
    assert _max_dev(D12, D1 @ D2) < 200 * EPS
    assert _max_dev(wigner_D_real(lmax, R1.T), D1.T) < 200 * EPS
    v = rng.standard_normal((30, 3))
    lhs = real_sph_harm_xyz(lmax, v @ R1.T)
    rhs = real_sph_harm_xyz(lmax, v) @ D1.T
    assert _max_dev(lhs, rhs) < 400 * EPS


def test_wigner_matches_lstsq_twin():
    rng = np.random.default_rng(13)
    R = rotation_from_euler_zyz(0.3, 1.1, -0.7)
    D = wigner_D_real(5, R)
    ref = ref_wigner_D_lstsq(5, R, rng)
    assert _max_dev(D, ref) < 1e-13


def test_wigner_high_degree_stays_orthogonal():
    R = random_rotation(np.random.default_rng(14))
    lmax = 40
    D = wigner_D_real(lmax, R)
    s = slice(lmax * lmax, num_coeffs(lmax))
    blk = D[s, s]
    assert _max_dev(blk @ blk.T, np.eye(2 * lmax + 1)) < 1e-12
    v = np.random.default_rng(15).standard_normal((5, 3))
    lhs = real_sph_harm_xyz(lmax, v @ R.T)[:, s]
    rhs = real_sph_harm_xyz(lmax, v)[:, s] @ blk.T
    assert _max_dev(lhs, rhs) / math.sqrt((2 * lmax + 1) / (4 * math.pi)) < 1e-12


def test_wigner_batched():
    rng = np.random.default_rng(16)
    Rs = random_rotation(rng, size=(2, 3))
    assert Rs.shape == (2, 3, 3, 3)
    D = wigner_D_real(3, Rs)
    assert D.shape == (2, 3, 16, 16)
    assert _max_dev(D[1, 2], wigner_D_real(3, Rs[1, 2])) == 0.0
    E = rotation_from_euler_zyz([0.1, 0.2], 0.5, -0.3)
    assert E.shape == (2, 3, 3)


def test_wigner_bad_rotation():
    with pytest.raises(ValueError, match="R must have shape"):
        wigner_D_real(2, np.eye(2))
    with pytest.raises(ValueError, match="R must be orthogonal"):
        wigner_D_real(2, 1.01 * np.eye(3))
    with pytest.raises(ValueError, match="R must be a proper rotation"):
        wigner_D_real(2, np.diag([1.0, 1.0, -1.0]))
    with pytest.raises(ValueError, match="R"):
        wigner_D_real(2, np.full((3, 3), np.nan))
    with pytest.raises(ValueError, match="lmax"):
        wigner_D_real(-1, np.eye(3))


def test_random_rotation_is_haar_like():
    rng = np.random.default_rng(17)
    Rs = random_rotation(rng, size=20000)
    assert _max_dev(np.einsum("nij,nkj->nik", Rs, Rs), np.broadcast_to(np.eye(3), Rs.shape)) < 1e-14
    assert np.all(np.linalg.det(Rs) > 0)
    # Haar: E[R] = 0 and E[R_ij^2] = 1/3; std of a mean over N samples ~ 0.58/sqrt(N) = 0.004
    assert np.max(np.abs(Rs.mean(axis=0))) < 0.025
    assert np.max(np.abs((Rs**2).mean(axis=0) - 1 / 3)) < 0.025
    # the rotation angle of a Haar rotation has density (1 - cos t)/pi: E[cos t] = -1/2 ... via trace
    trace = np.trace(Rs, axis1=1, axis2=2)
    assert abs(trace.mean()) < 0.03  # E[1 + 2 cos t] = 0
    with pytest.raises(TypeError, match="rng"):
        random_rotation("seed")
    np.testing.assert_array_equal(random_rotation(5), random_rotation(np.random.default_rng(5)))


def test_rotation_helpers_bad_input_named():
    rng = np.random.default_rng(18)
    with pytest.raises(ValueError, match="size"):
        random_rotation(rng, size=-1)
    with pytest.raises(ValueError, match="size"):
        random_rotation(rng, size=(2, -1))
    with pytest.raises(TypeError, match="size"):
        random_rotation(rng, size=2.5)
    assert random_rotation(rng, size=[2, 3]).shape == (2, 3, 3, 3)
    with pytest.raises(ValueError, match="alpha, beta and gamma"):
        rotation_from_euler_zyz(np.ones(2), np.ones(3), 0.0)
    with pytest.raises(ValueError, match="beta"):
        rotation_from_euler_zyz(0.0, np.inf, 0.0)
