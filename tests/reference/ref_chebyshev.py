"""Slow, obviously correct twins of specnum.bases.chebyshev.

* ``cheb_matrix(x, n)``: the dense matrix ``T_k(x_j) = cos(k arccos x_j)``.
* ``vals_to_coeffs_dense``: solve ``T c = f`` with the dense matrix.
* ``evaluate_direct``: ``sum_k c_k cos(k arccos x)`` term by term.
* ``cheb_coeffs_mp``: Chebyshev coefficients of a function by mpmath quadrature
  of ``(2/pi) int_0^pi f(cos t) cos(k t) dt``.
"""

from __future__ import annotations

import mpmath as mp
import numpy as np

__all__ = ["cheb_matrix", "vals_to_coeffs_dense", "evaluate_direct", "cheb_coeffs_mp"]


def cheb_matrix(x, n):
    x = np.clip(np.asarray(x, dtype=np.float64), -1.0, 1.0)
    return np.cos(np.arange(n)[None, :] * np.arccos(x)[:, None])


def vals_to_coeffs_dense(x, f):
    return np.linalg.solve(cheb_matrix(x, len(x)), f)


def evaluate_direct(c, x):
    x = np.asarray(x, dtype=np.float64)
    theta = np.arccos(np.clip(x, -1, 1))
    return sum(ck * np.cos(k * theta) for k, ck in enumerate(c))


def cheb_coeffs_mp(f, n, dps=30):
    with mp.workdps(dps):
        out = []
        for k in range(n):
            v = 2 / mp.pi * mp.quad(lambda t, k=k: f(mp.cos(t)) * mp.cos(k * t), [0, mp.pi])
            out.append(v / 2 if k == 0 else v)
        return np.array([float(v) for v in out])
