"""Measured method crossovers for ``gaunt_product(method="auto")`` (internal).

``_BEST[dtype]`` lists ``(L, fastest implementation)`` for ``L1 = L2 = L``, ``lmax_out = 2L``
and 4096 rows, as printed by (1 thread, shared 2-core machine, minimum over repeats)::

    python benchmarks/bench_gaunt.py --crossover

Other sizes use the entry nearest (in log scale) to ``(L1 + L2 + lmax_out) / 4``. The
implementations are exact and agree to rounding, so the table only affects speed.
"""

from __future__ import annotations

import math
from functools import lru_cache

from specnum._validation import as_choice, as_int

__all__ = ["choose_method", "dense_grid_max_degree"]

_BEST = {
    # measured 2026-11-27 (2-core AMD EPYC, shared, 1 thread); see benchmarks/RESULTS.md
    "float32": (
        (1, "direct"), (2, "direct"), (4, "direct"), (6, "direct"), (8, "direct"),
        (12, "grid_separable"), (16, "grid_separable"), (24, "grid_separable"), (32, "grid_separable"),
    ),
    "float64": (
        (1, "direct"), (2, "direct"), (4, "direct"), (6, "direct"), (8, "direct"),
        (12, "grid_separable"), (16, "grid_separable"), (24, "grid_separable"), (32, "grid_separable"),
    ),
}

#: Largest max(L1, L2, lmax_out) for which "grid" uses its dense-matrix form (same benchmark:
#: dense beats separable up to L = 8, i.e. output degree 16, and loses from L = 12).
_DENSE_GRID_MAX = {"float32": 16, "float64": 16}


def dense_grid_max_degree(dtype: str) -> int:
    """Largest degree for which method "grid" uses dense synthesis/analysis matrices."""
    return _DENSE_GRID_MAX.get(dtype, 16)


@lru_cache(maxsize=512)
def choose_method(lmax1: int, lmax2: int, lmax_out: int, *, nrow: int, dtype: str = "float64") -> str:
    """The implementation ``gaunt_product(method="auto")`` uses for the given sizes.

    Parameters
    ----------
    lmax1, lmax2, lmax_out : int
        Degrees of the two inputs and of the output.
    nrow : int, keyword-only
        Number of products in the batch (accepted for batch-dependent tables; the stored
        crossovers were measured with 4096 rows).
    dtype : {"float32", "float64"}, keyword-only
        Working precision.

    Returns
    -------
    str
        ``"direct"``, ``"grid"`` (the dense or separable form chosen by degree),
        ``"grid_separable"`` or ``"fourier"``.

    Raises
    ------
    ValueError
        Negative degrees or ``nrow``, ``dtype`` not "float32" or "float64".
    TypeError
        Non-integer degrees or ``nrow``.

    Notes
    -----
    The table ``_BEST`` holds the fastest method per degree measured by
    ``python benchmarks/bench_gaunt.py --crossover`` (see ``benchmarks/RESULTS.md``); sizes in
    between take the nearest measured degree on a log scale.

    Examples
    --------
    >>> choose_method(2, 2, 4, nrow=4096), choose_method(32, 32, 64, nrow=4096)
    ('direct', 'grid_separable')
    """
    lmax1 = as_int(lmax1, "lmax1", minimum=0)
    lmax2 = as_int(lmax2, "lmax2", minimum=0)
    lmax_out = as_int(lmax_out, "lmax_out", minimum=0)
    as_int(nrow, "nrow", minimum=0)
    table = _BEST[as_choice(dtype, "dtype", tuple(_BEST))]
    key = max((lmax1 + lmax2 + lmax_out) / 4.0, 0.5)
    best = min(table, key=lambda e: abs(math.log(e[0]) - math.log(key)))
    if best[1] == "direct" and max(lmax1, lmax2) > 2 * best[0] + 2:
        return "grid"  # the sparse table grows like L^5: never extrapolate it far
    if best[1] == "fourier" and max(lmax1 + lmax2, lmax_out) > 128:
        return "grid"  # beyond the exact Fourier tables (MAX_TABLE_DEGREE)
    return best[1]
