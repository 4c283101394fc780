"""Point charges moved to a Chebyshev source grid: the first step of the long-range build.

The long-range potential is a sum of Gaussians ``g(x - p) = exp(-t^2 (x - p)^2)`` (per
axis, ``t <= 1/r0``) centred at the particles ``p``. As functions of ``p`` they are
entire, so they can be interpolated in ``p``: with Lagrange functions ``ell_l`` of
first-kind Chebyshev nodes ``y_l`` spanning the particles,
``g(x - p) ~= sum_l ell_l(p) g(x - y_l)``, and all N particles become one source grid
of charges

    Q[l1, l2, l3] = sum_j q_j ell_l1(x_j) ell_l2(y_j) ell_l3(z_j).

Two routes compute ``Q`` (internal module; :func:`long_range_potential` chooses):

* ``"interpolated"``: the formula as it stands, ``O(N n_s^3)`` by matrix products
  (``n_s`` Chebyshev nodes per axis);
* ``"spread"``: each charge is first spread to the ``P^3`` nearest nodes of a uniform
  grid of spacing ``h`` by local ``P``-point Lagrange interpolation (``O(N P^3)``, as in
  particle-mesh methods), and the uniform grid is then moved to the Chebyshev nodes by
  the formula above (three mode products, ``O(n_u^3 n_s)``). In the end this
  interpolates each Gaussian ``g(x - .)`` locally from its Chebyshev interpolant at the
  uniform nodes, so its error is that of local interpolation of a Gaussian of width
  ``r0``: ``h`` is chosen so that it stays below the tolerance (see :func:`spread_step`),
  and the Chebyshev nodes span the uniform ones (no extrapolation).
"""

from __future__ import annotations

import functools
import math

import numpy as np

from ..bases import chebyshev
from . import _kernels
from .tucker import mode_product

__all__ = [
    "gaussian_degree",
    "barycentric_rows",
    "anterpolate",
    "spread_step",
    "source_grid",
    "SPREAD_POINTS",
]

SPREAD_POINTS = (6, 8, 10, 12)  # candidate stencil widths P of the spread route


def gaussian_degree(half_width: float, r0: float, tol: float) -> int:
    """Points needed to interpolate ``exp(-((x - c)/r0)^2)`` on ``[c - h, c + h]`` to ``tol`` (relative)."""
    rule = 2.0 * (half_width / r0) * math.sqrt(max(math.log(2.0 / tol), 1.0))
    n_probe = int(min(1.5 * rule + 40, 8193))
    x = chebyshev.points(n_probe, kind=1, interval=(-half_width, half_width))
    c = np.abs(chebyshev.vals_to_coeffs(np.exp(-((x / r0) ** 2))))
    big = np.nonzero(c > tol * c.max())[0]
    return int(max(big[-1] + 2, 2))


def barycentric_rows(p: np.ndarray, nodes: np.ndarray) -> np.ndarray:
    """Lagrange basis values ``S[j, l] = ell_l(p_j)`` for first-kind Chebyshev nodes (ascending)."""
    n = nodes.shape[0]
    theta = (2 * np.arange(n) + 1) * np.pi / (2 * n)
    w = (-1.0) ** np.arange(n) * np.sin(theta)
    diff = p[:, None] - nodes[None, :]
    exact = diff == 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        tmp = w / diff
        s = tmp / tmp.sum(axis=1, keepdims=True)
    rows = np.any(exact, axis=1)
    s[rows] = exact[rows].astype(np.float64)
    return s


def anterpolate(pos: np.ndarray, q: np.ndarray, src_nodes, batch_floats: int = 4_000_000) -> np.ndarray:
    """``Q = sum_j q_j S1[j] o S2[j] o S3[j]`` (charges moved to the source Chebyshev grid)."""
    s = [barycentric_rows(pos[:, k], src_nodes[k]) for k in range(3)]
    n1, n2, n3 = (x.shape[0] for x in src_nodes)
    out = np.zeros((n1, n2 * n3))
    step = max(1, batch_floats // (n2 * n3))
    for a in range(0, pos.shape[0], step):
        sl = slice(a, a + step)
        kr = (s[1][sl, :, None] * s[2][sl, None, :]).reshape(-1, n2 * n3)
        out += (s[0][sl] * q[sl, None]).T @ kr
    return out.reshape(n1, n2, n3)


def _local_error(step: float, points: int) -> float:
    """Max error of ``points``-point equispaced interpolation (spacing ``step``) of ``exp(-(p - x)^2)``.

    The evaluation point ``p`` runs over the central cell of the stencil, the centre
    ``x`` over the whole stretch where the Gaussian is above rounding.
    """
    half = points // 2
    s = np.linspace(half - 1, half, 65)  # position in the stencil, units of step
    nodes = np.arange(points, dtype=np.float64)
    denom = np.array([np.prod([a - b for b in range(points) if b != a]) for a in range(points)], dtype=np.float64)
    diff = s[:, None] - nodes[None, :]
    weights = np.empty((s.size, points))
    for a in range(points):
        weights[:, a] = np.prod(np.delete(diff, a, axis=1), axis=1) / denom[a]
    centres = np.arange(-6.5, 6.5 + points * step, 0.01)  # the error varies on the Gaussian's scale, 1
    g_nodes = np.exp(-((step * nodes[None, :] - centres[:, None]) ** 2))  # (n_centres, P)
    g_exact = np.exp(-((step * s[None, :] - centres[:, None]) ** 2))  # (n_centres, n_s)
    return float(np.max(np.abs(g_nodes @ weights.T - g_exact)))


@functools.lru_cache(maxsize=64)
def spread_step(points: int, tol: float) -> float:
    """Largest spacing ``h / r0`` at which ``points``-point local interpolation of the Gaussians is within ``tol``.

    The narrowest Gaussian of the long-range part is ``exp(-(x - p)^2 / r0^2)``; the
    wider ones interpolate at least as well. Found by bisection in ``log h`` on
    :func:`_local_error` (the error grows with ``h``).
    """
    lo, hi = 1e-4, 2.0
    if _local_error(lo, points) > tol:
        return 0.0
    for _ in range(40):
        mid = math.sqrt(lo * hi)
        if _local_error(mid, points) <= tol:
            lo = mid
        else:
            hi = mid
        if hi / lo < 1.01:
            break
    return lo


_SPREAD_OP = 20.0  # one spreading update costs about as much as 20 flops of a matrix product (measured)
_MAX_UNIFORM = 50_000_000  # largest uniform grid (400 MB)


def _spread_plan(pos: np.ndarray, r0: float, tol: float):
    """The cheapest spread route ``(cost, P, h, lo, n_u)``, or None if no stencil fits in memory.

    Cost in flop equivalents: the spreading (``N P^3`` updates) plus the three mode
    products of the uniform grid with the ``(n_s, n_u)`` transfer matrices.
    """
    n_part = pos.shape[0]
    span = np.ptp(pos, axis=0)
    best = None
    for points in SPREAD_POINTS:
        ratio = spread_step(points, tol)
        if ratio <= 0.0:
            continue
        h = ratio * r0
        n_u = np.floor(span / h).astype(np.int64) + points + 1
        if float(np.prod(n_u.astype(np.float64))) > _MAX_UNIFORM:
            continue
        lo = pos.min(axis=0) - (points // 2 - 1) * h
        ns = [gaussian_degree(0.5 * float(n_u[k] - 1) * h, r0, tol) for k in range(3)]
        cost = (_SPREAD_OP * n_part * points**3 + 2.0 * float(np.prod(n_u)) * ns[0]
                + 2.0 * ns[0] * n_u[1] * n_u[2] * ns[1] + 2.0 * ns[0] * ns[1] * n_u[2] * ns[2])
        if best is None or cost < best[0]:
            best = (cost, points, h, lo, n_u)
    return best


def source_grid(pos: np.ndarray, q: np.ndarray, r0: float, tol: float, method: str = "auto"):
    """Chebyshev source nodes (one array per axis) and the source charges ``Q`` on them.

    Parameters
    ----------
    pos : ndarray, shape (N, 3), N >= 1
    q : ndarray, shape (N,)
    r0 : float
        Width of the narrowest Gaussian.
    tol : float
        Interpolation tolerance for the Gaussians (relative to their peak).
    method : {"auto", "interpolated", "spread"}
        ``"auto"`` takes the route with the smaller operation count.

    Returns
    -------
    nodes : list of 3 ndarrays
    Q : ndarray, shape (n_s1, n_s2, n_s3)
    """
    plan = _spread_plan(pos, r0, tol) if method in ("auto", "spread") else None
    if method == "auto" and plan is not None:
        ns_direct = [gaussian_degree(max(0.5 * float(np.ptp(pos[:, k])), 1e-3 * r0), r0, tol) for k in range(3)]
        if 2.0 * pos.shape[0] * float(np.prod(ns_direct)) <= plan[0]:
            plan = None
    if method == "spread" and plan is None:
        raise ValueError(f"method='spread': no uniform grid of at most {_MAX_UNIFORM} nodes interpolates the "
                         f"Gaussians of width r0={r0:g} over these particles to {tol:.1e}; use "
                         "method='interpolated' or a larger r0")
    if plan is None:
        nodes = []
        for k in range(3):
            a, b = float(pos[:, k].min()), float(pos[:, k].max())
            half = max(0.5 * (b - a), 1e-3 * r0)
            mid = 0.5 * (a + b)
            ns = gaussian_degree(half, r0, tol)
            nodes.append(chebyshev.points(ns, kind=1, interval=(mid - half, mid + half)) if ns > 1 else np.array([mid]))
        return nodes, anterpolate(pos, q, nodes)
    _, points, h, lo, n_u = plan
    grid = np.zeros(tuple(int(v) for v in n_u))
    # particles in grid order, so that consecutive stencils share cache lines
    cell = np.floor((pos - lo) / h).astype(np.int64)
    order = np.argsort((cell[:, 0] * n_u[1] + cell[:, 1]) * n_u[2] + cell[:, 2], kind="stable")
    _kernels.spread_charges(np.ascontiguousarray(pos[order]), np.ascontiguousarray(q[order]),
                            np.ascontiguousarray(lo), np.full(3, h), points, grid)
    nodes = []
    for k in range(3):
        uniform = lo[k] + h * np.arange(n_u[k])
        half = 0.5 * (uniform[-1] - uniform[0])
        mid = 0.5 * (uniform[-1] + uniform[0])
        ns = gaussian_degree(half, r0, tol)
        nodes.append(chebyshev.points(ns, kind=1, interval=(mid - half, mid + half)))
        grid = mode_product(grid, np.ascontiguousarray(barycentric_rows(uniform, nodes[k]).T), k)
    return nodes, grid
