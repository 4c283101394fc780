"""specnum: spectral and spline discretizations.

Three pillars on one shared basis-and-quadrature layer:

- :mod:`specnum.riesz`: Riesz fractional equations by B-spline collocation;
- :mod:`specnum.chebtucker`: mesh-free Chebyshev-Tucker tensors and potentials;
- :mod:`specnum.gaunt`: Gaunt tensor products of spherical functions;
- :mod:`specnum.bases`: quadrature, Chebyshev, B-splines, Fourier, spherical
  harmonics and coupling coefficients.

Subpackages are imported on first attribute access, so ``import specnum`` is
cheap and never loads matplotlib.
"""

from __future__ import annotations

import importlib
from typing import Any

from specnum._validation import SizeBudget, get_size_budget, size_budget
from specnum._version import __version__

_SUBPACKAGES = ("bases", "riesz", "chebtucker", "gaunt", "plotting", "experiments", "testing", "errors")

__all__ = ["__version__", "size_budget", "get_size_budget", "SizeBudget", *_SUBPACKAGES]


def __getattr__(name: str) -> Any:
    if name in _SUBPACKAGES:
        return importlib.import_module(f"specnum.{name}")
    raise AttributeError(f"module 'specnum' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
