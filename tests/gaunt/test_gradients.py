"""Gradients of Gaunt products, weighted layers and powers: against central finite differences,
against a contraction with the exact (rational) real Gaunt table, and through PyTorch
(gradcheck, and e3nn's own tensor-product gradients on the even paths) when installed."""

from __future__ import annotations

import numpy as np
import pytest

from specnum.gaunt import (
    GauntTensorProduct,
    from_e3nn,
    gaunt_product,
    gaunt_product_vjp,
    gaunt_tensor_product,
    gaunt_tensor_product_vjp,
    power_products,
    power_products_vjp,
    to_e3nn,
)
from tests.reference.ref_coupling import ref_real_gaunt_exact_dense
from tests.reference.ref_gaunt import ref_gaunt_tensor

METHODS = ["direct", "fourier", "grid"]


def _fd(f, x, h=1e-6):
    """Central differences of the scalar ``f`` at ``x`` (O(h^2) truncation, ~1e-10 here)."""
    g = np.zeros_like(x)
    flat, gflat = x.reshape(-1), g.reshape(-1)
    for i in range(flat.size):
        e = np.zeros_like(flat)
        e[i] = h
        gflat[i] = (f((flat + e).reshape(x.shape)) - f((flat - e).reshape(x.shape))) / (2 * h)
    return g


@pytest.mark.parametrize("method", METHODS + ["auto"])
def test_vjp_equals_exact_table_contraction(method):
    # grad_x1[k1] = sum G[k1,k2,k3] x2[k2] g[k3], G the exact rational real Gaunt table
    rng = np.random.default_rng(0)
    l1, l2, lo = 1, 2, 3
    x1, x2 = rng.standard_normal((2, (l1 + 1) ** 2)), rng.standard_normal((2, (l2 + 1) ** 2))
    g = rng.standard_normal((2, (lo + 1) ** 2))
    G = ref_real_gaunt_exact_dense(l1, l2, lo)
    g1, g2 = gaunt_product_vjp(x1, x2, g, method=method)
    np.testing.assert_allclose(g1, np.einsum("ijk,bj,bk->bi", G, x2, g), atol=1e-14)
    np.testing.assert_allclose(g2, np.einsum("ijk,bi,bk->bj", G, x1, g), atol=1e-14)


@pytest.mark.parametrize("method", METHODS)
def test_vjp_against_finite_differences_with_broadcasting(method):
    # x1 broadcast over a batch axis, truncated output: gradients summed over the broadcast rows
    rng = np.random.default_rng(1)
    x1 = rng.standard_normal((1, 16))  # L1 = 3
    x2 = rng.standard_normal((3, 9))  # L2 = 2
    g = rng.standard_normal((3, 16))  # lmax_out = 3 < L1 + L2

    def loss(a, b):
        return float(np.sum(g * gaunt_product(a, b, 3, method="direct")))

    g1, g2 = gaunt_product_vjp(x1, x2, g, method=method)
    assert g1.shape == x1.shape and g2.shape == x2.shape
    np.testing.assert_allclose(g1, _fd(lambda a: loss(a, x2), x1), atol=1e-8)
    np.testing.assert_allclose(g2, _fd(lambda b: loss(x1, b), x2), atol=1e-8)


def test_vjp_padded_output_and_larger_degree():
    # components of grad_out above L1 + L2 do not matter; L = 6 against the quadrature tensor
    rng = np.random.default_rng(2)
    x1, x2 = rng.standard_normal(49), rng.standard_normal(25)
    g = rng.standard_normal(15**2)  # lmax_out = 14 > 6 + 4
    G = ref_gaunt_tensor(6, 4, 10)
    ref1 = np.einsum("ijk,j,k->i", G, x2, g[:121])
    for method in METHODS:
        g1, _ = gaunt_product_vjp(x1, x2, g, method=method)
        assert np.abs(g1 - ref1).max() <= 1e-13 * np.abs(ref1).max()


def test_grid_vjp_on_folded_azimuths_equals_direct():
    # total degree 9 + 7 + 12 = 28: the grid folds its azimuths under phi -> pi - phi as well (n_phi = 30)
    rng = np.random.default_rng(12)
    x1, x2, g = rng.standard_normal((3, 100)), rng.standard_normal((3, 64)), rng.standard_normal((3, 169))
    ref = gaunt_product_vjp(x1, x2, g, method="direct")
    for got, want in zip(gaunt_product_vjp(x1, x2, g, method="grid"), ref):
        assert np.abs(got - want).max() <= 1e-13 * np.abs(want).max()


def test_vjp_float32_and_extreme_scales():
    rng = np.random.default_rng(3)
    x1, x2, g = rng.standard_normal(16), rng.standard_normal(16), rng.standard_normal(49)
    ref1, ref2 = gaunt_product_vjp(x1, x2, g)
    f1, f2 = gaunt_product_vjp(*(a.astype(np.float32) for a in (x1, x2, g)))
    assert f1.dtype == np.float32 and np.abs(f1 - ref1).max() <= 2e-6 * np.abs(ref1).max()
    # powers of two scale exactly, also where unscaled grid values would overflow
    s1, s2 = gaunt_product_vjp(np.ldexp(x1, 600), np.ldexp(x2, 600), np.ldexp(g, -500))
    np.testing.assert_array_equal(s1, np.ldexp(ref1, 100))
    np.testing.assert_array_equal(s2, np.ldexp(ref2, 100))


@pytest.mark.parametrize("weights", ["degree", "channel"])
def test_tensor_product_layer_vjp_against_finite_differences(weights):
    rng = np.random.default_rng(4)
    C = 2
    shape = (C, 3) if weights == "channel" else (3,)
    w1, w2 = rng.standard_normal(shape), rng.standard_normal(shape)
    w3 = rng.standard_normal((C, 4) if weights == "channel" else (4,))
    tp = GauntTensorProduct(2, 2, 3, channels=C, weights=weights, w1=w1, w2=w2, w3=w3)
    x1, x2 = rng.standard_normal((2, 3, C, 9))
    g = rng.standard_normal((3, C, 16))
    grads = tp.vjp(x1, x2, g)

    def loss(**kw):
        args = {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "w3": w3} | kw
        a, b = args.pop("x1"), args.pop("x2")
        return float(np.sum(g * gaunt_tensor_product(a, b, lmax_out=3, **args)))

    for name, value in (("x1", x1), ("x2", x2), ("w1", w1), ("w2", w2), ("w3", w3)):
        got = getattr(grads, name)
        assert got.shape == value.shape, name
        np.testing.assert_allclose(got, _fd(lambda v, name=name: loss(**{name: v}), value), atol=1e-7, err_msg=name)


def test_tensor_product_vjp_default_weights():
    rng = np.random.default_rng(5)
    x1, x2, g = rng.standard_normal(9), rng.standard_normal(4), rng.standard_normal(16)
    grads = gaunt_tensor_product_vjp(x1, x2, g)
    r1, r2 = gaunt_product_vjp(x1, x2, g)
    np.testing.assert_allclose(grads.x1, r1, atol=1e-14)
    np.testing.assert_allclose(grads.x2, r2, atol=1e-14)
    # d/dw3 at unit weights = per-degree sums of g * product
    p = gaunt_product(x1, x2)
    np.testing.assert_allclose(grads.w3, [np.sum((g * p)[l * l:(l + 1) ** 2]) for l in range(4)], atol=1e-13)


# grid degree 4 L + 3 = 11, 31 (azimuths folded twice) and 43 (separable transforms, azimuth-major values)
@pytest.mark.parametrize("L", [2, 7, 10])
def test_power_products_vjp_against_finite_differences(L):
    rng = np.random.default_rng(6)
    x = rng.standard_normal((2, (L + 1) ** 2))
    w = rng.standard_normal((3, 4))  # nu = 4, lmax_out = 3
    g = rng.standard_normal((2, 3, 16))

    def loss(xx, ww):
        return float(np.sum(g * power_products(xx, 4, weights=ww, lmax_out=3)))

    gx, gw = power_products_vjp(x, 4, g, weights=w, lmax_out=3)
    # central differences lose ~eps |loss| / h: the tolerance follows the size of the gradient
    for got, fd in ((gx, _fd(lambda v: loss(v, w), x)), (gw, _fd(lambda v: loss(x, v), w))):
        np.testing.assert_allclose(got, fd, atol=max(1e-7, 2e-9 * np.abs(fd).max()))
    if L != 2:
        return
    gx1, gw1 = power_products_vjp(x, 2, g[:, :1, :9])
    assert gw1.shape == (1, 3)
    # nu = 2: d/dx <g, P(f^2)> = 2 P(f h) = 2 gaunt_product(x, g)
    np.testing.assert_allclose(gx1, 2 * gaunt_product(x, g[:, 0, :9], lmax_out=2), atol=1e-13)


# ------------------------------------------------------------------------------------------
# PyTorch


def test_torch_gradcheck_float64():
    torch = pytest.importorskip("torch")
    from specnum.gaunt.torch import gaunt_product as tgp

    gen = torch.Generator().manual_seed(7)
    x1 = torch.randn(3, 9, dtype=torch.float64, generator=gen, requires_grad=True)
    x2 = torch.randn(1, 16, dtype=torch.float64, generator=gen, requires_grad=True)
    for method in ("direct", "grid"):
        assert torch.autograd.gradcheck(lambda a, b, m=method: tgp(a, b, 4, method=m), (x1, x2), eps=1e-6,
                                        atol=1e-8, rtol=1e-6)
    out = tgp(x1.float(), x2.float())
    assert out.dtype == torch.float32 and out.shape == (3, 36)
    with pytest.raises(TypeError, match="x1"):
        tgp(x1.to(torch.int64), x2)


def test_torch_against_e3nn_gradients_on_even_paths():
    # e3nn's channelwise tensor product on the Gaunt (even) paths with path weights kappa^2 is
    # the Gaunt product in e3nn's basis; build it in float64 and compare input gradients
    torch = pytest.importorskip("torch")
    e3nn_o3 = pytest.importorskip("e3nn.o3")
    from specnum.bases.coupling import gaunt_kappa
    from specnum.gaunt.torch import gaunt_product as tgp

    L = 2
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        irr = e3nn_o3.Irreps([(1, (l, (-1) ** l)) for l in range(L + 1)])
        irr_out = e3nn_o3.Irreps([(1, (l, (-1) ** l)) for l in range(2 * L + 1)])
        instr = [(l1, l2, l3, "uuu", False, gaunt_kappa(l1, l2, l3) ** 2)
                 for l1 in range(L + 1) for l2 in range(L + 1) for l3 in range(abs(l1 - l2), l1 + l2 + 1)
                 if (l1 + l2 + l3) % 2 == 0]
        tp = e3nn_o3.TensorProduct(irr, irr, irr_out, instr, irrep_normalization="none", path_normalization="none")
    finally:
        torch.set_default_dtype(old)
    gen = torch.Generator().manual_seed(8)
    a1 = torch.randn(4, 9, dtype=torch.float64, generator=gen, requires_grad=True)
    a2 = torch.randn(4, 9, dtype=torch.float64, generator=gen, requires_grad=True)
    g = torch.randn(4, 25, dtype=torch.float64, generator=gen)
    (g * tp(a1, a2)).sum().backward()
    e1, e2 = a1.grad.clone(), a2.grad.clone()
    a1.grad, a2.grad = None, None
    to_e3 = torch.from_numpy(to_e3nn(np.eye(25)))  # row vector x -> x @ to_e3
    from_e3 = torch.from_numpy(from_e3nn(np.eye(9)))
    out = tgp(a1 @ from_e3, a2 @ from_e3) @ to_e3
    (g * out).sum().backward()
    torch.testing.assert_close(a1.grad, e1, atol=1e-12, rtol=0)
    torch.testing.assert_close(a2.grad, e2, atol=1e-12, rtol=0)


def test_direct_vjp_equal_degrees_all_run_lengths():
    # equal degrees: symmetric pairs folded, runs of 1 to 9 terms (every branch of the kernel),
    # 300 rows = two full blocks and a partial one; against the exact rational table
    rng = np.random.default_rng(3)
    L = 4
    x1, x2 = rng.standard_normal((2, 300, (L + 1) ** 2))
    g = rng.standard_normal((300, (2 * L + 1) ** 2))
    G = ref_real_gaunt_exact_dense(L, L, 2 * L)
    g1, g2 = gaunt_product_vjp(x1, x2, g, method="direct")
    scale = np.abs(g).max() * np.abs(x1).max()
    np.testing.assert_allclose(g1, np.einsum("ijk,bj,bk->bi", G, x2, g), rtol=0, atol=1e-14 * scale * G.shape[2])
    np.testing.assert_allclose(g2, np.einsum("ijk,bi,bk->bj", G, x1, g), rtol=0, atol=1e-14 * scale * G.shape[2])
