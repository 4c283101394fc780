"""Wall time of `specnum run` sweeps per executor: serial, processes, auto (the default).

Each run is the command a user types, in a fresh process, so start-up, numba cache
loading (or compiling, on a cold cache) and worker start-up are all included. Two
sweeps: six short cases (`bases`, quick: a fraction of a second each) and four longer
ones (`gaunt`, quick: several seconds each). "cold" points NUMBA_CACHE_DIR at an
empty folder, so every process compiles the kernels it uses.

    flock /tmp/specnum-bench.lock python benchmarks/bench_sweep_executors.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SWEEPS = {
    "bases, 6 short cases": ["bases", "--set", "quick=true", "--set", "runge=1,2,3,4,5,6"],
    "gaunt, 4 longer cases": ["gaunt", "--set", "quick=true", "--set", "seed=0,1,2,3"],
}
EXECUTORS = ("serial", "processes", "auto")


def run_once(args: list[str], executor: str, cache: str | None) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if cache is not None:
        env["NUMBA_CACHE_DIR"] = cache
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "specnum", "run", *args, "--out", out, "--no-plots", "--no-progress",
                        "--executor", executor], cwd=ROOT, env=env, check=True, capture_output=True)
        return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("| sweep | numba cache | serial [s] | processes [s] | auto [s] | processes/serial | auto/serial |")
    print("|---|---|---|---|---|---|---|")
    for label, sweep in SWEEPS.items():
        run_once(sweep, "serial", None)  # fills the package's numba cache for the "warm" rows
        for cold in (False, True):
            times = {}
            for executor in EXECUTORS:
                samples = []
                for _ in range(args.repeat):
                    if cold:
                        with tempfile.TemporaryDirectory() as cache:
                            samples.append(run_once(sweep, executor, cache))
                    else:
                        samples.append(run_once(sweep, executor, None))
                times[executor] = (min(samples), statistics.median(samples))
            s, p, a = (times[e][1] for e in EXECUTORS)
            print(f"| {label} | {'cold' if cold else 'warm'} | {s:.1f} | {p:.1f} | {a:.1f} | {p / s:.2f} | "
                  f"{a / s:.2f} |", flush=True)
    print("(medians of", args.repeat, "runs, wall time of the whole command)")


if __name__ == "__main__":
    main()
