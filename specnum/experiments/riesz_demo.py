"""Demo of the Riesz pillar: symbol, spectra with outliers, conditioning, convergence orders, solver counts."""

from __future__ import annotations

import os
import time
import warnings

import numpy as np

from specnum._validation import as_float, as_int
from specnum.errors import SpecnumWarning
from specnum.riesz import (
    RieszCollocation,
    compare_spectrum,
    condition_numbers,
    riesz_symbol,
)
from specnum.riesz.manufactured import test_problem
from specnum.testing import observed_order, pairwise_orders

__all__ = ["DEFAULTS", "DESCRIPTION", "TITLE", "HEADLINE", "run", "plot"]

TITLE = "Riesz fractional equations by B-spline collocation"
DESCRIPTION = "symbol f_{p,alpha}, eigenvalues vs symbol with outliers, kappa ~ n^alpha, orders p+2-alpha / p+1-alpha"
#: result keys a sweep summary shows (see specnum.experiments.summary)
HEADLINE = ("headline.max_order_deviation", "headline.max_condition_exponent_deviation",
            "headline.max_bulk_error", "headline.max_gmres_iterations")
DEFAULTS = {
    "degrees": [2, 3, 4, 5],
    "alphas": [1.2, 1.5, 1.8],
    "spectrum_n": 128,
    "condition_ns": [32, 64, 128, 256],
    "convergence_ns": [16, 32, 64, 128],
    "solver_ns": [256, 1024, 4096, 16384],
    "symbol_points": 257,
    "quick": False,
}


def _expected(p: int, alpha: float) -> float:
    return p + 2 - alpha if p % 2 == 0 else p + 1 - alpha


def _int_list(value, name: str, minimum: int) -> list[int]:
    try:
        items = list(value)
    except TypeError:
        items = [value]
    if not items:
        raise ValueError(f"{name} must be a non-empty list of integers, got {value!r}")
    return [as_int(v, name, minimum=minimum) for v in items]


def _float_list(value, name: str, *, low: float = 1.0, high: float = 2.0, open_ends: bool = True) -> list[float]:
    """A non-empty list of floats in ``(low, high)`` (``[low, high]`` without ``open_ends``); default: alphas."""
    try:
        items = list(value)
    except TypeError:
        items = [value]
    if not items:
        raise ValueError(f"{name} must be a non-empty list of numbers, got {value!r}")
    return [as_float(v, name, low=low, high=high, low_open=open_ends, high_open=open_ends) for v in items]


def run(params: dict) -> dict:
    """Run the Riesz demo.

    Parameters
    ----------
    params : dict
        Keys of :data:`DEFAULTS`: ``degrees``, ``alphas``, ``spectrum_n`` (n of the eigenvalue
        comparison), ``condition_ns``, ``convergence_ns`` (T2 = x^2(1-x)^2 e^x, max error),
        ``solver_ns`` (tau-GMRES iteration counts), ``symbol_points``, ``quick`` (a < 10 s version).

    Returns
    -------
    dict
        JSON-serialisable: ``summary`` (lines), ``tables``, and the raw data ``symbol``,
        ``spectrum``, ``condition``, ``convergence``, ``solver``.
    """
    p_all = {**DEFAULTS, **params}
    degrees = _int_list(p_all["degrees"], "degrees", 2)
    alphas = _float_list(p_all["alphas"], "alphas")
    spec_n = as_int(p_all["spectrum_n"], "spectrum_n", minimum=8)
    cond_ns = _int_list(p_all["condition_ns"], "condition_ns", 8)
    conv_ns = _int_list(p_all["convergence_ns"], "convergence_ns", 8)
    solver_ns = _int_list(p_all["solver_ns"], "solver_ns", 8)
    npts = as_int(p_all["symbol_points"], "symbol_points", minimum=3)
    if p_all["quick"]:
        degrees = [d for d in degrees if d <= 3] or degrees[:1]
        alphas = alphas[:1] if 1.5 not in alphas else [1.5]
        spec_n = min(spec_n, 64)
        cond_ns = [n for n in cond_ns if n <= 128] or cond_ns[:2]
        conv_ns = [n for n in conv_ns if n <= 64] or conv_ns[:2]
        solver_ns = [n for n in solver_ns if n <= 4096] or solver_ns[:2]
        npts = min(npts, 129)
    t0 = time.perf_counter()

    theta = np.linspace(0.0, np.pi, npts)
    symbol_degrees = sorted(set(degrees) | {2, 3, 4, 5, 6})
    curves = [{"degree": p, "alpha": a, "values": riesz_symbol(theta, p, a).tolist()}
              for a in alphas for p in symbol_degrees]

    spectrum = []
    for a in alphas:
        for p in degrees:
            c = compare_spectrum(p, spec_n, a)
            spectrum.append({"degree": p, "alpha": a, "n": spec_n, "eigenvalues": c.eigenvalues.tolist(),
                             "samples": c.samples.tolist(), "outliers": c.outliers.tolist(),
                             "bulk_error": c.bulk_error, "max_imag": c.max_imag, "symbol_max": c.symbol_max})

    condition = []
    for a in alphas:
        for p in degrees:
            g = condition_numbers(p, cond_ns, a)
            condition.append({"degree": p, "alpha": a, "ns": cond_ns, "condition": g.condition.tolist(),
                              "exponent": g.exponent})

    grid = np.linspace(0.0, 1.0, 2001)
    convergence = []
    for a in alphas:
        prob = test_problem("T2", a)
        for p in degrees:
            errs = []
            for n in conv_ns:
                sol = RieszCollocation(p, n, a).solve(prob.source)
                errs.append(float(np.max(np.abs(sol(grid) - prob.exact(grid)))))
            convergence.append({"degree": p, "alpha": a, "ns": conv_ns, "errors": errs,
                                "observed": observed_order(conv_ns, errs), "expected": _expected(p, a),
                                "pairwise": pairwise_orders(conv_ns, errs).tolist()})

    solver = []
    for a in alphas:
        for p in degrees:
            its = []
            for n in solver_ns:
                col = RieszCollocation(p, n, a)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", SpecnumWarning)
                    its.append(col.solve(col.operator() @ np.ones(col.size), method="gmres", rtol=1e-10).iterations)
            solver.append({"degree": p, "alpha": a, "ns": solver_ns, "iterations": its})

    n_out = {(s["degree"], s["alpha"]): len(s["outliers"]) for s in spectrum}
    worst_order = max(abs(c["observed"] - c["expected"]) for c in convergence)
    summary = [
        f"symbol f_(p,alpha) by Hurwitz zeta for p in {symbol_degrees}, alpha in {alphas}",
        f"outliers above max f at n = {spec_n}: "
        + ", ".join(f"p={p}: {k}" for (p, a), k in n_out.items() if a == alphas[0])
        + f" (alpha = {alphas[0]}; expected 2(p-2))",
        "condition exponents (expected alpha): "
        + ", ".join(f"p={c['degree']}, a={c['alpha']}: {c['exponent']:.3f}" for c in condition),
        f"convergence orders on T2: largest |observed - expected| = {worst_order:.3f}",
        "tau-GMRES iterations (rhs A 1, rtol 1e-10) for n = " + "/".join(map(str, solver_ns)) + ": "
        + ", ".join(f"p={s['degree']}, a={s['alpha']}: " + "/".join(map(str, s["iterations"])) for s in solver),
        f"run time {time.perf_counter() - t0:.1f} s",
    ]
    tables = [
        {"title": f"Eigenvalues of h^alpha A (n = {spec_n}) against the symbol",
         "headers": ["p", "alpha", "max f", "outliers", "bulk max |lambda - f|", "max |Im lambda|"],
         "rows": [[s["degree"], s["alpha"], s["symbol_max"], ", ".join(f"{v:.4f}" for v in s["outliers"]) or "-",
                   s["bulk_error"], s["max_imag"]] for s in spectrum]},
        {"title": "Condition numbers kappa_2(A)",
         "headers": ["p", "alpha", *[f"n={n}" for n in cond_ns], "fitted exponent"],
         "rows": [[c["degree"], c["alpha"], *c["condition"], c["exponent"]] for c in condition]},
        {"title": "Max error on T2 = x^2(1-x)^2 e^x",
         "headers": ["p", "alpha", *[f"n={n}" for n in conv_ns], "observed order", "expected"],
         "rows": [[c["degree"], c["alpha"], *c["errors"], c["observed"], c["expected"]] for c in convergence]},
        {"title": "tau-GMRES iterations (rhs A 1, rtol 1e-10)",
         "headers": ["p", "alpha", *[f"n={n}" for n in solver_ns]],
         "rows": [[s["degree"], s["alpha"], *s["iterations"]] for s in solver]},
    ]
    return {
        "summary": summary,
        "tables": tables,
        "headline": {
            "max_order_deviation": worst_order,
            "max_condition_exponent_deviation": max(abs(c["exponent"] - c["alpha"]) for c in condition),
            "max_bulk_error": max(s["bulk_error"] for s in spectrum),
            "max_gmres_iterations": max(max(s["iterations"]) for s in solver),
        },
        "symbol": {"theta": theta.tolist(), "curves": curves},
        "spectrum": spectrum,
        "condition": condition,
        "convergence": convergence,
        "solver": solver,
    }


def plot(result: dict, outdir: str) -> list[str]:
    """Write the demo's figures (PNG, each with its caption embedded) into ``outdir``; return their paths."""
    import matplotlib.pyplot as plt

    from specnum.plotting.figures import save_figure
    from specnum.plotting.riesz import plot_condition, plot_convergence, plot_eigenvalues, plot_symbol

    paths = []

    def save(fig, name, caption):
        paths.append(save_figure(fig, os.path.join(outdir, name), caption))

    theta = result["symbol"]["theta"]
    alphas = sorted({c["alpha"] for c in result["symbol"]["curves"]})
    a_mid = 1.5 if 1.5 in alphas else alphas[0]
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
    curves = {f"p={c['degree']}": c["values"] for c in result["symbol"]["curves"] if c["alpha"] == a_mid}
    plot_symbol(theta, curves, ax=axes[0])
    axes[0].set_title(f"symbol, alpha = {a_mid}")
    plot_symbol(theta, curves, normalise=True, ax=axes[1])
    axes[1].set_title("normalised: decay at pi grows with p")
    save(fig, "riesz_symbol.png",
         f"Symbol f_(p,alpha)(theta) of the collocation matrices for alpha = {a_mid} and degrees "
         f"p = {', '.join(k[2:] for k in curves)} (left), and each curve divided by its maximum (right). "
         "Look for: every curve vanishes like theta^alpha at theta = 0 (the order of the operator); for "
         "p >= 4 the maximum moves inside (0, pi) and f(pi) / max f falls as p grows.")

    spec = result["spectrum"]
    s_alphas = sorted({s["alpha"] for s in spec})
    s_degrees = sorted({s["degree"] for s in spec})
    fig, axes = plt.subplots(len(s_alphas), len(s_degrees), figsize=(3.4 * len(s_degrees), 2.9 * len(s_alphas)),
                             squeeze=False, layout="constrained")
    for s in spec:
        ax = axes[s_alphas.index(s["alpha"])][s_degrees.index(s["degree"])]
        plot_eigenvalues(s["eigenvalues"], s["samples"], outliers=s["outliers"], symbol_max=s["symbol_max"],
                         legend=False, ax=ax)
        ax.set_title(f"p={s['degree']}, alpha={s['alpha']}: {len(s['outliers'])} outliers", fontsize="small")
    handles, labels = {}, {}
    for ax in axes.flat:  # one legend for the grid; "outliers (k)" entries differ per panel
        for h, lab in zip(*ax.get_legend_handles_labels()):
            key = lab.split(" (")[0]
            handles.setdefault(key, h)
            labels.setdefault(key, key)
    fig.legend(list(handles.values()), list(labels.values()), loc="outside upper center", ncol=len(handles),
               fontsize="small")
    save(fig, "riesz_eigenvalues.png",
         f"Sorted eigenvalues of h^alpha A (orange dots) against the symbol sampled at j pi/(N+1) (black line), "
         f"n = {spec[0]['n']} elements, one panel per degree p (columns) and alpha (rows). Look for: the dots "
         "lie on the line (the symbol describes the spectrum); red circles mark the outliers above max f "
         "(dotted level): 2(p-2) of them, in nearly equal pairs, so each circle holds two eigenvalues.")

    cond = result["condition"]
    fig, ax = plt.subplots(figsize=(5, 3.8))
    plot_condition(cond[0]["ns"], {f"p={c['degree']}, a={c['alpha']}": c["condition"] for c in cond},
                   slopes={f"p={c['degree']}, a={c['alpha']}": c["exponent"] for c in cond}, ax=ax)
    save(fig, "riesz_condition.png",
         "Spectral condition number kappa_2(A) against the number of elements n (log-log), one line per "
         "degree p and alpha; the fitted slope is in the legend. Look for: each slope equals alpha "
         "(kappa ~ n^alpha); the lines form one bundle per alpha, and a higher p shifts a line up "
         "without changing its slope.")

    conv = [c for c in result["convergence"] if c["alpha"] == a_mid] or result["convergence"]
    fig, ax = plt.subplots(figsize=(5, 3.8))
    plot_convergence(conv[0]["ns"], {f"p={c['degree']}": c["errors"] for c in conv},
                     expected={f"p={c['degree']}": c["expected"] for c in conv}, ax=ax)
    ax.set_title(f"T2, alpha = {conv[0]['alpha']}")
    close = [(a["degree"], b["degree"]) for a, b in zip(conv, conv[1:]) if a["expected"] == b["expected"]
             and np.allclose(a["errors"], b["errors"], rtol=0.2)]
    save(fig, "riesz_convergence.png",
         f"Max error of the collocation solution of T2 = x^2(1-x)^2 e^x against n (log-log), alpha = "
         f"{conv[0]['alpha']}; grey lines are the expected slopes n^-(p+2-alpha) for even p and "
         "n^-(p+1-alpha) for odd p, shifted down to stay visible. Look for: each series parallel to its "
         "reference line; an even degree p reaches the order of p + 1"
         + "".join(f"; p = {a} and {b} have errors within 20 % of each other, so their hollow markers overlap"
                   for a, b in close) + ".")
    return paths
