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

__all__ = ["spread_charges", "gather_values", "gather_value_gradient"]


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
def _flat_rows(grid):
    """``(flat, plane_stride, row_stride)`` of a C-contiguous block ``(n_x', n_y', n_z'[, G])``:
    node ``(i, j, k)`` (field ``g``) is ``flat[i * plane_stride + j * row_stride + k G + g]``."""
    flat = grid.reshape(-1)
    row_stride = flat.shape[0] // max(grid.shape[0] * grid.shape[1], 1)
    return flat, grid.shape[1] * row_stride, row_stride


@njit(cache=True, nogil=True)
def spread_charges(pos, q, lo, h, points, n, offset, grid):
    """grid[i0 + a, j0 + b, k0 + c] += q_j w_x[a] w_y[b] w_z[c] for every particle j (block indices).

    ``pos`` (N, 3), ``q`` (N,), ``lo``/``h`` (3,) the uniform grid, ``n`` (3,) its nodes per
    axis, ``grid`` the C-contiguous block starting at node ``offset`` (3,). Serial (scatter-add).
    """
    inv = _inverse_denominators(points)
    wx = np.empty(points)
    wy = np.empty(points)
    wz = np.empty(points)
    flat, plane_stride, row_stride = _flat_rows(grid)
    for j in range(pos.shape[0]):
        i0 = _stencil(pos[j, 0], lo[0], h[0], n[0], points, inv, wx) - offset[0]
        j0 = _stencil(pos[j, 1], lo[1], h[1], n[1], points, inv, wy) - offset[1]
        k0 = _stencil(pos[j, 2], lo[2], h[2], n[2], points, inv, wz) - offset[2]
        qj = q[j]
        for a in range(points):
            wa = qj * wx[a]
            for b in range(points):
                wab = wa * wy[b]
                start = (i0 + a) * plane_stride + (j0 + b) * row_stride + k0
                row = flat[start:start + points]
                for c in range(points):
                    row[c] += wab * wz[c]


@njit(cache=True, nogil=True)
def gather_values(pos, lo, h, points, n, offset, grids, out):
    """out[j, g] = sum_{abc} w_x[a] w_y[b] w_z[c] grids[i0 + a, j0 + b, k0 + c, g] (block indices).

    ``grids`` (n_x', n_y', n_z', G), C-contiguous: G fields on the same block (starting at
    node ``offset`` of a grid of ``n`` nodes per axis), interleaved (the field index last),
    interpolated with the same weights; ``out`` (N, G). The ``P`` nodes ``k0 .. k0 + P - 1``
    of a stencil row hold ``P G`` consecutive values: the sum over ``(a, b)`` runs as ``P^2``
    contiguous updates of length ``P G`` (a vectorised loop), then the ``z`` weights reduce
    them to the G results.
    """
    inv = _inverse_denominators(points)
    wx = np.empty(points)
    wy = np.empty(points)
    wz = np.empty(points)
    n_g = grids.shape[3]
    flat, plane_stride, row_stride = _flat_rows(grids)
    m = points * n_g
    acc = np.empty(m)
    for j in range(pos.shape[0]):
        i0 = _stencil(pos[j, 0], lo[0], h[0], n[0], points, inv, wx) - offset[0]
        j0 = _stencil(pos[j, 1], lo[1], h[1], n[1], points, inv, wy) - offset[1]
        k0 = _stencil(pos[j, 2], lo[2], h[2], n[2], points, inv, wz) - offset[2]
        acc[:] = 0.0
        for a in range(points):
            for b in range(points):
                wab = wx[a] * wy[b]
                start = (i0 + a) * plane_stride + (j0 + b) * row_stride + k0 * n_g
                row = flat[start:start + m]
                for t in range(m):
                    acc[t] += wab * row[t]
        for g in range(n_g):
            s = 0.0
            for c in range(points):
                s += wz[c] * acc[c * n_g + g]
            out[j, g] = s


@njit(cache=True, nogil=True)
def _stencil_derivative(x, lo, h, n, points, inv, w, dw):
    """As :func:`_stencil`, and the derivatives of the weights in ``x`` into ``dw``: the product
    ``prod_{b != a} (s - b)`` and its derivative in ``s`` are carried together, ``O(P^2)``."""
    i0 = _stencil(x, lo, h, n, points, inv, w)
    s = (x - lo) / h - i0
    for a in range(points):
        p = 1.0
        dp = 0.0
        for b in range(points):
            if b != a:
                dp = dp * (s - b) + p
                p *= s - b
        dw[a] = dp * inv[a] / h
    return i0


@njit(cache=True, nogil=True)
def gather_value_gradient(pos, lo, h, points, n, offset, grid, out):
    """out[j] = (f, df/dx, df/dy, df/dz) of the local interpolant of one field at pos[j] (block indices).

    ``grid`` (n_x', n_y', n_z'), C-contiguous, the values of one field on the block starting
    at node ``offset``; ``out`` (N, 4). The value uses the weights ``w_x w_y w_z`` of
    :func:`gather_values`, the derivative along an axis that axis' derivative weights. Each
    stencil row along z is reduced by the z weights and their derivatives first (two sums),
    then the rows are combined with ``w_x w_y``, ``w_x' w_y`` and ``w_x w_y'``.
    """
    inv = _inverse_denominators(points)
    wx = np.empty(points)
    wy = np.empty(points)
    wz = np.empty(points)
    dx = np.empty(points)
    dy = np.empty(points)
    dz = np.empty(points)
    flat, plane_stride, row_stride = _flat_rows(grid)
    for j in range(pos.shape[0]):
        i0 = _stencil_derivative(pos[j, 0], lo[0], h[0], n[0], points, inv, wx, dx) - offset[0]
        j0 = _stencil_derivative(pos[j, 1], lo[1], h[1], n[1], points, inv, wy, dy) - offset[1]
        k0 = _stencil_derivative(pos[j, 2], lo[2], h[2], n[2], points, inv, wz, dz) - offset[2]
        f0 = 0.0
        fx = 0.0
        fy = 0.0
        fz = 0.0
        for a in range(points):
            for b in range(points):
                start = (i0 + a) * plane_stride + (j0 + b) * row_stride + k0
                row = flat[start:start + points]
                s = 0.0
                t = 0.0
                for c in range(points):
                    s += wz[c] * row[c]
                    t += dz[c] * row[c]
                wab = wx[a] * wy[b]
                f0 += wab * s
                fz += wab * t
                fx += dx[a] * wy[b] * s
                fy += wx[a] * dy[b] * s
        out[j, 0] = f0
        out[j, 1] = fx
        out[j, 2] = fy
        out[j, 3] = fz
