"""Normalisation conventions and the e3nn layout for real SH coefficient arrays.

Internal module: :mod:`specnum.gaunt` re-exports ``NORMALIZATIONS``, ``normalization_scale``,
``change_normalization``, ``to_e3nn``, ``from_e3nn``; the other names here serve the pillar's
own modules and may change.

specnum's default: orthonormal real harmonics
(``normalization="integral"``), no Condon-Shortley phase, polar axis ``z``, flat index
``l*l + l + m``. Other normalisations scale degree ``l`` of the *basis* by ``s_l``:

* ``"integral"``: ``s_l = 1`` (``int Y^2 = 1``);
* ``"component"``: ``s_l = sqrt(4 pi)`` (``sum_m Y_{l,m}(r)^2 = 2l + 1``);
* ``"norm"``: ``s_l = sqrt(4 pi / (2l + 1))`` (``sum_m Y_{l,m}(r)^2 = 1``).

A function ``f = sum x_k Y_k = sum x'_k (s_l Y_k)`` has coefficients ``x' = x / s_l`` in
the scaled basis. e3nn uses the same flat order and normalisations but its polar axis is
``y``: ``Y^{e3nn}(r) = Y(P r)`` with ``P(x, y, z) = (z, x, y)``, a proper rotation, so
coefficients convert with the real Wigner matrix ``D(P)``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

from specnum._validation import as_choice, as_float_array, as_int, flat_sh_lmax
from specnum.bases.sphharm import wigner_D_real
from specnum.gaunt._checks import check_lmax_budget

__all__ = [
    "NORMALIZATIONS",
    "normalization_scale",
    "change_normalization",
    "to_e3nn",
    "from_e3nn",
    "E3NN_AXES",
]

NORMALIZATIONS = ("integral", "component", "norm")

#: ``P`` with ``Y^{e3nn}(r) = Y(P r)``: ``P (x, y, z) = (z, x, y)``.
E3NN_AXES = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
E3NN_AXES.setflags(write=False)


@lru_cache(maxsize=64)
def _scale(lmax: int, normalization: str) -> np.ndarray:
    ls = np.repeat(np.arange(lmax + 1), 2 * np.arange(lmax + 1) + 1).astype(np.float64)
    if normalization == "integral":
        s = np.ones_like(ls)
    elif normalization == "component":
        s = np.full_like(ls, np.sqrt(4.0 * np.pi))
    else:
        s = np.sqrt(4.0 * np.pi / (2.0 * ls + 1.0))
    s.setflags(write=False)
    return s


def normalization_scale(lmax: int, normalization: str = "integral") -> np.ndarray:
    """Per-coefficient basis scale ``s_l`` of a normalisation relative to orthonormal.

    Parameters
    ----------
    lmax : int
        Largest degree, ``>= 0``.
    normalization : {"integral", "component", "norm"}
        The convention (module docstring).

    Returns
    -------
    ndarray, shape ((lmax+1)**2,)
        Read-only; ``Y^{normalization}_k = s[k] Y_k``.

    Examples
    --------
    >>> import numpy as np
    >>> s = normalization_scale(1, "norm")
    >>> bool(np.allclose(s, np.sqrt(4 * np.pi / np.array([1, 3, 3, 3]))))
    True
    """
    lmax = as_int(lmax, "lmax", minimum=0)
    normalization = as_choice(normalization, "normalization", NORMALIZATIONS)
    check_lmax_budget(f"normalization_scale of lmax = {lmax}", lmax)
    return _scale(lmax, normalization)


def change_normalization(x: Any, source: str, target: str) -> np.ndarray:
    """Re-express SH coefficients given in the ``source`` normalisation in the ``target`` one.

    Parameters
    ----------
    x : array_like, shape (..., (L+1)**2)
        Real coefficients in the ``source`` basis.
    source, target : {"integral", "component", "norm"}
        Normalisations (module docstring).

    Returns
    -------
    ndarray, shape (..., (L+1)**2), float64
        ``x * s_source / s_target`` (the same function, other basis).

    Raises
    ------
    ValueError
        Unknown normalisation, last axis not a perfect square, non-finite input.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([1.0, 0.0, 0.0, 0.0])
    >>> y = change_normalization(x, "integral", "component")
    >>> bool(np.isclose(y[0], 1 / np.sqrt(4 * np.pi)))
    True
    """
    source = as_choice(source, "source", NORMALIZATIONS)
    target = as_choice(target, "target", NORMALIZATIONS)
    x = as_float_array(x, "x", min_ndim=1)
    lmax = flat_sh_lmax(x.shape[-1], "x")
    return x * (_scale(lmax, source) / _scale(lmax, target))


@lru_cache(maxsize=64)
def _e3nn_matrix(lmax: int) -> np.ndarray:
    D = np.ascontiguousarray(wigner_D_real(lmax, E3NN_AXES))
    D.setflags(write=False)
    return D


def to_e3nn(x: Any, normalization: str = "integral") -> np.ndarray:
    """Convert specnum SH coefficients to e3nn's layout and normalisation.

    Parameters
    ----------
    x : array_like, shape (..., (L+1)**2)
        Coefficients in specnum's convention (orthonormal, polar axis ``z``).
    normalization : {"integral", "component", "norm"}
        The e3nn ``normalization`` the result is meant for (``o3.spherical_harmonics``).

    Returns
    -------
    ndarray, shape (..., (L+1)**2), float64
        ``a`` with ``sum_k a_k Y^{e3nn}_k(r) = sum_k x_k Y_k(r)`` for every unit ``r``, where
        ``Y^{e3nn}`` is e3nn's harmonic of that normalisation.

    Raises
    ------
    ValueError
        Unknown normalisation, bad shape, non-finite input.

    Notes
    -----
    ``Y^{e3nn}(r) = s_l D(P) Y(r)`` with ``P(x, y, z) = (z, x, y)``; hence
    ``a = D(P) x / s_l``. Products transform consistently:
    ``from_e3nn(e3nn_product) = gaunt_product(from_e3nn(a1), from_e3nn(a2))`` for Gaunt paths.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(0).normal(size=9)
    >>> bool(np.allclose(from_e3nn(to_e3nn(x)), x, atol=1e-14))
    True
    """
    normalization = as_choice(normalization, "normalization", NORMALIZATIONS)
    x = as_float_array(x, "x", min_ndim=1)
    lmax = flat_sh_lmax(x.shape[-1], "x")
    check_lmax_budget(f"to_e3nn of degree {lmax} (the Wigner matrix of the axis change)", lmax, per_row=-1)
    return (x @ _e3nn_matrix(lmax).T) / _scale(lmax, normalization)


def from_e3nn(a: Any, normalization: str = "integral") -> np.ndarray:
    """Convert e3nn SH coefficients (of the given normalisation) to specnum's convention.

    Parameters
    ----------
    a : array_like, shape (..., (L+1)**2)
        Coefficients against e3nn's ``o3.spherical_harmonics`` of ``normalization``.
    normalization : {"integral", "component", "norm"}
        e3nn's normalisation of those harmonics.

    Returns
    -------
    ndarray, shape (..., (L+1)**2), float64
        The inverse of :func:`to_e3nn`: ``D(P)^T (s_l a)``.

    Raises
    ------
    ValueError
        Unknown normalisation, bad shape, non-finite input.

    Examples
    --------
    >>> import numpy as np
    >>> a = np.array([0.0, 0.0, 0.0, 1.0])  # e3nn's Y_{1,1} ~ its 'z' axis
    >>> np.round(from_e3nn(a), 12).tolist()  # our Y_{1,0} ~ z
    [0.0, 0.0, 1.0, 0.0]
    """
    normalization = as_choice(normalization, "normalization", NORMALIZATIONS)
    a = as_float_array(a, "a", min_ndim=1)
    lmax = flat_sh_lmax(a.shape[-1], "a")
    check_lmax_budget(f"from_e3nn of degree {lmax} (the Wigner matrix of the axis change)", lmax, per_row=-1)
    return (a * _scale(lmax, normalization)) @ _e3nn_matrix(lmax)
