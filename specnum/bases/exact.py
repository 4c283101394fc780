"""Exact (rational) and arbitrary-precision coupling coefficients and quadrature nodes.

This module is the single source of truth for Wigner 3j symbols, Clebsch-Gordan
coefficients and (complex and real) Gaunt coefficients: every value is computed
*exactly* with integer factorials and :class:`fractions.Fraction` (Racah's formula)
and returned as a :class:`SqrtRational`, i.e. ``sign * sqrt(q) * pi**(pi_power/2)``
with ``q`` a non-negative Fraction. The ``*_mp`` variants round that exact value
to an :mod:`mpmath` number at any precision. :func:`gauss_legendre_mp` gives
Gauss-Legendre nodes and weights at any precision (Newton on ``P_n``).

mpmath is used only here and in test references, never on a hot path; the
float64 versions live in :mod:`specnum.bases.coupling`.

Only integer angular momenta are supported (``j`` and ``m`` are Python or numpy
integers); half-integer spins are out of scope.

Cost and limits
---------------
Exact arithmetic has no precision limit, only a cost, which every function estimates
before it starts and checks against the size budget (:func:`specnum.size_budget`):
Racah's sum has at most ``min(j1+j2-j3, j1-j2+j3, -j1+j2+j3) + 1`` terms of Fractions
with about ``N log2 N`` bits (``N = j1 + j2 + j3``), each costing a quadratic gcd; the
default budget admits equal degrees up to about 2500 (1.3 s at 800). Rounding to
``dps`` digits computes ``pi`` and a square root at that precision in pure-Python
mpmath (4 s at ``dps = 1e5``; the default budget admits about ``dps <= 3.8e5``).

Conventions
-----------
* 3j symbols and Clebsch-Gordan coefficients: Condon-Shortley phase (Racah's
  formula), ``<j1 m1 j2 m2|J M> = (-1)**(j1-j2+M) sqrt(2J+1) (j1 j2 J; m1 m2 -M)``.
* Complex Gaunt: ``int Y_{l1}^{m1} Y_{l2}^{m2} Y_{l3}^{m3} dOmega`` (no conjugation),
  complex orthonormal SH *with* the Condon-Shortley phase (scipy ``sph_harm_y``).
* Real Gaunt: ``int Y_{l1m1} Y_{l2m2} Y_{l3m3} dOmega`` for the orthonormal real SH
  *without* the Condon-Shortley phase: ``Y_{l,m} = sqrt2 (-1)^m Re Y_l^m`` (m > 0),
  ``Y_{l,0} = Y_l^0``, ``Y_{l,-m} = sqrt2 (-1)^m Im Y_l^m`` (m > 0), so that
  ``(Y_{1,-1}, Y_{1,0}, Y_{1,1}) = sqrt(3/(4 pi)) (y, z, x)``. Flat index ``l*l + l + m``.
  Every real Gaunt coefficient equals ``sign * sqrt(q / pi)`` with ``q`` rational.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import mpmath

from specnum._validation import as_int, check_budget

__all__ = [
    "SqrtRational",
    "wigner_3j_exact",
    "clebsch_gordan_exact",
    "complex_gaunt_exact",
    "real_gaunt_exact",
    "wigner_3j_mp",
    "clebsch_gordan_mp",
    "complex_gaunt_mp",
    "real_gaunt_mp",
    "gauss_legendre_mp",
]


@dataclass(frozen=True)
class SqrtRational:
    """An exact real number ``sign * sqrt(q) * pi**(pi_power / 2)``.

    Parameters
    ----------
    sign : int
        -1, 0 or +1; 0 exactly when ``q == 0``.
    q : fractions.Fraction
        Non-negative rational (an int is converted).
    pi_power : int, optional
        Power of ``sqrt(pi)`` multiplying the value (default 0). Gaunt
        coefficients use ``pi_power = -1``: value ``sign * sqrt(q / pi)``.

    Raises
    ------
    TypeError
        If ``sign``/``pi_power`` are not integers or ``q`` is not rational.
    ValueError
        If ``sign`` is not in {-1, 0, 1}, ``q < 0``, or ``sign == 0`` disagrees
        with ``q == 0``.

    Examples
    --------
    >>> from fractions import Fraction
    >>> r = SqrtRational(-1, Fraction(1, 3))
    >>> round(float(r), 12)
    -0.57735026919
    >>> float(SqrtRational(1, Fraction(1), pi_power=-1)) == 1 / math.sqrt(math.pi)
    True
    """

    sign: int
    q: Fraction
    pi_power: int = 0

    def __post_init__(self) -> None:
        sign = as_int(self.sign, "sign", minimum=-1, maximum=1)
        pi_power = as_int(self.pi_power, "pi_power")
        q = self.q
        if isinstance(q, bool) or not isinstance(q, (int, Fraction)):
            raise TypeError(f"q must be a fractions.Fraction or int, got {type(q).__name__}")
        q = Fraction(q)
        if q < 0:
            raise ValueError(f"q must be >= 0, got {q}")
        if (sign == 0) != (q == 0):
            raise ValueError(f"sign must be 0 exactly when q == 0, got sign={sign}, q={q}")
        object.__setattr__(self, "sign", sign)
        object.__setattr__(self, "q", q)
        object.__setattr__(self, "pi_power", pi_power)

    def __float__(self) -> float:
        if self.sign == 0:
            return 0.0
        q = self.q
        shift = (q.numerator.bit_length() - q.denominator.bit_length()) // 2
        if abs(shift) < 500:  # q within [2**-1000, 2**1000]: one rounding of q, one of sqrt
            root = math.sqrt(float(q))
        else:  # sqrt(q) = sqrt(q / 4**shift) 2**shift (exact scaling; values near or below 1e-308)
            root = math.ldexp(math.sqrt(float(q / Fraction(4) ** shift)), shift)
        return self.sign * root * math.pi ** (0.5 * self.pi_power)

    def to_mpf(self, dps: int = 30) -> mpmath.mpf:
        """Return the value as an mpmath ``mpf`` correct to ``dps`` decimal digits.

        Raises ``TypeError``/``ValueError`` for a non-integer or non-positive ``dps``
        and ``ValueError`` when the work exceeds the size budget (see the module notes on cost).
        """
        dps = _check_dps(dps)
        with mpmath.workdps(dps + 10):
            if self.sign == 0:
                val = mpmath.mpf(0)
            else:
                val = mpmath.sqrt(mpmath.mpf(self.q.numerator) / self.q.denominator)
                if self.pi_power:
                    val *= mpmath.pi ** (mpmath.mpf(self.pi_power) / 2)
                val = self.sign * val
        with mpmath.workdps(dps):
            return +val

    def squared(self) -> Fraction:
        """Return ``q`` such that the value squared is ``q * pi**pi_power``."""
        return self.q

    def __neg__(self) -> SqrtRational:
        return SqrtRational(-self.sign, self.q, self.pi_power)

    def __mul__(self, other: Any) -> SqrtRational:
        if isinstance(other, SqrtRational):
            return SqrtRational(self.sign * other.sign, self.q * other.q, self.pi_power + other.pi_power)
        if isinstance(other, (int, Fraction)) and not isinstance(other, bool):
            other = Fraction(other)
            s = (other > 0) - (other < 0)
            return SqrtRational(self.sign * s, self.q * other * other, self.pi_power)
        return NotImplemented

    __rmul__ = __mul__


_ZERO = SqrtRational(0, Fraction(0))


def _check_dps(dps: Any, name: str = "dps") -> int:
    """Validate a number of decimal digits and refuse a precision beyond the size budget.

    Work model (pure-Python mpmath): rounding to ``dps`` digits computes ``pi`` and a
    square root at that precision, about ``7e9 (dps / 1e5)^2`` elementary operations
    (measured 4 s at ``dps = 1e5``); the default budget allows about ``dps <= 3.8e5``.
    """
    dps = as_int(dps, name, minimum=1)
    d = float(min(dps, 2**60))
    check_budget(f"{name} = {dps}", memory=4.0 * d + 1e3, work=7e9 * (d / 1e5) ** 2 + 1e3)
    return dps


def _racah_cost(j1: int, j2: int, j3: int) -> tuple[float, float]:
    """(memory bytes, work) of one exact 3j symbol by Racah's formula (0, 0 outside the triangle).

    The sum has at most ``T = min(j1+j2-j3, j1-j2+j3, -j1+j2+j3) + 1`` terms, each a
    Fraction operation on integers of about ``B = N log2 N`` bits (``N = j1+j2+j3+1``),
    whose gcds cost ``(B/64)^2`` word operations; the final Fraction of ``~4B`` bits costs
    ``(4B/64)^2``. One word operation counts 17 elementary operations (calibrated: 1.3 s
    for ``(800 800 800; 0 0 0)``).
    """
    t = min(j1 + j2 - j3, j1 - j2 + j3, -j1 + j2 + j3)
    if t < 0:
        return 0.0, 0.0
    n = float(min(j1 + j2 + j3 + 1, 2**60))
    words = n * math.log2(n + 1.0) / 64.0
    return 64.0 * words + 1e3, 17.0 * (float(min(t, 2**60) + 1) * words * words + 16.0 * words * words) + 1e3


def _check_racah(j1: int, j2: int, j3: int, names: str, count: int = 1) -> None:
    """Refuse ``count`` exact 3j symbols of degrees ``(j1, j2, j3)`` beyond the size budget.

    ``names`` names the three arguments in the message (e.g. ``"l1, l2, l3"``). The
    default budget admits equal degrees up to about 2500.
    """
    memory, work = _racah_cost(j1, j2, j3)
    check_budget(f"{names} = ({j1}, {j2}, {j3})", memory=memory, work=count * work)


def _check_jm(j: Any, m: Any, jname: str, mname: str) -> tuple[int, int]:
    j = as_int(j, jname, minimum=0)
    m = as_int(m, mname)
    if abs(m) > j:
        raise ValueError(f"{mname} must satisfy |{mname}| <= {jname} = {j}, got {m}")
    return j, m


@functools.lru_cache(maxsize=1 << 16)
def _three_j(j1: int, j2: int, j3: int, m1: int, m2: int, m3: int) -> SqrtRational:
    """Racah's formula on validated integers (zero outside the selection rules)."""
    if m1 + m2 + m3 != 0 or j3 < abs(j1 - j2) or j3 > j1 + j2:
        return _ZERO
    f = math.factorial
    kmin = max(0, j2 - j3 - m1, j1 - j3 + m2)
    kmax = min(j1 + j2 - j3, j1 - m1, j2 + m2)
    s = Fraction(0)
    for k in range(kmin, kmax + 1):
        den = (f(k) * f(j3 - j2 + k + m1) * f(j3 - j1 + k - m2) * f(j1 + j2 - j3 - k)
               * f(j1 - k - m1) * f(j2 - k + m2))
        s += Fraction(-1 if k % 2 else 1, den)
    if s == 0:
        return _ZERO
    delta = Fraction(f(j1 + j2 - j3) * f(j1 - j2 + j3) * f(-j1 + j2 + j3), f(j1 + j2 + j3 + 1))
    fac = (f(j1 + m1) * f(j1 - m1) * f(j2 + m2) * f(j2 - m2) * f(j3 + m3) * f(j3 - m3))
    sign = (1 if s > 0 else -1) * (-1 if (j1 - j2 - m3) % 2 else 1)
    return SqrtRational(sign, delta * fac * s * s)


def wigner_3j_exact(j1: int, j2: int, j3: int, m1: int, m2: int, m3: int) -> SqrtRational:
    """Exact Wigner 3j symbol ``(j1 j2 j3; m1 m2 m3)`` for integer arguments.

    Parameters
    ----------
    j1, j2, j3 : int
        Non-negative integer angular momenta.
    m1, m2, m3 : int
        Integer projections with ``|m_i| <= j_i``.

    Returns
    -------
    SqrtRational
        The exact value ``sign * sqrt(q)``; zero (``sign == 0``) when
        ``m1 + m2 + m3 != 0`` or the triangle rule fails.

    Raises
    ------
    TypeError
        If an argument is not an integer (half-integers are not supported).
    ValueError
        If some ``j_i < 0`` or ``|m_i| > j_i``, or the exact arithmetic exceeds the
        size budget (module notes).

    Notes
    -----
    Racah's formula, evaluated with exact integer factorials and Fractions:

    ``(j1 j2 j3; m1 m2 m3) = (-1)^(j1-j2-m3) sqrt(Delta prod_i (j_i+m_i)!(j_i-m_i)!)
    sum_k (-1)^k / [k! (j3-j2+k+m1)! (j3-j1+k-m2)! (j1+j2-j3-k)! (j1-k-m1)! (j2-k+m2)!]``

    with ``Delta = (j1+j2-j3)! (j1-j2+j3)! (-j1+j2+j3)! / (j1+j2+j3+1)!``.

    Examples
    --------
    >>> r = wigner_3j_exact(1, 1, 0, 0, 0, 0)
    >>> r.sign, r.q
    (-1, Fraction(1, 3))
    """
    j1, m1 = _check_jm(j1, m1, "j1", "m1")
    j2, m2 = _check_jm(j2, m2, "j2", "m2")
    j3, m3 = _check_jm(j3, m3, "j3", "m3")
    _check_racah(j1, j2, j3, "j1, j2, j3")
    return _three_j(j1, j2, j3, m1, m2, m3)


def clebsch_gordan_exact(j1: int, m1: int, j2: int, m2: int, j3: int, m3: int) -> SqrtRational:
    """Exact Clebsch-Gordan coefficient ``<j1 m1 j2 m2 | j3 m3>`` (integer arguments).

    Parameters
    ----------
    j1, m1, j2, m2, j3, m3 : int
        Angular momenta ``j_i >= 0`` and projections ``|m_i| <= j_i``.

    Returns
    -------
    SqrtRational
        ``sign * sqrt(q)``; zero unless ``m1 + m2 == m3`` and the triangle rule holds.

    Raises
    ------
    TypeError
        If an argument is not an integer.
    ValueError
        If some ``j_i < 0`` or ``|m_i| > j_i``, or the exact arithmetic exceeds the
        size budget (module notes).

    Notes
    -----
    ``<j1 m1 j2 m2|j3 m3> = (-1)^(j1-j2+m3) sqrt(2 j3 + 1) (j1 j2 j3; m1 m2 -m3)``
    (Condon-Shortley convention).

    Examples
    --------
    >>> r = clebsch_gordan_exact(1, 1, 1, -1, 0, 0)
    >>> r.sign, r.q
    (1, Fraction(1, 3))
    """
    j1, m1 = _check_jm(j1, m1, "j1", "m1")
    j2, m2 = _check_jm(j2, m2, "j2", "m2")
    j3, m3 = _check_jm(j3, m3, "j3", "m3")
    _check_racah(j1, j2, j3, "j1, j2, j3")
    w = _three_j(j1, j2, j3, m1, m2, -m3)
    if w.sign == 0:
        return _ZERO
    phase = -1 if (j1 - j2 + m3) % 2 else 1
    return SqrtRational(phase * w.sign, w.q * (2 * j3 + 1))


def _complex_gaunt(l1: int, m1: int, l2: int, m2: int, l3: int, m3: int) -> SqrtRational:
    if m1 + m2 + m3 != 0 or (l1 + l2 + l3) % 2:
        return SqrtRational(0, Fraction(0), -1)
    a = _three_j(l1, l2, l3, 0, 0, 0)
    b = _three_j(l1, l2, l3, m1, m2, m3)
    if a.sign == 0 or b.sign == 0:
        return SqrtRational(0, Fraction(0), -1)
    pref = Fraction((2 * l1 + 1) * (2 * l2 + 1) * (2 * l3 + 1), 4)
    return SqrtRational(a.sign * b.sign, pref * a.q * b.q, -1)


def complex_gaunt_exact(l1: int, m1: int, l2: int, m2: int, l3: int, m3: int) -> SqrtRational:
    """Exact complex Gaunt coefficient ``int Y_{l1}^{m1} Y_{l2}^{m2} Y_{l3}^{m3} dOmega``.

    Parameters
    ----------
    l1, m1, l2, m2, l3, m3 : int
        Degrees ``l_i >= 0`` and orders ``|m_i| <= l_i``.

    Returns
    -------
    SqrtRational
        ``sign * sqrt(q / pi)`` (``pi_power == -1``).

    Raises
    ------
    TypeError
        If an argument is not an integer.
    ValueError
        If some ``l_i < 0`` or ``|m_i| > l_i``, or the exact arithmetic exceeds the
        size budget (module notes).

    Notes
    -----
    Complex orthonormal SH with the Condon-Shortley phase (scipy ``sph_harm_y``), no
    conjugation: ``sqrt((2l1+1)(2l2+1)(2l3+1)/(4 pi)) (l1 l2 l3; 0 0 0)(l1 l2 l3; m1 m2 m3)``.

    Examples
    --------
    >>> r = complex_gaunt_exact(0, 0, 0, 0, 0, 0)
    >>> r.sign, r.q, r.pi_power
    (1, Fraction(1, 4), -1)
    """
    l1, m1 = _check_jm(l1, m1, "l1", "m1")
    l2, m2 = _check_jm(l2, m2, "l2", "m2")
    l3, m3 = _check_jm(l3, m3, "l3", "m3")
    _check_racah(l1, l2, l3, "l1, l2, l3", count=2)
    return _complex_gaunt(l1, m1, l2, m2, l3, m3)


def _real_to_complex_terms(m: int) -> list[tuple[int, int, int]]:
    """Terms ``(mu, k, h)`` of ``Y_{l,m}^real = sum i^k 2^(-h/2) Y_l^mu`` (no CS phase)."""
    if m == 0:
        return [(0, 0, 0)]
    a = abs(m)
    if m > 0:  # ((-1)^a Y^a + Y^-a) / sqrt2
        return [(a, 2 * (a % 2), 1), (-a, 0, 1)]
    # ((-1)^a Y^a - Y^-a) / (i sqrt2) = (-1)^a (-i) Y^a / sqrt2 + i Y^-a / sqrt2
    return [(a, (2 * (a % 2) + 3) % 4, 1), (-a, 1, 1)]


def _real_gaunt(l1: int, m1: int, l2: int, m2: int, l3: int, m3: int) -> SqrtRational:
    zero = SqrtRational(0, Fraction(0), -1)
    if (l1 + l2 + l3) % 2 or l3 < abs(l1 - l2) or l3 > l1 + l2:
        return zero
    # group the (at most two) complex terms by |value|^2 with Gaussian-integer weights
    groups: dict[Fraction, list[int]] = {}
    units = ((1, 0), (0, 1), (-1, 0), (0, -1))
    for mu1, k1, h1 in _real_to_complex_terms(m1):
        for mu2, k2, h2 in _real_to_complex_terms(m2):
            for mu3, k3, h3 in _real_to_complex_terms(m3):
                if mu1 + mu2 + mu3:
                    continue
                g = _complex_gaunt(l1, mu1, l2, mu2, l3, mu3)
                if g.sign == 0:
                    continue
                q = g.q / 2 ** (h1 + h2 + h3)
                re, im = units[(k1 + k2 + k3) % 4]
                acc = groups.setdefault(q, [0, 0])
                acc[0] += g.sign * re
                acc[1] += g.sign * im
    live = [(q, c) for q, c in groups.items() if c != [0, 0]]
    if not live:
        return zero
    if len(live) != 1 or live[0][1][1] != 0:  # pragma: no cover - a mathematical impossibility
        raise ArithmeticError("real Gaunt coefficient is not of the form sign*sqrt(q/pi)")
    q, (c, _) = live[0]
    return SqrtRational(1 if c > 0 else -1, q * c * c, -1)


def real_gaunt_exact(l1: int, m1: int, l2: int, m2: int, l3: int, m3: int) -> SqrtRational:
    """Exact real Gaunt coefficient ``int Y_{l1m1} Y_{l2m2} Y_{l3m3} dOmega``.

    Parameters
    ----------
    l1, m1, l2, m2, l3, m3 : int
        Degrees ``l_i >= 0`` and orders ``|m_i| <= l_i`` of real orthonormal SH
        (no Condon-Shortley phase, see the module docstring).

    Returns
    -------
    SqrtRational
        The value ``sign * sqrt(q / pi)`` (``pi_power == -1``); ``float(r)`` is the
        coefficient itself.

    Raises
    ------
    TypeError
        If an argument is not an integer.
    ValueError
        If some ``l_i < 0`` or ``|m_i| > l_i``, or the exact arithmetic exceeds the
        size budget (module notes).

    Notes
    -----
    With ``Y_{l,m} = sum_mu U_{m,mu} Y_l^mu`` (the unitary real <-> complex map,
    ``U_{m,m} = (-1)^m/sqrt2``, ``U_{m,-m} = 1/sqrt2``, ``U_{-m,m} = (-1)^m/(i sqrt2)``,
    ``U_{-m,-m} = -1/(i sqrt2)`` for m > 0, ``U_{0,0} = 1``) the real coefficient is
    ``sum U U U * complex_gaunt``; at most two complex terms are nonzero and they
    have equal magnitude, so the result is again ``+-sqrt(q/pi)``. The value is the
    same with or without the CS phase in the real harmonics (``|m1|+|m2|+|m3|`` is
    even for every nonzero entry).

    Examples
    --------
    >>> r = real_gaunt_exact(4, 0, 4, 0, 4, 0)
    >>> r.sign, r.q   # 243 / (1001 sqrt(pi))
    (1, Fraction(59049, 1002001))
    >>> r = real_gaunt_exact(1, 1, 1, -1, 2, -2)   # int x y Y_{2,-2}
    >>> r.sign, r.q
    (1, Fraction(3, 20))
    """
    l1, m1 = _check_jm(l1, m1, "l1", "m1")
    l2, m2 = _check_jm(l2, m2, "l2", "m2")
    l3, m3 = _check_jm(l3, m3, "l3", "m3")
    _check_racah(l1, l2, l3, "l1, l2, l3", count=5)
    return _real_gaunt(l1, m1, l2, m2, l3, m3)


def wigner_3j_mp(j1: int, j2: int, j3: int, m1: int, m2: int, m3: int, dps: int = 30) -> mpmath.mpf:
    """Wigner 3j symbol as an mpmath number with ``dps`` correct digits.

    Same arguments, rules and errors as :func:`wigner_3j_exact`; ``dps >= 1`` (refused
    beyond the size budget, module notes).

    Examples
    --------
    >>> print(mpmath.nstr(wigner_3j_mp(1, 1, 0, 0, 0, 0, dps=20), 20))
    -0.57735026918962576451
    """
    dps = _check_dps(dps)
    return wigner_3j_exact(j1, j2, j3, m1, m2, m3).to_mpf(dps)


def clebsch_gordan_mp(j1: int, m1: int, j2: int, m2: int, j3: int, m3: int, dps: int = 30) -> mpmath.mpf:
    """Clebsch-Gordan coefficient as an mpmath number (see :func:`clebsch_gordan_exact`).

    Examples
    --------
    >>> print(clebsch_gordan_mp(1, 1, 1, -1, 0, 0, dps=15))
    0.577350269189626
    """
    dps = _check_dps(dps)
    return clebsch_gordan_exact(j1, m1, j2, m2, j3, m3).to_mpf(dps)


def complex_gaunt_mp(l1: int, m1: int, l2: int, m2: int, l3: int, m3: int, dps: int = 30) -> mpmath.mpf:
    """Complex Gaunt coefficient as an mpmath number (see :func:`complex_gaunt_exact`).

    Examples
    --------
    >>> print(complex_gaunt_mp(0, 0, 0, 0, 0, 0, dps=15))
    0.282094791773878
    """
    dps = _check_dps(dps)
    return complex_gaunt_exact(l1, m1, l2, m2, l3, m3).to_mpf(dps)


def real_gaunt_mp(l1: int, m1: int, l2: int, m2: int, l3: int, m3: int, dps: int = 30) -> mpmath.mpf:
    """Real Gaunt coefficient as an mpmath number (see :func:`real_gaunt_exact`).

    Examples
    --------
    >>> print(mpmath.nstr(real_gaunt_mp(4, 0, 4, 0, 4, 0, dps=20), 20))
    0.13696110769441036736
    """
    dps = _check_dps(dps)
    return real_gaunt_exact(l1, m1, l2, m2, l3, m3).to_mpf(dps)


def gauss_legendre_mp(n: int, dps: int = 30) -> tuple[list[mpmath.mpf], list[mpmath.mpf]]:
    """Gauss-Legendre nodes and weights on [-1, 1] in mpmath at ``dps`` digits.

    Parameters
    ----------
    n : int
        Number of nodes, ``n >= 1`` (exact for polynomials of degree ``2n - 1``).
    dps : int, optional
        Decimal digits of the result (default 30); the work uses ``dps + 10``.

    Returns
    -------
    x, w : list of mpmath.mpf
        ``n`` nodes in ascending order and their positive weights.

    Raises
    ------
    TypeError
        If ``n`` or ``dps`` is not an integer.
    ValueError
        If ``n < 1`` or ``dps < 1``, or the work exceeds the size budget
        (:func:`specnum.size_budget`): about ``1.3e5 n^2 (1 + (dps/300)^1.6)`` elementary
        operations (measured 0.8 s for n = 100, dps = 30), so the default budget admits
        n up to about 850 at dps = 30.

    Notes
    -----
    Newton's method on ``P_n`` (three-term recurrence) from the initial guesses
    ``cos(pi (i - 1/4) / (n + 1/2))``; weights ``2 / ((1 - x^2) P_n'(x)^2)``. Nodes
    are computed for ``x > 0`` and mirrored (``x -> -x``), so the rule is exactly
    symmetric.

    Examples
    --------
    >>> x, w = gauss_legendre_mp(2, dps=20)
    >>> print(mpmath.nstr(x[1], 20), mpmath.nstr(w[1], 20))
    0.57735026918962576451 1.0
    """
    n = as_int(n, "n", minimum=1)
    dps = as_int(dps, "dps", minimum=1)
    nf = float(min(n, 2**60))
    d = float(min(dps, 2**60))
    check_budget(f"n = {n} with dps = {dps}", memory=2.0 * nf * (0.5 * d + 120.0),
                 work=1.3e5 * nf * nf * (1.0 + (d / 300.0) ** 1.6))
    xs: list[mpmath.mpf] = []
    ws: list[mpmath.mpf] = []
    with mpmath.workdps(dps + 10):
        tol = mpmath.mpf(10) ** (-(dps + 5))
        for i in range(1, n // 2 + 1):
            x = mpmath.cos(mpmath.pi * (i - mpmath.mpf(1) / 4) / (n + mpmath.mpf(1) / 2))
            for _ in range(100):
                p, dp = _legendre_and_derivative(n, x)
                dx = p / dp
                x -= dx
                if abs(dx) < tol:
                    break
            p, dp = _legendre_and_derivative(n, x)
            xs.append(x)
            ws.append(2 / ((1 - x * x) * dp * dp))
        if n % 2:
            _, dp = _legendre_and_derivative(n, mpmath.mpf(0))
            mid = ([mpmath.mpf(0)], [2 / (dp * dp)])
        else:
            mid = ([], [])
    with mpmath.workdps(dps):
        # xs are descending positive nodes: assemble ascending order
        x_all = [-(+x) for x in xs] + mid[0] + [+x for x in reversed(xs)]
        w_all = [+w for w in ws] + [+w for w in mid[1]] + [+w for w in reversed(ws)]
    return x_all, w_all


def _legendre_and_derivative(n: int, x: mpmath.mpf) -> tuple[mpmath.mpf, mpmath.mpf]:
    p0, p1 = mpmath.mpf(1), x
    for k in range(2, n + 1):
        p0, p1 = p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k
    dp = n * (x * p1 - p0) / (x * x - 1)
    return p1, dp
