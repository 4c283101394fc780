"""Particles at scale for bench_chebtucker.py (sections 5 and 6): every particle of N, against fmm3dpy.

Each measurement runs in a fresh subprocess (``python bench_chebtucker.py --case '<json>'``) so
that its peak memory (``ru_maxrss``) and its thread settings are its own. Cases:

* ``fmm``: fmm3dpy ``lfmm3d(eps, charges, pg=2)``, potential and gradient at the sources;
  with ``save`` it writes the reference (eps 1e-12) to the work directory;
* ``check``: the reference against the direct sum (numba) at 2000 particles;
* ``ours``: ``coulomb_energy_forces`` (potential and forces at every particle);
* ``dask``: the same with ``executor=Client(LocalCluster(workers processes))``.

Errors: ``max |V - V_ref| / max |V_ref|`` and ``||V - V_ref||_2 / ||V_ref||_2`` for the
potential, the same for the gradient ``grad V = -F / q``.
"""

from __future__ import annotations

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

__all__ = ["particles", "run_case", "case_main", "section_scale", "section_dask"]


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


def _rss_mb(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024.0


def _errors(v, g, workdir: str, tag: str) -> dict:
    ref_v = Path(workdir) / f"ref_{tag}_pot.npy"
    if not ref_v.exists():
        return {}
    rv = np.load(ref_v)
    rg = np.load(Path(workdir) / f"ref_{tag}_grad.npy")
    return {
        "err_v_max": float(np.max(np.abs(v - rv)) / np.max(np.abs(rv))),
        "err_v_l2": float(np.linalg.norm(v - rv) / np.linalg.norm(rv)),
        "err_g_max": float(np.max(np.abs(g - rg)) / np.max(np.abs(rg))),
        "err_g_l2": float(np.linalg.norm(g - rg) / np.linalg.norm(rg)),
    }


# ---------------------------------------------------------------------- one case
def case_main(spec: dict) -> dict:
    """Run one measurement in this process (thread limits already in the environment)."""
    sys.path.insert(0, str(ROOT))
    import specnum

    pos, q = particles(spec["dist"], spec["n"])
    tag = f"{spec['dist']}_{spec['n']}"
    base = _rss_mb()
    out = {"base_rss_mb": base}
    if spec["kind"] in ("fmm", "check"):
        import fmm3dpy

        if spec["kind"] == "check":
            from specnum.chebtucker import direct_gradient, direct_potential

            rv = np.load(Path(spec["workdir"]) / f"ref_{tag}_pot.npy")  # saved as sum q/r
            rg = np.load(Path(spec["workdir"]) / f"ref_{tag}_grad.npy")
            idx = np.random.default_rng(2).choice(pos.shape[0], 2000, replace=False)
            with specnum.size_budget(work=1e15):
                dv = direct_potential(pos, q, pos[idx])
                dg = direct_gradient(pos, q, pos[idx])
            out.update({"check_v_max": float(np.max(np.abs(rv[idx] - dv)) / np.max(np.abs(dv))),
                        "check_g_max": float(np.max(np.abs(rg[idx] - dg)) / np.max(np.abs(dg)))})
            return out
        src = np.ascontiguousarray(pos.T)
        fmm3dpy.lfmm3d(eps=spec["eps"], sources=src[:, :1000], charges=q[:1000], pg=2)  # warm-up
        t0 = time.perf_counter()
        res = fmm3dpy.lfmm3d(eps=spec["eps"], sources=src, charges=q, pg=2)
        out["time"] = time.perf_counter() - t0
        v, g = 4.0 * math.pi * res.pot, 4.0 * math.pi * res.grad.T  # the wheel computes q/(4 pi r)
        if spec.get("save"):
            np.save(Path(spec["workdir"]) / f"ref_{tag}_pot.npy", v)
            np.save(Path(spec["workdir"]) / f"ref_{tag}_grad.npy", g)
        else:
            out.update(_errors(v, g, spec["workdir"], tag))
        out["version"] = fmm3dpy.__version__ if hasattr(fmm3dpy, "__version__") else "?"
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
        with specnum.size_budget(work=1e15, memory=2**36):
            t0 = time.perf_counter()
            ef = coulomb_energy_forces(pos, q, r0=spec["r0"], rtol=spec["rtol"], executor=client)
            out["time"] = time.perf_counter() - t0
        if client is not None:
            out["worker_rss_mb"] = max(client.run(lambda: _rss_mb()).values())
            client.close()
            cluster.close()
        out["timings"] = {k: round(v, 3) for k, v in ef.timings.items()}
        out["ranks"] = list(ef.long_range.ranks)
        out["n_cheb"] = ef.long_range.degrees[0] + 1
        out.update(_errors(ef.potential, -ef.forces / q[:, None], spec["workdir"], tag))
    out["rss_mb"] = _rss_mb()
    return out


def run_case(spec: dict, threads: int | None) -> dict:
    """Run ``case_main(spec)`` in a subprocess with ``threads`` threads (None: the defaults)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    if threads is not None:
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
            env[var] = str(threads)
    proc = subprocess.run([sys.executable, str(HERE.parent / "bench_chebtucker.py"), "--case", json.dumps(spec)],
                          env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        return {"error": proc.stderr[-800:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------- sections
def _fmt(x, digits=3):
    return "" if x is None else (f"{x:.{digits}g}" if isinstance(x, float) else str(x))


def _reference(base: dict, reuse: bool) -> tuple[dict, dict]:
    """The fmm3dpy eps=1e-12 reference and its check against the direct sum (reused from the workdir if asked)."""
    tag = Path(base["workdir"]) / f"ref_{base['dist']}_{base['n']}.json"
    if reuse and tag.exists() and (Path(base["workdir"]) / f"ref_{base['dist']}_{base['n']}_pot.npy").exists():
        saved = json.loads(tag.read_text())
        return saved["ref"], saved["check"]
    ref = run_case({**base, "kind": "fmm", "eps": 1e-12, "save": True}, 2)
    chk = run_case({**base, "kind": "check"}, 2)
    tag.write_text(json.dumps({"ref": ref, "check": chk}))
    return ref, chk


def section_scale(sizes, dists, rtols, threads_list, workdir, beta: float, print_table, reuse: bool = False) -> None:
    """Every particle of N: ours (rtol 1e-6 and 1e-8) against fmm3dpy (eps 1e-6), reference fmm3dpy 1e-12."""
    rows = []
    for dist in dists:
        for n in sizes:
            pos, _ = particles(dist, n)
            spacing = 1.0 if dist == "uniform" else effective_spacing(pos)
            r0 = beta * spacing
            del pos
            base = {"dist": dist, "n": n, "workdir": workdir}
            ref, chk = _reference(base, reuse)
            rows.append([dist, n, "fmm3dpy eps=1e-12 (reference)", 2, ref.get("time"), ref.get("rss_mb"),
                         chk.get("check_v_max"), None, chk.get("check_g_max"), None, ""])
            for threads in threads_list:
                fmm = run_case({**base, "kind": "fmm", "eps": 1e-6}, threads)
                rows.append([dist, n, "fmm3dpy eps=1e-6", threads or "default", fmm.get("time"), fmm.get("rss_mb"),
                             fmm.get("err_v_max"), fmm.get("err_v_l2"), fmm.get("err_g_max"), fmm.get("err_g_l2"),
                             fmm.get("error", "")[-120:]])
                for rtol in rtols:
                    res = run_case({**base, "kind": "ours", "rtol": rtol, "r0": r0}, threads)
                    speed = (fmm.get("time") / res["time"]) if res.get("time") and fmm.get("time") else None
                    rows.append([dist, n, f"specnum rtol={rtol:g} r0={r0:.3g}", threads or "default", res.get("time"),
                                 res.get("rss_mb"), res.get("err_v_max"), res.get("err_v_l2"), res.get("err_g_max"),
                                 res.get("err_g_l2"),
                                 f"x{speed:.2f} vs fmm; {res.get('timings')}; ranks {res.get('ranks')}"
                                 if speed else res.get("error", "")[-200:]])
            for r in rows[-(1 + len(threads_list) * (1 + len(rtols))):]:
                print("  progress:", " | ".join(_fmt(c) if not isinstance(c, str) else c for c in r), flush=True)
    print("\n### 5. Potential and forces at every particle (targets = sources), charges +-1, mean density 1\n")
    print_table([[_fmt(c) if not isinstance(c, str) else c for c in r] for r in rows],
                ["distribution", "N", "method", "threads", "time [s]", "peak RSS [MB]", "max err V / max|V|",
                 "l2 err V", "max err grad / max|grad|", "l2 err grad", "notes"])


def section_dask(n: int, workers_list, rtol: float, r0: float, workdir, print_table) -> None:
    """N particles on a LocalCluster (1 and 2 worker processes) against the serial path."""
    base = {"dist": "uniform", "n": n, "workdir": workdir}
    rows = []
    serial = {t: run_case({**base, "kind": "ours", "rtol": rtol, "r0": r0}, t) for t in (1, 2)}
    for t, res in serial.items():
        rows.append([f"serial, {t} thread(s)", res.get("time"), res.get("rss_mb"), res.get("err_v_max"),
                     res.get("err_g_max"), json.dumps(res.get("timings")), 1.0])
    for w in workers_list:
        res = run_case({**base, "kind": "dask", "rtol": rtol, "r0": r0, "workers": w}, 1)
        speed = serial[1]["time"] / res["time"] if res.get("time") and serial[1].get("time") else None
        rows.append([f"dask LocalCluster, {w} worker process(es) x 1 thread", res.get("time"),
                     f"{_fmt(res.get('rss_mb'))} + workers {_fmt(res.get('worker_rss_mb'))}", res.get("err_v_max"),
                     res.get("err_g_max"), json.dumps(res.get("timings")) if res.get("timings") else res.get("error"),
                     speed])
    print(f"\n### 6. Dask: N = {n:.0e} uniform, rtol = {rtol:g}, r0 = {r0:g}\n")
    print_table([[_fmt(c) if not isinstance(c, str) else c for c in r] for r in rows],
                ["run", "time [s]", "peak RSS [MB]", "max err V / max|V|", "max err grad", "per-stage times [s]",
                 "speed-up vs serial 1 thread"])
