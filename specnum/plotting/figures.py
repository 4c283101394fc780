"""Saving figures with their captions, and keeping legends off the data.

A figure written by :func:`save_figure` carries its caption inside the PNG file
(the standard ``Description`` text chunk), so the caption travels with the
image: :func:`read_caption` gets it back, and the demo report prints it under
the figure. Before saving, :func:`keep_legends_off_data` moves any legend that
covers a curve or a marker outside its axes.
"""

from __future__ import annotations

import os

import numpy as np

__all__ = ["save_figure", "read_caption", "legend_overlaps_data", "legend_overlaps_labels", "keep_legends_off_data"]


def _no_style(value) -> bool:
    return value is None or str(value) in ("None", "none", "", " ")


def _line_hits(line, region, dpi: float) -> bool:
    """Whether the drawn part of ``line`` (display coordinates) enters the Bbox ``region``."""
    from matplotlib.path import Path

    xy = np.asarray(line.get_xydata(), dtype=float)
    if xy.size == 0:
        return False
    xy = line.get_transform().transform(xy)
    finite = np.all(np.isfinite(xy), axis=1)
    if not _no_style(line.get_marker()):
        r = 0.5 * line.get_markersize() * dpi / 72.0
        pts = xy[finite]
        if np.any((pts[:, 0] >= region.x0 - r) & (pts[:, 0] <= region.x1 + r)
                  & (pts[:, 1] >= region.y0 - r) & (pts[:, 1] <= region.y1 + r)):
            return True
    if _no_style(line.get_linestyle()):
        return False
    # each run of consecutive finite points is one drawn polyline
    edges = np.flatnonzero(np.diff(np.concatenate(([0], finite.astype(np.int8), [0]))))
    for start, stop in zip(edges[::2], edges[1::2]):
        if stop - start >= 2 and Path(xy[start:stop]).intersects_bbox(region, filled=False):
            return True
    return False


def legend_overlaps_data(legend) -> bool:
    """Whether ``legend`` covers a data line or marker of any 2D axes of its figure.

    Data are the lines drawn in data coordinates (``Axes.plot``, ``loglog``, ...);
    reference lines spanning an axes (``axhline``, ``axvline``) are not data. Only
    the parts inside each axes' frame count (clipped points are not drawn).
    The figure must have been laid out (``fig.draw_without_rendering()``).

    Parameters
    ----------
    legend : matplotlib.legend.Legend

    Returns
    -------
    bool
    """
    from matplotlib.transforms import Bbox

    fig = legend.figure
    renderer = fig.canvas.get_renderer()
    box = legend.get_window_extent(renderer)
    for ax in fig.axes:
        if ax.name != "rectilinear":
            continue
        region = Bbox.intersection(box, ax.bbox)
        if region is None:
            continue
        for line in ax.get_lines():
            if line.get_visible() and line.get_transform() is ax.transData and _line_hits(line, region, fig.dpi):
                return True
    return False


def legend_overlaps_labels(legend) -> bool:
    """Whether ``legend`` covers a tick label, an axis label or a title of any axes of its figure.

    The figure must have been laid out (``fig.draw_without_rendering()``).
    """
    fig = legend.figure
    renderer = fig.canvas.get_renderer()
    box = legend.get_window_extent(renderer)
    for ax in fig.axes:
        texts = [ax.title, ax.xaxis.label, ax.yaxis.label, *ax.get_xticklabels(), *ax.get_yticklabels()]
        for text in texts:
            if text.get_visible() and text.get_text() and box.overlaps(text.get_window_extent(renderer)):
                return True
    return False


def _outside_anchors(ax, legend):
    """Axes-coordinate anchors just right of and just below everything drawn around ``ax`` (twins included)."""
    from matplotlib.transforms import Bbox

    renderer = ax.figure.canvas.get_renderer()
    legend.set_visible(False)
    twins = [a for a in ax.figure.axes if a.get_position().bounds == ax.get_position().bounds]
    tight = Bbox.union([a.get_tightbbox(renderer) for a in twins])
    legend.set_visible(True)
    x1, y0 = ax.transAxes.inverted().transform((tight.x1, tight.y0))
    return ((2, (x1 + 0.02, 1.0)), (9, (0.5, y0 - 0.02)))  # upper left at the right; upper center below


def keep_legends_off_data(fig) -> int:
    """Move every axes legend of ``fig`` that covers data outside its axes (right, else below).

    A new place is kept when the legend covers neither data nor any tick label, axis
    label or title (:func:`legend_overlaps_data`, :func:`legend_overlaps_labels`).

    Parameters
    ----------
    fig : matplotlib Figure

    Returns
    -------
    int
        The number of legends moved.
    """
    fig.draw_without_rendering()
    moved = 0
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is None or not legend_overlaps_data(legend):
            continue
        moved += 1
        for loc, anchor in _outside_anchors(ax, legend):
            set_loc = getattr(legend, "set_loc", None) or legend._set_loc  # set_loc: matplotlib >= 3.8
            set_loc(loc)
            legend.set_bbox_to_anchor(anchor, transform=ax.transAxes)
            fig.draw_without_rendering()
            if not (legend_overlaps_data(legend) or legend_overlaps_labels(legend)):
                break
    return moved


def save_figure(fig, path: str | os.PathLike, caption: str, *, dpi: int = 110) -> str:
    """Save ``fig`` as PNG with ``caption`` embedded, after moving legends off the data; close it.

    Parameters
    ----------
    fig : matplotlib Figure
    path : path
        Output file (``.png``).
    caption : str
        What the figure shows and what to look for; stored as the PNG ``Description``.
    dpi : int

    Returns
    -------
    str
        ``path``.

    Raises
    ------
    ValueError
        An empty caption or a path not ending in ``.png``.
    """
    import matplotlib.pyplot as plt

    path = os.fspath(path)
    if not str(caption).strip():
        raise ValueError("caption must be a non-empty string: every figure says what it shows")
    if not path.lower().endswith(".png"):
        raise ValueError(f"path must name a .png file, got {path!r}")
    keep_legends_off_data(fig)
    fig.savefig(path, dpi=dpi, bbox_inches="tight", metadata={"Description": str(caption)})
    plt.close(fig)
    return path


def read_caption(path: str | os.PathLike) -> str | None:
    """The caption stored in a PNG by :func:`save_figure` (None when it has none)."""
    from PIL import Image

    with Image.open(path) as image:
        return getattr(image, "text", {}).get("Description")
