"""Rotations of R^3 and the real Wigner D matrices acting on real spherical-harmonic coefficients.

:func:`wigner_D_real` gives the block-diagonal matrix with ``Y(R v) = D(R) Y(v)`` for the
orthonormal real harmonics of :mod:`specnum.bases.sphharm` (flat index ``l*l + l + m``,
no Condon-Shortley phase); :func:`random_rotation` draws Haar-uniform rotations and
:func:`rotation_from_euler_zyz` builds them from ZYZ Euler angles. All names are
re-exported by :mod:`specnum.bases.sphharm`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from specnum._validation import as_float_array, as_int, check_budget
from specnum.bases._legendre import _as_array, _broadcast_shape, _capped, _shape_of
from specnum.bases._sphharm_kernels import wigner_real_kernel

__all__ = [
    "wigner_D_real",
    "random_rotation",
    "rotation_from_euler_zyz",
]

_ORTHO_TOL = 1e-10
_PERM_YZX = np.array([1, 2, 0])


def _check_rotation(R: Any) -> np.ndarray:
    r = as_float_array(R, "R", min_ndim=2)
    eye = np.eye(3)
    dev = np.abs(np.einsum("...ij,...kj->...ik", r, r) - eye)
    worst = float(dev.max()) if dev.size else 0.0
    if worst > _ORTHO_TOL:
        raise ValueError(f"R must be orthogonal (|R R^T - I| <= {_ORTHO_TOL:g}), got deviation {worst:.3g}")
    det = np.linalg.det(r)
    if det.size and np.any(det < 0):
        raise ValueError("R must be a proper rotation (det R = +1), got det R = -1")
    return r


def wigner_D_real(lmax: int, R: Any) -> np.ndarray:
    """Block-diagonal real Wigner D matrix with ``Y(R v) = D(R) Y(v)``.

    Parameters
    ----------
    lmax : int
        Maximum degree, ``>= 0``.
    R : array_like, shape (..., 3, 3)
        Rotation matrix (or a batch): finite, orthogonal to 1e-10, determinant +1.

    Returns
    -------
    ndarray, shape (..., (lmax+1)**2, (lmax+1)**2)
        Orthogonal block-diagonal matrix (blocks ``(2l+1) x (2l+1)``) in the flat order,
        for the orthonormal harmonics without Condon-Shortley phase. A function with
        coefficients ``x`` rotated as ``f(R^T r)`` has coefficients ``D(R) x``.
        Consequently ``D(R1 R2) = D(R1) D(R2)`` and ``D(R^T) = D(R)^T``.

    Raises
    ------
    ValueError
        Negative lmax, wrong shape, non-finite, non-orthogonal or improper ``R``, or a
        result beyond the size budget (:func:`specnum.size_budget`).
    TypeError
        Non-integer ``lmax``, non-numeric ``R``.

    Notes
    -----
    Block 0 is 1, block 1 is ``P R P^T`` with ``P(x, y, z) = (y, z, x)`` (since
    ``Y_1 = sqrt(3/4pi) (y, z, x)``); block l is built from block 1 and block l-1 by
    the recursion of Ivanic and Ruedenberg, J. Phys. Chem. 100, 6342 (1996), erratum
    102, 9099 (1998): ``D^l_{mm'} = u U + v V + w W`` with products of block-1 and
    block-(l-1) entries. Only multiplications by bounded coefficients occur, so the
    result is orthogonal to rounding at any degree (numba kernel, O(L^3)).

    Examples
    --------
    >>> import numpy as np
    >>> from specnum.bases.sphharm import real_sph_harm_xyz
    >>> R = rotation_from_euler_zyz(0.3, 1.1, -0.7)
    >>> D = wigner_D_real(3, R)
    >>> v = np.array([0.2, -0.5, 0.8])
    >>> bool(np.allclose(real_sph_harm_xyz(3, R @ v), D @ real_sph_harm_xyz(3, v)))
    True
    """
    lmax = as_int(lmax, "lmax", minimum=0)
    shape = _shape_of(R, "R")
    if shape[-2:] != (3, 3):
        raise ValueError(f"R must have shape (..., 3, 3), got {shape}")
    nb = _capped(math.prod(shape[:-2]))
    L1 = _capped(lmax + 1)
    check_budget(f"lmax = {lmax} for R of shape {shape}",
                 memory=8.0 * nb * L1**4 + 200.0 * nb, work=50.0 * nb * L1**3 + 100.0 * nb)
    r = _check_rotation(R)
    batch = r.shape[:-2]
    r1 = np.ascontiguousarray(r.reshape(-1, 3, 3)[:, _PERM_YZX][:, :, _PERM_YZX])
    K = (lmax + 1) ** 2
    out = np.zeros((r1.shape[0], K, K))
    wigner_real_kernel(r1, lmax, out)
    return out.reshape(batch + (K, K))


def random_rotation(rng: Any, size: int | tuple[int, ...] | None = None) -> np.ndarray:
    """Rotation matrices drawn uniformly (Haar measure) from SO(3).

    Parameters
    ----------
    rng : numpy.random.Generator or int
        Random generator (an int seeds ``numpy.random.default_rng``).
    size : int or tuple of int, optional
        Batch shape; default a single matrix.

    Returns
    -------
    ndarray, shape (3, 3) or ``size + (3, 3)``

    Raises
    ------
    TypeError
        If ``rng`` is neither a Generator nor an int, or ``size`` is not an int or a
        tuple of ints.
    ValueError
        If an entry of ``size`` is negative, or the batch exceeds the size budget.

    Notes
    -----
    A normalised 4-vector of independent standard normals is a uniform unit quaternion,
    whose rotation matrix is Haar-distributed on SO(3).

    Examples
    --------
    >>> import numpy as np
    >>> R = random_rotation(np.random.default_rng(0))
    >>> bool(np.allclose(R @ R.T, np.eye(3))), bool(np.isclose(np.linalg.det(R), 1.0))
    (True, True)
    """
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, (bool, np.bool_)):
        rng = np.random.default_rng(int(rng))
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator or an int seed, got {type(rng).__name__}")
    if size is None:
        shape: tuple[int, ...] = ()
    elif isinstance(size, (tuple, list)):
        shape = tuple(as_int(v, "size", minimum=0) for v in size)
    else:
        shape = (as_int(size, "size", minimum=0),)
    n = _capped(math.prod(shape))
    check_budget(f"size = {shape}", memory=8.0 * 40.0 * n, work=100.0 * n)
    q = rng.standard_normal(shape + (4,))
    q /= np.linalg.norm(q, axis=-1, keepdims=True)
    w, x, y, z = np.moveaxis(q, -1, 0)
    R = np.stack(
        [
            1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w),
            2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w),
            2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y),
        ],
        axis=-1,
    )
    return R.reshape(shape + (3, 3))


def rotation_from_euler_zyz(alpha: Any, beta: Any, gamma: Any) -> np.ndarray:
    """Active rotation ``Rz(alpha) @ Ry(beta) @ Rz(gamma)`` (right-handed, radians).

    Parameters
    ----------
    alpha, beta, gamma : float or array_like
        Euler angles (finite), broadcast together.

    Returns
    -------
    ndarray, shape (..., 3, 3)

    Raises
    ------
    TypeError
        For non-numeric angles.
    ValueError
        For non-finite angles, shapes that do not broadcast, or a batch beyond the
        size budget.

    Examples
    --------
    >>> import numpy as np
    >>> R = rotation_from_euler_zyz(np.pi / 2, 0.0, 0.0)
    >>> np.round(R @ [1.0, 0.0, 0.0], 12).tolist()
    [0.0, 1.0, 0.0]
    """
    shape = _broadcast_shape({"alpha": alpha, "beta": beta, "gamma": gamma})
    n = _capped(math.prod(shape))
    check_budget(f"alpha, beta and gamma of broadcast shape {shape}", memory=8.0 * 80.0 * n, work=200.0 * n)
    a, b, g = np.broadcast_arrays(_as_array(alpha, "alpha"), _as_array(beta, "beta"), _as_array(gamma, "gamma"))

    def rz(t: np.ndarray) -> np.ndarray:
        c, s = np.cos(t), np.sin(t)
        o, z = np.ones_like(t), np.zeros_like(t)
        return np.stack([c, -s, z, s, c, z, z, z, o], axis=-1).reshape(t.shape + (3, 3))

    c, s = np.cos(b), np.sin(b)
    o, z = np.ones_like(b), np.zeros_like(b)
    ry = np.stack([c, z, s, z, o, z, -s, z, c], axis=-1).reshape(b.shape + (3, 3))
    return rz(a) @ ry @ rz(g)
