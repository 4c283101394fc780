"""Potential and force at every particle of a large system, in bounded memory, optionally with Dask.

Run:  python examples/chebtucker_particles.py [N]        (N = 50000 by default: well under a minute)

1. N random charges +-1 at unit mean density: ``coulomb_energy_forces`` gives the energy, the
   force and the potential at every particle (long range: ChebTucker; short range: cell list),
   with the time of each stage; the potentials and forces of 500 particles are checked against
   the direct sum.
2. The same on a Dask LocalCluster of 2 worker processes (if dask.distributed is installed):
   equal to the serial result up to rounding.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from specnum.chebtucker import coulomb_energy_forces, direct_gradient, direct_potential


def main(n: int = 50_000) -> None:
    rng = np.random.default_rng(0)
    side = n ** (1.0 / 3.0)
    pos = rng.uniform(0.0, side, (n, 3))
    q = rng.choice([-1.0, 1.0], n)
    r0, rtol = 1.5, 1e-6

    t0 = time.perf_counter()
    ef = coulomb_energy_forces(pos, q, r0=r0, rtol=rtol)
    elapsed = time.perf_counter() - t0
    stages = ", ".join(f"{k} {v:.2f} s" for k, v in ef.timings.items() if k != "total")
    print(f"{n} charges, r0 = {r0}, rtol = {rtol:g}: {elapsed:.2f} s ({stages})")
    print(f"  long range {ef.long_range}, energy {ef.energy:.10g}")
    sample = rng.choice(n, 500, replace=False)
    v_ref = direct_potential(pos, q, pos[sample])
    f_ref = -q[sample, None] * direct_gradient(pos, q, pos[sample])
    print(f"  max potential error / max |V| at 500 particles: "
          f"{np.max(np.abs(ef.potential[sample] - v_ref)) / np.max(np.abs(v_ref)):.1e}")
    print(f"  max force error / max |F| at 500 particles:     "
          f"{np.max(np.abs(ef.forces[sample] - f_ref)) / np.max(np.abs(f_ref)):.1e}")

    try:
        from distributed import Client, LocalCluster
    except ImportError:
        print("dask.distributed not installed: skipping the LocalCluster run")
        return
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None, silence_logs=40) as cluster, \
            Client(cluster) as client:
        t0 = time.perf_counter()
        dist = coulomb_energy_forces(pos, q, r0=r0, rtol=rtol, executor=client)
        elapsed = time.perf_counter() - t0
    print(f"LocalCluster (2 workers): {elapsed:.2f} s (includes starting the tasks), max difference from the "
          f"serial potentials {np.max(np.abs(dist.potential - ef.potential)) / np.max(np.abs(ef.potential)):.1e} "
          f"(relative to max |V|)")


if __name__ == "__main__":
    main(int(float(sys.argv[1])) if len(sys.argv) > 1 else 50_000)
