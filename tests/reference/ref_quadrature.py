"""Slow, obviously correct twins of specnum.bases.quadrature in mpmath.

Gauss-Jacobi nodes: Newton's method on the Jacobi polynomial evaluated by
its standard (monic-free) three-term recurrence at ``mp.dps = 40``, started
from the float64 Chebyshev-like guesses and iterated to convergence; weights
by the classical closed form

    w_j = Gamma(n+a+1) Gamma(n+b+1) / (Gamma(n+a+b+1) n!) * 2^(a+b+1)
          / ((1 - x_j^2) P_n'(x_j)^2).

Lobatto and Radau follow from their closed forms; Clenshaw-Curtis weights by
the O(n^2) cosine sum. All functions return lists of mpmath numbers on
[-1, 1], ascending.
"""

from __future__ import annotations

import mpmath as mp

__all__ = [
    "jacobi_mass_mp",
    "jacobi_p_and_derivative",
    "ref_gauss_jacobi",
    "ref_gauss_legendre",
    "ref_gauss_lobatto",
    "ref_gauss_radau",
    "ref_clenshaw_curtis",
]

DPS = 40


def jacobi_p_and_derivative(n, a, b, x):
    """Return ``(P_n^{(a,b)}(x), d/dx P_n^{(a,b)}(x))`` (standard normalisation)."""
    if n == 0:
        return mp.mpf(1), mp.mpf(0)
    p0 = mp.mpf(1)
    p1 = (a - b) / 2 + (a + b + 2) * x / 2
    for k in range(2, n + 1):
        c = 2 * k + a + b
        a1 = 2 * k * (k + a + b) * (c - 2)
        a2 = (c - 1) * (a * a - b * b)
        a3 = (c - 2) * (c - 1) * c
        a4 = 2 * (k + a - 1) * (k + b - 1) * c
        p0, p1 = p1, ((a2 + a3 * x) * p1 - a4 * p0) / a1
    # derivative: d/dx P_n^{(a,b)} = (n + a + b + 1)/2 * P_{n-1}^{(a+1,b+1)}
    if n >= 1:
        q = _jacobi_value(n - 1, a + 1, b + 1, x)
        return p1, (n + a + b + 1) * q / 2
    return p1, mp.mpf(0)


def _jacobi_value(n, a, b, x):
    if n == 0:
        return mp.mpf(1)
    p0 = mp.mpf(1)
    p1 = (a - b) / 2 + (a + b + 2) * x / 2
    for k in range(2, n + 1):
        c = 2 * k + a + b
        a1 = 2 * k * (k + a + b) * (c - 2)
        a2 = (c - 1) * (a * a - b * b)
        a3 = (c - 2) * (c - 1) * c
        a4 = 2 * (k + a - 1) * (k + b - 1) * c
        p0, p1 = p1, ((a2 + a3 * x) * p1 - a4 * p0) / a1
    return p1


def ref_gauss_jacobi(n, a, b, guesses, dps=DPS):
    """Gauss-Jacobi rule by Newton in mpmath from float ``guesses`` (ascending), at ``dps`` digits."""
    with mp.workdps(dps):
        a = mp.mpf(a)
        b = mp.mpf(b)
        xs = []
        for g in guesses:
            x = mp.mpf(float(g))
            for _ in range(100):
                p, dp = jacobi_p_and_derivative(n, a, b, x)
                step = p / dp
                x -= step
                if abs(step) < mp.mpf(10) ** (-dps + 2):
                    break
            else:  # pragma: no cover
                raise RuntimeError("Newton did not converge in the mpmath reference")
            xs.append(x)
        const = (
            mp.gamma(n + a + 1) * mp.gamma(n + b + 1) / (mp.gamma(n + a + b + 1) * mp.factorial(n))
            * mp.power(2, a + b + 1)
        )
        ws = []
        for x in xs:
            _, dp = jacobi_p_and_derivative(n, a, b, x)
            ws.append(const / ((1 - x * x) * dp * dp))
        if len(set(mp.nstr(x, 30) for x in xs)) != len(xs):  # pragma: no cover
            raise RuntimeError("Newton converged to a repeated root in the mpmath reference")
        return xs, ws


def jacobi_mass_mp(a, b):
    """``int_{-1}^{1} (1-x)^a (1+x)^b dx = 2^(a+b+1) Gamma(a+1) Gamma(b+1) / Gamma(a+b+2)`` at ``DPS`` digits."""
    with mp.workdps(DPS):
        a, b = mp.mpf(a), mp.mpf(b)
        return 2 ** (a + b + 1) * mp.gamma(a + 1) * mp.gamma(b + 1) / mp.gamma(a + b + 2)


def ref_gauss_legendre(n, guesses):
    return ref_gauss_jacobi(n, 0, 0, guesses)


def ref_gauss_lobatto(n, guesses_interior):
    """Lobatto nodes: -1, roots of P'_{n-1} (Jacobi(1,1) of degree n-2), 1."""
    with mp.workdps(DPS):
        xi, _ = ref_gauss_jacobi(n - 2, 1, 1, guesses_interior) if n > 2 else ([], [])
        xs = [mp.mpf(-1), *xi, mp.mpf(1)]
        ws = [mp.mpf(2) / (n * (n - 1) * _jacobi_value(n - 1, mp.mpf(0), mp.mpf(0), x) ** 2) for x in xs]
        return xs, ws


def ref_gauss_radau(n, guesses_interior):
    """Left Radau: -1 and the roots of P^{(0,1)}_{n-1}; w = (1-x)/(n^2 P_{n-1}(x)^2), w_0 = 2/n^2."""
    with mp.workdps(DPS):
        xi, _ = ref_gauss_jacobi(n - 1, 0, 1, guesses_interior) if n > 1 else ([], [])
        xs = [mp.mpf(-1), *xi]
        ws = [mp.mpf(2) / n**2]
        for x in xi:
            ws.append((1 - x) / (n * n * _jacobi_value(n - 1, mp.mpf(0), mp.mpf(0), x) ** 2))
        return xs, ws


def ref_clenshaw_curtis(n):
    """Clenshaw-Curtis by the direct cosine sum (Trefethen, ATAP ch. 19 / Waldvogel eq. 2.4)."""
    with mp.workdps(DPS):
        if n == 1:
            return [mp.mpf(0)], [mp.mpf(2)]
        m = n - 1
        xs = [-mp.cos(mp.pi * j / m) for j in range(n)]
        ws = []
        for j in range(n):
            theta = mp.pi * j / m
            s = mp.mpf(0)
            for k in range(1, m // 2 + 1):
                bk = 1 if (2 * k == m) else 2
                s +=  mp.mpf(bk) / (4 * k * k - 1) * mp.cos(2 * k * theta)
            cj = 1 if j in (0, m) else 2
            ws.append(cj * (1 - s) / m)
        return xs, ws
