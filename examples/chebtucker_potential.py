"""Chebyshev-Tucker approximation of a 3D function and of the potential of many charges.

Run:  python examples/chebtucker_potential.py        (well under a minute)

1. erf(r)/r on [-10, 10]^3 as a ChebTucker: ranks, storage, accuracy, gradient, integral.
2. The long-range potential of 1000 random charges, built through the separable
   Gaussian (CP) route, checked against the direct sum.
3. Total Coulomb energy and forces (long range + neighbour-list short range) of a
   small system against the direct O(N^2) sum.
"""

from __future__ import annotations

import time

import numpy as np
import scipy.special

from specnum.chebtucker import (
    ChebTucker,
    coulomb_energy_forces,
    direct_energy_forces,
    direct_potential,
    long_range_potential,
)


def erf_over_r(x, y, z):
    r = np.sqrt(x * x + y * y + z * z)
    return scipy.special.erf(r) / r  # n even: no grid point at the origin


def main() -> None:
    rng = np.random.default_rng(0)

    # 1. a function
    box = ((-10.0, 10.0),) * 3
    t0 = time.perf_counter()
    f = ChebTucker.from_function(erf_over_r, box, n=96, rtol=1e-8)
    t_build = time.perf_counter() - t0
    pts = rng.uniform(-10, 10, (100_000, 3))
    err = np.max(np.abs(f(pts) - erf_over_r(*pts.T)))
    print(f"erf(r)/r: {f}, {f.storage} numbers instead of {96**3}, built in {t_build:.2f} s")
    print(f"  max error at 1e5 random points: {err:.1e}")
    r = np.linalg.norm(pts[:5], axis=1)
    dvdr = 2 / np.sqrt(np.pi) * np.exp(-r * r) / r - scipy.special.erf(r) / r**2
    print(f"  gradient error: {np.max(np.abs(f.gradient(pts[:5]) - (dvdr / r)[:, None] * pts[:5])):.1e}")
    print(f"  integral over the box: {f.integral():.10f}")

    # 2. long-range potential of many charges
    pos = rng.uniform(-8, 8, (1000, 3))
    q = rng.choice([-1.0, 1.0], 1000)
    box = ((-9.0, 9.0),) * 3
    t0 = time.perf_counter()
    v = long_range_potential(pos, q, box, r0=1.0, rtol=1e-8)
    t_build = time.perf_counter() - t0
    tgt = rng.uniform(-9, 9, (2000, 3))
    ref = direct_potential(pos, q, tgt, kernel="erf", r0=1.0)
    print(f"\nlong-range potential of 1000 charges: {v}, built in {t_build:.2f} s")
    print(f"  max error / max|V| at 2000 targets: {np.max(np.abs(v(tgt) - ref)) / np.max(np.abs(ref)):.1e}")

    # 3. energy and forces
    pos = rng.uniform(-4, 4, (400, 3))
    q = rng.uniform(-1, 1, 400)
    ef = coulomb_energy_forces(pos, q, r0=1.0, rtol=1e-9)
    ref = direct_energy_forces(pos, q)
    print(f"\nCoulomb energy of 400 charges: {ef.energy:.12f} (direct sum {ref.energy:.12f})")
    print(f"  long range {ef.energy_long:.6f} + short range {ef.energy_short:.6f}")
    print(f"  max force error / max force: {np.max(np.abs(ef.forces - ref.forces)) / np.max(np.abs(ref.forces)):.1e}")


if __name__ == "__main__":
    main()
