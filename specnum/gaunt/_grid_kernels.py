"""Numba kernels of the grid route of Gaunt products (internal; imports only numpy, numba and the
block kernels of :mod:`specnum.bases._spheregrid_kernels`).

Pointwise products of folded grid values (the layouts of
:class:`specnum.bases.spheregrid.SphereTransform`) and the blockwise pipelines (synthesis of
the factors, product, analysis) over a range of rows, run as one call per worker thread so
that the threads never wait for each other between the steps of a block.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from specnum.bases._spheregrid_kernels import analysis_block, synthesis_block

__all__ = ["folded_product", "folded_product8", "folded_mul", "product_rows", "product_vjp_rows"]


@njit(cache=True, nogil=True)
def _slots(geo, i):  # pragma: no cover - compiled
    """Unsigned starts of row ``i`` of both factors and of the product (``geo`` of :func:`folded_mul`):
    unsigned indices need no wrap-around test, which keeps the inner loops vectorised."""
    n = np.uint64(geo[1])
    return (np.uint64(geo[2] + i * geo[3]), np.uint64(geo[4] + i * geo[5]), np.uint64(i) * n, n)


@njit(cache=True, nogil=True)
def folded_product(a0, a1, b0, b1, c0, c1, d0, d1, e0, e1, o0, o1, geo):  # pragma: no cover - compiled
    """Folded values of the pointwise product of two functions given by folded values.

    One flat 1-D array per part (the folded values of
    :class:`specnum.bases.spheregrid.SphereTransform` of a block of rows, each part ``E[p]``
    or ``O[p]`` raveled): the first factor ``a = E_a``, ``c = O_a``, the second ``b = E_b``,
    ``d = O_b``, the product ``e = E``, ``o = O``; ``geo = (rows, n, xa, sa, xb, sb)``: row ``i``
    of ``n`` values starts at ``xa + i sa`` in the first factor's parts, ``xb + i sb`` in the
    second's and ``i n`` in the product's. The four symmetry classes multiply like the
    group Z2 x Z2: ``e0 = a0 b0 + a1 b1 + c0 d0 + c1 d1``, ``e1 = a0 b1 + a1 b0 + c0 d1 + c1 d0``,
    ``o0 = a0 d0 + a1 d1 + c0 b0 + c1 b1``, ``o1 = a0 d1 + a1 d0 + c0 b1 + c1 b0`` (``O`` is
    zero where ``phi -> -phi`` fixes the azimuth, and so is the product's).
    """
    for i in range(geo[0]):
        x, y, z, n = _slots(geo, i)
        for k in range(n):
            u, v, w = x + k, y + k, z + k
            e0[w] = (a0[u] * b0[v] + a1[u] * b1[v]) + (c0[u] * d0[v] + c1[u] * d1[v])
            e1[w] = (a0[u] * b1[v] + a1[u] * b0[v]) + (c0[u] * d1[v] + c1[u] * d0[v])
            o0[w] = (a0[u] * d0[v] + a1[u] * d1[v]) + (c0[u] * b0[v] + c1[u] * b1[v])
            o1[w] = (a0[u] * d1[v] + a1[u] * d0[v]) + (c0[u] * b1[v] + c1[u] * b0[v])


@njit(cache=True, nogil=True)
def folded_product8(a0, a1, a2, a3, a4, a5, a6, a7, b0, b1, b2, b3, b4, b5, b6, b7,
                    h0, h1, h2, h3, cs, geo):  # pragma: no cover - compiled
    """Part ``cs`` (``0``: ``E``, ``1``: ``O``) of the folded values of a pointwise product on
    grids folded by three reflections.

    Part ``4 c + 2 r + p`` of each factor is ``E[r, p]`` (``c = 0``) or ``O[r, p]`` (``c = 1``)
    of :class:`specnum.bases.spheregrid.SphereTransform` with ``n_reflect = 2``, one flat
    array per part, rows as in :func:`folded_product` (``geo``); ``h0..h3`` receive the
    product's parts ``(r, p) = (0, 0), (0, 1), (1, 0), (1, 1)`` of class ``cs``. The classes
    multiply like the group ``Z2^3``: with ``F+- = f_{r=0} +- f_{r=1}`` (the values at ``phi_j``
    and at ``pi - phi_j``) and likewise ``G+-``, ``H+- = F+- G+-`` by the rule of
    :func:`folded_product`, and ``h_{r=0} = (H+ + H-) / 2``, ``h_{r=1} = (H+ - H-) / 2``.
    One class per call keeps the loop's arrays few enough for the compiler's vector loop.
    """
    for i in range(geo[0]):
        x, y, z, n = _slots(geo, i)
        for k in range(n):
            u, v = x + k, y + k
            # values at phi_j (sums) and at pi - phi_j (differences), per (cs, p) class
            p0, p1, p4, p5 = a0[u] + a2[u], a1[u] + a3[u], a4[u] + a6[u], a5[u] + a7[u]
            q0, q1, q4, q5 = a0[u] - a2[u], a1[u] - a3[u], a4[u] - a6[u], a5[u] - a7[u]
            s0, s1, s4, s5 = b0[v] + b2[v], b1[v] + b3[v], b4[v] + b6[v], b5[v] + b7[v]
            t0, t1, t4, t5 = b0[v] - b2[v], b1[v] - b3[v], b4[v] - b6[v], b5[v] - b7[v]
            if cs == 1:  # the odd class pairs E with O: the same sums with the second factor's classes swapped
                s0, s1, s4, s5 = s4, s5, s0, s1
                t0, t1, t4, t5 = t4, t5, t0, t1
            e0 = (p0 * s0 + p1 * s1) + (p4 * s4 + p5 * s5)
            e1 = (p0 * s1 + p1 * s0) + (p4 * s5 + p5 * s4)
            f0 = (q0 * t0 + q1 * t1) + (q4 * t4 + q5 * t5)
            f1 = (q0 * t1 + q1 * t0) + (q4 * t5 + q5 * t4)
            h0[z + k] = 0.5 * (e0 + f0)
            h1[z + k] = 0.5 * (e1 + f1)
            h2[z + k] = 0.5 * (e0 - f0)
            h3[z + k] = 0.5 * (e1 - f1)


@njit(cache=True, nogil=True)
def _parts(X):  # pragma: no cover - compiled
    """Parts ``X[r, p]`` raveled for ``(r, p) = (0, 0), (0, 1), (R-1, 0), (R-1, 1)``."""
    r1 = X.shape[0] - 1
    return X[0, 0].reshape(-1), X[0, 1].reshape(-1), X[r1, 0].reshape(-1), X[r1, 1].reshape(-1)


@njit(cache=True, nogil=True)
def folded_mul(XE, XO, sx, YE, YO, sy, HE, HO, amaj):  # pragma: no cover - compiled
    """Folded values ``(HE, HO)`` of the product of the functions given by ``(XE, XO)`` and
    ``(YE, YO)``, all of one layout of :meth:`SphereTransform.folded_buffers` (azimuth-major
    with ``amaj``). A factor with twice the product's rows holds two sources
    (:meth:`SphereTransform.folded_synthesis` of a pair); ``sx`` (``sy``), 0 or 1, picks one."""
    rows = HE.shape[2] if amaj else 1  # azimuth by azimuth, or all at once
    n = HE[0, 0].size // rows
    lx, ly = XE[0, 0].size // rows, YE[0, 0].size // rows
    geo = (1, rows * n, 0, 0, 0, 0) if lx == n and ly == n else (rows, n, sx * n, lx, sy * n, ly)
    a0, a1, a2, a3 = _parts(XE)
    a4, a5, a6, a7 = _parts(XO)
    b0, b1, b2, b3 = _parts(YE)
    b4, b5, b6, b7 = _parts(YO)
    if HE.shape[0] == 2:
        for cs in range(2):
            h0, h1, h2, h3 = _parts(HE if cs == 0 else HO)
            folded_product8(a0, a1, a2, a3, a4, a5, a6, a7, b0, b1, b2, b3, b4, b5, b6, b7, h0, h1, h2, h3, cs, geo)
    else:
        e0, e1, _, _ = _parts(HE)
        o0, o1, _, _ = _parts(HO)
        folded_product(a0, a1, b0, b1, a4, a5, b4, b5, e0, e1, o0, o1, geo)


@njit(cache=True, nogil=True)
def product_rows(p1, p2, po, a1, a2, out, start, stop, nb, same, amaj, f1, f2, h, w1, w2, wo):  # pragma: no cover
    """Gaunt products ``out[b] = P_lo(f1 f2)`` of the rows ``start <= b < stop`` of ``a1``, ``a2``, in
    blocks of ``nb`` rows.

    ``p1``, ``p2``, ``po``: the plans' table tuples; ``f1``, ``f2``, ``h``: folded buffers
    ``(E, O)``; ``w1``, ``w2``, ``wo``: ``SphereTransform.workspace`` tuples. With
    ``same`` (equal plans ``p1``, ``p2``) pass ``f2 = f1`` and ``w2 = w1`` of ``2 nb`` rows: both
    factors go through one synthesis (the block's first half ``a1``, its second half ``a2``).
    ``amaj``: the folded buffers are azimuth-major (all three plans separable).
    """
    for s in range(start, stop, nb):
        if same:
            synthesis_block(p1, a1, a2, 2, s, 2 * nb, f1[0], f1[1], w1[0], w1[2], w1[3], amaj)
        else:
            synthesis_block(p1, a1, a1, 1, s, nb, f1[0], f1[1], w1[0], w1[2], w1[3], amaj)
            synthesis_block(p2, a2, a2, 1, s, nb, f2[0], f2[1], w2[0], w2[2], w2[3], amaj)
        folded_mul(f1[0], f1[1], 0, f2[0], f2[1], 1 if same else 0, h[0], h[1], amaj)
        analysis_block(po, h[0], h[1], out, s, nb, wo[1], wo[2], wo[3], amaj)


@njit(cache=True, nogil=True)
def product_vjp_rows(p1, p2, pg, a1, a2, g, out1, out2, start, stop, nb, amaj, f1, f2, fg, h, w1, w2,
                     wg):  # pragma: no cover - compiled
    """``out1 = P_l1(f2 g)`` and ``out2 = P_l2(f1 g)`` for the rows ``start <= b < stop`` (the
    gradients of ``sum g * product``), in blocks of ``nb`` rows; buffers as in :func:`product_rows`."""
    for s in range(start, stop, nb):
        synthesis_block(p1, a1, a1, 1, s, nb, f1[0], f1[1], w1[0], w1[2], w1[3], amaj)
        synthesis_block(p2, a2, a2, 1, s, nb, f2[0], f2[1], w2[0], w2[2], w2[3], amaj)
        synthesis_block(pg, g, g, 1, s, nb, fg[0], fg[1], wg[0], wg[2], wg[3], amaj)
        folded_mul(f2[0], f2[1], 0, fg[0], fg[1], 0, h[0], h[1], amaj)
        analysis_block(p1, h[0], h[1], out1, s, nb, w1[1], w1[2], w1[3], amaj)
        folded_mul(f1[0], f1[1], 0, fg[0], fg[1], 0, h[0], h[1], amaj)
        analysis_block(p2, h[0], h[1], out2, s, nb, w2[1], w2[2], w2[3], amaj)
