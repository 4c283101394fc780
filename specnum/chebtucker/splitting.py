"""Range separation of radial kernels by Gaussian sums (internal; re-exported by :mod:`.potentials`).

Kernels ``K(r)`` and their Gaussian integrals:

* ``"newton"``: ``1/r = (2/sqrt(pi)) int_0^inf exp(-t^2 r^2) dt``;
* ``"yukawa"``: ``exp(-kappa r)/r = (2/sqrt(pi)) int_0^inf exp(-t^2 r^2 - kappa^2/(4 t^2)) dt``;
* ``"slater"``: ``exp(-kappa r) = (kappa/sqrt(pi)) int_0^inf t^-2 exp(-t^2 r^2 - kappa^2/(4 t^2)) dt``.

The long-range part ``L`` is the integral over ``t <= 1/r0``, the short-range part ``S = K - L``.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.special

from .._validation import as_choice, as_float, as_float_array, as_int
from ..bases.quadrature import gauss_legendre

__all__ = ["KERNELS", "gaussian_quadrature", "split_kernel", "split_with_derivative", "check_particles",
           "check_kernel", "check_targets", "check_inside"]

KERNELS = ("newton", "yukawa", "slater")
_GL_POINTS = 12  # Gauss-Legendre points per dyadic t-interval (relative error ~1e-15, measured)


# ----------------------------------------------------------------- validation
def check_particles(positions, charges) -> tuple[np.ndarray, np.ndarray]:
    pos = as_float_array(positions, "positions", ndim=2, last_dim=3)
    q = as_float_array(charges, "charges", ndim=1)
    if q.shape[0] != pos.shape[0]:
        raise ValueError(
            f"charges must have one entry per particle: positions has {pos.shape[0]} rows, "
            f"charges has {q.shape[0]} entries"
        )
    return pos, q


def check_kernel(kernel, r0, kappa) -> tuple[str, float, float]:
    kernel = as_choice(kernel, "kernel", KERNELS)
    r0 = as_float(r0, "r0", low=0.0, low_open=True)
    kappa = as_float(kappa, "kappa", low=0.0, low_open=kernel == "slater")
    return kernel, r0, kappa


def check_targets(targets) -> tuple[np.ndarray, tuple]:
    t = as_float_array(targets, "targets", min_ndim=1, last_dim=3)
    return np.ascontiguousarray(t.reshape(-1, 3)), t.shape[:-1]


def check_inside(pos: np.ndarray, box, name: str) -> None:
    lo = np.array([b[0] for b in box])
    hi = np.array([b[1] for b in box])
    slack = 1e-12 * (hi - lo)
    bad = np.any((pos < lo - slack) | (pos > hi + slack), axis=1)
    if np.any(bad):
        raise ValueError(f"{name} must lie inside the box {box}; {int(bad.sum())} point(s) outside")


# ----------------------------------------------------------------- quadrature
def gaussian_quadrature(max_distance: float, r0: float, kernel: str = "newton", kappa: float = 1.0,
                        points_per_interval: int = _GL_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """Exponents and weights of the Gaussian sum of the long-range kernel.

    Returns ``(t, c)`` with ``L(r) ~= sum_m c_m exp(-t_m^2 r^2)`` for ``0 <= r <= max_distance``.

    Parameters
    ----------
    max_distance : float > 0
        Largest distance at which the sum must be accurate.
    r0 : float > 0
        Splitting radius (the sum covers ``t <= 1/r0``).
    kernel : {"newton", "yukawa", "slater"}
    kappa : float
        Yukawa screening (``>= 0``) or Slater decay rate (``> 0``).
    points_per_interval : int >= 1
        Gauss-Legendre points per dyadic interval.

    Returns
    -------
    t, c : ndarrays, shape (m,)
        Exponents and positive weights.

    Raises
    ------
    ValueError
        Non-positive or non-finite ``max_distance`` or ``r0``, unknown ``kernel``, bad ``kappa``
        or ``points_per_interval``.

    Notes
    -----
    Composite Gauss-Legendre rule in ``t`` on ``[0, tau]`` and the dyadic intervals
    ``[tau 2^i, tau 2^(i+1)]`` up to ``1/r0``, ``tau = min(1/max_distance, 1/r0)``
    (and ``<= kappa/12`` for Yukawa and Slater, whose factor ``exp(-kappa^2/(4 t^2))``
    varies on the scale ``kappa``):
    on each interval ``t r`` varies by a bounded factor, so a fixed number of points
    resolves ``exp(-t^2 r^2)`` uniformly in r. Twelve points per interval give a
    relative error of about 1e-15 for Newton (measured against erf). The kernel
    weight is ``2/sqrt(pi)`` (Newton), ``2/sqrt(pi) exp(-kappa^2/(4 t^2))`` (Yukawa),
    ``kappa/sqrt(pi) t^-2 exp(-kappa^2/(4 t^2))`` (Slater).
    """
    kernel, r0, kappa = check_kernel(kernel, r0, kappa)
    max_distance = as_float(max_distance, "max_distance", low=0.0, low_open=True)
    points_per_interval = as_int(points_per_interval, "points_per_interval", minimum=1)
    big_t = 1.0 / r0
    tau = min(1.0 / max_distance, big_t)
    if kernel != "newton" and kappa / 12.0 > 0:  # (Yukawa with kappa = 0 is Newton: no extra scale)
        # exp(-kappa^2/(4 t^2)) < 1e-16 below t = kappa/12: grade towards that scale too
        tau = min(tau, kappa / 12.0)
    edges = [0.0, tau]
    while edges[-1] < big_t * (1 - 1e-14):
        edges.append(min(2.0 * edges[-1], big_t))
    ts, ws = [], []
    for a, b in zip(edges[:-1], edges[1:]):
        x, w = gauss_legendre(points_per_interval, (a, b))
        ts.append(x)
        ws.append(w)
    t = np.concatenate(ts)
    w = np.concatenate(ws)
    if kernel == "newton":
        c = (2.0 / math.sqrt(math.pi)) * w
    elif kernel == "yukawa":
        c = (2.0 / math.sqrt(math.pi)) * w * np.exp(-(kappa**2) / (4.0 * t * t))
    else:
        c = (kappa / math.sqrt(math.pi)) * w * np.exp(-(kappa**2) / (4.0 * t * t)) / (t * t)
    keep = c > 0
    return t[keep], c[keep]


def split_kernel(r, kernel: str = "newton", r0: float = 1.0, kappa: float = 1.0):
    """Long-range and short-range parts ``(L(r), S(r))`` of a kernel at distances ``r >= 0``.

    Parameters
    ----------
    r : array_like, any shape, ``r >= 0``
    kernel : {"newton", "yukawa", "slater"}
    r0 : float > 0
        Splitting radius.
    kappa : float
        Yukawa screening / Slater decay rate.

    Returns
    -------
    long, short : ndarrays of the shape of ``r``
        ``L + S = K``. At ``r = 0`` the singular kernels give ``S = 0`` (the
        self term is excluded) and ``L(0)`` is finite.

    Notes
    -----
    Newton: ``L = erf(r/r0)/r``, ``S = erfc(r/r0)/r`` (closed forms). Yukawa and
    Slater: ``L`` from the Gaussian quadrature of :func:`gaussian_quadrature`
    (the same sum the ChebTucker interpolates) and ``S = K - L``.

    Examples
    --------
    >>> lo, sh = split_kernel([0.5, 2.0])
    >>> bool(np.allclose(lo + sh, [2.0, 0.5]))
    True
    """
    kernel, r0, kappa = check_kernel(kernel, r0, kappa)
    rr = as_float_array(r, "r")
    if np.any(rr < 0):
        raise ValueError("r must be >= 0")
    lo, sh, _, _ = split_with_derivative(rr, kernel, r0, kappa)
    return lo, sh


def split_with_derivative(rr: np.ndarray, kernel: str, r0: float, kappa: float):
    """(L, S, L'/r, S'/r) at distances rr (S, S'/r = 0 at r = 0 for singular kernels)."""
    pos = rr > 0
    safe = np.where(pos, rr, 1.0)
    s = safe / r0
    if kernel == "newton":
        small = rr / r0 < 1e-2
        s2 = (rr / r0) ** 2
        f = 2.0 / (math.sqrt(math.pi) * r0)
        lo = np.where(small, f * (1 - s2 / 3 + s2 * s2 / 10 - s2**3 / 42), scipy.special.erf(s) / safe)
        ld = np.where(
            small,
            f / r0**2 * (-2.0 / 3 + 0.4 * s2 - s2 * s2 / 7),
            (f * np.exp(-s * s) / safe - scipy.special.erf(s) / safe**2) / safe,
        )
        sh = np.where(pos, scipy.special.erfc(s) / safe, 0.0)
        sd = np.where(pos, (-f * np.exp(-s * s) / safe - scipy.special.erfc(s) / safe**2) / safe, 0.0)
        return lo, sh, ld, sd
    dmax = max(float(np.max(rr, initial=0.0)), r0)
    t, c = gaussian_quadrature(dmax, r0, kernel, kappa)
    flat = rr.reshape(-1)
    e = np.exp(-np.outer(flat * flat, t * t))
    lo = (e @ c).reshape(rr.shape)
    ld = (e @ (-2.0 * t * t * c)).reshape(rr.shape)
    ek = np.exp(-kappa * rr)
    if kernel == "yukawa":
        k = np.where(pos, ek / safe, 0.0)
        kd = np.where(pos, -ek * (kappa * safe + 1.0) / safe**3, 0.0)
        sh = np.where(pos, k - lo, 0.0)
        sd = np.where(pos, kd - ld, 0.0)
    else:
        k = ek
        kd = np.where(pos, -kappa * ek / safe, 0.0)
        sh = k - lo
        sd = np.where(pos, kd - ld, 0.0)
    return lo, sh, ld, sd
