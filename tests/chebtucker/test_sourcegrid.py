"""Charges to the source grid and long-range values at many points: spreading, slabs, gathering."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.interpolate
from ref_chebtucker import direct_sum_naive, short_split_naive

from specnum.chebtucker import _grid_kernels, long_range_potential
from specnum.chebtucker import evaluation as ev
from specnum.chebtucker import longrange as lrm
from specnum.chebtucker import sourcegrid as sg

EPS = np.finfo(float).eps


@pytest.mark.parametrize("points", [4, 6, 10])
@pytest.mark.parametrize("plane0", [0, 3])
def test_spreading_reproduces_polynomials(points, plane0):
    """Lagrange spreading is exact for polynomials of degree < P per axis: the grid moments equal the particle sums.

    With ``plane0 > 0`` the buffer is a slab of the grid (planes ``plane0`` on) holding the
    particles whose stencils start there.
    """
    rng = np.random.default_rng(0)
    h = 0.3
    pos = rng.uniform(0.0, 2.0, (50, 3))
    pos[0] = [0.0, 0.9, 2.0]  # on grid nodes and at the ends of the range
    q = rng.uniform(-1, 1, 50)
    lo = pos.min(axis=0) - (points // 2 - 1) * h
    n_u = np.floor(np.ptp(pos, axis=0) / h).astype(np.int64) + points + 1
    grid = sg.UniformGrid(lo, h, tuple(int(v) for v in n_u), points)
    keep = sg.stencil_starts(pos[:, 0], grid) >= plane0
    buf = np.zeros((int(n_u[0]) - plane0, int(n_u[1]), int(n_u[2])))
    _grid_kernels.spread_charges(pos[keep], q[keep], lo, np.full(3, h), points, n_u, np.array([plane0, 0, 0]), buf)
    nodes = [lo[k] + h * np.arange(n_u[k]) for k in range(3)]
    nodes[0] = nodes[0][plane0:]
    for a, b, c in [(0, 0, 0), (points - 1, 0, 1), (1, points - 1, points - 1), (2, 3 % points, 1)]:
        moment = np.einsum("ijk,i,j,k->", buf, nodes[0] ** a, nodes[1] ** b, nodes[2] ** c)
        exact = np.sum(q[keep] * pos[keep, 0] ** a * pos[keep, 1] ** b * pos[keep, 2] ** c)
        scale = np.sum(np.abs(q)) * 4.0 ** (a + b + c)  # size of the terms (coordinates up to ~3)
        assert abs(moment - exact) <= 1e3 * EPS * scale


def test_gathering_is_the_transpose_of_spreading():
    """<gather(G), q> = <G, spread(q)> for any grid values G and charges q (to rounding)."""
    rng = np.random.default_rng(1)
    points, h = 6, 0.25
    pos = rng.uniform(0.0, 2.0, (40, 3))
    q = rng.uniform(-1, 1, 40)
    lo = pos.min(axis=0) - (points // 2 - 1) * h
    n = tuple(int(v) for v in np.floor(np.ptp(pos, axis=0) / h).astype(np.int64) + points + 1)
    spread = np.zeros(n)
    _grid_kernels.spread_charges(pos, q, lo, np.full(3, h), points, np.array(n), np.zeros(3, np.int64), spread)
    for n_fields in (1, 2, 4):
        fields = rng.standard_normal(n + (n_fields,))
        out = np.zeros((40, n_fields))
        _grid_kernels.gather_values(pos, lo, np.full(3, h), points, np.array(n), np.zeros(3, np.int64), fields, out)
        for g in range(n_fields):
            lhs = float(out[:, g] @ q)
            rhs = float(np.sum(fields[..., g] * spread))
            assert abs(lhs - rhs) <= 1e3 * EPS * np.sum(np.abs(fields[..., g])) * np.max(np.abs(q))


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


@pytest.mark.parametrize("points", sg.SPREAD_POINTS)
@pytest.mark.parametrize("tol", [1e-6, 1e-10])
def test_derivative_step_meets_its_tolerance(points, tol):
    """At the derivative spacing, the derivative of scipy's barycentric interpolant of the narrowest
    Gaussian is within tol of -2 (p - x0) exp(-(p - x0)^2); the value's spacing alone is too coarse."""
    ratio = sg.spread_step(points, tol, True)
    assert 0.0 < ratio < sg.spread_step(points, tol)
    rng = np.random.default_rng(2)

    def worst_error(step):
        worst = 0.0
        for x0 in rng.uniform(-3.0, 3.0, 40):
            base = rng.uniform(-4.0, 4.0)
            nodes = base + step * np.arange(points)
            interp = scipy.interpolate.BarycentricInterpolator(nodes, np.exp(-((nodes - x0) ** 2)))
            p = base + step * rng.uniform(points // 2 - 1, points // 2, 50)  # the central cell
            exact = -2.0 * (p - x0) * np.exp(-((p - x0) ** 2))
            worst = max(worst, float(np.max(np.abs(interp.derivative(p) - exact))))
        return worst

    assert worst_error(ratio) <= tol * (1 + 1e-6) + 1e3 * EPS / ratio
    assert worst_error(sg.spread_step(points, tol)) > tol


@pytest.mark.parametrize("points", [6, 10])
def test_gathered_gradient_is_the_interpolants_gradient(points):
    """gather_value_gradient of a sampled Gaussian: the value equals gather_values' (same weights), and
    value and gradient match the closed form to the interpolation error of the spacing."""
    rng = np.random.default_rng(3)
    h = 0.1
    x = h * np.arange(40)
    X, Y, Z = np.meshgrid(x, x, x, indexing="ij")
    centre = np.array([2.0, 1.9, 2.1])
    field = np.exp(-((X - centre[0]) ** 2 + (Y - centre[1]) ** 2 + (Z - centre[2]) ** 2))
    pos = rng.uniform(1.0, 3.0, (300, 3))
    args = (np.zeros(3), np.full(3, h), points, np.array([40, 40, 40]), np.zeros(3, np.int64))
    out = np.empty((300, 4))
    _grid_kernels.gather_value_gradient(pos, *args, field, out)
    value = np.empty((300, 1))
    _grid_kernels.gather_values(pos, *args, field[..., None], value)
    d = pos - centre
    exact = np.exp(-np.sum(d**2, axis=1))
    step_error = max(sg._local_error(h, points), sg._local_error(h, points, True))
    assert np.max(np.abs(out[:, 0] - value[:, 0])) <= 100 * EPS
    assert np.max(np.abs(out[:, 0] - exact)) <= 3 * step_error + 100 * EPS
    assert np.max(np.abs(out[:, 1:] + 2.0 * d * exact[:, None])) <= 3 * step_error + 1e3 * EPS


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
    real = _grid_kernels.spread_charges
    monkeypatch.setattr(_grid_kernels, "spread_charges", lambda *a: calls.append(a[0].shape[0]) or real(*a))
    rng = np.random.default_rng(3)
    box = ((-5.5, 5.5),) * 3
    long_range_potential(rng.uniform(-5, 5, (20, 3)), np.ones(20), box, rtol=1e-9)
    assert calls == []  # 20 particles: the direct formula is cheaper
    long_range_potential(rng.uniform(-5, 5, (20000, 3)), rng.choice([-1.0, 1.0], 20000), box, rtol=1e-9)
    assert sum(calls) == 20000


def test_slabs_under_a_small_memory_budget_give_the_same_source_grid():
    """Many thin slabs (a few MiB) and one thick slab add the same terms: equal to rounding."""
    rng = np.random.default_rng(4)
    pos = rng.uniform(-5, 5, (20000, 3))
    q = rng.choice([-1.0, 1.0], 20000)
    box = ((-5.5, 5.5),) * 3
    args = lrm.prepare(pos, q, box, 0.8, None, 1e-8, "newton", 1.0, 1025, "spread")
    plan = lrm.plan_for(*args)
    per_plane = plan.grid.plane_bytes()
    one = lrm.source_grid(plan, pos, q, grid_memory=2 * plan.grid.n[0] * per_plane, threads=1)
    thin = lrm.source_grid(plan, pos, q, grid_memory=4 * (plan.grid.points + 2) * plan.grid.plane_bytes(1.0),
                           threads=2)
    assert np.max(np.abs(thin - one)) <= 1e-13 * np.max(np.abs(one))
    with pytest.raises(ValueError, match="grid_memory"):
        lrm.source_grid(plan, pos, q, grid_memory=per_plane, threads=1)


def test_many_points_by_grid_agree_with_direct_tucker_evaluation():
    """Grid + local interpolation (values and the gradient of the interpolant) within EVALUATION_SHARE rtol of
    the direct evaluation; faces evaluated directly."""
    rng = np.random.default_rng(5)
    pos = rng.uniform(-4, 4, (3000, 3))
    q = rng.choice([-1.0, 1.0], 3000)
    box = ((-4.2, 4.2),) * 3
    r0, rtol = 0.9, 1e-7
    lr = long_range_potential(pos, q, box, r0=r0, rtol=rtol)
    pts = np.vstack([rng.uniform(-4.2, 4.2, (20000, 3)), [[-4.2, 0.0, 4.2]]])  # a corner-ish point: direct
    grid = ev.evaluation_grid(pts.min(axis=0), pts.max(axis=0), r0, rtol, lr.ranks, pts.shape[0], True)
    assert grid is not None  # many points: the grid route is the cheaper one here
    got = ev.evaluate_many(lr, pts, r0, rtol, True, grid_memory=2**25, threads=2, grid=grid)
    v, g = lr.value_and_gradient(pts)
    assert np.max(np.abs(got[:, 0] - v)) <= ev.EVALUATION_SHARE * rtol * np.max(np.abs(v))
    assert np.max(np.abs(got[:, 1:] - g)) <= ev.EVALUATION_SHARE * rtol * np.max(np.abs(g))
    assert got[-1, 0] == v[-1]  # outside the stencil region: the direct evaluation itself
    one_thread = ev.evaluate_many(lr, pts, r0, rtol, True, grid_memory=2**30, threads=1, grid=grid)
    np.testing.assert_allclose(one_thread, got, rtol=0, atol=1e-13 * np.max(np.abs(got)))


def test_tiles_cover_every_particle_within_the_budget():
    """Slabs split in y when a slab's block is too big: each particle once, blocks within budget, same sums."""
    rng = np.random.default_rng(6)
    pos = np.vstack([rng.normal(0, 0.5, (3000, 3)) + c for c in ([0, 0, 0], [0, 20, 0], [0, 10, 15])])
    q = rng.uniform(-1, 1, pos.shape[0])
    grid = sg.uniform_grid(pos.min(axis=0), pos.max(axis=0), 1.0, 1e-8, 8)
    cell = np.floor((pos - grid.lo) / grid.h).astype(np.int64)
    order = np.argsort((cell[:, 0] * grid.n[1] + cell[:, 1]) * grid.n[2] + cell[:, 2], kind="stable")
    ps, qs = pos[order], q[order]
    budget = sg.TILES_IN_FLIGHT * 8.0 * grid.points**2 * grid.n[2] * 3  # room for about 3 stencils' rows
    tiles = sg.tiles(ps, grid, 8.0, budget)
    seen = np.concatenate([t.index for t in tiles])
    assert np.array_equal(np.sort(seen), np.arange(ps.shape[0]))
    assert len({t.offset[0] for t in tiles}) < len(tiles)  # some slabs were split in y
    n = np.asarray(grid.n, dtype=np.int64)
    whole = np.zeros(grid.n)
    _grid_kernels.spread_charges(ps, qs, grid.lo, np.full(3, grid.h), grid.points, n, np.zeros(3, np.int64), whole)
    summed = np.zeros(grid.n)
    for t in tiles:
        assert float(np.prod(t.shape)) * 8.0 <= budget / sg.TILES_IN_FLIGHT
        buf = np.zeros(t.shape)
        _grid_kernels.spread_charges(ps[t.index], qs[t.index], grid.lo, np.full(3, grid.h), grid.points, n,
                                     t.offset, buf)
        o = t.offset
        summed[o[0]: o[0] + t.shape[0], o[1]: o[1] + t.shape[1], o[2]: o[2] + t.shape[2]] += buf
    np.testing.assert_allclose(summed, whole, rtol=0, atol=1e-13 * np.max(np.abs(whole)))
