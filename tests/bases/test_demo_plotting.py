"""The shared-layer demo's figures and plotting functions (matplotlib Agg backend)."""

from __future__ import annotations

import numpy as np
import pytest


def test_chebyshev_coefficients_leave_out_exact_zeros():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from specnum.plotting.bases import plot_chebyshev_coefficients

    c = np.zeros(20)
    c[::2] = 2.0 ** -np.arange(10)  # an even function: odd coefficients vanish
    ax = plot_chebyshev_coefficients(c, cut=15, rho=2.0)
    dots = ax.get_lines()[0]
    assert list(dots.get_xdata()) == list(range(0, 20, 2))  # zeros are not drawn at a floor value
    assert "10 exact zeros" in dots.get_label()
    plt.close("all")


def test_demo_figures_have_captions(tmp_path):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    from specnum.experiments import bases_demo
    from specnum.plotting.figures import read_caption

    result = bases_demo.run({"quick": True})
    paths = bases_demo.plot(result, str(tmp_path))
    assert len(paths) == 2
    for p in paths:
        assert "Look for" in read_caption(p)
