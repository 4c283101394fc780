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
    "slabs",
    "spread_reduced",
    "interpolated_reduced",
    "run_slabs",
    "slab_planes",
    "block_of",
    "SLABS_IN_FLIGHT",
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


def _local_error(step: float, points: int) -> float:
    """Max error of ``points``-point equispaced interpolation (spacing ``step``) of ``exp(-(p - x)^2)``.

    The evaluation point ``p`` runs over the central cell of the stencil, the centre
    ``x`` over the whole stretch where the Gaussian is above rounding.
    """
    half = points // 2
    s = np.linspace(half - 1, half, 65)  # position in the stencil, units of step
    nodes = np.arange(points, dtype=np.float64)
    denom = np.array([np.prod([a - b for b in range(points) if b != a]) for a in range(points)], dtype=np.float64)
    diff = s[:, None] - nodes[None, :]
    weights = np.empty((s.size, points))
    for a in range(points):
        weights[:, a] = np.prod(np.delete(diff, a, axis=1), axis=1) / denom[a]
    centres = np.arange(-6.5, 6.5 + points * step, 0.01)  # the error varies on the Gaussian's scale, 1
    g_nodes = np.exp(-((step * nodes[None, :] - centres[:, None]) ** 2))  # (n_centres, P)
    g_exact = np.exp(-((step * s[None, :] - centres[:, None]) ** 2))  # (n_centres, n_s)
    return float(np.max(np.abs(g_nodes @ weights.T - g_exact)))


@functools.lru_cache(maxsize=64)
def spread_step(points: int, tol: float) -> float:
    """Largest spacing ``h / r0`` at which ``points``-point local interpolation of the Gaussians is within ``tol``.

    The narrowest Gaussian of the long-range part is ``exp(-(x - p)^2 / r0^2)``; the
    wider ones interpolate at least as well. Found by bisection in ``log h`` on
    :func:`_local_error` (the error grows with ``h``).
    """
    lo, hi = 1e-4, 2.0
    if _local_error(lo, points) > tol:
        return 0.0
    for _ in range(40):
        mid = math.sqrt(lo * hi)
        if _local_error(mid, points) <= tol:
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


def uniform_grid(pmin: np.ndarray, pmax: np.ndarray, r0: float, tol: float, points: int) -> UniformGrid | None:
    """The uniform grid on which ``points``-point interpolation of Gaussians of width ``r0`` is within ``tol``.

    It covers the box ``[pmin, pmax]`` with every coordinate in the central cell of its
    stencil (one spare node at the top); None if no spacing reaches ``tol``.
    """
    ratio = spread_step(points, tol)
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


def block_of(pts: np.ndarray, grid: UniformGrid, plane0: int, planes: int) -> tuple[np.ndarray, tuple]:
    """The block of a slab that its points' stencils touch: ``offset`` (3,) and ``shape``.

    The slab's planes in x, and in y and z only the rows its points reach: for clustered
    points (blobs, shells) most of the slab stays out of memory and out of the work.
    """
    lo_idx = [plane0]
    shape = [planes]
    for k in (1, 2):
        st = stencil_starts(pts[:, k], grid, axis=k)
        lo_idx.append(int(st.min()))
        shape.append(int(st.max()) - int(st.min()) + grid.points)
    return np.array(lo_idx, dtype=np.int64), tuple(shape)


def slabs(starts: np.ndarray, grid: UniformGrid, max_planes: int) -> list[tuple[int, int, int, int]]:
    """Slabs ``(plane0, planes, first, last)`` of particles sorted by stencil start.

    Each slab holds the particles ``first:last`` whose stencils start in
    ``plane0 .. plane0 + planes - points``; its buffer has ``planes <= max_planes`` planes
    (at least ``points``). Empty stretches of planes are skipped.
    """
    step = max(max_planes - grid.points + 1, 1)
    out = []
    first = 0
    total = starts.shape[0]
    while first < total:
        plane0 = int(starts[first])
        last = int(np.searchsorted(starts, plane0 + step, side="left"))
        planes = int(starts[last - 1]) - plane0 + grid.points
        out.append((plane0, planes, first, last))
        first = last
    return out


SLABS_IN_FLIGHT = 4  # slabs sized for grid_memory / 4: up to 4 threads share the budget


def slab_planes(grid: UniformGrid, per_plane: float, grid_memory: float) -> int:
    """Planes per slab: ``grid_memory / SLABS_IN_FLIGHT`` bytes (independent of the thread count)."""
    max_planes = int(grid_memory / SLABS_IN_FLIGHT // per_plane)
    if max_planes < grid.points:
        raise ValueError(
            f"grid_memory = {grid_memory:.3g} bytes is too small for {SLABS_IN_FLIGHT} slabs of {grid.points} "
            f"planes of {grid.n[1]} x {grid.n[2]} nodes ({grid.points * per_plane:.3g} bytes each); raise "
            f"grid_memory or r0"
        )
    return max_planes


def run_slabs(fn, slab_list, threads: int):
    """``fn(slab)`` for each slab in up to ``SLABS_IN_FLIGHT`` threads, results in slab order."""
    from ._parallel import ordered_map

    return ordered_map(fn, slab_list, min(threads, SLABS_IN_FLIGHT))


def spread_reduced(pos: np.ndarray, q: np.ndarray, grid: UniformGrid, transfer: list[np.ndarray],
                   grid_memory: float, threads: int) -> np.ndarray:
    """``Q x_1 W1 x_2 W2 x_3 W3`` by spreading slab by slab: shape ``(s1, s2, s3)``.

    ``transfer[k]`` (``s_k``, ``n[k]``) maps uniform nodes to the projected Chebyshev source
    coordinates. Particles are sorted by their stencils; each slab is spread into its own
    buffer (only the rows its particles reach), contracted along z and y, and added (in slab
    order) along x. The slabs depend on ``grid_memory`` only (at most ``SLABS_IN_FLIGHT`` of
    them, within ``grid_memory`` together), so the result does not depend on ``threads``.
    """
    w1, w2, w3 = transfer
    s1, s2, s3 = w1.shape[0], w2.shape[0], w3.shape[0]
    per_plane = grid.plane_bytes(extra=(s3 / grid.n[2]) + (s2 * s3) / (grid.n[1] * grid.n[2]))
    max_planes = slab_planes(grid, per_plane, grid_memory)
    cell = np.floor((pos - grid.lo) / grid.h).astype(np.int64)
    order = np.argsort((cell[:, 0] * grid.n[1] + cell[:, 1]) * grid.n[2] + cell[:, 2], kind="stable")
    ps = np.ascontiguousarray(pos[order])
    qs = np.ascontiguousarray(q[order])
    starts = stencil_starts(ps[:, 0], grid)
    h3 = np.full(3, grid.h)
    w2 = np.ascontiguousarray(w2)
    w3t = np.ascontiguousarray(w3.T)

    n = np.asarray(grid.n, dtype=np.int64)

    def one(slab):
        plane0, planes, first, last = slab
        offset, shape = block_of(ps[first:last], grid, plane0, planes)
        buf = np.zeros(shape)
        _grid_kernels.spread_charges(ps[first:last], qs[first:last], grid.lo, h3, grid.points, n, offset, buf)
        rows, cols = slice(offset[1], offset[1] + shape[1]), slice(offset[2], offset[2] + shape[2])
        y = (buf.reshape(-1, shape[2]) @ w3t[cols]).reshape(planes, shape[1], s3)
        del buf
        return plane0, np.matmul(w2[:, rows], y)  # (planes, s2, s3)

    out = np.zeros((s1, s2 * s3))
    for plane0, y in run_slabs(one, slabs(starts, grid, max_planes), threads):
        out += w1[:, plane0: plane0 + y.shape[0]] @ y.reshape(y.shape[0], -1)
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
