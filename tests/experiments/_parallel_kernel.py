"""A numba-parallel kernel for the test experiment: calling it starts numba's threading layer (OpenMP here)."""

from numba import njit, prange


@njit(cache=True, parallel=True)
def parallel_sum(n):
    total = 0.0
    for i in prange(n):
        total += i
    return total
