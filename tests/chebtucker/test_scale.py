"""Particles at scale: tolerance shares, cell lists for clustered particles, thread independence."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.special
from ref_chebtucker import short_range_naive

from specnum.chebtucker import (
    coulomb_energy_forces,
    direct_energy_forces,
    gaussian_quadrature,
    short_range_potential,
    total_potential,
)
from specnum.chebtucker import neighbours as nb
from specnum.chebtucker import tolerances as tol

EPS = np.finfo(float).eps


@pytest.mark.parametrize("rtol", [1e-4, 1e-6, 1e-8, 1e-10])
def test_quadrature_points_meet_their_share(rtol):
    """The rule's points per interval give erf(r/r0)/r to QUADRATURE_SHARE rtol, pointwise relative."""
    points = tol.quadrature_points(rtol)
    r0, reach = 0.7, 250.0
    t, c = gaussian_quadrature(reach, r0, points_per_interval=points)
    r = np.concatenate([np.linspace(0.0, 5.0, 1001), np.geomspace(5.0, reach, 500)])
    exact = np.where(r > 0, scipy.special.erf(r / r0) / np.where(r > 0, r, 1.0), 2.0 / (math.sqrt(math.pi) * r0))
    approx = np.exp(-np.outer(r, t) ** 2) @ c
    assert np.max(np.abs(approx - exact) / exact) <= tol.QUADRATURE_SHARE * rtol
    if points > 4:  # and one point fewer would not
        t1, c1 = gaussian_quadrature(reach, r0, points_per_interval=points - 1)
        assert np.max(np.abs(np.exp(-np.outer(r, t1) ** 2) @ c1 - exact) / exact) > tol.QUADRATURE_SHARE * rtol


def test_cutoff_rule_bounds_potential_and_force_tails():
    """At r_c the short-range potential and force are CUTOFF_SHARE rtol of the kernel's (mpmath)."""
    import mpmath as mp

    mp.mp.dps = 30
    for r0, rtol in [(1.0, 1e-6), (0.3, 1e-10), (2.0, 1e-3)]:
        assert math.isclose(math.erfc(tol.cutoff_radius(r0, rtol) / r0), tol.CUTOFF_SHARE * rtol, rel_tol=1e-10)
        rc = tol.cutoff_radius(r0, rtol, forces=True)
        x = mp.mpf(rc) / r0
        force_tail = mp.erfc(x) + 2 / mp.sqrt(mp.pi) * x * mp.exp(-x * x)  # -S'(r_c) r_c^2
        assert abs(float(force_tail) / (tol.CUTOFF_SHARE * rtol) - 1) <= 1e-10
        assert float(mp.erfc(x)) < tol.CUTOFF_SHARE * rtol  # the potential's tail is smaller


def _clustered(rng, n=4000):
    """Three dense blobs far apart and a thin spherical shell: huge bounding box, tiny cutoff."""
    blobs = np.concatenate([c + rng.normal(0, 0.3, (n // 4, 3)) for c in ([0, 0, 0], [900, 5, 0], [0, 700, 400])])
    d = rng.normal(size=(n // 4, 3))
    shell = 300.0 + 50.0 * d / np.linalg.norm(d, axis=1)[:, None]
    pos = np.vstack([blobs, shell])
    return pos, rng.uniform(-1, 1, pos.shape[0])


def test_cell_list_keeps_its_cells_for_clustered_particles():
    """Dense blobs and a shell in a box 10^3 cutoffs wide: columns stay r_c/3, storage O(N), sums exact.

    The work per target is then the pairs within r_c plus a bounded number of candidates; a
    column grid capped in size would have had to widen its cells to ~10 r_c here, testing
    ~100 times the pairs inside the blobs.
    """
    rng = np.random.default_rng(40)
    pos, q = _clustered(rng)
    rc = 0.9
    grid = nb.column_grid(pos, rc)
    src = nb.sort_sources(pos, q, grid)
    assert np.all(grid.h >= rc / nb.REACH) and np.all(grid.h <= 1.001 * rc / nb.REACH)
    assert src.keys.size <= pos.shape[0] and src.starts.size == src.keys.size + 1
    assert float(np.prod(grid.dims)) > 100 * pos.shape[0]  # a dense column array would not be O(N)
    tgt = np.vstack([pos[::7], rng.uniform(-2, 2, (50, 3))])
    got = short_range_potential(pos, q, tgt, 0.4, cutoff=rc)
    ref, mag = short_range_naive(pos, q, tgt, "newton", 0.4, 1.0, rc)
    assert np.all(np.abs(got - ref) <= 64 * EPS * mag)
    pot, forces = nb.short_pairs(pos, q, "newton", 0.4, 1.0, rc, 0.0)
    ref_all, mag_all = short_range_naive(pos, q, pos, "newton", 0.4, 1.0, rc)
    assert np.all(np.abs(pot - ref_all) <= 64 * EPS * mag_all)


def test_results_do_not_depend_on_the_thread_count():
    numba = pytest.importorskip("numba")
    if numba.config.NUMBA_NUM_THREADS < 2:
        pytest.skip("needs 2 numba threads")
    rng = np.random.default_rng(41)
    pos = rng.uniform(-3, 3, (6000, 3))
    q = rng.choice([-1.0, 1.0], 6000)
    old = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = coulomb_energy_forces(pos, q, r0=0.7, rtol=1e-7)
        numba.set_num_threads(2)
        two = coulomb_energy_forces(pos, q, r0=0.7, rtol=1e-7)
    finally:
        numba.set_num_threads(old)
    np.testing.assert_array_equal(one.potential, two.potential)
    np.testing.assert_array_equal(one.forces, two.forces)
    assert one.energy == two.energy


def test_every_particle_against_the_direct_sum():
    """Potential, forces and energy at all particles: within rtol of the sizes of V and F."""
    rng = np.random.default_rng(42)
    pos = rng.uniform(0, 12, (3000, 3))
    q = rng.choice([-1.0, 1.0], 3000)
    ref = direct_energy_forces(pos, q)
    for rtol in (1e-6, 1e-9):
        ef = coulomb_energy_forces(pos, q, r0=1.2, rtol=rtol)
        assert np.max(np.abs(ef.potential - ref.potential)) <= rtol * np.max(np.abs(ref.potential))
        assert np.max(np.abs(ef.forces - ref.forces)) <= rtol * np.max(np.abs(ref.forces))
        assert abs(ef.energy - ref.energy) <= rtol * 0.5 * float(np.abs(q) @ np.abs(ref.potential))
        assert abs(ef.energy - 0.5 * float(q @ ef.potential)) <= 1e-12 * abs(ef.energy)
        box = tuple((float(a), float(b)) for a, b in zip(pos.min(0) - 2, pos.max(0) + 2))
        tp = total_potential(pos, q, pos, box, r0=1.2, rtol=rtol)
        assert np.max(np.abs(tp - ref.potential)) <= rtol * np.max(np.abs(ref.potential))


def test_erfcx_table_and_short_range_closed_forms_against_mpmath():
    """The kernels' erfcx (table, then the split formula, then the asymptotic series) to a few ulps."""
    import mpmath as mp

    from specnum.chebtucker import _neighbour_kernels as nk

    mp.mp.dps = 40
    ex = nb.erfcx_table()
    x = np.concatenate([np.linspace(0.0, 8.5, 3401), [8.0 - 1e-12, 12.0, 25.9, 26.0, 40.0]])
    ref = np.array([float(mp.exp(mp.mpf(v) ** 2) * mp.erfc(mp.mpf(v))) for v in x])
    # S of the Newton split through the kernel: erfcx(x) exp(-x^2) / r at r = x (r0 = 1)
    vals = nk.short_values(0, x[1:3401], 1.0, 1.0, 0.0, ex)[:, 0]
    ref_s = np.array([float(mp.erfc(mp.mpf(v)) / mp.mpf(v)) for v in x[1:3401]])
    assert np.max(np.abs(vals - ref_s) / ref_s) <= 200 * EPS  # exp(-x^2) at x <= 8: 2 x^2 ulps at most
    got = np.array([nk._erfcx(v, ex) for v in x])
    assert np.max(np.abs(got - ref) / ref) <= 8 * EPS
