"""Numba kernels of the Gaunt pillar (internal; import only numpy, numba, math).

Kernels assume validated, C-contiguous input and a preallocated output.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["gaunt_pairs_kernel", "gaunt_outputs_kernel", "gaunt_outputs64_kernel", "gaunt_outputs128_kernel",
           "gaunt_pairs_vjp_kernel", "abs_bits_max_kernel"]


@njit(cache=True, nogil=True)
def abs_bits_max_kernel(u, mask):  # pragma: no cover - compiled
    """``max(u & mask)`` over a 1D integer array (0 when empty): with ``u`` the bits of a float
    array and ``mask`` all bits but the sign, the bit pattern of its largest magnitude."""
    m = u.dtype.type(0)
    for i in range(u.size):
        m = max(m, u[i] & mask)
    return m


@njit(cache=True, nogil=True)
def _load_rows(x, start, nb, t):  # pragma: no cover - compiled
    """``t[k, b] = x[start + b, k]`` for ``b < nb``: a block of rows, transposed."""
    for b in range(nb):
        for k in range(x.shape[1]):
            t[k, b] = x[start + b, k]


@njit(cache=True, nogil=True)
def _store_rows(t, start, nb, out):  # pragma: no cover - compiled
    """``out[start + b, k] = t[k, b]`` for ``b < nb``, eight rows at a time (each read of ``t``
    takes a run of eight contiguous values instead of one value per row)."""
    n = out.shape[1]
    b0 = 0
    while b0 + 8 <= nb:
        for k in range(n):
            for b in range(8):
                out[start + b0 + b, k] = t[k, b0 + b]
        b0 += 8
    for b in range(b0, nb):
        for k in range(n):
            out[start + b, k] = t[k, b]


@njit(cache=True, nogil=True)
def _row_buffers(x1, x2, c, block):  # pragma: no cover - compiled
    """Transposed row blocks ``(n, block)`` for the two inputs and the output-sized array ``c``."""
    return (np.empty((x1.shape[1], block), dtype=x1.dtype), np.empty((x2.shape[1], block), dtype=x2.dtype),
            np.empty((c.shape[1], block), dtype=c.dtype))


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
    nrun = pk1.shape[0]
    t1, t2, t3 = _row_buffers(x1, x2, out, block)
    p = np.empty(block, dtype=out.dtype)
    for start in range(row0, row1, block):
        nb = min(block, row1 - start)
        _load_rows(x1, start, nb, t1)
        _load_rows(x2, start, nb, t2)
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
        _store_rows(t3, start, nb, out)


@njit(cache=True, nogil=True)
def gaunt_outputs_kernel(x1, x2, pk1, pk2, psym, ostart, orun, ovalues, row0, row1, block,
                         out):  # pragma: no cover - compiled
    """The product of :func:`gaunt_pairs_kernel`, output coefficient by output coefficient.

    Per block of rows, the products of all index pairs ``P (npairs, block)`` are formed first
    (run ``r`` as in :func:`gaunt_pairs_kernel`); then output ``k`` sums its terms
    ``ovalues[i] P[orun[i]]`` for ``ostart[k] <= i < ostart[k+1]``, four at a time, so that
    the output row is loaded and stored once per four terms (the pair-by-pair order stores it
    once per term). Needs ``npairs x block`` values of scratch: for tables whose pair
    products fit in the L2 cache.
    """
    _outputs_rows(x1, x2, pk1, pk2, psym, ostart, orun, ovalues, row0, row1, block, False, out)


@njit(cache=True, nogil=True)
def gaunt_outputs64_kernel(x1, x2, pk1, pk2, psym, ostart, orun, ovalues, row0, row1,
                           out):  # pragma: no cover - compiled
    """:func:`gaunt_outputs_kernel` in blocks of exactly 64 rows (the last one padded): loops of
    a length known to the compiler, which unrolls them without a remainder."""
    _outputs_rows(x1, x2, pk1, pk2, psym, ostart, orun, ovalues, row0, row1, 64, True, out)


@njit(cache=True, nogil=True)
def gaunt_outputs128_kernel(x1, x2, pk1, pk2, psym, ostart, orun, ovalues, row0, row1,
                            out):  # pragma: no cover - compiled
    """:func:`gaunt_outputs_kernel` in blocks of exactly 128 rows (see :func:`gaunt_outputs64_kernel`)."""
    _outputs_rows(x1, x2, pk1, pk2, psym, ostart, orun, ovalues, row0, row1, 128, True, out)


@njit(inline="always")
def _outputs_rows(x1, x2, pk1, pk2, psym, ostart, orun, ovalues, row0, row1, block, pad,
                  out):  # pragma: no cover - compiled
    """Body of the output-ordered kernels: with ``pad``, every block runs all ``block`` rows (the
    rows past the end of the last block hold zeros or the previous block's values and are not
    stored); inlined, so that a constant ``block`` reaches the compiler as such."""
    nrun = pk1.shape[0]
    n3 = ostart.shape[0] - 1
    t1 = np.zeros((x1.shape[1], block), dtype=x1.dtype)
    t2 = np.zeros((x2.shape[1], block), dtype=x2.dtype)
    t3 = np.empty((n3, block), dtype=out.dtype)
    P = np.empty((nrun, block), dtype=out.dtype)
    for start in range(row0, row1, block):
        nb = min(block, row1 - start)
        n = block if pad else nb
        _load_rows(x1, start, nb, t1)
        _load_rows(x2, start, nb, t2)
        for r in range(nrun):
            i1 = pk1[r]
            i2 = pk2[r]
            if psym[r]:
                for b in range(n):
                    P[r, b] = t1[i1, b] * t2[i2, b] + t1[i2, b] * t2[i1, b]
            else:
                for b in range(n):
                    P[r, b] = t1[i1, b] * t2[i2, b]
        for k in range(n3):
            for b in range(n):
                t3[k, b] = 0.0
            i = ostart[k]
            stop = ostart[k + 1]
            while i + 4 <= stop:
                v0 = ovalues[i]
                v1 = ovalues[i + 1]
                v2 = ovalues[i + 2]
                v3 = ovalues[i + 3]
                r0 = orun[i]
                r1 = orun[i + 1]
                r2 = orun[i + 2]
                r3 = orun[i + 3]
                for b in range(n):
                    t3[k, b] += (v0 * P[r0, b] + v1 * P[r1, b]) + (v2 * P[r2, b] + v3 * P[r3, b])
                i += 4
            while i < stop:
                v0 = ovalues[i]
                r0 = orun[i]
                for b in range(n):
                    t3[k, b] += v0 * P[r0, b]
                i += 1
        _store_rows(t3, start, nb, out)


@njit(cache=True, nogil=True)
def gaunt_pairs_vjp_kernel(x1, x2, g, pk1, pk2, psym, runs, k3, values, row0, row1, block, gx1,
                           gx2):  # pragma: no cover - compiled
    """Gradients of ``sum_k3 g[b, k3] out[b, k3]`` for the product of :func:`gaunt_pairs_kernel`.

    One pass over the runs: ``q = sum_i values[i] g[b, k3[i]]`` per run (its terms four at a
    time, so that ``q`` is stored once per four terms), then ``gx1[k1] += q x2[k2]``,
    ``gx2[k2] += q x1[k1]`` (and the mirrored pair for symmetric runs); rows
    ``row0 <= b < row1`` of ``gx1 (B, n1)``, ``gx2 (B, n2)`` are overwritten.
    """
    nrun = pk1.shape[0]
    t1, t2, t3 = _row_buffers(x1, x2, g, block)
    u1 = np.empty(t1.shape, dtype=gx1.dtype)
    u2 = np.empty(t2.shape, dtype=gx2.dtype)
    q = np.empty(block, dtype=g.dtype)
    for start in range(row0, row1, block):
        nb = min(block, row1 - start)
        _load_rows(x1, start, nb, t1)
        _load_rows(x2, start, nb, t2)
        _load_rows(g, start, nb, t3)
        u1[:, :nb] = 0.0
        u2[:, :nb] = 0.0
        for r in range(nrun):
            i = runs[r]
            stop = runs[r + 1]
            n = min(stop - i, 4)  # the first terms set q
            j0 = k3[i]
            v0 = values[i]
            if n == 4:
                j1, j2, j3 = k3[i + 1], k3[i + 2], k3[i + 3]
                v1, v2, v3 = values[i + 1], values[i + 2], values[i + 3]
                for b in range(nb):
                    q[b] = (v0 * t3[j0, b] + v1 * t3[j1, b]) + (v2 * t3[j2, b] + v3 * t3[j3, b])
            elif n == 3:
                j1, j2 = k3[i + 1], k3[i + 2]
                v1, v2 = values[i + 1], values[i + 2]
                for b in range(nb):
                    q[b] = (v0 * t3[j0, b] + v1 * t3[j1, b]) + v2 * t3[j2, b]
            elif n == 2:
                j1 = k3[i + 1]
                v1 = values[i + 1]
                for b in range(nb):
                    q[b] = v0 * t3[j0, b] + v1 * t3[j1, b]
            else:
                for b in range(nb):
                    q[b] = v0 * t3[j0, b]
            i += n
            while i + 4 <= stop:
                j0, j1, j2, j3 = k3[i], k3[i + 1], k3[i + 2], k3[i + 3]
                v0, v1, v2, v3 = values[i], values[i + 1], values[i + 2], values[i + 3]
                for b in range(nb):
                    q[b] += (v0 * t3[j0, b] + v1 * t3[j1, b]) + (v2 * t3[j2, b] + v3 * t3[j3, b])
                i += 4
            while i < stop:
                j0 = k3[i]
                v0 = values[i]
                for b in range(nb):
                    q[b] += v0 * t3[j0, b]
                i += 1
            a = pk1[r]
            c = pk2[r]
            if psym[r]:
                for b in range(nb):
                    qb = q[b]
                    u1[a, b] += qb * t2[c, b]
                    u2[c, b] += qb * t1[a, b]
                    u1[c, b] += qb * t2[a, b]
                    u2[a, b] += qb * t1[c, b]
            else:
                for b in range(nb):
                    qb = q[b]
                    u1[a, b] += qb * t2[c, b]
                    u2[c, b] += qb * t1[a, b]
        _store_rows(u1, start, nb, gx1)
        _store_rows(u2, start, nb, gx2)
