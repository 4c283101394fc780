"""Weighted Jacobi spectral solver for ``L u + c u = f`` with zero exterior data (smooth ``f``, singular ``u``).

With ``s = alpha/2`` the operator ``L = -d^alpha/d|x|^alpha = (-Laplacian)^s`` (zero extension)
maps the weighted Jacobi polynomials of ``(-1, 1)`` to Jacobi polynomials,

.. math::

    L\\big[(1-t^2)^s P_k^{(s,s)}(t)\\big] = \\lambda_k P_k^{(s,s)}(t),
    \\qquad \\lambda_k = \\frac{\\Gamma(2s + k + 1)}{k!}

(Dyda 2012), and on ``(a, b)``, with ``t = (2x - a - b)/(b - a)``, the operator in ``x`` is
``(2/(b-a))**alpha`` times the operator in ``t``. For a smooth source the solution is
``(1 - t^2)^s`` times a rapidly converging Jacobi series: it behaves like ``dist(x, boundary)^s``
at the ends, which no basis that is smooth there resolves (B-splines on uniform knots converge
like ``h^s`` in the maximum norm whatever their degree).

The series uses the polynomials ``p_k`` orthonormal under the weight ``(1 - t^2)^s`` on
``[-1, 1]`` (multiples of ``P_k^{(s,s)}``, so with the same ``lambda_k``), evaluated by their
three-term recurrence.
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from scipy import linalg

from specnum._validation import (
    as_float,
    as_float_array,
    as_int,
    as_interval,
    as_rtol,
    check_budget,
    readonly,
)
from specnum.bases.chebyshev import chop
from specnum.bases.quadrature import gauss_jacobi
from specnum.errors import SpecnumWarning
from specnum.riesz._checks import check_alpha, source_values
from specnum.riesz.solve import binary_scale, blas_threads_for

__all__ = ["RieszJacobi", "JacobiSolution", "jacobi_eigenvalues"]

_EPS = float(np.finfo(np.float64).eps)
_FIRST_MODES = 17  # the chopping rule needs at least 17 coefficients to detect a plateau
MAX_MODES = 4097


def _recurrence(s: float, m: int) -> np.ndarray:
    """``r_k = sqrt(beta_k)``, ``k = 0..m``, of the orthonormal recurrence ``t p_k = r_{k+1} p_{k+1} + r_k p_{k-1}``.

    ``beta_k = k (k + 2s) / ((2k + 2s + 1)(2k + 2s - 1))`` (Gegenbauer, ``lambda = s + 1/2``); ``r_0 = 0``.
    """
    k = np.arange(m + 1, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        beta = k * (k + 2.0 * s) / ((2.0 * k + 2.0 * s + 1.0) * (2.0 * k + 2.0 * s - 1.0))
    beta[0] = 0.0
    return np.sqrt(beta)


def _p0(s: float) -> float:
    """``p_0 = 1/sqrt(mu_0)``, ``mu_0 = int (1-t^2)^s dt = sqrt(pi) Gamma(s+1)/Gamma(s+3/2)``."""
    return math.exp(-0.5 * (0.5 * math.log(math.pi) + math.lgamma(s + 1.0) - math.lgamma(s + 1.5)))


def _vandermonde(t: np.ndarray, s: float, m: int) -> np.ndarray:
    """``V[i, k] = p_k(t_i)``, ``k < m`` (shape ``(len(t), m)``)."""
    r = _recurrence(s, m)
    v = np.empty((t.size, m))
    v[:, 0] = _p0(s)
    if m > 1:
        v[:, 1] = t * v[:, 0] / r[1]
    for k in range(1, m - 1):
        v[:, k + 1] = (t * v[:, k] - r[k] * v[:, k - 1]) / r[k + 1]
    return v


@functools.lru_cache(maxsize=32)
def _projection(alpha: float, q: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Jacobi ``(s, s)`` nodes ``t`` (q,) and the analysis matrix ``W[k, i] = w_i p_k(t_i)`` (q, q)."""
    s = 0.5 * alpha
    t, w = gauss_jacobi(q, s, s)
    return readonly(np.array(t)), readonly(np.ascontiguousarray((_vandermonde(t, s, q) * w[:, None]).T))


@functools.lru_cache(maxsize=32)
def _reaction_rule(alpha: float, q: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gauss-Jacobi ``(2s, 2s)`` nodes with ``2q`` points and ``V[i, k] = p_k(t_i)`` for the c-integrals."""
    s = 0.5 * alpha
    t, w = gauss_jacobi(2 * q, 2.0 * s, 2.0 * s)
    return readonly(np.array(t)), readonly(np.array(w)), readonly(_vandermonde(t, s, q))


def jacobi_eigenvalues(alpha: float, m: int) -> np.ndarray:
    """``lambda_k = Gamma(alpha + k + 1) / k!``, ``k = 0..m-1``: ``L`` on the weighted Jacobi basis of ``(-1, 1)``.

    Parameters
    ----------
    alpha : float
        Order, ``1 < alpha < 2`` (``s = alpha/2``).
    m : int
        Number of eigenvalues, ``1 <= m <= 4097``.

    Returns
    -------
    ndarray, shape (m,)
        Increasing, ``lambda_k ~ k**alpha``; computed by the product ``lambda_k = lambda_{k-1} (k + alpha)/k``
        (relative error a few eps up to ``k = 4096``, no overflow).

    Raises
    ------
    ValueError, TypeError
        For ``alpha`` outside (1, 2) or ``m`` outside ``[1, 4097]``.

    Notes
    -----
    ``(-Laplacian)^s [(1 - t^2)^s P_k^{(s,s)}] = lambda_k P_k^{(s,s)}`` on ``(-1, 1)`` with zero
    exterior values; ``lambda_0 = Gamma(2s + 1)`` gives the classical solution
    ``(1 - t^2)^s / Gamma(2s + 1)`` of ``(-Laplacian)^s u = 1``.

    Examples
    --------
    >>> from math import gamma
    >>> from specnum.riesz import jacobi_eigenvalues
    >>> lam = jacobi_eigenvalues(1.5, 3)
    >>> bool(abs(lam[0] - gamma(2.5)) < 1e-15 and abs(lam[1] - gamma(3.5)) < 1e-14)
    True
    """
    alpha = check_alpha(alpha)
    m = as_int(m, "m", minimum=1, maximum=MAX_MODES)
    return _eigenvalues(alpha, m)


@functools.lru_cache(maxsize=32)
def _eigenvalues(alpha: float, m: int) -> np.ndarray:
    k = np.arange(1, m, dtype=np.float64)
    # lambda_k = lambda_{k-1} (k + alpha)/k: relative error ~ sqrt(k) eps (log-gamma differences lose
    # eps * log Gamma(k), 3e-12 at k = 4096); no overflow since lambda_k ~ k^alpha
    return readonly(math.gamma(alpha + 1.0) * np.concatenate([[1.0], np.cumprod((k + alpha) / k)]))


@dataclass(frozen=True, eq=False)
class JacobiSolution:
    """``u(x) = (1 - t^2)^s sum_k coefficients[k] p_k(t)`` on ``(a, b)``, zero outside.

    ``t = (2x - a - b)/(b - a)``, ``s = alpha/2`` and ``p_k`` the polynomials orthonormal under
    ``(1 - t^2)^s`` on ``[-1, 1]`` (multiples of the Jacobi polynomials ``P_k^{(s,s)}``).

    Attributes
    ----------
    alpha : float
        Order of the operator.
    interval : (float, float)
        ``(a, b)``.
    coefficients : ndarray, shape (m,)
        Series coefficients (read-only); ``m = modes``.
    error_estimate : float
        Estimated maximum error of ``u`` (absolute): the size of the discarded or the last computed
        coefficients, plus rounding. Since ``|(1 - t^2)^s p_k(t)| < 1`` on ``[-1, 1]``, the sum of
        the neglected ``|coefficients|`` bounds the truncation error.
    resolved : bool
        Whether the chopping rule found the coefficients' plateau within the allowed modes (for
        a fixed ``n``: whether the estimate meets the requested ``rtol``).
    """

    alpha: float
    interval: tuple[float, float]
    coefficients: np.ndarray
    error_estimate: float
    resolved: bool

    def __post_init__(self) -> None:
        object.__setattr__(self, "alpha", check_alpha(self.alpha))
        object.__setattr__(self, "interval", as_interval(self.interval))
        coef = as_float_array(self.coefficients, "coefficients", ndim=1)
        if coef.size < 1:
            raise ValueError("coefficients must hold at least one value, got shape (0,)")
        object.__setattr__(self, "coefficients", readonly(coef, copy=True))
        object.__setattr__(self, "error_estimate", as_float(self.error_estimate, "error_estimate", low=0.0))
        if not isinstance(self.resolved, (bool, np.bool_)):
            raise TypeError(f"resolved must be a bool, got {type(self.resolved).__name__}")
        object.__setattr__(self, "resolved", bool(self.resolved))

    @property
    def modes(self) -> int:
        """Number of series terms ``m``."""
        return int(self.coefficients.size)

    def __call__(self, x) -> np.ndarray:
        """Evaluate ``u`` at ``x`` (any shape; zero outside ``(a, b)``), by Clenshaw's recurrence.

        ``O(m)`` work per point; the weight is formed as ``(4 (x - a)(b - x)/(b - a)^2)^s``,
        accurate up to the ends.
        """
        xa = as_float_array(x, "x")
        check_budget(f"x of size {xa.size}", memory=8.0 * xa.size * 8, work=10.0 * xa.size * self.modes)
        a, b = self.interval
        s = 0.5 * self.alpha
        flat = xa.reshape(-1)
        inside = (flat > a) & (flat < b)
        xi = flat[inside]
        length = b - a
        t = ((xi - a) - (b - xi)) / length
        weight = (4.0 * ((xi - a) / length) * ((b - xi) / length)) ** s
        out = np.zeros(flat.shape)
        out[inside] = weight * _clenshaw(self.coefficients, t, s)
        return out.reshape(xa.shape)


def _clenshaw(c: np.ndarray, t: np.ndarray, s: float) -> np.ndarray:
    """``sum_k c_k p_k(t)`` for the orthonormal recurrence ``p_{k+1} = (t p_k - r_k p_{k-1}) / r_{k+1}``."""
    m = c.size
    r = _recurrence(s, m + 1)
    b1 = np.zeros_like(t)
    b2 = np.zeros_like(t)
    for k in range(m - 1, -1, -1):
        b0 = c[k] + (t / r[k + 1]) * b1 - (r[k + 1] / r[k + 2]) * b2
        b2, b1 = b1, b0
    return _p0(s) * b1


@dataclass(frozen=True, eq=False)
class RieszJacobi:
    """Spectral solver of ``-d^alpha u/d|x|^alpha + c(x) u = f`` on ``(a, b)``, ``u = 0`` outside.

    The solution is sought as ``(1 - t^2)^(alpha/2)`` times a Jacobi series (see
    :class:`JacobiSolution`); without reaction term each mode is solved for exactly, with one
    the Petrov-Galerkin equations (test functions ``p_j (1 - t^2)^s``) give a small dense system.

    Parameters
    ----------
    alpha : float
        Order, ``1 < alpha < 2``.
    n : int, optional
        Number of modes, ``1 <= n <= 4097``; the error estimate then comes from a second
        projection with ``max(17, n + max(4, n // 4))`` modes. ``None`` (default): adaptive,
        doubling from 17 modes until the chopping rule of :func:`specnum.bases.chebyshev.chop`
        finds the coefficients resolved to ``rtol``, at most ``max_modes``.
    interval : (float, float)
        ``(a, b)``, default ``(0, 1)``.
    rtol : float
        Keyword only. Target relative accuracy of the coefficients, in ``(0, 1)``; default
        machine epsilon.
    max_modes : int
        Keyword only. Largest number of modes of the adaptive search (``17 <= max_modes <= 4097``,
        default 1025).

    Raises
    ------
    ValueError, TypeError
        For bad arguments, naming the argument.

    Notes
    -----
    With ``t = (2x - a - b)/(b - a)``, ``s = alpha/2``, ``lambda'_k = (2/(b - a))^alpha lambda_k``
    (:func:`jacobi_eigenvalues`) and ``u = (1 - t^2)^s sum_k u_k p_k(t)``:

    * without reaction, ``u_k = f_k / lambda'_k`` with ``f_k = int f p_k (1 - t^2)^s dt``, computed by
      Gauss-Jacobi quadrature with parameters ``(s, s)`` (from :mod:`specnum.bases.quadrature`),
      as many nodes as modes;
    * with ``c``, ``lambda'_j u_j + sum_k M_jk u_k = f_j`` with
      ``M_jk = int c(x(t)) (1 - t^2)^(2s) p_j p_k dt`` (Gauss-Jacobi ``(2s, 2s)`` with twice as many
      nodes as modes), solved by dense LU. ``c >= 0`` keeps the system well conditioned.
      The solution is then no longer ``(1 - t^2)^s`` times a smooth function (``c u`` feeds the
      boundary singularity back into the source), so convergence is algebraic: the coefficients
      decay like ``k^(-2 alpha - 2)`` (on a manufactured problem with ``c = 1 + x^2``, max errors
      3e-10, 3e-12, 2e-14 with 256 modes for ``alpha = 1.2, 1.5, 1.8``); set ``rtol`` accordingly.

    The source values are scaled by a power of two before the projection, so ``f`` and
    ``1e160 f`` give solutions differing by exactly that factor (up to the rounding of ``f``).
    A source that the adaptive search (or a fixed ``n``) does not resolve gives a
    :class:`~specnum.errors.SpecnumWarning` with the estimated error.

    Examples
    --------
    >>> import numpy as np
    >>> from math import gamma
    >>> from specnum.riesz import RieszJacobi
    >>> sol = RieszJacobi(1.5).solve(lambda x: np.ones_like(x))   # u = (x(1-x))^0.75 / Gamma(2.5)
    >>> x = np.linspace(0, 1, 11)
    >>> print(sol.modes, bool(np.max(np.abs(sol(x) - (x * (1 - x)) ** 0.75 / gamma(2.5))) < 1e-15))
    1 True
    """

    alpha: float
    n: int | None = None
    interval: tuple[float, float] = (0.0, 1.0)
    rtol: float = field(default=_EPS, kw_only=True)
    max_modes: int = field(default=1025, kw_only=True)

    def __post_init__(self) -> None:
        object.__setattr__(self, "alpha", check_alpha(self.alpha))
        if self.n is not None:
            object.__setattr__(self, "n", as_int(self.n, "n", minimum=1, maximum=MAX_MODES))
        interval = as_interval(self.interval)
        if not math.isfinite(interval[1] - interval[0]):
            raise ValueError(f"interval must have a finite length, got {interval!r}")
        object.__setattr__(self, "interval", interval)
        object.__setattr__(self, "rtol", as_rtol(self.rtol))
        object.__setattr__(self, "max_modes", as_int(self.max_modes, "max_modes", minimum=_FIRST_MODES,
                                                     maximum=MAX_MODES))

    def _scale(self) -> float:
        return (2.0 / (self.interval[1] - self.interval[0])) ** self.alpha

    def points(self, m: int) -> np.ndarray:
        """The ``m`` Gauss-Jacobi nodes in ``(a, b)`` where the source is sampled for ``m`` modes (shape ``(m,)``)."""
        m = as_int(m, "m", minimum=1, maximum=MAX_MODES)
        a, b = self.interval
        t = _projection(self.alpha, m)[0]
        return 0.5 * (a + b) + 0.5 * (b - a) * t

    def solve(self, source: Callable | float, *, reaction: Callable | float | None = None) -> JacobiSolution:
        """Solve ``L u + c u = f`` and return the weighted Jacobi series.

        Parameters
        ----------
        source : callable or float
            ``f(x)``: called with an array of points in ``(a, b)`` (shape ``(q,)``), must return
            finite real values of that shape; or a constant.
        reaction : callable or float, optional
            Keyword only. ``c(x)`` (callable as ``source``) or a constant; ``None`` or 0: no reaction term.

        Returns
        -------
        JacobiSolution

        Raises
        ------
        ValueError, TypeError
            Non-finite or wrongly shaped values of ``source``/``reaction``, or a singular
            Petrov-Galerkin system (a negative ``c`` can make ``L + c`` singular).

        Warns
        -----
        SpecnumWarning
            When the coefficients are not resolved to ``rtol`` (the estimated error is in the message).
        """
        f = _as_function(source, "source")
        c = None if reaction is None else _as_function(reaction, "reaction")
        if c is not None and not callable(reaction) and float(reaction) == 0.0:
            c = None
        if self.n is not None:
            return self._solve_fixed(f, c, self.n)
        for q in _doubling(self.max_modes):
            self._budget(q, c)
            coef = self._coefficients(f, c, q)
            if coef is None:
                return JacobiSolution(self.alpha, self.interval, np.zeros(1), 0.0, True)
            cut = chop(coef, rtol=self.rtol)
            if cut < q:  # the chopping rule found the plateau: what lies beyond is rounding noise
                estimate = float(np.sum(np.abs(coef[cut:]))) + _rounding(coef)
                return JacobiSolution(self.alpha, self.interval, coef[:cut], estimate, True)
        # no plateau within max_modes: the last quarter of the coefficients sizes what is missing
        estimate = float(np.sum(np.abs(coef[(3 * q) // 4 :]))) + _rounding(coef)
        _warn_unresolved(q, estimate, coef, "increase max_modes or smooth the source")
        return JacobiSolution(self.alpha, self.interval, coef, estimate, False)

    def _coefficients(self, f, c, q: int) -> np.ndarray | None:
        """Series coefficients with ``q`` modes (``None`` for a zero source)."""
        a, b = self.interval
        t, analysis = _projection(self.alpha, q)
        fv = source_values(f, 0.5 * (a + b) + 0.5 * (b - a) * t, "source")
        peak = binary_scale(fv)
        if peak == 0.0:
            return None
        rhs = analysis @ (fv / peak)
        lam = self._scale() * _eigenvalues(self.alpha, q)
        if c is None:
            coef = rhs / lam
        else:
            tc, wc, vc = _reaction_rule(self.alpha, q)
            cv = source_values(c, 0.5 * (a + b) + 0.5 * (b - a) * tc, "reaction")
            with blas_threads_for(q):
                mat = (vc.T * (wc * cv)) @ vc
                mat[np.diag_indices(q)] += lam
                try:
                    coef = linalg.solve(mat, rhs, check_finite=False)
                except linalg.LinAlgError:
                    raise ValueError("reaction makes L + c singular on the Jacobi modes; use c >= 0") from None
        coef = coef * peak
        if not np.all(np.isfinite(coef)):
            raise ValueError(f"source is too large: the solution overflows float64 (values up to {peak:.3g})")
        return coef

    def _budget(self, q: int, c) -> None:
        check_budget(f"{q} modes", memory=8.0 * q * q * (6 if c is not None else 2),
                     work=40.0 * q**3 if c is not None else 4.0 * q * q)

    def _solve_fixed(self, f, c, q: int) -> JacobiSolution:
        """``q`` modes; the error is estimated from a second projection with ``q + max(4, q/4)`` (at least 17) modes.

        Without reaction the coefficients do not depend on the number of modes, so the ``q`` kept
        are those of the larger projection (a finer quadrature) and the estimate is the size of the
        ones beyond ``q``; with reaction it is the 1-norm of the difference of the two solutions.
        """
        qa = min(MAX_MODES, max(_FIRST_MODES, q + max(4, q // 4)))
        self._budget(qa, c)
        aux = self._coefficients(f, c, qa) if qa > q else None
        if c is None and aux is not None:
            coef = aux[:q]
        else:
            coef = self._coefficients(f, c, q)
        if coef is None:
            return JacobiSolution(self.alpha, self.interval, np.zeros(1), 0.0, True)
        if aux is None:  # q at the largest size: no larger projection
            estimate = float(np.sum(np.abs(coef[(3 * q) // 4 :])))
        else:
            estimate = float(np.sum(np.abs(aux - np.pad(coef, (0, qa - q)))))
        estimate += _rounding(coef)
        resolved = estimate <= max(self.rtol, 64.0 * _EPS) * float(np.max(np.abs(coef)))
        if not resolved:
            _warn_unresolved(q, estimate, coef, "increase n")
        return JacobiSolution(self.alpha, self.interval, coef, estimate, resolved)


def _rounding(coef: np.ndarray) -> float:
    return 16.0 * _EPS * float(np.sum(np.abs(coef)))


def _warn_unresolved(q: int, estimate: float, coef: np.ndarray, advice: str) -> None:
    warnings.warn(
        f"source not resolved with {q} modes: estimated error {estimate:.2e} "
        f"(largest coefficient {float(np.max(np.abs(coef))):.2e}); {advice}",
        SpecnumWarning,
        stacklevel=4,
    )


def _doubling(max_modes: int) -> list[int]:
    sizes = [_FIRST_MODES]
    while sizes[-1] < max_modes:
        sizes.append(min(2 * sizes[-1] - 1, max_modes))
    return sizes


def _as_function(value, name: str):
    """A callable stays as is; a real constant becomes a constant function."""
    if callable(value):
        return value
    const = as_float(value, name)
    return lambda x: np.full(np.shape(x), const)
