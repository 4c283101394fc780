"""Lobatto, Radau and Clenshaw-Curtis rules on the reference interval [-1, 1] (cached, read-only).

The Lobatto and Radau interior nodes are Gauss-Jacobi nodes (exponents (1, 1) and (0, 1)) from
:mod:`specnum.bases._jacobi_rules`, their weights the Gauss-Jacobi weights divided by the factor of
the weight function at the exact node. Clenshaw-Curtis weights are the inverse DFT of the moments
(Waldvogel 2006), with the endpoint weights in closed form.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import scipy.fft

from specnum.bases._jacobi_rules import gauss_jacobi_reference

__all__ = ["lobatto_reference", "radau_reference", "clenshaw_curtis_reference"]


@lru_cache(maxsize=64)
def lobatto_reference(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Lobatto-Legendre rule on [-1, 1]."""
    x = np.empty(n)
    w = np.empty(n)
    x[0], x[-1] = -1.0, 1.0
    w[0] = w[-1] = 2.0 / (n * (n - 1))
    if n > 2:
        xi, wi, di, e = gauss_jacobi_reference(n - 2, 1.0, 1.0)
        x[1:-1] = xi
        # interior weights: Gauss-Jacobi(1, 1) weights divided by 1 - x^2 at the exact node x + delta
        w[1:-1] = np.ldexp(wi, e) / ((1.0 - xi) * (1.0 + xi) - 2.0 * xi * di)
    x = 0.5 * (x - x[::-1])
    w = 0.5 * (w + w[::-1])
    x.setflags(write=False)
    w.setflags(write=False)
    return x, w


@lru_cache(maxsize=64)
def radau_reference(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Left Gauss-Radau rule (node at -1) on [-1, 1]."""
    x = np.empty(n)
    w = np.empty(n)
    x[0] = -1.0
    w[0] = 2.0 / (n * n)
    if n > 1:
        xi, wi, di, e = gauss_jacobi_reference(n - 1, 0.0, 1.0)
        x[1:] = xi
        # interior weights: Gauss-Jacobi(0, 1) weights divided by (1 + x) at the exact node
        w[1:] = np.ldexp(wi, e) / ((1.0 + xi) + di)
    x.setflags(write=False)
    w.setflags(write=False)
    return x, w


@lru_cache(maxsize=64)
def clenshaw_curtis_reference(n: int) -> tuple[np.ndarray, np.ndarray]:
    if n == 1:
        x, w = np.zeros(1), np.full(1, 2.0)
    else:
        m = n - 1
        j = np.arange(n, dtype=np.float64)
        x = np.sin(np.pi * (2.0 * j - m) / (2.0 * m))  # = -cos(pi j / m), exactly symmetric
        # Waldvogel (2006): weights are the inverse DFT of the moments
        # c_k = 2/(1-k^2) (k even), 0 (k odd), extended evenly to length 2m.
        c = np.zeros(n)
        k = np.arange(0, n, 2, dtype=np.float64)
        c[::2] = 2.0 / (1.0 - k * k)
        f = scipy.fft.ifft(np.concatenate([c, c[-2:0:-1]])).real
        w = np.empty(n)
        w[1:m] = 2.0 * f[1:m]
        # closed form of the endpoint weights (the FFT gives them with rounding):
        # 1/(m^2 - 1) for even m, 1/m^2 for odd m
        w[0] = w[m] = 1.0 / (m * m - 1.0) if m % 2 == 0 else 1.0 / (m * m)
        w = 0.5 * (w + w[::-1])
    x.setflags(write=False)
    w.setflags(write=False)
    return x, w
