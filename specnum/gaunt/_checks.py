"""Argument checks and size estimates of the Gaunt pillar (internal).

Shared checks (integers, floats, choices, finiteness, the size budget) live in
:mod:`specnum._validation`; this module holds the rules specific to Gaunt products:

* :func:`as_sh_array` / :func:`broadcast_pair`: flat real SH coefficient arrays;
* :func:`as_method`: the public product methods;
* the estimates of memory and work that every allocating entry point hands to
  :func:`specnum._validation.check_budget` before it starts;
* :func:`product_scales` / :func:`apply_scales`: exact power-of-two scaling that keeps
  a bilinear product finite whenever its result is representable, and
  :func:`check_result_finite`, which turns an overflowing result into a ``ValueError``.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np

from specnum._validation import as_choice, check_budget, check_finite, flat_sh_lmax
from specnum.gaunt._kernels import abs_bits_max_kernel

__all__ = [
    "METHODS",
    "as_sh_array",
    "broadcast_pair",
    "as_method",
    "direct_nnz_estimate",
    "check_product_budget",
    "check_lmax_budget",
    "product_scales",
    "product_can_overflow",
    "sh_array_magnitude",
    "abs_max",
    "apply_scales",
    "check_result_finite",
    "unbroadcast",
    "float_name",
]

#: Methods accepted by :func:`specnum.gaunt.gaunt_product`.
METHODS = ("auto", "direct", "fourier", "grid")


def float_name(dtype: np.dtype) -> str:
    """``"float32"`` or ``"float64"`` for a validated working dtype (cheaper than ``dtype.name``)."""
    return "float32" if dtype.char == "f" else "float64"


def as_sh_array(x: Any, name: str) -> tuple[np.ndarray, int]:
    """Validate real SH coefficients; keep float32, upcast everything else to float64.

    Returns the C-contiguous array and its degree ``L`` (last axis ``(L+1)**2``).
    """
    arr, lmax = sh_array_unchecked(x, name)
    if not math.isfinite(arr.sum(dtype=np.float64)):  # cheap screen; a NaN/inf always shows in the sum
        check_finite(arr, name)  # raises for NaN/inf (a sum overflowing from finite values passes)
    return arr, lmax


def sh_array_magnitude(x: Any, name: str) -> tuple[np.ndarray, int, float]:
    """:func:`as_sh_array` plus ``max |x|`` (NaN/inf raise)."""
    arr, lmax = sh_array_unchecked(x, name)
    m = abs_max(arr)
    if not math.isfinite(m):
        check_finite(arr, name)
    return arr, lmax, m


def sh_array_unchecked(x: Any, name: str) -> tuple[np.ndarray, int]:
    """Type, shape and dtype checks of :func:`as_sh_array`, without the finiteness check."""
    try:
        arr = np.asarray(x)
    except Exception as exc:  # pragma: no cover - numpy's own conversion error
        raise TypeError(f"{name} must be array-like, got {type(x).__name__}: {exc}") from None
    kind = arr.dtype.kind
    if kind == "c":
        raise TypeError(f"{name} must be real, got complex dtype {arr.dtype}")
    if kind not in "biuf":
        raise TypeError(f"{name} must be a real numeric array, got dtype {arr.dtype}")
    if arr.ndim == 0:
        raise ValueError(f"{name} must have at least 1 dimension (the SH axis), got a scalar")
    size = arr.shape[-1]
    root = math.isqrt(size)
    lmax = root - 1 if (size > 0 and root * root == size) else flat_sh_lmax(size, name)  # raises
    dtype = np.float32 if arr.dtype == np.float32 else np.float64
    if arr.dtype != dtype or not arr.flags.c_contiguous:
        check_budget(f"{name} of shape {arr.shape} (a contiguous {np.dtype(dtype).name} copy)",
                     memory=float(arr.size) * np.dtype(dtype).itemsize)
    return np.ascontiguousarray(arr, dtype=dtype), lmax


def broadcast_pair(x1: np.ndarray, x2: np.ndarray, name1: str = "x1", name2: str = "x2"):
    """Broadcast the batch axes of two SH arrays; return ``(a1, a2, batch_shape)`` flattened to 2D."""
    if x1.shape[:-1] == x2.shape[:-1]:
        batch = x1.shape[:-1]
        nrow = math.prod(batch)
        return x1.reshape(nrow, x1.shape[-1]), x2.reshape(nrow, x2.shape[-1]), batch
    try:
        batch = np.broadcast_shapes(x1.shape[:-1], x2.shape[:-1])
    except ValueError:
        raise ValueError(
            f"{name1} and {name2} must have broadcastable batch shapes, got {x1.shape[:-1]} and {x2.shape[:-1]}"
        ) from None
    nrow = math.prod(batch)
    check_budget(f"{name1} and {name2} broadcast to batch {batch}",
                 memory=nrow * (x1.shape[-1] + x2.shape[-1]) * x1.itemsize)
    a1 = np.ascontiguousarray(np.broadcast_to(x1, (*batch, x1.shape[-1])).reshape(nrow, x1.shape[-1]))
    a2 = np.ascontiguousarray(np.broadcast_to(x2, (*batch, x2.shape[-1])).reshape(nrow, x2.shape[-1]))
    return a1, a2, batch


def as_method(method: Any) -> str:
    """Return ``method`` if it is one of :data:`METHODS`."""
    return as_choice(method, "method", METHODS)


# ---------------------------------------------------------------------------------------------
# size estimates (compared with the budget, never allocated)


@lru_cache(maxsize=256)
def direct_nnz_estimate(l1: int, l2: int, lo: int) -> float:
    """Upper estimate of the nonzeros of the sparse real Gaunt table ``(l1, l2, lo)``.

    Each coupling ``(l1, l2) -> l3`` with ``l1 + l2 + l3`` even holds at most two ``m3``
    per ``(m1, m2)``; the count of such ``l3`` is summed in closed form per ``(l1, l2)``
    for moderate sizes and bounded by ``(lo + 2) / 2`` beyond.
    """
    if (l1 + 1) * (l2 + 1) <= 4_000_000:
        a = np.arange(l1 + 1, dtype=np.float64)[:, None]
        b = np.arange(l2 + 1, dtype=np.float64)[None, :]
        lo_eff = np.minimum(a + b, lo)
        low = np.abs(a - b)
        count = np.where(lo_eff >= low, np.floor((lo_eff - low) / 2) + 1, 0.0)
        return float(np.sum(2.0 * (2 * a + 1) * (2 * b + 1) * count))
    return 2.0 * (l1 + 1) ** 2 * (l2 + 1) ** 2 * (lo + 2) / 2


def check_product_budget(what: str, l1: int, l2: int, lo: int, nrow: int, method: str, itemsize: int) -> None:
    """Refuse a product whose tables, buffers or arithmetic exceed the size budget.

    ``method`` is the implementation about to run ("direct", "grid", "fourier").
    """
    n1, n2, no = (l1 + 1) ** 2, (l2 + 1) ** 2, (lo + 1) ** 2
    memory = float(nrow) * (n1 + n2 + 2 * no) * itemsize  # inputs (copies), output, permuted output
    if method == "direct":
        nnz = direct_nnz_estimate(l1, l2, lo)
        memory += 20.0 * nnz  # int32 indices and the values
        work = float(nrow) * nnz + 100.0 * nnz
    else:
        lt = max(l1, l2, lo)
        if method == "fourier":  # the double-covered torus grid of the 2D Fourier route
            n_theta, n_phi = 2 * (l1 + l2) + 2, l1 + l2 + lo + 2 * lt + 2
            per_row = 4.0 * (n1 + n2 + no) * n_theta + 4.0 * n_theta * n_phi * (lt + 2)
        else:  # the sphere grid of the product: Legendre sums (a multiply-add per coefficient and
            # latitude) and azimuthal sums (per order, latitude and azimuth) of the three functions
            n_theta, n_phi = (l1 + l2 + lo) // 2 + 1, l1 + l2 + lo + 1
            per_row = (n1 + n2 + no) * n_theta + 2.0 * n_theta * n_phi * (l1 + l2 + lo + 3)
        memory += 8.0 * ((lt + 1) ** 2 * n_theta * 3 + 256 * n_theta * n_phi)  # tables, block buffers
        work = float(nrow) * per_row
    check_budget(what, memory=memory, work=work)


def check_lmax_budget(what: str, lmax: int, *, rows: int = 1, per_row: float = 0.0, itemsize: int = 8) -> None:
    """Refuse an operation on ``rows`` arrays of ``(lmax+1)**2`` coefficients plus ``per_row``
    extra elements each, and a dense ``(lmax+1)**2``-square matrix when ``per_row < 0``."""
    k = float(lmax + 1) ** 2
    memory = itemsize * (rows * (k + max(per_row, 0.0)) + (k * k if per_row < 0 else 0.0))
    check_budget(what, memory=memory, work=memory)


# ---------------------------------------------------------------------------------------------
# scale safety of bilinear products

#: ``max|x1| * max|x2|`` below which products need no rescaling (the grid values of an
#: expansion are at most ``(L+1)^2 sqrt((2L+1)/(4 pi))`` times its largest coefficient).
_SAFE_PRODUCT = {np.dtype(np.float64): 2.0**700, np.dtype(np.float32): 2.0**60}


#: The integer type of the same size as each working float type, and the mask of all bits but the sign.
_BITS = {np.dtype(np.float64): (np.int64, np.int64(0x7FFF_FFFF_FFFF_FFFF)),
         np.dtype(np.float32): (np.int32, np.int32(0x7FFF_FFFF))}


def abs_max(a: np.ndarray) -> float:
    """``max |a|``: NaN when ``a`` holds a NaN, 0 when it is empty.

    A contiguous float32/float64 array takes one pass over its bits: without the sign bit, the
    IEEE-754 patterns of non-negative values order like the values, NaNs above infinity, so an
    integer maximum (a vectorised reduction, unlike a float maximum that must propagate NaN)
    is the bit pattern of ``max |a|``. Other arrays take two float reductions.
    """
    if not a.size:
        return 0.0
    bits = _BITS.get(a.dtype)
    if bits is None or not a.flags.c_contiguous:
        return float(max(a.max(), -a.min()))
    itype, mask = bits
    return float(itype(abs_bits_max_kernel(a.reshape(-1).view(itype), mask)).view(a.dtype))


_HALF_MAX = {4: 0.25 * float(np.finfo(np.float32).max), 8: 0.25 * float(np.finfo(np.float64).max)}


def product_can_overflow(m1: float, m2: float, l1: int, l2: int, dtype: np.dtype) -> bool:
    """False when ``|c_k3| <= sum |G| |x1| |x2|`` is surely representable: ``|G| <= ||Y_l||_inf
    <= sqrt((2l+1)/(4 pi))`` for the smaller degree and at most ``n1 n2`` terms."""
    bound = m1 * m2 * (l1 + 1) ** 2 * (l2 + 1) ** 2 * math.sqrt(2 * min(l1, l2) + 1)
    return not bound < _HALF_MAX[np.dtype(dtype).itemsize]


def product_scales(a1: np.ndarray, a2: np.ndarray, m1: float | None = None, m2: float | None = None):
    """Row exponents ``(e1, e2)`` that bring every row of ``a1``, ``a2`` to a maximum in
    ``[0.5, 1)``, or ``None`` when the unscaled product cannot overflow or lose its
    smaller rows to underflow (the usual case). ``m1``, ``m2``: the known ``max |a|``."""
    m1 = abs_max(a1) if m1 is None else m1
    m2 = abs_max(a2) if m2 is None else m2
    if m1 == 0.0 or m2 == 0.0:
        return None
    tiny = np.finfo(a1.dtype).tiny * 2.0**60
    safe = _SAFE_PRODUCT[a1.dtype]
    if m1 * m2 < safe and min(m1, m2) > tiny and m1 < safe and m2 < safe:
        return None
    e1 = np.frexp(np.abs(a1).max(axis=-1))[1]
    e2 = np.frexp(np.abs(a2).max(axis=-1))[1]
    return e1, e2


def apply_scales(a: np.ndarray, e: np.ndarray) -> np.ndarray:
    """``a * 2**-e`` row by row (exact: powers of two)."""
    return np.ldexp(a, -e[:, None]).astype(a.dtype, copy=False)


def check_result_finite(out: np.ndarray, what: str) -> np.ndarray:
    """Raise ``ValueError`` naming ``what`` when a result from finite input overflowed."""
    with np.errstate(invalid="ignore", over="ignore"):
        screen = float(np.sum(out, dtype=np.float64))
    if not math.isfinite(screen) and not np.all(np.isfinite(out)):
        raise ValueError(
            f"{what}: the result overflows {out.dtype} (its true value is not representable); "
            "scale the inputs down"
        )
    return out


def unbroadcast(g: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum ``g`` over the axes along which an array of ``shape`` was broadcast to ``g.shape``."""
    lead = g.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(lead + i for i, n in enumerate(shape) if n == 1 and g.shape[lead + i] != 1)
    return g.sum(axis=axes, keepdims=True).reshape(shape) if axes else g
