"""Numba kernels of the short-range cell list (internal).

Sources are sorted into columns (cells in x and y of edge ``h >= r_c/reach``) and by z
inside each column. Only occupied columns are stored: ``keys`` (sorted, ``a dims[1] + b``
for column ``(a, b)``), ``starts`` (the sources of column ``c`` are ``starts[c]:starts[c+1]``)
and ``bounds`` (4, ncol) the exact x/y ranges of their points. A target visits the
``(2 reach + 1)^2`` neighbouring columns (found by binary search on ``keys``), skips those
whose rectangle is farther than ``r_c`` and takes, by two binary searches, the z-window of
sources that can lie within ``r_c``.

``S`` in closed form (``SHORT_CODES``): ``erfc(r/r0)/r`` (Newton), ``(P + Q)/(2r)`` (Yukawa)
and ``(P - Q)/2`` (Slater), ``P = exp(-kappa r) erfc(r/r0 - kappa r0/2)``,
``Q = exp(kappa r) erfc(r/r0 + kappa r0/2)``, all through ``erfcx`` (no overflow), which a
table ``ex`` of polynomials gives at the cost of a few multiplications (``erfc`` itself costs
about three exponentials). A source at distance 0 contributes the value ``s0`` and no force.
Kernels assume validated input.
"""

import math

import numpy as np
from numba import njit, prange

__all__ = ["cell_short_sum", "cell_short_pairs", "short_values", "SHORT_CODES", "ERFCX_WIDTH"]

# kernel codes of the short-range part S of each kernel
SHORT_CODES = {"newton": 0, "yukawa": 1, "slater": 2}


_TWO_OVER_SQRTPI = 2.0 / math.sqrt(math.pi)


ERFCX_WIDTH = 0.125  # intervals of the erfcx table (see neighbours.erfcx_table)


@njit(cache=True, nogil=True)
def _erfcx(x, ex):
    """exp(x^2) erfc(x) for x >= 0.

    On ``[0, ex.shape[0] ERFCX_WIDTH)`` from the table ``ex`` of degree-9 polynomials (Estrin's
    scheme; a few ulps); beyond, ``erfc(x) exp(x^2)`` with ``x^2`` split exactly (Dekker), and
    from 26 on the asymptotic series.
    """
    u = x * (1.0 / ERFCX_WIDTH)
    i = int(u)
    if i < ex.shape[0]:
        t = 2.0 * (u - i) - 1.0
        t2 = t * t
        t4 = t2 * t2
        p03 = (ex[i, 0] + ex[i, 1] * t) + (ex[i, 2] + ex[i, 3] * t) * t2
        p47 = (ex[i, 4] + ex[i, 5] * t) + (ex[i, 6] + ex[i, 7] * t) * t2
        return p03 + p47 * t4 + (ex[i, 8] + ex[i, 9] * t) * (t4 * t4)
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


@njit(cache=True, nogil=True)
def _short_parts(kernel, rr, ir0, kappa, ex):
    """(P, Q, G) of the Yukawa/Slater short-range closed forms at r > 0 (see _short_value_deriv)."""
    s = rr * ir0
    h = 0.5 * kappa / ir0
    g = math.exp(-s * s - h * h)
    b = s - h
    if b > 0.0:
        p = g * _erfcx(b, ex)
    else:
        p = math.exp(-kappa * rr) * math.erfc(b)
    return p, g * _erfcx(s + h, ex), g


@njit(cache=True, nogil=True)
def _short_value_deriv(kernel, rr, ir0, kappa, s0, ex):
    """(S(r), S'(r)/r) for kernel (SHORT_CODES); at r = 0: (s0, 0). ``ir0 = 1/r0`` (no division per pair).

    newton: ``S = erfc(r/r0)/r = erfcx(r/r0) exp(-r^2/r0^2)/r`` (the exponential shared with
    ``S'``); with ``P = exp(-kappa r) erfc(r/r0 - kappa r0/2)``,
    ``Q = exp(kappa r) erfc(r/r0 + kappa r0/2)`` (evaluated as ``G erfcx(.)``,
    ``G = exp(-r^2/r0^2 - kappa^2 r0^2/4)``, when the erfc argument is positive):
    yukawa ``(P + Q)/(2r)``, slater ``(P - Q)/2`` (``S = K - L`` in closed form).
    The value at r = 0 is the caller's (it depends on how the self term is treated).
    """
    if rr == 0.0:
        return s0, 0.0
    ir = 1.0 / rr
    if kernel == 0:
        s = rr * ir0
        e = math.exp(-s * s)
        val = _erfcx(s, ex) * e * ir
        dr = (-_TWO_OVER_SQRTPI * ir0 * e - val) * ir * ir
        return val, dr
    p, qq, g = _short_parts(kernel, rr, ir0, kappa, ex)
    if kernel == 1:
        val = 0.5 * (p + qq) * ir
        dr = (0.5 * (kappa * (qq - p) - 2.0 * _TWO_OVER_SQRTPI * ir0 * g) - val) * ir * ir
        return val, dr
    return 0.5 * (p - qq), -0.5 * kappa * (p + qq) * ir


@njit(cache=True, nogil=True)
def _short(kernel, rr, ir0, kappa, s0, ex, grad):
    """(S(r), S'(r)/r) of kernel (SHORT_CODES); without grad the second entry is 0 (not computed)."""
    if not grad:
        if rr == 0.0:
            return s0, 0.0
        if kernel == 0:
            s = rr * ir0
            return _erfcx(s, ex) * math.exp(-s * s) / rr, 0.0
    return _short_value_deriv(kernel, rr, ir0, kappa, s0, ex)


@njit(cache=True)
def short_values(kernel, r, r0, kappa, s0, ex):
    """(S, S'/r) at an array of distances (for tests of the closed forms)."""
    out = np.empty((r.shape[0], 2))
    for m in range(r.shape[0]):
        v, d = _short_value_deriv(kernel, r[m], 1.0 / r0, kappa, s0, ex)
        out[m, 0] = v
        out[m, 1] = d
    return out


@njit(cache=True, nogil=True)
def _lower_bound(keys, value):
    lo = 0
    hi = keys.shape[0]
    while lo < hi:
        mid = (lo + hi) // 2
        if keys[mid] < value:
            lo = mid + 1
        else:
            hi = mid
    return lo


@njit(cache=True, nogil=True)
def _row_columns(keys, ca, d1, b0, b1):
    """Index range [first, stop) of the occupied columns (ca, b) with b0 <= b <= b1 (empty if b0 > b1)."""
    if b0 > b1:
        return 0, 0
    return _lower_bound(keys, ca * d1 + b0), _lower_bound(keys, ca * d1 + b1 + 1)


@njit(cache=True, nogil=True)
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


@njit(cache=True, nogil=True)
def _rect_dist2(x, y, bounds, c):
    """Squared distance from (x, y) to the x/y bounding rectangle of column c."""
    dx = max(bounds[0, c] - x, 0.0, x - bounds[1, c])
    dy = max(bounds[2, c] - y, 0.0, y - bounds[3, c])
    return dx * dx + dy * dy


@njit(cache=True, nogil=True)
def _cell_index(x, lo, h, dim, reach):
    """Column index of coordinate x (may lie outside [0, dim)); huge values are clamped."""
    u = (x - lo) / h
    if u < -2.0 * reach - 1.0:
        return -2 * reach - 1
    if u > dim + 2.0 * reach + 1.0:
        return dim + 2 * reach + 1
    return int(math.floor(u))


@njit(cache=True, parallel=True)
def cell_short_sum(sx, sy, sz, sq, keys, starts, bounds, dims, lo, h, reach, tgt, order, kernel, r0,
                   kappa, s0, ex, rc, grad, out):
    """out[i, 0] = sum_{j: r_ij < rc} q_j S(r_ij); with grad also out[i, 1:4] = the gradient in t_i.

    Targets are visited in the order ``order`` (by column, for locality), in parallel; each
    target's sum has a fixed order (columns by key, sources by z), so the result does not
    depend on the thread count.
    """
    rc2 = rc * rc
    ir0 = 1.0 / r0
    d0 = dims[0]
    d1 = dims[1]
    for ii in prange(order.shape[0]):
        i = order[ii]
        x = tgt[i, 0]
        y = tgt[i, 1]
        z = tgt[i, 2]
        a = _cell_index(x, lo[0], h[0], d0, reach)
        b = _cell_index(y, lo[1], h[1], d1, reach)
        v = 0.0
        gx = 0.0
        gy = 0.0
        gz = 0.0
        for ca in range(max(a - reach, 0), min(a + reach, d0 - 1) + 1):
            first, stop = _row_columns(keys, ca, d1, max(b - reach, 0), min(b + reach, d1 - 1))
            for c in range(first, stop):
                dxy2 = _rect_dist2(x, y, bounds, c)
                if dxy2 < rc2:
                    j0, j1 = _z_window(sz, starts[c], starts[c + 1], z, dxy2, rc2)
                    for j in range(j0, j1):
                        dx = x - sx[j]
                        dy = y - sy[j]
                        dz = z - sz[j]
                        r2 = dx * dx + dy * dy + dz * dz
                        if r2 < rc2:
                            val, dr = _short(kernel, math.sqrt(r2), ir0, kappa, s0, ex, grad)
                            v += sq[j] * val
                            if grad:
                                gx += sq[j] * dr * dx
                                gy += sq[j] * dr * dy
                                gz += sq[j] * dr * dz
        out[i, 0] = v
        if grad:
            out[i, 1] = gx
            out[i, 2] = gy
            out[i, 3] = gz


@njit(cache=True, nogil=True)
def _pair_block(i, j0, j1, x, y, z, qi, sx, sy, sz, sq, owned, oi, kernel, ir0, kappa, s0, ex, rc2, potential,
                forces, vi, fx, fy, fz):
    """Pairs (i, j) for j in [j0, j1) within rc, i or j owned: j's updates in place, i's returned (summed)."""
    for j in range(j0, j1):
        dx = x - sx[j]
        dy = y - sy[j]
        dz = z - sz[j]
        r2 = dx * dx + dy * dy + dz * dz
        if r2 < rc2 and (oi or owned[j]):
            val, dr = _short_value_deriv(kernel, math.sqrt(r2), ir0, kappa, s0, ex)
            qj = sq[j]
            vi += qj * val
            potential[j] += qi * val
            fx -= qj * dr * dx
            fy -= qj * dr * dy
            fz -= qj * dr * dz
            qq = qi * qj * dr
            forces[j, 0] += qq * dx
            forces[j, 1] += qq * dy
            forces[j, 2] += qq * dz
    return vi, fx, fy, fz


@njit(cache=True, nogil=True)
def _pairs_of_column(c, sx, sy, sz, sq, owned, keys, starts, bounds, d1, reach, kernel, ir0, kappa, s0, ex,
                     rc2, potential, forces):
    """All pairs (i in column c, j after i), i or j owned: partners above in c, then the columns that follow."""
    a = keys[c] // d1
    b = keys[c] - a * d1
    for i in range(starts[c], starts[c + 1]):
        x = sx[i]
        y = sy[i]
        z = sz[i]
        qi = sq[i]
        oi = owned[i]
        j0, j1 = _z_window(sz, i + 1, starts[c + 1], z, 0.0, rc2)
        vi, fx, fy, fz = _pair_block(i, j0, j1, x, y, z, qi, sx, sy, sz, sq, owned, oi, kernel, ir0, kappa, s0, ex,
                                     rc2, potential, forces, 0.0, 0.0, 0.0, 0.0)
        for da in range(0, reach + 1):
            first, stop = _row_columns(keys, a + da, d1, b + 1 if da == 0 else max(b - reach, 0),
                                       min(b + reach, d1 - 1))
            for cc in range(first, stop):
                dxy2 = _rect_dist2(x, y, bounds, cc)
                if dxy2 < rc2:
                    j0, j1 = _z_window(sz, starts[cc], starts[cc + 1], z, dxy2, rc2)
                    vi, fx, fy, fz = _pair_block(i, j0, j1, x, y, z, qi, sx, sy, sz, sq, owned, oi, kernel, ir0,
                                                 kappa, s0, ex, rc2, potential, forces, vi, fx, fy, fz)
        potential[i] += vi
        forces[i, 0] += qi * fx
        forces[i, 1] += qi * fy
        forces[i, 2] += qi * fz


@njit(cache=True, parallel=True)
def cell_short_pairs(sx, sy, sz, sq, owned, keys, starts, bounds, dims, reach, stripes, kernel, r0, kappa, s0, ex,
                     rc, potential, forces):
    """Add every pair (i < j, r_ij < rc, i or j owned) to ``potential`` (N,) and ``forces`` (N, 3), sorted order.

    ``potential[i] += q_j S(r_ij)`` (and symmetrically), ``forces[i] += -q_i q_j S'(r_ij)
    (x_i - x_j)/r_ij``. Pairs of two particles that are not ``owned`` (bool, (N,)) are left
    out (a chunk's halo: those pairs belong to another chunk). Each unordered pair is
    visited once, from the particle whose column comes first (own column: the partners
    above in z). Parallel over stripes of
    ``reach + 1`` column rows in x (``stripes`` holds their first column indices): a stripe
    writes only to itself and the next, so the even stripes run in parallel, then the odd
    ones. Each particle receives its contributions in a fixed order: the result does not
    depend on the thread count.
    """
    rc2 = rc * rc
    ir0 = 1.0 / r0
    d1 = dims[1]
    n_stripes = stripes.shape[0] - 1
    for phase in range(2):
        for si in prange((n_stripes - phase + 1) // 2):
            s = 2 * si + phase
            for c in range(stripes[s], stripes[s + 1]):
                _pairs_of_column(c, sx, sy, sz, sq, owned, keys, starts, bounds, d1, reach, kernel, ir0, kappa, s0,
                                 ex, rc2, potential, forces)
