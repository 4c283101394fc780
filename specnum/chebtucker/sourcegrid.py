"""Point charges moved to a Chebyshev source grid: the first step of the long-range build.

The long-range potential is a sum of Gaussians ``g(x - p) = exp(-t^2 (x - p)^2)`` (per
axis, ``t <= 1/r0``) centred at the particles ``p``. As functions of ``p`` they are
entire, so they can be interpolated in ``p``: with Lagrange functions ``ell_l`` of
first-kind Chebyshev nodes ``y_l`` spanning the particles,
``g(x - p) ~= sum_l ell_l(p) g(x - y_l)``, and all N particles become one source grid
of charges

    Q[l1, l2, l3] = sum_j q_j ell_l1(x_j) ell_l2(y_j) ell_l3(z_j),

which the long-range build needs only projected on a few directions per axis,
``Q x_1 W1 x_2 W2 x_3 W3`` (``Wk`` of shape ``(s_k, n_sk)``). Two routes compute it
(internal module; :func:`~specnum.chebtucker.long_range_potential` chooses):

* ``"interpolated"``: the formula as it stands, ``O(N s1 s2 s3)`` by matrix products;
* ``"spread"``: each charge is first spread to the ``P^3`` nearest nodes of a uniform
  grid of spacing ``h`` by local ``P``-point Lagrange interpolation (``O(N P^3)``, as in
  particle-mesh methods), and the uniform grid is then moved to the projected Chebyshev
  coordinates by three matrix products. In the end this interpolates each Gaussian
  ``g(x - .)`` locally from its Chebyshev interpolant at the uniform nodes, so its error is
  that of local interpolation of a Gaussian of width ``r0``: ``h`` is chosen so that it
  stays below the tolerance (see :func:`spread_step`), and the Chebyshev nodes span the
  uniform ones (no extrapolation). The uniform grid is never held whole: it is spread and
  contracted slab by slab (planes in x) under a memory budget, and slabs run in parallel
  threads (each with its own buffer; their contributions are added in slab order, so the
  result does not depend on the thread count).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from ..bases import chebyshev
from . import _grid_kernels
from ._checks import FLOAT_BYTES

__all__ = [
    "SPREAD_POINTS",
    "UniformGrid",
    "gaussian_degree",
    "barycentric_rows",
    "spread_step",
    "uniform_grid",
    "stencil_starts",
    "Tile",
    "tiles",
    "run_tiles",
    "TILES_IN_FLIGHT",
    "spread_reduced",
    "interpolated_reduced",
]

SPREAD_POINTS = (6, 8, 10, 12)  # candidate stencil widths P of the local interpolation
@functools.lru_cache(maxsize=256)
def gaussian_degree(half_width: float, r0: float, tol: float) -> int:
    """Points needed to interpolate ``exp(-((x - c)/r0)^2)`` on ``[c - h, c + h]`` to ``tol`` (relative)."""
    rule = 2.0 * (half_width / r0) * math.sqrt(max(math.log(2.0 / tol), 1.0))
    n_probe = int(min(1.5 * rule + 40, 8193))
    x = chebyshev.points(n_probe, kind=1, interval=(-half_width, half_width))
    c = np.abs(chebyshev.vals_to_coeffs(np.exp(-((x / r0) ** 2))))
    big = np.nonzero(c > tol * c.max())[0]
    return int(max(big[-1] + 2, 2))


def barycentric_rows(p: np.ndarray, nodes: np.ndarray) -> np.ndarray:
    """Lagrange basis values ``S[j, l] = ell_l(p_j)`` for first-kind Chebyshev nodes (ascending)."""
    n = nodes.shape[0]
    theta = (2 * np.arange(n) + 1) * np.pi / (2 * n)
    w = (-1.0) ** np.arange(n) * np.sin(theta)
    diff = p[:, None] - nodes[None, :]
    exact = diff == 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        tmp = w / diff
        s = tmp / tmp.sum(axis=1, keepdims=True)
    rows = np.any(exact, axis=1)
    s[rows] = exact[rows].astype(np.float64)
    return s


def _local_error(step: float, points: int, derivative: bool = False) -> float:
    """Max error of ``points``-point equispaced interpolation (spacing ``step``) of ``exp(-(p - x)^2)``.

    The evaluation point ``p`` runs over the central cell of the stencil, the centre
    ``x`` over the whole stretch where the Gaussian is above rounding. With ``derivative``,
    the error of the interpolant's derivative in ``p`` against ``-2 (p - x) exp(-(p - x)^2)``.
    """
    half = points // 2
    s = np.linspace(half - 1, half, 65)  # position in the stencil, units of step
    nodes = np.arange(points, dtype=np.float64)
    denom = np.array([np.prod([a - b for b in range(points) if b != a]) for a in range(points)], dtype=np.float64)
    diff = s[:, None] - nodes[None, :]
    weights = np.empty((s.size, points))
    for a in range(points):
        others = np.delete(diff, a, axis=1)
        if derivative:  # d/dp of prod_{b != a} (s - b), s = p / step
            weights[:, a] = sum(np.prod(np.delete(others, c, axis=1), axis=1) for c in range(points - 1))
            weights[:, a] /= denom[a] * step
        else:
            weights[:, a] = np.prod(others, axis=1) / denom[a]
    centres = np.arange(-6.5, 6.5 + points * step, 0.01)  # the error varies on the Gaussian's scale, 1
    g_nodes = np.exp(-((step * nodes[None, :] - centres[:, None]) ** 2))  # (n_centres, P)
    u = step * s[None, :] - centres[:, None]
    g_exact = -2.0 * u * np.exp(-(u**2)) if derivative else np.exp(-(u**2))  # (n_centres, n_s)
    return float(np.max(np.abs(g_nodes @ weights.T - g_exact)))


@functools.lru_cache(maxsize=64)
def spread_step(points: int, tol: float, derivative: bool = False) -> float:
    """Largest spacing ``h / r0`` at which ``points``-point local interpolation of the Gaussians is within ``tol``.

    The narrowest Gaussian of the long-range part is ``exp(-(x - p)^2 / r0^2)``; the
    wider ones interpolate at least as well. With ``derivative``, the interpolant's
    derivative is within ``tol / r0`` of the Gaussian's (both scaled by ``r0``). Found by
    bisection in ``log h`` on :func:`_local_error` (the error grows with ``h``).
    """
    lo, hi = 1e-4, 2.0
    if _local_error(lo, points, derivative) > tol:
        return 0.0
    for _ in range(40):
        mid = math.sqrt(lo * hi)
        if _local_error(mid, points, derivative) <= tol:
            lo = mid
        else:
            hi = mid
        if hi / lo < 1.01:
            break
    return lo


# ----------------------------------------------------------------------- uniform grids
@dataclass(frozen=True)
class UniformGrid:
    """Nodes ``lo[k] + h i`` for ``i < n[k]`` on each axis, with ``points``-point local interpolation."""

    lo: np.ndarray
    h: float
    n: tuple[int, int, int]
    points: int

    def nodes(self, k: int) -> np.ndarray:
        """The nodes of axis ``k``, shape ``(n[k],)``."""
        return self.lo[k] + self.h * np.arange(self.n[k])

    def plane_bytes(self, extra: float = 0.0) -> float:
        """Bytes of one plane in x (times ``1 + extra`` for work arrays of the same size)."""
        return FLOAT_BYTES * self.n[1] * self.n[2] * (1.0 + extra)


def uniform_grid(pmin: np.ndarray, pmax: np.ndarray, r0: float, tol: float, points: int,
                 derivative: bool = False) -> UniformGrid | None:
    """The uniform grid on which ``points``-point interpolation of Gaussians of width ``r0`` is within ``tol``
    (with ``derivative``, the interpolant's derivative as well: see :func:`spread_step`).

    It covers the box ``[pmin, pmax]`` with every coordinate in the central cell of its
    stencil (one spare node at the top); None if no spacing reaches ``tol``.
    """
    ratio = spread_step(points, tol)
    if derivative:
        ratio = min(ratio, spread_step(points, tol, True))
    if ratio <= 0.0:
        return None
    h = ratio * r0
    span = np.maximum(np.asarray(pmax) - np.asarray(pmin), 0.0)
    n = tuple(int(v) for v in np.floor(span / h).astype(np.int64) + points + 1)
    lo = np.asarray(pmin, dtype=np.float64) - (points // 2 - 1) * h
    return UniformGrid(np.ascontiguousarray(lo), float(h), n, int(points))


def stencil_starts(x: np.ndarray, grid: UniformGrid, axis: int = 0) -> np.ndarray:
    """First node of each coordinate's stencil along ``axis`` (as in :mod:`._grid_kernels`)."""
    i0 = np.floor((x - grid.lo[axis]) / grid.h).astype(np.int64) - (grid.points // 2 - 1)
    return np.clip(i0, 0, grid.n[axis] - grid.points)


@dataclass(frozen=True, eq=False)
class Tile:
    """A block of the uniform grid and the particles whose stencils lie in it.

    ``index`` selects the particles (in the sorted arrays), ``offset`` (3,) is the block's
    first node and ``shape`` its nodes per axis.
    """

    index: np.ndarray
    offset: np.ndarray
    shape: tuple


def _block(pts: np.ndarray, grid: UniformGrid) -> tuple[np.ndarray, tuple]:
    """The smallest block holding the stencils of ``pts``: offset (3,) and shape."""
    offset, shape = [], []
    for k in range(3):
        st = stencil_starts(pts[:, k], grid, axis=k)
        offset.append(int(st.min()))
        shape.append(int(st.max()) - int(st.min()) + grid.points)
    return np.array(offset, dtype=np.int64), tuple(shape)


def tiles(ps: np.ndarray, grid: UniformGrid, node_bytes: float, grid_memory: float) -> list[Tile]:
    """Tiles of particles sorted by cell (x first): slabs in x, split in y where a slab's block is too big.

    Each tile's block (only the rows and columns its particles reach, so clustered particles
    cost their clusters) holds at most ``grid_memory / TILES_IN_FLIGHT`` bytes at
    ``node_bytes`` per node. The tiles depend on the particles, the grid and ``grid_memory``
    only, not on the thread count.
    """
    max_nodes = grid_memory / TILES_IN_FLIGHT / node_bytes
    p = grid.points
    if p * p * grid.n[2] > max_nodes:
        raise ValueError(
            f"grid_memory = {grid_memory:.3g} bytes is too small for {TILES_IN_FLIGHT} tiles of {p} x {p} x "
            f"{grid.n[2]} nodes ({p * p * grid.n[2] * node_bytes:.3g} bytes each); raise grid_memory or r0"
        )
    starts = stencil_starts(ps[:, 0], grid)
    # planes per slab: as many as full planes allow, but at least as many as a square tile of
    # the budget has rows (so that the P - 1 planes of overlap between slabs stay a small share)
    square = int(math.sqrt(max_nodes / grid.n[2]))
    step = max(int(max_nodes // (grid.n[1] * grid.n[2])), square, p) - p + 1
    out: list[Tile] = []
    first = 0
    while first < ps.shape[0]:
        plane0 = int(starts[first])
        last = int(np.searchsorted(starts, plane0 + step, side="left"))
        index = np.arange(first, last)
        offset, shape = _block(ps[index], grid)
        if float(np.prod(shape)) <= max_nodes:
            out.append(Tile(index, offset, shape))
        else:  # split the slab in y: rows so that planes x rows x columns fit
            ys = stencil_starts(ps[index, 1], grid, axis=1)
            order = np.argsort(ys, kind="stable")
            ys = ys[order]
            rows = max(int(max_nodes // (shape[0] * shape[2])) - p + 1, 1)  # rows per tile: the budget
            a = 0
            while a < order.size:
                b = int(np.searchsorted(ys, ys[a] + rows, side="left"))
                sub = index[order[a:b]]
                out.append(Tile(sub, *_block(ps[sub], grid)))
                a = b
        first = last
    return out


TILES_IN_FLIGHT = 4  # tiles sized for grid_memory / 4: up to 4 threads share the budget


def run_tiles(fn, tile_list, threads: int):
    """``fn(tile)`` for each tile in up to ``TILES_IN_FLIGHT`` threads, results in tile order."""
    from ._parallel import ordered_map

    return ordered_map(fn, tile_list, min(threads, TILES_IN_FLIGHT))


def spread_reduced(pos: np.ndarray, q: np.ndarray, grid: UniformGrid, transfer: list[np.ndarray],
                   grid_memory: float, threads: int) -> np.ndarray:
    """``Q x_1 W1 x_2 W2 x_3 W3`` by spreading slab by slab: shape ``(s1, s2, s3)``.

    ``transfer[k]`` (``s_k``, ``n[k]``) maps uniform nodes to the projected Chebyshev source
    coordinates. Particles are sorted by their stencils; each slab is spread into its own
    buffer (only the rows its particles reach; see :func:`tiles`), contracted along z and y,
    and added (in tile order) along x. At most ``TILES_IN_FLIGHT`` tiles are in flight, within
    ``grid_memory`` together, and they do not depend on ``threads``: neither does the result.
    """
    w1, w2, w3 = transfer
    s1, s2, s3 = w1.shape[0], w2.shape[0], w3.shape[0]
    node_bytes = FLOAT_BYTES * (1.0 + s3 / grid.n[2] + (s2 * s3) / (grid.n[1] * grid.n[2]))
    cell = np.floor((pos - grid.lo) / grid.h).astype(np.int64)
    order = np.argsort((cell[:, 0] * grid.n[1] + cell[:, 1]) * grid.n[2] + cell[:, 2], kind="stable")
    ps = np.ascontiguousarray(pos[order])
    qs = np.ascontiguousarray(q[order])
    h3 = np.full(3, grid.h)
    n = np.asarray(grid.n, dtype=np.int64)
    w3t = np.ascontiguousarray(w3.T)

    def one(tile: Tile):
        (o0, o1, o2), (n0, n1, n2) = tile.offset, tile.shape
        buf = np.zeros(tile.shape)
        _grid_kernels.spread_charges(np.ascontiguousarray(ps[tile.index]), np.ascontiguousarray(qs[tile.index]),
                                     grid.lo, h3, grid.points, n, tile.offset, buf)
        y = (buf.reshape(-1, n2) @ w3t[o2: o2 + n2]).reshape(n0, n1, s3)
        del buf
        return o0, np.matmul(w2[:, o1: o1 + n1], y)  # (n0, s2, s3)

    out = np.zeros((s1, s2 * s3))
    for o0, y in run_tiles(one, tiles(ps, grid, node_bytes, grid_memory), threads):
        out += w1[:, o0: o0 + y.shape[0]] @ y.reshape(y.shape[0], -1)
    return out.reshape(s1, s2, s3)


def interpolated_reduced(pos: np.ndarray, q: np.ndarray, rows: list[np.ndarray],
                         batch_floats: int = 4_000_000) -> np.ndarray:
    """``sum_j q_j R1[j] o R2[j] o R3[j]`` for per-particle rows ``Rk`` (N, s_k): shape ``(s1, s2, s3)``.

    ``Rk = ell_k(p_j) Vk`` are the particles' Lagrange rows at the Chebyshev source nodes,
    already projected (see :func:`barycentric_rows`). Cost ``O(N s1 s2 s3)``.
    """
    r1, r2, r3 = rows
    s1, s2, s3 = r1.shape[1], r2.shape[1], r3.shape[1]
    out = np.zeros((s1, s2 * s3))
    step = max(1, batch_floats // max(s2 * s3, 1))
    for a in range(0, pos.shape[0], step):
        sl = slice(a, a + step)
        kr = (r2[sl, :, None] * r3[sl, None, :]).reshape(-1, s2 * s3)
        out += (r1[sl] * q[sl, None]).T @ kr
    return out.reshape(s1, s2, s3)
