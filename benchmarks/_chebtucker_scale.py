"""Particles at scale for bench_chebtucker.py (sections 5-7): every particle of N, against fmm3dpy.

Each measurement runs in a fresh subprocess (``python bench_chebtucker.py --case '<json>'``) so
that its peak memory (``ru_maxrss``) and its thread settings are its own. Cases:

* ``fmm``: fmm3dpy ``lfmm3d(eps, charges, pg=2)``, potential and gradient at the sources;
  with ``save`` it writes the reference (eps 1e-12) to the work directory;
* ``direct``: the direct sum (numba) at 2000 sampled particles, saved as the sample reference;
* ``ours``: ``coulomb_energy_forces`` (potential and forces at every particle);
* ``dask``: the same with ``executor=Client(LocalCluster(workers processes))``;
* ``threads``: repeated timings of two small calls (section 7).

Errors: ``max |V - V_ref| / max |V_ref|`` and ``||V - V_ref||_2 / ||V_ref||_2`` for the
potential against fmm3dpy at eps 1e-12 (all particles), the same for the gradient
``grad V = -F / q``; and, for every run, the maximum errors at the 2000 sampled particles
against the direct sum (relative to the maximum there). When fmm3dpy's memory (measured
per particle) would not fit in this machine, fmm3dpy is not run and the sampled direct
sum is the only reference. With ``--allow-swap`` the swap space counts too (for a peer that
needs more memory than the machine has); every case then records its paging (major page
faults, pages swapped in and out while it ran), so that a time spent waiting for the disk
is visible next to the time.

Results are stored per case in ``<workdir>/cases`` and reused with ``--reuse``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve()
ROOT = HERE.parents[1]

__all__ = ["particles", "run_case", "case_main", "section_scale", "section_dask", "section_threads"]

SAMPLE = 2000
# peak RSS of fmm3dpy 2.1.0 (pip wheel) per particle, measured here at N = 1e6 with pg = 2:
# 4.32 GB at eps = 1e-6, 2.25 GB at eps = 1e-12 (the process itself: 0.19 GB)
# fmm3dpy's peak memory per particle, measured: 4.3 kB at 1e6 and 1.2 kB at 4e6 (eps 1e-6), 2.1 kB at 1e6
# (eps 1e-12); it does not vary monotonically with N: at 1e7 (eps 1e-6) it held 23.7 GB resident and
# 20.5 GB of swap, 4.4 kB per particle (FMM_BYTES_FROM)
FMM_BYTES_PER_PARTICLE = {1e-6: 1.25e3, 1e-12: 2.1e3}
FMM_BYTES_FROM = {1e7: 4.4e3}  # eps 1e-6: per particle from this N on, measured
MEMORY_SHARE = 0.7  # of the physical memory, for one measurement


# --------------------------------------------------------------------------- data
def particles(dist: str, n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` charges +-1 in a cube of side ``n^(1/3)`` (mean density 1): uniform, blobs or a shell."""
    rng = np.random.default_rng(seed)
    side = n ** (1.0 / 3.0)
    if dist == "uniform":
        pos = rng.uniform(0.0, side, (n, 3))
    elif dist == "blobs":  # 8 dense Gaussian blobs (width side/40): about 500x the mean density inside
        centres = rng.uniform(0.2 * side, 0.8 * side, (8, 3))
        pos = centres[rng.integers(0, 8, n)] + rng.normal(0.0, side / 40.0, (n, 3))
    elif dist == "shell":  # a protein-like surface: radius 0.4 side, thickness side/100
        d = rng.normal(size=(n, 3))
        d /= np.linalg.norm(d, axis=1)[:, None]
        pos = 0.5 * side + d * (0.4 * side + rng.uniform(-0.005, 0.005, n)[:, None] * side)
    else:
        raise ValueError(dist)
    return np.ascontiguousarray(np.clip(pos, 0.0, side)), rng.choice([-1.0, 1.0], n)


def effective_spacing(pos: np.ndarray, k: int = 16, sample: int = 2000) -> float:
    """``rho^(-1/3)`` for the particle-averaged density (k-th neighbour distance of a sample)."""
    from scipy.spatial import cKDTree

    rng = np.random.default_rng(1)
    idx = rng.choice(pos.shape[0], min(sample, pos.shape[0]), replace=False)
    d, _ = cKDTree(pos).query(pos[idx], k + 1)
    rho = k / (4.0 / 3.0 * math.pi * np.median(d[:, -1]) ** 3)
    return float(rho ** (-1.0 / 3.0))


def sample_index(n: int) -> np.ndarray:
    """The particles where the direct sum is the reference (the same for every run)."""
    return np.sort(np.random.default_rng(2).choice(n, min(SAMPLE, n), replace=False))


def _meminfo_bytes(field: str) -> float:
    """A field of ``/proc/meminfo`` in bytes (0 where it is not available)."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith(field + ":"):
                return 1024.0 * float(line.split()[1])
    return 0.0


def fmm_fits(n: int, eps: float, swap: bool = False) -> tuple[bool, float]:
    """Whether fmm3dpy's estimated peak memory at ``n`` particles fits here, and the estimate in bytes
    (``swap``: the free swap space counts as memory)."""
    per = FMM_BYTES_PER_PARTICLE[1e-12 if eps < 1e-9 else 1e-6]
    if eps >= 1e-9:
        per = max([per] + [b for start, b in FMM_BYTES_FROM.items() if n >= start])
    need = n * per
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return need <= MEMORY_SHARE * total + (_meminfo_bytes("SwapFree") if swap else 0.0), need


def _paging() -> dict:
    """Major page faults of this process and the pages the system swapped in and out so far."""
    out = {"majflt": resource.getrusage(resource.RUSAGE_SELF).ru_majflt}
    with contextlib.suppress(OSError):
        for line in Path("/proc/vmstat").read_text().splitlines():
            key, _, value = line.partition(" ")
            if key in ("pswpin", "pswpout"):
                out[key] = int(value)
    return out


def _paging_note(res: dict) -> str:
    """``swap in/out ... MB, ... major faults`` of a case that paged ('' otherwise)."""
    p = res.get("paging") or {}
    if not any(p.values()):
        return ""
    page = os.sysconf("SC_PAGE_SIZE") / 2**20
    return (f"paging: swapped in {p.get('pswpin', 0) * page:.0f} MB, out {p.get('pswpout', 0) * page:.0f} MB, "
            f"{p.get('majflt', 0)} major faults; ")


def _rss_mb(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024.0


def _errors(v, g, workdir: str, tag: str) -> dict:
    out = {}
    sample = Path(workdir) / f"ref_{tag}_sample.npz"
    if sample.exists():
        ref = np.load(sample)
        idx = ref["idx"]
        out["err_v_sample"] = float(np.max(np.abs(v[idx] - ref["v"])) / np.max(np.abs(ref["v"])))
        out["err_g_sample"] = float(np.max(np.abs(g[idx] - ref["g"])) / np.max(np.abs(ref["g"])))
    ref_v = Path(workdir) / f"ref_{tag}_pot.npy"
    if ref_v.exists():
        rv = np.load(ref_v)
        rg = np.load(Path(workdir) / f"ref_{tag}_grad.npy")
        out.update({
            "err_v_max": float(np.max(np.abs(v - rv)) / np.max(np.abs(rv))),
            "err_v_l2": float(np.linalg.norm(v - rv) / np.linalg.norm(rv)),
            "err_g_max": float(np.max(np.abs(g - rg)) / np.max(np.abs(rg))),
            "err_g_l2": float(np.linalg.norm(g - rg) / np.linalg.norm(rg)),
        })
    return out


# ---------------------------------------------------------------------- one case
def _threads_case(spec: dict) -> dict:
    """Section 7: the call with 1 thread and with the default threads, alternating (after a warm-up).

    Alternating in one process exposes both settings to the same load; "1 thread" limits
    numba (``numba.set_num_threads``) and BLAS (threadpoolctl), "default" leaves both as the
    process started (no thread variables set).
    """
    import numba
    from threadpoolctl import threadpool_limits

    from specnum.chebtucker import long_range_potential, total_potential

    rng = np.random.default_rng(3)
    if spec["call"] == "long_range":  # N = 2e4 charges at density 1, rtol 1e-6
        pos, q = particles("uniform", 20_000)
        box = tuple((-1.0, float(pos[:, k].max()) + 1.0) for k in range(3))

        def call():
            return long_range_potential(pos, q, box, r0=1.5, rtol=1e-6)
    else:  # the total potential: 1e5 charges in [-10, 10]^3, 1e4 targets, rtol 1e-6
        pos = rng.uniform(-10, 10, (100_000, 3))
        q = rng.choice([-1.0, 1.0], 100_000)
        tgt = rng.uniform(-10, 10, (10_000, 3))

        def call():
            return total_potential(pos, q, tgt, ((-10.0, 10.0),) * 3, r0=1.0, rtol=1e-6)
    default = numba.get_num_threads()
    call()
    times = {"one": [], "default": []}
    for _ in range(spec.get("repeat", 7)):
        numba.set_num_threads(1)
        with threadpool_limits(limits=1, user_api="blas"):
            t0 = time.perf_counter()
            call()
            times["one"].append(time.perf_counter() - t0)
        numba.set_num_threads(default)
        t0 = time.perf_counter()
        call()
        times["default"].append(time.perf_counter() - t0)
    out = {"default_threads": default}
    for k, v in times.items():
        out[k] = {"min": min(v), "median": float(np.median(v)), "times": [round(t, 4) for t in v]}
    return out


def case_main(spec: dict) -> dict:
    """Run one measurement in this process (thread limits already in the environment)."""
    sys.path.insert(0, str(ROOT))
    import specnum

    if spec["kind"] == "threads":
        out = _threads_case(spec)
        out["rss_mb"] = _rss_mb()
        return out
    pos, q = particles(spec["dist"], spec["n"])
    tag = f"{spec['dist']}_{spec['n']}"
    out = {"base_rss_mb": _rss_mb()}
    paging = _paging()
    if spec["kind"] == "direct":
        from specnum.chebtucker import direct_gradient, direct_potential

        idx = sample_index(pos.shape[0])
        t0 = time.perf_counter()
        with specnum.size_budget(work=1e15):
            dv = direct_potential(pos, q, pos[idx])
            dg = direct_gradient(pos, q, pos[idx])
        out["time"] = time.perf_counter() - t0
        np.savez(Path(spec["workdir"]) / f"ref_{tag}_sample.npz", idx=idx, v=dv, g=dg)
    elif spec["kind"] == "fmm":
        import fmm3dpy

        src = np.ascontiguousarray(pos.T)
        fmm3dpy.lfmm3d(eps=spec["eps"], sources=src[:, :1000], charges=q[:1000], pg=2)  # warm-up
        t0 = time.perf_counter()
        res = fmm3dpy.lfmm3d(eps=spec["eps"], sources=src, charges=q, pg=2)
        out["time"] = time.perf_counter() - t0
        v, g = 4.0 * math.pi * res.pot, 4.0 * math.pi * res.grad.T  # the wheel computes q/(4 pi r)
        if spec.get("save"):
            np.save(Path(spec["workdir"]) / f"ref_{tag}_pot.npy", v)
            np.save(Path(spec["workdir"]) / f"ref_{tag}_grad.npy", g)
        out.update(_errors(v, g, spec["workdir"], tag))
        out["version"] = getattr(fmm3dpy, "__version__", "?")
    else:
        from specnum.chebtucker import coulomb_energy_forces

        warm_pos, warm_q = particles("uniform", 2000, seed=5)
        coulomb_energy_forces(warm_pos, warm_q, r0=1.5, rtol=spec["rtol"])  # compilation or cache load
        client = cluster = None
        if spec["kind"] == "dask":
            from distributed import Client, LocalCluster

            cluster = LocalCluster(n_workers=spec["workers"], threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=40, memory_limit=0)
            client = Client(cluster)
            client.run(lambda: coulomb_energy_forces(warm_pos, warm_q, r0=1.5, rtol=spec["rtol"]))
        scale = spec.get("scale", 1.0)  # coordinates times scale: V / scale, grad V / scale^2
        pos = pos * scale
        if spec["r0"] == "auto":
            from specnum.chebtucker import splitting_radius

            t0 = time.perf_counter()
            out["r0"] = splitting_radius(pos)
            out["radius_time"] = time.perf_counter() - t0
        budget = contextlib.nullcontext() if spec.get("default_budget") else specnum.size_budget(work=1e15,
                                                                                                 memory=2**36)
        with budget:
            t0 = time.perf_counter()
            ef = coulomb_energy_forces(pos, q, r0=spec["r0"], rtol=spec["rtol"], executor=client)
            out["time"] = time.perf_counter() - t0
        if client is not None:
            out["worker_rss_mb"] = max(client.run(lambda: _rss_mb()).values())
            client.close()
            cluster.close()
        out["timings"] = {k: round(v, 2) for k, v in ef.timings.items()}
        out["ranks"] = list(ef.long_range.ranks)
        out["n_cheb"] = ef.long_range.degrees[0] + 1
        out.update(_errors(ef.potential * scale, -ef.forces / q[:, None] * scale ** 2, spec["workdir"], tag))
    out["rss_mb"] = _rss_mb()
    out["paging"] = {k: v - paging.get(k, 0) for k, v in _paging().items()}
    return out


def run_case(spec: dict, threads: int | None, reuse: bool = False) -> dict:
    """Run ``case_main(spec)`` in a subprocess with ``threads`` threads (None: the defaults).

    The result is stored under ``<workdir>/cases`` (with the load average before and after);
    with ``reuse`` a stored result of the same case and threads is returned instead.
    """
    key = hashlib.sha1(json.dumps([spec, threads], sort_keys=True).encode()).hexdigest()[:16]
    store = Path(spec.get("workdir", "/tmp")) / "cases" / f"{key}.json"
    if reuse and store.exists():
        return json.loads(store.read_text())["result"]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
        if threads is None:
            env.pop(var, None)
        else:
            env[var] = str(threads)
    load_before = os.getloadavg()
    proc = subprocess.run([sys.executable, str(HERE.parent / "bench_chebtucker.py"), "--case", json.dumps(spec)],
                          env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        return {"error": proc.stderr[-800:]}
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["load"] = [round(load_before[0], 2), round(os.getloadavg()[0], 2)]
    store.parent.mkdir(parents=True, exist_ok=True)
    store.write_text(json.dumps({"spec": spec, "threads": threads, "result": result,
                                 "date": time.strftime("%Y-%m-%d %H:%M:%S %Z")}))
    return result


# ----------------------------------------------------------------------- sections
def _fmt(x, digits=3):
    return "" if x is None else (f"{x:.{digits}g}" if isinstance(x, float) else str(x))


def _reference(base: dict, reuse: bool, fmm: bool = True) -> tuple[dict, dict]:
    """The sampled direct sum, and fmm3dpy at eps 1e-12 checked against it (when it fits here and ``fmm``)."""
    sample = run_case({**base, "kind": "direct"}, 2, reuse)
    if not fmm:
        return sample, {"note": "fmm3dpy eps=1e-12 not run (--no-fmm-reference): errors over the sample only"}
    fits, need = fmm_fits(base["n"], 1e-12)
    if not fits:
        return sample, {"note": f"fmm3dpy eps=1e-12 not run: about {need / 2**30:.0f} GiB needed"}
    return sample, run_case({**base, "kind": "fmm", "eps": 1e-12, "save": True}, 2, reuse)


def _timing_note(res: dict) -> str:
    t = res.get("timings") or {}
    stages = ", ".join(f"{k} {v:g}" for k, v in t.items() if k != "total")
    return f"{stages}; ranks {res.get('ranks')}, n {res.get('n_cheb')}; load {res.get('load')}"


def section_scale(sizes, dists, rtols, threads_list, workdir, beta: float, print_table, reuse: bool = False,
                  fmm_reference: bool = True, reuse_references: bool = False, allow_swap: bool = False) -> None:
    """Every particle of N: ours (rtol 1e-6 and 1e-8) against fmm3dpy (eps 1e-6), reference fmm3dpy 1e-12.

    ``reuse`` reuses every stored case; ``reuse_references`` only the references (the timed
    runs of specnum and fmm3dpy at eps 1e-6 are measured again); ``allow_swap`` runs fmm3dpy
    at eps 1e-6 when its memory fits in the physical memory and the free swap together.
    """
    rows = []
    for dist in dists:
        for n in sizes:
            pos, _ = particles(dist, n)
            spacing = 1.0 if dist == "uniform" else effective_spacing(pos)
            r0 = beta * spacing
            del pos
            base = {"dist": dist, "n": n, "workdir": workdir}
            sample, ref = _reference(base, reuse or reuse_references, fmm_reference)
            start = len(rows)
            rows.append([dist, n, "direct sum at 2000 particles (reference)", 2, sample.get("time"),
                         sample.get("rss_mb"), None, None, None, None, 0.0, 0.0, sample.get("error", "")[-120:]])
            rows.append([dist, n, "fmm3dpy eps=1e-12 (reference)", 2, ref.get("time"), ref.get("rss_mb"), None,
                         None, None, None, ref.get("err_v_sample"), ref.get("err_g_sample"),
                         ref.get("note", ref.get("error", ""))[-120:]])
            for threads in threads_list:
                fits, need = fmm_fits(n, 1e-6, allow_swap)
                if fits:
                    fmm = run_case({**base, "kind": "fmm", "eps": 1e-6}, threads, reuse)
                else:
                    fmm = {"note": f"not run: at least {need / 2**30:.0f} GiB needed (measured, see FMM_BYTES_FROM)"}
                rows.append([dist, n, "fmm3dpy eps=1e-6", threads or "default", fmm.get("time"), fmm.get("rss_mb"),
                             fmm.get("err_v_max"), fmm.get("err_v_l2"), fmm.get("err_g_max"), fmm.get("err_g_l2"),
                             fmm.get("err_v_sample"), fmm.get("err_g_sample"),
                             fmm.get("note", fmm.get("error", ""))[-120:]
                             or f"{_paging_note(fmm)}load {fmm.get('load')}"])
                for rtol in rtols:
                    res = run_case({**base, "kind": "ours", "rtol": rtol, "r0": r0}, threads, reuse)
                    speed = (fmm.get("time") / res["time"]) if res.get("time") and fmm.get("time") else None
                    note = (f"x{speed:.2f} vs fmm; " if speed else "") + _paging_note(res) + _timing_note(res) \
                        if res.get("time") else res.get("error", "")[-200:]
                    rows.append([dist, n, f"specnum rtol={rtol:g} r0={r0:.3g}", threads or "default", res.get("time"),
                                 res.get("rss_mb"), res.get("err_v_max"), res.get("err_v_l2"), res.get("err_g_max"),
                                 res.get("err_g_l2"), res.get("err_v_sample"), res.get("err_g_sample"), note])
            for r in rows[start:]:
                print("  progress:", " | ".join(_fmt(c) if not isinstance(c, str) else c for c in r), flush=True)
    print("\n### 5. Potential and forces at every particle (targets = sources), charges +-1, mean density 1\n")
    print_table([[_fmt(c) if not isinstance(c, str) else c for c in r] for r in rows],
                ["distribution", "N", "method", "threads", "time [s]", "peak RSS [MB]", "max err V / max abs V",
                 "l2 err V", "max err grad / max abs grad", "l2 err grad", "sample: max err V",
                 "sample: max err grad", "notes"])


def section_dask(n: int, workers_list, rtol: float, r0: float, workdir, print_table, reuse: bool = False,
                 serial_threads=(1, None)) -> None:
    """N particles on a LocalCluster (``workers_list`` worker processes) against the serial path.

    ``serial_threads``: the thread counts of the serial runs (None: the defaults); the
    speed-ups are against the serial run with 1 thread (when it is among them).
    """
    base = {"dist": "uniform", "n": n, "workdir": workdir}
    _reference(base, reuse)
    rows = []
    serial = {t: run_case({**base, "kind": "ours", "rtol": rtol, "r0": r0}, t, reuse) for t in serial_threads}
    t_one = serial.get(1, {}).get("time")
    for t, res in serial.items():
        rows.append([f"serial, {t or 'default (2)'} thread(s)", res.get("time"), res.get("rss_mb"),
                     res.get("err_v_sample"), res.get("err_g_sample"), json.dumps(res.get("timings")),
                     t_one / res["time"] if res.get("time") and t_one else None, res.get("load")])
    for w in workers_list:
        res = run_case({**base, "kind": "dask", "rtol": rtol, "r0": r0, "workers": w}, 1, reuse)
        speed = t_one / res["time"] if res.get("time") and t_one else None
        rows.append([f"dask LocalCluster, {w} worker process(es) x 1 thread", res.get("time"),
                     f"{_fmt(res.get('rss_mb'))} + workers {_fmt(res.get('worker_rss_mb'))}", res.get("err_v_sample"),
                     res.get("err_g_sample"),
                     json.dumps(res.get("timings")) if res.get("timings") else res.get("error", "")[-300:],
                     speed, res.get("load")])
    print(f"\n### 6. Dask: N = {n:.0e} uniform, rtol = {rtol:g}, r0 = {r0:g}\n")
    print_table([[_fmt(c) if not isinstance(c, str) else c for c in r] for r in rows],
                ["run", "time [s]", "peak RSS [MB]", "sample: max err V", "sample: max err grad",
                 "per-stage times [s]", "speed-up vs serial 1 thread", "load before/after"])


def section_threads(print_table, workdir, reuse: bool = False) -> None:
    """Default threads against 1 thread for the two calls the issue measured (alternating in one process)."""
    rows = []
    for call, label in (("long_range", "long_range_potential, N = 2e4, rtol 1e-6"),
                        ("total", "total_potential, N = 1e5, 1e4 targets, rtol 1e-6")):
        res = run_case({"kind": "threads", "call": call, "workdir": workdir}, None, reuse)
        if "error" in res:
            rows.append([label, res["error"][-200:], None, None, None, None, None])
            continue
        one, default = res["one"], res["default"]
        rows.append([label, one["min"], one["median"], f"{default['min']:.3g} ({res['default_threads']} threads)",
                     default["median"], default["median"] / one["median"], f"{res.get('load')}"])
    print("\n### 7. Default threads against 1 thread (7 calls each, alternating in one process after a warm-up)\n")
    print_table([[_fmt(c) if not isinstance(c, str) else c for c in r] for r in rows],
                ["call", "1 thread: min [s]", "median [s]", "default: min [s]", "median [s]",
                 "default / 1 thread (medians)", "load before/after"])


def section_sweep(n: int, betas: dict, rtol: float, workdir, print_table, reuse: bool = False) -> None:
    """The splitting radius ``r0 = beta * spacing`` against the time per stage (1 thread, rtol fixed).

    ``betas`` maps each distribution to its values of beta.
    """
    rows = []
    for dist in betas:
        pos, _ = particles(dist, n)
        spacing = 1.0 if dist == "uniform" else effective_spacing(pos)
        del pos
        base = {"dist": dist, "n": n, "workdir": workdir}
        _reference(base, reuse)
        for beta in betas[dist]:
            res = run_case({**base, "kind": "ours", "rtol": rtol, "r0": beta * spacing}, 1, reuse)
            t = res.get("timings") or {}
            long_part = sum(t.get(k, 0.0) for k in ("plan", "spread", "compress", "long range"))
            rows.append([dist, f"{spacing:.3g}", beta, f"{beta * spacing:.3g}", res.get("time"), long_part,
                         t.get("short range"), res.get("err_v_sample"), res.get("err_g_sample"),
                         f"ranks {res.get('ranks')}, n {res.get('n_cheb')}; load {res.get('load')}"
                         if res.get("time") else res.get("error", "")[-200:]])
            print("  progress:", " | ".join(_fmt(c) if not isinstance(c, str) else c for c in rows[-1]), flush=True)
    print(f"\n### 8. Splitting radius r0 = beta * spacing, N = {n:.0e}, rtol = {rtol:g}, 1 thread "
          "(spacing: rho^(-1/3) of the particle-averaged density)\n")
    print_table([[_fmt(c) if not isinstance(c, str) else c for c in r] for r in rows],
                ["distribution", "spacing", "beta", "r0", "total [s]", "long range [s]", "short range [s]",
                 "sample: max err V", "sample: max err grad", "notes"])


def section_radius(n: int, betas: dict, rtol: float, workdir, print_table, reuse: bool = False) -> None:
    """``r0="auto"`` (:func:`specnum.chebtucker.splitting_radius`) against the radius tuned by hand
    (``beta * spacing``, section 8) and a fixed ``r0 = 1``, N particles, 1 thread; also the
    uniform charges shrunk into a unit cube (coordinates / N^(1/3)), where ``r0 = 1`` spans the
    whole cloud."""
    rows = []
    cases = [(d, 1.0) for d in betas] + [("uniform", n ** (-1.0 / 3.0))]
    for dist, scale in cases:
        pos, _ = particles(dist, n)
        spacing = scale * (1.0 if dist == "uniform" else effective_spacing(pos))
        del pos
        base = {"dist": dist, "n": n, "workdir": workdir}
        _reference(base, reuse)
        label = dist if scale == 1.0 else f"{dist}, unit cube"
        rules = [("auto", "auto")] + ([("tuned", betas[dist] * spacing)] if scale == 1.0 else []) + [("fixed", 1.0)]
        for rule, r0 in rules:
            spec = {**base, "kind": "ours", "rtol": rtol, "r0": r0, "rule": rule}  # measured here, not reused
            if scale != 1.0:  # the default size budget: a hopeless r0 is refused, not run for hours
                spec.update(scale=scale, default_budget=True)
            res = run_case(spec, 1, reuse)
            used = res.get("r0", r0)
            t = res.get("timings") or {}
            long_part = sum(t.get(k, 0.0) for k in ("plan", "spread", "compress", "long range"))
            rows.append([label, rule, f"{used:.3g}" if isinstance(used, float) else used, res.get("time"),
                         long_part if res.get("time") else None, t.get("short range"), res.get("radius_time"),
                         res.get("err_v_sample"), res.get("err_g_sample"),
                         f"ranks {res.get('ranks')}, n {res.get('n_cheb')}; load {res.get('load')}"
                         if res.get("time") else res.get("error", "")[-160:]])
            print("  progress:", " | ".join(_fmt(c) if not isinstance(c, str) else c for c in rows[-1]), flush=True)
    print(f"\n### 9. The splitting radius rule: r0 = 'auto' against tuned and fixed radii, N = {n:.0e}, "
          f"rtol = {rtol:g}, 1 thread\n")
    print_table([[_fmt(c) if not isinstance(c, str) else c for c in r] for r in rows],
                ["distribution", "r0 rule", "r0", "total [s]", "long range [s]", "short range [s]",
                 "splitting_radius [s]", "sample: max err V", "sample: max err grad", "notes"])
