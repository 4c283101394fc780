"""Slow, obviously correct twins for the 2D and time-dependent Riesz code (independent references).

* ``value_matrix_exact``: B[i, j] = B_{j+1}(xi_{i+1}) from the exact rational polynomial pieces of
  each B-spline (Cox-de Boor on Fractions) at the exact Greville points.
* ``value_symbol_series_mp``: m_p(theta) = sum_j (sin(theta/2 + j pi)/(theta/2 + j pi))^(p+1),
  summed with mpmath.nsum (the alpha = 0 case of the Poisson series of the Riesz symbol).
* ``dense_a2_naive``: A2 = K_x A_x kron B_y + K_y B_x kron A_y from the naive dense 1D matrices
  (every basis function at every point) and the exact value matrices.
"""

from __future__ import annotations

from fractions import Fraction

import mpmath as mp
import numpy as np
from ref_riesz import bspline_pieces, dense_matrix_naive, greville_exact, open_uniform_knots_exact


def _eval_piece(coeffs, x):
    return sum((c * x**k for k, c in enumerate(coeffs)), Fraction(0))


def value_matrix_exact(p: int, n: int) -> np.ndarray:
    """Dense (N, N) value matrix on [0, 1] from exact rationals, rounded once to float64."""
    knots = open_uniform_knots_exact(p, n)
    size = n + p - 2
    spans = [i for i in range(len(knots) - 1) if knots[i] < knots[i + 1]]
    out = np.zeros((size, size))
    for j in range(size):
        pieces = bspline_pieces(knots, p, j + 1)
        for i in range(size):
            x = greville_exact(knots, p, i + 1)
            # span with t_s <= x < t_{s+1} (x is interior: 0 < x < 1)
            s = max(k for k in spans if knots[k] <= x)
            out[i, j] = float(_eval_piece(pieces.get(s, [Fraction(0)]), x))
    return out


def value_symbol_series_mp(theta, p: int, dps: int = 30):
    """m_p(theta) for 0 < theta < 2 pi by its Poisson series (terms ~ j^(-p-1))."""
    with mp.workdps(dps + 10):
        t = mp.mpf(theta)
        sh = mp.sin(t / 2)

        def pos(j):
            u = t / 2 + j * mp.pi
            return (sh / u) ** (p + 1) * (1 if p % 2 else (-1) ** int(j))

        def neg(j):
            u = j * mp.pi - t / 2
            return (sh / u) ** (p + 1) * (1 if p % 2 else (-1) ** (int(j) + 1))

        method = "levin" if p % 2 else "alternating"
        return mp.nsum(pos, [0, mp.inf], method=method) + mp.nsum(neg, [1, mp.inf], method=method)


def dense_a2_naive(degree, n, alpha, box=((0.0, 1.0), (0.0, 1.0)), coefficients=(1.0, 1.0)) -> np.ndarray:
    """A2 by the Kronecker formula from naive dense 1D factors (degree, n, alpha given as pairs)."""
    ax = dense_matrix_naive(degree[0], n[0], alpha[0], box[0])
    ay = dense_matrix_naive(degree[1], n[1], alpha[1], box[1])
    bx = value_matrix_exact(degree[0], n[0])
    by = value_matrix_exact(degree[1], n[1])
    return coefficients[0] * np.kron(ax, by) + coefficients[1] * np.kron(bx, ay)
