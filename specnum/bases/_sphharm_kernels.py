"""Numba kernels of :mod:`specnum.bases.sphharm` (internal).

The kernels assume validated input: C-contiguous float64 arrays of the
documented shapes, unit vectors, preallocated outputs. They import only
numpy, numba and math.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

__all__ = ["legendre_coefficients", "real_sph_harm_kernel", "wigner_real_kernel"]


@njit(cache=True)
def legendre_coefficients(lmax, coef_a, coef_b):
    """Fill the three-term coefficients, packed by ``l*(l+1)//2 + m`` (0 where l < m + 2).

    ``coef_a = sqrt((4l^2-1)/(l^2-m^2))``, ``coef_b = sqrt(((l-1)^2-m^2)/(4(l-1)^2-1))``;
    the integer-valued numerators and denominators are exact in float64 (l < 2^26), so
    each coefficient is rounded twice (division, square root).
    """
    for l in range(lmax + 1):
        fl = float(l)
        row = l * (l + 1) // 2
        for m in range(l + 1):
            if l < m + 2:
                coef_a[row + m] = 0.0
                coef_b[row + m] = 0.0
            else:
                fm = float(m)
                coef_a[row + m] = math.sqrt((4.0 * fl * fl - 1.0) / (fl * fl - fm * fm))
                coef_b[row + m] = math.sqrt(((fl - 1.0) * (fl - 1.0) - fm * fm) / (4.0 * (fl - 1.0) * (fl - 1.0) - 1.0))
    return coef_a, coef_b


@njit(cache=True)
def _put(v, e):
    """``v * 2**e`` correctly rounded (``e == 0``: ``v`` itself).

    Exponents are clipped to +-4000, beyond which any mantissa below 2**1000 gives 0 or
    overflows anyway (keeps ldexp's C int in range).
    """
    if e == 0:
        return v
    return math.ldexp(v, min(max(e, -4000), 4000))


@njit(cache=True)
def real_sph_harm_kernel(xyz, lmax, coef_a, coef_b, diag, scale, out):
    """Real spherical harmonics at unit vectors ``xyz`` (n, 3) into ``out`` (n, (lmax+1)**2).

    Uses reduced normalised Legendre functions ``B_l^m(z) = N_lm Pbar_l^m(z) / s^m``
    (polynomials in z) and ``s^m (cos m phi, sin m phi)`` from the recurrence of
    ``(x + i y)^m``. ``coef_a``, ``coef_b`` are the three-term coefficients packed
    by ``l*(l+1)//2 + m`` (:func:`legendre_coefficients`), ``diag[m] = sqrt((2m+1)/(2m))``
    and ``scale[k]`` multiplies entry k (normalisation, sqrt(2) for m != 0, phase). The recurrences in l run for all m
    at once (degree l outer, order m inner), so each point's row is written in order.

    At high degree ``B_l^m`` can exceed the float64 range (it grows like ``1/s^m``) while
    ``s^m`` underflows, although their product is representable or below the smallest
    subnormal. Both factors therefore carry a separate binary exponent (extended
    exponent arithmetic, as in Fukushima, J. Geodesy 86 (2012) 271): ``(x + i y)^m =
    (cm + i sm) 2^em`` and ``B = p 2^eb``, mantissas renormalised by ``2^+-900``.
    Each entry is ``(p c scale) 2^(em + eb)``, rounded once by ``ldexp`` (so a value
    below the subnormal range is 0). Where both exponents are 0 (ordinary degrees) the
    arithmetic is that of the plain recurrence.
    """
    # mantissas are renormalised by 2**+-900 whenever they leave [2**-900, 2**900] (exact
    # power-of-two scalings); the largest one-step growth of the recurrences, about sqrt(l),
    # keeps them far from overflow and underflow
    shift_exp = 900
    big = 2.0**900
    small = 2.0**-900
    tiny_s2 = 2.0**-200  # |x + i y|^2 below this: rescale x, y to |x + i y| in [1/2, 1) first
    n = xyz.shape[0]
    cm = np.empty(lmax + 1)
    sm = np.empty(lmax + 1)
    em = np.zeros(lmax + 1, dtype=np.int64)
    p1 = np.empty(lmax + 1)  # B_{l-1}^m mantissa
    p2 = np.empty(lmax + 1)  # B_{l-2}^m mantissa (same exponent)
    eb = np.zeros(lmax + 1, dtype=np.int64)
    b00 = 0.5 / math.sqrt(math.pi)
    for i in range(n):
        x = xyz[i, 0]
        y = xyz[i, 1]
        z = xyz[i, 2]
        # (x + i y)^m = (cm[m] + i sm[m]) 2^em[m]
        shift = 0  # |x + i y| < 2^-100: scale x, y by 2^shift into [1/2, 1), exponent -shift per power
        if x * x + y * y < tiny_s2:
            s = math.hypot(x, y)
            if s > 0.0:
                shift = -math.frexp(s)[1]
                x = math.ldexp(x, shift)
                y = math.ldexp(y, shift)
        cm[0] = 1.0
        sm[0] = 0.0
        e = 0
        for m in range(1, lmax + 1):
            c = x * cm[m - 1] - y * sm[m - 1]
            t = x * sm[m - 1] + y * cm[m - 1]
            e -= shift
            if abs(c) < small and abs(t) < small:  # also at the poles (c = t = 0): harmless
                c *= big
                t *= big
                e -= shift_exp
            cm[m] = c
            sm[m] = t
            em[m] = e
        # degree 0
        bmm = b00
        out[i, 0] = bmm * scale[0]
        p1[0] = bmm
        eb[0] = 0
        for l in range(1, lmax + 1):
            k0 = l * l + l
            row = l * (l + 1) // 2
            # m <= l - 2: three-term recurrence; m = 0 has no azimuthal factor
            for m in range(l - 1):
                p = coef_a[row + m] * (z * p1[m] - coef_b[row + m] * p2[m])
                p2[m] = p1[m]
                p1[m] = p
                if abs(p) > big:
                    p *= small
                    p1[m] = p
                    p2[m] *= small
                    eb[m] += shift_exp
                if m == 0:
                    out[i, k0] = _put(p * scale[k0], eb[0])
                else:
                    e = em[m] + eb[m]
                    out[i, k0 + m] = _put(p * cm[m] * scale[k0 + m], e)
                    out[i, k0 - m] = _put(p * sm[m] * scale[k0 - m], e)
            # m = l - 1: B_{m+1}^m = sqrt(2m+3) z B_m^m
            m = l - 1
            p = math.sqrt(2.0 * m + 3.0) * z * p1[m]
            p2[m] = p1[m]
            p1[m] = p
            if m == 0:
                out[i, k0] = p * scale[k0]
            else:
                out[i, k0 + m] = _put(p * cm[m] * scale[k0 + m], em[m])
                out[i, k0 - m] = _put(p * sm[m] * scale[k0 - m], em[m])
            # m = l: B_m^m = diag[m] B_{m-1}^{m-1}
            bmm = bmm * diag[l]
            p1[l] = bmm
            eb[l] = 0
            out[i, k0 + l] = _put(bmm * cm[l] * scale[k0 + l], em[l])
            out[i, k0 - l] = _put(bmm * sm[l] * scale[k0 - l], em[l])
    return out


@njit(cache=True)
def _p_term(out, b, r1, i, l, a, bb):
    """Ivanic-Ruedenberg auxiliary P^l_{i; a, bb} from block 1 (r1) and block l-1 of out[b]."""
    o = (l - 1) * (l - 1) + (l - 1)  # flat centre of block l-1
    ri1 = r1[b, i + 1, 2]
    rim1 = r1[b, i + 1, 0]
    ri0 = r1[b, i + 1, 1]
    if bb == l:
        return ri1 * out[b, o + a, o + l - 1] - rim1 * out[b, o + a, o - l + 1]
    elif bb == -l:
        return ri1 * out[b, o + a, o - l + 1] + rim1 * out[b, o + a, o + l - 1]
    return ri0 * out[b, o + a, o + bb]


@njit(cache=True)
def wigner_real_kernel(r1, lmax, out):
    """Block-diagonal real Wigner D for a batch of rotations.

    ``r1`` (nb, 3, 3) is the degree-1 block (rows/columns ordered m = -1, 0, 1,
    i.e. (y, z, x)); ``out`` (nb, K, K), K = (lmax+1)**2, must be zeroed.
    Block l is built from block 1 and block l-1 (Ivanic & Ruedenberg 1996/1998).
    """
    nb = r1.shape[0]
    for b in range(nb):
        out[b, 0, 0] = 1.0
        if lmax >= 1:
            for i in range(3):
                for j in range(3):
                    out[b, 1 + i, 1 + j] = r1[b, i, j]
        for l in range(2, lmax + 1):
            o = l * l + l
            for m in range(-l, l + 1):
                am = abs(m)
                for mp in range(-l, l + 1):
                    if abs(mp) < l:
                        denom = float((l + mp) * (l - mp))
                    else:
                        denom = float((2 * l) * (2 * l - 1))
                    d0 = 1.0 if m == 0 else 0.0
                    u = math.sqrt((l + m) * (l - m) / denom)
                    v = 0.5 * math.sqrt((1.0 + d0) * (l + am - 1) * (l + am) / denom) * (1.0 - 2.0 * d0)
                    w = -0.5 * math.sqrt((l - am - 1) * (l - am) / denom) * (1.0 - d0)
                    val = 0.0
                    if u != 0.0:
                        val += u * _p_term(out, b, r1, 0, l, m, mp)
                    if v != 0.0:
                        if m == 0:
                            vv = _p_term(out, b, r1, 1, l, 1, mp) + _p_term(out, b, r1, -1, l, -1, mp)
                        elif m > 0:
                            d1 = 1.0 if m == 1 else 0.0
                            vv = _p_term(out, b, r1, 1, l, m - 1, mp) * math.sqrt(1.0 + d1)
                            if d1 == 0.0:
                                vv -= _p_term(out, b, r1, -1, l, -m + 1, mp)
                        else:
                            d1 = 1.0 if m == -1 else 0.0
                            vv = _p_term(out, b, r1, -1, l, -m - 1, mp) * math.sqrt(1.0 + d1)
                            if d1 == 0.0:
                                vv += _p_term(out, b, r1, 1, l, m + 1, mp)
                        val += v * vv
                    if w != 0.0:
                        if m > 0:
                            ww = _p_term(out, b, r1, 1, l, m + 1, mp) + _p_term(out, b, r1, -1, l, -m - 1, mp)
                        else:
                            ww = _p_term(out, b, r1, 1, l, m - 1, mp) - _p_term(out, b, r1, -1, l, -m + 1, mp)
                        val += w * ww
                    out[b, o + m, o + mp] = val
    return out
