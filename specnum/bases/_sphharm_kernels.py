"""Numba kernels of :mod:`specnum.bases.sphharm` (internal).

The kernels assume validated input: C-contiguous float64 arrays of the
documented shapes, unit vectors, preallocated outputs. They import only
numpy, numba and math.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

__all__ = ["real_sph_harm_kernel", "wigner_real_kernel"]


@njit(cache=True)
def real_sph_harm_kernel(xyz, lmax, coef_a, coef_b, diag, scale, out):
    """Real spherical harmonics at unit vectors ``xyz`` (n, 3) into ``out`` (n, (lmax+1)**2).

    Uses reduced normalised Legendre functions ``B_l^m(z) = N_lm Pbar_l^m(z) / s^m``
    (polynomials in z, no overflow or underflow) and ``s^m (cos m phi, sin m phi)``
    from the recurrence of ``(x + i y)^m``. ``coef_a[l, m]``, ``coef_b[l, m]`` are
    the three-term coefficients, ``diag[m] = sqrt((2m+1)/(2m))`` and ``scale[k]``
    multiplies entry k (normalisation, sqrt(2) for m != 0, phase).
    """
    n = xyz.shape[0]
    cm = np.empty(lmax + 1)
    sm = np.empty(lmax + 1)
    b00 = 0.5 / math.sqrt(math.pi)
    for i in range(n):
        x = xyz[i, 0]
        y = xyz[i, 1]
        z = xyz[i, 2]
        cm[0] = 1.0
        sm[0] = 0.0
        for m in range(1, lmax + 1):
            cm[m] = x * cm[m - 1] - y * sm[m - 1]
            sm[m] = x * sm[m - 1] + y * cm[m - 1]
        bmm = b00
        for m in range(lmax + 1):
            if m > 0:
                bmm = bmm * diag[m]
            c = cm[m]
            s = sm[m]
            p2 = bmm
            p1 = 0.0
            for l in range(m, lmax + 1):
                if l == m:
                    p = bmm
                elif l == m + 1:
                    p = math.sqrt(2.0 * m + 3.0) * z * bmm
                else:
                    p = coef_a[l, m] * (z * p1 - coef_b[l, m] * p2)
                if l > m:
                    p2 = p1
                p1 = p
                k0 = l * l + l
                if m == 0:
                    out[i, k0] = p * scale[k0]
                else:
                    out[i, k0 + m] = p * c * scale[k0 + m]
                    out[i, k0 - m] = p * s * scale[k0 - m]
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
