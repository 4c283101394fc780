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
