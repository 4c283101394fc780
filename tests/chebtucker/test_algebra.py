"""ChebTucker algebra against closed forms and tensor Gauss-Legendre quadrature of the interpolant."""

from __future__ import annotations

import numpy as np
import pytest

from specnum.bases.quadrature import gauss_legendre
from specnum.chebtucker import ChebTucker

EPS = np.finfo(float).eps
BOX = ((0.0, 1.0), (-1.0, 2.0), (0.5, 1.5))


def f_fun(x, y, z):
    return np.exp(x) * np.cos(y) * z + x * y


def g_fun(x, y, z):
    return np.sin(x + z) + y**2


@pytest.fixture(scope="module")
def fg():
    f = ChebTucker.from_function(f_fun, BOX, 20, rtol=1e-14)
    g = ChebTucker.from_function(g_fun, BOX, 18, rtol=1e-14)
    return f, g


def _gl_grid(m=40):
    nodes, weights = zip(*(gauss_legendre(m, iv) for iv in BOX))
    w = np.einsum("i,j,k->ijk", *weights)
    return nodes, w


def _random_points(n=300, seed=0):
    rng = np.random.default_rng(seed)
    return np.stack([rng.uniform(a, b, n) for a, b in BOX], axis=1)


def test_integral_closed_form(fg):
    f, _ = fg
    # int exp(x) cos(y) z + x y over the box, by hand
    exact = (np.e - 1) * (np.sin(2.0) - np.sin(-1.0)) * (1.5**2 - 0.5**2) / 2 + 0.5 * (4 - 1) / 2 * 1.0
    assert abs(f.integral() - exact) <= 100 * EPS * abs(exact)


def test_inner_and_norm_equal_quadrature_of_interpolant(fg):
    f, g = fg
    nodes, w = _gl_grid()
    fv = f.on_grid(*nodes)
    gv = g.on_grid(*nodes)
    # 40-point Gauss-Legendre is exact for the polynomial products (degree <= 2*19 < 79)
    assert abs(f.inner(g) - np.sum(w * fv * gv)) <= 1e-13 * np.sqrt(np.sum(w * fv**2) * np.sum(w * gv**2))
    assert abs(f.norm() - np.sqrt(np.sum(w * fv**2))) <= 1e-13 * f.norm()
    assert abs(f.integral() - np.sum(w * fv)) <= 1e-13 * np.sum(w * np.abs(fv))


def test_add_subtract_scale(fg):
    f, g = fg
    p = _random_points()
    fp, gp = f(p), g(p)
    scale = np.max(np.abs(fp)) + np.max(np.abs(gp))
    np.testing.assert_allclose((f + g)(p), fp + gp, rtol=0, atol=1e-12 * scale)
    np.testing.assert_allclose((f - g)(p), fp - gp, rtol=0, atol=1e-12 * scale)
    np.testing.assert_allclose((2.5 * f)(p), 2.5 * fp, rtol=0, atol=10 * EPS * scale)
    np.testing.assert_allclose((-f)(p), -fp, rtol=0, atol=0)
    zero = f - f
    assert zero.ranks == (0, 0, 0)
    assert np.all(zero(p) == 0.0)
    # sum of separable terms keeps small ranks
    assert max((f + g).ranks) <= f.ranks[0] + g.ranks[0]


def test_hadamard_product(fg):
    f, g = fg
    p = _random_points(seed=1)
    h = f * g
    assert isinstance(h, ChebTucker)
    ref = f_fun(*p.T) * g_fun(*p.T)
    np.testing.assert_allclose(h(p), f(p) * g(p), rtol=0, atol=1e-11 * np.max(np.abs(ref)))
    np.testing.assert_allclose(h(p), ref, rtol=0, atol=1e-11 * np.max(np.abs(ref)))


def test_recompress_guarantee():
    f = ChebTucker.from_function(lambda x, y, z: 1.0 / (1.0 + x * x + y * y * z * z), BOX, 24, rtol=1e-14)
    c = f.coefficients()
    for rtol in (1e-3, 1e-6):
        h = f.recompress(rtol)
        ch = np.zeros_like(c)
        ch[: h.degrees[0] + 1, : h.degrees[1] + 1, : h.degrees[2] + 1] = h.coefficients()
        assert np.linalg.norm(ch - c) <= rtol * np.linalg.norm(c) * (1 + 1e-10)
        assert all(a <= b for a, b in zip(h.ranks, f.ranks))


def test_derivative(fg):
    f, _ = fg
    p = _random_points(seed=2)
    x, y, z = p.T
    expected = [np.exp(x) * np.cos(y) * z + y, -np.exp(x) * np.sin(y) * z + x, np.exp(x) * np.cos(y)]
    for axis in range(3):
        d = f.derivative(axis)
        assert isinstance(d, ChebTucker)
        # spectral differentiation of a resolved interpolant: ~n^2 * eps
        np.testing.assert_allclose(d(p), expected[axis], rtol=0, atol=1e-11)
        np.testing.assert_allclose(d(p), f.gradient(p)[:, axis], rtol=0, atol=1e-11)
    d2 = f.derivative(0, m=2)
    np.testing.assert_allclose(d2(p), np.exp(x) * np.cos(y) * z, rtol=0, atol=1e-9)


def test_algebra_bad_input(fg):
    f, _ = fg
    other = ChebTucker.from_function(f_fun, ((0, 1), (-1, 2), (0.5, 2.0)), 6)
    with pytest.raises(ValueError, match="equal boxes"):
        f + other
    with pytest.raises(TypeError, match="ChebTucker"):
        f.inner(3.0)
    with pytest.raises(ValueError, match="axis"):
        f.derivative(3)
    with pytest.raises(ValueError, match="rtol"):
        f.recompress(0.0)
    with pytest.raises(TypeError):
        f + 1.0
    with pytest.raises(TypeError, match="alpha"):
        f.scale("2")


def test_zero_function_in_every_operation(fg):
    """ChebTucker.zero is an ordinary operand: no special case anywhere (rank 0 throughout)."""
    f, _ = fg
    z = ChebTucker.zero(BOX, (5, 6, 7))
    assert z.ranks == (0, 0, 0) and z.degrees == (4, 5, 6) and z.storage == 0
    p = _random_points(n=20, seed=4)
    assert np.all(z(p) == 0.0) and np.all(z.gradient(p) == 0.0)
    v, g = z.value_and_gradient(p)
    assert v.shape == (20,) and g.shape == (20, 3) and not np.any(v) and not np.any(g)
    assert z.integral() == 0.0 and z.norm() == 0.0 and z.inner(f) == 0.0
    assert np.all(z.coefficients() == 0.0) and z.coefficients().shape == (5, 6, 7)
    assert np.all(z.on_grid([0.5], [0.0, 1.0], [1.0]) == 0.0)
    core, factors = z.to_grid_tucker([0.5, 0.6], [0.0], [1.0])
    assert core.size == 0 and [u.shape for u in factors] == [(2, 0), (1, 0), (1, 0)]
    assert (z * f).ranks == (0, 0, 0) and (f * z).ranks == (0, 0, 0)
    assert z.derivative(1, 2).ranks == (0, 0, 0) and z.recompress(1e-6).ranks == (0, 0, 0)
    np.testing.assert_allclose((z + f)(p), f(p), rtol=0, atol=1e-13 * np.max(np.abs(f(p))))
    np.testing.assert_allclose((f - z)(p), f(p), rtol=0, atol=1e-13 * np.max(np.abs(f(p))))
    assert (z.scale(3.0)).ranks == (0, 0, 0)
    with pytest.raises(ValueError, match="n"):
        ChebTucker.zero(BOX, 0)
