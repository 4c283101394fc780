"""Numba kernels of the Gaunt pillar (internal; import only numpy, numba, math).

Kernels assume validated, C-contiguous input and a preallocated, zeroed output.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["gaunt_coo_kernel"]

@njit(cache=True)
def gaunt_coo_kernel(x1, x2, k1, k2, k3, values, runs, block, out):  # pragma: no cover - compiled
    """``out[b, k3] += values * x1[b, k1] * x2[b, k2]`` over the COO nonzeros.

    x1 (B, n1), x2 (B, n2), out (B, n3) of one float dtype; k1, k2, k3 int32 (nnz,);
    values (nnz,) of the same dtype; ``runs`` (n_runs + 1,) int64 boundaries of the runs of
    equal ``(k1, k2)`` (the product ``x1[k1] x2[k2]`` is formed once per run). Rows are
    processed in blocks of ``block`` rows (the transposed blocks of x1, x2 and out should fit
    in L2 cache), transposed so that the innermost loop runs over rows
    (contiguous, vectorisable).
    """
    nrow = x1.shape[0]
    n1 = x1.shape[1]
    n2 = x2.shape[1]
    n3 = out.shape[1]
    nrun = runs.shape[0] - 1
    blk = block
    t1 = np.empty((n1, blk), dtype=x1.dtype)
    t2 = np.empty((n2, blk), dtype=x2.dtype)
    t3 = np.empty((n3, blk), dtype=out.dtype)
    p = np.empty(blk, dtype=out.dtype)
    for start in range(0, nrow, blk):
        nb = min(blk, nrow - start)
        for b in range(nb):
            for k in range(n1):
                t1[k, b] = x1[start + b, k]
            for k in range(n2):
                t2[k, b] = x2[start + b, k]
        t3[:, :] = 0.0
        for r in range(nrun):
            i0 = runs[r]
            r1 = t1[k1[i0]]
            r2 = t2[k2[i0]]
            for b in range(nb):
                p[b] = r1[b] * r2[b]
            for i in range(i0, runs[r + 1]):
                v = values[i]
                r3 = t3[k3[i]]
                for b in range(nb):
                    r3[b] += v * p[b]
        for b in range(nb):
            for k in range(n3):
                out[start + b, k] += t3[k, b]
