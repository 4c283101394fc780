"""Products of spherical functions in real spherical-harmonic coefficients (Gaunt products).

``gaunt_product(x1, x2)`` returns the coefficients ``c`` of ``f1 * f2`` where
``f_i = sum_k x_i[k] Y_k`` (real orthonormal harmonics, no Condon-Shortley phase,
flat index ``l*l + l + m``):

.. math:: c_{k_3} = \\sum_{k_1, k_2} G_{k_1 k_2 k_3}\\, x_1[k_1]\\, x_2[k_2],\\qquad
          G_{k_1 k_2 k_3} = \\int_{S^2} Y_{k_1} Y_{k_2} Y_{k_3}\\, d\\Omega .

Three exact methods compute the same bilinear map:

* ``"direct"``: contraction with the sparse real Gaunt table (numba), ``O(L^5)``;
* ``"fourier"``: the route of Luo, Chen and Krishnapriyan (ICLR 2024): SH to the 2D
  Fourier basis with exact tables, 2D FFT convolution, projection back, ``O(L^3)``;
* ``"grid"``: Gauss-Legendre x uniform-phi sphere grid, separable (per-order Legendre
  matrices and real FFTs), pointwise product, quadrature, ``O(L^3)``;

and ``"auto"`` picks the fastest from crossovers measured by ``benchmarks/bench_gaunt.py``
(:mod:`specnum.gaunt._crossover`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import scipy.fft

from specnum._dask import is_dask_array, map_pair
from specnum._validation import as_int, check_budget, flat_sh_lmax
from specnum.bases.coupling import real_gaunt_sparse
from specnum.bases.quadrature import gauss_legendre
from specnum.bases.sphharm import real_sph_harm
from specnum.gaunt._checks import (
    METHODS,
    apply_scales,
    as_method,
    as_sh_array,
    broadcast_pair,
    check_product_budget,
    check_result_finite,
    product_scales,
)
from specnum.gaunt._crossover import choose_method, dense_grid_max_degree
from specnum.gaunt._kernels import gaunt_coo_kernel
from specnum.gaunt.sh_fourier import MAX_TABLE_DEGREE, fourier_to_sh_tables, sh_to_fourier_tables

__all__ = ["gaunt_product", "METHODS"]

_CHUNK_BYTES = 1 << 24  # working-set target per chunk of rows (16 MiB per torus/grid array)


def _chunks(nrow: int, row_bytes: int):
    step = max(1, min(nrow, _CHUNK_BYTES // max(row_bytes, 1)))
    for start in range(0, nrow, step):
        yield slice(start, min(start + step, nrow))


def _order_columns(lmax: int, m: int) -> np.ndarray:
    """Flat indices ``[(l, m) for l = m..lmax] + [(l, -m) ...]`` (cos block, then sin block)."""
    ls = np.arange(m, lmax + 1)
    return np.concatenate([ls * ls + ls + m, ls * ls + ls - m])


# ------------------------------------------------------------------------------------------
# direct
# ------------------------------------------------------------------------------------------
@lru_cache(maxsize=32)
def _coo(l1: int, l2: int, lo: int, dtype: str):
    sp = real_gaunt_sparse(l1, l2, lo)
    return coo_arrays(sp.k1, sp.k2, sp.k3, sp.values, dtype)


def coo_arrays(k1: Any, k2: Any, k3: Any, values: Any, dtype: str):
    """Kernel-ready read-only COO arrays sorted by ``(k1, k2, k3)`` plus the run boundaries of
    equal ``(k1, k2)`` (internal helper of :func:`specnum.gaunt._kernels.gaunt_coo_kernel`)."""
    k1, k2, k3 = (np.asarray(a, dtype=np.int64) for a in (k1, k2, k3))
    order = np.lexsort((k3, k2, k1))
    k1, k2, k3, vals = k1[order], k2[order], k3[order], np.asarray(values)[order]
    change = np.flatnonzero((np.diff(k1) != 0) | (np.diff(k2) != 0)) + 1
    runs = np.concatenate([[0], change, [k1.size]]).astype(np.int64)
    arrs = (
        np.ascontiguousarray(k1, dtype=np.int32),
        np.ascontiguousarray(k2, dtype=np.int32),
        np.ascontiguousarray(k3, dtype=np.int32),
        np.ascontiguousarray(vals, dtype=dtype),
        runs,
    )
    for a in arrs:
        a.setflags(write=False)
    return arrs


def _coo_block(itemsize: int) -> int:
    """Rows per block of the COO kernel (measured: 256 for float32, 128 for float64)."""
    return 256 if itemsize == 4 else 128


def _direct(a1: np.ndarray, a2: np.ndarray, l1: int, l2: int, lo: int) -> np.ndarray:
    k1, k2, k3, vals, runs = _coo(l1, l2, lo, a1.dtype.name)
    out = np.zeros((a1.shape[0], (lo + 1) ** 2), dtype=a1.dtype)
    gaunt_coo_kernel(a1, a2, k1, k2, k3, vals, runs, _coo_block(a1.dtype.itemsize), out)
    return out


# ------------------------------------------------------------------------------------------
# m-major layout shared by the grid and Fourier routes
# ------------------------------------------------------------------------------------------
@lru_cache(maxsize=64)
def _m_major(lmax: int) -> tuple[np.ndarray, np.ndarray, tuple[int, ...]]:
    """Permutation to order-major layout, its inverse and block offsets.

    Block ``m = 0`` holds ``(l, 0)`` for ``l = 0..lmax``; block ``m > 0`` holds ``(l, m)`` then
    ``(l, -m)`` for ``l = m..lmax``.
    """
    perm = np.concatenate([_order_columns(lmax, 0)[: lmax + 1]] + [_order_columns(lmax, m) for m in range(1, lmax + 1)])
    inv = np.empty_like(perm)
    inv[perm] = np.arange(perm.size)
    offs = [0, lmax + 1]
    for m in range(1, lmax + 1):
        offs.append(offs[-1] + 2 * (lmax - m + 1))
    for a in (perm, inv):
        a.setflags(write=False)
    return perm, inv, tuple(offs)


def _ro(a: np.ndarray, dtype: str) -> np.ndarray:
    a = np.ascontiguousarray(a, dtype=dtype)
    a.setflags(write=False)
    return a


# ------------------------------------------------------------------------------------------
# grid
# ------------------------------------------------------------------------------------------
def grid_sizes(l1: int, l2: int, lo: int) -> tuple[int, int]:
    """Gauss-Legendre nodes and uniform azimuths that make the grid product exact.

    ``n_theta = (l1 + l2 + lo) // 2 + 1`` (the integrand has degree ``l1+l2+lo`` in
    ``cos theta``); ``n_phi >= max(l1 + l2 + lo, 2 max(l1, l2, lo)) + 1`` (exact
    trapezoid rule and no aliasing of the real FFTs), rounded up to a fast length.
    """
    n_theta = (l1 + l2 + lo) // 2 + 1
    n_phi = scipy.fft.next_fast_len(max(l1 + l2 + lo, 2 * max(l1, l2, lo)) + 1, real=True)
    return n_theta, n_phi


@lru_cache(maxsize=32)
def _legendre_at_nodes(lmax: int, n_theta: int) -> tuple[np.ndarray, np.ndarray]:
    """``Y[j, k] = Y_k(theta_j, 0)`` at the Gauss-Legendre nodes and the weights ``w_j``."""
    x, w = gauss_legendre(n_theta)
    theta = np.arccos(x)
    return real_sph_harm(lmax, theta, np.zeros_like(theta)), w


@lru_cache(maxsize=32)
def _grid_synthesis_tables(lmax: int, n_theta: int, table_lmax: int, dtype: str):
    """Per order ``m``, ``(P_c, P_s)`` of shape ``(lmax-m+1, n_theta)``: ``x_{l,m} @ P_c`` and
    ``x_{l,-m} @ P_s`` are the real and imaginary parts of the half-spectrum column
    ``((C_m - i S_m) / 2)(theta_j)`` (``C_0`` for ``m = 0``), ``P = Y_{l,m}(theta_j, 0)``."""
    Y, _ = _legendre_at_nodes(table_lmax, n_theta)
    out = []
    for m in range(lmax + 1):
        ls = np.arange(m, lmax + 1)
        P = Y[:, ls * ls + ls + m].T  # (nl, n_theta): sqrt2 N Pbar or N P
        if m == 0:
            out.append((_ro(P, dtype), None))
        else:
            out.append((_ro(0.5 * P, dtype), _ro(-0.5 * P, dtype)))
    return tuple(out)


@lru_cache(maxsize=32)
def _grid_analysis_tables(lmax: int, n_theta: int, table_lmax: int, dtype: str):
    """Per order ``m``, ``Q_m = 2 pi w_j Y_{l,m}(theta_j, 0)`` of shape ``(n_theta, lmax-m+1)``:
    ``c_{l,m} = Re H_m @ Q_m`` and ``c_{l,-m} = -Im H_m @ Q_m``."""
    Y, w = _legendre_at_nodes(table_lmax, n_theta)
    out = []
    for m in range(lmax + 1):
        ls = np.arange(m, lmax + 1)
        out.append(_ro(2.0 * np.pi * w[:, None] * Y[:, ls * ls + ls + m], dtype))
    return tuple(out)


def _grid_values(ap: np.ndarray, lmax: int, tables, offs, n_theta: int, n_phi: int) -> np.ndarray:
    """Values ``(B, n_theta, n_phi)`` on the grid from m-major real coefficients ``ap``.

    Per order two real matmuls (no zero padding) fill ``S[m, re/im]``; one transpose makes the
    complex half spectra contiguous along ``m`` for the inverse real FFT.
    """
    nrow = ap.shape[0]
    S = np.empty((lmax + 1, 2, nrow, n_theta), dtype=ap.dtype)
    for m, (pc, ps) in enumerate(tables):
        nl = lmax - m + 1
        blk = ap[:, offs[m] : offs[m + 1]]
        np.matmul(blk[:, :nl], pc, out=S[m, 0])
        if ps is None:
            S[m, 1] = 0.0
        else:
            np.matmul(blk[:, nl:], ps, out=S[m, 1])
    ctype = np.complex64 if ap.dtype == np.float32 else np.complex128
    spec = np.ascontiguousarray(S.transpose(2, 3, 0, 1)).view(ctype)[..., 0]  # (B, n_theta, lmax+1)
    return scipy.fft.irfft(spec, n=n_phi, axis=-1, norm="forward")


def _grid_project(f: np.ndarray, lmax: int, tables, offs, out: np.ndarray) -> None:
    """Quadrature of grid values ``f (B, n_theta, n_phi)`` into m-major coefficients ``out``."""
    nrow, n_theta = f.shape[0], f.shape[1]
    h = scipy.fft.rfft(f, axis=-1, norm="forward")  # (B, n_theta, n_half)
    hv = h.view(f.dtype).reshape(nrow, n_theta, -1, 2)[:, :, : lmax + 1]
    H = np.ascontiguousarray(hv.transpose(2, 3, 0, 1))  # (lmax+1, 2, B, n_theta)
    for m, Q in enumerate(tables):
        nl = lmax - m + 1
        if m == 0:
            out[:, offs[0] : offs[1]] = H[0, 0] @ Q
        else:
            r = H[m].reshape(2 * nrow, n_theta) @ Q
            out[:, offs[m] : offs[m] + nl] = r[:nrow]
            np.negative(r[nrow:], out=out[:, offs[m] + nl : offs[m + 1]])


def _synthesize(ap: np.ndarray, tables, offs, n_half: int, n_cols: int, ctype) -> np.ndarray:
    """Order-major half spectra ``(n_half, B, n_cols)`` complex from m-major real coefficients."""
    spec = np.zeros((n_half, ap.shape[0], n_cols), dtype=ctype)
    for m, S in enumerate(tables):
        np.matmul(ap[:, offs[m] : offs[m + 1]], S, out=spec[m].view(S.dtype))
    return spec


def _to_azimuth(spec: np.ndarray, n_phi: int) -> np.ndarray:
    """Order-major half spectra ``(M, B, n)`` -> real values ``(B, n, n_phi)`` (FFT on the last axis)."""
    return scipy.fft.irfft(np.ascontiguousarray(spec.transpose(1, 2, 0)), n=n_phi, axis=-1, norm="forward")


def _from_azimuth(f: np.ndarray, lmax: int) -> np.ndarray:
    """Real values ``(B, n, n_phi)`` -> order-major half spectra ``(lmax+1, B, n)``, orders ``0..lmax``."""
    h = scipy.fft.rfft(f, axis=-1, norm="forward")
    return np.ascontiguousarray(h[:, :, : lmax + 1].transpose(2, 0, 1))


def _analyze(h: np.ndarray, tables, offs, out: np.ndarray, ncols: int | None = None) -> None:
    """``out[:, block m] = h[m] (interleaved re/im, first ncols complex columns) @ tables[m]``."""
    for m, Q in enumerate(tables):
        hm = h[m] if ncols is None else h[m, :, :ncols]
        out[:, offs[m] : offs[m + 1]] = hm.view(Q.dtype) @ Q


@lru_cache(maxsize=32)
def _dense_grid_tables(l1: int, l2: int, lo: int, dtype: str):
    """Dense synthesis ``Y_i (n_i, npts)`` and weighted analysis ``W (npts, n_out)`` on the exact grid.

    (Splitting by equatorial parity halves the flops but was measured slower: at small L the
    products are bound by writing the grid values, not by arithmetic.)
    """
    n_theta = (l1 + l2 + lo) // 2 + 1
    n_phi = max(l1 + l2 + lo, 2 * max(l1, l2, lo)) + 1
    x, w = gauss_legendre(n_theta)
    theta = np.repeat(np.arccos(x), n_phi)
    phi = np.tile(2.0 * np.pi * np.arange(n_phi) / n_phi, n_theta)
    Y = real_sph_harm(max(l1, l2, lo), theta, phi)  # (npts, n)
    wts = np.repeat(w, n_phi) * (2.0 * np.pi / n_phi)
    return (
        _ro(Y[:, : (l1 + 1) ** 2].T, dtype),
        _ro(Y[:, : (l2 + 1) ** 2].T, dtype),
        _ro(wts[:, None] * Y[:, : (lo + 1) ** 2], dtype),
    )


def _grid_dense(a1: np.ndarray, a2: np.ndarray, l1: int, l2: int, lo: int) -> np.ndarray:
    y1, y2, wy = _dense_grid_tables(l1, l2, lo, a1.dtype.name)
    out = np.empty((a1.shape[0], (lo + 1) ** 2), dtype=a1.dtype)
    for sl in _chunks(a1.shape[0], y1.shape[1] * a1.dtype.itemsize):
        f = a1[sl] @ y1
        f *= a2[sl] @ y2
        np.matmul(f, wy, out=out[sl])
    return out


def _grid(a1: np.ndarray, a2: np.ndarray, l1: int, l2: int, lo: int) -> np.ndarray:
    if max(l1, l2, lo) <= dense_grid_max_degree(a1.dtype.name):
        return _grid_dense(a1, a2, l1, l2, lo)
    return _grid_separable(a1, a2, l1, l2, lo)


def _grid_separable(a1: np.ndarray, a2: np.ndarray, l1: int, l2: int, lo: int) -> np.ndarray:
    dtype = a1.dtype.name
    n_theta, n_phi = grid_sizes(l1, l2, lo)
    lt = max(l1, l2, lo)
    s1 = _grid_synthesis_tables(l1, n_theta, lt, dtype)
    s2 = _grid_synthesis_tables(l2, n_theta, lt, dtype)
    qa = _grid_analysis_tables(lo, n_theta, lt, dtype)
    p1, _, o1 = _m_major(l1)
    p2, _, o2 = _m_major(l2)
    _, inv, oo = _m_major(lo)
    a1p, a2p = a1[:, p1], a2[:, p2]
    outp = np.empty((a1.shape[0], (lo + 1) ** 2), dtype=dtype)
    row_bytes = n_theta * n_phi * a1.dtype.itemsize
    for sl in _chunks(a1.shape[0], row_bytes):
        f = _grid_values(a1p[sl], l1, s1, o1, n_theta, n_phi)
        f *= _grid_values(a2p[sl], l2, s2, o2, n_theta, n_phi)
        _grid_project(f, lo, qa, oo, outp[sl])
    return outp[:, inv]


# ------------------------------------------------------------------------------------------
# fourier
# ------------------------------------------------------------------------------------------
def fourier_sizes(l1: int, l2: int, lo: int) -> tuple[int, int]:
    """Torus FFT sizes ``(n_t, n_p)`` for the product: no wrap-around of the linear convolution.

    ``n_t >= 2 (l1 + l2) + 1`` (all rows ``|u| <= l1 + l2`` feed the projection);
    ``n_p >= max(l1 + l2 + lo, 2 max(l1, l2, lo)) + 1`` (columns ``v <= lo`` alias-free).
    """
    n_t = scipy.fft.next_fast_len(2 * (l1 + l2) + 1)
    n_p = scipy.fft.next_fast_len(max(l1 + l2 + lo, 2 * max(l1, l2, lo)) + 1, real=True)
    return n_t, n_p


@lru_cache(maxsize=32)
def _sh2f_torus_tables(lmax: int, n_t: int, dtype: str):
    """Per order, a real matrix ``T_m``: ``[x_{l,m}, x_{l,-m}] @ T_m`` is column ``F[:, m]``
    (interleaved re/im) placed at the wrapped FFT rows ``u mod n_t``."""
    out = []
    rows = np.arange(-lmax, lmax + 1) % n_t
    for m, A in enumerate(sh_to_fourier_tables(lmax)):
        nl = lmax - m + 1
        cre, cim = [(1.0, 0.0), (0.0, -1.0), (-1.0, 0.0), (0.0, 1.0)][m % 4]
        # F = (cre + i cim)(A xc - i A xs) = (cre a + cim s) + i (cim a - cre s)
        T = np.zeros((2 * nl, 2 * n_t))
        T[:nl, 2 * rows] = cre * A.T
        T[nl:, 2 * rows] = cim * A.T
        T[:nl, 2 * rows + 1] = cim * A.T
        T[nl:, 2 * rows + 1] = -cre * A.T
        if m == 0:
            T = T[:nl]
        out.append(_ro(T, dtype))
    return tuple(out)


@lru_cache(maxsize=32)
def _f2sh_folded_tables(lo: int, up: int, dtype: str):
    """Per order, the real matrix ``M_m``: interleaved ``(Re F[u, m], Im F[u, m])``, ``u = 0..up``,
    times ``M_m`` gives ``[c_{l,m}, c_{l,-m}]``.

    Uses ``F[-u, m] = (-1)^m F[u, m]`` (true for every function on the sphere and kept by
    products) to fold ``u < 0`` onto ``u > 0``.
    """
    out = []
    for m, Z in enumerate(fourier_to_sh_tables(lo, up)):
        sign = -1.0 if m % 2 else 1.0
        Zf = Z[:, up:].copy()
        Zf[:, 1:] += sign * Z[:, up - 1 :: -1]
        zr, zi = Zf.real.T, Zf.imag.T  # (up+1, nl)
        nl = lo - m + 1
        # c_m = Re(Z F) = zr Fr - zi Fi ; c_-m = -Im(Z F) = -(zi Fr + zr Fi)
        M = np.empty((2 * (up + 1), 2 * nl))
        M[0::2, :nl] = zr
        M[1::2, :nl] = -zi
        M[0::2, nl:] = -zi
        M[1::2, nl:] = -zr
        if m == 0:
            M = M[:, :nl]
        out.append(_ro(M, dtype))
    return tuple(out)


def _fourier(a1: np.ndarray, a2: np.ndarray, l1: int, l2: int, lo: int) -> np.ndarray:
    dtype = a1.dtype.name
    ctype = np.complex64 if dtype == "float32" else np.complex128
    up = l1 + l2
    n_t, n_p = fourier_sizes(l1, l2, lo)
    t1 = _sh2f_torus_tables(l1, n_t, dtype)
    t2 = _sh2f_torus_tables(l2, n_t, dtype)
    ma = _f2sh_folded_tables(lo, up, dtype)
    p1, _, o1 = _m_major(l1)
    p2, _, o2 = _m_major(l2)
    _, inv, oo = _m_major(lo)
    a1p, a2p = a1[:, p1], a2[:, p2]
    outp = np.empty((a1.shape[0], (lo + 1) ** 2), dtype=dtype)
    # double cover: column m of every sphere function (and of products) obeys
    # g_m(2 pi - t) = (-1)^m g_m(t), so only the rows t_j, j <= n_t / 2, are transformed in phi
    half = n_t // 2 + 1
    mirror = n_t - np.arange(half, n_t)  # row j >= half is (-1)^m times row n_t - j
    sign = np.where(np.arange(lo + 1) % 2 == 0, 1.0, -1.0).astype(dtype)[:, None, None]
    row_bytes = half * n_p * a1.dtype.itemsize
    for sl in _chunks(a1.shape[0], row_bytes):
        vals = []
        for ap, tab, offs, lm in ((a1p, t1, o1, l1), (a2p, t2, o2, l2)):
            cols = _synthesize(ap[sl], tab, offs, lm + 1, n_t, ctype)  # F[u, m], (m, B, u)
            g = scipy.fft.ifft(cols, axis=-1, norm="forward", overwrite_x=True)  # values at t_j
            vals.append(_to_azimuth(g[:, :, :half], n_p))  # values at (t_j, p_k), (B, half, n_p)
        f = vals[0]
        f *= vals[1]
        hh = _from_azimuth(f, lo)  # (lo+1, B, half)
        h = np.empty((lo + 1, hh.shape[1], n_t), dtype=ctype)
        h[:, :, :half] = hh
        np.multiply(hh[:, :, mirror], sign, out=h[:, :, half:])
        H = scipy.fft.fft(h, axis=-1, norm="forward", overwrite_x=True)  # product F[u, m]
        _analyze(H, ma, oo, outp[sl], ncols=up + 1)
    return outp[:, inv]


#: Implementations by name; "grid_dense" (dense BLAS synthesis/analysis, fast for small L) and
#: "grid_separable" (per-order Legendre + real FFT, O(L^3)) are the two forms of "grid".
_IMPL = {
    "direct": _direct,
    "grid": _grid,
    "grid_dense": _grid_dense,
    "grid_separable": _grid_separable,
    "fourier": _fourier,
}


def _gaunt_product_dask(x1: Any, x2: Any, lmax_out: int | None, method: str) -> Any:
    """Chunk-wise :func:`gaunt_product` over the batch axes of dask arrays (validated up front)."""
    shapes = [np.shape(x) for x in (x1, x2)]
    l1 = flat_sh_lmax(shapes[0][-1] if shapes[0] else 0, "x1")
    l2 = flat_sh_lmax(shapes[1][-1] if shapes[1] else 0, "x2")
    np.broadcast_shapes(shapes[0][:-1], shapes[1][:-1])  # raises ValueError when batches do not broadcast
    lo = l1 + l2 if lmax_out is None else as_int(lmax_out, "lmax_out", minimum=0)
    method = as_method(method)
    if method == "fourier" and l1 + l2 > MAX_TABLE_DEGREE:  # as gaunt_product, but before any compute
        raise ValueError(f"x1 and x2 must have L1 + L2 <= {MAX_TABLE_DEGREE} for method 'fourier', got {l1} + {l2}")
    dtypes = [np.dtype(getattr(x, "dtype", np.float64)) for x in (x1, x2)]
    for name, dt in zip(("x1", "x2"), dtypes):
        if dt.kind not in "biuf":
            raise TypeError(f"{name} must be real, got dtype {dt}")
    out_dtype = np.float32 if all(dt == np.float32 for dt in dtypes) else np.float64
    return map_pair(lambda a, b: gaunt_product(a, b, lo, method=method), x1, x2, (lo + 1) ** 2, out_dtype)


def gaunt_product(x1: Any, x2: Any, lmax_out: int | None = None, *, method: str = "auto") -> np.ndarray:
    """Real SH coefficients of the product of two spherical functions.

    Parameters
    ----------
    x1 : array_like, shape (..., (L1+1)**2)
        Real SH coefficients of ``f1`` (orthonormal, no Condon-Shortley phase,
        flat index ``l*l + l + m``). If ``x1`` or ``x2`` is a ``dask.array.Array``, the
        product is computed chunk-wise over the batch axes and a lazy dask array is returned.
    x2 : array_like, shape (..., (L2+1)**2)
        Coefficients of ``f2``; batch axes broadcast against those of ``x1``.
    lmax_out : int, optional
        Largest output degree, ``>= 0``; default ``L1 + L2`` (the exact product).
        Smaller values truncate, larger ones pad with zeros.
    method : {"auto", "direct", "fourier", "grid"}
        Algorithm (module docstring); all are exact up to rounding.

    Returns
    -------
    ndarray, shape (..., (lmax_out+1)**2)
        Coefficients of ``f1 * f2`` up to degree ``lmax_out``. float32 if both inputs
        are float32 (computed in single precision, about 1e-6 relative error), else float64.

    Raises
    ------
    ValueError
        Last axis not a perfect square, batch shapes that do not broadcast, negative
        ``lmax_out``, non-finite values, unknown ``method``, ``L1 + L2`` above
        ``MAX_TABLE_DEGREE`` for method "fourier", sizes beyond the size budget
        (:func:`specnum.size_budget`), a product too large for the working precision.
    TypeError
        Complex or non-numeric input, non-integer ``lmax_out``.

    Notes
    -----
    ``c_{k3} = sum G[k1, k2, k3] x1[k1] x2[k2]`` with the real Gaunt coefficients
    ``G = int Y_{k1} Y_{k2} Y_{k3} dOmega``. Only couplings with ``l1 + l2 + l3`` even occur,
    so the output at degree ``l3`` has parity ``(-1)^{l3}`` for sh-parity inputs.
    Inputs with very large or very small magnitudes are scaled row by row by powers of
    two, so the result is finite whenever it is representable.

    Examples
    --------
    >>> import numpy as np
    >>> y00 = np.array([1.0])  # the constant 1/sqrt(4 pi)
    >>> x = np.array([0.3, -1.0, 2.0, 0.5])
    >>> c = gaunt_product(y00, x, method="grid")
    >>> bool(np.allclose(c, x / np.sqrt(4 * np.pi), atol=1e-15))
    True
    """
    if is_dask_array(x1) or is_dask_array(x2):
        return _gaunt_product_dask(x1, x2, lmax_out, method)
    a1, l1 = as_sh_array(x1, "x1")
    a2, l2 = as_sh_array(x2, "x2")
    lo_req = l1 + l2 if lmax_out is None else as_int(lmax_out, "lmax_out", minimum=0)
    method = as_method(method)
    dtype = np.float32 if (a1.dtype == np.float32 and a2.dtype == np.float32) else np.float64
    a1, a2, batch = broadcast_pair(a1.astype(dtype, copy=False), a2.astype(dtype, copy=False))
    lo = min(lo_req, l1 + l2)  # higher degrees of the product vanish
    if method == "auto":
        method = choose_method(l1, l2, lo, nrow=a1.shape[0], dtype="float32" if dtype is np.float32 else "float64")
    if method == "fourier" and max(l1 + l2, lo) > MAX_TABLE_DEGREE:
        raise ValueError(f"x1 and x2 must have L1 + L2 <= {MAX_TABLE_DEGREE} for method 'fourier', got {l1} + {l2}")
    nrow = a1.shape[0]
    if lo_req > lo:  # zero padding of the output
        check_budget(f"gaunt_product output of lmax_out = {lo_req} over {nrow} rows",
                     memory=float(nrow) * (lo_req + 1) ** 2 * a1.itemsize)
    check_product_budget(f"gaunt_product of degrees x1: {l1}, x2: {l2} -> lmax_out = {lo} over {nrow} rows "
                         f"(method {method!r})", l1, l2, lo, nrow, method.partition("_")[0], a1.itemsize)
    if nrow == 0:
        res = np.zeros((0, (lo + 1) ** 2), dtype=dtype)
    else:
        scales = product_scales(a1, a2)
        if scales is None:
            res = _IMPL[method](a1, a2, l1, l2, lo)
        else:
            e1, e2 = scales
            res = _IMPL[method](apply_scales(a1, e1), apply_scales(a2, e2), l1, l2, lo)
            with np.errstate(over="ignore"):
                res = np.ldexp(res, (e1 + e2)[:, None]).astype(dtype, copy=False)
        check_result_finite(res, "x1 and x2")
    if lo_req > lo:
        res = np.concatenate([res, np.zeros((nrow, (lo_req + 1) ** 2 - (lo + 1) ** 2), dtype=dtype)], axis=1)
    return res.reshape(*batch, (lo_req + 1) ** 2)
