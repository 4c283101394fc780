"""Real spherical harmonics <-> 2D Fourier basis on the (theta, phi) torus, with exact tables.

Convention (:mod:`specnum.bases.sphharm`, the conventions page of the documentation): real
orthonormal harmonics without Condon-Shortley phase, flat index ``l*l + l + m``.
A spherical function continued to the torus ``theta in [0, 2 pi)`` (with the
*signed* ``sin theta``) is the trigonometric polynomial

.. math:: f(\\theta, \\phi) = \\sum_{|u|, |v| \\le L} F[u + L, v + L]\\, e^{i(u\\theta + v\\phi)} .

Each ``Y_{lm}`` only uses the columns ``v = +-m`` and the rows ``u = l, l-2, ..., -l``,
so the basis change costs ``O(L^3)``. The tables are generated in exact integer
arithmetic (:mod:`specnum.gaunt._exact`) and rounded once to float64 (each
entry within about one ulp of its exact value), cached per parameter set with
:func:`functools.lru_cache` and handed out read-only.

The per-order tables used internally:

* ``A_m`` of shape ``(2L+1, L-m+1)``, real: ``F[:, +m] = (-i)^m A_m (x_{l,m} - i x_{l,-m})``
  and ``F[:, -m] = (-i)^m A_m (x_{l,m} + i x_{l,-m})`` (``x_{l,-0} = 0``);
* ``Z_m`` of shape ``(lmax-m+1, 2U+1)``, complex: for a Hermitian ``F`` (real ``f``) of
  half-size ``U``, ``Z_m F[:, +m] = c_{l,m} - i c_{l,-m}`` with ``c`` the coefficients of
  the orthogonal projection of ``f`` restricted to the sphere (``theta in [0, pi]``).
"""

from __future__ import annotations

import hashlib
import math
import os
import threading
import warnings
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from specnum._validation import as_float_array, as_int, check_budget, flat_sh_lmax
from specnum.errors import SpecnumWarning
from specnum.gaunt._exact import legendre_fourier_int, projection_int, sqrt_ratio_float

__all__ = [
    "sh_to_fourier",
    "fourier_to_sh",
    "sh_to_fourier_tables",
    "fourier_to_sh_tables",
    "MAX_TABLE_DEGREE",
]

#: Largest degree (and Fourier half-size) for which conversion tables are built.
MAX_TABLE_DEGREE = 128

_SQRT_PI = 1.7724538509055160273  # sqrt(pi), correctly rounded
_PI_3_2 = 5.5683279968317078453  # pi**1.5, correctly rounded
_INV_SQRT_PI = 0.56418958354775628695  # 1/sqrt(pi), correctly rounded


def _readonly(arr: np.ndarray) -> np.ndarray:
    arr = np.ascontiguousarray(arr)
    arr.setflags(write=False)
    return arr


def _build_sh2f(lmax: int) -> tuple[np.ndarray, ...]:
    tables = []
    for m in range(lmax + 1):
        ints, shift = legendre_fourier_int(lmax, m)
        kap2 = 1 if m == 0 else 2
        out = np.zeros((2 * lmax + 1, lmax - m + 1))
        for il, l in enumerate(range(m, lmax + 1)):
            fac_num = (2 * l + 1) * math.factorial(l - m)
            fac_den = 4 * math.factorial(l + m) * kap2 << (2 * shift)
            row = ints[il]
            for iu in range((l + lmax) % 2, 2 * lmax + 1, 2):  # u = l (mod 2) only
                r = row[iu]
                if r:
                    out[iu, il] = sqrt_ratio_float((1 if r > 0 else -1) * fac_num * r * r, fac_den)
        tables.append(_readonly(out * _INV_SQRT_PI))
    return tuple(tables)


@lru_cache(maxsize=16)
def _sh2f_cached(lmax: int) -> tuple[np.ndarray, ...]:
    return _build_sh2f(lmax)


def _build_f2sh(lmax: int, umax: int) -> tuple[np.ndarray, ...]:
    tables = []
    for m in range(lmax + 1):
        rho, sig, shift, dlcm = projection_int(lmax, m, umax)
        kap2 = 1 if m == 0 else 2
        eps = (-1) ** (m // 2)
        rev = slice(None, None, -1)
        if m % 2 == 0:
            re_int = rho + rho[:, rev]  # times sqrt(pi) after normalisation
            im_int = sig - sig[:, rev]  # times pi**1.5 / 2
        else:
            re_int = sig + sig[:, rev]
            im_int = -(rho - rho[:, rev])
        out = np.zeros((lmax - m + 1, 2 * umax + 1), dtype=np.complex128)
        for il, l in enumerate(range(m, lmax + 1)):
            fac_num = kap2 * (2 * l + 1) * math.factorial(l - m)
            fac_den = 4 * math.factorial(l + m) << (2 * shift)
            den_rho = fac_den * dlcm * dlcm
            den_sig = fac_den * 4
            for iu in range(2 * umax + 1):
                a, b = int(re_int[il, iu]), int(im_int[il, iu])
                if m % 2 == 0:
                    re = sqrt_ratio_float(eps * (1 if a >= 0 else -1) * fac_num * a * a, den_rho) * _SQRT_PI
                    im = sqrt_ratio_float(eps * (1 if b >= 0 else -1) * fac_num * b * b, den_sig) * _PI_3_2
                else:
                    re = sqrt_ratio_float(eps * (1 if a >= 0 else -1) * fac_num * a * a, den_sig) * _PI_3_2
                    im = sqrt_ratio_float(eps * (1 if b >= 0 else -1) * fac_num * b * b, den_rho) * _SQRT_PI
                out[il, iu] = complex(re, im)
        tables.append(_readonly(out))
    return tuple(tables)


@lru_cache(maxsize=16)
def _f2sh_cached(lmax: int, umax: int) -> tuple[np.ndarray, ...]:
    return _build_f2sh(lmax, umax)


#: Version of the on-disk table layout; files of another version are rebuilt.
_CACHE_FORMAT = 2
_CONVENTION = "real-integral-nocs"


def _cache_key(kind: str, lmax: int, umax: int | None) -> str:
    """Everything that determines a table: kind, convention, degree, Fourier size, format."""
    sizes = f"lmax={lmax}" if umax is None else f"lmax={lmax},umax={umax}"
    return f"specnum-gaunt-table;format={_CACHE_FORMAT};kind={kind};convention={_CONVENTION};{sizes}"


def _cache_file(cache_dir: Any, kind: str, lmax: int, umax: int | None) -> Path:
    path = Path(cache_dir)
    if not path.is_dir():
        raise ValueError(f"cache_dir must be an existing directory, got {str(cache_dir)!r}")
    sizes = f"{lmax}" if umax is None else f"{lmax}_{umax}"
    return path / f"specnum_gaunt_{kind}_{_CONVENTION}_{sizes}.npz"


def _checksum(tables: tuple[np.ndarray, ...]) -> str:
    digest = hashlib.sha256()
    for t in tables:
        digest.update(f"{t.dtype.str}{t.shape}".encode())
        digest.update(np.ascontiguousarray(t).tobytes())
    return digest.hexdigest()


def _load_verified(fname: Path, key: str) -> tuple[tuple[np.ndarray, ...] | None, str]:
    """The tables stored in ``fname`` if its key and checksum match, else ``(None, reason)``."""
    try:  # the file object is ours to close, also when np.load rejects its content
        with open(fname, "rb") as fh, np.load(fh, allow_pickle=False) as data:
            stored_key = str(data["key"][()])
            if stored_key != key:
                return None, f"it holds {stored_key!r}"
            n = int(data["count"])
            tables = tuple(np.array(data[f"t{i}"]) for i in range(n))
            stored_sum = str(data["checksum"][()])
    except (OSError, ValueError, KeyError, EOFError, TypeError, zipfile.BadZipFile) as exc:  # TypeError: an .npy file
        return None, f"it cannot be read ({type(exc).__name__}: {exc})"
    if _checksum(tables) != stored_sum:
        return None, "its checksum does not match its content"
    return tables, ""


def _disk_cached(builder: Any, cache_dir: Any, kind: str, lmax: int, umax: int | None = None) -> tuple[np.ndarray, ...]:
    """Tables from an ``.npz`` file in ``cache_dir`` (key and checksum verified), else built and
    written atomically; an unreadable or mismatching file is rebuilt with a warning."""
    args = (lmax,) if umax is None else (lmax, umax)
    fname = _cache_file(cache_dir, kind, lmax, umax)
    key = _cache_key(kind, lmax, umax)
    if fname.exists():
        tables, reason = _load_verified(fname, key)
        if tables is not None:
            return tuple(_readonly(t) for t in tables)
        warnings.warn(f"cache_dir: the table file {str(fname)!r} is not a valid {kind} table for "
                      f"{key.split(';', 4)[-1]} ({reason}); rebuilding it", SpecnumWarning, stacklevel=3)
    tables = builder(*args)
    # write then rename: a concurrent reader never sees a half-written file
    tmp = fname.with_name(f".{fname.stem}.{os.getpid()}.{threading.get_ident()}.tmp.npz")
    try:
        with open(tmp, "wb") as fh:
            np.savez(fh, key=np.array(key), checksum=np.array(_checksum(tables)), count=len(tables),
                     **{f"t{i}": t for i, t in enumerate(tables)})
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, fname)
    finally:
        tmp.unlink(missing_ok=True)
    return tables


def sh_to_fourier_tables(lmax: int, *, cache_dir: Any = None) -> tuple[np.ndarray, ...]:
    """Exact per-order tables ``A_m`` of the map from real SH to the 2D Fourier basis.

    Parameters
    ----------
    lmax : int
        Largest degree, ``0 <= lmax <= MAX_TABLE_DEGREE``.
    cache_dir : str or path-like, optional
        An existing directory; when given, the tables are read from (or written to)
        an ``.npz`` file there. The file stores a key (kind, convention, degree, format
        version) and a SHA-256 checksum of the tables; a file that cannot be read or does
        not match is rebuilt and rewritten with a :class:`~specnum.errors.SpecnumWarning`.
        Files are written to a temporary name and renamed (atomic). Default: memory only.

    Returns
    -------
    tuple of ndarray
        ``lmax + 1`` read-only float64 arrays; ``A_m`` has shape ``(2*lmax+1, lmax-m+1)``,
        row ``u + lmax``, column ``l - m``.

    Notes
    -----
    ``F[u, +m] = (-i)^m sum_l A_m[u, l] (x_{l,m} - i x_{l,-m})`` and
    ``F[u, -m] = (-i)^m sum_l A_m[u, l] (x_{l,m} + i x_{l,-m})``; ``A_m[u, l]`` vanishes
    unless ``u = l (mod 2)``. Entries are rounded from exact integers.

    Examples
    --------
    >>> A = sh_to_fourier_tables(1)
    >>> round(float(A[0][0, 1]), 12)  # Y_{1,0}: coefficient of e^{-i theta}
    0.244301255951
    """
    lmax = as_int(lmax, "lmax", minimum=0, maximum=MAX_TABLE_DEGREE)
    if cache_dir is None:
        return _sh2f_cached(lmax)
    return _disk_cached(_build_sh2f, cache_dir, "sh2f", lmax)


def fourier_to_sh_tables(lmax: int, umax: int, *, cache_dir: Any = None) -> tuple[np.ndarray, ...]:
    """Exact per-order projection tables ``Z_m`` from the 2D Fourier basis to real SH.

    Parameters
    ----------
    lmax : int
        Largest output degree, ``0 <= lmax <= MAX_TABLE_DEGREE``.
    umax : int
        Fourier half-size ``U`` of the input (``u in [-U, U]``), ``0 <= U <= MAX_TABLE_DEGREE``.
    cache_dir : str or path-like, optional
        An existing directory for an optional on-disk ``.npz`` cache (see
        :func:`sh_to_fourier_tables`). Default: memory only.

    Returns
    -------
    tuple of ndarray
        ``lmax + 1`` read-only complex128 arrays; ``Z_m`` has shape ``(lmax-m+1, 2*umax+1)``.

    Notes
    -----
    For a Hermitian ``F`` (``F[-u, -v] = conj F[u, v]``),
    ``sum_u Z_m[l, u] F[u, m] = c_{l,m} - i c_{l,-m}`` where
    ``c_{lm} = int_0^{2pi} int_0^pi f Y_{lm} sin(t) dt dp``. The half-range integrals
    ``I(k) = int_0^pi e^{ikt} sin t dt`` make ``Z_m`` dense in ``u``.

    Examples
    --------
    >>> Z = fourier_to_sh_tables(0, 0)
    >>> round(float(Z[0][0, 0].real), 12)  # int Y_00 dOmega = sqrt(4 pi)
    3.544907701811
    """
    lmax = as_int(lmax, "lmax", minimum=0, maximum=MAX_TABLE_DEGREE)
    umax = as_int(umax, "umax", minimum=0, maximum=MAX_TABLE_DEGREE)
    if cache_dir is None:
        return _f2sh_cached(lmax, umax)
    return _disk_cached(_build_f2sh, cache_dir, "f2sh", lmax, umax)


def _phase(m: int) -> complex:
    return (1, -1j, -1, 1j)[m % 4]


def sh_to_fourier(x: Any, *, cache_dir: Any = None) -> np.ndarray:
    """Coefficients of a real SH expansion in the 2D Fourier basis of the torus.

    Parameters
    ----------
    x : array_like, shape (..., (L+1)**2)
        Real SH coefficients (orthonormal, no Condon-Shortley phase, index ``l*l+l+m``).
    cache_dir : str or path-like, optional
        Directory for the optional on-disk table cache (see :func:`sh_to_fourier_tables`).

    Returns
    -------
    ndarray, shape (..., 2L+1, 2L+1), complex128
        ``F[..., u + L, v + L]`` with ``f(t, p) = sum F e^{i(u t + v p)}`` on the torus.
        ``F`` is Hermitian, ``F[-u, -v] = conj F[u, v]``, and satisfies
        ``F[-u, v] = (-1)^v F[u, v]``.

    Raises
    ------
    ValueError
        If the last axis of ``x`` is not a perfect square or ``x`` is not finite.
    TypeError
        If ``x`` is complex or not numeric.

    Notes
    -----
    Cost ``O(L^3)`` per expansion: only ``v = +-m`` and ``u = l (mod 2)`` are used.

    Examples
    --------
    >>> import numpy as np
    >>> F = sh_to_fourier(np.array([0.0, 0.0, 1.0, 0.0]))  # Y_{1,0} = sqrt(3/4pi) cos t
    >>> np.round(F[:, 1].real, 12).tolist()
    [0.244301255951, 0.0, 0.244301255951]
    """
    shape = np.shape(x)
    lmax = flat_sh_lmax(shape[-1] if shape else 0, "x")
    if lmax > MAX_TABLE_DEGREE:
        raise ValueError(f"x must have degree <= {MAX_TABLE_DEGREE}, got {lmax}")
    batch = shape[:-1]
    n = 2 * lmax + 1
    check_budget(f"sh_to_fourier of degree {lmax} over {math.prod(batch)} rows",
                 memory=16.0 * math.prod(batch) * n * n, work=4.0 * math.prod(batch) * n * (lmax + 1) ** 2)
    x = as_float_array(x, "x", min_ndim=1)
    tables = sh_to_fourier_tables(lmax, cache_dir=cache_dir)
    out = np.zeros((*batch, n, n), dtype=np.complex128)
    for m in range(lmax + 1):
        ls = np.arange(m, lmax + 1)
        xc = x[..., ls * ls + ls + m]
        xs = x[..., ls * ls + ls - m] if m > 0 else np.zeros_like(xc)
        a = xc @ tables[m].T
        s = xs @ tables[m].T
        ph = _phase(m)
        out[..., :, lmax + m] = ph * (a - 1j * s)
        if m > 0:
            out[..., :, lmax - m] = ph * (a + 1j * s)
    return out


def fourier_to_sh(F: Any, lmax: int, *, cache_dir: Any = None) -> np.ndarray:
    """Real SH coefficients of the restriction to the sphere of a torus function.

    Parameters
    ----------
    F : array_like, shape (..., 2U+1, 2U+1)
        2D Fourier coefficients ``F[..., u + U, v + U]`` (real or complex).
    lmax : int
        Largest output degree (any ``0 <= lmax <= MAX_TABLE_DEGREE``).
    cache_dir : str or path-like, optional
        Directory for the optional on-disk table cache (see :func:`fourier_to_sh_tables`).

    Returns
    -------
    ndarray, shape (..., (lmax+1)**2), float64
        ``c_{lm} = int_{S^2} Re(f) Y_{lm} dOmega``: the orthogonal projection of the real
        part of ``f`` on the sphere ``theta in [0, pi]``. For ``F = sh_to_fourier(x)``
        this returns ``x`` (padded or truncated to ``lmax``).

    Raises
    ------
    ValueError
        If ``F`` is not square of odd size in its last two axes, not finite, or ``lmax < 0``.

    Notes
    -----
    ``F`` is first replaced by its Hermitian part ``(F[u, v] + conj F[-u, -v]) / 2``
    (the Fourier coefficients of ``Re f``); then
    ``c_{l,m} - i c_{l,-m} = sum_u Z_m[l, u] F[u, m]``. Cost ``O(lmax^2 U)`` per array.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([0.5, -1.0, 2.0, 0.25])
    >>> bool(np.allclose(fourier_to_sh(sh_to_fourier(x), 1), x, atol=1e-15))
    True
    """
    F = as_float_array(F, "F", min_ndim=2, allow_complex=True)
    n = F.shape[-1]
    if F.shape[-2] != n or n % 2 == 0:
        raise ValueError(f"F must have square, odd-sized last two axes (2U+1, 2U+1), got shape {F.shape}")
    umax = (n - 1) // 2
    lmax = as_int(lmax, "lmax", minimum=0, maximum=MAX_TABLE_DEGREE)
    if umax > MAX_TABLE_DEGREE:
        raise ValueError(f"F must have half-size U <= {MAX_TABLE_DEGREE}, got {umax}")
    nrow = math.prod(F.shape[:-2])
    check_budget(f"fourier_to_sh of half-size {umax} to degree {lmax} over {nrow} rows",
                 memory=16.0 * nrow * (n * n + (lmax + 1) ** 2) + 16.0 * (lmax + 1) ** 2 * n,
                 work=8.0 * nrow * (lmax + 1) ** 2 * n)
    herm = 0.5 * (F + np.conj(F[..., ::-1, ::-1]))
    tables = fourier_to_sh_tables(lmax, umax, cache_dir=cache_dir)
    out = np.zeros((*F.shape[:-2], (lmax + 1) ** 2))
    for m in range(lmax + 1):
        ls = np.arange(m, lmax + 1)
        if m <= umax:
            g = herm[..., :, umax + m] @ tables[m].T
        else:
            g = np.zeros((*F.shape[:-2], lmax - m + 1), dtype=np.complex128)
        out[..., ls * ls + ls + m] = g.real
        if m > 0:
            out[..., ls * ls + ls - m] = -g.imag
    return out
