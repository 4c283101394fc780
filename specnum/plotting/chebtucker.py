"""Figures of the Chebyshev-Tucker pillar (matplotlib is imported inside the functions).

Each function takes computed results (plain arrays or lists) and an optional
``ax``, draws, and returns the ``ax``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from specnum.plotting._axes import add_legend, axes_or_new, series_style

__all__ = ["plot_singular_values", "plot_ranks_vs_rtol", "plot_potential_slice", "plot_error_slice"]


def plot_singular_values(singular_values: Sequence[Sequence[float]], threshold: float | None = None, ax=None,
                         threshold_label: str | None = None):
    """Normalised singular values of the mode unfoldings (semilog-y).

    Parameters
    ----------
    singular_values : sequence of sequences of float
        Descending singular values of mode 1, 2, ... (each normalised by its first).
    threshold : float, optional
        A horizontal reference line (e.g. ``rtol / sqrt(3)``).
    ax : matplotlib Axes, optional
    threshold_label : str, optional
        Legend entry of the threshold (default: its value).

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = axes_or_new(ax)
    for k, s in enumerate(singular_values):
        s = np.asarray(s, dtype=float)
        if s.size:
            ax.semilogy(np.arange(1, s.size + 1), np.maximum(s / s[0], 1e-17), ms=8 - 2 * (k % 3),
                        label=f"mode {k + 1}", **series_style(k))
    if threshold is not None:
        ax.axhline(threshold, color="gray", ls="--", lw=1,
                   label=threshold_label if threshold_label is not None else f"{threshold:.1e}")
    ax.set_xlabel("index i")
    ax.set_ylabel(r"$s_i / s_1$")
    ax.grid(True, which="both", alpha=0.3)
    add_legend(ax)
    return ax


def plot_ranks_vs_rtol(rtols: Sequence[float], ranks: Sequence[Sequence[int]], errors: Sequence[float] | None = None,
                       ax=None):
    """Tucker ranks (and optionally the observed error) against the requested tolerance.

    Parameters
    ----------
    rtols : sequence of float, shape (k,)
    ranks : sequence of (r1, r2, r3), shape (k, 3)
    errors : sequence of float, shape (k,), optional
        Observed relative errors, drawn on a twin log axis (one legend for both axes).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = axes_or_new(ax)
    r = np.asarray(ranks, dtype=float).reshape(len(rtols), 3)
    for k in range(3):
        ax.semilogx(rtols, r[:, k], ms=9 - 2 * k, label=f"r{k + 1}", **series_style(k))
    ax.set_xlabel("rtol")
    ax.set_ylabel("Tucker rank")
    ax.invert_xaxis()
    ax.grid(True, which="both", alpha=0.3)
    twins = []
    if errors is not None:
        ax2 = ax.twinx()
        ax2.loglog(rtols, errors, "k--", marker="x", label="max error / max|V|")
        ax2.loglog(rtols, rtols, color="gray", lw=0.8, label="error = rtol")
        ax2.set_ylabel("relative error")
        twins.append(ax2)
    add_legend(ax, axes=twins)
    return ax


def plot_potential_slice(x: Sequence[float], y: Sequence[float], values, title: str = "potential", ax=None):
    """A 2D slice of a potential as a colour map.

    Parameters
    ----------
    x : sequence of float, shape (nx,)
    y : sequence of float, shape (ny,)
    values : array_like, shape (nx, ny)
    title : str
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    v = np.asarray(values, dtype=float)
    vmax = np.max(np.abs(v))
    return _slice_map(axes_or_new(ax), x, y, v, title, "potential", cmap="RdBu_r", vmin=-vmax, vmax=vmax)


def plot_error_slice(x: Sequence[float], y: Sequence[float], errors, title: str = "log10 |error|", ax=None):
    """``log10 |error|`` on a 2D slice as a colour map.

    Parameters
    ----------
    x : sequence of float, shape (nx,)
    y : sequence of float, shape (ny,)
    errors : array_like, shape (nx, ny)
    title : str
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    e = np.log10(np.maximum(np.abs(np.asarray(errors, dtype=float)), 1e-17))
    return _slice_map(axes_or_new(ax), x, y, e, title, "log10 |error|", cmap="viridis")


def _slice_map(ax, x, y, values: np.ndarray, title: str, bar_label: str, **style):
    """``values[i, j]`` at ``(x[i], y[j])`` as a colour map with a labelled colour bar, equal aspect."""
    m = ax.pcolormesh(np.asarray(x), np.asarray(y), values.T, shading="auto", **style)
    ax.figure.colorbar(m, ax=ax, label=bar_label)
    ax.set_aspect("equal")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title(title)
    return ax
