"""gaunt_product against independent references: pointwise products with scipy harmonics,
projection by oversampled quadrature, a dense quadrature Gaunt tensor, the paper's route
spelled out with exact entries and a direct 2D convolution; equivariance and parity."""

from __future__ import annotations

import math

import numpy as np
import pytest

from specnum.bases.sphharm import wigner_D_real
from specnum.gaunt import gaunt_product, gaunt_product_vjp
from specnum.gaunt._checks import abs_max, as_sh_array
from specnum.gaunt._crossover import choose_method
from specnum.gaunt._grid import grid_plans
from specnum.gaunt.products import _IMPL
from specnum.testing import assert_rotation_equivariant
from tests.reference.ref_gaunt import (
    ref_fourier_product,
    ref_gaunt_dense_product,
    ref_projection,
    ref_real_sph_harm,
    ref_real_sph_harm_exact,
)

EPS = np.finfo(float).eps
METHODS = ["direct", "fourier", "grid"]


def _pair(rng, l1, l2, batch=(3,)):
    return rng.standard_normal((*batch, (l1 + 1) ** 2)), rng.standard_normal((*batch, (l2 + 1) ** 2))


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("l1,l2", [(0, 0), (1, 1), (2, 3), (4, 4), (8, 8), (8, 3)])
def test_pointwise_identity(method, l1, l2):
    # f1(r) f2(r) = sum_k c_k Y_k(r) at random points, harmonics from scipy (independent);
    # 1e-13 relative to the largest |f1 f2| sampled (issue: 1e-13 relative for L <= 8)
    rng = np.random.default_rng(l1 * 10 + l2)
    x1, x2 = _pair(rng, l1, l2)
    th, ph = np.arccos(rng.uniform(-1, 1, 64)), rng.uniform(0, 2 * np.pi, 64)
    c = gaunt_product(x1, x2, method=method)
    prod = (x1 @ ref_real_sph_harm(l1, th, ph).T) * (x2 @ ref_real_sph_harm(l2, th, ph).T)
    lhs = c @ ref_real_sph_harm(l1 + l2, th, ph).T
    assert np.abs(lhs - prod).max() <= 1e-13 * np.abs(prod).max()


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("l1,l2,lo", [(3, 2, None), (6, 6, 4), (8, 8, None), (5, 7, 14)])
def test_projection_by_quadrature(method, l1, l2, lo):
    # c_k = int f1 f2 Y_k dOmega by an oversampled Gauss-Legendre x trapezoid rule with scipy harmonics
    rng = np.random.default_rng(100 + l1)
    x1, x2 = _pair(rng, l1, l2, batch=(2,))
    lo_eff = l1 + l2 if lo is None else lo

    def fun(theta, phi):
        f1 = x1 @ np.moveaxis(ref_real_sph_harm_exact(l1, theta, phi), -1, 0).reshape((l1 + 1) ** 2, -1)
        f2 = x2 @ np.moveaxis(ref_real_sph_harm_exact(l2, theta, phi), -1, 0).reshape((l2 + 1) ** 2, -1)
        return (f1 * f2).reshape(2, *np.broadcast(theta, phi).shape)

    ref = ref_projection(fun, lo_eff, n_theta=(l1 + l2 + lo_eff) // 2 + 4, n_phi=l1 + l2 + lo_eff + 5)
    got = gaunt_product(x1, x2, lmax_out=lo, method=method)
    assert np.abs(got - ref).max() <= 1e-13 * np.abs(ref).max()


@pytest.mark.parametrize("l1,l2,lo", [(0, 0, None), (1, 2, None), (2, 2, 1), (3, 1, 5)])
def test_direct_equals_dense_quadrature_gaunt(l1, l2, lo):
    rng = np.random.default_rng(5)
    x1, x2 = _pair(rng, l1, l2)
    ref = ref_gaunt_dense_product(x1, x2, lo)
    for method in METHODS:
        got = gaunt_product(x1, x2, lmax_out=lo, method=method)
        assert np.abs(got - ref).max() <= 64 * EPS * max(1.0, np.abs(ref).max())


@pytest.mark.parametrize("l1,l2,lo", [(1, 1, 2), (2, 1, 2)])
def test_fourier_equals_papers_route_spelled_out(l1, l2, lo):
    # exact sh2f entries, direct (non-FFT) 2D convolution, exact f2sh entries
    rng = np.random.default_rng(6)
    x1, x2 = rng.standard_normal((l1 + 1) ** 2), rng.standard_normal((l2 + 1) ** 2)
    ref = ref_fourier_product(x1, x2, lo)
    got = gaunt_product(x1, x2, lmax_out=lo, method="fourier")
    assert np.abs(got - ref).max() <= 64 * EPS * max(1.0, np.abs(ref).max())


@pytest.mark.parametrize("L", [12, 16])
def test_methods_agree_mid_degree(L):
    rng = np.random.default_rng(L)
    x1, x2 = _pair(rng, L, L, batch=(2,))
    res = {m: gaunt_product(x1, x2, method=m) for m in ("fourier", "grid")}
    if L <= 12:
        res["direct"] = gaunt_product(x1, x2, method="direct")
    scale = np.abs(res["grid"]).max()
    for m, r in res.items():
        assert np.abs(r - res["grid"]).max() <= 1e-12 * scale, m


@pytest.mark.slow
@pytest.mark.parametrize("L", [24, 32])
def test_methods_agree_high_degree(L):
    rng = np.random.default_rng(L)
    x1, x2 = _pair(rng, L, L, batch=(2,))
    a = gaunt_product(x1, x2, method="fourier")
    b = gaunt_product(x1, x2, method="grid")
    assert np.abs(a - b).max() <= 1e-12 * np.abs(b).max()


def test_grid_variants_agree():
    # the dense (small L) and separable (O(L^3)) grid implementations are the same map, on grids
    # folded by two reflections (total degree < 26) and by three (>= 26: azimuths also under
    # phi -> pi - phi), and both equal the direct contraction with the exact table
    rng = np.random.default_rng(8)
    for l1, l2, lo in [(3, 4, 7), (6, 2, 3), (5, 5, 10), (7, 7, 14), (9, 6, 13), (8, 3, 17)]:
        assert grid_plans((l1, l2, lo), l1 + l2 + lo, "float64")[0].n_reflect == (2 if l1 + l2 + lo >= 26 else 1)
        x1, x2 = _pair(rng, l1, l2)
        a = _IMPL["grid_dense"](x1, x2, l1, l2, lo)
        b = _IMPL["grid_separable"](x1, x2, l1, l2, lo)
        assert np.abs(a - b).max() <= 1e-13 * np.abs(b).max()
        ref = gaunt_product(x1, x2, lmax_out=lo, method="direct")
        assert np.abs(b - ref).max() <= 1e-13 * np.abs(ref).max()


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_grid_plans_are_all_dense_or_all_separable(dtype):
    # "auto" applies the transform rule to the largest degree of the pipeline and builds every plan
    # of that kind (mixed pipelines lose the separable plans' azimuth-major layout)
    from specnum.bases.spheregrid import sphere_grid, sphere_transform

    kinds = set()
    for L in range(2, 15):
        plans = grid_plans((L, L, 2 * L), 4 * L, dtype)
        dense = sphere_transform(2 * L, sphere_grid(4 * L, fold_phi=True), dtype=dtype).dense
        assert [t.dense for t in plans] == [dense] * 3
        kinds.add(dense)
    assert kinds == {True, False}  # both kinds occur over these degrees


@pytest.mark.parametrize("l1,l2", [(5, 5), (6, 3), (9, 9)])
def test_grid_rows_do_not_depend_on_the_workers(monkeypatch, l1, l2):
    # the grid product and its vjp run chunks of row blocks, one compiled call per worker thread:
    # 2 or 3 workers give every row bitwise the result of one worker (a partial last block
    # included), which equals the direct contraction with the exact table
    import specnum.gaunt._grid as grid

    rng = np.random.default_rng(9)
    lo = l1 + l2
    x1, x2 = rng.standard_normal((1001, (l1 + 1) ** 2)), rng.standard_normal((1001, (l2 + 1) ** 2))
    g = rng.standard_normal((1001, (lo + 1) ** 2))
    res = {}
    for w in (1, 2, 3):
        monkeypatch.setattr(grid, "parallel_workers", lambda work, w=w: w)
        res[w] = (grid.grid_product(x1, x2, l1, l2, lo), *grid.grid_product_vjp(x1, x2, g, l1, l2, lo))
    for w in (2, 3):
        for a, b in zip(res[1], res[w]):
            np.testing.assert_array_equal(a, b)
    refs = (gaunt_product(x1, x2, lmax_out=lo, method="direct"),
            *gaunt_product_vjp(x1, x2, g, method="direct"))
    for a, ref in zip(res[1], refs):
        assert np.abs(a - ref).max() <= 1e-13 * np.abs(ref).max()


@pytest.mark.parametrize("dtype,tol", [(np.float64, 1e-13), (np.float32, 2e-6)])
@pytest.mark.parametrize("lines", [True, False])
def test_grid_products_in_both_block_layouts(monkeypatch, lines, dtype, tol):
    # separable plans with line-major or row-major block buffers (the rule picks rows only on large
    # grids): products of equal degrees (both factors in one synthesis), unequal degrees and the
    # vjp all equal the direct contraction with the exact table
    import specnum.bases.spheregrid as sg
    import specnum.gaunt._grid as grid

    monkeypatch.setattr(sg, "_uses_lines", lambda g, itemsize: lines)
    for cached in (sg._transform_cached, grid.grid_plans):
        cached.cache_clear()
    try:
        rng = np.random.default_rng(4)
        for l1, l2 in ((7, 7), (7, 4)):
            t1, t2, to = grid.grid_plans((l1, l2, l1 + l2), 2 * (l1 + l2), np.dtype(dtype).name, "separable")
            assert t1.lines == lines and to.lines == lines
            x1, x2 = rng.standard_normal((300, (l1 + 1) ** 2)), rng.standard_normal((300, (l2 + 1) ** 2))
            g = rng.standard_normal((300, (l1 + l2 + 1) ** 2))
            got = (grid.grid_product(*(x.astype(dtype) for x in (x1, x2)), l1, l2, l1 + l2, "separable"),
                   *grid.grid_product_vjp(*(x.astype(dtype) for x in (x1, x2, g)), l1, l2, l1 + l2, "separable"))
            refs = (gaunt_product(x1, x2, method="direct"), *gaunt_product_vjp(x1, x2, g, method="direct"))
            for a, ref in zip(got, refs):
                assert np.abs(a - ref).max() <= tol * np.abs(ref).max()
    finally:
        for cached in (sg._transform_cached, grid.grid_plans):
            cached.cache_clear()


@pytest.mark.parametrize("method", METHODS + ["auto"])
def test_float32_in_float32_out(method):
    rng = np.random.default_rng(9)
    x1, x2 = _pair(rng, 6, 6, batch=(4,))
    ref = gaunt_product(x1, x2, method="grid")
    got = gaunt_product(x1.astype(np.float32), x2.astype(np.float32), method=method)
    assert got.dtype == np.float32
    assert np.abs(got - ref).max() <= 2e-6 * np.abs(ref).max()  # single precision, ~1e-6 relative
    mixed = gaunt_product(x1.astype(np.float32), x2, method=method)
    assert mixed.dtype == np.float64


@pytest.mark.parametrize("method", METHODS)
def test_equivariance_and_parity(method):
    rng = np.random.default_rng(10)
    x1, x2 = _pair(rng, 4, 3, batch=(2,))
    err = assert_rotation_equivariant(
        lambda a, b: gaunt_product(a, b, method=method), [x1, x2], rng=11, n_rotations=2, rtol=1e-12
    )
    assert err <= 1e-12
    # parity: inversion flips degree l by (-1)^l; the output at l3 must flip by (-1)^l3
    def sign(L):
        return np.repeat((-1.0) ** np.arange(L + 1), 2 * np.arange(L + 1) + 1)

    out = gaunt_product(x1 * sign(4), x2 * sign(3), method=method)
    np.testing.assert_allclose(out, gaunt_product(x1, x2, method=method) * sign(7), atol=1e-13)


def test_rotated_example_from_notes():
    # gaunt notes 4.3: output covariance with D of a fixed rotation; D from the shared layer,
    # rotation R = Rz(0.3) Ry(1.1) Rz(-0.7)
    def rz(t):
        return np.array([[np.cos(t), -np.sin(t), 0], [np.sin(t), np.cos(t), 0], [0, 0, 1]])

    def ry(t):
        return np.array([[np.cos(t), 0, np.sin(t)], [0, 1, 0], [-np.sin(t), 0, np.cos(t)]])

    R = rz(0.3) @ ry(1.1) @ rz(-0.7)
    rng = np.random.default_rng(12)
    x1, x2 = _pair(rng, 3, 3, batch=())
    D = wigner_D_real(6, R)
    lhs = gaunt_product(D[:16, :16] @ x1, D[:16, :16] @ x2, method="fourier")
    rhs = D @ gaunt_product(x1, x2, method="fourier")
    assert np.abs(lhs - rhs).max() <= 1e-13 * np.abs(rhs).max()


def test_shapes_broadcast_truncate_pad():
    rng = np.random.default_rng(13)
    x1 = rng.standard_normal((2, 1, 9))
    x2 = rng.standard_normal((3, 16))
    for method in METHODS + ["auto"]:
        out = gaunt_product(x1, x2, method=method)
        assert out.shape == (2, 3, 36)
        full = out
        trunc = gaunt_product(x1, x2, lmax_out=2, method=method)
        np.testing.assert_allclose(trunc, full[..., :9], atol=1e-14)
        pad = gaunt_product(x1, x2, lmax_out=7, method=method)
        assert pad.shape == (2, 3, 64)
        np.testing.assert_allclose(pad[..., :36], full, atol=1e-14)
        assert not np.any(pad[..., 36:])
    assert gaunt_product(np.ones((0, 4)), np.ones(4)).shape == (0, 9)
    assert gaunt_product([1.0], [1.0]).shape == (1,)
    assert gaunt_product(np.ones(4, dtype=int), np.ones(1)).dtype == np.float64


def test_commutative_when_degrees_equal():
    rng = np.random.default_rng(14)
    x1, x2 = _pair(rng, 5, 5)
    np.testing.assert_allclose(gaunt_product(x1, x2), gaunt_product(x2, x1), atol=1e-13)


def test_auto_uses_a_real_method_and_agrees():
    rng = np.random.default_rng(15)
    for L in (1, 3, 6, 10):
        x1, x2 = _pair(rng, L, L)
        for dt in ("float32", "float64"):
            for nrow in (1, 64, 4096, 10**6):  # only public method names
                assert choose_method(L, L, 2 * L, nrow=nrow, dtype=dt) in ("direct", "fourier", "grid")
        np.testing.assert_allclose(gaunt_product(x1, x2), gaunt_product(x1, x2, method="grid"), atol=1e-12)


def test_bad_input():
    ok = np.ones(4)
    with pytest.raises(ValueError, match="x1"):
        gaunt_product(np.ones(5), ok)
    with pytest.raises(ValueError, match="x2"):
        gaunt_product(ok, np.ones((2, 3)))
    with pytest.raises(ValueError, match="x1 and x2"):
        gaunt_product(np.ones((2, 4)), np.ones((3, 4)))
    with pytest.raises(ValueError, match="lmax_out"):
        gaunt_product(ok, ok, lmax_out=-1)
    with pytest.raises(TypeError, match="lmax_out"):
        gaunt_product(ok, ok, lmax_out=1.5)
    with pytest.raises(TypeError, match="x1"):
        gaunt_product(ok.astype(complex), ok)
    with pytest.raises(ValueError, match="x2"):
        gaunt_product(ok, np.array([1.0, np.inf, 0.0, 0.0]))
    with pytest.raises(ValueError, match="method"):
        gaunt_product(ok, ok, method="fft")
    with pytest.raises(ValueError, match="x1"):
        gaunt_product(3.0, ok)
    with pytest.raises(TypeError, match="x1"):
        as_sh_array(np.array(["a"]), "x1")


def test_crossover_table_rules():
    # small L: the measured winner; far outside the measured direct range: never "direct"
    assert choose_method(1, 1, 2, nrow=4096, dtype="float64") == "direct"
    assert choose_method(32, 32, 64, nrow=4096, dtype="float64") == "grid"
    assert choose_method(30, 0, 2, nrow=4096, dtype="float64") != "direct"
    with pytest.raises(ValueError, match="dtype"):  # a working precision, not any dtype name
        choose_method(2, 2, 4, nrow=4096, dtype="int8")
    with pytest.raises(ValueError, match="lmax1"):
        choose_method(-1, 2, 4, nrow=4096, dtype="float64")
    with pytest.raises(TypeError, match="lmax_out"):
        choose_method(2, 2, 4.5, nrow=4096, dtype="float64")
    with pytest.raises(ValueError, match="nrow"):
        choose_method(2, 2, 4, nrow=-1, dtype="float64")


@pytest.mark.parametrize("method", METHODS)
def test_scale_invariance_at_extreme_magnitudes(method):
    # bilinearity: scaling the inputs by powers of two scales the product exactly, also where
    # an unscaled evaluation would overflow (2^600 * 2^600 grid values) or lose a row to
    # underflow; 1e160 * 1e-170 (not powers of two) to rounding
    rng = np.random.default_rng(21)
    x1, x2 = _pair(rng, 3, 4, batch=(3,))
    ref = gaunt_product(x1, x2, method=method)
    big = gaunt_product(np.ldexp(x1, 600), np.ldexp(x2, -590), method=method)
    np.testing.assert_array_equal(big, np.ldexp(ref, 10))
    huge = gaunt_product(np.ldexp(x1, 500), np.ldexp(x2, 500), method=method)
    np.testing.assert_array_equal(huge, np.ldexp(ref, 1000))
    mixed_rows = np.ldexp(x1, np.array([[700], [0], [-700]]))  # rows of very different size
    got = gaunt_product(mixed_rows, x2, method=method)
    np.testing.assert_array_equal(got, np.ldexp(ref, np.array([[700], [0], [-700]])))
    dec = gaunt_product(1e160 * x1, 1e-170 * x2, method=method)
    assert np.abs(dec - 1e-10 * ref).max() <= 1e-13 * np.abs(1e-10 * ref).max()
    f32 = gaunt_product(np.float32(2.0**60) * x1.astype(np.float32), np.float32(2.0**60) * x2.astype(np.float32),
                       method=method)
    assert f32.dtype == np.float32 and np.all(np.isfinite(f32))  # 2^120 * O(10) < 3.4e38
    assert np.abs(f32 / np.float32(2.0**120) - ref).max() <= 2e-6 * np.abs(ref).max()
    with pytest.raises(ValueError, match="overflows"):
        gaunt_product(np.ldexp(x1, 1000), np.ldexp(x2, 1000), method=method)


def test_abs_max_matches_numpy_and_propagates_nan():
    # the magnitude every call scans before it works: max |a|, NaN for any NaN, 0 when empty
    rng = np.random.default_rng(22)
    for dtype in (np.float64, np.float32):
        a = rng.standard_normal((7, 9)).astype(dtype)
        a[3, 4] = -40.0  # the largest magnitude is negative
        assert abs_max(a) == 40.0
        assert abs_max(a[:, ::2]) == float(np.abs(a[:, ::2]).max())
        a[0, 0] = np.nan
        assert math.isnan(abs_max(a))
        a[0, 0] = -np.inf
        assert abs_max(a) == math.inf
        a[0, 0] = -np.nan  # a NaN with its sign bit set
        assert math.isnan(abs_max(a))
        info = np.finfo(dtype)
        for values in ([info.smallest_subnormal, -3 * info.smallest_subnormal, 0.0], [-0.0, 0.0],
                       [info.max, -info.max, 1.0], [-info.tiny, info.tiny / 2]):
            b = np.array(values, dtype=dtype)
            assert abs_max(b) == float(np.abs(b).max())
        b = rng.standard_normal(1000).astype(dtype) * np.exp2(rng.integers(-60, 60, 1000)).astype(dtype)
        assert abs_max(b) == float(np.abs(b).max())
    assert abs_max(np.zeros((0, 4))) == 0.0
    assert abs_max(np.array([-7, 3])) == 7.0
