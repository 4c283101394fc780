"""A coarse correction on a boundary-graded space for the 1D tau preconditioners.

Internal module: nothing here is part of the public API; the pillar's public classes and
functions in :mod:`specnum.riesz` use it.

For a 1D pencil ``M = c1 B + c2 (h**alpha A)`` the tau preconditioner with exact boundary
blocks (:class:`~specnum.riesz.tau_pencil.PencilInverse`) drops ``T - tau(f)``. Near each end
this remainder looks alike at every scale: the Toeplitz coefficients decay like
``a_k ~ k**(-1-alpha)``, so the corner of ``T - tau(f)`` acts on a function of width ``2 w``
as on one of width ``w`` up to a factor ``2**(-alpha)``, the same factor as the symbol. Every
octave of widths near an end then leaves about one eigenvalue of ``P^{-1} M`` away from the
cluster at 1, and GMRES needs one more iteration each time ``N`` grows by a factor 4 to 16.

The coarse space ``Z`` (orthonormalized, ``m`` columns) spans the piecewise-linear hats on
the index grid with nodes at the distances ``0, 1, 2, ..., floor(2**(k/q)), ...`` from each
end and at the centre (``q`` nodes per octave, distances counted from the zero boundary
values just outside the grid): it resolves one function per scale and end, with ``m`` about
``2 q log2(N)`` (27 for ``N = 256``, 59 for ``N = 65536`` with ``q = 2``). With
``E = Z^T M Z`` the two-level preconditioner

.. math::

    Q v = Z E^{-1} Z^T v, \\qquad P_2^{-1} v = Q v + P^{-1} (v - M Q v)

costs one application of ``P^{-1}`` plus ``O(N m)`` (``M Z`` is formed once, ``m`` products
with ``M``). For ``p = 2, 3, 4``, ``alpha`` in ``{1.2, 1.8}``, ``N = 256 .. 65536`` and
Crank-Nicolson steps ``dt = 1e-4 .. 1e-1`` it takes GMRES (rtol 1e-10) 1-3 iterations per step
where ``P^{-1}`` alone takes 2-11 (``benchmarks/RESULTS.md``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import linalg

from specnum._validation import as_int, check_budget, readonly

__all__ = ["graded_hats", "TwoLevel", "two_level", "PER_OCTAVE"]

#: nodes per octave of the graded coarse space
PER_OCTAVE = 2
_COND_MAX = 1e12  # coarse matrices above this condition number are not used


def _graded_nodes(size: int, per_octave: int) -> np.ndarray:
    """Distances ``0 = d_0 < d_1 < ... < size + 1`` of the hat nodes (integers and the centre)."""
    half = 0.5 * (size + 1)
    ratio = 2.0 ** (1.0 / per_octave)
    left = [0.0]
    g = 1.0
    while g < half:
        node = float(np.floor(g))
        if node > left[-1]:
            left.append(node)
        g *= ratio
    left = np.array(left)
    return np.unique(np.concatenate([left, (size + 1) - left, [half]]))


def graded_hats(size: int, per_octave: int = PER_OCTAVE) -> np.ndarray:
    """Orthonormal basis of the hats graded geometrically towards both ends of ``1..N``.

    Parameters
    ----------
    size : int
        ``N >= 1``, the number of grid values (index ``i`` sits at distance ``i + 1`` from the
        left end and ``N - i`` from the right one).
    per_octave : int
        Nodes per doubling of the distance from an end, ``>= 1``.

    Returns
    -------
    ndarray, shape (N, m)
        Read-only, orthonormal columns spanning the hats (``m`` about ``2 per_octave log2 N``).

    Examples
    --------
    >>> import numpy as np
    >>> from specnum.riesz.coarse import graded_hats
    >>> z = graded_hats(256)
    >>> print(z.shape, bool(np.allclose(z.T @ z, np.eye(z.shape[1]))))
    (256, 27) True
    """
    size = as_int(size, "size", minimum=1)
    per_octave = as_int(per_octave, "per_octave", minimum=1)
    nodes = _graded_nodes(size, per_octave)
    m = nodes.shape[0] - 2
    check_budget(f"size = {size}", memory=8.0 * size * 3 * m, work=10.0 * size * m * m)
    x = np.arange(1, size + 1, dtype=np.float64)
    left, centre, right = nodes[:-2, None], nodes[1:-1, None], nodes[2:, None]
    hats = np.clip(np.minimum((x - left) / (centre - left), (right - x) / (right - centre)), 0.0, None)
    q, _ = np.linalg.qr(hats.T)
    return readonly(q)


@dataclass(frozen=True, eq=False)
class TwoLevel:
    """``P_2^{-1} v = Q v + P^{-1}(v - M Q v)`` with ``Q = Z E^{-1} Z^T`` (see the module notes).

    Attributes
    ----------
    basis : ndarray, shape (N, m)
        ``Z``, orthonormal columns.
    image : ndarray, shape (N, m)
        ``M Z``.
    coarse : tuple
        LU factors of ``E = Z^T M Z`` (:func:`scipy.linalg.lu_factor`).
    smoother : callable
        ``P^{-1}`` on vectors of shape ``(N,)``.
    """

    basis: np.ndarray
    image: np.ndarray
    coarse: tuple
    smoother: Callable[[np.ndarray], np.ndarray]

    def solve(self, v: np.ndarray) -> np.ndarray:
        """Apply ``P_2^{-1}`` to ``v`` of shape ``(N,)``."""
        s = linalg.lu_solve(self.coarse, self.basis.T @ v)
        return self.basis @ s + self.smoother(v - self.image @ s)


def two_level(matmat: Callable[[np.ndarray], np.ndarray], smoother: Callable[[np.ndarray], np.ndarray],
              size: int, per_octave: int = PER_OCTAVE) -> TwoLevel | None:
    """Set up :class:`TwoLevel` for the operator ``matmat`` and the one-level inverse ``smoother``.

    Parameters
    ----------
    matmat : callable
        ``M X`` for ``X`` of shape ``(N, m)``.
    smoother : callable
        ``P^{-1} v`` for ``v`` of shape ``(N,)``.
    size : int
        ``N``.
    per_octave : int
        Nodes per octave of the coarse space.

    Returns
    -------
    TwoLevel or None
        ``None`` when ``E = Z^T M Z`` is numerically singular (condition number above 1e12);
        the caller then uses ``smoother`` alone.
    """
    z = graded_hats(size, per_octave)
    image = np.asarray(matmat(z), dtype=np.float64)
    e = z.T @ image
    if not np.all(np.isfinite(e)) or np.linalg.cond(e, 1) > _COND_MAX:
        return None
    return TwoLevel(z, readonly(image), linalg.lu_factor(e), smoother)
