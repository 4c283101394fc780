"""Benchmark of the Riesz tools for singular solutions: weighted Jacobi solver, graded-knot collocation.

Tables printed (Markdown):

1. ``RieszJacobi`` solves to ~1e-13 for f = 1, exp(x), cos(3x), 1/(1+x^2) and alpha in {1.2, 1.5, 1.8}:
   modes, estimated and actual error (actual: against the closed form for f = 1, against a fixed
   64-mode solve otherwise; the test suite checks both against a 30-digit mpmath series), time per
   solve (warm), and the peer a user would write with scipy (``roots_jacobi``, ``eval_jacobi``,
   ``gammaln``) with the same number of modes.
2. Equal accuracy: the best accuracy B-spline collocation reaches at n = 512 (uniform knots, and
   graded knots r = 4 with p = 4), the time of that solve (assembly + LU), and the time of the
   Jacobi solve with the fewest modes that is at least as accurate.
3. The orders table for f = 1: max error against the closed form for r in {1, 2, 3, 4}, p in
   {2, 3, 4}, n = 16 ... 512, observed order (last three n) against min(r alpha/2, smooth order).
4. GMRES (tau preconditioner on the row-equilibrated system) on graded knots: iterations and time
   against dense LU.

Usage (from the repository root)::

    python benchmarks/bench_riesz_singular.py [--threads 1] [--quick]
"""

from __future__ import annotations

import argparse
import math
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
from scipy import special  # noqa: E402

from specnum.bases.knots import graded_knots  # noqa: E402
from specnum.errors import SpecnumWarning  # noqa: E402
from specnum.riesz import RieszCollocation, RieszJacobi  # noqa: E402

SOURCES = {
    "1": lambda x: np.ones_like(x),
    "exp(x)": np.exp,
    "cos(3x)": lambda x: np.cos(3 * x),
    "1/(1+x^2)": lambda x: 1 / (1 + x**2),
}


def closed_form(alpha: float):
    return lambda x: np.clip(x * (1 - x), 0, None) ** (alpha / 2) / math.gamma(alpha + 1)


def error_grid(knots: np.ndarray) -> np.ndarray:
    br = np.unique(knots)
    s = np.linspace(0.0, 1.0, 9)[:-1]
    return np.concatenate([(br[:-1, None] + np.diff(br)[:, None] * s[None, :]).ravel(), br[-1:]])


GRID = np.union1d(error_grid(graded_knots(1, 256, 4.0)), np.linspace(0.0, 1.0, 2001))


def scipy_jacobi_peer(f, alpha: float, m: int):
    """The ten-line version with scipy: Gauss-Jacobi nodes, eval_jacobi, norms and eigenvalues by gammaln."""
    s = alpha / 2
    t, w = special.roots_jacobi(m, s, s)
    k = np.arange(m)
    pk = special.eval_jacobi(k[:, None], s, s, t[None, :])
    hk = np.exp((2 * s + 1) * np.log(2) + 2 * special.gammaln(k + s + 1) - np.log(2 * k + 2 * s + 1)
                - special.gammaln(k + 1) - special.gammaln(k + 2 * s + 1))
    lam = 2**alpha * np.exp(special.gammaln(alpha + k + 1) - special.gammaln(k + 1))
    uk = (pk @ (w * f((t + 1) / 2))) / hk / lam

    def u(x):
        tt = 2 * x - 1
        inside = np.abs(tt) < 1
        vals = uk @ special.eval_jacobi(k[:, None], s, s, tt[None, :])
        return np.where(inside, np.clip(1 - tt**2, 0, None) ** s * vals, 0.0)

    return u


def jacobi_table() -> None:
    rows = []
    for alpha in (1.2, 1.5, 1.8):
        for name, f in SOURCES.items():
            solver = RieszJacobi(alpha)
            sol = solver.solve(f)
            ref = closed_form(alpha) if name == "1" else RieszJacobi(alpha, 64).solve(f)
            err = float(np.max(np.abs(sol(GRID) - ref(GRID))))
            t_ours = timeit(lambda solver=solver, f=f: solver.solve(f), repeat=7, warmup=2)
            m = sol.modes
            t_peer = timeit(lambda f=f, alpha=alpha, m=m: scipy_jacobi_peer(f, alpha, m), repeat=7, warmup=2)
            peer_err = float(np.max(np.abs(scipy_jacobi_peer(f, alpha, m)(GRID) - ref(GRID))))
            rows.append([alpha, name, m, sol.error_estimate, err, t_ours, t_peer, t_peer.median / t_ours.median,
                         peer_err])
    print(f"\nRieszJacobi (adaptive, rtol = eps), {_THREADS} thread(s): time per solve, warm")
    print_table(rows, ["alpha", "f", "modes", "estimate", "max error", "specnum", "scipy peer (same modes)",
                       "peer / specnum", "peer max error"])


def equal_accuracy(n: int) -> None:
    rows = []
    alpha = 1.5
    for name in ("1", "exp(x)"):
        f = SOURCES[name]
        ref = closed_form(alpha) if name == "1" else RieszJacobi(alpha).solve(f)
        for p, r in ((3, 1.0), (4, 4.0)):
            knots = graded_knots(p, n, r)

            def colloc(p=p, knots=knots, f=f):
                return RieszCollocation(p, None, alpha, knots=knots).solve(f, method="direct")

            t_col = timeit(colloc, repeat=3, warmup=1, number=1)
            err_col = float(np.max(np.abs(colloc()(error_grid(knots)) - ref(error_grid(knots)))))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", SpecnumWarning)
                m = next(m for m in range(1, 65)
                         if np.max(np.abs(RieszJacobi(alpha, m).solve(f)(GRID) - ref(GRID))) <= err_col)
                solver = RieszJacobi(alpha, m)
                t_jac = timeit(lambda solver=solver, f=f: solver.solve(f), repeat=7, warmup=2)
            rows.append([name, f"p={p}, r={r:g}, n={n}", err_col, t_col, m, t_jac, t_col.median / t_jac.median])
    print(f"\nEqual accuracy, alpha = {alpha}: collocation (assembly + LU) against the Jacobi solver with the "
          f"fewest modes that is at least as accurate, {_THREADS} thread(s)")
    print_table(rows, ["f", "collocation", "its max error", "collocation time", "Jacobi modes", "Jacobi time",
                       "ratio"])


def orders_table(ns: list[int], alphas: tuple[float, ...]) -> None:
    for alpha in alphas:
        exact = closed_form(alpha)
        rows = []
        for p in (2, 3, 4):
            smooth = p + 2 - alpha if p % 2 == 0 else p + 1 - alpha
            for r in (1.0, 2.0, 3.0, 4.0):
                errs = []
                for n in ns:
                    knots = graded_knots(p, n, r)
                    sol = RieszCollocation(p, None, alpha, knots=knots).solve(SOURCES["1"], method="direct")
                    errs.append(float(np.max(np.abs(sol(error_grid(knots)) - exact(error_grid(knots))))))
                obs = float(np.polyfit(np.log(ns[-3:]), -np.log(errs[-3:]), 1)[0])
                rows.append([p, r, *errs, obs, min(r * alpha / 2, smooth)])
        print(f"\nf = 1, alpha = {alpha}: max error against the closed form on graded knots (r = 1: uniform)")
        print_table(rows, ["p", "r", *[f"n={n}" for n in ns], "observed order", "min(r alpha/2, smooth order)"])


def gmres_table(ns: list[int]) -> None:
    rows = []
    alpha = 1.5
    for p in (2, 3, 4):
        for r in (2.0, 3.0, 4.0):
            its, t_g, t_d = [], None, None
            for n in ns:
                col = RieszCollocation(p, None, alpha, knots=graded_knots(p, n, r))
                col.matrix()  # assembly outside the timings
                its.append(col.solve(SOURCES["1"], method="gmres", rtol=1e-10).iterations)
                if n == ns[-1]:
                    t_g = timeit(lambda col=col: col.solve(SOURCES["1"], method="gmres", rtol=1e-10), repeat=3)
                    t_d = timeit(lambda col=col: col.solve(SOURCES["1"], method="direct"), repeat=3)
            rows.append([p, r, "/".join(map(str, its)), t_g, t_d])
    print(f"\nGraded knots, alpha = {alpha}, f = 1: tau-GMRES iterations (rtol 1e-10) for n = "
          f"{'/'.join(map(str, ns))}; solve times at n = {ns[-1]} (matrix assembled), {_THREADS} thread(s)")
    print_table(rows, ["p", "r", "iterations", "GMRES solve", "LU solve"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--threads", type=int, default=2, help="BLAS/numba threads (default 2)")
    args = parser.parse_args()
    print(machine_info(), f"| threads {args.threads}")
    t0 = time.perf_counter()
    RieszCollocation(3, None, 1.5, knots=graded_knots(3, 16, 2.0)).solve(SOURCES["1"])  # numba caches
    jacobi_table()
    if args.quick:
        equal_accuracy(128)
        orders_table([16, 32, 64, 128], (1.5,))
        gmres_table([64, 256])
    else:
        equal_accuracy(512)
        orders_table([16, 32, 64, 128, 256, 512], (1.2, 1.5, 1.8))
        gmres_table([64, 256, 1024])
    print(f"\n(total benchmark time {time.perf_counter() - t0:.1f} s)")


if __name__ == "__main__":
    main()
