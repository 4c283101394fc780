"""A long-range ChebTucker at many points: a uniform grid and local interpolation (internal).

Evaluating a Tucker tensor at one point costs ``O(n r + r1 r2 r3)``; for the potential of
many random charges the ranks grow with the box (``r ~ 2.4 box/r0``), and so does the
``r^3``. The long-range potential ``V_L`` is a sum of Gaussians of width at least ``r0``,
so it can instead be tabulated on a uniform grid and interpolated locally, as the charges
were spread (particle-mesh style): the values on the grid nodes are exact Tucker
evaluations (``T(nodes) U_k`` times the core, slab by slab in x), and each point gathers
them from its ``P^3`` nearest nodes with ``P``-point Lagrange weights; the gradient is the
gradient of that local interpolant (the derivatives of the weights), so one tabulated field
serves the value and the three derivatives. ``P`` and the spacing follow
:func:`~specnum.chebtucker.sourcegrid.spread_step` so that each Gaussian, and with
gradients its derivative, is interpolated to ``EVALUATION_SHARE rtol`` of its peak (per
``r0`` for the derivative). Points whose stencil would leave the box are evaluated
directly (a polynomial must not be evaluated outside its box). The route is taken when its
operation count is the smaller one.
"""

from __future__ import annotations

import numpy as np

from ..bases import chebyshev
from . import _grid_kernels
from ._checks import FLOAT_BYTES, INSIDE_RTOL, box_bounds
from .format import ChebTucker
from .sourcegrid import SPREAD_POINTS, Tile, UniformGrid, run_tiles, tiles, uniform_grid
from .tolerances import EVALUATION_SHARE

__all__ = ["evaluation_grid", "stencil_margin", "evaluate_many"]

# Cost model of the grid route, in flops of a matrix product: tabulating the one field costs
# ``_TABLE_OP`` per node and rank (a multiply-add), gathering ``_GATHER_OP[grad]`` per stencil
# node and point (the gather kernels timed against a matrix product; the model's choice of P
# is the fastest of P = 6..12 in timed runs, benchmarks/RESULTS.md)
_TABLE_OP = 2.0
_GATHER_OP = {False: 60.0, True: 80.0}


def evaluation_grid(pmin, pmax, r0: float, rtol: float, ranks, n_points: int,
                    grad: bool = False) -> UniformGrid | None:
    """The cheapest evaluation grid for points in ``[pmin, pmax]`` (values, or values and
    gradients), or None if direct evaluation is cheaper."""
    tol = EVALUATION_SHARE * rtol
    r1, r2, r3 = ranks
    direct = n_points * 2.0 * 4.0 * (r1 * r2 * r3 + 3.0 * max(ranks) * 100.0)
    best, best_cost = None, direct
    for points in SPREAD_POINTS:
        grid = uniform_grid(pmin, pmax, r0, tol, points, derivative=grad)
        if grid is None:
            continue
        n = np.asarray(grid.n, dtype=np.float64)
        cost = (_TABLE_OP * float(np.prod(n)) * r3 + 2.0 * n[0] * n[1] * r2 * r3
                + _GATHER_OP[grad] * n_points * points**3)
        if cost < best_cost:
            best, best_cost = grid, cost
    return best


def stencil_margin(r0: float, rtol: float) -> float:
    """Distance from the box faces that keeps every evaluation stencil inside the box."""
    tol = EVALUATION_SHARE * rtol
    margins = [(p // 2 + 1) * r0 * g for p in SPREAD_POINTS if (g := _ratio(p, tol)) > 0]
    return max(margins) if margins else 0.0


def _ratio(points: int, tol: float) -> float:
    from .sourcegrid import spread_step

    return spread_step(points, tol)


def _factor_values(lr: ChebTucker, grid: UniformGrid, k: int) -> np.ndarray:
    """``T(nodes) U_k``, zero at nodes outside the box: (n_k, r_k)."""
    a, b = lr.box[k]
    nodes = grid.nodes(k)
    slack = INSIDE_RTOL * (b - a)
    inside = (nodes >= a - slack) & (nodes <= b + slack)
    u = lr.factors[k]
    out = np.zeros((nodes.shape[0], u.shape[1]))
    if np.any(inside):
        out[inside] = chebyshev.evaluate(u.T, np.clip(nodes[inside], a, b), interval=lr.box[k]).T
    return out


def _inside_stencils(pts: np.ndarray, grid: UniformGrid, box) -> np.ndarray:
    """Mask of the points whose whole stencil lies inside the box."""
    lo, hi = box_bounds(box)
    slack = INSIDE_RTOL * (hi - lo)
    ok = np.ones(pts.shape[0], dtype=bool)
    for k in range(3):
        i0 = np.clip(np.floor((pts[:, k] - grid.lo[k]) / grid.h).astype(np.int64) - (grid.points // 2 - 1), 0,
                     grid.n[k] - grid.points)
        first = grid.lo[k] + grid.h * i0
        last = grid.lo[k] + grid.h * (i0 + grid.points - 1)
        ok &= (first >= lo[k] - slack[k]) & (last <= hi[k] + slack[k])
    return ok


def _direct(lr: ChebTucker, pts: np.ndarray, grad: bool) -> np.ndarray:
    if not grad:
        return lr(pts)[:, None]
    v, g = lr.value_and_gradient(pts)
    return np.column_stack([v, g])


def evaluate_many(lr: ChebTucker, pts: np.ndarray, r0: float, rtol: float, grad: bool, *, grid_memory: float,
                  threads: int, grid: UniformGrid | None | str = "auto") -> np.ndarray:
    """Values (and gradients) of ``lr`` at points inside its box: ``(M, 1 or 4)``.

    Uses the uniform grid where that is cheaper (see the module docstring; ``grid`` may
    fix it, e.g. the grid of all points when ``pts`` is a chunk, or None for the direct
    evaluation), the direct Tucker evaluation otherwise and for points near the box faces.
    """
    m = pts.shape[0]
    ncol = 4 if grad else 1
    if isinstance(grid, str):
        grid = evaluation_grid(pts.min(axis=0), pts.max(axis=0), r0, rtol, lr.ranks, m, grad) if m else None
    if grid is None:
        return _direct(lr, pts, grad)
    out = np.empty((m, ncol))
    inside = _inside_stencils(pts, grid, lr.box)
    if not np.all(inside):
        out[~inside] = _direct(lr, pts[~inside], grad)
    idx = np.flatnonzero(inside)
    sub = pts[idx]
    cell = np.floor((sub - grid.lo) / grid.h).astype(np.int64)
    order = np.argsort((cell[:, 0] * grid.n[1] + cell[:, 1]) * grid.n[2] + cell[:, 2], kind="stable")
    ps = np.ascontiguousarray(sub[order])
    e = [_factor_values(lr, grid, k) for k in range(3)]
    r1, r2, r3 = lr.core.shape
    g12 = lr.core.reshape(r1, r2 * r3)
    node_bytes = FLOAT_BYTES * (1.0 + 2.0 * r3 / grid.n[2])
    h3 = np.full(3, grid.h)
    n = np.asarray(grid.n, dtype=np.int64)

    def one(tile: Tile):
        (n0, n1, n2) = tile.shape
        xs, ys, zs = (slice(tile.offset[k], tile.offset[k] + tile.shape[k]) for k in range(3))
        g1 = (e[0][xs] @ g12).reshape(n0, r2, r3)
        g2 = np.matmul(e[1][ys], g1)  # (n0, n1, r3): y before z, so a tile split in y does only its rows
        values = (g2.reshape(-1, r3) @ np.ascontiguousarray(e[2][zs].T)).reshape(n0, n1, n2)
        pts_tile = np.ascontiguousarray(ps[tile.index])
        vals = np.empty((tile.index.shape[0], ncol))
        if grad:
            _grid_kernels.gather_value_gradient(pts_tile, grid.lo, h3, grid.points, n, tile.offset, values, vals)
        else:
            _grid_kernels.gather_values(pts_tile, grid.lo, h3, grid.points, n, tile.offset, values[..., None], vals)
        return tile.index, vals

    gathered = np.empty((idx.shape[0], ncol))
    for index, vals in run_tiles(one, tiles(ps, grid, node_bytes, grid_memory), threads):
        gathered[order[index]] = vals
    out[idx] = gathered
    return out
