"""Tests of specnum.bases.coupling (float64 3j / CG / Gaunt and cached tables).

References: exact rationals of specnum.bases.exact (themselves pinned to closed
forms in test_exact.py), quadrature of three real harmonics built from
scipy.special.sph_harm_y (tests/reference/ref_coupling.py), real Wigner D matrices
by least squares, and the block counts / kappa values of gaunt.md 1.2.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from specnum.bases.coupling import (
    MAX_DENSE_ENTRIES,
    GauntSparse,
    clebsch_gordan,
    complex_gaunt,
    gaunt_kappa,
    real_coupling_block,
    real_gaunt,
    real_gaunt_sparse,
    real_gaunt_table,
    wigner_3j,
    wigner_3j_block,
    wigner_3j_sequence,
)
from specnum.bases.exact import real_gaunt_exact, wigner_3j_exact
from tests.reference.ref_coupling import (
    ref_real_gaunt_exact_dense,
    ref_real_gaunt_quadrature,
    ref_real_wigner_D,
)

EPS = np.finfo(float).eps


def lm_of(k):
    l = int(math.isqrt(int(k)))
    return l, int(k) - l * l - l


# ---------------------------------------------------------------- scalar functions
def test_scalar_functions_match_exact_at_large_l():
    # scalar functions round the exact value once: a couple of ulp (float(Fraction) + sqrt)
    cases = [(60, 55, 90, 17, -30, 13), (31, 29, 44, -5, 12, -7), (64, 64, 64, 0, 0, 0),
             (40, 30, 20, 3, -2, -1)]
    for j1, j2, j3, m1, m2, m3 in cases:
        ref = wigner_3j_exact(j1, j2, j3, m1, m2, m3).to_mpf(30)
        assert wigner_3j(j1, j2, j3, m1, m2, m3) == pytest.approx(float(ref), rel=3 * EPS)
    ref = real_gaunt_exact(30, 4, 28, -6, 50, -2).to_mpf(30)
    assert real_gaunt(30, 4, 28, -6, 50, -2) == pytest.approx(float(ref), rel=4 * EPS)
    assert clebsch_gordan(1, 1, 1, -1, 2, 0) == pytest.approx(1 / math.sqrt(6), rel=2 * EPS)
    assert complex_gaunt(1, 1, 1, -1, 0, 0) == pytest.approx(-1 / math.sqrt(4 * math.pi), rel=2 * EPS)
    assert real_gaunt(4, 0, 4, 0, 4, 0) == pytest.approx(243 / (1001 * math.sqrt(math.pi)), rel=2 * EPS)


def test_kappa_values_of_the_notes():
    # gaunt.md 1.2 (12 digits)
    table = {(0, 0, 0): 0.282094791774, (0, 1, 1): 0.488602511903, (1, 1, 2): 0.690988298943,
             (2, 2, 2): 0.753930043865, (1, 2, 3): 0.846284375322, (2, 3, 3): 0.861813824304,
             (3, 3, 4): 0.954737537222, (4, 4, 4): 1.021358119964}
    for triple, value in table.items():
        assert gaunt_kappa(*triple) == pytest.approx(value, abs=6e-13)
    assert gaunt_kappa(1, 1, 1) == 0.0 and gaunt_kappa(1, 1, 3) == 0.0


# ---------------------------------------------------------------- sparse / dense Gaunt tensor
def test_sparse_equals_exact_dense_small():
    sp = real_gaunt_sparse(2, 3, 5)
    ref = ref_real_gaunt_exact_dense(2, 3, 5)
    dense = np.zeros(sp.shape)
    dense[sp.k1, sp.k2, sp.k3] = sp.values
    # recursion + two products: a few ulp of O(0.1) entries
    np.testing.assert_allclose(dense, ref, rtol=0, atol=8 * EPS)
    assert sp.nnz == np.count_nonzero(ref)  # exactly the nonzeros (accidental zeros dropped)


def test_gaunt_equals_quadrature_of_scipy_harmonics():
    # independent check of the real-SH convention and signs: product rule exact for degree <= 12
    table = real_gaunt_table(3, 3, 6)
    ref = ref_real_gaunt_quadrature(3, 3, 6)
    np.testing.assert_allclose(table, ref, rtol=0, atol=64 * EPS)  # quadrature sums of ~100 terms


def test_known_entries_and_symmetry():
    g = real_gaunt_table(4, 4, 4)
    assert g[20, 20, 20] == pytest.approx(243 / (1001 * math.sqrt(math.pi)), rel=4 * EPS)
    assert g[0, 5, 5] == pytest.approx(1 / math.sqrt(4 * math.pi), rel=4 * EPS)
    # full permutation symmetry of int Y Y Y
    for perm in itertools.permutations(range(3)):
        np.testing.assert_allclose(g.transpose(perm), g, rtol=0, atol=4 * EPS)


@pytest.mark.parametrize("triple, count", [((1, 1, 2), 11), ((2, 2, 2), 25), ((2, 3, 3), 41),
                                           ((3, 3, 4), 67), ((4, 4, 4), 97)])
def test_nnz_per_block(triple, count):
    sp = real_gaunt_sparse(4, 4, 4)
    l1, l2, l3 = (np.sqrt(k).astype(int) for k in (sp.k1, sp.k2, sp.k3))
    assert np.count_nonzero((l1 == triple[0]) & (l2 == triple[1]) & (l3 == triple[2])) == count


def test_sparse_layout_and_selection_rules():
    sp = real_gaunt_sparse(6, 5, 9)
    assert sp.shape == (49, 36, 100) and (sp.lmax1, sp.lmax2, sp.lmax_out) == (6, 5, 9)
    assert sp.k1.dtype == sp.k2.dtype == sp.k3.dtype == np.int32 and sp.values.dtype == np.float64
    key = (sp.k1.astype(np.int64) * sp.shape[1] + sp.k2) * sp.shape[2] + sp.k3
    assert np.all(np.diff(key) > 0)  # strictly sorted by (k1, k2, k3), no duplicates
    assert np.all(sp.values != 0.0)
    for r in range(sp.shape[0]):
        assert np.all(sp.k1[sp.indptr[r]:sp.indptr[r + 1]] == r)
    assert sp.indptr[-1] == sp.nnz
    l1, m1 = np.vectorize(lm_of)(sp.k1)
    l2, m2 = np.vectorize(lm_of)(sp.k2)
    l3, m3 = np.vectorize(lm_of)(sp.k3)
    assert np.all((np.abs(l1 - l2) <= l3) & (l3 <= l1 + l2) & ((l1 + l2 + l3) % 2 == 0))
    a1, a2, a3 = np.abs(m1), np.abs(m2), np.abs(m3)
    assert np.all((a3 == a1 + a2) | (a3 == np.abs(a1 - a2)))
    assert np.all(((m1 < 0).astype(int) + (m2 < 0) + (m3 < 0)) % 2 == 0)


def test_sparse_large_l_against_exact():
    # l1 up to 40, l3 up to 46: sampled entries vs the exact rational value. The recursion is accurate
    # to a few ulp of the 3j amplitude; relative 1e-12 holds for every sampled entry.
    sp = real_gaunt_sparse(40, 6, 46)
    rng = np.random.default_rng(7)
    idx = rng.choice(sp.nnz, 60, replace=False)
    for i in idx:
        (l1, m1), (l2, m2), (l3, m3) = lm_of(sp.k1[i]), lm_of(sp.k2[i]), lm_of(sp.k3[i])
        exact = float(real_gaunt_exact(l1, m1, l2, m2, l3, m3))
        assert abs(sp.values[i] - exact) <= 1e-12 * abs(exact)
        assert abs(sp.values[i] - exact) <= 16 * EPS * gaunt_kappa(l1, l2, l3)


def test_asymmetric_degrees_agree_with_transpose():
    # G[k1, k2, k3] = G[k2, k1, k3]: the (3, 5) and (5, 3) tables are transposes of each other
    a = real_gaunt_sparse(3, 5, 6)
    b = real_gaunt_sparse(5, 3, 6)
    dense_a = np.zeros(a.shape)
    dense_a[a.k1, a.k2, a.k3] = a.values
    dense_b = np.zeros(b.shape)
    dense_b[b.k1, b.k2, b.k3] = b.values
    np.testing.assert_allclose(dense_a, dense_b.transpose(1, 0, 2), rtol=0, atol=4 * EPS)
    assert a.nnz == b.nnz


def test_lmax_out_truncation_and_default():
    full = real_gaunt_sparse(3, 2)
    assert full.lmax_out == 5
    cut = real_gaunt_sparse(3, 2, 2)
    keep = full.k3 < 9
    np.testing.assert_array_equal(cut.k3, full.k3[keep])
    np.testing.assert_array_equal(cut.values, full.values[keep])
    wide = real_gaunt_sparse(1, 1, 4)  # lmax_out beyond lmax1 + lmax2: only the shape grows
    assert wide.shape == (4, 4, 25) and wide.nnz == real_gaunt_sparse(1, 1).nnz


def test_tables_are_cached_and_read_only():
    sp = real_gaunt_sparse(2, 2)
    assert real_gaunt_sparse(2, 2, 4) is sp
    for arr in (sp.k1, sp.k2, sp.k3, sp.values, sp.indptr):
        assert not arr.flags.writeable
    g = real_gaunt_table(2, 2)
    assert real_gaunt_table(2, 2, 4) is g and not g.flags.writeable
    with pytest.raises(ValueError):
        g[0, 0, 0] = 1.0
    assert not wigner_3j_block(2, 2, 2).flags.writeable
    assert not real_coupling_block(2, 2, 1).flags.writeable


def test_gauntsparse_validation():
    sp = real_gaunt_sparse(1, 1)
    fields = dict(k1=sp.k1.copy(), k2=sp.k2.copy(), k3=sp.k3.copy(), values=sp.values.copy(),
                  indptr=sp.indptr.copy(), shape=sp.shape, lmax1=1, lmax2=1, lmax_out=2)
    GauntSparse(**fields)
    with pytest.raises(ValueError, match="shape"):
        GauntSparse(**{**fields, "shape": (4, 4, 4)})
    with pytest.raises(TypeError, match="k2"):
        GauntSparse(**{**fields, "k2": sp.k2.astype(np.int64)})
    with pytest.raises(ValueError, match="values"):
        GauntSparse(**{**fields, "values": sp.values[:-1].copy()})
    with pytest.raises(ValueError, match="indptr"):  # wrong shape: ValueError (wrong dtype: TypeError)
        GauntSparse(**{**fields, "indptr": sp.indptr[:-1].copy()})


def test_product_of_expansions_via_sparse_matches_grid():
    # c[k3] = sum G x1[k1] x2[k2] is the SH expansion of f1 f2: compare pointwise on random points
    from tests.reference.ref_coupling import ref_real_sph_harm

    rng = np.random.default_rng(11)
    sp = real_gaunt_sparse(3, 2)
    x1 = rng.normal(size=(2, 16))  # batch of two
    x2 = rng.normal(size=(2, 9))
    c = np.zeros((2, sp.shape[2]))
    for b in range(2):
        np.add.at(c[b], sp.k3, sp.values * x1[b, sp.k1] * x2[b, sp.k2])
    theta = rng.uniform(0, np.pi, 50)
    phi = rng.uniform(0, 2 * np.pi, 50)
    y = ref_real_sph_harm(5, theta, phi)
    lhs = (x1 @ y[:, :16].T) * (x2 @ y[:, :9].T)
    np.testing.assert_allclose(c @ y.T, lhs, rtol=0, atol=1e-13)  # sums of O(1) terms of size <= ~10


# ---------------------------------------------------------------- blocks
@pytest.mark.parametrize("l1, l2, m1, m2", [(0, 0, 0, 0), (3, 3, 0, 0), (5, 5, 2, -2), (12, 7, -3, 5),
                                             (45, 38, 20, -31), (60, 60, 0, 0), (50, 20, -50, 20), (33, 1, 0, 1),
                                             (2, 3, 0, 2)])  # (2 3 3; 0 2 -2) is an accidental zero
def test_wigner_3j_sequence_against_exact(l1, l2, m1, m2):
    seq = wigner_3j_sequence(l1, l2, m1, m2)
    assert seq.shape == (l1 + l2 + 1,)
    exact = np.array([float(wigner_3j_exact(l1, l2, l3, m1, m2, -m1 - m2)) if abs(m1 + m2) <= l3 else 0.0
                      for l3 in range(l1 + l2 + 1)])
    amplitude = np.abs(exact).max()
    # a few ulp of the amplitude, and exact zeros (selection rules, accidental zeros) are exactly 0
    np.testing.assert_allclose(seq, exact, rtol=1e-12, atol=32 * EPS * amplitude)
    np.testing.assert_array_equal(seq == 0.0, exact == 0.0)


def test_wigner_3j_block_against_exact_and_orthogonality():
    l1, l2 = 7, 5
    blocks = {l3: wigner_3j_block(l1, l2, l3) for l3 in range(l1 - l2, l1 + l2 + 1)}
    for l3, b in blocks.items():
        assert b.shape == (15, 11, 2 * l3 + 1)
        for m1, m2 in [(0, 0), (3, -2), (-7, 5), (4, 1)]:
            m3 = -m1 - m2
            if abs(m3) <= l3:
                exact = float(wigner_3j_exact(l1, l2, l3, m1, m2, m3))
                assert b[l1 + m1, l2 + m2, l3 + m3] == pytest.approx(exact, abs=8 * EPS)
    # sum_{m1 m2} (2l3+1) B(l3)[m1,m2,m3] B(l3')[m1,m2,m3'] = delta delta
    for l3, l3p in itertools.product(blocks, repeat=2):
        gram = (2 * l3 + 1) * np.einsum("abc,abd->cd", blocks[l3], blocks[l3p])
        expected = np.eye(2 * l3 + 1) if l3 == l3p else np.zeros((2 * l3 + 1, 2 * l3p + 1))
        np.testing.assert_allclose(gram, expected, rtol=0, atol=32 * EPS)
    assert not np.any(wigner_3j_block(1, 1, 3))  # triangle violated: zeros


def test_wigner_3j_block_large_l_against_exact():
    b = wigner_3j_block(30, 25, 40)
    rng = np.random.default_rng(5)
    for _ in range(25):
        m1 = int(rng.integers(-30, 31))
        m2 = int(rng.integers(max(-25, -40 - m1), min(25, 40 - m1) + 1))
        exact = float(wigner_3j_exact(30, 25, 40, m1, m2, -m1 - m2))
        # a few ulp of the amplitude (~1/sqrt(2 l3 + 1)): 64 eps absolute covers values near nodes
        assert abs(b[30 + m1, 25 + m2, 40 - m1 - m2] - exact) <= 1e-12 * abs(exact) + 64 * EPS * 0.1


@pytest.mark.parametrize("triple", [(1, 1, 2), (2, 2, 2), (2, 3, 3), (3, 3, 4), (4, 4, 4), (1, 2, 3)])
def test_real_coupling_block_is_normalised_gaunt_for_even_paths(triple):
    l1, l2, l3 = triple
    w = real_coupling_block(l1, l2, l3)
    g = real_gaunt_table(4, 4, 4)[l1 * l1:(l1 + 1) ** 2, l2 * l2:(l2 + 1) ** 2, l3 * l3:(l3 + 1) ** 2]
    assert np.linalg.norm(w) == pytest.approx(1.0, abs=8 * EPS)
    np.testing.assert_allclose(gaunt_kappa(l1, l2, l3) * w, g, rtol=0, atol=8 * EPS)  # kappa > 0


@pytest.mark.parametrize("triple", [(1, 1, 1), (2, 1, 2), (3, 2, 2), (2, 2, 3), (3, 3, 1)])
def test_real_coupling_block_odd_paths_are_invariant(triple):
    l1, l2, l3 = triple
    w = real_coupling_block(l1, l2, l3)
    assert np.linalg.norm(w) == pytest.approx(1.0, abs=8 * EPS)

    def rot_z(t):
        return np.array([[np.cos(t), -np.sin(t), 0], [np.sin(t), np.cos(t), 0], [0, 0, 1]])

    def rot_y(t):
        return np.array([[np.cos(t), 0, np.sin(t)], [0, 1, 0], [-np.sin(t), 0, np.cos(t)]])

    rot = rot_z(0.3) @ rot_y(1.1) @ rot_z(-0.7)
    rng = np.random.default_rng(2)
    d1, d2, d3 = (ref_real_wigner_D(l, rot, rng) for l in triple)
    rotated = np.einsum("ai,bj,ck,ijk->abc", d1, d2, d3, w)
    np.testing.assert_allclose(rotated, w, rtol=0, atol=1e-13)  # lstsq D matrices carry ~1e-15 errors
    # antisymmetric under exchange of the first two factors when l1 == l2 and l1+l2+l3 is odd
    if l1 == l2:
        np.testing.assert_allclose(w.transpose(1, 0, 2), -w, rtol=0, atol=4 * EPS)


def test_real_coupling_block_levi_civita():
    w = real_coupling_block(1, 1, 1)
    eps_tensor = np.zeros((3, 3, 3))
    for a, b, c in itertools.permutations(range(3)):
        eps_tensor[a, b, c] = np.linalg.det(np.eye(3)[[a, b, c]])  # sign of the permutation
    np.testing.assert_allclose(w, eps_tensor / math.sqrt(6), rtol=0, atol=4 * EPS)


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "func, args, exc, match",
    [
        (wigner_3j, (-1, 1, 1, 0, 0, 0), ValueError, "j1"),
        (wigner_3j, (1, 1, 1, 0, 0, 2), ValueError, "m3"),
        (clebsch_gordan, (1, 0, 1.5, 0, 1, 0), TypeError, "j2"),
        (real_gaunt, (2, 3, 2, 0, 2, 0), ValueError, "m1"),
        (real_gaunt, (2, 0, 2, 0, "2", 0), TypeError, "l3"),
        (gaunt_kappa, (1, -1, 1), ValueError, "l2"),
        (real_gaunt_sparse, (-1, 2), ValueError, "lmax1"),
        (real_gaunt_sparse, (2, 2.0), TypeError, "lmax2"),
        (real_gaunt_sparse, (2, 2, -3), ValueError, "lmax_out"),
        (real_gaunt_table, (40, 40), ValueError, "lmax1"),
        (real_gaunt_sparse, (52, 52), ValueError, "lmax1, lmax2, lmax_out = .* size budget"),
        (real_gaunt_table, (1, 1, -1), ValueError, "lmax_out"),
        (wigner_3j_block, (1, -2, 1), ValueError, "l2"),
        (wigner_3j_sequence, (2, 2, 3, 0), ValueError, "m1"),
        (wigner_3j_sequence, (2, 2, 0, 1.0), TypeError, "m2"),
        (real_coupling_block, (1, 1, 3), ValueError, "l3"),
        (real_coupling_block, (1.0, 1, 1), TypeError, "l1"),
    ],
)
def test_bad_input_names_the_argument(func, args, exc, match):
    with pytest.raises(exc, match=match):
        func(*args)


def test_dense_size_limit_is_documented_value():
    assert MAX_DENSE_ENTRIES == 2**25
    real_gaunt_table(5, 5, 10)  # 36 * 36 * 121 entries: fine


@pytest.mark.slow
def test_sparse_l32_build_and_accuracy():
    sp = real_gaunt_sparse(32, 32, 64)
    assert sp.shape == (1089, 1089, 4225)
    assert sp.nnz == 30_837_771
    rng = np.random.default_rng(1)
    for i in rng.choice(sp.nnz, 200, replace=False):
        (l1, m1), (l2, m2), (l3, m3) = lm_of(sp.k1[i]), lm_of(sp.k2[i]), lm_of(sp.k3[i])
        exact = float(real_gaunt_exact(l1, m1, l2, m2, l3, m3))
        assert abs(sp.values[i] - exact) <= 1e-12 * abs(exact) + 16 * EPS * gaunt_kappa(l1, l2, l3)
