"""Argument checks shared by every public function (layer L0).

Each helper validates one argument, raises ``ValueError`` (bad value or shape)
or ``TypeError`` (wrong type) with a message naming the argument, the rule and
the value received, and returns the converted value. Nothing here imports
from the rest of specnum.
"""

from __future__ import annotations

import numbers
import operator
from typing import Any

import numpy as np

__all__ = [
    "as_int",
    "as_float",
    "as_interval",
    "as_float_array",
    "as_choice",
    "check_finite",
    "flat_sh_lmax",
]


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def as_int(value: Any, name: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return ``value`` as a Python int within ``[minimum, maximum]``.

    Booleans and non-integral numbers raise ``TypeError``.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral, np.integer)):
        try:
            if isinstance(value, (bool, np.bool_)):
                raise TypeError
            value = operator.index(value)
        except TypeError:
            raise TypeError(f"{name} must be an integer, got {_short(value)} of type {type(value).__name__}") from None
    value = int(value)
    if minimum is not None and value < minimum:
        rule = f">= {minimum}" if maximum is None else f"in [{minimum}, {maximum}]"
        raise ValueError(f"{name} must be an integer {rule}, got {value}")
    if maximum is not None and value > maximum:
        rule = f"<= {maximum}" if minimum is None else f"in [{minimum}, {maximum}]"
        raise ValueError(f"{name} must be an integer {rule}, got {value}")
    return value


def as_float(
    value: Any,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """Return ``value`` as a finite Python float within the given bounds.

    ``low_open``/``high_open`` make the corresponding bound strict.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        raise TypeError(f"{name} must be a real number, got {_short(value)} of type {type(value).__name__}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    bad = (
        (low is not None and (value < low or (low_open and value == low)))
        or (high is not None and (value > high or (high_open and value == high)))
    )
    if bad:
        lo = "-inf" if low is None else repr(low)
        hi = "inf" if high is None else repr(high)
        rule = f"{'(' if low_open or low is None else '['}{lo}, {hi}{')' if high_open or high is None else ']'}"
        raise ValueError(f"{name} must lie in {rule}, got {value!r}")
    return value


def as_interval(value: Any, name: str = "interval") -> tuple[float, float]:
    """Return ``value`` as a pair of finite floats ``(a, b)`` with ``a < b``."""
    try:
        a, b = value
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a pair (a, b) of real numbers, got {_short(value)}") from None
    a = as_float(a, f"{name}[0]")
    b = as_float(b, f"{name}[1]")
    if not a < b:
        raise ValueError(f"{name} must satisfy a < b, got ({a!r}, {b!r})")
    return a, b


def check_finite(array: np.ndarray, name: str) -> np.ndarray:
    """Raise ``ValueError`` if ``array`` holds NaN or infinity; return it unchanged."""
    if not np.all(np.isfinite(array)):
        bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
        raise ValueError(f"{name} must be finite, got {bad} non-finite value(s) (NaN or inf)")
    return array


def as_float_array(
    value: Any,
    name: str,
    *,
    ndim: int | None = None,
    min_ndim: int | None = None,
    last_dim: int | None = None,
    finite: bool = True,
    dtype: Any = np.float64,
    allow_complex: bool = False,
) -> np.ndarray:
    """Convert ``value`` to a C-contiguous real array of ``dtype`` and check its shape.

    Integer and float32 input is upcast to ``dtype`` (float64 by default).
    Complex input raises ``TypeError`` unless ``allow_complex``; then the
    result is complex128.
    """
    try:
        arr = np.asarray(value)
    except Exception as exc:  # pragma: no cover - numpy's own conversion error
        raise TypeError(f"{name} must be array-like, got {type(value).__name__}: {exc}") from None
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == np.bool_):
        raise TypeError(f"{name} must be a numeric array, got dtype {arr.dtype}")
    if np.iscomplexobj(arr):
        if not allow_complex:
            raise TypeError(f"{name} must be real, got complex dtype {arr.dtype}")
        arr = np.array(arr, dtype=np.complex128, order="C", copy=None)
    else:
        arr = np.array(arr, dtype=dtype, order="C", copy=None)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {arr.shape}")
    if min_ndim is not None and arr.ndim < min_ndim:
        raise ValueError(f"{name} must have at least {min_ndim} dimension(s), got shape {arr.shape}")
    if last_dim is not None and (arr.ndim == 0 or arr.shape[-1] != last_dim):
        raise ValueError(f"{name} must have last axis of length {last_dim}, got shape {arr.shape}")
    if finite:
        check_finite(arr, name)
    return arr


def as_choice(value: Any, name: str, choices: tuple) -> Any:
    """Return ``value`` if it is one of ``choices``, else raise ``ValueError``."""
    try:
        ok = value in choices
    except TypeError:
        ok = False
    if not ok:
        raise ValueError(f"{name} must be one of {', '.join(repr(c) for c in choices)}; got {_short(value)}")
    return value


def flat_sh_lmax(size: int, name: str) -> int:
    """Return ``L`` when ``size == (L+1)**2``; raise ``ValueError`` otherwise."""
    root = int(round(np.sqrt(size)))
    if size < 1 or root * root != size:
        raise ValueError(
            f"{name} must have a last axis of length (lmax+1)**2 (1, 4, 9, 16, ...), got {size}"
        )
    return root - 1
