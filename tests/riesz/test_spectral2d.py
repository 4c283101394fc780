"""2D spectral tools: eigenvalues of A2 / scale against the bivariate symbol, condition growth."""

import numpy as np
import pytest

from specnum.riesz import (
    RieszCollocation2D,
    compare_spectrum_2d,
    condition_numbers_2d,
    riesz_symbol_2d,
    scaled_eigenvalues_2d,
    symbol_samples_2d,
)


def test_symbol_samples_are_the_sorted_grid_values_with_the_collocation_weights():
    col = RieszCollocation2D((2, 3), (6, 5), (1.3, 1.8), box=((0.0, 2.0), (0.0, 1.0)), coefficients=(2.0, 1.0))
    s = symbol_samples_2d((2, 3), (6, 5), (1.3, 1.8), box=((0.0, 2.0), (0.0, 1.0)), coefficients=(2.0, 1.0))
    nx, ny = col.shape
    wx, wy = col.symbol_weights
    assert max(wx, wy) == 1.0
    assert wx == pytest.approx(2.0 * (2.0 / 6) ** -1.3 / col.scale, rel=1e-15)
    t1 = np.arange(1, nx + 1) * np.pi / (nx + 1)
    t2 = np.arange(1, ny + 1) * np.pi / (ny + 1)
    want = np.sort(riesz_symbol_2d(t1[:, None], t2[None, :], (2, 3), (1.3, 1.8), (wx, wy)).ravel())
    np.testing.assert_array_equal(s, want)


@pytest.mark.parametrize("degree, alpha, coefficients", [((3, 2), (1.4, 1.7), (1.0, 5.0)), (4, 1.5, (2.0, 1.0))])
def test_interior_of_scaled_matrix_is_two_level_toeplitz_generated_by_the_symbol(degree, alpha, coefficients):
    # Fourier coefficients of F = w_x f m + w_y m f are w_x a_i b_k + w_y b_i a_k (a: Riesz, b: value
    # Toeplitz coefficients): the interior entries of A2 / scale must be exactly these
    from specnum.riesz import toeplitz_coefficients
    from specnum.riesz.values import value_toeplitz

    col = RieszCollocation2D(degree, (14, 13), alpha, coefficients=coefficients)
    a2 = col.matrix() / col.scale
    nx, ny = col.shape
    px, py = col.degree
    wx, wy = col.symbol_weights
    ax, ay = toeplitz_coefficients(px, col.alpha[0], nx), toeplitz_coefficients(py, col.alpha[1], ny)
    bx, by = np.zeros(nx + 1), np.zeros(ny + 1)
    bx[: value_toeplitz(px).size] = value_toeplitz(px)
    by[: value_toeplitz(py).size] = value_toeplitz(py)
    i, k = nx // 2, ny // 2  # an interior collocation point
    row = a2[i * ny + k].reshape(nx, ny)
    for j in range(px, nx - px):  # interior (cardinal) columns in both directions
        for m in range(py, ny - py):
            di, dk = abs(i - j), abs(k - m)
            want = wx * ax[di] * by[dk] + wy * bx[di] * ay[dk]
            assert row[j, m] == pytest.approx(want, rel=1e-12, abs=1e-15)


def test_p2_spectrum_follows_the_symbol_without_outliers():
    # p = 2 has no non-lattice rows: no outliers; the sorted eigenvalues track the sorted samples
    c = compare_spectrum_2d(2, 20, (1.5, 1.5))
    assert c.outliers.size == 0 and c.max_imag < 1e-10
    assert c.bulk_error < 0.03
    lam = scaled_eigenvalues_2d(2, 20, (1.5, 1.5))
    np.testing.assert_allclose(lam, c.eigenvalues, rtol=1e-10, atol=1e-12)
    assert lam[0] > 0


def test_bulk_error_decreases_with_n():
    errs = [compare_spectrum_2d(3, n, (1.2, 1.8), coefficients=(1.0, 100.0)).bulk_error for n in (8, 16, 24)]
    assert errs[2] < errs[0] and errs[2] < 0.12, errs


def test_outliers_are_a_vanishing_fraction():
    frac = []
    for n in (10, 20):
        c = compare_spectrum_2d(4, n, 1.5)
        assert np.all(c.outliers > c.symbol_max)
        frac.append(c.outliers.size / c.eigenvalues.size)
    assert frac[1] < frac[0]


def test_condition_growth_exponent_is_max_order():
    g = condition_numbers_2d(2, [8, 16, 32], (1.3, 1.7))
    assert g.ns.tolist() == [8, 16, 32] and np.all(np.diff(g.condition) > 0)
    assert abs(g.exponent - 1.7) < 0.15, g.exponent


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: compare_spectrum_2d(2, 70, 1.5), "4096"),
        (lambda: compare_spectrum_2d(2, 8, 1.5, margin=-1.0), "margin"),
        (lambda: condition_numbers_2d(2, [8], 1.5), "ns"),
        (lambda: condition_numbers_2d(2, [8, 8], 1.5), "distinct"),
        (lambda: condition_numbers_2d(2, 8, 1.5), "ns"),
        (lambda: scaled_eigenvalues_2d(2, (8, 8, 8), 1.5), "n"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
