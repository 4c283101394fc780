"""The demos' timing helper: threads pinned inside, restored after; warm-up, best of repeats, budget."""

from __future__ import annotations

import time

import numba
import pytest
from threadpoolctl import threadpool_info

from specnum.experiments.timing import Timing, best_time, describe_timing, pinned_threads


def _blas_threads() -> set[int]:
    return {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}


def test_pinned_threads_limits_blas_and_numba_and_restores():
    before_numba, before_blas = numba.get_num_threads(), _blas_threads()
    with pinned_threads(1):
        assert numba.get_num_threads() == 1
        assert _blas_threads() <= {1}
    assert numba.get_num_threads() == before_numba
    assert _blas_threads() == before_blas
    with pinned_threads(None):  # defaults left alone
        assert numba.get_num_threads() == before_numba


def test_best_time_is_the_minimum_after_the_warmup():
    sleeps = iter([0.2, 0.06, 0.005, 0.04])  # the first (0.2 s) is the untimed warm-up
    calls = []

    def fn():
        calls.append(1)
        time.sleep(next(sleeps))
        return len(calls)

    t = best_time(fn, repeat=3, warmup=1, budget=10.0)
    assert isinstance(t, Timing) and t.repeats == 3 and t.threads == 1 and t.value == 4
    assert 0.005 <= t.seconds < 0.04  # the fastest run, not the warm-up nor the mean


def test_best_time_stops_at_the_budget_but_times_once():
    calls = []

    def fn():
        calls.append(1)
        time.sleep(0.02)

    t = best_time(fn, repeat=5, warmup=0, budget=0.01)
    assert t.repeats == 1 and len(calls) == 1 and t.seconds >= 0.02


def test_best_time_checks_its_arguments():
    with pytest.raises(ValueError, match="repeat"):
        best_time(lambda: None, repeat=0)
    with pytest.raises(ValueError, match="threads"):
        best_time(lambda: None, threads=0)
    assert "pinned to 1 thread;" in describe_timing(1, 3)
    assert "default" in describe_timing(None, 3)
