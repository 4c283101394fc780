"""Exact Riesz derivatives for manufactured solutions of ``L u = s`` with zero Dirichlet data.

Building blocks (``y`` in ``(0, 1)``, RL derivatives with terminal 0, ``1 < alpha < 2``):

* ``D^alpha_{0+} y^k = Gamma(k+1)/Gamma(k+1-alpha) * y^(k-alpha)``;
* ``D^alpha_{0+} [y^k e^(+-y)] = Gamma(k+1)/Gamma(k+1-alpha) * y^(k-alpha) * 1F1(k+1; k+1-alpha; +-y)``;
* ``D^alpha_{1-} u (y) = (D^alpha_{0+} v)(1 - y)`` with ``v(t) = u(1 - t)``;
* ``L (y(1-y))^(alpha/2) = Gamma(1 + alpha)`` on ``(0, 1)``.

On a general interval ``(a, b)`` the problem is mapped to ``(0, 1)``:
``u(x) = U((x-a)/(b-a))`` and ``s(x) = (b-a)**(-alpha) S((x-a)/(b-a))``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import special

from specnum._validation import as_choice, as_float_array, as_interval
from specnum.riesz._checks import check_alpha
from specnum.riesz.operators import riesz_constant

__all__ = [
    "ManufacturedSolution",
    "polynomial_solution",
    "exp_polynomial_solution",
    "fractional_power_solution",
    "test_problem",
    "TEST_PROBLEMS",
]

TEST_PROBLEMS = ("T0", "T1", "T2", "T3")


@dataclass(frozen=True)
class ManufacturedSolution:
    """An exact solution ``u`` and its source ``s = L u`` on ``interval``.

    Attributes
    ----------
    name : str
        Short description.
    alpha : float
        Order, ``1 < alpha < 2``.
    interval : tuple of float
        ``(a, b)``; ``u`` vanishes outside.
    exact : callable
        ``exact(x) -> ndarray`` of the shape of ``x``: the solution (zero outside ``[a, b]``).
    source : callable
        ``source(x) -> ndarray``: ``L u`` at points of the open interval ``(a, b)``;
        raises ``ValueError`` for points outside ``[a, b]``. May be infinite at the ends.
    """

    name: str
    alpha: float
    interval: tuple[float, float]
    exact: Callable[[np.ndarray], np.ndarray]
    source: Callable[[np.ndarray], np.ndarray]

    def __post_init__(self) -> None:
        object.__setattr__(self, "alpha", check_alpha(self.alpha))
        object.__setattr__(self, "interval", as_interval(self.interval))
        if not callable(self.exact) or not callable(self.source):
            raise TypeError("exact and source must be callables")


def _unit(x, interval: tuple[float, float], *, inside: bool) -> np.ndarray:
    x = as_float_array(x, "x")  # keeps the shape of x, 0-d included
    a, b = interval
    y = (x - a) / (b - a)
    if inside and (np.any(y < 0.0) or np.any(y > 1.0)):
        raise ValueError(f"x must lie in the interval [{a}, {b}] where the source is defined")
    return y


def _gamma_ratio(k: int, alpha: float) -> float:
    """``Gamma(k+1)/Gamma(k+1-alpha)`` as a Pochhammer symbol (no overflow of the two gammas)."""
    return float(special.poch(k + 1.0 - alpha, alpha))


def _pow(y: np.ndarray, e: float) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.power(y, e)


def _reflect(coeffs: np.ndarray) -> np.ndarray:
    """Monomial coefficients of P(1 - y) given those of P(y) (ascending)."""
    m = len(coeffs)
    scale = float(np.max(np.abs(coeffs))) or 1.0
    out = np.zeros(m)
    for k, c in enumerate(coeffs / scale):
        for j in range(k + 1):
            out[j] += c * math.comb(k, j) * (-1.0) ** j
    return out * scale


#: highest polynomial degree accepted: the monomial form of P(1 - y) amplifies rounding by up to 2**degree
MAX_POLY_DEGREE = 40


def _check_coeffs(coeffs, name: str = "coeffs") -> np.ndarray:
    """Non-empty 1-D monomial coefficients of a polynomial with ``P(0) = P(1) = 0`` (to 1e-12 relative)."""
    c = as_float_array(coeffs, name, ndim=1)
    if c.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array of monomial coefficients, got shape {c.shape}")
    if c.size > MAX_POLY_DEGREE + 1:
        raise ValueError(
            f"{name} must have at most {MAX_POLY_DEGREE + 1} entries (degree <= {MAX_POLY_DEGREE}: the monomial "
            f"form loses up to 2**degree in accuracy), got {c.size}"
        )
    scale = float(np.max(np.abs(c)))
    cn = c / scale if scale > 0 else c  # ends checked on the normalised polynomial: no overflow
    if abs(cn[0]) > 1e-12 or abs(math.fsum(cn)) > 1e-12 * c.size:
        raise ValueError(
            f"{name} must define a polynomial vanishing at both ends (P(0) = P(1) = 0), "
            f"got P(0) = {c[0]!r}, P(1) = {math.fsum(c)!r}"
        )
    return c


def _length(interval: tuple[float, float]) -> float:
    length = interval[1] - interval[0]
    if not math.isfinite(length):
        raise ValueError(f"interval must have a finite length, got {interval!r}")
    return length


def _source_factor(c: np.ndarray, alpha: float, interval: tuple[float, float]) -> float:
    """``c_alpha (b - a)**(-alpha)``, refusing data whose source would overflow float64."""
    log_factor = -alpha * math.log(_length(interval))
    peak = float(np.max(np.abs(c)))
    # |s| <~ |c_alpha| max|c| (b-a)^(-alpha) max_k g_k 2^degree away from the ends
    log_size = log_factor + (math.log(peak) if peak > 0 else 0.0) + c.size * math.log(2.0) + math.log(
        max(1.0, _gamma_ratio(c.size - 1, alpha)))
    if log_size > 700.0:
        raise ValueError(
            f"interval and coeffs give source values of about 1e{log_size / math.log(10):.0f}, beyond float64: "
            f"interval length {_length(interval)!r}, largest coefficient {peak!r}"
        )
    return riesz_constant(alpha) * math.exp(log_factor)


def polynomial_solution(coeffs, alpha: float, interval=(0.0, 1.0)) -> ManufacturedSolution:
    """Manufactured solution ``u(x) = sum_k coeffs[k] y**k`` with ``y = (x-a)/(b-a)``.

    Parameters
    ----------
    coeffs : array_like, shape (m,)
        Ascending monomial coefficients in the unit variable ``y``. The polynomial
        must vanish at ``y = 0`` and ``y = 1`` (zero Dirichlet data).
    alpha : float
        Order, ``1 < alpha < 2``.
    interval : (float, float)
        The interval ``(a, b)``.

    Returns
    -------
    ManufacturedSolution

    Raises
    ------
    ValueError
        If the polynomial does not vanish at both ends (to 1e-12 relative), has degree
        above 40, would give source values beyond float64 (huge coefficients on a tiny
        interval), or for bad ``alpha``/``interval``.

    Notes
    -----
    ``s = c_alpha sum_k coeffs[k] g_k [y^(k-alpha) + (coefficients of P(1-y)) ...]`` with
    ``g_k = Gamma(k+1)/Gamma(k+1-alpha)`` (left RL term in ``y``, right term in ``1 - y``).

    Examples
    --------
    >>> from specnum.riesz.manufactured import polynomial_solution
    >>> sol = polynomial_solution([0.0, 1.0, -1.0], 1.5)   # x (1 - x)
    >>> print(round(float(sol.source(0.5)), 10))
    1.1283791671
    """
    c = _check_coeffs(coeffs)
    alpha = check_alpha(alpha)
    interval = as_interval(interval)
    factor = _source_factor(c, alpha, interval)
    d = _reflect(c)

    def exact(x):
        y = _unit(x, interval, inside=False)
        val = np.polynomial.polynomial.polyval(y, c)
        return np.where((y >= 0.0) & (y <= 1.0), val, 0.0)

    def source(x):
        y = _unit(x, interval, inside=True)
        z = 1.0 - y
        out = np.zeros_like(y)
        for k in range(len(c)):
            g = _gamma_ratio(k, alpha)
            if c[k] != 0.0:
                out += c[k] * g * _pow(y, k - alpha)
            if d[k] != 0.0:
                out += d[k] * g * _pow(z, k - alpha)
        return factor * out

    return ManufacturedSolution(f"polynomial {list(c)}", alpha, interval, exact, source)


def exp_polynomial_solution(coeffs, alpha: float, interval=(0.0, 1.0)) -> ManufacturedSolution:
    """Manufactured solution ``u(x) = P(y) e^y`` with ``P(y) = sum_k coeffs[k] y**k``, ``y = (x-a)/(b-a)``.

    Parameters
    ----------
    coeffs : array_like, shape (m,)
        Ascending monomial coefficients of ``P``, which must vanish at 0 and 1.
    alpha : float
        Order, ``1 < alpha < 2``.
    interval : (float, float)
        The interval ``(a, b)``.

    Returns
    -------
    ManufacturedSolution

    Raises
    ------
    ValueError
        If ``P(0) != 0`` or ``P(1) != 0``, ``P`` has degree above 40, the source would
        overflow float64, or for bad ``alpha``/``interval``.

    Notes
    -----
    ``D^alpha_{0+}[y^k e^y] = g_k y^(k-alpha) 1F1(k+1; k+1-alpha; y)`` and, with
    ``P(1-t) = sum_k d_k t^k``, ``D^alpha_{1-} u(y) = e sum_k d_k g_k t^(k-alpha)
    1F1(k+1; k+1-alpha; -t)`` at ``t = 1 - y`` (``scipy.special.hyp1f1``).

    Examples
    --------
    >>> from specnum.riesz.manufactured import exp_polynomial_solution
    >>> sol = exp_polynomial_solution([0, 0, 1, -2, 1], 1.5)  # x^2 (1-x)^2 e^x (T2)
    >>> print(round(float(sol.exact(0.5)), 12))
    0.103045079419
    """
    c = _check_coeffs(coeffs)
    alpha = check_alpha(alpha)
    interval = as_interval(interval)
    factor = _source_factor(c, alpha, interval)
    d = _reflect(c)

    def exact(x):
        y = _unit(x, interval, inside=False)
        val = np.polynomial.polynomial.polyval(y, c) * np.exp(y)
        return np.where((y >= 0.0) & (y <= 1.0), val, 0.0)

    def source(x):
        y = _unit(x, interval, inside=True)
        z = 1.0 - y
        left = np.zeros_like(y)
        right = np.zeros_like(y)
        for k in range(len(c)):
            g = _gamma_ratio(k, alpha)
            b = k + 1.0 - alpha
            if c[k] != 0.0:
                left += c[k] * g * _pow(y, k - alpha) * special.hyp1f1(k + 1.0, b, y)
            if d[k] != 0.0:
                right += d[k] * g * _pow(z, k - alpha) * special.hyp1f1(k + 1.0, b, -z)
        return factor * (left + math.e * right)

    return ManufacturedSolution(f"exp-polynomial {list(c)}", alpha, interval, exact, source)


def fractional_power_solution(alpha: float, interval=(0.0, 1.0)) -> ManufacturedSolution:
    """The classical non-smooth solution ``u = (y(1-y))**(alpha/2) / Gamma(1+alpha)`` of ``L u = 1``.

    Parameters
    ----------
    alpha : float
        Order, ``1 < alpha < 2``.
    interval : (float, float)
        The interval ``(a, b)``; on it ``L u = (b-a)**(-alpha)``.

    Returns
    -------
    ManufacturedSolution

    Examples
    --------
    >>> from specnum.riesz.manufactured import fractional_power_solution
    >>> sol = fractional_power_solution(1.5)
    >>> print(float(sol.source(0.3)))
    1.0
    """
    alpha = check_alpha(alpha)
    interval = as_interval(interval)
    log_level = -alpha * math.log(_length(interval))
    if log_level > 700.0:
        raise ValueError(f"interval is too short: the source (b-a)**(-alpha) = 1e{log_level / math.log(10):.0f} "
                         f"overflows float64, got {interval!r}")
    level = math.exp(log_level)
    g = math.gamma(1.0 + alpha)

    def exact(x):
        y = _unit(x, interval, inside=False)
        w = np.clip(y * (1.0 - y), 0.0, None)
        return np.where((y >= 0.0) & (y <= 1.0), w ** (0.5 * alpha) / g, 0.0)

    def source(x):
        y = _unit(x, interval, inside=True)
        return np.full_like(y, level)

    return ManufacturedSolution("(x(1-x))^(alpha/2)/Gamma(1+alpha)", alpha, interval, exact, source)


def test_problem(name: str, alpha: float, interval=(0.0, 1.0)) -> ManufacturedSolution:
    """Return one of the four reference problems T0-T3.

    Parameters
    ----------
    name : {"T0", "T1", "T2", "T3"}
        ``T0``: ``x(1-x)``; ``T1``: ``x^2(1-x)^2``; ``T2``: ``x^2(1-x)^2 e^x``;
        ``T3``: ``(x(1-x))^(alpha/2)/Gamma(1+alpha)`` (source 1).
    alpha : float
        Order, ``1 < alpha < 2``.
    interval : (float, float)
        The interval (the formulas are in the unit variable).

    Returns
    -------
    ManufacturedSolution

    Raises
    ------
    ValueError
        If ``name`` is not one of the four problems.

    Examples
    --------
    >>> from specnum.riesz.manufactured import test_problem
    >>> print(test_problem("T3", 1.5).name)
    (x(1-x))^(alpha/2)/Gamma(1+alpha)
    """
    name = as_choice(name, "name", TEST_PROBLEMS)
    if name == "T0":
        return polynomial_solution([0.0, 1.0, -1.0], alpha, interval)
    if name == "T1":
        return polynomial_solution([0.0, 0.0, 1.0, -2.0, 1.0], alpha, interval)
    if name == "T2":
        return exp_polynomial_solution([0.0, 0.0, 1.0, -2.0, 1.0], alpha, interval)
    return fractional_power_solution(alpha, interval)


test_problem.__test__ = False  # not a pytest test despite the name
