"""paths(), the antisymmetric CG contraction, normalisation conversions and the e3nn layout."""

from __future__ import annotations

import numpy as np
import pytest

from specnum.gaunt import (
    GauntTensorProduct,
    antisymmetric_paths_product,
    change_normalization,
    from_e3nn,
    gaunt_product,
    normalization_scale,
    paths,
    to_e3nn,
)
from specnum.testing import assert_rotation_equivariant
from tests.reference.ref_gaunt import ref_real_sph_harm


@pytest.mark.parametrize("L,n_cg,n_gaunt", [(1, 6, 5), (2, 19, 14), (4, 85, 55), (6, 231, 140), (8, 489, 285)])
def test_path_counts_from_notes(L, n_cg, n_gaunt):
    p = paths(L, L)
    assert (len(p.cg), len(p.gaunt), len(p.missing)) == (n_cg, n_gaunt, n_cg - n_gaunt)
    assert np.all(p.missing.sum(axis=1) % 2 == 1) and np.all(p.gaunt.sum(axis=1) % 2 == 0)
    assert not p.cg.flags.writeable


def test_paths_truncated_output_and_errors():
    p = paths(2, 1, 1)
    assert p.cg.tolist() == [[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0], [1, 1, 1], [2, 1, 1]]
    with pytest.raises(ValueError, match="lmax1"):
        paths(-1, 2)
    with pytest.raises(TypeError, match="lmax_out"):
        paths(1, 1, 0.5)


def test_antisymmetric_path_is_the_cross_product():
    # degree-1 coefficients in the (y, z, x) order of Y_1; W(1,1,1) = +epsilon/sqrt(6) in that
    # order (the documented sign of specnum.bases.coupling), so the 1 x 1 -> 1 output is
    # exactly +(a x b)/sqrt(6): a closed form, sign included
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal(3), rng.standard_normal(3)
    x1 = np.concatenate([[0.0], a[[1, 2, 0]]])
    x2 = np.concatenate([[0.0], b[[1, 2, 0]]])
    out = antisymmetric_paths_product(x1, x2, lmax_out=1)
    c = np.cross(a, b)
    np.testing.assert_allclose(out[1:], c[[1, 2, 0]] / np.sqrt(6), atol=1e-15)
    assert out[0] == 0.0
    # unit vectors: y x z = +x
    ey, ez = np.array([0.0, 1.0, 0.0, 0.0]), np.array([0.0, 0.0, 1.0, 0.0])
    assert antisymmetric_paths_product(ey, ez, lmax_out=1)[3] == pytest.approx(1 / np.sqrt(6), abs=1e-15)
    assert gaunt_product(x1, x2, lmax_out=1)[1:].tolist() == pytest.approx([0, 0, 0], abs=1e-16)


def test_antisymmetric_paths_equal_e3nn_wigner_3j():
    # every odd path up to degree 2 against e3nn's own coupling tensors (e3nn builds them
    # from complex CG coefficients; specnum's W equals them entry by entry)
    torch = pytest.importorskip("torch")
    o3 = pytest.importorskip("e3nn.o3")
    rng = np.random.default_rng(4)
    x1, x2 = rng.standard_normal((2, 3, 9))
    ref = np.zeros((3, 25))
    for l1, l2, l3 in paths(2, 2).missing.tolist():
        W = o3.wigner_3j(l1, l2, l3, dtype=torch.float64).numpy()
        ref[:, l3 * l3 : (l3 + 1) ** 2] += np.einsum(
            "bi,bj,ijk->bk", x1[:, l1 * l1 : (l1 + 1) ** 2], x2[:, l2 * l2 : (l2 + 1) ** 2], W
        )
    np.testing.assert_allclose(antisymmetric_paths_product(x1, x2), ref, atol=1e-14)


def test_gaunt_plus_antisymmetric_is_a_full_equivariant_cg_product():
    rng = np.random.default_rng(1)
    x1, x2 = rng.standard_normal((2, 2, 9))
    tp = GauntTensorProduct(2, 2, 4, weights="none")

    def full(a, b):
        return tp(a[:, None], b[:, None])[:, 0] + antisymmetric_paths_product(a, b, 4)

    assert_rotation_equivariant(full, [x1, x2], rng=3, rtol=1e-12)
    # antisymmetry: swapping the inputs flips the odd-path part
    np.testing.assert_allclose(antisymmetric_paths_product(x2, x1), -antisymmetric_paths_product(x1, x2), atol=1e-14)
    w = rng.standard_normal(len(paths(2, 2).missing))
    assert antisymmetric_paths_product(x1, x2, path_weights=w).shape == (2, 25)
    with pytest.raises(ValueError, match="path_weights"):
        antisymmetric_paths_product(x1, x2, path_weights=np.ones(2))


def test_normalization_scales_against_scipy_harmonics():
    rng = np.random.default_rng(2)
    L = 5
    th, ph = np.arccos(rng.uniform(-1, 1, 7)), rng.uniform(0, 2 * np.pi, 7)
    Y = ref_real_sph_harm(L, th, ph)
    ls = np.repeat(np.arange(L + 1), 2 * np.arange(L + 1) + 1)
    for name, target in (("component", 2 * np.arange(L + 1) + 1.0), ("norm", np.ones(L + 1))):
        Ys = Y * normalization_scale(L, name)
        sums = np.stack([np.sum(Ys[:, ls == l] ** 2, axis=1) for l in range(L + 1)], axis=1)
        np.testing.assert_allclose(sums, np.broadcast_to(target, sums.shape), rtol=1e-13)
    x = rng.standard_normal(36)
    for src in ("integral", "component", "norm"):
        for dst in ("integral", "component", "norm"):
            y = change_normalization(x, src, dst)
            # same function: sum x s_src Y = sum y s_dst Y
            np.testing.assert_allclose(
                (x * normalization_scale(L, src)) @ Y.T, (y * normalization_scale(L, dst)) @ Y.T, rtol=1e-13
            )
    with pytest.raises(ValueError, match="source"):
        change_normalization(x, "unit", "norm")
    with pytest.raises(ValueError, match="normalization"):
        normalization_scale(2, "unit")


def test_e3nn_converters_without_e3nn():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 25))
    for norm in ("integral", "component", "norm"):
        np.testing.assert_allclose(from_e3nn(to_e3nn(x, norm), norm), x, atol=1e-14)
    # e3nn's polar axis is y: Y^e3nn(r) = Y(P r), P(x, y, z) = (z, x, y) (notes 1.1)
    r = rng.standard_normal((6, 3))
    r /= np.linalg.norm(r, axis=1, keepdims=True)
    P = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    pr = r @ P.T
    Y_e3nn = ref_real_sph_harm(4, np.arccos(pr[:, 2]), np.arctan2(pr[:, 1], pr[:, 0]))
    Y = ref_real_sph_harm(4, np.arccos(r[:, 2]), np.arctan2(r[:, 1], r[:, 0]))
    np.testing.assert_allclose(to_e3nn(x) @ Y_e3nn.T, x @ Y.T, atol=1e-13)
    with pytest.raises(ValueError, match="normalization"):
        to_e3nn(x, "unit")
    with pytest.raises(ValueError, match="a"):
        from_e3nn(np.ones(5))


@pytest.mark.slow
def test_e3nn_spherical_harmonics():
    torch = pytest.importorskip("torch")
    o3 = pytest.importorskip("e3nn.o3")
    rng = np.random.default_rng(4)
    L = 3
    r = rng.standard_normal((10, 3))
    x = rng.standard_normal(((L + 1) ** 2,))
    Y = ref_real_sph_harm(L, np.arccos(r[:, 2] / np.linalg.norm(r, axis=1)), np.arctan2(r[:, 1], r[:, 0]))
    for norm in ("integral", "component", "norm"):
        Ye = o3.spherical_harmonics(list(range(L + 1)), torch.from_numpy(r), normalize=True, normalization=norm)
        np.testing.assert_allclose(Ye.numpy() @ to_e3nn(x, norm), Y @ x, atol=1e-12)


@pytest.mark.slow
def test_e3nn_tensor_product():
    torch = pytest.importorskip("torch")
    o3 = pytest.importorskip("e3nn.o3")
    from specnum.bases.coupling import gaunt_kappa

    torch.set_default_dtype(torch.float64)
    try:
        rng = np.random.default_rng(4)
        L = 3
        # Gaunt TP == e3nn uuu TP on the even paths with path weight kappa^2 (e3nn takes sqrt)
        irr = o3.Irreps([(1, (l, (-1) ** l)) for l in range(L + 1)])
        irr_out = o3.Irreps([(1, (l, (-1) ** l)) for l in range(2 * L + 1)])
        instr = [
            (l1, l2, l3, "uuu", False, gaunt_kappa(l1, l2, l3) ** 2)
            for l1, l2, l3 in paths(L, L).gaunt.tolist()
        ]
        tp = o3.TensorProduct(irr, irr, irr_out, instr, irrep_normalization="none", path_normalization="none")
        a1, a2 = rng.standard_normal((2, 4, (L + 1) ** 2))
        ye = tp(torch.from_numpy(a1), torch.from_numpy(a2)).detach().numpy()
        ours = to_e3nn(gaunt_product(from_e3nn(a1), from_e3nn(a2)))
        # e3nn's float64 coupling tables are only ~1e-8 accurate (measured); tolerance accordingly
        assert np.abs(ye - ours).max() <= 1e-7 * np.abs(ours).max()
    finally:
        torch.set_default_dtype(torch.float32)
