"""Numba kernels of specnum.bases.chebyshev (import only numpy, numba, math).

Kernels assume validated input: C-contiguous float64 arrays of matching
shapes and a preallocated output.
"""

import numba
import numpy as np

__all__ = ["clenshaw_batch"]

_BLOCK = 256


@numba.njit(cache=True)
def clenshaw_batch(coeffs: np.ndarray, t: np.ndarray, out: np.ndarray) -> None:  # pragma: no cover - numba
    """out[b, m] = sum_k coeffs[b, k] T_k(t[m]) by Clenshaw's recurrence.

    coeffs : (B, n) with n >= 1; t : (M,) reference variable; out : (B, M).
    Points are processed in blocks of 256: for each block and each series the
    recurrence runs over k with an inner loop over the block's points, so the
    independent recurrences of different points vectorise (SIMD) and the
    running state stays in L1 cache.
    """
    nb, n = coeffs.shape
    npts = t.shape[0]
    b1 = np.empty(_BLOCK)
    b2 = np.empty(_BLOCK)
    x2 = np.empty(_BLOCK)
    for start in range(0, npts, _BLOCK):
        stop = min(start + _BLOCK, npts)
        nblk = stop - start
        for i in range(nblk):
            x2[i] = 2.0 * t[start + i]
        for b in range(nb):
            for i in range(nblk):
                b1[i] = 0.0
                b2[i] = 0.0
            for k in range(n - 1, 0, -1):
                ck = coeffs[b, k]
                for i in range(nblk):
                    tmp = ck + x2[i] * b1[i] - b2[i]
                    b2[i] = b1[i]
                    b1[i] = tmp
            c0 = coeffs[b, 0]
            for i in range(nblk):
                out[b, start + i] = c0 + 0.5 * x2[i] * b1[i] - b2[i]
