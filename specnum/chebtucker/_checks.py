"""Argument rules of the Chebyshev-Tucker pillar (internal).

The shared checks (numbers, tolerances, triples, arrays, the size budget) live in
:mod:`specnum._validation`; this module holds the pillar's own rules: boxes, point
families, particles and targets, kernels and their splitting radius, points inside a
box, and the size estimates handed to :func:`specnum._validation.check_budget`.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from .._validation import (
    as_choice,
    as_float,
    as_float_array,
    as_interval,
    as_rtol,
    as_triple,
    check_budget,
)

__all__ = [
    "Box",
    "KERNELS",
    "INSIDE_RTOL",
    "FLOAT_BYTES",
    "check_box",
    "box_bounds",
    "check_n",
    "check_rtol",
    "check_point_family",
    "check_particles",
    "check_targets",
    "check_kernel",
    "check_inside",
    "check_resolution",
    "budget_array",
    "budget_input",
]

Box = tuple[tuple[float, float], tuple[float, float], tuple[float, float]]

#: Radial kernels with a range separation (``K = L + S``).
KERNELS = ("newton", "yukawa", "slater")

#: Points up to this fraction of the box width outside the box count as inside (rounding of
#: coordinates computed elsewhere). A Chebyshev polynomial of degree n grows there by at most
#: ``1 + 2 n^2 INSIDE_RTOL``, so an evaluation moves by a negligible amount.
INSIDE_RTOL = 1e-12

FLOAT_BYTES = 8

_FAMILIES = {"first": 1, "second": 2}


def check_box(box: Any) -> Box:
    """Validate ``((a1, b1), (a2, b2), (a3, b3))`` with finite ``a_k < b_k``."""
    if isinstance(box, (str, bytes)):
        raise TypeError(f"box must be a sequence of 3 intervals (a, b), got {box!r}")
    try:
        items = tuple(box)
    except TypeError:
        raise TypeError(f"box must be a sequence of 3 intervals (a, b), got {box!r}") from None
    if len(items) != 3:
        raise ValueError(f"box must have 3 intervals (a, b), got {len(items)}")
    return tuple(as_interval(iv, f"box[{k}]") for k, iv in enumerate(items))  # type: ignore[return-value]


def box_bounds(box: Box) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper corners of a validated box as two arrays of shape (3,)."""
    return np.array([b[0] for b in box]), np.array([b[1] for b in box])


def check_n(n: Any, *, minimum: int = 2, name: str = "n") -> tuple[int, int, int]:
    """Points per axis: an int or a 3-sequence of ints ``>= minimum``."""
    return as_triple(n, name, minimum=minimum)


def check_rtol(rtol: Any, name: str = "rtol") -> float:
    """A relative tolerance in the open interval (0, 1)."""
    return as_rtol(rtol, name)


def check_point_family(points: Any, kind: Any = None, *, stacklevel: int = 3) -> int:
    """The Chebyshev point family as the integer kind (1 or 2) of :mod:`specnum.bases.chebyshev`.

    ``points`` is ``"first"`` (Gauss-Chebyshev) or ``"second"`` (Chebyshev-Lobatto). The
    older keyword ``kind`` (1 or 2) is accepted for one release with a ``DeprecationWarning``.
    """
    if kind is not None:
        warnings.warn(
            "the keyword 'kind' (1 or 2) is deprecated; use points='first' or points='second'",
            DeprecationWarning,
            stacklevel=stacklevel,
        )
        value = as_choice(kind, "kind", (1, 2))
        if points is not None and _FAMILIES.get(points) != value:
            raise ValueError(f"give either points or the deprecated kind, got points={points!r} and kind={kind!r}")
        return value
    return _FAMILIES[as_choice("first" if points is None else points, "points", tuple(_FAMILIES))]


def check_particles(positions: Any, charges: Any) -> tuple[np.ndarray, np.ndarray]:
    """Positions ``(N, 3)`` and charges ``(N,)`` as finite float64 arrays."""
    pos = as_float_array(positions, "positions", ndim=2, last_dim=3)
    q = as_float_array(charges, "charges", ndim=1)
    if q.shape[0] != pos.shape[0]:
        raise ValueError(
            f"charges must have one entry per particle: positions has {pos.shape[0]} rows, "
            f"charges has {q.shape[0]} entries"
        )
    return pos, q


def check_targets(targets: Any, name: str = "targets") -> tuple[np.ndarray, tuple]:
    """Points ``(..., 3)``: the flattened ``(M, 3)`` C-contiguous array and the batch shape."""
    t = as_float_array(targets, name, min_ndim=1, last_dim=3)
    return np.ascontiguousarray(t.reshape(-1, 3)), t.shape[:-1]


def check_kernel(kernel: Any, r0: Any, kappa: Any) -> tuple[str, float, float]:
    """Kernel name, splitting radius ``r0`` and rate ``kappa`` (``> 0`` for Slater, ``>= 0`` else).

    ``r0`` is limited to ``[1e-100, 1e100]`` and ``kappa`` to ``[0, 1e100]``: outside, the
    derivative of the long-range part (``~ 1/r0^3``) or the Gaussian exponents leave the
    float64 range before any distance enters.
    """
    kernel = as_choice(kernel, "kernel", KERNELS)
    r0 = as_float(r0, "r0", low=1e-100, high=1e100)
    kappa = as_float(kappa, "kappa", low=0.0, high=1e100, low_open=kernel == "slater")
    return kernel, r0, kappa


def check_inside(pts: np.ndarray, box: Box, name: str) -> None:
    """Raise ``ValueError`` if a point lies outside ``box`` by more than ``INSIDE_RTOL`` of its width."""
    if pts.shape[0] == 0:
        return
    lo, hi = box_bounds(box)
    slack = INSIDE_RTOL * (hi - lo)
    pmin = pts.min(axis=0)
    pmax = pts.max(axis=0)
    if np.all(pmin >= lo - slack) and np.all(pmax <= hi + slack):
        return
    bad = np.any((pts < lo - slack) | (pts > hi + slack), axis=1)
    first = pts[int(np.argmax(bad))]
    raise ValueError(
        f"{name} must lie inside the box {box} (up to {INSIDE_RTOL:g} of its width); {int(bad.sum())} "
        f"point(s) outside, e.g. {first.tolist()}"
    )


def check_resolution(half_width: float, r0: float, tol: float, what: str) -> float:
    """Estimate of the Chebyshev points per axis that resolve Gaussians of width ``r0`` to ``tol``.

    The rule ``n ~ 2 (half_width / r0) sqrt(log(2 / tol))`` (Chebyshev coefficients of a
    Gaussian). Raises ``ValueError`` naming ``r0`` when the estimate cannot be an array size
    (above ``1e9``), before anything is allocated; returns the estimate otherwise.
    """
    rule = 2.0 * (half_width / r0) * math.sqrt(max(math.log(2.0 / tol), 1.0))
    if not rule <= 1e9:
        raise ValueError(
            f"r0 = {r0:g} is too small for {what} (half-width {half_width:g}): Gaussians of width r0 "
            f"need about {rule:.1e} Chebyshev points per axis; use a larger r0 (about "
            f"{2.0 * half_width * math.sqrt(max(math.log(2.0 / tol), 1.0)) / 1e3:.2g} or more gives "
            f"at most 1000 points)"
        )
    return rule


def budget_array(what: str, shape: tuple, *, copies: float = 1.0, work: float = 0.0) -> None:
    """Refuse (``ValueError``) an array of ``shape`` float64 (times ``copies``) or ``work`` over the budget."""
    size = 1.0
    for s in shape:
        size *= float(s)
    check_budget(what, memory=copies * size * FLOAT_BYTES, work=work)


def budget_input(value: Any, name: str, *, copies: float = 1.0, work_per_entry: float = 0.0) -> None:
    """Budget an array argument before it is converted (a broadcast view would be materialised)."""
    if isinstance(value, np.ndarray):
        check_budget(f"{name} of shape {value.shape}", memory=copies * value.size * FLOAT_BYTES,
                     work=work_per_entry * value.size)
