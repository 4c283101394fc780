"""Tests of specnum.bases.fourier against direct sums and scipy.signal.convolve2d."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest
import scipy.fft
import scipy.signal

from specnum.bases.fourier import (
    centered_indices,
    fft2_centered,
    fft_centered,
    fourier_series_eval,
    ifft2_centered,
    ifft_centered,
    linear_convolve_2d,
    wavenumbers,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from reference.ref_fourier import (  # noqa: E402
    convolve2d_direct,
    dft_centered_direct,
    series_eval_direct,
)

EPS = np.finfo(np.float64).eps


def _crandn(rng, shape):
    return rng.standard_normal(shape) + 1j * rng.standard_normal(shape)


def test_wavenumbers_and_indices():
    np.testing.assert_array_equal(wavenumbers(6), [0, 1, 2, -3, -2, -1])
    np.testing.assert_array_equal(wavenumbers(5), [0, 1, 2, -2, -1])
    np.testing.assert_allclose(wavenumbers(8, length=4.0), scipy.fft.fftfreq(8, d=0.5) * 2 * np.pi, rtol=EPS)
    assert wavenumbers(1).tolist() == [0.0]
    for n in (49, 98, 103, 1000, 1001):  # exact integers for the default period (n * (1/n) != 1 for 49)
        want = np.r_[np.arange(0, (n + 1) // 2), np.arange(-(n // 2), 0)].astype(float)
        np.testing.assert_array_equal(wavenumbers(n), want)
    np.testing.assert_array_equal(centered_indices(0), [0])
    np.testing.assert_array_equal(centered_indices(3), np.arange(-3, 4))
    # spectral derivative with these wavenumbers: d/dx sin(3x) on a period 2 pi
    x = 2 * np.pi * np.arange(16) / 16
    d = scipy.fft.ifft(1j * wavenumbers(16) * scipy.fft.fft(np.sin(3 * x))).real
    assert np.max(np.abs(d - 3 * np.cos(3 * x))) <= 64 * EPS


@pytest.mark.parametrize("n1,n2,L", [(5, 5, 2), (7, 6, 2), (8, 9, 3)])
def test_fft2_centered_vs_direct_sum(n1, n2, L):
    rng = np.random.default_rng(0)
    vals = _crandn(rng, (n1, n2))
    F = fft2_centered(vals, L)
    assert F.shape == (2 * L + 1, 2 * L + 1)
    # FFT vs direct DFT sum: error ~ eps * log(N) * mean |f|
    assert np.max(np.abs(F - dft_centered_direct(vals, L))) <= 32 * EPS


def test_convention_single_mode():
    # F[u+L, v+L] = 1 at (u, v) = (2, -1) <=> f = exp(i (2 theta - phi))
    L = 3
    F = np.zeros((2 * L + 1, 2 * L + 1))
    F[2 + L, -1 + L] = 1.0
    n1, n2 = 8, 7
    th = 2 * np.pi * np.arange(n1) / n1
    ph = 2 * np.pi * np.arange(n2) / n2
    expected = np.exp(1j * (2 * th[:, None] - ph[None, :]))
    assert np.max(np.abs(ifft2_centered(F, shape=(n1, n2)) - expected)) <= 16 * EPS
    assert np.max(np.abs(fourier_series_eval(F, th[:, None], ph[None, :]) - expected)) <= 16 * EPS


def test_round_trips_batched():
    rng = np.random.default_rng(1)
    F = _crandn(rng, (2, 3, 9, 9))
    for shape in [None, (9, 9), (10, 13), (16, 16)]:
        v = ifft2_centered(F, shape=shape)
        assert v.shape == (2, 3) + ((9, 9) if shape is None else shape)
        assert np.max(np.abs(fft2_centered(v, 4) - F)) <= 32 * EPS
    # grid values agree with the scattered-point evaluator and the direct sum
    v = ifft2_centered(F, shape=(10, 11))
    th = 2 * np.pi * np.arange(10) / 10
    ph = 2 * np.pi * np.arange(11) / 11
    e = fourier_series_eval(F, th[:, None], ph[None, :])
    assert e.shape == (2, 3, 10, 11)
    scale = np.abs(F).sum(axis=(-2, -1)).max()
    assert np.max(np.abs(e - v)) <= 16 * EPS * scale
    assert abs(e[1, 2, 3, 4] - series_eval_direct(F[1, 2], th[3], ph[4])) <= 16 * EPS * scale


def test_fft_centered_1d():
    rng = np.random.default_rng(2)
    F = _crandn(rng, (4, 7))
    v = ifft_centered(F, n=11)
    assert v.shape == (4, 11)
    t = 2 * np.pi * np.arange(11) / 11
    direct = np.array([[np.sum(F[b] * np.exp(1j * np.arange(-3, 4) * tj)) for tj in t] for b in range(4)])
    assert np.max(np.abs(v - direct)) <= 32 * EPS
    assert np.max(np.abs(fft_centered(v, L=3) - F)) <= 16 * EPS
    # along axis 0
    np.testing.assert_allclose(fft_centered(v.T, L=3, axis=0), F.T, atol=16 * EPS)
    np.testing.assert_allclose(ifft_centered(F.T, n=11, axis=0), v.T, atol=16 * EPS)
    assert fft_centered(np.ones(6)).shape == (5,)  # default L = (N-1)//2


@pytest.mark.parametrize("L1,L2", [(0, 0), (1, 3), (4, 4), (7, 2)])
def test_linear_convolve_2d_vs_scipy(L1, L2):
    rng = np.random.default_rng(3)
    a = rng.standard_normal((2, 3, 2 * L1 + 1, 2 * L1 + 1))
    b = rng.standard_normal((3, 2 * L2 + 1, 2 * L2 + 1))  # batch broadcasts
    c = linear_convolve_2d(a, b)
    M = 2 * (L1 + L2) + 1
    assert c.shape == (2, 3, M, M) and c.dtype == np.float64
    for i in range(2):
        for j in range(3):
            ref = scipy.signal.convolve2d(a[i, j], b[j], mode="full")
            # FFT rounding: absolute, relative to sum|a| sum|b|
            tol = 16 * EPS * np.abs(a[i, j]).sum() * np.abs(b[j]).sum()
            assert np.max(np.abs(c[i, j] - ref)) <= tol
    assert np.max(np.abs(c[1, 2] - convolve2d_direct(a[1, 2], b[2]))) <= tol


def test_linear_convolve_2d_complex_and_rectangular():
    rng = np.random.default_rng(4)
    a = _crandn(rng, (5, 3))
    b = rng.standard_normal((4, 6))
    c = linear_convolve_2d(a, b)
    assert c.dtype == np.complex128 and c.shape == (8, 8)
    tol = 16 * EPS * np.abs(a).sum() * np.abs(b).sum()
    assert np.max(np.abs(c - scipy.signal.convolve2d(a, b))) <= tol


def test_convolution_is_series_product():
    rng = np.random.default_rng(5)
    Fa = _crandn(rng, (5, 5))
    Fb = _crandn(rng, (7, 7))
    Fc = linear_convolve_2d(Fa, Fb)  # degree 2 + 3 = 5
    th = rng.uniform(0, 2 * np.pi, 6)
    ph = rng.uniform(0, 2 * np.pi, 6)
    prod = fourier_series_eval(Fa, th, ph) * fourier_series_eval(Fb, th, ph)
    scale = np.abs(Fa).sum() * np.abs(Fb).sum()
    assert np.max(np.abs(fourier_series_eval(Fc, th, ph) - prod)) <= 32 * EPS * scale


def test_fourier_series_eval_shapes():
    F = np.zeros((2, 3, 3))
    F[:, 1, 1] = [1.0, 2.0]
    out = fourier_series_eval(F, np.zeros((4, 1)), np.zeros(5))
    assert out.shape == (2, 4, 5)
    assert fourier_series_eval(F[0], 0.5, 0.1).shape == ()
    assert complex(fourier_series_eval(F[1], 0.5, 0.1)) == 2.0


def test_bad_input():
    with pytest.raises(ValueError, match="n must"):
        wavenumbers(0)
    with pytest.raises(ValueError, match="length"):
        wavenumbers(4, length=0.0)
    with pytest.raises(ValueError, match="L must"):
        centered_indices(-1)
    with pytest.raises(TypeError, match="L must"):
        centered_indices(1.5)
    with pytest.raises(ValueError, match="L must"):
        fft2_centered(np.ones((4, 4)), L=2)  # 2L+1 = 5 > 4 would alias
    with pytest.raises(ValueError, match="values"):
        fft2_centered(np.ones(4))
    with pytest.raises(ValueError, match="coeffs"):
        ifft2_centered(np.ones((4, 4)))  # even size
    with pytest.raises(ValueError, match="coeffs"):
        ifft2_centered(np.ones((3, 5)))  # not square
    with pytest.raises(ValueError, match="shape"):
        ifft2_centered(np.ones((5, 5)), shape=(4, 8))
    with pytest.raises(TypeError, match="shape"):
        ifft2_centered(np.ones((5, 5)), shape=7)
    with pytest.raises(ValueError, match="n must"):
        ifft_centered(np.ones(5), n=3)
    with pytest.raises(ValueError, match="a must"):
        linear_convolve_2d(np.ones(3), np.ones((3, 3)))
    with pytest.raises(ValueError, match="b must"):
        linear_convolve_2d(np.ones((3, 3)), np.ones((3, 3)) * np.nan)
    with pytest.raises(ValueError, match="batch"):
        linear_convolve_2d(np.ones((2, 3, 3)), np.ones((3, 3, 3)))
    with pytest.raises(TypeError, match="a must"):
        linear_convolve_2d(np.array([["x"]]), np.ones((3, 3)))
    with pytest.raises(ValueError, match="theta"):
        fourier_series_eval(np.ones((3, 3)), np.ones(3), np.ones(4))
    with pytest.raises(ValueError, match="phi"):
        fourier_series_eval(np.ones((3, 3)), 0.0, np.inf)
    assert math.isfinite(float(np.abs(fft_centered(np.ones(3))).sum()))


def test_empty_core_axes_are_refused():
    with pytest.raises(ValueError, match="values must have non-empty"):
        fft_centered(np.zeros(0))  # was scipy's "invalid number of data points"
    with pytest.raises(ValueError, match="values must have non-empty"):
        fft2_centered(np.zeros((0, 0)))
    with pytest.raises(ValueError, match="a must have non-empty"):
        linear_convolve_2d(np.zeros((0, 0)), np.zeros((0, 0)))  # was a 2 x 2 (or scipy's) result
    with pytest.raises(ValueError, match="b must have non-empty"):
        linear_convolve_2d(np.ones((3, 3)), np.zeros((3, 0)))
    # empty batch axes are fine: an empty stack of products
    assert linear_convolve_2d(np.ones((0, 3, 3)), np.ones((3, 3))).shape == (0, 5, 5)


def test_size_budget_and_overflow():
    with pytest.raises(ValueError, match=r"n = 1000000000 needs about .* above the size budget"):
        wavenumbers(10**9)
    with pytest.raises(ValueError, match=r"n = 10000000000 with coeffs of shape \(5,\) needs"):
        ifft_centered(np.ones(5), n=10**10)
    with pytest.raises(ValueError, match=r"shape = \(100000, 100000\)"):
        ifft2_centered(np.ones((3, 3)), shape=(10**5, 10**5))
    with pytest.raises(ValueError, match="length must be large enough"):
        wavenumbers(4, length=1e-310)  # 2 pi / length overflows: was a NaN at k = 0


def test_axis_is_keyword_only():
    with pytest.raises(TypeError):
        fft_centered(np.ones((5, 3)), 1, 0)
    with pytest.raises(TypeError):
        ifft_centered(np.ones((3, 5)), 5, 0)
    np.testing.assert_allclose(fft_centered(np.ones((5, 3)), 1, axis=0)[1], np.ones(3))


def test_overflowing_results_are_refused():
    big = np.full((3, 3), 1e200)
    with pytest.raises(ValueError, match="a and b give results beyond the float64 range"):
        linear_convolve_2d(big, big)  # 9e400
    with pytest.raises(ValueError, match="coeffs give results beyond"):
        ifft_centered(np.full(5, 1e308))
    with pytest.raises(ValueError, match="coeffs give results beyond"):
        fourier_series_eval(np.full((3, 3), 1e308), 0.0, 0.0)
    assert np.all(np.isfinite(linear_convolve_2d(np.full((3, 3), 1e150), np.full((3, 3), 1e150))))
