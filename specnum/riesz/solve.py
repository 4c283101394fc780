"""Solvers for the Riesz collocation system: dense LU, and GMRES with symbol-based preconditioners.

Internal module: :mod:`specnum.riesz` re-exports ``tau_eigenvalues``, ``tau_preconditioner``,
``strang_preconditioner``; the other names here serve the pillar's own modules and may change.

The system ``A c = s`` is solved in the scaled form ``(h**alpha A) c = h**alpha s``.

Preconditioners (inverses applied in ``O(N log N)``):

* ``"tau"``: ``P = tau(f) + R_N`` where ``tau(f) = S diag(f(j pi/(N+1)), j=1..N) S`` with ``S``
  the orthonormal DST-I (:func:`scipy.fft.dst`, ``type=1, norm="ortho"``; ``S = S^T = S^{-1}``),
  built from the symbol alone, and ``R_N`` the exact low-rank boundary block (rank ``<= 4p-6``),
  inverted by the Sherman-Morrison-Woodbury formula. ``P^{-1} A = I + P^{-1}(T_N - tau(f))``:
  iteration counts are independent of ``N`` and of the boundary outliers.
  :func:`tau_preconditioner` alone is the plain ``tau(f)^{-1}``.
* ``"circulant"``: the Strang circulant of the Toeplitz part, ``c_k = a_k`` for
  ``|k| <= N/2`` wrapped around; its eigenvalues come from one FFT.
"""

from __future__ import annotations

import contextlib
import functools
import math
import warnings

import numpy as np
from scipy import fft as sfft
from scipy import linalg
from scipy.sparse.linalg import LinearOperator, gmres

from specnum._validation import as_float, as_float_array, as_int, check_budget, readonly
from specnum.errors import ConvergenceError, SpecnumWarning
from specnum.riesz._checks import check_alpha, check_degree
from specnum.riesz.assembly import RieszStructure
from specnum.riesz.symbol import riesz_symbol

__all__ = [
    "tau_eigenvalues",
    "tau_preconditioner",
    "tau_boundary_preconditioner",
    "residual_floor",
    "binary_scale",
    "blas_threads_for",
    "SINGLE_THREAD_MAX",
    "dst1",
    "strang_preconditioner",
    "gmres_solve",
    "PRECONDITIONERS",
]

PRECONDITIONERS = ("tau", "circulant", None)


@functools.lru_cache(maxsize=16)
def _tau_eigenvalues_cached(degree: int, size: int, alpha: float) -> np.ndarray:
    theta = np.arange(1, size + 1) * (np.pi / (size + 1))
    lam = riesz_symbol(theta, degree, alpha)
    return readonly(lam)


def tau_eigenvalues(degree: int, size: int, alpha: float) -> np.ndarray:
    """Return ``f_{p,alpha}(j pi/(N+1))``, ``j = 1..N``: the eigenvalues of ``tau(f)``.

    Parameters
    ----------
    degree : int
        Spline degree ``2 <= p <= 30``.
    size : int
        ``N >= 1``.
    alpha : float
        Order, ``1 < alpha < 2``.

    Returns
    -------
    ndarray, shape (N,)
        Read-only (cached per parameter set).

    Raises
    ------
    ValueError, TypeError
        For ``degree`` outside ``[2, 30]``, ``size < 1`` or ``alpha`` outside (1, 2).
    """
    degree = check_degree(degree)
    size = as_int(size, "size", minimum=1)
    alpha = check_alpha(alpha)
    check_budget(f"size = {size}", memory=8.0 * size * 12, work=size * 400.0)
    return _tau_eigenvalues_cached(degree, size, alpha)


def tau_preconditioner(degree: int, size: int, alpha: float, *, scale: float = 1.0) -> LinearOperator:
    """``LinearOperator`` applying ``scale * tau(f)^{-1}`` (``O(N log N)`` by DST-I).

    Parameters
    ----------
    degree : int
        Spline degree.
    size : int
        Matrix size ``N``.
    alpha : float
        Order.
    scale : float
        Keyword only. Multiplies the inverse (use ``h**alpha`` to precondition the unscaled ``A``); finite, ``> 0``.

    Returns
    -------
    LinearOperator
        Shape ``(N, N)``; ``matvec`` takes vectors of shape ``(N,)``.

    Raises
    ------
    ValueError, TypeError
        For bad ``degree``, ``size``, ``alpha`` or ``scale``, naming the argument.
    """
    lam = tau_eigenvalues(degree, size, alpha)
    size = int(lam.shape[0])
    scale = as_float(scale, "scale", low=0.0, low_open=True)
    with np.errstate(over="ignore"):
        inv = scale / lam
    if not np.all(np.isfinite(inv)):
        raise ValueError(f"scale is too large: scale / f(theta_j) overflows float64, got scale = {scale!r}")

    def apply(v: np.ndarray) -> np.ndarray:
        v = np.asarray(v, dtype=np.float64).reshape(size)
        return dst1(inv * dst1(v))

    return LinearOperator((size, size), matvec=apply, dtype=np.float64)


@functools.lru_cache(maxsize=8)
def _bluestein_plan(size: int) -> tuple[int, np.ndarray, np.ndarray]:
    m = sfft.next_fast_len(2 * size - 1)
    period = 4 * (size + 1)  # w = exp(i pi / (2(N+1))) has order 4(N+1): reduce exponents exactly
    q = (np.arange(1, size + 1, dtype=np.int64) ** 2) % period
    chirp = np.exp(1j * np.pi * q / (2 * (size + 1)))
    d = np.arange(size, dtype=np.int64)
    b = np.exp(-1j * np.pi * ((d * d) % period) / (2 * (size + 1)))
    kern = np.zeros(m, dtype=np.complex128)
    kern[:size] = b
    kern[m - size + 1 :] = b[1:][::-1]
    spec = sfft.fft(kern)
    return m, readonly(chirp), readonly(spec)


@functools.lru_cache(maxsize=64)
def _largest_prime_factor(m: int) -> int:
    largest, d = 1, 2
    while d * d <= m:
        while m % d == 0:
            largest, m = d, m // d
        d += 1
    return max(largest, m) if m > 1 else largest


def dst1(v: np.ndarray) -> np.ndarray:
    """Orthonormal DST-I along axis 0 (``S_jk = sqrt(2/(N+1)) sin(pi j k/(N+1))``, ``S = S^{-1}``).

    :func:`scipy.fft.dst` (``type=1, norm="ortho"``) unless ``N + 1`` has a prime factor above
    1000 (e.g. ``N = 2**16``, where ``N + 1`` is prime); then Bluestein's chirp-z form
    ``jk = (j^2 + k^2 - (k-j)^2)/2`` with FFTs of length ``next_fast_len(2N - 1)``.

    Parameters
    ----------
    v : ndarray, shape (N,) or (N, k)

    Returns
    -------
    ndarray, same shape
    """
    size = v.shape[0]
    if size < 1024 or _largest_prime_factor(size + 1) <= 1000:
        return sfft.dst(v, type=1, norm="ortho", axis=0)
    m, chirp, spec = _bluestein_plan(size)
    if v.ndim == 2:
        chirp, spec = chirp[:, None], spec[:, None]
    conv = sfft.ifft(sfft.fft(v * chirp, n=m, axis=0) * spec, axis=0)[:size]
    return np.sqrt(2.0 / (size + 1)) * (conv * chirp).imag


def _tau_solve(lam: np.ndarray, v: np.ndarray) -> np.ndarray:
    w = dst1(v)
    w /= lam[:, None] if v.ndim == 2 else lam
    return dst1(w)


def tau_boundary_preconditioner(structure: RieszStructure) -> LinearOperator:
    """``LinearOperator`` applying ``(tau(f) + R_N)^{-1}`` for ``h**alpha A = T_N + R_N``.

    Parameters
    ----------
    structure : RieszStructure
        The assembled ``T_N + R_N`` (centrosymmetric, as built by :func:`assemble_structure`).

    Returns
    -------
    LinearOperator
        Applies the inverse in ``O(N log N + N r)``, ``r = 4p - 6``.

    Notes
    -----
    ``R_N = U V^T`` with ``U = [R[:, cols], E_rows]`` and ``V^T = [E_cols^T; R[rows, :]]``
    (``E`` selects unit vectors); Woodbury gives
    ``P^{-1} = tau^{-1} - tau^{-1} U (I + V^T tau^{-1} U)^{-1} V^T tau^{-1}``.
    If the small capacitance matrix is numerically singular (``cond > 1e12``), the
    plain ``tau(f)^{-1}`` is returned instead.
    """
    size = structure.size
    lam = tau_eigenvalues(structure.degree, size, structure.alpha)
    cols, rows = structure.col_index, structure.row_index
    mc, mr = cols.size, rows.size
    u = np.zeros((size, mc + mr))
    u[:, :mc] = structure.col_values
    u[rows, mc + np.arange(mr)] = 1.0
    vt = np.zeros((mc + mr, size))
    vt[np.arange(mc), cols] = 1.0
    vt[mc:, :] = structure.row_values
    # tau(f) is centrosymmetric and the right boundary blocks mirror the left ones
    # (B_right = B_left[::-1, ::-1]), so only the left half needs DSTs.
    hc, hr = mc // 2, mr // 2
    tl = _tau_solve(lam, np.concatenate([u[:, :hc], u[:, mc : mc + hr]], axis=1))
    tu = np.empty_like(u)
    tu[:, :hc] = tl[:, :hc]
    tu[:, hc:mc] = tl[::-1, :hc][:, ::-1]
    tu[:, mc : mc + hr] = tl[:, hc:]
    tu[:, mc + hr :] = tl[::-1, hc:][:, ::-1]
    cap = np.eye(mc + mr) + vt @ tu
    if mc + mr == 0 or np.linalg.cond(cap) > 1e12:
        return tau_preconditioner(structure.degree, size, structure.alpha)
    lu = linalg.lu_factor(cap)

    def apply(v: np.ndarray) -> np.ndarray:
        y = _tau_solve(lam, np.asarray(v, dtype=np.float64).reshape(size))
        return y - tu @ linalg.lu_solve(lu, vt @ y)

    return LinearOperator((size, size), matvec=apply, dtype=np.float64)


#: dense LAPACK calls and GMRES iterations up to this size run on one BLAS thread: on a loaded
#: 2-core machine the default threads made an LU of size 258 100x slower (228 ms against 2 ms) and
#: one of size 2050 2x slower (1.16 s against 0.65 s); GMRES with a dense matvec of size 1026,
#: 3-10x slower. On an idle machine two threads would gain at most 2x at the largest of these sizes.
SINGLE_THREAD_MAX = 2048


@functools.lru_cache(maxsize=1)
def _controller():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def blas_threads_for(size: int) -> contextlib.AbstractContextManager:
    """Context manager limiting BLAS to one thread for dense problems of size ``<= SINGLE_THREAD_MAX``.

    Larger problems keep the default threads. The thread-pool controller is created once
    (about 10 microseconds per use afterwards).
    """
    if size > SINGLE_THREAD_MAX:
        return contextlib.nullcontext()
    return _controller().limit(limits=1, user_api="blas")


def binary_scale(values: np.ndarray) -> float:
    """A power of two ``s`` with ``max |values| / s`` in ``[1/2, 1)`` (0 for an all-zero array).

    Dividing by ``s`` is exact, so a solver can work on ``values / s`` with norms and
    thresholds of order one whatever the magnitude of the data (1e160 or 1e-170), and
    multiply the result back.
    """
    peak = float(np.max(np.abs(values))) if values.size else 0.0
    if peak == 0.0:
        return 0.0
    return math.ldexp(1.0, math.frexp(peak)[1])


def residual_floor(structure: RieszStructure, rhs: np.ndarray, guess: np.ndarray | None = None) -> float:
    """Estimate of the smallest relative residual reachable in float64 for ``(T + R) x = rhs``.

    ``eps * ||T + R|| * ||x0|| / ||rhs||`` with ``x0`` an approximate solution (``guess``, by
    default ``tau(f)^{-1} rhs``) and the bound ``||T + R||_2 <= a_0 + 2 sum_k |a_k| + ||R||_F``.
    Measured residuals stagnate 2-10 times below it. It grows like ``n**alpha`` for smooth
    solutions.
    """
    a = structure.toeplitz
    bound = a[0] + 2.0 * np.abs(a[1:]).sum()
    bound += np.linalg.norm(structure.col_values) + np.linalg.norm(structure.row_values)
    bnorm = float(np.linalg.norm(rhs))
    if bnorm == 0.0:
        return 0.0
    if guess is None:
        guess = _tau_solve(tau_eigenvalues(structure.degree, structure.size, structure.alpha), rhs)
    return float(np.finfo(float).eps * bound * np.linalg.norm(guess) / bnorm)


def strang_preconditioner(toeplitz: np.ndarray, *, scale: float = 1.0) -> LinearOperator:
    """``LinearOperator`` applying ``scale * C^{-1}``, ``C`` the Strang circulant of ``[a_{i-j}]``.

    Parameters
    ----------
    toeplitz : array_like, shape (N,)
        ``a_0, ..., a_{N-1}`` of a symmetric Toeplitz matrix (finite, ``N >= 1``).
    scale : float
        Keyword only. Multiplies the inverse; finite, ``> 0``.

    Returns
    -------
    LinearOperator
        Shape ``(N, N)``; ``matvec`` takes vectors of shape ``(N,)``.

    Raises
    ------
    ValueError, TypeError
        If ``toeplitz`` is not a finite non-empty 1-D real array, is all zero (or gives a
        circulant with only zero eigenvalues), or ``scale`` is not a finite positive number.

    Notes
    -----
    ``c_k = a_k`` for ``0 <= k <= N/2`` and ``c_k = a_{N-k}`` otherwise. Its
    eigenvalues ``sum_k c_k e^{2 pi i jk/N}`` are real; because ``sum a_k = 0``
    the zero-frequency one is the small positive tail sum. Eigenvalues below
    ``1e-14`` times the largest are raised to that floor.
    """
    a = as_float_array(toeplitz, "toeplitz", ndim=1)
    size = a.shape[0]
    if size == 0:
        raise ValueError("toeplitz must have at least one entry, got shape (0,)")
    scale = as_float(scale, "scale", low=0.0, low_open=True)
    peak = binary_scale(a)
    if peak == 0.0:
        raise ValueError("toeplitz must not be all zero: its Strang circulant is singular")
    k = np.arange(size)
    c = np.where(k <= size // 2, a[np.minimum(k, size - 1)], a[(size - k) % size]) / peak
    lam = sfft.rfft(c).real
    top = np.max(np.abs(lam))
    if not top > 0.0:
        raise ValueError("toeplitz defines a Strang circulant with all eigenvalues zero (singular)")
    lam = np.maximum(lam, 1e-14 * top)
    inv = (scale / peak) / lam

    def apply(v: np.ndarray) -> np.ndarray:
        v = np.asarray(v, dtype=np.float64).reshape(size)
        return sfft.irfft(sfft.rfft(v) * inv, n=size)

    return LinearOperator((size, size), matvec=apply, dtype=np.float64)


def gmres_solve(
    operator: LinearOperator,
    rhs: np.ndarray,
    preconditioner: LinearOperator | None,
    rtol: float,
    *,
    restart: int = 60,
    maxiter: int | None = None,
    floor: float = 0.0,
    x0: np.ndarray | None = None,
) -> tuple[np.ndarray, int, float]:
    """Solve ``operator @ x = rhs`` by restarted GMRES; return ``(x, inner_iterations, relative_residual)``.

    The relative residual is the true ``||rhs - A x|| / ||rhs||``. If ``rtol`` is below
    ``floor`` (the rounding floor, see :func:`residual_floor`) a :class:`SpecnumWarning`
    is issued and ``floor`` is used instead. ``x0`` is the initial guess. Raises
    :class:`~specnum.errors.ConvergenceError` if the residual exceeds the target (with a
    factor 10 of slack for rounding) after ``maxiter`` restarts.
    """
    if rtol < floor:
        warnings.warn(
            f"rtol={rtol:g} is below the float64 rounding floor {floor:.2e} of this system "
            f"(condition ~ n**alpha); iterating to rtol={floor:.2e} instead",
            SpecnumWarning,
            stacklevel=3,
        )
        rtol = floor
    size = rhs.shape[0]
    bnorm = float(np.linalg.norm(rhs))
    if bnorm == 0.0:
        return np.zeros(size), 0, 0.0
    count = [0]

    def callback(_pr_norm: float) -> None:
        count[0] += 1

    restart = min(restart, size)
    if maxiter is None:
        maxiter = max(20, (4 * size) // restart + 1)
    x, _info = gmres(
        operator,
        rhs,
        x0=x0,
        rtol=rtol,
        atol=0.0,
        restart=restart,
        maxiter=maxiter,
        M=preconditioner,
        callback=callback,
        callback_type="pr_norm",
    )
    residual = float(np.linalg.norm(rhs - operator.matvec(x))) / bnorm
    if not np.isfinite(residual) or residual > 10.0 * rtol:
        raise ConvergenceError(
            f"GMRES did not reach rtol={rtol:g}: relative residual {residual:.3e} after {count[0]} iterations"
        )
    return x, count[0], residual
