"""Slow, obviously correct mpmath twins for specnum.riesz (independent references).

* ``hypersingular_mp``: L u(x) = C_{1,alpha} int_0^inf (2u(x) - u(x+z) - u(x-z)) z^(-1-alpha) dz
  for u supported in [0, 1] (tanh-sinh quadrature split at the kinks).
* ``cardinal_rl_mp``: left RL derivative of the cardinal B-spline phi_p by its truncated-power sum
  at high precision (exact rational jumps, so mpmath at 30+ digits is reliable even far away).
* ``bspline_jumps``: exact rational jump form of any B-spline on a knot vector (fractions).
* ``riesz_bspline_mp``: (L B)(x) for any B-spline from the jump form at high precision.
* ``toeplitz_mp``: a_k = psi_{p,alpha}((p+1)/2 + k).
* ``symbol_series_mp``: the defining Poisson series of the symbol, summed with mpmath.nsum.
* ``dense_matrix_mp``: the collocation matrix entry by entry.
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction

import mpmath as mp


def c_alpha_mp(alpha):
    alpha = mp.mpf(alpha)
    return 1 / (2 * mp.cos(mp.pi * alpha / 2))


def hypersingular_const_mp(alpha):
    a = mp.mpf(alpha)
    return a * 2 ** (a - 1) * mp.gamma((1 + a) / 2) / (mp.sqrt(mp.pi) * mp.gamma(1 - a / 2))


def hypersingular_mp(u, x, alpha, dps=30):
    """L u(x) for u supported in [0, 1] (u a mpmath-callable on [0, 1]; zero outside).

    The second difference 2u(x) - u(x+z) - u(x-z) ~ z^2 is evaluated with 2 log10(1/z) extra
    digits (it cancels catastrophically for tiny z), and the z^(1-alpha) endpoint singularity is
    removed by z = w^m, m = 1/(2 - alpha).
    """
    with mp.workdps(dps + 10):
        xs = mp.mpf(x)
        a = mp.mpf(alpha)

        def ue(t):
            return u(t) if 0 <= t <= 1 else mp.mpf(0)

        def integrand(z):
            # the difference is O(z^2): carry 2 log10(1/z) extra digits
            extra = int(2 * max(0, -mp.log10(z))) + 10 if z > 0 else 0
            with mp.workdps(dps + 10 + extra):
                zz = +z
                d = 2 * ue(xs) - ue(xs + zz) - ue(xs - zz)
            return d * z ** (-1 - a)

        z1, z2 = sorted([xs, 1 - xs])
        # the z^(1-alpha) endpoint singularity: substitute z = w^m, m = 1/(2-alpha), on [0, z1]
        m = 1 / (2 - a)
        val = mp.quad(lambda w: integrand(w**m) * m * w ** (m - 1), [0, z1 ** (1 / m)])
        if z2 > z1:
            val += mp.quad(integrand, [z1, z2])
        val += 2 * ue(xs) * z2 ** (-a) / a
        return hypersingular_const_mp(a) * val


def cardinal_rl_mp(x, p, alpha):
    """Left RL derivative (from -inf) of phi_p at x, truncated-power sum, at the current precision."""
    x = mp.mpf(x)
    a = mp.mpf(alpha)
    s = mp.mpf(0)
    for k in range(p + 2):
        if x > k:
            s += (-1) ** k * math.comb(p + 1, k) * (x - k) ** (p - a)
    return s / mp.gamma(p + 1 - a)


def psi_mp(x, p, alpha, dps=40):
    with mp.workdps(dps + 2 * p + 10):
        x = mp.mpf(x)
        return c_alpha_mp(alpha) * (cardinal_rl_mp(x, p, alpha) + cardinal_rl_mp(p + 1 - x, p, alpha))


def toeplitz_mp(k, p, alpha, dps=40):
    return psi_mp(mp.mpf(p + 1) / 2 + k, p, alpha, dps)


def open_uniform_knots_exact(p, n):
    """Knot vector (Fractions) of the open uniform knots on [0, 1] with n elements."""
    return [Fraction(0)] * p + [Fraction(i, n) for i in range(n + 1)] + [Fraction(1)] * p


def _poly_mul(a, b):
    out = [Fraction(0)] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            out[i + j] += x * y
    return out


def bspline_pieces(knots, p, j):
    """Polynomial pieces (ascending monomial coefficients in x, exact) of B_{j,p} on each knot span.

    Returns dict span_index -> coefficient list, via the Cox-de Boor recursion on exact rationals.
    """
    nk = len(knots)

    def rec(i, q):
        if q == 0:
            return {i: [Fraction(1)]} if knots[i] < knots[i + 1] else {}
        out = {}
        d1 = knots[i + q] - knots[i]
        if d1 != 0:
            for s, c in rec(i, q - 1).items():
                # (x - t_i)/d1 * c
                term = _poly_mul([-knots[i] / d1, 1 / d1], c)
                out[s] = _add(out.get(s), term)
        d2 = knots[i + q + 1] - knots[i + 1]
        if d2 != 0:
            for s, c in rec(i + 1, q - 1).items():
                term = _poly_mul([knots[i + q + 1] / d2, -1 / d2], c)
                out[s] = _add(out.get(s), term)
        return out

    assert j + p + 1 < nk
    return rec(j, p)


def _add(a, b):
    if a is None:
        return list(b)
    n = max(len(a), len(b))
    a = a + [Fraction(0)] * (n - len(a))
    b = b + [Fraction(0)] * (n - len(b))
    return [x + y for x, y in zip(a, b)]


def _derivs_at(c, x, p):
    """Derivatives 0..p of the polynomial with coefficients c at x (exact)."""
    out = []
    cc = list(c)
    for _ in range(p + 1):
        out.append(sum(ci * x**i for i, ci in enumerate(cc)) if cc else Fraction(0))
        cc = [i * cc[i] for i in range(1, len(cc))]
    return out


def bspline_jumps(knots, p, j):
    """Exact jump data [(x_k, [J_{k,0..p}])] of B_{j,p}: J_r = B^(r)(x_k+) - B^(r)(x_k-)."""
    pieces = bspline_pieces(knots, p, j)
    distinct = sorted(set(knots[j : j + p + 2]))
    span_of = {}
    for s in pieces:
        span_of[knots[s]] = s  # span starting at knots[s]
    out = []
    zero = [Fraction(0)] * (p + 1)
    for xk in distinct:
        right = _derivs_at(pieces[span_of[xk]], xk, p) if xk in span_of else zero
        left_span = [s for s in pieces if knots[s + 1] == xk and knots[s] < xk]
        left = _derivs_at(pieces[left_span[0]], xk, p) if left_span else zero
        out.append((xk, [r - l for r, l in zip(right, left)]))
    return out


def riesz_bspline_mp(jumps, x, alpha, p, dps=40):
    """(L B)(x) from exact jumps: c_alpha [sum J (x-x_k)_+^(r-a)/G(r+1-a) + sum K (x_k-x)_+^(r-a)/G(r+1-a)].

    K_{k,r} = (-1)^r (B^(r)(x_k-) - B^(r)(x_k+)) = (-1)^(r+1) J_{k,r}.
    """
    with mp.workdps(dps + 3 * p + 15):
        x = mp.mpf(x) if not isinstance(x, Fraction) else mp.mpf(x.numerator) / x.denominator
        a = mp.mpf(alpha)
        left = mp.mpf(0)
        right = mp.mpf(0)
        for xk, J in jumps:
            xkm = mp.mpf(xk.numerator) / xk.denominator
            for r, jr in enumerate(J):
                if jr == 0:
                    continue
                jv = mp.mpf(jr.numerator) / jr.denominator
                g = mp.gamma(r + 1 - a)
                if x > xkm:
                    left += jv * (x - xkm) ** (r - a) / g
                if x < xkm:
                    right += (-1) ** (r + 1) * jv * (xkm - x) ** (r - a) / g
        return c_alpha_mp(a) * (left + right)


def greville_exact(knots, p, i):
    return sum(knots[i + 1 : i + p + 1], Fraction(0)) / p


def matrix_entry_mp(p, n, alpha, i, j, dps=40):
    """A[i, j] (0-based over the retained splines 1..n+p-2 of the full basis) at high precision."""
    knots = open_uniform_knots_exact(p, n)
    jumps = bspline_jumps(knots, p, j + 1)
    return riesz_bspline_mp(jumps, greville_exact(knots, p, i + 1), alpha, p, dps)


def symbol_series_mp(theta, p, alpha, dps=30):
    """f(theta) = sum_j |theta + 2 pi j|^alpha (sin(theta/2 + j pi)/(theta/2 + j pi))^(p+1), 0 < theta < 2 pi.

    Split into j >= 0 and j <= -1 (each term analytic in j). For odd p all terms are positive
    (Levin u-transform); for even p they alternate (alternating-series acceleration).
    """
    with mp.workdps(dps + 10):
        t = mp.mpf(theta)
        a = mp.mpf(alpha)
        sh = mp.sin(t / 2)

        def pos(j):
            u = t / 2 + j * mp.pi
            return (2 * u) ** a * (sh / u) ** (p + 1) * (1 if p % 2 else (-1) ** int(j))

        def neg(j):  # index -j, j >= 1
            u = j * mp.pi - t / 2
            return (2 * u) ** a * (sh / u) ** (p + 1) * (1 if p % 2 else (-1) ** (int(j) + 1))

        method = "levin" if p % 2 else "alternating"
        if p % 2:
            return mp.nsum(lambda j: pos(j), [0, mp.inf], method=method) + mp.nsum(
                lambda j: neg(j), [1, mp.inf], method=method
            )
        return mp.nsum(pos, [0, mp.inf], method=method) + mp.nsum(neg, [1, mp.inf], method=method)


def symbol_hurwitz_mp(theta, p, alpha, dps=30):
    with mp.workdps(dps + 10):
        th = mp.mpf(theta)
        a = mp.mpf(alpha)
        s = p + 1 - a
        x = th / (2 * mp.pi)
        if p % 2:
            z = mp.zeta(s, x) + mp.zeta(s, 1 - x)
            return (2 * mp.sin(th / 2)) ** (p + 1) * (2 * mp.pi) ** (-s) * z
        z = mp.zeta(s, x / 2) - mp.zeta(s, (1 + x) / 2) + mp.zeta(s, (1 - x) / 2) - mp.zeta(s, 1 - x / 2)
        return (2 * mp.sin(th / 2)) ** (p + 1) * (4 * mp.pi) ** (-s) * z


def dense_matrix_naive(degree, n, alpha, interval=(0.0, 1.0)):
    """A[i, j] = (L B_{j+1})(xi_{i+1}) from the shared layer's fractional derivatives of the
    whole basis at every point (O(N^2) evaluations, no Toeplitz/low-rank split)."""
    import numpy as np

    from specnum.bases.bsplines import BSplineBasis, open_uniform_knots

    basis = BSplineBasis(open_uniform_knots(degree, n, interval), degree)
    pts = basis.greville()[1:-1]
    c = 0.5 / np.cos(0.5 * np.pi * alpha)
    vals = basis.fractional_derivative(pts, alpha, "left") + basis.fractional_derivative(pts, alpha, "right")
    return c * vals[:, 1:-1]


def tau_dense(eigs):
    """S diag(eigs) S with the explicit orthonormal DST-I matrix S_jk = sqrt(2/(N+1)) sin(jk pi/(N+1))."""
    import numpy as np

    size = len(eigs)
    j = np.arange(1, size + 1)
    s = np.sqrt(2.0 / (size + 1)) * np.sin(np.outer(j, j) * np.pi / (size + 1))
    return s @ np.diag(eigs) @ s


# ---------------------------------------------------------------------------------------------
# weighted Jacobi series (independent of specnum.riesz.jacobi: standard Jacobi normalisation,
# Gauss-Jacobi nodes polished by Newton's method in mpmath)


def jacobi_all_mp(n, a, b, x):
    """[P_0^(a,b)(x), ..., P_n^(a,b)(x)] by the standard three-term recurrence (mpmath)."""
    out = [mp.mpf(1)]
    if n == 0:
        return out
    out.append((a + 1) + (a + b + 2) * (x - 1) / 2)
    for k in range(1, n):
        c = 2 * k + a + b
        num = (c + 1) * ((c + 2) * c * x + a * a - b * b) * out[k] - 2 * (k + a) * (k + b) * (c + 2) * out[k - 1]
        out.append(num / (2 * (k + 1) * (k + a + b + 1) * c))
    return out


def gauss_jacobi_mp(n, a, b, dps=40):
    """Gauss-Jacobi nodes and weights for (1-x)^a (1+x)^b at ``dps`` digits (cached per arguments).

    Newton's method on P_n^(a,b) (derivative (n+a+b+1)/2 P_{n-1}^(a+1,b+1)) from scipy's float
    nodes; weights ``2^(a+b+1) Gamma(n+a+1) Gamma(n+b+1) / (Gamma(n+a+b+1) n! (1-x^2) P_n'(x)^2)``.
    For ``a == b`` the rule is symmetric: only the nodes ``x <= 0`` are polished.
    """
    return _gauss_jacobi_mp(int(n), str(mp.mpf(a)), str(mp.mpf(b)), int(dps))


@functools.lru_cache(maxsize=16)
def _gauss_jacobi_mp(n, a, b, dps):
    from scipy.special import roots_jacobi

    with mp.workdps(dps + 10):
        a = mp.mpf(a)
        b = mp.mpf(b)
        x0, _ = roots_jacobi(n, float(a), float(b))
        symmetric = a == b
        const = 2 ** (a + b + 1) * mp.gamma(n + a + 1) * mp.gamma(n + b + 1) / (mp.gamma(n + a + b + 1)
                                                                               * mp.factorial(n))
        nodes, weights = [], []
        for i, xi in enumerate(x0):
            if symmetric and i >= (n + 1) // 2:
                j = n - 1 - i
                nodes.append(-nodes[j])
                weights.append(weights[j])
                continue
            x = mp.mpf(xi)
            for _ in range(50):
                p = jacobi_all_mp(n, a, b, x)[-1]
                dp = (n + a + b + 1) / 2 * jacobi_all_mp(n - 1, a + 1, b + 1, x)[-1]
                step = p / dp
                x -= step
                if abs(step) < mp.mpf(10) ** (-dps - 3):
                    break
            if symmetric and n % 2 == 1 and i == n // 2:
                x = mp.mpf(0)
            dp = (n + a + b + 1) / 2 * jacobi_all_mp(n - 1, a + 1, b + 1, x)[-1]
            nodes.append(x)
            weights.append(const / ((1 - x * x) * dp * dp))
        return nodes, weights


def riesz_jacobi_series_mp(f, alpha, points, interval=(0, 1), reaction=None, nodes=80, terms=60, dps=30):
    """u(x) at ``points`` for -d^alpha u/d|x|^alpha (+ c u) = f on ``interval`` by the weighted Jacobi series.

    u = (1-t^2)^s sum_k u_k P_k^(s,s)(t), s = alpha/2, t = (2x-a-b)/(b-a), with
    L[(1-t^2)^s P_k] = (2/(b-a))^alpha Gamma(2s+k+1)/k! P_k (Dyda), f_k = (1/h_k) int f P_k (1-t^2)^s dt
    and h_k = 2^(2s+1) Gamma(k+s+1)^2 / ((2k+2s+1) k! Gamma(k+2s+1)). Without ``reaction``,
    u_k = f_k / lambda_k; with a callable ``reaction`` c (mpmath), the Petrov-Galerkin system
    lambda_j h_j u_j + sum_k u_k int c (1-t^2)^(2s) P_j P_k dt = h_j f_j is solved with mp.lu_solve.
    ``f`` (and ``reaction``) take and return mpmath numbers; quadrature by :func:`gauss_jacobi_mp`.
    """
    with mp.workdps(dps + 10):
        a, b = (mp.mpf(v) for v in interval)
        s = mp.mpf(alpha) / 2
        scale = (2 / (b - a)) ** mp.mpf(alpha)
        tq, wq = gauss_jacobi_mp(nodes, s, s, dps + 5)
        xq = [(a + b) / 2 + (b - a) / 2 * t for t in tq]
        pq = [jacobi_all_mp(terms - 1, s, s, t) for t in tq]
        fv = [f(x) for x in xq]
        h = [2 ** (2 * s + 1) * mp.gamma(k + s + 1) ** 2 / ((2 * k + 2 * s + 1) * mp.factorial(k)
                                                          * mp.gamma(k + 2 * s + 1)) for k in range(terms)]
        lam = [scale * mp.gamma(2 * s + k + 1) / mp.factorial(k) for k in range(terms)]
        fk = [sum(w * v * p[k] for w, v, p in zip(wq, fv, pq)) / h[k] for k in range(terms)]
        if reaction is None:
            uk = [fk[k] / lam[k] for k in range(terms)]
        else:
            t2, w2 = gauss_jacobi_mp(nodes, 2 * s, 2 * s, dps + 5)
            p2 = [jacobi_all_mp(terms - 1, s, s, t) for t in t2]
            cv = [reaction((a + b) / 2 + (b - a) / 2 * t) for t in t2]
            mat = mp.matrix(terms, terms)
            for j in range(terms):
                for k in range(terms):
                    mat[j, k] = sum(w * c * p[j] * p[k] for w, c, p in zip(w2, cv, p2))
                mat[j, j] += lam[j] * h[j]
            uk = list(mp.lu_solve(mat, mp.matrix([h[j] * fk[j] for j in range(terms)])))
        out = []
        for x in points:
            x = mp.mpf(x)
            if not a < x < b:
                out.append(mp.mpf(0))
                continue
            t = (2 * x - a - b) / (b - a)
            pk = jacobi_all_mp(terms - 1, s, s, t)
            out.append((4 * (x - a) * (b - x) / (b - a) ** 2) ** s * sum(u * p for u, p in zip(uk, pk)))
        return out
