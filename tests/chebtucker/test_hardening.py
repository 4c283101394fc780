"""Scale invariance, evaluation inside the box, overflow-safe splitting, size budgets, argument forms."""

from __future__ import annotations

import math
import warnings

import mpmath as mp
import numpy as np
import pytest

from specnum import size_budget
from specnum.bases.chebyshev import points as cheb_points
from specnum.chebtucker import (
    ChebTucker,
    direct_potential,
    hooi,
    hosvd,
    long_range_potential,
    split_kernel,
    total_potential,
    tucker_to_full,
)

EPS = np.finfo(float).eps
BOX = ((-1.0, 2.0), (0.5, 1.5), (-3.0, -1.0))
SCALES = [1e160, 1e-170]


def _decaying(rng, shape=(12, 13, 14)):
    core = rng.standard_normal(shape) * np.exp(-0.6 * np.add.outer(np.add.outer(*map(np.arange, shape[:2])),
                                                                    np.arange(shape[2])))
    return tucker_to_full(core, [np.linalg.qr(rng.standard_normal((n, n)))[0] for n in shape])


# ---------------------------------------------------------------- scale invariance
@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("method", ["hosvd", "sthosvd"])
def test_hosvd_is_scale_invariant(scale, method):
    """Multiplying the array by 1e160 or 1e-170 changes the core's scale and nothing else."""
    t = _decaying(np.random.default_rng(0))
    core, factors = hosvd(t, rtol=1e-6, method=method)
    core_s, factors_s = hosvd(scale * t, rtol=1e-6, method=method)
    assert core_s.shape == core.shape and core.size > 0
    # scale * t is rounded once (relative eps); the SVDs see the same array up to that
    np.testing.assert_allclose(core_s / scale, core, rtol=0, atol=1e-12 * np.linalg.norm(core))
    for k in range(3):
        np.testing.assert_allclose(factors_s[k] @ factors_s[k].T, factors[k] @ factors[k].T, atol=1e-10)
    c_h, _ = hooi(scale * t, core.shape, sweeps=2)
    c_1, _ = hooi(t, core.shape, sweeps=2)
    np.testing.assert_allclose(np.abs(c_h / scale), np.abs(c_1), rtol=0, atol=1e-12 * np.linalg.norm(c_1))


@pytest.mark.parametrize("scale", SCALES)
def test_from_function_values_cp_are_scale_invariant(scale):
    def fun(x, y, z):
        return np.exp(-x * y) + np.cos(z) * x

    rng = np.random.default_rng(1)
    p = np.stack([rng.uniform(a, b, 300) for a, b in BOX], axis=1)
    f = ChebTucker.from_function(fun, BOX, 16, rtol=1e-10)
    for n in (16, None):
        g = ChebTucker.from_function(lambda x, y, z: scale * fun(x, y, z), BOX, n, rtol=1e-10)
        assert g.ranks == f.ranks and g.degrees == (f.degrees if n == 16 else g.degrees)
        np.testing.assert_allclose(g(p) / scale, fun(*p.T), rtol=0, atol=1e-9)
    x, y, z = (cheb_points(16, kind=1, interval=BOX[k]) for k in range(3))
    h = ChebTucker.from_values(scale * fun(*np.meshgrid(x, y, z, indexing="ij")), BOX, rtol=1e-10)
    assert h.ranks == f.ranks
    np.testing.assert_allclose(h(p) / scale, f(p), rtol=0, atol=1e-12)
    # CP input with extreme weights and columns: only the product matters
    cols = [np.stack([np.exp(-x), x**2], 1), np.stack([np.exp(y), y**3], 1), np.stack([np.exp(z / 2), np.cos(z)], 1)]
    ref = ChebTucker.from_cp([2.0, -1.0], cols, BOX, rtol=1e-12)
    tiny = [cols[0] * 1e-50, cols[1], cols[2] * 1e-50]
    cp = ChebTucker.from_cp([2.0 * scale * 1e100, -scale * 1e100], tiny, BOX, rtol=1e-12)
    assert cp.ranks == ref.ranks == (2, 2, 2)
    np.testing.assert_allclose(cp(p) / scale, ref(p), rtol=0, atol=1e-11)


@pytest.mark.parametrize("scale", SCALES)
def test_algebra_is_scale_invariant(scale):
    f = ChebTucker.from_function(lambda x, y, z: np.sin(x + y) * z + x * x, BOX, 14, rtol=1e-13)
    g = f.scale(scale)
    assert g.recompress(1e-6).ranks == f.recompress(1e-6).ranks
    assert math.isclose(g.norm() / scale, f.norm(), rel_tol=1e-13)
    rng = np.random.default_rng(4)
    p = np.stack([rng.uniform(a, b, 50) for a, b in BOX], axis=1)
    s = g.add(g.scale(0.5))
    np.testing.assert_allclose(s(p) / scale, f.add(f.scale(0.5))(p), rtol=0, atol=1e-12 * np.max(np.abs(f(p))))
    assert (g - g).ranks == (0, 0, 0)


@pytest.mark.parametrize("scale", SCALES)
def test_long_range_potential_is_scale_invariant(scale):
    rng = np.random.default_rng(2)
    pos = rng.uniform(-3, 3, (200, 3))
    q = rng.choice([-1.0, 1.0], 200)
    box = ((-3.5, 3.5),) * 3
    tgt = rng.uniform(-3.5, 3.5, (200, 3))
    v = long_range_potential(pos, q, box, r0=1.0, rtol=1e-7)
    vs = long_range_potential(pos, scale * q, box, r0=1.0, rtol=1e-7)
    assert vs.ranks == v.ranks and vs.degrees == v.degrees
    np.testing.assert_allclose(vs(tgt) / scale, v(tgt), rtol=0, atol=1e-12 * np.max(np.abs(v(tgt))))
    tp = total_potential(pos, scale * q, tgt, box, r0=1.0, rtol=1e-7)
    ref = direct_potential(pos, q, tgt)
    np.testing.assert_allclose(tp / scale, ref, rtol=0, atol=1e-6 * np.max(np.abs(ref)))


# ----------------------------------------------------------- inside the box
def test_evaluation_outside_the_box_needs_extrapolate():
    f = ChebTucker.from_function(lambda x, y, z: x * y + z, BOX, 4)
    inside = np.array([[0.0, 1.0, -2.0], [2.0, 1.5, -1.0]])
    rounding = inside[1] * (1 + 1e-15)  # one rounding outside the corner: still inside
    f(np.vstack([inside, rounding]))
    outside = np.array([[0.0, 1.0, -2.0], [10.0, 1.0, -2.0]])
    for method in (f, f.gradient):
        with pytest.raises(ValueError, match="points must lie inside the box.*extrapolate=True"):
            method(outside)
    with pytest.raises(ValueError, match="x must lie"):
        f.on_grid([10.0], [1.0], [-2.0])
    # the polynomial continued: x*y + z is reproduced exactly (degree 1 per axis)
    np.testing.assert_allclose(f(outside, extrapolate=True), [-2.0, 8.0], atol=1e-12)
    np.testing.assert_allclose(f.gradient(outside, extrapolate=True)[1], [1.0, 10.0, 1.0], atol=1e-12)
    np.testing.assert_allclose(f.on_grid([10.0], [1.0], [-2.0], extrapolate=True), [[[8.0]]], atol=1e-12)
    with pytest.raises(TypeError, match="extrapolate"):
        f(inside, extrapolate="yes")


# ------------------------------------------------------- splitting radius, kernels
def test_tiny_r0_is_named():
    pos = np.zeros((2, 3))
    pos[1, 0] = 1.0
    for r0 in (1e-300, 1e-101):
        with pytest.raises(ValueError, match=r"r0 must lie in \[1e-100"):
            long_range_potential(pos, [1.0, -1.0], ((-5, 5),) * 3, r0=r0)
    with pytest.raises(ValueError, match=r"r0 = 1e-09 is too small"):
        long_range_potential(pos, [1.0, -1.0], ((-5, 5),) * 3, r0=1e-9)
    with pytest.raises(ValueError, match=r"r0 = 0.001 .*size budget"):
        long_range_potential(pos, [1.0, -1.0], ((-5, 5),) * 3, r0=1e-3)


def _yukawa_long_mp(r, kappa, r0):
    f = lambda t: 2 / mp.sqrt(mp.pi) * mp.exp(-t * t * r * r - kappa**2 / (4 * t * t))  # noqa: E731
    return mp.quad(f, [0, kappa / 8, kappa / 4, kappa / 2, 1 / r0])


def test_split_kernel_extreme_arguments_are_finite_and_right():
    """No overflow warning, no NaN: values match closed forms wherever they are representable."""
    mp.mp.dps = 30
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lo, sh = split_kernel([1e-300, 1.0, 1e200], r0=1.0)
        np.testing.assert_allclose(lo, [2 / math.sqrt(math.pi), math.erf(1.0), 1e-200], rtol=1e-15)
        np.testing.assert_allclose(sh, [1e300, math.erfc(1.0), 0.0], rtol=1e-15)
        lo, sh = split_kernel([0.0, 1.0, 1e300], "yukawa", r0=1e-100, kappa=1e100)
        # L(0) = 2/(sqrt(pi) r0) exp(-kappa^2 r0^2/4) - kappa erfc(kappa r0/2)
        l0 = float(2 / mp.sqrt(mp.pi) * mp.mpf(10) ** 100 * mp.exp(-0.25) - mp.mpf(10) ** 100 * mp.erfc(0.5))
        assert abs(lo[0] - l0) <= 1e-13 * l0 and sh[0] == 0.0
        assert lo[2] == 0.0 and sh[2] == 0.0 and np.all(np.isfinite(lo)) and np.all(np.isfinite(sh))
        lo, sh = split_kernel([0.5, 1e250], "yukawa", r0=2.0, kappa=0.7)
        assert abs(lo[0] - float(_yukawa_long_mp(mp.mpf(0.5), 0.7, 2.0))) <= 1e-13 * lo[0]
        assert lo[1] == 0.0 and sh[1] == 0.0
        lo, sh = split_kernel([0.0, 1e300], "slater", r0=1e100, kappa=1e-100)
        np.testing.assert_allclose(lo + sh, [1.0, 0.0], rtol=1e-14)
        np.testing.assert_allclose(lo[0], math.erfc(0.5), rtol=1e-13)  # L(0) = erfc(kappa r0/2)
        lo, sh = split_kernel([1.0], "slater", r0=1.0, kappa=1e100)
        assert lo[0] == 0.0 and sh[0] == 0.0


# ----------------------------------------------------------------- size budgets
def test_size_budget_refuses_before_work():
    f = ChebTucker.from_function(lambda x, y, z: x + y * z, BOX, 4)
    huge = [np.ones((10**6, 1))] * 3
    with pytest.raises(ValueError, match="budget"):
        tucker_to_full(np.ones((1, 1, 1)), huge)
    with pytest.raises(ValueError, match=r"n = \(2000, 2000, 2000\).*budget"):
        ChebTucker.from_function(lambda x, y, z: x, BOX, 2000)
    with pytest.raises(ValueError, match=r"n_max = 100000.*budget"):
        ChebTucker.from_function(lambda x, y, z: np.abs(x), BOX, None, n_max=100_000)
    big = ChebTucker(BOX, np.ones((60, 60, 60)) / 216000**0.5,
                     [np.eye(61)[:, :60], np.eye(60), np.eye(62)[:, :60]])
    with pytest.raises(ValueError, match="hadamard.*budget"):
        big * big
    line = np.zeros(2000)
    with pytest.raises(ValueError, match=r"x, y, z of lengths \(2000, 2000, 2000\).*budget"):
        f.on_grid(line, line + 1.0, line - 2.0)
    with pytest.raises(ValueError, match="sources.*budget"):
        direct_potential(np.zeros((10**6, 3)), np.zeros(10**6), np.zeros((10**6, 3)))
    with size_budget(memory=2**37):  # raised on purpose: 2000^3 floats (64 GB) fit, so the grid is built
        assert f.on_grid(line[:100], line[:100] + 1.0, line[:100] - 2.0).shape == (100, 100, 100)
    with size_budget(memory=2**20):  # lowered: 1 MiB refuses a 100^3 grid
        with pytest.raises(ValueError, match="budget of 1 MiB"):
            f.on_grid(line[:100], line[:100] + 1.0, line[:100] - 2.0)


# ---------------------------------------------------------------- argument forms
def test_keyword_only_options_and_the_kind_alias():
    x = cheb_points(6, kind=2, interval=(0, 1))
    v = np.add.outer(np.add.outer(x, x**2), 0 * x)
    with pytest.raises(TypeError):
        ChebTucker.from_values(v, ((0, 1),) * 3, 1e-10)  # rtol positionally: refused by Python
    with pytest.raises(TypeError):
        hosvd(v, 1e-6)
    with pytest.warns(DeprecationWarning, match="points='first' or points='second'"):
        old = ChebTucker.from_values(v, ((0, 1),) * 3, kind=2)
    new = ChebTucker.from_values(v, ((0, 1),) * 3, points="second")
    np.testing.assert_array_equal(old.core, new.core)
    p = np.random.default_rng(3).uniform(0, 1, (20, 3))
    np.testing.assert_allclose(new(p), p[:, 0] + p[:, 1] ** 2, atol=1e-13)
    with pytest.raises(ValueError, match="either points or the deprecated kind"), pytest.warns(DeprecationWarning):
        ChebTucker.from_values(v, ((0, 1),) * 3, points="first", kind=2)
