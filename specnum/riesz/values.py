"""The B-spline value matrix ``B`` of Riesz collocation and its symbol ``m_p``.

Internal module: :mod:`specnum.riesz` re-exports ``value_matrix``, ``value_symbol``; the other
names here serve the pillar's own modules and may change.

``B[i, j] = B_{j+1}(xi_i)``: the retained B-splines (end splines dropped) at the
Greville collocation points. It maps spline coefficients to point values, so it
is the mass-like matrix of collocation: the time-dependent problem reads
``B c' + A c = s`` and the tensor-product matrix is
``A2 = K_x A_x kron B_y + K_y B_x kron A_y``.

Structure (lattice units, independent of the interval): ``B`` is banded (``p + 1``
nonzeros per row at most) and, away from the ``p - 1`` boundary columns and the
``p - 2`` non-lattice rows at each end, Toeplitz with
``B[i, j] = phi_p((p+1)/2 + i - j)`` (the Greville point of an interior cardinal
B-spline is the centre of its support). Its symbol is the cosine polynomial

.. math::

    m_p(\\theta) = \\sum_{|k| < (p+1)/2} \\phi_p\\big(\\tfrac{p+1}{2} + k\\big) e^{ik\\theta}
      = \\sum_{j\\in\\mathbb Z}\\Big(\\frac{\\sin(\\theta/2 + j\\pi)}{\\theta/2 + j\\pi}\\Big)^{p+1},

real, even and positive (its minimum ``m_p(pi)`` decays like ``(2/pi)**(p+1)``).
The series is the ``alpha = 0`` case of :func:`~specnum.riesz.riesz_symbol`.
"""

from __future__ import annotations

import functools

import numpy as np
from scipy import sparse
from scipy.interpolate import BSpline

from specnum._validation import as_float_array, check_budget, readonly
from specnum.bases.bsplines import cardinal_bspline, open_uniform_knots
from specnum.riesz._checks import check_degree, check_elements
from specnum.riesz.assembly import lattice_points

__all__ = ["value_matrix", "value_symbol", "value_toeplitz"]


@functools.lru_cache(maxsize=32)
def _value_toeplitz_cached(degree: int) -> np.ndarray:
    centre = 0.5 * (degree + 1)
    k = np.arange(0, degree // 2 + 1, dtype=np.float64)  # phi_p(centre + k) > 0 iff k < centre
    return readonly(cardinal_bspline(centre + k, degree))


def value_toeplitz(degree: int) -> np.ndarray:
    """Return ``b_k = phi_p((p+1)/2 + k)`` for ``k = 0, ..., floor(p/2)`` (the nonzero half-band of ``B``).

    Parameters
    ----------
    degree : int
        Spline degree ``2 <= p <= 30``.

    Returns
    -------
    ndarray, shape (floor(p/2) + 1,)
        Read-only; ``b_{-k} = b_k`` and ``b_0 + 2 sum_k b_k = 1`` (partition of unity).

    Examples
    --------
    >>> from specnum.riesz.values import value_toeplitz
    >>> value_toeplitz(3).tolist()   # 2/3, 1/6
    [0.6666666666666666, 0.16666666666666666]
    """
    return _value_toeplitz_cached(check_degree(degree))


def value_symbol(theta, degree: int) -> np.ndarray:
    """Evaluate the symbol ``m_p(theta) = b_0 + 2 sum_k b_k cos(k theta)`` of the value matrix.

    Parameters
    ----------
    theta : array_like, shape (...)
        Frequencies.
    degree : int
        Spline degree ``2 <= p <= 30``.

    Returns
    -------
    ndarray, shape (...)
        ``m_p(theta)`` in float64: ``m_p(0) = 1``, decreasing on ``[0, pi]``, ``m_p(pi) > 0``.

    Raises
    ------
    ValueError, TypeError
        If ``theta`` is not a finite real array or ``degree`` is outside ``[2, 30]``.

    Examples
    --------
    >>> import numpy as np
    >>> from specnum.riesz.values import value_symbol
    >>> print(value_symbol(np.array([0.0, np.pi]), 2).tolist())
    [1.0, 0.5]
    """
    theta = as_float_array(theta, "theta")
    b = value_toeplitz(degree)
    out = np.full(theta.shape, b[0])
    for k in range(1, b.size):
        out += 2.0 * b[k] * np.cos(k * theta)
    return out


@functools.lru_cache(maxsize=16)
def _value_matrix_cached(degree: int, n: int) -> sparse.csr_array:
    knots = open_uniform_knots(degree, n, (0.0, float(n)))
    points = lattice_points(degree, n)
    full = sparse.csr_array(BSpline.design_matrix(points, knots, degree))
    mat = sparse.csr_array(full[:, 1:-1])
    mat.eliminate_zeros()
    mat.sort_indices()
    for arr in (mat.data, mat.indices, mat.indptr):
        arr.setflags(write=False)
    return mat


def value_matrix(degree: int, n: int) -> sparse.csr_array:
    """The value matrix ``B[i, j] = B_{j+1}(xi_i)`` as a sparse CSR array (cached, read-only data).

    Parameters
    ----------
    degree : int
        Spline degree ``2 <= p <= 30``.
    n : int
        Number of elements, ``n >= max(2, p)``.

    Returns
    -------
    scipy.sparse.csr_array, shape (N, N)
        ``N = n + p - 2``; at most ``p + 1`` nonzeros per row. It does not depend on the
        interval (B-spline values are invariant under affine maps of the knots).

    Raises
    ------
    ValueError, TypeError
        For ``degree`` outside ``[2, 30]``, ``n < max(2, degree)`` or a size above the budget.

    Notes
    -----
    Built by :meth:`scipy.interpolate.BSpline.design_matrix` on the integer knots
    ``0 (p+1 times), 1, ..., n-1, n (p+1 times)`` at the Greville points
    (:func:`~specnum.riesz.assembly.lattice_points`), then the two end columns are dropped.

    Examples
    --------
    >>> from specnum.riesz.values import value_matrix
    >>> b = value_matrix(2, 4)
    >>> print(b.toarray().round(4).tolist()[0])
    [0.625, 0.125, 0.0, 0.0]
    """
    degree = check_degree(degree)
    n = check_elements(n, degree)
    size = n + degree - 2
    check_budget(f"n = {n}", memory=24.0 * size * (degree + 1), work=20.0 * size * (degree + 1) ** 2)
    return _value_matrix_cached(degree, n)
