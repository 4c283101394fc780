"""Figures that show every series, keep legends off the data and carry their captions."""

from __future__ import annotations

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from specnum.plotting import bases, chebtucker, gaunt, riesz  # noqa: E402
from specnum.plotting._axes import LINESTYLES, MARKERS, add_legend, series_style  # noqa: E402
from specnum.plotting.figures import (  # noqa: E402
    keep_legends_off_data,
    legend_overlaps_data,
    legend_overlaps_labels,
    read_caption,
    save_figure,
)

N_SERIES = 12  # more than the 9 markers and the 10 default colours
ns = np.array([8, 16, 32, 64])
labels = [f"s{i}" for i in range(N_SERIES)]
series = {lab: (i + 1.0) * ns.astype(float) ** -1.5 for i, lab in enumerate(labels)}

PLOTS = {
    "riesz.plot_symbol": lambda ax: riesz.plot_symbol(np.linspace(0, np.pi, 9),
                                                      {k: np.linspace(0, 1, 9) + i for i, k in enumerate(labels)},
                                                      ax=ax),
    "riesz.plot_condition": lambda ax: riesz.plot_condition(ns, series, slopes={k: 1.5 for k in labels}, ax=ax),
    "riesz.plot_convergence": lambda ax: riesz.plot_convergence(ns, series, ax=ax),
    "gaunt.plot_timing_vs_degree": lambda ax: gaunt.plot_timing_vs_degree(ns, series, reference_power=None, ax=ax),
    "gaunt.plot_error_vs_degree": lambda ax: gaunt.plot_error_vs_degree(ns, series, ax=ax),
    "bases.plot_quadrature_convergence": lambda ax: bases.plot_quadrature_convergence(ns, series, ax=ax),
    "chebtucker.plot_singular_values": lambda ax: chebtucker.plot_singular_values(
        [np.geomspace(1.0, 10.0 ** -(i + 2), 6) for i in range(N_SERIES)], ax=ax),
}


@pytest.mark.parametrize("name", sorted(PLOTS))
def test_every_series_is_drawn_and_distinguishable(name):
    """Given more series than markers and colours, every series is drawn, each with its own style."""
    fig, ax = plt.subplots()
    PLOTS[name](ax)
    drawn = [line for line in ax.get_lines() if not line.get_label().startswith("_")]
    data = [line for line in drawn if line.get_label().startswith(("s", "mode"))]
    assert len(data) == N_SERIES, f"{name} drew {len(data)} of {N_SERIES} series"
    styles = {(line.get_color(), line.get_marker(), line.get_linestyle()) for line in data}
    assert len(styles) == N_SERIES, f"{name}: two series share colour, marker and line style"
    legend = ax.get_legend()
    assert legend is not None and len(legend.get_texts()) >= N_SERIES  # every series is in the legend
    plt.close(fig)


def test_series_style_cycles_markers_and_stays_unique():
    styles = [series_style(i) for i in range(360)]
    assert {s["marker"] for s in styles} == set(MARKERS)
    assert {s["linestyle"] for s in styles} == set(LINESTYLES)
    assert len({(s["color"], s["marker"], s["linestyle"]) for s in styles}) == 360
    assert "marker" not in series_style(3, markers=False)


def _covered_plot():
    """Lines crossing the whole axes and a legend forced onto them."""
    fig, ax = plt.subplots(figsize=(4, 3))
    x = np.linspace(0, 1, 50)
    for k in range(4):
        ax.plot(x, x + 0.1 * k, label=f"line {k}")
    ax.legend(loc="center")
    return fig, ax


def test_legend_covering_data_is_detected_and_moved():
    fig, ax = _covered_plot()
    fig.draw_without_rendering()
    assert legend_overlaps_data(ax.get_legend())
    assert keep_legends_off_data(fig) == 1
    legend = ax.get_legend()
    assert not legend_overlaps_data(legend) and not legend_overlaps_labels(legend)
    renderer = fig.canvas.get_renderer()
    assert not legend.get_window_extent(renderer).overlaps(ax.bbox)  # now outside the axes
    plt.close(fig)


def test_legend_in_an_empty_corner_stays():
    fig, ax = plt.subplots(figsize=(4, 3))
    x = np.linspace(0, 1, 50)
    ax.plot(x, x**2, label="x^2")
    ax.legend(loc="upper left")  # the curve is near 0 there
    assert keep_legends_off_data(fig) == 0
    plt.close(fig)


def test_reference_spans_are_not_data():
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([0, 1], [0, 0.1], label="data")
    ax.axhline(0.5, label="level")  # passes under the legend: a reference line, not data
    ax.legend(loc="center left")
    fig.draw_without_rendering()
    assert not legend_overlaps_data(ax.get_legend())
    plt.close(fig)


def test_twin_axes_share_one_legend_drawn_on_top():
    fig, ax = plt.subplots()
    ax.plot([1, 2], [1, 2], label="left")
    ax2 = ax.twinx()
    ax2.plot([1, 2], [2, 1], label="right")
    legend = add_legend(ax, axes=[ax2])
    assert legend is ax2.get_legend() and [t.get_text() for t in legend.get_texts()] == ["left", "right"]
    assert add_legend(plt.subplots()[1]) is None  # nothing labelled, no legend
    plt.close("all")


def test_save_figure_embeds_the_caption(tmp_path):
    fig, ax = _covered_plot()
    caption = "Four lines; look for: slope 1 (alpha = 1.5, \u03b1 in Greek)."
    path = save_figure(fig, tmp_path / "lines.png", caption)
    assert read_caption(path) == caption
    assert not plt.fignum_exists(fig.number)  # closed
    fig, _ = plt.subplots()
    with pytest.raises(ValueError, match="caption"):
        save_figure(fig, tmp_path / "x.png", "  ")
    with pytest.raises(ValueError, match="png"):
        save_figure(fig, tmp_path / "x.pdf", "a caption")
    plt.close("all")


def test_read_caption_of_a_plain_png_is_none(tmp_path):
    fig, _ = plt.subplots()
    fig.savefig(tmp_path / "plain.png")
    assert read_caption(tmp_path / "plain.png") is None
    plt.close(fig)
