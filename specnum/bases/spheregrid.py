"""Gauss-Legendre x uniform quadrature grids on the sphere and the spherical-harmonic transforms.

:class:`SphereGrid` / :func:`sphere_grid` build the product rule (Gauss-Legendre in
``cos theta``, uniform in ``phi``); :func:`analysis` (grid values -> coefficients, by
quadrature) and :func:`synthesis` (coefficients -> grid values) use either a separable
rFFT + Legendre-sum algorithm, O(L^3), or one BLAS product with a cached dense matrix,
O(L^4). Coefficients refer to the orthonormal real harmonics of
:mod:`specnum.bases.sphharm` (flat index ``l*l + l + m``, no Condon-Shortley phase);
all names are re-exported there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import scipy.fft

from specnum._validation import as_choice, as_float_array, as_int, check_budget, flat_sh_lmax
from specnum.bases._legendre import _degree_order_cached, _eval_unit
from specnum.bases.quadrature import gauss_legendre

__all__ = [
    "TRANSFORM_METHODS",
    "SphereGrid",
    "sphere_grid",
    "analysis",
    "synthesis",
]

TRANSFORM_METHODS = ("auto", "separable", "dense")
# "auto" uses the dense (BLAS, O(L^4)) transform while K * n_theta * n_phi stays below this
# (measured crossover on a 2-core AMD EPYC, 1 thread, grid sphere_grid(2L): L ~ 14-16)
_DENSE_MAX_WORK = 120_000


@dataclass(frozen=True, eq=False)
class SphereGrid:
    """Gauss-Legendre (in cos theta) x uniform phi quadrature grid on the sphere.

    Build with :func:`sphere_grid`. Arrays are read-only.

    Attributes
    ----------
    n_theta, n_phi : int
        Number of polar and azimuthal nodes.
    theta : ndarray, shape (n_theta,)
        Polar nodes ``arccos(x_j)`` (Gauss-Legendre ``x_j``), increasing.
    phi : ndarray, shape (n_phi,)
        ``2 pi j / n_phi``, ``j = 0..n_phi-1``.
    theta_weights : ndarray, shape (n_theta,)
        Gauss-Legendre weights (sum 2).
    phi_weight : float
        ``2 pi / n_phi``.
    """

    n_theta: int
    n_phi: int
    theta: np.ndarray
    phi: np.ndarray
    theta_weights: np.ndarray
    phi_weight: float

    def __post_init__(self) -> None:
        as_int(self.n_theta, "n_theta", minimum=1)
        as_int(self.n_phi, "n_phi", minimum=1)
        for name, arr, size in (
            ("theta", self.theta, self.n_theta),
            ("phi", self.phi, self.n_phi),
            ("theta_weights", self.theta_weights, self.n_theta),
        ):
            if not isinstance(arr, np.ndarray) or arr.shape != (size,):
                got = getattr(arr, "shape", arr)
                raise ValueError(f"{name} must be an ndarray of shape ({size},), got {got}")

    @property
    def degree(self) -> int:
        """Largest total degree D integrated exactly: ``min(2 n_theta - 1, n_phi - 1)``."""
        return min(2 * self.n_theta - 1, self.n_phi - 1)

    @property
    def shape(self) -> tuple[int, int]:
        """``(n_theta, n_phi)``."""
        return (self.n_theta, self.n_phi)

    @property
    def weights(self) -> np.ndarray:
        """Quadrature weights, shape (n_theta, n_phi); they sum to ``4 pi``."""
        return self.theta_weights[:, None] * np.full(self.n_phi, self.phi_weight)[None, :]

    def points(self) -> np.ndarray:
        """Angles ``(theta, phi)`` of the nodes, shape (n_theta, n_phi, 2)."""
        t, p = np.meshgrid(self.theta, self.phi, indexing="ij")
        return np.stack([t, p], axis=-1)

    def xyz(self) -> np.ndarray:
        """Unit vectors of the nodes, shape (n_theta, n_phi, 3)."""
        t, p = np.meshgrid(self.theta, self.phi, indexing="ij")
        return np.stack([np.sin(t) * np.cos(p), np.sin(t) * np.sin(p), np.cos(t)], axis=-1)

    def analysis(self, values: Any, lmax: int | None = None, *, method: str = "auto") -> np.ndarray:
        """Same as :func:`analysis` on this grid."""
        return analysis(values, self, lmax, method=method)

    def synthesis(self, coeffs: Any, *, method: str = "auto") -> np.ndarray:
        """Same as :func:`synthesis` on this grid."""
        return synthesis(coeffs, self, method=method)


@lru_cache(maxsize=64)
def _grid_cached(n_theta: int, n_phi: int) -> SphereGrid:
    x, w = gauss_legendre(n_theta)
    x = np.asarray(x, dtype=np.float64)[::-1]
    w = np.asarray(w, dtype=np.float64)[::-1]
    theta = np.ascontiguousarray(np.arccos(x))
    w = np.ascontiguousarray(w)
    phi = 2 * np.pi * np.arange(n_phi) / n_phi
    for arr in (theta, w, phi):
        arr.setflags(write=False)
    return SphereGrid(n_theta, n_phi, theta, phi, w, 2 * math.pi / n_phi)


def sphere_grid(degree: int, *, n_theta: int | None = None, n_phi: int | None = None) -> SphereGrid:
    """Smallest Gauss-Legendre x uniform grid integrating spherical polynomials of degree ``degree``.

    Parameters
    ----------
    degree : int
        Total degree D (>= 0) to integrate exactly: ``int Y_{l1} Y_{l2} ... dOmega`` is
        exact whenever ``l1 + l2 + ... <= D``. For orthonormality/analysis up to ``lmax``
        use ``D = 2 lmax``; for a Gaunt product use ``D = l1max + l2max + lout``.
    n_theta, n_phi : int, optional
        Override the node counts (defaults ``D//2 + 1`` and ``D + 1``); must be at
        least the defaults.

    Returns
    -------
    SphereGrid
        Cached grid (the same object for the same node counts).

    Raises
    ------
    ValueError
        Negative degree or node counts below the exactness minimum.

    Notes
    -----
    Gauss-Legendre with n nodes is exact in ``cos theta`` up to degree ``2n-1``; the
    uniform rule with ``n_phi`` nodes integrates ``exp(i k phi)`` exactly for
    ``|k| < n_phi``. A product of harmonics of total degree D is, after the phi
    integral, a polynomial of degree <= D in ``cos theta``.

    Examples
    --------
    >>> g = sphere_grid(4)
    >>> g.shape, bool(abs(g.weights.sum() - 4 * 3.141592653589793) < 1e-13)
    ((3, 5), True)
    """
    degree = as_int(degree, "degree", minimum=0)
    nt_min, np_min = degree // 2 + 1, degree + 1
    nt = nt_min if n_theta is None else as_int(n_theta, "n_theta", minimum=nt_min)
    nph = np_min if n_phi is None else as_int(n_phi, "n_phi", minimum=np_min)
    check_budget(f"sphere_grid(degree={degree}) with n_theta = {nt}, n_phi = {nph}",
                 memory=64.0 * (nt + nph), work=100.0 * nt * nt)
    return _grid_cached(nt, nph)


@lru_cache(maxsize=32)
def _grid_tables(lmax: int, n_theta: int, n_phi: int) -> tuple[np.ndarray, np.ndarray]:
    """Normalised Legendre tables on the grid, shape (lmax+1, n_theta, lmax+1) [m, t, l].

    ``synth[m, t, l] = Y_{l,m}(theta_t, 0)`` (= sqrt2 N Pbar for m > 0, 0 for l < m);
    ``anal = synth * w_t * 2 pi / n_phi``.
    """
    grid = _grid_cached(n_theta, n_phi)
    pts = np.zeros((n_theta, 3))
    pts[:, 0] = np.sin(grid.theta)
    pts[:, 2] = np.cos(grid.theta)
    y = _eval_unit(lmax, pts, "integral", False)  # (n_theta, K)
    l, m = _degree_order_cached(lmax)
    sel = m >= 0
    synth = np.zeros((lmax + 1, n_theta, lmax + 1))
    synth[m[sel], :, l[sel]] = y[:, sel].T
    anal = synth * (grid.theta_weights * grid.phi_weight)[None, :, None]
    synth = np.ascontiguousarray(synth)
    anal = np.ascontiguousarray(anal)
    synth.setflags(write=False)
    anal.setflags(write=False)
    return synth, anal


@lru_cache(maxsize=64)
def _fold_maps(lmax: int, n_phi: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Aliasing maps between orders m = 0..lmax and rfft bins of length n_phi.

    Returns ``bins[m]``, ``sin_sign[m]`` (analysis: S_m = sin_sign * Im X[bin]) and the real
    (M, nbins) matrices ``fold_re``, ``fold_im`` (synthesis: X.re = a @ fold_re, X.im = b @ fold_im
    for g_m = a_m - i b_m with ``irfft(..., norm="forward")``), and the flat gather index.
    """
    nb = n_phi // 2 + 1
    j = np.arange(lmax + 1) % n_phi
    upper = j > n_phi // 2
    bins = np.where(upper, n_phi - j, j)
    sin_sign = np.where(upper, 1.0, -1.0)
    half = np.where((bins == 0) | (2 * bins == n_phi), 1.0, 0.5)
    fold_re = np.zeros((lmax + 1, nb))
    fold_im = np.zeros((lmax + 1, nb))
    for mm in range(lmax + 1):
        fold_re[mm, bins[mm]] += half[mm]
        if half[mm] == 0.5:  # imaginary parts of the DC and Nyquist bins are ignored by irfft
            fold_im[mm, bins[mm]] += half[mm] * sin_sign[mm]
    l, m = _degree_order_cached(lmax)
    gather = np.where(m < 0, (lmax + 1) ** 2, 0) + np.abs(m) * (lmax + 1) + l
    out = (bins, sin_sign, fold_re, fold_im, gather)
    for arr in out:
        arr.setflags(write=False)
    return out


@lru_cache(maxsize=16)
def _dense_tables(lmax: int, n_theta: int, n_phi: int) -> tuple[np.ndarray, np.ndarray]:
    """Dense matrices: ``synth`` (K, T*P) with f = c @ synth, ``anal`` (T*P, K) with c = f @ anal."""
    grid = _grid_cached(n_theta, n_phi)
    y = _eval_unit(lmax, grid.xyz(), "integral", False).reshape(n_theta * n_phi, -1)
    synth = np.ascontiguousarray(y.T)
    anal = np.ascontiguousarray(y * grid.weights.reshape(-1, 1))
    synth.setflags(write=False)
    anal.setflags(write=False)
    return synth, anal


def _check_transform_budget(what: str, lmax: int, grid: SphereGrid, nbt: int, dense: bool) -> None:
    k = float(lmax + 1) ** 2
    npts = float(grid.n_theta) * grid.n_phi
    tables = 2 * k * npts if dense else 2 * (lmax + 1) * grid.n_theta * (lmax + 1)
    per_row = k * npts if dense else (lmax + 1) * (lmax + 1) * grid.n_theta + npts * math.log2(grid.n_phi + 1)
    check_budget(f"{what} of degree {lmax} on a {grid.n_theta} x {grid.n_phi} grid over {nbt} rows",
                 memory=8.0 * (tables + 4 * nbt * (npts + k)), work=4.0 * nbt * per_row)


def _use_dense(method: str, lmax: int, grid: SphereGrid) -> bool:
    if method != "auto":
        return method == "dense"
    return (lmax + 1) ** 2 * grid.n_theta * grid.n_phi <= _DENSE_MAX_WORK


def _check_grid(grid: Any) -> SphereGrid:
    if not isinstance(grid, SphereGrid):
        raise TypeError(f"grid must be a SphereGrid (see sphere_grid), got {type(grid).__name__}")
    return grid


def analysis(
    values: Any, grid: SphereGrid, lmax: int | None = None, *, method: str = "auto"
) -> np.ndarray:
    """Spherical-harmonic coefficients of grid samples by quadrature (forward transform).

    Parameters
    ----------
    values : array_like, shape (..., n_theta, n_phi)
        Samples on ``grid`` (batch axes leading).
    grid : SphereGrid
        The grid of the samples.
    lmax : int, optional
        Maximum output degree; default ``grid.degree // 2`` (the largest degree for
        which a band-limited function of the same degree is recovered exactly).
    method : {"auto", "separable", "dense"}
        ``"separable"``: rFFT + Legendre sums, O(L^3); ``"dense"``: one BLAS product with
        the cached (n_theta*n_phi, K) weighted harmonic matrix, O(L^4) but faster for small
        L and large batches; ``"auto"``: dense while ``K * n_theta * n_phi <= 120000``.

    Returns
    -------
    ndarray, shape (..., (lmax+1)**2)
        ``c_k = sum_{t,p} w_{t,p} f(theta_t, phi_p) Y_k(theta_t, phi_p)`` (orthonormal ``Y``).

    Raises
    ------
    ValueError
        Wrong trailing shape, non-finite values, negative lmax, unknown method.
    TypeError
        ``grid`` not a SphereGrid.

    Notes
    -----
    Separable method, O(L^3) per sample set: a real FFT along phi (``scipy.fft.rfft``; orders
    ``m >= n_phi/2`` are folded onto their aliases), then for each m a matrix product
    with the cached weighted normalised Legendre table. Exact (to rounding) when the
    sampled function has degree ``<= grid.degree - lmax``.

    Examples
    --------
    >>> import numpy as np
    >>> from specnum.bases.sphharm import real_sph_harm_xyz
    >>> g = sphere_grid(6)
    >>> f = real_sph_harm_xyz(3, g.xyz())[..., 11]      # Y_{3,-1}
    >>> c = analysis(f, g, 3)
    >>> int(np.argmax(np.abs(c))), bool(np.allclose(np.delete(c, 11), 0, atol=1e-14))
    (11, True)
    """
    grid = _check_grid(grid)
    lmax = grid.degree // 2 if lmax is None else as_int(lmax, "lmax", minimum=0)
    as_choice(method, "method", TRANSFORM_METHODS)
    v = as_float_array(values, "values", min_ndim=2)
    if v.shape[-2:] != grid.shape:
        raise ValueError(f"values must have trailing shape (n_theta, n_phi) = {grid.shape}, got {v.shape}")
    batch = v.shape[:-2]
    nbt = math.prod(batch)
    _check_transform_budget("analysis", lmax, grid, nbt, _use_dense(method, lmax, grid))
    if _use_dense(method, lmax, grid):
        _, anal_mat = _dense_tables(lmax, grid.n_theta, grid.n_phi)
        out = v.reshape(nbt, grid.n_theta * grid.n_phi) @ anal_mat
    else:
        out = _analysis_separable(v.reshape(nbt, grid.n_theta, grid.n_phi), grid, lmax)
    return out.reshape(batch + ((lmax + 1) ** 2,))


def _analysis_separable(v: np.ndarray, grid: SphereGrid, lmax: int) -> np.ndarray:
    """(B, T, P) -> (B, K) by rfft in phi and one batched matmul over m."""
    nbt = v.shape[0]
    M = lmax + 1
    _, anal = _grid_tables(lmax, grid.n_theta, grid.n_phi)
    bins, sin_sign, _, _, gather = _fold_maps(lmax, grid.n_phi)
    X = scipy.fft.rfft(v, axis=-1)
    Xs = X[..., bins]  # (B, T, M)
    cs = np.empty((M, 2, nbt, grid.n_theta))
    cs[:, 0] = Xs.real.transpose(2, 0, 1)
    cs[:, 1] = (Xs.imag * sin_sign).transpose(2, 0, 1)
    res = np.matmul(cs.reshape(M, 2 * nbt, grid.n_theta), anal)  # (M, 2B, L+1)
    res = res.reshape(M, 2, nbt, M).transpose(2, 1, 0, 3).reshape(nbt, 2 * M * M)
    return res[:, gather]


def synthesis(coeffs: Any, grid: SphereGrid, *, method: str = "auto") -> np.ndarray:
    """Grid values of a real spherical-harmonic expansion (inverse transform).

    Parameters
    ----------
    coeffs : array_like, shape (..., (lmax+1)**2)
        Flat coefficients (orthonormal harmonics, index ``l*l + l + m``).
    grid : SphereGrid
        Target grid.
    method : {"auto", "separable", "dense"}
        As in :func:`analysis` (dense: ``c @ Y^T`` with the cached grid matrix).

    Returns
    -------
    ndarray, shape (..., n_theta, n_phi)
        ``f(theta_t, phi_p) = sum_k c_k Y_k(theta_t, phi_p)``.

    Raises
    ------
    ValueError
        Last axis not a square ``(lmax+1)**2``, non-finite coefficients, unknown method.
    TypeError
        ``grid`` not a SphereGrid.

    Notes
    -----
    Separable method: for each m a product with the cached normalised Legendre table gives the
    phi-Fourier coefficients per latitude, which an inverse real FFT
    (``scipy.fft.irfft``) evaluates at all azimuths; O(L^3) per expansion. Orders
    ``m >= n_phi/2`` are folded onto their aliases (exact point values for any lmax).

    Examples
    --------
    >>> import numpy as np
    >>> g = sphere_grid(4)
    >>> c = np.zeros(9); c[0] = np.sqrt(4 * np.pi)
    >>> bool(np.allclose(synthesis(c, g), 1.0))
    True
    """
    grid = _check_grid(grid)
    as_choice(method, "method", TRANSFORM_METHODS)
    c = as_float_array(coeffs, "coeffs", min_ndim=1)
    lmax = flat_sh_lmax(c.shape[-1], "coeffs")
    batch = c.shape[:-1]
    nbt = math.prod(batch)
    _check_transform_budget("synthesis", lmax, grid, nbt, _use_dense(method, lmax, grid))
    if _use_dense(method, lmax, grid):
        synth_mat, _ = _dense_tables(lmax, grid.n_theta, grid.n_phi)
        f = c.reshape(nbt, -1) @ synth_mat
    else:
        f = _synthesis_separable(c.reshape(nbt, -1), grid, lmax)
    return f.reshape(batch + grid.shape)


def _synthesis_separable(c: np.ndarray, grid: SphereGrid, lmax: int) -> np.ndarray:
    """(B, K) -> (B, T, P) by one batched matmul over m and an inverse rfft in phi."""
    nbt = c.shape[0]
    M = lmax + 1
    synth, _ = _grid_tables(lmax, grid.n_theta, grid.n_phi)
    _, _, fold_re, fold_im, gather = _fold_maps(lmax, grid.n_phi)
    z = np.zeros((nbt, 2 * M * M))
    z[:, gather] = c
    z = z.reshape(nbt, 2, M, M).transpose(2, 1, 0, 3).reshape(M, 2 * nbt, M)
    spec = np.matmul(z, synth.transpose(0, 2, 1)).reshape(M, 2, nbt, grid.n_theta)  # (M, 2, B, T)
    a = spec[:, 0].transpose(1, 2, 0)  # (B, T, M)
    b = spec[:, 1].transpose(1, 2, 0)
    X = np.empty((nbt, grid.n_theta, grid.n_phi // 2 + 1), dtype=np.complex128)
    X.real = a @ fold_re
    X.imag = b @ fold_im
    return scipy.fft.irfft(X, n=grid.n_phi, axis=-1, norm="forward")
