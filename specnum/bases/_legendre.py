"""Private core shared by the spherical-harmonic modules (not public API).

Cached flat-index tables, the normalised associated-Legendre recurrence coefficients,
the normalisation/phase scale vector, the kernel call evaluating the real harmonics at
validated unit vectors, and the 0-d-preserving float conversion of angle arguments.
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

from specnum._validation import as_float_array
from specnum.bases._sphharm_kernels import real_sph_harm_kernel

__all__: list[str] = []


@lru_cache(maxsize=64)
def _degree_order_cached(lmax: int) -> tuple[np.ndarray, np.ndarray]:
    l = np.repeat(np.arange(lmax + 1), 2 * np.arange(lmax + 1) + 1)
    m = np.arange((lmax + 1) ** 2) - l * l - l
    l.setflags(write=False)
    m.setflags(write=False)
    return l, m


@lru_cache(maxsize=32)
def _recurrence_tables(lmax: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Three-term coefficients a[l, m], b[l, m] (used for l >= m + 2) and diag[m]."""
    l = np.arange(lmax + 1, dtype=np.float64)[:, None]
    m = np.arange(lmax + 1, dtype=np.float64)[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.sqrt((4 * l * l - 1) / (l * l - m * m))
        b = np.sqrt(((l - 1) ** 2 - m * m) / (4 * (l - 1) ** 2 - 1))
    valid = l >= m + 2
    a = np.ascontiguousarray(np.where(valid, a, 0.0))
    b = np.ascontiguousarray(np.where(valid, b, 0.0))
    mm = np.arange(lmax + 1, dtype=np.float64)
    diag = np.ones(lmax + 1)
    diag[1:] = np.sqrt((2 * mm[1:] + 1) / (2 * mm[1:]))
    for arr in (a, b, diag):
        arr.setflags(write=False)
    return a, b, diag


@lru_cache(maxsize=64)
def _scale_vector(lmax: int, normalization: str, condon_shortley: bool) -> np.ndarray:
    l, m = _degree_order_cached(lmax)
    scale = np.where(m == 0, 1.0, math.sqrt(2.0))
    if normalization == "component":
        scale = scale * math.sqrt(4 * math.pi)
    elif normalization == "norm":
        scale = scale * np.sqrt(4 * math.pi / (2 * l + 1))
    if condon_shortley:
        scale = scale * np.where(np.abs(m) % 2 == 1, -1.0, 1.0)
    scale = np.ascontiguousarray(scale, dtype=np.float64)
    scale.setflags(write=False)
    return scale


def _eval_unit(lmax: int, xyz: np.ndarray, normalization: str, condon_shortley: bool) -> np.ndarray:
    """Kernel call on validated unit vectors of shape (..., 3)."""
    batch = xyz.shape[:-1]
    pts = np.ascontiguousarray(xyz.reshape(-1, 3))
    a, b, diag = _recurrence_tables(lmax)
    scale = _scale_vector(lmax, normalization, bool(condon_shortley))
    out = np.empty((pts.shape[0], (lmax + 1) ** 2))
    real_sph_harm_kernel(pts, lmax, a, b, diag, scale, out)
    return out.reshape(batch + ((lmax + 1) ** 2,))


def _as_array(value: Any, name: str) -> np.ndarray:
    """``as_float_array`` with the input shape kept (a no-op reshape: it already keeps 0-d input 0-d)."""
    return as_float_array(value, name).reshape(np.shape(value))
