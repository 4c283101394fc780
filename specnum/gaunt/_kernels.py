"""Numba kernels of the Gaunt pillar (internal; import only numpy, numba, math).

Kernels assume validated, C-contiguous input and a preallocated output.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["gaunt_pairs_kernel", "folded_product", "absmax"]

@njit(cache=True)
def folded_product(E1, O1, E2, O2, PE, PO):  # pragma: no cover - compiled
    """Folded values of the pointwise product of two functions given by folded values.

    Arrays ``(2, n, nE)`` and ``(2, n, nO)`` (parity in ``theta`` first, then latitude x row,
    then the azimuths ``j = 0..nE-1`` / ``j = 1..nO``; see
    :class:`specnum.bases.spheregrid.SphereTransform`). With ``a = E1, b = E2, c = O1, d = O2``
    the four symmetry classes multiply like the group Z2 x Z2:
    ``PE0 = a0 b0 + a1 b1 + c0 d0 + c1 d1``, ``PE1 = a0 b1 + a1 b0 + c0 d1 + c1 d0``,
    ``PO0 = a0 d0 + a1 d1 + c0 b0 + c1 b1``, ``PO1 = a0 d1 + a1 d0 + c0 b1 + c1 b0``.
    """
    n = E1.shape[1]
    nE = E1.shape[2]
    nO = O1.shape[2]
    for i in range(n):
        PE[0, i, 0] = E1[0, i, 0] * E2[0, i, 0] + E1[1, i, 0] * E2[1, i, 0]
        PE[1, i, 0] = E1[0, i, 0] * E2[1, i, 0] + E1[1, i, 0] * E2[0, i, 0]
        for j in range(nO):
            a0 = E1[0, i, j + 1]
            a1 = E1[1, i, j + 1]
            b0 = E2[0, i, j + 1]
            b1 = E2[1, i, j + 1]
            c0 = O1[0, i, j]
            c1 = O1[1, i, j]
            d0 = O2[0, i, j]
            d1 = O2[1, i, j]
            PE[0, i, j + 1] = (a0 * b0 + a1 * b1) + (c0 * d0 + c1 * d1)
            PE[1, i, j + 1] = (a0 * b1 + a1 * b0) + (c0 * d1 + c1 * d0)
            PO[0, i, j] = (a0 * d0 + a1 * d1) + (c0 * b0 + c1 * b1)
            PO[1, i, j] = (a0 * d1 + a1 * d0) + (c0 * b1 + c1 * b0)
        for j in range(nO + 1, nE):  # the azimuth pi of an even n_phi: no odd part
            PE[0, i, j] = E1[0, i, j] * E2[0, i, j] + E1[1, i, j] * E2[1, i, j]
            PE[1, i, j] = E1[0, i, j] * E2[1, i, j] + E1[1, i, j] * E2[0, i, j]


@njit(cache=True, nogil=True)
def gaunt_pairs_kernel(x1, x2, pk1, pk2, psym, runs, k3, values, row0, row1, block, out):  # pragma: no cover
    """``out[b, k3] = sum values * (x1[b, k1] x2[b, k2] (+ x1[b, k2] x2[b, k1] when symmetric))``
    for the rows ``row0 <= b < row1``.

    x1 (B, n1), x2 (B, n2), out (B, n3) of one float dtype; run ``r`` is the index pair
    ``(pk1[r], pk2[r])`` (int32) whose product is formed once, with ``psym[r] = 1`` when the
    pair ``(pk2, pk1)`` has the same coefficients and is folded in (inputs of equal degree);
    its nonzeros are ``k3[runs[r]:runs[r+1]]`` (int32) with ``values``. Rows are processed in
    blocks of ``block`` rows, transposed so that the innermost loops run over rows
    (contiguous, vectorised). Releases the GIL: callers run row ranges on several threads.
    """
    n1 = x1.shape[1]
    n2 = x2.shape[1]
    n3 = out.shape[1]
    nrun = pk1.shape[0]
    t1 = np.empty((n1, block), dtype=x1.dtype)
    t2 = np.empty((n2, block), dtype=x2.dtype)
    t3 = np.empty((n3, block), dtype=out.dtype)
    p = np.empty(block, dtype=out.dtype)
    for start in range(row0, row1, block):
        nb = min(block, row1 - start)
        for b in range(nb):
            for k in range(n1):
                t1[k, b] = x1[start + b, k]
            for k in range(n2):
                t2[k, b] = x2[start + b, k]
        t3[:, :nb] = 0.0
        for r in range(nrun):
            a1 = t1[pk1[r]]
            a2 = t2[pk2[r]]
            if psym[r]:
                c1 = t1[pk2[r]]
                c2 = t2[pk1[r]]
                for b in range(nb):
                    p[b] = a1[b] * a2[b] + c1[b] * c2[b]
            else:
                for b in range(nb):
                    p[b] = a1[b] * a2[b]
            for i in range(runs[r], runs[r + 1]):
                v = values[i]
                r3 = t3[k3[i]]
                for b in range(nb):
                    r3[b] += v * p[b]
        for b in range(nb):
            for k in range(n3):
                out[start + b, k] = t3[k, b]


@njit(cache=True)
def absmax(a):  # pragma: no cover - compiled
    """``max |a|`` over a contiguous 1-D view (NaN if any entry is NaN; 0 when empty)."""
    m = 0.0
    for i in range(a.shape[0]):
        v = abs(a[i])
        if not v <= m:  # also true for NaN, which then propagates
            m = v
            if m != m:
                return m
    return m
