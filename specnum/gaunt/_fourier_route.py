"""The "fourier" route of Gaunt products (Luo, Chen and Krishnapriyan, ICLR 2024; internal).

Real SH to the 2D Fourier basis of the torus with the exact tables of
:mod:`specnum.gaunt.sh_fourier`, 2D FFT convolution (as pointwise products on the
double-covered torus grid), projection back with the exact ``f2sh`` tables; ``O(L^3)``
per product.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import scipy.fft

from specnum.gaunt.sh_fourier import fourier_to_sh_tables, sh_to_fourier_tables

__all__ = ["fourier_product", "fourier_sizes"]

_CHUNK_BYTES = 1 << 24  # working-set target per chunk of rows (16 MiB per torus array)


def _chunks(nrow: int, row_bytes: int):
    step = max(1, min(nrow, _CHUNK_BYTES // max(row_bytes, 1)))
    for start in range(0, nrow, step):
        yield slice(start, min(start + step, nrow))


def _order_columns(lmax: int, m: int) -> np.ndarray:
    """Flat indices ``[(l, m) for l = m..lmax] + [(l, -m) ...]`` (cos block, then sin block)."""
    ls = np.arange(m, lmax + 1)
    return np.concatenate([ls * ls + ls + m, ls * ls + ls - m])


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


def fourier_product(a1: np.ndarray, a2: np.ndarray, l1: int, l2: int, lo: int) -> np.ndarray:
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
