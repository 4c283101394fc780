"""Thread use of the pillar (internal): independent work items in a few threads, results in order.

Work that splits into independent items (slabs of a uniform grid, row blocks of a Tucker
core) runs in ``threads`` Python threads; the compiled kernels release the GIL and the
matrix products inside an item run on one BLAS thread (``threadpoolctl``), so the cores
are shared by the items, not oversubscribed by BLAS. Results come back in item order and
at most ``threads`` items are in flight (bounded memory); callers add them up in that
order, so sums do not depend on the thread count.
"""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

__all__ = ["default_threads", "single_blas", "Workers", "ordered_map"]


def default_threads() -> int:
    """The thread count in force: numba's (``numba.set_num_threads``, ``NUMBA_NUM_THREADS``)."""
    import numba

    return max(1, int(numba.get_num_threads()))


@contextlib.contextmanager
def single_blas() -> Iterator[None]:
    """BLAS limited to one thread inside the block (a no-op without threadpoolctl)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl is a core dependency
        yield
        return
    with threadpool_limits(limits=1, user_api="blas"):
        yield


class Workers:
    """A pool of ``threads`` threads (none for one thread) with BLAS on one thread, as a context manager."""

    def __init__(self, threads: int) -> None:
        self.threads = max(1, int(threads))
        self._pool: ThreadPoolExecutor | None = None
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> Workers:
        self._stack.enter_context(single_blas())
        if self.threads > 1:
            self._pool = self._stack.enter_context(ThreadPoolExecutor(max_workers=self.threads))
        return self

    def __exit__(self, *exc: Any) -> None:
        self._pool = None
        self._stack.close()

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        """``fn(item)`` for each item, yielded in order, with at most ``threads`` items in flight."""
        if self._pool is None:
            for item in items:
                yield fn(item)
            return
        pending: deque = deque()
        for item in items:
            pending.append(self._pool.submit(fn, item))
            if len(pending) >= self.threads:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def ordered_map(fn: Callable[[Any], Any], items: Iterable[Any], threads: int) -> Iterator[Any]:
    """:meth:`Workers.map` with a pool of its own."""
    with Workers(threads) as workers:
        yield from workers.map(fn, items)
