"""Half-cost products with centrosymmetric matrices and the DST-I matrix against plain dense products."""

import numpy as np
import pytest

from specnum.riesz.assembly import assemble_structure
from specnum.riesz.folded import fold_centrosymmetric, fold_dst


def _dst_dense(size):
    j = np.arange(1, size + 1)
    return np.sqrt(2.0 / (size + 1)) * np.sin(np.pi * np.outer(j, j) / (size + 1))


@pytest.mark.parametrize("size", [1, 2, 3, 8, 9, 258, 259])
def test_folded_dst_equals_the_dense_dst(size):
    x = np.random.default_rng(size).standard_normal((size, 7))
    s = _dst_dense(size)
    f = fold_dst(size)
    np.testing.assert_allclose(f.left(x), s @ x, rtol=0, atol=1e-13 * np.sqrt(size))
    np.testing.assert_allclose(f.right(x.T), x.T @ s, rtol=0, atol=1e-13 * np.sqrt(size))


@pytest.mark.parametrize("size", [1, 2, 5, 10, 99])
def test_folded_centrosymmetric_equals_the_dense_product(size):
    rng = np.random.default_rng(size)
    a = rng.standard_normal((size, size))
    a = a + a[::-1, ::-1]
    x = rng.standard_normal((size, 4))
    f = fold_centrosymmetric(a)
    scale = np.abs(a).sum(axis=1).max() * np.abs(x).max()
    np.testing.assert_allclose(f.left(x), a @ x, rtol=0, atol=1e-14 * scale)
    np.testing.assert_allclose(f.right(x.T), x.T @ a.T, rtol=0, atol=1e-14 * scale)


@pytest.mark.parametrize("p, n", [(2, 40), (3, 41), (4, 40)])
def test_riesz_matrix_is_centrosymmetric_and_folds(p, n):
    a = assemble_structure(p, n, 1.5).dense()
    np.testing.assert_array_equal(a, a[::-1, ::-1])
    x = np.random.default_rng(0).standard_normal((a.shape[0], 3))
    np.testing.assert_allclose(fold_centrosymmetric(a).left(x), a @ x, rtol=0, atol=1e-13 * np.abs(a @ x).max())
