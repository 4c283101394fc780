"""Public test helpers: convergence orders and rotation equivariance.

These are meant for users' own test suites as much as for specnum's:

>>> import numpy as np
>>> from specnum.testing import observed_order, assert_convergence_order
>>> ns = np.array([8, 16, 32, 64])
>>> errors = 3.0 * ns**-2.5
>>> round(observed_order(ns, errors), 12)
2.5
>>> round(assert_convergence_order(ns, errors, expected=2.5), 9)
2.5
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from specnum._validation import as_float, as_float_array, as_int, check_budget, flat_sh_lmax

__all__ = [
    "observed_order",
    "pairwise_orders",
    "assert_convergence_order",
    "assert_rotation_equivariant",
]


def _check_ns_errors(ns, errors) -> tuple[np.ndarray, np.ndarray]:
    ns = as_float_array(ns, "ns", ndim=1)
    errors = as_float_array(errors, "errors", ndim=1)
    if ns.shape != errors.shape:
        raise ValueError(f"ns and errors must have the same length, got {ns.size} and {errors.size}")
    if ns.size < 2:
        raise ValueError(f"ns must hold at least 2 resolutions, got {ns.size}")
    if np.any(ns <= 0):
        raise ValueError("ns must be positive")
    if np.any(errors <= 0):
        raise ValueError("errors must be positive (an exact zero error has no order; check the reference)")
    if np.unique(ns).size != ns.size:
        raise ValueError("ns must be distinct")
    return ns, errors


def pairwise_orders(ns: Sequence[float], errors: Sequence[float]) -> np.ndarray:
    """Observed orders between consecutive resolutions.

    Parameters
    ----------
    ns : array_like, shape (k,)
        Resolutions (number of elements, degrees of freedom, ...), k >= 2.
    errors : array_like, shape (k,)
        Positive errors at those resolutions.

    Returns
    -------
    ndarray, shape (k - 1,)
        ``-log(e[i+1]/e[i]) / log(n[i+1]/n[i])``, so ``e ~ C n**-order`` gives ``order``.

    Raises
    ------
    ValueError, TypeError
        As :func:`observed_order`.

    Examples
    --------
    >>> pairwise_orders([10, 20, 40], [1e-2, 2.5e-3, 6.25e-4]).round(12).tolist()
    [2.0, 2.0]
    """
    ns, errors = _check_ns_errors(ns, errors)
    return -np.diff(np.log(errors)) / np.diff(np.log(ns))


def observed_order(ns: Sequence[float], errors: Sequence[float]) -> float:
    """Least-squares slope of ``-log(error)`` against ``log(n)``.

    Parameters
    ----------
    ns : array_like, shape (k,)
        Distinct positive resolutions, k >= 2.
    errors : array_like, shape (k,)
        Positive errors.

    Returns
    -------
    float
        The fitted order p of ``error ~ C n**-p``.

    Raises
    ------
    ValueError, TypeError
        If the arrays are not 1-d real arrays of the same length, hold fewer than two
        points, NaN or infinity, repeated ``ns``, or values that are not positive.

    Examples
    --------
    >>> round(observed_order([4, 8, 16], [1.0, 0.125, 0.015625]), 12)
    3.0
    """
    ns, errors = _check_ns_errors(ns, errors)
    slope = np.polyfit(np.log(ns), np.log(errors), 1)[0]
    return float(-slope)


def assert_convergence_order(
    ns: Sequence[float], errors: Sequence[float], expected: float, *, tol: float = 0.1
) -> float:
    """Assert that the fitted convergence order is within ``tol`` of ``expected``.

    Parameters
    ----------
    ns, errors : array_like, shape (k,)
        Resolutions and positive errors (see :func:`observed_order`).
    expected : float
        The theoretical order.
    tol : float, optional
        Allowed absolute deviation of the fitted order (default 0.1).

    Returns
    -------
    float
        The fitted order, when the assertion holds.

    Raises
    ------
    AssertionError
        With the fitted order and the pairwise orders, when ``|fitted - expected| > tol``.
    ValueError, TypeError
        For bad ``ns``/``errors`` (as :func:`observed_order`), a non-finite
        ``expected`` or a negative or non-finite ``tol``.

    Examples
    --------
    >>> round(assert_convergence_order([16, 32, 64], [4e-3, 1e-3, 2.5e-4], expected=2.0), 9)
    2.0
    """
    expected = as_float(expected, "expected")
    tol = as_float(tol, "tol", low=0.0)
    fitted = observed_order(ns, errors)
    if not abs(fitted - expected) <= tol:
        pairs = ", ".join(f"{o:.3f}" for o in pairwise_orders(ns, errors))
        raise AssertionError(
            f"observed convergence order {fitted:.3f} differs from expected {expected:.3f} by more than "
            f"{tol:g}; pairwise orders: [{pairs}]; ns = {list(np.asarray(ns).tolist())}, "
            f"errors = {[float(f'{e:.3e}') for e in np.asarray(errors, dtype=float)]}"
        )
    return fitted


def assert_rotation_equivariant(
    fn: Callable[..., np.ndarray],
    inputs: Sequence[np.ndarray],
    *,
    rng: np.random.Generator | int | None = 0,
    n_rotations: int = 3,
    rtol: float = 1e-12,
    atol: float = 1e-14,
) -> float:
    """Assert ``fn(D_1 x_1, D_2 x_2, ...) == D_out fn(x_1, x_2, ...)`` for random rotations.

    Every input and the output are real spherical-harmonic coefficient arrays in the
    flat order ``l*l + l + m`` (see :mod:`specnum.bases.sphharm`), of shape
    ``(..., (L+1)**2)``; ``D`` is the real Wigner matrix of the rotation, so that a
    function ``f = sum_k x[k] Y_k`` rotated by ``R`` has coefficients ``D(R) x``.

    Parameters
    ----------
    fn : callable
        Maps the inputs to an array of shape ``(..., (Lout+1)**2)``.
    inputs : sequence of ndarray
        The arguments, each of shape ``(..., (L_i+1)**2)``.
    rng : numpy.random.Generator, int or None, optional
        Source of the random rotations (default seed 0).
    n_rotations : int, optional
        How many rotations to try (default 3).
    rtol, atol : float, optional
        The check is ``max|lhs - rhs| <= atol + rtol * max|rhs|``.

    Returns
    -------
    float
        The largest relative equivariance error seen.

    Raises
    ------
    AssertionError
        If some rotation violates the tolerance.
    ValueError, TypeError
        For a ``fn`` that is not callable, ``inputs`` that are not a sequence of
        real arrays with a last axis ``(L+1)**2``, a bad ``n_rotations``,
        ``rtol`` or ``atol``, or Wigner matrices (``(L+1)**4`` values per degree)
        and work beyond the size budget.

    Examples
    --------
    >>> import numpy as np
    >>> square = lambda x: x * np.linalg.norm(x[..., 1:4], axis=-1, keepdims=True)
    >>> x = np.random.default_rng(1).normal(size=(2, 4))
    >>> err = assert_rotation_equivariant(square, [x])
    """
    from specnum.bases.sphharm import random_rotation, wigner_D_real

    if not callable(fn):
        raise TypeError(f"fn must be callable, got {type(fn).__name__}")
    if isinstance(inputs, (str, bytes, np.ndarray)) or not isinstance(inputs, Sequence):
        raise TypeError(f"inputs must be a list or tuple of arrays, got {type(inputs).__name__}")
    n_rotations = as_int(n_rotations, "n_rotations", minimum=1)
    rtol = as_float(rtol, "rtol", low=0.0)
    atol = as_float(atol, "atol", low=0.0)
    arrays = [as_float_array(x, f"inputs[{i}]", min_ndim=1) for i, x in enumerate(inputs)]
    lmaxes = [flat_sh_lmax(x.shape[-1], f"inputs[{i}]") for i, x in enumerate(arrays)]
    _check_rotation_budget(lmaxes, arrays, n_rotations, "inputs")
    try:
        rng = np.random.default_rng(rng)
    except (TypeError, ValueError):
        raise TypeError(f"rng must be a numpy Generator, an int seed or None, got {rng!r}") from None
    out = np.asarray(fn(*arrays))
    lmax_out = flat_sh_lmax(out.shape[-1], "fn(...) output")
    _check_rotation_budget([lmax_out], [out], n_rotations, "fn(...) output")
    worst = 0.0
    for _ in range(n_rotations):
        R = random_rotation(rng)
        rotated = [x @ wigner_D_real(L, R).T for x, L in zip(arrays, lmaxes)]
        lhs = np.asarray(fn(*rotated))
        rhs = out @ wigner_D_real(lmax_out, R).T
        err = float(np.max(np.abs(lhs - rhs), initial=0.0))
        scale = float(np.max(np.abs(rhs), initial=0.0))
        if not err <= atol + rtol * scale:
            raise AssertionError(
                f"not rotation equivariant: max |f(D x) - D f(x)| = {err:.3e} exceeds "
                f"atol + rtol * max|D f(x)| = {atol + rtol * scale:.3e}"
            )
        worst = max(worst, err / scale if scale > 0 else err)
    return worst


def _check_rotation_budget(lmaxes: list[int], arrays: list[np.ndarray], n_rotations: int, name: str) -> None:
    """Wigner matrices of size ((L+1)**2)**2 per degree, applied to every array, n_rotations times."""
    dims = [(L + 1) ** 2 for L in lmaxes]
    memory = sum(8.0 * d * d + 16.0 * x.size for d, x in zip(dims, arrays))
    work = n_rotations * sum(30.0 * float(L + 1) ** 4 + 2.0 * x.size * d for L, d, x in zip(lmaxes, dims, arrays))
    what = f"{name} of degree(s) L = {sorted(set(lmaxes))} with n_rotations = {n_rotations}"
    check_budget(what, memory=memory, work=work)
