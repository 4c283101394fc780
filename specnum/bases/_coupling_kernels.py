"""Numba kernels for Wigner 3j sequences and the sparse real Gaunt tensor.

Internal module: imports only numpy, numba and math. The kernels assume valid
input (checked by :mod:`specnum.bases.coupling`).
"""

import math

import numpy as np
from numba import njit


@njit(cache=True)
def three_j_sequence(l1, l2, m1, m2, out, g):
    """Fill ``out[j] = (l1 l2 j; m1 m2 -m1-m2)`` for ``j = 0..l1+l2`` (0 outside the range).

    ``g`` is scratch of shape ``(4, >= l1 + l2 + 2)``. Three-term recursion in ``j``
    (Schulten & Gordon 1975; Luscombe & Luban 1998):
    ``j A(j+1) f(j+1) + B(j) f(j) + (j+1) A(j) f(j-1) = 0``,
    ``A(j) = sqrt((j^2-(l1-l2)^2)((l1+l2+1)^2-j^2)(j^2-m3^2))``,
    ``B(j) = -(2j+1)(l1(l1+1) m3 - l2(l2+1) m3 - j(j+1)(m2-m1))``.
    Forward from ``jmin`` while |f| grows (lower classically forbidden region),
    backward from ``jmax`` down to the first local maximum, least-squares match on
    two points, normalise ``sum_j (2j+1) f^2 = 1`` and fix ``sgn f(jmax) = (-1)^(l1-l2-m3)``.
    Accidental (non-trivial) zeros of the 3j symbol, which the recursion returns as
    rounding noise, are set to exactly 0: entries below ``64 eps`` times their
    largest neighbour. Values are rescaled by 1e-100 whenever they exceed 1e100.
    """
    zero_rtol = 64.0 * 2.220446049250313e-16
    big = 1e100
    m3 = -(m1 + m2)
    jmax = l1 + l2
    jmin = max(abs(l1 - l2), abs(m3))
    for j in range(min(jmin, jmax + 1)):
        out[j] = 0.0
    if jmin > jmax:
        return
    sgn = 1.0 if (l1 - l2 - m3) % 2 == 0 else -1.0
    if jmin == jmax:
        out[jmax] = sgn / math.sqrt(2.0 * jmax + 1.0)
        return
    d2 = float((l1 - l2) * (l1 - l2))
    s2 = float((l1 + l2 + 1) * (l1 + l2 + 1))
    mm = float(m3 * m3)
    cm = float(l1 * (l1 + 1) - l2 * (l2 + 1)) * m3
    dm = float(m2 - m1)
    bw = g[0]
    av = g[1]  # av[j] = A(j) for jmin < j <= jmax
    rf = g[2]  # rf[j] = 1 / (j A(j+1))   (forward step)
    rb = g[3]  # rb[j] = 1 / ((j+1) A(j)) (backward step)
    for j in range(jmin + 1, jmax + 1):
        fj2 = float(j) * float(j)
        av[j] = math.sqrt((fj2 - d2) * (s2 - fj2) * (fj2 - mm))
        rb[j] = 1.0 / ((float(j) + 1.0) * av[j])
        rf[j - 1] = 1.0 / (float(j - 1) * av[j]) if j > 1 else 0.0
    jl = -1  # matching pair (jl, jl+1); -1: no forward pass (jmin == 0)
    if jmin > 0:
        fj = float(jmin)
        out[jmin] = 1.0
        out[jmin + 1] = (2.0 * fj + 1.0) * (cm - fj * (fj + 1.0) * dm) / (fj * av[jmin + 1])
        j = jmin + 1
        while True:
            if abs(out[j]) < abs(out[j - 1]):
                jl = j - 1
                break
            if j == jmax:
                jl = jmax
                break
            fj = float(j)
            b = -(2.0 * fj + 1.0) * (cm - fj * (fj + 1.0) * dm)
            out[j + 1] = -(b * out[j] + (fj + 1.0) * av[j] * out[j - 1]) * rf[j]
            j += 1
            if abs(out[j]) > big:
                for i in range(jmin, j + 1):
                    out[i] /= big
    if jl < jmax:
        lo = jmin if jl < 0 else jl
        fj = float(jmax)
        bw[jmax] = 1.0
        bw[jmax - 1] = (2.0 * fj + 1.0) * (cm - fj * (fj + 1.0) * dm) / ((fj + 1.0) * av[jmax])
        for j in range(jmax - 1, lo, -1):
            fj = float(j)
            b = -(2.0 * fj + 1.0) * (cm - fj * (fj + 1.0) * dm)
            bw[j - 1] = -(b * bw[j] + fj * av[j + 1] * bw[j + 1]) * rb[j]
            if abs(bw[j - 1]) > big:
                for i in range(j - 1, jmax + 1):
                    bw[i] /= big
        if jl < 0:
            for j in range(jmin, jmax + 1):
                out[j] = bw[j]
        else:
            scale = (out[jl] * bw[jl] + out[jl + 1] * bw[jl + 1]) / (
                bw[jl] * bw[jl] + bw[jl + 1] * bw[jl + 1])
            for j in range(jl, jmax + 1):
                out[j] = scale * bw[j]
    # normalise and fix the sign
    vmax = 0.0
    for j in range(jmin, jmax + 1):
        vmax = max(vmax, abs(out[j]))
    s = 0.0
    rvmax = 1.0 / vmax
    for j in range(jmin, jmax + 1):
        v = out[j] * rvmax
        s += (2.0 * j + 1.0) * v * v
    norm = vmax * math.sqrt(s)
    if out[jmax] * sgn < 0.0:
        norm = -norm
    inv = 1.0 / norm
    for j in range(jmin, jmax + 1):
        out[j] *= inv
    # accidental zeros
    prev = 0.0
    for j in range(jmin, jmax + 1):
        cur = abs(out[j])
        nb = prev
        if j < jmax:
            nb = max(nb, abs(out[j + 1]))
        if cur < zero_rtol * nb:
            out[j] = 0.0
        prev = cur


@njit(cache=True)
def three_j_block(l1, l2, l3, out):
    """Fill ``out[l1+m1, l2+m2, l3+m3] = (l1 l2 l3; m1 m2 m3)`` (out is zeroed first)."""
    out[:] = 0.0
    seq = np.empty(l1 + l2 + 1)
    g = np.empty((4, l1 + l2 + 2))
    for m1 in range(-l1, l1 + 1):
        for m2 in range(-l2, l2 + 1):
            m3 = -(m1 + m2)
            if abs(m3) > l3:
                continue
            three_j_sequence(l1, l2, m1, m2, seq, g)
            out[l1 + m1, l2 + m2, l3 + m3] = seq[l3]


@njit(cache=True)
def _unit_power(m, mu):
    """k with U_{m,mu} = i^k 2^(-1/2) (or i^0 for m == 0): real SH without CS phase."""
    if m == 0:
        return 0
    a = abs(m)
    if m > 0:
        return 2 * (a % 2) if mu > 0 else 0
    return (2 * (a % 2) + 3) % 4 if mu > 0 else 1


@njit(cache=True)
def real_coefficient(m1, m2, m3):
    """``Re sum_mu U_{m1,mu1} U_{m2,mu2} U_{m3,mu3}`` over ``mu1+mu2+mu3 = 0``, ``|mu_i| = |m_i|``.

    Multiplies the (common) complex Gaunt value of those terms (even l1+l2+l3).
    """
    a1 = abs(m1)
    a2 = abs(m2)
    a3 = abs(m3)
    re = 0
    for s1 in range(2):
        if s1 == 1 and a1 == 0:
            continue
        mu1 = a1 if s1 == 0 else -a1
        for s2 in range(2):
            if s2 == 1 and a2 == 0:
                continue
            mu2 = a2 if s2 == 0 else -a2
            mu3 = -(mu1 + mu2)
            if abs(mu3) != a3:
                continue
            k = (_unit_power(m1, mu1) + _unit_power(m2, mu2) + _unit_power(m3, mu3)) % 4
            if k == 0:
                re += 1
            elif k == 2:
                re -= 1
    h = (m1 != 0) + (m2 != 0) + (m3 != 0)
    scale = 1.0
    if h == 1:
        scale = 0.7071067811865476
    elif h == 2:
        scale = 0.5
    elif h == 3:
        scale = 0.35355339059327373
    return re * scale


@njit(cache=True)
def _candidates(m1, m2):
    """The (at most two) admissible m3 for (m1, m2) and their real coefficients.

    Returns (ma, ca, mb, cb): ``ma = +-||m1|-|m2||`` (3j with opposite-sign
    projections), ``mb = +-(|m1|+|m2|)`` (same sign); the sign of m3 makes the
    number of negative m even; a coefficient 0.0 marks an absent candidate.
    """
    a1 = abs(m1)
    a2 = abs(m2)
    neg_even = ((m1 < 0) + (m2 < 0)) % 2 == 0
    ma = abs(a1 - a2)
    mb = a1 + a2
    if not neg_even:
        ma = -ma
        mb = -mb
    ca = 0.0
    if a1 != 0 and a2 != 0 and (ma != 0 or neg_even):
        ca = real_coefficient(m1, m2, ma)
    cb = 0.0
    if mb != 0 or neg_even:
        cb = real_coefficient(m1, m2, mb)
    return ma, ca, mb, cb


@njit(cache=True)
def real_gaunt_count(lmax1, lmax2, lmax_out):
    """Number of entries allowed by the selection rules (an upper bound of the nonzeros).

    The admissible ``|m3|`` of every ``(m1, m2)`` are tabulated once, so the O(lmax1^2
    lmax2^2) loop does only integer arithmetic.
    """
    w2 = 2 * lmax2 + 1
    amag = np.empty((2 * lmax1 + 1, w2), dtype=np.int64)  # |m3| of each candidate, -1: absent
    bmag = np.empty((2 * lmax1 + 1, w2), dtype=np.int64)
    for m1 in range(-lmax1, lmax1 + 1):
        for m2 in range(-lmax2, lmax2 + 1):
            ma, ca, mb, cb = _candidates(m1, m2)
            amag[m1 + lmax1, m2 + lmax2] = abs(ma) if ca != 0.0 else -1
            bmag[m1 + lmax1, m2 + lmax2] = abs(mb) if cb != 0.0 else -1
    n = 0
    for l1 in range(lmax1 + 1):
        for m1 in range(-l1, l1 + 1):
            for l2 in range(lmax2 + 1):
                lo = abs(l1 - l2)
                hi = min(l1 + l2, lmax_out)
                if lo > hi:
                    continue
                for m2 in range(-l2, l2 + 1):
                    for t in range(2):
                        v = amag[m1 + lmax1, m2 + lmax2] if t == 0 else bmag[m1 + lmax1, m2 + lmax2]
                        if v < 0:
                            continue
                        start = max(lo, v)
                        start += (start - lo) % 2
                        if start <= hi:
                            n += (hi - start) // 2 + 1
    return n


@njit(cache=True)
def real_gaunt_count_lower(lmax1, lmax2, lmax_out):
    """A lower bound of :func:`real_gaunt_count` in O(lmax1 lmax2 lmax_out) work.

    Counts only the entries with ``m1, m2 >= 0`` and ``m3 = m1 + m2`` (always admitted:
    their real coefficient is nonzero), i.e. for each admissible ``(l1, l2, l3)`` the
    lattice points ``0 <= a1 <= l1``, ``0 <= a2 <= l2``, ``a1 + a2 <= l3``.
    """
    n = 0
    for l1 in range(lmax1 + 1):
        for l2 in range(lmax2 + 1):
            lo = abs(l1 - l2)
            hi = min(l1 + l2, lmax_out)
            for l3 in range(lo, hi + 1, 2):
                top = min(l1, l3)
                t = l3 - l2  # a1 <= t: every a2 <= l2 fits
                if t >= 0:
                    n += (min(t, top) + 1) * (l2 + 1)
                first = max(t + 1, 0)
                if first <= top:  # a1 > t: a2 <= l3 - a1
                    cnt = top - first + 1
                    n += cnt * (l3 + 1) - (first + top) * cnt // 2
    return n


@njit(cache=True)
def real_gaunt_fill(lmax1, lmax2, lmax_out, k1, k2, k3, vals):
    """Write the nonzero real Gaunt coefficients in lexicographic (k1, k2, k3) order.

    The arrays need room for :func:`real_gaunt_count` entries; returns the number
    written. Loops run over the selection rules only (triangle, l1+l2+l3 even,
    |m3| in {|m1|+|m2|, ||m1|-|m2||}, even number of negative m); entries whose
    3j factor is an accidental zero are skipped.
    """
    nl3 = lmax_out + 1
    nmax = lmax1 + lmax2 + 1
    seq = np.empty(nmax)
    g = np.empty((4, nmax + 1))
    w000 = np.empty(nmax)
    inv4pi = 1.0 / (4.0 * math.pi)
    n = 0
    # pre[l2, a1, a2, s, l3] = C(l1,l2,l3) (l1 l2 l3;000) (l1 l2 l3; a1, +-a2, -a1-+a2) for the
    # current l1; allocated once (only entries that are written are read)
    pre = np.empty((lmax2 + 1, lmax1 + 1, lmax2 + 1, 2, nl3))
    for l1 in range(lmax1 + 1):
        for l2 in range(lmax2 + 1):
            lo = abs(l1 - l2)
            hi = min(l1 + l2, lmax_out)
            if lo > hi:
                continue
            for a1 in range(l1 + 1):
                for a2 in range(l2 + 1):
                    for s in range(2):
                        if s == 1 and (a1 == 0 or a2 == 0):
                            continue
                        three_j_sequence(l1, l2, a1, a2 if s == 0 else -a2, seq, g)
                        if a1 == 0 and a2 == 0:  # first pass: the (l1 l2 l3; 0 0 0) factor
                            for l3 in range(lo, hi + 1, 2):
                                w000[l3] = seq[l3] * math.sqrt(
                                    (2.0 * l1 + 1.0) * (2.0 * l2 + 1.0) * (2.0 * l3 + 1.0) * inv4pi)
                        for l3 in range(lo, hi + 1, 2):
                            pre[l2, a1, a2, s, l3] = w000[l3] * seq[l3]
        for m1 in range(-l1, l1 + 1):
            a1 = abs(m1)
            kk1 = l1 * l1 + l1 + m1
            for l2 in range(lmax2 + 1):
                lo = abs(l1 - l2)
                hi = min(l1 + l2, lmax_out)
                if lo > hi:
                    continue
                for m2 in range(-l2, l2 + 1):
                    a2 = abs(m2)
                    kk2 = l2 * l2 + l2 + m2
                    ma, ca, mb, cb = _candidates(m1, m2)
                    # ascending k3: for each l3 the smaller m3 first
                    first_b = 1 if mb < ma else 0
                    for l3 in range(lo, hi + 1, 2):
                        for t in range(2):
                            use_b = t == 1 - first_b
                            m3 = mb if use_b else ma
                            c = cb if use_b else ca
                            if c == 0.0 or abs(m3) > l3:
                                continue
                            v = pre[l2, a1, a2, 0 if use_b else 1, l3] * c
                            if v != 0.0:
                                k1[n] = kk1
                                k2[n] = kk2
                                k3[n] = l3 * l3 + l3 + m3
                                vals[n] = v
                                n += 1
    return n
