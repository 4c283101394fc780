"""Thread policy of blockwise kernels (internal, layer L1).

Blockwise computations (the sphere-grid transforms and the products built on them) run
their row blocks on worker threads and keep each BLAS call inside a block on one thread:
small matrix products parallelised by BLAS itself wait for descheduled threads on a
busy machine. The number of workers follows the user's settings: numba's thread count
(``numba.set_num_threads``, ``NUMBA_NUM_THREADS``) capped by the BLAS thread count in
force (``threadpoolctl.threadpool_limits``, ``OPENBLAS_NUM_THREADS``), so limiting
either to one thread makes every blockwise computation single-threaded.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from functools import lru_cache

__all__ = ["worker_count", "parallel_workers", "single_threaded_blas", "chunk_rows", "run_blocks"]

#: Work (floating-point operations) below which a call stays on one thread: a few milliseconds
#: of one thread. On a busy machine a second thread can be descheduled for a time slice (a few
#: milliseconds), which the call then waits for; below this the second thread saves less than
#: that. Gaunt products of 4096 rows from 4.5e7 to 1.8e8 operations (float32 at L = 8: 9.1e7, about
#: 3.8 ms on one thread) run in 0.52-0.67 of the one-thread time on two threads of a quiet machine
#: and 1.1-1.2 times it (median) with a busy process on the other core; the direct route's float32
#: products at L = 6 (6.3e7) ran 1.3 times slower there, which this threshold keeps on one thread
#: (``benchmarks/bench_gaunt.py --thread-ratio``).
PARALLEL_MIN_WORK = 8e7


@lru_cache(maxsize=1)
def _controller():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


@lru_cache(maxsize=1)
def _blas_libs() -> tuple:
    """threadpoolctl's controllers of the BLAS libraries loaded in the process, including scipy's,
    which numba's ``np.dot`` calls (loaded first, so that the list holds it)."""
    import scipy.linalg.cython_blas  # noqa: F401

    return tuple(_controller().select(user_api="blas").lib_controllers)


def _blas_threads() -> int:
    counts = [lib.num_threads for lib in _blas_libs()]
    return max(counts) if counts else 1


def worker_count() -> int:
    """Threads a blockwise computation may use: numba's count, capped by the BLAS count."""
    import numba

    return max(1, min(numba.get_num_threads(), _blas_threads()))


def parallel_workers(work: float) -> int:
    """Workers for a call of about ``work`` operations: one below :data:`PARALLEL_MIN_WORK`."""
    return worker_count() if work > PARALLEL_MIN_WORK else 1


@contextlib.contextmanager
def single_threaded_blas() -> Iterator[None]:
    """Limit BLAS to one thread inside the block (restored afterwards).

    Only libraries running more than one thread are touched, directly through their
    threadpoolctl controllers (a full ``threadpool_limits`` costs tens of microseconds,
    comparable to a small call).
    """
    changed = []
    try:
        for lib in _blas_libs():
            n = lib.num_threads
            if n > 1:
                lib.set_num_threads(1)
                changed.append((lib, n))
        yield
    finally:
        for lib, n in changed:
            lib.set_num_threads(n)


def chunk_rows(nrow: int, block: int, workers: int) -> int:
    """Rows per call of a blockwise kernel over ``nrow`` rows in blocks of ``block``: all of them
    for one worker (each call costs microseconds of dispatch and, between calls, the interpreter
    lock), else whole blocks, about eight chunks per worker so that a descheduled thread delays
    the call little."""
    if workers == 1:
        return max(nrow, 1)
    return block * max(1, -(-max(nrow, 1) // block) // (8 * workers))


@lru_cache(maxsize=4)
def _helpers(pid: int, threads: int) -> ThreadPoolExecutor:
    """The ``threads`` helper threads of blockwise calls in process ``pid``, started on first use and
    kept (starting threads costs a few hundred microseconds per call otherwise). Keyed by the
    process: a forked child starts its own (threads do not survive ``fork``)."""
    return ThreadPoolExecutor(max_workers=threads, thread_name_prefix="specnum-blocks")


_state = threading.local()


def run_blocks(nrow: int, block: int, fn: Callable[[int, int, int], None], *, workers: int,
               blas: bool = True) -> None:
    """Call ``fn(start, stop, worker)`` for the row blocks ``[start, stop)`` of ``range(nrow)``.

    With ``workers > 1`` the blocks are handed out dynamically to that many threads: the
    calling thread (``worker = 0``) and ``workers - 1`` helper threads kept between calls
    (``worker`` in ``0..workers-1`` identifies the thread, e.g. to pick its scratch
    buffers); with ``blas`` (``fn`` calls BLAS) BLAS runs single-threaded throughout.
    A call made from inside ``fn`` runs on its own thread only. An exception in ``fn`` stops
    the other threads after their current block and propagates once all have stopped.
    """
    starts = list(range(0, nrow, block))
    workers = max(1, min(workers, len(starts)))
    if getattr(_state, "inside", False):
        workers = 1
    with single_threaded_blas() if blas else contextlib.nullcontext():
        if workers == 1:
            for s in starts:
                fn(s, min(s + block, nrow), 0)
            return
        it = iter(starts)

        def worker(w: int) -> None:
            _state.inside = True
            try:
                for s in it:  # next() on a list iterator is atomic under the GIL
                    fn(s, min(s + block, nrow), w)
            except BaseException:
                for _ in it:  # the other threads stop after their current block
                    pass
                raise
            finally:
                _state.inside = False

        pool = _helpers(os.getpid(), workers - 1)
        futures = [pool.submit(worker, w) for w in range(1, workers)]
        try:
            worker(0)
        finally:
            wait(futures)
        for f in futures:
            f.result()
