"""Timing harness shared by the benchmark scripts (not part of the installed package).

Usage from a script in ``benchmarks/``::

    from _harness import set_threads, timeit, print_table, machine_info
    set_threads(2)
    t_ours = timeit(lambda: ours(x))
    t_peer = timeit(lambda: peer(x))
    print_table([["case", t_ours.median, t_peer.median, t_peer.median / t_ours.median]],
                ["case", "specnum [s]", "peer [s]", "speed-up"])

Each measurement runs ``warmup`` untimed calls (numba compilation, caches, page
faults), then ``repeat`` timed rounds of ``number`` calls, and reports the median
and the minimum per call. The machine is shared and noisy: compare against the
peer in the same run and read the ratio, not the absolute times.
"""

from __future__ import annotations

import datetime as _dt
import os
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = ["Timing", "timeit", "set_threads", "print_table", "machine_info", "ratio"]

# NUMBA_NUM_THREADS is left alone: numba re-reads its environment at every compilation and refuses a
# changed value once its thread pool runs; numba.set_num_threads below limits it at run time instead.
_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


@dataclass(frozen=True)
class Timing:
    """Seconds per call: median and minimum over the timed rounds."""

    median: float
    min: float
    repeat: int
    number: int

    def __str__(self) -> str:
        return f"{fmt_seconds(self.median)} (min {fmt_seconds(self.min)})"


def fmt_seconds(t: float) -> str:
    """Format a duration with a unit that keeps three significant digits."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if t >= scale:
            return f"{t / scale:.3g} {unit}"
    return f"{t / 1e-9:.3g} ns"


def set_threads(n: int) -> None:
    """Limit BLAS/OpenMP/numba threads to ``n`` (call before the first heavy import if possible)."""
    for var in _THREAD_VARS:
        os.environ[var] = str(n)
    try:  # threadpoolctl, when present, also limits already-loaded BLAS libraries
        from threadpoolctl import threadpool_limits

        threadpool_limits(n)
    except ImportError:
        pass
    try:
        import numba

        numba.set_num_threads(min(n, numba.config.NUMBA_NUM_THREADS))
    except ImportError:
        pass
    try:
        import torch

        torch.set_num_threads(n)
    except ImportError:
        pass


def timeit(fn: Callable[[], object], *, repeat: int = 7, warmup: int = 1, number: int | None = None,
           min_time: float = 0.05) -> Timing:
    """Time ``fn()``: ``warmup`` untimed calls, then ``repeat`` rounds of ``number`` calls.

    When ``number`` is None it is chosen so that one round lasts at least ``min_time`` seconds.
    """
    for _ in range(warmup):
        fn()
    if number is None:
        number = 1
        while True:
            t0 = time.perf_counter()
            for _ in range(number):
                fn()
            dt = time.perf_counter() - t0
            if dt >= min_time or number >= 1 << 20:
                break
            number *= 2 if dt == 0 else max(2, min(10, int(min_time / dt) + 1))
    rounds = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        rounds.append((time.perf_counter() - t0) / number)
    return Timing(statistics.median(rounds), min(rounds), repeat, number)


def ratio(slow: Timing, fast: Timing) -> float:
    """Median-over-median speed-up of ``fast`` relative to ``slow``."""
    return slow.median / fast.median


def print_table(rows: Sequence[Sequence[object]], headers: Sequence[str]) -> str:
    """Print rows as a Markdown table (floats to 3 significant digits) and return the text."""

    def cell(v: object) -> str:
        if isinstance(v, Timing):
            return fmt_seconds(v.median)
        if isinstance(v, float):
            return f"{v:.3g}"
        return str(v)

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    text = "\n".join(lines)
    print(text, flush=True)
    return text


def machine_info() -> str:
    """One line naming the date, machine, core count and library versions."""
    import numpy
    import scipy

    parts = [
        _dt.date.today().isoformat(),
        platform.machine(),
        platform.processor() or platform.platform(),
        f"{os.cpu_count()} cores",
        f"python {platform.python_version()}",
        f"numpy {numpy.__version__}",
        f"scipy {scipy.__version__}",
    ]
    try:
        import numba

        parts.append(f"numba {numba.__version__}")
    except ImportError:
        pass
    return ", ".join(parts)
