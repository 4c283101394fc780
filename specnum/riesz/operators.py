"""Definitions and conventions of the Riesz operator (internal module of :mod:`specnum.riesz`).

Convention (the conventions page of the documentation). For ``1 < alpha < 2``
on an interval ``(a, b)`` with the solution extended by zero,

.. math::

    L u = -\\frac{\\partial^\\alpha u}{\\partial |x|^\\alpha}
        = c_\\alpha \\left(D^\\alpha_{a+} u + D^\\alpha_{b-} u\\right),
    \\qquad c_\\alpha = \\frac{1}{2\\cos(\\pi\\alpha/2)} < 0,

where :math:`D^\\alpha_{a+}` and :math:`D^\\alpha_{b-}` are the left and right
Riemann-Liouville derivatives. ``L`` is positive with Fourier symbol
:math:`|\\xi|^\\alpha`, i.e. ``L = (-Laplacian)^(alpha/2)`` on the zero extension.
The equivalent hypersingular form uses the constant
:math:`C_{1,\\alpha} = -c_\\alpha/\\Gamma(-\\alpha)`.
"""

from __future__ import annotations

import math

from specnum.riesz._checks import check_alpha

__all__ = [
    "riesz_constant",
    "hypersingular_constant",
]


def riesz_constant(alpha: float) -> float:
    """Return :math:`c_\\alpha = 1/(2\\cos(\\pi\\alpha/2))`, the factor in ``L = c_alpha (D_left + D_right)``.

    Parameters
    ----------
    alpha : float
        Order of the operator, ``1 < alpha < 2``.

    Returns
    -------
    float
        ``c_alpha``, negative for ``1 < alpha < 2``.

    Raises
    ------
    ValueError
        If ``alpha`` is not in (1, 2).

    Notes
    -----
    With this sign, ``L = c_alpha (D^alpha_{a+} + D^alpha_{b-})`` has the
    positive symbol ``|xi|^alpha``; the Riesz derivative of the paper is ``-L``.

    Examples
    --------
    >>> from specnum.riesz import riesz_constant
    >>> round(riesz_constant(1.5), 12)
    -0.707106781187
    """
    alpha = check_alpha(alpha)
    return 0.5 / math.cos(0.5 * math.pi * alpha)


def hypersingular_constant(alpha: float) -> float:
    """Return :math:`C_{1,\\alpha} = \\alpha 2^{\\alpha-1}\\Gamma((1+\\alpha)/2)/(\\sqrt{\\pi}\\Gamma(1-\\alpha/2))`.

    Parameters
    ----------
    alpha : float
        Order, ``1 < alpha < 2``.

    Returns
    -------
    float
        The constant of the hypersingular form
        ``L u(x) = C * int_0^inf (2u(x) - u(x+z) - u(x-z)) z^(-1-alpha) dz``;
        it equals ``-c_alpha / Gamma(-alpha)``.

    Raises
    ------
    ValueError
        If ``alpha`` is not in (1, 2).

    Examples
    --------
    >>> from specnum.riesz import hypersingular_constant
    >>> round(hypersingular_constant(1.5), 10)
    0.2992067103
    """
    alpha = check_alpha(alpha)
    return (
        alpha
        * 2.0 ** (alpha - 1.0)
        * math.gamma(0.5 * (1.0 + alpha))
        / (math.sqrt(math.pi) * math.gamma(1.0 - 0.5 * alpha))
    )
