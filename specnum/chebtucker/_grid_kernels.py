"""Numba kernels between particles and a uniform grid: spreading and gathering (internal).

Both use local ``P``-point Lagrange interpolation on a uniform grid ``lo + h i`` (per axis):
a coordinate ``x`` has the stencil ``i0 .. i0 + P - 1`` with ``x`` in its central cell
(``i0 = floor((x - lo)/h) - (P/2 - 1)``, shifted inwards at the grid ends) and the weights
``w_a = prod_{b != a} (s - b) / (a - b)``, ``s = (x - lo)/h - i0``. Spreading adds
``q w_x[a] w_y[b] w_z[c]`` to the node ``(i0 + a, j0 + b, k0 + c)``; gathering is its
transpose. Grids may be blocks of a larger grid of ``n`` nodes per axis: the block's node
``(i, j, k)`` is the grid's ``offset + (i, j, k)``; every particle given must have its
stencil inside the block.
Kernels assume validated, C-contiguous input; they release the GIL (slabs run in threads).
"""

import math

import numpy as np
from numba import njit

__all__ = ["spread_charges", "gather_values"]


@njit(cache=True, nogil=True)
def _inverse_denominators(points):
    inv = np.empty(points)
    for a in range(points):
        d = 1.0
        for b in range(points):
            if b != a:
                d *= a - b
        inv[a] = 1.0 / d
    return inv


@njit(cache=True, nogil=True)
def _stencil(x, lo, h, n, points, inv, w):
    """First node of the stencil of coordinate x on a grid of n nodes; weights into w (O(P))."""
    u = (x - lo) / h
    i0 = int(math.floor(u)) - (points // 2 - 1)
    i0 = min(max(i0, 0), n - points)
    s = u - i0
    pre = 1.0
    for a in range(points):
        w[a] = pre
        pre *= s - a
    suf = 1.0
    for a in range(points - 1, -1, -1):
        w[a] *= suf * inv[a]
        suf *= s - a
    return i0


@njit(cache=True, nogil=True)
def spread_charges(pos, q, lo, h, points, n, offset, grid):
    """grid[i0 + a, j0 + b, k0 + c] += q_j w_x[a] w_y[b] w_z[c] for every particle j (block indices).

    ``pos`` (N, 3), ``q`` (N,), ``lo``/``h`` (3,) the uniform grid, ``n`` (3,) its nodes per
    axis, ``grid`` the block starting at node ``offset`` (3,). Serial (scatter-add).
    """
    inv = _inverse_denominators(points)
    wx = np.empty(points)
    wy = np.empty(points)
    wz = np.empty(points)
    for j in range(pos.shape[0]):
        i0 = _stencil(pos[j, 0], lo[0], h[0], n[0], points, inv, wx) - offset[0]
        j0 = _stencil(pos[j, 1], lo[1], h[1], n[1], points, inv, wy) - offset[1]
        k0 = _stencil(pos[j, 2], lo[2], h[2], n[2], points, inv, wz) - offset[2]
        qj = q[j]
        for a in range(points):
            wa = qj * wx[a]
            for b in range(points):
                wab = wa * wy[b]
                row = grid[i0 + a, j0 + b]
                for c in range(points):
                    row[k0 + c] += wab * wz[c]


@njit(cache=True, nogil=True)
def gather_values(pos, lo, h, points, n, offset, grids, out):
    """out[j, g] = sum_{abc} w_x[a] w_y[b] w_z[c] grids[i0 + a, j0 + b, k0 + c, g] (block indices).

    ``grids`` (n_x', n_y', n_z', G): G fields on the same block (starting at node ``offset``
    of a grid of ``n`` nodes per axis), interleaved (the field index last, e.g. a potential
    and its three derivatives), interpolated with the same weights; ``out`` (N, G). With
    G = 4 the four sums run as independent accumulators.
    """
    inv = _inverse_denominators(points)
    wx = np.empty(points)
    wy = np.empty(points)
    wz = np.empty(points)
    n_g = grids.shape[3]
    acc = np.empty(n_g)
    for j in range(pos.shape[0]):
        i0 = _stencil(pos[j, 0], lo[0], h[0], n[0], points, inv, wx) - offset[0]
        j0 = _stencil(pos[j, 1], lo[1], h[1], n[1], points, inv, wy) - offset[1]
        k0 = _stencil(pos[j, 2], lo[2], h[2], n[2], points, inv, wz) - offset[2]
        if n_g == 4:
            s0 = 0.0
            s1 = 0.0
            s2 = 0.0
            s3 = 0.0
            for a in range(points):
                for b in range(points):
                    wab = wx[a] * wy[b]
                    row = grids[i0 + a, j0 + b]
                    for c in range(points):
                        w = wab * wz[c]
                        s0 += w * row[k0 + c, 0]
                        s1 += w * row[k0 + c, 1]
                        s2 += w * row[k0 + c, 2]
                        s3 += w * row[k0 + c, 3]
            out[j, 0] = s0
            out[j, 1] = s1
            out[j, 2] = s2
            out[j, 3] = s3
            continue
        for g in range(n_g):
            acc[g] = 0.0
        for a in range(points):
            for b in range(points):
                wab = wx[a] * wy[b]
                row = grids[i0 + a, j0 + b]
                for c in range(points):
                    w = wab * wz[c]
                    for g in range(n_g):
                        acc[g] += w * row[k0 + c, g]
        for g in range(n_g):
            out[j, g] = acc[g]
