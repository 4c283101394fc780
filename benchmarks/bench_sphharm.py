"""Benchmark of specnum.bases.sphharm: real spherical harmonics at ordinary and high degree.

Workload: all real harmonics of degrees ``0..lmax`` at ``n`` random directions
(``real_sph_harm(lmax, theta, phi)``, about 2e6 values per call), and a latitude table
at 65 Gauss-Legendre nodes (``real_sph_harm(lmax, theta_nodes, 0)``, the kind of table
the grid transforms cache).
Peer: ``scipy.special.sph_harm_y_all`` (all complex harmonics in one call, the way a
scipy user gets every (l, m) at once; the conversion to the real form is not timed,
which favours the peer). Both are timed in the same run; read the ratios.

Usage (from the repository root)::

    PYTHONPATH=. python benchmarks/bench_sphharm.py               # lmax = 64, 512
    PYTHONPATH=/path/to/other/checkout python benchmarks/bench_sphharm.py   # same workload, other code
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import scipy.special  # noqa: E402
from _harness import machine_info, print_table, ratio, set_threads, timeit  # noqa: E402

import specnum  # noqa: E402
from specnum.bases.sphharm import real_sph_harm  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lmax", type=int, nargs="+", default=[64, 512])
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    set_threads(args.threads)
    print(machine_info(), f"threads={args.threads}", "specnum from", Path(specnum.__file__).parent)
    rng = np.random.default_rng(0)
    real_sph_harm(4, 0.3, 0.2)  # load the numba cache
    rows = []
    for lmax in args.lmax:
        n = max(4, 200_000 // (lmax + 1) ** 2 * 10)  # about 2e6 output values per call
        theta = np.arccos(rng.uniform(-1, 1, n))
        phi = rng.uniform(0, 2 * np.pi, n)
        t_ours = timeit(lambda th=theta, ph=phi, L=lmax: real_sph_harm(L, th, ph), repeat=5)
        t_peer = timeit(lambda th=theta, ph=phi, L=lmax: scipy.special.sph_harm_y_all(L, L, th, ph), repeat=3)
        rows.append([f"random points lmax={lmax} n={n}", t_ours, t_peer, ratio(t_peer, t_ours)])
        nodes = np.arccos(np.polynomial.legendre.leggauss(65)[0])
        t_ours = timeit(lambda th=nodes, L=lmax: real_sph_harm(L, th, 0.0), repeat=5)
        t_peer = timeit(lambda th=nodes, L=lmax: scipy.special.sph_harm_y_all(L, L, th, 0.0), repeat=3)
        rows.append([f"latitude table lmax={lmax} n_theta=65", t_ours, t_peer, ratio(t_peer, t_ours)])
    print_table(rows, ["case", "specnum", "scipy sph_harm_y_all", "peer/specnum"])


if __name__ == "__main__":
    main()
