"""Numba kernels of specnum.bases.quadrature (import only numpy, numba, math).

Double-double ("dd", a value hi + lo with |lo| <= ulp(hi)/2) evaluation of
the orthonormal Jacobi three-term recurrence. In plain float64 the rounding
of the recurrence (and of its coefficients) accumulates to O(n eps) in
p_n(x) near x = +-1, which shows up as O(n eps) relative errors in the Gauss
weights there; in dd arithmetic (about 32 digits) the values come out
correctly rounded to float64 for any practical n.

Kernels assume validated input (alpha, beta > -1, n >= 1, |x| <= 1) and
preallocated outputs. No FMA is assumed: products use Dekker's splitting.
"""

import math

import numba

__all__ = ["jacobi_coefficients_dd", "jacobi_eval_dd", "jacobi_mass_dd"]

# exact power-of-two rescaling of running products and recurrences
_BIG = 2.0**400
_SMALL = 2.0**-400


@numba.njit(cache=True)
def _two_sum(a, b):  # pragma: no cover - numba
    s = a + b
    bb = s - a
    e = (a - (s - bb)) + (b - bb)
    return s, e


@numba.njit(cache=True)
def _quick_two_sum(a, b):  # pragma: no cover - numba
    s = a + b
    e = b - (s - a)
    return s, e


@numba.njit(cache=True)
def _split(a):  # pragma: no cover - numba
    c = 134217729.0 * a
    hi = c - (c - a)
    return hi, a - hi


@numba.njit(cache=True)
def _two_prod(a, b):  # pragma: no cover - numba
    p = a * b
    ah, al = _split(a)
    bh, bl = _split(b)
    e = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    return p, e


@numba.njit(cache=True)
def _dd_add(ah, al, bh, bl):  # pragma: no cover - numba
    s, e = _two_sum(ah, bh)
    e += al + bl
    return _quick_two_sum(s, e)


@numba.njit(cache=True)
def _dd_mul(ah, al, bh, bl):  # pragma: no cover - numba
    p, e = _two_prod(ah, bh)
    e += ah * bl + al * bh
    return _quick_two_sum(p, e)


@numba.njit(cache=True)
def _dd_div(ah, al, bh, bl):  # pragma: no cover - numba
    q1 = ah / bh
    ph, pl = _dd_mul(q1, 0.0, bh, bl)
    rh, rl = _dd_add(ah, al, -ph, -pl)
    q2 = rh / bh
    ph, pl = _dd_mul(q2, 0.0, bh, bl)
    rh, rl = _dd_add(rh, rl, -ph, -pl)
    q3 = rh / bh
    qh, ql = _quick_two_sum(q1, q2)
    return _dd_add(qh, ql, q3, 0.0)


@numba.njit(cache=True)
def _dd_sqrt(ah, al):  # pragma: no cover - numba
    x = math.sqrt(ah)
    ph, pl = _two_prod(x, x)
    rh, rl = _dd_add(ah, al, -ph, -pl)
    return _quick_two_sum(x, rh / (2.0 * x))


@numba.njit(cache=True)
def jacobi_coefficients_dd(n, alpha, beta, a, b, inv_b):  # pragma: no cover - numba
    """Orthonormal Jacobi recurrence coefficients in dd.

    ``b[k+1] p_{k+1} = (x - a[k]) p_k - b[k] p_{k-1}``; outputs have shapes
    a (2, n), b (2, n+1) with b[:, 0] = 0, inv_b (2, n+1) = 1/b (0 at k=0);
    row 0 holds hi, row 1 lo.
    """
    sh, sl = _two_sum(alpha, beta)
    # a_0 = (beta - alpha)/(s + 2)
    nh, nl = _two_sum(beta, -alpha)
    dh, dl = _dd_add(sh, sl, 2.0, 0.0)
    a[0, 0], a[1, 0] = _dd_div(nh, nl, dh, dl)
    dmh, dml = _two_sum(beta, -alpha)
    dph, dpl = _two_sum(beta, alpha)
    num_h, num_l = _dd_mul(dmh, dml, dph, dpl)  # beta^2 - alpha^2
    for k in range(1, n):
        c0h, c0l = _dd_add(sh, sl, 2.0 * k, 0.0)
        c2h, c2l = _dd_add(c0h, c0l, 2.0, 0.0)
        dh, dl = _dd_mul(c0h, c0l, c2h, c2l)
        a[0, k], a[1, k] = _dd_div(num_h, num_l, dh, dl)
    b[0, 0] = 0.0
    b[1, 0] = 0.0
    inv_b[0, 0] = 0.0
    inv_b[1, 0] = 0.0
    for k in range(1, n + 1):
        kah, kal = _two_sum(float(k), alpha)
        kbh, kbl = _two_sum(float(k), beta)
        c0h, c0l = _dd_add(sh, sl, 2.0 * k, 0.0)  # 2k + s
        c1h, c1l = _dd_add(c0h, c0l, 1.0, 0.0)  # 2k + s + 1
        if k == 1:
            # 4 (1+alpha)(1+beta) / ((2+s)^2 (3+s))
            nh, nl = _dd_mul(kah, kal, kbh, kbl)
            nh, nl = 4.0 * nh, 4.0 * nl  # exact: power of two
            dh, dl = _dd_mul(c0h, c0l, c0h, c0l)
            dh, dl = _dd_mul(dh, dl, c1h, c1l)
        else:
            ksh, ksl = _dd_add(sh, sl, float(k), 0.0)
            nh, nl = _dd_mul(kah, kal, kbh, kbl)
            nh, nl = _dd_mul(nh, nl, ksh, ksl)
            nh, nl = _dd_mul(nh, nl, 4.0 * k, 0.0)
            cmh, cml = _dd_add(c0h, c0l, -1.0, 0.0)  # 2k + s - 1
            dh, dl = _dd_mul(c0h, c0l, c0h, c0l)
            dh, dl = _dd_mul(dh, dl, c1h, c1l)
            dh, dl = _dd_mul(dh, dl, cmh, cml)
        qh, ql = _dd_div(nh, nl, dh, dl)
        bh, bl = _dd_sqrt(qh, ql)
        b[0, k], b[1, k] = bh, bl
        inv_b[0, k], inv_b[1, k] = _dd_div(1.0, 0.0, bh, bl)


@numba.njit(cache=True)
def jacobi_eval_dd(x, x_lo, n, a, b, inv_b, mu0, out):  # pragma: no cover - numba
    """Evaluate p_n, p_n', p_{n-1}, p_{n-1}' at each point x[j] + x_lo[j] in dd; store the rounded values.

    p_0 = 1/sqrt(mu0); out has shape (5, m): rows p_n, p_n', p_{n-1}, p_{n-1}' and
    the binary exponent e of a common scale factor, the values being out[r, j] * 2**e.
    Whenever |p_k| or |p_k'| exceeds 2**400 the four running values are multiplied
    by 2**-400 (exact), so no value overflows for any n, alpha, beta.
    """
    sh, sl = _dd_sqrt(mu0, 0.0)
    p0h, p0l = _dd_div(1.0, 0.0, sh, sl)
    for j in range(x.shape[0]):
        xj = x[j]
        xl = x_lo[j]
        pmh, pml = 0.0, 0.0  # p_{k-1}
        ph, pl = p0h, p0l  # p_k
        dmh, dml = 0.0, 0.0  # p'_{k-1}
        dh, dl = 0.0, 0.0  # p'_k
        e = 0
        for k in range(n):
            th, tl = _two_sum(xj, -a[0, k])
            th, tl = _dd_add(th, tl, -a[1, k], 0.0)  # x - a_k
            if xl != 0.0:
                th, tl = _dd_add(th, tl, xl, 0.0)
            # p_{k+1} = ((x - a_k) p_k - b_k p_{k-1}) / b_{k+1}
            uh, ul = _dd_mul(th, tl, ph, pl)
            vh, vl = _dd_mul(b[0, k], b[1, k], pmh, pml)
            uh, ul = _dd_add(uh, ul, -vh, -vl)
            nph, npl = _dd_mul(uh, ul, inv_b[0, k + 1], inv_b[1, k + 1])
            # p'_{k+1} = (p_k + (x - a_k) p'_k - b_k p'_{k-1}) / b_{k+1}
            uh, ul = _dd_mul(th, tl, dh, dl)
            uh, ul = _dd_add(uh, ul, ph, pl)
            vh, vl = _dd_mul(b[0, k], b[1, k], dmh, dml)
            uh, ul = _dd_add(uh, ul, -vh, -vl)
            ndh, ndl = _dd_mul(uh, ul, inv_b[0, k + 1], inv_b[1, k + 1])
            pmh, pml, ph, pl = ph, pl, nph, npl
            dmh, dml, dh, dl = dh, dl, ndh, ndl
            if abs(ph) > _BIG or abs(dh) > _BIG:
                pmh, pml, ph, pl = pmh * _SMALL, pml * _SMALL, ph * _SMALL, pl * _SMALL
                dmh, dml, dh, dl = dmh * _SMALL, dml * _SMALL, dh * _SMALL, dl * _SMALL
                e += 400
        out[0, j] = ph + pl
        out[1, j] = dh + dl
        out[2, j] = pmh + pml
        out[3, j] = dmh + dml
        out[4, j] = e


@numba.njit(cache=True)
def _gamma_reduce(xh, xl):  # pragma: no cover - numba
    """Write Gamma(x), x = xh + xl > 0 in dd, as Gamma(x0) * r * 2**e with x0 = x0h + x0l, 1 <= x0h < 2.

    Returns (x0h, x0l, rh, rl, e): r = prod_{k<m} (x0 + k) for x >= 1 (m = floor(xh) - 1),
    r = 1/x for x < 1 (then x0 = x + 1); the rising product is kept in dd with an
    exact power-of-two rescaling, so it neither overflows nor loses digits.
    """
    if xh < 1.0:
        x0h, x0l = _dd_add(xh, xl, 1.0, 0.0)
        rh, rl = _dd_div(1.0, 0.0, xh, xl)
        return x0h, x0l, rh, rl, 0
    m = int(math.floor(xh)) - 1 if xh >= 2.0 else 0
    x0h = xh - m  # exact: xh and the integer m are multiples of ulp(xh) and x0h < 2
    x0l = xl
    rh, rl = 1.0, 0.0
    e = 0
    for k in range(m):
        fh, fl = _dd_add(x0h, x0l, float(k), 0.0)
        rh, rl = _dd_mul(rh, rl, fh, fl)
        if rh > _BIG:
            rh, rl = rh * _SMALL, rl * _SMALL
            e += 400
    return x0h, x0l, rh, rl, e


@numba.njit(cache=True)
def jacobi_mass_dd(alpha, beta, out):  # pragma: no cover - numba
    """The parts of mu0 = 2^(alpha+beta+1) Gamma(alpha+1) Gamma(beta+1) / Gamma(alpha+beta+2).

    Arguments are carried in dd, Gamma(x) = Gamma(x0) r 2**e with 1 <= x0 < 2
    (see _gamma_reduce), and 2^(alpha+beta+1) = 2^k 2^f with integer k and f in [0, 1).
    out (length 13) receives x0h, x0l, y0h, y0l, z0h, z0l (the reduced arguments of
    the three Gamma functions, x = alpha+1, y = beta+1, z = alpha+beta+2), fh, fl,
    k, then the ratio r_x r_y / r_z as a dd mantissa (rh, rl) and its binary exponent.
    The caller multiplies in Gamma(x0) Gamma(y0) / Gamma(z0) and 2^f in float64.
    Cost: about alpha + beta dd multiplications.
    """
    xh, xl = _two_sum(alpha, 1.0)
    yh, yl = _two_sum(beta, 1.0)
    sh, sl = _two_sum(alpha, beta)
    zh, zl = _dd_add(sh, sl, 2.0, 0.0)
    th, tl = _dd_add(sh, sl, 1.0, 0.0)  # alpha + beta + 1
    k = math.floor(th)
    fh, fl = _quick_two_sum(th - k, tl)  # th - k is exact
    x0h, x0l, rxh, rxl, ex = _gamma_reduce(xh, xl)
    y0h, y0l, ryh, ryl, ey = _gamma_reduce(yh, yl)
    z0h, z0l, rzh, rzl, ez = _gamma_reduce(zh, zl)
    rh, rl = _dd_mul(rxh, rxl, ryh, ryl)
    rh, rl = _dd_div(rh, rl, rzh, rzl)
    out[0], out[1], out[2], out[3], out[4], out[5] = x0h, x0l, y0h, y0l, z0h, z0l
    out[6], out[7], out[8] = fh, fl, k
    out[9], out[10], out[11] = rh, rl, ex + ey - ez
