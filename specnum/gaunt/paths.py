"""Coupling paths of Clebsch-Gordan vs Gaunt tensor products, and the missing antisymmetric ones.

A Clebsch-Gordan (CG) tensor product couples degrees ``(l1, l2) -> l3`` along every path
allowed by the triangle rule ``|l1 - l2| <= l3 <= l1 + l2``. A Gaunt product (a product of
functions on the sphere) only has the *symmetric* paths, ``l1 + l2 + l3`` even: the real
Gaunt block is ``G(l1, l2, l3) = kappa W(l1, l2, l3)`` with ``kappa = 0`` for odd sums
(the integral of three real harmonics vanishes by parity). The odd ("antisymmetric") paths, such as the cross product
``1 x 1 -> 1``, can be added with :func:`antisymmetric_paths_product`, an exact CG
contraction with the real coupling tensors ``W`` of :mod:`specnum.bases.coupling`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from specnum._validation import as_float_array, as_int, check_budget
from specnum.bases.coupling import real_coupling_block
from specnum.gaunt._checks import as_sh_array, broadcast_pair, check_result_finite

__all__ = ["CouplingPaths", "paths", "antisymmetric_paths_product"]


@dataclass(frozen=True)
class CouplingPaths:
    """The coupling paths ``(l1, l2, l3)`` for inputs up to ``lmax1``, ``lmax2`` and output ``lmax_out``.

    Attributes
    ----------
    lmax1, lmax2, lmax_out : int
        The degrees the paths were enumerated for.
    cg : ndarray of int, shape (n_cg, 3)
        Every triangle-allowed path (a full CG tensor product), lexicographic.
    gaunt : ndarray of int, shape (n_gaunt, 3)
        The paths with ``l1 + l2 + l3`` even, present in a Gaunt product.
    missing : ndarray of int, shape (n_cg - n_gaunt, 3)
        The paths with ``l1 + l2 + l3`` odd: in CG products, absent from Gaunt products.
    """

    lmax1: int
    lmax2: int
    lmax_out: int
    cg: np.ndarray
    gaunt: np.ndarray
    missing: np.ndarray

    def __post_init__(self) -> None:
        for name in ("lmax1", "lmax2", "lmax_out"):
            object.__setattr__(self, name, as_int(getattr(self, name), name, minimum=0))
        for name in ("cg", "gaunt", "missing"):
            value = getattr(self, name)
            try:
                arr = np.array(value, dtype=np.int64)
            except (TypeError, ValueError):
                raise TypeError(
                    f"{name} must be an integer array of (l1, l2, l3) rows, got {type(value).__name__}"
                ) from None
            if arr.size % 3 or (arr.ndim == 2 and arr.shape[1] != 3) or arr.ndim > 2:
                raise ValueError(f"{name} must have shape (n, 3), got {arr.shape}")
            arr = arr.reshape(-1, 3)
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)
        if len(self.gaunt) + len(self.missing) != len(self.cg):
            raise ValueError(f"gaunt and missing must partition cg, got {len(self.gaunt)} + {len(self.missing)} "
                             f"rows for {len(self.cg)}")


def paths(lmax1: int, lmax2: int, lmax_out: int | None = None) -> CouplingPaths:
    """Enumerate the CG paths, the Gaunt (even) paths and the missing (odd) ones.

    Parameters
    ----------
    lmax1, lmax2 : int
        Largest input degrees, ``>= 0``.
    lmax_out : int, optional
        Largest output degree, ``>= 0``; default ``lmax1 + lmax2``.

    Returns
    -------
    CouplingPaths
        Arrays of ``(l1, l2, l3)`` rows.

    Raises
    ------
    ValueError, TypeError
        For negative or non-integer degrees.

    Examples
    --------
    >>> p = paths(2, 2)
    >>> len(p.cg), len(p.gaunt), len(p.missing)
    (19, 14, 5)
    >>> p.missing[0].tolist()
    [1, 1, 1]
    """
    lmax1 = as_int(lmax1, "lmax1", minimum=0)
    lmax2 = as_int(lmax2, "lmax2", minimum=0)
    lmax_out = lmax1 + lmax2 if lmax_out is None else as_int(lmax_out, "lmax_out", minimum=0)
    # about (lmax1+1)(lmax2+1)(min+1) paths of 3 int64, stored twice (cg, then gaunt + missing)
    estimate = float(lmax1 + 1) * (lmax2 + 1) * (min(lmax1, lmax2, lmax_out) + 1)
    check_budget(f"paths(lmax1={lmax1}, lmax2={lmax2}, lmax_out={lmax_out})",
                 memory=estimate * 3 * 8 * 3 + 16.0 * (lmax1 + 1) * (lmax2 + 1), work=10 * estimate)
    a = np.arange(lmax1 + 1, dtype=np.int64)[:, None]
    b = np.arange(lmax2 + 1, dtype=np.int64)[None, :]
    low = np.abs(a - b)
    count = np.maximum(np.minimum(a + b, lmax_out) - low + 1, 0).ravel()  # l3 = |l1-l2|..min(l1+l2, lmax_out)
    total = int(count.sum())
    l1 = np.repeat(np.broadcast_to(a, low.shape).ravel(), count)
    l2 = np.repeat(np.broadcast_to(b, low.shape).ravel(), count)
    start = np.cumsum(count) - count
    l3 = np.repeat(low.ravel() - start, count) + np.arange(total, dtype=np.int64)
    cg = np.stack([l1, l2, l3], axis=1)
    even = (l1 + l2 + l3) % 2 == 0
    return CouplingPaths(lmax1, lmax2, lmax_out, cg, cg[even], cg[~even])


def antisymmetric_paths_product(
    x1: Any, x2: Any, lmax_out: int | None = None, *, path_weights: Any = None
) -> np.ndarray:
    """The odd-path (antisymmetric) part of a CG tensor product, which Gaunt products lack.

    Parameters
    ----------
    x1 : array_like, shape (..., (L1+1)**2)
        Real SH coefficients (flat index ``l*l + l + m``).
    x2 : array_like, shape (..., (L2+1)**2)
        Real SH coefficients; batch axes broadcast.
    lmax_out : int, optional
        Largest output degree; default ``L1 + L2``.
    path_weights : array_like, shape (n_missing,), optional
        One weight per path of ``paths(L1, L2, lmax_out).missing`` (same order); default 1.

    Returns
    -------
    ndarray, shape (..., (lmax_out+1)**2), float64
        ``out^{l3}_{m3} = sum_{odd paths} w W(l1,l2,l3)[m1,m2,m3] x1^{l1}_{m1} x2^{l2}_{m2}``.

    Raises
    ------
    ValueError
        Bad shapes, non-finite input, wrong number of path weights, sizes beyond the
        size budget (:func:`specnum.size_budget`), a result that overflows float64.
    TypeError
        Complex or non-numeric input.

    Notes
    -----
    Add it to a weighted Gaunt product (:class:`GauntTensorProduct`) to obtain a full
    CG tensor product: even paths with weights ``kappa w1 w2 w3`` from the Gaunt route,
    odd paths from this exact contraction (cost ``O(L^6)`` per product, like a dense CG
    product; intended for small ``L``). For ``l1 = l2 = l3 = 1`` it is the cross product:
    ``W(1,1,1) = epsilon / sqrt(6)`` in the ``(y, z, x)`` order of ``Y_1``.

    Examples
    --------
    >>> import numpy as np
    >>> a = np.array([0.0, 1.0, 0.0, 0.0])  # degree-1 part ~ (y, z, x) = (1, 0, 0)
    >>> b = np.array([0.0, 0.0, 1.0, 0.0])  # (0, 1, 0)
    >>> out = antisymmetric_paths_product(a, b, lmax_out=1)
    >>> bool(abs(abs(out[3]) - 1 / np.sqrt(6)) < 1e-15)  # along x: y cross z
    True
    """
    a1, l1 = as_sh_array(x1, "x1")
    a2, l2 = as_sh_array(x2, "x2")
    lmax_out = l1 + l2 if lmax_out is None else as_int(lmax_out, "lmax_out", minimum=0)
    a1, a2, batch = broadcast_pair(a1.astype(np.float64), a2.astype(np.float64))
    nrow = a1.shape[0]
    lo = min(lmax_out, l1 + l2)
    work = float(l1 + 1) ** 2 * (l2 + 1) ** 2 * (lo + 1) ** 2 / 2  # the O(L^6) dense blocks
    check_budget(f"antisymmetric_paths_product of degrees x1: {l1}, x2: {l2} -> lmax_out = {lmax_out} "
                 f"over {nrow} rows", memory=8.0 * (work / max(lo + 1, 1) + nrow * (lmax_out + 1) ** 2),
                 work=work * max(nrow, 1))
    miss = paths(l1, l2, lmax_out).missing
    if path_weights is None:
        w = np.ones(len(miss))
    else:
        w = as_float_array(path_weights, "path_weights", ndim=1)
        if w.size != len(miss):
            raise ValueError(f"path_weights must have length {len(miss)} (one per missing path), got {w.size}")
    out = np.zeros((a1.shape[0], (lmax_out + 1) ** 2))
    for (p1, p2, p3), wp in zip(miss.tolist(), w):
        W = real_coupling_block(p1, p2, p3)
        out[:, p3 * p3 : (p3 + 1) ** 2] += wp * np.einsum(
            "bi,bj,ijk->bk", a1[:, p1 * p1 : (p1 + 1) ** 2], a2[:, p2 * p2 : (p2 + 1) ** 2], W
        )
    check_result_finite(out, "x1 and x2")
    return out.reshape(*batch, (lmax_out + 1) ** 2)
