"""Direct sums over all pairs: the exact references of the fast potentials.

``V(x) = sum_j q_j K(|x - x_j|)`` at targets, its gradient, and the energy and forces of a
particle system, by compiled ``O(M N)`` loops (parallel over targets, a fixed summation
order per target). Kernels: ``"newton"`` ``1/r``, ``"erf"`` ``erf(r/r0)/r`` and ``"erfc"``
``erfc(r/r0)/r`` (the two parts of the Newton split), ``"yukawa"`` ``exp(-kappa r)/r``,
``"slater"`` ``exp(-kappa r)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._dask import is_dask_array, map_points
from .._validation import as_choice, as_float, check_budget
from . import _kernels
from ._checks import FLOAT_BYTES, check_kernel, check_particles, check_targets
from .format import ChebTucker

__all__ = ["EnergyForces", "direct_potential", "direct_gradient", "direct_energy_forces"]


@dataclass(frozen=True)
class EnergyForces:
    """Energy, forces and per-particle potentials of a particle system.

    Attributes
    ----------
    energy : float
        ``E = 1/2 sum_{i != j} q_i q_j K(r_ij)``.
    forces : ndarray, shape (N, 3)
        ``F_i = -dE/dx_i``.
    energy_long, energy_short : float
        The long- and short-range parts (``nan`` for the direct sum).
    long_range : ChebTucker or None
        The long-range potential used (None for the direct sum).
    potential : ndarray, shape (N,), optional
        ``V_i = sum_{j != i} q_j K(r_ij)`` at each particle (``E = 1/2 sum_i q_i V_i``).
    timings : dict
        Seconds per stage (names such as ``"spread"``, ``"compress"``, ``"long range"``,
        ``"short range"``); empty for the direct sum.
    """

    energy: float
    forces: np.ndarray
    energy_long: float
    energy_short: float
    long_range: ChebTucker | None
    potential: np.ndarray | None = None
    timings: dict = field(default_factory=dict)


def _direct(pos, q, tgt, kernel: str, r0: float, kappa: float, grad: bool, chunk: int = 65536):
    check_budget(f"{tgt.shape[0]} targets and {pos.shape[0]} sources",
                 memory=tgt.shape[0] * (4 if grad else 1) * FLOAT_BYTES,
                 work=30.0 * float(tgt.shape[0]) * float(pos.shape[0]))
    out = np.zeros((tgt.shape[0], 4 if grad else 1))
    code = _kernels.KERNEL_CODES[kernel]
    for s in range(0, tgt.shape[0], chunk):
        block = np.ascontiguousarray(tgt[s: s + chunk])
        res = np.zeros((block.shape[0], out.shape[1]))
        _kernels.direct_sum(pos, q, block, code, r0, kappa, grad, res)
        out[s: s + chunk] = res
    return out


def _direct_args(positions, charges, kernel, r0, kappa):
    pos, q = check_particles(positions, charges)
    kernel = as_choice(kernel, "kernel", tuple(_kernels.KERNEL_CODES))
    r0 = as_float(r0, "r0", low=1e-100, high=1e100)
    kappa = as_float(kappa, "kappa", low=0.0, high=1e100)
    return pos, q, kernel, r0, kappa


def direct_potential(positions, charges, targets, *, kernel: str = "newton", r0: float = 1.0,
                     kappa: float = 1.0) -> np.ndarray:
    """Direct sum ``V(x) = sum_j q_j K(|x - x_j|)`` at targets (the exact reference).

    Parameters
    ----------
    positions : array_like, shape (N, 3)
    charges : array_like, shape (N,)
    targets : array_like, shape (..., 3)
    kernel : {"newton", "erf", "erfc", "yukawa", "slater"}
        ``1/r``; its long-range part ``erf(r/r0)/r``; its short-range part
        ``erfc(r/r0)/r``; ``exp(-kappa r)/r``; ``exp(-kappa r)``.
    r0 : float in [1e-100, 1e100]
        Splitting radius of ``"erf"``/``"erfc"``.
    kappa : float
        Yukawa screening / Slater decay rate.

    Returns
    -------
    ndarray, shape (...)

    Notes
    -----
    Compiled ``O(M N)`` loop, parallel over targets, processed in chunks of 65536
    targets. Sources at distance 0 from a target are skipped for the singular
    kernels (``newton``, ``erfc``, ``yukawa``: the self term); ``erf`` and ``slater``
    use their finite values ``2/(sqrt(pi) r0)`` and 1.

    Examples
    --------
    >>> v = direct_potential([[0, 0, 0], [1, 0, 0]], [1.0, -1.0], [[0, 2, 0]])
    >>> print(round(float(v[0]), 12))
    0.052786404500
    """
    pos, q, kernel, r0, kappa = _direct_args(positions, charges, kernel, r0, kappa)
    if is_dask_array(targets):
        return map_points(lambda t: direct_potential(pos, q, t, kernel=kernel, r0=r0, kappa=kappa), targets, None,
                          np.float64)
    tgt, batch = check_targets(targets)
    return _direct(pos, q, tgt, kernel, r0, kappa, False)[:, 0].reshape(batch)


def direct_gradient(positions, charges, targets, *, kernel: str = "newton", r0: float = 1.0,
                    kappa: float = 1.0) -> np.ndarray:
    """Gradient of :func:`direct_potential` with respect to the target.

    Parameters
    ----------
    positions, charges, targets, kernel, r0, kappa
        As in :func:`direct_potential` (targets of shape ``(..., 3)``).

    Returns
    -------
    ndarray, shape (..., 3)
        ``grad V(x) = sum_j q_j K'(r_j) (x - x_j) / r_j`` (sources at distance 0 skipped for
        the singular kernels, as in :func:`direct_potential`).

    Raises
    ------
    ValueError, TypeError
        As :func:`direct_potential`.

    Examples
    --------
    >>> g = direct_gradient([[0, 0, 0]], [1.0], [[0, 2, 0]])  # -x / |x|^3
    >>> print((np.round(g[0], 12) + 0.0).tolist())  # (+ 0.0 turns -0.0 into 0.0)
    [0.0, -0.25, 0.0]
    """
    pos, q, kernel, r0, kappa = _direct_args(positions, charges, kernel, r0, kappa)
    tgt, batch = check_targets(targets)
    return _direct(pos, q, tgt, kernel, r0, kappa, True)[:, 1:].reshape(batch + (3,))


def direct_energy_forces(positions, charges, *, kernel: str = "newton", kappa: float = 1.0) -> EnergyForces:
    """Energy and forces by the direct ``O(N^2)`` sum (reference for :func:`coulomb_energy_forces`).

    Coincident particles are skipped for the singular kernels; the self term is excluded.

    Parameters
    ----------
    positions : array_like, shape (N, 3)
    charges : array_like, shape (N,)
    kernel : {"newton", "yukawa", "slater"}
    kappa : float
        Yukawa screening / Slater decay rate.

    Returns
    -------
    EnergyForces
        With ``potential`` (N,) and ``energy_long = energy_short = nan``.

    Examples
    --------
    >>> ef = direct_energy_forces([[0, 0, 0], [0.5, 0, 0]], [1.0, -1.0])
    >>> print(ef.energy, ef.forces[0].tolist())
    -2.0 [4.0, 0.0, 0.0]
    """
    pos, q = check_particles(positions, charges)
    kernel, _, kappa = check_kernel(kernel, 1.0, kappa)
    res = _direct(pos, q, pos, kernel, 1.0, kappa, True)
    v = res[:, 0]
    if kernel == "slater":
        v = v - q  # remove the self term K(0) = 1
    energy = 0.5 * float(q @ v)
    return EnergyForces(energy, -q[:, None] * res[:, 1:], float("nan"), float("nan"), None, potential=v)
