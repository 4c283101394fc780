"""The view of a whole sweep: ``sweep.csv``, ``sweep.md``, ``sweep.html`` and ``sweep.png``.

One row per case: its folder, its status, its parameters and its headline
numbers. An experiment module names its headline numbers in ``HEADLINE`` (a
tuple of result keys; a dotted key such as ``"errors.max"`` looks inside a
nested dict); without one, the headline numbers are the scalar numbers at the
top level of the result. The figure shows each headline number against the
first swept parameter, one line per combination of the other swept parameters.
The files are rewritten (atomically) after every case, the figure at most
every 10 s and once more when the sweep ends.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from specnum.experiments.casestore import atomic_writer, to_jsonable, write_text_atomic
from specnum.experiments.report import render_html, render_markdown

__all__ = ["headline_values", "SweepSummary", "plot_sweep"]

_FIGURE_EVERY = 10.0  # seconds between redraws of sweep.png while a sweep runs (and once at the end)
_MAX_PANELS = 6


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def headline_values(result: Mapping[str, Any], keys: Sequence[str] | None) -> dict[str, Any]:
    """The headline numbers of one result.

    Parameters
    ----------
    result : mapping
        An experiment's result dict.
    keys : sequence of str or None
        Result keys (dotted for nested dicts); None takes every int or float
        entry at the top level.

    Examples
    --------
    >>> headline_values({"err": 1e-9, "n": 4, "ok": True, "xs": [1]}, None)
    {'err': 1e-09, 'n': 4}
    >>> headline_values({"a": {"b": 2.5}}, ["a.b", "c"])
    {'a.b': 2.5, 'c': None}
    """
    if keys is None:
        return {k: v for k, v in result.items() if _is_number(v)}
    out = {}
    for key in keys:
        value: Any = result
        for part in key.split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
        out[key] = value
    return out


def _cell(value: Any) -> Any:
    """A CSV cell: lists as JSON, None as empty, the rest as is (floats at full precision)."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(to_jsonable(value))
    return value


def _label(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_label(v) for v in value) + "]"
    return f"{value:g}" if isinstance(value, float) else str(value)


class SweepSummary:
    """The summary files of one sweep, kept up to date as cases finish.

    Parameters
    ----------
    outdir : path
        The sweep's output folder.
    name : str
        The experiment.
    cases : sequence of dict
        The parameter sets, in sweep order.
    dirnames : sequence of str
        Each case's folder name under ``outdir/cases``.
    swept : sequence of str
        The parameters that vary across the cases.
    headline : sequence of str or None
        The experiment's ``HEADLINE`` keys (None: top-level scalar numbers).
    figure : bool
        Draw ``sweep.png`` (needs matplotlib).
    """

    def __init__(self, outdir: str | os.PathLike, name: str, cases: Sequence[dict], dirnames: Sequence[str],
                 swept: Sequence[str], headline: Sequence[str] | None, figure: bool = True) -> None:
        self.outdir = Path(outdir)
        self.name = name
        self.cases = list(cases)
        self.dirnames = list(dirnames)
        self.swept = list(swept)
        self.headline = None if headline is None else list(headline)
        self.figure = figure and bool(self.swept)
        self.rows: list[dict] = [{"status": "pending", "values": {}, "error": []} for _ in self.cases]
        self._drawn = time.monotonic()  # the first figure after 10 s of work, or at the end

    def record(self, i: int, status: str, result: Mapping | None = None, error: str | None = None) -> None:
        """Set the status (and headline numbers, or the error) of case ``i``."""
        values = headline_values(result, self.headline) if result is not None else {}
        self.rows[i] = {"status": status, "values": values, "error": (error or "").strip().splitlines()[:1]}

    def keys(self) -> list[str]:
        """The headline columns: ``HEADLINE`` or the union of the numbers found, in order of appearance."""
        if self.headline is not None:
            return list(self.headline)
        seen: dict[str, None] = {}
        for row in self.rows:
            seen.update(dict.fromkeys(row["values"]))
        return list(seen)

    def write(self, final: bool = False) -> dict[str, str]:
        """Rewrite the summary files; the figure at most every 10 s unless ``final``. Returns their paths."""
        keys = self.keys()
        params = list(self.swept) + [k for k in (self.cases[0] if self.cases else {}) if k not in self.swept]
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["case", "status", *params, *keys, "error"])
        for case, dirname, row in zip(self.cases, self.dirnames, self.rows):
            writer.writerow([dirname, row["status"], *(_cell(case.get(k)) for k in params),
                             *(_cell(row["values"].get(k)) for k in keys), " ".join(row["error"])])
        paths = {"csv": str(self.outdir / "sweep.csv")}
        write_text_atomic(paths["csv"], buffer.getvalue())

        png = self.outdir / "sweep.png"
        if self.figure and keys and (final or time.monotonic() - self._drawn >= _FIGURE_EVERY):
            if plot_sweep(self.cases, self.rows, self.swept, keys, png, name=self.name):
                self._drawn = time.monotonic()
        figures = ["sweep.png"] if self.figure and png.exists() else []
        if figures:
            paths["png"] = str(png)

        counts = {s: sum(r["status"] == s for r in self.rows) for s in ("done", "skipped", "failed", "pending")}
        header = [f"experiment {self.name}: {len(self.rows)} case(s), {counts['done'] + counts['skipped']} "
                  f"finished, {counts['failed']} failed, {counts['pending']} pending",
                  "swept: " + ("; ".join(f"{k} over {', '.join(dict.fromkeys(_label(c[k]) for c in self.cases))}"
                                         for k in self.swept) or "nothing (one case)"),
                  "updated " + time.strftime("%Y-%m-%d %H:%M:%S")]
        table = {"title": "Cases (all parameters in sweep.csv)",
                 "headers": ["case", "status", *self.swept, *keys],
                 "rows": [[d, r["status"], *(_label(c[k]) for k in self.swept), *(r["values"].get(k) for k in keys)]
                          for c, d, r in zip(self.cases, self.dirnames, self.rows)]}
        failed = [f"{d}: {r['error'][0]}" for d, r in zip(self.dirnames, self.rows)
                  if r["status"] == "failed" and r["error"]]
        entry = {"name": "sweep", "title": f"Headline numbers of {self.name} against the swept parameters",
                 "payload": {"result": {"summary": failed, "tables": [table]}}, "figures": figures}
        title = f"specnum run {self.name}: sweep summary"
        paths["markdown"] = str(self.outdir / "sweep.md")
        write_text_atomic(paths["markdown"], render_markdown([entry], title, header, self.outdir))
        paths["html"] = str(self.outdir / "sweep.html")
        write_text_atomic(paths["html"], render_html([entry], title, header, self.outdir))
        return paths


def plot_sweep(cases: Sequence[Mapping], rows: Sequence[Mapping], swept: Sequence[str], keys: Sequence[str],
               path: str | os.PathLike, *, name: str = "the experiment") -> bool:
    """Draw each headline number against the first swept parameter into the PNG ``path``.

    Numeric values of the swept parameter go on a linear axis, others (lists,
    strings) at equal spacing with their labels. Each combination of the other
    swept parameters is one line; an axis is logarithmic when its numbers are
    positive and span more than two decades. The PNG carries a caption (see
    :func:`specnum.plotting.figures.save_figure`). Returns False when no finished case
    has a number to show (nothing is written then).
    """
    from matplotlib.figure import Figure  # no pyplot: no global figure state, no GUI backend

    from specnum.plotting.figures import keep_legends_off_data

    xkey, others = swept[0], list(swept[1:])
    numeric_x = all(_is_number(c[xkey]) for c in cases)
    categories = list(dict.fromkeys(_label(c[xkey]) for c in cases))
    keys = list(keys)[:_MAX_PANELS]
    series: dict[str, list[tuple[float, dict]]] = {}
    for case, row in zip(cases, rows):
        if row["status"] not in ("done", "skipped"):
            continue
        x = float(case[xkey]) if numeric_x else float(categories.index(_label(case[xkey])))
        label = ", ".join(f"{k}={_label(case[k])}" for k in others)
        series.setdefault(label, []).append((x, row["values"]))
    if not series:
        return False
    fig = Figure(figsize=(6, 2.6 * len(keys) + 0.6))
    axes = fig.subplots(len(keys), 1, sharex=True, squeeze=False)
    markers = "os^vD<>p*h"
    for ax, key in zip(axes[:, 0], keys):
        ys_all = []
        for j, (label, points) in enumerate(sorted(series.items())):
            pts = sorted((x, v.get(key)) for x, v in points if _is_number(v.get(key)) and math.isfinite(v.get(key)))
            if not pts:
                continue
            ys_all += [y for _, y in pts]
            ax.plot([x for x, _ in pts], [y for _, y in pts], marker=markers[j % len(markers)],
                    label=label or None)
        if ys_all and min(ys_all) > 0 and max(ys_all) > 100 * min(ys_all):
            ax.set_yscale("log")
        ax.set_ylabel(key)
        ax.grid(True, alpha=0.3)
        if others and ax is axes[0, 0]:
            ax.legend(fontsize="small", loc="best")
    axes[-1, 0].set_xlabel(xkey)
    if not numeric_x:
        axes[-1, 0].set_xticks(range(len(categories)), categories, rotation=30, ha="right")
    fig.suptitle("headline numbers against " + xkey, fontsize="medium")
    fig.tight_layout()
    keep_legends_off_data(fig)
    caption = (f"Headline numbers of {name} ({', '.join(keys)}) against {xkey}"
               + (f", one line per value of {', '.join(others)}" if others else "")
               + "; each marker is one finished case (the numbers are in sweep.csv). Pending and failed "
                 "cases are not drawn.")
    with atomic_writer(path, "wb") as fh:
        fig.savefig(fh, format="png", dpi=100, bbox_inches="tight", metadata={"Description": caption})
    return True
