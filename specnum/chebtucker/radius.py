"""The splitting radius ``r0`` chosen from the particles (``r0="auto"`` of the total potentials).

``r0`` only moves work between the two parts of a total potential; the result agrees with
the direct sum to ``rtol`` for any ``r0``. The short range costs about
``N rho_eff (c r0)^3`` pair terms (``rho_eff`` the density around an average particle,
``c = r_c/r0`` the cutoff in units of ``r0``), the long range about ``(w/r0)^3`` grid values
for particles spanning a region of volume ``w^3``. Their sum is smallest at

``r0 = beta sqrt(s_box s_eff)``,

with ``s_box = (w^3/N)^(1/3)`` the mean spacing over the region the particles span and
``s_eff = rho_eff^(-1/3)`` the spacing an average particle sees (the two agree for uniform
particles; in clusters ``s_eff`` is smaller). ``rho_eff`` is estimated from the distance
to the ``k``-th neighbour of a sample of particles (a k-d tree of
:mod:`scipy.spatial` over at most :data:`TREE_POINTS` of them). ``beta`` is the fastest
``r0`` for uniformly random charges of unit density at ``rtol = 1e-6`` (``r0 = 1.75``;
``benchmarks/bench_chebtucker.py`` compares the rule with radii tuned by hand for
clustered charges).
"""

from __future__ import annotations

import math

import numpy as np

from .._validation import as_float_array

__all__ = ["splitting_radius"]

BETA = 1.75  # r0 / spacing of the fastest total potential of uniform charges (rtol 1e-6)
NEIGHBOURS = 16  # the k of the k-th neighbour distance (a density estimate within ~3%)
SAMPLE = 2000  # particles whose neighbour distances are measured
TREE_POINTS = 200_000  # particles in the k-d tree (a random subset of larger systems)


def splitting_radius(positions) -> float:
    """Splitting radius ``r0`` that balances the short- and long-range work for these particles.

    ``r0 = BETA sqrt(s_box s_eff)``: ``s_box`` is the mean spacing over the particles'
    bounding box, ``s_eff`` the spacing around an average particle (from the median
    distance to its 16th neighbour, over a sample of 2000). It scales with the
    coordinates and does not depend on the charges. Deterministic (fixed sampling seed).

    Parameters
    ----------
    positions : array_like, shape (N, 3)
        Finite coordinates.

    Returns
    -------
    float
        ``r0 > 0``; 1.0 when fewer than two distinct positions leave no length scale.

    Raises
    ------
    ValueError, TypeError
        Positions that are not an (N, 3) array of finite reals.

    Notes
    -----
    The total potential costs about ``A N rho_eff r0^3 + B w^3 / r0^3`` (pairs within the
    cutoff, grid values of the long range); the minimum is at ``r0^6 ~ w^3/(N rho_eff)``,
    which is ``r0 ~ sqrt(s_box s_eff)``. ``BETA = 1.75`` is the measured optimum for
    uniform charges (both spacings 1); :func:`total_potential` and
    :func:`coulomb_energy_forces` use this rule with ``r0="auto"``. For random charges the
    long range grows somewhat faster than ``(w/r0)^3`` (its Tucker ranks grow with ``w/r0``
    too); the total time is flat near its minimum, so the rule stays within a few per cent
    of radii found by sweeping ``r0``.

    Examples
    --------
    >>> import numpy as np
    >>> pos = np.random.default_rng(0).uniform(0.0, 40.0, (64000, 3))  # unit density
    >>> r0 = splitting_radius(pos)
    >>> bool(1.6 < r0 < 1.9)
    True
    >>> bool(abs(splitting_radius(pos / 100) - r0 / 100) < 1e-12 * r0)
    True
    """
    pos = as_float_array(positions, "positions", ndim=2, last_dim=3)
    n = pos.shape[0]
    if n < 2:
        return 1.0
    extent = np.ptp(pos, axis=0)
    if not np.any(extent > 0.0):
        return 1.0
    s_eff = _neighbour_spacing(pos)
    if not s_eff > 0.0:  # most particles coincide with their neighbours: the spread is the only scale
        s_eff = float(np.max(extent)) / n ** (1.0 / 3.0)
    # a flat or thin cloud: its thickness counts as at least one spacing
    s_box = float(np.prod(np.maximum(extent, s_eff)) / n) ** (1.0 / 3.0)
    return BETA * math.sqrt(s_box * s_eff)


def _neighbour_spacing(pos: np.ndarray) -> float:
    """``rho_eff^(-1/3)`` from the median distance to the k-th neighbour (0 if degenerate)."""
    from scipy.spatial import cKDTree

    n = pos.shape[0]
    rng = np.random.default_rng(0)
    tree_idx = rng.choice(n, TREE_POINTS, replace=False) if n > TREE_POINTS else np.arange(n)
    m = tree_idx.size
    k = min(NEIGHBOURS, m - 1)
    tree_pts = pos[tree_idx]
    query = tree_pts[rng.choice(m, SAMPLE, replace=False)] if m > SAMPLE else tree_pts
    dist, _ = cKDTree(tree_pts).query(query, k + 1)  # the first neighbour is the point itself
    d = float(np.median(dist[:, -1]))
    if not d > 0.0:
        return 0.0
    rho = k / (4.0 / 3.0 * math.pi * d ** 3) * (n / m)
    return rho ** (-1.0 / 3.0)
