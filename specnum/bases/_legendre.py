"""Private core shared by the spherical-harmonic modules (not public API).

Cached flat-index tables, the normalised associated-Legendre recurrence coefficients,
the normalisation/phase scale vector, the kernel call evaluating the real harmonics at
validated unit vectors, the size-budget estimate of an evaluation, the shape checks that
run before any array is converted, and the 0-d-preserving float conversion of angle
arguments.
Used by :mod:`specnum.bases.sphharm` (evaluation), :mod:`specnum.bases.spheregrid`
(grid tables of the transforms) and :mod:`specnum.bases.rotations` (angle conversion).
Kept in its own module so that these three never import one another's internals, and
``sphharm`` can re-export the public names of the other two without an import cycle.
Conventions: see :mod:`specnum.bases.sphharm`.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np

from specnum._validation import as_float_array, check_budget, readonly
from specnum.bases._sphharm_kernels import legendre_coefficients, real_sph_harm_kernel

__all__: list[str] = []


@lru_cache(maxsize=64)
def _degree_order_cached(lmax: int) -> tuple[np.ndarray, np.ndarray]:
    degrees = np.arange(lmax + 1)
    counts = 2 * degrees + 1
    l = np.repeat(degrees, counts)
    m = np.arange((lmax + 1) ** 2) - np.repeat(degrees * degrees + degrees, counts)
    return readonly(l), readonly(m)


@lru_cache(maxsize=8)
def _recurrence_tables(lmax: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Three-term coefficients a, b packed by ``l*(l+1)//2 + m`` (used for l >= m + 2) and diag[m]."""
    size = (lmax + 1) * (lmax + 2) // 2
    a = np.empty(size)
    b = np.empty(size)
    legendre_coefficients(lmax, a, b)
    mm = np.arange(lmax + 1, dtype=np.float64)
    diag = np.ones(lmax + 1)
    diag[1:] = np.sqrt((2 * mm[1:] + 1) / (2 * mm[1:]))
    return readonly(a), readonly(b), readonly(diag)


@lru_cache(maxsize=64)
def _scale_vector(lmax: int, normalization: str, condon_shortley: bool) -> np.ndarray:
    degrees = np.arange(lmax + 1)
    counts = 2 * degrees + 1
    scale = np.full((lmax + 1) ** 2, math.sqrt(2.0))
    scale[degrees * degrees + degrees] = 1.0  # m = 0
    if normalization == "component":
        scale *= math.sqrt(4 * math.pi)
    elif normalization == "norm":
        scale *= np.repeat(np.sqrt(4 * math.pi / counts), counts)
    if condon_shortley:
        _, m = _degree_order_cached(lmax)
        scale[m % 2 == 1] *= -1.0
    return readonly(scale)


def _eval_unit(lmax: int, xyz: np.ndarray, normalization: str, condon_shortley: bool) -> np.ndarray:
    """Kernel call on validated unit vectors of shape (..., 3)."""
    batch = xyz.shape[:-1]
    pts = np.ascontiguousarray(xyz.reshape(-1, 3))
    a, b, diag = _recurrence_tables(lmax)
    scale = _scale_vector(lmax, normalization, bool(condon_shortley))
    out = np.empty((pts.shape[0], (lmax + 1) ** 2))
    real_sph_harm_kernel(pts, lmax, a, b, diag, scale, out)
    return out.reshape(batch + ((lmax + 1) ** 2,))


def _capped(n: int) -> float:
    """``float(n)`` for size estimates, capped at 2**60 (finite for any int; still above every budget)."""
    return float(min(n, 2**60))


def _sh_budget(lmax: int, npoints: int, where: str) -> None:
    """Refuse an evaluation of degrees ``0..lmax`` at ``npoints`` points beyond the size budget.

    Memory: the output, the point copies and the cached tables; work: about 12 operations
    per output entry (recurrence, azimuthal factor, scaling).
    """
    K = _capped(lmax + 1) ** 2
    n = _capped(npoints)
    check_budget(
        f"lmax = {lmax} at {npoints} point(s) ({where})",
        memory=8.0 * (n * K + 12.0 * n + 4.0 * K),
        work=12.0 * n * K + 10.0 * K,
    )


def _shape_of(value: Any, name: str) -> tuple[int, ...]:
    """Shape of an array-like without converting it (``TypeError`` naming ``name`` if it has none)."""
    try:
        return tuple(int(d) for d in np.shape(value))
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be an array-like of numbers with a regular shape, got {type(value).__name__}"
        ) from None


def _broadcast_shape(values: dict[str, Any]) -> tuple[int, ...]:
    """Broadcast shape of named array-likes, checked before any conversion."""
    shapes = {name: _shape_of(v, name) for name, v in values.items()}
    try:
        return tuple(np.broadcast_shapes(*shapes.values()))
    except ValueError:
        keys = list(shapes)
        names = keys[0] if len(keys) == 1 else ", ".join(keys[:-1]) + " and " + keys[-1]
        got = ", ".join(str(sh) for sh in shapes.values())
        raise ValueError(f"{names} must broadcast together, got shapes {got}") from None


def _as_array(value: Any, name: str) -> np.ndarray:
    """``as_float_array`` with the input shape kept (a no-op reshape: it already keeps 0-d input 0-d)."""
    return as_float_array(value, name).reshape(np.shape(value))
