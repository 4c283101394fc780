"""PyTorch autograd for Gaunt products: specnum's kernels inside a PyTorch model (CPU tensors).

This module is imported only on request (``import specnum.gaunt.torch``) and needs
PyTorch, an optional dependency of specnum; nothing else in specnum imports torch.

* :class:`GauntProductFunction`: a ``torch.autograd.Function`` whose forward pass is
  :func:`specnum.gaunt.gaunt_product` and whose backward pass is
  :func:`specnum.gaunt.gaunt_product_vjp`, run on the NumPy views of CPU tensors;
* :func:`gaunt_product`: the function to call, ``gaunt_product(x1, x2, lmax_out, method=...)``.

Tensors keep their dtype (float32 or float64) and are not copied when contiguous. The
backward pass is itself not differentiable (first derivatives only). To use e3nn's basis
(polar axis ``y``), convert with :func:`specnum.gaunt.to_e3nn` / :func:`specnum.gaunt.from_e3nn`
(linear maps: multiply by their matrices inside the model).

Examples
--------
>>> import torch
>>> from specnum.gaunt.torch import gaunt_product
>>> x1 = torch.randn(5, 9, dtype=torch.float64, requires_grad=True)
>>> x2 = torch.randn(5, 4, dtype=torch.float64, requires_grad=True)
>>> out = gaunt_product(x1, x2)
>>> out.shape
torch.Size([5, 16])
>>> out.square().sum().backward()
>>> x1.grad.shape, x2.grad.shape
(torch.Size([5, 9]), torch.Size([5, 4]))
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from specnum.gaunt import products as _products

__all__ = ["GauntProductFunction", "gaunt_product"]


def _as_numpy(t: torch.Tensor, name: str) -> np.ndarray:
    if not isinstance(t, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {type(t).__name__}")
    if t.device.type != "cpu":
        raise ValueError(f"{name} must be on the CPU (specnum's kernels are NumPy/numba), got device {t.device}")
    if t.dtype not in (torch.float32, torch.float64):
        raise TypeError(f"{name} must be float32 or float64, got {t.dtype}")
    return t.detach().contiguous().numpy()


class GauntProductFunction(torch.autograd.Function):
    """``out = gaunt_product(x1, x2, lmax_out, method)`` with its analytic backward pass.

    Call as ``GauntProductFunction.apply(x1, x2, lmax_out, method)`` (positional, as
    ``torch.autograd.Function`` requires) or through :func:`gaunt_product`.
    """

    @staticmethod
    def forward(ctx: Any, x1: torch.Tensor, x2: torch.Tensor, lmax_out: int | None, method: str) -> torch.Tensor:
        a1, a2 = _as_numpy(x1, "x1"), _as_numpy(x2, "x2")
        ctx.save_for_backward(x1, x2)
        ctx.method = method
        out = _products.gaunt_product(a1, a2, lmax_out, method=method)
        return torch.from_numpy(np.ascontiguousarray(out))

    @staticmethod
    @torch.autograd.function.once_differentiable
    def backward(ctx: Any, grad_out: torch.Tensor):
        x1, x2 = ctx.saved_tensors
        g1, g2 = _products.gaunt_product_vjp(_as_numpy(x1, "x1"), _as_numpy(x2, "x2"),
                                             _as_numpy(grad_out, "grad_out"), method=ctx.method)
        return (torch.from_numpy(np.ascontiguousarray(g1)).to(x1.dtype),
                torch.from_numpy(np.ascontiguousarray(g2)).to(x2.dtype), None, None)


def gaunt_product(x1: torch.Tensor, x2: torch.Tensor, lmax_out: int | None = None, *,
                  method: str = "auto") -> torch.Tensor:
    """Differentiable Gaunt product of two CPU tensors of real SH coefficients.

    Parameters
    ----------
    x1 : torch.Tensor, shape (..., (L1+1)**2)
        First factor (float32 or float64, on the CPU).
    x2 : torch.Tensor, shape (..., (L2+1)**2)
        Second factor; batch axes broadcast with ``x1``.
    lmax_out : int, optional
        Largest output degree; default ``L1 + L2``.
    method : {"auto", "direct", "fourier", "grid"}, keyword-only
        As :func:`specnum.gaunt.gaunt_product`.

    Returns
    -------
    torch.Tensor, shape (..., (lmax_out+1)**2)
        The product; float32 when both inputs are float32. Gradients flow to both inputs.

    Raises
    ------
    TypeError
        Inputs that are not float32/float64 tensors.
    ValueError
        Tensors not on the CPU; otherwise as :func:`specnum.gaunt.gaunt_product`.
    """
    _as_numpy(x1, "x1")
    _as_numpy(x2, "x2")
    return GauntProductFunction.apply(x1, x2, lmax_out, method)
