"""Figures of the Riesz pillar (matplotlib is imported inside the functions).

Each function takes computed results (plain arrays, as returned by
:mod:`specnum.riesz` or stored by :mod:`specnum.experiments.riesz_demo`) and an
optional ``ax``, draws, and returns the ``ax``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from specnum.plotting._axes import add_legend, axes_or_new, series_style

__all__ = [
    "plot_symbol",
    "plot_eigenvalues",
    "plot_condition",
    "plot_convergence",
    "plot_method_errors",
    "plot_graded_spectrum",
    "plot_field",
    "plot_symbol_map",
    "plot_snapshots",
]


def _n_ticks(ax, ns: np.ndarray) -> None:
    from matplotlib.ticker import NullFormatter

    ax.set_xticks(ns, [f"{int(n)}" for n in ns])
    ax.xaxis.set_minor_formatter(NullFormatter())


def plot_symbol(theta, curves: Mapping[str, Sequence[float]], *, normalise: bool = False, ax=None):
    """Symbol curves ``f_{p,alpha}(theta)`` on ``[0, pi]``.

    Parameters
    ----------
    theta : array_like, shape (m,)
        Frequencies.
    curves : mapping of str to array_like, each shape (m,)
        Symbol values keyed by a label such as ``"p=3, alpha=1.5"``.
    normalise : bool
        Plot ``f / max f`` (shows the decay at ``pi`` as ``p`` grows).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = axes_or_new(ax)
    theta = np.asarray(theta, dtype=float)
    every = max(1, theta.size // 12)
    for i, (label, vals) in enumerate(curves.items()):
        v = np.asarray(vals, dtype=float)
        ax.plot(theta, v / v.max() if normalise else v, label=label, **series_style(i, markevery=every))
    ax.set_xlabel(r"$\theta$")
    ax.set_ylabel(r"$f_{p,\alpha}(\theta)/\max f$" if normalise else r"$f_{p,\alpha}(\theta)$")
    ax.set_xlim(0, np.pi)
    ax.set_xticks([0, np.pi / 2, np.pi], ["0", r"$\pi/2$", r"$\pi$"])
    ax.grid(True, alpha=0.3)
    add_legend(ax)
    return ax


def plot_eigenvalues(eigenvalues, samples, *, outliers=None, symbol_max: float | None = None,
                     label: str = "", legend: bool = True, ax=None):
    """Sorted eigenvalues of ``h**alpha A`` over the sorted symbol samples, outliers marked.

    Parameters
    ----------
    eigenvalues : array_like, shape (N,)
        Sorted eigenvalues (real parts).
    samples : array_like, shape (N,)
        Sorted ``f(j pi/(N+1))``.
    outliers : array_like, shape (k,), optional
        Eigenvalues above ``max f`` (highlighted).
    symbol_max : float, optional
        Draws the level ``max f``.
    label : str
        Suffix of the legend entries.
    legend : bool
        Draw the legend (off: e.g. one figure legend for a grid of panels).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    The symbol is a thin black line drawn over the eigenvalue dots, so both stay
    visible where they agree.
    """
    ax = axes_or_new(ax)
    lam = np.asarray(eigenvalues, dtype=float)
    f = np.asarray(samples, dtype=float)
    j = np.arange(1, lam.size + 1) / (lam.size + 1)
    ax.plot(j, lam, "o", color="C1", ms=3.5, alpha=0.8, zorder=2, label=f"eigenvalues {label}".strip())
    ax.plot(j, f, "-", color="k", lw=0.9, zorder=3, label=f"symbol samples {label}".strip())
    if outliers is not None and len(outliers):
        out = np.asarray(outliers, dtype=float)
        mask = np.isin(lam, out)
        ax.plot(j[mask], lam[mask], "o", mfc="none", mec="red", mew=1.3, ms=8, zorder=4,
                label=f"outliers ({mask.sum()})")
    if symbol_max is not None:
        ax.axhline(symbol_max, color="gray", ls=":", lw=1, label="max f")
    ax.set_xlabel("j / (N+1)")
    ax.set_ylabel(r"eigenvalues of $h^\alpha A$")
    ax.grid(True, alpha=0.3)
    if legend:
        add_legend(ax)
    return ax


def plot_condition(ns, condition: Mapping[str, Sequence[float]], *, slopes: Mapping[str, float] | None = None,
                   ax=None):
    """Spectral condition numbers against ``n`` on log-log axes, with fitted slopes in the legend.

    Parameters
    ----------
    ns : array_like, shape (k,)
        Numbers of elements.
    condition : mapping of str to array_like, each shape (k,)
        ``kappa_2(A)`` per label.
    slopes : mapping of str to float, optional
        Fitted exponents shown in the legend (expected: ``alpha``).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = axes_or_new(ax)
    ns = np.asarray(ns, dtype=float)
    for i, (label, vals) in enumerate(condition.items()):
        text = label if slopes is None or label not in slopes else f"{label} (slope {slopes[label]:.3f})"
        ax.loglog(ns, np.asarray(vals, dtype=float), label=text, **series_style(i))
    _n_ticks(ax, ns)
    ax.set_xlabel("number of elements n")
    ax.set_ylabel(r"$\kappa_2(A)$")
    ax.grid(True, which="both", alpha=0.3)
    add_legend(ax)
    return ax


def plot_convergence(ns, errors: Mapping[str, Sequence[float]], *, expected: Mapping[str, float] | None = None,
                     ax=None):
    """Errors against ``n`` on log-log axes with dashed reference slopes ``n**(-order)``.

    Parameters
    ----------
    ns : array_like, shape (k,)
        Numbers of elements.
    errors : mapping of str to array_like, each shape (k,)
        Errors per label.
    expected : mapping of str to float, optional
        Expected orders. One grey reference line ``n**(-order)`` is drawn per distinct
        order, a factor 4 below the lowest last error of the series with that order
        (shifted, so that it does not hide the data).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = axes_or_new(ax)
    ns = np.asarray(ns, dtype=float)
    lowest: dict[float, float] = {}
    for i, (label, errs) in enumerate(errors.items()):
        e = np.asarray(errs, dtype=float)
        ax.loglog(ns, e, label=label, **series_style(i))
        if expected is not None and label in expected:
            order = round(float(expected[label]), 6)
            lowest[order] = min(lowest.get(order, np.inf), e[-1])
    for k, (order, last) in enumerate(sorted(lowest.items())):
        ax.loglog(ns, 0.25 * last * (ns / ns[-1]) ** (-order), color="0.45", lw=1.0,
                  ls=("--", "-.", ":")[k % 3], label=f"$n^{{-{order:g}}}$ (shifted)")
    _n_ticks(ax, ns)
    ax.set_xlabel("number of elements n")
    ax.set_ylabel("max error")
    ax.grid(True, which="both", alpha=0.3)
    add_legend(ax)
    return ax


def plot_method_errors(curves: Mapping[str, tuple[Sequence[float], Sequence[float]]], *,
                       xlabel: str = "unknowns N", ax=None):
    """Errors of several methods against their number of unknowns, on one log-log plot.

    Parameters
    ----------
    curves : mapping of str to (array_like, array_like), each of shape (k,)
        ``label -> (sizes, errors)``. Labels of the form ``"method, f = ..."`` share one colour
        per method; labels containing ``"exp"`` are drawn dashed. Zero errors (exact results)
        are drawn at half the smallest positive error rather than dropped.
    xlabel : str
        Label of the horizontal axis.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = axes_or_new(ax)
    colours: dict[str, str] = {}
    floor = min((min((e for e in errs if e > 0), default=1.0) for _, errs in curves.values()), default=1.0)
    for i, (label, (sizes, errs)) in enumerate(curves.items()):
        e = np.asarray(errs, dtype=float)
        e = np.where(e > 0, e, 0.5 * floor)
        style = series_style(i)
        style["color"] = colours.setdefault(label.split(", f =")[0], f"C{len(colours) % 10}")
        style["linestyle"] = "--" if "exp" in label else "-"
        ax.loglog(np.asarray(sizes, dtype=float), e, ms=5, label=label, **style)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("max error")
    ax.grid(True, which="both", alpha=0.3)
    add_legend(ax)
    return ax


def plot_graded_spectrum(spectra: Mapping[str, tuple[Sequence[float], Sequence[float]]], *, ax=None):
    """Sorted eigenvalues of ``h**alpha A`` on graded knots over the quantiles of ``f(theta)/G'(xi)^alpha``.

    Parameters
    ----------
    spectra : mapping of str to (array_like, array_like), each of shape (N,)
        ``label -> (sorted eigenvalues, quantiles)``
        (:class:`~specnum.riesz.GradedSpectrum` ``eigenvalues`` and ``quantiles``).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        Log scale: hollow dots are eigenvalues, lines the symbol quantiles drawn over them (same
        colour per label).
    """
    ax = axes_or_new(ax)
    for i, (label, (lam, q)) in enumerate(spectra.items()):
        lam = np.asarray(lam, dtype=float)
        q = np.asarray(q, dtype=float)
        j = (np.arange(lam.size) + 0.5) / lam.size
        colour = f"C{i % 10}"
        ax.semilogy(j, lam, "o", ms=3, mfc="none", color=colour, zorder=2, label=f"{label}: eigenvalues")
        ax.semilogy(j, q, "-", lw=1.0, color="k" if len(spectra) == 1 else colour, zorder=3,
                    label=f"{label}: symbol quantiles")
    ax.set_xlabel("j / N")
    ax.set_ylabel(r"sorted eigenvalues of $h^\alpha A$")
    ax.grid(True, which="both", alpha=0.3)
    add_legend(ax)
    return ax


def plot_field(x, y, values, *, title: str = "", cmap: str = "viridis", symmetric: bool = False,
               colorbar: bool = True, vmin: float | None = None, vmax: float | None = None, ax=None):
    """Heat map of a function on a tensor grid (a 2D solution or its error).

    Parameters
    ----------
    x : array_like, shape (m,)
        Grid in the first variable (horizontal axis).
    y : array_like, shape (k,)
        Grid in the second variable (vertical axis).
    values : array_like, shape (m, k)
        ``values[i, j]`` at ``(x[i], y[j])``.
    title : str
        Axes title.
    cmap : str
        Colour map.
    symmetric : bool
        Colour limits ``+-max|values|`` (for signed errors).
    colorbar : bool
        Draw a colour bar.
    vmin, vmax : float, optional
        Colour limits (override ``symmetric``).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = axes_or_new(ax)
    v = np.asarray(values, dtype=float)
    if symmetric and vmin is None and vmax is None:
        top = float(np.max(np.abs(v))) or 1.0
        vmin, vmax = -top, top
    mesh = ax.pcolormesh(np.asarray(x, dtype=float), np.asarray(y, dtype=float), v.T, shading="auto", cmap=cmap,
                         vmin=vmin, vmax=vmax)
    if colorbar:
        ax.figure.colorbar(mesh, ax=ax, fraction=0.046, pad=0.04)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    if title:
        ax.set_title(title, fontsize="small")
    return ax


def plot_symbol_map(theta1, theta2, values, *, samples: tuple | None = None, ax=None):
    """The bivariate symbol ``F(theta1, theta2)`` on ``[0, pi]^2`` as a filled contour map.

    Parameters
    ----------
    theta1 : array_like, shape (m,)
        Frequencies in ``x``.
    theta2 : array_like, shape (k,)
        Frequencies in ``y``.
    values : array_like, shape (m, k)
        ``F(theta1[i], theta2[j])``.
    samples : (array_like, array_like), optional
        The sampling grid ``(j pi/(N_x+1), l pi/(N_y+1))`` whose values are compared with the
        eigenvalues; drawn as dots.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = axes_or_new(ax)
    t1 = np.asarray(theta1, dtype=float)
    t2 = np.asarray(theta2, dtype=float)
    filled = ax.contourf(t1, t2, np.asarray(values, dtype=float).T, levels=20, cmap="viridis")
    ax.figure.colorbar(filled, ax=ax, fraction=0.046, pad=0.04)
    if samples is not None:
        g1, g2 = np.meshgrid(np.asarray(samples[0], dtype=float), np.asarray(samples[1], dtype=float))
        ax.plot(g1.ravel(), g2.ravel(), ".", color="white", ms=2, label="sampling grid")
        ax.legend(fontsize="x-small", loc="upper left")
    ticks = [0, np.pi / 2, np.pi]
    labels = ["0", r"$\pi/2$", r"$\pi$"]
    ax.set_xticks(ticks, labels)
    ax.set_yticks(ticks, labels)
    ax.set_xlabel(r"$\theta_1$")
    ax.set_ylabel(r"$\theta_2$")
    ax.set_aspect("equal", adjustable="box")
    return ax


def plot_snapshots(x, y, frames, times, *, axes=None, cmap: str = "magma"):
    """A row of heat maps of a time-dependent solution on one colour scale.

    Parameters
    ----------
    x : array_like, shape (m,)
        Grid in the first variable.
    y : array_like, shape (k,)
        Grid in the second variable.
    frames : array_like, shape (s, m, k)
        Solution values at ``s`` times.
    times : array_like, shape (s,)
        The times (panel titles).
    axes : sequence of matplotlib Axes, optional
        ``s`` axes; a new ``1 x s`` figure when omitted.
    cmap : str
        Colour map.

    Returns
    -------
    list of matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    data = np.asarray(frames, dtype=float)
    count = data.shape[0]
    if axes is None:
        _, axes = plt.subplots(1, count, figsize=(3.0 * count, 3.0), squeeze=False)
        axes = list(axes[0])
    axes = list(np.ravel(axes))
    lo, hi = float(data.min()), float(data.max())
    for k, ax in enumerate(axes[:count]):
        plot_field(x, y, data[k], title=f"t = {float(times[k]):.3g}", cmap=cmap, colorbar=k == count - 1,
                   vmin=lo, vmax=hi, ax=ax)
        if k:
            ax.set_ylabel("")
    return axes
