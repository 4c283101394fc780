"""Equivariant convolution with spherical-harmonic filters of edge directions (Gaunt products).

:func:`equivariant_convolution`: features carried along edges times the radially weighted
harmonics of the edge directions, optionally in the edge-aligned frame (eSCN trick), where
the filter has only ``m = 0`` coefficients and the product contracts a much sparser table.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

from specnum._validation import as_float_array, as_int, check_budget
from specnum.bases.coupling import real_gaunt_sparse
from specnum.bases.sphharm import real_sph_harm_xyz, wigner_D_real
from specnum.gaunt._checks import as_method, as_sh_array
from specnum.gaunt._direct import block_rows, contract, pair_arrays
from specnum.gaunt.layers import degree_expand
from specnum.gaunt.products import gaunt_product

__all__ = ["equivariant_convolution"]


def _align_to_z(u: np.ndarray) -> np.ndarray:
    """Rotations ``R`` (E, 3, 3) with ``R u = e_z`` for unit vectors ``u`` (E, 3) (Rodrigues)."""
    z = np.array([0.0, 0.0, 1.0])
    c = u[:, 2]
    k = np.cross(u, z)  # axis * sin
    K = np.zeros((u.shape[0], 3, 3))
    K[:, 0, 1], K[:, 0, 2], K[:, 1, 2] = -k[:, 2], k[:, 1], -k[:, 0]
    K[:, 1, 0], K[:, 2, 0], K[:, 2, 1] = k[:, 2], -k[:, 1], k[:, 0]
    far = c < -0.5
    fac = np.where(far, 0.0, 1.0 / (1.0 + np.where(far, 0.0, c)))
    R = np.eye(3) + K + (K @ K) * fac[:, None, None]
    if np.any(far):  # near -z: rotate by pi about x first, then align the flipped vector
        flip = np.diag([1.0, -1.0, -1.0])
        R[far] = _align_to_z(u[far] @ flip.T) @ flip
    return R


@lru_cache(maxsize=16)
def _aligned_coo(l1: int, l2: int, lo: int):
    """Gaunt nonzeros with an ``m2 = 0`` second index (the filter of an edge along ``z``)."""
    sp = real_gaunt_sparse(l1, l2, lo)
    l2s = np.floor(np.sqrt(sp.k2)).astype(np.int64)
    keep = sp.k2 == l2s * l2s + l2s
    return pair_arrays(sp.k1[keep], sp.k2[keep], sp.k3[keep], sp.values[keep], "float64", n_out=(lo + 1) ** 2)


def equivariant_convolution(
    features: Any,
    edge_vectors: Any,
    radial_weights: Any,
    *,
    lmax_out: int | None = None,
    method: str = "auto",
    aligned: bool = False,
) -> np.ndarray:
    """Gaunt product of edge features with radially weighted harmonics of the edge directions.

    Parameters
    ----------
    features : array_like, shape (E, C, (L1+1)**2)
        Features carried along each of ``E`` edges (e.g. gathered from source nodes).
    edge_vectors : array_like, shape (E, 3)
        Nonzero edge vectors; only their directions ``e = v / |v|`` are used.
    radial_weights : array_like, shape (E, C, Lf+1) or (E, Lf+1)
        Per-degree filter weights ``h_l`` (e.g. an MLP of ``|v|``); ``Lf`` is the filter degree.
    lmax_out : int, optional
        Largest output degree; default ``L1 + Lf``.
    method : {"auto", "direct", "fourier", "grid"}
        Product algorithm for the unaligned route.
    aligned : bool
        If True, rotate each edge onto the polar axis (eSCN trick): the filter then has
        only ``m = 0`` coefficients and the product contracts the much sparser table
        ``G[(l1, m), (l2, 0), (l3, m')]``; results are rotated back with ``D(R)^T``.

    Returns
    -------
    ndarray, shape (E, C, (lmax_out+1)**2)
        Coefficients of ``f_e(r) * sum_{l,m} h_l Y_{lm}(e) Y_{lm}(r)`` per edge and channel.

    Raises
    ------
    ValueError
        Bad shapes, zero or non-finite edge vectors, non-finite input, unknown ``method``,
        sizes beyond the size budget (:func:`specnum.size_budget`).
    TypeError
        Complex or non-numeric input, non-integer ``lmax_out``, non-bool ``aligned``.

    Notes
    -----
    Filter ``y_e = h_l Y_{lm}(e)``. Aligned route: with ``R e = e_z`` and ``D = D(R)``,
    ``Y(e) = D^T Y(e_z)`` and ``Y_{lm}(e_z) = sqrt((2l+1)/4pi) delta_{m0}``; equivariance gives
    ``G(x, D^T y0) = D^T G(D x, y0)``. The aligned contraction costs ``O(L^4)`` per product
    plus ``O(L^3)`` per edge for the rotations; the results agree to rounding.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> f, v, h = rng.normal(size=(4, 2, 4)), rng.normal(size=(4, 3)), rng.normal(size=(4, 2, 2))
    >>> a = equivariant_convolution(f, v, h)
    >>> b = equivariant_convolution(f, v, h, aligned=True)
    >>> a.shape, bool(np.allclose(a, b, atol=1e-13))
    ((4, 2, 9), True)
    """
    feats, l1 = as_sh_array(features, "features")
    feats = feats.astype(np.float64, copy=False)
    if feats.ndim != 3:
        raise ValueError(f"features must have shape (E, C, (L+1)**2), got {feats.shape}")
    n_edge, n_chan = feats.shape[:2]
    vec = as_float_array(edge_vectors, "edge_vectors", ndim=2)
    if vec.shape != (n_edge, 3):
        raise ValueError(f"edge_vectors must have shape ({n_edge}, 3), got {vec.shape}")
    big = np.max(np.abs(vec), axis=1, initial=0.0)
    if np.any(big == 0):
        raise ValueError("edge_vectors must be nonzero (the direction of a zero vector is undefined)")
    vec = vec / big[:, None]  # scaled first: |v| neither overflows nor underflows
    norms = np.linalg.norm(vec, axis=1)
    h = as_float_array(radial_weights, "radial_weights")
    if h.ndim == 2:
        h = h[:, None, :]
    if h.ndim != 3 or h.shape[0] != n_edge or h.shape[1] not in (1, n_chan):
        raise ValueError(
            f"radial_weights must have shape ({n_edge}, {n_chan}, Lf+1) or ({n_edge}, Lf+1), got {h.shape}"
        )
    lf = h.shape[-1] - 1
    lo = l1 + lf if lmax_out is None else as_int(lmax_out, "lmax_out", minimum=0)
    if not isinstance(aligned, (bool, np.bool_)):
        raise TypeError(f"aligned must be a bool, got {type(aligned).__name__}")
    method = as_method(method)  # checked on the aligned route too
    lmx = max(l1, lo)
    if aligned:  # Wigner matrices (E, K, K) and the rotated features
        check_budget(f"equivariant_convolution(aligned=True) of degree {lmx} over {n_edge} edges",
                     memory=8.0 * n_edge * ((lmx + 1) ** 4 + 2 * n_chan * (lmx + 1) ** 2),
                     work=2.0 * n_edge * (lmx + 1) ** 4 * (n_chan + 1))
    else:
        check_budget(f"equivariant_convolution filters of degree {lf} over {n_edge} edges x {n_chan} channels",
                     memory=8.0 * n_edge * n_chan * (lf + 1) ** 2)
    units = vec / norms[:, None]
    if not aligned:
        filt = degree_expand(h, lf) * real_sph_harm_xyz(lf, units)[:, None, :]
        return gaunt_product(feats, filt, lmax_out=lo, method=method)
    D = wigner_D_real(lmx, _align_to_z(units))  # (E, K, K)
    n1, no = (l1 + 1) ** 2, (lo + 1) ** 2
    xr = np.einsum("eij,ecj->eci", D[:, :n1, :n1], feats)
    y0 = np.zeros((n_edge, n_chan, (lf + 1) ** 2))
    ls = np.arange(lf + 1)
    y0[:, :, ls * ls + ls] = h * np.sqrt((2 * ls + 1) / (4 * np.pi))
    out = np.empty((n_edge * n_chan, no))
    contract(
        np.ascontiguousarray(xr.reshape(-1, n1)),
        np.ascontiguousarray(np.broadcast_to(y0, (n_edge, n_chan, y0.shape[-1])).reshape(-1, y0.shape[-1])),
        _aligned_coo(l1, lf, lo), 0, n_edge * n_chan, block_rows(out.dtype.itemsize), out,
    )
    return np.einsum("eji,ecj->eci", D[:, :no, :no], out.reshape(n_edge, n_chan, no))
