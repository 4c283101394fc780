"""Gauss-Legendre x uniform quadrature grids on the sphere and the spherical-harmonic transforms.

:class:`SphereGrid` / :func:`sphere_grid` build the product rule (Gauss-Legendre in
``cos theta``, uniform in ``phi``). :func:`analysis` (grid values -> coefficients, by
quadrature) and :func:`synthesis` (coefficients -> grid values) are batched (any batch
shape, float32 or float64, optional ``out=``) and run on a cached
:class:`SphereTransform` plan (:func:`sphere_transform`), which works with the grid
values folded by the symmetries of the nodes (``theta -> pi - theta``, ``phi -> -phi``, and
``phi -> pi - phi`` on grids of ``n_phi = 2 mod 4`` from 30 on, see ``sphere_grid(fold_phi=True)``)
and uses either one dense matrix per symmetry class (small sizes) or the separable route
(Legendre sums per order, then matrix products along ``phi``), chosen by one rule. Pillars
(Gaunt products, powers, layers) use the plan directly so that their pointwise work
happens on folded values, block by block of rows. Coefficients refer to the orthonormal
real harmonics of :mod:`specnum.bases.sphharm` (flat index ``l*l + l + m``, no
Condon-Shortley phase); the grid and transform names are re-exported there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

import specnum.bases._spheregrid_kernels as _k
from specnum._validation import as_choice, as_float_array, as_int, check_budget, flat_sh_lmax
from specnum.bases._spheregrid_tables import build_tables, grid_dims, n_reflect
from specnum.bases._threads import parallel_workers, run_blocks
from specnum.bases.quadrature import gauss_legendre

__all__ = [
    "TRANSFORM_METHODS",
    "SphereGrid",
    "sphere_grid",
    "SphereTransform",
    "sphere_transform",
    "analysis",
    "synthesis",
]

TRANSFORM_METHODS = ("auto", "separable", "dense")


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

    def analysis(self, values: Any, lmax: int | None = None, *, method: str = "auto", out: Any = None) -> np.ndarray:
        """Same as :func:`analysis` on this grid."""
        return analysis(values, self, lmax, method=method, out=out)

    def synthesis(self, coeffs: Any, *, method: str = "auto", out: Any = None) -> np.ndarray:
        """Same as :func:`synthesis` on this grid."""
        return synthesis(coeffs, self, method=method, out=out)


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


def sphere_grid(degree: int, *, n_theta: int | None = None, n_phi: int | None = None,
                fold_phi: bool = False) -> SphereGrid:
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
    fold_phi : bool
        Round the default ``n_phi`` up to ``2 mod 4`` (at most 3 more nodes) where that
        lets :class:`SphereTransform` fold the azimuths under ``phi -> pi - phi`` as well
        (``n_phi >= 30``; smaller grids keep ``D + 1``): half the azimuthal work of the
        transforms and of products on the grid. A given ``n_phi`` is used as it is.

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
    >>> sphere_grid(32, fold_phi=True).shape    # 34 = 2 mod 4 azimuths instead of 33
    (17, 34)
    """
    degree = as_int(degree, "degree", minimum=0)
    nt_min, np_min = degree // 2 + 1, degree + 1
    nt = nt_min if n_theta is None else as_int(n_theta, "n_theta", minimum=nt_min)
    if n_phi is None:
        up = np_min + (2 - np_min) % 4  # the next n_phi = 2 mod 4
        nph = up if as_choice(fold_phi, "fold_phi", (False, True)) and n_reflect(up) == 2 else np_min
    else:
        nph = as_int(n_phi, "n_phi", minimum=np_min)
    check_budget(f"sphere_grid(degree={degree}) with n_theta = {nt}, n_phi = {nph}",
                 memory=64.0 * (nt + nph), work=100.0 * nt * nt)
    return _grid_cached(nt, nph)


# ---------------------------------------------------------------------------------------------
# the transform plan

#: Dense transforms while ``(lmax+1)**2 * n_theta * n_phi`` stays at or below this, per working
#: dtype (one BLAS product per symmetry class beats the separable route's several smaller ones
#: only for small transforms; BLAS doubles its rate in float32, the separable route's small
#: products and loops gain less, so the float32 crossover lies at a larger work); measured in
#: the Gaunt products' pipeline (products of degree-5 factors, output degree 10, run faster
#: separable in float64 and dense in float32, degree 6 separable in both) and in the public
#: round trip, ``python benchmarks/bench_gaunt.py --transforms``.
_DENSE_MAX_WORK = {"float64": 20_000, "float32": 50_000}
#: Target bytes of one row block's buffers: large enough to amortise the per-block calls, small
#: enough to stay in the caches (measured, ``benchmarks/bench_gaunt.py``).
_BLOCK_BYTES = 1 << 22


@dataclass(frozen=True, eq=False)
class SphereTransform:
    """Batched transforms between real SH coefficients and *folded* values on a grid.

    Build with :func:`sphere_transform` (cached). The grid's nodes are symmetric under
    ``theta -> pi - theta`` and ``phi -> -phi``, and, when ``n_phi = 2 mod 4``, under
    ``phi -> pi - phi`` as well, which the plan uses from ``n_phi = 30`` on
    (``n_reflect = 2``; else 1). The folded values of a function ``f`` on ``nb`` rows are
    two arrays ``E`` and ``O`` of shape ``(n_reflect, 2, nb, n_half, n_az)``: ``X[r, p]``
    is the part of ``f`` with sign
    ``(-1)^p`` under ``theta -> pi - theta`` and ``(-1)^r`` under ``phi -> pi - phi``, even
    (``E``) or odd (``O``) under ``phi -> -phi``, at the northern latitudes ``t < n_half``
    and the azimuths ``phi_j``, ``j < n_az``. With signs ``s, v = +-1``,

    .. math:: f(\\theta^s_t, \\pm\\phi^v_j) = \\sum_{r, p} v^r s^p (E_{rp} \\pm O_{rp}),
              \\qquad \\theta^{+} = \\theta_t,\\ \\theta^{-} = \\pi - \\theta_t,\\
              \\phi^{+} = \\phi_j,\\ \\phi^{-} = \\pi - \\phi_j

    (``v = +1`` only when ``n_reflect = 1``). ``O`` is zero at ``phi = 0`` and ``phi = pi``.
    With all parts of one shape, products of functions multiply folded values class by
    class, elementwise (the classes multiply like the group ``Z2^3``, or ``Z2^2``), which is
    how pillars use this class; the public :func:`synthesis` and :func:`analysis` unfold and
    fold around it.

    Attributes
    ----------
    lmax : int
        Degree of the coefficients.
    grid : SphereGrid
        The grid.
    dtype : numpy.dtype
        float32 or float64 (tables, buffers and results).
    dense : bool
        One dense matrix per symmetry class (``O(L^2 n_theta n_phi)`` per row) instead of
        the separable route (Legendre sums per order, then matrix products along ``phi``,
        ``O(L (L + n_phi) n_theta)`` per row); chosen by :func:`sphere_transform`.
    n_half, n_reflect, n_az, n_odd : int
        ``ceil(n_theta / 2)``; 2 if ``n_phi = 2 mod 4`` and ``n_phi >= 30``, else 1; the
        stored azimuths, ``n_phi // 2 + 1`` (``n_reflect = 1``) or ``(n_phi + 2) // 4``;
        ``(n_phi - 1) // 2``, the azimuths in ``(0, pi)``.
    """

    lmax: int
    grid: SphereGrid
    dtype: np.dtype
    dense: bool
    n_half: int
    n_reflect: int
    n_az: int
    n_odd: int
    _plan: tuple = field(repr=False)

    def __post_init__(self) -> None:
        as_int(self.lmax, "lmax", minimum=0)
        _check_grid(self.grid)
        _as_dtype(self.dtype)
        if len(self._plan) != 14:
            raise ValueError("SphereTransform must be built by sphere_transform (tables missing)")

    @property
    def ncoef(self) -> int:
        """``(lmax + 1)**2``."""
        return (self.lmax + 1) ** 2

    @property
    def lines(self) -> bool:
        """Whether the block buffers of this (separable) plan are line-major (:func:`_uses_lines`)."""
        return bool(self._plan[0][5])

    def block_rows(self, nrow: int | None = None) -> int:
        """Rows per block that keep this transform's buffers near ``_BLOCK_BYTES``: a power of two
        from 32 bytes' worth (4 float64 or 8 float32 rows) to 256; for a batch of ``nrow`` rows, at
        most ``nrow`` rounded up to a multiple of 4 (no padding rows for small batches)."""
        nb = _block_rows(self.lmax, self.n_half, self.n_reflect, self.n_az, self.dtype.itemsize)
        return nb if nrow is None else min(nb, -(-max(nrow, 1) // 4) * 4)

    def folded_buffers(self, nb: int, azimuth_major: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Empty folded values ``(E, O)`` for ``nb`` rows, ``(R, 2, nb, n_half, n_az)``, or with
        ``azimuth_major`` (separable plans only) C-contiguous ``(R, 2, n_az, nb, n_half)``, or
        ``(R, 2, n_az, n_half, nb)`` when :attr:`lines`: the layouts in which the block kernels'
        matrix products read and write whole matrices. Without ``azimuth_major`` the buffers
        of a plan with :attr:`lines` are views of C-contiguous ``(R, 2, n_half, nb, n_az)``
        arrays (the layout its kernels write)."""
        R, nh, nA = self.n_reflect, self.n_half, self.n_az
        if self._amaj(azimuth_major):
            shape = (R, 2, nA, nh, nb) if self.lines else (R, 2, nA, nb, nh)
        else:
            shape = (R, 2, nh, nb, nA) if self.lines else (R, 2, nb, nh, nA)
        E, O = np.empty(shape, self.dtype), np.empty(shape, self.dtype)
        return (E.swapaxes(2, 3), O.swapaxes(2, 3)) if self.lines and not azimuth_major else (E, O)

    def _stored(self, X: np.ndarray, amaj: bool) -> tuple[np.ndarray, int]:
        """The C-contiguous array that the block kernels read for folded values ``X`` of
        :meth:`folded_buffers` (stored latitude-major with :attr:`lines`), and its rows."""
        if self.lines and not amaj:
            X = X.swapaxes(2, 3)
        if not X.flags.c_contiguous:
            raise ValueError("folded values must be buffers of SphereTransform.folded_buffers")
        return X, X.shape[(4 if self.lines else 3) if amaj else (3 if self.lines else 2)]

    def workspace(self, nb: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Scratch buffers of one block of ``nb`` rows (one set per thread): the block's items in
        and out, the coefficients' slots in them, and the latitude sums."""
        item_off, col, offset, shift = self._plan[1], self._plan[2], self._plan[4], self._plan[5]
        ld = int(_k.line_length(nb, self.dtype.itemsize)) if self.lines else nb
        size = int(offset[-1]) * ld + int(shift[-1])
        lat = 1 if self.dense else 4 * (self.lmax + 1) * nb * self.n_half
        return (np.zeros(size, self.dtype), np.empty(size, self.dtype), item_off * ld + col,
                np.zeros(lat, self.dtype))

    @property
    def kernel_tables(self) -> tuple:
        """The plan's tables as the block kernels (``specnum.bases._spheregrid_kernels``) read them,
        for compiled pipelines that call those kernels themselves."""
        return self._plan

    def folded_synthesis(self, coeffs: Any, start: int, E: np.ndarray, O: np.ndarray, ws: tuple,
                         azimuth_major: bool = False) -> None:
        """Folded values of rows ``coeffs[start : start + nb]`` into ``E``, ``O`` (rows past the end: 0).

        ``E``, ``O`` are :meth:`folded_buffers` of ``nb`` rows (``azimuth_major``: of that layout,
        separable plans only), ``ws`` a :meth:`workspace` of ``nb`` rows.
        ``coeffs`` is C-contiguous ``(B, (lmax+1)**2)`` of this transform's dtype (unchecked), or a
        pair of such arrays: then each fills ``nb / 2`` consecutive rows of the block (one
        pass of matrix products for both; azimuth-major with :attr:`lines`, each azimuth holds
        the first's ``(n_half, nb / 2)`` values, then the second's).
        """
        pair = isinstance(coeffs, tuple)
        c1, c2 = coeffs if pair else (coeffs, coeffs)
        amaj = self._amaj(azimuth_major)
        (E, nb), (O, _) = self._stored(E, amaj), self._stored(O, amaj)
        _k.synthesis_block(self._plan, c1, c2, 1 + pair, start, nb, E, O, ws[0], ws[2], ws[3], amaj)

    def folded_analysis(self, E: np.ndarray, O: np.ndarray, out: np.ndarray, start: int, ws: tuple,
                        azimuth_major: bool = False) -> None:
        """Quadrature of folded values (of the layout ``azimuth_major``) into coefficient rows
        ``out[start : start + nb]``.

        ``out`` is C-contiguous ``(B, (lmax+1)**2)``; rows past its end are dropped.
        """
        amaj = self._amaj(azimuth_major)
        (E, nb), (O, _) = self._stored(E, amaj), self._stored(O, amaj)
        _k.analysis_block(self._plan, E, O, out, start, nb, ws[1], ws[2], ws[3], amaj)

    def _amaj(self, azimuth_major: bool) -> bool:
        if azimuth_major and self.dense:
            raise ValueError("azimuth_major folded values need a separable plan (method='separable')")
        return bool(azimuth_major)


def _block_rows(lmax: int, nh: int, R: int, nA: int, itemsize: int) -> int:
    """Rows per block of a plan of degree ``lmax`` (:meth:`SphereTransform.block_rows`)."""
    per_row = nh * 2 * R * nA * 6 + 4 * (lmax + 1) * nh * 2
    nb = _BLOCK_BYTES // max(per_row * itemsize, 1)
    return int(min(256, max(32 // itemsize, 1 << max(int(nb).bit_length() - 1, 0))))


def _uses_lines(grid: SphereGrid, itemsize: int) -> bool:
    """Whether separable plans on ``grid`` use line-major block buffers: when the blocks of the
    plan of degree ``grid.degree // 2`` (the output of a product of two factors exact on the grid,
    the largest in a pipeline, which sets its block) have a cache line's worth of rows or more.
    The matrix products along ``theta`` then run along the rows, with float32 at its full
    vector width; on larger grids, with blocks of a few rows, the coefficients of an item make
    the longer vectors (``benchmarks/RESULTS.md``). One rule per grid, so that all plans of a
    pipeline agree."""
    nb = _block_rows(grid.degree // 2, *grid_dims(grid.n_theta, grid.n_phi), itemsize)
    return nb * itemsize >= 64


@lru_cache(maxsize=32)
def _transform_cached(lmax: int, n_theta: int, n_phi: int, dtype_name: str, dense: bool,
                      lines: bool) -> SphereTransform:
    grid = _grid_cached(n_theta, n_phi)
    dtype = np.dtype(dtype_name)
    return SphereTransform(lmax, grid, dtype, dense, *build_tables(lmax, grid, dtype, dense, lines))


def _use_dense(method: str, lmax: int, grid: SphereGrid, dtype: np.dtype) -> bool:
    if method != "auto":
        return method == "dense"
    return (lmax + 1) ** 2 * grid.n_theta * grid.n_phi <= _DENSE_MAX_WORK[dtype.name]


def sphere_transform(lmax: int, grid: SphereGrid, *, dtype: Any = "float64", method: str = "auto",
                     lines: bool | None = None) -> SphereTransform:
    """The cached transform plan between degree-``lmax`` coefficients and folded values on ``grid``.

    Parameters
    ----------
    lmax : int
        Degree of the coefficients, ``>= 0``.
    grid : SphereGrid
        The grid (:func:`sphere_grid`).
    dtype : {"float64", "float32"}
        Precision of the tables and of the data the plan transforms.
    method : {"auto", "separable", "dense"}
        ``"auto"``: dense while ``(lmax+1)**2 * n_theta * n_phi`` is at most 20000 in
        float64 and 50000 in float32 (the measured crossovers), separable beyond; the one
        rule of every sphere-grid computation.
    lines : bool or None
        Block buffers of a separable plan line-major (:attr:`SphereTransform.lines`, for
        pipelines on azimuth-major folded values such as products) or row-major; ``None``:
        line-major when the blocks on ``grid`` hold a cache line's worth of rows (one rule per
        grid, so that the plans of a pipeline agree). Plans of different layouts do not mix
        in one pipeline. Ignored by dense plans.

    Returns
    -------
    SphereTransform
        Read-only tables; the same object for the same arguments.

    Raises
    ------
    ValueError
        Negative ``lmax``, unknown ``dtype`` or ``method``, tables beyond the size budget.
    TypeError
        ``grid`` not a SphereGrid, non-integer ``lmax``.

    Examples
    --------
    >>> g = sphere_grid(8)
    >>> t = sphere_transform(4, g)
    >>> (t.n_half, t.n_reflect, t.n_az, t.n_odd), t.dense
    ((3, 1, 5, 4), True)
    >>> g = sphere_grid(20)      # the rule depends on the dtype: BLAS gains more from float32
    >>> sphere_transform(10, g).dense, sphere_transform(10, g, dtype="float32").dense
    (False, True)
    """
    grid = _check_grid(grid)
    lmax = as_int(lmax, "lmax", minimum=0)
    dtype = _as_dtype(dtype)
    as_choice(method, "method", TRANSFORM_METHODS)
    dense = _use_dense(method, lmax, grid, dtype)
    if lines is not None and not isinstance(lines, (bool, np.bool_)):
        raise TypeError(f"lines must be True, False or None, got {lines!r}")
    lines = not dense and (_uses_lines(grid, dtype.itemsize) if lines is None else bool(lines))
    _check_transform_budget("sphere_transform", lmax, grid, 0, dense)
    return _transform_cached(lmax, grid.n_theta, grid.n_phi, "float32" if dtype.char == "f" else "float64", dense,
                             lines)


def _as_dtype(value: Any) -> np.dtype:
    if isinstance(value, np.dtype) and value.char in "fd":  # the working dtypes, without a name lookup
        return value
    if isinstance(value, str) and value in ("float64", "float32"):
        return np.dtype(value)
    try:
        name = np.dtype(value).name
    except TypeError:
        name = value
    return np.dtype(as_choice(name, "dtype", ("float64", "float32")))


def _check_transform_budget(what: str, lmax: int, grid: SphereGrid, nbt: int, dense: bool) -> None:
    k = float(lmax + 1) ** 2
    npts = float(grid.n_theta) * grid.n_phi
    tables = 2 * k * npts if dense else 2 * (lmax + 1) * (grid.n_theta * (lmax + 1) + grid.n_phi)
    per_row = k * npts if dense else (lmax + 1) * (lmax + 1) * grid.n_theta + 2 * npts * (lmax + 1)
    check_budget(f"{what} of degree lmax = {lmax} on a {grid.n_theta} x {grid.n_phi} grid over {nbt} rows",
                 memory=8.0 * (tables + 2 * nbt * (npts + k)), work=2.0 * nbt * per_row + tables)


def _check_grid(grid: Any) -> SphereGrid:
    if not isinstance(grid, SphereGrid):
        raise TypeError(f"grid must be a SphereGrid (see sphere_grid), got {type(grid).__name__}")
    return grid


def _work_dtype(arr: Any) -> np.dtype:
    """float32 for float32 arrays, float64 for anything else (read before any conversion)."""
    return np.dtype(np.float32) if getattr(arr, "dtype", None) == np.float32 else np.dtype(np.float64)


def _check_out(out: Any, shape: tuple, dtype: np.dtype) -> np.ndarray:
    if not isinstance(out, np.ndarray):
        raise TypeError(f"out must be a numpy array, got {type(out).__name__}")
    if out.shape != shape or out.dtype != dtype or not out.flags.c_contiguous or not out.flags.writeable:
        raise ValueError(f"out must be a writeable C-contiguous {dtype.name} array of shape {shape}, "
                         f"got {out.dtype.name} {out.shape}")
    return out


def _as_real(value: Any, name: str, min_ndim: int) -> np.ndarray:
    arr = np.asarray(value)
    dtype = np.float32 if arr.dtype == np.float32 else np.float64
    return as_float_array(arr, name, min_ndim=min_ndim, dtype=dtype)


def analysis(values: Any, grid: SphereGrid, lmax: int | None = None, *, method: str = "auto",
             out: Any = None) -> np.ndarray:
    """Spherical-harmonic coefficients of grid samples by quadrature (forward transform).

    Parameters
    ----------
    values : array_like, shape (..., n_theta, n_phi)
        Samples on ``grid`` (batch axes leading). float32 input is transformed in float32.
    grid : SphereGrid
        The grid of the samples.
    lmax : int, optional
        Maximum output degree; default ``grid.degree // 2`` (the largest degree for
        which a band-limited function of the same degree is recovered exactly).
    method : {"auto", "separable", "dense"}
        The rule of :func:`sphere_transform`.
    out : ndarray, shape (..., (lmax+1)**2), optional
        Preallocated C-contiguous result of the working dtype.

    Returns
    -------
    ndarray, shape (..., (lmax+1)**2)
        ``c_k = sum_{t,p} w_{t,p} f(theta_t, phi_p) Y_k(theta_t, phi_p)`` (orthonormal ``Y``);
        float32 for float32 ``values``, else float64.

    Raises
    ------
    ValueError
        Wrong trailing shape, non-finite values, negative lmax, unknown method, a bad
        ``out``, sizes beyond the size budget.
    TypeError
        ``grid`` not a SphereGrid.

    Notes
    -----
    The values are folded into their four symmetry classes (:class:`SphereTransform`);
    the separable route then sums ``phi`` by matrix products with the cosine and sine
    tables (exact for every order, including those beyond ``n_phi / 2``, which alias) and
    ``theta`` by per-order products with the weighted normalised Legendre factors of the
    northern nodes (``P(pi - theta) = (-1)^(l-m) P(theta)``), ``O(L (L + n_phi) n_theta)``
    per sample set. Exact (to rounding) when the sampled function has degree
    ``<= grid.degree - lmax``.

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
    shape = np.shape(values)
    if len(shape) < 2 or shape[-2:] != grid.shape:
        raise ValueError(f"values must have trailing shape (n_theta, n_phi) = {grid.shape}, got {shape}")
    batch = shape[:-2]
    nbt = math.prod(batch)
    _check_transform_budget("analysis", lmax, grid, nbt, _use_dense(method, lmax, grid, _work_dtype(values)))
    v = _as_real(values, "values", 2)
    plan = sphere_transform(lmax, grid, dtype=_work_dtype(v), method=method, lines=False)  # (folds row by row)
    res = np.empty((nbt, plan.ncoef), plan.dtype) if out is None else _check_out(
        out, batch + (plan.ncoef,), plan.dtype).reshape(nbt, plan.ncoef)
    v2 = v.reshape(nbt, grid.n_theta, grid.n_phi)

    def step(E, O, ws, start, stop, nb):
        _k.fold_values(v2, start, nb, plan.n_half, E, O)
        plan.folded_analysis(E, O, res, start, ws)

    _blockwise(plan, nbt, step)
    return res.reshape(batch + (plan.ncoef,)) if out is None else out


def synthesis(coeffs: Any, grid: SphereGrid, *, method: str = "auto", out: Any = None) -> np.ndarray:
    """Grid values of a real spherical-harmonic expansion (inverse transform).

    Parameters
    ----------
    coeffs : array_like, shape (..., (lmax+1)**2)
        Flat coefficients (orthonormal harmonics, index ``l*l + l + m``). float32 input is
        transformed in float32.
    grid : SphereGrid
        Target grid.
    method : {"auto", "separable", "dense"}
        The rule of :func:`sphere_transform`.
    out : ndarray, shape (..., n_theta, n_phi), optional
        Preallocated C-contiguous result of the working dtype.

    Returns
    -------
    ndarray, shape (..., n_theta, n_phi)
        ``f(theta_t, phi_p) = sum_k c_k Y_k(theta_t, phi_p)``; float32 for float32 ``coeffs``.

    Raises
    ------
    ValueError
        Last axis not a square ``(lmax+1)**2``, non-finite coefficients, unknown method,
        a bad ``out``, sizes beyond the size budget.
    TypeError
        ``grid`` not a SphereGrid.

    Notes
    -----
    Separable route: per order ``m`` a matrix product with the normalised Legendre
    factors at the northern latitudes (even and odd ``l - m`` apart, which gives the
    southern ones), then products with the ``cos(m phi_j)`` and ``sin(m phi_j)`` tables;
    ``O(L (L + n_phi) n_theta)`` per expansion, exact point values for any ``lmax``.

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
    shape = np.shape(coeffs)
    lmax = flat_sh_lmax(shape[-1] if shape else 0, "coeffs")
    batch = shape[:-1]
    nbt = math.prod(batch)
    _check_transform_budget("synthesis", lmax, grid, nbt, _use_dense(method, lmax, grid, _work_dtype(coeffs)))
    c = _as_real(coeffs, "coeffs", 1).reshape(nbt, (lmax + 1) ** 2)
    plan = sphere_transform(lmax, grid, dtype=_work_dtype(c), method=method, lines=False)  # (unfolds row by row)
    res = np.empty((nbt,) + grid.shape, plan.dtype) if out is None else _check_out(
        out, batch + grid.shape, plan.dtype).reshape((nbt,) + grid.shape)

    def step(E, O, ws, start, stop, nb):
        plan.folded_synthesis(c, start, E, O, ws)
        _k.unfold_values(E, O, grid.n_theta, grid.n_phi, stop - start, res[start:stop])

    _blockwise(plan, nbt, step)
    return res.reshape(batch + grid.shape) if out is None else out


def _blockwise(plan: SphereTransform, nbt: int, step) -> None:
    """Run ``step(E, O, workspace, start, stop, nb)`` over blocks of ``nbt`` rows (buffers per thread)."""
    nb = plan.block_rows(nbt)
    bufs: dict = {}

    def block(start: int, stop: int, w: int) -> None:
        if w not in bufs:
            bufs[w] = (*plan.folded_buffers(nb), plan.workspace(nb))
        step(*bufs[w], start, stop, nb)

    run_blocks(nbt, nb, block, workers=parallel_workers(2.0 * nbt * plan.ncoef * plan.grid.n_theta))
