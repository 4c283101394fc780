"""Potentials, energies and forces of particle systems: long range (ChebTucker) plus short range (cell list).

Internal module: :mod:`specnum.chebtucker` re-exports ``EnergyForces``,
``long_range_potential``, ``direct_potential``, ``direct_gradient``, ``short_range_potential``,
``total_potential``, ``coulomb_energy_forces``, ``direct_energy_forces``, ``split_kernel``,
``gaussian_quadrature``; the other names here serve the pillar's own modules and may change.

The public entry points of the particle part of the pillar. The pieces live in their own
modules: :mod:`.splitting` (range separation ``K = L + S``), :mod:`.longrange` (the
long-range ChebTucker), :mod:`.evaluation` (it at many points), :mod:`.neighbours` (the
short-range cell list), :mod:`.direct` (the exact direct sums) and :mod:`.distributed`
(the same computations as Dask tasks).
"""

from __future__ import annotations

import math
import time

import numpy as np

from .._validation import as_choice
from ._checks import check_inside, check_kernel, check_particles, check_rtol, check_targets
from ._parallel import default_threads, single_blas
from .direct import EnergyForces, direct_energy_forces, direct_gradient, direct_potential
from .evaluation import evaluate_many, stencil_margin
from .longrange import (
    check_grid_memory,
    compress,
    long_range_potential,
    plan_for,
    prepare,
    source_grid,
    zero_potential,
)
from .neighbours import budget_short, check_cutoff, short_pairs, short_range_potential, short_sums, zero_distance_value
from .radius import splitting_radius
from .splitting import KERNELS, gaussian_quadrature, split_kernel, split_with_derivative

__all__ = [
    "KERNELS",
    "EnergyForces",
    "long_range_potential",
    "direct_potential",
    "direct_gradient",
    "short_range_potential",
    "total_potential",
    "coulomb_energy_forces",
    "direct_energy_forces",
    "split_kernel",
    "gaussian_quadrature",
    "long_range_at_zero",
    "default_box",
    "resolve_r0",
]


def resolve_r0(r0, positions, charges):
    """``r0`` as given, or :func:`~specnum.chebtucker.radius.splitting_radius` of the particles for ``"auto"``.

    Positions and charges are validated first (a bad ``r0`` string names ``r0``)."""
    if not isinstance(r0, str):
        return r0
    as_choice(r0, "r0", ("auto",))
    pos, _ = check_particles(positions, charges)
    return splitting_radius(pos)


def long_range_at_zero(kernel: str, r0: float, kappa: float) -> float:
    """``L(0)``, the long-range part of the kernel at distance 0 (the self term of ``V_L``)."""
    return float(split_with_derivative(np.zeros(1), kernel, r0, kappa, derivative=False)[0][0])


def default_box(pos: np.ndarray, r0: float, rtol: float) -> tuple:
    """The particles' bounding box widened by ``r0/2`` and by the evaluation stencils' reach."""
    margin = max(0.5 * r0, stencil_margin(r0, rtol))
    lo = pos.min(axis=0) - margin
    hi = pos.max(axis=0) + margin
    return tuple((float(a), float(b)) for a, b in zip(lo, hi))


def _build(pos, q, box, r0, nn, rtol, kernel, kappa, n_max, grid_memory, threads, timings):
    t0 = time.perf_counter()
    plan = plan_for(pos, q, box, r0, nn, rtol, kernel, kappa, n_max, "auto", threads=threads)
    t1 = time.perf_counter()
    qgrid = source_grid(plan, pos, q, grid_memory=grid_memory, threads=threads)
    t2 = time.perf_counter()
    lr = compress(plan, qgrid, threads=threads)
    t3 = time.perf_counter()
    timings.update({"plan": t1 - t0, "spread": t2 - t1, "compress": t3 - t2})
    return lr


def total_potential(positions, charges, targets, box, r0: float | str = "auto", *, n=None, rtol: float = 1e-8,
                    kernel: str = "newton", kappa: float = 1.0, cutoff: float | None = None,
                    grid_memory: float | None = None, executor=None) -> np.ndarray:
    """Full potential ``sum_j q_j K(|x - x_j|)`` at targets in the box: long range + short range.

    Parameters
    ----------
    positions, charges, box, n, rtol, kernel, kappa, grid_memory
        As in :func:`long_range_potential`.
    r0 : float or "auto"
        Splitting radius (as in :func:`long_range_potential`); it moves work between the
        long and the short range and leaves the result within ``rtol``. ``"auto"`` (default):
        :func:`~specnum.chebtucker.splitting_radius` of the positions, which balances the two
        for uniform and for clustered particles at any length scale.
    targets : array_like, shape (..., 3)
        Points inside ``box`` (may be the particles themselves).
    cutoff : float, optional
        As in :func:`short_range_potential` (default ``r0 erfcinv(rtol/10)``).
    executor : None, "dask" or dask.distributed.Client
        As in :func:`long_range_potential`; with one, the targets are evaluated in chunks
        too, each with the sources within the cutoff (see :mod:`.distributed`).

    Returns
    -------
    ndarray, shape (...)

    Raises
    ------
    ValueError, TypeError
        As :func:`long_range_potential` and :func:`short_range_potential`; targets outside the box.

    Notes
    -----
    A source on a target is excluded for the singular kernels, as in
    :func:`direct_potential` (its short-range term cancels the finite long-range value
    ``L(0)`` there). Many targets take the long-range values from a uniform grid and local
    interpolation (see :mod:`specnum.chebtucker.evaluation`). The error is small relative to
    the size of the potential (see :func:`long_range_potential`), not pointwise relative
    where the potential nearly cancels.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> pos, q = rng.uniform(-1, 1, (50, 3)), rng.choice([-1.0, 1.0], 50)
    >>> v = total_potential(pos, q, pos, ((-1.5, 1.5),) * 3, r0=0.5, rtol=1e-10)
    >>> ref = direct_potential(pos, q, pos)
    >>> bool(np.max(np.abs(v - ref)) <= 1e-9 * np.max(np.abs(ref)))
    True
    """
    r0 = resolve_r0(r0, positions, charges)
    pos, q, box, r0, nn, rtol, kernel, kappa, n_max, _ = prepare(positions, charges, box, r0, n, rtol, kernel,
                                                                 kappa, 1025, "auto")
    rc = check_cutoff(cutoff, r0, rtol)
    tgt, batch = check_targets(targets)
    check_inside(tgt, box, "targets")
    grid_memory = check_grid_memory(grid_memory)
    budget_short(pos, tgt.shape[0], rc)
    s0 = zero_distance_value(kernel, r0, kappa, cancel_long_range=True)
    if executor is not None:
        from . import distributed

        return distributed.total_potential(distributed.runner(executor), pos, q, tgt, box, r0, nn, rtol, kernel,
                                           kappa, n_max, rc, s0, grid_memory).reshape(batch)
    threads = default_threads()
    with single_blas():
        if pos.shape[0] == 0 or not np.any(q):
            lr = zero_potential(box, nn)
        else:
            lr = _build(pos, q, box, r0, nn, rtol, kernel, kappa, n_max, grid_memory, threads, {})
        long = evaluate_many(lr, tgt, r0, rtol, False, grid_memory=grid_memory, threads=threads)[:, 0]
    short = short_sums(pos, q, tgt, kernel, r0, kappa, rc, False, s0)[:, 0]
    return (long + short).reshape(batch)


def coulomb_energy_forces(positions, charges, box=None, r0: float | str = "auto", *, n=None, rtol: float = 1e-8,
                          kernel: str = "newton", kappa: float = 1.0, cutoff: float | None = None,
                          grid_memory: float | None = None, executor=None) -> EnergyForces:
    """Energy, forces and potentials of point charges by range separation (ChebTucker + cell list).

    Parameters
    ----------
    positions : array_like, shape (N, 3)
    charges : array_like, shape (N,)
    box : ((a1, b1), (a2, b2), (a3, b3)), optional
        Must contain the particles; default: their bounding box widened by ``r0/2`` and by
        the reach of the evaluation stencils (about ``r0``).
    r0, n, rtol, kernel, kappa, grid_memory, executor
        As in :func:`long_range_potential` and :func:`total_potential` (``r0="auto"`` by default).
    cutoff : float, optional
        Explicit short-range cutoff; default: the rule of
        :func:`~specnum.chebtucker.tolerances.cutoff_radius` for forces (beyond it the
        short-range potential and force are below ``rtol/10`` of the kernel's).

    Returns
    -------
    EnergyForces
        ``energy``, ``forces`` (N, 3), ``potential`` (N,) at every particle (self term
        excluded), the long- and short-range energies, the long-range ChebTucker and the
        seconds per stage (``timings``).

    Raises
    ------
    ValueError, TypeError
        As :func:`total_potential`; particles outside the box; charges so large that the
        energy overflows float64.

    Notes
    -----
    ``V_i = V_L(x_i) - L(0) q_i + sum_{j != i, r_ij < r_c} q_j S(r_ij)``,
    ``E = 1/2 sum_i q_i V_i``, ``F_i = -q_i grad V_L(x_i) - sum_j q_i q_j S'(r_ij) (x_i - x_j)/r_ij``
    (the self term of ``V_L`` has zero gradient). Coincident distinct particles: Slater
    includes ``K(0)``; the singular kernels exclude the pair, as
    :func:`direct_energy_forces` does. The long-range values come from a uniform grid
    and local interpolation (see :mod:`.evaluation`); the short-range pairs from the cell
    list of :func:`short_range_potential`, each unordered pair within the cutoff visited
    once, in parallel over stripes of columns (the result does not depend on the thread
    count). The error is small relative to the size of the potential and of the forces,
    not pointwise relative (see :func:`long_range_potential`).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> pos, q = rng.uniform(-1, 1, (60, 3)), rng.uniform(-1, 1, 60)
    >>> ef = coulomb_energy_forces(pos, q, r0=0.5, rtol=1e-10)
    >>> ref = direct_energy_forces(pos, q)
    >>> bool(abs(ef.energy - ref.energy) <= 1e-9 * abs(ref.energy))
    True
    """
    t_start = time.perf_counter()
    r0 = resolve_r0(r0, positions, charges)
    if box is None:
        pos, _ = check_particles(positions, charges)
        _, r0_checked, _ = check_kernel(kernel, r0, kappa)
        box = default_box(pos, r0_checked, check_rtol(rtol)) if pos.shape[0] else ((-1.0, 1.0),) * 3
    pos, q, box, r0, nn, rtol, kernel, kappa, n_max, _ = prepare(positions, charges, box, r0, n, rtol, kernel,
                                                                 kappa, 1025, "auto")
    check_inside(pos, box, "positions")
    rc = check_cutoff(cutoff, r0, rtol, forces=True)
    grid_memory = check_grid_memory(grid_memory)
    budget_short(pos, pos.shape[0] // 2, rc)
    s0 = zero_distance_value(kernel, r0, kappa, cancel_long_range=True)
    l0 = long_range_at_zero(kernel, r0, kappa)
    timings: dict = {}
    if executor is not None:
        from . import distributed

        lr, vals, vs, fs = distributed.energy_forces(distributed.runner(executor), pos, q, box, r0, nn, rtol, kernel,
                                                     kappa, n_max, rc, s0, grid_memory, timings)
    else:
        threads = default_threads()
        with single_blas():
            if pos.shape[0] == 0 or not np.any(q):
                lr = zero_potential(box, nn)
            else:
                lr = _build(pos, q, box, r0, nn, rtol, kernel, kappa, n_max, grid_memory, threads, timings)
            t0 = time.perf_counter()
            vals = evaluate_many(lr, pos, r0, rtol, True, grid_memory=grid_memory, threads=threads)
        t1 = time.perf_counter()
        vs, fs = short_pairs(pos, q, kernel, r0, kappa, rc, s0)
        timings.update({"long range": t1 - t0, "short range": time.perf_counter() - t1})
    with np.errstate(over="ignore", invalid="ignore"):
        potential = vals[:, 0] - l0 * q + vs
        e_long = 0.5 * float(q @ vals[:, 0]) - 0.5 * l0 * float(q @ q)
        e_short = 0.5 * float(q @ vs)
        forces = fs - q[:, None] * vals[:, 1:]
    if not (math.isfinite(e_long) and math.isfinite(e_short) and np.all(np.isfinite(forces))):
        raise ValueError(f"charges of magnitude up to {float(np.max(np.abs(q))):.3g} make the energy or the forces "
                         "overflow float64 (they grow like the charges squared); rescale the charges")
    timings["total"] = time.perf_counter() - t_start
    return EnergyForces(e_long + e_short, forces, e_long, e_short, lr, potential=potential, timings=timings)
