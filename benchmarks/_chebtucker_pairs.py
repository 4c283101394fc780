"""Section 10 of bench_chebtucker: short-range pair sums, specnum's cell list against scipy's k-d tree + numpy."""

from __future__ import annotations

import math
import os
import time

import numpy as np


def _peer(pos, q, r0, rc):
    """The version a user writes: all pairs from cKDTree.query_pairs, then numpy over the pair arrays."""
    from scipy.spatial import cKDTree
    from scipy.special import erfc

    i, j = cKDTree(pos).query_pairs(rc, output_type="ndarray").T
    d = pos[i] - pos[j]
    r = np.sqrt(np.einsum("pk,pk->p", d, d))
    s = erfc(r / r0) / r
    dr = (-2.0 / math.sqrt(math.pi) / r0 * np.exp(-((r / r0) ** 2)) - s) / r**2
    n = pos.shape[0]
    potential = np.bincount(i, q[j] * s, n) + np.bincount(j, q[i] * s, n)
    w = q[i] * q[j] * dr
    forces = np.stack([np.bincount(i, -w * d[:, k], n) + np.bincount(j, w * d[:, k], n) for k in range(3)], axis=1)
    return potential, forces, i.size


def section_pairs(n: int, print_table, repeats: int = 3) -> None:
    """Potentials and forces of all pairs within the force cutoff (rtol 1e-6, r0 = 1.75, density 1)."""
    import numba
    from threadpoolctl import threadpool_limits

    from specnum.chebtucker.neighbours import short_pairs
    from specnum.chebtucker.tolerances import cutoff_radius

    rng = np.random.default_rng(10)
    pos = rng.uniform(0.0, n ** (1.0 / 3.0), (n, 3))
    q = rng.choice([-1.0, 1.0], n)
    r0 = 1.75
    rc = cutoff_radius(r0, 1e-6, forces=True)
    short_pairs(pos[:2000], q[:2000], "newton", r0, 1.0, rc, 0.0)  # compilation or cache load
    rows = []
    default = numba.get_num_threads()
    for label, threads in (("1", 1), ("default", None)):
        numba.set_num_threads(threads or default)
        with threadpool_limits(threads):
            times = {"specnum": [], "peer": []}
            for _ in range(repeats):  # alternating
                t0 = time.perf_counter()
                v, f = short_pairs(pos, q, "newton", r0, 1.0, rc, 0.0)
                times["specnum"].append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                pv, pf, pairs = _peer(pos, q, r0, rc)
                times["peer"].append(time.perf_counter() - t0)
        err_v = float(np.max(np.abs(v - pv)) / np.max(np.abs(pv)))
        err_f = float(np.max(np.abs(f - pf)) / np.max(np.abs(pf)))
        ts, tp = min(times["specnum"]), min(times["peer"])
        rows.append([label, f"{pairs:.3g}", f"{ts:.3g}", f"{ts / pairs * 1e9:.1f}", f"{tp:.3g}",
                     f"{tp / pairs * 1e9:.1f}", f"{tp / ts:.1f}", f"{err_v:.1e}", f"{err_f:.1e}"])
    numba.set_num_threads(default)
    print(f"\n### 10. Short-range pair sums, N = {n}, uniform at density 1, r0 = {r0}, force cutoff {rc:.3g} "
          f"(rtol 1e-6); min of {repeats} alternating runs; load {os.getloadavg()[0]:.2f}\n")
    print_table(rows, ["threads", "pairs", "specnum short_pairs [s]", "ns/pair", "cKDTree + numpy [s]", "ns/pair",
                       "peer / specnum", "max diff V (rel)", "max diff F (rel)"])
