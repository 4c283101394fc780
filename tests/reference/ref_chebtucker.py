"""Slow, obviously correct twins of specnum.chebtucker.

* ``hosvd_naive``: truncated HOSVD from ``numpy.linalg.svd`` of explicitly built
  unfoldings (loops over the entries), ranks by the same tail criterion.
* ``hooi_naive``: HOOI sweeps at fixed ranks from ``numpy.linalg.svd`` of explicit unfoldings
  of ``T`` contracted (by ``einsum``) with the other factors.
* ``coeff_tensor_dense``: the Chebyshev coefficient tensor of the interpolant
  by solving with dense Chebyshev-Vandermonde matrices (``numpy.polynomial``).
* ``tucker_eval_dense``: ``sum_pqs G U1 U2 U3`` at points with ``chebvander`` and einsum.
* ``direct_sum_naive``: the pair sum by numpy broadcasting (float64 loops over sources).
* ``grid_tucker_ranks``: ranks of a truncated HOSVD of the values on a uniform grid.
* ``short_split_naive``: short-range part ``S = K - L`` and ``S'`` of the kernels, ``L`` by a
  plain Gauss-Legendre rule on the t-integral (Newton: ``erfc(r/r0)/r`` directly).
* ``short_range_naive`` / ``short_pairs_naive``: cutoff sums over all pairs by broadcasting.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.special
from numpy.polynomial import chebyshev as npc

__all__ = [
    "unfold_loops",
    "hosvd_naive",
    "hooi_naive",
    "coeff_tensor_dense",
    "tucker_eval_dense",
    "direct_sum_naive",
    "grid_tucker_ranks",
    "short_split_naive",
    "short_range_naive",
    "short_pairs_naive",
]


def unfold_loops(t: np.ndarray, mode: int) -> np.ndarray:
    """Mode unfolding built entry by entry (rows: index of ``mode``)."""
    n = t.shape
    others = [k for k in range(3) if k != mode]
    out = np.empty((n[mode], n[others[0]] * n[others[1]]))
    for i in range(n[mode]):
        for a in range(n[others[0]]):
            for b in range(n[others[1]]):
                idx = [0, 0, 0]
                idx[mode], idx[others[0]], idx[others[1]] = i, a, b
                out[i, a * n[others[1]] + b] = t[tuple(idx)]
    return out


def hosvd_naive(t: np.ndarray, rtol: float):
    """Truncated HOSVD by full SVDs of the unfoldings; returns (core, factors, singular values)."""
    thr = rtol * np.linalg.norm(t) / math.sqrt(3.0)
    factors, svals = [], []
    for k in range(3):
        u, s, _ = np.linalg.svd(unfold_loops(t, k), full_matrices=False)
        r = len(s)
        while r > 0 and math.sqrt(float(np.sum(s[r - 1:] ** 2))) <= thr:
            r -= 1
        factors.append(u[:, :r])
        svals.append(s)
    core = np.einsum("ijk,ip,jq,ks->pqs", t, *factors)
    return core, factors, svals


def hooi_naive(t: np.ndarray, ranks, sweeps: int):
    """HOOI: start from the leading singular vectors of the unfoldings, then ``sweeps`` ALS sweeps.

    Returns ``(core, factors)``; the core is ``T x_1 U1^T x_2 U2^T x_3 U3^T``.
    """
    factors = [np.linalg.svd(unfold_loops(t, k), full_matrices=False)[0][:, : ranks[k]] for k in range(3)]
    specs = ["ijk,jq,ks->iqs", "ijk,ip,ks->jps", "ijk,ip,jq->kpq"]
    for _ in range(sweeps):
        for k in range(3):
            others = [factors[j] for j in range(3) if j != k]
            y = np.einsum(specs[k], t, *others).reshape(t.shape[k], -1)
            factors[k] = np.linalg.svd(y, full_matrices=False)[0][:, : ranks[k]]
    core = np.einsum("ijk,ip,jq,ks->pqs", t, *factors)
    return core, factors


def coeff_tensor_dense(values: np.ndarray, box, kind: int = 1) -> np.ndarray:
    """Coefficients C with values = sum C[a,b,c] T_a T_b T_c at the Chebyshev grid (dense solves)."""
    c = np.asarray(values, dtype=np.float64)
    for k in range(3):
        n = c.shape[k]
        if kind == 1:
            x = -np.cos(np.pi * (2 * np.arange(n) + 1) / (2 * n))
        else:
            x = -np.cos(np.pi * np.arange(n) / (n - 1))
        v = npc.chebvander(x, n - 1)
        c = np.moveaxis(np.tensordot(np.linalg.inv(v), np.moveaxis(c, k, 0), axes=(1, 0)), 0, k)
    return c


def tucker_eval_dense(box, core, factors, pts: np.ndarray) -> np.ndarray:
    """Evaluate a Chebyshev-Tucker function with Vandermonde matrices (no recurrence kernel)."""
    a = []
    for k in range(3):
        lo, hi = box[k]
        t = (2 * pts[:, k] - lo - hi) / (hi - lo)
        a.append(npc.chebvander(t, factors[k].shape[0] - 1) @ factors[k])
    return np.einsum("pqs,mp,mq,ms->m", core, *a)


def direct_sum_naive(src, q, tgt, kernel: str, r0: float = 1.0, kappa: float = 1.0) -> np.ndarray:
    """``sum_j q_j K(|t_i - s_j|)`` by broadcasting (self terms of singular kernels skipped)."""
    d = np.sqrt(((tgt[:, None, :] - src[None, :, :]) ** 2).sum(-1))
    with np.errstate(divide="ignore", invalid="ignore"):
        if kernel == "newton":
            k = np.where(d > 0, 1.0 / d, 0.0)
        elif kernel == "erf":
            k = np.where(d > 0, scipy.special.erf(d / r0) / d, 2.0 / (math.sqrt(math.pi) * r0))
        elif kernel == "erfc":
            k = np.where(d > 0, scipy.special.erfc(d / r0) / d, 0.0)
        elif kernel == "yukawa":
            k = np.where(d > 0, np.exp(-kappa * d) / d, 0.0)
        else:
            k = np.exp(-kappa * d)
    return k @ q


def grid_tucker_ranks(values: np.ndarray, rtol: float) -> tuple[int, int, int]:
    """Ranks of a truncated HOSVD of a grid tensor (full SVDs of reshaped unfoldings)."""
    thr = rtol * np.linalg.norm(values) / math.sqrt(3.0)
    ranks = []
    for k in range(3):
        s = np.linalg.svd(np.moveaxis(values, k, 0).reshape(values.shape[k], -1), compute_uv=False)
        r = len(s)
        while r > 0 and math.sqrt(float(np.sum(s[r - 1:] ** 2))) <= thr:
            r -= 1
        ranks.append(r)
    return tuple(ranks)


def short_split_naive(d: np.ndarray, kernel: str, r0: float, kappa: float):
    """``(S, S'/r, |K| + |L|)`` at distances d >= 0 (``S = S' = 0`` at d = 0 for singular kernels).

    ``L(r) = int_0^{1/r0} w(t) exp(-t^2 r^2) dt`` by 60-point Gauss-Legendre on ``[0, tau]`` and
    on the dyadic intervals ``[tau 2^i, tau 2^(i+1)]`` up to ``1/r0`` (``tau = min(kappa/16, 1/(2 r0))``);
    ``w = 2/sqrt(pi)`` (Newton, closed form used instead), ``2/sqrt(pi) exp(-kappa^2/(4 t^2))`` (Yukawa),
    ``kappa/sqrt(pi) t^-2 exp(-kappa^2/(4 t^2))``
    (Slater). The third output is the size of the terms that ``S = K - L`` cancels (for tolerances).
    """
    d = np.asarray(d, dtype=np.float64)
    pos = d > 0
    safe = np.where(pos, d, 1.0)
    if kernel == "newton":
        s = np.where(pos, scipy.special.erfc(safe / r0) / safe, 0.0)
        ds = np.where(pos, (-2.0 / (math.sqrt(math.pi) * r0) * np.exp(-((safe / r0) ** 2)) / safe
                            - scipy.special.erfc(safe / r0) / safe**2) / safe, 0.0)
        return s, ds, np.abs(s) + np.where(pos, 1.0 / safe, 0.0)
    x, w0 = np.polynomial.legendre.leggauss(60)
    edges = [0.0, min(kappa / 16.0, 0.5 / r0)]
    while edges[-1] < 1.0 / r0:
        edges.append(min(2.0 * edges[-1], 1.0 / r0))
    t = np.concatenate([(a + b) / 2 + (b - a) / 2 * x for a, b in zip(edges[:-1], edges[1:])])
    w = np.concatenate([(b - a) / 2 * w0 for a, b in zip(edges[:-1], edges[1:])])
    if kernel == "yukawa":
        wt = w * 2.0 / math.sqrt(math.pi) * np.exp(-(kappa**2) / (4 * t * t))
        k = np.where(pos, np.exp(-kappa * safe) / safe, 0.0)
        dk = np.where(pos, -np.exp(-kappa * safe) * (kappa * safe + 1.0) / safe**3, 0.0)
    else:
        wt = w * kappa / math.sqrt(math.pi) * np.exp(-(kappa**2) / (4 * t * t)) / (t * t)
        k = np.exp(-kappa * d)
        dk = np.where(pos, -kappa * np.exp(-kappa * safe) / safe, 0.0)
    e = np.exp(-np.multiply.outer(d * d, t * t))
    lo = e @ wt
    dlo = e @ (-2.0 * t * t * wt)
    s = np.where(pos | (kernel == "slater"), k - lo, 0.0)
    ds = np.where(pos, dk - dlo, 0.0)
    return s, ds, np.abs(k) + np.abs(lo)


def _pair_d2(tgt, src):
    dx = tgt[:, None, 0] - src[None, :, 0]
    dy = tgt[:, None, 1] - src[None, :, 1]
    dz = tgt[:, None, 2] - src[None, :, 2]
    return dx * dx + dy * dy + dz * dz, np.stack([dx, dy, dz], -1)


def short_range_naive(src, q, tgt, kernel: str, r0: float, kappa: float, cutoff: float):
    """``(sum_{j: r < cutoff} q_j S(r_ij), sum of |q_j| (|K| + |L|) over the same j)`` per target."""
    src = np.asarray(src, dtype=np.float64).reshape(-1, 3)
    tgt = np.asarray(tgt, dtype=np.float64).reshape(-1, 3)
    q = np.asarray(q, dtype=np.float64)
    d2, _ = _pair_d2(tgt, src)
    inside = d2 < cutoff * cutoff
    s, _, mag = short_split_naive(np.sqrt(d2), kernel, r0, kappa)
    return np.where(inside, s, 0.0) @ q, np.where(inside, mag, 0.0) @ np.abs(q)


def short_pairs_naive(pos, q, kernel: str, r0: float, kappa: float, cutoff: float):
    """Short-range energy ``sum_{i<j, r < cutoff} q_i q_j S(r_ij)``, forces ``-dE/dx_i``, term size."""
    pos = np.asarray(pos, dtype=np.float64)
    q = np.asarray(q, dtype=np.float64)
    d2, diff = _pair_d2(pos, pos)
    n = pos.shape[0]
    inside = (d2 < cutoff * cutoff) & ~np.eye(n, dtype=bool)
    s, ds, mag = short_split_naive(np.sqrt(d2), kernel, r0, kappa)
    qq = np.outer(q, q)
    energy = 0.5 * float(np.sum(np.where(inside, qq * s, 0.0)))
    forces = -np.einsum("ij,ijk->ik", np.where(inside, qq * ds, 0.0), diff)
    return energy, forces, 0.5 * float(np.sum(np.where(inside, np.abs(qq) * mag, 0.0)))
