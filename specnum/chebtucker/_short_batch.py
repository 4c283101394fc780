"""The Newton short-range kernel for a batch of distances, in a loop the compiler vectorizes (internal).

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
"""

import math

import numpy as np
from numba import njit

__all__ = ["NEWTON_BATCH_REACH", "BATCH", "ERFCX_MONOMIALS", "newton_batch"]

BATCH = 1024  # candidate pairs per batch: six float arrays of 8 KiB, in the L1/L2 cache

NEWTON_BATCH_REACH = 8.0  # the batched Newton formulas hold for 0 < r/r0 < 8
# erfcx(s) on [0, 8] = sum_i c_i u^i, u = 1.5 w + 0.5, w = (s - 4)/(s + 4) in [-1, 1/3]: the degree-23
# Chebyshev interpolant in u (coefficients below 2e-18 from degree 21 on), converted to monomials in
# mpmath (tests/chebtucker/test_short_batch.py regenerates them)
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
_TWO_OVER_SQRTPI = 2.0 / math.sqrt(math.pi)


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _cubic(c, o, x, x2):
    """``c[o] + c[o+1] x + c[o+2] x^2 + c[o+3] x^3`` (one step of Estrin's scheme; ``x2 = x^2``)."""
    return (c[o] + c[o + 1] * x) + (c[o + 2] + c[o + 3] * x) * x2


@njit(cache=True, nogil=True, error_model="numpy")
def newton_batch(k, fb, ir0):
    """``fb[4, m] = S(r_m)`` and ``fb[5, m] = S'(r_m)/r_m`` for ``m < k``, from ``fb[0, m] = r_m^2``.

    Valid for ``0 < r_m < 8 r0``; elsewhere the values are finite or NaN and the caller
    replaces them. ``fb`` is the (6, BATCH) scratch of the cell-list kernels (rows ``r^2``,
    ``dx``, ``dy``, ``dz``, ``S``, ``S'/r``).
    """
    c = ERFCX_MONOMIALS
    e = _GAUSS_TAYLOR
    xb = _EXP_BITS
    r2a = fb[0]
    val = fb[4]
    der = fb[5]
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
        sp = 134217729.0 * s
        sh = sp - (sp - s)
        sl = s - sh
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
