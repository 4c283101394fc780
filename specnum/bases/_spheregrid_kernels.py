"""Numba kernels of the sphere-grid transforms (internal; import only numpy, numba, math).

Kernels assume validated, C-contiguous input of one float dtype and preallocated output.
Layouts (one block of ``nb`` rows; see :mod:`specnum.bases.spheregrid`):

* flat coefficients ``c (B, K)``, index ``l*l + l + m``;
* items, *rows* layout (dense plans, and separable ones without ``lines``): per item ``i`` a
  ``(nb, kpad[i])`` matrix at ``offset[i] * nb + shift[i]`` in a flat buffer; coefficient ``k``
  of a row ``b`` sits at ``item_off[k] * nb + col[k] + b * stride[k]`` (``col`` includes the
  item's ``shift``; other slots: padding);
* items, *lines* layout (separable plans with ``lines = ints[5]``): the buffer is a matrix of
  lines of ``ld = line_length(nb)`` values, item ``i`` the ``(kpad[i], nb)`` matrix of lines
  ``offset[i]..``, coefficient ``k`` of row ``b`` at ``item_off[k] * ld + b``; the matrix
  products along ``theta`` then run along the block's rows (long vectors) instead of the
  few coefficients of an item;
* latitude sums (separable route) ``lat (lmax + 1, 2, 2, X)``, flat: ``[q, p, cs]`` holds
  the cosine (``cs = 0``) or sine part of the order at position ``q`` of the buffer, parity ``p``,
  as ``X = (nb, nh)`` (rows) or ``(nh, nb)`` (lines) (items ``(m, p, cs)`` in that order too,
  so that with rows both parts of an order and parity are one ``(2 nb, kp)`` matrix);
* folded values ``E`` and ``O``, both ``(R, 2, nb, nh, nA)`` (dense plans and rows), or
  ``(R, 2, nh, nb, nA)`` (lines), or, azimuth-major (separable plans only, where both azimuthal
  matrix products read their operands unstrided), ``(R, 2, nA, Y)`` with ``Y = (nb, nh)``
  (rows) or ``(nh, nb)`` (lines; a block holding two sources stores, per azimuth, the
  ``(nh, nb / 2)`` values of the first, then the second's): the parts with sign ``(-1)^p``
  under ``theta -> pi - theta`` (``[:, p]``) and ``(-1)^r`` under ``phi -> pi - phi``
  (``[r]``, only when ``R = 2``), even (``E``) and odd (``O``) under ``phi -> -phi``, at the
  ``nh`` northern latitudes and the azimuths ``phi_j``, ``j < nA`` (``O`` is zero at
  ``phi = 0`` and ``phi = pi``): ``f(theta_t, +-phi_j) = sum_{r,p} (E[r,p] +- O[r,p])``,
  southern latitudes with the sign ``(-1)^p``, azimuths ``pi -+ phi_j`` with ``(-1)^r``;
* grid values ``V (nb, nt, nphi)``.
"""

from __future__ import annotations

import numpy as np
from numba import njit, types

__all__ = ["line_length", "synthesis_block", "analysis_block", "unfold_values", "fold_values"]

# BLAS gemm (column-major) through numba's helper library, which calls the library of
# scipy.linalg.cython_blas that numba's np.dot uses: unlike np.dot it takes strided matrices
_XXGEMM = types.ExternalFunction("numba_xxgemm", types.intc(
    types.char, types.char, types.char, types.intp, types.intp, types.intp, types.voidptr, types.voidptr,
    types.intp, types.voidptr, types.intp, types.voidptr, types.voidptr, types.intp))


@njit(cache=True, nogil=True)
def _gemm(ta, tb, a, lda, b, ldb, c, ldc, m, n, k, scal):  # pragma: no cover - compiled
    """Row-major ``c (m, n) = op(a) @ op(b)`` on flat arrays that start at the matrices, rows
    ``lda``, ``ldb``, ``ldc`` elements apart: ``op(a) = a`` ``(m, k)`` or, with ``ta``, the
    transpose of ``a`` ``(k, m)``; likewise ``op(b)`` ``(k, n)`` with ``tb``; ``scal = (1, 0)`` in
    the dtype (the BLAS alpha and beta)."""
    _XXGEMM(100 if c.itemsize == 8 else 115, 116 if tb else 110, 116 if ta else 110, n, m, k, scal[0:1].ctypes,
            b.ctypes, ldb, a.ctypes, lda, scal[1:2].ctypes, c.ctypes, ldc)


@njit(cache=True, nogil=True)
def line_length(nb, itemsize):  # pragma: no cover - compiled
    """Values per line of a separable plan's block buffer of ``nb`` rows: ``nb``, plus one cache
    line (64 bytes) when ``nb`` values fill an even number of cache lines. Lines a multiple of
    128 bytes apart fall into half the sets of the cache or fewer, and the gather and scatter of
    the coefficients, which touch one line per coefficient for each row, would evict their own
    lines."""
    per = 64 // itemsize
    return nb + per if nb % (2 * per) == 0 else nb


@njit(cache=True, nogil=True)
def _gather(c, row0, nb, b0, base, stride, buf):  # pragma: no cover - compiled
    """``buf[base[k] + (b0 + b) stride[k]] = c[row0 + b, k]`` for ``b < nb`` (past the end of ``c``:
    0): coefficient ``k`` lands in its item's ``(nbt, kpad)`` block of a buffer of ``nbt`` rows
    (``base = item_off nbt + col``); padding slots are never written."""
    K = c.shape[1]
    nbv = max(0, min(nb, c.shape[0] - row0))
    for b in range(nbv):
        for k in range(K):
            buf[base[k] + (b0 + b) * stride[k]] = c[row0 + b, k]
    for b in range(nbv, nb):
        for k in range(K):
            buf[base[k] + (b0 + b) * stride[k]] = 0.0


@njit(cache=True, nogil=True)
def _scatter(buf, nbt, base, stride, row0, out):  # pragma: no cover - compiled
    """Inverse of :func:`_gather`: ``out[row0 + b, k]`` from the block buffer (rows past ``out``: dropped)."""
    K = out.shape[1]
    for b in range(min(nbt, out.shape[0] - row0)):
        for k in range(K):
            out[row0 + b, k] = buf[base[k] + b * stride[k]]


@njit(cache=True, nogil=True)
def _mat(flat, off, rows, cols):  # pragma: no cover - compiled
    """The ``(rows, cols)`` C-ordered matrix stored at ``flat[off:]``."""
    return flat[off:off + rows * cols].reshape((rows, cols))


@njit(cache=True, nogil=True)
def synthesis_block(plan, c1, c2, nsrc, start, nb, E, O, buf, base, lat, amaj):  # pragma: no cover - compiled
    """Folded values ``E``, ``O`` (``(R, 2, nb, nh, nA)``, with ``amaj`` azimuth-major) of a block of
    ``nb`` coefficient rows.

    ``plan`` is the table tuple of :func:`specnum.bases._spheregrid_tables.build_tables`.
    The block holds rows ``start .. start + nb / nsrc`` of ``c1`` and, with ``nsrc = 2``, the
    same rows of ``c2`` after them. ``buf`` (zeroed once: padding slots stay zero) and ``lat``
    are the block's item and latitude buffers, ``base = item_off * nb + col`` the coefficients'
    slots in row 0 of ``buf``.
    """
    ints, item_off, col, stride, offset, shift, groups, toff, S, A, az, foff, Fs, Fa = plan
    nh, R, nA = ints[2], ints[3], ints[4]
    part = nb // nsrc
    for s in range(nsrc):
        _gather(c1 if s == 0 else c2, start, part, s * part, base, stride, buf)
    if ints[0]:  # one matrix per class c = (2 cs + p) R + r
        for c in range(4 * R):
            cs, p, r = c // (2 * R), (c // R) % 2, c % R
            kc = offset[c + 1] - offset[c]
            dst = (E if cs == 0 else O)[r, p].reshape((nb, nh * nA))
            if kc == 0:
                dst[:] = 0.0
            else:
                np.dot(_mat(buf, offset[c] * nb + shift[c], nb, kc), _mat(S, toff[c], kc, nh * nA), dst)
        return
    NB = nb * nh
    scal = np.array([1.0, 0.0], dtype=E.dtype)
    if ints[5]:  # lines: lat[q, p, cs] (nh, nb) = S^T @ item (kp, nb)
        ld = line_length(nb, E.itemsize)
        ns = nsrc if amaj else 1  # azimuth-major: the sources' halves one after the other
        ncol = nb // ns
        for g in range(groups.shape[0]):
            q0, q1, kp, i0 = groups[g, 0], groups[g, 1], groups[g, 2], groups[g, 3]
            for qi in range(q1 - q0):
                for p in range(2):
                    for cs in range(2 if q0 + qi > 0 else 1):  # (no sine of order 0)
                        it = i0 + (2 * qi + p) * 2 + cs
                        for h in range(ns):
                            _gemm(True, False, S[toff[g] + (2 * qi + p) * kp * nh:], nh,
                                  buf[offset[it] * ld + h * ncol:], ld,
                                  lat[(((q0 + qi) * 2 + p) * 2 + cs) * NB + h * ncol * nh:], ncol, nh, ncol, kp, scal)
    else:  # rows: lat[q, p, cs] (nb, nh) = item (nb, kp) @ S, both parts of an order and parity at once
        for g in range(groups.shape[0]):
            q0, q1, kp, i0 = groups[g, 0], groups[g, 1], groups[g, 2], groups[g, 3]
            for qi in range(q1 - q0):
                for p in range(2):
                    it = i0 + (2 * qi + p) * 2
                    _gemm(False, False, buf[offset[it] * nb + shift[it]:], kp, S[toff[g] + (2 * qi + p) * kp * nh:],
                          nh, lat[((q0 + qi) * 2 + p) * 2 * NB:], nh, 2 * nb, nh, kp, scal)
    for r in range(R):  # sums over the orders of each class: cos (E) and sin (O) tables
        for cs in range(2):
            s0, s1 = az[r, cs, 0], az[r, cs, 1]
            for p in range(2):  # lat[s0:s1, p, cs]: (orders, nb nh), rows 4 nb nh apart
                dst = (E if cs == 0 else O)[r, p].reshape(-1)
                src = lat[((s0 * 2 + p) * 2 + cs) * NB:]
                if s1 <= s0:
                    dst[:] = 0.0
                elif amaj:  # (nA, nb nh) = table^T @ lat
                    _gemm(True, False, Fs[foff[r, cs]:], nA, src, 4 * NB, dst, NB, nA, NB, s1 - s0, scal)
                else:  # (nb nh, nA) = lat^T @ table
                    _gemm(True, False, src, 4 * NB, Fs[foff[r, cs]:], nA, dst, nA, NB, nA, s1 - s0, scal)


@njit(cache=True, nogil=True)
def analysis_block(plan, E, O, out, start, nb, buf, base, lat, amaj):  # pragma: no cover - compiled
    """Quadrature of folded values ``E``, ``O`` (azimuth-major with ``amaj``) of a block into rows
    ``out[start : start + nb]`` (rows past the end of ``out`` dropped); the inverse steps of
    :func:`synthesis_block`."""
    ints, item_off, col, stride, offset, shift, groups, toff, S, A, az, foff, Fs, Fa = plan
    nh, R, nA = ints[2], ints[3], ints[4]
    if ints[0]:
        for c in range(4 * R):
            cs, p, r = c // (2 * R), (c // R) % 2, c % R
            kc = offset[c + 1] - offset[c]
            if kc > 0:
                src = (E if cs == 0 else O)[r, p].reshape((nb, nh * nA))
                np.dot(src, _mat(A, toff[c], nh * nA, kc), _mat(buf, offset[c] * nb + shift[c], nb, kc))
    else:
        NB = nb * nh
        scal = np.array([1.0, 0.0], dtype=E.dtype)
        for r in range(R):
            for cs in range(2):
                s0, s1 = az[r, cs, 0], az[r, cs, 1]
                for p in range(2):  # lat[s0:s1, p, cs] (orders, nb nh) = table @ E[r, p]
                    src = (E if cs == 0 else O)[r, p].reshape(-1)
                    dst = lat[((s0 * 2 + p) * 2 + cs) * NB:]
                    if s1 > s0:
                        _gemm(False, not amaj, Fa[foff[r, cs]:], nA, src, NB if amaj else nA, dst, 4 * NB, s1 - s0,
                              NB, nA, scal)
        for g in range(groups.shape[0]):
            q0, q1, kp, i0 = groups[g, 0], groups[g, 1], groups[g, 2], groups[g, 3]
            for qi in range(q1 - q0):
                for p in range(2):
                    it = i0 + (2 * qi + p) * 2
                    Ag = A[toff[g] + (2 * qi + p) * nh * kp:]
                    src = lat[((q0 + qi) * 2 + p) * 2 * NB:]
                    if not ints[5]:  # the cosine and sine items (2 nb, kp) in one product
                        _gemm(False, False, src, nh, Ag, kp, buf[offset[it] * nb + shift[it]:], kp, 2 * nb, kp, nh,
                              scal)
                        continue
                    ld = line_length(nb, E.itemsize)
                    for cs in range(2 if q0 + qi > 0 else 1):  # item (kp, nb) = A^T @ lat[q, p, cs] (nh, nb)
                        _gemm(True, False, Ag, kp, src[cs * NB:], nb, buf[offset[it + cs] * ld:], ld, kp, nb, nh, scal)
    _scatter(buf, nb, base, stride, start, out)


@njit(cache=True, nogil=True)
def _half_index(j, nA, nphi):  # pragma: no cover - compiled
    """Stored azimuth and sign of ``phi -> pi - phi`` of half-plane azimuth ``j <= nphi // 2``
    (``R = 2``: ``j < nA`` is stored, ``nphi/2 - j`` is its mirror)."""
    if j < nA:
        return j, 1.0
    return nphi // 2 - j, -1.0


@njit(cache=True, nogil=True)
def unfold_values(E, O, nt, nphi, nbv, V):  # pragma: no cover - compiled
    """Grid values ``V[:nbv] (nbv, nt, nphi)`` from folded values ``E``, ``O``."""
    R = E.shape[0]
    nh = E.shape[3]
    nA = E.shape[4]
    nO = (nphi - 1) // 2
    for b in range(nbv):
        for t in range(nh):
            s = nt - 1 - t
            for j in range(nphi // 2 + 1):
                jj, v = _half_index(j, nA, nphi) if R == 2 else (j, 1.0)
                e0 = E[0, 0, b, t, jj]
                e1 = E[0, 1, b, t, jj]
                o0 = O[0, 0, b, t, jj]
                o1 = O[0, 1, b, t, jj]
                if R == 2:
                    e0 += v * E[1, 0, b, t, jj]
                    e1 += v * E[1, 1, b, t, jj]
                    o0 += v * O[1, 0, b, t, jj]
                    o1 += v * O[1, 1, b, t, jj]
                en = e0 + e1
                es = e0 - e1
                if 1 <= j <= nO:
                    on = o0 + o1
                    os_ = o0 - o1
                    V[b, t, j] = en + on
                    V[b, t, nphi - j] = en - on
                    if s != t:
                        V[b, s, j] = es + os_
                        V[b, s, nphi - j] = es - os_
                else:
                    V[b, t, j] = en
                    if s != t:
                        V[b, s, j] = es


@njit(cache=True, nogil=True)
def _half_parts(V, row, t, s, j, nphi, nO):  # pragma: no cover - compiled
    """Parts ``(e0, e1, o0, o1)`` of grid values at half-plane azimuth ``j`` (see fold_values)."""
    if 1 <= j <= nO:
        vn = 0.5 * (V[row, t, j] + V[row, t, nphi - j])
        wn = 0.5 * (V[row, t, j] - V[row, t, nphi - j])
        vs = 0.5 * (V[row, s, j] + V[row, s, nphi - j])
        ws = 0.5 * (V[row, s, j] - V[row, s, nphi - j])
        return 0.5 * (vn + vs), 0.5 * (vn - vs), 0.5 * (wn + ws), 0.5 * (wn - ws)
    vn = V[row, t, j]
    vs = V[row, s, j]
    return 0.5 * (vn + vs), 0.5 * (vn - vs), 0.0, 0.0


@njit(cache=True, nogil=True)
def fold_values(V, row0, nb, nh, E, O):  # pragma: no cover - compiled
    """Folded values ``E``, ``O`` of grid values ``V[row0 : row0 + nb]`` (zero past the last row)."""
    R = E.shape[0]
    nt = V.shape[1]
    nphi = V.shape[2]
    nA = E.shape[4]
    nO = (nphi - 1) // 2
    nbv = min(nb, V.shape[0] - row0)
    for b in range(nb):
        for t in range(nh):
            s = nt - 1 - t
            for j in range(nA):
                if b >= nbv:
                    for r in range(R):
                        E[r, 0, b, t, j] = 0.0
                        E[r, 1, b, t, j] = 0.0
                        O[r, 0, b, t, j] = 0.0
                        O[r, 1, b, t, j] = 0.0
                    continue
                e0, e1, o0, o1 = _half_parts(V, row0 + b, t, s, j, nphi, nO)
                if R == 1:
                    E[0, 0, b, t, j] = e0
                    E[0, 1, b, t, j] = e1
                    O[0, 0, b, t, j] = o0
                    O[0, 1, b, t, j] = o1
                else:  # the mirror azimuth pi - phi_j: even and odd parts under phi -> pi - phi
                    f0, f1, g0, g1 = _half_parts(V, row0 + b, t, s, nphi // 2 - j, nphi, nO)
                    E[0, 0, b, t, j] = 0.5 * (e0 + f0)
                    E[1, 0, b, t, j] = 0.5 * (e0 - f0)
                    E[0, 1, b, t, j] = 0.5 * (e1 + f1)
                    E[1, 1, b, t, j] = 0.5 * (e1 - f1)
                    O[0, 0, b, t, j] = 0.5 * (o0 + g0)
                    O[1, 0, b, t, j] = 0.5 * (o0 - g0)
                    O[0, 1, b, t, j] = 0.5 * (o1 + g1)
                    O[1, 1, b, t, j] = 0.5 * (o1 - g1)
