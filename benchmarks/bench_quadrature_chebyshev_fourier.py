"""Benchmarks of specnum.bases.quadrature, .chebyshev and .fourier against their numpy/scipy peers.

Run: cd /work/main && python benchmarks/bench_quadrature_chebyshev_fourier.py
Prints speed ratios (peer time / specnum time, both timed in the same run) and the
accuracy of Gauss-Legendre weights against mpmath (40 digits).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import numpy.polynomial.chebyshev as npcheb
import scipy.signal
import scipy.special
from _harness import machine_info, print_table, set_threads, timeit

set_threads(1)

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from reference.ref_quadrature import jacobi_mass_mp, ref_gauss_jacobi, ref_gauss_legendre  # noqa: E402

from specnum.bases import _jacobi_rules, chebyshev, fourier, quadrature  # noqa: E402

EPS = np.finfo(float).eps


def accuracy():
    rows = []
    for n in (64, 256, 1000):
        x, w = quadrature.gauss_legendre(n)
        xs, ws = scipy.special.roots_legendre(n)
        idx = [0, 1, 2, 5, n // 4, n // 2 - 1]
        xr, wr = ref_gauss_legendre(n, x[idx])
        xr = np.array([float(v) for v in xr])
        wr = np.array([float(v) for v in wr])
        rows.append([n, np.max(np.abs(x[idx] - xr)) / EPS, np.max(np.abs(w[idx] / wr - 1)) / EPS,
                     np.max(np.abs(xs[idx] - xr)) / EPS, np.max(np.abs(ws[idx] / wr - 1)) / EPS])
    print("\nGauss-Legendre accuracy at 6 nodes incl. the 3 next to -1 (units of eps)")
    print_table(rows, ["n", "specnum node abs", "specnum weight rel", "scipy node abs", "scipy weight rel"])


def jacobi_accuracy():
    """Gauss-Jacobi at the edges: worst relative weight error at both ends and |sum(w)/mu0 - 1|."""
    rows = []
    for n, a, b in [(1, 1.0, 658.0), (5, 511.0, 512.0), (20, 1000.0, 500.0), (50, -1 + 1e-8, 0.0),
                    (50, -1 + 1e-12, -1 + 1e-12), (50, 0.3, -0.2)]:
        mu = float(jacobi_mass_mp(a, b))
        row = [f"n={n} alpha={a:.12g} beta={b:.12g}"]
        for rule in (quadrature.gauss_jacobi, scipy.special.roots_jacobi):
            try:
                with np.errstate(all="ignore"):
                    x, w = rule(n, a, b)
            except Exception as exc:  # noqa: BLE001 - report the peer's failure
                row += [type(exc).__name__, "-"]
                continue
            if not (np.all(np.isfinite(x)) and np.all(np.isfinite(w))):
                row += ["non-finite", "-"]
                continue
            idx = sorted({0, 1, n - 2, n - 1} & set(range(n)))
            xr, wr = ref_gauss_jacobi(n, a, b, quadrature.gauss_jacobi(n, a, b)[0][idx], dps=50)
            wr = np.array([float(v) for v in wr])
            row += [np.max(np.abs(w[idx] / wr - 1)) / EPS, abs(w.sum() / mu - 1) / EPS]
        rows.append(row)
    print("\nGauss-Jacobi accuracy at the end nodes and of the total weight (units of eps; mpmath 50 digits)")
    print_table(rows, ["case", "specnum end w rel", "specnum sum", "scipy end w rel", "scipy sum"])


def speed():
    rng = np.random.default_rng(0)
    rows = []
    # Clenshaw evaluation vs numpy chebval
    for b, n, m in [(100, 30, 10000), (1, 200, 100000), (10000, 10, 100)]:
        c = rng.standard_normal((b, n))
        x = rng.uniform(-1, 1, m)
        t_ours = timeit(lambda c=c, x=x: chebyshev.evaluate(c, x))
        t_peer = timeit(lambda c=c, x=x: npcheb.chebval(x, c.T))
        rows.append([f"evaluate B={b} n={n} M={m}", t_ours, t_peer, t_peer.median / t_ours.median])
    # values -> coefficients vs numpy chebinterpolate-style dense transform
    for n in (64, 1024):
        v = rng.standard_normal((50, n))
        x = chebyshev.points(n)
        tmat = npcheb.chebvander(x, n - 1)
        t_ours = timeit(lambda v=v: chebyshev.vals_to_coeffs(v))
        t_peer = timeit(lambda v=v, t=tmat: np.linalg.solve(t, v.T))
        rows.append([f"vals_to_coeffs 50x{n} (peer: dense solve)", t_ours, t_peer,
                     t_peer.median / t_ours.median])
    # linear convolution vs scipy.signal.fftconvolve
    for lmax, batch in [(64, 10), (20, 200)]:
        a = rng.standard_normal((batch, 2 * lmax + 1, 2 * lmax + 1))
        bb = rng.standard_normal((batch, 2 * lmax + 1, 2 * lmax + 1))
        t_ours = timeit(lambda a=a, bb=bb: fourier.linear_convolve_2d(a, bb))
        t_peer = timeit(lambda a=a, bb=bb: scipy.signal.fftconvolve(a, bb, axes=(-2, -1)))
        rows.append([f"linear_convolve_2d L={lmax} batch={batch} (peer: fftconvolve)", t_ours, t_peer,
                     t_peer.median / t_ours.median])
    # quadrature construction (uncached) vs scipy
    for n in (100, 1000):
        def ours(n=n):
            _jacobi_rules.gauss_jacobi_reference.cache_clear()
            return quadrature.gauss_legendre(n)
        t_ours = timeit(ours, repeat=3)
        t_peer = timeit(lambda n=n: scipy.special.roots_legendre(n), repeat=3)
        rows.append([f"gauss_legendre n={n} uncached (peer: roots_legendre)", t_ours, t_peer,
                     t_peer.median / t_ours.median])
    for n in (100, 1000):
        def ours_jacobi(n=n):
            _jacobi_rules.gauss_jacobi_reference.cache_clear()
            _jacobi_rules.jacobi_mass.cache_clear()
            return quadrature.gauss_jacobi(n, 0.3, -0.2)
        t_ours = timeit(ours_jacobi, repeat=3)
        t_peer = timeit(lambda n=n: scipy.special.roots_jacobi(n, 0.3, -0.2), repeat=3)
        rows.append([f"gauss_jacobi n={n} (0.3, -0.2) uncached (peer: roots_jacobi)", t_ours, t_peer,
                     t_peer.median / t_ours.median])
    print("\nSpeed (1 thread)")
    print_table(rows, ["case", "specnum", "peer", "peer/specnum"])


if __name__ == "__main__":
    print(machine_info())
    accuracy()
    jacobi_accuracy()
    speed()
