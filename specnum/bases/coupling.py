"""Wigner 3j, Clebsch-Gordan and real Gaunt coefficients in float64, with cached tables.

Scalar functions (:func:`wigner_3j`, :func:`clebsch_gordan`, :func:`complex_gaunt`,
:func:`real_gaunt`, :func:`gaunt_kappa`) evaluate the exact rational value of
:mod:`specnum.bases.exact` and round it once to float64 (about 1 ulp, any l).
Tables are built by numba kernels from a stable three-term recursion of 3j
symbols in ``j`` (Schulten & Gordon 1975) and are cached (``functools.lru_cache``)
and read-only:

* :func:`real_gaunt_sparse` -- the nonzero real Gaunt coefficients as sorted COO
  arrays (a :class:`GauntSparse`); :func:`real_gaunt_table` -- the same, dense.
* :func:`wigner_3j_block` -- complex-basis 3j symbols of one triple ``(l1, l2, l3)``.
* :func:`real_coupling_block` -- the real-basis invariant coupling tensor of one
  triple (unit Frobenius norm, as e3nn's ``o3.wigner_3j``).

Conventions (see :mod:`specnum.bases.exact`): Condon-Shortley 3j/CG; real
orthonormal SH without the CS phase, ``(Y_{1,-1}, Y_{1,0}, Y_{1,1}) ~ (y, z, x)``,
flat index ``k = l*l + l + m``.

Limits: every function estimates its memory and work before it starts and refuses
sizes beyond the size budget (:func:`specnum.size_budget`). Independently of the
budget, the recursion tables stop at ``l1 + l2 <= MAX_RECURSION_DEGREE`` (2**26): the
recursion coefficients are products of squared degrees, exact in float64 only while
``(l1 + l2 + 1)**2 < 2**53``; beyond, the coefficients next to the turning points lose
their digits to cancellation. The sparse Gaunt table stores int32 flat indices, so its
degrees stop at ``MAX_GAUNT_DEGREE`` (46340, ``(l+1)**2 <= 2**31``). The scalar functions
round an exact value and are correct at any degree (values below 1e-308 come out
subnormal or 0); their limit is the cost of the exact arithmetic (equal degrees up to
about 2500 under the default budget).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from specnum._validation import as_int, check_budget, check_finite, readonly
from specnum.bases import _coupling_kernels as _kern
from specnum.bases import exact as _exact
from specnum.bases.coupling_blocks import (
    MAX_RECURSION_DEGREE,  # noqa: F401  (documented here, defined with the recursion)
    real_coupling_block,
    wigner_3j_block,
    wigner_3j_sequence,
)
from specnum.bases.coupling_blocks import degree_triple as _triple
from specnum.bases.coupling_blocks import size_estimate as _f

__all__ = [
    "GauntSparse",
    "wigner_3j",
    "clebsch_gordan",
    "complex_gaunt",
    "real_gaunt",
    "gaunt_kappa",
    "real_gaunt_sparse",
    "real_gaunt_table",
    "wigner_3j_sequence",
    "wigner_3j_block",
    "real_coupling_block",
]

#: Largest dense table (number of float64 entries) :func:`real_gaunt_table` builds (256 MiB);
#: beyond, the dense layout is pointless (the nonzeros are a fraction ~1/l of it): use
#: :func:`real_gaunt_sparse`.
MAX_DENSE_ENTRIES = 2**25
#: Largest degree of the sparse Gaunt table: flat indices ``(l+1)**2 - 1`` must fit in int32.
MAX_GAUNT_DEGREE = math.isqrt(2**31) - 1


def wigner_3j(j1: int, j2: int, j3: int, m1: int, m2: int, m3: int) -> float:
    """Wigner 3j symbol ``(j1 j2 j3; m1 m2 m3)`` in float64 (integer arguments).

    Parameters
    ----------
    j1, j2, j3 : int
        Non-negative angular momenta.
    m1, m2, m3 : int
        Projections, ``|m_i| <= j_i``.

    Returns
    -------
    float
        The exact value (Racah's formula in integers) rounded once; 0.0 when
        ``m1 + m2 + m3 != 0`` or the triangle rule fails.

    Raises
    ------
    TypeError
        If an argument is not an integer.
    ValueError
        If some ``j_i < 0`` or ``|m_i| > j_i``, or the exact arithmetic exceeds the
        size budget (equal degrees above about 2500 by default).

    Examples
    --------
    >>> round(wigner_3j(1, 1, 0, 0, 0, 0), 12)
    -0.57735026919
    """
    return float(_exact.wigner_3j_exact(j1, j2, j3, m1, m2, m3))


def clebsch_gordan(j1: int, m1: int, j2: int, m2: int, j3: int, m3: int) -> float:
    """Clebsch-Gordan coefficient ``<j1 m1 j2 m2 | j3 m3>`` in float64.

    Parameters
    ----------
    j1, m1, j2, m2, j3, m3 : int
        Angular momenta ``j_i >= 0`` and projections ``|m_i| <= j_i``.

    Returns
    -------
    float
        ``(-1)^(j1-j2+m3) sqrt(2 j3 + 1) (j1 j2 j3; m1 m2 -m3)`` (Condon-Shortley).

    Raises
    ------
    TypeError
        If an argument is not an integer.
    ValueError
        If some ``j_i < 0`` or ``|m_i| > j_i``, or the exact arithmetic exceeds the
        size budget (equal degrees above about 2500 by default).

    Examples
    --------
    >>> round(clebsch_gordan(1, 1, 1, -1, 2, 0), 12)   # sqrt(1/6)
    0.408248290464
    """
    return float(_exact.clebsch_gordan_exact(j1, m1, j2, m2, j3, m3))


def complex_gaunt(l1: int, m1: int, l2: int, m2: int, l3: int, m3: int) -> float:
    """Complex Gaunt coefficient ``int Y_{l1}^{m1} Y_{l2}^{m2} Y_{l3}^{m3} dOmega`` in float64.

    Complex orthonormal SH with the Condon-Shortley phase (scipy ``sph_harm_y``),
    no conjugation. Arguments and errors as :func:`real_gaunt`.

    Examples
    --------
    >>> round(complex_gaunt(1, 1, 1, -1, 0, 0), 12)   # -1/sqrt(4 pi)
    -0.282094791774
    """
    return float(_exact.complex_gaunt_exact(l1, m1, l2, m2, l3, m3))


def real_gaunt(l1: int, m1: int, l2: int, m2: int, l3: int, m3: int) -> float:
    """Real Gaunt coefficient ``int Y_{l1m1} Y_{l2m2} Y_{l3m3} dOmega`` in float64.

    Parameters
    ----------
    l1, m1, l2, m2, l3, m3 : int
        Degrees ``l_i >= 0`` and orders ``|m_i| <= l_i`` of real orthonormal SH
        without the Condon-Shortley phase.

    Returns
    -------
    float
        The exact value ``sign sqrt(q / pi)`` rounded once.

    Raises
    ------
    TypeError
        If an argument is not an integer.
    ValueError
        If some ``l_i < 0`` or ``|m_i| > l_i``, or the exact arithmetic exceeds the
        size budget.

    Examples
    --------
    >>> bool(abs(real_gaunt(4, 0, 4, 0, 4, 0) - 243 / (1001 * math.sqrt(math.pi))) < 1e-16)
    True
    """
    return float(_exact.real_gaunt_exact(l1, m1, l2, m2, l3, m3))


def gaunt_kappa(l1: int, l2: int, l3: int) -> float:
    """Gaunt-to-coupling factor ``kappa`` with ``G(l1, l2, l3) = kappa * W(l1, l2, l3)``.

    Parameters
    ----------
    l1, l2, l3 : int
        Non-negative degrees.

    Returns
    -------
    float
        ``sqrt((2l1+1)(2l2+1)(2l3+1)/(4 pi)) |(l1 l2 l3; 0 0 0)|`` (>= 0), the
        Frobenius norm of the real Gaunt block; 0.0 for odd ``l1+l2+l3`` or a
        failed triangle rule. ``W`` is :func:`real_coupling_block`.

    Raises
    ------
    TypeError
        If an argument is not an integer.
    ValueError
        If a degree is negative or the exact 3j symbol exceeds the size budget.

    Examples
    --------
    >>> round(gaunt_kappa(1, 1, 2), 12)
    0.690988298942
    """
    l1, l2, l3 = _triple(l1, l2, l3)
    _exact._check_racah(l1, l2, l3, "l1, l2, l3")
    w = _exact.wigner_3j_exact(l1, l2, l3, 0, 0, 0)
    if w.sign == 0:
        return 0.0
    q = Fraction((2 * l1 + 1) * (2 * l2 + 1) * (2 * l3 + 1), 4) * w.q
    return float(_exact.SqrtRational(1, q, -1))


@dataclass(frozen=True)
class GauntSparse:
    """Nonzero real Gaunt coefficients ``G[k1, k2, k3]`` in sorted COO layout.

    Attributes
    ----------
    k1, k2, k3 : numpy.ndarray of int32, shape (nnz,)
        Flat SH indices ``l*l + l + m`` of the three factors.
    values : numpy.ndarray of float64, shape (nnz,)
        ``int Y_k1 Y_k2 Y_k3 dOmega`` (real orthonormal SH, no CS phase).
    indptr : numpy.ndarray of int64, shape (shape[0] + 1,)
        Row pointers over ``k1``: the entries of row ``k1 = r`` are
        ``slice(indptr[r], indptr[r + 1])`` (CSR-style).
    shape : tuple of int
        ``((lmax1+1)**2, (lmax2+1)**2, (lmax_out+1)**2)``.
    lmax1, lmax2, lmax_out : int
        Degree bounds of the three factors.

    Notes
    -----
    Entries are sorted lexicographically by ``(k1, k2, k3)`` with no duplicates;
    only coefficients that are nonzero are stored (selection rules: triangle,
    ``l1+l2+l3`` even, ``|m3| in {|m1|+|m2|, ||m1|-|m2||}``, an even number of
    negative ``m``; accidental zeros of 3j symbols are dropped as well). All arrays
    are read-only: arrays given writeable are copied first, so the caller's arrays
    stay writeable and later changes to them cannot reach the table. The product of
    two expansions is ``c[k3] = sum values * x1[k1] * x2[k2]`` (e.g. ``np.add.at`` or a scipy sparse
    matrix with rows ``k1 * shape[1] + k2``).
    """

    k1: np.ndarray
    k2: np.ndarray
    k3: np.ndarray
    values: np.ndarray
    indptr: np.ndarray
    shape: tuple[int, int, int]
    lmax1: int
    lmax2: int
    lmax_out: int

    def __post_init__(self) -> None:
        lmax1 = as_int(self.lmax1, "lmax1", minimum=0)
        lmax2 = as_int(self.lmax2, "lmax2", minimum=0)
        lmax_out = as_int(self.lmax_out, "lmax_out", minimum=0)
        shape = ((lmax1 + 1) ** 2, (lmax2 + 1) ** 2, (lmax_out + 1) ** 2)
        try:
            given = tuple(self.shape)
        except TypeError:
            raise TypeError(f"shape must be a tuple of 3 ints, got {type(self.shape).__name__}") from None
        if given != shape:
            raise ValueError(f"shape must be {shape} for the given lmax1, lmax2, lmax_out, got {self.shape}")
        nnz = None
        for name, dtype in (("k1", np.int32), ("k2", np.int32), ("k3", np.int32), ("values", np.float64)):
            arr = getattr(self, name)
            if not isinstance(arr, np.ndarray) or arr.dtype != dtype or arr.ndim != 1:
                raise TypeError(f"{name} must be a 1-D numpy array of dtype {np.dtype(dtype).name}")
            if nnz is None:
                nnz = arr.shape[0]
            elif arr.shape[0] != nnz:
                raise ValueError(f"{name} must have length {nnz} like k1, got {arr.shape[0]}")
        ip = self.indptr
        if not isinstance(ip, np.ndarray) or ip.dtype != np.int64 or ip.ndim != 1:
            raise TypeError("indptr must be a 1-D numpy array of dtype int64")
        if ip.shape != (shape[0] + 1,):
            raise ValueError(f"indptr must have shape ({shape[0] + 1},), got {ip.shape}")
        if ip[0] != 0 or ip[-1] != nnz or np.any(ip[1:] < ip[:-1]):
            raise ValueError(f"indptr must be non-decreasing from 0 to nnz = {nnz}")
        for name, size in (("k1", shape[0]), ("k2", shape[1]), ("k3", shape[2])):
            arr = getattr(self, name)
            if nnz and (int(arr.min()) < 0 or int(arr.max()) >= size):
                raise ValueError(f"{name} must hold flat indices in [0, {size}), got [{arr.min()}, {arr.max()}]")
        rows = np.flatnonzero(ip[1:] > ip[:-1])
        if np.any(self.k1[ip[rows]] != rows) or np.any(self.k1[ip[rows + 1] - 1] != rows):
            raise ValueError("k1 must agree with indptr (the entries of row r are k1[indptr[r]:indptr[r+1]] == r)")
        check_finite(self.values, "values")
        for name in ("k1", "k2", "k3", "values", "indptr"):
            arr = getattr(self, name)
            object.__setattr__(self, name, readonly(arr, copy=arr.flags.writeable))
        object.__setattr__(self, "shape", shape)
        object.__setattr__(self, "lmax1", lmax1)
        object.__setattr__(self, "lmax2", lmax2)
        object.__setattr__(self, "lmax_out", lmax_out)

    @property
    def nnz(self) -> int:
        """Number of stored (nonzero) coefficients."""
        return int(self.values.shape[0])


def _lmax_triple(lmax1: Any, lmax2: Any, lmax_out: Any) -> tuple[int, int, int]:
    lmax1 = as_int(lmax1, "lmax1", minimum=0, maximum=MAX_GAUNT_DEGREE)
    lmax2 = as_int(lmax2, "lmax2", minimum=0, maximum=MAX_GAUNT_DEGREE)
    if lmax_out is None:
        lmax_out = lmax1 + lmax2
        if lmax_out > MAX_GAUNT_DEGREE:
            raise ValueError(f"lmax_out (default lmax1 + lmax2 = {lmax_out}) must be <= MAX_GAUNT_DEGREE = "
                             f"{MAX_GAUNT_DEGREE}; pass a smaller lmax_out")
    else:
        lmax_out = as_int(lmax_out, "lmax_out", minimum=0, maximum=MAX_GAUNT_DEGREE)
    return lmax1, lmax2, lmax_out


def _gaunt_sparse_budget(lmax1: int, lmax2: int, lmax_out: int) -> int:
    """Refuse a sparse Gaunt build beyond the size budget, in well under a second.

    Returns the number of entries admitted by the selection rules (the allocation).

    Work (O(1) estimate): the selection-rule count over ``(l1, m1, l2, m2)``, the 3j
    sequences (``sum_{l1,l2} 2 (l1+1)(l2+1)(l1+l2+1)`` recursion steps) and the entry loop
    (at most ``min(lmax1, lmax2, lmax_out) + 1`` degrees ``l3`` per ``(m1, m2)``). Memory:
    20 bytes per admitted entry plus the per-``l1`` 3j scratch; the entry count is bounded
    from below in O(lmax^3) first (so hopeless sizes are refused without counting), then
    counted exactly in O(lmax^4).
    """
    what = f"lmax1, lmax2, lmax_out = ({lmax1}, {lmax2}, {lmax_out})"
    n1, n2 = _f(lmax1 + 1), _f(lmax2 + 1)
    a1, b1 = n1 * (n1 + 1) / 2, n2 * (n2 + 1) / 2  # sum (l+1)
    a2, b2 = (n1 - 1) * n1 * (n1 + 1) / 3, (n2 - 1) * n2 * (n2 + 1) / 3  # sum (l+1) l
    steps = 2.0 * (a2 * b1 + a1 * b2 + a1 * b1)
    loop = n1 * n1 * n2 * n2
    work = 20.0 * loop + 40.0 * steps + 10.0 * loop * (_f(min(lmax1, lmax2, lmax_out)) + 1.0)
    scratch = 16.0 * n2 * n1 * n2 * (_f(lmax_out) + 1.0) + 64.0 * (n1 + n2)
    check_budget(what, work=work, memory=scratch)
    check_budget(what, memory=scratch + 20.0 * _kern.real_gaunt_count_lower(lmax1, lmax2, lmax_out))
    bound = _kern.real_gaunt_count(lmax1, lmax2, lmax_out)
    check_budget(what, memory=scratch + 20.0 * bound)
    return bound


def real_gaunt_sparse(lmax1: int, lmax2: int, lmax_out: int | None = None) -> GauntSparse:
    """Sparse real Gaunt tensor for degrees ``l1 <= lmax1``, ``l2 <= lmax2``, ``l3 <= lmax_out``.

    Parameters
    ----------
    lmax1, lmax2 : int
        Maximal degrees of the two factors (>= 0).
    lmax_out : int, optional
        Maximal output degree (>= 0); default ``lmax1 + lmax2`` (the full product).

    Returns
    -------
    GauntSparse
        Sorted COO nonzeros (read-only, cached: repeated calls return the same object).

    Raises
    ------
    TypeError
        If an argument is not an integer.
    ValueError
        If an argument is negative or above ``MAX_GAUNT_DEGREE``, or the build exceeds
        the size budget (:func:`specnum.size_budget`): the default 4 GiB holds the full
        product up to about lmax1 = lmax2 = 47 (20 bytes per nonzero).

    Notes
    -----
    ``G[k1,k2,k3] = C (l1 l2 l3; 0 0 0) c(m1,m2,m3) (l1 l2 l3; mu1 mu2 mu3)`` with
    ``C = sqrt((2l1+1)(2l2+1)(2l3+1)/(4 pi))``, the 3j symbols from the stable
    recursion in ``l3`` and ``c`` the exact real<->complex factor. The kernel loops
    over the nonzeros only: O(lmax^5) work. Measured: ``real_gaunt_sparse(32, 32, 64)``
    has 30 837 771 nonzeros (0.62 GB) and builds in about 2 s of CPU plus the
    first-touch page faults of that memory (5 s wall on a shared 2-core machine).
    Accuracy: a few ulp of the 3j amplitude (errors <= 1e-16 x kappa(l1,l2,l3)); on
    3000 random entries of the L = 32 table the worst relative error against the
    exact values is 4.3e-13 (entries near a node of the 3j symbol; typical 1e-15).

    Examples
    --------
    >>> sp = real_gaunt_sparse(1, 1)
    >>> sp.shape, sp.nnz
    ((4, 4, 9), 21)
    >>> print(sp.k1[:3], sp.k2[:3], sp.k3[:3])
    [0 0 0] [0 1 2] [0 1 2]
    """
    return _real_gaunt_sparse_cached(*_lmax_triple(lmax1, lmax2, lmax_out))


@functools.lru_cache(maxsize=4)
def _real_gaunt_sparse_cached(lmax1: int, lmax2: int, lmax_out: int) -> GauntSparse:
    bound = _gaunt_sparse_budget(lmax1, lmax2, lmax_out)  # refusals are not cached
    k1 = np.empty(bound, dtype=np.int32)
    k2 = np.empty(bound, dtype=np.int32)
    k3 = np.empty(bound, dtype=np.int32)
    vals = np.empty(bound, dtype=np.float64)
    nnz = _kern.real_gaunt_fill(lmax1, lmax2, lmax_out, k1, k2, k3, vals)
    n1 = (lmax1 + 1) ** 2
    # k1 is sorted: row pointers by binary search (int32 probes: no int64 copy of k1)
    indptr = readonly(np.searchsorted(k1[:nnz], np.arange(n1 + 1, dtype=np.int32)).astype(np.int64))
    k1, k2, k3, vals = (readonly(a[:nnz]) for a in (k1, k2, k3, vals))  # frozen here: no copy
    return GauntSparse(k1, k2, k3, vals, indptr,
                       (n1, (lmax2 + 1) ** 2, (lmax_out + 1) ** 2), lmax1, lmax2, lmax_out)


def real_gaunt_table(lmax1: int, lmax2: int, lmax_out: int | None = None) -> np.ndarray:
    """Dense real Gaunt tensor ``G[k1, k2, k3] = int Y_k1 Y_k2 Y_k3 dOmega`` (small degrees).

    Parameters
    ----------
    lmax1, lmax2 : int
        Maximal degrees of the two factors (>= 0).
    lmax_out : int, optional
        Maximal output degree (>= 0); default ``lmax1 + lmax2``.

    Returns
    -------
    numpy.ndarray of float64, shape ((lmax1+1)**2, (lmax2+1)**2, (lmax_out+1)**2)
        Read-only and cached; the densified :func:`real_gaunt_sparse`.

    Raises
    ------
    TypeError
        If an argument is not an integer.
    ValueError
        If an argument is negative, or the table would exceed ``MAX_DENSE_ENTRIES``
        (2**25) entries -- use :func:`real_gaunt_sparse` then.

    Examples
    --------
    >>> G = real_gaunt_table(4, 4, 4)
    >>> G.shape
    (25, 25, 25)
    >>> bool(abs(G[20, 20, 20] - 243 / (1001 * math.sqrt(math.pi))) < 1e-15)
    True
    """
    lmax1, lmax2, lmax_out = _lmax_triple(lmax1, lmax2, lmax_out)
    size = (lmax1 + 1) ** 2 * (lmax2 + 1) ** 2 * (lmax_out + 1) ** 2
    if size > MAX_DENSE_ENTRIES:
        raise ValueError(
            f"lmax1, lmax2, lmax_out = ({lmax1}, {lmax2}, {lmax_out}) give a dense table of {size} entries, "
            f"more than MAX_DENSE_ENTRIES = {MAX_DENSE_ENTRIES}; use real_gaunt_sparse"
        )
    return _real_gaunt_table_cached(lmax1, lmax2, lmax_out)


@functools.lru_cache(maxsize=8)
def _real_gaunt_table_cached(lmax1: int, lmax2: int, lmax_out: int) -> np.ndarray:
    sp = _real_gaunt_sparse_cached(lmax1, lmax2, lmax_out)
    table = np.zeros(sp.shape)
    table[sp.k1, sp.k2, sp.k3] = sp.values
    return readonly(table)
