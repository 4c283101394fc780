"""Figures of the Gaunt pillar (matplotlib is imported inside the functions)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from specnum.plotting._axes import add_legend, axes_or_new, series_style, with_gaps

__all__ = ["plot_sphere_function", "plot_timing_vs_degree", "plot_error_vs_degree"]


def plot_sphere_function(values, theta=None, phi=None, kind: str = "map", ax=None, title: str | None = None):
    """A real function on the sphere, as an equirectangular map or a 3D radial surface.

    Parameters
    ----------
    values : array_like, shape (n_theta, n_phi)
        Function values at the grid ``theta`` (polar, ``[0, pi]``) x ``phi`` (``[0, 2 pi)``).
    theta : array_like, shape (n_theta,), optional
        Polar angles; default uniform on ``[0, pi]``.
    phi : array_like, shape (n_phi,), optional
        Azimuths; default uniform on ``[0, 2 pi]``.
    kind : {"map", "surface"}
        ``"map"``: colour map over (phi, theta); ``"surface"``: the surface
        ``r = 1 + 0.3 f / max|f|`` coloured by ``f`` (needs a 3D axes; created if ``ax`` is None).
        Both draw a colour bar of ``f``.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        ``values`` not 2D or not finite, ``theta``/``phi`` not matching its shape, unknown ``kind``.
    """
    import matplotlib.pyplot as plt

    vals = np.asarray(values, dtype=float)
    if vals.ndim != 2:
        raise ValueError(f"values must have shape (n_theta, n_phi), got {vals.shape}")
    if not np.all(np.isfinite(vals)):
        raise ValueError("values must be finite (NaN or inf cannot be coloured)")
    th = np.linspace(0, np.pi, vals.shape[0]) if theta is None else np.asarray(theta, float)
    ph = np.linspace(0, 2 * np.pi, vals.shape[1]) if phi is None else np.asarray(phi, float)
    for name, ang, size in (("theta", th, vals.shape[0]), ("phi", ph, vals.shape[1])):
        if ang.shape != (size,):
            raise ValueError(f"{name} must have shape ({size},) to match values {vals.shape}, got {ang.shape}")
    if kind not in ("map", "surface"):
        raise ValueError(f"kind must be 'map' or 'surface', got {kind!r}")
    vmax = float(np.max(np.abs(vals))) or 1.0
    if kind == "map":
        ax = axes_or_new(ax, figsize=(6, 3.2))
        mesh = ax.pcolormesh(np.degrees(ph), np.degrees(th), vals, cmap="RdBu_r", vmin=-vmax, vmax=vmax,
                             shading="auto")
        ax.figure.colorbar(mesh, ax=ax, shrink=0.9, pad=0.02)
        ax.set_xlabel("azimuth phi [deg]")
        ax.set_ylabel("polar angle theta [deg]")
        ax.invert_yaxis()
    else:
        if ax is None:
            fig = plt.figure(figsize=(4.5, 4.5))
            ax = fig.add_subplot(projection="3d")
        T, P = np.meshgrid(th, ph, indexing="ij")
        r = 1.0 + 0.3 * vals / vmax
        x, y, z = r * np.sin(T) * np.cos(P), r * np.sin(T) * np.sin(P), r * np.cos(T)
        colors = plt.get_cmap("RdBu_r")(0.5 + 0.5 * vals / vmax)
        ax.plot_surface(x, y, z, facecolors=colors, rstride=1, cstride=1, linewidth=0, antialiased=False,
                        shade=False)
        for set_lim in (ax.set_xlim, ax.set_ylim, ax.set_zlim):
            set_lim(-1.1, 1.1)
        ax.set_box_aspect((1, 1, 1), zoom=1.4)  # fill the axes (the frame is hidden)
        ax.set_axis_off()
        scale = plt.cm.ScalarMappable(cmap="RdBu_r", norm=plt.Normalize(-vmax, vmax))
        ax.figure.colorbar(scale, ax=ax, shrink=0.6, pad=0.0)
    if title:
        ax.set_title(title)
    return ax


def plot_timing_vs_degree(degrees: Sequence[int], times: Mapping[str, Sequence[float]], crossovers=None,
                          ax=None, reference_power: float | None = 3.0):
    """Time per call against the degree ``L`` for each method (log-log), with crossovers marked.

    Parameters
    ----------
    degrees : sequence of int, shape (k,)
        Degrees ``L``.
    times : mapping of str to sequence of float (or None), each shape (k,)
        Seconds per call of each method; None/NaN entries are skipped.
    crossovers : sequence of float, optional
        Degrees where the fastest method changes; drawn as dotted vertical lines (one legend entry).
    ax : matplotlib Axes, optional
    reference_power : float, optional
        Draw a dashed ``L**p`` guide through the last point of the first method.

    Notes
    -----
    Each method has its own colour, hollow marker shape and line style, so a method
    whose times coincide with another's (e.g. "auto" and the method it picks) stays visible.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = axes_or_new(ax, figsize=(5.5, 3.8))
    L = np.asarray(degrees, dtype=float)
    for i, (label, t) in enumerate(times.items()):
        tt = with_gaps(t)
        ok = np.isfinite(tt)
        ax.loglog(L[ok], tt[ok], label=label, **series_style(i))
    if reference_power and times:
        first = with_gaps(next(iter(times.values())))
        ok = np.isfinite(first)
        if ok.any():
            l0, t0 = L[ok][-1], first[ok][-1]
            ax.loglog(L[ok], t0 * (L[ok] / l0) ** reference_power, "k--", lw=0.8,
                      label=f"$L^{{{reference_power:g}}}$ guide")
    for k, c in enumerate(crossovers or ()):
        ax.axvline(c, color="0.5", ls=":", lw=1, label="fastest method changes" if k == 0 else None)
    from matplotlib.ticker import NullFormatter, ScalarFormatter

    ax.set_xticks(L)
    ax.xaxis.set_major_formatter(ScalarFormatter())
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel("degree L (inputs 0..L, output 0..2L)")
    ax.set_ylabel("seconds per call")
    ax.grid(True, which="both", alpha=0.3)
    add_legend(ax)
    return ax


def plot_error_vs_degree(degrees: Sequence[int], errors: Mapping[str, Sequence[float]], ax=None,
                         reference: tuple[str, float] | None = None):
    """Relative error against the degree for each method (semilog-y).

    Parameters
    ----------
    degrees : sequence of int, shape (k,)
    errors : mapping of str to sequence of float (or None), each shape (k,)
        None/NaN entries (a method not run at that degree) are skipped.
    ax : matplotlib Axes, optional
    reference : (str, float), optional
        A labelled horizontal level, e.g. ``("machine epsilon", 2.2e-16)``.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = axes_or_new(ax, figsize=(5.5, 3.8))
    L = np.asarray(degrees, dtype=float)
    for i, (label, e) in enumerate(errors.items()):
        ee = with_gaps(e)
        ok = np.isfinite(ee)
        ax.semilogy(L[ok], np.maximum(ee[ok], 1e-18), label=label, **series_style(i))
    if reference is not None:
        ax.axhline(reference[1], color="0.4", ls=":", lw=1, label=reference[0])
    ax.set_xlabel("degree L")
    ax.set_ylabel("relative error")
    ax.grid(True, which="both", alpha=0.3)
    add_legend(ax)
    return ax
