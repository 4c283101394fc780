"""Toeplitz coefficients, matrix entries and the fast operator against mpmath and dense twins."""

import numpy as np
import pytest
import ref_riesz as ref

from specnum.riesz import RieszCollocation, toeplitz_coefficients
from specnum.riesz.assembly import assemble_structure

EPS = np.finfo(float).eps


@pytest.mark.parametrize("p", [2, 3, 4, 5, 6, 8])
def test_toeplitz_coefficients_match_mpmath(p):
    alpha = {2: 1.5, 3: 1.2, 4: 1.8, 5: 1.5, 6: 1.2, 8: 1.5}[p]
    a = toeplitz_coefficients(p, alpha, 1000)
    assert a.shape == (1001,) and not a.flags.writeable
    for k in [0, 1, 2, 3, 4, 7, 30, 100, 999, 1000]:
        want = float(ref.toeplitz_mp(k, p, alpha))
        # required: 1e-12 relative, also 1000 spans away where the naive sum loses all digits
        assert abs(a[k] - want) <= 1e-12 * abs(want), (k, a[k], want)


@pytest.mark.parametrize("p, alpha", [(3, 1.5), (5, 1.2), (2, 1.8)])
def test_small_matrix_all_entries_match_mpmath(p, alpha):
    n = 9
    col = RieszCollocation(p, n, alpha)
    mat = col.matrix()
    size = n + p - 2
    want = np.array([[float(ref.matrix_entry_mp(p, n, alpha, i, j, dps=30)) for j in range(size)]
                     for i in range(size)])
    np.testing.assert_allclose(mat, want, rtol=1e-12, atol=0)


@pytest.mark.parametrize("p, alpha, n", [(5, 1.5, 1010), (8, 1.2, 1004), (3, 1.8, 1003)])
def test_far_entries_match_mpmath(p, alpha, n):
    # boundary columns/rows evaluated 1000 spans away from the support, interior far entries
    col = RieszCollocation(p, n, alpha)
    mat = col.matrix()
    size = col.size
    pairs = [(size - 1, 0), (1000, 1), (0, size - 1), (1, 1003), (p - 3 if p > 2 else 0, 1002),
             (1005, 2), (2, 3), (size - 2, size - 1), (500, 2), (1004, 3)]
    for i, j in pairs:
        i, j = min(i, size - 1), min(j, size - 1)
        want = float(ref.matrix_entry_mp(p, n, alpha, i, j, dps=30))
        assert abs(mat[i, j] - want) <= 1e-12 * abs(want), (i, j, mat[i, j], want)


@pytest.mark.parametrize("p", [2, 3, 4, 5, 7])
def test_structure_equals_naive_dense_twin(p):
    alpha = 1.35
    n = 40
    col = RieszCollocation(p, n, alpha, interval=(-1.0, 2.0))
    naive = ref.dense_matrix_naive(p, n, alpha, interval=(-1.0, 2.0))
    mat = col.matrix()
    # same entries by two routes (Toeplitz + low-rank vs. all basis functions at all points)
    np.testing.assert_allclose(mat, naive, rtol=1e-13, atol=1e-14 * np.abs(naive).max())
    np.testing.assert_allclose(mat[::-1, ::-1], mat, rtol=1e-13, atol=1e-14 * np.abs(mat).max())  # centrosymmetric
    s = assemble_structure(p, n, alpha)
    assert s.col_index.size == 2 * (p - 1) and s.row_index.size == 2 * max(p - 2, 0)
    # outside the boundary rows and columns, h^alpha A is exactly Toeplitz
    scaled = mat * col.h**alpha
    inner = slice(p - 1, col.size - (p - 1))
    k = np.abs(np.subtract.outer(np.arange(col.size), np.arange(col.size)))[inner, inner]
    rows = np.setdiff1d(np.arange(col.size), s.row_index)
    sub = scaled[inner, inner]
    want = s.toeplitz[k]
    keep = np.isin(np.arange(col.size)[inner], rows)
    np.testing.assert_allclose(sub[keep], want[keep], rtol=1e-13, atol=1e-15)


def test_points_are_greville_and_basis_is_shared():
    col = RieszCollocation(4, 10, 1.5, interval=(2.0, 5.0))
    np.testing.assert_allclose(col.points, col.basis.greville()[1:-1], rtol=0, atol=8 * EPS * 5)
    assert col.basis.dim == col.size + 2
    assert col.h == pytest.approx(0.3)
    assert not col.points.flags.writeable


@pytest.mark.parametrize("p, n", [(2, 33), (3, 64), (5, 100), (8, 37)])
def test_fast_operator_equals_dense(p, n):
    rng = np.random.default_rng(7 + p)
    col = RieszCollocation(p, n, 1.7)
    op = col.operator()
    mat = col.matrix()
    x = rng.standard_normal(col.size)
    y = op @ x
    # FFT matvec: rounding of order eps * ||A|| ||x|| per entry
    assert np.linalg.norm(y - mat @ x) <= 1e-12 * np.linalg.norm(mat @ x)
    xb = rng.standard_normal((col.size, 3))
    yb = op.matmat(xb)
    assert yb.shape == (col.size, 3)
    assert np.linalg.norm(yb - mat @ xb) <= 1e-12 * np.linalg.norm(mat @ xb)


@pytest.mark.parametrize(
    "args, exc, match",
    [
        ((1, 10, 1.5), ValueError, "degree"),
        ((0, 10, 1.5), ValueError, "degree"),
        ((2.0, 10, 1.5), TypeError, "degree"),
        ((3, 1, 1.5), ValueError, r"^n must"),
        ((5, 4, 1.5), ValueError, r"^n must"),
        ((3, 10, 2.0), ValueError, "alpha"),
        ((3, 10, 0.5), ValueError, "alpha"),
        ((3, 10, "1.5"), TypeError, "alpha"),
        ((3, 10, 1.5, (1.0, 1.0)), ValueError, "interval"),
    ],
)
def test_bad_input(args, exc, match):
    with pytest.raises(exc, match=match):
        RieszCollocation(*args)


def test_bad_kmax():
    with pytest.raises(ValueError, match="kmax"):
        toeplitz_coefficients(3, 1.5, -1)
    with pytest.raises(ValueError, match="kmax"):
        RieszCollocation(3, 8, 1.5).toeplitz_coefficients(-2)


@pytest.mark.parametrize("p, n", [(2, 2), (3, 3), (5, 5), (6, 7)])
def test_smallest_meshes_match_mpmath(p, n):
    # n = p: no cardinal B-spline at all, the boundary blocks overlap the whole matrix
    col = RieszCollocation(p, n, 1.4)
    size = col.size
    want = np.array([[float(ref.matrix_entry_mp(p, n, 1.4, i, j, dps=30)) for j in range(size)]
                     for i in range(size)])
    np.testing.assert_allclose(col.matrix(), want, rtol=1e-12, atol=0)
