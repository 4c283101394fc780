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

from .._validation import as_float, as_float_array, as_int, check_budget
from ..bases.quadrature import gauss_legendre
from ._checks import KERNELS, check_kernel

__all__ = ["KERNELS", "gaussian_quadrature", "split_kernel", "split_with_derivative"]

_GL_POINTS = 12  # Gauss-Legendre points per dyadic t-interval (relative error ~1e-15, measured)
# below t = kappa/64 the factor exp(-kappa^2/(4 t^2)) < exp(-1024) is 0 in float64: no interval needed there
_KAPPA_FLOOR = 1.0 / 64.0
_EXP_CUT = 40.0  # exp(-a^2) with a >= 40 is below 1e-695: 0 in float64


# ----------------------------------------------------------------- quadrature
def gaussian_quadrature(max_distance: float, r0: float, *, kernel: str = "newton", kappa: float = 1.0,
                        points_per_interval: int = _GL_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """Exponents and weights of the Gaussian sum of the long-range kernel.

    Returns ``(t, c)`` with ``L(r) ~= sum_m c_m exp(-t_m^2 r^2)`` for ``0 <= r <= max_distance``.

    Parameters
    ----------
    max_distance : float > 0
        Largest distance at which the sum must be accurate.
    r0 : float in [1e-100, 1e100]
        Splitting radius (the sum covers ``t <= 1/r0``).
    kernel : {"newton", "yukawa", "slater"}
    kappa : float
        Yukawa screening (``>= 0``) or Slater decay rate (``> 0``).
    points_per_interval : int in [1, 1000]
        Gauss-Legendre points per dyadic interval.

    Returns
    -------
    t, c : ndarrays, shape (m,)
        Exponents and positive weights.

    Raises
    ------
    ValueError
        Non-positive or non-finite ``max_distance``, ``r0`` outside its range, unknown
        ``kernel``, bad ``kappa`` or ``points_per_interval``.

    Notes
    -----
    Composite Gauss-Legendre rule in ``t`` on ``[0, tau]`` and the dyadic intervals
    ``[tau 2^i, tau 2^(i+1)]`` up to ``1/r0``, ``tau = min(1/max_distance, 1/r0)``
    (and ``<= kappa/12`` for Yukawa and Slater, whose factor ``exp(-kappa^2/(4 t^2))``
    varies on the scale ``kappa``; but ``>= kappa/64``, below which that factor is 0 in
    float64):
    on each interval ``t r`` varies by a bounded factor, so a fixed number of points
    resolves ``exp(-t^2 r^2)`` uniformly in r. Twelve points per interval give a
    relative error of about 1e-15 for Newton (measured against erf). The kernel
    weight is ``2/sqrt(pi)`` (Newton), ``2/sqrt(pi) exp(-kappa^2/(4 t^2))`` (Yukawa),
    ``kappa/sqrt(pi) t^-2 exp(-kappa^2/(4 t^2))`` (Slater).
    """
    kernel, r0, kappa = check_kernel(kernel, r0, kappa)
    max_distance = as_float(max_distance, "max_distance", low=0.0, low_open=True)
    points_per_interval = as_int(points_per_interval, "points_per_interval", minimum=1, maximum=1000)
    big_t = 1.0 / r0
    tau = min(1.0 / max_distance, big_t)
    singular_scale = kernel != "newton" and kappa > 0  # (Yukawa with kappa = 0 is Newton: no extra scale)
    if singular_scale:
        # exp(-kappa^2/(4 t^2)) < 1e-16 below t = kappa/12: grade towards that scale too, not below kappa/64
        tau = max(min(tau, kappa / 12.0), min(_KAPPA_FLOOR * kappa, big_t))
    intervals = 1 + max(math.ceil(math.log2(big_t / tau) - 1e-12), 0)
    check_budget(f"max_distance = {max_distance:g}, r0 = {r0:g}", memory=16.0 * intervals * points_per_interval,
                 work=10.0 * intervals * points_per_interval)
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
    if kernel == "newton" or not singular_scale:
        c = (2.0 / math.sqrt(math.pi)) * w
    else:
        with np.errstate(over="ignore", divide="ignore"):
            half = 0.5 * kappa / t  # exp(-kappa^2/(4 t^2)) = exp(-half^2)
        live = half < _EXP_CUT
        damp = np.zeros_like(t)
        damp[live] = np.exp(-half[live] ** 2)
        if kernel == "yukawa":
            c = (2.0 / math.sqrt(math.pi)) * w * damp
        else:
            c = np.zeros_like(t)
            c[live] = (kappa / math.sqrt(math.pi)) * w[live] * damp[live] / (t[live] * t[live])
    keep = c > 0
    return t[keep], c[keep]


def split_kernel(r, kernel: str = "newton", *, r0: float = 1.0, kappa: float = 1.0):
    """Long-range and short-range parts ``(L(r), S(r))`` of a kernel at distances ``r >= 0``.

    Parameters
    ----------
    r : array_like, any shape, ``r >= 0``
    kernel : {"newton", "yukawa", "slater"}
    r0 : float in [1e-100, 1e100]
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
        raise ValueError(f"r must be >= 0, got {int(np.count_nonzero(rr < 0))} negative value(s)")
    check_budget(f"r of shape {rr.shape}", memory=8.0 * rr.size * (4 + (kernel != "newton")),
                 work=rr.size * (20.0 if kernel == "newton" else 2.0 * _quadrature_size(rr, r0, kernel, kappa)))
    lo, sh, _, _ = split_with_derivative(rr, kernel, r0, kappa, derivative=False)
    return lo, sh


def _quadrature_size(rr: np.ndarray, r0: float, kernel: str, kappa: float) -> int:
    dmax = max(float(np.max(rr, initial=0.0)), r0)
    return gaussian_quadrature(dmax, r0, kernel=kernel, kappa=kappa)[0].size


_CHUNK = 1 << 16  # distances per block of the Gaussian-sum evaluation (bounded temporary memory)


def split_with_derivative(rr: np.ndarray, kernel: str, r0: float, kappa: float, *, derivative: bool = True):
    """(L, S, L'/r, S'/r) at distances rr (S, S'/r = 0 at r = 0 for singular kernels).

    Overflow-safe: ratios and powers are formed so that an intermediate overflows only
    when the result itself is out of the float64 range (``1/r`` at distances near 0;
    ``S'/r ~ -1/r^3`` below ``1e-103``, which gives ``-inf`` there). With
    ``derivative=False`` the last two entries are None.
    """
    rr = np.asarray(rr, dtype=np.float64)
    pos = rr > 0
    safe = np.where(pos, rr, 1.0)
    with np.errstate(over="ignore"):
        s = safe / r0
    lo = np.empty_like(rr)
    sh = np.zeros_like(rr)
    ld = np.empty_like(rr)
    sd = np.zeros_like(rr)
    if kernel == "newton":
        f = 2.0 / (math.sqrt(math.pi) * r0)
        small = rr / r0 < 1e-2 if r0 >= 1.0 else rr < 1e-2 * r0
        s2 = (rr[small] / r0) ** 2
        lo[small] = f * (1 - s2 / 3 + s2 * s2 / 10 - s2**3 / 42)
        ld[small] = (f / r0) / r0 * (-2.0 / 3 + 0.4 * s2 - s2 * s2 / 7)
        big = ~small
        sb, rb = s[big], safe[big]
        gauss = f * np.exp(-np.minimum(sb, _EXP_CUT) ** 2)
        erf_b = scipy.special.erf(sb)
        lo[big] = erf_b / rb
        sp, rp = s[pos], rr[pos]
        erfc_p = scipy.special.erfc(sp)
        sh[pos] = erfc_p / rp
        if not derivative:
            return lo, sh, None, None
        ld[big] = ((gauss - erf_b / rb) / rb) / rb
        with np.errstate(over="ignore"):  # -1/r^3 beyond the float64 range for r < 1e-103
            sd[pos] = ((-f * np.exp(-np.minimum(sp, _EXP_CUT) ** 2) - erfc_p / rp) / rp) / rp
        return lo, sh, ld, sd
    dmax = max(float(np.max(rr, initial=0.0)), r0)
    t, c = gaussian_quadrature(dmax, r0, kernel=kernel, kappa=kappa)
    flat = rr.reshape(-1)
    lo_f = lo.reshape(-1)
    ld_f = ld.reshape(-1)
    dc = -2.0 * t * t * c
    step = max(1, _CHUNK // max(t.size, 1))
    for a in range(0, flat.size, step):
        with np.errstate(over="ignore"):
            e = np.exp(-np.minimum(np.outer(flat[a: a + step], t), _EXP_CUT) ** 2)
        lo_f[a: a + step] = e @ c
        ld_f[a: a + step] = e @ dc
    with np.errstate(over="ignore"):
        ek = np.exp(-kappa * rr)
        if kernel == "yukawa":
            sh = np.where(pos, ek / safe - lo, 0.0)
            kd = np.where(pos, -ek * (kappa + 1.0 / safe) / safe / safe, 0.0)
        else:
            sh = ek - lo
            kd = np.where(pos, -kappa * ek / safe, 0.0)
    if not derivative:
        return lo, sh, None, None
    sd = np.where(pos, kd - ld, 0.0)
    return lo, sh, ld, sd
