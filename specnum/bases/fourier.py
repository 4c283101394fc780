"""Fourier conventions in one place: wavenumbers, centred coefficients, FFT helpers.

Convention
----------
A 2D trigonometric polynomial of degree ``L`` is stored as a *centred*
complex coefficient array ``F`` of shape ``(..., 2L+1, 2L+1)`` (batch axes
leading) with

    ``f(theta, phi) = sum_{u,v=-L..L} F[..., u+L, v+L] exp(i (u theta + v phi))``.

The 1D analogue is ``f(theta) = sum_{u=-L..L} F[..., u+L] exp(i u theta)``.
Grid samples are taken at ``theta_j = 2 pi j / N`` (``j = 0..N-1``), and the
forward transform carries the ``1/N`` factor (``scipy.fft`` ``norm='forward'``):

    ``F[u+L] = (1/N) sum_j f(theta_j) exp(-i u theta_j)``,

so :func:`fft_centered` maps samples to coefficients and :func:`ifft_centered`
evaluates the series on the grid; they are exact inverses whenever
``N >= 2L + 1``. The product of two series has the coefficients of the
full linear convolution (:func:`linear_convolve_2d`).

Sample and coefficient axes must be non-empty (batch axes may be empty), and
every function refuses, before allocating, a call whose memory or work
exceeds the size budget of :func:`specnum.size_budget` (by default 4 GiB and
about a minute of work). A result beyond the float64 range (finite input near
the float64 limit) raises ``ValueError`` instead of returning inf or NaN.
``axis`` is keyword-only.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import scipy.fft

from specnum._validation import as_float, as_float_array, as_int, check_budget

__all__ = [
    "wavenumbers",
    "centered_indices",
    "fft_centered",
    "ifft_centered",
    "fft2_centered",
    "ifft2_centered",
    "linear_convolve_2d",
    "fourier_series_eval",
]


def _array(value: Any, name: str, min_ndim: int) -> np.ndarray:
    if np.ndim(value) < min_ndim:
        raise ValueError(f"{name} must have at least {min_ndim} dimension(s), got shape {np.shape(value)}")
    return as_float_array(value, name, min_ndim=min_ndim, allow_complex=True)


def _nonempty(arr: np.ndarray, name: str, axes: tuple[int, ...]) -> None:
    if any(arr.shape[ax] == 0 for ax in axes):
        raise ValueError(f"{name} must have non-empty sample/coefficient axes, got shape {arr.shape}")


def _finite_result(out: np.ndarray, what: str) -> np.ndarray:
    """Finite input gave a non-finite result only through overflow: refuse it."""
    if not np.all(np.isfinite(out)):
        raise ValueError(f"{what} give results beyond the float64 range (overflow); rescale the input")
    return out


def _fft_budget(what: str, complex_entries: float, work_entries: float, length: int) -> None:
    """Budget of FFTs over ``work_entries`` values that allocate ``complex_entries`` complex128 values."""
    check_budget(what, memory=16.0 * complex_entries, work=5.0 * work_entries * max(math.log2(max(length, 2)), 1.0))


def _centred_degree(size: int, name: str) -> int:
    if size % 2 == 0:
        raise ValueError(f"{name} must have odd length 2L+1 along its coefficient axes, got {size}")
    return (size - 1) // 2


def wavenumbers(n: int, length: float = 2.0 * math.pi) -> np.ndarray:
    """Angular wavenumbers of an ``n``-point FFT on a period ``length``, in FFT order.

    Parameters
    ----------
    n : int
        Number of grid points, ``n >= 1``.
    length : float, optional
        Period, ``> 0`` (default ``2 pi``, giving integer wavenumbers).

    Returns
    -------
    ndarray, shape (n,)
        ``(2 pi / length) * [0, 1, ..., ceil(n/2)-1, -floor(n/2), ..., -1]``
        (the order of :func:`scipy.fft.fftfreq`; for even ``n`` the Nyquist
        mode is negative).

    Raises
    ------
    TypeError, ValueError
        For a non-integer or non-positive ``n``, a non-positive ``length`` (or
        one so small that ``2 pi / length`` overflows), or ``n`` beyond the
        size budget (memory ``~16 n`` bytes).

    Examples
    --------
    >>> print(wavenumbers(5))
    [ 0.  1.  2. -2. -1.]
    """
    n = as_int(n, "n", minimum=1)
    length = as_float(length, "length", low=0.0, low_open=True)
    unit = 2.0 * math.pi / length
    if not math.isfinite(unit):
        raise ValueError(f"length must be large enough for 2 pi / length to be finite, got {length!r}")
    check_budget(f"n = {n}", memory=16.0 * n, work=4.0 * n)
    # integers in FFT order built exactly (fftfreq(n, d=1/n) scales by 1/(n*(1/n)), which is
    # not 1 in float64 for e.g. n = 49), then one multiplication: exact integers for 2 pi
    k = np.arange(n, dtype=np.float64)
    k[(n + 1) // 2 :] -= n
    return k * unit


def centered_indices(L: int) -> np.ndarray:
    """The integer wavenumbers ``-L, ..., L`` of a centred coefficient axis.

    Parameters
    ----------
    L : int
        Degree, ``L >= 0``.

    Returns
    -------
    ndarray of int64, shape (2L+1,)
        ``u`` such that entry ``u + L`` of a centred axis holds wavenumber ``u``.

    Raises
    ------
    TypeError, ValueError
        For a non-integer or negative ``L``, or ``L`` beyond the size budget
        (memory ``~16 L`` bytes).

    Examples
    --------
    >>> print(centered_indices(2))
    [-2 -1  0  1  2]
    """
    L = as_int(L, "L", minimum=0)
    check_budget(f"L = {L}", memory=8.0 * (2 * L + 1), work=2.0 * L + 1)
    return np.arange(-L, L + 1, dtype=np.int64)


def fft_centered(values: Any, L: int | None = None, *, axis: int = -1) -> np.ndarray:
    """Centred Fourier coefficients from equispaced samples along one axis.

    Parameters
    ----------
    values : array_like, shape (..., N, ...)
        Samples ``f(2 pi j / N)``, ``j = 0..N-1``, along ``axis`` (real or complex).
    L : int, optional
        Degree to return, ``0 <= L``, ``2L + 1 <= N``; default ``(N - 1) // 2``.
    axis : int, optional
        Sample axis (default last).

    Returns
    -------
    ndarray of complex128
        Shape of ``values`` with length ``2L + 1`` along ``axis``:
        ``F[u+L] = (1/N) sum_j f_j exp(-2 pi i u j / N)``.

    Raises
    ------
    TypeError, ValueError
        For bad input (non-numeric, non-finite, no samples along ``axis``),
        ``axis`` or ``L``, ``values`` beyond the size budget (memory about
        two complex copies), or a result that overflows.

    Examples
    --------
    >>> t = 2 * np.pi * np.arange(5) / 5
    >>> print(np.round(fft_centered(np.cos(t)).real, 12) + 0.0)
    [0.  0.5 0.  0.5 0. ]
    """
    arr = _array(values, "values", 1)
    axis = as_int(axis, "axis", minimum=-arr.ndim, maximum=arr.ndim - 1)
    _nonempty(arr, "values", (axis,))
    n = arr.shape[axis]
    L = (n - 1) // 2 if L is None else as_int(L, "L", minimum=0, maximum=(n - 1) // 2)
    _fft_budget(f"values of shape {arr.shape}", 2.0 * arr.size, arr.size, n)
    full = scipy.fft.fft(arr, axis=axis, norm="forward")
    return _finite_result(np.ascontiguousarray(np.take(full, np.arange(-L, L + 1) % n, axis=axis)), "values")


def ifft_centered(coeffs: Any, n: int | None = None, *, axis: int = -1) -> np.ndarray:
    """Values of a centred 1D Fourier series on the grid ``2 pi j / n``.

    Parameters
    ----------
    coeffs : array_like, shape (..., 2L+1, ...)
        Centred coefficients along ``axis``.
    n : int, optional
        Number of grid points, ``n >= 2L + 1`` (default ``2L + 1``).
    axis : int, optional
        Coefficient axis (default last).

    Returns
    -------
    ndarray of complex128
        Shape of ``coeffs`` with length ``n`` along ``axis``.

    Raises
    ------
    TypeError, ValueError
        For bad input, an even coefficient length, ``n < 2L + 1``, an output
        (``batch * n`` complex values) beyond the size budget, or a result
        that overflows.

    Examples
    --------
    >>> print(np.round(ifft_centered([0.5, 0.0, 0.5], n=4).real, 12))   # cos on 4 points
    [ 1.  0. -1.  0.]
    """
    arr = _array(coeffs, "coeffs", 1)
    axis = as_int(axis, "axis", minimum=-arr.ndim, maximum=arr.ndim - 1) % arr.ndim
    L = _centred_degree(arr.shape[axis], "coeffs")
    n = 2 * L + 1 if n is None else as_int(n, "n", minimum=2 * L + 1)
    batch = arr.size // arr.shape[axis]
    _fft_budget(f"n = {n} with coeffs of shape {arr.shape}", 2.0 * batch * n, batch * n, n)
    shape = list(arr.shape)
    shape[axis] = n
    pad = np.zeros(shape, dtype=np.complex128)
    idx = [slice(None)] * arr.ndim
    idx[axis] = np.arange(-L, L + 1) % n
    pad[tuple(idx)] = arr
    return _finite_result(np.ascontiguousarray(scipy.fft.ifft(pad, axis=axis, norm="forward")), "coeffs")


def fft2_centered(values: Any, L: int | None = None) -> np.ndarray:
    """Centred 2D Fourier coefficients from samples on an equispaced grid.

    Parameters
    ----------
    values : array_like, shape (..., N1, N2)
        Samples ``f(2 pi j / N1, 2 pi k / N2)`` (real or complex).
    L : int, optional
        Degree, ``2L + 1 <= min(N1, N2)``; default ``(min(N1, N2) - 1) // 2``.

    Returns
    -------
    ndarray of complex128, shape (..., 2L+1, 2L+1)
        ``F[u+L, v+L] = (1/(N1 N2)) sum_{j,k} f_jk exp(-i (u theta_j + v phi_k))``.

    Raises
    ------
    TypeError, ValueError
        For bad input (non-numeric, non-finite, fewer than 2 dimensions or
        empty last axes) or ``L``, ``values`` beyond the size budget, or a
        result that overflows.

    Notes
    -----
    Inverse of :func:`ifft2_centered` when ``N1, N2 >= 2L + 1``.

    Examples
    --------
    >>> F = np.zeros((3, 3)); F[2, 1] = 1.0          # exp(i theta)
    >>> bool(np.allclose(fft2_centered(ifft2_centered(F, shape=(4, 5))), F))
    True
    """
    arr = _array(values, "values", 2)
    _nonempty(arr, "values", (-2, -1))
    n1, n2 = arr.shape[-2:]
    _fft_budget(f"values of shape {arr.shape}", 2.0 * arr.size, arr.size, n1 * n2)
    lmax = (min(n1, n2) - 1) // 2
    L = lmax if L is None else as_int(L, "L", minimum=0, maximum=lmax)
    full = scipy.fft.fft2(arr, norm="forward")
    k = np.arange(-L, L + 1)
    return _finite_result(np.ascontiguousarray(full[..., (k % n1)[:, None], (k % n2)[None, :]]), "values")


def ifft2_centered(coeffs: Any, shape: tuple[int, int] | None = None) -> np.ndarray:
    """Values of a centred 2D Fourier series on an equispaced grid.

    Parameters
    ----------
    coeffs : array_like, shape (..., 2L+1, 2L+1)
        Centred coefficients (the convention of this module).
    shape : (int, int), optional
        Grid size ``(N1, N2)``, each ``>= 2L + 1``; default ``(2L+1, 2L+1)``.

    Returns
    -------
    ndarray of complex128, shape (..., N1, N2)
        ``f(2 pi j / N1, 2 pi k / N2)``.

    Raises
    ------
    TypeError, ValueError
        For bad input, non-square or even-sized coefficient axes, a grid that
        is too small, an output (``batch * N1 * N2`` complex values) beyond
        the size budget, or a result that overflows.

    Examples
    --------
    >>> F = np.zeros((3, 3)); F[1, 1] = 2.0         # the constant 2
    >>> print(ifft2_centered(F).real)
    [[2. 2. 2.]
     [2. 2. 2.]
     [2. 2. 2.]]
    """
    arr = _array(coeffs, "coeffs", 2)
    if arr.shape[-1] != arr.shape[-2]:
        raise ValueError(f"coeffs must have square last two axes (2L+1, 2L+1), got shape {arr.shape}")
    L = _centred_degree(arr.shape[-1], "coeffs")
    if shape is None:
        n1 = n2 = 2 * L + 1
    else:
        try:
            n1, n2 = shape
        except (TypeError, ValueError):
            raise TypeError(f"shape must be a pair of integers, got {shape!r}") from None
        n1 = as_int(n1, "shape[0]", minimum=2 * L + 1)
        n2 = as_int(n2, "shape[1]", minimum=2 * L + 1)
    batch = arr.size // (arr.shape[-1] * arr.shape[-2])
    _fft_budget(f"shape = {(n1, n2)} with coeffs of shape {arr.shape}", 2.0 * batch * n1 * n2, batch * n1 * n2, n1 * n2)
    pad = np.zeros(arr.shape[:-2] + (n1, n2), dtype=np.complex128)
    k = np.arange(-L, L + 1)
    pad[..., (k % n1)[:, None], (k % n2)[None, :]] = arr
    return _finite_result(np.ascontiguousarray(scipy.fft.ifft2(pad, norm="forward")), "coeffs")


def linear_convolve_2d(a: Any, b: Any) -> np.ndarray:
    """Full linear 2D convolution over the last two axes, by zero-padded FFTs.

    Parameters
    ----------
    a : array_like, shape (..., m1, n1)
        First array, e.g. centred coefficients ``(..., 2L1+1, 2L1+1)``.
    b : array_like, shape (..., m2, n2)
        Second array, e.g. ``(..., 2L2+1, 2L2+1)``; the batch axes of ``a``
        and ``b`` broadcast.

    Returns
    -------
    ndarray, shape (..., m1+m2-1, n1+n2-1)
        ``c[p, q] = sum_{i,j} a[i, j] b[p-i, q-j]`` (as
        ``scipy.signal.convolve2d(a, b, mode='full')``); float64 if both
        inputs are real, else complex128. For centred inputs the result is
        centred with degree ``L1 + L2``: the coefficients of the product of
        the two series.

    Raises
    ------
    TypeError, ValueError
        For non-numeric, non-finite or less than 2-d input, empty last two
        axes, batch shapes that do not broadcast, or padded transforms
        (``batch * P1 * P2`` complex values, three of them) beyond the size
        budget, or a result that overflows.

    Notes
    -----
    Both arrays are zero-padded to :func:`scipy.fft.next_fast_len` of the
    full size (real FFTs for real input), multiplied and transformed back:
    ``O(M^2 log M)`` per batch entry with ``M = m1 + m2 - 1``. The rounding
    error is of order ``eps * sum|a| * sum|b|`` (absolute), not relative per
    entry.

    Examples
    --------
    >>> a = np.zeros((3, 3)); a[1, 2] = 1.0          # exp(i phi)
    >>> c = linear_convolve_2d(a, a)                  # exp(2 i phi): entry (2, 4) of a 5x5 array
    >>> print(int(np.argmax(np.abs(c))), round(float(c[2, 4]), 12))
    14 1.0
    """
    x = _array(a, "a", 2)
    y = _array(b, "b", 2)
    _nonempty(x, "a", (-2, -1))
    _nonempty(y, "b", (-2, -1))
    try:
        batch = np.broadcast_shapes(x.shape[:-2], y.shape[:-2])
    except ValueError:
        raise ValueError(
            f"a and b must have broadcastable batch shapes, got {x.shape[:-2]} and {y.shape[:-2]}"
        ) from None
    m = x.shape[-2] + y.shape[-2] - 1
    n = x.shape[-1] + y.shape[-1] - 1
    nbatch = math.prod(batch)
    _fft_budget(
        f"a of shape {x.shape} and b of shape {y.shape}", 4.0 * max(nbatch, 1) * m * n, 3.0 * nbatch * m * n, m * n
    )
    pm = scipy.fft.next_fast_len(m, real=True)
    pn = scipy.fft.next_fast_len(n, real=True)
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported below
        if np.iscomplexobj(x) or np.iscomplexobj(y):
            fx = scipy.fft.fft2(x, s=(pm, pn))
            fy = scipy.fft.fft2(y, s=(pm, pn))
            out = scipy.fft.ifft2(fx * fy)[..., :m, :n]
        else:
            fx = scipy.fft.rfft2(x, s=(pm, pn))
            fy = scipy.fft.rfft2(y, s=(pm, pn))
            out = scipy.fft.irfft2(fx * fy, s=(pm, pn))[..., :m, :n]
    _finite_result(out, "a and b")
    return np.ascontiguousarray(np.broadcast_to(out, batch + (m, n)))


def fourier_series_eval(coeffs: Any, theta: Any, phi: Any) -> np.ndarray:
    """Evaluate a centred 2D Fourier series at scattered points.

    Parameters
    ----------
    coeffs : array_like, shape (..., 2L+1, 2L+1)
        Centred coefficients.
    theta, phi : array_like
        Angles; broadcast together to a shape ``P``.

    Returns
    -------
    ndarray of complex128, shape ``coeffs.shape[:-2] + P``
        ``sum_{u,v} F[..., u+L, v+L] exp(i (u theta + v phi))``.

    Raises
    ------
    TypeError, ValueError
        For bad input, non-square or even-sized coefficient axes, angle
        arrays that do not broadcast, or memory (``(batch + 2) (2L+1) P``
        complex values) or work (``batch (2L+1)^2 P``) beyond the size budget,
        or a result that overflows.

    Notes
    -----
    Direct summation in two stages (over ``v``, then ``u``),
    ``O(batch * L^2 * P)``.

    Examples
    --------
    >>> F = np.zeros((3, 3), complex); F[2, 1] = 0.5; F[0, 1] = 0.5   # cos(theta)
    >>> print(np.round(fourier_series_eval(F, [0.0, np.pi], 0.3).real, 12))
    [ 1. -1.]
    """
    arr = _array(coeffs, "coeffs", 2)
    if arr.shape[-1] != arr.shape[-2]:
        raise ValueError(f"coeffs must have square last two axes (2L+1, 2L+1), got shape {arr.shape}")
    L = _centred_degree(arr.shape[-1], "coeffs")
    th_shape, ph_shape = np.shape(theta), np.shape(phi)
    th = as_float_array(theta, "theta").reshape(th_shape)
    ph = as_float_array(phi, "phi").reshape(ph_shape)
    try:
        th, ph = np.broadcast_arrays(th, ph)
    except ValueError:
        raise ValueError(f"theta and phi must broadcast, got shapes {th_shape} and {ph_shape}") from None
    pshape = th.shape
    npts = th.size
    nbatch = arr.size // (arr.shape[-1] * arr.shape[-2])
    check_budget(
        f"coeffs of shape {arr.shape} at {npts} points",
        memory=16.0 * (nbatch + 2) * (2 * L + 1) * npts + 16.0 * nbatch * npts,
        work=8.0 * nbatch * (2 * L + 1) ** 2 * npts,
    )
    th = th.reshape(-1)
    ph = ph.reshape(-1)
    k = np.arange(-L, L + 1, dtype=np.float64)
    e_theta = np.exp(1j * k[:, None] * th[None, :])  # (2L+1, P)
    e_phi = np.exp(1j * k[:, None] * ph[None, :])  # (2L+1, P)
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported below
        partial = arr.astype(np.complex128) @ e_phi  # (..., 2L+1 [u], P)
        out = np.einsum("...up,up->...p", partial, e_theta)
    return _finite_result(out, "coeffs").reshape(arr.shape[:-2] + pshape)
