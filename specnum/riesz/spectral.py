"""Spectral analysis of the scaled collocation matrices ``h**alpha * A`` against the symbol.

``{h**alpha A_N}`` is distributed like ``f_{p,alpha}`` (the boundary part ``R_N``
has bounded rank). The eigenvalues sit near the samples ``f(j pi/(N+1))``,
except ``2(p-2)`` outliers above ``max f`` coming from the boundary rows; the
spectral condition number grows like ``n**alpha``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from specnum._validation import as_float, as_float_array, as_int, check_budget, readonly
from specnum.riesz._checks import budget_dense, check_alpha, check_degree, check_elements
from specnum.riesz.assembly import assemble_structure
from specnum.riesz.solve import blas_threads_for
from specnum.riesz.symbol import riesz_symbol

__all__ = [
    "scaled_eigenvalues",
    "symbol_samples",
    "symbol_maximum",
    "outliers",
    "SpectralComparison",
    "compare_spectrum",
    "ConditionGrowth",
    "condition_numbers",
]


def _budget_eig(n: int, degree: int) -> None:
    """A dense nonsymmetric eigenvalue problem of size ``N``: 3 matrices, about ``25 N^3`` flops."""
    budget_dense(f"n = {n} ({n + degree - 2} unknowns)", n + degree - 2, copies=3, cubic=25.0)


def scaled_eigenvalues(degree: int, n: int, alpha: float) -> np.ndarray:
    """Sorted eigenvalues (real parts) of ``h**alpha * A``.

    Parameters
    ----------
    degree : int
        Spline degree ``2 <= p <= 30``.
    n : int
        Number of elements.
    alpha : float
        Order, ``1 < alpha < 2``.

    Returns
    -------
    ndarray, shape (N,)
        Real parts in ascending order, ``N = n + p - 2``. ``A`` is not symmetric;
        imaginary parts, when present, are small (see :func:`compare_spectrum`).

    Raises
    ------
    ValueError, TypeError
        For ``degree`` outside ``[2, 30]``, ``n < max(2, degree)`` or ``alpha`` outside (1, 2).

    Examples
    --------
    >>> from specnum.riesz import scaled_eigenvalues
    >>> lam = scaled_eigenvalues(2, 32, 1.5)
    >>> print(lam.shape, bool(lam[0] > 0))
    (32,) True
    """
    degree = check_degree(degree)
    alpha = check_alpha(alpha)
    n = check_elements(n, degree)
    _budget_eig(n, degree)
    with blas_threads_for(n + degree - 2):
        ev = np.linalg.eigvals(assemble_structure(degree, n, alpha).dense())
    return np.sort(ev.real)


def symbol_samples(degree: int, n: int, alpha: float) -> np.ndarray:
    """Sorted samples ``f_{p,alpha}(j pi/(N+1))``, ``j = 1..N``, ``N = n + p - 2`` (shape ``(N,)``).

    These are the eigenvalues of ``tau(f)`` and the natural comparison for
    :func:`scaled_eigenvalues`.

    Raises
    ------
    ValueError, TypeError
        For ``degree`` outside ``[2, 30]``, ``n < max(2, degree)`` or ``alpha`` outside (1, 2).

    Examples
    --------
    >>> from specnum.riesz import symbol_samples
    >>> print(symbol_samples(3, 8, 1.5).shape)
    (9,)
    """
    degree = check_degree(degree)
    alpha = check_alpha(alpha)
    n = check_elements(n, degree)
    size = n + degree - 2
    check_budget(f"n = {n}", memory=8.0 * size * 12, work=size * 400.0)
    theta = np.arange(1, size + 1) * (np.pi / (size + 1))
    return np.sort(riesz_symbol(theta, degree, alpha))


@functools.lru_cache(maxsize=64)
def _symbol_max(degree: int, alpha: float) -> tuple[float, float]:
    grid = np.linspace(0.0, np.pi, 513)
    vals = riesz_symbol(grid, degree, alpha)
    k = int(np.argmax(vals))
    if k == grid.size - 1:
        return float(vals[k]), float(np.pi)
    lo, hi = grid[max(k - 1, 0)], grid[min(k + 1, grid.size - 1)]
    res = optimize.minimize_scalar(
        lambda t: -float(riesz_symbol(np.array([t]), degree, alpha)[0]),
        bounds=(lo, hi),
        method="bounded",
        options={"xatol": 1e-12},
    )
    best = max((float(vals[k]), float(grid[k])), (float(-res.fun), float(res.x)))
    return best


def symbol_maximum(degree: int, alpha: float) -> tuple[float, float]:
    """Return ``(max f, argmax)`` of ``f_{p,alpha}`` on ``[0, pi]`` (cached per ``(degree, alpha)``).

    Raises
    ------
    ValueError, TypeError
        For ``degree`` outside ``[2, 30]`` or ``alpha`` outside (1, 2).

    Examples
    --------
    >>> import numpy as np
    >>> from specnum.riesz import symbol_maximum
    >>> fmax, where = symbol_maximum(2, 1.5)    # for p = 2, 3 the maximum is at pi
    >>> print(bool(abs(where - np.pi) < 1e-9))
    True
    """
    return _symbol_max(check_degree(degree), check_alpha(alpha))


def outliers(eigenvalues, degree: int, alpha: float, *, margin: float = 0.0) -> np.ndarray:
    """Eigenvalues above ``(1 + margin) * max f_{p,alpha}`` (sorted descending).

    Parameters
    ----------
    eigenvalues : array_like, shape (N,)
        Eigenvalues of ``h**alpha A`` (real parts).
    degree, alpha
        Degree and order of the symbol.
    margin : float
        Keyword only. Relative margin above ``max f`` (default 0: every eigenvalue above the
        range of the symbol; the bulk approaches ``max f`` from below).

    Returns
    -------
    ndarray, shape (m,)

    Raises
    ------
    ValueError, TypeError
        If ``eigenvalues`` is not a finite 1-D real array, ``margin < 0``, or for bad
        ``degree``/``alpha``.
    """
    lam = as_float_array(eigenvalues, "eigenvalues", ndim=1)
    margin = as_float(margin, "margin", low=0.0)
    fmax, _ = symbol_maximum(degree, alpha)
    out = lam[lam > (1.0 + margin) * fmax]
    return np.sort(out)[::-1]


@dataclass(frozen=True)
class SpectralComparison:
    """Sorted eigenvalues of ``h**alpha A`` against the sorted symbol samples.

    Attributes
    ----------
    degree, n, alpha
        Parameters.
    eigenvalues : ndarray, shape (N,)
        Sorted real parts.
    samples : ndarray, shape (N,)
        Sorted ``f(j pi/(N+1))``.
    outliers : ndarray, shape (m,)
        Eigenvalues above ``(1 + margin) max f``.
    bulk_error : float
        ``max_j |lambda_j - f(j pi/(N_r+1))|`` over the ``N_r = N - m`` smallest eigenvalues
        against the sorted samples on the grid of size ``N_r`` (outliers removed).
    max_imag : float
        Largest ``|Im lambda|``.
    symbol_max : float
        ``max f`` on ``[0, pi]``.
    """

    degree: int
    n: int
    alpha: float
    eigenvalues: np.ndarray
    samples: np.ndarray
    outliers: np.ndarray
    bulk_error: float
    max_imag: float
    symbol_max: float

    def __post_init__(self) -> None:
        degree = check_degree(self.degree)
        object.__setattr__(self, "degree", degree)
        object.__setattr__(self, "n", check_elements(self.n, degree))
        object.__setattr__(self, "alpha", check_alpha(self.alpha))
        for name in ("eigenvalues", "samples", "outliers"):
            object.__setattr__(self, name, readonly(as_float_array(getattr(self, name), name, ndim=1), copy=True))
        for name in ("bulk_error", "max_imag", "symbol_max"):
            object.__setattr__(self, name, as_float(getattr(self, name), name, low=0.0))


def compare_spectrum(degree: int, n: int, alpha: float, *, margin: float = 0.0) -> SpectralComparison:
    """Eigenvalues of ``h**alpha A`` against the symbol, with outliers (dense, ``O(N^3)``).

    Parameters
    ----------
    degree : int
        Spline degree ``2 <= p <= 30``.
    n : int
        Number of elements, ``n >= max(2, p)``.
    alpha : float
        Order, ``1 < alpha < 2``.
    margin : float
        Keyword only. Relative margin above ``max f`` for :func:`outliers` (``>= 0``).

    Returns
    -------
    SpectralComparison
        Arrays of shape ``(N,)`` (``N = n + p - 2``) and ``(m,)`` (outliers), read-only.

    Raises
    ------
    ValueError, TypeError
        For bad ``degree``, ``n``, ``alpha`` or ``margin``.

    Examples
    --------
    >>> from specnum.riesz import compare_spectrum
    >>> c = compare_spectrum(3, 64, 1.5)
    >>> print(len(c.outliers), bool(c.bulk_error < 0.05))
    2 True
    """
    degree = check_degree(degree)
    alpha = check_alpha(alpha)
    n = check_elements(n, degree)
    margin = as_float(margin, "margin", low=0.0)  # checked before the O(N^3) work
    _budget_eig(n, degree)
    with blas_threads_for(n + degree - 2):
        ev = np.linalg.eigvals(assemble_structure(degree, n, alpha).dense())
    lam = np.sort(ev.real)
    samples = symbol_samples(degree, n, alpha)
    out = outliers(lam, degree, alpha, margin=margin)
    nr = lam.size - out.size
    if nr > 0:
        grid = np.arange(1, nr + 1) * (np.pi / (nr + 1))
        bulk = float(np.max(np.abs(lam[:nr] - np.sort(riesz_symbol(grid, degree, alpha)))))
    else:
        bulk = 0.0
    return SpectralComparison(
        degree,
        n,
        alpha,
        readonly(lam),
        readonly(samples),
        readonly(out),
        bulk,
        float(np.max(np.abs(ev.imag))),
        symbol_maximum(degree, alpha)[0],
    )


@dataclass(frozen=True)
class ConditionGrowth:
    """Spectral condition numbers ``kappa_2(A)`` for several ``n`` and the fitted exponent.

    Attributes
    ----------
    degree, alpha
        Parameters.
    ns : ndarray of int, shape (m,)
    condition : ndarray, shape (m,)
        ``kappa_2(A_n)`` (2-norm, by SVD; scale invariant so also of ``h**alpha A``).
    exponent : float
        Least-squares slope of ``log kappa`` against ``log n`` (expected ``alpha``).
    """

    degree: int
    alpha: float
    ns: np.ndarray
    condition: np.ndarray
    exponent: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "degree", check_degree(self.degree))
        object.__setattr__(self, "alpha", check_alpha(self.alpha))
        ns = np.asarray(self.ns)
        if ns.ndim != 1 or not np.issubdtype(ns.dtype, np.integer):
            raise TypeError(f"ns must be a 1-D integer array, got dtype {ns.dtype} and shape {ns.shape}")
        cond = as_float_array(self.condition, "condition", ndim=1)
        if cond.shape != ns.shape:
            raise ValueError(f"condition must have the shape of ns {ns.shape}, got {cond.shape}")
        object.__setattr__(self, "ns", readonly(ns, copy=True))
        object.__setattr__(self, "condition", readonly(cond, copy=True))
        object.__setattr__(self, "exponent", as_float(self.exponent, "exponent"))


def condition_numbers(degree: int, ns, alpha: float) -> ConditionGrowth:
    """Condition numbers ``kappa_2(A)`` for each ``n`` in ``ns`` and the fitted growth exponent.

    Parameters
    ----------
    degree : int
        Spline degree.
    ns : sequence of int, shape (m,), m >= 2
        Numbers of elements (at least two distinct values).
    alpha : float
        Order.

    Returns
    -------
    ConditionGrowth

    Raises
    ------
    ValueError, TypeError
        For bad ``degree`` or ``alpha``, if ``ns`` is not a sequence of integers
        ``>= max(2, degree)`` or holds fewer than two distinct values.

    Examples
    --------
    >>> from specnum.riesz import condition_numbers
    >>> g = condition_numbers(2, [32, 64, 128], 1.5)
    >>> print(round(g.exponent, 1))
    1.5
    """
    degree = check_degree(degree)
    alpha = check_alpha(alpha)
    try:
        raw = list(ns)
    except TypeError:
        raise TypeError(f"ns must be a sequence of integers, got {type(ns).__name__}") from None
    if len(raw) < 2:
        raise ValueError(f"ns must hold at least 2 values to fit an exponent, got {len(raw)}")
    nlist = [as_int(v, "ns", minimum=max(2, degree)) for v in raw]  # the rule of check_elements
    if len(set(nlist)) < 2:
        raise ValueError(f"ns must hold at least 2 distinct values to fit an exponent, got {nlist}")
    sizes = [m + degree - 2 for m in nlist]
    check_budget(f"ns = {nlist}", memory=8.0 * 3 * max(sizes) ** 2, work=sum(30.0 * k**3 for k in sizes))
    conds = []
    for m in nlist:
        with blas_threads_for(m + degree - 2):
            conds.append(np.linalg.cond(assemble_structure(degree, m, alpha).dense(), 2))
    conds = np.array(conds)
    slope = float(np.polyfit(np.log(nlist), np.log(conds), 1)[0])
    return ConditionGrowth(degree, alpha, readonly(np.array(nlist)), readonly(conds), slope)
