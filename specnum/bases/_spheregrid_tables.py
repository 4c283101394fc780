"""Tables of the sphere-grid transform plans (internal; see :mod:`specnum.bases.spheregrid`).

Latitude factors at the northern Gauss-Legendre nodes (parity gives the southern ones),
cosine and sine tables of the azimuths, the grouping of orders into batched matrix products,
the item layout of the block buffers, and the dense matrices per symmetry class.
"""

from __future__ import annotations

import numpy as np

from specnum.bases._legendre import _degree_order_cached, _eval_unit

__all__ = ["build_tables"]


def _north(grid) -> tuple[np.ndarray, np.ndarray, int]:
    """Latitude factors ``Y_{l,m}(theta_t, 0)`` at the northern nodes ``(nh, K)``, their
    quadrature weights (``2 w_t``; ``w_t`` on the equator) and ``nh``."""
    nh = (grid.n_theta + 1) // 2
    theta = grid.theta[:nh]
    qw = 2.0 * grid.theta_weights[:nh]
    if grid.n_theta % 2:
        qw[-1] *= 0.5
    return theta, qw, nh


def _legendre_factors(lmax: int, theta: np.ndarray, equator: bool) -> np.ndarray:
    pts = np.zeros((theta.size, 3))
    pts[:, 0] = np.sin(theta)
    pts[:, 2] = np.cos(theta)
    y = _eval_unit(lmax, pts, "integral", False)  # (nh, K): sqrt2 N Pbar (m > 0), N P (m = 0)
    if equator:  # parity: Y_{l,m}(pi/2) = 0 exactly for odd l - m
        l, m = _degree_order_cached(lmax)
        y[-1, (l - np.abs(m)) % 2 == 1] = 0.0
    return y


def _azimuth_tables(lmax: int, n_phi: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``cos(m phi_j)`` and ``sin(m phi_j)`` for ``j < n_even`` (the sine exactly zero at
    ``phi = 0`` and ``phi = pi``), and the analysis factors ``2 pi / n_phi`` times the fold
    multiplicity (1 or 2) of node ``j``."""
    n_even = n_phi // 2 + 1
    m = np.arange(lmax + 1)[:, None]
    j = np.arange(n_even)[None, :]
    ang = 2.0 * np.pi * ((m * j) % n_phi) / n_phi  # exact reduction of the angle
    fixed = (j == 0) | (2 * j == n_phi)  # the azimuths that phi -> -phi maps to themselves
    cos = np.cos(ang)
    sin = np.where(fixed, 0.0, np.sin(ang[1:]))
    mult = np.where(fixed, 1.0, 2.0) * (2.0 * np.pi / n_phi)
    return cos, sin, cos * mult, sin * mult


def _items_separable(lmax: int):
    """Items ``(m, cs, p)`` in groups of orders; item block ``k``: ``l = m + p + 2k``."""
    G = min(lmax + 1, max(1, -(-(lmax + 1) // 4)))  # groups of about 4 orders: padding ~ 1/8
    bounds = np.unique(np.linspace(0, lmax + 1, G + 1).round().astype(int))
    groups, rows, kp_list = [], [], []
    for m0, m1 in zip(bounds[:-1], bounds[1:]):
        kp = (lmax - m0) // 2 + 1
        groups.append((int(m0), int(m1), kp, len(rows)))
        for m in range(m0, m1):
            for cs in (0, 1):
                for p in (0, 1):
                    ls = np.arange(m + p, lmax + 1, 2)
                    idx = ls * ls + ls + (m if cs == 0 else -m)
                    if cs == 1 and m == 0:
                        idx = idx[:0]
                    rows.append(np.concatenate([idx, np.full(kp - idx.size, -1)]))
                    kp_list.append(kp)
    return groups, rows, kp_list


def _items_dense(lmax: int):
    l, m = _degree_order_cached(lmax)
    k = np.arange(l.size)
    rows = [k[(m >= 0) & ((l - m) % 2 == p)] for p in (0, 1)] + [k[(m < 0) & ((l + m) % 2 == p)] for p in (0, 1)]
    return rows, [r.size for r in rows]


def _pack_items(rows: list, kpads: list, ncoef: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Slots of the coefficients in item-major block buffers (item ``i``: a ``(nb, kpad[i])``
    matrix at ``offset[i] * nb``; ``rows[i][k]`` is the coefficient in column ``k``, ``-1``
    padding). Returns per coefficient its item's offset, its column and its item's ``kpad``
    (the slot of row ``b`` is ``offset * nb + column + b * kpad``), and the item offsets."""
    kpad = np.asarray(kpads, dtype=np.int64)
    offset = np.concatenate([[0], np.cumsum(kpad)]).astype(np.int64)
    item_off = np.zeros(ncoef, dtype=np.int64)
    col = np.zeros(ncoef, dtype=np.int64)
    stride = np.ones(ncoef, dtype=np.int64)
    for i, r in enumerate(rows):
        r = np.asarray(r, dtype=np.int64)
        cols = np.flatnonzero(r >= 0)
        item_off[r[cols]] = offset[i]
        col[r[cols]] = cols
        stride[r[cols]] = kpad[i]
    for a in (item_off, col, stride, offset):
        a.setflags(write=False)
    return item_off, col, stride, offset


#: Table entries below this are set to zero: they are far below the rounding of any sum they
#: enter (the factors are O(1)), and subnormal operands slow arithmetic down a hundredfold.
_FLUSH = {"float32": 2.0**-100, "float64": 2.0**-900}


def _ro(a: np.ndarray, dtype: np.dtype) -> np.ndarray:
    a = np.array(a, dtype=dtype, order="C")
    a[np.abs(a) < _FLUSH[np.dtype(dtype).name]] = 0.0
    a.setflags(write=False)
    return a


def build_tables(lmax: int, grid, dtype: np.dtype, dense: bool) -> tuple:
    """``(n_half, n_even, n_odd, items, synthesis tables, analysis tables)`` of a plan."""
    theta, qw, nh = _north(grid)
    y = _legendre_factors(lmax, theta, grid.n_theta % 2 == 1)
    cos, sin, cos_a, sin_a = _azimuth_tables(lmax, grid.n_phi)
    n_even, n_odd = cos.shape[1], (grid.n_phi - 1) // 2
    if dense:
        rows, kpads = _items_dense(lmax)
        l, m = _degree_order_cached(lmax)
        synth, anal = {}, {}
        for cs in (0, 1):
            for p in (0, 1):
                r = rows[2 * cs + p]
                mm = np.abs(m[r])
                trig = cos[mm] if cs == 0 else sin[mm - 1]
                trig_a = cos_a[mm] if cs == 0 else sin_a[mm - 1]
                lat = y[:, np.abs(r - l[r] * l[r] - l[r]) + l[r] * l[r] + l[r]]  # Y_{l,|m|}(theta_t, 0)
                ncol = nh * trig.shape[1]
                synth[(cs, p)] = _ro(np.einsum("tk,kj->ktj", lat, trig).reshape(r.size, ncol), dtype)
                anal[(cs, p)] = _ro(np.einsum("tk,kj->tjk", lat * qw[:, None], trig_a).reshape(ncol, r.size), dtype)
        return nh, n_even, n_odd, _pack_items(rows, kpads, (lmax + 1) ** 2), (synth,), (anal,)
    groups, rows, kpads = _items_separable(lmax)
    P, Q = [], []
    for m0, m1, kp, _ in groups:
        Pg = np.zeros((m1 - m0, 1, 2, kp, nh))
        for m in range(m0, m1):
            for p in (0, 1):
                ls = np.arange(m + p, lmax + 1, 2)
                Pg[m - m0, 0, p, : ls.size] = y[:, ls * ls + ls + m].T
        P.append(_ro(Pg, dtype))
        Q.append(_ro(np.swapaxes(Pg, -1, -2) * qw[:, None], dtype))
    return (nh, n_even, n_odd, _pack_items(rows, kpads, (lmax + 1) ** 2),
            (groups, tuple(P), _ro(cos, dtype), _ro(sin, dtype)),
            (groups, tuple(Q), _ro(cos_a, dtype), _ro(sin_a, dtype)))
