"""Spectra of the collocation matrices on graded knots against the graded symbol.

For knots ``x_j = a + (b - a) G(j/n)`` with an increasing map ``G`` of ``[0, 1]``, row ``i`` of
``h**alpha A`` (``h = (b - a)/n``) sees a locally uniform mesh of size ``h G'(xi)``, so the theory
of generalized locally Toeplitz sequences suggests that ``{h**alpha A_n}`` is distributed like

.. math::

    g(\\xi, \\theta) = \\frac{f_{p,\\alpha}(\\theta)}{G'(\\xi)^\\alpha},
    \\qquad (\\xi, \\theta) \\in [0, 1] \\times [0, \\pi],

with :func:`~specnum.bases.knots.grading_map` ``G`` (``G'(\\xi) = r (2\\xi)^{r-1}`` near 0, so ``g``
is unbounded at the ends for ``r > 1``). The comparison sorts the eigenvalues and the
equispaced quantiles of ``g`` (its rearrangement).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from specnum._validation import as_float, as_float_array, as_int, check_budget, readonly
from specnum.bases.knots import MAX_GRADING, graded_knots, grading_map
from specnum.riesz._checks import budget_dense, check_alpha, check_degree, check_elements
from specnum.riesz.dense import assemble_dense
from specnum.riesz.solve import blas_threads_for
from specnum.riesz.symbol import riesz_symbol

__all__ = ["graded_symbol", "graded_symbol_quantiles", "GradedSpectrum", "compare_graded_spectrum"]


def _grading(grading) -> float:
    return as_float(grading, "grading", low=1.0, high=MAX_GRADING)


def graded_symbol(xi, theta, degree: int, alpha: float, grading: float) -> np.ndarray:
    """``g(xi, theta) = f_{p,alpha}(theta) / G'(xi)^alpha`` for the graded map of :func:`graded_knots`.

    Parameters
    ----------
    xi : array_like, shape (...)
        Points of ``[0, 1]`` (the reference coordinate of the knots); broadcast with ``theta``.
    theta : array_like, shape (...)
        Frequencies.
    degree : int
        ``2 <= p <= 30``.
    alpha : float
        ``1 < alpha < 2``.
    grading : float
        ``r`` in ``[1, 16]``; ``G'(xi) = r (2 min(xi, 1 - xi))^(r-1)``.

    Returns
    -------
    ndarray
        Broadcast shape of ``xi`` and ``theta``; ``inf`` where ``G'(xi) = 0`` and ``f > 0``.

    Raises
    ------
    ValueError, TypeError
        For ``xi`` outside ``[0, 1]``, non-finite input or bad parameters.

    Examples
    --------
    >>> import numpy as np
    >>> from specnum.riesz import graded_symbol, riesz_symbol
    >>> g = graded_symbol(0.5, np.pi, 3, 1.5, 2.0)     # G'(1/2) = r = 2
    >>> bool(abs(g - riesz_symbol(np.pi, 3, 1.5) / 2**1.5) < 1e-15)
    True
    """
    x = as_float_array(xi, "xi")
    th = as_float_array(theta, "theta")
    r = _grading(grading)
    if np.any((x < 0.0) | (x > 1.0)):
        raise ValueError("xi must lie in [0, 1]")
    size = int(np.broadcast(x, th).size)
    check_budget(f"xi and theta of broadcast size {size}", memory=8.0 * size * 14, work=size * 400.0)
    dg = r * (2.0 * np.minimum(x, 1.0 - x)) ** (r - 1.0)
    with np.errstate(divide="ignore"):
        return riesz_symbol(th, degree, alpha) / dg**alpha


def graded_symbol_quantiles(degree: int, n: int, alpha: float, grading: float, *, samples: int | None = None
                            ) -> np.ndarray:
    """The ``N`` equispaced quantiles of ``g(xi, theta)`` on ``[0, 1] x [0, pi]``, ``N = n + p - 2`` (ascending).

    ``g`` is sampled at the cell midpoints of an ``m x m`` grid (``m = samples``, default ``4 N``,
    at least 64): uniform in ``theta``, and in ``xi`` the cells of a fourth-power grading toward
    both ends (so that the unbounded tail of ``g`` near ``G'(xi) = 0`` is resolved); the values,
    weighted by their cell areas, give the distribution function of ``g``, whose quantiles at
    ``(j - 1/2)/N``, ``j = 1..N``, are returned: the rearrangement of ``g`` sampled like the
    sorted eigenvalues.

    Parameters
    ----------
    degree, n, alpha, grading
        As in :func:`compare_graded_spectrum`.
    samples : int, optional
        Keyword only. Grid size ``m >= 8`` in each direction.

    Returns
    -------
    ndarray, shape (N,)

    Raises
    ------
    ValueError, TypeError
        For bad parameters.
    """
    degree = check_degree(degree)
    alpha = check_alpha(alpha)
    n = check_elements(n, degree)
    r = _grading(grading)
    size = n + degree - 2
    m = max(64, 4 * size) if samples is None else as_int(samples, "samples", minimum=8)
    check_budget(f"n = {n} with samples = {m}", memory=8.0 * m * m * 6, work=400.0 * m * m)
    u = np.linspace(0.0, 1.0, m + 1)
    edges = grading_map(u, 4.0)
    xi = 0.5 * (edges[1:] + edges[:-1])
    theta = np.pi * (np.arange(m) + 0.5) / m
    f = riesz_symbol(theta, degree, alpha)
    dg = r * (2.0 * np.minimum(xi, 1.0 - xi)) ** (r - 1.0)
    vals = (f[None, :] / dg[:, None] ** alpha).ravel()
    weights = np.repeat(np.diff(edges) / m, m)
    order = np.argsort(vals)
    cdf = np.cumsum(weights[order])
    cdf /= cdf[-1]
    idx = np.searchsorted(cdf, (np.arange(size) + 0.5) / size)
    return readonly(vals[order][np.minimum(idx, vals.size - 1)])


@dataclass(frozen=True)
class GradedSpectrum:
    """Sorted eigenvalues of ``h**alpha A`` on graded knots against the quantiles of ``g``.

    Attributes
    ----------
    degree, n, alpha, grading
        Parameters.
    eigenvalues : ndarray, shape (N,)
        Sorted real parts of the eigenvalues of ``h**alpha A`` (``h = 1/n`` on ``(0, 1)``).
    quantiles : ndarray, shape (N,)
        :func:`graded_symbol_quantiles`.
    relative_error : ndarray, shape (N,)
        ``|eigenvalues - quantiles| / quantiles``.
    bulk_error : float
        Median of ``relative_error``: how well the symbol describes the bulk.
    top_ratio : float
        ``max eigenvalue / max quantile``: the unbounded end of ``g``, which a finite grid samples badly.
    max_imag : float
        Largest ``|Im lambda|``.
    """

    degree: int
    n: int
    alpha: float
    grading: float
    eigenvalues: np.ndarray
    quantiles: np.ndarray
    relative_error: np.ndarray
    bulk_error: float
    top_ratio: float
    max_imag: float

    def __post_init__(self) -> None:
        degree = check_degree(self.degree)
        object.__setattr__(self, "degree", degree)
        object.__setattr__(self, "n", check_elements(self.n, degree))
        object.__setattr__(self, "alpha", check_alpha(self.alpha))
        object.__setattr__(self, "grading", _grading(self.grading))
        for name in ("eigenvalues", "quantiles", "relative_error"):
            arr = as_float_array(getattr(self, name), name, ndim=1)
            if arr.shape != (self.n + degree - 2,):
                raise ValueError(f"{name} must have shape ({self.n + degree - 2},), got {arr.shape}")
            object.__setattr__(self, name, readonly(arr, copy=True))
        for name in ("bulk_error", "top_ratio", "max_imag"):
            object.__setattr__(self, name, as_float(getattr(self, name), name, low=0.0))


def compare_graded_spectrum(degree: int, n: int, alpha: float, grading: float) -> GradedSpectrum:
    """Eigenvalues of ``h**alpha A`` on :func:`~specnum.bases.knots.graded_knots` against ``g`` (dense, ``O(N^3)``).

    Parameters
    ----------
    degree : int
        ``2 <= p <= 30``.
    n : int
        Number of elements, ``n >= max(2, p)``.
    alpha : float
        ``1 < alpha < 2``.
    grading : float
        ``r`` in ``[1, 16]`` (1: uniform knots, where ``g = f`` and the quantiles are close to the
        samples ``f(j pi/(N+1))``).

    Returns
    -------
    GradedSpectrum

    Raises
    ------
    ValueError, TypeError
        For bad parameters or a size beyond the budget.

    Examples
    --------
    >>> from specnum.riesz import compare_graded_spectrum
    >>> c = compare_graded_spectrum(3, 64, 1.5, 2.0)
    >>> bool(c.bulk_error < 0.1)
    True
    """
    degree = check_degree(degree)
    alpha = check_alpha(alpha)
    n = check_elements(n, degree)
    r = _grading(grading)
    size = n + degree - 2
    budget_dense(f"n = {n} ({size} unknowns)", size, copies=3, cubic=25.0)
    mat = assemble_dense(graded_knots(degree, n, r), degree, alpha) * (1.0 / n) ** alpha
    with blas_threads_for(size):
        ev = np.linalg.eigvals(mat)
    lam = np.sort(ev.real)
    q = graded_symbol_quantiles(degree, n, alpha, r)
    rel = np.abs(lam - q) / q
    return GradedSpectrum(degree, n, alpha, r, lam, q, rel, float(np.median(rel)), float(lam[-1] / q[-1]),
                          float(np.max(np.abs(ev.imag))))
