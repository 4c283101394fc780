"""Timings for the demos: threads pinned, warm-up, best of repeats.

On a shared machine a single timing mixes the method with the noise: other
processes, the first call's compilation, and BLAS or numba threads fighting for
the cores (a small product in a threaded BLAS can take 20 times its one-thread
time). :func:`best_time` removes what can be removed: it pins the BLAS/OpenMP
pools (threadpoolctl) and numba's threads, runs a warm-up, and returns the
minimum over repeats. :func:`describe_timing` is the sentence a caption or a
table title states about it.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from specnum._validation import as_float, as_int

__all__ = ["Timing", "pinned_threads", "best_time", "describe_timing"]


@dataclass(frozen=True)
class Timing:
    """A measured call: the best time over ``repeats`` runs with ``threads`` threads.

    ``value`` is what the last call returned (so a timed build need not be run again).
    ``threads`` is None when the thread pools were left at their defaults.
    """

    seconds: float
    repeats: int
    threads: int | None
    value: Any = field(default=None, repr=False, compare=False)


@contextlib.contextmanager
def pinned_threads(threads: int | None = 1) -> Iterator[None]:
    """Limit the BLAS and OpenMP pools (threadpoolctl) and numba's threads to ``threads`` inside the block.

    ``threads=None`` leaves every pool at its default. numba's count is restored on exit.

    Examples
    --------
    >>> import numpy as np
    >>> with pinned_threads(1):
    ...     _ = np.ones((4, 4)) @ np.ones((4, 4))
    """
    if threads is None:
        yield
        return
    threads = as_int(threads, "threads", minimum=1)
    import numba
    from threadpoolctl import threadpool_limits

    before = numba.get_num_threads()
    numba.set_num_threads(min(threads, numba.config.NUMBA_NUM_THREADS))
    try:
        with threadpool_limits(limits=threads):
            yield
    finally:
        numba.set_num_threads(before)


def best_time(fn: Callable[[], Any], *, repeat: int = 3, warmup: int = 1, budget: float = 2.0,
              threads: int | None = 1) -> Timing:
    """Best wall time of ``fn()`` over up to ``repeat`` runs, after ``warmup`` untimed runs, threads pinned.

    Parameters
    ----------
    fn : callable
        Called with no argument.
    repeat : int
        Largest number of timed runs (>= 1).
    warmup : int
        Untimed runs first (compilation, caches); 0 when the caller has warmed up.
    budget : float
        Seconds of timed runs after which no further repeat starts (a slow call is
        timed fewer times; at least once).
    threads : int or None
        Thread count for BLAS, OpenMP and numba during the runs (None: defaults).

    Returns
    -------
    Timing
        ``seconds`` is the minimum, ``repeats`` the number of timed runs.

    Examples
    --------
    >>> t = best_time(lambda: sum(range(1000)), repeat=3)
    >>> t.repeats, t.threads, t.value, t.seconds > 0
    (3, 1, 499500, True)
    """
    repeat = as_int(repeat, "repeat", minimum=1)
    warmup = as_int(warmup, "warmup", minimum=0)
    budget = as_float(budget, "budget", low=0.0)
    best, spent, runs, value = float("inf"), 0.0, 0, None
    with pinned_threads(threads):
        for _ in range(warmup):
            value = fn()
        while runs < repeat and (runs == 0 or spent < budget):
            t0 = time.perf_counter()
            value = fn()
            elapsed = time.perf_counter() - t0
            best, spent, runs = min(best, elapsed), spent + elapsed, runs + 1
    return Timing(seconds=best, repeats=runs, threads=threads, value=value)


def describe_timing(threads: int | None = 1, repeat: int = 3) -> str:
    """How :func:`best_time` measured, in words (for captions and table titles).

    Examples
    --------
    >>> describe_timing(1, 3)
    'BLAS, OpenMP and numba pinned to 1 thread; best of up to 3 runs after a warm-up'
    """
    pools = ("BLAS, OpenMP and numba at their default thread counts" if threads is None
             else f"BLAS, OpenMP and numba pinned to {threads} thread{'s' if threads > 1 else ''}")
    return f"{pools}; best of up to {repeat} runs after a warm-up"
