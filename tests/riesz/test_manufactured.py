"""Manufactured sources against the hypersingular integral form of L, evaluated by mpmath (independent)."""

import math

import mpmath as mp
import numpy as np
import pytest
import ref_riesz as ref

from specnum.riesz import riesz_constant
from specnum.riesz.manufactured import (
    ManufacturedSolution,
    exp_polynomial_solution,
    fractional_power_solution,
    polynomial_solution,
    test_problem,
)

EPS = np.finfo(float).eps

EXACT_MP = {
    "T0": lambda a: (lambda t: t * (1 - t)),
    "T1": lambda a: (lambda t: t**2 * (1 - t) ** 2),
    "T2": lambda a: (lambda t: t**2 * (1 - t) ** 2 * mp.exp(t)),
    "T3": lambda a: (lambda t: (t * (1 - t)) ** (mp.mpf(a) / 2) / mp.gamma(1 + mp.mpf(a))),
}


@pytest.mark.parametrize(
    "name, alpha, x", [("T0", 1.5, 0.13), ("T1", 1.2, 0.91), ("T2", 1.8, 0.37), ("T2", 1.5, 0.5), ("T3", 1.3, 0.2)]
)
def test_source_matches_hypersingular_quadrature(name, alpha, x):
    prob = test_problem(name, alpha)
    want = float(ref.hypersingular_mp(EXACT_MP[name](alpha), x, alpha, dps=20))
    got = float(prob.source(x))
    # closed forms summed in float64 (terms of size ~10 cancel to O(1)): 64 eps relative
    assert abs(got - want) <= 64 * EPS * abs(want)
    assert float(prob.exact(x)) == pytest.approx(float(EXACT_MP[name](alpha)(mp.mpf(x))), rel=4 * EPS)


def test_general_interval_scaling():
    # u(x) = U((x-a)/(b-a)) has L u = (b-a)^(-alpha) (L U)((x-a)/(b-a))
    alpha = 1.6
    unit = test_problem("T2", alpha)
    moved = exp_polynomial_solution([0, 0, 1, -2, 1], alpha, interval=(-1.0, 2.0))
    x = np.array([-0.5, 0.0, 1.7])
    np.testing.assert_allclose(moved.source(x), 3.0**-alpha * unit.source((x + 1.0) / 3.0), rtol=4 * EPS)
    np.testing.assert_allclose(moved.exact(x), unit.exact((x + 1.0) / 3.0), rtol=4 * EPS)
    assert moved.exact(np.array([-2.0, 3.0])).tolist() == [0.0, 0.0]  # zero extension


def test_t0_closed_form_at_midpoint():
    # L[x(1-x)](1/2) = c_a [2 G(2)/G(2-a) (1/2)^(1-a) - 2 G(3)/G(3-a) (1/2)^(2-a)]
    a = 1.5
    want = riesz_constant(a) * (
        2 / math.gamma(2 - a) * 0.5 ** (1 - a) - 2 * 2 / math.gamma(3 - a) * 0.5 ** (2 - a)
    )
    assert float(test_problem("T0", a).source(0.5)) == pytest.approx(want, rel=4 * EPS)


def test_fractional_power_is_positive_and_batched():
    sol = fractional_power_solution(1.4)
    x = np.linspace(0.05, 0.95, 12).reshape(3, 4)
    assert sol.exact(x).shape == (3, 4)
    assert sol.source(x).shape == (3, 4)
    assert np.all(sol.exact(x) > 0)


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: polynomial_solution([1.0, 1.0], 1.5), ValueError, "coeffs"),
        (lambda: polynomial_solution([0.0, 1.0], 1.5), ValueError, "coeffs"),
        (lambda: polynomial_solution([], 1.5), ValueError, "coeffs"),
        (lambda: exp_polynomial_solution([0.0, 1.0, -0.5], 1.5), ValueError, "coeffs"),
        (lambda: polynomial_solution([0.0, 1.0, -1.0], 2.5), ValueError, "alpha"),
        (lambda: polynomial_solution([0.0, 1.0, -1.0], 1.5, interval=(1.0, 0.0)), ValueError, "interval"),
        (lambda: test_problem("T9", 1.5), ValueError, "name"),
        (lambda: test_problem("T0", 1.5).source(1.5), ValueError, "x"),
        (lambda: ManufacturedSolution("x", 1.5, (0, 1), 1.0, 2.0), TypeError, "callable"),
    ],
)
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()
