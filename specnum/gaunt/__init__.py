"""Gaunt products of spherical functions: exact tables, direct, Fourier and grid routes, layers.

Products of functions on the sphere given by real spherical-harmonic coefficients
(orthonormal, no Condon-Shortley phase, flat index ``l*l + l + m``), after Luo, Chen and
Krishnapriyan, "Enabling Efficient Equivariant Operations in the Fourier Basis via Gaunt
Tensor Products", ICLR 2024.

- :func:`gaunt_product`: ``method`` "direct" | "fourier" | "grid" | "auto", and its gradients
  :func:`gaunt_product_vjp`;
- :func:`sh_to_fourier` / :func:`fourier_to_sh`: the exact 2D Fourier basis change;
- :class:`GauntTensorProduct`, :func:`equivariant_convolution`, :func:`power_products`, with
  vector-Jacobian products (:meth:`GauntTensorProduct.vjp`, :func:`power_products_vjp`);
- ``specnum.gaunt.torch`` (imported on request, needs PyTorch): autograd functions for
  PyTorch models;
- :func:`paths`, :func:`antisymmetric_paths_product`: what Gaunt products lack;
- :func:`to_e3nn`, :func:`from_e3nn`, :func:`change_normalization`: conventions.
"""

from specnum.gaunt._crossover import choose_method
from specnum.gaunt.conventions import (
    NORMALIZATIONS,
    change_normalization,
    from_e3nn,
    normalization_scale,
    to_e3nn,
)
from specnum.gaunt.convolution import equivariant_convolution
from specnum.gaunt.layers import (
    GauntTensorProduct,
    GauntTensorProductGrad,
    gaunt_tensor_product,
    gaunt_tensor_product_vjp,
)
from specnum.gaunt.paths import CouplingPaths, antisymmetric_paths_product, paths
from specnum.gaunt.powers import power_products, power_products_vjp
from specnum.gaunt.products import METHODS, gaunt_product, gaunt_product_vjp
from specnum.gaunt.sh_fourier import (
    MAX_TABLE_DEGREE,
    fourier_to_sh,
    fourier_to_sh_tables,
    sh_to_fourier,
    sh_to_fourier_tables,
)

__all__ = [
    "choose_method",
    "gaunt_product",
    "gaunt_product_vjp",
    "METHODS",
    "sh_to_fourier",
    "fourier_to_sh",
    "sh_to_fourier_tables",
    "fourier_to_sh_tables",
    "MAX_TABLE_DEGREE",
    "GauntTensorProduct",
    "GauntTensorProductGrad",
    "gaunt_tensor_product",
    "gaunt_tensor_product_vjp",
    "equivariant_convolution",
    "power_products",
    "power_products_vjp",
    "paths",
    "CouplingPaths",
    "antisymmetric_paths_product",
    "NORMALIZATIONS",
    "normalization_scale",
    "change_normalization",
    "to_e3nn",
    "from_e3nn",
]
