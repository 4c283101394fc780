"""The riesz2d experiment (run -> JSON-serialisable dict, plot -> PNGs) and the 2D plotting functions."""

import json
import os

import numpy as np
import pytest

from specnum.experiments import riesz2d_demo
from specnum.experiments.registry import DEMO_ORDER, EXPERIMENTS

SMALL = {"degree": 2, "alpha": 1.5, "beta": 1.8, "ratio": 100.0, "n": 12, "convergence_ns": [12, 24],
         "solver_ns": [16, 32], "spectrum_n": 6, "condition_ns": [6, 10], "evolve_n": 16, "evolve_steps": 4,
         "t_final": 0.01, "quick": False}


def test_demo_run_and_plot(tmp_path):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    assert "riesz2d" in EXPERIMENTS and "riesz2d" in DEMO_ORDER
    assert set(riesz2d_demo.DEFAULTS) == set(SMALL)
    result = riesz2d_demo.run(SMALL)
    json.dumps(result)
    conv = result["convergence"]
    assert conv["expected"] == pytest.approx(min(4 - 1.5, 4 - 1.8))
    assert abs(conv["observed"] - conv["expected"]) < 0.3  # two coarse levels only
    assert all(max(r["tau"]) <= 12 for r in result["solver"])
    evo = result["evolution"]
    assert len(evo["frames"]) == 5 and evo["mass"][-1] < evo["mass"][0]  # steps 0, 1, 2, 3, 4; decay
    assert abs(result["condition"]["exponent"] - 1.8) < 0.3
    paths = riesz2d_demo.plot(result, str(tmp_path))
    assert len(paths) == 4
    for p in paths:
        assert p.endswith(".png") and os.path.getsize(p) > 1000


def test_demo_bad_params():
    with pytest.raises(ValueError, match="beta"):
        riesz2d_demo.run({**SMALL, "beta": 2.0})
    with pytest.raises(ValueError, match="ratio"):
        riesz2d_demo.run({**SMALL, "ratio": 0.0})
    with pytest.raises(ValueError, match="solver_ns"):
        riesz2d_demo.run({**SMALL, "solver_ns": []})


def test_plot_functions_return_axes():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from specnum.plotting.riesz import plot_field, plot_snapshots, plot_symbol_map

    x = np.linspace(0, 1, 5)
    y = np.linspace(0, 1, 4)
    vals = np.outer(x, 1 - y)
    fig, axes = plt.subplots(1, 2)
    assert plot_field(x, y, vals, title="u", ax=axes[0]) is axes[0]
    th = np.linspace(0, np.pi, 6)
    assert plot_symbol_map(th, th, np.add.outer(th, th), samples=(th[1:3], th[2:4]), ax=axes[1]) is axes[1]
    assert len(axes[1].collections) > 0 and len(axes[1].lines) == 1  # contour levels and the sampling grid
    out = plot_snapshots(x, y, np.stack([vals, 0.5 * vals, 0.1 * vals]), [0.0, 0.1, 0.2])
    assert len(out) == 3 and out[2].get_title() == "t = 0.2"
    assert plot_field(x, y, vals - 0.5, symmetric=True) is not None  # creates its own axes
    plt.close("all")
