"""One-dimensional quadrature rules returning ``(x, w)``.

Every rule function returns two float64 arrays of shape ``(n,)``: the nodes
``x`` sorted ascending and the weights ``w``, so that
``sum(w * f(x)) ~ integral of f over the interval``. The rules on the
reference interval ``[-1, 1]`` are computed once per parameter set (cached,
read-only) and mapped affinely, ``t = (a + b)/2 + (b - a)/2 * x``, to the
requested interval ``(a, b)``; the weights are multiplied by the Jacobian
``(b - a)/2`` (and, for Gauss-Jacobi, by the factor documented there).

Gauss nodes start from the eigenvalues of the Jacobi matrix and are polished
by Newton's method on the three-term recurrence of the orthonormal Jacobi
polynomials, the last step evaluated in double-double arithmetic (a numba
kernel); the weights use the Christoffel-Darboux formula with a first-order
correction for the rounding of the node. Nodes are correctly rounded (up to
half an ulp) and weights accurate to a few eps relatively, including near the
endpoints and for Jacobi exponents close to -1 or in the thousands (verified
against mpmath at 40 digits in ``tests/bases/test_quadrature.py``; scipy's own
weights are off by ~75 n eps near the endpoints). The cost is ``O(n**2)``:
about 0.2 s at ``n = 1000``, paid once per ``(n, alpha, beta)`` thanks to an
``lru_cache``.

Size budget: every rule estimates its memory and work from ``n`` and refuses,
before any allocation, a size beyond the budget of
:func:`specnum.size_budget` (by default 4 GiB and about a minute of work: the
Gauss rules stop near ``n = 18000``, Clenshaw-Curtis near ``n = 3e7``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from specnum._validation import as_choice, as_float, as_float_array, as_int, as_interval, check_budget
from specnum.bases._jacobi_rules import JACOBI_EXPONENT_MAX, gauss_jacobi_reference, jacobi_mass
from specnum.bases._reference_rules import clenshaw_curtis_reference, lobatto_reference, radau_reference

__all__ = [
    "gauss_legendre",
    "gauss_jacobi",
    "gauss_lobatto",
    "gauss_radau",
    "clenshaw_curtis",
    "periodic_trapezoid",
    "QuadratureRule",
    "quadrature_rule",
    "QUADRATURE_KINDS",
]

#: Names accepted by :func:`quadrature_rule`.
QUADRATURE_KINDS = (
    "gauss_legendre",
    "gauss_jacobi",
    "gauss_lobatto",
    "gauss_radau",
    "clenshaw_curtis",
    "periodic_trapezoid",
)


# Cost model of the size budget. A Gauss rule evaluates the recurrence of degree n at every node in
# double-double arithmetic: about 300 n**2 elementary operations (0.2 s at n = 1000) and some 50
# work arrays of length n. The FFT-based and explicit rules need a few arrays of length 2n.
_GAUSS_WORK_PER_N2 = 300.0
_GAUSS_BYTES_PER_NODE = 400.0


def _check_gauss_budget(n: int, extra_work: float = 0.0) -> None:
    check_budget(f"n = {n}", memory=_GAUSS_BYTES_PER_NODE * n, work=_GAUSS_WORK_PER_N2 * float(n) ** 2 + extra_work)


def _check_linear_budget(n: int, bytes_per_node: float) -> None:
    check_budget(f"n = {n}", memory=bytes_per_node * n, work=20.0 * n * max(math.log2(n), 1.0))


def _map(x: np.ndarray, w: np.ndarray, interval: tuple[float, float], scale: float | None = None):
    a, b = interval
    half = 0.5 * (b - a)  # finite: as_interval checked b - a
    mid = 0.5 * a + 0.5 * b  # equals 0.5 * (a + b) (halving is exact) without overflowing
    xt = mid + half * x
    xt[0], xt[-1] = max(xt[0], a), min(xt[-1], b)
    wt = w * (half if scale is None else scale)
    return np.ascontiguousarray(xt), np.ascontiguousarray(wt)


# ---------------------------------------------------------------------------
# public rules
# ---------------------------------------------------------------------------


def gauss_legendre(n: int, interval: tuple[float, float] = (-1.0, 1.0)) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Legendre quadrature with ``n`` nodes.

    Parameters
    ----------
    n : int
        Number of nodes, ``n >= 1``.
    interval : (float, float), optional
        Finite interval ``(a, b)`` with ``a < b``; default ``(-1, 1)``.

    Returns
    -------
    x : ndarray, shape (n,)
        Nodes, ascending, exactly symmetric about the midpoint on ``[-1, 1]``.
    w : ndarray, shape (n,)
        Positive weights; ``sum(w) == b - a`` up to rounding.

    Raises
    ------
    TypeError
        If ``n`` is not an integer or ``interval`` not a pair of reals.
    ValueError
        If ``n < 1``, the interval is not finite with ``a < b`` and a finite
        length ``b - a``, or ``n`` exceeds the size budget (memory ``~400 n``
        bytes, work ``~300 n**2`` operations; see :func:`specnum.size_budget`).

    Notes
    -----
    Exact for polynomials of degree ``2n - 1``. The nodes are the roots of
    ``P_n``; the weights ``2 / ((1 - x^2) P_n'(x)^2)`` times ``(b - a)/2``.

    Examples
    --------
    >>> x, w = gauss_legendre(3)
    >>> bool(abs(w @ x**4 - 2/5) < 1e-15)
    True
    """
    n = as_int(n, "n", minimum=1)
    interval = as_interval(interval)
    _check_gauss_budget(n)
    x, w, _, e = gauss_jacobi_reference(n, 0.0, 0.0)
    return _map(x, np.ldexp(w, e), interval)


def gauss_jacobi(
    n: int, alpha: float, beta: float, interval: tuple[float, float] = (-1.0, 1.0)
) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Jacobi quadrature for the weight ``(1 - x)^alpha (1 + x)^beta``.

    Parameters
    ----------
    n : int
        Number of nodes, ``n >= 1``.
    alpha, beta : float
        Jacobi exponents in ``(-1, 1e6]`` (beyond
        it the weight is a Gaussian to within rounding: use a Gauss-Hermite rule).
    interval : (float, float), optional
        Finite interval ``(a, b)``, ``a < b``; default ``(-1, 1)``.

    Returns
    -------
    x : ndarray, shape (n,)
        Nodes, ascending.
    w : ndarray, shape (n,)
        Non-negative weights (positive unless they underflow: with large
        exponents the weights of the outer nodes can fall below ``1e-308``).

    Raises
    ------
    TypeError, ValueError
        For a non-integer ``n``, ``n < 1``, ``alpha`` or ``beta`` outside
        ``(-1, 1e6]`` or a bad interval; when the total weight
        ``((b - a)/2)^(alpha+beta+1) mu0`` or the factor
        ``((b - a)/2)^(alpha+beta+1)`` lies outside the normal float64 range;
        or when ``n`` (and ``alpha + beta``) exceed the size budget (memory
        ``~400 n`` bytes, work ``~300 n**2 + 30 (alpha + beta)`` operations;
        see :func:`specnum.size_budget`).

    Notes
    -----
    On ``[-1, 1]``: ``sum(w f(x)) ~ int (1-x)^alpha (1+x)^beta f(x) dx``,
    exact for polynomials of degree ``2n - 1``. On ``(a, b)`` the weight
    function is the *physical* one, ``(b - t)^alpha (t - a)^beta``:

        ``sum(w f(t)) ~ int_a^b (b - t)^alpha (t - a)^beta f(t) dt``,

    so the reference weights are multiplied by ``((b - a)/2)^(alpha + beta + 1)``.

    The total weight on ``[-1, 1]``,
    ``mu0 = 2^(alpha+beta+1) Gamma(alpha+1) Gamma(beta+1) / Gamma(alpha+beta+2)``,
    is accurate to a few eps for all admissible exponents (Gamma functions at
    reduced arguments, rising products in double-double arithmetic). As ``alpha``
    or ``beta`` approach -1 a node comes within a few ulps of the singular end;
    its weight is then taken at the double-double root, so it too stays
    accurate to a few eps.

    Examples
    --------
    >>> x, w = gauss_jacobi(4, 0.5, -0.5)
    >>> bool(abs(w.sum() - 3.141592653589793) < 1e-14)   # int sqrt((1-x)/(1+x)) = pi
    True
    """
    n = as_int(n, "n", minimum=1)
    alpha = as_float(alpha, "alpha", low=-1.0, low_open=True, high=JACOBI_EXPONENT_MAX)
    beta = as_float(beta, "beta", low=-1.0, low_open=True, high=JACOBI_EXPONENT_MAX)
    interval = as_interval(interval)
    _check_gauss_budget(n, extra_work=30.0 * (alpha + beta + 4.0))
    half = 0.5 * (interval[1] - interval[0])
    power = alpha + beta + 1.0
    log2_scale = power * math.log2(half)
    if not -1020.0 < log2_scale < 1020.0:
        raise ValueError(
            f"interval = {interval} gives ((b - a)/2)**(alpha + beta + 1) = 2**{log2_scale:.6g} with "
            f"alpha = {alpha!r}, beta = {beta!r}, outside the float64 range; use an interval of length "
            f"closer to 2 (or map the rule on [-1, 1] yourself)"
        )
    mass, e = jacobi_mass(alpha, beta)
    log2_total = e + math.log2(mass) + log2_scale
    if not -1021.0 < log2_total < 1023.0:
        raise ValueError(
            f"alpha = {alpha!r}, beta = {beta!r} on interval = {interval}: the total weight "
            f"int (b-t)^alpha (t-a)^beta dt = 2**{log2_total:.6g} is outside the float64 range"
        )
    x, w, _, e = gauss_jacobi_reference(n, alpha, beta)
    xt, wt = _map(x, w, interval, scale=half**power)
    return xt, np.ldexp(wt, e)


def gauss_lobatto(n: int, interval: tuple[float, float] = (-1.0, 1.0)) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Lobatto-Legendre quadrature with ``n >= 2`` nodes, endpoints included.

    Parameters
    ----------
    n : int
        Number of nodes, ``n >= 2``.
    interval : (float, float), optional
        Finite interval ``(a, b)``, ``a < b``; default ``(-1, 1)``.

    Returns
    -------
    x : ndarray, shape (n,)
        Nodes, ascending, ``x[0] == a`` and ``x[-1] == b``.
    w : ndarray, shape (n,)
        Positive weights.

    Raises
    ------
    TypeError, ValueError
        For a non-integer ``n``, ``n < 2`` or a bad interval, or when ``n``
        exceeds the size budget (as :func:`gauss_legendre`).

    Notes
    -----
    Exact for degree ``2n - 3``. The interior nodes are the roots of
    ``P'_{n-1}`` (the Gauss-Jacobi(1, 1) nodes); the weights are
    ``2 / (n (n-1) P_{n-1}(x)^2)`` times ``(b - a)/2``, computed as the
    Gauss-Jacobi(1, 1) weights divided by ``1 - x^2`` (equal in exact arithmetic).

    Examples
    --------
    >>> x, w = gauss_lobatto(3)
    >>> print(x, np.round(3 * w, 12))
    [-1.  0.  1.] [1. 4. 1.]
    """
    n = as_int(n, "n", minimum=2)
    interval = as_interval(interval)
    _check_gauss_budget(n)
    x, w = lobatto_reference(n)
    xt, wt = _map(x, w, interval)
    xt[0], xt[-1] = interval
    return xt, wt


def gauss_radau(
    n: int, interval: tuple[float, float] = (-1.0, 1.0), *, endpoint: str = "left"
) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Radau-Legendre quadrature with ``n`` nodes and one fixed endpoint.

    Parameters
    ----------
    n : int
        Number of nodes, ``n >= 1``.
    interval : (float, float), optional
        Finite interval ``(a, b)``, ``a < b``; default ``(-1, 1)``.
    endpoint : {'left', 'right'}, optional
        Which endpoint is a node (default ``'left'``: ``x[0] == a``).

    Returns
    -------
    x : ndarray, shape (n,)
        Nodes, ascending.
    w : ndarray, shape (n,)
        Positive weights.

    Raises
    ------
    TypeError, ValueError
        For a non-integer ``n``, ``n < 1``, a bad interval or ``endpoint``, or
        when ``n`` exceeds the size budget (as :func:`gauss_legendre`).

    Notes
    -----
    Exact for degree ``2n - 2``. For the left rule on ``[-1, 1]`` the free
    nodes are the roots of the Jacobi polynomial ``P^{(0,1)}_{n-1}``, with
    weights ``w_J / (1 + x)`` (``w_J`` the Gauss-Jacobi(0, 1) weights), and
    the endpoint weight is ``2 / n^2``. The right rule is its mirror image.

    Examples
    --------
    >>> x, w = gauss_radau(2)
    >>> print(np.round(x, 12), np.round(w, 12))
    [-1.          0.33333333] [0.5 1.5]
    """
    n = as_int(n, "n", minimum=1)
    interval = as_interval(interval)
    endpoint = as_choice(endpoint, "endpoint", ("left", "right"))
    _check_gauss_budget(n)
    x, w = radau_reference(n)
    if endpoint == "right":
        x, w = -x[::-1], w[::-1]
    xt, wt = _map(x, w, interval)
    if endpoint == "left":
        xt[0] = interval[0]
    else:
        xt[-1] = interval[1]
    return xt, wt


def clenshaw_curtis(n: int, interval: tuple[float, float] = (-1.0, 1.0)) -> tuple[np.ndarray, np.ndarray]:
    """Clenshaw-Curtis quadrature on the ``n`` Chebyshev extreme points.

    Parameters
    ----------
    n : int
        Number of nodes, ``n >= 1`` (``n == 1`` is the midpoint rule).
    interval : (float, float), optional
        Finite interval ``(a, b)``, ``a < b``; default ``(-1, 1)``.

    Returns
    -------
    x : ndarray, shape (n,)
        Nodes ``-cos(pi j/(n-1))``, ``j = 0..n-1`` (ascending, endpoints included).
    w : ndarray, shape (n,)
        Positive weights.

    Raises
    ------
    TypeError, ValueError
        For a non-integer ``n``, ``n < 1`` or a bad interval, or when ``n``
        exceeds the size budget (memory ``~128 n`` bytes, work
        ``~20 n log2 n``; see :func:`specnum.size_budget`).

    Notes
    -----
    Exact for degree ``n - 1`` (``n`` when ``n`` is odd, by symmetry). The
    weights come from one FFT of length ``2(n-1)`` (Waldvogel 2006), ``O(n log n)``.

    References
    ----------
    J. Waldvogel, Fast construction of the Fejer and Clenshaw-Curtis
    quadrature rules, BIT 46 (2006) 195-202.

    Examples
    --------
    >>> x, w = clenshaw_curtis(3)
    >>> print(x, np.round(3 * w, 12))
    [-1.  0.  1.] [1. 4. 1.]
    """
    n = as_int(n, "n", minimum=1)
    interval = as_interval(interval)
    _check_linear_budget(n, 128.0)  # an FFT of length 2n and a few arrays
    x, w = clenshaw_curtis_reference(n)
    xt, wt = _map(x, w, interval)
    if n > 1:
        xt[0], xt[-1] = interval
    return xt, wt


def periodic_trapezoid(
    n: int, interval: tuple[float, float] = (0.0, 2.0 * math.pi)
) -> tuple[np.ndarray, np.ndarray]:
    """Trapezoidal rule for periodic functions: ``n`` equispaced nodes, left end included.

    Parameters
    ----------
    n : int
        Number of nodes, ``n >= 1``.
    interval : (float, float), optional
        One period ``(a, b)``; default ``(0, 2 pi)``.

    Returns
    -------
    x : ndarray, shape (n,)
        Nodes ``a + (b - a) j / n``, ``j = 0..n-1``.
    w : ndarray, shape (n,)
        Equal weights ``(b - a)/n``.

    Raises
    ------
    TypeError, ValueError
        For a non-integer ``n``, ``n < 1`` or a bad interval, or when ``n``
        exceeds the size budget (memory ``~32 n`` bytes; see
        :func:`specnum.size_budget`).

    Notes
    -----
    Exact for trigonometric polynomials ``exp(2 pi i k (t - a)/(b - a))`` with
    ``|k| <= n - 1`` (its "degree" in :class:`QuadratureRule` is ``n - 1``).

    Examples
    --------
    >>> x, w = periodic_trapezoid(8)
    >>> bool(abs(w @ np.cos(x)**2 - np.pi) < 1e-14)
    True
    """
    n = as_int(n, "n", minimum=1)
    a, b = as_interval(interval)
    _check_linear_budget(n, 32.0)
    x = a + (b - a) * (np.arange(n, dtype=np.float64) / n)
    w = np.full(n, (b - a) / n)
    return x, w


# ---------------------------------------------------------------------------
# rule container
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class QuadratureRule:
    """A validated quadrature rule: nodes, weights, exactness degree, interval.

    Parameters
    ----------
    points : array_like, shape (n,)
        Nodes (stored as a read-only float64 copy).
    weights : array_like, shape (n,)
        Weights (read-only float64 copy), same length as ``points``.
    degree : int
        Degree of polynomial exactness (``>= 0``); for the periodic
        trapezoidal rule the trigonometric degree.
    interval : (float, float)
        The interval ``(a, b)`` the rule integrates over.

    Raises
    ------
    TypeError
        If ``points`` or ``weights`` are not real numbers, or ``degree`` is not an int.
    ValueError
        For empty, non-1-d, mismatched or non-finite ``points``/``weights``, a negative
        ``degree`` or a bad ``interval``.

    Examples
    --------
    >>> rule = quadrature_rule("gauss_legendre", 10, interval=(0, 1))
    >>> bool(abs(rule.integrate(np.exp) - (np.e - 1)) < 1e-14)
    True
    """

    points: np.ndarray
    weights: np.ndarray
    degree: int
    interval: tuple[float, float]

    def __post_init__(self) -> None:
        pts = as_float_array(self.points, "points", finite=False).copy()
        wts = as_float_array(self.weights, "weights", finite=False).copy()
        if pts.ndim != 1 or pts.size < 1:
            raise ValueError(f"points must be a non-empty 1-d array, got shape {pts.shape}")
        if wts.shape != pts.shape:
            raise ValueError(f"weights must have the shape of points {pts.shape}, got {wts.shape}")
        if not (np.all(np.isfinite(pts)) and np.all(np.isfinite(wts))):
            raise ValueError("points and weights must be finite")
        interval = as_interval(self.interval)
        degree = as_int(self.degree, "degree", minimum=0)
        pts.setflags(write=False)
        wts.setflags(write=False)
        object.__setattr__(self, "points", pts)
        object.__setattr__(self, "weights", wts)
        object.__setattr__(self, "degree", degree)
        object.__setattr__(self, "interval", interval)

    @property
    def n(self) -> int:
        """Number of nodes."""
        return int(self.points.size)

    def integrate(self, values_or_callable: Any | Callable[[np.ndarray], Any], *, axis: int = -1) -> Any:
        """Apply the rule.

        Parameters
        ----------
        values_or_callable : array_like or callable
            Either values at :attr:`points` with length ``n`` along ``axis``
            (shape ``(..., n, ...)``, real or complex), or a callable ``f``
            evaluated as ``f(points)`` that returns such an array (for a
            callable, the node axis is ``axis`` of the result as well).
        axis : int, optional
            Axis holding the nodes (default last).

        Returns
        -------
        float, complex or ndarray
            ``sum_j w_j f_j`` along ``axis``; that axis is removed.

        Raises
        ------
        ValueError
            If the length along ``axis`` is not ``n``, the values are 0-d or hold
            NaN or infinity, ``axis`` is out of range, or the integral overflows.
        TypeError
            If the values are not numeric.
        """
        what = "values_or_callable(points)" if callable(values_or_callable) else "values_or_callable"
        values = values_or_callable(self.points) if callable(values_or_callable) else values_or_callable
        arr = np.asarray(values)
        if arr.dtype == object or not np.issubdtype(arr.dtype, np.number):
            raise TypeError(f"{what} must be numeric, got dtype {arr.dtype}")
        if arr.ndim == 0:
            raise ValueError(f"{what} must have at least one dimension (the node axis)")
        axis = as_int(axis, "axis", minimum=-arr.ndim, maximum=arr.ndim - 1)
        if arr.shape[axis] != self.n:
            raise ValueError(
                f"{what} must have length {self.n} (number of nodes) along axis {axis}, got shape {arr.shape}"
            )
        if not np.all(np.isfinite(arr)):
            bad = int(arr.size - np.count_nonzero(np.isfinite(arr)))
            raise ValueError(f"{what} must be finite, got {bad} non-finite value(s) (NaN or inf)")
        arr = np.moveaxis(arr, axis, -1)
        with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported below
            out = arr @ self.weights
        if not np.all(np.isfinite(out)):
            raise ValueError(f"{what} give an integral beyond the float64 range (overflow); rescale the values")
        return out[()] if isinstance(out, np.ndarray) and out.ndim == 0 else out


def quadrature_rule(
    kind: str, n: int, interval: tuple[float, float] | None = None, **kw: Any
) -> QuadratureRule:
    """Build a :class:`QuadratureRule` by name.

    Parameters
    ----------
    kind : str
        One of :data:`QUADRATURE_KINDS`: ``'gauss_legendre'``,
        ``'gauss_jacobi'`` (needs ``alpha=``, ``beta=``), ``'gauss_lobatto'``,
        ``'gauss_radau'`` (optional ``endpoint=``), ``'clenshaw_curtis'``,
        ``'periodic_trapezoid'``.
    n : int
        Number of nodes.
    interval : (float, float), optional
        Defaults to ``(-1, 1)``, or ``(0, 2 pi)`` for the periodic rule.
    **kw
        Extra keyword arguments of the rule function.

    Returns
    -------
    QuadratureRule
        With ``degree`` the exactness degree: ``2n-1`` (Gauss-Legendre and
        Gauss-Jacobi, with respect to their weight), ``2n-3`` (Lobatto),
        ``2n-2`` (Radau), ``n-1`` or ``n`` for odd ``n`` (Clenshaw-Curtis),
        ``n-1`` trigonometric (periodic trapezoid).

    Raises
    ------
    ValueError, TypeError
        For an unknown ``kind`` or the checks of the rule function (including
        its size budget).

    Examples
    --------
    >>> quadrature_rule("gauss_lobatto", 4).degree
    5
    """
    kind = as_choice(kind, "kind", QUADRATURE_KINDS)
    funcs = {
        "gauss_legendre": gauss_legendre,
        "gauss_jacobi": gauss_jacobi,
        "gauss_lobatto": gauss_lobatto,
        "gauss_radau": gauss_radau,
        "clenshaw_curtis": clenshaw_curtis,
        "periodic_trapezoid": periodic_trapezoid,
    }
    if interval is None:
        interval = (0.0, 2.0 * math.pi) if kind == "periodic_trapezoid" else (-1.0, 1.0)
    x, w = funcs[kind](n, interval=interval, **kw)
    n = x.size
    degree = {
        "gauss_legendre": 2 * n - 1,
        "gauss_jacobi": 2 * n - 1,
        "gauss_lobatto": 2 * n - 3,
        "gauss_radau": 2 * n - 2,
        "clenshaw_curtis": n if n % 2 == 1 else n - 1,
        "periodic_trapezoid": n - 1,
    }[kind]
    return QuadratureRule(points=x, weights=w, degree=degree, interval=as_interval(interval))
