"""Argument checks shared by every public function (layer L0).

Each helper validates one argument, raises ``ValueError`` (bad value or shape)
or ``TypeError`` (wrong type) with a message naming the argument, the rule and
the value received, and returns the converted value. Nothing here imports
from the rest of specnum.

The size budget
---------------
Functions whose memory or work grows with a size argument estimate both
before they start and call :func:`check_budget`, which refuses the call with a
``ValueError`` naming the argument, the estimate and the limit when either
exceeds the current budget. The default budget (:data:`DEFAULT_BUDGET`: 4 GiB
of memory, 1e11 elementary operations, about a minute of work) is raised on
purpose with the :func:`size_budget` context manager::

    with specnum.size_budget(memory=16 * 2**30, work=1e13):
        x, w = gauss_legendre(10**8)

The budget lives in a :class:`contextvars.ContextVar`: it is local to the
thread or task that sets it and is restored when the ``with`` block ends.
"""

from __future__ import annotations

import contextlib
import contextvars
import math
import numbers
import operator
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "as_int",
    "as_float",
    "as_rtol",
    "as_triple",
    "as_interval",
    "as_float_array",
    "as_choice",
    "check_finite",
    "flat_sh_lmax",
    "readonly",
    "SizeBudget",
    "DEFAULT_BUDGET",
    "size_budget",
    "get_size_budget",
    "check_budget",
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
    """Return ``value`` as a pair of finite floats ``(a, b)`` with ``a < b`` and a finite length ``b - a``."""
    try:
        a, b = value
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a pair (a, b) of real numbers, got {_short(value)}") from None
    a = as_float(a, f"{name}[0]")
    b = as_float(b, f"{name}[1]")
    if not a < b:
        raise ValueError(f"{name} must satisfy a < b, got ({a!r}, {b!r})")
    if not math.isfinite(b - a):
        raise ValueError(f"{name} must have a length b - a within the float64 range, got ({a!r}, {b!r})")
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
    target = np.dtype(np.complex128 if np.iscomplexobj(arr) else dtype)
    if arr.dtype != target or not arr.flags.c_contiguous:  # a copy (e.g. of a broadcast view) is made
        check_budget(f"{name} of shape {arr.shape} (a contiguous {target.name} copy)",
                     memory=float(arr.size) * target.itemsize)
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


def as_rtol(value: Any, name: str = "rtol") -> float:
    """Return a relative tolerance as a float in the open interval ``(0, 1)``."""
    return as_float(value, name, low=0.0, high=1.0, low_open=True, high_open=True)


def as_triple(
    value: Any, name: str, *, minimum: int | None = None, maximum: int | None = None
) -> tuple[int, int, int]:
    """Return an int or a sequence of 3 ints as a 3-tuple of ints within ``[minimum, maximum]``.

    A single int is repeated three times; entries are named ``name[k]`` in messages.
    """
    if isinstance(value, (numbers.Integral, np.integer)) and not isinstance(value, (bool, np.bool_)):
        v = as_int(value, name, minimum=minimum, maximum=maximum)
        return (v, v, v)
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be an int or a sequence of 3 ints, got {_short(value)}")
    try:
        items = tuple(value)
    except TypeError:
        raise TypeError(
            f"{name} must be an int or a sequence of 3 ints, got {_short(value)} of type {type(value).__name__}"
        ) from None
    if len(items) != 3:
        raise ValueError(f"{name} must have 3 entries, got {len(items)}")
    return tuple(as_int(v, f"{name}[{k}]", minimum=minimum, maximum=maximum) for k, v in enumerate(items))  # type: ignore[return-value]


def readonly(array: np.ndarray, *, copy: bool = False) -> np.ndarray:
    """Return ``array`` marked read-only.

    With ``copy=False`` (arrays this library just created and owns) the array
    itself is frozen in place. With ``copy=True`` (arrays that may belong to the
    caller) a C-contiguous copy is frozen instead, so the caller's array stays
    writeable and later changes to it cannot reach the frozen data.
    """
    if copy:
        array = np.array(array, order="C", copy=True)
    array.setflags(write=False)
    return array


# ---------------------------------------------------------------------------------------------
# size budget


@dataclass(frozen=True)
class SizeBudget:
    """Limits on one call's estimated memory (bytes) and work (elementary operations)."""

    memory: float
    work: float


#: 4 GiB of memory and 1e11 elementary operations (about a minute on one core).
DEFAULT_BUDGET = SizeBudget(memory=4.0 * 2**30, work=1e11)

_BUDGET: contextvars.ContextVar[SizeBudget] = contextvars.ContextVar("specnum_size_budget", default=DEFAULT_BUDGET)


def get_size_budget() -> SizeBudget:
    """Return the size budget in force in the current context."""
    return _BUDGET.get()


@contextlib.contextmanager
def size_budget(memory: float | None = None, work: float | None = None) -> Iterator[SizeBudget]:
    """Raise (or lower) the size budget inside a ``with`` block.

    Parameters
    ----------
    memory : float, optional
        Bytes one call may allocate (default: unchanged). ``math.inf`` lifts the limit.
    work : float, optional
        Elementary operations one call may perform (default: unchanged). ``math.inf`` lifts the limit.

    Yields
    ------
    SizeBudget
        The budget in force inside the block.

    Examples
    --------
    >>> import specnum
    >>> with specnum.size_budget(memory=2**34) as b:
    ...     b.memory
    17179869184.0
    """
    current = _BUDGET.get()
    new = SizeBudget(
        memory=current.memory if memory is None else _budget_value(memory, "memory"),
        work=current.work if work is None else _budget_value(work, "work"),
    )
    token = _BUDGET.set(new)
    try:
        yield new
    finally:
        _BUDGET.reset(token)


def _budget_value(value: Any, name: str) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        raise TypeError(f"{name} must be a real number, got {_short(value)} of type {type(value).__name__}")
    value = float(value)
    if not value > 0:  # also rejects NaN
        raise ValueError(f"{name} must be > 0 (math.inf for no limit), got {value!r}")
    return value


def _bytes_text(n: float) -> str:
    if math.isinf(n):
        return "more than any machine holds (an overflowing size)"
    for unit, size in (("TiB", 2.0**40), ("GiB", 2.0**30), ("MiB", 2.0**20), ("KiB", 2.0**10)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n:.0f} bytes"


def _estimate(value: float) -> float:
    """An estimate as a float; Python ints beyond the float range count as infinite."""
    try:
        return float(value)
    except OverflowError:
        return math.inf


def check_budget(what: str, *, memory: float = 0.0, work: float = 0.0) -> None:
    """Refuse a call whose estimated memory (bytes) or work (operations) exceeds the budget.

    ``what`` names the argument(s) responsible, e.g. ``"n = 1000000000"``. The
    estimates may be huge Python ints or floats (``inf`` is allowed); they are
    compared, never allocated.
    """
    budget = _BUDGET.get()
    memory = _estimate(memory)
    work = _estimate(work)
    if memory > budget.memory or math.isnan(memory):
        raise ValueError(
            f"{what} needs about {_bytes_text(memory)} of memory, above the size budget of "
            f"{_bytes_text(budget.memory)}; use a smaller size, or raise the budget on purpose "
            f"with specnum.size_budget(memory=...)"
        )
    if work > budget.work or math.isnan(work):
        raise ValueError(
            f"{what} needs about {work:.3g} operations, above the size budget of {budget.work:.3g}; "
            f"use a smaller size, or raise the budget on purpose with specnum.size_budget(work=...)"
        )
