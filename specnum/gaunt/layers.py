"""Equivariant layers built on Gaunt products (Luo, Chen and Krishnapriyan, ICLR 2024).

* :class:`GauntTensorProduct`: channelwise product with per-degree weights on both inputs
  and on the output (optionally per channel); it equals a Clebsch-Gordan tensor product
  restricted to the even paths with path weights ``kappa(l1,l2,l3) w1(l1) w2(l2) w3(l3)``
  (gaunt notes, sections 1.2 and 1.6).
* :func:`equivariant_convolution`: features times the radially weighted harmonics of edge
  directions, optionally in the edge-aligned frame.
* :func:`power_products`: many-body powers ``x^2 .. x^nu`` with per-degree weights.
"""

from __future__ import annotations

import math
from dataclasses import KW_ONLY, dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import scipy.fft

from specnum._validation import as_choice, as_float_array, as_int, check_budget
from specnum.bases.coupling import real_gaunt_sparse
from specnum.bases.sphharm import real_sph_harm_xyz, wigner_D_real
from specnum.gaunt._checks import as_method, as_sh_array, check_result_finite
from specnum.gaunt._kernels import gaunt_coo_kernel
from specnum.gaunt.products import (
    _coo_block,
    _grid_analysis_tables,
    _grid_project,
    _grid_synthesis_tables,
    _grid_values,
    _m_major,
    coo_arrays,
    gaunt_product,
)

__all__ = ["GauntTensorProduct", "gaunt_tensor_product", "equivariant_convolution", "power_products"]

WEIGHT_MODES = ("degree", "channel", "none")


def _degree_expand(w: np.ndarray, lmax: int) -> np.ndarray:
    """Per-degree weights ``(..., lmax+1)`` -> per-coefficient ``(..., (lmax+1)**2)``."""
    return np.repeat(w, 2 * np.arange(lmax + 1) + 1, axis=-1)


def gaunt_tensor_product(
    x1: Any,
    x2: Any,
    *,
    w1: Any = None,
    w2: Any = None,
    w3: Any = None,
    lmax_out: int | None = None,
    method: str = "auto",
) -> np.ndarray:
    """Weighted Gaunt product ``w3 * ((w1 * x1) (w2 * x2))`` with per-degree weights.

    Parameters
    ----------
    x1 : array_like, shape (..., (L1+1)**2)
        First input (e.g. ``(batch, channels, (L1+1)**2)``).
    x2 : array_like, shape (..., (L2+1)**2)
        Second input; batch axes broadcast with ``x1``.
    w1, w2 : array_like, shape (..., L1+1) and (..., L2+1), optional
        Per-degree input weights, broadcast against the batch axes (so ``(C, L+1)``
        gives per-channel weights for ``(..., C, (L+1)**2)`` inputs). Default 1.
    w3 : array_like, shape (..., lmax_out+1), optional
        Per-degree output weights. Default 1.
    lmax_out : int, optional
        Largest output degree; default ``L1 + L2``.
    method : {"auto", "direct", "fourier", "grid"}
        Passed to :func:`~specnum.gaunt.gaunt_product`.

    Returns
    -------
    ndarray, shape (..., (lmax_out+1)**2)
        ``out^{l3} = sum_{l1+l2+l3 even} kappa(l1,l2,l3) w1(l1) w2(l2) w3(l3) W(l1,l2,l3)[x1^{l1}, x2^{l2}]``.

    Raises
    ------
    ValueError, TypeError
        As :func:`~specnum.gaunt.gaunt_product`; weights of the wrong length.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(0).normal(size=(2, 4))
    >>> out = gaunt_tensor_product(x, x, w1=[1.0, 0.0], w2=[1.0, 0.0])
    >>> bool(np.allclose(out[:, 0], x[:, 0] ** 2 / np.sqrt(4 * np.pi)) and np.allclose(out[:, 1:], 0))
    True
    """
    a1, l1 = as_sh_array(x1, "x1")
    a2, l2 = as_sh_array(x2, "x2")
    lo = l1 + l2 if lmax_out is None else as_int(lmax_out, "lmax_out", minimum=0)
    method = as_method(method)
    dtype = np.float32 if (a1.dtype == np.float32 and a2.dtype == np.float32) else np.float64
    w3a = None
    if w3 is not None:  # validated before any work
        w3a = as_float_array(w3, "w3", min_ndim=1)
        if w3a.shape[-1] != lo + 1:
            raise ValueError(f"w3 must have last axis of length {lo + 1} (one weight per degree), got {w3a.shape}")
    for name, w, lm in (("w1", w1, l1), ("w2", w2, l2)):
        if w is not None:
            wa = as_float_array(w, name, min_ndim=1)
            if wa.shape[-1] != lm + 1:
                raise ValueError(
                    f"{name} must have last axis of length {lm + 1} (one weight per degree), got {wa.shape}"
                )
            if name == "w1":
                a1 = (a1 * _degree_expand(wa, lm)).astype(dtype, copy=False)
            else:
                a2 = (a2 * _degree_expand(wa, lm)).astype(dtype, copy=False)
    out = gaunt_product(a1, a2, lmax_out=lo, method=method)
    if w3a is not None:
        out = (out * _degree_expand(w3a, lo)).astype(dtype, copy=False)
    return out


@dataclass(frozen=True)
class GauntTensorProduct:
    """Channelwise Gaunt tensor-product layer with per-degree weights.

    Parameters
    ----------
    lmax1, lmax2, lmax_out : int
        Degrees of the two inputs and of the output (``>= 0``).
    channels : int, keyword-only
        Number of channels ``C`` (inputs ``(..., C, (L+1)**2)``), ``>= 1``.
    weights : {"degree", "channel", "none"}
        ``"degree"``: weights of shape ``(L+1,)`` shared by all channels; ``"channel"``:
        shape ``(C, L+1)``; ``"none"``: no weights (all ones).
    w1, w2, w3 : array_like, optional
        Initial weights of the inputs and of the output (default ones), of the shapes above.
    method : {"auto", "direct", "fourier", "grid"}
        Product algorithm.

    Notes
    -----
    ``out = w3 * gaunt_product(w1 * x1, w2 * x2)``; equivalently a CG tensor product
    restricted to the even paths with the rank-one path weights
    ``kappa(l1,l2,l3) w1(l1) w2(l2) w3(l3)`` (:meth:`path_weights`): ``O(L)`` parameters
    instead of ``O(L^3)``. The class only holds validated data; the computation is
    :func:`gaunt_tensor_product`.

    Examples
    --------
    >>> import numpy as np
    >>> tp = GauntTensorProduct(1, 1, 2, channels=3)
    >>> x = np.random.default_rng(0).normal(size=(5, 3, 4))
    >>> tp(x, x).shape
    (5, 3, 9)
    """

    lmax1: int
    lmax2: int
    lmax_out: int
    _: KW_ONLY
    channels: int = 1
    weights: str = "degree"
    w1: Any = None
    w2: Any = None
    w3: Any = None
    method: str = "auto"

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "lmax1", as_int(self.lmax1, "lmax1", minimum=0))
        set_(self, "lmax2", as_int(self.lmax2, "lmax2", minimum=0))
        set_(self, "lmax_out", as_int(self.lmax_out, "lmax_out", minimum=0))
        set_(self, "channels", as_int(self.channels, "channels", minimum=1))
        as_choice(self.weights, "weights", WEIGHT_MODES)
        as_method(self.method)
        lm = max(self.lmax1, self.lmax2, self.lmax_out)
        check_budget(f"GauntTensorProduct(lmax1={self.lmax1}, lmax2={self.lmax2}, lmax_out={self.lmax_out}, "
                     f"channels={self.channels}) weights", memory=3.0 * 8 * self.channels * (lm + 1))
        for name, lm in (("w1", self.lmax1), ("w2", self.lmax2), ("w3", self.lmax_out)):
            shape = (self.channels, lm + 1) if self.weights == "channel" else (lm + 1,)
            value = getattr(self, name)
            if value is None or self.weights == "none":
                if value is not None:
                    raise ValueError(f"{name} must be None when weights='none', got an array")
                arr = np.ones(shape)
            else:
                arr = as_float_array(value, name)
                if arr.shape != shape:
                    raise ValueError(f"{name} must have shape {shape} for weights={self.weights!r}, got {arr.shape}")
                arr = arr.copy()
            arr.setflags(write=False)
            set_(self, name, arr)

    def __call__(self, x1: Any, x2: Any) -> np.ndarray:
        """Apply the layer to ``x1 (..., C, (lmax1+1)**2)`` and ``x2 (..., C, (lmax2+1)**2)``.

        Returns the array ``(..., C, (lmax_out+1)**2)``.
        """
        for name, x, lm in (("x1", x1, self.lmax1), ("x2", x2, self.lmax2)):
            shape = np.shape(x)
            if len(shape) < 2 or shape[-2] != self.channels or shape[-1] != (lm + 1) ** 2:
                raise ValueError(
                    f"{name} must have shape (..., {self.channels}, {(lm + 1) ** 2}) "
                    f"(channels, (lmax+1)**2), got {shape}"
                )
        return gaunt_tensor_product(x1, x2, w1=self.w1, w2=self.w2, w3=self.w3, lmax_out=self.lmax_out,
                                    method=self.method)

    def path_weights(self) -> tuple[np.ndarray, np.ndarray]:
        """The equivalent CG path weights ``kappa w1 w2 w3`` on the even paths.

        Returns
        -------
        paths : ndarray of int, shape (n, 3)
            Even paths ``(l1, l2, l3)`` (see :func:`specnum.gaunt.paths`).
        weights : ndarray, shape (n,) or (C, n)
            ``kappa(l1,l2,l3) w1[l1] w2[l2] w3[l3]`` (per channel if ``weights="channel"``).
        """
        from specnum.bases.coupling import gaunt_kappa
        from specnum.gaunt.paths import paths as _paths

        p = _paths(self.lmax1, self.lmax2, self.lmax_out).gaunt
        kap = np.array([gaunt_kappa(*map(int, row)) for row in p])
        w = kap * self.w1[..., p[:, 0]] * self.w2[..., p[:, 1]] * self.w3[..., p[:, 2]]
        return p, w


# ------------------------------------------------------------------------------------------
# equivariant convolution
# ------------------------------------------------------------------------------------------
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
    return coo_arrays(sp.k1[keep], sp.k2[keep], sp.k3[keep], sp.values[keep], "float64")


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
        filt = _degree_expand(h, lf) * real_sph_harm_xyz(lf, units)[:, None, :]
        return gaunt_product(feats, filt, lmax_out=lo, method=method)
    D = wigner_D_real(lmx, _align_to_z(units))  # (E, K, K)
    n1, no = (l1 + 1) ** 2, (lo + 1) ** 2
    xr = np.einsum("eij,ecj->eci", D[:, :n1, :n1], feats)
    y0 = np.zeros((n_edge, n_chan, (lf + 1) ** 2))
    ls = np.arange(lf + 1)
    y0[:, :, ls * ls + ls] = h * np.sqrt((2 * ls + 1) / (4 * np.pi))
    k1, k2, k3, vals, runs = _aligned_coo(l1, lf, lo)
    out = np.zeros((n_edge * n_chan, no))
    gaunt_coo_kernel(
        np.ascontiguousarray(xr.reshape(-1, n1)),
        np.ascontiguousarray(np.broadcast_to(y0, (n_edge, n_chan, y0.shape[-1])).reshape(-1, y0.shape[-1])),
        k1, k2, k3, vals, runs, _coo_block(out.dtype.itemsize), out,
    )
    return np.einsum("eji,ecj->eci", D[:, :no, :no], out.reshape(n_edge, n_chan, no))


# ------------------------------------------------------------------------------------------
# many-body powers
# ------------------------------------------------------------------------------------------
def power_products(x: Any, nu: int, *, weights: Any = None, lmax_out: int | None = None) -> np.ndarray:
    """Many-body products ``x^2, ..., x^nu`` of a spherical function, projected to ``lmax_out``.

    Parameters
    ----------
    x : array_like, shape (..., (L+1)**2)
        Real SH coefficients of ``f``.
    nu : int
        Highest power (correlation order), ``>= 2``.
    weights : array_like, shape (nu-1, lmax_out+1) or (..., nu-1, lmax_out+1), optional
        Per-power, per-degree output weights (default 1); broadcast against the batch axes.
    lmax_out : int, optional
        Largest output degree; default ``L`` (as in MACE's symmetric contraction).

    Returns
    -------
    ndarray, shape (..., nu-1, (lmax_out+1)**2)
        Entry ``[..., k - 2, :]`` holds the coefficients of ``f^k`` (exact, not truncated in
        between), times the weights of power ``k``. float32 for float32 input.

    Raises
    ------
    ValueError, TypeError
        Bad shapes or values, ``nu < 2``, weights of the wrong shape, sizes beyond the
        size budget (:func:`specnum.size_budget`), powers that overflow the working precision.

    Notes
    -----
    The grid form of the paper's repeated FFT convolutions: ``f`` is synthesised once on a
    Gauss-Legendre x uniform grid exact for degree ``nu L + lmax_out``, raised to the
    powers pointwise and projected, so every power is exact (``O(nu (nu L)^3)`` per input,
    never a chain of truncated products).

    Examples
    --------
    >>> import numpy as np
    >>> from specnum.gaunt import gaunt_product
    >>> x = np.random.default_rng(0).normal(size=9)
    >>> p = power_products(x, 3)
    >>> bool(np.allclose(p[1], gaunt_product(gaunt_product(x, x), x, lmax_out=2), atol=1e-12))
    True
    """
    a, lm = as_sh_array(x, "x")
    nu = as_int(nu, "nu", minimum=2)
    lo = lm if lmax_out is None else as_int(lmax_out, "lmax_out", minimum=0)
    w = None
    if weights is not None:  # validated before any work
        w = as_float_array(weights, "weights", min_ndim=2)
        if w.shape[-2:] != (nu - 1, lo + 1):
            raise ValueError(f"weights must have trailing shape ({nu - 1}, {lo + 1}) (powers, degrees), got {w.shape}")
    dtype = a.dtype.name
    batch = a.shape[:-1]
    a2 = a.reshape(-1, a.shape[-1])
    if a2.shape[0] == 0:  # empty batch: nothing to synthesise
        out = np.zeros((*batch, nu - 1, (lo + 1) ** 2), dtype=dtype)
        return out if w is None else (out * _degree_expand(w, lo)).astype(dtype, copy=False)
    top = nu * lm
    n_theta = (top + lo) // 2 + 1
    nrow = a2.shape[0]
    grid_pts = float(n_theta) * (2 * max(top + lo, 2 * max(lm, lo)) + 2)
    check_budget(f"power_products of degree {lm} to the power nu = {nu} over {nrow} rows",
                 memory=a.itemsize * (3 * nrow * grid_pts + nu * nrow * (lo + 1) ** 2),
                 work=nrow * grid_pts * (nu + 4 * (lm + lo + 2)))
    n_phi = scipy.fft.next_fast_len(max(top + lo, 2 * max(lm, lo)) + 1, real=True)
    lt = max(lm, lo)
    # exact power-of-two row scaling when x**nu could leave the floating-point range
    big = max(float(np.max(a2)), -float(np.min(a2)))
    exps = None
    if big > 0 and not (-400 < nu * math.log2(big) < (600 if dtype == "float64" else 60)):
        exps = np.frexp(np.abs(a2).max(axis=1))[1]
        a2 = np.ldexp(a2, -exps[:, None]).astype(dtype, copy=False)
    syn = _grid_synthesis_tables(lm, n_theta, lt, dtype)
    ana = _grid_analysis_tables(lo, n_theta, lt, dtype)
    perm, _, offs = _m_major(lm)
    _, inv, oo = _m_major(lo)
    f = _grid_values(a2[:, perm], lm, syn, offs, n_theta, n_phi)
    out = np.empty((nu - 1, a2.shape[0], (lo + 1) ** 2), dtype=dtype)
    power = f.copy()
    for k in range(2, nu + 1):
        power *= f
        res = np.empty((a2.shape[0], (lo + 1) ** 2), dtype=dtype)
        _grid_project(power, lo, ana, oo, res)
        out[k - 2] = res[:, inv]
        if exps is not None:
            with np.errstate(over="ignore"):
                out[k - 2] = np.ldexp(out[k - 2], k * exps[:, None])
    out = np.moveaxis(out, 0, -2).reshape(*batch, nu - 1, (lo + 1) ** 2)
    if w is not None:
        out = (out * _degree_expand(w, lo)).astype(dtype, copy=False)
    check_result_finite(out, "x (to the power nu)")
    return out
