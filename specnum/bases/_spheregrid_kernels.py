"""Numba kernels of the sphere-grid transforms (internal; import only numpy, numba, math).

Kernels assume validated, C-contiguous input of one float dtype and preallocated output.
Layouts (one block of ``nb`` rows; see :mod:`specnum.bases.spheregrid`):

* flat coefficients ``c (B, K)``, index ``l*l + l + m``;
* items: per item ``i`` a ``(nb, kpad[i])`` matrix at ``offset[i] * nb`` in a flat buffer;
  coefficient ``k`` of a row ``b`` sits at ``base[k] + b * stride[k]`` (other slots: padding);
* folded values ``E`` and ``O``, both ``(2, nb, nh, nE)``: the parts even (``[0]``) and odd
  (``[1]``) under ``theta -> pi - theta`` at the ``nh`` northern latitudes, even (``E``) and
  odd (``O``) under ``phi -> -phi`` at ``phi_j``, ``j = 0..nE-1`` (``O`` is zero at ``j = 0``
  and at ``phi = pi``): ``f(theta_t, +-phi_j) = (E[0] +- O[0]) + (E[1] +- O[1])`` and
  ``f(pi - theta_t, +-phi_j) = (E[0] +- O[0]) - (E[1] +- O[1])``;
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
def unfold_values(E, O, nt, nphi, nbv, V):  # pragma: no cover - compiled
    """Grid values ``V[:nbv] (nbv, nt, nphi)`` from folded values ``E``, ``O``."""
    nh = E.shape[2]
    nE = E.shape[3]
    nO = (nphi - 1) // 2
    for b in range(nbv):
        for t in range(nh):
            s = nt - 1 - t
            for j in range(nE):
                en = E[0, b, t, j] + E[1, b, t, j]
                es = E[0, b, t, j] - E[1, b, t, j]
                if 1 <= j <= nO:
                    on = O[0, b, t, j] + O[1, b, t, j]
                    os_ = O[0, b, t, j] - O[1, b, t, j]
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
def fold_values(V, row0, nb, nh, E, O):  # pragma: no cover - compiled
    """Folded values ``E``, ``O`` of grid values ``V[row0 : row0 + nb]`` (zero past the last row)."""
    nt = V.shape[1]
    nphi = V.shape[2]
    nE = E.shape[3]
    nO = (nphi - 1) // 2
    nbv = min(nb, V.shape[0] - row0)
    for b in range(nb):
        for t in range(nh):
            s = nt - 1 - t
            for j in range(nE):
                if b >= nbv:
                    E[0, b, t, j] = 0.0
                    E[1, b, t, j] = 0.0
                    O[0, b, t, j] = 0.0
                    O[1, b, t, j] = 0.0
                    continue
                if 1 <= j <= nO:
                    vn = 0.5 * (V[row0 + b, t, j] + V[row0 + b, t, nphi - j])
                    wn = 0.5 * (V[row0 + b, t, j] - V[row0 + b, t, nphi - j])
                    vs = 0.5 * (V[row0 + b, s, j] + V[row0 + b, s, nphi - j])
                    ws = 0.5 * (V[row0 + b, s, j] - V[row0 + b, s, nphi - j])
                    O[0, b, t, j] = 0.5 * (wn + ws)
                    O[1, b, t, j] = 0.5 * (wn - ws)
                else:
                    vn = V[row0 + b, t, j]
                    vs = V[row0 + b, s, j]
                    O[0, b, t, j] = 0.0
                    O[1, b, t, j] = 0.0
                E[0, b, t, j] = 0.5 * (vn + vs)
                E[1, b, t, j] = 0.5 * (vn - vs)
