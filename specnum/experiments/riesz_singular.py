"""Experiment: Riesz problems whose solutions are singular at the boundary.

For a smooth source the solution of ``-d^alpha u/d|x|^alpha = f`` on ``(0, 1)`` behaves like
``(x(1-x))^(alpha/2)`` at the ends. The experiment compares, on ``f = 1`` (exact solution
``(x(1-x))^(alpha/2)/Gamma(alpha+1)``) and ``f = exp(x)`` (reference: the adaptive weighted Jacobi
solver, checked against a 30-digit mpmath series in the test suite):

* B-spline collocation on uniform knots (max error ~ ``n^(-alpha/2)`` whatever the degree),
* on knots graded toward both ends (order ``min(r alpha/2, p + 2 - alpha or p + 1 - alpha)``),
* the weighted Jacobi spectral solver (machine precision with a handful of modes);

the table of observed orders for ``f = 1`` over degrees and gradings, and the eigenvalues of the
graded matrices against the graded symbol ``f_{p,alpha}(theta)/G'(xi)^alpha``.
"""

from __future__ import annotations

import math
import os
import time
import warnings

import numpy as np

from specnum._validation import as_float, as_int
from specnum.bases.bsplines import open_uniform_knots
from specnum.bases.knots import MAX_GRADING, graded_knots
from specnum.errors import SpecnumWarning
from specnum.experiments.riesz_demo import _float_list, _int_list
from specnum.riesz import RieszCollocation, RieszJacobi, compare_graded_spectrum
from specnum.testing import observed_order

__all__ = ["DEFAULTS", "DESCRIPTION", "TITLE", "HEADLINE", "run", "plot"]

TITLE = "Riesz problems with boundary singularities: graded knots and a weighted Jacobi solver"
DESCRIPTION = ("f = 1 and f = exp(x): uniform vs graded B-spline collocation vs weighted Jacobi; "
               "orders on graded knots; graded spectra")
#: the numbers a sweep summary shows
HEADLINE = ("uniform_order", "graded_order", "max_order_deviation", "jacobi_error_exp")
DEFAULTS = {
    "alpha": 1.5,
    "degree": 3,
    "gradings": [2.0, 4.0],
    "ns": [16, 32, 64, 128, 256],
    "modes": [1, 2, 4, 6, 8, 12, 16, 24],
    "order_degrees": [2, 3, 4],
    "order_gradings": [1.0, 2.0, 3.0, 4.0],
    "order_ns": [32, 64, 128, 256],
    "spectrum_n": 128,
    "quick": False,
}


def smooth_order(p: int, alpha: float) -> float:
    """Collocation order of degree ``p`` for smooth solutions: ``p + 2 - alpha`` (even), ``p + 1 - alpha`` (odd)."""
    return p + 2 - alpha if p % 2 == 0 else p + 1 - alpha


def expected_order(p: int, alpha: float, grading: float) -> float:
    """Max-error order for a solution ``~ dist^(alpha/2)`` on knots graded with exponent ``r``."""
    return min(grading * alpha / 2, smooth_order(p, alpha))


def _error_grid(knots: np.ndarray) -> np.ndarray:
    """8 points per element, knots included: follows the grading into the boundary layer."""
    br = np.unique(knots)
    s = np.linspace(0.0, 1.0, 9)[:-1]
    return np.concatenate([(br[:-1, None] + np.diff(br)[:, None] * s[None, :]).ravel(), br[-1:]])


def _knots(p: int, n: int, r: float) -> np.ndarray:
    return open_uniform_knots(p, n) if r == 1.0 else graded_knots(p, n, r)


def _collocation_error(p, n, alpha, r, source, exact) -> float:
    knots = _knots(p, n, r)
    col = RieszCollocation(p, n, alpha) if r == 1.0 else RieszCollocation(p, None, alpha, knots=knots)
    sol = col.solve(source, method="direct")
    x = _error_grid(knots)
    return float(np.max(np.abs(sol(x) - exact(x))))


def run(params: dict) -> dict:
    """Run the experiment.

    Parameters
    ----------
    params : dict
        Keys of :data:`DEFAULTS`: ``alpha``, ``degree`` (of the comparison), ``gradings`` (graded
        knots of the comparison and the spectra), ``ns`` (elements), ``modes`` (Jacobi),
        ``order_degrees``, ``order_gradings``, ``order_ns`` (the orders table for ``f = 1``),
        ``spectrum_n``, ``quick`` (a version of a few seconds).

    Returns
    -------
    dict
        JSON-serialisable: ``summary``, ``tables``, the headline numbers ``uniform_order`` and
        ``graded_order`` (observed orders for f = 1 on uniform and on the most graded knots),
        ``max_order_deviation`` (orders table against theory), ``jacobi_error_exp`` (smallest Jacobi
        error for exp(x)), and the data ``comparison`` (errors per method and source), ``orders``,
        ``spectra``.
    """
    p_all = {**DEFAULTS, **params}
    alpha = as_float(p_all["alpha"], "alpha", low=1.0, high=2.0, low_open=True, high_open=True)
    degree = as_int(p_all["degree"], "degree", minimum=2, maximum=8)
    gradings = _float_list(p_all["gradings"], "gradings", low=1.0, high=MAX_GRADING, open_ends=False)
    ns = _int_list(p_all["ns"], "ns", 8)
    modes = _int_list(p_all["modes"], "modes", 1)
    order_degrees = _int_list(p_all["order_degrees"], "order_degrees", 2)
    order_gradings = _float_list(p_all["order_gradings"], "order_gradings", low=1.0, high=MAX_GRADING,
                                 open_ends=False)
    order_ns = _int_list(p_all["order_ns"], "order_ns", 8)
    spec_n = as_int(p_all["spectrum_n"], "spectrum_n", minimum=8, maximum=1024)
    if max(ns + order_ns) > 2048:
        raise ValueError(f"ns and order_ns must be <= 2048 (dense solves), got {max(ns + order_ns)}")
    if p_all["quick"]:
        ns = [n for n in ns if n <= 128] or ns[:3]
        modes = [m for m in modes if m <= 16] or modes[:3]
        order_degrees = order_degrees[:2]
        order_gradings = [r for r in order_gradings if r in (1.0, 2.0, 4.0)] or order_gradings[:2]
        order_ns = [n for n in order_ns if n <= 128] or order_ns[:3]
        spec_n = min(spec_n, 64)
    t0 = time.perf_counter()

    sources = {
        "f = 1": (lambda x: np.ones_like(x),
                  lambda x: np.clip(x * (1 - x), 0.0, None) ** (alpha / 2) / math.gamma(alpha + 1)),
        "f = exp(x)": (np.exp, RieszJacobi(alpha).solve(np.exp)),
    }
    jacobi_grid = np.union1d(_error_grid(graded_knots(1, 256, 4.0)), np.linspace(0.0, 1.0, 2001))
    comparison = []
    for src, (f, exact) in sources.items():
        for r in [1.0, *gradings]:
            errs = [_collocation_error(degree, n, alpha, r, f, exact) for n in ns]
            name = "uniform" if r == 1.0 else f"graded r={r:g}"
            comparison.append({"source": src, "method": f"{name}, p={degree}", "sizes": [n + degree - 2 for n in ns],
                               "errors": errs, "order": observed_order(ns, errs)})
        errs = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SpecnumWarning)  # small fixed n is unresolved on purpose
            for m in modes:
                sol = RieszJacobi(alpha, m).solve(f)
                errs.append(float(np.max(np.abs(sol(jacobi_grid) - exact(jacobi_grid)))))
        comparison.append({"source": src, "method": "Jacobi", "sizes": modes, "errors": errs, "order": None})

    exact1 = sources["f = 1"][1]
    orders = []
    for p in order_degrees:
        for r in order_gradings:
            errs = [_collocation_error(p, n, alpha, r, sources["f = 1"][0], exact1) for n in order_ns]
            orders.append({"degree": p, "grading": r, "ns": order_ns, "errors": errs,
                           "observed": observed_order(order_ns[-3:], errs[-3:]),
                           "expected": expected_order(p, alpha, r)})

    spectra = []
    for r in gradings:
        c = compare_graded_spectrum(degree, spec_n, alpha, r)
        spectra.append({"grading": r, "n": spec_n, "eigenvalues": c.eigenvalues.tolist(),
                        "quantiles": c.quantiles.tolist(), "bulk_error": c.bulk_error, "top_ratio": c.top_ratio,
                        "max_imag": c.max_imag})

    jac = [c for c in comparison if c["method"] == "Jacobi"]
    worst = max(abs(o["observed"] - o["expected"]) for o in orders)
    summary = [
        f"alpha = {alpha}: on uniform knots the max error of collocation decays like n^-{alpha / 2:g} "
        f"(observed {comparison[0]['order']:.2f} for f = 1, p = {degree})",
        "graded knots: observed orders " + ", ".join(
            f"r={c['method'].split('r=')[1].split(',')[0]}: {c['order']:.2f}" for c in comparison
            if c["source"] == "f = 1" and "graded" in c["method"]),
        "weighted Jacobi: smallest max error " + ", ".join(
            f"{c['source']}: {min(c['errors']):.1e} with {c['sizes'][int(np.argmin(c['errors']))]} modes"
            for c in jac),
        f"orders for f = 1 over p in {order_degrees}, r in {order_gradings}: largest |observed - "
        f"min(r alpha/2, smooth order)| = {worst:.2f}",
        f"graded spectra (n = {spec_n}): median relative deviation from f/G'^alpha " + ", ".join(
            f"r={s['grading']:g}: {s['bulk_error']:.3f} (largest eigenvalue / largest quantile {s['top_ratio']:.2f})"
            for s in spectra),
        f"run time {time.perf_counter() - t0:.1f} s",
    ]
    tables = [
        {"title": f"Max error against unknowns, alpha = {alpha}",
         "headers": ["source", "method", "sizes", "errors", "observed order"],
         "rows": [[c["source"], c["method"], " ".join(map(str, c["sizes"])),
                   " ".join(f"{e:.1e}" for e in c["errors"]), "-" if c["order"] is None else c["order"]]
                  for c in comparison]},
        {"title": f"f = 1: max-error orders on graded knots (n = {' '.join(map(str, order_ns))})",
         "headers": ["p", "r", *[f"n={n}" for n in order_ns], "observed", "min(r alpha/2, smooth order)"],
         "rows": [[o["degree"], o["grading"], *o["errors"], o["observed"], o["expected"]] for o in orders]},
    ]
    graded = [c for c in comparison if c["source"] == "f = 1" and "graded" in c["method"]]
    return {"summary": summary, "tables": tables, "alpha": alpha, "degree": degree,
            "uniform_order": comparison[0]["order"], "graded_order": graded[-1]["order"] if graded else None,
            "max_order_deviation": worst, "jacobi_error_exp": min(jac[-1]["errors"]),
            "comparison": comparison, "orders": orders, "spectra": spectra}


def plot(result: dict, outdir: str) -> list[str]:
    """Write the figures (PNG, each with its caption embedded) into ``outdir``; return their paths."""
    import matplotlib.pyplot as plt

    from specnum.plotting.figures import save_figure
    from specnum.plotting.riesz import plot_graded_spectrum, plot_method_errors

    paths = []
    alpha, degree = result["alpha"], result["degree"]

    fig, ax = plt.subplots(figsize=(6.4, 4.6))
    curves = {f"{c['method']}, {c['source']}": (c["sizes"], c["errors"]) for c in result["comparison"]}
    plot_method_errors(curves, xlabel="unknowns (B-spline coefficients or Jacobi modes)", ax=ax)
    ax.set_title(f"alpha = {alpha}: solid f = 1, dashed f = exp(x)")
    paths.append(save_figure(fig, os.path.join(outdir, "riesz_singular_errors.png"),
        f"Max error against the number of unknowns (log-log) for -d^alpha u/d|x|^alpha = f on (0, 1), alpha = "
        f"{alpha}: B-spline collocation of degree {degree} on uniform and on graded knots, and the weighted "
        "Jacobi solver; solid f = 1 (exact solution (x(1-x))^(alpha/2)/Gamma(alpha+1)), dashed f = exp(x) "
        "(reference: the adaptive Jacobi solution). Look for: uniform knots decay like n^(-alpha/2), grading "
        "steepens the slopes, and the Jacobi series reaches rounding level with a handful of modes (f = 1: "
        "one mode, exact; values of exactly 0 are drawn at the bottom)."))

    fig, ax = plt.subplots(figsize=(6.0, 4.2))
    plot_graded_spectrum({f"r={s['grading']:g}": (s["eigenvalues"], s["quantiles"]) for s in result["spectra"]},
                         ax=ax)
    ax.set_title(f"graded knots, p = {degree}, n = {result['spectra'][0]['n']}")
    paths.append(save_figure(fig, os.path.join(outdir, "riesz_singular_spectrum.png"),
        "Sorted eigenvalues of h^alpha A on knots graded with exponent r (hollow dots) against the "
        "quantiles of the graded symbol f_(p,alpha)(theta)/G'(xi)^alpha (lines), log scale. Look for: "
        "the bulk follows the symbol; at the top end (largest eigenvalues, from the smallest elements "
        "next to the boundary) the eigenvalues stay below the unbounded symbol, more so for larger r."))
    return paths
