"""Slow, obviously correct twins of specnum.gaunt (no code shared with the package).

* ``ref_real_sph_harm``: real orthonormal harmonics from ``scipy.special.sph_harm_y``
  (``Y_{l,m} = sqrt2 (-1)^m Re Y_l^m``, ``Y_{l,-m} = sqrt2 (-1)^m Im Y_l^m``, gaunt notes 1.1).
* ``ref_pbar_fourier``: exact Fourier coefficients of ``Pbar_l^m(cos t)`` (signed sin) by
  the explicit Legendre sum, the substitution ``cos t = (z + 1/z)/2``,
  ``sin t = (z - 1/z)/(2i)`` and Laurent expansion in Fractions (notes 1.3).
* ``ref_sh_to_fourier_entry``: one ``y^{lm}_{u,v}`` as an mpmath complex (exact rationals
  times ``N_lm`` at 40 digits).
* ``ref_f2sh_entry``: ``z^{lm}_{u,v} = 2 pi sum_{u'} y^{lm}_{u',-v} I(u + u')`` with the
  closed-form half-range integrals ``I(k)`` (notes 1.5), in mpmath.
* ``ref_projection``: SH coefficients of a function given pointwise, by an oversampled
  Gauss-Legendre x trapezoid quadrature with scipy harmonics.
* ``ref_gaunt_dense_product``: einsum with a dense Gaunt tensor computed by that quadrature.
* ``ref_fourier_product``: sh2f by the exact entries, direct 2D convolution
  (``scipy.signal.convolve2d``, no FFT), f2sh by the exact entries.
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache

import mpmath as mp
import numpy as np
import scipy.signal
import scipy.special

__all__ = [
    "ref_real_sph_harm",
    "ref_real_sph_harm_exact",
    "ref_pbar_fourier",
    "ref_sh_to_fourier_entry",
    "ref_f2sh_entry",
    "ref_projection",
    "ref_gaunt_tensor",
    "ref_gaunt_dense_product",
    "ref_fourier_product",
    "ref_sh_to_fourier",
]


def ref_real_sph_harm(lmax, theta, phi):
    """``(..., (lmax+1)**2)`` real orthonormal harmonics (no CS phase) via scipy."""
    theta = np.asarray(theta, dtype=float)
    phi = np.asarray(phi, dtype=float)
    out = np.zeros(np.broadcast(theta, phi).shape + ((lmax + 1) ** 2,))
    for l in range(lmax + 1):
        for m in range(0, l + 1):
            Yc = scipy.special.sph_harm_y(l, m, theta, phi)
            if m == 0:
                out[..., l * l + l] = Yc.real
            else:
                out[..., l * l + l + m] = math.sqrt(2) * (-1) ** m * Yc.real
                out[..., l * l + l - m] = math.sqrt(2) * (-1) ** m * Yc.imag
    return out


def ref_real_sph_harm_exact(lmax, theta, phi):
    """Real orthonormal harmonics from the exact Fourier series of ``Pbar_l^m`` (``ref_pbar_fourier``).

    ``Pbar_l^m(cos t) = sum_u c_u e^{iut}`` with exact rational ``c`` rounded once; the
    normalisation ``N_lm`` in mpmath. Accurate to a few ``l * eps`` at every degree.
    """
    theta = np.asarray(theta, dtype=float)
    phi = np.asarray(phi, dtype=float)
    shape = np.broadcast(theta, phi).shape
    out = np.zeros(shape + ((lmax + 1) ** 2,))
    for l in range(lmax + 1):
        for m in range(l + 1):
            coeffs = ref_pbar_fourier(l, m)
            val = np.zeros(theta.shape, dtype=complex)
            for u, (re, im) in coeffs.items():
                val = val + complex(float(re), float(im)) * np.exp(1j * u * theta)
            pbar = val.real
            N = float(_norm(l, m))
            if m == 0:
                out[..., l * l + l] = N * pbar
            else:
                out[..., l * l + l + m] = math.sqrt(2) * N * pbar * np.cos(m * phi)
                out[..., l * l + l - m] = math.sqrt(2) * N * pbar * np.sin(m * phi)
    return out


def _laurent_mul(a, b):
    out = {}
    for i, x in a.items():
        for j, y in b.items():
            out[i + j] = out.get(i + j, 0) + x * y
    return {k: v for k, v in out.items() if v != 0}


@lru_cache(maxsize=256)
def ref_pbar_fourier(l, m):
    """Exact ``{u: c_u}`` (complex Fractions as pairs (re, im)) with ``Pbar_l^m(cos t) = sum c_u e^{iut}``."""
    # d^m/dx^m P_l(x) = 2^-l sum_j (-1)^j C(l,j) C(2l-2j,l) (l-2j)!/(l-2j-m)! x^(l-2j-m)
    poly = {}  # Laurent dict in z, real Fractions
    for j in range(l // 2 + 1):
        p = l - 2 * j - m
        if p < 0:
            continue
        coef = Fraction((-1) ** j * math.comb(l, j) * math.comb(2 * l - 2 * j, l) * math.factorial(l - 2 * j),
                        math.factorial(p) * 2**l)
        # x^p = 2^-p (z + 1/z)^p
        for i in range(p + 1):
            k = p - 2 * i
            poly[k] = poly.get(k, 0) + coef * Fraction(math.comb(p, i), 2**p)
    # sin^m t = (2i)^-m (z - 1/z)^m ; keep the (2i)^-m = (-i/2)^m factor as a phase power
    s = {}
    for i in range(m + 1):
        s[m - 2 * i] = Fraction((-1) ** i * math.comb(m, i), 2**m)
    real = _laurent_mul(poly, s)
    phase = [(1, 0), (0, -1), (-1, 0), (0, 1)][m % 4]  # (-i)^m
    return {u: (v * phase[0], v * phase[1]) for u, v in real.items()}


def _norm(l, m):
    mp.mp.dps = 40
    return mp.sqrt(mp.mpf(2 * l + 1) / (4 * mp.pi) * mp.factorial(l - m) / mp.factorial(l + m))


def ref_sh_to_fourier_entry(l, m, u, v):
    """``y^{lm}_{u,v}`` (mpmath complex) for the real harmonic ``Y_{l,m}`` (``m`` signed)."""
    mp.mp.dps = 40
    a = abs(m)
    b = ref_pbar_fourier(l, a).get(u, (0, 0))
    bc = mp.mpc(mp.mpf(b[0].numerator) / b[0].denominator, mp.mpf(b[1].numerator) / b[1].denominator)
    N = _norm(l, a)
    if m == 0:
        return N * bc if v == 0 else mp.mpc(0)
    if abs(v) != a:
        return mp.mpc(0)
    if m > 0:
        return N * bc / mp.sqrt(2)
    return (1 if v == a else -1) * N * bc / (mp.sqrt(2) * 1j)


def _half_range(k):
    if k == 1:
        return mp.mpc(0, mp.pi / 2)
    if k == -1:
        return mp.mpc(0, -mp.pi / 2)
    if k % 2:
        return mp.mpc(0)
    return mp.mpc(mp.mpf(2) / (1 - k * k))


def ref_f2sh_entry(l, m, u, v):
    """``z^{lm}_{u,v}`` with ``c_lm = Re sum_{u,v} F[u,v] z^{lm}_{u,v}`` for Hermitian F (mpmath)."""
    mp.mp.dps = 40
    return 2 * mp.pi * sum(ref_sh_to_fourier_entry(l, m, up, -v) * _half_range(u + up) for up in range(-l, l + 1))


def ref_sh_to_fourier(x):
    """Dense (2L+1, 2L+1) complex array from the exact entries (float64)."""
    x = np.asarray(x, dtype=float)
    L = int(round(math.sqrt(x.size))) - 1
    F = np.zeros((2 * L + 1, 2 * L + 1), dtype=complex)
    for l in range(L + 1):
        for m in range(-l, l + 1):
            c = x[l * l + l + m]
            if c == 0:
                continue
            for u in range(-l, l + 1):
                for v in {m, -m}:
                    F[u + L, v + L] += c * complex(ref_sh_to_fourier_entry(l, m, u, v))
    return F


@lru_cache(maxsize=256)
def ref_gauss_legendre(n):
    """Gauss-Legendre nodes and weights (float64, correctly rounded) by Newton in mpmath at 30 digits."""
    x0, _ = np.polynomial.legendre.leggauss(n)
    xs, ws = [], []
    with mp.workdps(30):
        for g in x0:
            x = mp.mpf(float(g))
            for _ in range(6):
                p0, p1 = mp.mpf(1), x
                for k in range(2, n + 1):
                    p0, p1 = p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k
                dp = n * (x * p1 - p0) / (x * x - 1)
                x = x - p1 / dp
            p0, p1 = mp.mpf(1), x
            for k in range(2, n + 1):
                p0, p1 = p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k
            dp = n * (x * p1 - p0) / (x * x - 1)
            xs.append(float(x))
            ws.append(float(2 / ((1 - x * x) * dp * dp)))
    return np.array(xs), np.array(ws)


def ref_projection(fun, lmax, n_theta=None, n_phi=None, in_theta=False):
    """``c_k = int fun(theta, phi) Y_k dOmega`` by Gauss-Legendre x trapezoid (in phi).

    Gauss-Legendre in ``cos theta`` by default (exact for polynomial integrands); with
    ``in_theta=True`` in ``theta`` on ``[0, pi]`` with the ``sin theta`` factor (spectral for
    any smooth integrand in ``theta``, e.g. restrictions of torus functions).
    """
    n_theta = n_theta or 2 * lmax + 40
    n_phi = n_phi or 4 * lmax + 80
    x, w = ref_gauss_legendre(n_theta)
    if in_theta:
        t = 0.5 * np.pi * (x + 1.0)
        w = 0.5 * np.pi * w * np.sin(t)
        x = np.cos(t)
    theta = np.arccos(x)[:, None]
    phi = (2 * np.pi * np.arange(n_phi) / n_phi)[None, :]
    vals = np.asarray(fun(theta, phi))  # (..., n_theta, n_phi)
    Y = ref_real_sph_harm_exact(lmax, theta, phi)  # (n_theta, n_phi, K)
    return np.einsum("...ij,ijk,i->...k", vals, Y, w) * (2 * np.pi / n_phi)


def ref_gaunt_tensor(l1, l2, l3):
    """Dense real Gaunt tensor ``((l1+1)**2, (l2+1)**2, (l3+1)**2)`` by exact-degree quadrature."""
    deg = l1 + l2 + l3
    n_theta = deg // 2 + 2
    n_phi = deg + 3
    x, w = ref_gauss_legendre(n_theta)
    theta = np.repeat(np.arccos(x), n_phi)
    phi = np.tile(2 * np.pi * np.arange(n_phi) / n_phi, n_theta)
    Y = ref_real_sph_harm(max(l1, l2, l3), theta, phi)
    wt = np.repeat(w, n_phi) * 2 * np.pi / n_phi
    n1, n2, n3 = (l1 + 1) ** 2, (l2 + 1) ** 2, (l3 + 1) ** 2
    return np.einsum("p,pi,pj,pk->ijk", wt, Y[:, :n1], Y[:, :n2], Y[:, :n3])


def ref_gaunt_dense_product(x1, x2, lmax_out=None):
    """``sum G[k1,k2,k3] x1[...,k1] x2[...,k2]`` with the quadrature Gaunt tensor."""
    x1, x2 = np.asarray(x1, float), np.asarray(x2, float)
    l1 = int(round(math.sqrt(x1.shape[-1]))) - 1
    l2 = int(round(math.sqrt(x2.shape[-1]))) - 1
    lo = l1 + l2 if lmax_out is None else lmax_out
    return np.einsum("...i,...j,ijk->...k", x1, x2, ref_gaunt_tensor(l1, l2, lo))


def ref_fourier_product(x1, x2, lmax_out):
    """The paper's route spelled out: exact sh2f entries, direct 2D convolution, exact f2sh entries."""
    F = scipy.signal.convolve2d(ref_sh_to_fourier(x1), ref_sh_to_fourier(x2), mode="full")
    U = (F.shape[0] - 1) // 2
    out = np.zeros((lmax_out + 1) ** 2)
    for l in range(lmax_out + 1):
        for m in range(-l, l + 1):
            acc = 0.0
            for u in range(-U, U + 1):
                for v in {m, -m}:
                    if abs(v) <= U and F[u + U, v + U] != 0:
                        acc += (F[u + U, v + U] * complex(ref_f2sh_entry(l, m, u, v))).real
            out[l * l + l + m] = acc
    return out
