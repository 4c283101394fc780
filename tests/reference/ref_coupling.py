"""Slow, obviously correct twins of specnum.bases.coupling / exact.

* ``ref_real_sph_harm``: real orthonormal SH without the CS phase (gaunt.md 1.1),
  built from ``scipy.special.sph_harm_y`` (complex, with the CS phase):
  ``Y_{l,m} = sqrt2 (-1)^m Re Y_l^m``, ``Y_{l,0} = Y_l^0``, ``Y_{l,-m} = sqrt2 (-1)^m Im Y_l^m``.
* ``ref_sphere_grid``: Gauss-Legendre in ``cos(theta)`` (numpy ``leggauss``) times a
  uniform ``phi`` grid; exact for polynomials of degree ``<= 2 n_theta - 1`` in
  ``cos(theta)`` and trigonometric degree ``<= n_phi - 1`` in ``phi``.
* ``ref_real_gaunt_quadrature``: dense real Gaunt tensor as the quadrature sum of
  the product of three real harmonics on that grid (exact for the degrees used).
* ``ref_real_gaunt_exact_dense``: dense real Gaunt tensor from the exact rational
  coefficients, one entry at a time.
* ``ref_real_wigner_D``: real Wigner D matrix of one degree, solving
  ``Y_l(R^T r_k) = D Y_l(r_k)`` for D by least squares on random unit vectors ``r_k``.
"""

from __future__ import annotations

import numpy as np
from scipy.special import sph_harm_y

from specnum.bases.exact import real_gaunt_exact

__all__ = [
    "ref_real_sph_harm",
    "ref_sphere_grid",
    "ref_real_gaunt_quadrature",
    "ref_real_gaunt_exact_dense",
    "ref_real_wigner_D",
]


def ref_real_sph_harm(lmax: int, theta: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """Real SH values, shape ``theta.shape + ((lmax+1)**2,)``, flat index ``l*l+l+m``."""
    theta = np.asarray(theta, dtype=float)
    phi = np.asarray(phi, dtype=float)
    out = np.empty(theta.shape + ((lmax + 1) ** 2,))
    for l in range(lmax + 1):
        out[..., l * l + l] = sph_harm_y(l, 0, theta, phi).real
        for m in range(1, l + 1):
            y = sph_harm_y(l, m, theta, phi)
            out[..., l * l + l + m] = np.sqrt(2.0) * (-1) ** m * y.real
            out[..., l * l + l - m] = np.sqrt(2.0) * (-1) ** m * y.imag
    return out


def ref_sphere_grid(n_theta: int, n_phi: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Flattened (theta, phi, weight) of the Gauss-Legendre x uniform-phi product rule."""
    x, w = np.polynomial.legendre.leggauss(n_theta)
    phi = 2.0 * np.pi * np.arange(n_phi) / n_phi
    theta = np.arccos(x)
    tt, pp = np.meshgrid(theta, phi, indexing="ij")
    ww = np.outer(w, np.full(n_phi, 2.0 * np.pi / n_phi))
    return tt.ravel(), pp.ravel(), ww.ravel()


def ref_real_gaunt_quadrature(lmax1: int, lmax2: int, lmax3: int) -> np.ndarray:
    """Dense ``G[k1,k2,k3] = sum_q w_q Y_k1(q) Y_k2(q) Y_k3(q)`` with an exact product rule."""
    deg = lmax1 + lmax2 + lmax3
    theta, phi, w = ref_sphere_grid(deg // 2 + 2, deg + 2)
    lm = max(lmax1, lmax2, lmax3)
    y = ref_real_sph_harm(lm, theta, phi)
    y1 = y[:, : (lmax1 + 1) ** 2]
    y2 = y[:, : (lmax2 + 1) ** 2]
    y3 = y[:, : (lmax3 + 1) ** 2]
    return np.einsum("q,qa,qb,qc->abc", w, y1, y2, y3, optimize=True)


def ref_real_gaunt_exact_dense(lmax1: int, lmax2: int, lmax3: int) -> np.ndarray:
    """Dense real Gaunt tensor from :func:`specnum.bases.exact.real_gaunt_exact` (loop)."""
    def lm(k: int) -> tuple[int, int]:
        l = int(np.sqrt(k))
        return l, k - l * l - l

    out = np.zeros(((lmax1 + 1) ** 2, (lmax2 + 1) ** 2, (lmax3 + 1) ** 2))
    for a in range(out.shape[0]):
        l1, m1 = lm(a)
        for b in range(out.shape[1]):
            l2, m2 = lm(b)
            for c in range(out.shape[2]):
                l3, m3 = lm(c)
                out[a, b, c] = float(real_gaunt_exact(l1, m1, l2, m2, l3, m3))
    return out


def ref_real_wigner_D(l: int, rot: np.ndarray, rng: np.random.Generator, n_points: int = 200) -> np.ndarray:
    """Real Wigner D of degree ``l``: ``Y_l(rot^T r) = D Y_l(r)`` for all unit vectors r (lstsq)."""
    r = rng.normal(size=(n_points, 3))
    r /= np.linalg.norm(r, axis=1, keepdims=True)
    rr = r @ rot  # rows are rot^T r

    def angles(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return np.arccos(np.clip(v[:, 2], -1.0, 1.0)), np.arctan2(v[:, 1], v[:, 0])

    sl = slice(l * l, (l + 1) ** 2)
    a = ref_real_sph_harm(l, *angles(r))[:, sl]
    b = ref_real_sph_harm(l, *angles(rr))[:, sl]
    dt, *_ = np.linalg.lstsq(a, b, rcond=None)  # a @ D^T = b
    return dt.T
