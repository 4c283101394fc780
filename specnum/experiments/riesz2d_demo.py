"""Demo of 2D and time-dependent Riesz collocation: solution and error, bivariate symbol, solvers, diffusion."""

from __future__ import annotations

import os
import time
import warnings

import numpy as np

from specnum._validation import as_float, as_int
from specnum.errors import SpecnumWarning
from specnum.experiments.riesz_demo import _int_list  # the same list rule as the 1D demo
from specnum.riesz import (
    RieszCollocation2D,
    compare_spectrum_2d,
    condition_numbers_2d,
    riesz_symbol_2d,
)
from specnum.riesz.manufactured import test_problem
from specnum.testing import observed_order, pairwise_orders

__all__ = ["DEFAULTS", "DESCRIPTION", "TITLE", "HEADLINE", "run", "plot"]

TITLE = "Riesz problems in two dimensions and in time"
DESCRIPTION = ("K_x L_alpha u + K_y L_beta u = f on the unit square: solution, orders, bivariate symbol, "
               "tau-GMRES iterations, anomalous diffusion by Crank-Nicolson")
#: the numbers a sweep summary shows
HEADLINE = ("max_error", "observed_order", "expected_order", "max_iterations", "condition_exponent", "bulk_error")
DEFAULTS = {
    "degree": 3,
    "alpha": 1.5,
    "beta": 1.8,
    "ratio": 1.0,
    "n": 32,
    "convergence_ns": [16, 32, 64],
    "solver_ns": [32, 64, 128],
    "spectrum_n": 12,
    "condition_ns": [8, 12, 16],
    "evolve_n": 64,
    "evolve_steps": 40,
    "t_final": 0.01,
    "quick": False,
}


def _order_1d(p: int, alpha: float) -> float:
    return p + 2 - alpha if p % 2 == 0 else p + 1 - alpha


def _params(params: dict) -> dict:
    p = {**DEFAULTS, **params}
    out = {
        "degree": as_int(p["degree"], "degree", minimum=2, maximum=8),
        "alpha": as_float(p["alpha"], "alpha", low=1.0, high=2.0, low_open=True, high_open=True),
        "beta": as_float(p["beta"], "beta", low=1.0, high=2.0, low_open=True, high_open=True),
        "ratio": as_float(p["ratio"], "ratio", low=0.0, low_open=True),
        "n": as_int(p["n"], "n", minimum=8, maximum=1024),
        "convergence_ns": _int_list(p["convergence_ns"], "convergence_ns", 8),
        "solver_ns": _int_list(p["solver_ns"], "solver_ns", 8),
        "spectrum_n": as_int(p["spectrum_n"], "spectrum_n", minimum=4, maximum=40),
        "condition_ns": _int_list(p["condition_ns"], "condition_ns", 4),
        "evolve_n": as_int(p["evolve_n"], "evolve_n", minimum=8, maximum=512),
        "evolve_steps": as_int(p["evolve_steps"], "evolve_steps", minimum=1),
        "t_final": as_float(p["t_final"], "t_final", low=0.0, low_open=True),
        "quick": bool(p["quick"]),
    }
    if out["quick"]:
        out["n"] = min(out["n"], 24)
        out["convergence_ns"] = [n for n in out["convergence_ns"] if n <= 32] or out["convergence_ns"][:2]
        out["solver_ns"] = [n for n in out["solver_ns"] if n <= 64] or out["solver_ns"][:2]
        out["spectrum_n"] = min(out["spectrum_n"], 8)
        out["condition_ns"] = [n for n in out["condition_ns"] if n <= 12] or out["condition_ns"][:2]
        out["evolve_n"] = min(out["evolve_n"], 32)
        out["evolve_steps"] = min(out["evolve_steps"], 10)
    return out


def _manufactured(col: RieszCollocation2D):
    (a, b), (kx, ky) = col.alpha, col.coefficients
    gx, gy = test_problem("T2", a), test_problem("T2", b)
    x, y = col.points
    source = kx * np.outer(gx.source(x), gy.exact(y)) + ky * np.outer(gx.exact(x), gy.source(y))
    return source, (lambda xs, ys: np.outer(gx.exact(xs), gy.exact(ys)))


def run(params: dict) -> dict:
    """Run the 2D Riesz demo.

    Parameters
    ----------
    params : dict
        Keys of :data:`DEFAULTS`: ``degree`` (both directions), ``alpha``, ``beta``, ``ratio``
        (``K_y / K_x`` with ``K_x = 1``), ``n`` (elements per direction of the heat map),
        ``convergence_ns`` (manufactured ``u = T2(x) T2(y)``), ``solver_ns`` (tau-GMRES iterations,
        rhs ``A2 1``), ``spectrum_n`` (eigenvalues against the symbol), ``condition_ns``,
        ``evolve_n``, ``evolve_steps``, ``t_final`` (anomalous diffusion of a Gaussian bump),
        ``quick`` (a run of a second or two).

    Returns
    -------
    dict
        JSON-serialisable: ``summary``, ``tables`` and the raw data ``field``, ``convergence``,
        ``solver``, ``symbol``, ``spectrum``, ``condition``, ``evolution``.
    """
    q = _params(params)
    p, a, b, ratio = q["degree"], q["alpha"], q["beta"], q["ratio"]
    coefficients = (1.0, ratio)
    t0 = time.perf_counter()

    col = RieszCollocation2D(p, q["n"], (a, b), coefficients=coefficients)
    source, exact = _manufactured(col)
    sol = col.solve(source)
    grid = np.linspace(0.0, 1.0, 81)
    uh = sol.grid(grid, grid)
    field = {"x": grid.tolist(), "solution": uh.tolist(), "error": (uh - exact(grid, grid)).tolist(),
             "n": q["n"], "iterations": sol.iterations}

    fine = np.linspace(0.0, 1.0, 201)
    errors = []
    for n in q["convergence_ns"]:
        c = RieszCollocation2D(p, n, (a, b), coefficients=coefficients)
        f, ex = _manufactured(c)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SpecnumWarning)
            s = c.solve(f, rtol=1e-12)
        errors.append(float(np.max(np.abs(s.grid(fine, fine) - ex(fine, fine)))))
    expected = min(_order_1d(p, a), _order_1d(p, b))
    convergence = {"ns": q["convergence_ns"], "errors": errors, "expected": expected,
                   "observed": observed_order(q["convergence_ns"], errors) if len(errors) > 1 else None,
                   "pairwise": pairwise_orders(q["convergence_ns"], errors).tolist() if len(errors) > 1 else []}

    solver = []
    for r in sorted({1.0, ratio, 100.0}):
        row = {"ratio": r, "tau": [], "tau-plain": []}
        for n in q["solver_ns"]:
            c = RieszCollocation2D(p, n, (a, b), coefficients=(1.0, r))
            rhs = (c.operator() @ np.ones(c.size)).reshape(c.shape)
            for kind in ("tau", "tau-plain"):
                row[kind].append(c.solve(rhs, method="gmres", preconditioner=kind, rtol=1e-10).iterations)
        solver.append(row)

    spec = compare_spectrum_2d(p, q["spectrum_n"], (a, b), coefficients=coefficients)
    spec_col = RieszCollocation2D(p, q["spectrum_n"], (a, b), coefficients=coefficients)
    theta = np.linspace(0.0, np.pi, 65)
    symbol_map = riesz_symbol_2d(theta[:, None], theta[None, :], p, (a, b), spec_col.symbol_weights)
    nx, ny = spec_col.shape
    symbol = {"theta": theta.tolist(), "values": symbol_map.tolist(), "weights": list(spec_col.symbol_weights),
              "grid1": (np.arange(1, nx + 1) * np.pi / (nx + 1)).tolist(),
              "grid2": (np.arange(1, ny + 1) * np.pi / (ny + 1)).tolist()}
    spectrum = {"n": q["spectrum_n"], "eigenvalues": spec.eigenvalues.tolist(), "samples": spec.samples.tolist(),
                "outliers": spec.outliers.tolist(), "bulk_error": spec.bulk_error, "max_imag": spec.max_imag,
                "symbol_max": spec.symbol_max}
    growth = condition_numbers_2d(p, q["condition_ns"], (a, b), coefficients=coefficients)
    condition = {"ns": q["condition_ns"], "condition": growth.condition.tolist(), "exponent": growth.exponent}

    ecol = RieszCollocation2D(p, q["evolve_n"], (a, b), coefficients=coefficients)
    bump = lambda x, y: np.exp(-200.0 * ((x - 0.35) ** 2 + (y - 0.6) ** 2))  # noqa: E731
    steps = q["evolve_steps"]
    ev = ecol.evolve(bump, q["t_final"], steps, save_every=max(1, steps // 4), progress=False)
    egrid = np.linspace(0.0, 1.0, 61)
    frames = [s.grid(egrid, egrid) for s in ev.solutions]
    evolution = {"x": egrid.tolist(), "times": ev.times.tolist(), "frames": [f.tolist() for f in frames],
                 "iterations": ev.iterations.tolist(), "n": q["evolve_n"], "steps": steps,
                 "mass": [float(f.mean()) for f in frames]}

    seconds = time.perf_counter() - t0
    summary = [
        f"K_x L_{a} u + K_y L_{b} u = f on (0,1)^2, K = (1, {ratio:g}), degree {p}, u = T2(x) T2(y)",
        f"n = {q['n']}: max error {float(np.max(np.abs(uh - exact(grid, grid)))):.3e}, "
        f"{sol.iterations} tau-GMRES iterations",
        "orders on n = " + "/".join(map(str, q["convergence_ns"])) + ": observed "
        + (f"{convergence['observed']:.3f}" if convergence["observed"] is not None else "-")
        + f", expected min of the 1D orders = {expected:.2f}",
        "tau-GMRES iterations (rhs A2 1, rtol 1e-10) for n = " + "/".join(map(str, q["solver_ns"])) + ": "
        + "; ".join(f"K_y/K_x = {r['ratio']:g}: " + "/".join(map(str, r["tau"])) for r in solver),
        f"eigenvalues of A2/scale at n = {q['spectrum_n']}: {len(spec.outliers)} above max F, "
        f"bulk max |lambda - F| / max F = {spec.bulk_error:.3f}",
        f"condition exponent {growth.exponent:.3f} (expected max(alpha, beta) = {max(a, b)})",
        f"anomalous diffusion, {steps} Crank-Nicolson steps at n = {q['evolve_n']}: "
        f"peak {float(frames[0].max()):.3f} -> {float(frames[-1].max()):.3f}",
        f"run time {seconds:.1f} s",
    ]
    tables = [
        {"title": f"Max error on u = T2(x) T2(y), degree {p}, alpha = {a}, beta = {b}",
         "headers": ["n", "max error", "pairwise order", "expected"],
         "rows": [[n, e, (convergence["pairwise"][k - 1] if k else "-"), expected]
                  for k, (n, e) in enumerate(zip(q["convergence_ns"], errors))]},
        {"title": "GMRES iterations (rhs A2 1, rtol 1e-10): two-sweep tau / plain tau",
         "headers": ["K_y/K_x", *[f"n={n}" for n in q["solver_ns"]]],
         "rows": [[r["ratio"], *[f"{t}/{u}" for t, u in zip(r["tau"], r["tau-plain"])]] for r in solver]},
        {"title": "Condition numbers kappa_2(A2)",
         "headers": [*[f"n={n}" for n in q["condition_ns"]], "fitted exponent"],
         "rows": [[*growth.condition.tolist(), growth.exponent]]},
    ]
    headline = {
        "max_error": float(np.max(np.abs(uh - exact(grid, grid)))),
        "observed_order": convergence["observed"],
        "expected_order": expected,
        "max_iterations": max(max(r["tau"]) for r in solver),
        "condition_exponent": growth.exponent,
        "bulk_error": spec.bulk_error,
    }
    return {**headline, "summary": summary, "tables": tables, "field": field, "convergence": convergence,
            "solver": solver,
            "symbol": symbol, "spectrum": spectrum, "condition": condition, "evolution": evolution,
            "params": {k: v for k, v in q.items()}}


def plot(result: dict, outdir: str) -> list[str]:
    """Write the demo's figures (PNG, each with its caption embedded) into ``outdir``; return their paths."""
    import matplotlib.pyplot as plt

    from specnum.plotting.figures import save_figure
    from specnum.plotting.riesz import plot_convergence, plot_eigenvalues, plot_field, plot_snapshots, plot_symbol_map

    paths = []

    def save(fig, name, caption):
        paths.append(save_figure(fig, os.path.join(outdir, name), caption))

    prm = result["params"]
    fld = result["field"]
    fig, axes = plt.subplots(1, 2, figsize=(9.5, 4.0), layout="constrained")
    plot_field(fld["x"], fld["x"], fld["solution"], title=f"collocation solution u_h, n = {fld['n']}", ax=axes[0])
    plot_field(fld["x"], fld["x"], fld["error"], title="error u_h - u", cmap="RdBu_r", symmetric=True, ax=axes[1])
    save(fig, "riesz2d_solution.png",
         f"Left: the tensor-product collocation solution of K_x L_alpha u + K_y L_beta u = f on the unit square "
         f"(alpha = {prm['alpha']}, beta = {prm['beta']}, K_y/K_x = {prm['ratio']:g}, degree {prm['degree']}, "
         f"n = {fld['n']} elements per direction) for the manufactured u = T2(x) T2(y). Right: its error on an "
         "81 x 81 grid (blue negative, red positive). Look for: a smooth error of one sign, largest inside the "
         "square and vanishing on the boundary, its size in the summary.")

    sym, spec = result["symbol"], result["spectrum"]
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.0), layout="constrained")
    plot_symbol_map(sym["theta"], sym["theta"], sym["values"], samples=(sym["grid1"], sym["grid2"]), ax=axes[0])
    axes[0].set_title("bivariate symbol F and its sampling grid", fontsize="small")
    plot_eigenvalues(spec["eigenvalues"], spec["samples"], outliers=spec["outliers"], symbol_max=spec["symbol_max"],
                     ax=axes[1])
    axes[1].set_title(f"sorted eigenvalues of A2/scale vs sorted F samples, n = {spec['n']}", fontsize="small")
    axes[1].set_xlabel("index / (N + 1)")
    axes[1].set_ylabel("eigenvalues of A2 / scale")
    save(fig, "riesz2d_symbol.png",
         "Left: the bivariate symbol F = w_x f(theta1) m(theta2) + w_y m(theta1) f(theta2) on [0, pi]^2 with the "
         "grid (j pi/(N_x+1), l pi/(N_y+1)) where it is sampled (white dots). Right: the sorted eigenvalues of the "
         f"scaled 2D matrix at n = {spec['n']} (dots) against the sorted samples (line); red circles mark the "
         "outliers above max F (dotted level). Look for: F vanishes only at the origin; the dots follow the line "
         "except for the outliers from the boundary rows and columns, a fraction that shrinks as n grows.")

    evo = result["evolution"]
    count = len(evo["frames"])
    fig, axes = plt.subplots(1, count, figsize=(2.8 * count, 3.0), squeeze=False, layout="constrained")
    plot_snapshots(evo["x"], evo["x"], evo["frames"], evo["times"], axes=axes[0])
    save(fig, "riesz2d_evolution.png",
         f"Anomalous diffusion u_t + K_x L_alpha u + K_y L_beta u = 0 of a Gaussian bump by Crank-Nicolson "
         f"({evo['steps']} steps, n = {evo['n']} elements per direction), snapshots on one colour scale. "
         "Look for: the bump spreads and decays without undershoot, and widens faster in the direction where "
         "the operator is stronger at the bump's scale (K times width^(-order): along y when beta > alpha and "
         "K_x = K_y).")

    conv = result["convergence"]
    fig, ax = plt.subplots(figsize=(5, 3.8), layout="constrained")
    plot_convergence(conv["ns"], {"max error": conv["errors"]}, expected={"max error": conv["expected"]}, ax=ax)
    ax.set_title("u = T2(x) T2(y)", fontsize="small")
    save(fig, "riesz2d_convergence.png",
         "Maximum error of the 2D collocation solution against the number of elements per direction (log-log) "
         "with the dashed reference slope n^(-order), the order being the smaller of the two 1D orders "
         "(p + 2 - alpha for even p, p + 1 - alpha for odd p). Look for: the errors follow the dashed slope.")
    return paths
