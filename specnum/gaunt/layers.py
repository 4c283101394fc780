"""Weighted Gaunt tensor products (Luo, Chen and Krishnapriyan, ICLR 2024) and their gradients.

Internal module: :mod:`specnum.gaunt` re-exports ``GauntTensorProduct``,
``GauntTensorProductGrad``, ``gaunt_tensor_product``, ``gaunt_tensor_product_vjp``; the other
names here serve the pillar's own modules and may change.

* :func:`gaunt_tensor_product` / :class:`GauntTensorProduct`: channelwise product with
  per-degree weights on both inputs and on the output (optionally per channel); it equals a
  Clebsch-Gordan tensor product restricted to the even paths with path weights
  ``kappa(l1,l2,l3) w1(l1) w2(l2) w3(l3)``;
* :meth:`GauntTensorProduct.vjp`: gradients with respect to both inputs and the three weights,
  returned as a :class:`GauntTensorProductGrad`.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass
from typing import Any

import numpy as np

from specnum._validation import as_choice, as_float_array, as_int, check_budget
from specnum.gaunt._checks import as_method, as_sh_array, unbroadcast
from specnum.gaunt.products import gaunt_product, gaunt_product_vjp

__all__ = [
    "GauntTensorProduct",
    "GauntTensorProductGrad",
    "gaunt_tensor_product",
    "gaunt_tensor_product_vjp",
    "degree_expand",
    "degree_sum",
]

WEIGHT_MODES = ("degree", "channel", "none")


def degree_expand(w: np.ndarray, lmax: int) -> np.ndarray:
    """Per-degree weights ``(..., lmax+1)`` -> per-coefficient ``(..., (lmax+1)**2)``."""
    return np.repeat(w, 2 * np.arange(lmax + 1) + 1, axis=-1)


def degree_sum(c: np.ndarray, lmax: int) -> np.ndarray:
    """Per-coefficient ``(..., (lmax+1)**2)`` -> sums over each degree ``(..., lmax+1)`` (adjoint of
    :func:`degree_expand`)."""
    return np.add.reduceat(c, np.arange(lmax + 1) ** 2, axis=-1)


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
    a1, a2, lo, method, ws = _validated(x1, x2, w1, w2, w3, lmax_out, method)
    dtype = a1.dtype
    u1 = (a1 * degree_expand(ws[0], ws[0].shape[-1] - 1)).astype(dtype, copy=False)
    u2 = (a2 * degree_expand(ws[1], ws[1].shape[-1] - 1)).astype(dtype, copy=False)
    out = gaunt_product(u1, u2, lmax_out=lo, method=method)
    return (out * degree_expand(ws[2], lo)).astype(dtype, copy=False)


def _validated(x1, x2, w1, w2, w3, lmax_out, method):
    """Validated inputs of one working dtype, output degree, method and the three weights
    (ones of shape ``(L+1,)`` where not given), all checked before any work."""
    a1, l1 = as_sh_array(x1, "x1")
    a2, l2 = as_sh_array(x2, "x2")
    lo = l1 + l2 if lmax_out is None else as_int(lmax_out, "lmax_out", minimum=0)
    method = as_method(method)
    dtype = np.float32 if (a1.dtype == np.float32 and a2.dtype == np.float32) else np.float64
    ws = []
    for name, w, lm in (("w1", w1, l1), ("w2", w2, l2), ("w3", w3, lo)):
        if w is None:
            ws.append(np.ones(lm + 1, dtype))
            continue
        wa = as_float_array(w, name, min_ndim=1)
        if wa.shape[-1] != lm + 1:
            raise ValueError(f"{name} must have last axis of length {lm + 1} (one weight per degree), got {wa.shape}")
        ws.append(wa)
    return a1.astype(dtype, copy=False), a2.astype(dtype, copy=False), lo, method, ws


@dataclass(frozen=True)
class GauntTensorProductGrad:
    """Gradients of a scalar loss through a weighted Gaunt tensor product.

    Attributes
    ----------
    x1, x2 : ndarray
        With respect to the inputs (their shapes).
    w1, w2, w3 : ndarray
        With respect to the per-degree weights (their shapes; ``(L+1,)`` for weights that
        were not given, i.e. the gradient at unit weights).
    """

    x1: np.ndarray
    x2: np.ndarray
    w1: np.ndarray
    w2: np.ndarray
    w3: np.ndarray


def gaunt_tensor_product_vjp(
    x1: Any, x2: Any, grad_out: Any, *, w1: Any = None, w2: Any = None, w3: Any = None,
    lmax_out: int | None = None, method: str = "auto",
) -> GauntTensorProductGrad:
    """Vector-Jacobian product of :func:`gaunt_tensor_product` (inputs and weights).

    Parameters
    ----------
    x1, x2, w1, w2, w3, lmax_out, method
        As :func:`gaunt_tensor_product` (keyword-only after ``grad_out``).
    grad_out : array_like, shape of the product
        Gradient of a scalar loss with respect to ``gaunt_tensor_product(x1, x2, ...)``.

    Returns
    -------
    GauntTensorProductGrad
        Gradients with respect to ``x1``, ``x2``, ``w1``, ``w2``, ``w3``, each summed over
        the axes along which it was broadcast.

    Raises
    ------
    ValueError, TypeError
        As :func:`gaunt_tensor_product`; ``grad_out`` not of the product's shape.

    Notes
    -----
    With ``u_i = w_i x_i`` (per degree), ``p = G(u1, u2)`` and ``out = w3 p``:
    ``dw3 = sum_m g p``, ``(du1, du2) = gaunt_product_vjp(u1, u2, w3 g)``,
    ``dx_i = w_i du_i``, ``dw_i = sum_m x_i du_i`` (sums over the orders of each degree).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> x1, x2, g = rng.normal(size=(2, 4)), rng.normal(size=(2, 4)), rng.normal(size=(2, 9))
    >>> grads = gaunt_tensor_product_vjp(x1, x2, g, w1=[1.0, 2.0])
    >>> grads.x1.shape, grads.w1.shape, grads.w3.shape
    ((2, 4), (2,), (3,))
    """
    a1, a2, lo, method, ws = _validated(x1, x2, w1, w2, w3, lmax_out, method)
    dtype = a1.dtype
    l1, l2 = ws[0].shape[-1] - 1, ws[1].shape[-1] - 1
    e1, e2, e3 = degree_expand(ws[0], l1), degree_expand(ws[1], l2), degree_expand(ws[2], lo)
    u1, u2 = (a1 * e1).astype(dtype, copy=False), (a2 * e2).astype(dtype, copy=False)
    p = gaunt_product(u1, u2, lmax_out=lo, method=method)
    out_shape = np.broadcast_shapes(p.shape, e3.shape)
    g = as_float_array(grad_out, "grad_out", min_ndim=1, dtype=dtype)
    if g.shape != out_shape:
        raise ValueError(f"grad_out must have the shape {out_shape} of the product, got {g.shape}")
    gw3 = unbroadcast(degree_sum(g * p, lo), ws[2].shape)
    gu1, gu2 = gaunt_product_vjp(u1, u2, unbroadcast(g * e3, p.shape).astype(dtype, copy=False), method=method)
    return GauntTensorProductGrad(
        x1=unbroadcast(gu1 * e1, a1.shape).astype(dtype, copy=False),
        x2=unbroadcast(gu2 * e2, a2.shape).astype(dtype, copy=False),
        w1=unbroadcast(degree_sum(gu1 * a1, l1), ws[0].shape),
        w2=unbroadcast(degree_sum(gu2 * a2, l2), ws[1].shape),
        w3=gw3,
    )


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
        self._check_inputs(x1, x2)
        return gaunt_tensor_product(x1, x2, w1=self.w1, w2=self.w2, w3=self.w3, lmax_out=self.lmax_out,
                                    method=self.method)

    def _check_inputs(self, x1: Any, x2: Any) -> None:
        for name, x, lm in (("x1", x1, self.lmax1), ("x2", x2, self.lmax2)):
            shape = np.shape(x)
            if len(shape) < 2 or shape[-2] != self.channels or shape[-1] != (lm + 1) ** 2:
                raise ValueError(
                    f"{name} must have shape (..., {self.channels}, {(lm + 1) ** 2}) "
                    f"(channels, (lmax+1)**2), got {shape}"
                )

    def vjp(self, x1: Any, x2: Any, grad_out: Any) -> GauntTensorProductGrad:
        """Gradients of a scalar loss with respect to the inputs and the layer's weights.

        ``grad_out (..., C, (lmax_out+1)**2)`` is the gradient with respect to
        ``self(x1, x2)``; the result's ``w1``, ``w2``, ``w3`` have the shapes of the layer's
        weights (see :func:`gaunt_tensor_product_vjp`).
        """
        self._check_inputs(x1, x2)
        return gaunt_tensor_product_vjp(x1, x2, grad_out, w1=self.w1, w2=self.w2, w3=self.w3,
                                        lmax_out=self.lmax_out, method=self.method)

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
