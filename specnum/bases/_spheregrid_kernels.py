"""Numba kernels of the sphere-grid transforms (internal; import only numpy, numba, math).

Kernels assume validated, C-contiguous input of one float dtype and preallocated output.
Layouts (one block of ``nb`` rows; see :mod:`specnum.bases.spheregrid`):

* flat coefficients ``c (B, K)``, index ``l*l + l + m``;
* items: per item ``i`` a ``(nb, kpad[i])`` matrix at ``offset[i] * nb`` in a flat buffer;
  coefficient ``k`` of a row ``b`` sits at ``base[k] + b * stride[k]`` (other slots: padding);
* folded values ``E`` and ``O``, both ``(R, 2, nb, nh, nA)``: the parts with sign ``(-1)^p``
  under ``theta -> pi - theta`` (``[:, p]``) and ``(-1)^r`` under ``phi -> pi - phi``
  (``[r]``, only when ``R = 2``), even (``E``) and odd (``O``) under ``phi -> -phi``, at the
  ``nh`` northern latitudes and the azimuths ``phi_j``, ``j < nA`` (``O`` is zero at
  ``phi = 0`` and ``phi = pi``): ``f(theta_t, +-phi_j) = sum_{r,p} (E[r,p] +- O[r,p])``,
  southern latitudes with the sign ``(-1)^p``, azimuths ``pi -+ phi_j`` with ``(-1)^r``;
* grid values ``V (nb, nt, nphi)``.
"""

from __future__ import annotations

from numba import njit

__all__ = ["gather_items", "scatter_items", "unfold_values", "fold_values"]


@njit(cache=True, nogil=True)
def gather_items(c, row0, nb, b0, base, stride, buf):  # pragma: no cover - compiled
    """``buf[base[k] + (b0 + b) * stride[k]] = c[row0 + b, k]`` for ``b < nb`` (past the end of ``c``: 0).

    Coefficient ``k`` lands in its item's ``(rows, kpad)`` block (``base`` holds the block's
    offset plus the column, ``stride`` its ``kpad``); padding slots are never written.
    """
    K = c.shape[1]
    nbv = max(0, min(nb, c.shape[0] - row0))
    for b in range(nbv):
        for k in range(K):
            buf[base[k] + (b0 + b) * stride[k]] = c[row0 + b, k]
    for b in range(nbv, nb):
        for k in range(K):
            buf[base[k] + (b0 + b) * stride[k]] = 0.0


@njit(cache=True, nogil=True)
def scatter_items(buf, base, stride, nb, row0, out):  # pragma: no cover - compiled
    """Inverse of :func:`gather_items`: ``out[row0 + b, k] = buf[base[k] + b * stride[k]]``."""
    K = out.shape[1]
    nbv = min(nb, out.shape[0] - row0)
    for b in range(nbv):
        for k in range(K):
            out[row0 + b, k] = buf[base[k] + b * stride[k]]


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
