"""Numba kernels of the Chebyshev-Tucker pillar: Tucker evaluation and direct sums (internal).

The cell-list kernels are in :mod:`._neighbour_kernels`, spreading and gathering in
:mod:`._grid_kernels`.

Kernels assume validated input: C-contiguous float64 arrays of consistent
shapes and a preallocated output. They import only numpy, numba and math.
"""

import math

import numpy as np
from numba import njit, prange

__all__ = ["tucker_eval", "direct_sum", "KERNEL_CODES"]

# kernel codes of direct_sum (radial kernels and the two parts of the Newton split)
KERNEL_CODES = {"newton": 0, "erf": 1, "erfc": 2, "yukawa": 3, "slater": 4}

_TWO_OVER_SQRTPI = 2.0 / math.sqrt(math.pi)


@njit(cache=True)
def _cheb_table(pts, axis, start, c, lo, scale, out):
    """out[i, m] = T_i(t_m), t_m = (x_m - lo) * scale - 1 (three-term recurrence)."""
    n = out.shape[0]
    for m in range(c):
        out[0, m] = 1.0
    if n > 1:
        for m in range(c):
            out[1, m] = (pts[start + m, axis] - lo) * scale - 1.0
        for i in range(2, n):
            for m in range(c):
                out[i, m] = 2.0 * out[1, m] * out[i - 1, m] - out[i - 2, m]


@njit(cache=True)
def _matmul_cols(w, t, c, out):
    """out[p, m] = sum_i w[p, i] t[i, m] for m < c (inner loop over contiguous m: SIMD)."""
    rr, n = w.shape
    for p in range(rr):
        for m in range(c):
            out[p, m] = 0.0
        for i in range(n):
            wpi = w[p, i]
            for m in range(c):
                out[p, m] += wpi * t[i, m]


@njit(cache=True)
def tucker_eval(pts, lo, scale, w1t, w2t, w3t, gm, r, grad, chunk, out):
    """Evaluate a Chebyshev-Tucker function (and optionally its gradient) at points.

    pts   : (M, 3) points
    lo    : (3,) left box ends; scale: (3,) 2 / (b - a)
    wkt   : (r_k or 2 r_k, n_k) transposed factor matrices; with grad the rows
            r_k..2r_k-1 hold the coefficients of the derivative factors (already scaled)
    gm    : (r1 * r2, r3) core, C order
    r     : (3,) int64 ranks
    grad  : bool; out is (M, 4) [value, d/dx, d/dy, d/dz] if grad else (M, 1)

    Per chunk of points: Chebyshev tables by the three-term recurrence, factor
    values ``A_k = W_k T_k`` and ``B = G_(3) A_3`` by explicit loops whose inner loop
    runs over the points (vectorised by LLVM, no BLAS threads), then the r1 r2 sum.
    """
    M = pts.shape[0]
    r1 = r[0]
    r2 = r[1]
    r3 = r[2]
    t1 = np.empty((w1t.shape[1], chunk))
    t2 = np.empty((w2t.shape[1], chunk))
    t3 = np.empty((w3t.shape[1], chunk))
    a1 = np.empty((w1t.shape[0], chunk))
    a2 = np.empty((w2t.shape[0], chunk))
    a3 = np.empty((w3t.shape[0], chunk))
    b = np.empty((r1 * r2, chunk))
    bd = np.empty((r1 * r2, chunk))
    a3d = np.empty((r3, chunk))
    v = np.empty(chunk)
    gx = np.empty(chunk)
    gy = np.empty(chunk)
    gz = np.empty(chunk)
    for start in range(0, M, chunk):
        c = min(chunk, M - start)
        _cheb_table(pts, 0, start, c, lo[0], scale[0], t1)
        _cheb_table(pts, 1, start, c, lo[1], scale[1], t2)
        _cheb_table(pts, 2, start, c, lo[2], scale[2], t3)
        _matmul_cols(w1t, t1, c, a1)
        _matmul_cols(w2t, t2, c, a2)
        _matmul_cols(w3t, t3, c, a3)
        _matmul_cols(gm, a3, c, b)
        for m in range(c):
            v[m] = 0.0
        if not grad:
            for p in range(r1):
                for q in range(r2):
                    row = p * r2 + q
                    for m in range(c):
                        v[m] += a1[p, m] * a2[q, m] * b[row, m]
            for m in range(c):
                out[start + m, 0] = v[m]
        else:
            for s in range(r3):
                for m in range(c):
                    a3d[s, m] = a3[r3 + s, m]
            _matmul_cols(gm, a3d, c, bd)
            for m in range(c):
                gx[m] = 0.0
                gy[m] = 0.0
                gz[m] = 0.0
            for p in range(r1):
                for q in range(r2):
                    row = p * r2 + q
                    for m in range(c):
                        x12 = a1[p, m] * a2[q, m]
                        v[m] += x12 * b[row, m]
                        gz[m] += x12 * bd[row, m]
                        gx[m] += a1[r1 + p, m] * a2[q, m] * b[row, m]
                        gy[m] += a1[p, m] * a2[r2 + q, m] * b[row, m]
            for m in range(c):
                out[start + m, 0] = v[m]
                out[start + m, 1] = gx[m]
                out[start + m, 2] = gy[m]
                out[start + m, 3] = gz[m]


@njit(cache=True)
def _kernel_value_deriv(kernel, rr, r0, kappa):
    """(K(r), K'(r)/r) of the radial kernel ``kernel`` (KERNEL_CODES); the r = 0 term is K(0) (0 if singular), 0."""
    if kernel == 0:  # newton 1/r
        if rr == 0.0:
            return 0.0, 0.0
        return 1.0 / rr, -1.0 / (rr * rr * rr)
    if kernel == 1:  # erf(r/r0)/r
        s = rr / r0
        if s < 1e-2:
            s2 = s * s
            f = _TWO_OVER_SQRTPI / r0
            val = f * (1.0 - s2 / 3.0 + s2 * s2 / 10.0 - s2 * s2 * s2 / 42.0)
            dr = f / (r0 * r0) * (-2.0 / 3.0 + 0.4 * s2 - s2 * s2 / 7.0)
            return val, dr
        e = math.erf(s)
        val = e / rr
        dr = (_TWO_OVER_SQRTPI / r0 * math.exp(-s * s) / rr - e / (rr * rr)) / rr
        return val, dr
    if kernel == 2:  # erfc(r/r0)/r
        if rr == 0.0:
            return 0.0, 0.0
        s = rr / r0
        e = math.erfc(s)
        val = e / rr
        dr = (-_TWO_OVER_SQRTPI / r0 * math.exp(-s * s) / rr - e / (rr * rr)) / rr
        return val, dr
    if kernel == 3:  # yukawa exp(-kappa r)/r
        if rr == 0.0:
            return 0.0, 0.0
        e = math.exp(-kappa * rr)
        return e / rr, -e * (kappa * rr + 1.0) / (rr * rr * rr)
    # slater exp(-kappa r)
    e = math.exp(-kappa * rr)
    if rr == 0.0:
        return 1.0, 0.0
    return e, -kappa * e / rr


@njit(cache=True, parallel=True)
def direct_sum(src, q, tgt, kernel, r0, kappa, grad, out):
    """out[i, 0] = sum_j q_j K(|t_i - s_j|); with grad also out[i, 1:4] = the gradient in t_i.

    Parallel over targets (independent rows); sources in order, so the result
    does not depend on the number of threads.
    """
    M = tgt.shape[0]
    N = src.shape[0]
    for i in prange(M):
        x = tgt[i, 0]
        y = tgt[i, 1]
        z = tgt[i, 2]
        v = 0.0
        gx = 0.0
        gy = 0.0
        gz = 0.0
        for j in range(N):
            dx = x - src[j, 0]
            dy = y - src[j, 1]
            dz = z - src[j, 2]
            rr = math.sqrt(dx * dx + dy * dy + dz * dz)
            val, dr = _kernel_value_deriv(kernel, rr, r0, kappa)
            v += q[j] * val
            if grad:
                gx += q[j] * dr * dx
                gy += q[j] * dr * dy
                gz += q[j] * dr * dz
        out[i, 0] = v
        if grad:
            out[i, 1] = gx
            out[i, 2] = gy
            out[i, 3] = gz
