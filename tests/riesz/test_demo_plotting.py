"""The riesz experiment (run -> JSON-serialisable dict, plot -> PNGs) and the plotting functions."""

import json
import os

import numpy as np
import pytest

from specnum.experiments import riesz_demo

SMALL = {"degrees": [2, 3], "alphas": [1.5], "spectrum_n": 16, "condition_ns": [16, 32],
         "convergence_ns": [8, 16], "solver_ns": [64, 128], "symbol_points": 33, "quick": False}


def test_demo_run_and_plot(tmp_path):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    result = riesz_demo.run(SMALL)
    json.dumps(result)  # JSON-serialisable
    assert set(riesz_demo.DEFAULTS) == set(SMALL)
    spec = {(s["degree"], s["alpha"]): s for s in result["spectrum"]}
    assert len(spec[(3, 1.5)]["outliers"]) == 2 and len(spec[(2, 1.5)]["outliers"]) == 0
    for c in result["condition"]:
        assert abs(c["exponent"] - 1.5) < 0.1
    for c in result["convergence"]:
        assert c["expected"] == pytest.approx(2.5)
    paths = riesz_demo.plot(result, str(tmp_path))
    assert len(paths) == 4
    for p in paths:
        assert p.endswith(".png") and os.path.getsize(p) > 1000


def test_demo_bad_params():
    with pytest.raises(ValueError, match="degrees"):
        riesz_demo.run({**SMALL, "degrees": [1]})
    with pytest.raises(ValueError, match="alphas"):
        riesz_demo.run({**SMALL, "alphas": [2.5]})


def test_plot_functions_return_axes():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from specnum.plotting.riesz import plot_condition, plot_convergence, plot_eigenvalues, plot_symbol

    fig, axes = plt.subplots(2, 2)
    th = np.linspace(0, np.pi, 9)
    assert plot_symbol(th, {"a": th**1.5 + 0.1}, normalise=True, ax=axes[0, 0]) is axes[0, 0]
    lam = np.linspace(0, 1, 10)
    assert plot_eigenvalues(lam, lam, outliers=lam[-1:], symbol_max=0.9, ax=axes[0, 1]) is axes[0, 1]
    assert plot_condition([8, 16], {"p=2": [10.0, 28.0]}, slopes={"p=2": 1.5}, ax=axes[1, 0]) is axes[1, 0]
    assert plot_convergence([8, 16], {"p=2": [1e-3, 1e-4]}, expected={"p=2": 2.5}, ax=axes[1, 1]) is axes[1, 1]
    assert plot_symbol(th, {"a": th + 1.0}) is not None  # creates its own axes
    plt.close("all")


SINGULAR_SMALL = {"alpha": 1.5, "degree": 2, "gradings": [3.0], "ns": [16, 32, 64], "modes": [1, 4, 8],
                  "order_degrees": [2], "order_gradings": [1.0, 2.0], "order_ns": [32, 64, 128], "spectrum_n": 24,
                  "quick": False}


def test_singular_experiment_run_and_plot(tmp_path):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    from specnum.experiments import riesz_singular
    from specnum.experiments.registry import DEMO_ORDER, EXPERIMENTS

    assert "riesz_singular" in EXPERIMENTS and "riesz_singular" in DEMO_ORDER
    assert set(riesz_singular.DEFAULTS) == set(SINGULAR_SMALL)
    result = riesz_singular.run(SINGULAR_SMALL)
    json.dumps(result)
    comp = {(c["source"], c["method"]): c for c in result["comparison"]}
    assert comp[("f = 1", "uniform, p=2")]["order"] == pytest.approx(0.75, abs=0.05)
    assert comp[("f = 1", "graded r=3, p=2")]["order"] == pytest.approx(2.25, abs=0.15)
    assert min(comp[("f = 1", "Jacobi")]["errors"]) < 1e-14  # the closed form with one mode
    assert comp[("f = exp(x)", "Jacobi")]["errors"][-1] < 1e-5
    for o in result["orders"]:
        assert abs(o["observed"] - o["expected"]) < 0.1
    paths = riesz_singular.plot(result, str(tmp_path))
    assert len(paths) == 2 and all(os.path.getsize(p) > 1000 for p in paths)
    with pytest.raises(ValueError, match="gradings"):
        riesz_singular.run({**SINGULAR_SMALL, "gradings": [0.5]})
    with pytest.raises(ValueError, match="ns"):
        riesz_singular.run({**SINGULAR_SMALL, "ns": [10**5]})


def test_new_plot_functions_draw_every_series():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from specnum.plotting.riesz import plot_graded_spectrum, plot_method_errors

    curves = {f"method {k}" + (", exp" if k % 2 else ""): ([4, 8, 16], [1e-2, 1e-3, 0.0]) for k in range(13)}
    ax = plot_method_errors(curves)
    assert len(ax.get_lines()) == 13  # 13 series, more than the marker list: markers cycle
    assert all(np.all(np.isfinite(line.get_ydata())) for line in ax.get_lines())  # an exact 0 stays visible
    lam = np.linspace(1, 10, 8)
    ax = plot_graded_spectrum({"r=2": (lam, lam * 1.1), "r=4": (lam, lam * 0.9)})
    assert len(ax.get_lines()) == 4
    plt.close("all")
