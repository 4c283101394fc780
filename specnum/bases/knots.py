"""Open knot vectors: uniform, and graded toward both ends of an interval.

Solutions of fractional (and other singularly perturbed) problems often behave like a power
``dist(x, boundary)^s`` at the ends; knots clustered there by a power law recover the
convergence rate that uniform knots lose. The knot vectors here are open (clamped): the end
values are repeated ``degree + 1`` times and the interior knots are simple, so that a
:class:`~specnum.bases.bsplines.BSplineBasis` on them has maximal smoothness ``C^{p-1}``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from specnum._validation import as_float, as_float_array, as_int, as_interval, check_budget

__all__ = ["open_uniform_knots", "graded_knots", "grading_map", "MAX_GRADING"]

#: largest grading exponent accepted (the first element already has length ~ (2/n)^r / 2)
MAX_GRADING = 16.0


def open_uniform_knots(degree: int, n: int, interval: Any = (0.0, 1.0)) -> np.ndarray:
    """Open (clamped) uniform knot vector with ``n`` elements.

    Parameters
    ----------
    degree : int
        Spline degree ``p >= 0``.
    n : int
        Number of elements ``n >= 1``.
    interval : pair of float, optional
        ``(a, b)`` with ``a < b``; default ``(0, 1)``.

    Returns
    -------
    knots : ndarray, shape (n + 2*degree + 1,)
        ``p + 1`` copies of ``a``, the ``n - 1`` interior breakpoints
        ``a + k h`` (``h = (b - a)/n``) and ``p + 1`` copies of ``b``.

    Raises
    ------
    TypeError, ValueError
        For a non-integer or negative ``degree``, ``n < 1``, a bad interval,
        or a knot vector beyond the size budget (memory ``~24 (n + 2 degree)``
        bytes).

    Examples
    --------
    >>> open_uniform_knots(2, 3).tolist()
    [0.0, 0.0, 0.0, 0.3333333333333333, 0.6666666666666666, 1.0, 1.0, 1.0]
    """
    p = as_int(degree, "degree", minimum=0)
    n = as_int(n, "n", minimum=1)
    a, b = as_interval(interval, "interval")
    check_budget(f"n = {n}, degree = {p}", memory=24.0 * (n + 2.0 * p + 1), work=4.0 * (n + 2.0 * p + 1))
    inner = np.linspace(a, b, n + 1)
    inner[0], inner[-1] = a, b
    return np.concatenate([np.full(p, a), inner, np.full(p, b)])


def grading_map(xi: Any, grading: float) -> np.ndarray:
    """The symmetric power map ``G`` of ``[0, 1]`` behind :func:`graded_knots`.

    Parameters
    ----------
    xi : array_like, shape (...)
        Points of ``[0, 1]``.
    grading : float
        Exponent ``r`` in ``[1, 16]`` (``r = 1``: identity).

    Returns
    -------
    ndarray, shape (...)
        ``G(xi) = (2 xi)^r / 2`` for ``xi <= 1/2`` and ``1 - G(1 - xi)`` above; increasing, with
        ``G'(xi) = r (2 xi)^(r-1)`` (0 at the ends for ``r > 1``).

    Raises
    ------
    ValueError, TypeError
        For ``xi`` outside ``[0, 1]`` or not finite, or ``grading`` outside ``[1, 16]``.

    Examples
    --------
    >>> grading_map([0.0, 0.25, 0.5, 1.0], 2.0).tolist()
    [0.0, 0.125, 0.5, 1.0]
    """
    x = as_float_array(xi, "xi")
    r = as_float(grading, "grading", low=1.0, high=MAX_GRADING)
    if np.any((x < 0.0) | (x > 1.0)):
        raise ValueError("xi must lie in [0, 1]")
    low = x <= 0.5
    out = np.empty_like(x)
    out[low] = 0.5 * (2.0 * x[low]) ** r
    out[~low] = 1.0 - 0.5 * (2.0 * (1.0 - x[~low])) ** r
    return out


def graded_knots(degree: int, n: int, grading: float, interval: Any = (0.0, 1.0)) -> np.ndarray:
    """Open knot vector with ``n`` elements graded toward both ends by a power law.

    Parameters
    ----------
    degree : int
        Spline degree ``p >= 0``.
    n : int
        Number of elements ``n >= 1``.
    grading : float
        Exponent ``r`` in ``[1, 16]``; ``r = 1`` gives uniform knots.
    interval : (float, float), optional
        ``(a, b)``, default ``(0, 1)``.

    Returns
    -------
    knots : ndarray, shape (n + 2 degree + 1,)
        ``p + 1`` copies of ``a``, the breakpoints ``x_j = a + (b - a) G(j/n)`` for
        ``j = 1..n-1`` (:func:`grading_map`: ``x_j = a + (b - a)(2j/n)^r / 2`` for ``j <= n/2``,
        mirrored about the midpoint, exactly symmetric), and ``p + 1`` copies of ``b``.

    Raises
    ------
    ValueError, TypeError
        For a bad ``degree``, ``n``, ``grading`` or ``interval``, or when the breakpoints are not
        distinct in float64 (grading too strong for ``n``: the first element would vanish).

    Notes
    -----
    The element lengths near ``a`` are ``h_j ~ (b - a) r 2^(r-1) j^(r-1) / n^r``; the first one is
    ``(b - a)(2/n)^r / 2``. For a solution behaving like ``dist^s`` the best piecewise-polynomial
    approximation of degree ``p`` in the maximum norm converges like ``n^(-min(r s, p + 1))``.

    Examples
    --------
    >>> graded_knots(2, 4, 2.0).tolist()
    [0.0, 0.0, 0.0, 0.125, 0.5, 0.875, 1.0, 1.0, 1.0]
    """
    p = as_int(degree, "degree", minimum=0)
    n = as_int(n, "n", minimum=1)
    r = as_float(grading, "grading", low=1.0, high=MAX_GRADING)
    a, b = as_interval(interval, "interval")
    length = b - a
    if not np.isfinite(length):
        raise ValueError(f"interval must have a finite length, got ({a!r}, {b!r})")
    check_budget(f"n = {n}", memory=8.0 * (n + 2 * p + 1) * 4, work=20.0 * (n + 2 * p + 1))
    j = np.arange(n + 1, dtype=np.float64)
    half = j <= 0.5 * n
    g = 0.5 * (2.0 * np.where(half, j, n - j) / n) ** r  # G(j/n) near the closer end
    inner = np.where(half, a + length * g, b - length * g)
    inner[0], inner[-1] = a, b
    if np.any(np.diff(inner) <= 0.0):
        raise ValueError(
            f"grading = {r!r} is too strong for n = {n}: breakpoints coincide in float64 "
            f"(first element length (2/n)^r/2 = {0.5 * (2.0 / n) ** r:.3g} of the interval)"
        )
    return np.concatenate([np.full(p, a), inner, np.full(p, b)])
