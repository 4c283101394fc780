"""Exact integer generation of the SH <-> 2D Fourier conversion tables (internal).

Everything here is exact arithmetic on Python integers (numpy object arrays);
floats appear only in the final, correctly rounded conversion. The public,
cached float64 tables built from these integers live in
:mod:`specnum.gaunt.sh_fourier`.

Mathematics. For ``m >= 0`` let
``Pbar_l^m(cos t) = sin^m t * P_l^{(m)}(cos t)`` continued to ``t in [0, 2 pi)``
with the *signed* ``sin t``. Then ``Pbar_l^m(cos t) = (-i)^m sum_u r^{lm}_u e^{iut}``
with dyadic rationals ``r`` (denominator dividing ``2**(2l)``), obtained from

* ``Pbar_m^m = (2m-1)!! sin^m t``, ``sin^m t = (2i)^-m (z - 1/z)^m`` so
  ``r^{mm}_{m-2j} = (2m-1)!! (-1)^j C(m, j) / 2^m``;
* ``(l-m) Pbar_l^m = (2l-1) cos t Pbar_{l-1}^m - (l+m-1) Pbar_{l-2}^m`` where
  multiplication by ``cos t`` is ``(S r)_u = (r_{u-1} + r_{u+1}) / 2``.

The half-range projections ``omega^{lm}_u = sum_{u'} r^{lm}_{u'} I(u + u')`` with
``I(k) = int_0^pi e^{ikt} sin t dt`` (``2/(1-k^2)`` for even ``k``, ``+-i pi/2`` for
``k = +-1``, else 0) satisfy the same recurrence in ``l`` (``S`` commutes with the
correlation with ``I``); they are split as ``omega = rho + i (pi/2) sigma`` with
rational ``rho`` (common denominator ``2**S * D``, ``D = lcm(k^2 - 1)``) and
dyadic ``sigma``.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["legendre_fourier_int", "projection_int", "sqrt_ratio_float"]


def _odd_double_factorial(m: int) -> int:
    out = 1
    for k in range(1, 2 * m, 2):
        out *= k
    return out


def _zeros(n: int) -> np.ndarray:
    arr = np.empty(n, dtype=object)
    arr[:] = [0] * n
    return arr


def _initial_numerators(m: int, shift: int) -> list[int]:
    """Numerators of ``r^{mm}_{m-2j} * 2**shift`` for ``j = 0..m`` (exact integers)."""
    df = _odd_double_factorial(m)
    return [df * (-1) ** j * math.comb(m, j) * (1 << (shift - m)) for j in range(m + 1)]


def legendre_fourier_int(lmax: int, m: int) -> tuple[np.ndarray, int]:
    """Integers ``R`` with ``r^{lm}_u = R[l - m, u + lmax] / 2**S``.

    Returns the object array ``R`` of shape ``(lmax - m + 1, 2 lmax + 1)`` and ``S``.
    Raises ``ArithmeticError`` if a division in the recurrence is not exact
    (it always is: this guards the derivation).
    """
    shift = 2 * lmax + 2
    width = 2 * lmax + 3  # one zero guard on each side of u in [-lmax, lmax]
    centre = lmax + 1
    rows = []
    first = _zeros(width)
    for j, val in enumerate(_initial_numerators(m, shift)):
        first[centre + m - 2 * j] = val
    rows.append(first)
    prev2, prev1 = _zeros(width), first
    for l in range(m + 1, lmax + 1):
        shifted = _zeros(width)
        shifted[1:-1] = prev1[:-2] + prev1[2:]
        num = (2 * l - 1) * shifted - 2 * (l + m - 1) * prev2
        den = 2 * (l - m)
        new = num // den
        if any(v != 0 for v in (num - new * den)):
            raise ArithmeticError(f"inexact Legendre-Fourier recurrence at l={l}, m={m}")
        rows.append(new)
        prev2, prev1 = prev1, new
    table = np.stack(rows)[:, 1:-1]
    return table, shift


def _lcm_even_kernel(kmax: int) -> int:
    d = 1
    for k in range(2, kmax + 1, 2):
        d = math.lcm(d, k * k - 1)
    return d


def projection_int(lmax: int, m: int, umax: int) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Integers of ``omega^{lm}_u = rho + i (pi/2) sigma`` for ``l = m..lmax``, ``|u| <= umax``.

    Returns ``(RHO, SIGMA, S, D)`` with object arrays of shape
    ``(lmax - m + 1, 2 umax + 1)`` such that ``rho = RHO / (2**S D)`` and
    ``sigma = SIGMA / 2**S``.
    """
    shift = 2 * lmax + 2
    margin = lmax - m
    half = umax + margin  # u range of the starting row
    kmax = half + m
    dlcm = _lcm_even_kernel(kmax)
    # integer kernel over k in [-kmax, kmax]: 2 D / (1 - k^2) for even k
    ker = _zeros(2 * kmax + 1)
    for k in range(-kmax, kmax + 1):
        if k % 2 == 0:
            ker[k + kmax] = -(2 * dlcm) // (k * k - 1)
    width = 2 * half + 1
    rho = _zeros(width)
    sigma = _zeros(width)
    us = np.arange(-half, half + 1)
    for j, val in enumerate(_initial_numerators(m, shift)):
        up = m - 2 * j
        rho = rho + val * ker[us + up + kmax]
        # k = u + up = +1 -> +1, k = -1 -> -1
        i_plus = 1 - up + half
        i_minus = -1 - up + half
        if 0 <= i_plus < width:
            sigma[i_plus] += val
        if 0 <= i_minus < width:
            sigma[i_minus] -= val
    rows_r, rows_s = [rho], [sigma]
    p2r, p2s, p1r, p1s = None, None, rho, sigma
    for l in range(m + 1, lmax + 1):
        den = 2 * (l - m)
        out = []
        for p1, p2 in ((p1r, p2r), (p1s, p2s)):
            num = (2 * l - 1) * (p1[:-2] + p1[2:])
            if p2 is not None:
                num = num - 2 * (l + m - 1) * p2[2:-2]
            new = num // den
            if any(v != 0 for v in (num - new * den)):
                raise ArithmeticError(f"inexact projection recurrence at l={l}, m={m}")
            out.append(new)
        p2r, p2s = p1r, p1s
        p1r, p1s = out
        rows_r.append(p1r)
        rows_s.append(p1s)
    # every row restricted to |u| <= umax
    rho_t = np.stack([r[(len(r) - 1) // 2 - umax:(len(r) - 1) // 2 + umax + 1] for r in rows_r])
    sig_t = np.stack([s[(len(s) - 1) // 2 - umax:(len(s) - 1) // 2 + umax + 1] for s in rows_s])
    return rho_t, sig_t, shift, dlcm


def sqrt_ratio_float(num: int, den: int) -> float:
    """``sign(num) * sqrt(|num| / den)`` for integers, from a correctly rounded quotient."""
    if num == 0:
        return 0.0
    sign = 1.0 if num > 0 else -1.0
    return sign * math.sqrt(abs(num) / den)
