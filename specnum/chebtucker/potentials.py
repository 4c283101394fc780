"""Potentials of particle systems: long-range ChebTucker, short-range neighbour sums, direct sums.

Kernels ``K(r)`` (``kernel`` argument) and their range separation with parameter ``r0``:

* ``"newton"``: ``1/r = (2/sqrt(pi)) int_0^inf exp(-t^2 r^2) dt``;
* ``"yukawa"``: ``exp(-kappa r)/r = (2/sqrt(pi)) int_0^inf exp(-t^2 r^2 - kappa^2/(4 t^2)) dt``;
* ``"slater"``: ``exp(-kappa r) = (kappa/sqrt(pi)) int_0^inf t^-2 exp(-t^2 r^2 - kappa^2/(4 t^2)) dt``.

The long-range part ``L(r)`` is the integral over ``t in [0, 1/r0]`` (for Newton,
``erf(r/r0)/r``); it is entire in the coordinates, so Chebyshev interpolation
converges super-geometrically. The short-range part ``S = K - L`` decays like
``erfc(r/r0)`` and is summed over a neighbour list.

The long-range potential ``V(x) = sum_j q_j L(|x - x_j|)`` is built without the
``n^3 N`` direct sum (see :func:`long_range_potential`).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import scipy.special

from .._dask import is_dask_array, map_points
from .._validation import as_choice, as_float, as_int, check_budget
from ..bases import chebyshev
from ..errors import SpecnumWarning
from . import _kernels
from ._checks import (
    FLOAT_BYTES,
    KERNELS,
    box_bounds,
    check_box,
    check_inside,
    check_kernel,
    check_n,
    check_particles,
    check_resolution,
    check_rtol,
    check_targets,
)
from .algebra import coefficient_profile
from .format import ChebTucker
from .sourcegrid import gaussian_degree, source_grid
from .splitting import gaussian_quadrature, split_kernel, split_with_derivative
from .tucker import frobenius_norm, hosvd, mode_product, mode_svd, scale_exponent, tail_ranks

__all__ = [
    "KERNELS",
    "long_range_potential",
    "direct_potential",
    "direct_gradient",
    "short_range_potential",
    "total_potential",
    "coulomb_energy_forces",
    "direct_energy_forces",
    "EnergyForces",
    "split_kernel",
    "gaussian_quadrature",
]

# ------------------------------------------------------------- direct sums
def _direct(pos, q, tgt, kernel: str, r0: float, kappa: float, grad: bool, chunk: int = 65536):
    check_budget(f"{tgt.shape[0]} targets and {pos.shape[0]} sources",
                 memory=tgt.shape[0] * (4 if grad else 1) * FLOAT_BYTES,
                 work=30.0 * float(tgt.shape[0]) * float(pos.shape[0]))
    out = np.zeros((tgt.shape[0], 4 if grad else 1))
    code = _kernels.KERNEL_CODES[kernel]
    for s in range(0, tgt.shape[0], chunk):
        block = np.ascontiguousarray(tgt[s: s + chunk])
        res = np.zeros((block.shape[0], out.shape[1]))
        _kernels.direct_sum(pos, q, block, code, r0, kappa, grad, res)
        out[s: s + chunk] = res
    return out


def _direct_args(positions, charges, kernel, r0, kappa):
    pos, q = check_particles(positions, charges)
    kernel = as_choice(kernel, "kernel", tuple(_kernels.KERNEL_CODES))
    r0 = as_float(r0, "r0", low=1e-100, high=1e100)
    kappa = as_float(kappa, "kappa", low=0.0, high=1e100)
    return pos, q, kernel, r0, kappa


def direct_potential(positions, charges, targets, *, kernel: str = "newton", r0: float = 1.0,
                     kappa: float = 1.0) -> np.ndarray:
    """Direct sum ``V(x) = sum_j q_j K(|x - x_j|)`` at targets (the exact reference).

    Parameters
    ----------
    positions : array_like, shape (N, 3)
    charges : array_like, shape (N,)
    targets : array_like, shape (..., 3)
    kernel : {"newton", "erf", "erfc", "yukawa", "slater"}
        ``1/r``; its long-range part ``erf(r/r0)/r``; its short-range part
        ``erfc(r/r0)/r``; ``exp(-kappa r)/r``; ``exp(-kappa r)``.
    r0 : float in [1e-100, 1e100]
        Splitting radius of ``"erf"``/``"erfc"``.
    kappa : float
        Yukawa screening / Slater decay rate.

    Returns
    -------
    ndarray, shape (...)

    Notes
    -----
    Compiled ``O(M N)`` loop, parallel over targets, processed in chunks of 65536
    targets. Sources at distance 0 from a target are skipped for the singular
    kernels (``newton``, ``erfc``, ``yukawa``: the self term); ``erf`` and ``slater``
    use their finite values ``2/(sqrt(pi) r0)`` and 1.

    Examples
    --------
    >>> v = direct_potential([[0, 0, 0], [1, 0, 0]], [1.0, -1.0], [[0, 2, 0]])
    >>> print(round(float(v[0]), 12))
    0.052786404500
    """
    pos, q, kernel, r0, kappa = _direct_args(positions, charges, kernel, r0, kappa)
    if is_dask_array(targets):
        return map_points(lambda t: direct_potential(pos, q, t, kernel=kernel, r0=r0, kappa=kappa), targets, None,
                          np.float64)
    tgt, batch = check_targets(targets)
    return _direct(pos, q, tgt, kernel, r0, kappa, False)[:, 0].reshape(batch)


def direct_gradient(positions, charges, targets, *, kernel: str = "newton", r0: float = 1.0,
                    kappa: float = 1.0) -> np.ndarray:
    """Gradient of :func:`direct_potential` with respect to the target.

    Parameters
    ----------
    positions, charges, targets, kernel, r0, kappa
        As in :func:`direct_potential` (targets of shape ``(..., 3)``).

    Returns
    -------
    ndarray, shape (..., 3)
        ``grad V(x) = sum_j q_j K'(r_j) (x - x_j) / r_j`` (sources at distance 0 skipped for
        the singular kernels, as in :func:`direct_potential`).

    Raises
    ------
    ValueError, TypeError
        As :func:`direct_potential`.

    Examples
    --------
    >>> g = direct_gradient([[0, 0, 0]], [1.0], [[0, 2, 0]])  # -x / |x|^3
    >>> print((np.round(g[0], 12) + 0.0).tolist())  # (+ 0.0 turns -0.0 into 0.0)
    [0.0, -0.25, 0.0]
    """
    pos, q, kernel, r0, kappa = _direct_args(positions, charges, kernel, r0, kappa)
    tgt, batch = check_targets(targets)
    return _direct(pos, q, tgt, kernel, r0, kappa, True)[:, 1:].reshape(batch + (3,))


# ------------------------------------------------------- long-range ChebTucker
def long_range_potential(positions, charges, box, r0: float = 1.0, *, n=None, rtol: float = 1e-8,
                         kernel: str = "newton", kappa: float = 1.0, n_max: int = 1025,
                         method: str = "auto") -> ChebTucker:
    """Long-range potential of point charges as a ChebTucker, without the ``n^3 N`` direct sum.

    Parameters
    ----------
    positions : array_like, shape (N, 3)
        Particle positions (anywhere; usually inside the box).
    charges : array_like, shape (N,)
    box : ((a1, b1), (a2, b2), (a3, b3))
        Box of the result.
    r0 : float > 0
        Splitting radius: the result approximates
        ``V(x) = sum_j q_j erf(|x - x_j|/r0)/|x - x_j|`` (Newton; other kernels: the
        ``t <= 1/r0`` part of their Gaussian integral, see the module docstring).
    n : int, 3-tuple of int or None
        Chebyshev points per axis; None chooses them from the width ``r0`` of the
        narrowest Gaussian (coefficients below ``rtol/10``), capped at ``n_max`` with a
        ``SpecnumWarning``.
    rtol : float in (0, 1)
        Relative tolerance: Frobenius truncation of the coefficient tensor.
    kernel : {"newton", "yukawa", "slater"}
    kappa : float
        Yukawa screening / Slater decay rate.
    n_max : int
        Cap of the adaptive ``n``.
    method : {"auto", "spread", "interpolated", "cp"}
        How the charges reach the source Chebyshev grid (see Notes): ``"spread"``
        (local interpolation on a uniform grid, ``O(N P^3)``), ``"interpolated"``
        (global Chebyshev interpolation, ``O(N n_s^3)``), or ``"auto"`` (default: the
        one with the smaller operation count; ``"spread"`` for many particles).
        ``"cp"``: the literal CP route, ``N M`` rank-1 terms given to
        :meth:`ChebTucker.from_cp` (factor matrices ``n x N M``; for small N and checks).

    Returns
    -------
    ChebTucker

    Raises
    ------
    ValueError, TypeError
        Mismatched positions and charges, bad box, ``r0 <= 0``, ``rtol`` outside (0, 1).

    Notes
    -----
    Separable (CP) route. A composite Gauss-Legendre rule in ``t`` (see
    :func:`gaussian_quadrature`) gives ``L(r) ~= sum_m c_m exp(-t_m^2 r^2)``; each term is
    a product of 1D Gaussians, so ``V`` is a CP tensor of rank ``N M`` whose 1D factors
    are the sampled Gaussians ``exp(-t_m^2 (x - x_{j,k})^2)``. Instead of forming the
    ``n x N M`` factor matrices, the particle coordinate is interpolated too: the 1D
    factors are entire in ``x_{j,k}``, so ``exp(-t^2 (x - p)^2) = sum_l ell_l(p)
    exp(-t^2 (x - y_l)^2)`` up to rounding for first-kind Chebyshev nodes ``y_l`` (``n_s``
    per axis, chosen like ``n``) spanning the particles. The charges are moved once to
    the source grid, ``Q = sum_j q_j ell(x_j) o ell(y_j) o ell(z_j)``: either by this
    formula (``O(N n_s^3)`` by matrix products), or by spreading each charge to the
    ``P^3`` nearest nodes of a uniform grid with local ``P``-point Lagrange weights
    (``O(N P^3)``, ``P`` and the spacing chosen so that the narrowest Gaussian is
    interpolated to ``rtol/100``) and moving that grid to the Chebyshev nodes by the
    formula (three mode products); see :mod:`specnum.chebtucker.sourcegrid`. Per axis, the coefficient factors
    ``Phi_{k,m}[i, l]`` (Chebyshev coefficients in x of ``exp(-t_m^2 (x - y_l)^2)``)
    of all m are compressed by one SVD (relative truncation at ``rtol/1000`` of the
    Frobenius norm of the stacked, ``|c_m|^(1/3)``-weighted factors; scale-invariant
    and independent of the charges) to an orthonormal basis ``Uk``; the rows of the
    projected factors ``Uk^T Phi_{k,m}`` (all m) span few directions of the source
    index, so ``Q`` is first projected onto those (same relative truncation). The core is
    ``sum_m c_m Q x_1 (U1^T Phi_1m) x_2 (U2^T Phi_2m) x_3 (U3^T Phi_3m)`` and is
    finally truncated by HOSVD at ``rtol`` relative to its norm (= the norm of the
    coefficient tensor). Cost ``O(N P^3 + n_u^3 n_s + M n_s (n_s^2 r + n_s r^2 + r^3))``
    (spread) or ``O(N n_s^3 + ...)``; no ``n^3`` array is formed.

    Examples
    --------
    >>> import numpy as np
    >>> pos = np.array([[0.5, 0.0, 0.0], [-0.5, 0.0, 0.0]]); q = np.array([1.0, -1.0])
    >>> V = long_range_potential(pos, q, ((-2, 2),) * 3, r0=1.0, rtol=1e-10)
    >>> x = np.array([[0.3, 0.2, -0.1]])
    >>> err = abs(V(x) - direct_potential(pos, q, x, kernel="erf"))
    >>> bool(err[0] < 1e-9)
    True
    """
    pos, q = check_particles(positions, charges)
    box = check_box(box)
    kernel, r0, kappa = check_kernel(kernel, r0, kappa)
    rtol = check_rtol(rtol)
    n_max = as_int(n_max, "n_max", minimum=2)
    method = as_choice(method, "method", ("auto", "spread", "interpolated", "cp"))
    nn_given = check_n(n) if n is not None else None
    lo, hi = box_bounds(box)
    if pos.shape[0] == 0 or not np.any(q):
        nn = nn_given if nn_given is not None else (2, 2, 2)
        return ChebTucker(box, np.zeros((0, 0, 0)), [np.zeros((nk, 0)) for nk in nn])
    # r0 against the box and the particles first: the sizes below follow from it
    span = float(np.max(np.ptp(pos, axis=0)))
    n_src = check_resolution(max(0.5 * span, 1e-3 * r0), r0, 1e-2 * rtol, "particles spanning this range")
    n_tgt = (max(nn_given) if nn_given is not None
             else min(check_resolution(0.5 * float(np.max(hi - lo)), r0, 0.1 * rtol, "this box"), n_max))
    plo = np.minimum(pos.min(axis=0), lo)
    phi = np.maximum(pos.max(axis=0), hi)
    n_terms = 12.0 * (2.0 + math.log2(max(float(np.linalg.norm(phi - plo)) / r0, 1.0)))
    check_budget(
        f"r0 = {r0:g} (Gaussians of width r0 over a box of width {float(np.max(hi - lo)):g} and particles "
        f"spanning {span:g})",
        memory=FLOAT_BYTES * (2.0 * n_src**3 + 3.0 * n_tgt * n_terms * n_src),
        work=2.0 * n_terms * (n_src**3 * n_tgt + n_src**2 * n_tgt**2 + n_src * n_tgt**3) + 1000.0 * pos.shape[0],
    )
    # the charges' scale is taken out (a power of two, exact) and put back into the core
    q_exp = scale_exponent(q)
    q = np.ldexp(q, -q_exp)
    # quadrature valid for all target-source distances
    t, c = gaussian_quadrature(float(np.linalg.norm(phi - plo)) * 1.01, r0, kernel=kernel, kappa=kappa)
    # target degrees
    warn_cap = False
    if nn_given is None:
        nn = []
        for k in range(3):
            nk = gaussian_degree(0.5 * (hi[k] - lo[k]), r0, 0.1 * rtol)
            if nk > n_max:
                nk, warn_cap = n_max, True
            nn.append(max(nk, 2))
    else:
        nn = list(nn_given)
    if method == "cp":
        result = _literal_cp(pos, q, box, nn, t, c, rtol)
        result = ChebTucker(box, np.ldexp(result.core, q_exp), result.factors)
        _warn_resolution(result, n, n_max, r0, rtol, warn_cap)
        return result
    # the charges on a Chebyshev source grid spanning the particles
    src_nodes, qgrid = source_grid(pos, q, r0, 1e-2 * rtol, method=method)
    # per-axis factor bases
    cw = np.abs(c) ** (1.0 / 3.0)
    proj = []
    bases = []
    for k in range(3):
        x = chebyshev.points(nn[k], kind=1, interval=box[k])
        vals = np.exp(-((t[None, :, None] * (x[:, None, None] - src_nodes[k][None, None, :])) ** 2))
        phi_k = chebyshev.vals_to_coeffs(vals, kind=1, axis=0)  # (n_k, M, n_s)
        weighted = (phi_k * cw[None, :, None]).reshape(nn[k], -1)
        u, s = mode_svd(weighted)
        uk = np.ascontiguousarray(u[:, :_factor_rank(s, weighted, rtol)])
        bases.append(uk)
        proj.append(np.einsum("ip,iml->mpl", uk, phi_k, optimize=True))  # (M, r_k, n_s)
    # source side: the rows of all projections span few directions of R^{n_s}; project Q on them
    for k in range(3):
        rows = (proj[k] * cw[:, None, None]).reshape(-1, proj[k].shape[2])  # (M r_k, n_s)
        v, s = mode_svd(np.ascontiguousarray(rows.T))
        vk = np.ascontiguousarray(v[:, :_factor_rank(s, rows, rtol)])
        qgrid = mode_product(qgrid, vk.T, k)
        proj[k] = proj[k] @ vk  # (M, r_k, s_k)
    core = _gaussian_sum_core(qgrid, proj, c)
    g, w = hosvd(core, rtol=rtol)
    factors = [np.ascontiguousarray(bases[k] @ w[k]) for k in range(3)]
    result = ChebTucker(box, np.ldexp(g, q_exp), factors)
    _warn_resolution(result, n, n_max, r0, rtol, warn_cap)
    return result


def _factor_rank(singular_values: np.ndarray, matrix: np.ndarray, rtol: float) -> int:
    """Rank kept for a factor basis: tail at most ``rtol/1000`` of ``||matrix||_F / sqrt(3)`` (at least 1)."""
    threshold = max(1e-3 * rtol, 1e-15) * frobenius_norm(matrix) / math.sqrt(3.0)
    return max(tail_ranks(singular_values, threshold), 1)


def _gaussian_sum_core(qgrid: np.ndarray, proj: list[np.ndarray], c: np.ndarray) -> np.ndarray:
    """``sum_m c_m Q x_1 P1[m] x_2 P2[m] x_3 P3[m]``, one Gaussian term at a time.

    ``qgrid`` (s1, s2, s3); ``proj[k]`` (M, r_k, s_k). Per term: mode 3 as one matrix
    product, mode 2 as a product batched over the first index (no transposed copies),
    mode 1 as one matrix product accumulated into the core; the working arrays stay
    small (``s1 s2 r3``) where all terms at once would need ``M`` times that.
    """
    s1, s2, s3 = qgrid.shape
    r1, r2, r3 = (p.shape[1] for p in proj)
    q2 = qgrid.reshape(s1 * s2, s3)
    core = np.zeros((r1, r2 * r3))
    for m in range(c.shape[0]):
        y = (q2 @ proj[2][m].T).reshape(s1, s2, r3)
        z = np.matmul(proj[1][m], y)  # (s1, r2, r3)
        core += (c[m] * proj[0][m]) @ z.reshape(s1, r2 * r3)
    return core.reshape(r1, r2, r3)


def _literal_cp(pos, q, box, nn, t, c, rtol) -> ChebTucker:
    """The CP route as written: rank-1 terms ``q_j c_m g_m(x - x_j) g_m(y - y_j) g_m(z - z_j)``."""
    weights = (q[:, None] * c[None, :]).reshape(-1)
    cols = []
    for k in range(3):
        x = chebyshev.points(nn[k], kind=1, interval=box[k])
        cols.append(np.exp(-((t[None, None, :] * (x[:, None, None] - pos[None, :, k, None])) ** 2)).reshape(nn[k], -1))
    return ChebTucker.from_cp(weights, cols, box, points="first", rtol=rtol)


def _warn_resolution(result: ChebTucker, n, n_max: int, r0: float, rtol: float, warn_cap: bool) -> None:
    if warn_cap:
        warnings.warn(
            f"long_range_potential: n capped at n_max={n_max}; the Gaussians of width r0={r0:g} are "
            f"not resolved to rtol={rtol:g} on this box",
            SpecnumWarning,
            stacklevel=3,
        )
    elif n is None and result.core.size:
        g = np.ldexp(result.core, -scale_exponent(result.core))
        nrm = frobenius_norm(g)
        tails = [frobenius_norm(coefficient_profile(g, result.factors, k)[-2:]) for k in range(3)]
        if max(tails) > rtol * nrm:
            warnings.warn(
                f"long_range_potential: trailing Chebyshev coefficients {max(tails) / nrm:.1e} (relative) "
                f"exceed rtol={rtol:g}; increase n",
                SpecnumWarning,
                stacklevel=3,
            )


# ------------------------------------------------------------ short range
def _cutoff(r0: float, rtol: float) -> float:
    return r0 * float(scipy.special.erfcinv(0.1 * rtol))


_MAX_COLUMNS_PER_PARTICLE = 2  # cell-list memory: at most ~2 N + 64 columns
_REACH = 3  # neighbour columns per side (columns of x/y edge >= cutoff / _REACH)


def _column_grid(pts: np.ndarray, rc: float):
    """Columns over the x/y bounding box of ``pts``: edges ``h >= rc/_REACH``, at most ``2 N + 64``.

    Returns ``(lo, h, dims)`` (2-vectors). Columns are made wider than ``rc/_REACH`` when
    the box is large compared with the cutoff (bounded memory; correctness only needs
    ``h >= rc/_REACH``).
    """
    lo = pts[:, :2].min(axis=0)
    span = pts[:, :2].max(axis=0) - lo
    edge = rc / _REACH * (1.0 + 1e-9)  # margin: rounding in floor((x - lo)/h) never hides a neighbour
    dims = np.maximum(np.floor(np.minimum(span / edge, 2.0**40)), 1.0)
    limit = _MAX_COLUMNS_PER_PARTICLE * pts.shape[0] + 64
    while float(np.prod(dims)) > limit:
        dims = np.maximum(np.floor(dims / math.sqrt(float(np.prod(dims)) / limit)), 1.0)
    h = np.maximum(np.where(span > 0, span / dims, edge), edge)
    return np.ascontiguousarray(lo), np.ascontiguousarray(h), dims.astype(np.int64)


def _sorted_sources(pos: np.ndarray, q: np.ndarray, rc: float):
    """Sources sorted by column and z: ((x, y, z), q, perm, starts, bounds, lo, h, dims).

    Column ``(a, b)``, ``a = floor((x - lo_x)/h_x)`` clipped to ``[0, dims - 1]`` (b likewise),
    has index ``a dims[1] + b`` and holds ``perm[starts[c]:starts[c + 1]]`` in increasing z;
    ``bounds[:, c] = (xmin, xmax, ymin, ymax)`` of its points (+-inf if empty).
    """
    lo, h, dims = _column_grid(pos, rc)
    ncol = int(np.prod(dims))
    cell = np.clip(np.floor((pos[:, :2] - lo) / h), 0, dims - 1).astype(np.int64)
    col = cell[:, 0] * dims[1] + cell[:, 1]
    perm = np.lexsort((pos[:, 2], col))
    counts = np.bincount(col, minlength=ncol)
    starts = np.zeros(ncol + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    sp = pos[perm]
    cols = tuple(np.ascontiguousarray(sp[:, k]) for k in range(3))
    bounds = np.empty((4, ncol))
    bounds[0::2] = np.inf
    bounds[1::2] = -np.inf
    full = counts > 0
    first = starts[:-1][full]
    for k in range(2):
        bounds[2 * k, full] = np.minimum.reduceat(cols[k], first)
        bounds[2 * k + 1, full] = np.maximum.reduceat(cols[k], first)
    return cols, np.ascontiguousarray(q[perm]), perm, starts, bounds, lo, h, dims


def _zero_distance_value(kernel: str, r0: float, kappa: float, cancel_long_range: bool) -> float:
    """The short-range value used for a source at distance 0 from a target (or particle).

    Slater (finite kernel): ``S(0) = erf(kappa r0/2)``, so that ``L(0) + S(0) = K(0) = 1``.
    Singular kernels: the pair is excluded, as in the direct sum; alone the short range
    gives 0, and together with the long range it gives ``-L(0)``, which cancels the finite
    value ``L(0)`` the long-range ChebTucker has there.
    """
    if kernel == "slater":
        return math.erf(0.5 * kappa * r0)
    if not cancel_long_range:
        return 0.0
    return -float(split_with_derivative(np.zeros(1), kernel, r0, kappa)[0][0])


def _estimated_pairs(pos: np.ndarray, n_targets: int, rc: float) -> float:
    """Pairs within ``rc`` if the sources filled their bounding box evenly (each side at least ``2 rc``)."""
    if pos.shape[0] == 0 or n_targets == 0:
        return 0.0
    volume = float(np.prod(np.maximum(np.ptp(pos, axis=0), 2.0 * rc)))
    return float(n_targets) * pos.shape[0] * min(1.0, 4.0 / 3.0 * math.pi * rc**3 / volume)


def _budget_short(pos: np.ndarray, n_targets: int, rc: float) -> None:
    check_budget(f"cutoff = {rc:g} with {pos.shape[0]} sources and {n_targets} targets",
                 memory=FLOAT_BYTES * (12.0 * pos.shape[0] + 6.0 * n_targets),
                 work=60.0 * _estimated_pairs(pos, n_targets, rc) + 50.0 * (pos.shape[0] + n_targets))


def _short_sum(pos, q, tgt, kernel: str, r0: float, kappa: float, rc: float, grad: bool,
               s0: float) -> np.ndarray:
    """``(M, 1 or 4)``: short-range potential (and gradient) at targets by the cell list; ``s0`` at r = 0."""
    _budget_short(pos, tgt.shape[0], rc)
    out = np.zeros((tgt.shape[0], 4 if grad else 1))
    if pos.shape[0] == 0 or tgt.shape[0] == 0:
        return out
    (sx, sy, sz), sq, _, starts, bounds, lo, h, dims = _sorted_sources(pos, q, rc)
    # visit the targets by column (locality); any order gives the same result
    key = np.clip((tgt[:, :2] - lo) / h, -1.0, dims - 1.0).astype(np.int64) @ np.array([dims[1], 1])
    order = np.ascontiguousarray(np.argsort(key, kind="stable"), dtype=np.int64)
    _kernels.cell_short_sum(sx, sy, sz, sq, starts, bounds, dims, lo, h, _REACH, tgt, order,
                            _kernels.SHORT_CODES[kernel], r0, kappa, s0, rc, grad, out)
    return out


def short_range_potential(positions, charges, targets, r0: float = 1.0, *, kernel: str = "newton",
                          kappa: float = 1.0, rtol: float = 1e-8, cutoff: float | None = None) -> np.ndarray:
    """Short-range part ``sum_j q_j S(|x - x_j|)`` at targets by a cell list.

    Parameters
    ----------
    positions : array_like, shape (N, 3)
    charges : array_like, shape (N,)
    targets : array_like, shape (..., 3)
    r0 : float > 0
        Splitting radius (as in :func:`long_range_potential`).
    kernel, kappa
        As in :func:`long_range_potential`.
    rtol : float
        Sets the default cutoff ``r0 erfcinv(rtol/10)``, beyond which
        ``S(r) <= erfc(r/r0) K-like`` is below ``rtol/10`` relative.
    cutoff : float, optional
        Explicit cutoff radius.

    Returns
    -------
    ndarray, shape (...)

    Notes
    -----
    Sources within the cutoff ``r_c`` (``r < r_c``) contribute ``q_j S(r)``. Cell list
    without a pair list: the sources are sorted into columns (cells in x and
    y, edge ``h >= r_c/3``, at most about ``2 N + 64`` columns, so a tiny cutoff in a
    huge box gives wider columns) and sorted by z inside each column. For each target,
    each of the 7 x 7 neighbouring columns whose points' x/y bounding rectangle lies
    closer than ``r_c`` gives, by two binary searches, the contiguous z-window of sources
    that can be within ``r_c``; those are tested and summed in a compiled loop, parallel
    over targets (each target's sum has a fixed order: the result does not depend on the
    thread count). Cost ``O(N log N + M)`` for sorting plus ``O(log N)`` per target and
    column, plus about 1.5 distance tests and one ``S`` evaluation (erfc, sqrt) per
    pair inside the cutoff; memory ``O(N + M + columns)``. ``S`` in closed form:
    ``erfc(r/r0)/r`` (Newton); ``(P + Q)/(2r)`` (Yukawa) and ``(P - Q)/2`` (Slater) with
    ``P = exp(-kappa r) erfc(r/r0 - kappa r0/2)``, ``Q = exp(kappa r) erfc(r/r0 + kappa r0/2)``
    (evaluated through ``erfcx``, no overflow). A source at distance 0 from a target
    contributes nothing for the singular kernels (self term) and
    ``S(0) = erf(kappa r0/2)`` for Slater.

    Examples
    --------
    >>> v = short_range_potential([[0, 0, 0], [1, 0, 0]], [1.0, -1.0], [[0, 0.5, 0]], r0=0.5)
    >>> ref = direct_potential([[0, 0, 0], [1, 0, 0]], [1.0, -1.0], [[0, 0.5, 0]], kernel="erfc", r0=0.5)
    >>> bool(abs(v[0] - ref[0]) < 1e-14)
    True
    """
    pos, q = check_particles(positions, charges)
    kernel, r0, kappa = check_kernel(kernel, r0, kappa)
    rtol = check_rtol(rtol)
    rc = _cutoff(r0, rtol) if cutoff is None else as_float(cutoff, "cutoff", low=0.0, low_open=True)
    tgt, batch = check_targets(targets)
    s0 = _zero_distance_value(kernel, r0, kappa, cancel_long_range=False)
    return _short_sum(pos, q, tgt, kernel, r0, kappa, rc, False, s0)[:, 0].reshape(batch)


def total_potential(positions, charges, targets, box, r0: float = 1.0, *, n=None, rtol: float = 1e-8,
                    kernel: str = "newton", kappa: float = 1.0, cutoff: float | None = None) -> np.ndarray:
    """Full potential ``sum_j q_j K(|x - x_j|)`` at targets in the box: long range + short range.

    Parameters as in :func:`long_range_potential` and :func:`short_range_potential`;
    targets of shape ``(..., 3)`` inside ``box``. Returns shape ``(...)``. A source
    on a target is excluded for the singular kernels, as in :func:`direct_potential`
    (its short-range term cancels the finite long-range value ``L(0)`` there).
    """
    pos, q = check_particles(positions, charges)
    kernel, r0, kappa = check_kernel(kernel, r0, kappa)
    rtol = check_rtol(rtol)
    rc = _cutoff(r0, rtol) if cutoff is None else as_float(cutoff, "cutoff", low=0.0, low_open=True)
    tgt, batch = check_targets(targets)
    box = check_box(box)
    check_inside(tgt, box, "targets")
    _budget_short(pos, tgt.shape[0], rc)
    lr = long_range_potential(pos, q, box, r0, n=n, rtol=rtol, kernel=kernel, kappa=kappa)
    s0 = _zero_distance_value(kernel, r0, kappa, cancel_long_range=True)
    sr = _short_sum(pos, q, tgt, kernel, r0, kappa, rc, False, s0)[:, 0]
    return (lr(tgt) + sr).reshape(batch)


@dataclass(frozen=True)
class EnergyForces:
    """Energy and forces of a particle system.

    Attributes
    ----------
    energy : float
        ``E = 1/2 sum_{i != j} q_i q_j K(r_ij)``.
    forces : ndarray, shape (N, 3)
        ``F_i = -dE/dx_i``.
    energy_long, energy_short : float
        The long- and short-range parts (``nan`` for the direct sum).
    long_range : ChebTucker or None
        The long-range potential used (None for the direct sum).
    """

    energy: float
    forces: np.ndarray
    energy_long: float
    energy_short: float
    long_range: ChebTucker | None


def coulomb_energy_forces(positions, charges, box=None, r0: float = 1.0, *, n=None, rtol: float = 1e-8,
                          kernel: str = "newton", kappa: float = 1.0,
                          cutoff: float | None = None) -> EnergyForces:
    """Energy and forces of point charges by range separation (ChebTucker + neighbour list).

    Parameters
    ----------
    positions : array_like, shape (N, 3)
    charges : array_like, shape (N,)
    box : ((a1, b1), (a2, b2), (a3, b3)), optional
        Must contain the particles; default: their bounding box widened by ``r0/2``.
    r0, n, rtol, kernel, kappa, cutoff
        As in :func:`long_range_potential` and :func:`short_range_potential`.

    Returns
    -------
    EnergyForces

    Notes
    -----
    ``E = 1/2 sum_i q_i V_L(x_i) - 1/2 L(0) sum_i q_i^2 + sum_{i<j, r_ij < r_c} q_i q_j S(r_ij)``,
    with ``V_L`` the long-range ChebTucker (its self term ``L(0)`` removed exactly);
    ``F_i = -q_i grad V_L(x_i) - sum_j q_i q_j S'(r_ij) (x_i - x_j)/r_ij`` (the self term of
    ``V_L`` has zero gradient). Coincident distinct particles: Slater includes ``K(0)``;
    the singular kernels exclude the pair, as :func:`direct_energy_forces` does (its
    short-range term is ``-L(0)``, which cancels its long-range part).
    The short-range pairs come from the cell list of :func:`short_range_potential`; each
    unordered pair within the cutoff is visited once (same column: the partners above
    in z; then the neighbouring columns that follow in C order) in a serial compiled
    loop that accumulates the energy and both pair forces (``O(N log N)`` plus
    ``O(1)`` per pair, no pair list).
    """
    pos, q = check_particles(positions, charges)
    kernel, r0, kappa = check_kernel(kernel, r0, kappa)
    rtol = check_rtol(rtol)
    if box is None:
        lo = pos.min(axis=0) - 0.5 * r0
        hi = pos.max(axis=0) + 0.5 * r0
        box = tuple((float(a), float(b)) for a, b in zip(lo, hi))
    box = check_box(box)
    check_inside(pos, box, "positions")
    rc = _cutoff(r0, rtol) if cutoff is None else as_float(cutoff, "cutoff", low=0.0, low_open=True)
    _budget_short(pos, pos.shape[0] // 2, rc)
    lr = long_range_potential(pos, q, box, r0, n=n, rtol=rtol, kernel=kernel, kappa=kappa)
    vals = lr._eval(pos, True, False)
    l0, _, _, _ = split_with_derivative(np.zeros(1), kernel, r0, kappa)
    e_long = 0.5 * float(q @ vals[:, 0]) - 0.5 * float(l0[0]) * float(q @ q)
    forces = -q[:, None] * vals[:, 1:]
    e_short = 0.0
    if pos.shape[0] > 1:
        (sx, sy, sz), sq, perm, starts, bounds, _, _, dims = _sorted_sources(pos, q, rc)
        f_sorted = np.zeros((pos.shape[0], 3))
        s0 = _zero_distance_value(kernel, r0, kappa, cancel_long_range=True)
        e_short = float(_kernels.cell_short_pairs(sx, sy, sz, sq, starts, bounds, dims, _REACH,
                                                  _kernels.SHORT_CODES[kernel], r0, kappa, s0, rc, f_sorted))
        forces[perm] += f_sorted
    return EnergyForces(e_long + e_short, forces, e_long, e_short, lr)


def direct_energy_forces(positions, charges, *, kernel: str = "newton", kappa: float = 1.0) -> EnergyForces:
    """Energy and forces by the direct ``O(N^2)`` sum (reference for :func:`coulomb_energy_forces`).

    Coincident particles are skipped for the singular kernels; the self term is excluded.
    """
    pos, q = check_particles(positions, charges)
    kernel, _, kappa = check_kernel(kernel, 1.0, kappa)
    res = _direct(pos, q, pos, kernel, 1.0, kappa, True)
    v = res[:, 0]
    if kernel == "slater":
        v = v - q  # remove the self term K(0) = 1
    energy = 0.5 * float(q @ v)
    return EnergyForces(energy, -q[:, None] * res[:, 1:], float("nan"), float("nan"), None)
