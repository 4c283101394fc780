"""Gauss-Jacobi rules on [-1, 1] to a few eps (internal to specnum.bases.quadrature).

Nodes start from the eigenvalues of the Jacobi matrix
(:func:`scipy.linalg.eigvalsh_tridiagonal`), take one float64 Newton step on
the orthonormal three-term recurrence and one final step with the recurrence
evaluated in double-double arithmetic (:mod:`._quadrature_kernels`); the
weights use the Christoffel-Darboux formula at the correctly rounded
recurrence values. The total mass ``mu0`` comes from Gamma functions with
arguments reduced to ``[1, 2)`` and the rising products kept in double-double,
so it is accurate to a few eps for every admissible ``alpha, beta``; all
values carry a separate power-of-two exponent and never overflow.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import scipy.linalg
import scipy.special

from specnum.bases._quadrature_kernels import jacobi_coefficients_dd, jacobi_eval_dd, jacobi_mass_dd

__all__ = ["gauss_jacobi_reference", "jacobi_mass", "JACOBI_EXPONENT_MAX"]

#: Largest Jacobi exponent accepted: beyond it the weight is a Gaussian of width
#: ``~ 1/sqrt(alpha + beta)`` to within rounding (use a Gauss-Hermite rule), and the
#: mass costs ``O(alpha + beta)`` work.
JACOBI_EXPONENT_MAX = 1.0e6

_NEAR_SINGULAR = 1e-3  # exponents closer than this to -1 take their end weight from the moments
_MAX_DD_NEWTON = 40  # Newton steps in double-double for nodes next to a nearly singular end
_RESCALE = 400  # the float64 recurrence is rescaled by 2**-400 when it exceeds 2**400
_BIG = 2.0**_RESCALE


@lru_cache(maxsize=64)
def jacobi_mass(alpha: float, beta: float) -> tuple[float, int]:
    """``mu0 = int_{-1}^{1} (1-x)^alpha (1+x)^beta dx = m * 2**e``, ``e`` even, ``0.5 <= m < 2``.

    ``mu0 = 2^(alpha+beta+1) Gamma(alpha+1) Gamma(beta+1) / Gamma(alpha+beta+2)``; the
    Gamma functions are evaluated at reduced arguments in ``[1, 2)`` (about one ulp
    each), the rising products and the power of two exactly (double-double with a
    binary exponent), so ``m`` is accurate to a few eps and ``e`` is exact even when
    ``mu0`` itself is far outside the float64 range.
    """
    parts = np.empty(12)
    jacobi_mass_dd(float(alpha), float(beta), parts)
    x0h, x0l, y0h, y0l, z0h, z0l, fh, fl, k, rh, rl, re = parts

    def gamma_dd(h: float, lo: float) -> float:  # Gamma(h + lo), |lo| <= ulp(h)
        return float(scipy.special.gamma(h)) * (1.0 + float(scipy.special.digamma(h)) * lo)

    g = gamma_dd(x0h, x0l) * gamma_dd(y0h, y0l) / gamma_dd(z0h, z0l)
    two_f = 2.0**fh * (1.0 + math.log(2.0) * fl)
    m, e = math.frexp(g * two_f * (rh + rl))
    e += int(k) + int(re)
    if e % 2:
        m, e = 2.0 * m, e - 1
    return m, e


def _jacobi_recurrence(n: int, alpha: float, beta: float) -> tuple[np.ndarray, np.ndarray]:
    """Coefficients of the orthonormal Jacobi recurrence.

    ``b[k+1] p_{k+1} = (x - a[k]) p_k - b[k] p_{k-1}`` for ``k = 0..n-1``;
    ``a`` has length ``n``, ``b`` length ``n + 1`` (``b[0] = 0``). The diagonal
    ``a`` and off-diagonal ``b[1:n]`` form the Jacobi matrix whose eigenvalues
    are the Gauss nodes.
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
    return a, b


def _newton_step(x: np.ndarray, n: int, a: np.ndarray, b: np.ndarray, mu0: float) -> np.ndarray:
    """``p_n(x) / p_n'(x)`` by the float64 recurrence (orthonormal Jacobi, ``p_0 = 1/sqrt(mu0)``).

    The running values are rescaled by an exact power of two whenever they exceed
    ``2**400``, so the ratio stays finite where ``p_n`` itself would overflow.
    """
    p_prev = np.zeros_like(x)
    dp_prev = np.zeros_like(x)
    p = np.full_like(x, 1.0 / math.sqrt(mu0))
    dp = np.zeros_like(x)
    for k in range(n):
        p_next = ((x - a[k]) * p - b[k] * p_prev) / b[k + 1]
        dp_next = (p + (x - a[k]) * dp - b[k] * dp_prev) / b[k + 1]
        p_prev, p, dp_prev, dp = p, p_next, dp, dp_next
        big = np.maximum(np.abs(p), np.abs(dp)) > _BIG
        if big.any():
            for arr in (p_prev, p, dp_prev, dp):
                arr[big] *= 2.0**-_RESCALE
    return p / dp


def _two_sum(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``s + e == a + b`` exactly with ``s = fl(a + b)`` (Knuth's TwoSum, elementwise)."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _eval_dd(x: np.ndarray, x_lo: np.ndarray, n: int, coeffs: tuple, mu0: float):
    """``p_n, p_n', p_{n-1}, p_{n-1}'`` at ``x + x_lo`` (double-double) and their common binary exponent."""
    out = np.empty((5, x.size))
    jacobi_eval_dd(np.ascontiguousarray(x), np.ascontiguousarray(x_lo), n, *coeffs, mu0, out)
    return out[0], out[1], out[2], out[3], out[4].astype(np.int64)


def _balance_end_weights(
    x: np.ndarray, w: np.ndarray, delta: np.ndarray, mu0: float, alpha: float, beta: float
) -> None:
    """Recompute end weights next to a nearly singular end from the exact moments (in place).

    As ``alpha`` (``beta``) approaches -1 the weight concentrates at ``x = 1``
    (``-1``) and the last (first) node lies ``d ~ (alpha + 1)/n**2`` from the end.
    The Christoffel-Darboux value there is evaluated at a double-double root whose
    argument carries an absolute error of about ``2**-100``, i.e. a relative error
    ``~2**-100 / d`` in the weight: negligible unless ``d < 2**-45``. Such a weight
    holds almost all of ``mu0`` and is taken instead as ``mu0`` minus the others
    (a few eps: the subtracted part is the smaller one). When both ends are that
    close, the first moment ``mu1 = mu0 (beta - alpha)/(alpha + beta + 2)`` splits
    the remainder (exactly in half when ``alpha == beta``), unless the smaller end
    weight is more accurate as it is than that split (cancellation
    ``~(w_0 + w_{n-1}) / w_small``).
    """
    cd_err = 2.0**-100
    eps = 2.0**-52
    d_right = (1.0 - x[-1]) - delta[-1]  # distance of the (double-double) root to its end
    d_left = (1.0 + x[0]) + delta[0]
    bad_right = alpha + 1.0 < _NEAR_SINGULAR and cd_err > eps / 8 * d_right
    bad_left = beta + 1.0 < _NEAR_SINGULAR and cd_err > eps / 8 * d_left
    if bad_left and bad_right:
        inner = slice(1, -1)
        rest0 = mu0 - math.fsum(w[inner])
        if alpha == beta:
            w[0] = w[-1] = 0.5 * rest0
            return
        small, d_small = (0, d_left) if w[0] < w[-1] else (-1, d_right)
        if cd_err / d_small > eps * (w[0] + w[-1]) / w[small]:
            mu1 = mu0 * (beta - alpha) / ((alpha + 1.0) + (beta + 1.0))
            rest1 = mu1 - math.fsum(w[inner] * x[inner])
            span = x[-1] - x[0]
            w[-1] = (rest1 - x[0] * rest0) / span
            w[0] = (x[-1] * rest0 - rest1) / span
            return
        bad_left, bad_right = small != 0, small == 0  # keep the small one, balance the big one
    if bad_right:
        w[-1] = mu0 - math.fsum(w[:-1])
    elif bad_left:
        w[0] = mu0 - math.fsum(w[1:])


def _newton_dd(r_hi: np.ndarray, r_lo: np.ndarray, n: int, coeffs: tuple, mu0: float, b_n: float):
    """Newton's method in double-double from the roots ``r_hi + r_lo`` until the step is below 1e-31.

    Returns the Christoffel-Darboux weights at the converged roots (scaled as in
    :func:`gauss_jacobi_reference`), the roots rounded to float64 and the
    remainders. Used for the few nodes next to a nearly singular end, where
    ``p_n`` varies on the scale of the distance to the end and one step from a
    float64 start does not reach the root to double-double accuracy.
    """
    for _ in range(_MAX_DD_NEWTON):
        p, dp, q, _, scale = _eval_dd(r_hi, r_lo, n, coeffs, mu0)
        step = -p / dp
        s, e = _two_sum(r_hi, step)
        r_hi, r_lo = _two_sum(s, e + r_lo)
        if np.all(np.abs(step) <= 2.0**-104 * np.maximum(np.abs(r_hi), 2.0**-900)):
            break
    w = np.ldexp(1.0 / (b_n * dp * q), -2 * scale)  # at the last point: within one tiny step of the root
    return w, r_hi, r_lo


@lru_cache(maxsize=64)
def gauss_jacobi_reference(
    n: int, alpha: float, beta: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Gauss-Jacobi rule on [-1, 1]: nodes, scaled weights, the final Newton step, the weight exponent.

    The weights are ``w * 2**e`` (``w`` sums to about 1, ``e`` is the exponent of
    :func:`jacobi_mass`), so a rule whose total weight lies outside the float64
    range is still represented exactly; callers apply ``2**e`` with the interval's
    Jacobian.

    Newton's method in float64 polishes the eigenvalues of the Jacobi matrix; the
    recurrence is then evaluated once in double-double arithmetic
    (:mod:`._quadrature_kernels`), so p_n, p_n' and p_{n-1} are correctly rounded
    even near the endpoints. That gives an accurate last Newton step ``delta``
    (applied to the node) and the Christoffel-Darboux weight
    ``1/(b_n p_n'(x) p_{n-1}(x))``, moved to the exact root to first order in the
    step. Where the step is not negligible against the distance to the nearest
    endpoint or neighbour (nodes within a few ulps of a singular end, as
    ``alpha`` or ``beta`` approach -1), the first order is not enough: Newton's
    method continues in double-double (:func:`_newton_dd`) and the weight is
    taken at the converged root; an end weight holding most of the mass is then
    recomputed from the exact moments (:func:`_balance_end_weights`). For
    alpha == beta only the left half is evaluated and mirrored, so the rule is
    exactly symmetric.
    The third output ``delta`` is what remains between the stored node and the
    root: the exact root is ``x + delta`` to second order; callers dividing by
    ``1 -+ x`` use it.
    """
    mu0, e = jacobi_mass(alpha, beta)  # the mass is mu0 * 2**e; the rule is built for mass mu0
    a, b = _jacobi_recurrence(n, alpha, beta)
    if n == 1:
        x = a.copy()
    else:
        x = scipy.linalg.eigvalsh_tridiagonal(a, b[1:n], lapack_driver="sterf")
    x = np.clip(x - _newton_step(x, n, a, b, mu0), -1.0, 1.0)  # one float64 Newton step
    coeffs = (np.empty((2, n)), np.empty((2, n + 1)), np.empty((2, n + 1)))
    jacobi_coefficients_dd(n, alpha, beta, *coeffs)
    b_n = coeffs[1][0, n] + coeffs[1][1, n]
    symmetric = alpha == beta
    half = (n + 1) // 2
    m_eval = half if symmetric else n  # by symmetry only the left half is needed
    xe = x[:m_eval]
    p, dp, q, dq, scale = _eval_dd(xe, np.zeros(m_eval), n, coeffs, mu0)
    step = -p / dp  # accurate Newton step: the exact root is xe + step to O(step^2)
    with np.errstate(divide="ignore", invalid="ignore"):  # nodes at +-1 are redone below
        # second derivative of p_n from the Jacobi differential equation
        one_m_x2 = (1.0 - xe) * (1.0 + xe)
        d2p = -((beta - alpha - (alpha + beta + 2.0) * xe) * dp + n * (n + alpha + beta + 1.0) * p) / one_m_x2
        # Christoffel-Darboux weight at xe, moved to the exact root to first order
        w = np.ldexp(1.0 / (b_n * dp * q), -2 * scale)
        w = w * (1.0 - (d2p / dp + dq / q) * step)
    xn, delta = _two_sum(xe, step)  # the node rounded from the root, and what remains
    # the first-order move is accurate to O((step / local scale)^2): redo where that is not below eps
    gaps = np.diff(x)
    local = np.minimum(1.0 - np.abs(x), np.minimum(np.r_[np.inf, gaps], np.r_[gaps, np.inf]))[:m_eval]
    redo = ~(np.abs(step) < 2.0**-30 * local)
    if redo.any():
        w[redo], xn[redo], delta[redo] = _newton_dd(xn[redo], delta[redo], n, coeffs, mu0, b_n)
        np.clip(xn, -1.0, 1.0, out=xn)
    if symmetric:
        m = n // 2
        if n % 2 == 1:
            xn[-1], delta[-1] = 0.0, 0.0
        xn = np.concatenate([xn, -xn[:m][::-1]])
        w = np.concatenate([w, w[:m][::-1]])
        delta = np.concatenate([delta, -delta[:m][::-1]])
    x = xn
    if n >= 2:
        _balance_end_weights(x, w, delta, mu0, alpha, beta)
    for arr in (x, w, delta):
        arr.setflags(write=False)
    return x, w, delta, e
