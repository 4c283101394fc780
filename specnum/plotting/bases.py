"""Figures of the shared layer (matplotlib is imported inside the functions)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from specnum.plotting._axes import add_legend, axes_or_new, series_style

__all__ = ["plot_quadrature_convergence", "plot_chebyshev_coefficients"]


def plot_quadrature_convergence(ns: Sequence[int], errors: Mapping[str, Sequence[float]], ax=None):
    """Relative error of quadrature rules against the number of nodes (semilog-y).

    Parameters
    ----------
    ns : sequence of int, shape (k,)
        Numbers of nodes.
    errors : mapping of str to sequence of float, each shape (k,)
        Errors of each rule, keyed by its label.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = axes_or_new(ax)
    for i, (label, errs) in enumerate(errors.items()):
        ax.semilogy(ns, np.maximum(np.asarray(errs, float), 1e-17), label=label, **series_style(i))
    ax.set_xlabel("number of nodes n")
    ax.set_ylabel("relative error")
    ax.grid(True, which="both", alpha=0.3)
    add_legend(ax)
    return ax


def plot_chebyshev_coefficients(coeffs: Sequence[float], cut: int | None = None, rho: float | None = None,
                                ax=None):
    """Absolute Chebyshev coefficients with the chop point and an optional rho^-k reference.

    Parameters
    ----------
    coeffs : sequence of float, shape (n,)
        Coefficients (absolute values are plotted; exact zeros, e.g. the odd
        coefficients of an even function, are left out and counted in the legend).
    cut : int, optional
        Number of coefficients kept by :func:`specnum.bases.chebyshev.chop`.
    rho : float, optional
        Bernstein-ellipse parameter; draws ``|c_0| rho**-k``.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = axes_or_new(ax)
    c = np.abs(np.asarray(coeffs, float))
    k = np.arange(c.size)
    nonzero = c > 0
    zeros = int(c.size - nonzero.sum())
    ax.semilogy(k[nonzero], np.maximum(c[nonzero], 1e-20), ".", ms=3,
                label=r"$|c_k|$" + (f" ({zeros} exact zeros not drawn)" if zeros else ""))
    if rho is not None:
        ax.semilogy(k, c[0] * rho ** (-k.astype(float)), "--", lw=1, label=rf"$\rho^{{-k}}$, $\rho$ = {rho:.3f}")
    if cut is not None:
        ax.axvline(cut, color="k", lw=0.8, ls=":", label=f"chop: {cut}")
    ax.set_xlabel("k")
    ax.set_ylabel(r"$|c_k|$")
    ax.set_ylim(1e-20, None)
    add_legend(ax)
    return ax
