"""Long-range potentials of point charges as ChebTucker tensors, without the ``n^3 N`` direct sum.

Internal module: :mod:`specnum.chebtucker` re-exports ``long_range_potential``; the other names
here serve the pillar's own modules and may change.

Kernels ``K(r)`` and their range separation with parameter ``r0``:

* ``"newton"``: ``1/r = (2/sqrt(pi)) int_0^inf exp(-t^2 r^2) dt``;
* ``"yukawa"``: ``exp(-kappa r)/r = (2/sqrt(pi)) int_0^inf exp(-t^2 r^2 - kappa^2/(4 t^2)) dt``;
* ``"slater"``: ``exp(-kappa r) = (kappa/sqrt(pi)) int_0^inf t^-2 exp(-t^2 r^2 - kappa^2/(4 t^2)) dt``.

The long-range part ``L(r)`` is the integral over ``t in [0, 1/r0]`` (for Newton,
``erf(r/r0)/r``); it is entire in the coordinates, so Chebyshev interpolation converges
super-geometrically. The build is split into a charge-independent :class:`LongRangePlan`
(quadrature, factor bases, source projections, the spreading grid), the charges' source
grid (linear in the charges: a sum over chunks of particles), and the compression of that
grid into the Tucker core, so that a distributed build can share the first and the last
step and sum the middle one (see :mod:`specnum.chebtucker.distributed`).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np

from .._validation import as_choice, as_float, as_int, check_budget
from ..bases import chebyshev
from ..errors import SpecnumWarning
from ._checks import (
    FLOAT_BYTES,
    Box,
    box_bounds,
    check_box,
    check_kernel,
    check_n,
    check_particles,
    check_resolution,
    check_rtol,
)
from ._parallel import Workers, default_threads, single_blas
from .algebra import coefficient_profile
from .format import ChebTucker
from .sourcegrid import (
    SPREAD_POINTS,
    UniformGrid,
    barycentric_rows,
    gaussian_degree,
    interpolated_reduced,
    spread_reduced,
    uniform_grid,
)
from .splitting import gaussian_quadrature
from .tolerances import (
    CORE_TRUNCATION_SHARE,
    DISTANCE_MARGIN,
    FACTOR_BASIS_FLOOR,
    FACTOR_BASIS_SHARE,
    SOURCE_GRID_SHARE,
    TARGET_DEGREE_SHARE,
    quadrature_points,
)
from .tucker import frobenius_norm, hosvd, mode_svd, scale_exponent, tail_ranks

__all__ = [
    "GRID_MEMORY",
    "LongRangePlan",
    "make_plan",
    "source_grid",
    "compress",
    "long_range_potential",
    "check_grid_memory",
]

#: Default bytes for the working grids of one call (spreading slabs, evaluation slabs).
GRID_MEMORY = 256 * 2**20
_BLOCK_BYTES = 32 * 2**20  # working block of the factor-basis QRs
_SPREAD_OP = 20.0  # one spreading update costs about as much as 20 flops of a matrix product (measured)
_PARALLEL_WORK = 1e9  # below this many flops the core is built in one thread (thread overhead)
_LOW_RANK = 0.6  # a term's factor is stored as L R^T when its rank is below this share of min(r, s)


@dataclass(frozen=True, eq=False)
class _TermFactors:
    """``A_km = L @ R.T`` for one Gaussian term and axis; ``R`` None means ``A_km = L`` (full)."""

    left: np.ndarray
    right: np.ndarray | None


@dataclass(frozen=True, eq=False)
class LongRangePlan:
    """Everything of the long-range build that does not depend on the charges.

    Attributes
    ----------
    box, r0, rtol, kernel, kappa
        The problem.
    n : tuple of 3 ints
        Chebyshev points per axis of the result.
    t, c : ndarrays (M,)
        The Gaussian sum ``L(r) ~= sum_m c_m exp(-t_m^2 r^2)``.
    bases : list of 3 ndarrays (n_k, r_k)
        Orthonormal factor bases (Chebyshev coefficients) of all Gaussian terms.
    nodes : list of 3 ndarrays (n_sk,)
        Chebyshev source nodes spanning the particles (and the spreading grid).
    projections : list of 3 ndarrays (n_sk, s_k)
        Orthonormal source-side directions used by the terms.
    terms : list (M) of 3 _TermFactors
        ``A_km = U_k^T Phi_km V_k``, of shape ``(r_k, s_k)``, possibly as a low-rank product.
    grid : UniformGrid or None
        The spreading grid (None: charges interpolated directly).
    transfer : list of 3 ndarrays (s_k, n_uk) or None
        Uniform nodes to projected source coordinates.
    q_exp : int
        Power of two taken out of the charges.
    n_max, n_given, warn_cap
        For the resolution warning.
    """

    box: Box
    r0: float
    rtol: float
    kernel: str
    kappa: float
    n: tuple
    t: np.ndarray
    c: np.ndarray
    bases: list
    nodes: list
    projections: list
    terms: list
    grid: UniformGrid | None
    transfer: list | None
    q_exp: int
    n_max: int
    n_given: bool
    warn_cap: bool

    @property
    def source_shape(self) -> tuple[int, int, int]:
        """Shape ``(s1, s2, s3)`` of a source grid (:func:`source_grid`)."""
        return tuple(p.shape[1] for p in self.projections)  # type: ignore[return-value]


def check_grid_memory(grid_memory) -> float:
    """``grid_memory`` in bytes: None for :data:`GRID_MEMORY`, else a number of at least 1 MiB."""
    return float(GRID_MEMORY) if grid_memory is None else as_float(grid_memory, "grid_memory", low=2.0**20)


# ------------------------------------------------------------------------------ plan
def _gaussian_factors(t: np.ndarray, x: np.ndarray, y: np.ndarray, box_k) -> np.ndarray:
    """``Phi[m] (n, n_s)``: Chebyshev coefficients in x of ``exp(-t_m^2 (x - y_l)^2)`` (first-kind x)."""
    vals = np.exp(-((t[None, :, None] * (x[:, None, None] - y[None, None, :])) ** 2))
    return np.moveaxis(chebyshev.vals_to_coeffs(vals, kind=1, axis=0), 1, 0)  # (M, n, n_s)


def _stacked_r(blocks) -> tuple[np.ndarray, float]:
    """R factor (upper triangular, m x m) of the vertical stack of the given (rows, m) blocks, and its norm."""
    r = None
    for block in blocks:
        stack = block if r is None else np.vstack([r, block])
        r = np.linalg.qr(stack, mode="r") if stack.shape[0] >= stack.shape[1] else stack
    return r, frobenius_norm(r)


def _term_blocks(m_total: int, per_term: float) -> list[slice]:
    step = max(1, int(_BLOCK_BYTES // max(per_term, 1.0)))
    return [slice(a, min(a + step, m_total)) for a in range(0, m_total, step)]


def _axis_bases(t, cw, x, y, box_k, rtol: float):
    """Factor basis U (n, r), source directions V (n_s, s) and the per-term A_m = U^T Phi_m V."""
    n, n_s = x.shape[0], y.shape[0]
    blocks = _term_blocks(t.shape[0], 2.0 * n * n_s * FLOAT_BYTES)
    share = max(FACTOR_BASIS_SHARE * rtol, FACTOR_BASIS_FLOOR)
    # U: left singular vectors of [cw_m Phi_m]_m, from the R factor of the stacked transposes
    r, norm = _stacked_r(
        (np.ascontiguousarray((_gaussian_factors(t[b], x, y, box_k) * cw[b, None, None]).transpose(0, 2, 1))
         .reshape(-1, n)) for b in blocks)
    u, s = mode_svd(np.ascontiguousarray(r.T))
    u = np.ascontiguousarray(u[:, : max(tail_ranks(s, share * norm / math.sqrt(3.0)), 1)])
    # V: right singular vectors of the stacked projections [cw_m U^T Phi_m]_m (rows in R^{n_s})
    proj = [u.T @ _gaussian_factors(t[b], x, y, box_k) for b in blocks]  # (B, r, n_s) each
    r2, norm2 = _stacked_r((p * cw[b, None, None]).reshape(-1, n_s) for p, b in zip(proj, blocks))
    v, s2 = mode_svd(np.ascontiguousarray(r2.T))
    v = np.ascontiguousarray(v[:, : max(tail_ranks(s2, share * norm2 / math.sqrt(3.0)), 1)])
    a = np.concatenate([p @ v for p in proj]) if proj else np.zeros((0, u.shape[1], v.shape[1]))
    # per-term low-rank factors: term m keeps the tail of cw_m A_m below tau / sqrt(M)
    tau = share * frobenius_norm(a * cw[:, None, None]) / math.sqrt(3.0) / math.sqrt(max(t.shape[0], 1))
    terms = []
    for m in range(t.shape[0]):
        left, sv, right_t = np.linalg.svd(a[m], full_matrices=False)
        rho = tail_ranks(cw[m] * sv, tau) if cw[m] > 0 else 0
        if rho < _LOW_RANK * min(a[m].shape):
            terms.append(_TermFactors(np.ascontiguousarray(left[:, :rho] * sv[:rho]),
                                      np.ascontiguousarray(right_t[:rho].T)))
        else:
            terms.append(_TermFactors(np.ascontiguousarray(a[m]), None))
    return u, v, terms


def _choose_grid(n_particles: int, pmin, pmax, r0: float, tol: float, s_dims, spread_only: bool) -> UniformGrid | None:
    """The cheapest spreading grid, or None when direct interpolation of the charges is cheaper."""
    best, best_cost = None, np.inf if spread_only else 2.0 * n_particles * float(np.prod(s_dims))
    for points in SPREAD_POINTS:
        grid = uniform_grid(pmin, pmax, r0, tol, points)
        if grid is None:
            continue
        n_u = np.asarray(grid.n, dtype=np.float64)
        cost = (_SPREAD_OP * n_particles * points**3 + 2.0 * float(np.prod(n_u)) * s_dims[2]
                + 2.0 * n_u[0] * n_u[1] * s_dims[2] * s_dims[1] + 2.0 * n_u[0] * s_dims[1] * s_dims[2] * s_dims[0])
        if cost < best_cost:
            best, best_cost = grid, cost
    return best


def make_plan(pmin, pmax, q_exp: int, n_particles: int, box: Box, r0: float, n, rtol: float, kernel: str,
              kappa: float, n_max: int, method: str, *, threads: int = 1) -> LongRangePlan:
    """The charge-independent part of the build for particles in ``[pmin, pmax]`` (validated input)."""
    lo, hi = box_bounds(box)
    plo = np.minimum(pmin, lo)
    phi = np.maximum(pmax, hi)
    points = quadrature_points(rtol)
    t, c = gaussian_quadrature(float(np.linalg.norm(phi - plo)) * DISTANCE_MARGIN, r0, kernel=kernel, kappa=kappa,
                               points_per_interval=points)
    warn_cap = False
    if n is None:
        nn = []
        for k in range(3):
            nk = gaussian_degree(0.5 * float(hi[k] - lo[k]), r0, TARGET_DEGREE_SHARE * rtol)
            if nk > n_max:
                nk, warn_cap = n_max, True
            nn.append(max(nk, 2))
        nn = tuple(nn)
    else:
        nn = tuple(n)
    src_tol = SOURCE_GRID_SHARE * rtol
    # source nodes spanning the particles; with spreading, they must span the uniform grid too
    grid = None
    if method in ("auto", "spread"):
        s_guess = [gaussian_degree(max(0.5 * float(pmax[k] - pmin[k]), 1e-3 * r0), r0, src_tol) for k in range(3)]
        grid = _choose_grid(n_particles, pmin, pmax, r0, src_tol, s_guess, method == "spread")
        if grid is None and method == "spread":
            raise ValueError(f"method='spread': no uniform grid with at most {max(SPREAD_POINTS)}-point stencils "
                             f"interpolates the Gaussians of width r0={r0:g} to {src_tol:.1e}; use "
                             "method='interpolated' or a larger rtol")
    span_lo = np.array(pmin, dtype=np.float64) if grid is None else grid.lo
    span_hi = np.array(pmax, dtype=np.float64) if grid is None else grid.lo + grid.h * (np.asarray(grid.n) - 1)
    nodes = []
    for k in range(3):
        half = max(0.5 * float(span_hi[k] - span_lo[k]), 1e-3 * r0)
        mid = 0.5 * float(span_hi[k] + span_lo[k])
        ns = gaussian_degree(half, r0, src_tol)
        nodes.append(chebyshev.points(ns, kind=1, interval=(mid - half, mid + half)) if ns > 1 else np.array([mid]))
    cw = np.abs(c) ** (1.0 / 3.0)
    bases, projections, per_axis = [], [], []
    with Workers(threads) as workers:  # the three axes are independent
        for u, v, terms in workers.map(
                lambda k: _axis_bases(t, cw, chebyshev.points(nn[k], kind=1, interval=box[k]), nodes[k], box[k],
                                      rtol), range(3)):
            bases.append(u)
            projections.append(v)
            per_axis.append(terms)
    transfer = None
    if grid is not None:
        transfer = [np.ascontiguousarray(projections[k].T @ barycentric_rows(grid.nodes(k), nodes[k]).T)
                    for k in range(3)]
    terms = [tuple(per_axis[k][m] for k in range(3)) for m in range(t.shape[0])]
    return LongRangePlan(box, r0, rtol, kernel, kappa, nn, t, c, bases, nodes, projections, terms, grid, transfer,
                         q_exp, n_max, n is not None, warn_cap)


# ----------------------------------------------------------------------- source grid
def source_grid(plan: LongRangePlan, pos: np.ndarray, q: np.ndarray, *, grid_memory: float = GRID_MEMORY,
                threads: int = 1) -> np.ndarray:
    """The projected source grid ``(s1, s2, s3)`` of some of the charges (linear: chunks add up).

    The charges are scaled by ``2^-q_exp`` of the plan (the scale of all charges).
    """
    if pos.shape[0] == 0:
        return np.zeros(plan.source_shape)
    q = np.ldexp(q, -plan.q_exp)
    if plan.grid is not None:
        return spread_reduced(pos, q, plan.grid, plan.transfer, grid_memory, threads)
    rows = [np.ascontiguousarray(barycentric_rows(pos[:, k], plan.nodes[k]) @ plan.projections[k]) for k in range(3)]
    return interpolated_reduced(pos, q, rows)


# -------------------------------------------------------------------------- compress
def _source_side(qgrid: np.ndarray, rows: np.ndarray, f1: _TermFactors, f2: _TermFactors, f3: _TermFactors):
    """Rows ``rows`` of Q contracted with the source-side factors ``R_k`` (axes without one are kept)."""
    sub = qgrid[rows[0]: rows[-1] + 1]
    b, s2, s3 = sub.shape
    y = sub.reshape(b * s2, s3)
    if f3.right is not None:
        y = y @ f3.right
    y = y.reshape(b, s2, -1)
    if f2.right is not None:
        y = np.matmul(f2.right.T, y)
    y = y.reshape(b, -1)
    return y if f1.right is None else f1.right[rows[0]: rows[-1] + 1].T @ y


def compress(plan: LongRangePlan, qgrid: np.ndarray, *, threads: int = 1) -> ChebTucker:
    """The long-range ChebTucker from the projected source grid of all charges.

    ``core = sum_m c_m Q x_1 A_1m x_2 A_2m x_3 A_3m`` with ``A_km = L_km R_km^T``: each term
    contracts Q with the source-side factors ``R_km`` (row blocks of Q in parallel; the
    partial results are added in block order), then expands with ``L_km`` (row blocks of
    the core in parallel). The blocks do not depend on the thread count, so neither does
    the result. The core is finally truncated by HOSVD at ``rtol``.
    """
    r = tuple(b.shape[1] for b in plan.bases)
    core = np.zeros(r)
    # blocks fixed by the sizes alone (not by the thread count); small problems stay in one thread
    q_blocks = np.array_split(np.arange(qgrid.shape[0]), max(1, min(8, qgrid.shape[0] // 16)))
    r_blocks = np.array_split(np.arange(r[0]), max(1, min(8, r[0] // 16)))
    work = float(qgrid.size) * max(r) * len(plan.terms)
    with Workers(threads if work > _PARALLEL_WORK else 1) as workers:
        for m, (f1, f2, f3) in enumerate(plan.terms):
            if min(f1.left.shape[1], f2.left.shape[1], f3.left.shape[1]) == 0:
                continue  # a negligible term (all its singular values below the per-term share)
            pieces = list(workers.map(lambda rows, f=(f1, f2, f3): _source_side(qgrid, rows, *f), q_blocks))
            z = np.concatenate(pieces) if f1.right is None else sum(pieces[1:], pieces[0])
            c2 = f2.left.shape[1]
            cm = float(plan.c[m])

            def expand(idx, z=z, f1=f1, f2=f2, f3=f3, c2=c2, cm=cm):
                y = (f1.left[idx[0]: idx[-1] + 1] @ z).reshape(len(idx), c2, -1)
                y = np.matmul(f2.left, y)  # (b, r2, c3)
                core[idx[0]: idx[-1] + 1] += cm * (y.reshape(-1, y.shape[2]) @ f3.left.T).reshape(len(idx), r[1], r[2])

            for _ in workers.map(expand, r_blocks):
                pass
    with single_blas():  # a few mid-sized factorisations: threaded BLAS only contends on busy machines
        g, w = hosvd(core, rtol=CORE_TRUNCATION_SHARE * plan.rtol)
    factors = [np.ascontiguousarray(plan.bases[k] @ w[k]) for k in range(3)]
    return ChebTucker(plan.box, np.ldexp(g, plan.q_exp), factors)


def _warn_resolution(result: ChebTucker, plan: LongRangePlan) -> None:
    if plan.warn_cap:
        warnings.warn(
            f"long_range_potential: n capped at n_max={plan.n_max}; the Gaussians of width r0={plan.r0:g} are "
            f"not resolved to rtol={plan.rtol:g} on this box",
            SpecnumWarning,
            stacklevel=3,
        )
    elif not plan.n_given and result.core.size:
        g = np.ldexp(result.core, -scale_exponent(result.core))
        nrm = frobenius_norm(g)
        tails = [frobenius_norm(coefficient_profile(g, result.factors, k, slice(-2, None))) for k in range(3)]
        if max(tails) > plan.rtol * nrm:
            warnings.warn(
                f"long_range_potential: trailing Chebyshev coefficients {max(tails) / nrm:.1e} (relative) "
                f"exceed rtol={plan.rtol:g}; increase n",
                SpecnumWarning,
                stacklevel=3,
            )


def _literal_cp(pos, q, plan: LongRangePlan) -> ChebTucker:
    """The CP route as written: rank-1 terms ``q_j c_m g_m(x - x_j) g_m(y - y_j) g_m(z - z_j)``."""
    weights = (np.ldexp(q, -plan.q_exp)[:, None] * plan.c[None, :]).reshape(-1)
    cols = []
    for k in range(3):
        x = chebyshev.points(plan.n[k], kind=1, interval=plan.box[k])
        cols.append(np.exp(-((plan.t[None, None, :] * (x[:, None, None] - pos[None, :, k, None])) ** 2))
                    .reshape(plan.n[k], -1))
    result = ChebTucker.from_cp(weights, cols, plan.box, points="first", rtol=plan.rtol)
    return ChebTucker(plan.box, np.ldexp(result.core, plan.q_exp), result.factors)


def prepare(positions, charges, box, r0, n, rtol, kernel, kappa, n_max, method):
    """Validate the arguments of :func:`long_range_potential`; refuse hopeless sizes (``r0`` first).

    Returns ``(pos, q, box, r0, n, rtol, kernel, kappa, n_max, method)`` validated.
    """
    pos, q = check_particles(positions, charges)
    box = check_box(box)
    kernel, r0, kappa = check_kernel(kernel, r0, kappa)
    rtol = check_rtol(rtol)
    n_max = as_int(n_max, "n_max", minimum=2)
    method = as_choice(method, "method", ("auto", "spread", "interpolated", "cp"))
    nn = check_n(n) if n is not None else None
    if pos.shape[0] == 0:
        return pos, q, box, r0, nn, rtol, kernel, kappa, n_max, method
    lo, hi = box_bounds(box)
    # r0 against the box and the particles first: every size below follows from it
    span = float(np.max(np.ptp(pos, axis=0)))
    n_src = check_resolution(max(0.5 * span, 1e-3 * r0), r0, SOURCE_GRID_SHARE * rtol,
                             "particles spanning this range")
    n_tgt = (max(nn) if nn is not None
             else min(check_resolution(0.5 * float(np.max(hi - lo)), r0, TARGET_DEGREE_SHARE * rtol, "this box"),
                      n_max))
    ppi = quadrature_points(rtol)
    # reduced sizes seen in practice: ranks ~0.65 n, sum of the per-term ranks ~2.6 ppi r;
    # a matrix-product flop counts as a tenth of the budget's elementary operation
    flops = 2.0 * (1.3 * ppi * n_tgt) * (0.65 * n_src) ** 3
    check_budget(
        f"r0 = {r0:g} (Gaussians of width r0 over a box of width {float(np.max(hi - lo)):g} and particles "
        f"spanning {span:g})",
        memory=FLOAT_BYTES * (1.5 * (0.65 * n_src) ** 3 + 2.0 * (0.65 * n_tgt) ** 3 + 4.0 * n_tgt * n_src * ppi),
        work=0.1 * flops + 30.0 * pos.shape[0],
    )
    return pos, q, box, r0, nn, rtol, kernel, kappa, n_max, method


def plan_for(pos, q, box, r0, nn, rtol, kernel, kappa, n_max, method, *, threads: int = 1) -> LongRangePlan:
    """The plan for validated particles (the charges enter only through their power-of-two scale)."""
    return make_plan(pos.min(axis=0), pos.max(axis=0), scale_exponent(q), pos.shape[0], box, r0, nn, rtol, kernel,
                     kappa, n_max, method, threads=threads)


def zero_potential(box: Box, nn) -> ChebTucker:
    """The long-range potential of no charge: :meth:`ChebTucker.zero` on the box."""
    return ChebTucker.zero(box, nn if nn is not None else 2)


def long_range_potential(positions, charges, box, r0: float = 1.0, *, n=None, rtol: float = 1e-8,
                         kernel: str = "newton", kappa: float = 1.0, n_max: int = 1025,
                         method: str = "auto", grid_memory: float | None = None,
                         executor=None) -> ChebTucker:
    """Long-range potential of point charges as a ChebTucker, without the ``n^3 N`` direct sum.

    Parameters
    ----------
    positions : array_like, shape (N, 3)
        Particle positions (anywhere; usually inside the box).
    charges : array_like, shape (N,)
    box : ((a1, b1), (a2, b2), (a3, b3))
        Box of the result.
    r0 : float in [1e-100, 1e100]
        Splitting radius: the result approximates
        ``V(x) = sum_j q_j erf(|x - x_j|/r0)/|x - x_j|`` (Newton; other kernels: the
        ``t <= 1/r0`` part of their Gaussian integral, see the module docstring).
    n : int, 3-tuple of int or None
        Chebyshev points per axis; None chooses them from the width ``r0`` of the
        narrowest Gaussian (coefficients below ``rtol/10``), capped at ``n_max`` with a
        ``SpecnumWarning``.
    rtol : float in (0, 1)
        Relative tolerance: Frobenius truncation of the coefficient tensor (see Notes).
    kernel : {"newton", "yukawa", "slater"}
    kappa : float
        Yukawa screening / Slater decay rate.
    n_max : int
        Cap of the adaptive ``n``.
    method : {"auto", "spread", "interpolated", "cp"}
        How the charges reach the source Chebyshev grid (see Notes): ``"spread"``
        (local interpolation on a uniform grid, ``O(N P^3)``), ``"interpolated"``
        (global Chebyshev interpolation, ``O(N s^3)``), or ``"auto"`` (default: the
        one with the smaller operation count; ``"spread"`` for many particles).
        ``"cp"``: the literal CP route, ``N M`` rank-1 terms given to
        :meth:`ChebTucker.from_cp` (factor matrices ``n x N M``; for small N and checks).
    grid_memory : float, optional
        Bytes for the spreading slabs (default :data:`GRID_MEMORY`, 256 MiB), shared by
        the threads; the uniform grid is never held whole, whatever N.
    executor : None, "dask" or dask.distributed.Client
        None: this process (threads: ``numba.get_num_threads()``). Otherwise the charges
        are split into chunks whose source grids are built as tasks and summed by a tree
        reduction (see :mod:`specnum.chebtucker.distributed`); the result equals the
        serial one to rounding.

    Returns
    -------
    ChebTucker

    Raises
    ------
    ValueError, TypeError
        Mismatched positions and charges, bad box, ``r0`` outside its range or too small
        for the box and the particles, ``rtol`` outside (0, 1), sizes over the budget.

    Notes
    -----
    Separable (CP) route. A composite Gauss-Legendre rule in ``t`` (see
    :func:`gaussian_quadrature`; points per interval chosen for a pointwise error of
    ``rtol/100``) gives ``L(r) ~= sum_m c_m exp(-t_m^2 r^2)``; each term is a product of
    1D Gaussians, so ``V`` is a CP tensor of rank ``N M`` whose 1D factors are the sampled
    Gaussians ``exp(-t_m^2 (x - x_{j,k})^2)``. Instead of forming the ``n x N M`` factor
    matrices, the particle coordinate is interpolated too: the 1D factors are entire in
    ``x_{j,k}``, so ``exp(-t^2 (x - p)^2) = sum_l ell_l(p) exp(-t^2 (x - y_l)^2)`` up to
    ``rtol/100`` for first-kind Chebyshev nodes ``y_l`` spanning the particles. Per axis,
    the coefficient factors ``Phi_{k,m}`` (Chebyshev coefficients in x of
    ``exp(-t_m^2 (x - y_l)^2)``) of all m span an orthonormal basis ``Uk`` (SVD of the
    stacked, ``|c_m|^(1/3)``-weighted factors, truncated at ``rtol/1000`` of their norm;
    scale-invariant and independent of the charges), and the projected factors
    ``Uk^T Phi_{k,m}`` use few source directions ``Vk`` (same truncation); each term's
    ``A_km = Uk^T Phi_km Vk`` is kept as a low-rank product where that is smaller (wide
    Gaussians are nearly rank one). The charges enter once, as the source grid
    ``Q = sum_j q_j (ell(x_j) V1) o (ell(y_j) V2) o (ell(z_j) V3)``: by this formula, or by
    spreading each charge to the ``P^3`` nearest nodes of a uniform grid (``P`` and the
    spacing chosen so that the narrowest Gaussian is interpolated to ``rtol/100``), slab
    by slab under ``grid_memory``, and moving the slabs to the projected Chebyshev
    coordinates (see :mod:`specnum.chebtucker.sourcegrid`). The core is
    ``sum_m c_m Q x_1 A_1m x_2 A_2m x_3 A_3m`` and is truncated by HOSVD at ``0.3 rtol``
    relative to its norm (= the norm of the coefficient tensor). No ``n^3`` array of
    values is formed.

    What ``rtol`` guarantees: the coefficient tensor is within ``0.3 rtol`` (relative,
    Frobenius) of that of the interpolant of ``V``, and the interpolant resolves the
    Gaussians to ``rtol/10`` (the shares are in :mod:`specnum.chebtucker.tolerances`); so
    the error is small relative to the size of ``V`` on the box (its maximum), not
    pointwise relative where ``V`` is small.

    Examples
    --------
    >>> import numpy as np
    >>> from specnum.chebtucker import direct_potential
    >>> pos = np.array([[0.5, 0.0, 0.0], [-0.5, 0.0, 0.0]]); q = np.array([1.0, -1.0])
    >>> V = long_range_potential(pos, q, ((-2, 2),) * 3, r0=1.0, rtol=1e-10)
    >>> x = np.array([[0.3, 0.2, -0.1]])
    >>> err = abs(V(x) - direct_potential(pos, q, x, kernel="erf"))
    >>> bool(err[0] < 1e-9)
    True
    """
    pos, q, box, r0, nn, rtol, kernel, kappa, n_max, method = prepare(positions, charges, box, r0, n, rtol,
                                                                      kernel, kappa, n_max, method)
    grid_memory = check_grid_memory(grid_memory)
    if executor is not None:
        from . import distributed

        return distributed.long_range(distributed.runner(executor), pos, q, box, r0, nn, rtol, kernel, kappa,
                                      n_max, method, grid_memory)[0]
    if pos.shape[0] == 0 or not np.any(q):
        return zero_potential(box, nn)
    threads = default_threads()
    with single_blas():  # many small and mid-sized products: threaded BLAS only oversubscribes the cores
        plan = plan_for(pos, q, box, r0, nn, rtol, kernel, kappa, n_max, method, threads=threads)
        if method == "cp":
            result = _literal_cp(pos, q, plan)
        else:
            result = compress(plan, source_grid(plan, pos, q, grid_memory=grid_memory, threads=threads),
                              threads=threads)
        _warn_resolution(result, plan)
    return result
