"""Spectral tools for tensor-product Riesz collocation (dense, small sizes).

The scaled matrices ``A2 / scale`` (:attr:`RieszCollocation2D.scale`) are distributed like
the bivariate symbol ``F = w_x f_{p_x,alpha} m_{p_y} + w_y m_{p_x} f_{p_y,beta}``
(:func:`~specnum.riesz.riesz_symbol_2d`, weights :attr:`RieszCollocation2D.symbol_weights`):
the sorted eigenvalues follow the sorted samples ``F(j pi/(N_x+1), k pi/(N_y+1))``, apart
from outliers above ``max F`` that come from the boundary rows and columns of each
direction (about ``2(p-2) N`` of them, a vanishing fraction). The spectral
condition number grows like ``n**max(alpha, beta)`` when both directions are refined together.

The dense LAPACK calls run with one BLAS thread (threadpoolctl): on a busy machine the
default threaded eigensolver can be ten times slower.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from specnum._validation import as_float, as_float_array, as_int, check_budget, readonly
from specnum.riesz._checks import check_alpha, check_degree
from specnum.riesz.collocation2d import RieszCollocation2D
from specnum.riesz.symbol2d import _named, as_pair, riesz_symbol_2d

__all__ = [
    "scaled_eigenvalues_2d",
    "symbol_samples_2d",
    "SpectralComparison2D",
    "compare_spectrum_2d",
    "ConditionGrowth2D",
    "condition_numbers_2d",
]

_DENSE_MAX = 4096  # unknowns above which the dense tools refuse (O(N^3) work, O(N^2) memory)


def _dense_collocation(degree, n, alpha, box, coefficients) -> RieszCollocation2D:
    col = RieszCollocation2D(degree, n, alpha, box=box, coefficients=coefficients)
    if col.size > _DENSE_MAX:
        raise ValueError(f"n = {col.n} gives {col.size} unknowns; the dense spectral tools need at most {_DENSE_MAX}")
    check_budget(f"n = {col.n}", memory=4 * 8.0 * col.size**2, work=30.0 * col.size**3)
    return col


def symbol_samples_2d(degree, n, alpha, *, box=((0.0, 1.0), (0.0, 1.0)), coefficients=(1.0, 1.0)) -> np.ndarray:
    """Sorted samples ``F(j pi/(N_x+1), k pi/(N_y+1))`` of the bivariate symbol, shape ``(N_x N_y,)``.

    The weights are :attr:`RieszCollocation2D.symbol_weights` of the same discretization.
    Arguments as in :class:`~specnum.riesz.RieszCollocation2D`.

    Examples
    --------
    >>> from specnum.riesz import symbol_samples_2d
    >>> print(symbol_samples_2d(2, 8, 1.5).shape)
    (64,)
    """
    col = RieszCollocation2D(degree, n, alpha, box=box, coefficients=coefficients)
    nx, ny = col.shape
    check_budget(f"n = {col.n}", memory=4 * 8.0 * col.size, work=200.0 * col.size)
    t1 = np.arange(1, nx + 1) * (np.pi / (nx + 1))
    t2 = np.arange(1, ny + 1) * (np.pi / (ny + 1))
    vals = riesz_symbol_2d(t1[:, None], t2[None, :], col.degree, col.alpha, col.symbol_weights)
    return np.sort(vals.ravel())


def scaled_eigenvalues_2d(degree, n, alpha, *, box=((0.0, 1.0), (0.0, 1.0)), coefficients=(1.0, 1.0)) -> np.ndarray:
    """Sorted eigenvalues (real parts) of ``A2 / scale`` (dense, at most 4096 unknowns).

    Returns
    -------
    ndarray, shape (N_x N_y,)

    Raises
    ------
    ValueError, TypeError
        For bad arguments or more than 4096 unknowns.

    Examples
    --------
    >>> from specnum.riesz import scaled_eigenvalues_2d
    >>> lam = scaled_eigenvalues_2d(2, 6, 1.5)
    >>> print(lam.shape, bool(lam[0] > 0))
    (36,) True
    """
    col = _dense_collocation(degree, n, alpha, box, coefficients)
    with threadpool_limits(limits=1, user_api="blas"):  # threaded LAPACK collapses on a busy machine
        return np.sort(np.linalg.eigvals(col.pencil().dense()).real)


@dataclass(frozen=True)
class SpectralComparison2D:
    """Eigenvalues of ``A2 / scale`` against the bivariate symbol (arrays read-only).

    Attributes
    ----------
    degree, n, alpha : pairs
        Parameters.
    weights : (float, float)
        ``symbol_weights`` of the discretization.
    eigenvalues : ndarray, shape (N,)
        Sorted real parts.
    samples : ndarray, shape (N,)
        Sorted symbol samples on the ``(N_x, N_y)`` grid ``(j pi/(N_x+1), k pi/(N_y+1))``.
    outliers : ndarray, shape (m,)
        Eigenvalues above ``(1 + margin) max F`` (sorted descending).
    bulk_error : float
        ``max |lambda_(i) - F_(i)|`` over the ``N - m`` smallest eigenvalues and samples,
        relative to ``max F``.
    max_imag : float
        Largest ``|Im lambda|``.
    symbol_max : float
        ``max F`` on ``[0, pi]^2`` (at ``(pi, pi)`` or on the grid of ``riesz_symbol_2d``).
    """

    degree: tuple[int, int]
    n: tuple[int, int]
    alpha: tuple[float, float]
    weights: tuple[float, float]
    eigenvalues: np.ndarray
    samples: np.ndarray
    outliers: np.ndarray
    bulk_error: float
    max_imag: float
    symbol_max: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "degree", as_pair(self.degree, "degree", _named(check_degree)))
        object.__setattr__(self, "n", as_pair(self.n, "n", lambda v, name: as_int(v, name, minimum=2)))
        object.__setattr__(self, "alpha", as_pair(self.alpha, "alpha", _named(check_alpha)))
        object.__setattr__(self, "weights",
                           as_pair(self.weights, "weights", lambda v, name: as_float(v, name, low=0.0)))
        for name in ("eigenvalues", "samples", "outliers"):
            object.__setattr__(self, name, readonly(as_float_array(getattr(self, name), name, ndim=1), copy=True))
        if self.samples.shape != self.eigenvalues.shape:
            raise ValueError(f"samples must have the shape of eigenvalues {self.eigenvalues.shape}, "
                             f"got {self.samples.shape}")
        for name in ("bulk_error", "max_imag", "symbol_max"):
            object.__setattr__(self, name, as_float(getattr(self, name), name, low=0.0))


def _symbol_max(col: RieszCollocation2D) -> float:
    grid = np.linspace(0.0, np.pi, 257)
    vals = riesz_symbol_2d(grid[:, None], grid[None, :], col.degree, col.alpha, col.symbol_weights)
    return float(vals.max())


def compare_spectrum_2d(degree, n, alpha, *, box=((0.0, 1.0), (0.0, 1.0)), coefficients=(1.0, 1.0),
                        margin: float = 0.0) -> SpectralComparison2D:
    """Sorted eigenvalues of ``A2 / scale`` against sorted samples of the bivariate symbol.

    Parameters
    ----------
    degree, n, alpha, box, coefficients
        As in :class:`~specnum.riesz.RieszCollocation2D` (at most 4096 unknowns).
    margin : float
        Relative margin above ``max F`` for the outliers (``>= 0``).

    Returns
    -------
    SpectralComparison2D

    Raises
    ------
    ValueError, TypeError
        For bad arguments or more than 4096 unknowns.

    Examples
    --------
    >>> from specnum.riesz import compare_spectrum_2d
    >>> c = compare_spectrum_2d(2, 12, 1.5)
    >>> print(c.eigenvalues.shape, bool(c.bulk_error < 0.05))
    (144,) True
    """
    margin = as_float(margin, "margin", low=0.0)
    col = _dense_collocation(degree, n, alpha, box, coefficients)
    with threadpool_limits(limits=1, user_api="blas"):
        ev = np.linalg.eigvals(col.pencil().dense())
    lam = np.sort(ev.real)
    samples = symbol_samples_2d(degree, n, alpha, box=box, coefficients=coefficients)
    fmax = max(_symbol_max(col), float(samples[-1]))
    out = np.sort(lam[lam > (1.0 + margin) * fmax])[::-1]
    keep = lam.size - out.size
    bulk = float(np.max(np.abs(lam[:keep] - samples[:keep]))) / fmax if keep else 0.0
    return SpectralComparison2D(col.degree, col.n, col.alpha, col.symbol_weights, lam, samples, out, bulk,
                                float(np.max(np.abs(ev.imag))), fmax)


@dataclass(frozen=True)
class ConditionGrowth2D:
    """Spectral condition numbers ``kappa_2(A2)`` for ``n x n`` elements and the fitted exponent.

    Attributes
    ----------
    degree : (int, int)
    alpha : (float, float)
    ns : ndarray of int, shape (m,)
        Elements per direction.
    condition : ndarray, shape (m,)
        ``kappa_2(A2)`` (2-norm, by SVD).
    exponent : float
        Least-squares slope of ``log kappa`` against ``log n`` (expected ``max(alpha, beta)``).
    """

    degree: tuple[int, int]
    alpha: tuple[float, float]
    ns: np.ndarray
    condition: np.ndarray
    exponent: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "degree", as_pair(self.degree, "degree", _named(check_degree)))
        object.__setattr__(self, "alpha", as_pair(self.alpha, "alpha", _named(check_alpha)))
        ns = np.asarray(self.ns)
        if ns.ndim != 1 or not np.issubdtype(ns.dtype, np.integer):
            raise TypeError(f"ns must be a 1-D integer array, got dtype {ns.dtype} and shape {ns.shape}")
        cond = readonly(as_float_array(self.condition, "condition", ndim=1), copy=True)
        if cond.shape != ns.shape or np.any(cond < 1.0):
            raise ValueError(f"condition must have the shape of ns {ns.shape} and values >= 1")
        object.__setattr__(self, "ns", readonly(np.array(ns)))
        object.__setattr__(self, "condition", cond)
        object.__setattr__(self, "exponent", as_float(self.exponent, "exponent"))


def condition_numbers_2d(degree, ns, alpha, *, box=((0.0, 1.0), (0.0, 1.0)),
                         coefficients=(1.0, 1.0)) -> ConditionGrowth2D:
    """``kappa_2(A2)`` with ``n`` elements in both directions, for each ``n`` in ``ns`` (dense SVD).

    Parameters
    ----------
    degree, alpha, box, coefficients
        As in :class:`~specnum.riesz.RieszCollocation2D`.
    ns : sequence of int, shape (m,), m >= 2
        Elements per direction (at least two distinct values; at most 4096 unknowns each).

    Returns
    -------
    ConditionGrowth2D

    Raises
    ------
    ValueError, TypeError
        For bad arguments, fewer than two distinct ``ns`` or too many unknowns.

    Examples
    --------
    >>> from specnum.riesz import condition_numbers_2d
    >>> g = condition_numbers_2d(2, [8, 16, 32], 1.5)
    >>> print(round(g.exponent, 1))
    1.5
    """
    try:
        raw = list(ns)
    except TypeError:
        raise TypeError(f"ns must be a sequence of integers, got {type(ns).__name__}") from None
    if len(raw) < 2:
        raise ValueError(f"ns must hold at least 2 values to fit an exponent, got {len(raw)}")
    nlist = [as_int(v, "ns", minimum=2) for v in raw]
    if len(set(nlist)) < 2:
        raise ValueError(f"ns must hold at least 2 distinct values to fit an exponent, got {nlist}")
    cols = [_dense_collocation(degree, m, alpha, box, coefficients) for m in nlist]  # all checked before work
    with threadpool_limits(limits=1, user_api="blas"):
        conds = np.array([np.linalg.cond(c.pencil().dense(), 2) for c in cols])
    slope = float(np.polyfit(np.log(nlist), np.log(conds), 1)[0])
    return ConditionGrowth2D(cols[0].degree, cols[0].alpha, np.array(nlist), conds, slope)
