"""The automatic splitting radius: its cost-balancing rule on densities known in closed form.

``splitting_radius`` returns ``BETA sqrt(s_box s_eff)`` (mean spacing over the bounding box,
spacing around an average particle). For uniform particles and for equal cubic clusters both
spacings are known exactly, so the rule is checked against them; the density estimate
(16th-neighbour distance, median over a sample) carries a few per cent of statistical and
boundary bias, hence the 8% tolerances. Scale and translation covariance are exact up to
rounding. The total potentials with ``r0="auto"`` are checked against the direct sum.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from specnum.chebtucker import (
    coulomb_energy_forces,
    direct_energy_forces,
    direct_potential,
    splitting_radius,
    total_potential,
)
from specnum.chebtucker.radius import BETA


def _uniform(n, side, seed=0):
    return np.random.default_rng(seed).uniform(0.0, side, (n, 3))


def test_uniform_particles_get_beta_times_their_spacing():
    n, side = 27000, 30.0  # unit density
    r0 = splitting_radius(_uniform(n, side))
    assert abs(r0 / BETA - 1.0) < 0.08, r0


def test_radius_scales_with_the_coordinates_and_ignores_translations():
    pos = _uniform(5000, 17.0, seed=1)
    r0 = splitting_radius(pos)
    for scale in (1e-6, 3.0e-2, 250.0):
        assert splitting_radius(scale * pos) == pytest.approx(scale * r0, rel=1e-12)
    assert splitting_radius(pos + np.array([1e3, -7.0, 0.5])) == pytest.approx(r0, rel=1e-9)


def test_two_dense_clusters_follow_the_geometric_mean_rule():
    # clusters of edge w/4 in opposite corners of a cube of edge w: density 32 N / w^3 around every
    # particle, while the bounding box holds N / w^3 on average
    n, w = 40000, 60.0
    rng = np.random.default_rng(2)
    half = n // 2
    pos = np.vstack([rng.uniform(0.0, w / 4, (half, 3)), rng.uniform(3 * w / 4, w, (half, 3))])
    s_box = (w ** 3 / n) ** (1 / 3)
    s_eff = (32.0 * n / w ** 3) ** (-1 / 3)
    expected = BETA * math.sqrt(s_box * s_eff)
    got = splitting_radius(pos)
    assert abs(got / expected - 1.0) < 0.08, (got, expected)
    assert got < 0.65 * BETA * s_box  # clearly below the radius of the same particles spread evenly


def test_degenerate_clouds_give_a_finite_radius():
    assert splitting_radius(np.zeros((0, 3))) == 1.0
    assert splitting_radius(np.ones((1, 3))) == 1.0
    assert splitting_radius(np.full((50, 3), 2.0)) == 1.0  # all coincide: no length scale
    rng = np.random.default_rng(3)
    sheet = np.column_stack([rng.uniform(0, 10, 900), rng.uniform(0, 10, 900), np.zeros(900)])
    r = splitting_radius(sheet)
    assert 0.1 < r < 10.0 and splitting_radius(2.0 * sheet) == pytest.approx(2.0 * r, rel=1e-12)
    pairs = np.repeat(_uniform(200, 5.0), 2, axis=0)  # every particle doubled: still the cloud's scale
    assert 0.1 < splitting_radius(pairs) < 5.0


@pytest.mark.parametrize("scale", [1e-3, 1.0, 40.0])
def test_auto_radius_totals_match_the_direct_sum_at_any_scale(scale):
    rng = np.random.default_rng(4)
    n = 1500
    centres = rng.uniform(0.0, 10.0, (3, 3))
    pos = (centres[rng.integers(0, 3, n)] + 0.3 * rng.standard_normal((n, 3))) * scale
    q = rng.choice([-1.0, 1.0], n)
    rtol = 1e-8
    ef = coulomb_energy_forces(pos, q, rtol=rtol)
    ref = direct_energy_forces(pos, q)
    # E = sum q V / 2: its error is at most sum |q| max |V - V_ref| / 2
    assert abs(ef.energy - ref.energy) <= 0.5 * np.sum(np.abs(q)) * 10 * rtol * np.max(np.abs(ref.potential))
    assert np.max(np.abs(ef.potential - ref.potential)) <= 10 * rtol * np.max(np.abs(ref.potential))
    assert np.max(np.abs(ef.forces - ref.forces)) <= 10 * rtol * np.max(np.abs(ref.forces))
    lo, hi = pos.min(axis=0) - scale, pos.max(axis=0) + scale
    tgt = pos[:200]
    v = total_potential(pos, q, tgt, tuple(zip(lo, hi)), rtol=rtol)
    vref = direct_potential(pos, q, tgt)
    assert np.max(np.abs(v - vref)) <= 10 * rtol * np.max(np.abs(vref))
