"""Figures of the Riesz pillar (matplotlib is imported inside the functions).

Each function takes computed results (plain arrays, as returned by
:mod:`specnum.riesz` or stored by :mod:`specnum.experiments.riesz_demo`) and an
optional ``ax``, draws, and returns the ``ax``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from specnum.plotting._axes import axes_or_new

__all__ = ["plot_symbol", "plot_eigenvalues", "plot_condition", "plot_convergence", "plot_method_errors",
           "plot_graded_spectrum"]


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
    for label, vals in curves.items():
        v = np.asarray(vals, dtype=float)
        ax.plot(theta, v / v.max() if normalise else v, label=label)
    ax.set_xlabel(r"$\theta$")
    ax.set_ylabel(r"$f_{p,\alpha}(\theta)/\max f$" if normalise else r"$f_{p,\alpha}(\theta)$")
    ax.set_xlim(0, np.pi)
    ax.set_xticks([0, np.pi / 2, np.pi], ["0", r"$\pi/2$", r"$\pi$"])
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small")
    return ax


def plot_eigenvalues(eigenvalues, samples, *, outliers=None, symbol_max: float | None = None,
                     label: str = "", ax=None):
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
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = axes_or_new(ax)
    lam = np.asarray(eigenvalues, dtype=float)
    f = np.asarray(samples, dtype=float)
    j = np.arange(1, lam.size + 1) / (lam.size + 1)
    ax.plot(j, f, "-", lw=1.5, label=f"symbol samples {label}".strip())
    ax.plot(j, lam, ".", ms=3, label=f"eigenvalues {label}".strip())
    if outliers is not None and len(outliers):
        out = np.asarray(outliers, dtype=float)
        mask = np.isin(lam, out)
        ax.plot(j[mask], lam[mask], "o", mfc="none", mec="red", ms=7, label=f"outliers ({mask.sum()})")
    if symbol_max is not None:
        ax.axhline(symbol_max, color="gray", ls=":", lw=1)
    ax.set_xlabel("j / (N+1)")
    ax.set_ylabel(r"eigenvalues of $h^\alpha A$")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small")
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
    for (label, vals), marker in zip(condition.items(), "os^vD<>p*h"):
        text = label if slopes is None or label not in slopes else f"{label} (slope {slopes[label]:.3f})"
        ax.loglog(ns, np.asarray(vals, dtype=float), marker=marker, label=text)
    _n_ticks(ax, ns)
    ax.set_xlabel("number of elements n")
    ax.set_ylabel(r"$\kappa_2(A)$")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize="small")
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
        Expected orders; a reference line through the last point is drawn for each.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = axes_or_new(ax)
    ns = np.asarray(ns, dtype=float)
    for (label, errs), marker in zip(errors.items(), "os^vD<>p*h"):
        e = np.asarray(errs, dtype=float)
        (line,) = ax.loglog(ns, e, marker=marker, label=label)
        if expected is not None and label in expected:
            order = expected[label]
            ax.loglog(ns, e[-1] * (ns / ns[-1]) ** (-order), "--", color=line.get_color(), lw=0.8,
                      label=f"$n^{{-{order:.2f}}}$")
    _n_ticks(ax, ns)
    ax.set_xlabel("number of elements n")
    ax.set_ylabel("max error")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize="x-small", ncol=2)
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
    import itertools

    ax = axes_or_new(ax)
    markers = itertools.cycle("os^vD<>p*hX")
    colours: dict[str, str] = {}
    palette = itertools.cycle([f"C{k}" for k in range(10)])
    floor = min((min((e for e in errs if e > 0), default=1.0) for _, errs in curves.values()), default=1.0)
    for (label, (sizes, errs)), marker in zip(curves.items(), markers):
        e = np.asarray(errs, dtype=float)
        e = np.where(e > 0, e, 0.5 * floor)
        method = label.split(", f =")[0]
        colour = colours.setdefault(method, next(palette))
        ax.loglog(np.asarray(sizes, dtype=float), e, marker=marker, ms=4, color=colour,
                  ls="--" if "exp" in label else "-", label=label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("max error")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize="x-small", ncol=2)
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
        Log scale: dots are eigenvalues, lines the symbol quantiles (same colour per label).
    """
    ax = axes_or_new(ax)
    for label, (lam, q) in spectra.items():
        lam = np.asarray(lam, dtype=float)
        q = np.asarray(q, dtype=float)
        j = (np.arange(lam.size) + 0.5) / lam.size
        (line,) = ax.semilogy(j, q, "-", lw=1.2, label=f"{label}: symbol")
        ax.semilogy(j, lam, ".", ms=3, color=line.get_color(), label=f"{label}: eigenvalues")
    ax.set_xlabel("j / N")
    ax.set_ylabel(r"sorted eigenvalues of $h^\alpha A$")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize="x-small")
    return ax
