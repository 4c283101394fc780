"""Benchmark of 2D and time-dependent Riesz collocation (specnum.riesz.RieszCollocation2D, evolve).

Sections (Markdown tables):

``iterations``  tau-GMRES iterations for p = 2, 3, 4, alpha, beta in {1.2, 1.5, 1.8}, K_y/K_x in {1, 100},
                n = 64/256/1024 per direction (rhs A2 1, rtol 1e-10), with the plain tau for comparison,
                and the tau diagonals from symbol samples against the natural tau projection.
``large``       the 1024 x 1024 solve (assembly from scratch + tau-GMRES, smooth manufactured solution),
                time, error and peak memory (resident set of a fresh process, before and after the solve).
``peers``       at 64 x 64: specnum against dense A2 (np.kron of the dense 1D matrices) + scipy.linalg.solve;
                at 256 x 256: tau-GMRES against unpreconditioned GMRES on the same operator.
``time``        per-step iterations of the theta-method over n and dt in [1e-4, 1e-1] (2D and 1D), and
                200 Crank-Nicolson steps at 256 x 256 (preconditioner "auto" = diagonalization, and "tau").

Usage (from the repository root)::

    python benchmarks/bench_riesz2d.py                   # everything, default threads
    python benchmarks/bench_riesz2d.py --threads 1       # BLAS/OpenMP limited to one thread
    python benchmarks/bench_riesz2d.py --only large peers time --quick
    python benchmarks/bench_riesz2d.py --threads 1 --only large peers cn   # the timed sections only
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import subprocess
import sys
import textwrap
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _harness import machine_info, print_table, set_threads, timeit  # noqa: E402

_THREADS = sys.argv[sys.argv.index("--threads") + 1] if "--threads" in sys.argv else "default"
if _THREADS != "default":
    set_threads(int(_THREADS))  # before numpy/scipy load BLAS

import numpy as np  # noqa: E402
from scipy import linalg  # noqa: E402

from specnum.errors import SpecnumWarning  # noqa: E402
from specnum.riesz import RieszCollocation, RieszCollocation2D  # noqa: E402
from specnum.riesz import assembly as _assembly  # noqa: E402
from specnum.riesz import diagonalization as _diag  # noqa: E402
from specnum.riesz import kron as _kron  # noqa: E402
from specnum.riesz import solve as _solve  # noqa: E402
from specnum.riesz import tau_pencil as _tau_pencil  # noqa: E402
from specnum.riesz import values as _values  # noqa: E402
from specnum.riesz.manufactured import test_problem  # noqa: E402
from specnum.riesz.solve import dst1, gmres_solve  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PAIRS = [(a, b) for a in (1.2, 1.5, 1.8) for b in (1.2, 1.5, 1.8)]


def _clear_caches() -> None:
    for fn in (_assembly._structure_cached, _assembly._toeplitz_cached, _solve._tau_eigenvalues_cached,
               _values._value_matrix_cached, _values._value_toeplitz_cached, _tau_pencil._boundary_tau_cached,
               _diag._pencil_eigen_cached, _kron._dense_factor):
        fn.cache_clear()


def _quiet(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SpecnumWarning)
        return fn()


def manufactured(col: RieszCollocation2D):
    """Source values and exact solution of u = T2(x) T2(y) (T2 = y^2(1-y)^2 e^y per direction)."""
    (a, b), (kx, ky) = col.alpha, col.coefficients
    gx, gy = test_problem("T2", a), test_problem("T2", b)
    x, y = col.points
    f = kx * np.outer(gx.source(x), gy.exact(y)) + ky * np.outer(gx.exact(x), gy.source(y))
    return f, (lambda xs, ys: np.outer(gx.exact(xs), gy.exact(ys)))


# ---------------------------------------------------------------------------------------------- iterations
def _natural_tau(bt):
    a = _assembly.assemble_structure(bt.degree, bt.n, bt.alpha).toeplitz
    first = a.copy()
    first[:-2] -= a[2:]
    e1 = np.zeros(a.size)
    e1[0] = 1.0
    return dataclasses.replace(bt, f=dst1(first) / dst1(e1))


def iteration_table(sizes: list[int]) -> None:
    rows = []
    for p in (2, 3, 4):
        for a, b in PAIRS:
            for ratio in (1.0, 100.0):
                tau, plain = [], []
                for n in sizes:
                    col = RieszCollocation2D(p, n, (a, b), coefficients=(1.0, ratio))
                    rhs = (col.operator() @ np.ones(col.size)).reshape(col.shape)
                    tau.append(_quiet(lambda col=col, rhs=rhs: col.solve(rhs, method="gmres", rtol=1e-10)).iterations)
                    if n <= 256:
                        plain.append(_quiet(lambda col=col, rhs=rhs: col.solve(
                            rhs, method="gmres", preconditioner="tau-plain", rtol=1e-10)).iterations)
                rows.append([p, a, b, int(ratio), "/".join(map(str, tau)), "/".join(map(str, plain))])
                print(rows[-1], flush=True)
    small = [n for n in sizes if n <= 256]
    print(f"\nGMRES iterations (rhs A2 1, rtol 1e-10, restart 30), n = {'/'.join(map(str, sizes))} per direction; "
          f"plain tau at n = {'/'.join(map(str, small))}")
    print_table(rows, ["p", "alpha", "beta", "K_y/K_x", "tau (two sweeps)", "plain tau"])


def diagonal_table(n: int) -> None:
    """tau diagonals: symbol samples f(j pi/(N+1)) against the natural tau projection of the Toeplitz part."""
    rows = []
    for p in (2, 3, 4):
        for (a, b), ratio in (((1.5, 1.8), 1.0), ((1.2, 1.2), 100.0), ((1.8, 1.8), 100.0)):
            col = RieszCollocation2D(p, n, (a, b), coefficients=(1.0, ratio))
            pen = col.pencil()
            rhs = pen.matvec(np.ones(pen.shape)).ravel()
            counts = []
            for natural in (False, True):
                for kind in ("tau", "tau-plain"):
                    pen2 = col.pencil()
                    if natural:
                        tx, ty = pen2._tau
                        pen2.__dict__["_tau"] = (_natural_tau(tx), _natural_tau(ty))
                    prec = pen2.preconditioner(kind)
                    counts.append(gmres_solve(pen2.operator(), rhs, prec, 1e-10, restart=30,
                                              x0=prec.matvec(rhs))[1])
            rows.append([p, a, b, int(ratio), *counts])
    print(f"\ntau diagonals at n = {n}: symbol samples vs natural tau projection (GMRES iterations, rhs A2 1, 1e-10)")
    print_table(rows, ["p", "alpha", "beta", "K_y/K_x", "symbol: tau", "symbol: plain", "natural: tau",
                       "natural: plain"])


# ---------------------------------------------------------------------------------------------- large
_CHILD = textwrap.dedent("""
    import json, sys, time, tracemalloc, warnings
    sys.path.insert(0, {root!r})
    import numpy as np
    from specnum.riesz import RieszCollocation2D
    from specnum.riesz.manufactured import test_problem
    warnings.simplefilter("ignore")

    def status(key):  # kB
        for line in open("/proc/self/status"):
            if line.startswith(key):
                return int(line.split()[1])

    col = RieszCollocation2D({p}, {n}, (1.5, 1.8))
    gx, gy = test_problem("T2", 1.5), test_problem("T2", 1.8)
    x, y = col.points
    f = np.outer(gx.source(x), gy.exact(y)) + np.outer(gx.exact(x), gy.source(y))
    RieszCollocation2D(3, 16, 1.5).solve(np.ones((17, 17)), method="gmres")  # imports, numba caches
    with open("/proc/self/clear_refs", "w") as fh:  # reset the resident high-water mark VmHWM
        fh.write("5")
    before = status("VmRSS:")
    tracemalloc.start()
    t0 = time.perf_counter()
    sol = col.solve(f, preconditioner={prec!r})
    seconds = time.perf_counter() - t0
    traced = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(json.dumps({{"before": before, "hwm": status("VmHWM:"), "traced": traced, "seconds": seconds,
                      "its": sol.iterations}}))
""")


def peak_memory(p: int, n: int, prec: str = "tau") -> dict:
    code = _CHILD.format(root=str(ROOT), p=p, n=n, prec=prec)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def large_solve(n: int, repeat: int) -> None:
    rows = []
    grid = np.linspace(0.0, 1.0, 201)
    for p in (2, 3, 4):
        col = RieszCollocation2D(p, n, (1.5, 1.8))
        f, exact = manufactured(col)

        def full(col=col, f=f):
            _clear_caches()
            return _quiet(lambda: col.solve(f, rtol=1e-10))

        t = timeit(full, repeat=repeat, warmup=0, number=1)
        sol = full()
        err = float(np.max(np.abs(sol.grid(grid, grid) - exact(grid, grid))))
        mem = peak_memory(p, n)
        growth = (mem["hwm"] - mem["before"]) * 1024.0
        rows.append([p, f"{n} x {n}", col.size, t, sol.iterations, sol.residual, err,
                     f"{growth / 2**20:.0f} MB ({growth / (8 * col.size):.0f} N)",
                     f"{mem['traced'] / 2**20:.0f} MB ({mem['traced'] / (8 * col.size):.0f} N)",
                     f"{mem['hwm'] / 1024:.0f} MB"])
        print(rows[-1], flush=True)
    print(f"\nLarge solve (alpha = 1.5, beta = 1.8, K = (1, 1), u = T2(x) T2(y); assembly from scratch + tau-GMRES, "
          f"rtol 1e-10), threads: {_THREADS}")
    print("(memory of the solve in a fresh process: growth of the resident high-water mark, and the tracemalloc "
          "peak, which also counts the untouched part of GMRES's (restart + 1)-vector basis; in units of "
          "8 N bytes = one float64 vector)")
    print_table(rows, ["p", "elements", "unknowns", "time", "iterations", "rel. residual", "max error",
                       "resident growth", "allocated peak", "process peak RSS"])


# ---------------------------------------------------------------------------------------------- peers
def versus_dense(n: int) -> None:
    rows = []
    for p, (a, b) in ((2, (1.5, 1.8)), (3, (1.5, 1.8)), (4, (1.2, 1.8))):
        col = RieszCollocation2D(p, n, (a, b))
        f, exact = manufactured(col)

        def ours(prec, col=col, f=f):
            _clear_caches()
            return _quiet(lambda: col.solve(f, method="gmres", preconditioner=prec, rtol=1e-10)).coefficients

        def dense(col=col, f=f, p=p):
            # what a user with the 1D matrices writes: A2 = K_x A_x kron B_y + K_y B_x kron A_y, then LU
            _clear_caches()
            cx, cy = col.directions
            bx, by = _values.value_matrix(p, n).toarray(), _values.value_matrix(p, n).toarray()
            a2 = np.kron(cx.matrix(), by) + np.kron(bx, cy.matrix())
            return linalg.solve(a2, f.ravel()).reshape(col.shape)

        t_tau = timeit(lambda: ours("tau"), repeat=5, warmup=1, number=1)
        t_fd = timeit(lambda: ours("diagonalization"), repeat=5, warmup=1, number=1)
        t_dense = timeit(dense, repeat=3, warmup=1, number=1)
        c_dense = dense()
        diff = float(np.linalg.norm(ours("tau") - c_dense) / np.linalg.norm(c_dense))
        rows.append([p, a, b, f"{n} x {n}", t_tau, t_fd, t_dense, t_dense.median / t_tau.median,
                     t_dense.median / t_fd.median, diff])
    print(f"\nSolve at {n} x {n}: specnum (from scratch) vs dense A2 (np.kron) + scipy.linalg.solve, "
          f"threads: {_THREADS}")
    print_table(rows, ["p", "alpha", "beta", "elements", "tau-GMRES", "diagonalization", "dense + LU",
                       "speed-up tau", "speed-up diag.", "rel. diff"])


def versus_unpreconditioned(n: int) -> None:
    rows = []
    for p in (2, 3):
        col = RieszCollocation2D(p, n, (1.5, 1.8))
        f, _ = manufactured(col)
        _quiet(lambda col=col, f=f: col.solve(f, rtol=1e-10))  # caches

        def run(prec, col=col, f=f):
            return _quiet(lambda: col.solve(f, method="gmres", preconditioner=prec, rtol=1e-10, maxiter=10**4))

        t_tau = timeit(lambda: run("tau"), repeat=3, warmup=0, number=1)
        t0 = time.perf_counter()
        none = run(None)
        t_none = time.perf_counter() - t0
        rows.append([p, f"{n} x {n}", t_tau, run("tau").iterations, f"{t_none:.3g} s", none.iterations,
                     t_none / t_tau.median])
        print(rows[-1], flush=True)
    print(f"\nAt {n} x {n} (alpha 1.5, beta 1.8, rtol 1e-10, restart 30): tau-GMRES vs unpreconditioned GMRES, "
          f"threads: {_THREADS}")
    print_table(rows, ["p", "elements", "tau-GMRES", "iterations", "no preconditioner", "iterations", "speed-up"])


# ---------------------------------------------------------------------------------------------- time
def step_table_2d(sizes: list[int]) -> None:
    rows = []
    for p in (2, 3, 4):
        for (a, b), ratio in (((1.5, 1.8), 100.0), ((1.2, 1.2), 1.0)):
            row = [p, a, b, int(ratio)]
            for n in sizes:
                col = RieszCollocation2D(p, n, (a, b), coefficients=(1.0, ratio))
                xx, yy = np.meshgrid(*col.points, indexing="ij")
                u0 = np.sin(np.pi * xx) * np.sin(np.pi * yy) * np.exp(xx)
                counts = []
                for dt in (1e-4, 1e-3, 1e-2, 1e-1):
                    ev = _quiet(lambda col=col, u0=u0, dt=dt: col.evolve(
                        u0, 4 * dt, 4, lambda t, x, y: np.cos(t) + 0 * x, preconditioner="tau", progress=False))
                    counts.append(int(ev.iterations.max()))
                row.append("/".join(map(str, counts)))
            rows.append(row)
            print(rows[-1], flush=True)
    print("\nCrank-Nicolson, tau-GMRES: largest per-step iterations over 4 steps for dt = 1e-4/1e-3/1e-2/1e-1")
    print_table(rows, ["p", "alpha", "beta", "K_y/K_x", *[f"n = {n}" for n in sizes]])


def step_table_1d(sizes: list[int]) -> None:
    rows = []
    for p in (2, 3, 4):
        for a in (1.2, 1.8):
            row = [p, a]
            for big_n in sizes:
                col = RieszCollocation(p, big_n - p + 2, a)
                counts = []
                for dt in (1e-4, 1e-3, 1e-2, 1e-1):
                    ev = _quiet(lambda col=col, dt=dt: col.evolve(
                        lambda x: np.sin(np.pi * x), 4 * dt, 4, lambda t, x: np.ones_like(x), progress=False))
                    counts.append(int(ev.iterations.max()))
                row.append("/".join(map(str, counts)))
            rows.append(row)
    print("\n1D Crank-Nicolson, tau-GMRES: largest per-step iterations for dt = 1e-4/1e-3/1e-2/1e-1")
    print_table(rows, ["p", "alpha", *[f"N = {n}" for n in sizes]])


def cn_run(n: int, steps: int) -> None:
    rows = []
    for p in (2, 3, 4):
        col = RieszCollocation2D(p, n, (1.5, 1.8))
        xx, yy = np.meshgrid(*col.points, indexing="ij")
        u0 = np.exp(-100.0 * ((xx - 0.5) ** 2 + (yy - 0.5) ** 2))
        for prec in ("auto", "tau"):
            def run(prec=prec, col=col, u0=u0):
                _clear_caches()
                return _quiet(lambda: col.evolve(u0, 0.2, steps, lambda t, x, y: np.ones_like(x),
                                                 preconditioner=prec, progress=False))

            t0 = time.perf_counter()
            ev = run()
            seconds = time.perf_counter() - t0
            rows.append([p, f"{n} x {n}", steps, prec, f"{seconds:.3g} s", f"{ev.iterations.mean():.2f}",
                         int(ev.iterations.max()), f"{ev.residuals.max():.1e}"])
            print(rows[-1], flush=True)
    print(f"\n{steps} Crank-Nicolson steps at {n} x {n} (alpha 1.5, beta 1.8, dt = {0.2 / steps:g}, f = 1, "
          f"Gaussian u0; setup included), threads: {_THREADS}")
    print_table(rows, ["p", "elements", "steps", "preconditioner", "total", "mean its/step", "max its/step",
                       "max step residual"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--threads", default="default", help="'default' (no limit) or a number")
    parser.add_argument("--only", nargs="+", choices=["iterations", "large", "peers", "time", "steps", "steps1d", "cn"],
                        default=["iterations", "large", "peers", "time"],
                        help="sections; 'time' = 'steps' (iteration counts, 2D and 1D) + 'cn' (the timed "
                             "Crank-Nicolson run); 'steps1d' = the 1D iteration counts alone")
    args = parser.parse_args()
    print(machine_info(), f"| threads {args.threads}")
    t0 = time.perf_counter()
    RieszCollocation2D(3, 16, 1.5).solve(np.ones((17, 17)), method="gmres")  # imports, numba caches
    if "iterations" in args.only:
        iteration_table([64, 256] if args.quick else [64, 256, 1024])
        diagonal_table(256)
    if "large" in args.only:
        large_solve(512 if args.quick else 1024, repeat=1 if args.quick else 2)
    if "peers" in args.only:
        versus_dense(32 if args.quick else 64)
        versus_unpreconditioned(128 if args.quick else 256)
    if "time" in args.only or "steps" in args.only:
        step_table_2d([64, 128] if args.quick else [64, 256, 512])
    if "time" in args.only or "steps" in args.only or "steps1d" in args.only:
        step_table_1d([256, 4096] if args.quick else [256, 4096, 65536])
    if "time" in args.only or "cn" in args.only:
        cn_run(128 if args.quick else 256, 50 if args.quick else 200)
    print(f"\n(total benchmark time {time.perf_counter() - t0:.1f} s)")


if __name__ == "__main__":
    main()
