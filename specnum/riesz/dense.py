"""Dense Riesz collocation matrices on general open knot vectors (graded, refined, any spacing).

Internal module: nothing here is part of the public API; the pillar's public classes and
functions in :mod:`specnum.riesz` use it.

Without uniform knots the matrix has no Toeplitz structure; its entries are still
``A[i, j] = (L B_{j+1})(xi_{i+1})`` with ``L = c_alpha (D_left + D_right)``, evaluated for every
retained B-spline at every Greville point by the shared layer
(:meth:`specnum.bases.bsplines.BSplineBasis.fractional_derivative`: truncated powers near the
support, element-wise and whole-support moment (far-field) expansions away from it, so the
entries keep ~1e-14 relative accuracy however far and however graded). ``O(N^2)`` evaluations.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from specnum._validation import readonly
from specnum.bases.bsplines import BSplineBasis
from specnum.riesz._checks import budget_dense, check_alpha, check_degree, check_open_knots
from specnum.riesz.operators import riesz_constant

__all__ = ["assemble_dense", "collocation_points", "local_mesh_sizes"]

_CHUNK = 256  # rows per block of the assembly (bounds the temporaries to 2 x 256 x N)


def _checked(knots: Any, degree: int) -> tuple[np.ndarray, int]:
    p = check_degree(degree)
    return check_open_knots(knots, p), p


def collocation_points(knots: Any, degree: int) -> np.ndarray:
    """Greville points of the retained B-splines (the two end ones dropped).

    Parameters
    ----------
    knots : array_like, shape (n + 2p + 1,)
        Open knot vector with simple interior knots (see :func:`assemble_dense`).
    degree : int
        ``2 <= p <= 30``.

    Returns
    -------
    ndarray, shape (N,)
        ``xi_i = (t_{i+1} + ... + t_{i+p}) / p``, ``i = 1..n+p-2``, increasing.

    Examples
    --------
    >>> from specnum.bases.knots import graded_knots
    >>> collocation_points(graded_knots(2, 4, 2.0), 2).tolist()
    [0.0625, 0.3125, 0.6875, 0.9375]
    """
    t, p = _checked(knots, degree)
    return readonly(np.array(BSplineBasis(t, p).greville()[1:-1]))


def local_mesh_sizes(knots: Any, degree: int) -> np.ndarray:
    """Local mesh size at each retained B-spline: its support length over ``p + 1``, shape ``(N,)``.

    Equal to ``h`` for the interior B-splines of uniform knots; on graded knots
    ``~ h G'(xi_i)`` (``h = (b - a)/n``).
    """
    t, p = _checked(knots, degree)
    dim = t.size - p - 1
    j = np.arange(1, dim - 1)
    return readonly((t[j + p + 1] - t[j]) / (p + 1))


def assemble_dense(knots: Any, degree: int, alpha: float) -> np.ndarray:
    """Dense collocation matrix ``A[i, j] = (L B_{j+1})(xi_{i+1})`` on a general open knot vector.

    Parameters
    ----------
    knots : array_like, shape (n + 2p + 1,)
        Finite, non-decreasing; first and last value repeated exactly ``p + 1`` times, simple
        interior knots (maximal smoothness), at least ``max(2, p)`` elements.
    degree : int
        ``2 <= p <= 30``.
    alpha : float
        ``1 < alpha < 2``.

    Returns
    -------
    ndarray, shape (N, N)
        ``N = n + p - 2``; rows: Greville points of the retained B-splines
        (:func:`collocation_points`), columns: ``B_1, ..., B_{n+p-2}``. Unscaled (units
        ``length^(-alpha)``).

    Raises
    ------
    ValueError, TypeError
        For a knot vector breaking the rules above (naming ``knots``), bad ``degree``/``alpha``,
        or a size beyond the budget.

    Notes
    -----
    ``L B = c_alpha (D^alpha_{a+} B + D^alpha_{b-} B)``, ``c_alpha = 1/(2 cos(pi alpha/2))``. The
    rows are assembled in blocks of 256 points. On uniform knots the result equals
    ``RieszCollocation(p, n, alpha).matrix()`` (Toeplitz plus boundary part).

    Examples
    --------
    >>> from specnum.bases.knots import graded_knots
    >>> a = assemble_dense(graded_knots(3, 16, 2.0), 3, 1.5)
    >>> a.shape, bool(np.all(np.diag(a) > 0))
    ((17, 17), True)
    """
    t, p = _checked(knots, degree)
    alpha = check_alpha(alpha)
    basis = BSplineBasis(t, p)
    size = basis.dim - 2
    budget_dense(f"knots with {t.size - 2 * p - 1} elements ({size} unknowns)", size, copies=2,
                 evaluations=2.0 * size * (size + 2))
    pts = basis.greville()[1:-1]
    c = riesz_constant(alpha)
    mat = np.empty((size, size))
    for start in range(0, size, _CHUNK):
        x = pts[start : start + _CHUNK]
        left = basis.fractional_derivative(x, alpha, side="left")
        left += basis.fractional_derivative(x, alpha, side="right")
        mat[start : start + x.size] = c * left[:, 1:-1]
    return mat
