"""The particle computations as Dask tasks: chunks of particles, a tree reduction, a broadcast.

Internal module: :mod:`specnum.chebtucker` re-exports ``total_potential``; the other names here
serve the pillar's own modules and may change.

Used when a public function gets ``executor="dask"`` (dask's default scheduler, e.g. the
threads of this process or an active ``dask.distributed.Client``) or a
``dask.distributed.Client``. The particles are sorted by x and split into chunks:

1. *plan* (on the caller): the charge-independent part of the long-range build
   (quadrature, factor bases, source projections, the spreading grid), sent to every worker;
2. *spread*: each chunk's projected source grid (a task per chunk; the grids of all
   chunks add up to that of all particles, as the build is linear in the charges);
3. *reduce*: the grids are summed pairwise (a tree of tasks);
4. *compress*: one task turns the sum into the long-range ChebTucker, which is then
   broadcast to the workers once;
5. *long range*: each chunk's particles (or targets) take the long-range values from the
   same global evaluation grid as the serial path;
6. *short range*: for potentials at targets, each chunk of (x-sorted) targets sums over
   the sources within the cutoff of its x-range (its halo), with the columns of the global
   cell list, so each target's sum has the terms and the order of the serial per-target
   sum. For the energy and forces of the particles themselves, each pair is visited once,
   as in the serial path: a chunk (a slab of the x-sorted particles) takes the pairs whose
   first particle, in x order, is its own, with the partners among its own particles or
   in its halo on the right (the particles within the cutoff beyond its last x). It
   returns the contributions to its own and to its halo particles, and the caller adds
   them up chunk by chunk.

The results equal the serial ones up to rounding (the summation order differs). Tasks run
their kernels on one thread each: the parallelism is the workers' (a worker with ``k``
threads runs ``k`` tasks at once).

Running on several machines: start a scheduler and workers with the ``dask`` command
line (``dask scheduler`` on one machine, ``dask worker tcp://<scheduler>:8786 --nthreads
<cores> --nworkers 1`` on each, with specnum importable there), or any deployment dask
supports (``dask-jobqueue`` for batch schedulers, ``dask-kubernetes``), then pass
``Client("tcp://<scheduler>:8786")`` as ``executor``. The particle arrays are scattered
from the caller; the chunk size (:data:`CHUNK_PARTICLES`) bounds the memory of a task.
"""

from __future__ import annotations

import contextlib
import math
import time
from typing import Any

import numpy as np

from ._parallel import default_threads, single_blas
from .evaluation import evaluate_many, evaluation_grid
from .longrange import compress, plan_for, source_grid, zero_potential
from .neighbours import column_grid, short_pairs, short_sums

__all__ = ["CHUNK_PARTICLES", "runner", "long_range", "energy_forces", "total_potential"]

#: Particles per chunk (at least two chunks per worker are made).
CHUNK_PARTICLES = 1_000_000


# ---------------------------------------------------------------------------- runners
class _ClientRunner:
    """Tasks as futures of a ``dask.distributed.Client``."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.workers = max(1, len(client.scheduler_info().get("workers", {})))

    def put(self, obj: Any, broadcast: bool = True) -> Any:
        return self.client.scatter(obj, broadcast=broadcast, hash=False)

    def put_many(self, objs: list) -> list:
        return self.client.scatter(objs, hash=False)

    def submit(self, fn, *args) -> Any:
        return self.client.submit(fn, *args, pure=False)

    def map(self, fn, items: list, *args) -> list:
        return [self.client.submit(fn, item, *args, pure=False) for item in items]

    def wait(self, handles: list) -> list:
        from distributed import wait

        wait(handles)
        return handles

    def results(self, handles: list) -> list:
        return self.client.gather(handles)


class _DelayedRunner:
    """Tasks as ``dask.delayed`` objects, computed stage by stage with dask's default scheduler."""

    workers = 2

    def put(self, obj: Any, broadcast: bool = True) -> Any:
        import dask

        return dask.delayed(obj, traverse=False)

    def put_many(self, objs: list) -> list:
        return [self.put(o) for o in objs]

    def submit(self, fn, *args) -> Any:
        import dask

        return dask.delayed(fn, pure=False)(*args)

    def map(self, fn, items: list, *args) -> list:
        return [self.submit(fn, item, *args) for item in items]

    def wait(self, handles: list) -> list:
        import dask

        return list(dask.persist(*handles))

    def results(self, handles: list) -> list:
        import dask

        return list(dask.compute(*handles))


def runner(executor: Any):
    """The task runner of ``executor``: ``"dask"`` or a ``dask.distributed.Client``."""
    if isinstance(executor, str) and executor == "dask":
        return _DelayedRunner()
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - dask is an optional dependency
        Client = ()  # noqa: N806
    if Client and isinstance(executor, Client):
        return _ClientRunner(executor)
    raise TypeError(f"executor must be None, 'dask' or a dask.distributed.Client, got {executor!r}")


def _tree_sum(run, handles: list):
    """Pairwise sums of the handles, level by level (a binary tree of tasks)."""
    while len(handles) > 1:
        nxt = [run.submit(np.add, handles[i], handles[i + 1]) for i in range(0, len(handles) - 1, 2)]
        if len(handles) % 2:
            nxt.append(handles[-1])
        handles = nxt
    return handles[0]


# ------------------------------------------------------------------------------ tasks
@contextlib.contextmanager
def _one_thread():
    """numba's parallel kernels on the task's own thread only (the workers' threads run the tasks)."""
    import numba

    old = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        with single_blas():
            yield
    finally:
        numba.set_num_threads(old)


def _task_source_grid(chunk, plan, grid_memory):
    pos, q = chunk
    with _one_thread():
        return source_grid(plan, pos, q, grid_memory=grid_memory, threads=1)


def _task_compress(plan, qgrid):
    with _one_thread():
        return compress(plan, qgrid, threads=1)


def _task_long(targets, lr, grid, r0, rtol, grad, grid_memory):
    with _one_thread():
        return evaluate_many(lr, targets, r0, rtol, grad, grid_memory=grid_memory, threads=1, grid=grid)


def _task_short(item, kernel, r0, kappa, rc, s0, grad, cgrid):
    targets, sources, charges = item
    with _one_thread():
        return short_sums(sources, charges, targets, kernel, r0, kappa, rc, grad, s0, grid=cgrid)


def _task_pairs(item, kernel, r0, kappa, rc, s0):
    pos, q, owned = item
    with _one_thread():
        return short_pairs(pos, q, kernel, r0, kappa, rc, s0, owned=owned)


def _chunk_bounds(n: int, workers: int) -> list[tuple[int, int]]:
    count = max(2 * workers, math.ceil(n / CHUNK_PARTICLES), 1)
    edges = np.linspace(0, n, min(count, max(n, 1)) + 1).astype(np.int64)
    return [(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:]) if b > a]


def _sorted(pos: np.ndarray, *others: np.ndarray):
    order = np.argsort(pos[:, 0], kind="stable")
    return (order, np.ascontiguousarray(pos[order])) + tuple(np.ascontiguousarray(o[order]) for o in others)


# ------------------------------------------------------------------------- algorithms
def long_range(run, pos, q, box, r0, nn, rtol, kernel, kappa, n_max, method, grid_memory, timings=None):
    """The long-range ChebTucker built as tasks; returns ``(lr, (order, sorted pos, sorted q, chunks))``."""
    timings = {} if timings is None else timings
    order, ps, qs = _sorted(pos, q)
    chunks = _chunk_bounds(pos.shape[0], run.workers)
    if pos.shape[0] == 0 or not np.any(q):
        return zero_potential(box, nn), (order, ps, qs, chunks)
    t0 = time.perf_counter()
    with single_blas():
        plan = plan_for(pos, q, box, r0, nn, rtol, kernel, kappa, n_max, method, threads=default_threads())
    plan_h = run.put(plan)
    data = run.put_many([(ps[a:b], qs[a:b]) for a, b in chunks])
    t1 = time.perf_counter()
    parts = run.wait(run.map(_task_source_grid, data, plan_h, grid_memory))
    t2 = time.perf_counter()
    total = run.wait([_tree_sum(run, parts)])[0]
    t3 = time.perf_counter()
    lr = run.results([run.submit(_task_compress, plan_h, total)])[0]
    t4 = time.perf_counter()
    timings.update({"plan": t1 - t0, "spread": t2 - t1, "reduce": t3 - t2, "compress": t4 - t3})
    return lr, (order, ps, qs, chunks)


def _halos(ps: np.ndarray, chunks, targets_sorted: np.ndarray, rc: float):
    """Per chunk of targets: the index range of the (x-sorted) sources within ``rc`` of its x-range."""
    x = ps[:, 0]
    out = []
    for a, b in chunks:
        lo = int(np.searchsorted(x, targets_sorted[a, 0] - rc, side="left"))
        hi = int(np.searchsorted(x, targets_sorted[b - 1, 0] + rc, side="right"))
        out.append((lo, hi))
    return out


def _evaluate(run, lr, ps_targets, chunks, pos_sources, qs, rtol, r0, kernel, kappa, rc, s0, grid_memory, grad,
              timings):
    """Long- and short-range values at chunks of x-sorted targets: ``(M, 1|4)`` each, sorted order."""
    t0 = time.perf_counter()
    m = ps_targets.shape[0]
    grid = evaluation_grid(ps_targets.min(axis=0), ps_targets.max(axis=0), r0, rtol, lr.ranks, m, grad) if m else None
    cgrid = column_grid(pos_sources, rc)
    lr_h = run.put(lr)
    targets = run.put_many([ps_targets[a:b] for a, b in chunks])
    halos = _halos(pos_sources, chunks, ps_targets, rc)
    items = run.put_many([(ps_targets[a:b], pos_sources[lo:hi], qs[lo:hi]) for (a, b), (lo, hi) in zip(chunks, halos)])
    t1 = time.perf_counter()
    long = run.results(run.map(_task_long, targets, lr_h, grid, r0, rtol, grad, grid_memory))
    t2 = time.perf_counter()
    short = run.results(run.map(_task_short, items, kernel, r0, kappa, rc, s0, grad, cgrid))
    t3 = time.perf_counter()
    timings.update({"broadcast": t1 - t0, "long range": t2 - t1, "short range": t3 - t2})
    ncol = 4 if grad else 1
    empty = np.zeros((0, ncol))
    return (np.concatenate(long) if long else empty), (np.concatenate(short) if short else empty)


def _right_halos(ps: np.ndarray, chunks, rc: float) -> list[int]:
    """Per chunk ``[a, b)`` of the x-sorted particles: the end of its right halo (``x < x[b-1] + rc``, widened)."""
    x = ps[:, 0]
    return [max(b, int(np.searchsorted(x, x[b - 1] + rc * (1.0 + 1e-9), side="right"))) for _, b in chunks]


def _pair_sums(run, ps, qs, chunks, kernel, r0, kappa, rc, s0):
    """Short-range potentials and forces of the x-sorted particles, each pair within ``rc`` visited once.

    A chunk ``[a, b)`` with its right halo ``[b, hi)`` sums the pairs with at least one
    particle in ``[a, b)``: a pair lies in the chunk of its first particle in x order (its
    partner within ``rc`` lies before ``hi``) and in no other, as the other chunks see
    that particle as a halo particle at most, and without an own partner.
    """
    his = _right_halos(ps, chunks, rc)
    items = run.put_many([(ps[a:hi], qs[a:hi], b - a) for (a, b), hi in zip(chunks, his)])
    parts = run.results(run.map(_task_pairs, items, kernel, r0, kappa, rc, s0))
    vs = np.zeros(ps.shape[0])
    fs = np.zeros((ps.shape[0], 3))
    for (a, _), hi, (v, f) in zip(chunks, his, parts):
        vs[a:hi] += v
        fs[a:hi] += f
    return vs, fs


def energy_forces(run, pos, q, box, r0, nn, rtol, kernel, kappa, n_max, rc, s0, grid_memory, timings):
    """Long-range values/gradients and short-range potentials/forces at the particles, as tasks.

    Returns ``(lr, vals (N, 4), vs (N,), fs (N, 3))`` in the particles' order, as the
    serial path of :func:`~specnum.chebtucker.coulomb_energy_forces` needs them.
    """
    lr, (order, ps, qs, chunks) = long_range(run, pos, q, box, r0, nn, rtol, kernel, kappa, n_max, "auto",
                                             grid_memory, timings)
    n = pos.shape[0]
    vals = np.zeros((n, 4))
    vs = np.zeros(n)
    fs = np.zeros((n, 3))
    if n == 0:
        return lr, vals, vs, fs
    t0 = time.perf_counter()
    m = ps.shape[0]
    grid = evaluation_grid(ps.min(axis=0), ps.max(axis=0), r0, rtol, lr.ranks, m, True)
    lr_h = run.put(lr)
    targets = run.put_many([ps[a:b] for a, b in chunks])
    t1 = time.perf_counter()
    long = run.results(run.map(_task_long, targets, lr_h, grid, r0, rtol, True, grid_memory))
    t2 = time.perf_counter()
    vs[order], fs[order] = _pair_sums(run, ps, qs, chunks, kernel, r0, kappa, rc, s0)
    timings.update({"broadcast": t1 - t0, "long range": t2 - t1, "short range": time.perf_counter() - t2})
    vals[order] = np.concatenate(long)
    return lr, vals, vs, fs


def total_potential(run, pos, q, tgt, box, r0, nn, rtol, kernel, kappa, n_max, rc, s0, grid_memory):
    """``V_L + V_S`` at targets as tasks (chunks of x-sorted targets with their source halos)."""
    lr, (_, ps, qs, _) = long_range(run, pos, q, box, r0, nn, rtol, kernel, kappa, n_max, "auto", grid_memory)
    t_order, ts = _sorted(tgt)
    chunks = _chunk_bounds(tgt.shape[0], run.workers)
    out = np.zeros(tgt.shape[0])
    if tgt.shape[0] == 0:
        return out
    long, short = _evaluate(run, lr, ts, chunks, ps, qs, rtol, r0, kernel, kappa, rc, s0, grid_memory, False, {})
    out[t_order] = long[:, 0] + short[:, 0]
    return out
