"""Graded open knot vectors: the power map, symmetry, the element lengths, bad input."""

import numpy as np
import pytest

from specnum.bases.bsplines import BSplineBasis, open_uniform_knots
from specnum.bases.knots import graded_knots, grading_map

EPS = np.finfo(float).eps


@pytest.mark.parametrize("r", [1.0, 2.0, 3.5])
def test_grading_map_properties(r):
    xi = np.linspace(0.0, 1.0, 101)
    g = grading_map(xi, r)
    assert g[0] == 0.0 and g[-1] == 1.0 and g[50] == 0.5
    assert np.all(np.diff(g) > 0)
    np.testing.assert_allclose(g, 1.0 - grading_map(1.0 - xi, r), rtol=0, atol=2 * EPS)
    np.testing.assert_allclose(grading_map(xi[:51], r), 0.5 * (2 * xi[:51]) ** r, rtol=1e-15)


def test_graded_knots_form_a_maximally_smooth_open_basis():
    t = graded_knots(4, 12, 3.0, (1.0, 2.0))
    basis = BSplineBasis(t, 4)
    assert basis.dim == 12 + 4 and basis.interval == (1.0, 2.0)
    x = np.linspace(1.0, 2.0, 301)
    np.testing.assert_allclose(basis.evaluate(x).sum(axis=1), 1.0, rtol=0, atol=8 * EPS)
    h = np.diff(np.unique(t))
    assert h[0] == pytest.approx(0.5 * (2 / 12) ** 3, rel=1e-14)
    assert np.all(np.diff(h[:6]) > 0)  # lengths grow away from the end
    np.testing.assert_allclose(graded_knots(3, 9, 1.0), open_uniform_knots(3, 9), rtol=0, atol=2 * EPS)


@pytest.mark.parametrize(
    "args, exc, match",
    [
        ((2, 8, 0.5), ValueError, "grading"),
        ((2, 8, 17.0), ValueError, "grading"),
        ((2, 8, float("nan")), ValueError, "grading"),
        ((2, 0, 2.0), ValueError, r"\bn\b"),
        ((2, 8.5, 2.0), TypeError, r"\bn\b"),
        ((-1, 8, 2.0), ValueError, "degree"),
        ((2, 8, 2.0, (1.0, 0.0)), ValueError, "interval"),
        ((2, 8, 2.0, (-1e308, 1e308)), ValueError, "interval"),
        ((2, 10**12, 2.0), ValueError, r"\bn\b"),
        ((2, 10**6, 16.0), ValueError, "too strong"),
    ],
)
def test_graded_knots_bad_input(args, exc, match):
    with pytest.raises(exc, match=match):
        graded_knots(*args)


def test_grading_map_bad_input():
    with pytest.raises(ValueError, match="xi"):
        grading_map([1.5], 2.0)
    with pytest.raises(ValueError, match="xi"):
        grading_map([np.nan], 2.0)
    with pytest.raises(ValueError, match="grading"):
        grading_map([0.5], 0.0)
