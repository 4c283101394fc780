"""Slow, obviously correct twins of specnum.chebtucker.

* ``hosvd_naive``: truncated HOSVD from ``numpy.linalg.svd`` of explicitly built
  unfoldings (loops over the entries), ranks by the same tail criterion.
* ``coeff_tensor_dense``: the Chebyshev coefficient tensor of the interpolant
  by solving with dense Chebyshev-Vandermonde matrices (``numpy.polynomial``).
* ``tucker_eval_dense``: ``sum_pqs G U1 U2 U3`` at points with ``chebvander`` and einsum.
* ``direct_sum_naive``: the pair sum by numpy broadcasting (float64 loops over sources).
* ``grid_tucker_ranks``: ranks of a truncated HOSVD of the values on a uniform grid.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.special
from numpy.polynomial import chebyshev as npc

__all__ = [
    "unfold_loops",
    "hosvd_naive",
    "coeff_tensor_dense",
    "tucker_eval_dense",
    "direct_sum_naive",
    "grid_tucker_ranks",
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
