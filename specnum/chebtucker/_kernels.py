"""Numba kernels of the Chebyshev-Tucker pillar (internal).

Kernels assume validated input: C-contiguous float64 arrays of consistent
shapes and a preallocated output. They import only numpy, numba and math.
"""

import math

import numpy as np
from numba import njit, prange

__all__ = ["tucker_eval", "direct_sum", "cell_short_sum", "cell_short_pairs", "spread_charges", "KERNEL_CODES",
           "SHORT_CODES"]

# kernel codes of direct_sum (radial kernels and the two parts of the Newton split)
KERNEL_CODES = {"newton": 0, "erf": 1, "erfc": 2, "yukawa": 3, "slater": 4}
# kernel codes of the short-range cell-list sums (the short-range part S of each kernel)
SHORT_CODES = {"newton": 0, "yukawa": 1, "slater": 2}

_TWO_OVER_SQRTPI = 2.0 / math.sqrt(math.pi)


@njit(cache=True)
def _cheb_table(pts, axis, start, c, lo, scale, out):
    """out[i, m] = T_i(t_m), t_m = (x_m - lo) * scale - 1 (three-term recurrence)."""
    n = out.shape[0]
    for m in range(c):
        out[0, m] = 1.0
    if n > 1:
        for m in range(c):
            out[1, m] = (pts[start + m, axis] - lo) * scale - 1.0
        for i in range(2, n):
            for m in range(c):
                out[i, m] = 2.0 * out[1, m] * out[i - 1, m] - out[i - 2, m]


@njit(cache=True)
def _matmul_cols(w, t, c, out):
    """out[p, m] = sum_i w[p, i] t[i, m] for m < c (inner loop over contiguous m: SIMD)."""
    rr, n = w.shape
    for p in range(rr):
        for m in range(c):
            out[p, m] = 0.0
        for i in range(n):
            wpi = w[p, i]
            for m in range(c):
                out[p, m] += wpi * t[i, m]


@njit(cache=True)
def tucker_eval(pts, lo, scale, w1t, w2t, w3t, gm, r, grad, chunk, out):
    """Evaluate a Chebyshev-Tucker function (and optionally its gradient) at points.

    pts   : (M, 3) points
    lo    : (3,) left box ends; scale: (3,) 2 / (b - a)
    wkt   : (r_k or 2 r_k, n_k) transposed factor matrices; with grad the rows
            r_k..2r_k-1 hold the coefficients of the derivative factors (already scaled)
    gm    : (r1 * r2, r3) core, C order
    r     : (3,) int64 ranks
    grad  : bool; out is (M, 4) [value, d/dx, d/dy, d/dz] if grad else (M, 1)

    Per chunk of points: Chebyshev tables by the three-term recurrence, factor
    values ``A_k = W_k T_k`` and ``B = G_(3) A_3`` by explicit loops whose inner loop
    runs over the points (vectorised by LLVM, no BLAS threads), then the r1 r2 sum.
    """
    M = pts.shape[0]
    r1 = r[0]
    r2 = r[1]
    r3 = r[2]
    t1 = np.empty((w1t.shape[1], chunk))
    t2 = np.empty((w2t.shape[1], chunk))
    t3 = np.empty((w3t.shape[1], chunk))
    a1 = np.empty((w1t.shape[0], chunk))
    a2 = np.empty((w2t.shape[0], chunk))
    a3 = np.empty((w3t.shape[0], chunk))
    b = np.empty((r1 * r2, chunk))
    bd = np.empty((r1 * r2, chunk))
    a3d = np.empty((r3, chunk))
    v = np.empty(chunk)
    gx = np.empty(chunk)
    gy = np.empty(chunk)
    gz = np.empty(chunk)
    for start in range(0, M, chunk):
        c = min(chunk, M - start)
        _cheb_table(pts, 0, start, c, lo[0], scale[0], t1)
        _cheb_table(pts, 1, start, c, lo[1], scale[1], t2)
        _cheb_table(pts, 2, start, c, lo[2], scale[2], t3)
        _matmul_cols(w1t, t1, c, a1)
        _matmul_cols(w2t, t2, c, a2)
        _matmul_cols(w3t, t3, c, a3)
        _matmul_cols(gm, a3, c, b)
        for m in range(c):
            v[m] = 0.0
        if not grad:
            for p in range(r1):
                for q in range(r2):
                    row = p * r2 + q
                    for m in range(c):
                        v[m] += a1[p, m] * a2[q, m] * b[row, m]
            for m in range(c):
                out[start + m, 0] = v[m]
        else:
            for s in range(r3):
                for m in range(c):
                    a3d[s, m] = a3[r3 + s, m]
            _matmul_cols(gm, a3d, c, bd)
            for m in range(c):
                gx[m] = 0.0
                gy[m] = 0.0
                gz[m] = 0.0
            for p in range(r1):
                for q in range(r2):
                    row = p * r2 + q
                    for m in range(c):
                        x12 = a1[p, m] * a2[q, m]
                        v[m] += x12 * b[row, m]
                        gz[m] += x12 * bd[row, m]
                        gx[m] += a1[r1 + p, m] * a2[q, m] * b[row, m]
                        gy[m] += a1[p, m] * a2[r2 + q, m] * b[row, m]
            for m in range(c):
                out[start + m, 0] = v[m]
                out[start + m, 1] = gx[m]
                out[start + m, 2] = gy[m]
                out[start + m, 3] = gz[m]


@njit(cache=True)
def _kernel_value_deriv(kernel, rr, r0, kappa):
    """(K(r), K'(r)/r) of the radial kernel ``kernel`` (KERNEL_CODES); the r = 0 term is K(0) (0 if singular), 0."""
    if kernel == 0:  # newton 1/r
        if rr == 0.0:
            return 0.0, 0.0
        return 1.0 / rr, -1.0 / (rr * rr * rr)
    if kernel == 1:  # erf(r/r0)/r
        s = rr / r0
        if s < 1e-2:
            s2 = s * s
            f = _TWO_OVER_SQRTPI / r0
            val = f * (1.0 - s2 / 3.0 + s2 * s2 / 10.0 - s2 * s2 * s2 / 42.0)
            dr = f / (r0 * r0) * (-2.0 / 3.0 + 0.4 * s2 - s2 * s2 / 7.0)
            return val, dr
        e = math.erf(s)
        val = e / rr
        dr = (_TWO_OVER_SQRTPI / r0 * math.exp(-s * s) / rr - e / (rr * rr)) / rr
        return val, dr
    if kernel == 2:  # erfc(r/r0)/r
        if rr == 0.0:
            return 0.0, 0.0
        s = rr / r0
        e = math.erfc(s)
        val = e / rr
        dr = (-_TWO_OVER_SQRTPI / r0 * math.exp(-s * s) / rr - e / (rr * rr)) / rr
        return val, dr
    if kernel == 3:  # yukawa exp(-kappa r)/r
        if rr == 0.0:
            return 0.0, 0.0
        e = math.exp(-kappa * rr)
        return e / rr, -e * (kappa * rr + 1.0) / (rr * rr * rr)
    # slater exp(-kappa r)
    e = math.exp(-kappa * rr)
    if rr == 0.0:
        return 1.0, 0.0
    return e, -kappa * e / rr


@njit(cache=True, parallel=True)
def direct_sum(src, q, tgt, kernel, r0, kappa, grad, out):
    """out[i, 0] = sum_j q_j K(|t_i - s_j|); with grad also out[i, 1:4] = the gradient in t_i.

    Parallel over targets (independent rows); sources in order, so the result
    does not depend on the number of threads.
    """
    M = tgt.shape[0]
    N = src.shape[0]
    for i in prange(M):
        x = tgt[i, 0]
        y = tgt[i, 1]
        z = tgt[i, 2]
        v = 0.0
        gx = 0.0
        gy = 0.0
        gz = 0.0
        for j in range(N):
            dx = x - src[j, 0]
            dy = y - src[j, 1]
            dz = z - src[j, 2]
            rr = math.sqrt(dx * dx + dy * dy + dz * dz)
            val, dr = _kernel_value_deriv(kernel, rr, r0, kappa)
            v += q[j] * val
            if grad:
                gx += q[j] * dr * dx
                gy += q[j] * dr * dy
                gz += q[j] * dr * dz
        out[i, 0] = v
        if grad:
            out[i, 1] = gx
            out[i, 2] = gy
            out[i, 3] = gz


# ------------------------------------------------------------------ short range (cell list)
@njit(cache=True)
def _erfcx(x):
    """exp(x^2) erfc(x) for x >= 0 (x^2 split exactly, so exp(x^2) keeps full relative accuracy)."""
    if x < 26.0:
        c = 134217729.0 * x  # Dekker split: xh has 26 significant bits, xh * xh is exact
        xh = c - (c - x)
        xl = x - xh
        return math.erfc(x) * math.exp(xh * xh) * math.exp(xl * (2.0 * xh + xl))
    # asymptotic series sum_k (-1)^k (2k-1)!! / (2x^2)^k, terms < 2e-17 after k = 7 at x >= 26
    y = 1.0 / (2.0 * x * x)
    s = 1.0
    term = 1.0
    for k in range(1, 9):
        term *= -(2.0 * k - 1.0) * y
        s += term
    return s / (x * math.sqrt(math.pi))


@njit(cache=True)
def _short_parts(kernel, rr, r0, kappa):
    """(P, Q, G) of the Yukawa/Slater short-range closed forms at r > 0 (see _short_value)."""
    s = rr / r0
    h = 0.5 * kappa * r0
    g = math.exp(-s * s - h * h)
    b = s - h
    if b > 0.0:
        p = g * _erfcx(b)
    else:
        p = math.exp(-kappa * rr) * math.erfc(b)
    return p, g * _erfcx(s + h), g


@njit(cache=True)
def _short_value(kernel, rr, r0, kappa, s0):
    """S(r) of the short-range part of kernel ``kernel`` (SHORT_CODES); ``s0`` at r = 0.

    newton: ``erfc(r/r0)/r``; with ``P = exp(-kappa r) erfc(r/r0 - kappa r0/2)``,
    ``Q = exp(kappa r) erfc(r/r0 + kappa r0/2)`` (evaluated as ``G erfcx(.)``,
    ``G = exp(-r^2/r0^2 - kappa^2 r0^2/4)``, when the erfc argument is positive):
    yukawa ``(P + Q)/(2r)``, slater ``(P - Q)/2`` (``S = K - L`` in closed form).
    The value at r = 0 is the caller's (it depends on how the self term is treated).
    """
    if rr == 0.0:
        return s0
    if kernel == 0:
        return math.erfc(rr / r0) / rr
    p, qq, _ = _short_parts(kernel, rr, r0, kappa)
    if kernel == 1:
        return 0.5 * (p + qq) / rr
    return 0.5 * (p - qq)


@njit(cache=True)
def _short_value_deriv(kernel, rr, r0, kappa, s0):
    """(S(r), S'(r)/r) for kernel (SHORT_CODES); at r = 0: (s0, 0)."""
    if rr == 0.0:
        return s0, 0.0
    ir = 1.0 / rr
    if kernel == 0:
        s = rr / r0
        val = math.erfc(s) * ir
        dr = (-_TWO_OVER_SQRTPI / r0 * math.exp(-s * s) - val) * ir * ir
        return val, dr
    p, qq, g = _short_parts(kernel, rr, r0, kappa)
    if kernel == 1:
        val = 0.5 * (p + qq) * ir
        dr = (0.5 * (kappa * (qq - p) - 2.0 * _TWO_OVER_SQRTPI / r0 * g) - val) * ir * ir
        return val, dr
    return 0.5 * (p - qq), -0.5 * kappa * (p + qq) * ir


@njit(cache=True)
def _col_range(x, lo, h, dim, reach):
    """Neighbour columns [c0, c1] along one axis of a point at coordinate x (empty if c0 > c1)."""
    u = (x - lo) / h
    if u < -2.0 * reach or u >= dim + 2.0 * reach:
        return 0, -1
    c = int(math.floor(u))
    return max(c - reach, 0), min(c + reach, dim - 1)


@njit(cache=True)
def _z_window(sz, a, b, z, dxy2, rc2):
    """Index range [j0, j1) of sz[a:b] (sorted) with ``dxy2 + (z - sz[j])^2 < rc2`` (rounded as the test)."""
    lo = a
    hi = b
    while lo < hi:  # first j with sz[j] >= z or inside
        mid = (lo + hi) // 2
        d = z - sz[mid]
        if d <= 0.0 or dxy2 + d * d < rc2:
            hi = mid
        else:
            lo = mid + 1
    j0 = lo
    hi = b
    while lo < hi:  # first j with sz[j] > z and outside
        mid = (lo + hi) // 2
        d = z - sz[mid]
        if d < 0.0 and not dxy2 + d * d < rc2:
            hi = mid
        else:
            lo = mid + 1
    return j0, lo


@njit(cache=True)
def _rect_dist2(x, y, bounds, c):
    """Squared distance from (x, y) to the x/y bounding rectangle of column c (rounded down-safe)."""
    dx = max(bounds[0, c] - x, 0.0, x - bounds[1, c])
    dy = max(bounds[2, c] - y, 0.0, y - bounds[3, c])
    return dx * dx + dy * dy


@njit(cache=True, parallel=True)
def cell_short_sum(sx, sy, sz, sq, starts, bounds, dims, lo, h, reach, tgt, order, kernel, r0, kappa, s0, rc,
                   grad, out):
    """out[i, 0] = sum_{j: r_ij < rc} q_j S(r_ij); with grad also out[i, 1:4] = the gradient in t_i.

    Sources (sx, sy, sz, sq) sorted into columns of x/y edge h >= rc/reach (column
    ``a dims[1] + b`` holds indices starts[c]:starts[c + 1], increasing z; bounds (4, ncol)
    the exact x/y ranges of its points).
    For each target and each of the (2 reach + 1)^2 neighbouring columns whose bounding
    rectangle is closer than rc, two binary searches give the z-window of candidates,
    which are then tested (r < rc) and summed. Targets are visited in the order
    ``order`` (by column, for locality), in parallel; each target's sum has a fixed
    order, so the result does not depend on the thread count. A source at distance 0
    contributes ``q_j s0``.
    """
    rc2 = rc * rc
    n2 = dims[1]
    for ii in prange(order.shape[0]):
        i = order[ii]
        x = tgt[i, 0]
        y = tgt[i, 1]
        z = tgt[i, 2]
        a0, a1 = _col_range(x, lo[0], h[0], dims[0], reach)
        b0, b1 = _col_range(y, lo[1], h[1], dims[1], reach)
        v = 0.0
        gx = 0.0
        gy = 0.0
        gz = 0.0
        for ca in range(a0, a1 + 1):
            for cb in range(b0, b1 + 1):
                c = ca * n2 + cb
                if starts[c] == starts[c + 1]:
                    continue
                dxy2 = _rect_dist2(x, y, bounds, c)
                if not dxy2 < rc2:
                    continue
                j0, j1 = _z_window(sz, starts[c], starts[c + 1], z, dxy2, rc2)
                for j in range(j0, j1):
                    dx = x - sx[j]
                    dy = y - sy[j]
                    dz = z - sz[j]
                    r2 = dx * dx + dy * dy + dz * dz
                    if r2 < rc2:
                        if grad:
                            val, dr = _short_value_deriv(kernel, math.sqrt(r2), r0, kappa, s0)
                            v += sq[j] * val
                            gx += sq[j] * dr * dx
                            gy += sq[j] * dr * dy
                            gz += sq[j] * dr * dz
                        else:
                            v += sq[j] * _short_value(kernel, math.sqrt(r2), r0, kappa, s0)
        out[i, 0] = v
        if grad:
            out[i, 1] = gx
            out[i, 2] = gy
            out[i, 3] = gz


@njit(cache=True)
def cell_short_pairs(sx, sy, sz, sq, starts, bounds, dims, reach, kernel, r0, kappa, s0, rc, forces):
    """Return sum_{i<j, r_ij < rc} q_i q_j S(r_ij) and add the pair forces into forces (N, 3).

    Particles (sx, sy, sz, sq) sorted as for cell_short_sum (forces in the same order). Each
    unordered pair is visited once: partners j > i in i's own column, then the z-windows
    of the neighbouring columns that follow in C order. Serial (no races, fixed order).
    Coincident particles contribute ``q_i q_j s0`` and no force.
    """
    rc2 = rc * rc
    n1 = dims[0]
    n2 = dims[1]
    energy = 0.0
    for ca in range(n1):
        for cb in range(n2):
            cell = ca * n2 + cb
            for i in range(starts[cell], starts[cell + 1]):
                x = sx[i]
                y = sy[i]
                z = sz[i]
                fx = 0.0
                fy = 0.0
                fz = 0.0
                for da in range(0, reach + 1):
                    pa = ca + da
                    if pa >= n1:
                        break
                    for db in range(-reach, reach + 1):
                        pb = cb + db
                        if pb < 0 or pb >= n2 or (da == 0 and db < 0):
                            continue
                        c = pa * n2 + pb
                        if starts[c] == starts[c + 1]:
                            continue
                        dxy2 = _rect_dist2(x, y, bounds, c)
                        if not dxy2 < rc2:
                            continue
                        if da == 0 and db == 0:
                            j0, j1 = _z_window(sz, i + 1, starts[c + 1], z, 0.0, rc2)
                        else:
                            j0, j1 = _z_window(sz, starts[c], starts[c + 1], z, dxy2, rc2)
                        for j in range(j0, j1):
                            dx = x - sx[j]
                            dy = y - sy[j]
                            dz = z - sz[j]
                            r2 = dx * dx + dy * dy + dz * dz
                            if r2 < rc2:
                                val, dr = _short_value_deriv(kernel, math.sqrt(r2), r0, kappa, s0)
                                qq = sq[i] * sq[j]
                                energy += qq * val
                                fx -= qq * dr * dx
                                fy -= qq * dr * dy
                                fz -= qq * dr * dz
                                forces[j, 0] += qq * dr * dx
                                forces[j, 1] += qq * dr * dy
                                forces[j, 2] += qq * dr * dz
                forces[i, 0] += fx
                forces[i, 1] += fy
                forces[i, 2] += fz
    return energy


# ------------------------------------------------------------------ charges to a uniform grid
@njit(cache=True)
def spread_charges(pos, q, lo, h, points, grid):
    """grid[i0 + a, j0 + b, k0 + c] += q_j w_x[a] w_y[b] w_z[c] for every particle j.

    ``w`` are the ``points``-point Lagrange weights of the particle coordinate on the
    uniform nodes ``lo + h i`` around it (nodes ``i0 .. i0 + points - 1`` with the
    particle in the central cell; the stencil is shifted at the grid ends). Serial:
    the scatter-add would race in parallel.
    """
    half = points // 2
    denom = np.empty(points)
    for a in range(points):
        d = 1.0
        for b in range(points):
            if b != a:
                d *= a - b
        denom[a] = d
    w = np.empty((3, points))
    start = np.empty(3, dtype=np.int64)
    n1 = grid.shape[1]
    n2 = grid.shape[2]
    flat = grid.reshape(-1)  # C-contiguous: a view
    for j in range(pos.shape[0]):
        for k in range(3):
            u = (pos[j, k] - lo[k]) / h[k]
            i0 = int(math.floor(u)) - (half - 1)
            i0 = min(max(i0, 0), grid.shape[k] - points)
            s = u - i0
            for a in range(points):
                prod = 1.0
                for b in range(points):
                    if b != a:
                        prod *= s - b
                w[k, a] = prod / denom[a]
            start[k] = i0
        for a in range(points):
            wa = q[j] * w[0, a]
            for b in range(points):
                wab = wa * w[1, b]
                base = ((start[0] + a) * n1 + start[1] + b) * n2 + start[2]
                for c in range(points):
                    flat[base + c] += wab * w[2, c]
