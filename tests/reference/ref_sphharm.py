"""Slow, obviously correct twins of specnum.bases.sphharm.

* ``ref_real_sph_harm_mp``: one real harmonic in mpmath (``mp.dps = 30``) from the
  explicit finite sum of d^m P_l (Rodrigues) at raised working precision, or from
  ``mpmath.legenp`` (carries the Condon-Shortley factor (-1)^m, removed here), and
  factorials, following gaunt.md 1.1 literally.
* ``ref_real_sph_harm_hyp``: one real harmonic in mpmath at a given float point
  ``(x, y, z)`` from the terminating hypergeometric series of the associated Legendre
  function (independent of the three-term recurrence, fast at any degree; values far
  below the float64 range are exact, mpmath has no exponent limit).
* ``ref_real_sph_harm_scipy``: all real harmonics up to lmax in float64 from
  ``scipy.special.sph_harm_y`` (complex, with CS phase) via
  ``Y_{l,m} = sqrt2 (-1)^m Re Y_l^m``, ``Y_{l,-m} = sqrt2 (-1)^m Im Y_l^m``.
* ``ref_wigner_D_lstsq``: real Wigner D by least squares on random points
  (gaunt.md 4.3 (c)), with the scipy harmonics above.
* ``ref_analysis_dense`` / ``ref_synthesis_dense``: quadrature sums with the dense
  harmonic matrix on the grid points.
"""

from __future__ import annotations

import mpmath as mp
import numpy as np
from scipy.special import sph_harm_y

__all__ = [
    "ref_real_sph_harm_mp",
    "ref_real_sph_harm_hyp",
    "ref_real_sph_harm_scipy",
    "ref_wigner_D_lstsq",
    "ref_analysis_dense",
    "ref_synthesis_dense",
]

DPS = 30


def _pbar_explicit(l: int, m: int, x: mp.mpf) -> mp.mpf:
    """(1 - x^2)^(m/2) d^m/dx^m P_l(x) from the explicit sum (no CS phase).

    P_l(x) = 2^-l sum_k (-1)^k C(l, k) C(2l - 2k, l) x^(l - 2k); the m-th derivative
    of x^n is n!/(n-m)! x^(n-m). Coefficients are exact integers; the caller supplies
    enough working precision for the alternating sum.
    """
    total = mp.mpf(0)
    for k in range(l // 2 + 1):
        n = l - 2 * k
        if n < m:
            break
        coef = (-1) ** k * mp.binomial(l, k) * mp.binomial(2 * l - 2 * k, l)
        coef *= mp.factorial(n) / mp.factorial(n - m)
        total += coef * x ** (n - m)
    return total / mp.mpf(2) ** l * mp.sqrt(1 - x * x) ** m


def ref_real_sph_harm_mp(l: int, m: int, theta: float, phi: float, dps: int = DPS,
                         method: str = "explicit") -> mp.mpf:
    """Real orthonormal Y_{l,m}(theta, phi) without CS phase, in mpmath (gaunt.md 1.1).

    ``method="explicit"`` (default) sums the explicit polynomial of d^m P_l at
    ``dps + 3 l + 20`` working digits (the alternating sum loses at most ~3l digits);
    ``method="legenp"`` uses ``mpmath.legenp`` (fine for low degree; at l ~ 60 and large m
    it returns 0 or fails to converge near the poles, so it is only a cross-check).
    """
    am = abs(m)
    work = dps + (3 * l + 20 if method == "explicit" else 0)
    with mp.workdps(work):
        t = mp.mpf(float(theta))
        p = mp.mpf(float(phi))
        norm = mp.sqrt((2 * l + 1) / (4 * mp.pi) * mp.factorial(l - am) / mp.factorial(l + am))
        x = mp.cos(t)
        if method == "explicit":
            pbar = _pbar_explicit(l, am, x)
            if mp.sin(t) < 0 and am % 2:  # the point (sin t cos p, sin t sin p, cos t)
                pbar = -pbar
        else:
            pbar = (-1) ** am * mp.legenp(l, am, x)  # legenp includes (-1)^m: remove it
        if m == 0:
            val = norm * pbar
        else:
            trig = mp.cos(am * p) if m > 0 else mp.sin(am * p)
            val = mp.sqrt(2) * norm * pbar * trig
    with mp.workdps(dps):
        return +val


def ref_real_sph_harm_hyp(l: int, m: int, x: float, y: float, z: float, dps: int = DPS) -> mp.mpf:
    """Real orthonormal Y_{l,m} (no CS phase) at the float point (x, y, z), taken as given.

    With ``s^m e^{i m phi} = (x + i y)^m`` (exact in mpmath) and, for ``z >= 0``,

        Pbar_l^m = s^m (l+m)! / (2^m m! (l-m)!) 2F1(m - l, m + l + 1; m + 1; (1 - z) / 2),

    and ``Pbar_l^m(-z) = (-1)^(l+m) Pbar_l^m(z)`` (the series argument stays in [0, 1/2], so
    mpmath's terminating sum loses few digits). This is the polynomial-in-z times
    ``(x + i y)^m`` form that the float64 code evaluates, so rounding of the point itself
    (``x^2 + y^2 + z^2 != 1`` by an ulp) does not enter the comparison.
    """
    am = abs(m)
    with mp.workdps(dps + 20):
        xm, ym, zm = mp.mpf(float(x)), mp.mpf(float(y)), mp.mpf(float(z))
        sign = 1
        if zm < 0:
            zm = -zm
            sign = -1 if (l + am) % 2 else 1
        lognorm = (0.5 * (mp.log((2 * l + 1) / (4 * mp.pi)) + mp.loggamma(l + am + 1) - mp.loggamma(l - am + 1))
                   - am * mp.log(2) - mp.loggamma(am + 1))
        poly = sign * mp.exp(lognorm) * mp.hyp2f1(am - l, am + l + 1, am + 1, (1 - zm) / 2)
        power = mp.mpc(xm, ym) ** am
        if m == 0:
            val = poly
        else:
            val = mp.sqrt(2) * poly * (power.real if m > 0 else power.imag)
        with mp.workdps(dps):
            return +val


def ref_real_sph_harm_scipy(lmax: int, theta, phi) -> np.ndarray:
    """All real orthonormal harmonics up to lmax, shape (..., (lmax+1)**2), via scipy."""
    theta, phi = np.broadcast_arrays(np.asarray(theta, float), np.asarray(phi, float))
    out = np.empty(theta.shape + ((lmax + 1) ** 2,))
    for l in range(lmax + 1):
        for m in range(-l, l + 1):
            c = sph_harm_y(l, abs(m), theta, phi)
            sign = -1.0 if abs(m) % 2 else 1.0
            if m > 0:
                val = np.sqrt(2) * sign * c.real
            elif m < 0:
                val = np.sqrt(2) * sign * c.imag
            else:
                val = c.real
            out[..., l * l + l + m] = val
    return out


def _angles(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    v = v / np.linalg.norm(v, axis=-1, keepdims=True)
    return np.arccos(np.clip(v[..., 2], -1, 1)), np.arctan2(v[..., 1], v[..., 0])


def ref_wigner_D_lstsq(lmax: int, R: np.ndarray, rng: np.random.Generator, n_points: int = 400) -> np.ndarray:
    """Block-diagonal D with Y(R v) = D Y(v), solved per degree by least squares."""
    v = rng.standard_normal((n_points, 3))
    A = ref_real_sph_harm_scipy(lmax, *_angles(v))
    B = ref_real_sph_harm_scipy(lmax, *_angles(v @ R.T))
    K = (lmax + 1) ** 2
    D = np.zeros((K, K))
    for l in range(lmax + 1):
        s = slice(l * l, (l + 1) ** 2)
        DT = np.linalg.lstsq(A[:, s], B[:, s], rcond=None)[0]
        D[s, s] = DT.T
    return D


def ref_analysis_dense(values: np.ndarray, theta: np.ndarray, phi: np.ndarray, weights: np.ndarray,
                       lmax: int) -> np.ndarray:
    """c_k = sum_{t,p} w f Y_k on a (n_theta, n_phi) grid, dense."""
    t, p = np.meshgrid(theta, phi, indexing="ij")
    Y = ref_real_sph_harm_scipy(lmax, t, p)  # (T, P, K)
    return np.einsum("...tp,tp,tpk->...k", values, weights, Y)


def ref_synthesis_dense(coeffs: np.ndarray, theta: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """f(t, p) = sum_k c_k Y_k(t, p), dense."""
    lmax = int(round(np.sqrt(coeffs.shape[-1]))) - 1
    t, p = np.meshgrid(theta, phi, indexing="ij")
    Y = ref_real_sph_harm_scipy(lmax, t, p)
    return np.einsum("...k,tpk->...tp", coeffs, Y)
