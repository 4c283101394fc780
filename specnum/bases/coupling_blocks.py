"""3j symbols and real-basis coupling tensors by the Schulten-Gordon recursion (cached, read-only).

* :func:`wigner_3j_sequence` -- all ``(l1 l2 l3; m1 m2 -m1-m2)`` for ``l3 = 0 .. l1 + l2``.
* :func:`wigner_3j_block` -- complex-basis 3j symbols of one triple ``(l1, l2, l3)``.
* :func:`real_coupling_block` -- the real-basis invariant coupling tensor of one triple (unit
  Frobenius norm, as e3nn's ``o3.wigner_3j``).

The recursion in ``j`` (Schulten & Gordon 1975) runs in numba kernels; its coefficients are
products of squared degrees, exact in float64 only while ``(l1 + l2 + 1)**2 < 2**53``, hence
``l1 + l2 <= MAX_RECURSION_DEGREE``. Conventions and limits as in :mod:`specnum.bases.coupling`,
which re-exports these functions.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from specnum._validation import as_int, check_budget, readonly
from specnum.bases import _coupling_kernels as _kern

__all__ = ["MAX_RECURSION_DEGREE", "wigner_3j_sequence", "wigner_3j_block", "real_coupling_block"]

#: Largest ``l1 + l2`` of the 3j recursion: its coefficients hold squared degrees, exact in
#: float64 only while ``(l1 + l2 + 1)**2 < 2**53``.
MAX_RECURSION_DEGREE = 2**26


def size_estimate(n: int) -> float:
    """``float(n)`` for size estimates, capped at 2**60 (finite for any int; above every budget)."""
    return float(min(n, 2**60))


def degree_triple(l1: Any, l2: Any, l3: Any) -> tuple[int, int, int]:
    """Validate three non-negative degrees named ``l1``, ``l2``, ``l3``."""
    return as_int(l1, "l1", minimum=0), as_int(l2, "l2", minimum=0), as_int(l3, "l3", minimum=0)


def wigner_3j_sequence(l1: int, l2: int, m1: int, m2: int) -> np.ndarray:
    """All 3j symbols ``(l1 l2 l3; m1 m2 -m1-m2)`` for ``l3 = 0 .. l1 + l2`` in float64.

    Parameters
    ----------
    l1, l2 : int
        Non-negative degrees.
    m1, m2 : int
        Orders with ``|m1| <= l1``, ``|m2| <= l2``.

    Returns
    -------
    numpy.ndarray of float64, shape (l1 + l2 + 1,)
        ``out[l3]``; zero for ``l3 < max(|l1-l2|, |m1+m2|)``. A new writeable array.

    Raises
    ------
    TypeError
        If an argument is not an integer.
    ValueError
        If a degree is negative, ``l1 + l2 > MAX_RECURSION_DEGREE`` (module notes),
        ``|m_i| > l_i``, or the arrays exceed the size budget.

    Notes
    -----
    Stable three-term recursion in ``l3`` (Schulten & Gordon 1975): forward through
    the lower classically forbidden region, backward from ``l1 + l2``, matched,
    normalised by ``sum (2 l3 + 1) f^2 = 1`` with ``sgn f(l1+l2) = (-1)^(l1-l2+m1+m2)``.
    O(l1 + l2) work; errors are a few ulp of the amplitude ``~ 1/sqrt(2 l3 + 1)``.

    Examples
    --------
    >>> f = wigner_3j_sequence(1, 1, 0, 0)
    >>> print(np.round(f ** 2 * [3, 1, 7.5], 12))   # squares 1/3, 0, 2/15
    [1. 0. 1.]
    """
    l1, l2 = _recursion_degrees(l1, l2)
    m1 = as_int(m1, "m1", minimum=-l1, maximum=l1)
    m2 = as_int(m2, "m2", minimum=-l2, maximum=l2)
    n = size_estimate(l1 + l2 + 2)
    check_budget(f"l1, l2 = ({l1}, {l2})", memory=40.0 * n, work=60.0 * n)
    out = np.zeros(l1 + l2 + 1)
    _kern.three_j_sequence(l1, l2, m1, m2, out, np.empty((4, l1 + l2 + 2)))
    return out


def _recursion_degrees(l1: Any, l2: Any) -> tuple[int, int]:
    """Validate ``l1, l2 >= 0`` with ``l1 + l2 <= MAX_RECURSION_DEGREE``."""
    l1 = as_int(l1, "l1", minimum=0)
    l2 = as_int(l2, "l2", minimum=0)
    if l1 + l2 > MAX_RECURSION_DEGREE:
        raise ValueError(f"l1 + l2 must be <= MAX_RECURSION_DEGREE = {MAX_RECURSION_DEGREE} (float64 recursion "
                         f"coefficients lose their digits beyond), got l1 = {l1}, l2 = {l2}")
    return l1, l2


def _block_budget(l1: int, l2: int, l3: int, per_entry_bytes: float, extra_work: float = 0.0) -> None:
    """Refuse a ``(2l1+1, 2l2+1, 2l3+1)`` block beyond the size budget (one 3j sequence per (m1, m2))."""
    d1, d2, d3 = size_estimate(2 * l1 + 1), size_estimate(2 * l2 + 1), size_estimate(2 * l3 + 1)
    check_budget(f"l1, l2, l3 = ({l1}, {l2}, {l3})", memory=per_entry_bytes * d1 * d2 * d3 + 40.0 * (d1 + d2),
                 work=60.0 * d1 * d2 * (size_estimate(l1 + l2) + 1.0) + extra_work * d1 * d2 * d3 * (d1 + d2 + d3))


def wigner_3j_block(l1: int, l2: int, l3: int) -> np.ndarray:
    """All 3j symbols of one triple: ``B[l1+m1, l2+m2, l3+m3] = (l1 l2 l3; m1 m2 m3)``.

    Parameters
    ----------
    l1, l2, l3 : int
        Non-negative degrees.

    Returns
    -------
    numpy.ndarray of float64, shape (2*l1+1, 2*l2+1, 2*l3+1)
        Complex-basis (standard) 3j symbols, read-only and cached; all zeros if the
        triangle rule fails. Unit Frobenius norm otherwise.

    Raises
    ------
    TypeError
        If an argument is not an integer.
    ValueError
        If a degree is negative, ``l1 + l2 > MAX_RECURSION_DEGREE`` (module notes), or
        the block exceeds the size budget.

    Examples
    --------
    >>> B = wigner_3j_block(1, 1, 0)
    >>> print(np.round(B[:, :, 0] * np.sqrt(3), 12))
    [[ 0.  0.  1.]
     [ 0. -1.  0.]
     [ 1.  0.  0.]]
    """
    l1, l2 = _recursion_degrees(l1, l2)
    l3 = as_int(l3, "l3", minimum=0)
    _block_budget(l1, l2, l3, 8.0)
    return _wigner_3j_block_cached(l1, l2, l3)


@functools.lru_cache(maxsize=256)
def _wigner_3j_block_cached(l1: int, l2: int, l3: int) -> np.ndarray:
    out = np.zeros((2 * l1 + 1, 2 * l2 + 1, 2 * l3 + 1))
    if abs(l1 - l2) <= l3 <= l1 + l2:
        _kern.three_j_block(l1, l2, l3, out)
    return readonly(out)


def _real_from_complex(l: int) -> np.ndarray:
    """``U[l+m, l+mu]`` with ``Y_{l,m} (real, no CS) = sum_mu U[m, mu] Y_l^mu (complex, CS)``."""
    u = np.zeros((2 * l + 1, 2 * l + 1), dtype=np.complex128)
    u[l, l] = 1.0
    r = 1.0 / math.sqrt(2.0)
    for a in range(1, l + 1):
        sign = -1.0 if a % 2 else 1.0
        u[l + a, l + a] = sign * r
        u[l + a, l - a] = r
        u[l - a, l + a] = sign * r / 1j
        u[l - a, l - a] = -r / 1j
    return u


def real_coupling_block(l1: int, l2: int, l3: int) -> np.ndarray:
    """Real-basis invariant coupling tensor ``W(l1, l2, l3)`` with unit Frobenius norm.

    Parameters
    ----------
    l1, l2, l3 : int
        Non-negative degrees satisfying the triangle rule ``|l1-l2| <= l3 <= l1+l2``
        (any parity of ``l1+l2+l3``).

    Returns
    -------
    numpy.ndarray of float64, shape (2*l1+1, 2*l2+1, 2*l3+1)
        ``W[l1+m1, l2+m2, l3+m3]`` in the real SH basis (no CS phase), read-only, cached.

    Raises
    ------
    TypeError
        If an argument is not an integer.
    ValueError
        If a degree is negative, the triangle rule fails, ``l1 + l2 >
        MAX_RECURSION_DEGREE`` (module notes) or the block exceeds the size budget.

    Notes
    -----
    ``W = (-i)^(l1+l2+l3) sum_mu U1[m1,mu1] U2[m2,mu2] U3[m3,mu3] (l1 l2 l3; mu1 mu2 mu3)``
    with ``U`` the unitary real<->complex map (see :func:`specnum.bases.exact.real_gaunt_exact`).
    It is real, has unit Frobenius norm and is invariant under real Wigner D
    matrices: ``W[D1 ., D2 ., D3 .] = W``. For even ``l1+l2+l3`` it is the
    normalised real Gaunt block, ``G(l1,l2,l3) = kappa W`` with
    ``kappa = gaunt_kappa(l1, l2, l3) > 0``. For odd ``l1+l2+l3`` (antisymmetric
    paths; e.g. ``W(1,1,1) = +epsilon / sqrt(6)``, the Levi-Civita symbol of the
    axes in the index order (y, z, x)) the sign is fixed by the ``(-i)^(l1+l2+l3)``
    phase. Entry by entry this equals the construction of e3nn's ``o3.wigner_3j``
    (its ``change_basis_real_to_complex`` applied to complex CG coefficients, as in
    the e3nn source read for this purpose) for every triple with l <= 4, both
    parities; e3nn changed CG signs between versions, so compare with the
    installed version before relying on odd-path signs.

    Examples
    --------
    >>> W = real_coupling_block(1, 1, 1)   # index order (y, z, x): W = eps / sqrt(6)
    >>> print(round(W[0, 1, 2] * math.sqrt(6), 12), round(W[1, 0, 2] * math.sqrt(6), 12))
    1.0 -1.0
    """
    l1, l2 = _recursion_degrees(l1, l2)
    l3 = as_int(l3, "l3", minimum=0)
    if not abs(l1 - l2) <= l3 <= l1 + l2:
        raise ValueError(f"l3 must satisfy the triangle rule |l1-l2| <= l3 <= l1+l2, got (l1, l2, l3) = "
                         f"({l1}, {l2}, {l3})")
    # the complex 3j block, three complex basis changes (einsum intermediates) and the result
    _block_budget(l1, l2, l3, 8.0 + 3 * 16.0 + 8.0, extra_work=8.0)
    return _real_coupling_block_cached(l1, l2, l3)


@functools.lru_cache(maxsize=256)
def _real_coupling_block_cached(l1: int, l2: int, l3: int) -> np.ndarray:
    t = _wigner_3j_block_cached(l1, l2, l3)
    w = np.einsum("ap,bq,cr,pqr->abc", _real_from_complex(l1), _real_from_complex(l2),
                  _real_from_complex(l3), t, optimize=True)
    w = w * (-1j) ** ((l1 + l2 + l3) % 4)
    return readonly(np.ascontiguousarray(w.real))
