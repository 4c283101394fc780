"""Charges moved to the Chebyshev source grid: spreading exactness, step choice, the long-range potential."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.interpolate
from ref_chebtucker import direct_sum_naive, short_split_naive

from specnum.chebtucker import _kernels, long_range_potential
from specnum.chebtucker import sourcegrid as sg

EPS = np.finfo(float).eps


@pytest.mark.parametrize("points", [4, 6, 10])
def test_spreading_reproduces_polynomials(points):
    """Lagrange spreading is exact for polynomials of degree < P per axis: the grid moments equal the particle sums."""
    rng = np.random.default_rng(0)
    h = 0.3
    pos = rng.uniform(0.0, 2.0, (50, 3))
    pos[0] = [0.0, 0.9, 2.0]  # on grid nodes and at the ends of the range
    q = rng.uniform(-1, 1, 50)
    lo = pos.min(axis=0) - (points // 2 - 1) * h
    n_u = np.floor(np.ptp(pos, axis=0) / h).astype(np.int64) + points + 1
    grid = np.zeros(tuple(n_u))
    _kernels.spread_charges(pos, q, lo, np.full(3, h), points, grid)
    nodes = [lo[k] + h * np.arange(n_u[k]) for k in range(3)]
    for a, b, c in [(0, 0, 0), (points - 1, 0, 1), (1, points - 1, points - 1), (2, 3 % points, 1)]:
        moment = np.einsum("ijk,i,j,k->", grid, nodes[0] ** a, nodes[1] ** b, nodes[2] ** c)
        exact = np.sum(q * pos[:, 0] ** a * pos[:, 1] ** b * pos[:, 2] ** c)
        scale = np.sum(np.abs(q)) * 4.0 ** (a + b + c)  # size of the terms (coordinates up to ~3)
        assert abs(moment - exact) <= 1e3 * EPS * scale


@pytest.mark.parametrize("points", sg.SPREAD_POINTS)
@pytest.mark.parametrize("tol", [1e-6, 1e-10])
def test_spread_step_meets_its_tolerance(points, tol):
    """At the chosen spacing, scipy's barycentric interpolation of the narrowest Gaussian is within tol."""
    ratio = sg.spread_step(points, tol)
    assert 0.0 < ratio < 2.0
    rng = np.random.default_rng(1)
    worst = 0.0
    for x0 in rng.uniform(-3.0, 3.0, 40):
        base = rng.uniform(-4.0, 4.0)
        nodes = base + ratio * np.arange(points)
        f = lambda p, x0=x0: np.exp(-((p - x0) ** 2))  # noqa: E731
        interp = scipy.interpolate.BarycentricInterpolator(nodes, f(nodes))
        p = base + ratio * rng.uniform(points // 2 - 1, points // 2, 50)  # the central cell
        worst = max(worst, float(np.max(np.abs(interp(p) - f(p)))))
    assert worst <= tol * (1 + 1e-6) + 100 * EPS


@pytest.mark.parametrize("kernel", ["newton", "yukawa"])
def test_spread_route_matches_direct_sum(kernel):
    """long_range_potential(method='spread') against the direct sum of L over a random cluster."""
    rng = np.random.default_rng(2)
    pos = rng.uniform(-4.0, 4.0, (3000, 3))
    q = rng.choice([-1.0, 1.0], 3000)
    box = ((-4.5, 4.5),) * 3
    r0, rtol = 1.0, 1e-8
    v = long_range_potential(pos, q, box, r0=r0, rtol=rtol, kernel=kernel, kappa=0.7, method="spread")
    tgt = rng.uniform(-4.5, 4.5, (300 if kernel == "newton" else 30, 3))  # the Yukawa reference is slow
    if kernel == "newton":
        ref = direct_sum_naive(pos, q, tgt, "erf", r0=r0)
    else:  # L = K - S with S from the reference's own Gauss-Legendre integral
        d = np.sqrt(((tgt[:, None, :] - pos[None, :, :]) ** 2).sum(-1))
        ref = (np.exp(-0.7 * d) / d - short_split_naive(d, kernel, r0, 0.7)[0]) @ q
    err = np.max(np.abs(v(tgt) - ref)) / np.max(np.abs(ref))
    assert err <= 10 * rtol
    v_int = long_range_potential(pos, q, box, r0=r0, rtol=rtol, kernel=kernel, kappa=0.7, method="interpolated")
    assert np.max(np.abs(v_int(tgt) - ref)) / np.max(np.abs(ref)) <= 10 * rtol


def test_auto_route_spreads_many_particles(monkeypatch):
    calls = []
    real = _kernels.spread_charges
    monkeypatch.setattr(_kernels, "spread_charges", lambda *a: calls.append(a[0].shape[0]) or real(*a))
    rng = np.random.default_rng(3)
    few = rng.uniform(-5, 5, (20, 3))
    sg.source_grid(few, np.ones(20), 1.0, 1e-9)
    assert calls == []  # 20 particles: the direct formula is cheaper
    many = rng.uniform(-5, 5, (20000, 3))
    sg.source_grid(many, np.ones(20000), 1.0, 1e-9)
    assert calls == [20000]


def test_spread_refuses_a_grid_over_the_memory_cap(monkeypatch):
    monkeypatch.setattr(sg, "_MAX_UNIFORM", 1000)
    pos = np.random.default_rng(4).uniform(-5, 5, (30, 3))
    with pytest.raises(ValueError, match="method='spread'"):
        sg.source_grid(pos, np.ones(30), 1.0, 1e-9, method="spread")
    nodes, grid = sg.source_grid(pos, np.ones(30), 1.0, 1e-9, method="auto")  # falls back to the formula
    assert grid.shape == tuple(len(x) for x in nodes)
