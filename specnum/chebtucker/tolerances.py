"""How the potentials split their tolerance ``rtol`` among the approximation steps (internal).

A particle potential ``V = V_L + V_S`` (long range as a ChebTucker, short range by a
cell list) passes through several approximations. Each takes a named share of ``rtol``
here, with the reason for its size; the code uses the names, never bare factors.

What ``rtol`` promises. The long-range ChebTucker is built so that its Chebyshev
coefficient tensor is within ``rtol`` (relative, Frobenius) of that of ``V_L``; the
steps that feed it (Gaussian-sum quadrature, spreading of the charges, interpolation of
the Gaussians) are held one to three orders below, so that the result is limited by the
truncation. The short range drops pairs beyond the cutoff, where ``S`` is below
``CUTOFF_SHARE * rtol`` of the Newton kernel. Errors are therefore small relative to the
size of the potential (its maximum, or its norm over a region), not relative to ``V(x)``
pointwise: where the potential of a neutral system nearly cancels, the pointwise
relative error can be much larger than ``rtol``.
"""

from __future__ import annotations

import functools
import math

import scipy.special

__all__ = [
    "CORE_TRUNCATION_SHARE",
    "TARGET_DEGREE_SHARE",
    "SOURCE_GRID_SHARE",
    "FACTOR_BASIS_SHARE",
    "FACTOR_BASIS_FLOOR",
    "QUADRATURE_SHARE",
    "EVALUATION_SHARE",
    "CUTOFF_SHARE",
    "DISTANCE_MARGIN",
    "quadrature_points",
    "cutoff_radius",
]

#: The final truncation (HOSVD of the Tucker core) keeps ``0.3 rtol`` of the coefficient
#: tensor's norm: with the shares below the potential stays within about ``0.5 rtol`` of
#: its size, and its gradient (the derivative of the interpolant amplifies the truncation
#: about tenfold relative to the long-range field, measured) within ``rtol`` of the size of
#: the forces. A full ``rtol`` here left the forces at ``1.1 rtol`` (2-norm), for ranks
#: only 5% smaller.
CORE_TRUNCATION_SHARE = 0.3

#: The target Chebyshev grid resolves the narrowest Gaussian ``exp(-r^2/r0^2)`` to
#: ``0.1 rtol`` of its peak: a tenth of the budget, so that the HOSVD truncation at
#: ``rtol`` dominates the error (interpolation and truncation errors add).
TARGET_DEGREE_SHARE = 0.1

#: Charges are moved to the Chebyshev source grid (spreading, then global interpolation)
#: with each Gaussian interpolated to ``0.01 rtol`` of its peak. Every particle contributes
#: such an error, so this step is kept two orders below ``rtol``.
SOURCE_GRID_SHARE = 1e-2

#: Per-axis factor bases and the source-side projections keep singular values down to
#: ``1e-3 rtol`` of the Frobenius norm (``FACTOR_BASIS_FLOOR`` at the least): the bases are
#: shared by all Gaussian terms and all particles, so their truncation is held three orders
#: below ``rtol`` (the floor keeps them above rounding).
FACTOR_BASIS_SHARE = 1e-3
FACTOR_BASIS_FLOOR = 1e-15

#: Pointwise relative error of the Gaussian-sum quadrature of the long-range kernel: two
#: orders below ``rtol`` (see :func:`quadrature_points`).
QUADRATURE_SHARE = 1e-2

#: Long-range values at many points by a uniform grid and local interpolation (the
#: transpose of spreading): each Gaussian is interpolated to ``0.1 rtol`` of its peak.
EVALUATION_SHARE = 0.1

#: Short-range pairs beyond the cutoff are dropped where the short-range part of the kernel
#: and of its derivative are below ``0.1 rtol`` of the kernel's (see :func:`cutoff_radius`); a
#: tenth of the budget, the remainder of the long-range share.
CUTOFF_SHARE = 0.1

#: The Gaussian-sum quadrature is made accurate up to 1% beyond the largest distance
#: between a target and a source, so that rounding of that distance cannot leave it.
DISTANCE_MARGIN = 1.01

# measured pointwise relative error of the composite Gauss-Legendre rule for erf(r/r0)/r on
# r in [0, 300 r0] (dyadic t-intervals) for 4..12 points per interval; about a factor 19 per point
_QUADRATURE_ERRORS = {4: 7.4e-6, 5: 3.9e-7, 6: 2.3e-8, 7: 1.3e-9, 8: 7.2e-11, 9: 4.0e-12, 10: 2.1e-13,
                      11: 1.2e-14, 12: 1.1e-15}


def quadrature_points(rtol: float) -> int:
    """Gauss-Legendre points per dyadic interval: the fewest whose error is below ``QUADRATURE_SHARE rtol``."""
    for points in sorted(_QUADRATURE_ERRORS):
        if _QUADRATURE_ERRORS[points] <= QUADRATURE_SHARE * rtol:
            return points
    return max(_QUADRATURE_ERRORS)


def _force_tail(x: float) -> float:
    """``-S'(r) r^2`` of the Newton split at ``x = r/r0``: ``erfc(x) + (2/sqrt(pi)) x exp(-x^2)``."""
    return math.erfc(x) + 2.0 / math.sqrt(math.pi) * x * math.exp(-x * x)


@functools.lru_cache(maxsize=256)
def cutoff_radius(r0: float, rtol: float, forces: bool = False) -> float:
    """The short-range cutoff ``r_c = r0 x`` (the one rule of the pillar).

    Potentials: ``erfc(x) = CUTOFF_SHARE rtol``, so that beyond ``r_c`` the short-range part
    of the Newton kernel, ``erfc(r/r0)/r``, is below ``CUTOFF_SHARE rtol`` of ``1/r``. With
    ``forces``: the root of ``erfc(x) + (2/sqrt(pi)) x exp(-x^2) = CUTOFF_SHARE rtol``, so that
    the short-range force ``-S'(r) = (erfc(x) + (2/sqrt(pi)) x exp(-x^2))/r^2`` is bounded the
    same way relative to ``1/r^2`` (the potential's rule alone leaves the forces a factor
    ``~2 x^2 / sqrt(pi)`` less accurate; at ``rtol = 1e-6`` this cutoff is 12% longer).
    Yukawa's short range is smaller still, and Slater's is bounded by the same factors.
    """
    target = CUTOFF_SHARE * rtol
    lo = float(scipy.special.erfcinv(target))  # the potential's rule; _force_tail(lo) > target
    if not forces:
        return r0 * lo
    hi = lo + 2.0
    for _ in range(200):  # bisection on a decreasing function, to a relative width of 1e-14
        mid = 0.5 * (lo + hi)
        if _force_tail(mid) > target:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-14 * hi:
            break
    return r0 * hi
