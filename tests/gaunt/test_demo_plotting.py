"""Smoke tests of the Gaunt demo experiment and its figures (matplotlib Agg backend)."""

from __future__ import annotations

import json

import numpy as np
import pytest


def test_demo_quick_runs_and_plots(tmp_path):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    from specnum.experiments import gaunt_demo

    result = gaunt_demo.run({**gaunt_demo.DEFAULTS, "quick": True})
    json.dumps(result)  # JSON-serialisable
    assert result["degrees"][-1] <= 8
    for m, errs in result["errors"].items():
        assert max(e for e in errs if e is not None) <= 1e-13, m  # pointwise product, float64
    assert max(result["equivariance_error"].values()) <= 1e-12
    assert result["picture"]["error"] <= 1e-13
    paths = gaunt_demo.plot(result, str(tmp_path))
    assert len(paths) == 4
    for p in paths:
        with open(p, "rb") as fh:
            assert fh.read(8) == b"\x89PNG\r\n\x1a\n"


def test_plotting_functions_return_axes():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from specnum.plotting.gaunt import plot_error_vs_degree, plot_sphere_function, plot_timing_vs_degree

    vals = np.outer(np.cos(np.linspace(0, np.pi, 9)), np.ones(17))
    ax = plot_sphere_function(vals)
    assert ax is not None
    fig = plt.figure()
    ax3 = fig.add_subplot(projection="3d")
    assert plot_sphere_function(vals, kind="surface", ax=ax3) is ax3
    ax = plot_timing_vs_degree([1, 2, 4], {"grid": [1e-3, 2e-3, None], "direct": [1e-4, 1e-3, 1e-2]}, crossovers=[3])
    assert len(ax.lines) >= 2
    assert plot_error_vs_degree([1, 2], {"grid": [1e-16, None]}) is not None
    with pytest.raises(ValueError, match="kind"):
        plot_sphere_function(vals, kind="globe")
    with pytest.raises(ValueError, match="values"):
        plot_sphere_function(np.ones(3))
    with pytest.raises(ValueError, match="values"):
        plot_sphere_function(np.full((3, 4), np.nan))
    with pytest.raises(ValueError, match="phi"):
        plot_sphere_function(vals, phi=np.zeros(5))
    plt.close("all")
