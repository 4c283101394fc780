"""Chebyshev points, values <-> coefficients, evaluation and calculus.

Conventions
-----------
* A Chebyshev series on ``[a, b]`` is ``f(t) = sum_k c[k] T_k(x)`` with
  ``x = (2 t - a - b)/(b - a)`` in ``[-1, 1]``; coefficient arrays have the
  coefficient axis last by default (``axis`` selects another one).
* :func:`points` returns the points in **ascending** order:
  kind 1 (roots of ``T_n``) ``x_j = -cos(pi (2j+1)/(2n))``, kind 2
  (extrema of ``T_{n-1}``) ``x_j = -cos(pi j/(n-1))``, ``j = 0..n-1``.
  :func:`vals_to_coeffs` and :func:`coeffs_to_vals` use values at the points
  in this same ascending order (the order of ``numpy.polynomial.chebyshev``
  ``chebpts1``/``chebpts2``).
* Transforms are DCTs from :mod:`scipy.fft`: DCT-II/DCT-III for kind 1,
  DCT-I for kind 2, ``O(n log n)``, batched over all other axes.
* Options that are easily mixed up positionally (``kind``, ``axis``,
  ``interval``, ``rtol``) are keyword-only.
* Size budget: every function estimates its memory and work from the sizes
  it is given and refuses, before allocating, a call beyond the budget of
  :func:`specnum.size_budget` (by default 4 GiB and about a minute of work).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import scipy.fft

from specnum._validation import as_choice, as_float_array, as_int, as_interval, as_rtol, check_budget
from specnum.bases._chebyshev_kernels import clenshaw_batch

__all__ = [
    "points",
    "vals_to_coeffs",
    "coeffs_to_vals",
    "evaluate",
    "differentiate",
    "integrate",
    "definite_integral",
    "chop",
]


def _coeff_array(coeffs: Any, name: str, axis: Any) -> tuple[np.ndarray, int]:
    if np.ndim(coeffs) == 0:  # a clearer message than the min_ndim check of as_float_array
        raise ValueError(f"{name} must have at least 1 dimension, got a scalar")
    arr = as_float_array(coeffs, name, min_ndim=1, allow_complex=True)
    return arr, _axis_index(arr, axis, name)


def _check_no_overflow(out: Any, what: str) -> None:
    """Finite input gave a non-finite result: some value exceeds the float64 range."""
    if not np.all(np.isfinite(out)):
        raise ValueError(f"{what} beyond the float64 range (overflow); rescale the input")


def _check_transform_budget(arr: np.ndarray, name: str, copies: float, work_per_entry: float) -> None:
    """Budget of a call that makes ``copies`` arrays the size of ``arr`` (complex: twice the bytes)."""
    itemsize = 16 if np.iscomplexobj(arr) else 8
    check_budget(f"{name} of shape {arr.shape}", memory=copies * itemsize * arr.size, work=work_per_entry * arr.size)


def points(n: int, *, kind: int = 1, interval: tuple[float, float] = (-1.0, 1.0)) -> np.ndarray:
    """Chebyshev points of the first or second kind, in ascending order.

    Parameters
    ----------
    n : int
        Number of points, ``n >= 1`` (kind 1) or ``n >= 2`` (kind 2).
    kind : {1, 2}, optional
        1: roots of ``T_n``; 2: extrema of ``T_{n-1}`` (endpoints included).
    interval : (float, float), optional
        Map the points affinely to ``(a, b)``; default ``(-1, 1)``.

    Returns
    -------
    ndarray, shape (n,)
        ``x_j = -cos(pi (2j+1)/(2n))`` (kind 1) or ``-cos(pi j/(n-1))``
        (kind 2), ``j = 0..n-1``, ascending, mapped to the interval.

    Raises
    ------
    TypeError, ValueError
        For a non-integer ``n``, ``n`` too small, ``kind`` not 1 or 2, a bad
        interval, or ``n`` beyond the size budget (memory ``~24 n`` bytes).

    Notes
    -----
    The points are computed as ``sin(pi (2j + 1 - n)/(2n))`` and
    ``sin(pi (2j - n + 1)/(2(n-1)))``, so on ``[-1, 1]`` they are exactly
    antisymmetric (``x == -x[::-1]``) and kind-2 endpoints are exactly ``+-1``.

    Examples
    --------
    >>> print(points(3, kind=2))
    [-1.  0.  1.]
    """
    kind = as_choice(kind, "kind", (1, 2))
    n = as_int(n, "n", minimum=kind)
    a, b = as_interval(interval)
    check_budget(f"n = {n}", memory=24.0 * n, work=30.0 * n)
    j = np.arange(n, dtype=np.float64)
    if kind == 1:
        x = np.sin(np.pi * (2.0 * j + 1.0 - n) / (2.0 * n))
    else:
        x = np.sin(np.pi * (2.0 * j - (n - 1)) / (2.0 * (n - 1)))
    if (a, b) != (-1.0, 1.0):
        x = (0.5 * a + 0.5 * b) + 0.5 * (b - a) * x  # 0.5 a + 0.5 b == 0.5 (a + b), without overflow
        if kind == 2:
            x[0], x[-1] = a, b
    return x


def vals_to_coeffs(
    values: Any, *, kind: int = 1, axis: int | tuple[int, ...] = -1, check_finite: bool = True
) -> np.ndarray:
    """Chebyshev coefficients of the interpolant through values at Chebyshev points.

    Parameters
    ----------
    values : array_like, shape (..., n, ...)
        Values at ``points(n, kind)`` (ascending order) along ``axis``; real
        or complex. ``n >= 1`` for kind 1, ``n >= 2`` for kind 2.
    kind : {1, 2}, optional
        Which Chebyshev points the values belong to.
    axis : int or tuple of int, optional
        The point axis (default last). A tuple transforms along each of those axes
        (a tensor-product interpolant) with one multi-axis DCT, which is faster than
        one call per axis.
    check_finite : bool, optional
        Check that ``values`` holds no NaN or infinity (default). ``False`` skips
        one pass over the data, for callers that have already checked; non-finite
        input then gives non-finite coefficients.

    Returns
    -------
    ndarray, same shape as ``values``
        Coefficients ``c`` with ``p(x) = sum_k c[k] T_k(x)`` along ``axis``.

    Raises
    ------
    TypeError, ValueError
        For non-numeric or non-finite values, a bad ``kind`` or ``axis`` (out of
        range or repeated), too few points, coefficients that overflow (values
        within a factor ``n`` of the float64 limit; checked with ``check_finite``),
        or ``values`` beyond the size budget (memory about three copies).

    Notes
    -----
    Kind 1: ``c_k = (2 - delta_k0)/n sum_j f_j T_k(x_j)`` via an unnormalised
    DCT-II. Kind 2: ``c_k = (2 - delta_k0 - delta_k,n-1)/(n-1) sum''_j f_j T_k(x_j)``
    (endpoint terms halved) via a DCT-I. The interval plays no role.

    A multi-axis transform of a large array runs on a copy whose rows are one
    element longer: strides that are large powers of two (``n = 128``, ``256``)
    make the transforms along the outer axes thrash the cache, and the copy
    costs less than it saves (about 30 % of a ``128^3`` transform).

    Examples
    --------
    >>> x = points(4)
    >>> print(np.round(vals_to_coeffs(x**2), 12) + 0.0)   # x^2 = (T_0 + T_2)/2 (+ 0.0 clears signed zeros)
    [0.5 0.  0.5 0. ]
    >>> X, Y = np.meshgrid(x, x, indexing="ij")
    >>> print(np.round(vals_to_coeffs(X * Y, axis=(0, 1))[1, 1], 12))   # x y = T_1(x) T_1(y)
    1.0
    """
    kind = as_choice(kind, "kind", (1, 2))
    if np.ndim(values) == 0:
        raise ValueError("values must have at least 1 dimension, got a scalar")
    arr = as_float_array(values, "values", min_ndim=1, allow_complex=True, finite=bool(check_finite))
    several = isinstance(axis, (tuple, list))
    if several and len(axis) == 0:
        raise ValueError("axis must not be an empty tuple")
    axes = [_axis_index(arr, a, "values") for a in (axis if several else [axis])]
    if len(set(axes)) != len(axes):
        raise ValueError(f"axis must not repeat an axis, got {tuple(axis)}")
    for ax in axes:
        if kind == 2 and arr.shape[ax] < 2:
            raise ValueError(f"values must have length >= 2 along axis {ax} for kind=2, got shape {arr.shape}")
    _check_transform_budget(arr, "values", 3.0, 10.0 * len(axes) * max(math.log2(max(arr.shape)), 1.0))
    # The points are stored ascending, the DCT expects cos(...) descending: the values are
    # read in reverse into the work array, with the 1/n (1/(n-1)) scaling of every axis folded
    # into that one copy; what is left are the halved end coefficients, O(size/n) work.
    scale = 1.0
    for ax in axes:
        scale /= arr.shape[ax] if kind == 1 else arr.shape[ax] - 1
    reverse = tuple(slice(None, None, -1) if ax in axes else slice(None) for ax in range(arr.ndim))
    if len(axes) > 1 and arr.ndim >= 2 and arr.size >= _PAD_MIN_SIZE:
        padded = np.empty(arr.shape[:-2] + (arr.shape[-2] + 1, arr.shape[-1] + 1), dtype=arr.dtype)
        work = padded[..., : arr.shape[-2], : arr.shape[-1]]
        np.multiply(arr[reverse], scale, out=work)
    else:
        work = arr[reverse] * scale
    dct_type = 2 if kind == 1 else 1
    c = scipy.fft.dctn(work, type=dct_type, axes=axes, overwrite_x=True)
    ends = (0,) if kind == 1 else (0, -1)
    for ax in axes:
        for e in ends:
            c[(slice(None),) * ax + (e,)] *= 0.5
    if check_finite:
        _check_no_overflow(c, "values give coefficients")
    return np.ascontiguousarray(c)


_PAD_MIN_SIZE = 1 << 15  # below this the array fits in cache and padding does not pay


def _axis_index(arr: np.ndarray, axis: Any, name: str) -> int:
    """``axis`` as an index in ``0..ndim-1``; the array must not be empty along it."""
    axis = as_int(axis, "axis", minimum=-arr.ndim, maximum=arr.ndim - 1)
    if arr.shape[axis] < 1:
        raise ValueError(f"{name} must have length >= 1 along axis {axis}, got shape {arr.shape}")
    return axis % arr.ndim


def coeffs_to_vals(coeffs: Any, *, kind: int = 1, axis: int = -1) -> np.ndarray:
    """Values of a Chebyshev series at the Chebyshev points (ascending order).

    The exact inverse of :func:`vals_to_coeffs` (up to rounding).

    Parameters
    ----------
    coeffs : array_like, shape (..., n, ...)
        Coefficients along ``axis``; real or complex.
    kind : {1, 2}, optional
        Evaluate at ``points(n, kind=1)`` or ``points(n, kind=2)`` (``n >= 2``).
    axis : int, optional
        The coefficient axis (default last).

    Returns
    -------
    ndarray, same shape as ``coeffs``
        ``sum_k c[k] T_k(x_j)`` at the ascending points, along ``axis``.

    Raises
    ------
    TypeError, ValueError
        As for :func:`vals_to_coeffs` (an overflowing result is always refused).

    Notes
    -----
    Kind 1 is an unnormalised DCT-III, kind 2 a DCT-I.

    Examples
    --------
    >>> print(np.round(coeffs_to_vals([0.0, 1.0, 0.0], kind=2), 12))   # T_1 at [-1, 0, 1]
    [-1.  0.  1.]
    """
    kind = as_choice(kind, "kind", (1, 2))
    arr, axis = _coeff_array(coeffs, "coeffs", axis)
    n = arr.shape[axis]
    if kind == 2 and n < 2:
        raise ValueError(f"coeffs must have length >= 2 along axis {axis} for kind=2, got shape {arr.shape}")
    _check_transform_budget(arr, "coeffs", 3.0, 10.0 * max(math.log2(n), 1.0))
    c = arr.copy()
    idx0 = [slice(None)] * arr.ndim
    idx0[axis] = 0
    idx0 = tuple(idx0)
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported below
        if kind == 1:
            c *= 0.5
            c[idx0] *= 2.0
            f = scipy.fft.dct(c, type=3, axis=axis)
        else:
            idx_end = list(idx0)
            idx_end[axis] = n - 1
            c *= 0.5
            c[idx0] *= 2.0
            c[tuple(idx_end)] *= 2.0
            f = scipy.fft.dct(c, type=1, axis=axis)
    _check_no_overflow(f, "coeffs give values")
    return np.ascontiguousarray(np.flip(f, axis=axis))


def evaluate(coeffs: Any, x: Any, interval: tuple[float, float] = (-1.0, 1.0)) -> np.ndarray:
    """Evaluate Chebyshev series at arbitrary points (Clenshaw's algorithm).

    Parameters
    ----------
    coeffs : array_like, shape (..., n)
        Coefficients, coefficient axis **last**, batch axes leading; real or
        complex; ``n >= 1``.
    x : array_like, any shape
        Points in ``interval`` (points outside are extrapolated).
    interval : (float, float), optional
        Interval of the series; default ``(-1, 1)``.

    Returns
    -------
    ndarray, shape ``coeffs.shape[:-1] + x.shape``
        ``out[i..., j...] = sum_k coeffs[i..., k] T_k(x_ref[j...])``.

    Raises
    ------
    TypeError, ValueError
        For non-numeric or non-finite input, a bad interval, points so far
        outside the interval that the reference variable or the series values
        overflow, or an output (``batch * npoints`` values) or work
        (``batch * n * npoints``) beyond the size budget.

    Notes
    -----
    A numba kernel loops over the points (outer), the batch and then the
    Clenshaw recurrence ``b_k = c_k + 2 x b_{k+1} - b_{k+2}``,
    ``f = c_0 + x b_1 - b_2``; cost ``O(batch * n * npoints)``.

    Examples
    --------
    >>> print(evaluate([1.0, 2.0, 3.0], [0.0, 1.0]))   # 1 + 2x + 3(2x^2 - 1)
    [-2.  6.]
    """
    if np.ndim(coeffs) == 0:
        raise ValueError("coeffs must have at least 1 dimension, got a scalar")
    c = as_float_array(coeffs, "coeffs", min_ndim=1, allow_complex=True)
    if c.shape[-1] < 1:
        raise ValueError(f"coeffs must have a last axis of length >= 1, got shape {c.shape}")
    x_shape = np.shape(x)
    xs = as_float_array(x, "x").reshape(x_shape)
    a, b = as_interval(interval)
    nbatch = c.size // c.shape[-1]
    check_budget(
        f"coeffs of shape {c.shape} at x of shape {xs.shape}",
        memory=(16.0 if np.iscomplexobj(c) else 8.0) * 2 * nbatch * xs.size + 16.0 * xs.size,
        work=3.0 * c.size * xs.size,
    )
    with np.errstate(over="ignore", invalid="ignore"):
        t = np.ascontiguousarray(((2.0 * xs - (a + b)) / (b - a)).reshape(-1))
    if not np.all(np.isfinite(t)):  # a + b or 2 x overflowed: the same map without overflow
        with np.errstate(over="ignore", invalid="ignore"):
            t = np.ascontiguousarray(((xs - (0.5 * a + 0.5 * b)) / (0.5 * b - 0.5 * a)).reshape(-1))
        if not np.all(np.isfinite(t)):
            raise ValueError(
                f"x must lie near interval = {(a, b)}: some points are so far outside that the reference "
                f"variable (2 x - a - b)/(b - a) overflows float64"
            )
    batch = c.shape[:-1]
    c2 = c.reshape(-1, c.shape[-1])
    if np.iscomplexobj(c2):
        out = evaluate(c2.real, t) + 1j * evaluate(c2.imag, t)
        return out.reshape(batch + xs.shape)
    out = np.empty((c2.shape[0], t.size))
    if t.size and c2.shape[0]:
        clenshaw_batch(np.ascontiguousarray(c2), t, out)
        # For |t| <= 1 every Clenshaw term is bounded by n**2 max|c|: only extrapolation or
        # coefficients near the float64 limit can overflow, and only then is the output checked.
        safe = np.abs(t).max() <= 1.0 and np.abs(c2).max() * float(c2.shape[1]) ** 2 < 1e300
        if not safe and not np.all(np.isfinite(out)):
            raise ValueError(
                "coeffs and x give series values beyond the float64 range (overflow), e.g. from "
                f"extrapolating far outside the interval (max |reference x| = {np.abs(t).max():.3g})"
            )
    return out.reshape(batch + xs.shape)


def differentiate(
    coeffs: Any, m: int = 1, *, axis: int = -1, interval: tuple[float, float] = (-1.0, 1.0)
) -> np.ndarray:
    """Coefficients of the ``m``-th derivative of a Chebyshev series.

    Parameters
    ----------
    coeffs : array_like, shape (..., n, ...)
        Coefficients along ``axis`` (real or complex).
    m : int, optional
        Order of the derivative, ``m >= 0`` (default 1).
    axis : int, optional
        The coefficient axis (default last).
    interval : (float, float), optional
        Interval of the series; each derivative is scaled by ``2/(b - a)``.

    Returns
    -------
    ndarray
        Shape of ``coeffs`` with length ``max(n - m, 1)`` along ``axis``
        (as :func:`numpy.polynomial.chebyshev.chebder`).

    Raises
    ------
    TypeError, ValueError
        For bad ``coeffs``, ``m``, ``axis`` or ``interval``, coefficients that
        overflow (e.g. a tiny interval), or a size beyond the budget (work
        ``~min(m, n) * (size + 1000 n)``: one pass per order).

    Notes
    -----
    Backward recurrence ``d_{k-1} = d_{k+1} + 2 k c_k`` (``k = n-1..1``),
    then ``d_0`` halved.

    Examples
    --------
    >>> print(differentiate([0.0, 0.0, 1.0]))   # T_2' = 4 T_1
    [0. 4.]
    """
    arr, axis = _coeff_array(coeffs, "coeffs", axis)
    m = as_int(m, "m", minimum=0)
    a, b = as_interval(interval)
    n_in = arr.shape[axis]
    orders = min(m, n_in)  # after n orders the series is zero
    _check_transform_budget(arr, "coeffs", 3.0, 4.0 * orders)
    check_budget(f"m = {m} with coeffs of shape {arr.shape}", work=orders * (4.0 * arr.size + 1000.0 * n_in))
    c = np.moveaxis(arr, axis, -1).copy()
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported below
        scale = 2.0 / (b - a)
        for _ in range(m):
            n = c.shape[-1]
            if n == 1:
                c = np.zeros_like(c)
                break
            d = np.zeros(c.shape[:-1] + (n - 1,), dtype=c.dtype)
            # d_{k-1} = d_{k+1} + 2k c_k
            for k in range(n - 1, 0, -1):
                d[..., k - 1] = 2.0 * k * c[..., k] + (d[..., k + 1] if k + 1 < n - 1 else 0.0)
            d[..., 0] *= 0.5
            c = d * scale
    _check_no_overflow(c, f"coeffs, m = {m} and interval = {(a, b)} give derivative coefficients")
    return np.ascontiguousarray(np.moveaxis(c, -1, axis))


def integrate(coeffs: Any, *, axis: int = -1, interval: tuple[float, float] = (-1.0, 1.0)) -> np.ndarray:
    """Coefficients of the indefinite integral that vanishes at the left end.

    Parameters
    ----------
    coeffs : array_like, shape (..., n, ...)
        Coefficients along ``axis`` (real or complex).
    axis : int, optional
        The coefficient axis (default last).
    interval : (float, float), optional
        Interval ``(a, b)`` of the series; the result is scaled by ``(b - a)/2``.

    Returns
    -------
    ndarray
        Shape of ``coeffs`` with length ``n + 1`` along ``axis``: the series
        of ``F(t) = int_a^t f(s) ds``, so ``F(a) = 0``.

    Raises
    ------
    TypeError, ValueError
        For bad ``coeffs``, ``axis`` or ``interval``, a result that overflows,
        or ``coeffs`` beyond the size budget (memory about four copies).

    Notes
    -----
    ``int T_0 = T_1``, ``int T_1 = T_2/4``, ``int T_k = T_{k+1}/(2(k+1)) - T_{k-1}/(2(k-1))``,
    i.e. ``C_1 = c_0 - c_2/2``, ``C_k = (c_{k-1} - c_{k+1})/(2k)`` for ``k >= 2``,
    and ``C_0 = -sum_{k>=1} (-1)^k C_k``.

    Examples
    --------
    >>> print(integrate([1.0]))   # int_{-1}^x 1 = 1 + x
    [1. 1.]
    """
    arr, axis = _coeff_array(coeffs, "coeffs", axis)
    a, b = as_interval(interval)
    _check_transform_budget(arr, "coeffs", 4.0, 10.0)
    c = np.moveaxis(arr, axis, -1)
    n = c.shape[-1]
    cp = np.zeros(c.shape[:-1] + (n + 2,), dtype=c.dtype)
    cp[..., :n] = c
    out = np.zeros(c.shape[:-1] + (n + 1,), dtype=c.dtype)
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported below
        out[..., 1] = cp[..., 0] - 0.5 * cp[..., 2]
        if n >= 2:
            k = np.arange(2, n + 1, dtype=np.float64)
            out[..., 2:] = (cp[..., 1:n] - cp[..., 3 : n + 2]) / (2.0 * k)
        signs = np.where(np.arange(1, n + 1) % 2 == 0, 1.0, -1.0)
        out[..., 0] = -(out[..., 1:] @ signs)
        out *= 0.5 * (b - a)
    _check_no_overflow(out, f"coeffs and interval = {(a, b)} give integral coefficients")
    return np.ascontiguousarray(np.moveaxis(out, -1, axis))


def definite_integral(coeffs: Any, *, axis: int = -1, interval: tuple[float, float] = (-1.0, 1.0)) -> Any:
    """Integral of a Chebyshev series over its interval.

    Parameters
    ----------
    coeffs : array_like, shape (..., n, ...)
        Coefficients along ``axis`` (real or complex).
    axis : int, optional
        The coefficient axis (default last).
    interval : (float, float), optional
        Interval ``(a, b)``; default ``(-1, 1)``.

    Returns
    -------
    float, complex or ndarray
        ``int_a^b f``, with ``axis`` removed.

    Raises
    ------
    TypeError, ValueError
        For bad ``coeffs``, ``axis`` or ``interval``, a result that overflows,
        or ``coeffs`` beyond the size budget (memory about one copy).

    Notes
    -----
    ``int_{-1}^{1} T_k = 2/(1 - k^2)`` for even ``k`` and 0 for odd ``k``,
    times ``(b - a)/2``.

    Examples
    --------
    >>> print(round(definite_integral([0.0, 0.0, 1.0], interval=(0, 2)), 12))   # int T_2 = -2/3
    -0.666666666667
    """
    arr, axis = _coeff_array(coeffs, "coeffs", axis)
    a, b = as_interval(interval)
    _check_transform_budget(arr, "coeffs", 1.0, 2.0)
    n = arr.shape[axis]
    moments = np.zeros(n)
    k_even = np.arange(0, n, 2, dtype=np.float64)
    moments[::2] = 2.0 / (1.0 - k_even * k_even) * (0.5 * (b - a))
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported below
        out = np.moveaxis(arr, axis, -1) @ moments
    _check_no_overflow(out, f"coeffs and interval = {(a, b)} give an integral")
    return out[()] if isinstance(out, np.ndarray) and out.ndim == 0 else out


def chop(coeffs: Any, *, rtol: float = float(np.finfo(np.float64).eps)) -> int:
    """Number of leading Chebyshev coefficients worth keeping (plateau detection).

    Parameters
    ----------
    coeffs : array_like, shape (..., n)
        Coefficients, coefficient axis last. With batch axes the largest
        magnitude over the batch is used for each degree (one common cut).
    rtol : float, optional
        Target relative accuracy, ``0 < rtol < 1`` (default machine eps).

    Returns
    -------
    int
        ``k`` in ``[1, n]``: keep ``coeffs[..., :k]``. Returns ``n`` when the
        series has not resolved (no plateau found, or ``n < 17``; this check
        comes first, as in ``standardChop``), and 1 for an all-zero series
        with ``n >= 17``.

    Raises
    ------
    TypeError, ValueError
        For bad ``coeffs`` or ``rtol``, or ``coeffs`` beyond the size budget
        (memory about two copies).

    Notes
    -----
    Follows the three steps of Aurentz & Trefethen's ``standardChop``:

    1. the monotone envelope ``e_j = max_{k >= j} |c_k| / max |c|``;
    2. a plateau starts at the first ``j`` with ``e_j = 0`` or
       ``e_{j2}/e_j > 3 (1 - log e_j / log rtol)``, ``j2 = round(1.25 j + 5)``
       (1-based), meaning the envelope decays by less than that factor over
       a stretch of ``~j/4`` coefficients while already being small;
    3. the cut is the minimiser of ``log10 e_j + (j/j2)(-log10 rtol)/3`` over
       the envelope up to the plateau (truncated where ``e`` falls below
       ``rtol^(7/6)``), which trades remaining size against length.

    References
    ----------
    J. L. Aurentz and L. N. Trefethen, Chopping a Chebyshev series,
    ACM Trans. Math. Softw. 43 (2017) 33.

    Examples
    --------
    >>> c = vals_to_coeffs(np.exp(points(64)))
    >>> 13 <= chop(c) <= 18
    True
    """
    if np.ndim(coeffs) == 0:
        raise ValueError("coeffs must have at least 1 dimension, got a scalar")
    arr = as_float_array(coeffs, "coeffs", min_ndim=1, allow_complex=True)
    tol = as_rtol(rtol)
    n = arr.shape[-1]
    if n < 1:
        raise ValueError(f"coeffs must have a last axis of length >= 1, got shape {arr.shape}")
    _check_transform_budget(arr, "coeffs", 2.0, 4.0 + 1000.0 / max(arr.size // n, 1))
    # only relative sizes enter the decisions below (max|c| is the unit), so scaling
    # coeffs by any power of ten within the float64 range gives the same cut
    mag = np.abs(arr).reshape(-1, n).max(axis=0)
    if n < 17:
        return n
    # step 1: normalised monotone envelope
    env = np.maximum.accumulate(mag[::-1])[::-1]
    if env[0] == 0.0:
        return 1
    env = env / env[0]
    # step 2: plateau point (1-based indices j, j2 as in the paper)
    log_tol = math.log(tol)
    plateau = None
    j2 = n
    for j in range(2, n + 1):
        j2 = int(round(1.25 * j + 5))
        if j2 > n:
            return n  # no plateau: not resolved
        e1 = env[j - 1]
        e2 = env[j2 - 1]
        ratio = 3.0 * (1.0 - math.log(e1) / log_tol) if e1 > 0 else 0.0
        if e1 == 0.0 or e2 / e1 > ratio:
            plateau = j - 1
            break
    if plateau is None:  # pragma: no cover - the loop always returns or breaks
        return n
    if env[plateau - 1] == 0.0:
        return plateau
    # step 3: the cut point on the envelope up to the plateau
    floor = tol ** (7.0 / 6.0)
    j3 = int(np.count_nonzero(env >= floor))
    env = env.copy()
    if j3 < j2:
        j2 = j3 + 1
        env[j2 - 1] = floor
    cc = np.log10(env[:j2]) + np.linspace(0.0, -math.log10(tol) / 3.0, j2)
    d = int(np.argmin(cc)) + 1
    return max(d - 1, 1)
