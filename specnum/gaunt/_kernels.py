"""Numba kernels of the Gaunt pillar (internal; import only numpy, numba, math).

Kernels assume validated, C-contiguous input and a preallocated output.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["gaunt_pairs_kernel", "gaunt_outputs_kernel", "gaunt_pairs_vjp_kernel", "folded_product",
           "folded_product8"]

@njit(cache=True, nogil=True)
def folded_product(a0, a1, b0, b1, c0, c1, d0, d1, e0, e1, o0, o1):  # pragma: no cover - compiled
    """Folded values of the pointwise product of two functions given by folded values.

    One flat, contiguous 1-D array per part, all of one length (the folded values of
    :class:`specnum.bases.spheregrid.SphereTransform` of a block of rows, each part ``E[p]``
    or ``O[p]`` raveled): the first factor ``a = E_a``, ``c = O_a``, the second ``b = E_b``,
    ``d = O_b``, the product ``e = E``, ``o = O``. The four symmetry classes multiply like the
    group Z2 x Z2: ``e0 = a0 b0 + a1 b1 + c0 d0 + c1 d1``, ``e1 = a0 b1 + a1 b0 + c0 d1 + c1 d0``,
    ``o0 = a0 d0 + a1 d1 + c0 b0 + c1 b1``, ``o1 = a0 d1 + a1 d0 + c0 b1 + c1 b0`` (``O`` is
    zero where ``phi -> -phi`` fixes the azimuth, and so is the product's).
    """
    for k in range(e0.shape[0]):
        e0[k] = (a0[k] * b0[k] + a1[k] * b1[k]) + (c0[k] * d0[k] + c1[k] * d1[k])
        e1[k] = (a0[k] * b1[k] + a1[k] * b0[k]) + (c0[k] * d1[k] + c1[k] * d0[k])
        o0[k] = (a0[k] * d0[k] + a1[k] * d1[k]) + (c0[k] * b0[k] + c1[k] * b1[k])
        o1[k] = (a0[k] * d1[k] + a1[k] * d0[k]) + (c0[k] * b1[k] + c1[k] * b0[k])


@njit(cache=True, nogil=True)
def folded_product8(a0, a1, a2, a3, a4, a5, a6, a7, b0, b1, b2, b3, b4, b5, b6, b7,
                    h0, h1, h2, h3, cs):  # pragma: no cover - compiled
    """Part ``cs`` (``0``: ``E``, ``1``: ``O``) of the folded values of a pointwise product on
    grids folded by three reflections.

    Part ``4 c + 2 r + p`` of each factor is ``E[r, p]`` (``c = 0``) or ``O[r, p]`` (``c = 1``)
    of :class:`specnum.bases.spheregrid.SphereTransform` with ``n_reflect = 2``, one flat
    contiguous array per part, all of one length; ``h0..h3`` receive the product's parts
    ``(r, p) = (0, 0), (0, 1), (1, 0), (1, 1)`` of class ``cs``. The classes multiply like the
    group ``Z2^3``: with ``F+- = f_{r=0} +- f_{r=1}`` (the values at ``phi_j`` and at
    ``pi - phi_j``) and likewise ``G+-``, ``H+- = F+- G+-`` by the rule of
    :func:`folded_product`, and ``h_{r=0} = (H+ + H-) / 2``, ``h_{r=1} = (H+ - H-) / 2``.
    One class per call keeps the loop's arrays few enough for the compiler's vector loop.
    """
    for k in range(h0.shape[0]):
        # values at phi_j (sums) and at pi - phi_j (differences), per (cs, p) class
        p0, p1, p4, p5 = a0[k] + a2[k], a1[k] + a3[k], a4[k] + a6[k], a5[k] + a7[k]
        q0, q1, q4, q5 = a0[k] - a2[k], a1[k] - a3[k], a4[k] - a6[k], a5[k] - a7[k]
        s0, s1, s4, s5 = b0[k] + b2[k], b1[k] + b3[k], b4[k] + b6[k], b5[k] + b7[k]
        t0, t1, t4, t5 = b0[k] - b2[k], b1[k] - b3[k], b4[k] - b6[k], b5[k] - b7[k]
        if cs == 1:  # the odd class pairs E with O: the same sums with the second factor's classes swapped
            s0, s1, s4, s5 = s4, s5, s0, s1
            t0, t1, t4, t5 = t4, t5, t0, t1
        e0 = (p0 * s0 + p1 * s1) + (p4 * s4 + p5 * s5)
        e1 = (p0 * s1 + p1 * s0) + (p4 * s5 + p5 * s4)
        f0 = (q0 * t0 + q1 * t1) + (q4 * t4 + q5 * t5)
        f1 = (q0 * t1 + q1 * t0) + (q4 * t5 + q5 * t4)
        h0[k] = 0.5 * (e0 + f0)
        h1[k] = 0.5 * (e1 + f1)
        h2[k] = 0.5 * (e0 - f0)
        h3[k] = 0.5 * (e1 - f1)


@njit(cache=True, nogil=True)
def _load_rows(x, start, nb, t):  # pragma: no cover - compiled
    """``t[k, b] = x[start + b, k]`` for ``b < nb``: a block of rows, transposed."""
    for b in range(nb):
        for k in range(x.shape[1]):
            t[k, b] = x[start + b, k]


@njit(cache=True, nogil=True)
def _store_rows(t, start, nb, out):  # pragma: no cover - compiled
    """``out[start + b, k] = t[k, b]`` for ``b < nb``."""
    for b in range(nb):
        for k in range(out.shape[1]):
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
    nrun = pk1.shape[0]
    n3 = ostart.shape[0] - 1
    t1, t2, t3 = _row_buffers(x1, x2, out, block)
    P = np.empty((nrun, block), dtype=out.dtype)
    for start in range(row0, row1, block):
        nb = min(block, row1 - start)
        _load_rows(x1, start, nb, t1)
        _load_rows(x2, start, nb, t2)
        for r in range(nrun):
            i1 = pk1[r]
            i2 = pk2[r]
            if psym[r]:
                for b in range(nb):
                    P[r, b] = t1[i1, b] * t2[i2, b] + t1[i2, b] * t2[i1, b]
            else:
                for b in range(nb):
                    P[r, b] = t1[i1, b] * t2[i2, b]
        for k in range(n3):
            for b in range(nb):
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
                for b in range(nb):
                    t3[k, b] += (v0 * P[r0, b] + v1 * P[r1, b]) + (v2 * P[r2, b] + v3 * P[r3, b])
                i += 4
            while i < stop:
                v0 = ovalues[i]
                r0 = orun[i]
                for b in range(nb):
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
