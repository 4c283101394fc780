"""Tables of the sphere-grid transform plans (internal; see :mod:`specnum.bases.spheregrid`).

Latitude factors at the northern Gauss-Legendre nodes (parity gives the southern ones),
cosine and sine tables of the azimuths, the grouping of orders (a common padded length per group),
the item layout of the block buffers, and the dense matrices per symmetry class.
"""

from __future__ import annotations

import numpy as np

from specnum.bases._legendre import _degree_order_cached, _eval_unit

__all__ = ["FOLD_PHI_MIN", "build_tables", "grid_dims", "n_reflect", "azimuth_slices"]


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


#: The transforms fold the azimuths under ``phi -> pi - phi`` from this many on (with
#: ``n_phi = 2 mod 4``); on smaller grids the eight smaller symmetry classes cost more in per-call
#: overhead than the halved azimuthal work saves (Gaunt products at L = 5 and 6 folded: 0.7-1.3x;
#: benchmarks/RESULTS.md, "Azimuths folded under phi -> pi - phi").
FOLD_PHI_MIN = 30


def n_reflect(n_phi: int) -> int:
    """2 when ``phi -> pi - phi`` maps the azimuths onto themselves without a fixed node
    (``n_phi = 2 mod 4``) and the grid is large enough for the fold to pay, else 1."""
    return 2 if n_phi % 4 == 2 and n_phi >= FOLD_PHI_MIN else 1


def grid_dims(n_theta: int, n_phi: int) -> tuple[int, int, int]:
    """``(n_half, n_reflect, n_az)`` of the folded values on a grid: the northern latitudes
    (equator included), the reflections in ``phi`` (:func:`n_reflect`), the stored azimuths."""
    R = n_reflect(n_phi)
    return (n_theta + 1) // 2, R, _n_az(n_phi, R)


def _n_az(n_phi: int, R: int) -> int:
    """Stored azimuths: ``phi_j`` for ``j <= n_phi / 2`` (``R = 1``), or up to ``pi / 2`` (``R = 2``)."""
    return n_phi // 2 + 1 if R == 1 else (n_phi + 2) // 4


def _azimuth_tables(lmax: int, n_phi: int, R: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``cos(m phi_j)`` and ``sin(m phi_j)`` for ``j < n_az`` (the sine exactly zero at
    ``phi = 0`` and ``phi = pi``), and the analysis factors ``2 pi / n_phi`` times the number
    of nodes that the folds map to node ``j`` (1, 2 or 4; ``R = n_reflect(n_phi)``)."""
    n_az = _n_az(n_phi, R)
    m = np.arange(lmax + 1)[:, None]
    j = np.arange(n_az)[None, :]
    ang = 2.0 * np.pi * ((m * j) % n_phi) / n_phi  # exact reduction of the angle
    fixed = (j == 0) | (2 * j == n_phi)  # the azimuths that phi -> -phi maps to themselves
    cos = np.cos(ang)
    sin = np.where(fixed, 0.0, np.sin(ang[1:]))
    mult = R * np.where(fixed, 1.0, 2.0) * (2.0 * np.pi / n_phi)
    return cos, sin, cos * mult, sin * mult


def _order_positions(lmax: int, R: int) -> np.ndarray:
    """The orders in the order of the latitude buffer: ``0..lmax``, or (``R = 2``) the even
    orders, then the odd ones, so that each class of ``phi -> pi - phi`` is one slice."""
    m = np.arange(lmax + 1)
    return m if R == 1 else np.concatenate([m[0::2], m[1::2]])


def azimuth_slices(lmax: int, R: int) -> tuple[tuple[slice, slice], ...]:
    """Per class ``r`` of ``phi -> pi - phi`` (``(-1)^r`` its sign), the slices of the latitude
    buffer's orders that it holds: cosines of orders ``m = r mod R``, sines of orders
    ``m >= 1`` with ``m + 1 = r mod R`` (``sin(m (pi - phi)) = (-1)^(m+1) sin(m phi)``)."""
    if R == 1:
        return ((slice(0, lmax + 1), slice(1, lmax + 1)),)
    ne = lmax // 2 + 1
    return ((slice(0, ne), slice(ne, lmax + 1)), (slice(ne, lmax + 1), slice(1, ne)))


def _items_separable(lmax: int, R: int):
    """Items ``(m, p, cs)`` in groups of orders (positions ``q0..q1`` of the latitude buffer,
    :func:`_order_positions`); item block ``k``: ``l = m + p + 2k``."""
    order = _order_positions(lmax, R)
    ne = lmax // 2 + 1 if R == 2 else lmax + 1
    groups, rows, kp_list = [], [], []
    for lo, hi in ((0, ne), (ne, lmax + 1)):
        if hi <= lo:
            continue
        G = max(1, -(-(hi - lo) // 4))  # groups of about 4 orders: padding ~ 1/8
        bounds = np.unique(np.linspace(lo, hi, G + 1).round().astype(int))
        for q0, q1 in zip(bounds[:-1], bounds[1:]):
            kp = (lmax - int(order[q0])) // 2 + 1
            groups.append((int(q0), int(q1), kp, len(rows)))
            for m in order[q0:q1]:
                for p in (0, 1):
                    for cs in (0, 1):
                        ls = np.arange(m + p, lmax + 1, 2)
                        idx = ls * ls + ls + (m if cs == 0 else -m)
                        if cs == 1 and m == 0:
                            idx = idx[:0]
                        rows.append(np.concatenate([idx, np.full(kp - idx.size, -1)]))
                        kp_list.append(kp)
    return groups, rows, kp_list


def _dense_class(lmax: int, R: int) -> np.ndarray:
    """Class ``(2 cs + p) R + r`` of each coefficient: ``cs`` odd under ``phi -> -phi``, ``p``
    under ``theta -> pi - theta``, ``r`` under ``phi -> pi - phi`` (``R = 2``)."""
    l, m = _degree_order_cached(lmax)
    cs = (m < 0).astype(int)
    p = (l - np.abs(m)) % 2
    r = (np.abs(m) + cs) % 2 if R == 2 else np.zeros_like(m)
    return (2 * cs + p) * R + r


def _items_dense(lmax: int, R: int):
    cls = _dense_class(lmax, R)
    rows = [np.flatnonzero(cls == c) for c in range(4 * R)]
    return rows, [r.size for r in rows]


def _pack_items(rows: list, kpads: list, ncoef: int, span: int, itemsize: int) -> tuple:
    """Slots of the coefficients in item-major block buffers (item ``i``: a ``(nb, kpad[i])``
    matrix at ``offset[i] * nb + shift[i]``; ``rows[i][k]`` is the coefficient in column ``k``,
    ``-1`` padding). Each run of ``span`` items (those read by one matrix product) starts one
    cache line (64 bytes) after the end of the previous run: item starts a multiple of ``nb``
    apart would map to few sets of the cache (``nb`` rows of a power-of-two size), and the
    row-by-row gather and scatter of the coefficients would evict their own lines. Returns per
    coefficient its item's offset, its column plus its item's shift and its item's ``kpad``
    (the slot of row ``b`` is ``offset * nb + column + shift + b * kpad``), and the item
    offsets and shifts (both one more than the items)."""
    kpad = np.asarray(kpads, dtype=np.int64)
    offset = np.concatenate([[0], np.cumsum(kpad)]).astype(np.int64)
    shift = (np.arange(kpad.size + 1) // span * (64 // itemsize)).astype(np.int64)
    item_off = np.zeros(ncoef, dtype=np.int64)
    col = np.zeros(ncoef, dtype=np.int64)
    stride = np.ones(ncoef, dtype=np.int64)
    for i, r in enumerate(rows):
        r = np.asarray(r, dtype=np.int64)
        cols = np.flatnonzero(r >= 0)
        item_off[r[cols]] = offset[i]
        col[r[cols]] = cols + shift[i]
        stride[r[cols]] = kpad[i]
    return item_off, col, stride, offset, shift


def _pack_lines(rows: list, kpads: list, ncoef: int) -> tuple:
    """Slots of the coefficients in line-major block buffers, in the tuple layout of
    :func:`_pack_items`: a buffer of ``nb`` rows is a matrix of ``offset[-1]`` lines of ``ld``
    values (:func:`specnum.bases._spheregrid_kernels.line_length`), item ``i`` its lines
    ``offset[i] .. offset[i] + kpad[i]``, one line per coefficient ``rows[i][k]`` (``-1``: a
    padding line), one row of the block per column: the slot of row ``b`` of the coefficient on
    line ``j`` is ``j * ld + b`` (columns and shifts zero, strides one)."""
    kpad = np.asarray(kpads, dtype=np.int64)
    offset = np.concatenate([[0], np.cumsum(kpad)]).astype(np.int64)
    line = np.zeros(ncoef, dtype=np.int64)
    for i, r in enumerate(rows):
        r = np.asarray(r, dtype=np.int64)
        k = np.flatnonzero(r >= 0)
        line[r[k]] = offset[i] + k
    return line, np.zeros(ncoef, np.int64), np.ones(ncoef, np.int64), offset, np.zeros(offset.size, np.int64)


#: Table entries below this are set to zero: they are far below the rounding of any sum they
#: enter (the factors are O(1)), and subnormal operands slow arithmetic down a hundredfold.
_FLUSH = {"float32": 2.0**-100, "float64": 2.0**-900}


def _ro(a: np.ndarray, dtype: np.dtype) -> np.ndarray:
    a = np.array(a, dtype=dtype, order="C")
    a[np.abs(a) < _FLUSH[np.dtype(dtype).name]] = 0.0
    a.setflags(write=False)
    return a


def _flat(mats: list, dtype: np.dtype) -> tuple[np.ndarray, np.ndarray]:
    """The matrices raveled one after the other, and their offsets (one more than matrices)."""
    off = np.concatenate([[0], np.cumsum([m.size for m in mats])]).astype(np.int64)
    flat = _ro(np.concatenate([np.ravel(m) for m in mats]) if mats else np.zeros(0), dtype)
    off.setflags(write=False)
    return flat, off


def build_tables(lmax: int, grid, dtype: np.dtype, dense: bool, lines: bool = False) -> tuple:
    """``(n_half, n_reflect, n_az, n_odd, plan)`` of a transform plan.

    ``plan`` is the tuple of arrays that the block kernels of
    :mod:`specnum.bases._spheregrid_kernels` read: ``(ints, item_off, col, stride, offset,
    shift, groups, toff, S, A, az, foff, Fs, Fa)`` with ``ints = (dense, lmax, n_half, R, n_az, lines)``,
    the item layout (:func:`_pack_items`; separable plans with ``lines``: :func:`_pack_lines`), and

    * dense: ``S``, ``A`` the synthesis ``(k_c, n_half n_az)`` and analysis ``(n_half n_az, k_c)``
      matrices of the classes ``c = (2 cs + p) R + r`` at offsets ``toff[c]``;
    * separable: per group ``g`` of orders (``groups[g] = (q0, q1, kp, i0)``) at ``toff[g]``,
      per order position and parity the Legendre factors ``(kp, n_half)`` in ``S`` and their
      weighted transposes ``(n_half, kp)`` in ``A``; per class ``r`` and ``cs`` the order
      positions ``az[r, cs] = (start, stop)`` and the azimuth tables ``(stop - start, n_az)``
      at ``foff[r, cs]``: ``cos``/``sin`` for synthesis (``Fs``), times the quadrature
      factors for analysis (``Fa``).
    """
    theta, qw, nh = _north(grid)
    y = _legendre_factors(lmax, theta, grid.n_theta % 2 == 1)
    R = n_reflect(grid.n_phi)
    cos, sin, cos_a, sin_a = _azimuth_tables(lmax, grid.n_phi, R)
    n_az, n_odd = cos.shape[1], (grid.n_phi - 1) // 2
    lines = bool(lines and not dense)
    ints = np.array([int(dense), lmax, nh, R, n_az, int(lines)], dtype=np.int64)
    if dense:
        rows, kpads = _items_dense(lmax, R)
        l, m = _degree_order_cached(lmax)
        synth, anal = [], []
        for c in range(4 * R):
            cs, p = divmod(c // R, 2)
            k = rows[c]
            mm = np.abs(m[k])
            trig = cos[mm] if cs == 0 else sin[mm - 1]
            trig_a = cos_a[mm] if cs == 0 else sin_a[mm - 1]
            lat = y[:, np.abs(k - l[k] * l[k] - l[k]) + l[k] * l[k] + l[k]]  # Y_{l,|m|}(theta_t, 0)
            synth.append(np.einsum("tk,kj->ktj", lat, trig))
            anal.append(np.einsum("tk,kj->tjk", lat * qw[:, None], trig_a))
        S, toff = _flat(synth, dtype)
        A, _ = _flat(anal, dtype)
        groups, az, foff = np.zeros((0, 4), np.int64), np.zeros((R, 2, 2), np.int64), np.zeros((R, 2), np.int64)
        Fs = Fa = _ro(np.zeros(0), dtype)
    else:
        group_list, rows, kpads = _items_separable(lmax, R)
        order = _order_positions(lmax, R)
        P, Q = [], []
        for q0, q1, kp, _ in group_list:
            Pg = np.zeros((q1 - q0, 2, kp, nh))
            for i, m in enumerate(order[q0:q1]):
                for p in (0, 1):
                    ls = np.arange(m + p, lmax + 1, 2)
                    Pg[i, p, : ls.size] = y[:, ls * ls + ls + m].T
            P.append(Pg)
            Q.append(np.swapaxes(Pg, -1, -2) * qw[:, None])
        S, toff = _flat(P, dtype)
        A, _ = _flat(Q, dtype)
        groups = np.array(group_list, dtype=np.int64).reshape(-1, 4)
        az = np.array([[[sl.start, sl.stop] for sl in pair] for pair in azimuth_slices(lmax, R)], dtype=np.int64)
        fs, fa = [], []
        for r in range(R):
            for cs, (tab, tab_a, shift) in enumerate(((cos, cos_a, 0), (sin, sin_a, 1))):
                ms = order[az[r, cs, 0]:az[r, cs, 1]]
                fs.append(tab[ms - shift])
                fa.append(tab_a[ms - shift])
        Fs, fo = _flat(fs, dtype)
        Fa, _ = _flat(fa, dtype)
        foff = fo[:-1].reshape(R, 2)
    for a in (ints, groups, az, foff):
        a.setflags(write=False)
    if lines:
        items = _pack_lines(rows, kpads, (lmax + 1) ** 2)
    else:  # (the cosine and sine items of an order and parity: one run, one matrix product)
        items = _pack_items(rows, kpads, (lmax + 1) ** 2, 1 if dense else 2, np.dtype(dtype).itemsize)
    for a in items:
        a.setflags(write=False)
    plan = (ints, *items, groups, toff, S, A, az, foff, Fs, Fa)
    return nh, R, n_az, n_odd, plan
