"""Benchmark of specnum.gaunt.gaunt_product against the ten-line numpy dense grid and e3nn.

Workload (issue 11): both operands of degree ``L`` (0..L), full output ``0..2L``, 4096
independent products = batch 1024 x 4 channels, random N(0, 1) inputs, float64 and float32,
with 1 thread and with 2 threads (the machine's default) for every side, in one run.

Peers, each built the way its users would:

* "numpy dense grid": synthesis matrix ``Y`` on a Gauss-Legendre x uniform-phi grid exact
  for the product (harmonics from ``scipy.special.sph_harm_y``), then
  ``((x1 @ Y) * (x2 @ Y)) @ (W Y)^T`` -- ten lines, BLAS does the work (setup not timed);
* "e3nn": ``o3.TensorProduct`` in mode ``"uuu"`` (channelwise) on the Gaunt (even) paths with
  path weights ``kappa**2`` (e3nn applies a square root): the same bilinear map. It is built
  after ``torch.set_default_dtype`` of the dtype it runs in, and timed warm without grad.

Columns: every specnum method through the public ``gaunt_product(method=...)`` ("grid" = the
sphere-grid route with the transform form chosen by ``specnum.bases.spheregrid``'s rule;
"grid_dense"/"grid_separable": the bare route forcing one form), "auto" (``gaunt_product``
without a method), the peers, ratios, the backward pass (``gaunt_product_vjp``) over the forward
one, accuracy (max deviation from the float64 "grid" result relative to its max). All columns of
a row are timed in turn, round after round (the machine is shared), and the minimum per call
over the rounds is reported. "auto/best" divides the time of the auto call by that of the
fastest public method; "picked/best" divides the time of the method auto picks (its own
column) by it, which shows whether the choice is right without the run-to-run noise of timing
the same method twice.

Rates: the *separable flop count* of one product on the product grid (``n_theta`` =
``(L1+L2+Lo)//2 + 1`` latitudes, ``n_phi = L1+L2+Lo+1`` azimuths) is
``n_theta * (2 (n1 + n2 + no) + 3 * 2.5 n_phi log2(n_phi) + n_phi)``: Legendre sums of both
inputs and of the output (one multiply-add per coefficient and latitude), three real FFTs per
latitude, the pointwise product. Achieved GFlop/s = count x products / time, against the
rate of a 2048 x 2048 numpy matmul timed in the same run and with the same threads (the
machine's practical peak).

Usage (from the repository root; record under the shared lock)::

    flock /tmp/specnum-bench.lock python benchmarks/bench_gaunt.py
    python benchmarks/bench_gaunt.py --L 2 4 8 --quick --threads 1     # a short run
    python benchmarks/bench_gaunt.py --crossover                        # auto table per batch
    python benchmarks/bench_gaunt.py --transforms                       # dense/separable rule
    python benchmarks/bench_gaunt.py --thread-ratio --L 2 4 8 16        # default threads / 1 thread
    python benchmarks/bench_gaunt.py --direct-kernels --L 2 4 6 8       # the two orders of "direct"
    python benchmarks/bench_gaunt.py --dtype-ratio --L 8 16 32          # float32 / float64, interleaved
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _harness import Timing, fmt_seconds, machine_info, print_table, set_threads, timeit  # noqa: E402

DEFAULT_L = [1, 2, 4, 6, 8, 12, 16, 24, 32, 48, 64]
METHODS = ["direct", "grid", "grid_dense", "grid_separable", "fourier"]
# largest L at which a column is still worth timing (cost grows like L^5 / L^4 beyond)
LIMITS = {"direct": 12, "grid_dense": 16, "grid_separable": 32, "grid": 32, "fourier": 32,
          "numpy dense grid": 32, "e3nn": 12}  # the public "grid" and "auto" run at every L


# ------------------------------------------------------------------------------------------
# peers
def numpy_dense_grid(L: int, dtype: str):
    """The ten-line numpy product (tables built once with scipy; returns ``f(x1, x2)``)."""
    import numpy as np
    import scipy.special

    nt, nphi = 2 * L + 1, 4 * L + 1  # exact for the integrand of degree 4L
    x, w = np.polynomial.legendre.leggauss(nt)
    theta = np.repeat(np.arccos(x), nphi)
    phi = np.tile(2 * np.pi * np.arange(nphi) / nphi, nt)
    Y = np.zeros((theta.size, (2 * L + 1) ** 2))
    for l in range(2 * L + 1):
        for m in range(l + 1):
            y = scipy.special.sph_harm_y(l, m, theta, phi)  # real form: sqrt2 (-1)^m Re/Im for m > 0
            if m == 0:
                Y[:, l * l + l] = y.real
            else:
                Y[:, l * l + l + m] = math.sqrt(2) * (-1) ** m * y.real
                Y[:, l * l + l - m] = math.sqrt(2) * (-1) ** m * y.imag
    Ys = np.ascontiguousarray(Y[:, : (L + 1) ** 2].T, dtype=dtype)
    WY = np.ascontiguousarray((np.repeat(w, nphi) * 2 * np.pi / nphi)[:, None] * Y, dtype=dtype)
    return lambda x1, x2: ((x1 @ Ys) * (x2 @ Ys)) @ WY


def e3nn_peer(L: int, channels: int, dtype: str):
    """e3nn's channelwise TP on the Gaunt paths, built in ``dtype``; None if e3nn is missing."""
    try:
        import torch
        from e3nn import o3
    except ImportError:
        return None
    import numpy as np

    from specnum.bases.coupling import gaunt_kappa

    tdtype = torch.float32 if dtype == "float32" else torch.float64
    irr1 = o3.Irreps([(channels, (l, (-1) ** l)) for l in range(L + 1)])
    irr_out = o3.Irreps([(channels, (l, (-1) ** l)) for l in range(2 * L + 1)])
    instr = [(l1, l2, l3, "uuu", False, gaunt_kappa(l1, l2, l3) ** 2)
             for l1 in range(L + 1) for l2 in range(L + 1) for l3 in range(abs(l1 - l2), l1 + l2 + 1)
             if (l1 + l2 + l3) % 2 == 0]
    old = torch.get_default_dtype()
    torch.set_default_dtype(tdtype)  # build in the dtype it runs in (its tables too)
    try:
        t0 = time.perf_counter()
        tp = o3.TensorProduct(irr1, irr1, irr_out, instr, irrep_normalization="none", path_normalization="none")
        build = time.perf_counter() - t0
    finally:
        torch.set_default_dtype(old)

    def to_layout(x):  # (B, C, (L+1)^2) -> (B, sum_l C (2l+1)) with blocks (C, 2l+1)
        Lx = int(round(math.sqrt(x.shape[-1]))) - 1
        parts = [x[:, :, l * l : (l + 1) ** 2].reshape(x.shape[0], -1) for l in range(Lx + 1)]
        return torch.from_numpy(np.ascontiguousarray(np.concatenate(parts, axis=1)))

    def from_layout(y, C, Lx):
        y = y.detach().numpy()
        out = np.zeros((y.shape[0], C, (Lx + 1) ** 2), dtype=y.dtype)
        off = 0
        for l in range(Lx + 1):
            n = C * (2 * l + 1)
            out[:, :, l * l : (l + 1) ** 2] = y[:, off : off + n].reshape(-1, C, 2 * l + 1)
            off += n
        return out

    return tp, to_layout, from_layout, build


# ------------------------------------------------------------------------------------------
# counts and peaks
def separable_flops(l1: int, l2: int, lo: int) -> float:
    """Reference operation count of one separable sphere-grid product (module docstring)."""
    nt, nphi = (l1 + l2 + lo) // 2 + 1, l1 + l2 + lo + 1
    legendre = 2.0 * ((l1 + 1) ** 2 + (l2 + 1) ** 2 + (lo + 1) ** 2)
    return nt * (legendre + 3 * 2.5 * nphi * math.log2(nphi) + nphi)


def matmul_peak(dtype: str) -> float:
    """GFlop/s of a 2048^3 numpy matmul (minimum time of 5, after a warm-up)."""
    import numpy as np

    a = np.random.default_rng(0).standard_normal((2048, 2048)).astype(dtype)
    t = timeit(lambda: a @ a, repeat=5, warmup=1, number=1)
    return 2 * 2048**3 / t.min / 1e9


def _no_grad(tp, t1, t2):
    import torch

    with torch.no_grad():
        return tp(t1, t2)


def _set(threads: int) -> None:
    set_threads(threads)


def interleaved(fns: dict, rounds: int = 5, min_time: float = 0.02) -> dict:
    """Minimum seconds per call of each callable, the callables timed in turn in every round
    (so that all of them see the same state of a shared machine)."""
    number = {}
    for k, fn in fns.items():
        fn()  # warm-up: compilation, caches
        t0 = time.perf_counter()
        fn()
        dt = time.perf_counter() - t0
        number[k] = max(1, min(1000, int(min_time / max(dt, 1e-7))))
    best = {k: math.inf for k in fns}
    for _ in range(rounds):
        for k, fn in fns.items():
            t0 = time.perf_counter()
            for _ in range(number[k]):
                fn()
            best[k] = min(best[k], (time.perf_counter() - t0) / number[k])
    return best


# ------------------------------------------------------------------------------------------
def run_table(args, threads: int):
    import numpy as np

    from specnum.gaunt import gaunt_product, gaunt_product_vjp
    from specnum.gaunt._crossover import choose_method
    from specnum.gaunt.products import _IMPL

    _set(threads)
    repeat = 3 if args.quick else 5
    peaks = {dt: matmul_peak(dt) for dt in args.dtypes}
    rows, rates, mins = [], [], {}
    for L in args.L:
        for dtype in args.dtypes:
            rng = np.random.default_rng(L)
            n = (L + 1) ** 2
            x1 = rng.standard_normal((args.batch, args.channels, n)).astype(dtype)
            x2 = rng.standard_normal((args.batch, args.channels, n)).astype(dtype)
            a1, a2 = x1.reshape(-1, n), x2.reshape(-1, n)
            nrow = a1.shape[0]
            ref = _IMPL["grid"](a1[:64].astype(np.float64), a2[:64].astype(np.float64), L, L, 2 * L)
            scale = np.abs(ref).max()
            errs, fns = {}, {}
            for v in METHODS:
                if L > LIMITS[v]:
                    continue
                fns[v] = partial(_IMPL[v], a1, a2, L, L, 2 * L)
                errs[v] = float(np.abs(_IMPL[v](a1[:64], a2[:64], L, L, 2 * L) - ref).max() / scale)
            for m in ("direct", "grid", "fourier"):  # the public API, as a user calls it
                if m in fns or m == "grid":
                    fns[f"{m} (public)"] = partial(gaunt_product, x1, x2, method=m)
            fns["auto"] = partial(gaunt_product, x1, x2)
            g = rng.standard_normal((args.batch, args.channels, (2 * L + 1) ** 2)).astype(dtype)
            fns["backward"] = partial(gaunt_product_vjp, x1, x2, g)
            if L <= LIMITS["numpy dense grid"]:
                nd = numpy_dense_grid(L, dtype)
                fns["numpy dense grid"] = partial(nd, a1, a2)
                errs["numpy dense grid"] = float(np.abs(nd(a1[:64], a2[:64]) - ref).max() / scale)
            e3 = None if args.no_e3nn or L > LIMITS["e3nn"] else e3nn_peer(L, args.channels, dtype)
            if e3 is not None:
                import torch

                from specnum.gaunt import from_e3nn, to_e3nn

                tp, to_layout, from_layout, _ = e3
                t1, t2 = to_layout(x1), to_layout(x2)
                fns["e3nn"] = partial(_no_grad, tp, t1, t2)
                with torch.no_grad():
                    y = from_layout(tp(t1[:16], t2[:16]), args.channels, 2 * L)
                exact = to_e3nn(gaunt_product(from_e3nn(x1[:16].astype(np.float64)),
                                              from_e3nn(x2[:16].astype(np.float64)), method="grid"))
                errs["e3nn"] = float(np.abs(y - exact).max() / np.abs(exact).max())
            times = {k: Timing(v, v, repeat, 1) for k, v in interleaved(fns, rounds=repeat if L < 32 else 3).items()}
            best = min((k for k in ("direct (public)", "grid (public)", "fourier (public)") if k in times),
                       key=lambda k: times[k].min)
            pick = choose_method(L, L, 2 * L, nrow=nrow, dtype=dtype)
            t_auto = times["auto"].min
            mins[(L, dtype)] = {k: t.min for k, t in times.items()}
            spec_err = max((errs[v] for v in errs if v in METHODS and (v != "grid" or dtype != "float64")),
                           default=None)  # the float64 grid is the reference itself
            col = {v: (f"{v} (public)" if v in ("direct", "grid", "fourier") else v) for v in METHODS}
            row = [L, dtype] + [fmt_seconds(times[col.get(v, v)].min) if col.get(v, v) in times else "-"
                                for v in METHODS + ["auto", "numpy dense grid", "e3nn"]]
            row += [best.split()[0], pick, f"{t_auto / times[best].min:.2f}",
                    f"{times[f'{pick} (public)'].min / times[best].min:.2f}",
                    f"{times['numpy dense grid'].min / t_auto:.2f}" if "numpy dense grid" in times else "-",
                    f"{times['e3nn'].min / t_auto:.1f}" if "e3nn" in times else "-",
                    f"{times['backward'].min / t_auto:.2f}",
                    "-" if spec_err is None else f"{spec_err:.1e}",
                    f"{errs['e3nn']:.1e}" if "e3nn" in errs else "-"]
            rows.append(row)
            fl = separable_flops(L, L, 2 * L)
            gf = fl * nrow / t_auto / 1e9
            rates.append([L, dtype, f"{fl / 1e6:.3g}", f"{gf:.2f}", f"{peaks[dtype]:.1f}",
                          f"{100 * gf / peaks[dtype]:.1f}%"])
            print(f"  done L={L} {dtype} threads={threads}", flush=True)
    print(f"\n### {threads} thread(s), {args.batch} x {args.channels} = {args.batch * args.channels} products\n")
    print_table(rows, ["L", "dtype", *METHODS, "auto", "numpy dense grid", "e3nn uuu", "best", "auto picks",
                       "auto/best", "picked/best", "numpy dense/auto", "e3nn/auto", "backward/forward",
                       "max rel err (specnum)", "rel err e3nn"])
    print()
    print_table(rates, ["L", "dtype", "separable Mflop/product", "auto GFlop/s", "matmul peak GFlop/s",
                        "fraction of peak"])
    for dtype in args.dtypes:
        sel = [(L, mins[(L, dtype)]["auto"]) for L in args.L if L >= 16 and (L, dtype) in mins]
        if len(sel) >= 2:
            (la, ta), (lb, tb) = sel[0], sel[-1]
            print(f"scaling auto {dtype}: time ~ L^{math.log(tb / ta) / math.log(lb / la):.2f} (L = {la}..{lb})")
    if len(args.dtypes) == 2:
        for L in args.L:
            if (L, "float32") in mins and (L, "float64") in mins:
                r = mins[(L, "float64")]["auto"] / mins[(L, "float32")]["auto"]
                print(f"float32 speed-up of auto at L = {L}: {r:.2f}x")
    return mins


def run_batches(args, threads: int):
    """auto against the best method for batches of 1, 64 and 4096 products; --crossover table."""
    import numpy as np

    from specnum.gaunt import gaunt_product
    from specnum.gaunt._crossover import choose_method

    _set(threads)
    rows, best = [], {}
    for dtype in args.dtypes:
        for nrow in args.batches:
            for L in [L for L in args.L if L >= 1]:
                rng = np.random.default_rng(L)
                n = (L + 1) ** 2
                x1 = rng.standard_normal((nrow, n)).astype(dtype)
                x2 = rng.standard_normal((nrow, n)).astype(dtype)
                fns = {m: partial(gaunt_product, x1, x2, method=m) for m in ("direct", "grid", "fourier")
                       if not (m == "direct" and L > LIMITS["direct"]) and not (m == "fourier" and nrow * L > 50000)}
                fns["auto"] = partial(gaunt_product, x1, x2)
                t = interleaved(fns)
                t_auto = t.pop("auto")
                b = min(t, key=t.get)
                best[(dtype, nrow, L)] = b
                pick = choose_method(L, L, 2 * L, nrow=nrow, dtype=dtype)
                rows.append([dtype, nrow, L,
                             *(fmt_seconds(t[m]) if m in t else "-" for m in ("direct", "grid", "fourier")),
                             fmt_seconds(t_auto), b, pick,
                             f"{t_auto / t[b]:.2f}", f"{t[pick] / t[b]:.2f}"])
    print(f"\n### auto against the best method per batch size, {threads} thread(s)\n")
    print_table(rows, ["dtype", "batch", "L", "direct", "grid", "fourier", "auto", "best", "auto picks", "auto/best",
                       "picked/best"])
    if args.crossover:
        print("\n_BEST = {")
        for dtype in args.dtypes:
            print(f"    {dtype!r}: {{")
            for nrow in args.batches:
                ranges, last = [], None
                for L in args.L:
                    m = best[(dtype, nrow, L)]
                    if ranges and ranges[-1][0] == m:
                        ranges[-1] = (m, L)
                    else:
                        ranges.append((m, L))
                    last = m
                ranges[-1] = (last, 999)
                print(f"        {nrow}: {tuple(ranges)},")
            print("    },")
        print("}")


def run_thread_ratio(args) -> None:
    """auto with the default threads against 1 thread, interleaved round by round in one process
    (both settings see the same state of the shared machine)."""
    import numpy as np

    from specnum.gaunt import gaunt_product

    default = max(args.threads)
    rows = []
    for L in args.L:
        for dtype in args.dtypes:
            rng = np.random.default_rng(L)
            n = (L + 1) ** 2
            x1 = rng.standard_normal((args.batch * args.channels, n)).astype(dtype)
            x2 = rng.standard_normal((args.batch * args.channels, n)).astype(dtype)
            best = {1: math.inf, default: math.inf}
            for threads in best:  # warm-up under both settings
                _set(threads)
                gaunt_product(x1, x2)
            t0 = time.perf_counter()
            gaunt_product(x1, x2)
            number = max(1, min(200, int(0.05 / max(time.perf_counter() - t0, 1e-7))))
            for _ in range(7 if L < 32 else 3):
                for threads in best:
                    _set(threads)
                    t0 = time.perf_counter()
                    for _ in range(number):
                        gaunt_product(x1, x2)
                    best[threads] = min(best[threads], (time.perf_counter() - t0) / number)
            rows.append([L, dtype, fmt_seconds(best[1]), fmt_seconds(best[default]),
                         f"{best[default] / best[1]:.2f}"])
            print(f"  done L={L} {dtype} thread ratio", flush=True)
    _set(default)
    print(f"\n### auto with {default} threads against 1 thread, interleaved, "
          f"{args.batch * args.channels} products\n")
    print_table(rows, ["L", "dtype", "auto, 1 thread", f"auto, {default} threads", "ratio"])


def run_dtype_ratio(args) -> None:
    """auto in float32 against float64 on the same inputs, interleaved round by round in one process
    (the ratio of the main table compares minima taken minutes apart on a shared machine)."""
    import numpy as np

    from specnum.gaunt import gaunt_product

    rows = []
    for threads in args.threads:
        _set(threads)
        for L in args.L:
            rng = np.random.default_rng(L)
            n = (L + 1) ** 2
            x = rng.standard_normal((2, args.batch * args.channels, n))
            fns = {dt: partial(gaunt_product, *x.astype(dt)) for dt in ("float64", "float32")}
            t = interleaved(fns, rounds=7 if L < 32 else 3)
            rows.append([threads, L, fmt_seconds(t["float64"]), fmt_seconds(t["float32"]),
                         f"{t['float64'] / t['float32']:.2f}"])
            print(f"  done L={L} threads={threads} dtype ratio", flush=True)
    print(f"\n### auto in float32 against float64, interleaved, {args.batch * args.channels} products\n")
    print_table(rows, ["threads", "L", "float64", "float32", "float32 speed-up"])


def run_direct_kernels(args) -> None:
    """The two kernels of the direct route on the same tables, interleaved, 1 thread: pair by
    pair (``gaunt_pairs_kernel``) and output by output (``gaunt_outputs_kernel`` through
    ``contract``, which falls back to the first when the pair products do not fit in L2)."""
    import numpy as np
    from threadpoolctl import threadpool_limits

    from specnum.gaunt._direct import block_rows, contract, pair_tables
    from specnum.gaunt._kernels import gaunt_pairs_kernel

    _set(1)
    rows = []
    with threadpool_limits(1):
        for L in args.L:
            for dtype in args.dtypes:
                for nrow in args.batches:
                    t = pair_tables(L, L, 2 * L, dtype)
                    blk = block_rows(np.dtype(dtype).itemsize)
                    rng = np.random.default_rng(L)
                    x1, x2 = (rng.standard_normal((nrow, (L + 1) ** 2)).astype(dtype) for _ in range(2))
                    o1 = np.empty((nrow, (2 * L + 1) ** 2), dtype)
                    o2 = np.empty_like(o1)
                    best = interleaved({
                        "pairs": partial(gaunt_pairs_kernel, x1, x2, *t.pairs(), 0, nrow, blk, o1),
                        "contract": partial(contract, x1, x2, t, 0, nrow, blk, o2),
                    }, rounds=7 if not args.quick else 3)
                    err = float(np.max(np.abs(o1 - o2)) / np.max(np.abs(o1)))
                    rows.append([L, dtype, nrow, t.pk1.size, t.values.size, fmt_seconds(best["pairs"]),
                                 fmt_seconds(best["contract"]), f"{best['pairs'] / best['contract']:.2f}",
                                 f"{err:.1e}"])
    print("\n### direct route: pair-by-pair kernel against contract (output by output where it fits), 1 thread\n")
    print_table(rows, ["L", "dtype", "products", "pairs", "nonzeros", "pair by pair", "contract", "speed-up",
                       "max rel diff"])


def _round_trip(c, g, lm, method):
    from specnum.bases.spheregrid import analysis, synthesis

    return analysis(synthesis(c, g, method=method), g, lm, method=method)


def run_transforms(args, threads: int):
    """Dense against separable sphere-grid transforms on product grids, with and without the
    azimuths folded under ``phi -> pi - phi`` (``fold_phi``): where the rules switch."""
    import numpy as np

    from specnum.bases.spheregrid import sphere_grid

    _set(threads)
    rows = []
    for dtype in args.dtypes:
        for L in [L for L in args.L if L <= 24]:
            for lm in (L, 2 * L):
                res = {}
                for fold in (False, True):
                    g = sphere_grid(4 * L, fold_phi=fold)
                    if fold and g.n_phi == 4 * L + 1:  # too small a grid to fold: the same plans
                        res["dense", True] = res["separable", True] = math.inf
                        continue
                    c = np.random.default_rng(L).standard_normal((4096, (lm + 1) ** 2)).astype(dtype)
                    for m in ("dense", "separable"):
                        res[m, fold] = timeit(partial(_round_trip, c, g, lm, m), repeat=3, warmup=1, min_time=0.02).min
                work = (lm + 1) ** 2 * g.n_theta * (4 * L + 1)
                best = min(res, key=res.get)
                rows.append([dtype, L, lm, work] + [fmt_seconds(res[k]) if res[k] < math.inf else "-" for k in
                            (("dense", False), ("separable", False), ("dense", True), ("separable", True))]
                            + [f"{best[0]}{', folded' if best[1] else ''}"])
    print(f"\n### synthesis + analysis of 4096 rows on sphere_grid(4L), {threads} thread(s)\n")
    print_table(rows, ["dtype", "L", "lmax", "(lmax+1)^2 n_theta (4L+1)", "dense", "separable", "dense, fold_phi",
                       "separable, fold_phi", "fastest"])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--L", type=int, nargs="+", default=DEFAULT_L)
    ap.add_argument("--dtypes", nargs="+", default=["float64", "float32"])
    ap.add_argument("--threads", type=int, nargs="+", default=[1, os.cpu_count() or 2])
    ap.add_argument("--batch", type=int, default=1024)
    ap.add_argument("--channels", type=int, default=4)
    ap.add_argument("--batches", type=int, nargs="+", default=[1, 64, 4096])
    ap.add_argument("--quick", action="store_true", help="fewer repeats")
    ap.add_argument("--no-e3nn", action="store_true")
    ap.add_argument("--no-table", action="store_true", help="skip the main table")
    ap.add_argument("--crossover", action="store_true", help="auto vs best per batch size, print the _BEST table")
    ap.add_argument("--transforms", action="store_true", help="dense vs separable transforms")
    ap.add_argument("--direct-kernels", action="store_true", help="the two kernel orders of the direct route")
    ap.add_argument("--thread-ratio", action="store_true",
                    help="auto at the default threads against 1 thread, interleaved in one process")
    ap.add_argument("--dtype-ratio", action="store_true",
                    help="auto in float32 against float64, interleaved in one process")
    args = ap.parse_args(argv)
    print(machine_info(), f"load average {os.getloadavg()[0]:.2f}", flush=True)
    import specnum

    with specnum.size_budget(work=1e13):  # the large-L rows are meant to run: raised on purpose
        _run_all(args)
    print(f"\nload average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def _run_all(args) -> None:
    if args.thread_ratio:
        run_thread_ratio(args)
        return
    if args.direct_kernels:
        run_direct_kernels(args)
        return
    if args.dtype_ratio:
        run_dtype_ratio(args)
        return
    per_threads = {}
    for threads in args.threads:
        if not args.no_table:
            per_threads[threads] = run_table(args, threads)
        if args.crossover:
            run_batches(args, threads)
        if args.transforms:
            run_transforms(args, threads)
    if len(per_threads) >= 2:
        (ta, ma), (tb, mb) = sorted(per_threads.items())[0], sorted(per_threads.items())[-1]
        rows = [[L, dt, fmt_seconds(ma[(L, dt)]["auto"]), fmt_seconds(mb[(L, dt)]["auto"]),
                 f"{mb[(L, dt)]['auto'] / ma[(L, dt)]['auto']:.2f}"] for (L, dt) in ma if (L, dt) in mb]
        print(f"\n### auto with {tb} threads against {ta} thread(s)\n")
        print_table(rows, ["L", "dtype", f"auto, {ta} thread(s)", f"auto, {tb} threads", "ratio"])


if __name__ == "__main__":
    main()
