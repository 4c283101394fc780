"""Slow, obviously correct twins of specnum.bases.bsplines (exact rationals + mpmath).

* ``exact_pieces``: the polynomial pieces of one B-spline by the Cox-de Boor
  recursion on polynomials with ``fractions.Fraction`` coefficients (every
  float knot is an exact rational), so no rounding at all.
* ``exact_jumps``: the jumps ``J_{k,r}`` at the distinct knots, exact.
* ``frac_derivative_mp``: the truncated-power sum of the RL derivative in
  mpmath with enough working digits to absorb the cancellation, returned as an
  mpf correct to the requested ``dps``.
* ``cardinal_frac_derivative_mp``: the closed form for the cardinal B-spline.
* ``frac_derivative_quad_mp``: the defining integral
  ``1/Gamma(-alpha) int B(t) (x-t)^{-1-alpha} dt`` by mpmath.quad (x right of
  the support), an independent check of the twin itself.
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import cache, lru_cache

import mpmath as mp

__all__ = [
    "exact_pieces",
    "exact_jumps",
    "exact_moments",
    "frac_derivative_mp",
    "cardinal_frac_derivative_mp",
    "frac_derivative_quad_mp",
]


def _padd(a, b):
    n = max(len(a), len(b))
    return [(a[i] if i < len(a) else 0) + (b[i] if i < len(b) else 0) for i in range(n)]


def _pmul_lin(a, c0, c1):
    """(c0 + c1 t) * a(t) for coefficient lists (ascending powers)."""
    out = [Fraction(0)] * (len(a) + 1)
    for i, ai in enumerate(a):
        out[i] += c0 * ai
        out[i + 1] += c1 * ai
    return out


def exact_pieces(knots, degree, j):
    """Pieces of ``B_j``: list of ``(u, v, coeffs)`` over the non-empty spans of its support.

    ``coeffs`` are exact Fraction monomial coefficients in ``t`` (ascending).
    ``B_j`` depends only on its local knots ``knots[j : j+degree+2]``.
    """
    return _local_pieces(tuple(float(k) for k in knots[j : j + degree + 2]), degree)


@lru_cache(maxsize=256)
def _local_pieces(local, degree):
    t = [Fraction(k) for k in local]
    p = degree
    j = 0

    @cache
    def piece(i, q, s):
        # polynomial of B_{i,q} on span s, as a tuple
        if q == 0:
            return (Fraction(1),) if i == s else (Fraction(0),)
        res = [Fraction(0)]
        d1 = t[i + q] - t[i]
        if d1 != 0:
            res = _padd(res, _pmul_lin(list(piece(i, q - 1, s)), -t[i] / d1, 1 / d1))
        d2 = t[i + q + 1] - t[i + 1]
        if d2 != 0:
            res = _padd(res, _pmul_lin(list(piece(i + 1, q - 1, s)), t[i + q + 1] / d2, -1 / d2))
        return tuple(res)

    out = []
    for s in range(j, j + p + 1):
        if t[s + 1] > t[s]:
            out.append((t[s], t[s + 1], list(piece(j, p, s))))
    return out


def _peval_der(c, x, r):
    """r-th derivative of the polynomial with coefficients c at x (exact)."""
    total = Fraction(0)
    for i in range(r, len(c)):
        total += c[i] * math.perm(i, r) * x ** (i - r)
    return total


def exact_jumps(knots, degree, j):
    """``[(x_k, [J_k0, ..., J_kp])]`` over the distinct knots of ``B_j`` (exact Fractions)."""
    return _local_jumps(tuple(float(k) for k in knots[j : j + degree + 2]), degree)


@lru_cache(maxsize=256)
def _local_jumps(local, degree):
    pieces = _local_pieces(local, degree)
    xs = sorted({u for u, _, _ in pieces} | {v for _, v, _ in pieces})
    out = []
    for xk in xs:
        right = next((c for u, _, c in pieces if u == xk), None)
        left = next((c for _, v, c in pieces if v == xk), None)
        jr = []
        for r in range(degree + 1):
            val = Fraction(0)
            if right is not None:
                val += _peval_der(right, xk, r)
            if left is not None:
                val -= _peval_der(left, xk, r)
            jr.append(val)
        out.append((xk, jr))
    return out


def exact_moments(knots, degree, j, order):
    """Exact moments ``int (t - c)^m B_j dt``, m = 0..order, about the support centre."""
    pieces = exact_pieces(knots, degree, j)
    c = (Fraction(float(knots[j])) + Fraction(float(knots[j + degree + 1]))) / 2
    mus = []
    for m in range(order + 1):
        total = Fraction(0)
        for u, v, coeffs in pieces:
            # int_u^v (t - c)^m sum_i a_i t^i dt with t = c + s
            for i, ai in enumerate(coeffs):
                # t^i = sum_l C(i,l) c^(i-l) s^l
                for l_ in range(i + 1):
                    e = m + l_ + 1
                    total += ai * math.comb(i, l_) * c ** (i - l_) * ((v - c) ** e - (u - c) ** e) / e
        mus.append(total)
    return mus


def _mpf(fr):
    return mp.mpf(fr.numerator) / fr.denominator


def frac_derivative_mp(knots, degree, j, x, alpha, side="left", dps=30, extra=60):
    """RL derivative of ``B_j`` at ``x`` by the exact truncated-power sum (mpf, ``dps`` digits).

    Left: ``sum J_kr (x-x_k)_+^{r-alpha}/Gamma(r+1-alpha)``; right:
    ``sum K_kr (x_k-x)_+^{r-alpha}/Gamma(r+1-alpha)`` with ``K = (-1)^(r+1) J``.
    ``extra`` guard digits absorb the cancellation far from the support.
    """
    jumps = exact_jumps(knots, degree, j)
    with mp.workdps(dps + extra):
        xm = mp.mpf(float(x))
        al = mp.mpf(alpha)
        total = mp.mpf(0)
        for xk, jr in jumps:
            y = xm - _mpf(xk) if side == "left" else _mpf(xk) - xm
            if y <= 0:
                continue
            for r, val in enumerate(jr):
                if val == 0:
                    continue
                coef = _mpf(val) if side == "left" else (-1) ** (r + 1) * _mpf(val)
                total += coef * y ** (r - al) * mp.rgamma(r + 1 - al)
        return +total


def cardinal_frac_derivative_mp(x, degree, alpha, dps=30, extra=60):
    """``1/Gamma(p+1-alpha) sum_k (-1)^k C(p+1,k) (x-k)_+^{p-alpha}`` in mpmath."""
    p = degree
    with mp.workdps(dps + extra):
        xm = mp.mpf(float(x))
        al = mp.mpf(alpha)
        total = mp.mpf(0)
        for k in range(p + 2):
            if xm > k:
                total += (-1) ** k * math.comb(p + 1, k) * (xm - k) ** (p - al)
        return total * mp.rgamma(p + 1 - al)


def _horner(coeffs_ascending, s):
    """sum_k c_k s^k in mpmath (ascending coefficients)."""
    acc = mp.mpf(0)
    for c in reversed(coeffs_ascending):
        acc = acc * s + c
    return acc


def frac_derivative_quad_mp(knots, degree, j, x, alpha, dps=30):
    """``1/Gamma(-alpha) int B_j(t) (x - t)^{-1-alpha} dt`` for ``x`` right of the support (mpmath.quad)."""
    pieces = exact_pieces(knots, degree, j)
    with mp.workdps(dps + 10):
        xm = mp.mpf(float(x))
        al = mp.mpf(alpha)
        total = mp.mpf(0)
        for u, v, coeffs in pieces:
            cm = [_mpf(c) for c in coeffs]
            integrand = lambda s, cm=cm: _horner(cm, s) * (xm - s) ** (-1 - al)  # noqa: E731
            total += mp.quad(integrand, [_mpf(u), _mpf(v)])
        return total * mp.rgamma(-al)
