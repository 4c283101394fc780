"""Benchmark of specnum.bases.coupling: building the sparse real Gaunt tensor.

Workload: ``real_gaunt_sparse(L, L, 2L)`` (all nonzeros for degrees <= L, full output),
built from scratch (the lru_cache is bypassed). Peer: sympy's exact
``sympy.physics.wigner.real_gaunt`` evaluated on the same nonzero entries (only for
small L; it is exact symbolic arithmetic), and specnum's own exact-rational loop
(``specnum.bases.exact.real_gaunt_exact``) as the "obvious" route. Both peers are
timed in the same run; read the ratios, the machine is shared.

Usage (from the repository root)::

    python benchmarks/bench_coupling.py            # L = 2, 4, 8, 16, 32
    python benchmarks/bench_coupling.py --L 2 4    # a short run
"""

from __future__ import annotations

import argparse
import math
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _harness import machine_info, print_table, set_threads, timeit  # noqa: E402

from specnum.bases import coupling  # noqa: E402
from specnum.bases.exact import real_gaunt_exact  # noqa: E402


def _lm(k: int) -> tuple[int, int]:
    l = math.isqrt(int(k))
    return l, int(k) - l * l - l


def _entries(sp):
    return [(*_lm(a), *_lm(b), *_lm(c)) for a, b, c in zip(sp.k1, sp.k2, sp.k3, strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--L", type=int, nargs="+", default=[2, 4, 8, 16, 32])
    args = parser.parse_args()
    set_threads(1)
    print(machine_info())
    build = coupling._real_gaunt_sparse_cached.__wrapped__  # uncached builder
    build(1, 1, 2)  # load the numba cache
    try:
        from sympy.physics.wigner import real_gaunt as sympy_real_gaunt
    except ImportError:  # pragma: no cover
        sympy_real_gaunt = None
    rows = []
    for big_l in args.L:
        r0 = resource.getrusage(resource.RUSAGE_SELF)
        t0 = time.perf_counter()
        sp = build(big_l, big_l, 2 * big_l)
        wall = time.perf_counter() - t0
        r1 = resource.getrusage(resource.RUSAGE_SELF)
        cpu = f"{r1.ru_utime - r0.ru_utime:.2f} + {r1.ru_stime - r0.ru_stime:.2f}"
        if big_l <= 8:
            ours = timeit(lambda big_l=big_l: build(big_l, big_l, 2 * big_l), repeat=5)
            t_ours = ours.median
        else:
            t_ours = wall
        ents = _entries(sp) if big_l <= 4 else None
        t_exact = t_sympy = None
        if ents is not None:
            t_exact = timeit(lambda ents=ents: [real_gaunt_exact(*e) for e in ents],
                             repeat=1, warmup=0).median
            if sympy_real_gaunt is not None and big_l <= 2:
                t_sympy = timeit(lambda ents=ents: [sympy_real_gaunt(e[0], e[2], e[4], e[1], e[3], e[5])
                                                    for e in ents], repeat=1, warmup=0).median
        rows.append([big_l, sp.nnz, f"{(3 * sp.k1.nbytes + sp.values.nbytes) / 1e6:.1f}", t_ours, cpu,
                     "-" if t_exact is None else t_exact, "-" if t_exact is None else t_exact / t_ours,
                     "-" if t_sympy is None else t_sympy, "-" if t_sympy is None else t_sympy / t_ours])
        del sp
    print_table(rows, ["L", "nnz", "MB", "specnum build [s]", "cpu user+sys [s] (1st build)",
                       "exact-rational loop [s]", "ratio", "sympy real_gaunt [s]", "ratio"])


if __name__ == "__main__":
    main()
