"""Every public name of quadrature, chebyshev, fourier, bsplines and specnum.testing refuses bad input.

A table of (callable, keyword arguments) cases: each valid call is spoiled in one
argument at a time with NaN, infinity, an empty or wrongly shaped array, a wrong
dtype (a string, complex where real is needed), an out-of-range value or a huge
size. Every case must raise ValueError or TypeError whose message names the
spoiled argument, within a second (the refusal comes before any real work or
allocation). Sizes that come from array arguments are tested against a lowered
size budget (``specnum.size_budget``), so the test never allocates much.
"""

from __future__ import annotations

import contextlib
import math
import re
import time

import numpy as np
import pytest

import specnum
from specnum import testing
from specnum.bases import bsplines, chebyshev, fourier, knots, quadrature

NAN, INF = math.nan, math.inf
HUGE = 10**9  # a size argument far beyond the default budget
SMALL_BUDGET = {"memory": 2.0**16, "work": 1e5}  # for sizes that come from (moderate) arrays
BIG = np.ones(2**14)  # 128 KiB: over SMALL_BUDGET once copied

INT_BAD = [("nan", NAN), ("inf", INF), ("str", "8"), ("complex", 8 + 0j), ("float", 2.5), ("bool", True)]
REAL_BAD = [("nan", NAN), ("inf", INF), ("str", "0.5"), ("complex", 0.5j), ("none", None)]
INTERVAL_BAD = [
    ("nan", (NAN, 1.0)), ("inf", (0.0, INF)), ("empty", ()), ("str", "ab"), ("complex", (1j, 2.0)),
    ("reversed", (1.0, 0.0)), ("overflowing", (-1e308, 1e308)), ("scalar", 1.0), ("triple", (0.0, 1.0, 2.0)),
]


def _real_array_bad(shape_ok, ndim_wrong):
    """NaN, inf, empty, wrong shape, string and complex versions of a real array argument."""
    good = np.full(shape_ok, 0.5)
    nan, inf = good.copy(), good.copy()
    nan.flat[0], inf.flat[-1] = NAN, -INF
    return [
        ("nan", nan), ("inf", inf), ("empty", np.zeros((0,) * len(shape_ok))), ("wrong-shape", np.ones(ndim_wrong)),
        ("str", np.full(shape_ok, "a")), ("complex", good + 1j), ("object", np.array([None, 1.0], dtype=object)),
    ]


def _complex_ok_array_bad(shape_ok, ndim_wrong):
    """As _real_array_bad, for arguments where complex values are valid (so complex is not a bad input)."""
    return [case for case in _real_array_bad(shape_ok, ndim_wrong) if case[0] != "complex"]


CASES = []


def add(label, func, base, param, bads, name=None, budget=None):
    """One case per bad value of ``param``; the message must name ``name`` (default ``param``)."""
    for tag, bad in bads:
        CASES.append(pytest.param(func, {**base, param: bad}, name or param, budget, id=f"{label}-{param}-{tag}"))


# ---------------------------------------------------------------------------------------------
# quadrature
Q = quadrature
for label, fn, base in [
    ("gauss_legendre", Q.gauss_legendre, {"n": 5}),
    ("gauss_jacobi", Q.gauss_jacobi, {"n": 5, "alpha": 0.5, "beta": -0.25}),
    ("gauss_lobatto", Q.gauss_lobatto, {"n": 5}),
    ("gauss_radau", Q.gauss_radau, {"n": 5}),
    ("clenshaw_curtis", Q.clenshaw_curtis, {"n": 5}),
    ("periodic_trapezoid", Q.periodic_trapezoid, {"n": 5}),
]:
    add(label, fn, base, "n", INT_BAD + [("negative", -3), ("huge", HUGE), ("huge2", 2**70)])
    add(label, fn, base, "interval", INTERVAL_BAD)
    if label == "gauss_jacobi":
        for p in ("alpha", "beta"):
            add(label, fn, base, p, REAL_BAD + [("minus-one", -1.0), ("huge", 1e7)])
        add(label, fn, {**base, "alpha": 1e6}, "beta", [("mass-overflows", 0.0)], name="alpha = 1000000.0, beta")
        add(label, fn, {**base, "alpha": 30.0}, "interval", [("jacobian-underflows", (0.0, 1e-30))])
    if label == "gauss_radau":
        add(label, fn, base, "endpoint", [("bad", "middle"), ("int", 1), ("none", None)])

RULE_ARGS = {"points": np.array([-0.5, 0.5]), "weights": np.array([1.0, 1.0]), "degree": 1, "interval": (-1.0, 1.0)}
add("QuadratureRule", Q.QuadratureRule, RULE_ARGS, "points", _real_array_bad((2,), (2, 2)))
add("QuadratureRule", Q.QuadratureRule, RULE_ARGS, "weights", _real_array_bad((2,), (2, 2)))
add("QuadratureRule", Q.QuadratureRule, RULE_ARGS, "degree", INT_BAD + [("negative", -1)])
add("QuadratureRule", Q.QuadratureRule, RULE_ARGS, "interval", INTERVAL_BAD)
RULE = Q.quadrature_rule("gauss_legendre", 4)
add("QuadratureRule.integrate", RULE.integrate, {"values_or_callable": np.ones(4)}, "values_or_callable",
    _complex_ok_array_bad((4,), (3,)) + [("callable-nan", lambda x: np.full_like(x, NAN))],
    name=r"values_or_callable(\(points\))?")
add("QuadratureRule.integrate", RULE.integrate, {"values_or_callable": np.ones(4)}, "axis",
    [("out-of-range", 2), ("str", "0"), ("float", 0.5)])
add("quadrature_rule", Q.quadrature_rule, {"kind": "gauss_legendre", "n": 4}, "kind",
    [("unknown", "simpson"), ("int", 3), ("none", None)])
add("quadrature_rule", Q.quadrature_rule, {"kind": "clenshaw_curtis", "n": 4}, "n", INT_BAD + [("huge", HUGE)])
add("quadrature_rule", Q.quadrature_rule, {"kind": "gauss_legendre", "n": 4}, "interval", INTERVAL_BAD)

# ---------------------------------------------------------------------------------------------
# chebyshev
C = chebyshev
add("points", C.points, {"n": 5}, "n", INT_BAD + [("zero", 0), ("huge", HUGE)])
add("points", C.points, {"n": 5}, "kind", [("three", 3), ("str", "1"), ("float", 1e-10)])
add("points", C.points, {"n": 5}, "interval", INTERVAL_BAD)
for label, fn, arg in [
    ("vals_to_coeffs", C.vals_to_coeffs, "values"),
    ("coeffs_to_vals", C.coeffs_to_vals, "coeffs"),
    ("differentiate", C.differentiate, "coeffs"),
    ("integrate", C.integrate, "coeffs"),
    ("definite_integral", C.definite_integral, "coeffs"),
]:
    base = {arg: np.ones(6)}
    add(label, fn, base, arg, _complex_ok_array_bad((6,), ()))
    add(label, fn, base, arg, [("huge", BIG)], name=rf"{arg} of shape \(16384,\) needs", budget=SMALL_BUDGET)
    add(label, fn, base, "axis", [("out-of-range", 1), ("str", "0"), ("float", 0.0)])
    if label in ("vals_to_coeffs", "coeffs_to_vals"):
        add(label, fn, base, "kind", [("three", 3), ("str", "2"), ("none", None)])
    else:
        add(label, fn, base, "interval", INTERVAL_BAD)
add("differentiate", C.differentiate, {"coeffs": np.ones(6)}, "m", INT_BAD + [("negative", -1)])
add("evaluate", C.evaluate, {"coeffs": np.ones(6), "x": np.zeros(3)}, "coeffs", _complex_ok_array_bad((6,), ()))
add("evaluate", C.evaluate, {"coeffs": np.ones(6), "x": np.zeros(3)}, "x",
    [case for case in _real_array_bad((3,), ()) if case[0] not in ("empty", "wrong-shape")]
    + [("far-outside", np.array([1e308]))])
add("evaluate", C.evaluate, {"coeffs": np.ones(6), "x": np.zeros(3)}, "interval", INTERVAL_BAD)
add("evaluate", C.evaluate, {"coeffs": np.ones((10**4, 4)), "x": np.zeros(3)}, "x",
    [("huge-output", np.zeros(10**5))], name=r"coeffs of shape \(10000, 4\) at x of shape \(100000,\) needs")
add("chop", C.chop, {"coeffs": np.ones(20)}, "coeffs", _complex_ok_array_bad((20,), ()))
add("chop", C.chop, {"coeffs": np.ones(20)}, "rtol", REAL_BAD + [("zero", 0.0), ("one", 1.0)])
add("chop", C.chop, {"coeffs": np.ones(20)}, "coeffs", [("huge", BIG)], name="coeffs of shape", budget=SMALL_BUDGET)

# ---------------------------------------------------------------------------------------------
# fourier
F = fourier
add("wavenumbers", F.wavenumbers, {"n": 8}, "n", INT_BAD + [("zero", 0), ("huge", HUGE)])
add("wavenumbers", F.wavenumbers, {"n": 8}, "length", REAL_BAD + [("zero", 0.0), ("subnormal", 1e-310)])
add("centered_indices", F.centered_indices, {"L": 3}, "L", INT_BAD + [("negative", -1), ("huge", HUGE)])
add("fft_centered", F.fft_centered, {"values": np.ones(7)}, "values", _complex_ok_array_bad((7,), ()))
add("fft_centered", F.fft_centered, {"values": np.ones(7)}, "L", INT_BAD + [("too-big", 4), ("negative", -1)])
add("fft_centered", F.fft_centered, {"values": np.ones(7)}, "axis", [("out-of-range", 1), ("str", "0")])
add("fft_centered", F.fft_centered, {"values": np.ones(7)}, "values", [("huge", BIG)], name="values of shape",
    budget=SMALL_BUDGET)
add("ifft_centered", F.ifft_centered, {"coeffs": np.ones(5)}, "coeffs",
    _complex_ok_array_bad((5,), ()) + [("even", np.ones(4))])
add("ifft_centered", F.ifft_centered, {"coeffs": np.ones(5)}, "n", INT_BAD + [("too-small", 3), ("huge", 10**10)])
add("fft2_centered", F.fft2_centered, {"values": np.ones((5, 5))}, "values", _complex_ok_array_bad((5, 5), (5,)))
add("fft2_centered", F.fft2_centered, {"values": np.ones((5, 5))}, "L", INT_BAD + [("too-big", 3)])
add("ifft2_centered", F.ifft2_centered, {"coeffs": np.ones((3, 3))}, "coeffs",
    _complex_ok_array_bad((3, 3), (3,)) + [("even", np.ones((4, 4))), ("not-square", np.ones((3, 5)))])
add("ifft2_centered", F.ifft2_centered, {"coeffs": np.ones((3, 3))}, "shape",
    [("nan", (NAN, 4)), ("str", "ab"), ("scalar", 4), ("too-small", (2, 4)), ("huge", (10**5, 10**5))])
for arg in ("a", "b"):
    add("linear_convolve_2d", F.linear_convolve_2d, {"a": np.ones((3, 3)), "b": np.ones((3, 3))}, arg,
        _complex_ok_array_bad((3, 3), (3,)) + [("empty-core", np.zeros((2, 0, 3)))])
add("linear_convolve_2d", F.linear_convolve_2d, {"a": np.ones((3, 3)), "b": np.ones((3, 3))}, "b",
    [("huge", np.ones((128, 128)))], name="a of shape", budget=SMALL_BUDGET)
add("fourier_series_eval", F.fourier_series_eval, {"coeffs": np.ones((3, 3)), "theta": 0.1, "phi": 0.2}, "coeffs",
    _complex_ok_array_bad((3, 3), (3,)) + [("even", np.ones((4, 4)))])
for arg in ("theta", "phi"):
    add("fourier_series_eval", F.fourier_series_eval, {"coeffs": np.ones((3, 3)), "theta": 0.1, "phi": 0.2}, arg,
        [(tag, bad) for tag, bad in REAL_BAD if tag != "none"] + [("str-array", np.array(["a"]))])
add("fourier_series_eval", F.fourier_series_eval, {"coeffs": np.ones((3, 3)), "theta": 0.1, "phi": 0.2}, "theta",
    [("huge", BIG)], name="coeffs of shape", budget=SMALL_BUDGET)

# ---------------------------------------------------------------------------------------------
# bsplines
B = bsplines
KNOTS = B.open_uniform_knots(2, 4)
BASIS = B.BSplineBasis(KNOTS, 2)
add("open_uniform_knots", B.open_uniform_knots, {"degree": 2, "n": 4}, "degree", INT_BAD + [("negative", -1)])
add("open_uniform_knots", B.open_uniform_knots, {"degree": 2, "n": 4}, "n", INT_BAD + [("zero", 0), ("huge", 10**10)])
add("open_uniform_knots", B.open_uniform_knots, {"degree": 2, "n": 4}, "interval", INTERVAL_BAD)
add("BSplineBasis", B.BSplineBasis, {"knots": KNOTS, "degree": 2}, "knots",
    _real_array_bad((8,), (2, 4)) + [("decreasing", KNOTS[::-1].copy()), ("too-short", KNOTS[:4])])
add("BSplineBasis", B.BSplineBasis, {"knots": KNOTS, "degree": 2}, "degree",
    INT_BAD + [("negative", -1), ("huge", HUGE)], name="degree|knots")
add("BSplineBasis.evaluate", BASIS.evaluate, {"x": np.zeros(3)}, "x",
    [case for case in _real_array_bad((3,), ()) if case[0] not in ("empty", "wrong-shape")])
add("BSplineBasis.evaluate", BASIS.evaluate, {"x": np.zeros(3)}, "deriv", INT_BAD + [("negative", -1)])
add("BSplineBasis.evaluate", BASIS.evaluate, {"x": np.zeros(3)}, "x", [("huge", BIG)], name="x of shape",
    budget=SMALL_BUDGET)
add("BSplineBasis.moments", BASIS.moments, {"order": 2}, "order", INT_BAD + [("negative", -1), ("huge", HUGE)])
add("BSplineBasis.fractional_derivative", BASIS.fractional_derivative, {"x": np.zeros(3), "alpha": 1.5}, "x",
    [case for case in _real_array_bad((3,), ()) if case[0] not in ("empty", "wrong-shape")])
add("BSplineBasis.fractional_derivative", BASIS.fractional_derivative, {"x": np.zeros(3), "alpha": 1.5}, "alpha",
    REAL_BAD + [("zero", 0.0), ("two", 2.0)])
add("BSplineBasis.fractional_derivative", BASIS.fractional_derivative, {"x": np.zeros(3), "alpha": 1.5}, "side",
    [("bad", "up"), ("none", None)])
add("BSplineBasis.fractional_derivative", BASIS.fractional_derivative, {"x": np.zeros(3), "alpha": 1.5}, "x",
    [("huge", BIG)], name="x of shape", budget=SMALL_BUDGET)
add("collocation_matrix", B.collocation_matrix, {"basis": BASIS, "x": np.zeros(3)}, "basis",
    [("knots", KNOTS), ("none", None)])
add("collocation_matrix", B.collocation_matrix, {"basis": BASIS, "x": np.zeros(3)}, "x",
    [case for case in _real_array_bad((3,), (3, 1)) if case[0] != "empty"])  # no points: an empty matrix
add("collocation_matrix", B.collocation_matrix, {"basis": BASIS, "x": np.zeros(3)}, "deriv", INT_BAD)
add("cardinal_bspline", B.cardinal_bspline, {"x": np.zeros(3), "degree": 3}, "x",
    [case for case in _real_array_bad((3,), ()) if case[0] not in ("empty", "wrong-shape")])
add("cardinal_bspline", B.cardinal_bspline, {"x": np.zeros(3), "degree": 3}, "degree",
    INT_BAD + [("negative", -1), ("huge", HUGE)])
add("cardinal_fractional_derivative", B.cardinal_fractional_derivative, {"x": np.zeros(3), "degree": 3, "alpha": 1.5},
    "degree", INT_BAD + [("negative", -1), ("huge", 10**4)])
add("cardinal_fractional_derivative", B.cardinal_fractional_derivative, {"x": np.zeros(3), "degree": 3, "alpha": 1.5},
    "alpha", REAL_BAD + [("zero", 0.0), ("two", 2.0)])
add("cardinal_fractional_derivative", B.cardinal_fractional_derivative, {"x": np.zeros(3), "degree": 3, "alpha": 1.5},
    "x", [case for case in _real_array_bad((3,), ()) if case[0] not in ("empty", "wrong-shape")])

# ---------------------------------------------------------------------------------------------
# knots
K = knots
GK = {"degree": 3, "n": 8, "grading": 2.0}
add("graded_knots", K.graded_knots, GK, "degree", INT_BAD + [("negative", -1)])
add("graded_knots", K.graded_knots, GK, "n", INT_BAD + [("zero", 0), ("huge", 10**10)])
add("graded_knots", K.graded_knots, GK, "grading", REAL_BAD + [("below-one", 0.5), ("huge", 1e3)])
add("graded_knots", K.graded_knots, {**GK, "n": 10**6}, "grading", [("coinciding-breakpoints", 16.0)])
add("graded_knots", K.graded_knots, GK, "interval", INTERVAL_BAD)
add("grading_map", K.grading_map, {"xi": np.array([0.0, 0.5, 1.0]), "grading": 2.0}, "xi",
    [case for case in _real_array_bad((3,), ()) if case[0] not in ("empty", "wrong-shape")]
    + [("outside", np.array([-0.5, 1.5]))])
add("grading_map", K.grading_map, {"xi": np.array([0.0, 0.5, 1.0]), "grading": 2.0}, "grading",
    REAL_BAD + [("below-one", 0.5), ("huge", 1e3)])

# ---------------------------------------------------------------------------------------------
# specnum.testing
T = testing
NS, ERRS = np.array([8.0, 16.0, 32.0]), np.array([1e-2, 2.5e-3, 6.25e-4])
for label, fn, base in [
    ("observed_order", T.observed_order, {"ns": NS, "errors": ERRS}),
    ("pairwise_orders", T.pairwise_orders, {"ns": NS, "errors": ERRS}),
    ("assert_convergence_order", T.assert_convergence_order, {"ns": NS, "errors": ERRS, "expected": 2.0}),
]:
    add(label, fn, base, "ns", _real_array_bad((3,), (3, 1)) + [("negative", -NS), ("repeated", np.ones(3))])
    add(label, fn, base, "errors", _real_array_bad((3,), (3, 1)) + [("zero", np.zeros(3)), ("length", ERRS[:2])],
        name="errors")
    if label == "assert_convergence_order":
        add(label, fn, base, "expected", REAL_BAD)
        add(label, fn, base, "tol", REAL_BAD + [("negative", -0.1)])
X4 = np.ones((2, 4))
add("assert_rotation_equivariant", T.assert_rotation_equivariant, {"fn": lambda a: a, "inputs": [X4]}, "fn",
    [("none", None), ("str", "f")])
add("assert_rotation_equivariant", T.assert_rotation_equivariant, {"fn": lambda a: a, "inputs": [X4]}, "inputs",
    [("nan", [np.full((2, 4), NAN)]), ("inf", [np.full(4, INF)]), ("empty", [np.zeros(0)]),
     ("wrong-shape", [np.ones(5)]), ("str", [np.full(4, "a")]), ("complex", [X4 + 1j]), ("array", X4),
     ("string", "x")])
add("assert_rotation_equivariant", T.assert_rotation_equivariant, {"fn": lambda a: a, "inputs": [X4]}, "inputs",
    [("huge-degree", [np.ones(201**2)])], name=r"inputs of degree\(s\) L = \[200\]")
add("assert_rotation_equivariant", T.assert_rotation_equivariant, {"fn": lambda a: a, "inputs": [X4]}, "n_rotations",
    INT_BAD + [("zero", 0), ("huge", 10**12)])
for arg in ("rtol", "atol"):
    add("assert_rotation_equivariant", T.assert_rotation_equivariant, {"fn": lambda a: a, "inputs": [X4]}, arg,
        REAL_BAD + [("negative", -1.0)])
add("assert_rotation_equivariant", T.assert_rotation_equivariant, {"fn": lambda a: a, "inputs": [X4]}, "rng",
    [("str", "seed"), ("negative", -1)])


@pytest.mark.parametrize("func,kwargs,name,budget", CASES)
def test_bad_input_is_refused_naming_the_argument(func, kwargs, name, budget):
    start = time.perf_counter()
    with specnum.size_budget(**budget) if budget else contextlib.nullcontext():
        with pytest.raises((ValueError, TypeError)) as info:
            func(**kwargs)
    elapsed = time.perf_counter() - start
    message = str(info.value)
    assert re.search(rf"(^|\W)({name})(\W|$)", message), f"message does not name {name!r}: {message!r}"
    assert elapsed < 1.0, f"refusal took {elapsed:.2f} s"


def test_table_covers_every_public_name():
    """Each name in the modules' __all__ (functions and classes) has at least one case."""
    covered = set()
    for case in CASES:
        covered.add(case.id.split("-")[0].split(".")[0])
    for module in (quadrature, chebyshev, fourier, bsplines, knots, testing):
        for name in module.__all__:
            if callable(getattr(module, name)):
                assert name in covered, f"{module.__name__}.{name} has no bad-input case"
