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

Pairs are computed in batches: a particle's (or target's) candidates within the cutoff are
first collected without branches (index and ``r^2``), then ``S`` and ``S'/r`` are evaluated
for the whole batch, and finally added to the sums in the order collected. The batch's
indices are unsigned, so that the loops index the particle arrays without the test for
negative indices. For the Newton kernel the evaluation is a loop without table lookups or
library calls, which the compiler vectorizes (see :func:`newton_batch`); pairs at distance 0 or
beyond ``8 r0`` (a cutoff that large is only ever given explicitly) and the other kernels take
the scalar formulas.
Kernels assume validated input; they are compiled with ``error_model="numpy"`` (no exception
checks inside the loops: divisions are by a nonzero distance, a positive cell edge or a
constant, or produce values that the scalar formulas replace).
"""

import math

import numpy as np
from numba import njit, prange

__all__ = ["cell_short_sum", "cell_short_pairs", "short_values", "newton_batch", "SHORT_CODES", "ERFCX_WIDTH",
           "ERFCX_MONOMIALS", "NEWTON_BATCH_REACH", "BATCH"]

# kernel codes of the short-range part S of each kernel
SHORT_CODES = {"newton": 0, "yukawa": 1, "slater": 2}

_TWO_OVER_SQRTPI = 2.0 / math.sqrt(math.pi)


ERFCX_WIDTH = 0.125  # intervals of the erfcx table (see neighbours.erfcx_table)


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _split(x):
    """Dekker's split ``x = hi + lo``: ``hi`` has 26 significant bits, so ``hi * hi`` is exact."""
    c = 134217729.0 * x
    hi = c - (c - x)
    return hi, x - hi


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _cubic(c, o, x, x2):
    """``c[o] + c[o+1] x + c[o+2] x^2 + c[o+3] x^3`` (one step of Estrin's scheme; ``x2 = x^2``)."""
    return (c[o] + c[o + 1] * x) + (c[o + 2] + c[o + 3] * x) * x2


@njit(cache=True, nogil=True, error_model="numpy")
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
        row = ex[i]
        return _cubic(row, 0, t, t2) + _cubic(row, 4, t, t2) * t4 + (row[8] + row[9] * t) * (t4 * t4)
    if x < 26.0:
        xh, xl = _split(x)
        return math.erfc(x) * math.exp(xh * xh) * math.exp(xl * (2.0 * xh + xl))
    # asymptotic series sum_k (-1)^k (2k-1)!! / (2x^2)^k, terms < 2e-17 after k = 7 at x >= 26
    y = 1.0 / (2.0 * x * x)
    s = 1.0
    term = 1.0
    for k in range(1, 9):
        term *= -(2.0 * k - 1.0) * y
        s += term
    return s / (x * math.sqrt(math.pi))


@njit(cache=True, nogil=True, error_model="numpy")
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


@njit(cache=True, nogil=True, error_model="numpy")
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


@njit(cache=True, error_model="numpy")
def short_values(kernel, r, r0, kappa, s0, ex):
    """(S, S'/r) at an array of distances (for tests of the closed forms)."""
    out = np.empty((r.shape[0], 2))
    for m in range(r.shape[0]):
        v, d = _short_value_deriv(kernel, r[m], 1.0 / r0, kappa, s0, ex)
        out[m, 0] = v
        out[m, 1] = d
    return out


@njit(cache=True, nogil=True, error_model="numpy")
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


@njit(cache=True, nogil=True, error_model="numpy")
def _row_columns(keys, ca, d1, b0, b1):
    """Index range [first, stop) of the occupied columns (ca, b) with b0 <= b <= b1 (empty if b0 > b1)."""
    if b0 > b1:
        return 0, 0
    return _lower_bound(keys, ca * d1 + b0), _lower_bound(keys, ca * d1 + b1 + 1)


@njit(cache=True, nogil=True, error_model="numpy")
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


@njit(cache=True, nogil=True, error_model="numpy")
def _rect_dist2(x, y, bounds, c):
    """Squared distance from (x, y) to the x/y bounding rectangle of column c."""
    dx = max(bounds[0, c] - x, 0.0, x - bounds[1, c])
    dy = max(bounds[2, c] - y, 0.0, y - bounds[3, c])
    return dx * dx + dy * dy


@njit(cache=True, nogil=True, error_model="numpy")
def _cell_index(x, lo, h, dim, reach):
    """Column index of coordinate x (may lie outside [0, dim)); huge values are clamped."""
    u = (x - lo) / h
    if u < -2.0 * reach - 1.0:
        return -2 * reach - 1
    if u > dim + 2.0 * reach + 1.0:
        return dim + 2 * reach + 1
    return int(math.floor(u))


# ---------------------------------------------------------------------------- batches

BATCH = 1024  # candidate pairs per batch: three float arrays and one index array of 8 KiB, in the L1/L2 cache

NEWTON_BATCH_REACH = 8.0  # the batched Newton formulas hold for 0 < r/r0 < 8
# erfcx(s) on [0, 8] = sum_i c_i u^i, u = 1.5 w + 0.5, w = (s - 4)/(s + 4) in [-1, 1/3]: the degree-23
# Chebyshev interpolant in u (the coefficients it drops are below 1e-18), converted to monomials in
# mpmath (tests/chebtucker/test_short_batch.py regenerates them and bounds the dropped ones)
ERFCX_MONOMIALS = np.array([
    0.25539567631050575,
    -0.3203893855604688,
    0.21603008065150453,
    -0.12130979259423535,
    0.056663898960213885,
    -0.021762555269413723,
    0.006685681777586532,
    -0.0015442591661771967,
    0.00022439813119090078,
    -2.659209990091304e-06,
    -7.2647838000632556e-06,
    1.2989196413200268e-06,
    1.113392856183189e-07,
    -6.691170639341977e-08,
    8.795414254728551e-10,
    3.0321045010994633e-09,
    -1.7527392733254202e-10,
    -1.46768377326316e-10,
    1.0045800466808757e-11,
    7.873696276724078e-12,
    -3.644176869085733e-13,
    -4.381262373057992e-13,
    4.4418325149777945e-15,
    1.9007261422748502e-14,
])
# exp(-f) on [0, 1] = exp(-1/2) sum_k (-d)^k / k!, d = f - 1/2: degree 15, remainder below 2e-17
_GAUSS_TAYLOR = np.array([math.exp(-0.5) * (-1.0) ** k / math.factorial(k) for k in range(16)])
# exp(-2^b), b = 0..5: exp(-n) for an integer n < 64 is the product over the bits of n
_EXP_BITS = np.array([math.exp(-(2.0**b)) for b in range(6)])


@njit(cache=True, nogil=True, error_model="numpy")
def newton_batch(k, fb, ir0, reach2):
    """``fb[1, m] = S(r_m)`` and ``fb[2, m] = S'(r_m)/r_m`` for ``m < k``, from ``fb[0, m] = r_m^2``;
    returns the number of ``r_m^2`` outside ``(0, reach2)``.

    The Newton kernel for a batch of distances in a loop the compiler vectorizes:
    ``S(r) = erfc(s)/r`` and ``S'(r)/r = (-(2/sqrt(pi)) exp(-s^2)/r0 - S(r))/r^2`` with
    ``s = r/r0``, written as ``erfc(s) = erfcx(s) exp(-s^2)``, with neither table lookups nor library
    calls (which would keep the loop scalar):

    * ``erfcx(s)`` on ``[0, 8]``: one polynomial in ``u = 1.5 w + 0.5``, ``w = (s - 4)/(s + 4)`` (the
      rational map flattens erfcx's slow decay), the degree-23 Chebyshev interpolant in ``u``
      converted to monomials in mpmath (:data:`ERFCX_MONOMIALS`);
    * ``exp(-s^2) = exp(-n) exp(-f)``: ``s^2 = hi + lo`` exactly (Dekker's split), ``n`` the
      integer part of ``hi`` (below 64), ``f = hi - n + lo`` in ``[0, 1)``; ``exp(-n)`` is the
      product of ``exp(-2^b)`` over the bits of ``n`` (selects, no lookup) and ``exp(-f)`` the
      Taylor polynomial at ``1/2`` (degree 15).

    Both polynomials are evaluated by Estrin's scheme (short dependency chains). ``S`` and ``S'``
    are within a few ulps of their exact values (the tests bound them against mpmath).

    Valid for ``0 < r_m < 8 r0``; elsewhere the values are finite or NaN and the caller
    replaces them (with ``reach2 <= (8 r0)^2`` the count tells whether any needs it). ``fb`` is
    the (3, BATCH) scratch of the cell-list kernels (rows ``r^2``, ``S``, ``S'/r``).
    """
    c = ERFCX_MONOMIALS
    e = _GAUSS_TAYLOR
    xb = _EXP_BITS
    r2a = fb[0]
    val = fb[1]
    der = fb[2]
    odd = 0
    for m in range(k):
        r2 = r2a[m]
        rr = math.sqrt(r2)
        ir = 1.0 / rr
        s = rr * ir0
        u = 1.5 * ((s - 4.0) / (s + 4.0)) + 0.5
        u2 = u * u
        u4 = u2 * u2
        u8 = u4 * u4
        erfcx = ((_cubic(c, 0, u, u2) + _cubic(c, 4, u, u2) * u4)
                 + (_cubic(c, 8, u, u2) + _cubic(c, 12, u, u2) * u4) * u8
                 + (_cubic(c, 16, u, u2) + _cubic(c, 20, u, u2) * u4) * (u8 * u8))
        # exp(-s^2) = exp(-n) exp(-f): s^2 = hi + lo exactly (Dekker), n = floor(hi), f = hi - n + lo
        hi = s * s
        sh, sl = _split(s)
        lo = ((sh * sh - hi) + 2.0 * sh * sl) + sl * sl
        n = min(int(hi), 63)
        d = ((hi - n) + lo) - 0.5
        d2 = d * d
        d4 = d2 * d2
        g = ((_cubic(e, 0, d, d2) + _cubic(e, 4, d, d2) * d4)
             + (_cubic(e, 8, d, d2) + _cubic(e, 12, d, d2) * d4) * (d4 * d4))
        g0 = (xb[0] if n & 1 else 1.0) * (xb[1] if n & 2 else 1.0)
        g1 = (xb[2] if n & 4 else 1.0) * (xb[3] if n & 8 else 1.0)
        g2 = (xb[4] if n & 16 else 1.0) * (xb[5] if n & 32 else 1.0)
        g = g * ((g0 * g1) * g2)
        v = erfcx * g * ir
        val[m] = v
        der[m] = (-_TWO_OVER_SQRTPI * ir0 * g - v) * ir * ir
        odd += (r2 <= 0.0) | (r2 >= reach2)
    return odd


_TARGET_BLOCK = 256  # targets per parallel task of cell_short_sum (one scratch batch each)


@njit(cache=True, nogil=True, error_model="numpy")
def _collect(j0, j1, x, y, z, sx, sy, sz, owned, oi, rc2, ib, fb, k):
    """Append the sources j in [j0, j1) within rc of (x, y, z) (and owned, or oi) to the batch at k.

    Branch-free: every candidate is written, and the count advances only for the accepted.
    The caller keeps ``k + j1 - j0 <= BATCH``.
    """
    n = j1 - j0
    xs = sx[j0:j1]
    ys = sy[j0:j1]
    zs = sz[j0:j1]
    ow = owned[j0:j1]
    ibb = ib[k:]
    r2b = fb[0, k:]
    c = 0
    for m in range(n):
        dx = x - xs[m]
        dy = y - ys[m]
        dz = z - zs[m]
        r2 = dx * dx + dy * dy + dz * dz
        ibb[c] = j0 + m
        r2b[c] = r2
        c += (r2 < rc2) & (oi | ow[m])
    return k + c


@njit(cache=True, nogil=True, error_model="numpy")
def _evaluate(k, fb, kernel, ir0, kappa, s0, ex, reach2):
    """``fb[1] = S``, ``fb[2] = S'/r`` for the batch.

    Newton: the vectorized formulas, then the scalar ones at distance 0 and beyond their
    reach; the other kernels: the scalar closed forms.
    """
    if kernel == 0 and newton_batch(k, fb, ir0, reach2) == 0:
        return
    for m in range(k):
        r2 = fb[0, m]
        if kernel != 0 or not (r2 > 0.0 and r2 < reach2):
            v, d = _short_value_deriv(kernel, math.sqrt(r2), ir0, kappa, s0, ex)
            fb[1, m] = v
            fb[2, m] = d


@njit(cache=True, nogil=True, error_model="numpy")
def _flush_pairs(k, ib, fb, x, y, z, sx, sy, sz, qi, sq, kernel, ir0, kappa, s0, ex, reach2, potential, forces,
                 acc):
    """The batch's pairs (i, j): j's sums updated in place, i's added to ``acc`` (4,) (in the batch's order)."""
    _evaluate(k, fb, kernel, ir0, kappa, s0, ex, reach2)
    vi, fx, fy, fz = acc[0], acc[1], acc[2], acc[3]  # sums in registers (acc might alias the outputs)
    for m in range(k):
        j = ib[m]
        val = fb[1, m]
        dr = fb[2, m]
        dx = x - sx[j]
        dy = y - sy[j]
        dz = z - sz[j]
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
    acc[0], acc[1], acc[2], acc[3] = vi, fx, fy, fz


@njit(cache=True, nogil=True, error_model="numpy")
def _flush_sum(k, ib, fb, x, y, z, sx, sy, sz, sq, kernel, ir0, kappa, s0, ex, reach2, grad, acc):
    """The batch's sources added to one target's value (and gradient) in ``acc`` (4,)."""
    _evaluate(k, fb, kernel, ir0, kappa, s0, ex, reach2)
    v, gx, gy, gz = acc[0], acc[1], acc[2], acc[3]
    for m in range(k):
        j = ib[m]
        qj = sq[j]
        v += qj * fb[1, m]
        if grad:
            qd = qj * fb[2, m]
            gx += qd * (x - sx[j])
            gy += qd * (y - sy[j])
            gz += qd * (z - sz[j])
    acc[0], acc[1], acc[2], acc[3] = v, gx, gy, gz


@njit(cache=True, nogil=True, error_model="numpy")
def _window(j0, j1, x, y, z, qi, pairs, sx, sy, sz, sq, owned, oi, kernel, ir0, kappa, s0, ex, rc2, reach2, grad,
            ib, fb, k, potential, forces, acc):
    """Collect the sources j in [j0, j1) into the batch, adding the batch whenever it is full; returns k.

    ``pairs``: the batch feeds :func:`_flush_pairs` (particle qi), else :func:`_flush_sum`.
    """
    while j0 < j1:
        stop = min(j1, j0 + (BATCH - k))
        k = _collect(j0, stop, x, y, z, sx, sy, sz, owned, oi, rc2, ib, fb, k)
        j0 = stop
        if j0 < j1:
            if pairs:
                _flush_pairs(k, ib, fb, x, y, z, sx, sy, sz, qi, sq, kernel, ir0, kappa, s0, ex, reach2, potential,
                             forces, acc)
            else:
                _flush_sum(k, ib, fb, x, y, z, sx, sy, sz, sq, kernel, ir0, kappa, s0, ex, reach2, grad, acc)
            k = 0
    return k


@njit(cache=True, parallel=True, error_model="numpy")
def cell_short_sum(sx, sy, sz, sq, keys, starts, bounds, dims, lo, h, reach, tgt, order, kernel, r0,
                   kappa, s0, ex, rc, grad, out):
    """out[i, 0] = sum_{j: r_ij < rc} q_j S(r_ij); with grad also out[i, 1:4] = the gradient in t_i.

    Targets are visited in the order ``order`` (by column, for locality), in parallel blocks;
    each target's sum has a fixed order (columns by key, sources by z), so the result does
    not depend on the thread count.
    """
    rc2 = rc * rc
    ir0 = 1.0 / r0
    reach2 = (NEWTON_BATCH_REACH * r0) ** 2
    d0 = dims[0]
    d1 = dims[1]
    owned = np.ones(sx.shape[0], dtype=np.bool_)
    no_potential = np.empty(0)  # the pair sums' outputs: not used by the per-target sums
    no_forces = np.empty((0, 3))
    n_blocks = (order.shape[0] + _TARGET_BLOCK - 1) // _TARGET_BLOCK
    for blk in prange(n_blocks):
        ib = np.empty(BATCH, dtype=np.uint64)
        fb = np.empty((3, BATCH))
        acc = np.empty(4)
        for ii in range(blk * _TARGET_BLOCK, min((blk + 1) * _TARGET_BLOCK, order.shape[0])):
            i = order[ii]
            x = tgt[i, 0]
            y = tgt[i, 1]
            z = tgt[i, 2]
            a = _cell_index(x, lo[0], h[0], d0, reach)
            b = _cell_index(y, lo[1], h[1], d1, reach)
            acc[:] = 0.0
            k = 0
            for ca in range(max(a - reach, 0), min(a + reach, d0 - 1) + 1):
                first, stop = _row_columns(keys, ca, d1, max(b - reach, 0), min(b + reach, d1 - 1))
                for c in range(first, stop):
                    dxy2 = _rect_dist2(x, y, bounds, c)
                    if dxy2 < rc2:
                        j0, j1 = _z_window(sz, starts[c], starts[c + 1], z, dxy2, rc2)
                        k = _window(j0, j1, x, y, z, 0.0, False, sx, sy, sz, sq, owned, True, kernel, ir0, kappa,
                                    s0, ex, rc2, reach2, grad, ib, fb, k, no_potential, no_forces, acc)
            _flush_sum(k, ib, fb, x, y, z, sx, sy, sz, sq, kernel, ir0, kappa, s0, ex, reach2, grad, acc)
            out[i, 0] = acc[0]
            if grad:
                out[i, 1] = acc[1]
                out[i, 2] = acc[2]
                out[i, 3] = acc[3]


@njit(cache=True, nogil=True, error_model="numpy")
def _pairs_of_column(c, sx, sy, sz, sq, owned, keys, starts, bounds, d1, reach, kernel, ir0, kappa, s0, ex,
                     rc2, reach2, ib, fb, acc, potential, forces):
    """All pairs (i in column c, j after i), i or j owned: partners above in c, then the columns that follow."""
    a = keys[c] // d1
    b = keys[c] - a * d1
    for i in range(starts[c], starts[c + 1]):
        x = sx[i]
        y = sy[i]
        z = sz[i]
        qi = sq[i]
        oi = owned[i]
        acc[:] = 0.0
        j0, j1 = _z_window(sz, i + 1, starts[c + 1], z, 0.0, rc2)
        k = _window(j0, j1, x, y, z, qi, True, sx, sy, sz, sq, owned, oi, kernel, ir0, kappa, s0, ex, rc2, reach2,
                    True, ib, fb, 0, potential, forces, acc)
        for da in range(0, reach + 1):
            first, stop = _row_columns(keys, a + da, d1, b + 1 if da == 0 else max(b - reach, 0),
                                       min(b + reach, d1 - 1))
            for cc in range(first, stop):
                dxy2 = _rect_dist2(x, y, bounds, cc)
                if dxy2 < rc2:
                    j0, j1 = _z_window(sz, starts[cc], starts[cc + 1], z, dxy2, rc2)
                    k = _window(j0, j1, x, y, z, qi, True, sx, sy, sz, sq, owned, oi, kernel, ir0, kappa, s0, ex,
                                rc2, reach2, True, ib, fb, k, potential, forces, acc)
        _flush_pairs(k, ib, fb, x, y, z, sx, sy, sz, qi, sq, kernel, ir0, kappa, s0, ex, reach2, potential, forces,
                     acc)
        potential[i] += acc[0]
        forces[i, 0] += qi * acc[1]
        forces[i, 1] += qi * acc[2]
        forces[i, 2] += qi * acc[3]


@njit(cache=True, parallel=True, error_model="numpy")
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
    reach2 = (NEWTON_BATCH_REACH * r0) ** 2
    d1 = dims[1]
    n_stripes = stripes.shape[0] - 1
    for phase in range(2):
        for si in prange((n_stripes - phase + 1) // 2):
            s = 2 * si + phase
            ib = np.empty(BATCH, dtype=np.uint64)
            fb = np.empty((3, BATCH))
            acc = np.empty(4)
            for c in range(stripes[s], stripes[s + 1]):
                _pairs_of_column(c, sx, sy, sz, sq, owned, keys, starts, bounds, d1, reach, kernel, ir0, kappa, s0,
                                 ex, rc2, reach2, ib, fb, acc, potential, forces)
