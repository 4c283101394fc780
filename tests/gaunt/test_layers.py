"""Gaunt layers against a Clebsch-Gordan contraction with exact 3j-based kappa, against pointwise
products of scipy harmonics, and against chained exact products."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sympy.physics.wigner import wigner_3j as sympy_3j

from specnum.bases.coupling import real_coupling_block
from specnum.gaunt import (
    GauntTensorProduct,
    equivariant_convolution,
    gaunt_product,
    gaunt_tensor_product,
    paths,
    power_products,
)
from specnum.testing import assert_rotation_equivariant
from tests.reference.ref_gaunt import ref_real_sph_harm

EPS = np.finfo(float).eps


def _kappa_exact(l1, l2, l3):
    # |kappa| = sqrt((2l1+1)(2l2+1)(2l3+1)/(4 pi)) |(l1 l2 l3; 0 0 0)| (gaunt notes 1.2), 3j from sympy
    three_j = abs(float(sympy_3j(l1, l2, l3, 0, 0, 0)))
    return math.sqrt((2 * l1 + 1) * (2 * l2 + 1) * (2 * l3 + 1) / (4 * math.pi)) * three_j


def _cg_even(x1, x2, w1, w2, w3, l1max, l2max, lo):
    """CG tensor product on the even paths with weights kappa w1 w2 w3 (channelwise)."""
    out = np.zeros((*x1.shape[:-1], (lo + 1) ** 2))
    for l1, l2, l3 in paths(l1max, l2max, lo).gaunt.tolist():
        W = real_coupling_block(l1, l2, l3)
        wt = _kappa_exact(l1, l2, l3) * w1[..., l1] * w2[..., l2] * w3[..., l3]
        out[..., l3 * l3 : (l3 + 1) ** 2] += wt[..., None] * np.einsum(
            "...i,...j,ijk->...k", x1[..., l1 * l1 : (l1 + 1) ** 2], x2[..., l2 * l2 : (l2 + 1) ** 2], W
        )
    return out


@pytest.mark.parametrize("weights", ["degree", "channel"])
def test_gaunt_tp_equals_cg_on_even_paths(weights):
    rng = np.random.default_rng(0)
    L1, L2, Lo, C = 3, 2, 4, 3
    shp = (C,) if weights == "channel" else ()
    w1, w2, w3 = (rng.standard_normal((*shp, L + 1)) for L in (L1, L2, Lo))
    tp = GauntTensorProduct(L1, L2, Lo, channels=C, weights=weights, w1=w1, w2=w2, w3=w3, method="grid")
    x1 = rng.standard_normal((5, C, (L1 + 1) ** 2))
    x2 = rng.standard_normal((5, C, (L2 + 1) ** 2))
    got = tp(x1, x2)
    ref = _cg_even(x1, x2, w1, w2, w3, L1, L2, Lo)
    assert got.shape == (5, C, (Lo + 1) ** 2)
    assert np.abs(got - ref).max() <= 1e-13 * np.abs(ref).max()
    p, pw = tp.path_weights()
    kap = np.array([_kappa_exact(*row) for row in p.tolist()])
    np.testing.assert_allclose(pw, kap * w1[..., p[:, 0]] * w2[..., p[:, 1]] * w3[..., p[:, 2]], rtol=1e-14)


def test_gaunt_tp_default_weights_is_plain_product_and_equivariant():
    rng = np.random.default_rng(1)
    tp = GauntTensorProduct(2, 2, 4, channels=2, weights="none")
    x1, x2 = rng.standard_normal((2, 3, 2, 9))
    np.testing.assert_allclose(tp(x1, x2), gaunt_product(x1, x2), atol=1e-14)
    assert not tp.w1.flags.writeable
    assert_rotation_equivariant(lambda a, b: tp(a, b), [x1, x2], rng=2, rtol=1e-12)


def test_gaunt_tp_bad_input():
    with pytest.raises(ValueError, match="weights"):
        GauntTensorProduct(1, 1, 2, weights="path")
    with pytest.raises(ValueError, match="w1"):
        GauntTensorProduct(1, 1, 2, w1=np.ones(3))
    with pytest.raises(ValueError, match="w3"):
        GauntTensorProduct(1, 1, 2, channels=2, weights="channel", w3=np.ones(3))
    with pytest.raises(ValueError, match="channels"):
        GauntTensorProduct(1, 1, 2, channels=0)
    with pytest.raises(ValueError, match="method"):
        GauntTensorProduct(1, 1, 2, method="magic")
    with pytest.raises(ValueError, match="w1"):
        GauntTensorProduct(1, 1, 2, weights="none", w1=np.ones(2))
    tp = GauntTensorProduct(1, 1, 2, channels=2)
    with pytest.raises(ValueError, match="x1"):
        tp(np.ones((3, 4)), np.ones((2, 4)))
    with pytest.raises(ValueError, match="x2"):
        tp(np.ones((2, 4)), np.ones((2, 9)))
    with pytest.raises(ValueError, match="w2"):
        gaunt_tensor_product(np.ones(4), np.ones(4), w2=np.ones(3))
    with pytest.raises(ValueError, match="w3"):
        gaunt_tensor_product(np.ones(4), np.ones(4), w3=np.ones(2))
    with pytest.raises(ValueError, match="method"):
        gaunt_tensor_product(np.ones(4), np.ones(4), method="magic")


def test_equivariant_convolution_pointwise_and_aligned():
    rng = np.random.default_rng(3)
    E, C, L1, Lf = 6, 2, 3, 2
    feats = rng.standard_normal((E, C, (L1 + 1) ** 2))
    vecs = rng.standard_normal((E, 3))
    vecs[0] = [0.0, 0.0, -2.0]  # the antipodal edge case of the alignment
    vecs[1] = [0.0, 0.0, 0.5]
    h = rng.standard_normal((E, C, Lf + 1))
    a = equivariant_convolution(feats, vecs, h, method="grid")
    b = equivariant_convolution(feats, vecs, h, aligned=True)
    assert a.shape == b.shape == (E, C, (L1 + Lf + 1) ** 2)
    assert np.abs(a - b).max() <= 1e-13 * np.abs(a).max()
    # pointwise: out_e(r) = f_e(r) * sum_lm h_l Y_lm(e) Y_lm(r), harmonics from scipy
    e = vecs / np.linalg.norm(vecs, axis=1, keepdims=True)
    te, pe = np.arccos(np.clip(e[:, 2], -1, 1)), np.arctan2(e[:, 1], e[:, 0])
    Ye = ref_real_sph_harm(Lf, te, pe)  # (E, Kf)
    th, ph = np.arccos(rng.uniform(-1, 1, 20)), rng.uniform(0, 2 * np.pi, 20)
    Y1, Yf, Yo = (ref_real_sph_harm(L, th, ph) for L in (L1, Lf, L1 + Lf))
    hexp = np.repeat(h, 2 * np.arange(Lf + 1) + 1, axis=-1)
    filt = (hexp * Ye[:, None, :]) @ Yf.T
    prod = (feats @ Y1.T) * filt
    assert np.abs(a @ Yo.T - prod).max() <= 1e-13 * np.abs(prod).max()
    # per-edge (not per-channel) radial weights broadcast over channels; truncated output
    c = equivariant_convolution(feats, vecs, h[:, 0, :], lmax_out=2, aligned=True)
    d = equivariant_convolution(feats, vecs, np.repeat(h[:, :1, :], C, axis=1), lmax_out=2)
    np.testing.assert_allclose(c, d, atol=1e-13)


def test_equivariant_convolution_bad_input():
    f = np.ones((2, 1, 4))
    v = np.ones((2, 3))
    h = np.ones((2, 1, 2))
    with pytest.raises(ValueError, match="features"):
        equivariant_convolution(np.ones((2, 4)), v, h)
    with pytest.raises(ValueError, match="edge_vectors"):
        equivariant_convolution(f, np.ones((3, 3)), h)
    with pytest.raises(ValueError, match="edge_vectors"):
        equivariant_convolution(f, np.zeros((2, 3)), h)
    with pytest.raises(ValueError, match="radial_weights"):
        equivariant_convolution(f, v, np.ones((3, 1, 2)))
    with pytest.raises(TypeError, match="aligned"):
        equivariant_convolution(f, v, h, aligned="yes")
    with pytest.raises(ValueError, match="method"):  # checked on the aligned route too
        equivariant_convolution(f, v, h, method="magic", aligned=True)


def test_equivariant_convolution_extreme_edge_lengths():
    # only directions matter: huge (|v|^2 overflows) and subnormal (|v|^2 underflows) vectors
    # give the result of the unit vectors
    rng = np.random.default_rng(5)
    f, h = rng.standard_normal((2, 1, 4)), rng.standard_normal((2, 1, 2))
    v = np.array([[1.0, 2.0, -2.0], [0.0, 3.0, 4.0]])
    ref = equivariant_convolution(f, v, h)
    for scale in (1e300, 1e-320):
        np.testing.assert_allclose(equivariant_convolution(f, v * scale, h), ref, rtol=0, atol=1e-14)


# grid degree nu L + lo = 17, 30 (azimuths folded twice) and 50 (separable transforms, azimuth-major values)
@pytest.mark.parametrize("L,lo", [(3, 5), (6, 6), (10, 10)])
def test_power_products_equal_chained_exact_products(L, lo):
    rng = np.random.default_rng(4)
    nu = 4
    x = rng.standard_normal((2, (L + 1) ** 2))
    p = power_products(x, nu, lmax_out=lo)
    n = (lo + 1) ** 2
    assert p.shape == (2, nu - 1, n)
    full = x
    for k in range(2, nu + 1):
        full = gaunt_product(full, x, method="direct")  # exact (untruncated) powers, from the exact table
        ref = full[..., :n]
        assert np.abs(p[:, k - 2] - ref).max() <= 1e-13 * np.abs(ref).max()
    if L != 3:
        return
    w = rng.standard_normal((nu - 1, 6))
    pw = power_products(x, nu, weights=w, lmax_out=5)
    np.testing.assert_allclose(pw, p * np.repeat(w, 2 * np.arange(6) + 1, axis=-1), rtol=1e-14, atol=1e-14)
    p32 = power_products(x.astype(np.float32), 2)
    assert p32.dtype == np.float32
    assert np.abs(p32 - power_products(x, 2)).max() <= 2e-6 * np.abs(power_products(x, 2)).max()


def test_power_products_bad_input():
    with pytest.raises(ValueError, match="nu"):
        power_products(np.ones(4), 1)
    with pytest.raises(ValueError, match="weights"):
        power_products(np.ones(4), 3, weights=np.ones((3, 2)))
    with pytest.raises(ValueError, match="x"):
        power_products(np.ones(3), 2)


def test_power_products_empty_batch():
    p = power_products(np.ones((0, 4)), 3, lmax_out=2)
    assert p.shape == (0, 2, 9)


def test_power_products_scale_exactly():
    # (2^e x)^k = 2^(k e) x^k: powers of huge or tiny inputs stay finite and exact when representable
    rng = np.random.default_rng(31)
    x = rng.standard_normal((2, 9))
    ref = power_products(x, 3)
    for e in (300, -300):
        got = power_products(np.ldexp(x, e), 3)
        np.testing.assert_array_equal(got[:, 0], np.ldexp(ref[:, 0], 2 * e))
        np.testing.assert_array_equal(got[:, 1], np.ldexp(ref[:, 1], 3 * e))
    with pytest.raises(ValueError, match="x"):
        power_products(np.ldexp(x, 400), 3)
