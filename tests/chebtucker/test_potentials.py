"""Long-range potentials, short-range sums, energies and forces against direct sums and mpmath."""

from __future__ import annotations

import warnings

import mpmath as mp
import numpy as np
import pytest
from ref_chebtucker import direct_sum_naive, short_pairs_naive, short_range_naive

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
from specnum.chebtucker import potentials as _potentials
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
    # random targets and targets on sources (the direct sum skips the singular self pair)
    tgt = np.vstack([np.random.default_rng(7).uniform(-3.2, 3.2, (400, 3)), pos[:6]])
    tp = total_potential(pos, q, tgt, box, r0=1.0, rtol=1e-9, kernel=kernel, kappa=kappa)
    ref = direct_potential(pos, q, tgt, kernel=kernel, kappa=kappa)
    assert np.max(np.abs(tp - ref)) <= 1e-8 * np.max(np.abs(ref))
    sr = short_range_potential(pos, q, tgt, 1.0, kernel=kernel, kappa=kappa, rtol=1e-9)
    assert sr.shape == (406,)


def test_short_range_matches_direct_erfc_sum(small_system):
    pos, q = small_system
    tgt = np.vstack([np.random.default_rng(9).uniform(-3, 3, (200, 3)), pos[:5]])
    sr = short_range_potential(pos, q, tgt, 0.8, rtol=1e-10)
    ref = direct_sum_naive(pos, q, tgt, "erfc", r0=0.8)
    # cutoff r0 erfcinv(1e-11): the neglected tail is below 1e-11 / r_c per charge
    np.testing.assert_allclose(sr, ref, rtol=0, atol=1e-10 * np.max(np.abs(ref)))
    sl = short_range_potential(pos, q, tgt, 0.8, kernel="slater", kappa=1.1, rtol=1e-10)
    lo, _ = split_kernel(np.zeros(1), "slater", r0=0.8, kappa=1.1)
    ref_sl = direct_sum_naive(pos, q, tgt, "slater", kappa=1.1) - _lr_direct(pos, q, tgt, "slater", 0.8, 1.1)
    np.testing.assert_allclose(sl, ref_sl, rtol=0, atol=1e-10 * lo[0] * np.sum(np.abs(q)))


def _lr_direct(pos, q, tgt, kernel, r0, kappa):
    d = np.sqrt(((tgt[:, None, :] - pos[None, :, :]) ** 2).sum(-1))
    lo, _ = split_kernel(d, kernel, r0=r0, kappa=kappa)
    return lo @ q


# ------------------------------------------------- short range: cell list
SHORT_CASES = [("newton", 1.0), ("yukawa", 0.7), ("yukawa", 6.0), ("slater", 1.3), ("slater", 0.05)]


def _rounding_factor(kernel, kappa, r0, rc):
    """Condition of S: exponents of size kappa r + (r/r0)^2 + (kappa r0/2)^2, rounded relatively."""
    k = 0.0 if kernel == "newton" else kappa
    return 1.0 + k * rc + (rc / r0) ** 2 + (k * r0) ** 2 / 4


def _awkward_system(rng, rc, n=300, half=3.0, duplicates=7):
    """Random sources plus points on column boundaries, duplicates, and corners fixing the box."""
    pos = rng.uniform(-half, half, (n, 3))
    corners = np.array([[-half, -half, -half], [half, half, half]])
    pos = np.vstack([pos, corners])
    lo, h, dims = _potentials._column_grid(pos, rc)
    # points exactly on the column boundaries lo + k h (x and y), random z
    kx = np.arange(dims[0] + 1)
    ky = rng.integers(0, dims[1] + 1, kx.shape[0])
    edge = np.stack([lo[0] + kx * h[0], lo[1] + ky * h[1], rng.uniform(-half, half, kx.shape[0])], 1)
    edge = np.clip(edge, -half, half)
    pos = np.vstack([pos, edge, pos[:duplicates]])  # coincident duplicates
    q = rng.uniform(-1, 1, pos.shape[0])
    return pos, q


@pytest.mark.parametrize("kernel, kappa", SHORT_CASES)
def test_short_range_cell_list_matches_brute_force(kernel, kappa):
    rng = np.random.default_rng(21)
    r0, rc = 0.6, 1.7
    pos, q = _awkward_system(rng, rc)
    tgt = np.vstack([
        rng.uniform(-3.0, 3.0, (150, 3)),
        pos[:10],  # targets on sources (self terms)
        pos[-12:-7] + np.array([0.0, 0.0, 1e-9]),  # targets next to sources
        rng.uniform(-3.0 - rc, 3.0 + rc, (100, 3)),  # outside the sources' bounding box
        [[50.0, 0.0, 0.0], [0.0, -1e9, 0.0], [3.0 + 0.99 * rc, 3.0, 3.0]],  # far away / just inside
    ])
    sr = short_range_potential(pos, q, tgt, r0, kernel=kernel, kappa=kappa, cutoff=rc)
    ref, mag = short_range_naive(pos, q, tgt, kernel, r0, kappa, rc)
    # the same terms (r < rc) summed in another order: rounding of each S and of the sum
    tol = 32 * EPS * _rounding_factor(kernel, kappa, r0, rc) * mag
    assert np.all(np.abs(sr - ref) <= tol), np.max(np.abs(sr - ref) / np.maximum(tol, 1e-300))
    assert sr[-3] == 0.0 and sr[-2] == 0.0 and sr[-1] != 0.0
    assert np.count_nonzero(mag) > 0.9 * tgt.shape[0] - 100  # the test is not vacuous


@pytest.mark.parametrize("kernel, kappa", [("newton", 1.0), ("slater", 1.3)])
def test_short_range_cutoff_larger_than_box_and_tiny_cutoff(kernel, kappa):
    rng = np.random.default_rng(22)
    pos = rng.uniform(-1, 1, (80, 3))
    q = rng.uniform(-1, 1, 80)
    tgt = rng.uniform(-2, 2, (60, 3))
    r0 = 0.7
    for rc in (10.0, 0.05):  # all pairs / almost none
        sr = short_range_potential(pos, q, tgt, r0, kernel=kernel, kappa=kappa, cutoff=rc)
        ref, mag = short_range_naive(pos, q, tgt, kernel, r0, kappa, rc)
        assert np.all(np.abs(sr - ref) <= 32 * EPS * _rounding_factor(kernel, kappa, r0, rc) * mag)
    # huge box, tiny cutoff: the column count is capped (~2 N + 64), result still exact
    far = np.vstack([rng.uniform(0, 1e6, (40, 3)), [[5.0, 5.0, 5.0], [5.0, 5.0, 5.03]]])
    qf = rng.uniform(-1, 1, far.shape[0])
    lo, h, dims = _potentials._column_grid(far, 0.05)
    assert np.prod(dims) <= 2 * far.shape[0] + 64 and np.all(h >= 0.05 / _potentials._REACH)
    tf = np.vstack([far[-2:], [[5.0, 5.0, 5.02]], far[:3]])
    sr = short_range_potential(far, qf, tf, 0.02, kernel=kernel, kappa=kappa, cutoff=0.05)
    ref, mag = short_range_naive(far, qf, tf, kernel, 0.02, kappa, 0.05)
    assert np.all(mag[:3] > 0)
    assert np.all(np.abs(sr - ref) <= 32 * EPS * _rounding_factor(kernel, kappa, 0.02, 0.05) * mag)


def test_short_range_empty_and_single_particle():
    tgt = np.array([[0.0, 0.0, 0.0], [0.3, 0.0, 0.0]])
    assert short_range_potential(np.zeros((0, 3)), np.zeros(0), tgt).tolist() == [0.0, 0.0]
    assert short_range_potential(np.zeros((1, 3)), [1.0], np.zeros((0, 3))).shape == (0,)
    v = short_range_potential(np.zeros((1, 3)), [2.0], tgt, r0=0.5)
    # self term skipped; erfc(0.6)/0.3 from mpmath
    assert v[0] == 0.0
    assert abs(v[1] - 2.0 * float(mp.erfc(0.6) / mp.mpf(0.3))) <= 4 * EPS * abs(v[1])
    vs = short_range_potential(np.zeros((1, 3)), [2.0], tgt[:1], r0=0.5, kernel="slater", kappa=1.3)
    assert abs(vs[0] - 2.0 * float(mp.erf(0.325))) <= 4 * EPS  # S(0) = erf(kappa r0/2)
    none = coulomb_energy_forces(np.zeros((0, 3)), np.zeros(0), box=((-1, 1),) * 3)
    assert none.energy == 0.0 and none.forces.shape == (0, 3)
    with pytest.raises(ValueError, match="cutoff"):
        short_range_potential(np.zeros((1, 3)), [1.0], tgt, cutoff=0.0)
    with pytest.raises(ValueError, match="cutoff"):
        coulomb_energy_forces(np.zeros((2, 3)), [1.0, 1.0], cutoff=-1.0)


def test_short_range_independent_of_thread_count():
    numba = pytest.importorskip("numba")
    if numba.config.NUMBA_NUM_THREADS < 2:
        pytest.skip("needs 2 numba threads")
    rng = np.random.default_rng(23)
    pos = rng.uniform(-4, 4, (2000, 3))
    q = rng.uniform(-1, 1, 2000)
    tgt = rng.uniform(-4, 4, (500, 3))
    old = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = short_range_potential(pos, q, tgt, 0.8, rtol=1e-10)
        numba.set_num_threads(2)
        two = short_range_potential(pos, q, tgt, 0.8, rtol=1e-10)
    finally:
        numba.set_num_threads(old)
    np.testing.assert_array_equal(one, two)  # fixed summation order per target


def _coincident_qq(pos, q):
    """sum of q_i q_j over the pairs i < j at the same position."""
    same = np.all(pos[:, None, :] == pos[None, :, :], axis=-1) & np.triu(np.ones((len(q),) * 2, dtype=bool), 1)
    return float(np.sum(np.outer(q, q)[same]))


def _long_range_at_zero(kernel, r0, kappa):
    """L(0): ``2/(sqrt(pi) r0)`` for Newton, the mpmath integral of the Gaussian sum otherwise."""
    return 2.0 / (np.sqrt(np.pi) * r0) if kernel == "newton" else _lr_mp(0, kernel, kappa, r0)


@pytest.mark.parametrize("kernel, kappa", SHORT_CASES)
def test_short_range_energy_forces_match_brute_force_pairs(kernel, kappa):
    rng = np.random.default_rng(24)
    r0, rtol = 0.6, 1e-9
    rc = _potentials._cutoff(r0, rtol)
    pos, q = _awkward_system(rng, rc, n=200)
    ef = coulomb_energy_forces(pos, q, r0=r0, rtol=rtol, kernel=kernel, kappa=kappa)
    e_ref, f_ref, mag = short_pairs_naive(pos, q, kernel, r0, kappa, rc)
    qq_same = _coincident_qq(pos, q)
    assert qq_same != 0.0  # the system has coincident distinct particles
    if kernel != "slater":  # their pair is excluded: its short-range term cancels the long range's L(0)
        l0 = _long_range_at_zero(kernel, r0, kappa)
        e_ref -= qq_same * l0
        mag += abs(qq_same) * l0
    cond = _rounding_factor(kernel, kappa, r0, rc)
    assert abs(ef.energy_short - e_ref) <= 32 * EPS * cond * mag
    # short-range forces = total minus the long-range ones (-q grad V_L); the subtraction
    # rounds at the size of the long-range forces
    f_long = -q[:, None] * ef.long_range.gradient(pos)
    f_short = ef.forces - f_long
    # S'/r is large near coincident pairs: compare with the size of the pair-force terms
    fmag = np.max(np.abs(f_ref)) + np.max(np.abs(f_long))
    np.testing.assert_allclose(f_short, f_ref, rtol=0, atol=1e4 * EPS * cond * fmag)


@pytest.mark.parametrize("kernel, kappa", [("newton", 1.0), ("yukawa", 0.7), ("slater", 1.3)])
def test_energy_forces_with_boundary_and_coincident_particles(kernel, kappa):
    rng = np.random.default_rng(25)
    r0, rtol = 0.8, 1e-9
    # coincident distinct particles: Slater includes K(0); the singular kernels skip the pair,
    # as the direct sum does (the short range cancels the long range's L(0) there)
    pos, q = _awkward_system(rng, _potentials._cutoff(r0, rtol), n=150, duplicates=5)
    ef = coulomb_energy_forces(pos, q, r0=r0, rtol=rtol, kernel=kernel, kappa=kappa)
    ref = direct_energy_forces(pos, q, kernel=kernel, kappa=kappa)
    scale = 0.5 * np.sum(np.abs(q)) ** 2 / pos.shape[0]
    assert abs(ef.energy - ref.energy) <= 10 * rtol * max(abs(ref.energy), scale)
    np.testing.assert_allclose(ef.forces, ref.forces, rtol=0, atol=100 * rtol * np.max(np.abs(ref.forces)))


def test_energy_forces_tiny_systems():
    box = ((-1.0, 1.0),) * 3
    one = coulomb_energy_forces(np.zeros((1, 3)), [1.5], box=box, rtol=1e-10)
    assert abs(one.energy) <= 1e-9 and np.all(np.abs(one.forces) <= 1e-8)  # no pair: E = 0, F = 0
    two = coulomb_energy_forces([[0.0, 0.0, 0.0], [0.5, 0.0, 0.0]], [1.0, -1.0], box=box, rtol=1e-10)
    # E = q1 q2 / r = -2, F_1 = -q1 q2 (x1 - x2)/r^3 = (+4, 0, 0) (attraction towards +x)
    assert abs(two.energy + 2.0) <= 1e-9 * 2.0
    np.testing.assert_allclose(two.forces, [[4.0, 0, 0], [-4.0, 0, 0]], rtol=0, atol=1e-8 * 4)


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
