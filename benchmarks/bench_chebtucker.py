"""Benchmarks of specnum.chebtucker against numpy references, the direct sum, fmm3dpy and TensorLy.

Run:  python benchmarks/bench_chebtucker.py [--quick] [--skip-large]

Sections (each prints a Markdown table; peers are timed in the same run, read the ratios):

1. build + compress erf(r)/r on [-10, 10]^3, n = 128, rtol = 1e-8 (1 thread): specnum
   (truncated HOSVD, and the sequentially truncated variant) against a plain numpy/scipy
   reference (sample, dctn, QR-route SVD of the three unfoldings);
2. evaluation throughput at 1e6 random points, n = 128, r = 11 (1 thread): ChebTucker
   against evaluating the full n^3 interpolant (numpy chebval3d) and the direct erf sum of
   a 512-charge lattice;
3. potentials of N = 1e5 particles at 1e4 targets (1 thread): (a) sweep of the splitting
   radius r0 (long-range ChebTucker build + evaluation, short-range cell list, total and its
   error at rtol 1e-7); (b) at the best r0 the long range against the direct erf sum, and the
   total against the direct 1/r sum and fmm3dpy (if installed, eps 1e-6 and 1e-9);
4. Tucker of a 256^3 grid tensor of erf(r)/r: specnum hosvd (rtol 1e-8) against TensorLy's
   ``tucker`` (HOOI, svd init) at the same ranks (if installed);
5. potential and forces at every particle (targets = sources) for N = 1e5, 1e6, 1e7 charges
   +-1 (uniform, and clustered: blobs, a shell), ``coulomb_energy_forces`` at rtol 1e-6 and
   1e-8 against fmm3dpy ``lfmm3d(eps=1e-6, pg=2)``, both with 1 thread and with the default
   threads, errors against fmm3dpy at eps 1e-12 (itself checked against the direct sum at 2000
   particles) and against that direct sum, peak memory of each run (a subprocess per
   measurement); fmm3dpy is left out where its memory would not fit in this machine
   (``--allow-swap`` counts the free swap space too, and each case records its paging);
6. the same with Dask: N = 1e7 on a LocalCluster of 1 and 2 worker processes, time per stage,
   speed-up against the serial path;
7. default threads against 1 thread for ``long_range_potential`` (N = 2e4) and
   ``total_potential`` (N = 1e5, 1e4 targets);
8. (only when asked) the splitting radius: r0 = beta * spacing against the time per stage,
   N = 1e5, each distribution, rtol 1e-6, 1 thread;
9. (only when asked) ``r0="auto"`` against the tuned radius of section 5 and a fixed r0 = 1,
   N = 1e5, each distribution and the uniform charges shrunk into a unit cube, rtol 1e-6, 1 thread;
10. (only when asked) short-range pair sums (potential and forces, Newton kernel) of N = 2e4
   uniform charges: the cell list against scipy's ``cKDTree.query_pairs`` + numpy, 1 thread and
   the default threads.

Sections 5 and 6 take long (N = 1e7: hours on 2 cores; ``--sizes`` limits them). Each case's
result is stored in ``--workdir``; ``--reuse`` takes stored results instead of measuring again
(so that a long run can be done in pieces).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import scipy.fft  # noqa: E402
import scipy.linalg  # noqa: E402
import scipy.special  # noqa: E402
from _harness import machine_info, print_table, set_threads, timeit  # noqa: E402

from specnum.bases.chebyshev import points  # noqa: E402
from specnum.chebtucker import (  # noqa: E402
    ChebTucker,
    direct_potential,
    hosvd,
    long_range_potential,
    short_range_potential,
    tucker_to_full,
)


def erf_over_r(x, y, z):
    r = np.sqrt(x * x + y * y + z * z)
    return scipy.special.erf(r) / r  # n even: the origin is not a grid point


# ---------------------------------------------------------------- references
def numpy_reference_build(n: int, rtol: float):
    """Plain numpy/scipy: sample, DCT-II on 3 axes, QR-route SVD per unfolding, tail criterion."""
    x = np.cos(np.pi * (np.arange(n) + 0.5) / n)[::-1] * 10.0
    xx, yy, zz = np.meshgrid(x, x, x, indexing="ij")
    v = erf_over_r(xx, yy, zz)
    c = scipy.fft.dctn(v[::-1, ::-1, ::-1], type=2, axes=(0, 1, 2)) / n**3
    c[0] /= 2
    c[:, 0] /= 2
    c[:, :, 0] /= 2
    thr = rtol * np.linalg.norm(c) / math.sqrt(3)
    us = []
    for k in range(3):
        a = np.moveaxis(c, k, 0).reshape(n, -1)
        r = scipy.linalg.qr(a.T, mode="r", check_finite=False)[0][:n]
        u, s, _ = np.linalg.svd(r.T)
        tail = np.sqrt(np.cumsum(s[::-1] ** 2)[::-1])
        rk = int(np.count_nonzero(tail > thr))
        us.append(u[:, :rk])
    core = np.einsum("ijk,ip,jq,ks->pqs", c, *us, optimize=True)
    return core, us


def section_build(quick: bool):
    n = 64 if quick else 128
    box = ((-10.0, 10.0),) * 3
    set_threads(1)
    rows = []
    ref_t = timeit(lambda: numpy_reference_build(n, 1e-8), repeat=3 if quick else 5)
    core_ref, _ = numpy_reference_build(n, 1e-8)
    for label, kw in [("hosvd", {"method": "hosvd"}), ("sthosvd", {"method": "sthosvd"}),
                      ("hosvd, no trim", {"method": "hosvd", "trim": False})]:
        f = ChebTucker.from_function(erf_over_r, box, n, rtol=1e-8, **kw)
        t = timeit(lambda kw=kw: ChebTucker.from_function(erf_over_r, box, n, rtol=1e-8, **kw),
                   repeat=3 if quick else 5)
        p = np.random.default_rng(0).uniform(-10, 10, (20000, 3))
        err = float(np.max(np.abs(f(p) - erf_over_r(*p.T))))
        rows.append([f"specnum {label}", t, str(f.ranks), str(f.degrees[0] + 1), err, ref_t.median / t.median])
    rows.append(["numpy reference", ref_t, str(core_ref.shape), str(n), float("nan"), 1.0])
    print(f"\n### 1. Build + compress erf(r)/r on [-10,10]^3, n = {n}, rtol = 1e-8 (1 thread)\n")
    print_table(rows, ["method", "time", "ranks", "n kept", "max err", "speed-up vs numpy ref"])
    # component split
    x = points(n, kind=1, interval=box[0])
    xx, yy, zz = np.meshgrid(x, x, x, indexing="ij")
    t_sample = timeit(lambda: erf_over_r(xx, yy, zz), repeat=3)
    print(f"\n(of which sampling f alone: {t_sample.median * 1e3:.1f} ms)")


def section_eval(quick: bool):
    set_threads(1)
    n = 128
    m = 200_000 if quick else 1_000_000
    box = ((-10.0, 10.0),) * 3
    f = ChebTucker.from_function(erf_over_r, box, n, rtol=1e-8, trim=False)
    pts = np.random.default_rng(1).uniform(-10, 10, (m, 3))
    t_ct = timeit(lambda: f(pts), repeat=3, warmup=1)
    f_trim = ChebTucker.from_function(erf_over_r, box, n, rtol=1e-8)  # default: negligible degrees trimmed
    t_trim = timeit(lambda: f_trim(pts), repeat=3, warmup=1)
    t_grad = timeit(lambda: f.gradient(pts), repeat=3, warmup=1)
    # full n^3 interpolant: numpy chebval3d on 1e4 points
    from numpy.polynomial import chebyshev as npc

    c = f.coefficients()
    m_full = 100
    sub = pts[:m_full] / 10.0
    t_full = timeit(lambda: npc.chebval3d(sub[:, 0], sub[:, 1], sub[:, 2], c), repeat=3)
    err_full = float(np.max(np.abs(npc.chebval3d(sub[:, 0], sub[:, 1], sub[:, 2], c) - f(pts[:m_full]))))
    # direct sum of a 512-charge lattice (erf kernel) against its ChebTucker
    g = (np.arange(8) - 3.5) * 2.0
    pos = np.stack(np.meshgrid(g, g, g, indexing="ij"), -1).reshape(-1, 3)
    q = ((-1.0) ** np.indices((8, 8, 8)).sum(0)).reshape(-1)
    v = long_range_potential(pos, q, box, r0=1.0, rtol=1e-8)
    t_v = timeit(lambda: v(pts), repeat=3)
    t_dir = timeit(lambda: direct_potential(pos, q, pts[:20000], kernel="erf"), repeat=3)
    rows = [
        [f"ChebTucker value, n={n}, r={f.ranks}", t_ct, m / t_ct.median],
        ["ChebTucker gradient (value + 3 derivatives)", t_grad, m / t_grad.median],
        [f"ChebTucker value, default trim: n={f_trim.degrees[0] + 1}, r={f_trim.ranks}", t_trim, m / t_trim.median],
        ["full n^3 interpolant (numpy chebval3d)", t_full, m_full / t_full.median],
        [f"lattice potential ChebTucker, r={v.ranks}, n={v.degrees[0] + 1}", t_v, m / t_v.median],
        ["lattice potential direct erf sum (N=512, numba, 1 thread)", t_dir, 20000 / t_dir.median],
    ]
    print(f"\n### 2. Evaluation throughput ({m:.0e} points, 1 thread)\n")
    print_table(rows, ["evaluator", "time per call", "points / s"])
    print(f"\nChebTucker vs full interpolant: {(m / t_ct.median) / (m_full / t_full.median):.0f}x more points/s "
          f"(max difference {err_full:.1e}); vs the N=512 direct sum: "
          f"{(m / t_v.median) / (20000 / t_dir.median):.0f}x")


def section_particles(quick: bool, threads: int = 1):
    # numba compilation (or cache load) before the thread count is fixed
    warm = np.random.default_rng(0).uniform(-1, 1, (50, 3))
    short_range_potential(warm, warm[:, 0], warm[:5], 1.0)
    direct_potential(warm, warm[:, 0], warm[:5])
    long_range_potential(warm, warm[:, 0], ((-1, 1),) * 3, r0=1.0, rtol=1e-4)(warm[:5])
    long_range_potential(warm, warm[:, 0], ((-1, 1),) * 3, r0=1.0, rtol=1e-4, method="spread")
    set_threads(threads)
    n_part = 10_000 if quick else 100_000
    n_tgt = 2_000 if quick else 10_000
    half = 10.0
    box = ((-half, half),) * 3
    rng = np.random.default_rng(2)
    pos = rng.uniform(-half, half, (n_part, 3))
    q = rng.choice([-1.0, 1.0], n_part)
    tgt = rng.uniform(-half, half, (n_tgt, 3))
    rtol = 1e-7
    t0 = time.perf_counter()
    ref = direct_potential(pos, q, tgt, kernel="newton")
    t_dir = time.perf_counter() - t0
    # sweep of the splitting radius: long range (build + eval) against short range (cell list)
    sweep = {}
    for r0 in ((1.0, 2.0) if quick else (0.5, 0.75, 1.0, 1.5, 2.0)):
        t0 = time.perf_counter()
        v = long_range_potential(pos, q, box, r0=r0, rtol=rtol)
        t_build = time.perf_counter() - t0
        t_eval = timeit(lambda v=v: v(tgt), repeat=3).median
        t0 = time.perf_counter()
        sr = short_range_potential(pos, q, tgt, r0, rtol=rtol)
        t_sr = time.perf_counter() - t0
        total = v(tgt) + sr
        err = float(np.max(np.abs(total - ref)) / np.max(np.abs(ref)))
        sweep[r0] = (v, t_build, t_eval, t_sr, t_build + t_eval + t_sr, err)
    best = min(sweep, key=lambda r: sweep[r][4])
    rows_sweep = [[f"{r0:g}", f"{sw[0].degrees[0] + 1}", str(sw[0].ranks), sw[1], sw[2], sw[3], sw[4], sw[5],
                   t_dir / sw[4]] for r0, sw in sweep.items()]
    print(f"\n### 3a. r0 sweep: total potential = ChebTucker(long range) + cell list(short range), N = {n_part} "
          f"charges +-1 in [-{half:g},{half:g}]^3, {n_tgt} targets, rtol = {rtol:g}, {threads} threads\n")
    print_table(rows_sweep, ["r0", "n", "ranks", "build [s]", "eval [s]", "short range [s]", "total [s]",
                             "max err / max|V|", "speed-up vs direct"])
    print(f"\nbest r0 = {best:g} (total {sweep[best][4]:.3g} s); direct 1/r sum {t_dir:.3g} s")
    # the best r0 in detail, plus peers
    r0 = best
    v, t_build, t_eval, t_sr, t_tot, err_tot = sweep[r0]
    t0 = time.perf_counter()
    ref_lr = direct_potential(pos, q, tgt, kernel="erf", r0=r0)
    t_dir_lr = time.perf_counter() - t0
    err_lr = float(np.max(np.abs(v(tgt) - ref_lr)) / np.max(np.abs(ref_lr)))
    bt = sweep[best][4]
    rows = [
        [f"long range: ChebTucker build (r0={r0:g}, r={v.ranks}, n={v.degrees[0] + 1})", t_build, float("nan"),
         float("nan"), err_lr],
        [f"long range: ChebTucker eval at {n_tgt} targets", t_eval, float("nan"), float("nan"), err_lr],
        [f"long range: direct erf sum at {n_tgt} targets", t_dir_lr, float("nan"), float("nan"), 0.0],
        [f"short range: cell list (numba; columns + z-windows, r0={r0:g})", t_sr, float("nan"), float("nan"),
         float("nan")],
        [f"total: ChebTucker + cell list, r0={r0:g}", t_tot, t_dir / t_tot, bt / t_tot, err_tot],
        [f"total: direct 1/r sum at {n_tgt} targets (numba)", t_dir, 1.0, bt / t_dir, 0.0],
    ]
    try:
        import fmm3dpy

        for eps in (1e-6, 1e-9):
            t0 = time.perf_counter()
            out = fmm3dpy.lfmm3d(eps=eps, sources=np.ascontiguousarray(pos.T), charges=q,
                                 targets=np.ascontiguousarray(tgt.T), pgt=1)
            t_f = time.perf_counter() - t0
            pot = out.pottarg
            scale = float(np.dot(ref, pot) / np.dot(pot, pot))  # 1 or 4 pi, depending on the build
            scale = 4 * math.pi if abs(scale - 4 * math.pi) < 0.1 else 1.0
            err_f = float(np.max(np.abs(scale * pot - ref)) / np.max(np.abs(ref)))
            label = f"total: fmm3dpy {fmm3dpy.__version__} lfmm3d eps={eps:g} (pip wheel)"
            rows.append([label, t_f, t_dir / t_f, bt / t_f, err_f])
    except ImportError:
        rows.append(["fmm3dpy not installed", float("nan"), float("nan"), float("nan"), float("nan")])
    print(f"\n### 3b. N = {n_part} charges +-1 uniform in [-{half:g},{half:g}]^3, r0 = {r0:g}, rtol = {rtol:g}, "
          f"{threads} threads\n")
    print_table(rows, ["step", "time [s]", "speed-up vs direct", "best ChebTucker total / this", "max err / max|V|"])


def section_tensorly(quick: bool, threads: int = 1):
    set_threads(threads)
    m = 128 if quick else 256
    x = (np.arange(m) + 0.5) / m * 20.0 - 10.0
    xx, yy, zz = np.meshgrid(x, x, x, indexing="ij")
    t = erf_over_r(xx, yy, zz)
    del xx, yy, zz
    nt = np.linalg.norm(t)
    rows = []
    for method in ("hosvd", "sthosvd"):
        t0 = time.perf_counter()
        core, facs = hosvd(t, rtol=1e-8, method=method)
        dt = time.perf_counter() - t0
        err = float(np.linalg.norm(tucker_to_full(core, facs) - t) / nt)
        rows.append([f"specnum hosvd(rtol=1e-8, method={method!r})", dt, str(core.shape), err])
    ranks = list(rows[0][2].strip("()").split(", "))
    ranks = [int(r) for r in ranks]
    try:
        import tensorly
        from tensorly.decomposition import tucker

        t0 = time.perf_counter()
        res = tucker(t, rank=ranks, init="svd", tol=1e-10, n_iter_max=100)
        dt = time.perf_counter() - t0
        err = float(np.linalg.norm(tensorly.tucker_to_tensor(res) - t) / nt)
        rows.append([f"TensorLy {tensorly.__version__} tucker(rank={ranks}, init='svd')", dt, str(tuple(ranks)), err])
    except ImportError:
        rows.append(["TensorLy not installed", float("nan"), "", float("nan")])
    print(f"\n### 4. Tucker of the {m}^3 grid tensor of erf(r)/r on [-10,10]^3 ({threads} threads)\n")
    print_table(rows, ["method", "time [s]", "ranks", "relative Frobenius error"])
    if len(rows) == 3 and not math.isnan(rows[2][1]):
        print(f"\nspeed-up of specnum hosvd over TensorLy: {rows[2][1] / rows[0][1]:.1f}x "
              f"(sthosvd: {rows[2][1] / rows[1][1]:.1f}x)")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller sizes (smoke run)")
    parser.add_argument("--only", type=int, nargs="*", help="sections to run (1-10; default 1-7)")
    parser.add_argument("--pairs-n", type=float, default=2e4, help="N of section 10")
    parser.add_argument("--sizes", type=float, nargs="*", default=[1e5, 1e6, 1e7], help="N of section 5")
    parser.add_argument("--dists", nargs="*", default=["uniform", "blobs", "shell"], help="distributions of section 5")
    parser.add_argument("--rtols", type=float, nargs="*", default=[1e-6, 1e-8], help="rtol values of section 5")
    parser.add_argument("--threads", nargs="*", default=["1", "default"],
                        help="thread settings of section 5 (a count or 'default')")
    parser.add_argument("--no-fmm-reference", action="store_true",
                        help="section 5: errors against the sampled direct sum only (no fmm3dpy at eps 1e-12)")
    parser.add_argument("--allow-swap", action="store_true",
                        help="section 5: count the free swap space as memory when deciding whether fmm3dpy can run")
    parser.add_argument("--clustered-max", type=float, default=1e6, help="largest N of the clustered runs")
    parser.add_argument("--betas", nargs="*", default=["uniform=1.75", "blobs=4", "shell=3"],
                        help="r0 = beta * (particle-averaged spacing) per distribution (sections 5, 6)")
    parser.add_argument("--dask-n", type=float, default=1e7, help="N of section 6")
    parser.add_argument("--dask-workers", type=int, nargs="*", default=[1, 2], help="worker processes (section 6)")
    parser.add_argument("--dask-serial", nargs="*", default=["1", "default"],
                        help="thread counts of the serial runs of section 6 ('default': no thread variables)")
    parser.add_argument("--sweep-n", type=float, default=1e5, help="N of section 8")
    parser.add_argument("--workdir", default="/tmp/specnum-bench-chebtucker", help="reference arrays")
    parser.add_argument("--reuse", action="store_true", help="reuse the case results stored in --workdir")
    parser.add_argument("--reuse-references", action="store_true",
                        help="section 5: reuse only the stored references (sampled direct sum, fmm3dpy eps 1e-12)")
    parser.add_argument("--case", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.case:
        import json

        from _chebtucker_scale import case_main

        print(json.dumps(case_main(json.loads(args.case))))
        return
    command = " ".join(["python benchmarks/bench_chebtucker.py", *(sys.argv[1:] if argv is None else argv)])
    print(f"## specnum.chebtucker benchmarks\n\n{machine_info()}\n`{command}`, load average {os.getloadavg()}")
    sections = {1: section_build, 2: section_eval, 3: section_particles, 4: section_tensorly}
    betas = {k: float(v) for k, v in (b.split("=") for b in args.betas)}
    for k in args.only or [1, 2, 3, 4, 5, 6, 7]:
        if k == 5:
            from _chebtucker_scale import section_scale

            os.makedirs(args.workdir, exist_ok=True)
            for dist in args.dists:
                sizes = [int(n) for n in args.sizes if dist == "uniform" or n <= args.clustered_max]
                if sizes:
                    threads = [None if t == "default" else int(t) for t in args.threads]
                    section_scale(sizes, [dist], args.rtols, threads, args.workdir, betas[dist], print_table,
                                  args.reuse, not args.no_fmm_reference, args.reuse_references, args.allow_swap)
        elif k == 6:
            from _chebtucker_scale import section_dask

            os.makedirs(args.workdir, exist_ok=True)
            serial = [None if t == "default" else int(t) for t in args.dask_serial]
            section_dask(int(args.dask_n), args.dask_workers, 1e-6, betas["uniform"], args.workdir, print_table,
                         args.reuse, serial)
        elif k == 8:
            from _chebtucker_scale import section_sweep

            os.makedirs(args.workdir, exist_ok=True)
            sweep = {"uniform": [1.25, 1.5, 1.75, 2.0, 2.5], "blobs": [2.0, 3.0, 4.0, 5.0, 6.0],
                     "shell": [1.5, 2.0, 3.0, 4.0, 5.0]}
            section_sweep(int(args.sweep_n), {d: sweep[d] for d in args.dists}, 1e-6, args.workdir, print_table,
                          args.reuse)
        elif k == 9:
            from _chebtucker_scale import section_radius

            os.makedirs(args.workdir, exist_ok=True)
            section_radius(int(args.sweep_n), {d: betas[d] for d in args.dists}, 1e-6, args.workdir, print_table,
                           args.reuse)
        elif k == 10:
            from _chebtucker_pairs import section_pairs

            section_pairs(int(args.pairs_n), print_table)
        elif k == 7:
            from _chebtucker_scale import section_threads

            os.makedirs(args.workdir, exist_ok=True)
            section_threads(print_table, args.workdir, args.reuse)
        else:
            sections[k](args.quick)
        print(f"\n(load average after section {k}: {os.getloadavg()})", flush=True)


if __name__ == "__main__":
    main()
