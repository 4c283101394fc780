"""Measured method crossovers for ``gaunt_product(method="auto")`` (internal).

``_BEST[dtype][nrow]`` lists ``(L, fastest method)`` for ``L1 = L2 = L``, ``lmax_out = 2L``
and batches of ``nrow`` = 1, 64 and 4096 products, as printed by (the machine of
``benchmarks/RESULTS.md``, 1 and 2 threads, minimum over repeats)::

    python benchmarks/bench_gaunt.py --crossover

Other sizes use the nearest batch class and the degree nearest (in log scale) to
``(L1 + L2 + lmax_out) / 4``. The methods are exact and agree to rounding, so the table
only affects speed.
"""

from __future__ import annotations

import math
from functools import lru_cache

from specnum._validation import as_choice, as_int

__all__ = ["choose_method"]

_DEGREES = (1, 2, 4, 5, 6, 7, 8, 9, 12, 16, 24, 32)

_BEST = {
    # the 2-core machine of benchmarks/RESULTS.md, shared; 1 and 2 threads agree
    "float32": {
        1: (("direct", 7), ("grid", 999)),
        64: (("direct", 6), ("grid", 999)),
        4096: (("direct", 5), ("grid", 999)),
    },
    "float64": {
        1: (("direct", 7), ("grid", 999)),
        64: (("direct", 6), ("grid", 999)),
        4096: (("direct", 5), ("grid", 999)),
    },
}


def _expand(ranges: tuple) -> tuple:
    """``(("direct", 4), ("grid", 32))`` -> the method per measured degree."""
    out, lo = [], 0
    for method, top in ranges:
        out += [(L, method) for L in _DEGREES if lo < L <= top]
        lo = top
    return tuple(out)


@lru_cache(maxsize=512)
def choose_method(lmax1: int, lmax2: int, lmax_out: int, *, nrow: int, dtype: str = "float64") -> str:
    """The method ``gaunt_product(method="auto")`` uses for the given sizes.

    Parameters
    ----------
    lmax1, lmax2, lmax_out : int
        Degrees of the two inputs and of the output.
    nrow : int, keyword-only
        Number of products in the batch; the crossovers were measured for 1, 64 and 4096
        and the nearest (log scale) is used.
    dtype : {"float32", "float64"}, keyword-only
        Working precision.

    Returns
    -------
    str
        One of the public methods ``"direct"``, ``"grid"``, ``"fourier"`` (the grid's
        dense or separable transforms are chosen by :func:`specnum.bases.spheregrid.sphere_transform`).

    Raises
    ------
    ValueError
        Negative degrees or ``nrow``, ``dtype`` not "float32" or "float64".
    TypeError
        Non-integer degrees or ``nrow``.

    Notes
    -----
    The table ``_BEST`` holds the fastest method per degree and batch class measured by
    ``python benchmarks/bench_gaunt.py --crossover`` (see ``benchmarks/RESULTS.md``); sizes
    in between take the nearest measured degree on a log scale. "direct" is never chosen
    far beyond its measured range (its sparse table grows like ``L^5``).

    Examples
    --------
    >>> choose_method(2, 2, 4, nrow=4096), choose_method(32, 32, 64, nrow=4096)
    ('direct', 'grid')
    """
    lmax1 = as_int(lmax1, "lmax1", minimum=0)
    lmax2 = as_int(lmax2, "lmax2", minimum=0)
    lmax_out = as_int(lmax_out, "lmax_out", minimum=0)
    nrow = as_int(nrow, "nrow", minimum=0)
    tables = _BEST[as_choice(dtype, "dtype", tuple(_BEST))]
    batch = min(tables, key=lambda b: abs(math.log(b) - math.log(max(nrow, 1))))
    table = _expand(tables[batch])
    key = max((lmax1 + lmax2 + lmax_out) / 4.0, 0.5)
    best = min(table, key=lambda e: abs(math.log(e[0]) - math.log(key)))
    if best[1] == "direct" and max(lmax1, lmax2) > 2 * best[0] + 2:
        return "grid"  # the sparse table grows like L^5: never extrapolate it far
    if best[1] == "fourier" and max(lmax1 + lmax2, lmax_out) > 128:
        return "grid"  # beyond the exact Fourier tables (MAX_TABLE_DEGREE)
    return best[1]
