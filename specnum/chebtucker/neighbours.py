"""Short-range sums by a cell list: ``sum_j q_j S(|x - x_j|)`` over the sources within a cutoff.

Internal module: :mod:`specnum.chebtucker` re-exports ``short_range_potential``; the other names
here serve the pillar's own modules and may change.

``S = K - L`` is the short-range part of a range-separated kernel (see
:mod:`specnum.chebtucker.splitting`): ``erfc(r/r0)/r`` for Newton, the closed forms
``(P + Q)/(2r)`` (Yukawa) and ``(P - Q)/2`` (Slater) with
``P = exp(-kappa r) erfc(r/r0 - kappa r0/2)``, ``Q = exp(kappa r) erfc(r/r0 + kappa r0/2)``.

The cell list stores only occupied columns (cells in x and y of edge ``r_c/3``), so its
memory is ``O(N)`` and its cells keep that edge whatever the spread of the particles
(dense clusters, shells, a few particles far apart): the work per target is the pairs
within ``r_c`` (about 1.5 distance tests each, measured) plus ``O(log N)`` per visited
column. The pairs are collected in batches; ``S`` and ``S'`` are evaluated per batch in closed
form through ``erfcx`` (a table of polynomials, see :func:`erfcx_table`) and one exponential per
pair, or, for the Newton kernel, by polynomials that the compiler vectorizes (see
:mod:`._neighbour_kernels`).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from .._validation import as_float, check_budget
from . import _neighbour_kernels as _nk
from ._checks import FLOAT_BYTES, check_kernel, check_particles, check_rtol, check_targets
from .splitting import split_with_derivative
from .tolerances import cutoff_radius

__all__ = [
    "REACH",
    "ColumnGrid",
    "SortedSources",
    "column_grid",
    "sort_sources",
    "zero_distance_value",
    "short_sums",
    "short_pairs",
    "erfcx_table",
    "estimated_pairs",
    "budget_short",
    "check_cutoff",
    "short_range_potential",
]

REACH = 3  # neighbour columns per side: columns of edge r_c / REACH
_MAX_DIM = 2**30  # columns per axis (keys a * dims[1] + b stay far inside int64)


@dataclass(frozen=True)
class ColumnGrid:
    """Columns in x/y: ``lo`` (2,), edges ``h`` (2,) ``>= r_c/REACH``, nominal ``dims`` (2,)."""

    lo: np.ndarray
    h: np.ndarray
    dims: np.ndarray


@dataclass(frozen=True)
class SortedSources:
    """Sources sorted by column key and z, with the occupied columns (see :mod:`._neighbour_kernels`)."""

    x: np.ndarray
    y: np.ndarray
    z: np.ndarray
    q: np.ndarray
    perm: np.ndarray
    keys: np.ndarray
    starts: np.ndarray
    bounds: np.ndarray


def column_grid(pts: np.ndarray, rc: float) -> ColumnGrid:
    """Columns over the x/y bounding box of ``pts`` with edge ``rc/REACH`` (wider only past 2^30 per axis)."""
    lo = pts[:, :2].min(axis=0) if pts.shape[0] else np.zeros(2)
    span = pts[:, :2].max(axis=0) - lo if pts.shape[0] else np.zeros(2)
    edge = rc / REACH * (1.0 + 1e-9)  # margin: rounding in floor((x - lo)/h) never hides a neighbour
    dims = np.clip(np.floor(np.minimum(span / edge, float(_MAX_DIM))), 1.0, float(_MAX_DIM))
    h = np.maximum(np.where(span > 0, span / dims, edge), edge)
    return ColumnGrid(np.ascontiguousarray(lo), np.ascontiguousarray(h), dims.astype(np.int64))


def sort_sources(pos: np.ndarray, q: np.ndarray, grid: ColumnGrid) -> SortedSources:
    """Sort the sources into the occupied columns of ``grid`` (by key, then z)."""
    cell = np.clip(np.floor((pos[:, :2] - grid.lo) / grid.h), 0, grid.dims - 1).astype(np.int64)
    key = cell[:, 0] * grid.dims[1] + cell[:, 1]
    perm = np.lexsort((pos[:, 2], key))
    sorted_keys = key[perm]
    first = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]) if perm.size else np.zeros(0, np.int64)
    keys = np.ascontiguousarray(sorted_keys[first])
    starts = np.append(first, perm.size).astype(np.int64)
    sp = pos[perm]
    cols = tuple(np.ascontiguousarray(sp[:, k]) for k in range(3))
    bounds = np.empty((4, keys.size))
    for k in range(2):
        if keys.size:
            bounds[2 * k] = np.minimum.reduceat(cols[k], first)
            bounds[2 * k + 1] = np.maximum.reduceat(cols[k], first)
    return SortedSources(cols[0], cols[1], cols[2], np.ascontiguousarray(q[perm]), perm, keys, starts, bounds)


@functools.lru_cache(maxsize=1)
def erfcx_table() -> np.ndarray:
    """Polynomials of ``erfcx(x) = exp(x^2) erfc(x)`` on ``[0, 8)``: shape (64, 10), read-only.

    Row ``i`` holds the monomial coefficients, in ``t = 2 (x/w - i) - 1`` on ``[i w, (i + 1) w)``
    (``w = ERFCX_WIDTH = 1/8``), of the degree-9 interpolant of erfcx at first-kind Chebyshev
    points, computed in mpmath at 30 digits (table generation) and rounded once. The
    interpolation error is below ``1e-17`` relative (the tenth derivative of erfcx is below
    ``10^4`` on ``[0, 8]``, times ``(w/4)^10 / 10! / 2^9``), so the evaluated polynomials are
    within a few ulps of erfcx.
    """
    import mpmath

    width = _nk.ERFCX_WIDTH
    n = 10
    rows = []
    with mpmath.workdps(30):
        nodes = [mpmath.cos(mpmath.pi * (j + mpmath.mpf(1) / 2) / n) for j in range(n)]
        # monomial coefficients of T_0 .. T_{n-1}
        cheb = [[mpmath.mpf(1)] + [mpmath.mpf(0)] * (n - 1), [mpmath.mpf(0), mpmath.mpf(1)] + [mpmath.mpf(0)] * (n - 2)]
        for k in range(2, n):
            cheb.append([2 * (cheb[k - 1][m - 1] if m else 0) - cheb[k - 2][m] for m in range(n)])
        for i in range(round(8 / width)):
            x = [(i + (t + 1) / 2) * mpmath.mpf(width) for t in nodes]
            f = [mpmath.exp(v * v) * mpmath.erfc(v) for v in x]
            c = [(2 - (k == 0)) / mpmath.mpf(n)
                 * mpmath.fsum(f[j] * mpmath.cos(k * mpmath.pi * (j + mpmath.mpf(1) / 2) / n) for j in range(n))
                 for k in range(n)]
            rows.append([float(mpmath.fsum(c[k] * cheb[k][m] for k in range(n))) for m in range(n)])
    table = np.ascontiguousarray(rows, dtype=np.float64)
    table.setflags(write=False)
    return table


def zero_distance_value(kernel: str, r0: float, kappa: float, cancel_long_range: bool) -> float:
    """The short-range value used for a source at distance 0 from a target (or particle).

    Slater (finite kernel): ``S(0) = erf(kappa r0/2)``, so that ``L(0) + S(0) = K(0) = 1``.
    Singular kernels: the pair is excluded, as in the direct sum; alone the short range
    gives 0, and together with the long range it gives ``-L(0)``, which cancels the finite
    value ``L(0)`` the long-range ChebTucker has there.
    """
    if kernel == "slater":
        return math.erf(0.5 * kappa * r0)
    if not cancel_long_range:
        return 0.0
    return -float(split_with_derivative(np.zeros(1), kernel, r0, kappa, derivative=False)[0][0])


# ---------------------------------------------------------------------------- budgets
def estimated_pairs(pos: np.ndarray, n_targets: int, rc: float) -> float:
    """Pairs within ``rc`` if the sources filled their bounding box evenly (each side at least ``2 rc``)."""
    if pos.shape[0] == 0 or n_targets == 0:
        return 0.0
    volume = float(np.prod(np.maximum(np.ptp(pos, axis=0), 2.0 * rc)))
    return float(n_targets) * pos.shape[0] * min(1.0, 4.0 / 3.0 * math.pi * rc**3 / volume)


def budget_short(pos: np.ndarray, n_targets: int, rc: float) -> None:
    """Refuse a cutoff whose pair count (estimated for evenly spread sources) is over the size budget."""
    check_budget(f"cutoff = {rc:g} with {pos.shape[0]} sources and {n_targets} targets",
                 memory=FLOAT_BYTES * (12.0 * pos.shape[0] + 6.0 * n_targets),
                 work=10.0 * estimated_pairs(pos, n_targets, rc) + 50.0 * (pos.shape[0] + n_targets))


def check_cutoff(cutoff, r0: float, rtol: float, forces: bool = False) -> float:
    """The explicit cutoff (``> 0``, finite) or the default rule :func:`~.tolerances.cutoff_radius`."""
    return cutoff_radius(r0, rtol, forces) if cutoff is None else as_float(cutoff, "cutoff", low=0.0, low_open=True)


# -------------------------------------------------------------------------------- sums
def short_sums(pos, q, tgt, kernel: str, r0: float, kappa: float, rc: float, grad: bool, s0: float,
               grid: ColumnGrid | None = None) -> np.ndarray:
    """``(M, 1 or 4)``: short-range potential (and gradient) at targets; ``s0`` at distance 0.

    ``grid`` fixes the columns (e.g. those of all particles when ``pos`` is a chunk with its
    halo): the per-target sums then add the same terms in the same order as for all sources.
    """
    budget_short(pos, tgt.shape[0], rc)
    out = np.zeros((tgt.shape[0], 4 if grad else 1))
    if pos.shape[0] == 0 or tgt.shape[0] == 0:
        return out
    grid = column_grid(pos, rc) if grid is None else grid
    src = sort_sources(pos, q, grid)
    # visit the targets by column (locality); any order gives the same result
    cell = np.clip((tgt[:, :2] - grid.lo) / grid.h, -1.0, grid.dims - 1.0).astype(np.int64)
    order = np.ascontiguousarray(np.argsort(cell[:, 0] * grid.dims[1] + cell[:, 1], kind="stable"), dtype=np.int64)
    _nk.cell_short_sum(src.x, src.y, src.z, src.q, src.keys, src.starts, src.bounds, grid.dims, grid.lo, grid.h,
                       REACH, tgt, order, _nk.SHORT_CODES[kernel], r0, kappa, s0, erfcx_table(), rc, grad, out)
    return out


def short_pairs(pos, q, kernel: str, r0: float, kappa: float, rc: float, s0: float, owned: int | None = None,
                grid: ColumnGrid | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Per-particle short-range potentials ``(N,)`` and forces ``(N, 3)`` from all pairs within ``rc``.

    With ``owned``, the first ``owned`` particles are a chunk's own and the others its halo:
    only the pairs with at least one own particle are summed (each to both particles), so
    that the results of chunks whose halos lie on one side add up to those of all
    particles, every pair counted once. ``grid`` fixes the columns (e.g. those of all
    particles).
    """
    n = pos.shape[0]
    potential = np.zeros(n)
    forces = np.zeros((n, 3))
    if n < 2:
        return potential, forces
    grid = column_grid(pos, rc) if grid is None else grid
    src = sort_sources(pos, q, grid)
    own = np.ones(n, dtype=np.bool_) if owned is None else np.ascontiguousarray(src.perm < owned)
    rows = (REACH + 1) * grid.dims[1]
    n_stripes = int(-(-grid.dims[0] // (REACH + 1)))
    stripes = np.searchsorted(src.keys, np.arange(n_stripes + 1, dtype=np.int64) * rows).astype(np.int64)
    pot_sorted = np.zeros(n)
    f_sorted = np.zeros((n, 3))
    _nk.cell_short_pairs(src.x, src.y, src.z, src.q, own, src.keys, src.starts, src.bounds, grid.dims, REACH,
                         stripes, _nk.SHORT_CODES[kernel], r0, kappa, s0, erfcx_table(), rc, pot_sorted, f_sorted)
    potential[src.perm] = pot_sorted
    forces[src.perm] = f_sorted
    return potential, forces


def short_range_potential(positions, charges, targets, r0: float = 1.0, *, kernel: str = "newton",
                          kappa: float = 1.0, rtol: float = 1e-8, cutoff: float | None = None) -> np.ndarray:
    """Short-range part ``sum_j q_j S(|x - x_j|)`` at targets by a cell list.

    Parameters
    ----------
    positions : array_like, shape (N, 3)
    charges : array_like, shape (N,)
    targets : array_like, shape (..., 3)
    r0 : float in [1e-100, 1e100]
        Splitting radius (as in :func:`long_range_potential`).
    kernel, kappa
        As in :func:`long_range_potential`.
    rtol : float
        Sets the default cutoff ``r0 erfcinv(rtol/10)``, beyond which ``erfc(r/r0)`` is
        below ``rtol/10``.
    cutoff : float, optional
        Explicit cutoff radius.

    Returns
    -------
    ndarray, shape (...)

    Raises
    ------
    ValueError, TypeError
        Bad arrays, kernel, ``r0``, ``rtol`` or ``cutoff``; a pair count over the size budget.

    Notes
    -----
    Sources within the cutoff ``r_c`` (``r < r_c``) contribute ``q_j S(r)``. Cell list
    without a pair list: the sources are sorted into columns (cells in x and y of edge
    ``r_c/3``; only occupied columns are stored, so memory is ``O(N)`` for any spread of
    the particles) and by z inside each column. For each target, each of the 7 x 7
    neighbouring columns (binary search on the column keys) whose points' x/y bounding
    rectangle lies closer than ``r_c`` gives, by two binary searches, the contiguous
    z-window of sources that can be within ``r_c``; those are tested and summed in a
    compiled loop, parallel over targets (each target's sum has a fixed order: the result
    does not depend on the thread count). A source at distance 0 from a target
    contributes nothing for the singular kernels (self term) and ``S(0) = erf(kappa r0/2)``
    for Slater.

    Examples
    --------
    >>> from specnum.chebtucker import direct_potential
    >>> v = short_range_potential([[0, 0, 0], [1, 0, 0]], [1.0, -1.0], [[0, 0.5, 0]], r0=0.5)
    >>> ref = direct_potential([[0, 0, 0], [1, 0, 0]], [1.0, -1.0], [[0, 0.5, 0]], kernel="erfc", r0=0.5)
    >>> bool(abs(v[0] - ref[0]) < 1e-14)
    True
    """
    pos, q = check_particles(positions, charges)
    kernel, r0, kappa = check_kernel(kernel, r0, kappa)
    rc = check_cutoff(cutoff, r0, check_rtol(rtol))
    tgt, batch = check_targets(targets)
    s0 = zero_distance_value(kernel, r0, kappa, cancel_long_range=False)
    return short_sums(pos, q, tgt, kernel, r0, kappa, rc, False, s0)[:, 0].reshape(batch)
