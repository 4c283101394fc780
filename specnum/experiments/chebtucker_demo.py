"""Chebyshev-Tucker demo: the long-range potential of a lattice of alternating charges.

Ranks and errors against rtol, singular-value decay of the coefficient tensor,
a slice of the potential and of its error, and build/evaluation timings against
the direct sum.
"""

from __future__ import annotations

import math
import os

import numpy as np

from specnum._validation import as_float, as_int
from specnum.chebtucker import direct_potential, long_range_potential
from specnum.chebtucker.tucker import mode_svd, unfold
from specnum.experiments.timing import best_time, describe_timing

__all__ = ["DEFAULTS", "DESCRIPTION", "TITLE", "HEADLINE", "run", "plot"]

TITLE = "Chebyshev-Tucker: long-range potential of a charge lattice"
DESCRIPTION = "Lattice of alternating charges: ChebTucker ranks/errors vs rtol, singular values, timings vs direct sum"
#: result keys a sweep summary shows (see specnum.experiments.summary)
HEADLINE = ("headline.error_at_smallest_rtol", "headline.largest_rank", "max_abs_potential")
DEFAULTS = {
    "sites": 16,          # sites per axis in x and y
    "layers": 4,          # sites in z
    "spacing": 1.5,       # lattice constant
    "r0": 1.0,            # splitting radius of erf(r/r0)/r
    "rtols": [1e-4, 1e-6, 1e-8, 1e-10],
    "n_targets": 2000,    # random targets for the error check
    "n_slice": 101,       # slice resolution
    "quick": False,
}
_THREADS, _REPEAT = 1, 2  # timings: one thread for BLAS/OpenMP/numba, best of up to 2 runs


def _lattice(sites: int, layers: int, spacing: float):
    gx = (np.arange(sites) - (sites - 1) / 2) * spacing
    gz = (np.arange(layers) - (layers - 1) / 2) * spacing
    pos = np.stack(np.meshgrid(gx, gx, gz, indexing="ij"), -1).reshape(-1, 3)
    q = ((-1.0) ** np.indices((sites, sites, layers)).sum(0)).reshape(-1)
    return pos, q


def run(params: dict) -> dict:
    """Run the Chebyshev-Tucker demo (BLAS limited to one thread when threadpoolctl is present).

    The build issues many small matrix products; on a busy machine, threaded BLAS
    makes them several times slower, so the demo runs them single-threaded.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - optional
        return _run(params)
    with threadpool_limits(limits=1, user_api="blas"):
        return _run(params)


def _run(params: dict) -> dict:
    """Run the Chebyshev-Tucker demo.

    Parameters
    ----------
    params : dict
        ``sites``, ``layers``, ``spacing`` (the lattice), ``r0``, ``rtols`` (list of
        tolerances), ``n_targets``, ``n_slice``, ``quick`` (a < 10 s version).

    Returns
    -------
    dict
        JSON-serialisable: ``summary``, ``tables``, and the data of the figures
        (``rtols``, ``ranks``, ``errors``, ``singular_values``, the slice).
    """
    params = {**DEFAULTS, **params}  # missing keys take their defaults
    sites = as_int(params["sites"], "sites", minimum=2)
    layers = as_int(params["layers"], "layers", minimum=1)
    spacing = as_float(params["spacing"], "spacing", low=0.0, low_open=True)
    r0 = as_float(params["r0"], "r0", low=0.0, low_open=True)
    rtols = [as_float(r, "rtols[i]", low=0.0, high=1.0, low_open=True, high_open=True) for r in params["rtols"]]
    n_targets = as_int(params["n_targets"], "n_targets", minimum=10)
    n_slice = as_int(params["n_slice"], "n_slice", minimum=5)
    if params.get("quick", False):
        sites, layers, n_targets, n_slice = min(sites, 8), min(layers, 4), min(n_targets, 500), min(n_slice, 41)
        rtols = [r for r in rtols if r >= 1e-8] or rtols[:1]
    pos, q = _lattice(sites, layers, spacing)
    half = np.max(np.abs(pos), axis=0) + 2.0 * r0
    box = tuple((-float(h), float(h)) for h in half)
    rng = np.random.default_rng(0)
    tgt = rng.uniform(-half, half, (n_targets, 3))
    # timed sections: BLAS/OpenMP/numba pinned to one thread, best of repeats (compilation warmed up on 2 points)
    direct_potential(pos[:2], q[:2], tgt[:2], kernel="erf", r0=r0)
    timed = best_time(lambda: direct_potential(pos, q, tgt, kernel="erf", r0=r0), warmup=0, repeat=_REPEAT,
                      budget=1.0, threads=_THREADS)
    ref, t_direct = timed.value, timed.seconds
    vmax = float(np.max(np.abs(ref)))

    rows, ranks, errors, builds, evals, grids = [], [], [], [], [], []
    result_v = None
    for rtol in rtols:
        long_range_potential(pos[:2], q[:2], box, r0=r0, rtol=rtol)  # warm-up (compilation, caches)
        timed = best_time(lambda rtol=rtol: long_range_potential(pos, q, box, r0=r0, rtol=rtol), warmup=0,
                          repeat=_REPEAT, budget=1.0, threads=_THREADS)
        v, t_build = timed.value, timed.seconds
        v(tgt[:2])  # warm-up of the evaluation kernel (compilation or cache load on first use)
        timed = best_time(lambda v=v: v(tgt), warmup=0, repeat=_REPEAT, budget=1.0, threads=_THREADS)
        vals, t_eval = timed.value, timed.seconds / n_targets
        err = float(np.max(np.abs(vals - ref)) / vmax)
        grid = " x ".join(str(d + 1) for d in v.degrees)
        ranks.append(list(v.ranks))
        errors.append(err)
        builds.append(t_build)
        evals.append(t_eval)
        grids.append(grid)
        rows.append([f"{rtol:.0e}", str(v.ranks), grid, v.storage, err, t_build, t_eval])
        if result_v is None or rtol == min(rtols):
            result_v, t_eval_v, grid_v = v, t_eval, grid

    # singular values of the coefficient tensor (a tight build, so the decay is visible)
    v_tight = long_range_potential(pos, q, box, r0=r0, rtol=1e-13)
    svals = []
    for k in range(3):
        _, s = mode_svd(unfold(np.asarray(v_tight.core), k))
        svals.append((s / s[0]).tolist())

    # slice through the top layer of charges
    z_slice = float(pos[:, 2].max())
    xs = np.linspace(box[0][0], box[0][1], n_slice)
    ys = np.linspace(box[1][0], box[1][1], n_slice)
    slice_v = result_v.on_grid(xs, ys, [z_slice])[:, :, 0]
    xx, yy = np.meshgrid(xs, ys, indexing="ij")
    slice_pts = np.stack([xx, yy, np.full_like(xx, z_slice)], axis=-1).reshape(-1, 3)
    slice_ref = direct_potential(pos, q, slice_pts, kernel="erf", r0=r0).reshape(n_slice, n_slice)
    slice_err = slice_v - slice_ref

    # timings against the direct sum: the construction by the direct sum at every Chebyshev node, per-point evaluation
    n_nodes = int(np.prod([d + 1 for d in result_v.degrees]))
    per_pair = t_direct / (n_targets * pos.shape[0])
    t_eval = t_eval_v
    timing_rows = [
        [f"ChebTucker build (CP route, rtol = {min(rtols):.0e})", builds[rtols.index(min(rtols))]],
        [f"direct sum at the {grid_v} = {n_nodes} Chebyshev nodes (estimated)", per_pair * n_nodes * pos.shape[0]],
        ["ChebTucker evaluation per point", t_eval],
        ["direct sum per point", t_direct / n_targets],
    ]
    timing_note = describe_timing(_THREADS, _REPEAT)
    summary = [
        f"lattice of {pos.shape[0]} alternating charges ({sites}x{sites}x{layers}, spacing {spacing:g}), "
        f"long-range kernel erf(r/{r0:g})/r on the box with half-widths {[round(float(h), 2) for h in half]}",
        f"rtol = {rtols[-1]:.0e}: ranks {tuple(ranks[-1])}, grid {grids[-1]}, max error / max|V| "
        f"= {errors[-1]:.1e}, {result_v.storage} stored numbers (vs {n_nodes} grid values)",
        f"build {builds[rtols.index(min(rtols))]:.2f} s vs ~{per_pair * n_nodes * pos.shape[0]:.1f} s for the "
        f"direct sum at the Chebyshev nodes; evaluation {t_eval * 1e6:.2f} us/point vs "
        f"{t_direct / n_targets * 1e6:.1f} us/point for the direct sum ({timing_note})",
        f"errors stay below rtol in every case: {all(e <= r for e, r in zip(errors, rtols))}",
    ]
    return {
        "summary": summary,
        "tables": [
            {"title": f"Ranks and errors against rtol (times: {timing_note})",
             "headers": ["rtol", "ranks", "grid n1 x n2 x n3", "stored numbers", "max err / max|V|", "build [s]",
                         "eval [s/point]"],
             "rows": rows},
            {"title": f"Timings against the direct sum ({timing_note})", "headers": ["step", "time [s]"],
             "rows": timing_rows},
        ],
        "rtols": rtols,
        "headline": {"error_at_smallest_rtol": errors[int(np.argmin(rtols))],
                     "largest_rank": int(max(max(r) for r in ranks))},
        "ranks": ranks,
        "errors": errors,
        "singular_values": svals,
        "slice_x": xs.tolist(),
        "slice_y": ys.tolist(),
        "slice_values": slice_v.tolist(),
        "slice_errors": slice_err.tolist(),
        "max_abs_potential": vmax,
        "rtol_slice": min(rtols),
        "z_slice": z_slice,
        "n_targets": n_targets,
        "lattice": [sites, sites, layers],
        "r0": r0,
        "timing": {"threads": _THREADS, "repeat": _REPEAT, "note": timing_note},
    }


def plot(result: dict, outdir: str) -> list[str]:
    """Write the demo's figures (PNG, each with its caption embedded) into ``outdir``; return their paths."""
    import matplotlib.pyplot as plt

    from specnum.plotting.chebtucker import (
        plot_error_slice,
        plot_potential_slice,
        plot_ranks_vs_rtol,
        plot_singular_values,
    )
    from specnum.plotting.figures import save_figure

    paths = []

    def save(fig, name, caption):
        paths.append(save_figure(fig, os.path.join(outdir, name), caption))

    symmetric = result["ranks"] and all(r[0] == r[1] for r in result["ranks"])
    fig, ax = plt.subplots(figsize=(5, 3.6))
    plot_ranks_vs_rtol(result["rtols"], result["ranks"], result["errors"], ax=ax)
    save(fig, "chebtucker_ranks_vs_rtol.png",
         "Tucker ranks r1, r2, r3 of the long-range potential (left axis, coloured) and its observed max error "
         f"/ max|V| at {result.get('n_targets', 'the')} random targets (right axis, black dashed) against the "
         "requested rtol, which decreases to the right; the grey line is error = rtol. Look for: the error "
         "stays below the grey line at every rtol while the ranks grow slowly"
         + ("; r1 = r2 because the lattice is square in x and y, so those two curves coincide" if symmetric
            else "") + ".")

    rtol_line = result.get("rtol_slice", 1e-8)
    fig, ax = plt.subplots(figsize=(5, 3.6))
    plot_singular_values(result["singular_values"], threshold=rtol_line / math.sqrt(3.0), ax=ax,
                         threshold_label=rf"rtol/$\sqrt{{3}}$, rtol = {rtol_line:.0e}")
    save(fig, "chebtucker_singular_values.png",
         "Singular values of the three mode unfoldings of the Chebyshev coefficient tensor (a build at rtol = "
         "1e-13), each divided by the largest. Look for: geometric decay (the long-range potential is smooth); "
         f"the number of values above the dashed line rtol/sqrt(3) (rtol = {rtol_line:.0e}) is close to the "
         "rank chosen at that rtol in the table"
         + ("; modes 1 and 2 coincide (x-y symmetry of the lattice)" if symmetric else "") + ".")

    fig, axes = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
    plot_potential_slice(result["slice_x"], result["slice_y"], result["slice_values"],
                         title=f"long-range potential, z = {result['z_slice']:g}", ax=axes[0])
    plot_error_slice(result["slice_x"], result["slice_y"], result["slice_errors"],
                     title=f"log10 |error| (rtol = {result['rtol_slice']:.0e})", ax=axes[1])
    worst = float(np.max(np.abs(result["slice_errors"]))) / result["max_abs_potential"]
    save(fig, "chebtucker_slice.png",
         f"Left: the long-range potential (kernel erf(r/r0)/r) of the lattice of alternating charges on the plane "
         f"z = {result['z_slice']:g} through the top layer, from the ChebTucker built at rtol = "
         f"{result['rtol_slice']:.0e}. Right: log10 |ChebTucker - direct sum| on the same plane. Look for: the "
         f"error is spread evenly over the box and stays below rtol * max|V| (max here {worst:.1e} of max|V|)"
         + ("; the dark lines x = 0 and y = 0 are where the potential vanishes by the antisymmetry of the "
            "charges" if result.get("lattice", [1])[0] % 2 == 0 else "") + ".")
    return paths
