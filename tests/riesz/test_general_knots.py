"""Collocation on general (graded) knots: exact entries, exactness, the orders for f = 1, GMRES, spectra."""

import math
from fractions import Fraction

import numpy as np
import pytest
from ref_riesz import bspline_jumps, riesz_bspline_mp

from specnum.bases.bsplines import open_uniform_knots
from specnum.bases.knots import graded_knots, grading_map
from specnum.riesz import (
    RieszCollocation,
    compare_graded_spectrum,
    graded_symbol,
    graded_symbol_quantiles,
    riesz_symbol,
    symbol_samples,
)
from specnum.riesz.dense import assemble_dense, collocation_points, local_mesh_sizes
from specnum.riesz.manufactured import test_problem
from specnum.testing import assert_convergence_order

EPS = np.finfo(float).eps
ONE = lambda x: np.ones_like(x)  # noqa: E731


def smooth_order(p, alpha):
    return p + 2 - alpha if p % 2 == 0 else p + 1 - alpha


def error_grid(knots):
    """8 points per element (knots included): resolves the boundary layer of graded meshes."""
    br = np.unique(knots)
    s = np.linspace(0.0, 1.0, 9)[:-1]
    return np.concatenate([(br[:-1, None] + np.diff(br)[:, None] * s[None, :]).ravel(), br[-1:]])


def test_graded_knots_values_and_symmetry():
    t = graded_knots(3, 8, 3.0, (-1.0, 3.0))
    assert t.shape == (8 + 7,)
    np.testing.assert_array_equal(t[:4], -1.0)
    np.testing.assert_array_equal(t[-4:], 3.0)
    inner = t[3:-3]
    expected = -1.0 + 4.0 * grading_map(np.arange(9) / 8, 3.0)
    np.testing.assert_allclose(inner, expected, rtol=0, atol=4 * EPS)
    np.testing.assert_allclose(inner - (-1.0), 3.0 - inner[::-1], rtol=0, atol=4 * EPS)  # symmetric
    assert inner[1] - inner[0] == pytest.approx(4.0 * 0.5 * (2 / 8) ** 3, rel=1e-15)
    np.testing.assert_allclose(graded_knots(2, 10, 1.0), open_uniform_knots(2, 10), rtol=0, atol=2 * EPS)
    # odd n: still symmetric
    t = graded_knots(2, 7, 2.0)
    np.testing.assert_allclose(t, 1.0 - t[::-1], rtol=0, atol=2 * EPS)


@pytest.mark.parametrize("p, r", [(2, 2.0), (3, 3.0), (4, 4.0), (5, 2.5)])
def test_dense_entries_against_exact_rational_reference(p, r):
    # entries (L B_j)(xi_i) from exact rational jumps of the float64 knots at 40 digits
    alpha = 1.35
    knots = graded_knots(p, 40, r)
    mat = assemble_dense(knots, p, alpha)
    pts = collocation_points(knots, p)
    exact_knots = [Fraction(v) for v in knots]
    worst = 0.0
    for j in (0, 1, p, 20, mat.shape[1] - 1):
        jumps = bspline_jumps(exact_knots, p, j + 1)
        for i in (0, 1, 2, 10, 21, mat.shape[0] - 2, mat.shape[0] - 1):
            ref = float(riesz_bspline_mp(jumps, Fraction(pts[i]), alpha, p, dps=40))
            worst = max(worst, abs(mat[i, j] - ref) / abs(ref))
    assert worst <= 1e-12, worst


@pytest.mark.parametrize("p", [2, 3, 4])
def test_dense_assembly_on_uniform_knots_matches_structured_matrix(p):
    col = RieszCollocation(p, 48, 1.7)
    dense = assemble_dense(open_uniform_knots(p, 48), p, 1.7)
    np.testing.assert_allclose(dense, col.matrix(), rtol=0, atol=64 * EPS * np.abs(col.matrix()).max())
    h = local_mesh_sizes(open_uniform_knots(p, 48), p)
    np.testing.assert_allclose(h[p - 1 : -(p - 1)], 1 / 48, rtol=1e-13)


@pytest.mark.parametrize("p", [2, 3, 4])
@pytest.mark.parametrize("method", ["direct", "gmres"])
def test_spline_space_solution_reproduced_on_graded_knots(p, method):
    prob = test_problem("T1" if p >= 4 else "T0", 1.6)
    knots = graded_knots(p, 40, 2.5)
    col = RieszCollocation(p, None, 1.6, knots=knots)
    sol = col.solve(prob.source, method=method, rtol=1e-13)
    x = error_grid(knots)
    assert np.max(np.abs(sol(x) - prob.exact(x))) <= 1e-11
    assert (sol.iterations > 0) == (method == "gmres")


@pytest.mark.parametrize("p, r, alpha", [(2, 2.0, 1.5), (3, 2.0, 1.5), (4, 3.0, 1.5), (2, 4.0, 1.5),
                                          (4, 4.0, 1.8), (3, 3.0, 1.2)])
def test_constant_source_orders_on_graded_knots(p, r, alpha):
    # u = (x(1-x))^(alpha/2)/Gamma(alpha+1): max-error order min(r alpha/2, smooth order of degree p)
    exact = lambda x: np.clip(x * (1 - x), 0, None) ** (alpha / 2) / math.gamma(alpha + 1)  # noqa: E731
    ns = [64, 128, 256]
    errs = []
    for n in ns:
        knots = graded_knots(p, n, r)
        sol = RieszCollocation(p, None, alpha, knots=knots).solve(ONE)
        x = error_grid(knots)
        errs.append(np.max(np.abs(sol(x) - exact(x))))
    assert_convergence_order(ns, errs, min(r * alpha / 2, smooth_order(p, alpha)), tol=0.1)


def test_uniform_knots_order_is_alpha_over_two():
    exact = lambda x: np.clip(x * (1 - x), 0, None) ** 0.75 / math.gamma(2.5)  # noqa: E731
    ns = [64, 128, 256]
    errs = [np.max(np.abs(RieszCollocation(3, n, 1.5).solve(ONE)(error_grid(open_uniform_knots(3, n)))
                          - exact(error_grid(open_uniform_knots(3, n))))) for n in ns]
    assert_convergence_order(ns, errs, 0.75, tol=0.05)


def test_gmres_iterations_reported_and_match_direct():
    knots = graded_knots(3, 200, 2.0)
    col = RieszCollocation(3, None, 1.5, knots=knots)
    direct = col.solve(ONE, method="direct")
    it = col.solve(ONE, method="gmres", rtol=1e-10)
    assert 0 < it.iterations <= 30 and it.residual <= 1e-10 and it.method == "gmres"
    rel = np.linalg.norm(it.coefficients - direct.coefficients) / np.linalg.norm(direct.coefficients)
    assert rel <= 1e-7
    plain = col.solve(ONE, method="gmres", preconditioner=None, rtol=1e-10, restart=400)
    assert plain.iterations > 2 * it.iterations


def test_general_knots_api():
    knots = graded_knots(3, 16, 2.0)
    col = RieszCollocation(3, 16, 1.5, knots=knots)
    assert not col.uniform and col.n == 16 and col.interval == (0.0, 1.0) and col.size == 17
    np.testing.assert_array_equal(col.points, collocation_points(knots, 3))
    assert col.matrix().shape == (17, 17) and not col.knots.flags.writeable
    np.testing.assert_allclose(col.operator() @ np.ones(17), col.matrix() @ np.ones(17), rtol=1e-14)
    with pytest.raises(ValueError, match="Toeplitz"):
        col.structure()
    with pytest.raises(ValueError, match="circulant"):
        col.solve(ONE, method="gmres", preconditioner="circulant")
    with pytest.raises(ValueError, match="n must equal"):
        RieszCollocation(3, 12, 1.5, knots=knots)
    with pytest.raises(ValueError, match="interval must equal"):
        RieszCollocation(3, None, 1.5, (0.0, 2.0), knots=knots)
    # uniform knots given explicitly take the structured path
    same = RieszCollocation(3, None, 1.5, (2.0, 5.0), knots=open_uniform_knots(3, 10, (2.0, 5.0)))
    assert same.uniform and same.n == 10 and same.structure().size == 11


def test_graded_symbol_and_quantiles():
    theta = np.linspace(0.1, np.pi, 7)
    np.testing.assert_allclose(graded_symbol(0.5, theta, 3, 1.5, 3.0), riesz_symbol(theta, 3, 1.5) / 3**1.5,
                               rtol=1e-15)
    np.testing.assert_allclose(graded_symbol(0.25, theta, 3, 1.5, 1.0), riesz_symbol(theta, 3, 1.5), rtol=1e-15)
    assert np.isinf(graded_symbol(0.0, 1.0, 3, 1.5, 2.0))
    # r = 1: the quantiles of f on [0, pi] are close to the samples f(j pi/(N+1))
    q = graded_symbol_quantiles(3, 64, 1.5, 1.0)
    s = symbol_samples(3, 64, 1.5)
    assert np.max(np.abs(q - s)) <= 2.0 / 65 * np.max(s)


@pytest.mark.parametrize("p, r", [(2, 2.0), (3, 3.0)])
def test_graded_spectrum_bulk_follows_symbol(p, r):
    # the median relative deviation of the sorted eigenvalues from the quantiles of f/G'^alpha
    # decreases like 1/n; the unbounded tail is not reached (largest eigenvalue well below the
    # largest quantile) and a few of the smallest eigenvalues deviate by more than 10%
    small, large = compare_graded_spectrum(p, 64, 1.5, r), compare_graded_spectrum(p, 256, 1.5, r)
    assert large.bulk_error <= 0.35 * small.bulk_error and large.bulk_error <= 0.03
    assert large.top_ratio < 0.8
    assert large.max_imag <= 1e-8 * large.eigenvalues[-1]
