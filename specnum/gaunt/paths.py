"""Coupling paths of Clebsch-Gordan vs Gaunt tensor products, and the missing antisymmetric ones.

A Clebsch-Gordan (CG) tensor product couples degrees ``(l1, l2) -> l3`` along every path
allowed by the triangle rule ``|l1 - l2| <= l3 <= l1 + l2``. A Gaunt product (a product of
functions on the sphere) only has the *symmetric* paths, ``l1 + l2 + l3`` even: the real
Gaunt block is ``G(l1, l2, l3) = kappa W(l1, l2, l3)`` with ``kappa = 0`` for odd sums
(gaunt notes, section 1.2). The odd ("antisymmetric") paths, such as the cross product
``1 x 1 -> 1``, can be added with :func:`antisymmetric_paths_product`, an exact CG
contraction with the real coupling tensors ``W`` of :mod:`specnum.bases.coupling`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from specnum._validation import as_float_array, as_int
from specnum.bases.coupling import real_coupling_block
from specnum.gaunt.products import as_sh_array, broadcast_pair

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
        for name in ("cg", "gaunt", "missing"):
            arr = np.array(getattr(self, name), dtype=np.int64).reshape(-1, 3)
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)
        if len(self.gaunt) + len(self.missing) != len(self.cg):
            raise ValueError("gaunt and missing must partition cg")


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
    cg = [
        (l1, l2, l3)
        for l1 in range(lmax1 + 1)
        for l2 in range(lmax2 + 1)
        for l3 in range(abs(l1 - l2), min(l1 + l2, lmax_out) + 1)
    ]
    gaunt = [p for p in cg if sum(p) % 2 == 0]
    missing = [p for p in cg if sum(p) % 2 == 1]
    return CouplingPaths(lmax1, lmax2, lmax_out, np.array(cg), np.array(gaunt), np.array(missing))


def antisymmetric_paths_product(
    x1: Any, x2: Any, lmax_out: int | None = None, path_weights: Any = None
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
        Bad shapes, non-finite input, wrong number of path weights.
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
    return out.reshape(*batch, (lmax_out + 1) ** 2)
