"""Benchmark of specnum.gaunt.gaunt_product: every method, "auto", and e3nn's channelwise TP.

Workload (issue 5): both operands of degree ``L`` (0..L), full output ``0..2L``, 4096
independent products = batch 1024 x 4 channels, random N(0, 1) inputs, float32 and float64.
Peer: e3nn ``o3.TensorProduct`` with mode ``"uuu"`` restricted to the Gaunt (even) paths with
path weights ``kappa**2`` (e3nn applies a square root), i.e. exactly the same bilinear map,
timed warm in the same run with the same thread count. Times are the minimum over the
repeats (the machine is shared; the minimum is the least disturbed measurement). The accuracy column is the max
deviation from the float64 "grid" result on 64 rows, relative to its max.

Usage (from the repository root)::

    python benchmarks/bench_gaunt.py                       # full table, 1 thread
    python benchmarks/bench_gaunt.py --L 1 2 4 --quick     # a short run
    python benchmarks/bench_gaunt.py --crossover           # also print the auto table

The crossover table in ``specnum/gaunt/_crossover.py`` is the ``--crossover`` output.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _harness import fmt_seconds, machine_info, print_table, set_threads, timeit  # noqa: E402

DEFAULT_L = [1, 2, 4, 6, 8, 12, 16, 24, 32]
VARIANTS = ["direct", "grid_dense", "grid_separable", "fourier"]
# largest L at which a variant is still worth timing (cost grows like L^5 / L^4)
LIMITS = {"direct": 12, "grid_dense": 16, "grid_separable": 999, "fourier": 999, "e3nn": 12}


def _e3nn_peer(L, channels, dtype):
    """Build e3nn's uuu TP on the Gaunt paths and a layout converter; None if e3nn is missing."""
    try:
        import torch
        from e3nn import o3
    except ImportError:
        return None
    from specnum.bases.coupling import gaunt_kappa

    tdtype = torch.float32 if dtype == "float32" else torch.float64
    irr1 = o3.Irreps([(channels, (l, (-1) ** l)) for l in range(L + 1)])
    irr_out = o3.Irreps([(channels, (l, (-1) ** l)) for l in range(2 * L + 1)])
    instr = []
    for l1 in range(L + 1):
        for l2 in range(L + 1):
            for l3 in range(abs(l1 - l2), l1 + l2 + 1):
                if (l1 + l2 + l3) % 2 == 0:
                    instr.append((l1, l2, l3, "uuu", False, gaunt_kappa(l1, l2, l3) ** 2))
    t0 = time.perf_counter()
    tp = o3.TensorProduct(irr1, irr1, irr_out, instr, irrep_normalization="none", path_normalization="none")
    tp = tp.to(tdtype)
    build = time.perf_counter() - t0

    def to_layout(x):  # (B, C, (L+1)^2) -> (B, sum_l C (2l+1)) with blocks (C, 2l+1)
        import numpy as np

        Lx = int(round(math.sqrt(x.shape[-1]))) - 1
        parts = [x[:, :, l * l : (l + 1) ** 2].reshape(x.shape[0], -1) for l in range(Lx + 1)]
        return torch.from_numpy(np.ascontiguousarray(np.concatenate(parts, axis=1))).to(tdtype)

    def from_layout(y, C, Lx):
        import numpy as np

        y = y.detach().numpy()
        out = np.zeros((y.shape[0], C, (Lx + 1) ** 2), dtype=y.dtype)
        off = 0
        for l in range(Lx + 1):
            n = C * (2 * l + 1)
            out[:, :, l * l : (l + 1) ** 2] = y[:, off : off + n].reshape(-1, C, 2 * l + 1)
            off += n
        return out

    return tp, to_layout, from_layout, build


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--L", type=int, nargs="+", default=DEFAULT_L)
    ap.add_argument("--dtypes", nargs="+", default=["float32", "float64"])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--batch", type=int, default=1024)
    ap.add_argument("--channels", type=int, default=4)
    ap.add_argument("--quick", action="store_true", help="fewer repeats")
    ap.add_argument("--no-e3nn", action="store_true")
    ap.add_argument("--crossover", action="store_true", help="print the table for specnum/gaunt/_crossover.py")
    args = ap.parse_args(argv)
    set_threads(args.threads)

    import numpy as np

    from specnum.gaunt import fourier_to_sh_tables, gaunt_product, sh_to_fourier_tables
    from specnum.gaunt._crossover import choose_method
    from specnum.gaunt.products import _IMPL

    print(machine_info(), f"threads={args.threads}", flush=True)
    repeat = 3 if args.quick else 5
    rows, best_rows, mins = [], [], []
    build_rows = []
    for L in args.L:
        # exact table build (cold) and cached load
        from specnum.gaunt import sh_fourier as _shf

        _shf._sh2f_cached.cache_clear()
        _shf._f2sh_cached.cache_clear()
        t0 = time.perf_counter()
        sh_to_fourier_tables(L)
        fourier_to_sh_tables(2 * L, 2 * L)
        t_build = time.perf_counter() - t0
        t0 = time.perf_counter()
        fourier_to_sh_tables(2 * L, 2 * L)
        t_hit = time.perf_counter() - t0
        build_rows.append([L, f"{t_build:.3g} s", f"{t_hit * 1e6:.3g} us"])
        for dtype in args.dtypes:
            rng = np.random.default_rng(L)
            n = (L + 1) ** 2
            x1 = rng.standard_normal((args.batch, args.channels, n)).astype(dtype)
            x2 = rng.standard_normal((args.batch, args.channels, n)).astype(dtype)
            a1, a2 = x1.reshape(-1, n), x2.reshape(-1, n)
            ref = _IMPL["grid"](a1[:64].astype(np.float64), a2[:64].astype(np.float64), L, L, 2 * L)
            scale = np.abs(ref).max()
            times, errs = {}, {}
            for v in VARIANTS:
                if L > LIMITS[v]:
                    continue
                times[v] = timeit(lambda v=v, a1=a1, a2=a2, L=L: _IMPL[v](a1, a2, L, L, 2 * L), repeat=repeat, warmup=1,
                                  min_time=0.0)
                errs[v] = float(np.abs(_IMPL[v](a1[:64], a2[:64], L, L, 2 * L) - ref).max() / scale)
            times["auto"] = timeit(lambda x1=x1, x2=x2: gaunt_product(x1, x2, method="auto"), repeat=repeat, warmup=1,
                                   min_time=0.0)
            e3 = None if args.no_e3nn or L > LIMITS["e3nn"] else _e3nn_peer(L, args.channels, dtype)
            if e3 is not None:
                import torch

                tp, to_layout, from_layout, build = e3
                t1, t2 = to_layout(x1), to_layout(x2)
                with torch.no_grad():
                    times["e3nn"] = timeit(lambda tp=tp, t1=t1, t2=t2: tp(t1, t2), repeat=repeat, warmup=2,
                                           min_time=0.0)
                    # accuracy of e3nn against the exact product in e3nn's own axes
                    from specnum.gaunt import from_e3nn, to_e3nn

                    y = from_layout(tp(t1[:16], t2[:16]), args.channels, 2 * L)
                    exact = to_e3nn(
                        gaunt_product(from_e3nn(x1[:16].astype(np.float64)), from_e3nn(x2[:16].astype(np.float64)),
                                      method="grid")
                    )
                    errs["e3nn"] = float(np.abs(y - exact).max() / np.abs(exact).max())
            best = min((k for k in times if k not in ("auto", "e3nn")), key=lambda k: times[k].min)
            # the same best method through the public API (validation included), for a like-for-like ratio
            public = "grid" if best.startswith("grid") else best
            t_public = timeit(lambda x1=x1, x2=x2, m=public: gaunt_product(x1, x2, method=m), repeat=repeat,
                              warmup=1, min_time=0.0)
            auto_pick = choose_method(L, L, 2 * L, nrow=args.batch * args.channels, dtype=dtype)
            row = [L, dtype]
            for v in VARIANTS + ["auto", "e3nn"]:
                row.append(fmt_seconds(times[v].min) if v in times else "-")
            row += [
                best,
                auto_pick,
                f"{times['auto'].min / times[best].min:.2f}",
                f"{times['auto'].min / t_public.min:.2f}",
                f"{times['e3nn'].min / times['auto'].min:.1f}" if "e3nn" in times else "-",
                f"{max(errs[v] for v in errs if v != 'e3nn'):.1e}",
                f"{errs['e3nn']:.1e}" if "e3nn" in errs else "-",
            ]
            rows.append(row)
            mins.append((L, dtype, {k: t.min for k, t in times.items()}))
            best_rows.append((dtype, L, best))
            print("  done", L, dtype, flush=True)
    print()
    print_table(
        rows,
        ["L", "dtype", *VARIANTS, "auto", "e3nn uuu", "best", "auto picks", "auto/best kernel",
         "auto/best public", "e3nn/auto",
         "max rel err (specnum)", "rel err e3nn"],
    )
    print()
    print_table(build_rows, ["L", "exact tables build (sh2f L + f2sh 2L)", "cached lookup"])
    # scaling exponent between the two largest L
    for dtype in args.dtypes:
        for v in ("grid_separable", "fourier", "auto"):
            sel = [(L, t[v]) for L, d, t in mins if d == dtype and L >= 8 and v in t]
            if len(sel) >= 2:
                (la, ta), (lb, tb) = sel[0], sel[-1]
                print(f"scaling {v} {dtype}: time ~ L^{math.log(tb / ta) / math.log(lb / la):.2f} (L = {la}..{lb})")
    if args.crossover:
        print("\n_BEST = {")
        for dtype in args.dtypes:
            print(f"    {dtype!r}: (" + ", ".join(f"({L}, {b!r})" for d, L, b in best_rows if d == dtype) + "),")
        print("}")


if __name__ == "__main__":
    main()
