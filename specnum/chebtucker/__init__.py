"""Mesh-free Chebyshev-Tucker tensors and multi-particle long-range potentials (pillar 2).

A :class:`ChebTucker` is a 3D Chebyshev interpolant whose coefficient tensor is
stored in Tucker form (orthonormal factors of Chebyshev coefficients and a small
core), after Benner, Khoromskaia, Khoromskij and Sun, *A mesh-free hybrid
Chebyshev-Tucker tensor format with applications to multi-particle modelling*
(arXiv:2503.01696).

Submodules: :mod:`.format` (the container), :mod:`.tucker` (HOSVD/HOOI on full
arrays), :mod:`.construct` and :mod:`.algebra` (the algorithms behind the
container's methods), :mod:`.splitting` (Gaussian-sum range separation of the
Newton, Yukawa and Slater kernels), :mod:`.longrange` (long-range potentials of
particle systems without the ``n^3 N`` direct sum), :mod:`.sourcegrid` (charges to
the source grid), :mod:`.evaluation` (a long-range potential at many points),
:mod:`.neighbours` (the short-range cell list), :mod:`.direct` (direct sums),
:mod:`.potentials` (total potentials, energies and forces), :mod:`.distributed`
(the same as Dask tasks), :mod:`.tolerances` (how ``rtol`` is shared out), :mod:`.radius` (the splitting
radius ``r0`` chosen from the particles).

Examples
--------
>>> import numpy as np
>>> from specnum.chebtucker import ChebTucker
>>> f = ChebTucker.from_function(lambda x, y, z: np.cos(x) * np.exp(y + z), ((0, 1),) * 3, n=16)
>>> f.ranks
(1, 1, 1)
"""

from .direct import EnergyForces, direct_energy_forces, direct_gradient, direct_potential
from .format import ChebTucker
from .longrange import long_range_potential
from .neighbours import short_range_potential
from .potentials import coulomb_energy_forces, total_potential
from .radius import splitting_radius
from .splitting import gaussian_quadrature, split_kernel
from .tucker import hooi, hosvd, tucker_to_full

__all__ = [
    "ChebTucker",
    "hosvd",
    "hooi",
    "tucker_to_full",
    "long_range_potential",
    "direct_potential",
    "direct_gradient",
    "short_range_potential",
    "total_potential",
    "coulomb_energy_forces",
    "splitting_radius",
    "direct_energy_forces",
    "EnergyForces",
    "split_kernel",
    "gaussian_quadrature",
]
