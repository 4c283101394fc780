"""The shared basis-and-quadrature layer (L1) under the three pillars.

Submodules (each also importable on its own):

- :mod:`~specnum.bases.quadrature`: Gauss-Legendre/Jacobi/Lobatto/Radau, Clenshaw-Curtis, periodic trapezoid;
- :mod:`~specnum.bases.chebyshev`: points, values <-> coefficients by DCT, Clenshaw evaluation, calculus, chop;
- :mod:`~specnum.bases.bsplines`: knots, B-spline bases, cardinal B-splines, fractional derivatives;
- :mod:`~specnum.bases.knots`: non-uniform open knot vectors (graded toward both ends);
- :mod:`~specnum.bases.fourier`: wavenumbers, centred FFT conventions, 2D linear convolution;
- :mod:`~specnum.bases.sphharm`: real spherical harmonics, sphere grids, Wigner D matrices;
- :mod:`~specnum.bases.coupling`: Wigner 3j, Clebsch-Gordan and Gaunt coefficients in float64;
- :mod:`~specnum.bases.exact`: the same coefficients (and Gauss nodes) in exact/mpmath arithmetic.

The generic names of ``chebyshev`` and ``fourier`` (``points``, ``evaluate``, ...) stay in their
namespaces; the classes and the unambiguous functions are re-exported here.
"""

from specnum.bases import bsplines, chebyshev, coupling, exact, fourier, knots, quadrature, sphharm
from specnum.bases.bsplines import (
    BSplineBasis,
    cardinal_bspline,
    cardinal_fractional_derivative,
    collocation_matrix,
    open_uniform_knots,
)
from specnum.bases.coupling import (
    GauntSparse,
    clebsch_gordan,
    real_gaunt,
    real_gaunt_sparse,
    real_gaunt_table,
    wigner_3j,
)
from specnum.bases.knots import graded_knots
from specnum.bases.quadrature import (
    QuadratureRule,
    clenshaw_curtis,
    gauss_jacobi,
    gauss_legendre,
    gauss_lobatto,
    gauss_radau,
    periodic_trapezoid,
    quadrature_rule,
)
from specnum.bases.sphharm import (
    SphereGrid,
    random_rotation,
    real_sph_harm,
    real_sph_harm_xyz,
    sphere_grid,
    wigner_D_real,
)

__all__ = [
    "bsplines", "chebyshev", "coupling", "exact", "fourier", "quadrature", "sphharm",
    "BSplineBasis", "open_uniform_knots", "cardinal_bspline", "cardinal_fractional_derivative",
    "collocation_matrix", "knots", "graded_knots",
    "QuadratureRule", "quadrature_rule", "gauss_legendre", "gauss_jacobi", "gauss_lobatto", "gauss_radau",
    "clenshaw_curtis", "periodic_trapezoid",
    "SphereGrid", "sphere_grid", "real_sph_harm", "real_sph_harm_xyz", "wigner_D_real", "random_rotation",
    "GauntSparse", "wigner_3j", "clebsch_gordan", "real_gaunt", "real_gaunt_sparse", "real_gaunt_table",
]
