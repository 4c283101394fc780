"""Helpers the plotting modules share (matplotlib imported inside the functions)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["MARKERS", "LINESTYLES", "axes_or_new", "series_style", "with_gaps", "add_legend"]

#: Marker cycle: nine shapes, so that with the ten default colours the pair (colour, marker)
#: repeats only after 90 series.
MARKERS = ("o", "s", "^", "v", "D", "<", ">", "p", "*")
#: Line styles, changed every ten series (when the colours start again).
LINESTYLES = ("-", "--", "-.", ":")


def axes_or_new(ax=None, figsize: tuple[float, float] | None = None):
    """Return ``ax``, or the axes of a new figure (of ``figsize``) when ``ax`` is None."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def series_style(index: int, *, markers: bool = True, markevery: int | None = None) -> dict:
    """Line style of the ``index``-th series of a plot: every series stays distinguishable.

    Colour ``C{index % 10}``, marker ``MARKERS[index % 9]`` and line style
    ``LINESTYLES[(index // 10) % 4]``: no two of the first 360 series share all three.
    Markers are hollow, so that coinciding points of different series show both shapes.

    Parameters
    ----------
    index : int
        Position of the series (0, 1, ...).
    markers : bool
        Draw markers (off: colour and line style only).
    markevery : int, optional
        Draw a marker every ``markevery`` points (dense curves).

    Returns
    -------
    dict
        Keyword arguments for ``Axes.plot``.

    Examples
    --------
    >>> series_style(0)["marker"], series_style(9)["marker"], series_style(10)["linestyle"]
    ('o', 'o', '--')
    """
    style = {"color": f"C{index % 10}", "linestyle": LINESTYLES[(index // 10) % len(LINESTYLES)]}
    if markers:
        style.update(marker=MARKERS[index % len(MARKERS)], mfc="none", mew=1.3)
        if markevery is not None:
            style["markevery"] = markevery
    return style


def with_gaps(values: Sequence[float | None]) -> np.ndarray:
    """Float array of ``values`` with ``None`` (a case not measured) as NaN."""
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def add_legend(ax, *, axes: Sequence = (), outside: bool | None = None, max_inside: int = 6, **kwargs):
    """Legend of ``ax`` (and of the twin ``axes``) that does not cover the curves.

    With few entries the legend goes to the best place inside the axes (matplotlib's
    ``loc="best"``); :func:`specnum.plotting.figures.save_figure` moves it outside if it
    still covers data. With more than ``max_inside`` entries, or ``outside=True``, it goes
    to the right of the axes from the start.

    Parameters
    ----------
    ax : matplotlib Axes
    axes : sequence of Axes
        Further axes sharing the legend (a ``twinx``): their labelled lines are included.
    outside : bool, optional
        Force the placement (None: decide by the number of entries).
    max_inside : int
        Largest number of entries placed inside.
    **kwargs
        Passed to ``Axes.legend`` (e.g. ``fontsize``, ``ncol``).

    Returns
    -------
    matplotlib.legend.Legend or None
        Attached to the last of ``(ax, *axes)`` (drawn on top); None when no artist has a label.
    """
    handles, labels = [], []
    for a in (ax, *axes):
        h, lab = a.get_legend_handles_labels()
        handles += h
        labels += lab
    if not handles:
        return None
    kwargs.setdefault("fontsize", "small")
    if outside is None:
        outside = len(handles) > max_inside
    ax = (ax, *axes)[-1]  # a twin axes is drawn over ax: its legend goes on top
    if outside:
        return ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0, **kwargs)
    return ax.legend(handles, labels, loc="best", **kwargs)
