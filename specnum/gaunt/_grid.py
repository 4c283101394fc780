"""The "grid" route of Gaunt products, its vector-Jacobian product and powers (internal).

Both factors are synthesised on a Gauss-Legendre x uniform grid exact for the degree of
the integrand, multiplied pointwise and projected by quadrature; all of it happens on
*folded* grid values (:class:`specnum.bases.spheregrid.SphereTransform`), block by
block of rows, so that the values stay in cache. The transforms (all dense or all separable,
by the rule of :func:`specnum.bases.spheregrid.sphere_transform` for the largest degree; the
separable ones on azimuth-major folded values) are those of the shared
layer; this module only adds the pointwise products (:mod:`specnum.gaunt._grid_kernels`,
where the products and their vector-Jacobian products run block after block in one call per
worker thread).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from specnum.bases._threads import chunk_rows, parallel_workers, run_blocks
from specnum.bases.spheregrid import SphereTransform, sphere_grid, sphere_transform
from specnum.gaunt._checks import float_name
from specnum.gaunt._grid_kernels import folded_mul, product_rows, product_vjp_rows

__all__ = ["grid_plans", "grid_product", "grid_product_vjp", "grid_powers", "grid_powers_vjp"]


@lru_cache(maxsize=64)
def grid_plans(lmaxes: tuple[int, ...], degree: int, dtype: str, transform: str = "auto"):
    """Transform plans of the given degrees on the grid exact for total degree ``degree`` (cached:
    a product of small batches spends its time here otherwise). With ``transform="auto"`` all of
    them are dense or all separable, by the rule of :func:`sphere_transform` for the largest
    degree: a pipeline of both kinds cannot use the azimuth-major layout of the separable plans
    and runs slower than either kind alone (degree-9 and -10 factors 1.2-1.3x,
    ``benchmarks/RESULTS.md``)."""
    grid = sphere_grid(degree, fold_phi=True)
    if transform == "auto":
        transform = "dense" if sphere_transform(max(lmaxes), grid, dtype=dtype).dense else "separable"
    return tuple(sphere_transform(lm, grid, dtype=dtype, method=transform) for lm in lmaxes)


def _mul(a: tuple, b: tuple, out: tuple, amaj: bool) -> None:
    """``out = a * b`` on folded values ``(E, O)`` of whole block buffers (azimuth-major with ``amaj``)."""
    folded_mul(a[0], a[1], 0, b[0], b[1], 0, out[0], out[1], amaj)


def _block_rows(nrow: int, plans: tuple) -> int:
    return min(t.block_rows(nrow) for t in plans)


def _run(nrow: int, plans: tuple, per_row_work: float, setup, kernel) -> None:
    """Blockwise driver: ``setup(nb)`` makes one thread's buffers, ``kernel(start, stop, nb, bufs)``
    runs the blocks of ``nb`` rows in ``[start, stop)``. One worker gets all rows in one call;
    several get chunks of several blocks (about eight per worker, so that a descheduled thread
    delays the call little)."""
    nb = _block_rows(nrow, plans)
    workers = parallel_workers(nrow * per_row_work)
    chunk = chunk_rows(nrow, nb, workers)
    bufs: dict = {}

    def run(start: int, stop: int, w: int) -> None:
        if w not in bufs:
            bufs[w] = setup(nb)
        kernel(start, stop, nb, bufs[w])

    run_blocks(nrow, chunk, run, workers=workers)


def _blockwise(body):
    """A chunk kernel for :func:`_run` from a Python ``body(start, bufs)`` of one block."""

    def kernel(start, stop, nb, bufs):
        for s in range(start, stop, nb):
            body(s, bufs)

    return kernel


def _azimuth_major(*plans: SphereTransform) -> bool:
    """Whether a pipeline of these plans runs on azimuth-major folded values: when all of them are
    separable (the dense matrices write the other layout)."""
    return not any(t.dense for t in plans)


def _work(t: SphereTransform) -> float:
    """Operations per row of one transform, in float64-equivalents (the thread decision): the
    azimuthal part shrinks with the fold under ``phi -> pi - phi``, float32 runs at twice the rate."""
    g = t.grid
    per_row = float(t.ncoef) * g.n_theta * (4 if t.dense else 1) / t.n_reflect \
        + 4.0 * g.n_theta * g.n_phi * (t.lmax + 1) / t.n_reflect
    return per_row * t.dtype.itemsize / 8


def grid_product(a1: np.ndarray, a2: np.ndarray, l1: int, l2: int, lo: int, transform: str = "auto") -> np.ndarray:
    """Gaunt products of the rows of ``a1 (B, n1)`` and ``a2 (B, n2)`` (C-contiguous, one dtype)."""
    t1, t2, to = grid_plans((l1, l2, lo), l1 + l2 + lo, float_name(a1.dtype), transform)
    out = np.empty((a1.shape[0], to.ncoef), a1.dtype)
    same = t1 is t2  # equal degrees: both factors in one pass of the transform (twice the rows)
    amaj = _azimuth_major(t1, t2, to)

    def setup(nb):
        f1, w1 = t1.folded_buffers(2 * nb if same else nb, amaj), t1.workspace(2 * nb if same else nb)
        f2, w2 = (f1, w1) if same else (t2.folded_buffers(nb, amaj), t2.workspace(nb))
        return f1, f2, to.folded_buffers(nb, amaj), w1, w2, to.workspace(nb)

    def kernel(start, stop, nb, bufs):
        product_rows(t1.kernel_tables, t2.kernel_tables, to.kernel_tables, a1, a2, out, start, stop, nb, same,
                     amaj, *bufs)

    _run(a1.shape[0], (t1, t2, to), _work(t1) + _work(t2) + _work(to), setup, kernel)
    return out


def grid_product_vjp(a1: np.ndarray, a2: np.ndarray, g: np.ndarray, l1: int, l2: int, lo: int,
                     transform: str = "auto") -> tuple[np.ndarray, np.ndarray]:
    """``(P_l1(f2 g), P_l2(f1 g))``: the gradients of ``sum g * product(a1, a2)``, sharing the
    three syntheses (the real Gaunt coefficients are symmetric in their three indices)."""
    t1, t2, tg = grid_plans((l1, l2, lo), l1 + l2 + lo, float_name(a1.dtype), transform)
    out1 = np.empty((a1.shape[0], t1.ncoef), a1.dtype)
    out2 = np.empty((a1.shape[0], t2.ncoef), a1.dtype)
    amaj = _azimuth_major(t1, t2, tg)

    def setup(nb):
        return (t1.folded_buffers(nb, amaj), t2.folded_buffers(nb, amaj), tg.folded_buffers(nb, amaj),
                tg.folded_buffers(nb, amaj), t1.workspace(nb), t2.workspace(nb), tg.workspace(nb))

    def kernel(start, stop, nb, bufs):
        product_vjp_rows(t1.kernel_tables, t2.kernel_tables, tg.kernel_tables, a1, a2, g, out1, out2, start, stop,
                         nb, amaj, *bufs)

    _run(a1.shape[0], (t1, t2, tg), 2 * (_work(t1) + _work(t2)) + _work(tg), setup, kernel)
    return out1, out2


def grid_powers(a: np.ndarray, lm: int, nu: int, lo: int) -> np.ndarray:
    """``P_lo(f^k)`` for ``k = 2..nu``, shape ``(nu - 1, B, (lo+1)**2)``, of the rows of ``a``."""
    tx, to = grid_plans((lm, lo), nu * lm + lo, float_name(a.dtype))
    out = np.empty((nu - 1, a.shape[0], to.ncoef), a.dtype)
    amaj = _azimuth_major(tx, to)

    def setup(nb):
        return (tx.folded_buffers(nb, amaj), to.folded_buffers(nb, amaj), to.folded_buffers(nb, amaj),
                tx.workspace(nb), to.workspace(nb))

    def body(start, bufs):
        f, p, q, wx, wo = bufs
        tx.folded_synthesis(a, start, *f, wx, amaj)
        prev = f
        for k in range(2, nu + 1):
            _mul(f, prev, p, amaj)
            to.folded_analysis(*p, out[k - 2], start, wo, amaj)
            p, q = q, p
            prev = q

    work = _work(tx) + nu * (_work(to) + 4.0 * tx.n_half * tx.grid.n_phi)
    _run(a.shape[0], (tx, to), work, setup, _blockwise(body))
    return out


def grid_powers_vjp(a: np.ndarray, g: np.ndarray, lm: int, nu: int, lo: int) -> np.ndarray:
    """Gradient of ``sum_k <g[k-2], P_lo(f^k)>`` with respect to the coefficients of ``f``:
    ``P_lm(sum_k k f^(k-1) h_k)`` with ``h_k`` the synthesis of ``g[k-2] (B, (lo+1)**2)``,
    accumulated by Horner's rule on folded values."""
    tx, to = grid_plans((lm, lo), nu * lm + lo, float_name(a.dtype))
    out = np.empty((a.shape[0], tx.ncoef), a.dtype)
    amaj = _azimuth_major(tx, to)

    def setup(nb):
        return (tx.folded_buffers(nb, amaj), to.folded_buffers(nb, amaj), to.folded_buffers(nb, amaj),
                to.folded_buffers(nb, amaj), tx.workspace(nb), to.workspace(nb))

    def body(start, bufs):
        f, h, s, tmp, wx, wo = bufs
        tx.folded_synthesis(a, start, *f, wx, amaj)
        to.folded_synthesis(g[nu - 2], start, *s, wo, amaj)
        for part in s:
            part *= nu
        for k in range(nu - 1, 1, -1):  # s = k h_k + f s
            _mul(f, s, tmp, amaj)
            to.folded_synthesis(g[k - 2], start, *h, wo, amaj)
            for ps, pt, ph in zip(s, tmp, h):
                np.multiply(ph, k, out=ps)
                ps += pt
        _mul(f, s, tmp, amaj)
        tx.folded_analysis(*tmp, out, start, wx, amaj)

    work = _work(tx) + 2 * nu * (_work(to) + 4.0 * tx.n_half * tx.grid.n_phi)
    _run(a.shape[0], (tx, to), work, setup, _blockwise(body))
    return out
