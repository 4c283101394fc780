"""Fast diagonalization of the 1D pencils ``(h**alpha A, B)``: exact inverses of Kronecker pencils.

Internal module: nothing here is part of the public API; the pillar's public classes and
functions in :mod:`specnum.riesz` use it.

With the generalized eigendecomposition ``hat A V = B V diag(lambda)`` of each direction
(``hat A = h**alpha A`` the dimensionless Riesz collocation matrix, ``B`` the value
matrix) every pencil ``w0 B + w hat A`` and every Kronecker pencil

.. math::

    M = w_0 B_x \\otimes B_y + w_x \\hat A_x \\otimes B_y + w_y B_x \\otimes \\hat A_y
      = (B_x V_x \\otimes B_y V_y)\\, \\big(w_0 + w_x \\lambda_x \\oplus w_y \\lambda_y\\big)\\,
        (V_x \\otimes V_y)^{-1}

is diagonalized, so ``M^{-1} R = V_x [(W_x R W_y^T) / D] V_y^T`` with ``W = (B V)^{-1}`` and
``D[k, l] = w0 + w_x lambda_x[k] + w_y lambda_y[l]``: four dense products, ``O(N_x N_y (N_x + N_y))``
work and ``O(N_x^2 + N_y^2)`` memory (the fast diagonalization method of Lynch, Rice and
Thomas). The setup (one dense eigenproblem of size ``N`` per direction, ``O(N^3)``) is done
once per ``(degree, n, alpha)`` and reused for every time step.

For these matrices the eigenvalues are real and positive and the eigenvector matrices
are well conditioned (``cond(V)`` about 1.05, 1.5, 2.2 and 3.9 for ``p = 2, 3, 4, 5``,
independent of ``n``), so the method is accurate; it refuses (``ValueError``) a pencil
whose computed spectrum is not real.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from scipy import linalg
from threadpoolctl import threadpool_limits

from specnum._validation import check_budget, readonly
from specnum.riesz._checks import check_alpha, check_degree, check_elements
from specnum.riesz.assembly import assemble_structure
from specnum.riesz.values import value_matrix

__all__ = ["PencilEigen", "pencil_eigen", "DIAGONALIZATION_MAX"]

#: largest 1D size ``N`` the dense eigendecomposition accepts (about 1 minute of setup at N = 2048)
DIAGONALIZATION_MAX = 2048


@dataclass(frozen=True, eq=False)
class PencilEigen:
    """``hat A V = B V diag(lam)`` for one direction (arrays read-only).

    Attributes
    ----------
    lam : ndarray, shape (N,)
        Generalized eigenvalues (real, positive).
    vecs : ndarray, shape (N, N)
        ``V``, columns scaled to unit 2-norm.
    left : ndarray, shape (N, N)
        ``W = (B V)^{-1}``.
    """

    lam: np.ndarray
    vecs: np.ndarray
    left: np.ndarray

    def solve(self, rhs: np.ndarray, w0: float, w: float) -> np.ndarray:
        """``(w0 B + w hat A)^{-1} rhs`` for ``rhs`` of shape ``(N,)`` or ``(N, k)``."""
        d = w0 + w * self.lam
        z = self.left @ rhs
        z /= d[:, None] if rhs.ndim == 2 else d
        return self.vecs @ z


@functools.lru_cache(maxsize=8)
def _pencil_eigen_cached(degree: int, n: int, alpha: float) -> PencilEigen:
    a = assemble_structure(degree, n, alpha).dense()
    b = value_matrix(degree, n).toarray()
    with threadpool_limits(limits=1, user_api="blas"):  # threaded LAPACK collapses on a busy machine
        lam, vecs = linalg.eig(linalg.solve(b, a, check_finite=False), check_finite=False)
        scale = float(np.max(np.abs(lam)))
        if np.max(np.abs(lam.imag)) > 1e-10 * scale or np.min(lam.real) <= 0:
            raise ValueError(f"the pencil (A, B) for degree = {degree}, n = {n}, alpha = {alpha} has a spectrum "
                             f"that is not real and positive; use the 'tau' preconditioner instead")
        vecs = vecs.real
        vecs /= np.linalg.norm(vecs, axis=0)
        left = linalg.inv(b @ vecs, check_finite=False)
    return PencilEigen(readonly(lam.real.copy()), readonly(vecs), readonly(left))


def pencil_eigen(degree: int, n: int, alpha: float) -> PencilEigen:
    """Generalized eigendecomposition of ``(h**alpha A, B)`` (dense, cached per parameter set).

    Parameters
    ----------
    degree : int
        Spline degree ``2 <= p <= 30``.
    n : int
        Number of elements, ``n >= max(2, p)`` and ``N = n + p - 2 <= 2048``.
    alpha : float
        Order, ``1 < alpha < 2``.

    Returns
    -------
    PencilEigen

    Raises
    ------
    ValueError, TypeError
        For bad arguments, ``N > 2048``, a size above the budget, or a spectrum that is not real
        and positive.

    Examples
    --------
    >>> import numpy as np
    >>> from specnum.riesz.diagonalization import pencil_eigen
    >>> from specnum.riesz.assembly import assemble_structure
    >>> from specnum.riesz.values import value_matrix
    >>> e = pencil_eigen(3, 16, 1.5)
    >>> a, b = assemble_structure(3, 16, 1.5).dense(), value_matrix(3, 16).toarray()
    >>> print(bool(np.allclose(a @ e.vecs, b @ e.vecs * e.lam, atol=1e-12)))
    True
    """
    degree = check_degree(degree)
    alpha = check_alpha(alpha)
    n = check_elements(n, degree)
    size = n + degree - 2
    if size > DIAGONALIZATION_MAX:
        raise ValueError(f"n = {n} gives N = {size} unknowns per direction; the dense diagonalization "
                         f"needs N <= {DIAGONALIZATION_MAX} (use the 'tau' preconditioner)")
    check_budget(f"n = {n} with the diagonalization", memory=6 * 8.0 * size * size, work=40.0 * size**3)
    return _pencil_eigen_cached(degree, n, alpha)
