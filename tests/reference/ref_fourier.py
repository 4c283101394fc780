"""Slow, obviously correct twins of specnum.bases.fourier (direct sums, explicit loops)."""

from __future__ import annotations

import cmath
import math

import numpy as np

__all__ = ["dft_centered_direct", "series_eval_direct", "convolve2d_direct"]


def dft_centered_direct(values, L):
    """F[u+L, v+L] = (1/(N1 N2)) sum_{j,k} f[j,k] exp(-i (u 2 pi j/N1 + v 2 pi k/N2)), by loops."""
    n1, n2 = values.shape
    out = np.zeros((2 * L + 1, 2 * L + 1), dtype=complex)
    for u in range(-L, L + 1):
        for v in range(-L, L + 1):
            s = 0j
            for j in range(n1):
                for k in range(n2):
                    s += values[j, k] * cmath.exp(-1j * (u * 2 * math.pi * j / n1 + v * 2 * math.pi * k / n2))
            out[u + L, v + L] = s / (n1 * n2)
    return out


def series_eval_direct(F, theta, phi):
    """sum_{u,v} F[u+L, v+L] exp(i (u theta + v phi)) at one point, by loops."""
    L = (F.shape[0] - 1) // 2
    s = 0j
    for u in range(-L, L + 1):
        for v in range(-L, L + 1):
            s += F[u + L, v + L] * cmath.exp(1j * (u * theta + v * phi))
    return s


def convolve2d_direct(a, b):
    """Full linear convolution c[p, q] = sum a[i, j] b[p-i, q-j], by loops."""
    m1, n1 = a.shape
    m2, n2 = b.shape
    out = np.zeros((m1 + m2 - 1, n1 + n2 - 1), dtype=np.result_type(a, b))
    for i in range(m1):
        for j in range(n1):
            out[i : i + m2, j : j + n2] += a[i, j] * b
    return out
