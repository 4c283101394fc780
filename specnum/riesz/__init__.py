"""Riesz fractional equations by B-spline collocation (pillar L2).

Solve ``L u = -d^alpha u/d|x|^alpha = c_alpha (D^alpha_left + D^alpha_right) u = s`` on an
interval with zero Dirichlet data (``1 < alpha < 2``, ``c_alpha = 1/(2 cos(pi alpha/2))``) by
maximally smooth B-splines of degree ``p >= 2`` collocated at Greville points; study the
Toeplitz-plus-low-rank matrices through their symbol ``f_{p,alpha}``.

Main entry points: :class:`RieszCollocation` (matrix, fast operator, solvers; uniform or
general knots), :class:`RieszJacobi` (weighted Jacobi spectral solver for smooth sources),
:func:`riesz_symbol`, the spectral tools (uniform and graded knots), and
:mod:`specnum.riesz.manufactured`.
In two dimensions: :class:`RieszCollocation2D` (tensor-product collocation of
``K_x L_alpha u + K_y L_beta u = f`` on a rectangle), :func:`riesz_symbol_2d` and the
2D spectral tools; in time: ``evolve`` (theta-method) on both collocation classes.
"""

from specnum.riesz import manufactured
from specnum.riesz.assembly import RieszStructure, assemble_structure, toeplitz_coefficients
from specnum.riesz.collocation import RieszCollocation, RieszSolution
from specnum.riesz.collocation2d import RieszCollocation2D, RieszSolution2D
from specnum.riesz.graded import GradedSpectrum, compare_graded_spectrum, graded_symbol, graded_symbol_quantiles
from specnum.riesz.jacobi import JacobiSolution, RieszJacobi, jacobi_eigenvalues
from specnum.riesz.operators import hypersingular_constant, riesz_constant
from specnum.riesz.solve import strang_preconditioner, tau_eigenvalues, tau_preconditioner
from specnum.riesz.spectral import (
    ConditionGrowth,
    SpectralComparison,
    compare_spectrum,
    condition_numbers,
    outliers,
    scaled_eigenvalues,
    symbol_maximum,
    symbol_samples,
)
from specnum.riesz.spectral2d import (
    ConditionGrowth2D,
    SpectralComparison2D,
    compare_spectrum_2d,
    condition_numbers_2d,
    scaled_eigenvalues_2d,
    symbol_samples_2d,
)
from specnum.riesz.symbol import riesz_symbol
from specnum.riesz.symbol2d import riesz_symbol_2d
from specnum.riesz.timestepping import Evolution
from specnum.riesz.values import value_matrix, value_symbol

__all__ = [
    "RieszCollocation",
    "RieszSolution",
    "RieszStructure",
    "RieszJacobi",
    "JacobiSolution",
    "jacobi_eigenvalues",
    "assemble_structure",
    "toeplitz_coefficients",
    "riesz_constant",
    "hypersingular_constant",
    "riesz_symbol",
    "scaled_eigenvalues",
    "symbol_samples",
    "symbol_maximum",
    "outliers",
    "compare_spectrum",
    "SpectralComparison",
    "condition_numbers",
    "ConditionGrowth",
    "graded_symbol",
    "graded_symbol_quantiles",
    "compare_graded_spectrum",
    "GradedSpectrum",
    "tau_eigenvalues",
    "tau_preconditioner",
    "strang_preconditioner",
    "manufactured",
    "RieszCollocation2D",
    "RieszSolution2D",
    "Evolution",
    "riesz_symbol_2d",
    "value_matrix",
    "value_symbol",
    "scaled_eigenvalues_2d",
    "symbol_samples_2d",
    "compare_spectrum_2d",
    "SpectralComparison2D",
    "condition_numbers_2d",
    "ConditionGrowth2D",
]
