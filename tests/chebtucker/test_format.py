"""ChebTucker construction and evaluation against closed forms and dense twins."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.special
from ref_chebtucker import coeff_tensor_dense, grid_tucker_ranks, hosvd_naive, tucker_eval_dense

from specnum.bases.chebyshev import points
from specnum.chebtucker import ChebTucker
from specnum.errors import SpecnumWarning
from specnum.testing import assert_convergence_order

EPS = np.finfo(float).eps
BOX = ((-1.0, 2.0), (0.5, 1.5), (-3.0, -1.0))


def erf_over_r(x, y, z):
    r = np.sqrt(x * x + y * y + z * z)
    safe = np.where(r > 1e-8, r, 1.0)
    return np.where(r > 1e-8, scipy.special.erf(safe) / safe, 2.0 / np.sqrt(np.pi) * (1 - r * r / 3))


def poly(x, y, z):
    return 1.0 + x**3 * y - 2.0 * y**2 * z**4 + 0.5 * x * z - x**4 * y**3 * z**5


def test_polynomial_reproduced_exactly():
    rng = np.random.default_rng(0)
    f = ChebTucker.from_function(poly, BOX, n=(5, 4, 6), rtol=1e-14)
    assert f.degrees == (4, 3, 5)
    pts = np.stack([rng.uniform(a, b, 500) for a, b in BOX], axis=1)
    ref = poly(*pts.T)
    # interpolation is exact for degree < n: only rounding (values up to ~1e3 here)
    np.testing.assert_allclose(f(pts), ref, rtol=0, atol=1e3 * EPS * np.max(np.abs(ref)))
    f2 = ChebTucker.from_function(poly, BOX, n=(7, 6, 8), rtol=1e-14, points="second")
    np.testing.assert_allclose(f2(pts), ref, rtol=0, atol=1e3 * EPS * np.max(np.abs(ref)))


def test_kernel_matches_dense_vandermonde_twin():
    rng = np.random.default_rng(1)
    core = rng.standard_normal((3, 4, 5))
    facs = [np.linalg.qr(rng.standard_normal((n, r)))[0] for n, r in zip((30, 25, 20), (3, 4, 5))]
    f = ChebTucker(BOX, core, facs)
    pts = np.stack([rng.uniform(a, b, 1000) for a, b in BOX], axis=1)
    # both evaluate the same finite sums; differences are rounding of O(n) terms
    np.testing.assert_allclose(f(pts), tucker_eval_dense(f.box, core, facs, pts), rtol=0, atol=1e-12)


def test_batched_shapes_and_grids():
    f = ChebTucker.from_function(lambda x, y, z: np.exp(x - y) * np.cos(z), BOX, n=16)
    rng = np.random.default_rng(2)
    pts = np.stack([rng.uniform(a, b, (2, 7)) for a, b in BOX], axis=-1)
    assert f(pts).shape == (2, 7)
    assert f.gradient(pts).shape == (2, 7, 3)
    np.testing.assert_allclose(f(pts), np.exp(pts[..., 0] - pts[..., 1]) * np.cos(pts[..., 2]), atol=1e-12)
    x, y, z = (np.linspace(a, b, m) for (a, b), m in zip(BOX, (5, 6, 7)))
    grid = f.on_grid(x, y, z)
    assert grid.shape == (5, 6, 7)
    xx, yy, zz = np.meshgrid(x, y, z, indexing="ij")
    direct = f(np.stack([xx, yy, zz], axis=-1))
    np.testing.assert_allclose(grid, direct, rtol=0, atol=1e-13)
    core, factors = f.to_grid_tucker(x, y, z)
    for k in range(3):
        np.testing.assert_allclose(factors[k].T @ factors[k], np.eye(core.shape[k]), atol=100 * EPS)
    full = np.einsum("pqs,ip,jq,ks->ijk", core, *factors)
    np.testing.assert_allclose(full, direct, rtol=0, atol=1e-13)


def test_gradient_matches_closed_form():
    f = ChebTucker.from_function(lambda x, y, z: np.sin(x) * np.exp(y * z), BOX, n=24, rtol=1e-13)
    rng = np.random.default_rng(3)
    p = np.stack([rng.uniform(a, b, 300) for a, b in BOX], axis=1)
    x, y, z = p.T
    expected = np.stack([np.cos(x) * np.exp(y * z), z * np.sin(x) * np.exp(y * z), y * np.sin(x) * np.exp(y * z)], 1)
    # spectral derivative of a resolved function: error ~ n^2 * truncation level
    np.testing.assert_allclose(f.gradient(p), expected, rtol=0, atol=1e-9 * np.max(np.abs(expected)))


def _erf_errors(half_width, ns, seed=4):
    box = ((-half_width, half_width),) * 3
    p = np.random.default_rng(seed).uniform(-half_width, half_width, (4000, 3))
    ref = erf_over_r(*p.T)
    return [np.max(np.abs(ChebTucker.from_function(erf_over_r, box, n, rtol=1e-14)(p) - ref)) for n in ns]


def test_erf_over_r_converges_geometrically():
    errs = _erf_errors(6.0, [16, 26, 36, 46])
    # geometric (in fact super-geometric, entire function): each +10 points gains > 20x
    ratios = np.array(errs[1:]) / np.array(errs[:-1])
    assert np.all(ratios < 0.05), (errs, ratios)
    assert errs[-1] < 1e-6


@pytest.mark.slow
def test_erf_over_r_converges_geometrically_box_10():
    errs = _erf_errors(10.0, [24, 40, 56, 72])
    # the notes: b/r0 = 10 gives 1.3e-6 at n = 64; each +16 points gains > 10x
    ratios = np.array(errs[1:]) / np.array(errs[:-1])
    assert np.all(ratios < 0.1), (errs, ratios)
    assert errs[-1] < 1e-6


def test_slater_converges_algebraically_order_three():
    rng = np.random.default_rng(5)
    p = rng.uniform(-1, 1, (20000, 3))
    p = p[np.linalg.norm(p, axis=1) >= 0.5]  # away from the cusp, where the error is O(1/n)

    def slater(x, y, z):
        return np.exp(-np.sqrt(x * x + y * y + z * z))

    ref = slater(*p.T)
    ns = [16, 32, 64]
    errs = [np.max(np.abs(ChebTucker.from_function(slater, ((-1, 1),) * 3, n, rtol=1e-12)(p) - ref)) for n in ns]
    # the cusp at r = 0 limits Chebyshev interpolation to an algebraic rate (~n^-3, see the notes)
    assert_convergence_order(ns, errs, expected=3.0, tol=0.4)


@pytest.mark.parametrize("rtol", [1e-3, 1e-6, 1e-10])
def test_truncation_guarantee_and_ranks_vs_naive_hosvd(rtol):
    n = (14, 15, 16)
    box = ((-3.0, 3.0), (-2.0, 4.0), (-3.0, 3.0))
    f = ChebTucker.from_function(erf_over_r, box, n, rtol=rtol, trim=False)
    x, y, z = (points(n[k], kind=1, interval=box[k]) for k in range(3))
    vals = erf_over_r(*np.meshgrid(x, y, z, indexing="ij"))
    c_ref = coeff_tensor_dense(vals, box)
    c = f.coefficients()
    assert np.linalg.norm(c - c_ref) <= rtol * np.linalg.norm(c_ref) * (1 + 1e-8)
    core_ref, _, _ = hosvd_naive(c_ref, rtol)
    assert f.ranks == core_ref.shape
    # with degree trimming (1% of the budget) the guarantee still holds
    g = ChebTucker.from_function(erf_over_r, box, n, rtol=rtol)
    cg = np.zeros(n)
    cg[: g.degrees[0] + 1, : g.degrees[1] + 1, : g.degrees[2] + 1] = g.coefficients()
    assert np.linalg.norm(cg - c_ref) <= rtol * np.linalg.norm(c_ref) * (1 + 1e-8)


def test_ranks_within_one_of_grid_tucker():
    box = ((-10.0, 10.0),) * 3
    x = np.linspace(-10, 10, 40)
    grid_vals = erf_over_r(*np.meshgrid(x, x, x, indexing="ij"))
    for rtol in (1e-4, 1e-6, 1e-8):
        f = ChebTucker.from_function(erf_over_r, box, 64, rtol=rtol)
        grid_ranks = grid_tucker_ranks(grid_vals, rtol)
        assert all(abs(a - b) <= 1 for a, b in zip(f.ranks, grid_ranks)), (rtol, f.ranks, grid_ranks)


def test_hooi_sweeps_keep_the_guarantee():
    n = 20
    box = ((-4.0, 4.0),) * 3
    f = ChebTucker.from_function(erf_over_r, box, n, rtol=1e-5, sweeps=3, trim=False)
    x = points(n, kind=1, interval=box[0])
    c_ref = coeff_tensor_dense(erf_over_r(*np.meshgrid(x, x, x, indexing="ij")), box)
    assert np.linalg.norm(f.coefficients() - c_ref) <= 1e-5 * np.linalg.norm(c_ref)


def test_from_values_and_from_cp_match_function():
    box = ((0.0, 1.0), (-1.0, 1.0), (0.0, 2.0))
    fun = lambda x, y, z: np.exp(-x * y) + np.cos(z) * x  # noqa: E731
    f = ChebTucker.from_function(fun, box, 18, rtol=1e-12)
    x, y, z = (points(18, kind=1, interval=box[k]) for k in range(3))
    g = ChebTucker.from_values(fun(*np.meshgrid(x, y, z, indexing="ij")), box, rtol=1e-12)
    rng = np.random.default_rng(6)
    p = np.stack([rng.uniform(a, b, 200) for a, b in box], axis=1)
    np.testing.assert_allclose(g(p), f(p), rtol=0, atol=1e-13)
    # CP input: two separable terms 2 e^{-x} e^{y} e^{z/2} - x^2 y^3 cos(z), values at the points
    cols = [np.stack([np.exp(-x), x**2], 1), np.stack([np.exp(y), y**3], 1), np.stack([np.exp(z / 2), np.cos(z)], 1)]
    h = ChebTucker.from_cp([2.0, -1.0], cols, box, rtol=1e-12)
    ref = 2 * np.exp(-p[:, 0] + p[:, 1] + p[:, 2] / 2) - p[:, 0] ** 2 * p[:, 1] ** 3 * np.cos(p[:, 2])
    assert h.ranks == (2, 2, 2)
    np.testing.assert_allclose(h(p), ref, rtol=0, atol=1e-11)
    # scale invariance: rescaling a column and its weight changes nothing
    cols2 = [cols[0] * np.array([1e-6, 1.0]), cols[1], cols[2]]
    h2 = ChebTucker.from_cp([2e6, -1.0], cols2, box, rtol=1e-12)
    assert h2.ranks == h.ranks
    np.testing.assert_allclose(h2(p), h(p), rtol=0, atol=1e-11)


def test_adaptive_degree_and_warning():
    box = ((0.0, 2.0),) * 3
    fun = lambda x, y, z: np.exp(x + y) * np.cos(2 * z)  # noqa: E731
    with warnings.catch_warnings():
        warnings.simplefilter("error", SpecnumWarning)
        f = ChebTucker.from_function(fun, box, None, rtol=1e-10)
    rng = np.random.default_rng(7)
    p = rng.uniform(0, 2, (500, 3))
    ref = fun(*p.T)
    assert np.max(np.abs(f(p) - ref)) < 1e-8 * np.max(np.abs(ref))
    assert max(f.degrees) < 40
    with pytest.warns(SpecnumWarning, match="did not decay"):
        ChebTucker.from_function(lambda x, y, z: np.abs(x - 0.3) + y, box, None, rtol=1e-10, n_max=40)


def test_zero_function_has_rank_zero():
    f = ChebTucker.from_function(lambda x, y, z: 0 * x, BOX, 8)
    assert f.ranks == (0, 0, 0)
    p = np.array([[0.0, 1.0, -2.0], [1.0, 1.2, -1.5]])
    assert np.all(f(p) == 0.0) and np.all(f.gradient(p) == 0.0)
    assert f.integral() == 0.0 and f.norm() == 0.0
    assert np.all(f.on_grid([0.0], [1.0], [-2.0]) == 0.0)


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"box": ((1.0, 1.0), (0, 1), (0, 1))}, ValueError, "box"),
        ({"box": ((0, 1), (0, 1))}, ValueError, "box"),
        ({"n": 1}, ValueError, "n"),
        ({"n": (4, 4)}, ValueError, "n"),
        ({"rtol": 0.0}, ValueError, "rtol"),
        ({"rtol": 1.5}, ValueError, "rtol"),
        ({"points": "third"}, ValueError, "points"),
        ({"points": 2}, ValueError, "points"),
        ({"f": lambda x, y, z: x / 0.0}, ValueError, "f"),
        ({"f": lambda x, y, z: np.ones(3)}, ValueError, "f"),
        ({"f": 3.0}, TypeError, "f"),
        ({"sweeps": -1}, ValueError, "sweeps"),
        ({"method": "qr"}, ValueError, "method"),
        ({"n": None, "n_max": 3}, ValueError, "n_max"),
        ({"n": 2.5}, TypeError, "n"),
    ],
)
def test_from_function_bad_input(kwargs, exc, match):
    args = {"f": lambda x, y, z: x + y, "box": BOX, "n": 4, "rtol": 1e-8, "points": "first"}
    args.update(kwargs)
    with np.errstate(divide="ignore", invalid="ignore"), pytest.raises(exc, match=match):
        ChebTucker.from_function(args.pop("f"), **args)


def test_container_and_points_checks():
    f = ChebTucker.from_function(lambda x, y, z: x + y * z, BOX, 4)
    with pytest.raises(ValueError, match="points"):
        f(np.zeros((5, 2)))
    with pytest.raises(ValueError, match="points"):
        f(np.array([np.nan, 0.0, 0.0]))
    with pytest.raises(ValueError, match="orthonormal"):
        ChebTucker(BOX, np.ones((1, 1, 1)), [np.ones((3, 1))] * 3)
    with pytest.raises(ValueError, match="columns"):
        ChebTucker(BOX, np.ones((2, 1, 1)), [np.eye(3)[:, :1]] * 3)
    with pytest.raises(ValueError, match="values"):
        ChebTucker.from_values(np.ones((1, 4, 4)), BOX)
    with pytest.raises(ValueError, match="R = len"):
        ChebTucker.from_cp([1.0, 2.0], [np.ones((4, 2)), np.ones((4, 2)), np.ones((4, 3))], BOX)
    with pytest.raises(AttributeError):
        f.core = np.zeros((1, 1, 1))  # frozen
    assert not f.core.flags.writeable
