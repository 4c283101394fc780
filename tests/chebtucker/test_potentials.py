"""Long-range potentials, short-range sums, energies and forces against direct sums and mpmath."""

from __future__ import annotations

import warnings

import mpmath as mp
import numpy as np
import pytest
from ref_chebtucker import direct_sum_naive

from specnum.chebtucker import (
    coulomb_energy_forces,
    direct_energy_forces,
    direct_gradient,
    direct_potential,
    gaussian_quadrature,
    long_range_potential,
    short_range_potential,
    split_kernel,
    total_potential,
)
from specnum.errors import SpecnumWarning

EPS = np.finfo(float).eps


def lattice_512(spacing=1.0):
    g = (np.arange(8) - 3.5) * spacing
    pos = np.stack(np.meshgrid(g, g, g, indexing="ij"), -1).reshape(-1, 3)
    q = ((-1.0) ** np.indices((8, 8, 8)).sum(0)).reshape(-1)
    return pos, q


@pytest.fixture(scope="module")
def cluster():
    rng = np.random.default_rng(11)
    pos = rng.normal(0.0, 1.5, (300, 3)).clip(-6.5, 6.5)
    q = rng.uniform(-1, 1, 300)
    return pos, q


# ------------------------------------------------------------------ kernels
def _lr_mp(r, kernel, kappa, r0):
    if kernel == "yukawa":
        fun = lambda t: 2 / mp.sqrt(mp.pi) * mp.exp(-t * t * r * r - kappa**2 / (4 * t * t))  # noqa: E731
    else:
        fun = lambda t: kappa / mp.sqrt(mp.pi) * mp.exp(-t * t * r * r - kappa**2 / (4 * t * t)) / t**2  # noqa: E731
    return float(mp.quad(fun, [0, kappa / 8, kappa / 4, kappa / 2, 1 / r0]))


@pytest.mark.parametrize("kernel, kappa", [("yukawa", 0.7), ("slater", 1.3), ("yukawa", 3.0)])
def test_split_kernel_against_mpmath(kernel, kappa):
    r = np.array([0.0, 0.2, 1.0, 2.5, 6.0])
    lo, sh = split_kernel(r, kernel, r0=1.0, kappa=kappa)
    ref = np.array([_lr_mp(x, kernel, kappa, 1.0) for x in r])
    # Gauss-Legendre in t, graded: ~1e-15 relative to L(0)
    np.testing.assert_allclose(lo, ref, rtol=0, atol=1e-13 * ref[0])
    if kernel == "yukawa":
        np.testing.assert_allclose((lo + sh)[1:], np.exp(-kappa * r[1:]) / r[1:], rtol=1e-14)
        assert sh[0] == 0.0  # singular kernel: no self term
    else:
        np.testing.assert_allclose(lo + sh, np.exp(-kappa * r), rtol=1e-14)  # K(0) = 1 included


def test_split_kernel_newton_closed_form():
    r = np.array([1e-5, 0.3, 2.0, 7.0])
    lo, sh = split_kernel(r, r0=0.8)
    ref = np.array([float(mp.erf(x / 0.8) / x) for x in r])
    np.testing.assert_allclose(lo, ref, rtol=10 * EPS)
    np.testing.assert_allclose(lo + sh, 1 / r, rtol=10 * EPS)


@pytest.mark.parametrize("kernel", ["newton", "erf", "erfc", "yukawa", "slater"])
def test_direct_potential_matches_naive_twin(kernel):
    rng = np.random.default_rng(0)
    src = rng.uniform(-2, 2, (60, 3))
    q = rng.uniform(-1, 1, 60)
    tgt = np.vstack([rng.uniform(-2, 2, (40, 3)), src[:3]])  # include targets on sources
    v = direct_potential(src, q, tgt, kernel=kernel, r0=0.7, kappa=0.9)
    ref = direct_sum_naive(src, q, tgt, kernel, r0=0.7, kappa=0.9)
    # the same sums in a different order; 1/r values up to ~1e2
    np.testing.assert_allclose(v, ref, rtol=1e-13, atol=1e-13 * np.max(np.abs(ref)))
    batched = direct_potential(src, q, tgt[:42].reshape(2, 21, 3), kernel=kernel, r0=0.7, kappa=0.9)
    assert batched.shape == (2, 21)
    np.testing.assert_array_equal(batched.reshape(-1), v[:42])


@pytest.mark.parametrize("kernel", ["newton", "erf", "yukawa", "slater"])
def test_direct_gradient_matches_finite_differences(kernel):
    rng = np.random.default_rng(1)
    src = rng.uniform(-2, 2, (30, 3))
    q = rng.uniform(-1, 1, 30)
    tgt = rng.uniform(-2, 2, (10, 3))
    g = direct_gradient(src, q, tgt, kernel=kernel, r0=0.7, kappa=0.9)
    h = 1e-5
    def ref(t):
        return direct_sum_naive(src, q, t, kernel, 0.7, 0.9)

    fd = np.stack([(ref(tgt + h * e) - ref(tgt - h * e)) / (2 * h) for e in np.eye(3)], axis=1)
    # central differences: O(h^2 f''') plus rounding eps/h
    np.testing.assert_allclose(g, fd, rtol=0, atol=1e-7 * np.max(np.abs(fd)))


# ------------------------------------------------------------ long range
@pytest.mark.parametrize("rtol", [1e-6, 1e-9])
def test_lattice_long_range_matches_direct_sum(rtol):
    pos, q = lattice_512()
    box = ((-5.0, 5.0),) * 3
    v = long_range_potential(pos, q, box, r0=1.0, rtol=rtol)
    tgt = np.random.default_rng(2).uniform(-5, 5, (1500, 3))
    ref = direct_potential(pos, q, tgt, kernel="erf", r0=1.0)
    err = np.max(np.abs(v(tgt) - ref))
    assert err <= rtol * np.max(np.abs(ref)), (err, v)
    assert max(v.ranks) <= 12  # the alternating lattice is strongly compressible


def test_cluster_long_range_and_gradient(cluster):
    pos, q = cluster
    box = ((-7.0, 7.0),) * 3
    rtol = 1e-8
    v = long_range_potential(pos, q, box, r0=1.0, rtol=rtol)
    tgt = np.random.default_rng(3).uniform(-7, 7, (1500, 3))
    ref = direct_potential(pos, q, tgt, kernel="erf", r0=1.0)
    assert np.max(np.abs(v(tgt) - ref)) <= rtol * np.max(np.abs(ref))
    gref = direct_gradient(pos, q, tgt, kernel="erf", r0=1.0)
    # derivatives of a degree-n interpolant lose ~ a factor n relative to the values
    assert np.max(np.abs(v.gradient(tgt) - gref)) <= 100 * rtol * np.max(np.abs(gref))
    h = 1e-4
    fd = np.stack([(v(tgt[:50] + h * e) - v(tgt[:50] - h * e)) / (2 * h) for e in np.eye(3)], axis=1)
    assert np.max(np.abs(v.gradient(tgt[:50]) - fd)) <= 1e-7 * np.max(np.abs(gref))


def test_literal_cp_route_agrees():
    rng = np.random.default_rng(8)
    pos = rng.normal(0, 1.5, (40, 3)).clip(-4, 4)
    q = rng.uniform(-1, 1, 40)
    box = ((-5.0, 5.0),) * 3
    tgt = rng.uniform(-5, 5, (400, 3))
    ref = direct_potential(pos, q, tgt, kernel="erf")
    v_cp = long_range_potential(pos, q, box, rtol=1e-9, method="cp")
    v_in = long_range_potential(pos, q, box, rtol=1e-9)
    assert np.max(np.abs(v_cp(tgt) - ref)) <= 1e-9 * np.max(np.abs(ref))
    assert abs(max(v_cp.ranks) - max(v_in.ranks)) <= 1


def test_ranks_flat_in_particle_number():
    rng = np.random.default_rng(4)
    box = ((-6.0, 6.0),) * 3
    ranks = []
    for n_part in (100, 400, 1600):
        pos = rng.uniform(-5, 5, (n_part, 3))
        q = rng.uniform(-1, 1, n_part)
        ranks.append(max(long_range_potential(pos, q, box, r0=1.5, rtol=1e-8).ranks))
    # fixed box and r0: the rank is bounded by the resolution, not by N (measured 23, 24, 23)
    assert max(ranks) - min(ranks) <= 2, ranks


def test_zero_charges_and_warning():
    pos = np.zeros((3, 3))
    v = long_range_potential(pos, np.zeros(3), ((-1, 1),) * 3)
    assert v.ranks == (0, 0, 0) and v(np.zeros(3)) == 0.0
    with pytest.warns(SpecnumWarning, match="n_max"):
        long_range_potential(np.array([[0.0, 0.0, 0.0]]), [1.0], ((-20, 20),) * 3, r0=0.2, n_max=64)


# --------------------------------------------------------- energies, forces
@pytest.fixture(scope="module")
def small_system():
    rng = np.random.default_rng(5)
    pos = rng.uniform(-3, 3, (150, 3))
    q = rng.uniform(-1, 1, 150)
    return pos, q


@pytest.mark.parametrize("kernel, kappa", [("newton", 1.0), ("yukawa", 0.7), ("slater", 1.3)])
def test_energy_and_forces_match_direct_coulomb_sum(small_system, kernel, kappa):
    pos, q = small_system
    ef = coulomb_energy_forces(pos, q, r0=1.0, rtol=1e-9, kernel=kernel, kappa=kappa)
    ref = direct_energy_forces(pos, q, kernel=kernel, kappa=kappa)
    scale = 0.5 * np.sum(np.abs(q)) ** 2 / pos.shape[0]  # typical size of the pair-energy terms
    assert abs(ef.energy - ref.energy) <= 1e-8 * max(abs(ref.energy), scale)
    assert abs(ef.energy_long + ef.energy_short - ef.energy) <= 1e-12 * scale
    np.testing.assert_allclose(ef.forces, ref.forces, rtol=0, atol=1e-7 * np.max(np.abs(ref.forces)))


def test_direct_energy_against_pair_loop():
    rng = np.random.default_rng(6)
    pos = rng.uniform(-1, 1, (20, 3))
    q = rng.uniform(-1, 1, 20)
    e = sum(q[i] * q[j] / np.linalg.norm(pos[i] - pos[j]) for i in range(20) for j in range(i))
    assert abs(direct_energy_forces(pos, q).energy - e) <= 1e-13 * abs(e) + 1e-13


@pytest.mark.parametrize("kernel, kappa", [("newton", 1.0), ("yukawa", 0.5), ("slater", 2.0)])
def test_total_potential_matches_direct(small_system, kernel, kappa):
    pos, q = small_system
    box = ((-3.2, 3.2),) * 3
    tgt = np.random.default_rng(7).uniform(-3.2, 3.2, (400, 3))
    tp = total_potential(pos, q, tgt, box, r0=1.0, rtol=1e-9, kernel=kernel, kappa=kappa)
    ref = direct_potential(pos, q, tgt, kernel=kernel, kappa=kappa)
    assert np.max(np.abs(tp - ref)) <= 1e-8 * np.max(np.abs(ref))
    sr = short_range_potential(pos, q, tgt, 1.0, kernel=kernel, kappa=kappa, rtol=1e-9)
    assert sr.shape == (400,)


def test_short_range_matches_direct_erfc_sum(small_system):
    pos, q = small_system
    tgt = np.vstack([np.random.default_rng(9).uniform(-3, 3, (200, 3)), pos[:5]])
    sr = short_range_potential(pos, q, tgt, 0.8, rtol=1e-10)
    ref = direct_sum_naive(pos, q, tgt, "erfc", r0=0.8)
    # cutoff r0 erfcinv(1e-11): the neglected tail is below 1e-11 / r_c per charge
    np.testing.assert_allclose(sr, ref, rtol=0, atol=1e-10 * np.max(np.abs(ref)))
    sl = short_range_potential(pos, q, tgt, 0.8, kernel="slater", kappa=1.1, rtol=1e-10)
    lo, _ = split_kernel(np.zeros(1), "slater", 0.8, 1.1)
    ref_sl = direct_sum_naive(pos, q, tgt, "slater", kappa=1.1) - _lr_direct(pos, q, tgt, "slater", 0.8, 1.1)
    np.testing.assert_allclose(sl, ref_sl, rtol=0, atol=1e-10 * lo[0] * np.sum(np.abs(q)))


def _lr_direct(pos, q, tgt, kernel, r0, kappa):
    d = np.sqrt(((tgt[:, None, :] - pos[None, :, :]) ** 2).sum(-1))
    lo, _ = split_kernel(d, kernel, r0, kappa)
    return lo @ q


# ---------------------------------------------------------------- bad input
def test_yukawa_with_zero_screening_is_newton():
    # kappa = 0 used to make the dyadic t-grid start at 0 and never end; the closed form is erf(r/r0)/r
    r = np.array([1e-3, 0.3, 2.0])
    lo, sh = split_kernel(r, "yukawa", r0=0.8, kappa=0.0)
    ref = np.array([float(mp.erf(x / 0.8) / x) for x in r])
    np.testing.assert_allclose(lo, ref, rtol=100 * EPS)  # Gaussian-sum quadrature, ~1e-15 relative
    np.testing.assert_allclose(lo + sh, 1 / r, rtol=10 * EPS)


def test_gaussian_quadrature_bad_input():
    with pytest.raises(ValueError, match="max_distance"):
        gaussian_quadrature(-2.0, 0.5)
    with pytest.raises(ValueError, match="max_distance"):
        gaussian_quadrature(0.0, 0.5)
    with pytest.raises(ValueError, match="r0"):
        gaussian_quadrature(1.0, 0.0)
    with pytest.raises(ValueError, match="kernel"):
        gaussian_quadrature(1.0, 0.5, kernel="coulomb")
    with pytest.raises(ValueError, match="points_per_interval"):
        gaussian_quadrature(1.0, 0.5, points_per_interval=0)


def test_potentials_bad_input():
    pos = np.zeros((4, 3))
    box = ((-1, 1),) * 3
    with pytest.raises(ValueError, match="charges"):
        long_range_potential(pos, np.ones(3), box)
    with pytest.raises(ValueError, match="positions"):
        long_range_potential(np.zeros((4, 2)), np.ones(4), box)
    with pytest.raises(ValueError, match="r0"):
        long_range_potential(pos, np.ones(4), box, r0=0.0)
    with pytest.raises(ValueError, match="kernel"):
        long_range_potential(pos, np.ones(4), box, kernel="coulomb")
    with pytest.raises(ValueError, match="rtol"):
        long_range_potential(pos, np.ones(4), box, rtol=2.0)
    with pytest.raises(ValueError, match="method"):
        long_range_potential(pos, np.ones(4), box, method="fmm")
    with pytest.raises(ValueError, match="box"):
        long_range_potential(pos, np.ones(4), ((1, -1), (0, 1), (0, 1)))
    with pytest.raises(ValueError, match="targets"):
        direct_potential(pos, np.ones(4), np.zeros((3, 4)))
    with pytest.raises(ValueError, match="positions"):
        coulomb_energy_forces(pos + 5.0, np.ones(4), box=box)
    with pytest.raises(ValueError, match="targets"):
        total_potential(pos, np.ones(4), np.full((1, 3), 3.0), box)
    with pytest.raises(ValueError, match="r"):
        split_kernel([-1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        split_kernel([0.0, 1.0], "slater", kappa=1.0)
