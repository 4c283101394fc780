"""Spectral tools: outliers, bulk agreement with the symbol, condition growth, preconditioner twins."""

import numpy as np
import pytest
import ref_riesz as ref
from scipy import linalg

from specnum.riesz import (
    compare_spectrum,
    condition_numbers,
    outliers,
    riesz_symbol,
    scaled_eigenvalues,
    strang_preconditioner,
    symbol_maximum,
    symbol_samples,
    tau_preconditioner,
    toeplitz_coefficients,
)
from specnum.riesz.assembly import assemble_structure
from specnum.riesz.solve import tau_boundary_preconditioner

EPS = np.finfo(float).eps

# outliers at n = 128 reported in the notes (independent mpmath/numpy reconstruction)
NOTES_OUTLIERS = {
    (1.5, 2): [],
    (1.5, 3): [2.9133],
    (1.5, 4): [3.9343, 1.5610],
    (1.5, 5): [5.2056, 1.8412, 1.0943],
    (1.8, 5): [9.1868, 2.5834, 1.3555],
    (1.2, 5): [2.9718, 1.3672, 0.9222],
}


@pytest.mark.parametrize("alpha, p", list(NOTES_OUTLIERS))
def test_outliers_and_bulk(alpha, p):
    c = compare_spectrum(p, 128, alpha)
    assert c.outliers.size == 2 * (p - 2)  # in pairs, from the 2(p-2) boundary rows
    pairs = c.outliers.reshape(-1, 2).mean(axis=1)
    np.testing.assert_allclose(pairs, NOTES_OUTLIERS[(alpha, p)], atol=2e-3)
    assert c.bulk_error < 2e-2  # notes: 3e-3 .. 1.6e-2 at n = 128
    assert np.all(c.eigenvalues > 0)
    if alpha > 1.2:
        assert c.max_imag < 1e-8  # real spectrum observed except alpha = 1.2, p = 5


def test_eigenvalues_and_samples_consistent():
    lam = scaled_eigenvalues(3, 40, 1.5)
    assert lam.shape == (41,) and np.all(np.diff(lam) >= 0)
    f = symbol_samples(3, 40, 1.5)
    theta = np.arange(1, 42) * np.pi / 42
    np.testing.assert_allclose(f, np.sort(riesz_symbol(theta, 3, 1.5)), rtol=4 * EPS)
    out = outliers(lam, 3, 1.5)
    assert out.size == 2 and np.all(out > symbol_maximum(3, 1.5)[0])


@pytest.mark.parametrize("p", [2, 6])
def test_symbol_maximum(p):
    fmax, where = symbol_maximum(p, 1.5)
    grid = np.linspace(0, np.pi, 20001)
    vals = riesz_symbol(grid, p, 1.5)
    assert fmax >= vals.max() * (1 - 4 * EPS)
    assert fmax <= vals.max() * (1 + 1e-8)  # the grid is fine enough to see the peak to 1e-8
    if p == 2:
        assert where == pytest.approx(np.pi)
    else:
        assert 0 < where < np.pi


@pytest.mark.parametrize("p, alpha", [(2, 1.2), (4, 1.8)])
def test_condition_growth_exponent_is_alpha(p, alpha):
    g = condition_numbers(p, [32, 64, 128, 256], alpha)
    assert g.condition.shape == (4,)
    assert abs(g.exponent - alpha) < 0.05  # notes: log2 ratios equal alpha to 3 digits


def test_condition_numbers_reference_value():
    g = condition_numbers(3, [64, 256], 1.5)
    assert g.condition[-1] == pytest.approx(2.65e3, rel=5e-3)  # notes: kappa_2 = 2.65e3 at n = 256


def test_tau_preconditioner_matches_dense_twin():
    size, p, alpha = 23, 4, 1.5
    theta = np.arange(1, size + 1) * np.pi / (size + 1)
    tau = ref.tau_dense(riesz_symbol(theta, p, alpha))
    prec = tau_preconditioner(p, size, alpha)
    x = np.random.default_rng(3).standard_normal(size)
    np.testing.assert_allclose(tau @ (prec @ x), x, rtol=0, atol=1e-13 * np.abs(x).max())


def test_tau_boundary_preconditioner_inverts_tau_plus_r():
    p, n, alpha = 5, 30, 1.7
    s = assemble_structure(p, n, alpha)
    theta = np.arange(1, s.size + 1) * np.pi / (s.size + 1)
    tau = ref.tau_dense(riesz_symbol(theta, p, alpha))
    full = s.dense()
    r = full - linalg.toeplitz(s.toeplitz)
    prec = tau_boundary_preconditioner(s)
    x = np.random.default_rng(4).standard_normal(s.size)
    np.testing.assert_allclose((tau + r) @ (prec @ x), x, rtol=0, atol=1e-12 * np.abs(x).max())


def test_strang_preconditioner_matches_dense_circulant():
    a = toeplitz_coefficients(3, 1.5, 20)  # N = 21
    size = 21
    k = np.arange(size)
    col = np.where(k <= size // 2, a[np.minimum(k, size - 1)], a[np.minimum(size - k, size - 1)])
    circ = linalg.circulant(col)
    prec = strang_preconditioner(a)
    x = np.random.default_rng(5).standard_normal(size)
    np.testing.assert_allclose(circ @ (prec @ x), x, rtol=0, atol=1e-12 * np.abs(x).max())


def test_bad_input():
    with pytest.raises(ValueError, match="ns"):
        condition_numbers(3, [32], 1.5)
    with pytest.raises(TypeError, match="ns"):
        condition_numbers(3, 32, 1.5)
    with pytest.raises(ValueError, match="ns must be an integer >= 3"):
        condition_numbers(3, [32, 2], 1.5)
    with pytest.raises(ValueError, match="ns must hold at least 2 distinct"):
        condition_numbers(3, [32, 32], 1.5)
    with pytest.raises(ValueError, match="eigenvalues"):
        outliers(np.array([1.0, np.nan]), 3, 1.5)
    with pytest.raises(ValueError, match="alpha"):
        scaled_eigenvalues(3, 16, 2.5)
    with pytest.raises(ValueError, match="degree"):
        symbol_samples(1, 16, 1.5)


def test_preconditioner_bad_input():
    with pytest.raises(TypeError, match="scale"):
        tau_preconditioner(3, 8, 1.5, scale="1")
    with pytest.raises(ValueError, match="scale"):
        tau_preconditioner(3, 8, 1.5, scale=np.nan)
    with pytest.raises(ValueError, match="scale"):
        strang_preconditioner([1.0, -0.4], scale=0.0)
    with pytest.raises(ValueError, match="toeplitz"):
        strang_preconditioner(np.ones((2, 2)))
    with pytest.raises(ValueError, match="toeplitz"):
        strang_preconditioner(np.zeros(0))
    with pytest.raises(ValueError, match="toeplitz"):
        strang_preconditioner([np.nan, 1.0])


@pytest.mark.parametrize("size", [7, 1023, 4096, 5000])
def test_dst1_matches_scipy(size):
    # 4096 and 5000 take the Bluestein path (2(N+1) not a fast FFT length); scipy's DST-I is the twin
    from scipy import fft as sfft

    from specnum.riesz.solve import dst1

    x = np.random.default_rng(size).standard_normal((size, 2))
    want = sfft.dst(x, type=1, norm="ortho", axis=0)
    np.testing.assert_allclose(dst1(x), want, rtol=0, atol=64 * EPS * np.abs(want).max())
    np.testing.assert_allclose(dst1(x[:, 0]), want[:, 0], rtol=0, atol=64 * EPS * np.abs(want).max())


# f(pi)/max f from the notes (mpmath reconstruction), claim (iii) of the paper
NOTES_DECAY = {4: [0.783, 0.903, 0.982], 6: [0.399, 0.498, 0.602], 8: [0.188, 0.244, 0.307],
               10: [0.0858, 0.115, 0.149]}


@pytest.mark.parametrize("p", list(NOTES_DECAY))
def test_symbol_decay_at_pi_matches_notes(p):
    got = [float(riesz_symbol(np.pi, p, a)) / symbol_maximum(p, a)[0] for a in (1.2, 1.5, 1.8)]
    np.testing.assert_allclose(got, NOTES_DECAY[p], rtol=0, atol=6e-4)  # notes give 3 digits


@pytest.mark.parametrize("alpha, want", [(1.2, 2.980), (1.5, 4.518), (1.8, 7.133)])
def test_smallest_eigenvalue_approximates_first_dirichlet_eigenvalue(alpha, want):
    # notes: lambda_min(A) at n = 128 (the first Dirichlet eigenvalue of (-Laplacian)^(alpha/2) on (0,1))
    lam_min = scaled_eigenvalues(3, 128, alpha)[0] * 128.0**alpha
    assert lam_min == pytest.approx(want, abs=2e-3)
