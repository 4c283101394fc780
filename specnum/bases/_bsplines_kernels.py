"""Numba kernels of :mod:`specnum.bases.bsplines` (internal).

The kernels assume validated input: C-contiguous float64 arrays, a padded
knot vector ``T`` (``degree`` copies of the first and the last knot added at
each end, so that original index ``j`` is padded index ``j + degree``), and
preallocated outputs. Only numpy, numba and math are imported here.
"""

import math

import numpy as np
from numba import njit

__all__ = [
    "basis_ders",
    "evaluate_kernel",
    "taylor_tables_kernel",
    "moments_kernel",
    "frac_left_kernel",
]

# Stop a multipole series once (1+alpha)_m/m! q^m falls below this bound; the
# normalised moments are bounded by the zeroth one, so the neglected tail is
# below ~1e-17 relative to the leading term.
_SERIES_TOL = 1e-17
_MAX_ELEMENT_TERMS = 120


@njit(cache=True)
def basis_ders(T, p, I, xl, nd, lev, coef, out):  # noqa: E741
    """Derivatives ``0..nd`` at ``x = T[I] + xl`` of the ``p+1`` B-splines active on padded span ``I``.

    ``out[k, l] = D^k B_{I-p+l, p}(x)`` (padded indices), evaluated with the
    polynomial piece of span ``[T[I], T[I+1]]`` (which must be non-empty).
    The point is given in local coordinates ``xl = x - T[I]`` and every
    knot enters as a difference ``T[k] - T[I]``, so that nothing is lost when
    the knots are large compared with the element length.
    ``lev`` (p+1, p+1) and ``coef`` (p+1, p+1) are scratch arrays.
    Cox-de Boor triangle for the values of every degree ``q <= p``; the
    derivative of order ``k`` is ``p!/(p-k)! sum_m c_{k,m} B_{j+m, p-k}`` with
    ``c_{k,m} = (c_{k-1,m} - c_{k-1,m-1}) / (t_{j+m+p-k+1} - t_{j+m})``.
    """
    o = T[I]
    lev[0, 0] = 1.0
    for q in range(1, p + 1):
        for l in range(q + 1):  # noqa: E741
            j = I - q + l
            v = 0.0
            if l >= 1:
                d = T[j + q] - T[j]
                if d > 0.0:
                    v += (xl - (T[j] - o)) / d * lev[q - 1, l - 1]
            if l <= q - 1:
                d = T[j + q + 1] - T[j + 1]
                if d > 0.0:
                    v += ((T[j + q + 1] - o) - xl) / d * lev[q - 1, l]
            lev[q, l] = v
    for k in range(nd + 1):
        for l in range(p + 1):  # noqa: E741
            out[k, l] = 0.0
    for l in range(p + 1):  # noqa: E741
        j = I - p + l
        coef[0, 0] = 1.0
        out[0, l] = lev[p, l]
        fac = 1.0
        for k in range(1, min(nd, p) + 1):
            fac *= p - k + 1
            for m in range(k + 1):
                d = T[j + m + p - k + 1] - T[j + m]
                prev = coef[k - 1, m] if m <= k - 1 else 0.0
                if m >= 1:
                    prev -= coef[k - 1, m - 1]
                coef[k, m] = prev / d if d > 0.0 else 0.0
            s = 0.0
            for m in range(k + 1):
                idx = l + m - k
                if 0 <= idx <= p - k:
                    s += coef[k, m] * lev[p - k, idx]
            out[k, l] = fac * s


@njit(cache=True)
def evaluate_kernel(T, p, spans, x, deriv, out):
    """``out[i, :]`` = derivative ``deriv`` of all basis functions at ``x[i]``.

    ``spans[i]`` is the padded span index, or -1 for points outside the
    interval (their rows are left at zero). ``out`` must be zero on entry.
    """
    lev = np.empty((p + 1, p + 1))
    coef = np.empty((p + 1, p + 1))
    ders = np.empty((deriv + 1, p + 1))
    for i in range(x.shape[0]):
        I = spans[i]  # noqa: E741
        if I < 0:
            continue
        basis_ders(T, p, I, x[i] - T[I], deriv, lev, coef, ders)
        for l in range(p + 1):  # noqa: E741
            out[i, I - 2 * p + l] = ders[deriv, l]


@njit(cache=True)
def taylor_tables_kernel(T, p, dim, TL, TR, TC):
    """Taylor coefficients of every basis function on each element of its support.

    For original basis ``j`` and local element ``e`` (``[t_{j+e}, t_{j+e+1}]``,
    e = 0..p), ``TL[j, e, r] = B_j^{(r)}(t_{j+e}^+)/r!`` (left end), ``TR`` the
    same at the right end of the piece and ``TC`` at its midpoint. Empty
    elements keep zeros (arrays must be zero on entry).
    """
    lev = np.empty((p + 1, p + 1))
    coef = np.empty((p + 1, p + 1))
    ders = np.empty((p + 1, p + 1))
    fact = np.ones(p + 1)
    for r in range(1, p + 1):
        fact[r] = fact[r - 1] * r
    nknots = T.shape[0] - 2 * p
    for i in range(nknots - 1):
        I = i + p  # noqa: E741
        u = T[I]
        v = T[I + 1]
        if not v > u:
            continue
        for which in range(3):
            xx = 0.0 if which == 0 else ((v - u) if which == 1 else 0.5 * (v - u))
            basis_ders(T, p, I, xx, p, lev, coef, ders)
            for l in range(p + 1):  # noqa: E741
                j = i - p + l
                if j < 0 or j >= dim:
                    continue
                e = p - l
                for r in range(p + 1):
                    val = ders[r, l] / fact[r]
                    if which == 0:
                        TL[j, e, r] = val
                    elif which == 1:
                        TR[j, e, r] = val
                    else:
                        TC[j, e, r] = val


@njit(cache=True)
def moments_kernel(tau, TC, glx, glw, nu):
    """Normalised moments ``nu[j, m] = int ((t - c_j)/w_j)^m B_j(t) dt``.

    ``tau`` (dim, p+2): local knots; ``TC`` (dim, p+1, p+1): Taylor
    coefficients at the element midpoints; ``c_j``, ``w_j``: centre and
    half-width of the support. ``glx``, ``glw``: Gauss-Legendre rule on
    [-1, 1], exact for degree ``p + nu.shape[1] - 1``. On each element the
    piece is evaluated as ``sum_r (TC_r hh^r) s^r`` with ``|s| <= 1``, and all
    positions are local (differences of knots). ``nu`` must be zero on entry.
    """
    dim = tau.shape[0]
    p = tau.shape[1] - 2
    M = nu.shape[1] - 1
    sc = np.empty(p + 1)
    for j in range(dim):
        a = tau[j, 0]
        w = 0.5 * (tau[j, p + 1] - a)
        for e in range(p + 1):
            u = tau[j, e]
            v = tau[j, e + 1]
            if not v > u:
                continue
            hh = 0.5 * (v - u)
            off = (u - a) + hh - w  # element centre minus support centre
            hr = 1.0
            for r in range(p + 1):
                sc[r] = TC[j, e, r] * hr
                hr *= hh
            for g in range(glx.shape[0]):
                sg = glx[g]
                val = sc[p]
                for r in range(p - 1, -1, -1):
                    val = val * sg + sc[r]
                val *= hh * glw[g]
                z = (off + hh * sg) / w
                for m in range(M + 1):
                    nu[j, m] += val
                    val *= z


@njit(cache=True)
def frac_left_kernel(x, T, j0, tau, J, TC, nu, rg, gtay, ginv, alpha, out):
    """Left Riemann-Liouville derivative (from -inf) of every basis function.

    Column ``j`` of the tables and of ``out`` is basis function ``j0 + j``.
    ``T``: padded knots; ``tau`` (dim, p+2): local knots; ``J`` (dim, p+2, p+1):
    jumps (first occurrence of each distinct knot, zero elsewhere); ``TC``
    (dim, p+1, p+1): Taylor coefficients at element midpoints; ``nu``
    (dim, M+1): normalised moments; ``rg[r] = 1/Gamma(r+1-alpha)``;
    ``gtay[r] = (-alpha)_r / Gamma(r+1-alpha) = 1/((r-alpha) Gamma(-alpha))``;
    ``ginv = 1/Gamma(-alpha)``.

    * ``x - c >= 4 w`` (support centre ``c``, half-width ``w``): moment
      (multipole) series of the whole support.
    * Otherwise the elements whose right end lies at least half their length
      left of ``x`` use their own multipole series; the remaining part
      ``B 1_[s, inf)`` (``s``: left end of the first remaining element ``e``) is
      ``sum_r b_r (-1)^r (x-s)^{r-alpha} gtay[r]`` with ``b_r`` the Taylor
      coefficients of the piece ``e`` about ``x`` (de Boor, local
      coordinates), plus ``sum_k sum_r J_kr (x-x_k)^{r-alpha} rg[r]`` over the
      knots ``s < x_k <= x``.
    """
    nx = x.shape[0]
    dim = tau.shape[0]
    p = tau.shape[1] - 2
    Mw = nu.shape[1] - 1
    fact = np.ones(p + 1)
    for r in range(1, p + 1):
        fact[r] = fact[r - 1] * r
    lev = np.empty((p + 1, p + 1))
    coef = np.empty((p + 1, p + 1))
    ders = np.empty((p + 1, p + 1))
    for ix in range(nx):
        xv = x[ix]
        for j in range(dim):
            a = tau[j, 0]
            if xv < a:
                out[ix, j] = 0.0
                continue
            w = 0.5 * (tau[j, p + 1] - a)
            xa = xv - a
            if ginv != 0.0 and xa - w >= 4.0 * w:
                d = xa - w
                q = w / d
                s = 0.0
                cf = 1.0
                qm = 1.0
                for m in range(Mw + 1):
                    s += cf * qm * nu[j, m]
                    cf *= (1.0 + alpha + m) / (m + 1.0)
                    qm *= q
                    if cf * qm < _SERIES_TOL:
                        break
                out[ix, j] = ginv * math.pow(d, -1.0 - alpha) * s
                continue
            # per-element split: es = leftmost near element (or -1)
            es = -1
            ecut = p + 1
            for e in range(p + 1):
                u = tau[j, e]
                v = tau[j, e + 1]
                if not v > u:
                    continue
                if u >= xv:
                    ecut = e
                    break
                if xv - v < 0.5 * (v - u):
                    es = e
                    break
            total = 0.0
            efar = es if es >= 0 else ecut
            if ginv != 0.0:
                for e in range(efar):
                    u = tau[j, e]
                    v = tau[j, e + 1]
                    if not v > u:
                        continue
                    hh = 0.5 * (v - u)
                    d = (xv - u) - hh
                    q = hh / d
                    s = 0.0
                    cf = 1.0
                    qm = 1.0
                    for m in range(_MAX_ELEMENT_TERMS):
                        mom = 0.0
                        hr = 1.0
                        for r in range(p + 1):
                            if (m + r) % 2 == 0:
                                mom += TC[j, e, r] * hr / (m + r + 1.0)
                            hr *= hh
                        s += cf * qm * mom
                        cf *= (1.0 + alpha + m) / (m + 1.0)
                        qm *= q
                        if cf * qm < _SERIES_TOL:
                            break
                    total += ginv * math.pow(d, -1.0 - alpha) * 2.0 * hh * s
            s0 = xv
            if es >= 0:
                s0 = tau[j, es]
                y = xv - s0
                I = j0 + j + es + p  # noqa: E741  padded span of element es
                basis_ders(T, p, I, y, p, lev, coef, ders)
                lj = p - es
                sg = 1.0
                for r in range(p + 1):
                    dv = ders[r, lj]
                    if gtay[r] != 0.0 and dv != 0.0:  # a zero Taylor coefficient contributes 0, even at y**-alpha
                        pw = math.pow(y, r - alpha)
                        if math.isinf(pw):  # y within ~1e-154 of a knot: dv y**(r-alpha) is small, not dv * inf
                            term = math.copysign(math.exp(math.log(abs(dv)) + (r - alpha) * math.log(y)), dv)
                            total += sg / fact[r] * gtay[r] * term
                        else:
                            total += sg * dv / fact[r] * gtay[r] * pw
                    sg = -sg
            for k in range(p + 2):
                tk = tau[j, k]
                if tk > xv:
                    break
                if es >= 0:
                    if not tk > s0:
                        continue
                elif tk != xv:
                    continue
                y = xv - tk
                for r in range(p + 1):
                    jr = J[j, k, r]
                    if jr == 0.0 or rg[r] == 0.0:
                        continue
                    if y > 0.0:
                        total += jr * rg[r] * math.pow(y, r - alpha)
                    elif r < alpha:
                        total += jr * rg[r] * math.inf
                    elif r == alpha:
                        total += jr * rg[r]
            out[ix, j] = total
