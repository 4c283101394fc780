"""The chebtucker demo (quick) and its figures."""

from __future__ import annotations

import json

import numpy as np
import pytest

from specnum.experiments import chebtucker_demo


@pytest.fixture(scope="module")
def quick_result():
    return chebtucker_demo.run({"quick": True})  # missing parameters take their defaults


def test_demo_quick_result(quick_result):
    res = quick_result
    json.dumps(res)  # JSON-serialisable
    assert len(res["ranks"]) == len(res["rtols"]) == len(res["errors"])
    # the observed max error (relative to max|V|) is below the requested tolerance
    assert all(e <= r for e, r in zip(res["errors"], res["rtols"]))
    # ranks grow as rtol shrinks
    assert all(max(a) <= max(b) for a, b in zip(res["ranks"], res["ranks"][1:]))
    s = np.array(res["singular_values"][0])
    assert s[0] == 1.0 and np.all(np.diff(s) <= 0)
    assert np.array(res["slice_values"]).shape == (len(res["slice_x"]), len(res["slice_y"]))


def test_demo_plots(quick_result, tmp_path):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    paths = chebtucker_demo.plot(quick_result, str(tmp_path))
    assert len(paths) == 3
    for p in paths:
        with open(p, "rb") as fh:
            assert fh.read(8) == b"\x89PNG\r\n\x1a\n"


def test_plot_functions_return_axes():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from specnum.plotting.chebtucker import (
        plot_error_slice,
        plot_potential_slice,
        plot_ranks_vs_rtol,
        plot_singular_values,
    )

    fig, axes = plt.subplots(1, 4)
    assert plot_singular_values([[1, 0.1, 1e-3]] * 3, threshold=1e-2, ax=axes[0]) is axes[0]
    assert plot_ranks_vs_rtol([1e-4, 1e-8], [[2, 2, 2], [4, 4, 3]], [1e-5, 1e-9], ax=axes[1]) is axes[1]
    x = np.linspace(0, 1, 4)
    assert plot_potential_slice(x, x, np.ones((4, 4)), ax=axes[2]) is axes[2]
    assert plot_error_slice(x, x, np.full((4, 4), 1e-9), ax=axes[3]) is axes[3]
    ax = plot_singular_values([[1.0, 0.5]])
    assert ax is not None
    plt.close("all")


def test_demo_tables_state_the_real_grid(quick_result):
    """The Chebyshev grid is n1 x n2 x n3 (thinner in z, like the box), not n^3."""
    ranks_table, timing_table = quick_result["tables"]
    grids = [row[2] for row in ranks_table["rows"]]
    n1, n2, n3 = (int(v) for v in grids[-1].split(" x "))
    assert n1 == n2 and n3 < n1  # square lattice in x, y; the box is half as wide in z
    label = timing_table["rows"][1][0]
    assert "n^3" not in label and f"{grids[-1]} = {n1 * n2 * n3}" in label
