"""Bad input on every public name of specnum.riesz: a clear ValueError/TypeError naming the argument, fast.

One table row per (name, case). Each call must raise the given exception type with a message that
names the offending argument (regular expression), within a second: no NaN result, no numpy
allocation error, no numba typing traceback, no long computation before the refusal. A second test
checks that the table covers every callable in ``specnum.riesz.__all__`` (and in
``specnum.riesz.manufactured.__all__``).
"""

from __future__ import annotations

import functools
import time

import numpy as np
import pytest

import specnum.riesz as rz
from specnum.riesz import manufactured as mf

NAN, INF = float("nan"), float("inf")
HUGE = 10**12


def _structure_args(**change):
    s = rz.assemble_structure(3, 8, 1.5)
    args = dict(degree=s.degree, n=s.n, alpha=s.alpha, toeplitz=s.toeplitz, col_index=s.col_index,
                col_values=s.col_values, row_index=s.row_index, row_values=s.row_values)
    args.update(change)
    return args


def _solution_args(**change):
    knots = np.r_[[0.0] * 4, [0.5], [1.0] * 4]
    args = dict(coefficients=np.zeros(len(knots) - 3 - 3), knots=knots, degree=3, iterations=0, residual=0.0,
                method="direct")
    args.update(change)
    return args


def _comparison_args(**change):
    args = dict(degree=3, n=8, alpha=1.5, eigenvalues=np.ones(9), samples=np.ones(9), outliers=np.ones(0),
                bulk_error=0.0, max_imag=0.0, symbol_max=1.0)
    args.update(change)
    return args


def _col(n=16):
    return rz.RieszCollocation(3, n, 1.5)


ONES = lambda x: np.ones_like(x)  # noqa: E731

CASES = [
    # name, case id, call, exception, regex naming the argument
    ("RieszCollocation", "alpha nan", lambda: rz.RieszCollocation(3, 16, NAN), ValueError, "alpha"),
    ("RieszCollocation", "alpha 2", lambda: rz.RieszCollocation(3, 16, 2.0), ValueError, "alpha"),
    ("RieszCollocation", "degree float", lambda: rz.RieszCollocation(2.5, 16, 1.5), TypeError, "degree"),
    ("RieszCollocation", "degree 1", lambda: rz.RieszCollocation(1, 16, 1.5), ValueError, "degree"),
    ("RieszCollocation", "n huge", lambda: rz.RieszCollocation(3, HUGE, 1.5), ValueError, r"\bn\b"),
    ("RieszCollocation", "n str", lambda: rz.RieszCollocation(3, "16", 1.5), TypeError, r"\bn\b"),
    ("RieszCollocation", "interval inf", lambda: rz.RieszCollocation(3, 16, 1.5, (0.0, INF)), ValueError,
     "interval"),
    ("RieszCollocation", "interval empty", lambda: rz.RieszCollocation(3, 16, 1.5, ()), TypeError, "interval"),
    ("RieszCollocation", "source nan", lambda: _col().solve(lambda x: np.full_like(x, NAN)), ValueError, "source"),
    ("RieszCollocation", "source inf array", lambda: _col().solve(np.full(17, INF)), ValueError, "source"),
    ("RieszCollocation", "source empty", lambda: _col().solve(np.zeros(0)), ValueError, "source"),
    ("RieszCollocation", "source shape", lambda: _col().solve(np.ones((17, 2))), ValueError, "source"),
    ("RieszCollocation", "source dtype", lambda: _col().solve(np.array(["a"] * 17)), TypeError, "source"),
    ("RieszCollocation", "source returns str", lambda: _col().solve(lambda x: np.array(["a"] * x.size)),
     TypeError, "source"),
    ("RieszCollocation", "rtol nan", lambda: _col().solve(ONES, rtol=NAN), ValueError, "rtol"),
    ("RieszCollocation", "rtol positional", lambda: _col().solve(ONES, "direct"), TypeError, "positional"),
    ("RieszCollocation", "method", lambda: _col().solve(ONES, method="lu"), ValueError, "method"),
    ("RieszCollocation", "matrix huge", lambda: _col(40_000).matrix(), ValueError, r"\bn\b"),
    ("RieszCollocation", "direct huge", lambda: _col(40_000).solve(ONES, method="direct"), ValueError, r"\bn\b"),
    ("RieszCollocation", "restart huge", lambda: _col(10**6).solve(ONES, method="gmres", restart=10**4),
     ValueError, "restart"),
    ("RieszCollocation", "knots not open", lambda: rz.RieszCollocation(3, None, 1.5, knots=np.linspace(0, 1, 12)),
     ValueError, "knots"),
    ("RieszCollocation", "knots unsorted",
     lambda: rz.RieszCollocation(3, None, 1.5, knots=np.r_[[0.0] * 4, 0.6, 0.3, 0.8, [1.0] * 4]), ValueError,
     "knots"),
    ("RieszCollocation", "knots too few elements", lambda: rz.RieszCollocation(3, None, 1.5,
                                                                                knots=np.r_[[0.0] * 4, 0.5, [1.0] * 4]),
     ValueError, "knots"),
    ("RieszCollocation", "knots repeated interior",
     lambda: rz.RieszCollocation(3, None, 1.5, knots=np.r_[[0.0] * 4, 0.3, 0.5, 0.5, 0.7, [1.0] * 4]), ValueError,
     "knots"),
    ("RieszCollocation", "knots nan",
     lambda: rz.RieszCollocation(3, None, 1.5, knots=np.r_[[0.0] * 4, 0.3, NAN, 0.7, [1.0] * 4]), ValueError, "knots"),
    ("RieszCollocation", "knots 2-D", lambda: rz.RieszCollocation(3, None, 1.5, knots=np.zeros((4, 4))), ValueError,
     "knots"),
    ("RieszCollocation", "knots dtype", lambda: rz.RieszCollocation(3, None, 1.5, knots=["a"] * 12), TypeError,
     "knots"),
    ("RieszCollocation", "knots huge", lambda: rz.RieszCollocation(2, None, 1.5, knots=np.r_[[0.0] * 2,
                                                                                            np.linspace(0, 1, 40_001),
                                                                                            [1.0] * 2]).matrix(),
     ValueError, "knots|n = "),
    ("RieszCollocation", "n without knots", lambda: rz.RieszCollocation(3, None, 1.5), TypeError, r"\bn\b"),
    ("RieszSolution", "coefficients nan", lambda: rz.RieszSolution(**_solution_args(coefficients=np.full(3, NAN))),
     ValueError, "coefficients"),
    ("RieszSolution", "coefficients shape", lambda: rz.RieszSolution(**_solution_args(coefficients=np.zeros(7))),
     ValueError, "coefficients"),
    ("RieszSolution", "knots unsorted", lambda: rz.RieszSolution(**_solution_args(knots=np.r_[[0.0] * 4, 2.0,
                                                                                          [1.0] * 4])),
     ValueError, "knots"),
    ("RieszSolution", "x nan", lambda: rz.RieszSolution(**_solution_args())(np.array([NAN])), ValueError, r"\bx\b"),
    ("RieszSolution", "x dtype", lambda: rz.RieszSolution(**_solution_args())(np.array(["a"])), TypeError, r"\bx\b"),
    ("RieszStructure", "toeplitz nan", lambda: rz.RieszStructure(**_structure_args(toeplitz=np.full(9, NAN))),
     ValueError, "toeplitz"),
    ("RieszStructure", "col_values shape", lambda: rz.RieszStructure(**_structure_args(col_values=np.ones(9))),
     ValueError, "col_values"),
    ("RieszStructure", "row_index float", lambda: rz.RieszStructure(**_structure_args(row_index=np.array([0.0, 8.0]))),
     TypeError, "row_index"),
    ("assemble_structure", "n huge", lambda: rz.assemble_structure(3, HUGE, 1.5), ValueError, r"\bn\b"),
    ("assemble_structure", "alpha inf", lambda: rz.assemble_structure(3, 16, INF), ValueError, "alpha"),
    ("toeplitz_coefficients", "kmax 1e9", lambda: rz.toeplitz_coefficients(3, 1.5, 10**9), ValueError, "kmax"),
    ("toeplitz_coefficients", "kmax -1", lambda: rz.toeplitz_coefficients(3, 1.5, -1), ValueError, "kmax"),
    ("toeplitz_coefficients", "alpha nan", lambda: rz.toeplitz_coefficients(3, NAN, 4), ValueError, "alpha"),
    ("riesz_constant", "alpha nan", lambda: rz.riesz_constant(NAN), ValueError, "alpha"),
    ("riesz_constant", "alpha str", lambda: rz.riesz_constant("1.5"), TypeError, "alpha"),
    ("hypersingular_constant", "alpha inf", lambda: rz.hypersingular_constant(INF), ValueError, "alpha"),
    ("hypersingular_constant", "alpha array", lambda: rz.hypersingular_constant(np.ones(2)), TypeError, "alpha"),
    ("riesz_symbol", "theta nan", lambda: rz.riesz_symbol(np.array([0.1, NAN]), 3, 1.5), ValueError, "theta"),
    ("riesz_symbol", "theta dtype", lambda: rz.riesz_symbol(np.array(["a"]), 3, 1.5), TypeError, "theta"),
    ("riesz_symbol", "theta complex", lambda: rz.riesz_symbol(np.array([1j]), 3, 1.5), TypeError, "theta"),
    ("riesz_symbol", "degree 31", lambda: rz.riesz_symbol(np.ones(2), 31, 1.5), ValueError, "degree"),
    ("scaled_eigenvalues", "n huge", lambda: rz.scaled_eigenvalues(3, 20_000, 1.5), ValueError, r"\bn\b"),
    ("scaled_eigenvalues", "alpha nan", lambda: rz.scaled_eigenvalues(3, 16, NAN), ValueError, "alpha"),
    ("symbol_samples", "n huge", lambda: rz.symbol_samples(3, HUGE, 1.5), ValueError, r"\bn\b"),
    ("symbol_samples", "n float", lambda: rz.symbol_samples(3, 16.5, 1.5), TypeError, r"\bn\b"),
    ("symbol_maximum", "alpha inf", lambda: rz.symbol_maximum(3, INF), ValueError, "alpha"),
    ("symbol_maximum", "degree 1", lambda: rz.symbol_maximum(1, 1.5), ValueError, "degree"),
    ("outliers", "eigenvalues nan", lambda: rz.outliers(np.array([1.0, NAN]), 3, 1.5), ValueError, "eigenvalues"),
    ("outliers", "eigenvalues 2-D", lambda: rz.outliers(np.ones((2, 2)), 3, 1.5), ValueError, "eigenvalues"),
    ("outliers", "eigenvalues dtype", lambda: rz.outliers(np.array(["a"]), 3, 1.5), TypeError, "eigenvalues"),
    ("outliers", "margin positional", lambda: rz.outliers(np.ones(3), 3, 1.5, 0.1), TypeError, "positional"),
    ("outliers", "margin nan", lambda: rz.outliers(np.ones(3), 3, 1.5, margin=NAN), ValueError, "margin"),
    ("compare_spectrum", "n huge", lambda: rz.compare_spectrum(3, 20_000, 1.5), ValueError, r"\bn\b"),
    ("compare_spectrum", "margin -1", lambda: rz.compare_spectrum(3, 16, 1.5, margin=-1.0), ValueError, "margin"),
    ("SpectralComparison", "eigenvalues nan",
     lambda: rz.SpectralComparison(**_comparison_args(eigenvalues=np.full(9, NAN))), ValueError, "eigenvalues"),
    ("SpectralComparison", "bulk_error inf", lambda: rz.SpectralComparison(**_comparison_args(bulk_error=INF)),
     ValueError, "bulk_error"),
    ("condition_numbers", "ns empty", lambda: rz.condition_numbers(3, [], 1.5), ValueError, "ns"),
    ("condition_numbers", "ns huge", lambda: rz.condition_numbers(3, [20_000, 40_000], 1.5), ValueError, "ns"),
    ("condition_numbers", "ns nan", lambda: rz.condition_numbers(3, [16, NAN], 1.5), TypeError, "ns"),
    ("ConditionGrowth", "condition nan",
     lambda: rz.ConditionGrowth(3, 1.5, np.array([8, 16]), np.array([1.0, NAN]), 1.5), ValueError, "condition"),
    ("ConditionGrowth", "ns float",
     lambda: rz.ConditionGrowth(3, 1.5, np.array([8.0, 16.0]), np.ones(2), 1.5), TypeError, "ns"),
    ("tau_eigenvalues", "size 1e9", lambda: rz.tau_eigenvalues(3, 10**9, 1.5), ValueError, "size"),
    ("tau_eigenvalues", "size 0", lambda: rz.tau_eigenvalues(3, 0, 1.5), ValueError, "size"),
    ("tau_preconditioner", "size 1e9", lambda: rz.tau_preconditioner(3, 10**9, 1.5), ValueError, "size"),
    ("tau_preconditioner", "scale inf", lambda: rz.tau_preconditioner(3, 8, 1.5, scale=INF), ValueError, "scale"),
    ("tau_preconditioner", "scale overflow", lambda: rz.tau_preconditioner(3, 8, 1.5, scale=1e308), ValueError,
     "scale"),
    ("strang_preconditioner", "all zero", lambda: rz.strang_preconditioner(np.zeros(5)), ValueError, "toeplitz"),
    ("strang_preconditioner", "nan", lambda: rz.strang_preconditioner([NAN, 1.0]), ValueError, "toeplitz"),
    ("strang_preconditioner", "empty", lambda: rz.strang_preconditioner(np.zeros(0)), ValueError, "toeplitz"),
    ("strang_preconditioner", "2-D", lambda: rz.strang_preconditioner(np.ones((2, 2))), ValueError, "toeplitz"),
    ("strang_preconditioner", "scale positional", lambda: rz.strang_preconditioner([1.0, -0.4], 2.0), TypeError,
     "positional"),
    ("RieszJacobi", "alpha nan", lambda: rz.RieszJacobi(NAN), ValueError, "alpha"),
    ("RieszJacobi", "n 0", lambda: rz.RieszJacobi(1.5, 0), ValueError, r"\bn\b"),
    ("RieszJacobi", "n huge", lambda: rz.RieszJacobi(1.5, HUGE), ValueError, r"\bn\b"),
    ("RieszJacobi", "n float", lambda: rz.RieszJacobi(1.5, 8.5), TypeError, r"\bn\b"),
    ("RieszJacobi", "interval nan", lambda: rz.RieszJacobi(1.5, None, (NAN, 1.0)), ValueError, "interval"),
    ("RieszJacobi", "interval overflow", lambda: rz.RieszJacobi(1.5, None, (-1e308, 1e308)), ValueError,
     "interval"),
    ("RieszJacobi", "rtol 0", lambda: rz.RieszJacobi(1.5, rtol=0.0), ValueError, "rtol"),
    ("RieszJacobi", "rtol positional", lambda: rz.RieszJacobi(1.5, None, (0.0, 1.0), 1e-10), TypeError,
     "positional"),
    ("RieszJacobi", "max_modes huge", lambda: rz.RieszJacobi(1.5, max_modes=HUGE), ValueError, "max_modes"),
    ("RieszJacobi", "source nan", lambda: rz.RieszJacobi(1.5).solve(lambda x: x * NAN), ValueError, "source"),
    ("RieszJacobi", "source inf const", lambda: rz.RieszJacobi(1.5).solve(INF), ValueError, "source"),
    ("RieszJacobi", "source shape", lambda: rz.RieszJacobi(1.5).solve(lambda x: np.ones(3)), ValueError, "source"),
    ("RieszJacobi", "source dtype", lambda: rz.RieszJacobi(1.5).solve(lambda x: x.astype(str)), TypeError,
     "source"),
    ("RieszJacobi", "source complex", lambda: rz.RieszJacobi(1.5).solve(lambda x: x + 1j), TypeError, "source"),
    ("RieszJacobi", "source str", lambda: rz.RieszJacobi(1.5).solve("1"), TypeError, "source"),
    ("RieszJacobi", "reaction nan", lambda: rz.RieszJacobi(1.5).solve(ONES, reaction=NAN), ValueError, "reaction"),
    ("RieszJacobi", "reaction shape", lambda: rz.RieszJacobi(1.5).solve(ONES, reaction=lambda x: np.ones(2)),
     ValueError, "reaction"),
    ("RieszJacobi", "points m 0", lambda: rz.RieszJacobi(1.5).points(0), ValueError, r"\bm\b"),
    ("JacobiSolution", "coefficients nan", lambda: rz.JacobiSolution(1.5, (0.0, 1.0), [NAN], 0.0, True), ValueError,
     "coefficients"),
    ("JacobiSolution", "coefficients empty", lambda: rz.JacobiSolution(1.5, (0.0, 1.0), [], 0.0, True), ValueError,
     "coefficients"),
    ("JacobiSolution", "error_estimate inf", lambda: rz.JacobiSolution(1.5, (0.0, 1.0), [1.0], INF, True),
     ValueError, "error_estimate"),
    ("JacobiSolution", "resolved str", lambda: rz.JacobiSolution(1.5, (0.0, 1.0), [1.0], 0.0, "yes"), TypeError,
     "resolved"),
    ("JacobiSolution", "x nan", lambda: rz.JacobiSolution(1.5, (0.0, 1.0), [1.0], 0.0, True)([NAN]), ValueError,
     r"\bx\b"),
    ("jacobi_eigenvalues", "m huge", lambda: rz.jacobi_eigenvalues(1.5, HUGE), ValueError, r"\bm\b"),
    ("jacobi_eigenvalues", "alpha 1", lambda: rz.jacobi_eigenvalues(1.0, 4), ValueError, "alpha"),
    ("graded_symbol", "xi outside", lambda: rz.graded_symbol(1.5, 1.0, 3, 1.5, 2.0), ValueError, r"\bxi\b"),
    ("graded_symbol", "theta nan", lambda: rz.graded_symbol(0.5, NAN, 3, 1.5, 2.0), ValueError, "theta"),
    ("graded_symbol", "grading 0.5", lambda: rz.graded_symbol(0.5, 1.0, 3, 1.5, 0.5), ValueError, "grading"),
    ("graded_symbol_quantiles", "n huge", lambda: rz.graded_symbol_quantiles(3, HUGE, 1.5, 2.0), ValueError,
     r"\bn\b"),
    ("graded_symbol_quantiles", "samples 2", lambda: rz.graded_symbol_quantiles(3, 16, 1.5, 2.0, samples=2),
     ValueError, "samples"),
    ("graded_symbol_quantiles", "grading inf", lambda: rz.graded_symbol_quantiles(3, 16, 1.5, INF), ValueError,
     "grading"),
    ("compare_graded_spectrum", "n huge", lambda: rz.compare_graded_spectrum(3, 20_000, 1.5, 2.0), ValueError,
     r"\bn\b"),
    ("compare_graded_spectrum", "grading str", lambda: rz.compare_graded_spectrum(3, 16, 1.5, "2"), TypeError,
     "grading"),
    ("GradedSpectrum", "quantiles shape",
     lambda: rz.GradedSpectrum(3, 8, 1.5, 2.0, np.ones(9), np.ones(3), np.ones(9), 0.0, 1.0, 0.0), ValueError,
     "quantiles"),
    ("GradedSpectrum", "top_ratio nan",
     lambda: rz.GradedSpectrum(3, 8, 1.5, 2.0, np.ones(9), np.ones(9), np.ones(9), 0.0, NAN, 0.0), ValueError,
     "top_ratio"),
    # two dimensions and time
    ("RieszCollocation", "evolve theta", lambda: _col().evolve(ONES, 0.1, 4, theta=0.4), ValueError, "theta"),
    ("RieszCollocation", "evolve steps", lambda: _col().evolve(ONES, 0.1, 0), ValueError, "steps"),
    ("RieszCollocation", "evolve general knots", lambda: rz.RieszCollocation(
        3, None, 1.5, knots=np.r_[[0.0] * 4, [0.1, 0.3, 0.6], [1.0] * 4]).evolve(ONES, 0.1, 2), ValueError,
     "collocation"),
    ("RieszCollocation", "evolve source shape", lambda: _col().evolve(ONES, 0.1, 2, lambda t, x: np.ones(3)),
     ValueError, "source"),
    ("RieszCollocation2D", "degree triple", lambda: rz.RieszCollocation2D((2, 3, 4), 8, 1.5), ValueError, "degree"),
    ("RieszCollocation2D", "alpha pair 2", lambda: rz.RieszCollocation2D(3, 8, (1.5, 2.0)), ValueError, "alpha"),
    ("RieszCollocation2D", "coefficients 0", lambda: rz.RieszCollocation2D(3, 8, 1.5, coefficients=(1.0, 0.0)),
     ValueError, "coefficients"),
    ("RieszCollocation2D", "box tiny", lambda: rz.RieszCollocation2D(3, 8, 1.5, box=((0.0, 1e-300), (0.0, 1.0))),
     ValueError, "box"),
    ("RieszCollocation2D", "n huge", lambda: rz.RieszCollocation2D(3, (HUGE, 8), 1.5).solve(np.ones((9, 9))),
     ValueError, r"\bn\b"),
    ("RieszCollocation2D", "source nan",
     lambda: rz.RieszCollocation2D(3, 8, 1.5).solve(lambda x, y: np.full_like(x, NAN)),
     ValueError, "source"),
    ("RieszCollocation2D", "source shape", lambda: rz.RieszCollocation2D(3, 8, 1.5).solve(np.ones(81)), ValueError,
     "source"),
    ("RieszCollocation2D", "rtol positional",
     lambda: rz.RieszCollocation2D(3, 8, 1.5).solve(np.ones((9, 9)), "direct"), TypeError, "positional"),
    ("RieszCollocation2D", "matrix huge", lambda: rz.RieszCollocation2D(3, 400, 1.5).matrix(), ValueError, r"\bn\b"),
    ("RieszCollocation2D", "evolve theta",
     lambda: rz.RieszCollocation2D(3, 8, 1.5).evolve(np.ones((9, 9)), 0.1, 2, theta=1.5), ValueError, "theta"),
    ("RieszCollocation2D", "evolve steps", lambda: rz.RieszCollocation2D(3, 8, 1.5).evolve(np.ones((9, 9)), 0.1, 0),
     ValueError, "steps"),
    ("RieszSolution2D", "coefficients nan", lambda: rz.RieszSolution2D(
        np.full((9, 9), NAN), rz.RieszCollocation2D(3, 8, 1.5).knots(), 3, 0, 0.0, "gmres"), ValueError,
     "coefficients"),
    ("RieszSolution2D", "knots pair", lambda: rz.RieszSolution2D(np.zeros((9, 9)), (np.zeros(3),), 3, 0, 0.0, "gmres"),
     ValueError, "knots"),
    ("Evolution", "times nan", lambda: rz.Evolution(np.array([NAN]), np.array([0]), np.zeros((1, 3)), np.zeros(0, int),
                                                    np.zeros(0), 0.5, 0.1, np.zeros(8), 3), ValueError, "times"),
    ("riesz_symbol_2d", "theta nan", lambda: rz.riesz_symbol_2d(NAN, 0.1, 3, 1.5), ValueError, "theta1"),
    ("riesz_symbol_2d", "weights negative", lambda: rz.riesz_symbol_2d(0.1, 0.1, 3, 1.5, (1.0, -1.0)), ValueError,
     "weights"),
    ("value_matrix", "n huge", lambda: rz.value_matrix(3, HUGE), ValueError, r"\bn\b"),
    ("value_matrix", "degree 1", lambda: rz.value_matrix(1, 8), ValueError, "degree"),
    ("value_symbol", "theta nan", lambda: rz.value_symbol(np.array([NAN]), 3), ValueError, "theta"),
    ("scaled_eigenvalues_2d", "n huge", lambda: rz.scaled_eigenvalues_2d(3, 200, 1.5), ValueError, r"\bn\b"),
    ("symbol_samples_2d", "n huge", lambda: rz.symbol_samples_2d(3, HUGE, 1.5), ValueError, r"\bn\b"),
    ("compare_spectrum_2d", "margin nan", lambda: rz.compare_spectrum_2d(3, 8, 1.5, margin=NAN), ValueError, "margin"),
    ("condition_numbers_2d", "ns empty", lambda: rz.condition_numbers_2d(3, [], 1.5), ValueError, "ns"),
    ("SpectralComparison2D", "eigenvalues nan", lambda: rz.SpectralComparison2D(
        3, 8, 1.5, (1.0, 1.0), np.full(4, NAN), np.ones(4), np.ones(0), 0.0, 0.0, 1.0), ValueError, "eigenvalues"),
    ("ConditionGrowth2D", "condition nan", lambda: rz.ConditionGrowth2D(3, 1.5, np.array([8, 16]), np.array([2.0, NAN]),
                                                                        1.5), ValueError, "condition"),
    # specnum.riesz.manufactured
    ("polynomial_solution", "coeffs nan", lambda: mf.polynomial_solution([0.0, NAN, 1.0], 1.5), ValueError, "coeffs"),
    ("polynomial_solution", "coeffs empty", lambda: mf.polynomial_solution([], 1.5), ValueError, "coeffs"),
    ("polynomial_solution", "coeffs 2-D", lambda: mf.polynomial_solution(np.zeros((2, 2)), 1.5), ValueError,
     "coeffs"),
    ("polynomial_solution", "coeffs degree 200",
     lambda: mf.polynomial_solution([0.0] + [1.0] * 199 + [-199.0], 1.5), ValueError, "coeffs"),
    ("polynomial_solution", "coeffs huge", lambda: mf.polynomial_solution([0.0, 1e308, -1e308], 1.5, (0.0, 1e-3)),
     ValueError, "coeffs"),
    ("polynomial_solution", "interval tiny", lambda: mf.polynomial_solution([0.0, 1.0, -1.0], 1.5, (0.0, 1e-300)),
     ValueError, "interval"),
    ("polynomial_solution", "interval overflow",
     lambda: mf.polynomial_solution([0.0, 1.0, -1.0], 1.5, (-1e308, 1e308)), ValueError, "interval"),
    ("polynomial_solution", "source outside", lambda: mf.polynomial_solution([0.0, 1.0, -1.0], 1.5).source(2.0),
     ValueError, r"\bx\b"),
    ("exp_polynomial_solution", "coeffs ends", lambda: mf.exp_polynomial_solution([1.0, 1.0], 1.5), ValueError,
     "coeffs"),
    ("exp_polynomial_solution", "coeffs dtype", lambda: mf.exp_polynomial_solution(["a"], 1.5), TypeError,
     "coeffs"),
    ("fractional_power_solution", "interval tiny", lambda: mf.fractional_power_solution(1.5, (0.0, 1e-300)),
     ValueError, "interval"),
    ("fractional_power_solution", "alpha nan", lambda: mf.fractional_power_solution(NAN), ValueError, "alpha"),
    ("test_problem", "name", lambda: mf.test_problem("T9", 1.5), ValueError, "name"),
    ("test_problem", "alpha inf", lambda: mf.test_problem("T1", INF), ValueError, "alpha"),
    ("ManufacturedSolution", "exact not callable",
     lambda: mf.ManufacturedSolution("u", 1.5, (0.0, 1.0), 1.0, ONES), TypeError, "exact"),
    ("ManufacturedSolution", "alpha nan", lambda: mf.ManufacturedSolution("u", NAN, (0.0, 1.0), ONES, ONES),
     ValueError, "alpha"),
]

# names that are not callables taking user input
EXEMPT = {"manufactured", "TEST_PROBLEMS", "MAX_POLY_DEGREE"}


@functools.lru_cache(maxsize=1)
def _warm_up() -> None:
    """Load the numba kernels and the small cached tables the cases use, outside the timed region."""
    rz.assemble_structure(3, 8, 1.5)
    rz.RieszSolution(**_solution_args())(np.linspace(0.0, 1.0, 3))
    _col().solve(ONES)


@pytest.mark.parametrize("name, case, call, exc, match", CASES, ids=[f"{c[0]}: {c[1]}" for c in CASES])
def test_bad_input_raises_naming_argument(name, case, call, exc, match):
    _warm_up()
    start = time.perf_counter()
    with pytest.raises(exc, match=match):
        call()
    assert time.perf_counter() - start < 1.0, f"{name} ({case}) took too long to refuse"


def test_table_covers_every_public_name():
    public = set(rz.__all__) | set(mf.__all__)
    covered = {c[0] for c in CASES}
    missing = sorted(public - covered - EXEMPT)
    assert not missing, f"public names without a bad-input case: {missing}"


def test_size_budget_is_in_force_and_can_be_raised():
    import specnum

    with specnum.size_budget(memory=2**12):
        with pytest.raises(ValueError, match="kmax = 1000 needs about"):
            rz.toeplitz_coefficients(3, 1.5, 1000)
    assert rz.toeplitz_coefficients(3, 1.5, 1000).shape == (1001,)
    with pytest.raises(ValueError, match="size budget"):
        rz.toeplitz_coefficients(3, 1.5, 10**9)
    with specnum.size_budget(work=1e3):
        with pytest.raises(ValueError, match="operations"):
            rz.scaled_eigenvalues(3, 16, 1.5)
