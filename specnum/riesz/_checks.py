"""Argument rules of the Riesz pillar and its size estimates (internal).

Every public function of :mod:`specnum.riesz` validates its arguments through
these helpers (which build on the shared :mod:`specnum._validation`), so the
same mistake is worded the same way everywhere, and refuses hopeless sizes
through :func:`specnum._validation.check_budget` before any work.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from specnum._validation import as_float, as_float_array, as_int, check_budget

__all__ = [
    "MAX_DEGREE",
    "check_alpha",
    "check_degree",
    "check_elements",
    "check_open_knots",
    "source_values",
    "budget_structure",
    "budget_dense",
    "budget_points",
]

#: largest spline degree accepted (the symbol and the far-field tables are tested up to here)
MAX_DEGREE = 30

# elementary operations of one fractional derivative of one B-spline at one point (far field,
# element multipoles or truncated powers): a generous constant for the size estimates
_EVAL_WORK = 200


def check_alpha(alpha: Any) -> float:
    """Return ``alpha`` as a float in the open interval (1, 2) or raise.

    Raises
    ------
    TypeError
        If ``alpha`` is not a real number.
    ValueError
        If ``alpha`` is not finite or not strictly between 1 and 2.
    """
    return as_float(alpha, "alpha", low=1.0, high=2.0, low_open=True, high_open=True)


def check_degree(degree: Any, *, maximum: int = MAX_DEGREE) -> int:
    """Return ``degree`` as an int in ``[2, maximum]`` or raise.

    Degree 1 is excluded: the Riesz derivative of a hat function is infinite at
    its kinks when ``alpha > 1`` (the symbol series diverges for ``p <= alpha``).
    """
    if isinstance(degree, (int, np.integer)) and not isinstance(degree, (bool, np.bool_)) and degree == 1:
        raise ValueError(
            "degree must be an integer >= 2 (p = 1 is undefined: the Riesz derivative of a "
            "piecewise-linear spline is infinite at the knots for alpha > 1), got 1"
        )
    return as_int(degree, "degree", minimum=2, maximum=maximum)


def check_elements(n: Any, degree: int) -> int:
    """Return the number of elements ``n`` as an int, at least ``max(2, degree)``.

    With fewer than ``degree`` elements the interior (cardinal) part of the
    basis is empty and the Toeplitz structure degenerates.
    """
    return as_int(n, "n", minimum=max(2, degree))


def check_open_knots(knots: Any, degree: int, name: str = "knots") -> np.ndarray:
    """Return an open knot vector with maximal smoothness as a new float64 array.

    Rules: finite, 1-D, non-decreasing; the first and the last value repeated
    exactly ``degree + 1`` times (open / clamped); every interior knot simple
    (``C^{p-1}`` smoothness); at least ``max(2, degree)`` elements, so that the
    two end B-splines can be dropped and ``N = n + p - 2 >= p`` unknowns remain.

    Raises
    ------
    TypeError, ValueError
        Naming ``name`` and the violated rule.
    """
    t = as_float_array(knots, name, ndim=1).copy()
    p = degree
    if t.size < 2 * (p + 1):
        raise ValueError(f"{name} must have at least 2*(degree+1) = {2 * (p + 1)} entries, got {t.size}")
    step = np.diff(t)
    if np.any(step < 0):
        k = int(np.argmax(step < 0))
        raise ValueError(f"{name} must be non-decreasing (sorted), got {name}[{k}] = {t[k]!r} > {name}[{k + 1}] = "
                         f"{t[k + 1]!r}")
    a, b = t[0], t[-1]
    if not (np.all(t[: p + 1] == a) and np.all(t[-p - 1 :] == b)) or t[p + 1] == a or t[-p - 2] == b:
        raise ValueError(
            f"{name} must be an open knot vector: the first and the last value repeated exactly degree+1 = "
            f"{p + 1} times, got {int(np.count_nonzero(t == a))} and {int(np.count_nonzero(t == b))}"
        )
    interior = t[p + 1 : t.size - p - 1]
    if interior.size and np.any(np.diff(interior) == 0):
        raise ValueError(f"{name} must have simple interior knots (maximal smoothness C^(degree-1)), "
                         f"got a repeated interior knot")
    n = interior.size + 1
    if n < max(2, p):
        raise ValueError(f"{name} must have at least max(2, degree) = {max(2, p)} elements, got {n}")
    if not np.all(np.isfinite(np.diff(t))) or not (b - a) > 0:
        raise ValueError(f"{name} must span a finite interval of positive length, got [{a!r}, {b!r}]")
    return t


def source_values(source: Callable | Any, points: np.ndarray, name: str = "source") -> np.ndarray:
    """Values of ``source`` at ``points`` (callable) or ``source`` itself (array), checked.

    The callable is called once with a copy of ``points`` (shape ``(m,)``) and
    must return real values of that shape; an array must have shape ``(m,)``.
    Every value must be finite.

    Raises
    ------
    TypeError, ValueError
        Naming ``name``.
    """
    size = points.shape[0]
    if callable(source):
        vals = source(np.array(points))
        try:
            vals = np.asarray(vals)
        except (TypeError, ValueError):  # pragma: no cover - numpy's own conversion error
            raise TypeError(f"{name} must return real numbers, got {type(vals).__name__}") from None
        if vals.dtype == object or np.iscomplexobj(vals) or not (
            np.issubdtype(vals.dtype, np.number) or vals.dtype == np.bool_
        ):
            raise TypeError(f"{name} must return real numbers, got an array of dtype {vals.dtype}")
        vals = np.asarray(vals, dtype=np.float64)
        if vals.shape != (size,):
            raise ValueError(
                f"{name} callable must return an array of shape ({size},) (one value per point), "
                f"got shape {vals.shape}"
            )
    else:
        vals = as_float_array(source, name, ndim=1, finite=False)
        if vals.shape != (size,):
            raise ValueError(f"{name} must have shape ({size},) (values at the points), got {vals.shape}")
    if not np.all(np.isfinite(vals)):
        bad = int(np.count_nonzero(~np.isfinite(vals)))
        raise ValueError(f"{name} must be finite at the points, got {bad} non-finite value(s) (NaN or inf)")
    return np.ascontiguousarray(vals)


def budget_points(what: str, size: int, degree: int) -> None:
    """Refuse a uniform basis with ``size`` unknowns whose knots, local knots and points exceed the budget."""
    check_budget(what, memory=8.0 * (size + 2 * degree + 2) * (degree + 6), work=float(size) * (degree + 2) * 10)


def budget_structure(what: str, size: int, degree: int) -> None:
    """Refuse the structured assembly (``O(N p)`` evaluations and storage) beyond the budget."""
    budget_points(what, size, degree)
    check_budget(what, memory=8.0 * size * (4 * degree + 8), work=float(size) * (4 * degree + 2) * _EVAL_WORK)


def budget_dense(what: str, size: int, *, copies: int = 2, cubic: float = 0.0, evaluations: float = 0.0) -> None:
    """Refuse dense ``(N, N)`` work: ``copies`` matrices in memory, ``cubic N^3`` flops plus evaluations."""
    n = float(size)
    check_budget(what, memory=8.0 * copies * n * n, work=cubic * n**3 + evaluations * _EVAL_WORK)
