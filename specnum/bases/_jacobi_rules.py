"""Gauss-Jacobi rules on [-1, 1] to a few eps (internal to specnum.bases.quadrature).

Nodes start from :func:`scipy.special.roots_jacobi`, take one float64 Newton
step on the orthonormal three-term recurrence and one final step with the
recurrence evaluated in double-double arithmetic (:mod:`._quadrature_kernels`);
the weights use the Christoffel-Darboux formula at the correctly rounded
recurrence values.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import scipy.special

from specnum.bases._quadrature_kernels import jacobi_coefficients_dd, jacobi_eval_dd

__all__ = ["gauss_jacobi_reference"]


def _jacobi_recurrence(n: int, alpha: float, beta: float) -> tuple[np.ndarray, np.ndarray, float]:
    """Coefficients of the orthonormal Jacobi recurrence.

    ``b[k+1] p_{k+1} = (x - a[k]) p_k - b[k] p_{k-1}`` for ``k = 0..n-1`` with
    ``p_0 = 1/sqrt(mu0)``; ``a`` has length ``n``, ``b`` length ``n + 1``
    (``b[0] = 0``) and ``mu0 = int_{-1}^{1} (1-x)^alpha (1+x)^beta dx``.
    """
    s = alpha + beta
    k = np.arange(n, dtype=np.float64)
    a = np.empty(n)
    a[0] = (beta - alpha) / (s + 2.0)
    if n > 1:
        kk = k[1:]
        a[1:] = (beta * beta - alpha * alpha) / ((2 * kk + s) * (2 * kk + s + 2))
    b = np.zeros(n + 1)
    if n >= 1:
        b[1] = math.sqrt(4.0 * (1 + alpha) * (1 + beta) / ((2 + s) ** 2 * (3 + s)))
    if n >= 2:
        kk = np.arange(2, n + 1, dtype=np.float64)
        c = 2 * kk + s
        b[2:] = np.sqrt(4 * kk * (kk + alpha) * (kk + beta) * (kk + s) / (c * c * (c + 1) * (c - 1)))
    log_mu0 = (
        (s + 1) * math.log(2.0)
        + math.lgamma(alpha + 1)
        + math.lgamma(beta + 1)
        - math.lgamma(s + 2)
    )
    return a, b, math.exp(log_mu0)


def _eval_orthonormal(x: np.ndarray, n: int, a: np.ndarray, b: np.ndarray, mu0: float):
    """Return ``p_n, p_n', p_{n-1}, p_{n-1}'`` at ``x`` (orthonormal Jacobi)."""
    p_prev = np.zeros_like(x)
    dp_prev = np.zeros_like(x)
    p = np.full_like(x, 1.0 / math.sqrt(mu0))
    dp = np.zeros_like(x)
    for k in range(n):
        p_next = ((x - a[k]) * p - b[k] * p_prev) / b[k + 1]
        dp_next = (p + (x - a[k]) * dp - b[k] * dp_prev) / b[k + 1]
        p_prev, p, dp_prev, dp = p, p_next, dp, dp_next
    return p, dp, p_prev, dp_prev


def _eval_dd(x: np.ndarray, n: int, coeffs: tuple, mu0: float):
    out = np.empty((4, x.size))
    jacobi_eval_dd(np.ascontiguousarray(x), n, *coeffs, mu0, out)
    return out[0], out[1], out[2], out[3]


@lru_cache(maxsize=64)
def gauss_jacobi_reference(n: int, alpha: float, beta: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gauss-Jacobi rule on [-1, 1]: nodes, weights and the final Newton step.

    Newton's method in float64 polishes scipy's nodes; the recurrence is then
    evaluated once in double-double arithmetic (:mod:`._quadrature_kernels`),
    so p_n, p_n' and p_{n-1} are correctly rounded even near the endpoints.
    That gives an accurate last Newton step (applied to the node) and the
    Christoffel-Darboux weight ``1/(b_n p_n'(x) p_{n-1}(x))``, moved to the
    exact root to first order in the step. For alpha == beta only the left
    half is evaluated and mirrored, so the rule is exactly symmetric.
    The last output ``delta`` is that (unapplied) step: the exact root is
    ``x + delta`` to second order; callers dividing by ``1 -+ x`` use it.
    """
    a, b, mu0 = _jacobi_recurrence(n, alpha, beta)
    x0, _ = scipy.special.roots_jacobi(n, alpha, beta)
    x = np.sort(np.asarray(x0, dtype=np.float64))
    p, dp, _, _ = _eval_orthonormal(x, n, a, b, mu0)  # one float64 Newton step
    x = np.clip(x - p / dp, -1.0, 1.0)
    coeffs = (np.empty((2, n)), np.empty((2, n + 1)), np.empty((2, n + 1)))
    jacobi_coefficients_dd(n, alpha, beta, *coeffs)
    mu0 = float(2.0 ** (alpha + beta + 1.0) * scipy.special.beta(alpha + 1.0, beta + 1.0))
    symmetric = alpha == beta
    half = (n + 1) // 2
    xe = x[:half] if symmetric else x  # by symmetry only the left half is needed
    p, dp, q, dq = _eval_dd(xe, n, coeffs, mu0)
    delta = -p / dp  # accurate Newton step: the exact root is xe + delta to O(delta^2)
    # second derivative of p_n from the Jacobi differential equation
    one_m_x2 = (1.0 - xe) * (1.0 + xe)
    d2p = -((beta - alpha - (alpha + beta + 2.0) * xe) * dp + n * (n + alpha + beta + 1.0) * p) / one_m_x2
    # Christoffel-Darboux weight at xe, moved to the exact root to first order
    w = 1.0 / ((coeffs[1][0, n] + coeffs[1][1, n]) * dp * q)
    w = w * (1.0 - (d2p / dp + dq / q) * delta)
    xn = xe + delta  # the node rounded from the exact root
    delta = delta - (xn - xe)  # what remains between the stored node and the root
    if symmetric:
        m = n // 2
        if n % 2 == 1:
            xn[-1], delta[-1] = 0.0, 0.0
        xn = np.concatenate([xn, -xn[:m][::-1]])
        w = np.concatenate([w, w[:m][::-1]])
        delta = np.concatenate([delta, -delta[:m][::-1]])
    x = xn
    for arr in (x, w, delta):
        arr.setflags(write=False)
    return x, w, delta
