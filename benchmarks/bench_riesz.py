"""Benchmark of specnum.riesz: structured assembly, O(N log N) matvec, tau-preconditioned GMRES.

Tables printed (Markdown):

1. tau-GMRES iteration counts for p = 2..5, alpha in {1.2, 1.5, 1.8}, N = 2**8 .. 2**16
   (rhs ``A 1`` as in the project notes, rtol 1e-10; and the smooth manufactured problem T2,
   rtol 1e-8 because the float64 residual floor of T2 grows like n**alpha); the plain tau(f)
   and Strang circulant preconditioners on ``A 1`` for N <= 2**12.
2. A full solve (assembly from scratch + tau-GMRES) at N = 65536 (target < 2 s, 2 threads).
3. At N = 4096: full solve against dense assembly + ``scipy.linalg.solve`` in the same run
   (target: at least 50x). Peers: the naive dense assembly (every basis function at every
   point through the shared layer, O(N^2) evaluations) and specnum's structured dense matrix.
4. Matvec: FFT operator against the dense product, and its O(N log N) scaling.

Two dimensions and time stepping (``RieszCollocation2D``, ``evolve``) are measured by
``benchmarks/bench_riesz2d.py``.

Usage (from the repository root)::

    python benchmarks/bench_riesz.py            # everything (about 1-2 minutes)
    python benchmarks/bench_riesz.py --quick    # smaller sizes
    python benchmarks/bench_riesz.py --threads 1

On a loaded machine, multi-threaded BLAS level-1 calls inside scipy's GMRES can dominate
(spin-waiting threads); compare ``--threads 1``.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _harness import machine_info, print_table, set_threads, timeit  # noqa: E402

_THREADS = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 2
set_threads(_THREADS)  # before numpy/scipy load BLAS

import numpy as np  # noqa: E402
from scipy import linalg  # noqa: E402

from specnum.bases.bsplines import BSplineBasis, open_uniform_knots  # noqa: E402
from specnum.errors import SpecnumWarning  # noqa: E402
from specnum.riesz import RieszCollocation, riesz_constant  # noqa: E402
from specnum.riesz import assembly as _assembly  # noqa: E402
from specnum.riesz import solve as _solve  # noqa: E402
from specnum.riesz.manufactured import test_problem  # noqa: E402
from specnum.riesz.solve import gmres_solve, strang_preconditioner, tau_preconditioner  # noqa: E402


def _clear_caches() -> None:
    _assembly._structure_cached.cache_clear()
    _assembly._toeplitz_cached.cache_clear()
    _solve._tau_eigenvalues_cached.cache_clear()


def _col(p: int, big_n: int, alpha: float) -> RieszCollocation:
    return RieszCollocation(p, big_n - p + 2, alpha)  # N = n + p - 2 unknowns


def iteration_table(sizes: list[int]) -> None:
    rows = []
    for p in (2, 3, 4, 5):
        for alpha in (1.2, 1.5, 1.8):
            tau_a1, tau_t2, plain, strang = [], [], [], []
            prob = test_problem("T2", alpha)
            for big_n in sizes:
                col = _col(p, big_n, alpha)
                b1 = col.operator() @ np.ones(big_n)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", SpecnumWarning)
                    tau_a1.append(col.solve(b1, method="gmres", rtol=1e-10).iterations)
                    tau_t2.append(col.solve(prob.source, method="gmres", rtol=1e-8).iterations)
                if big_n <= 4096:
                    s = col.structure()
                    op = col.operator()
                    scale = col.h**alpha
                    plain.append(gmres_solve(op, b1, tau_preconditioner(p, big_n, alpha, scale=scale), 1e-10)[1])
                    strang.append(gmres_solve(op, b1, strang_preconditioner(s.toeplitz, scale=scale), 1e-10)[1])
            rows.append([p, alpha, "/".join(map(str, tau_a1)), "/".join(map(str, tau_t2)),
                         "/".join(map(str, plain)), "/".join(map(str, strang))])
    small = [s for s in sizes if s <= 4096]
    print(f"\nGMRES iterations (restart 60), N = {'/'.join(map(str, sizes))}; plain/Strang: N = "
          f"{'/'.join(map(str, small))}")
    print_table(rows, ["p", "alpha", "tau [A1, 1e-10]", "tau [T2, 1e-8]", "plain tau(f) [A1]", "Strang [A1]"])


def large_solve(big_n: int) -> None:
    rows = []
    for p, alpha in ((2, 1.5), (3, 1.5), (5, 1.8)):
        prob = test_problem("T2", alpha)

        def full(p=p, alpha=alpha, prob=prob):
            _clear_caches()
            col = _col(p, big_n, alpha)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", SpecnumWarning)
                return col.solve(prob.source, method="gmres", rtol=1e-8)

        t_full = timeit(full, repeat=3, warmup=1, number=1)
        sol = full()
        col = _col(p, big_n, alpha)
        t_asm = timeit(lambda col=col: (_clear_caches(), col.structure()), repeat=3, warmup=1, number=1)
        x = np.linspace(0, 1, 4001)
        err = float(np.max(np.abs(sol(x) - prob.exact(x))))
        rows.append([p, alpha, big_n, t_full, t_asm, sol.iterations, sol.residual, err])
    print(f"\nFull solve (assembly from scratch + tau-GMRES, rtol 1e-8, T2), N = {big_n}, {_THREADS} thread(s)")
    print_table(rows, ["p", "alpha", "N", "total", "assembly", "iterations", "rel. residual", "max error"])


def naive_dense(p: int, n: int, alpha: float) -> np.ndarray:
    basis = BSplineBasis(open_uniform_knots(p, n), p)
    pts = basis.greville()[1:-1]
    vals = basis.fractional_derivative(pts, alpha, "left") + basis.fractional_derivative(pts, alpha, "right")
    return riesz_constant(alpha) * vals[:, 1:-1]


def versus_dense(big_n: int) -> None:
    rows = []
    for p, alpha in ((3, 1.5), (5, 1.8)):
        prob = test_problem("T2", alpha)
        col = _col(p, big_n, alpha)
        rhs = prob.source(col.points)

        def ours(col=col, rhs=rhs):
            _clear_caches()
            return col.solve(rhs, method="gmres", rtol=1e-10).coefficients

        def dense_naive(p=p, col=col, alpha=alpha, rhs=rhs):
            return linalg.solve(naive_dense(p, col.n, alpha), rhs)

        def dense_structured(col=col, rhs=rhs):
            _clear_caches()
            return linalg.solve(col.matrix(), rhs)

        t_ours = timeit(ours, repeat=5, warmup=1, number=1)
        t_naive = timeit(dense_naive, repeat=3, warmup=1, number=1)
        t_struct = timeit(dense_structured, repeat=3, warmup=1, number=1)
        c_ours, c_dense = ours(), dense_structured()
        diff = float(np.linalg.norm(c_ours - c_dense) / np.linalg.norm(c_dense))
        rows.append([p, alpha, big_n, t_ours, t_naive, t_naive.median / t_ours.median, t_struct,
                     t_struct.median / t_ours.median, diff])
    print(f"\nSolve at N = {big_n}: specnum (assembly + tau-GMRES, rtol 1e-10) vs dense assembly + scipy.linalg.solve")
    print_table(rows, ["p", "alpha", "N", "specnum", "naive dense + LU", "speed-up", "structured dense + LU",
                       "speed-up", "rel. diff of coefficients"])


def matvec_table(sizes: list[int]) -> None:
    rows = []
    rng = np.random.default_rng(0)
    for big_n in sizes:
        col = _col(4, big_n, 1.5)
        op = col.operator()
        x = rng.standard_normal(big_n)
        t_op = timeit(lambda op=op, x=x: op @ x, repeat=7)
        if big_n <= 8192:
            mat = col.matrix()
            t_dense = timeit(lambda mat=mat, x=x: mat @ x, repeat=7)
            err = float(np.linalg.norm(op @ x - mat @ x) / np.linalg.norm(mat @ x))
            rows.append([big_n, t_op, t_op.median / (big_n * np.log2(big_n)) * 1e9, t_dense,
                         t_dense.median / t_op.median, err])
        else:
            rows.append([big_n, t_op, t_op.median / (big_n * np.log2(big_n)) * 1e9, "-", "-", "-"])
    print("\nMatvec (p = 4, alpha = 1.5): FFT operator vs dense product")
    print_table(rows, ["N", "operator", "ns / (N log2 N)", "dense matvec", "speed-up", "rel. diff"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--threads", type=int, default=2, help="BLAS/numba threads (default 2)")
    args = parser.parse_args()
    print(machine_info(), f"| threads {args.threads}")
    t0 = time.perf_counter()
    _col(3, 64, 1.5).solve(np.ones(64), method="gmres")  # numba caches, imports
    if args.quick:
        iteration_table([256, 1024, 4096])
        large_solve(16384)
        versus_dense(1024)
        matvec_table([1024, 4096, 16384])
    else:
        iteration_table([256, 1024, 4096, 16384, 65536])
        large_solve(65536)
        versus_dense(4096)
        matvec_table([1024, 4096, 8192, 65536, 262144])
    print(f"\n(total benchmark time {time.perf_counter() - t0:.1f} s)")


if __name__ == "__main__":
    main()
