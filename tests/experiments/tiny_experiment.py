"""A test-only experiment for the sweep machinery: instant, exact, and it logs every computation.

Run it as ``specnum run tests.experiments.tiny_experiment ...`` from the repository root.
``total = x * sum(ns)`` and ``mean = total / len(ns)`` are exact in float64 for the small
values the tests use. With ``log`` set, each start of a computation appends its
parameters and process id (one JSON line, one ``write`` to a file opened for appending) to that file,
so a test can count how often each case was computed, across processes. ``parallel``
calls a numba-parallel kernel first, as the real experiments do.
"""

from __future__ import annotations

import json
import os
import time

DESCRIPTION = "test-only: total = x * sum(ns), logs each computation"
DEFAULTS = {"x": 1.0, "ns": [1, 2], "label": "a", "sleep": 0.0, "fail": False, "plot_fail": False, "log": "",
            "parallel": False}
HEADLINE = ("total", "mean")


def run(params: dict) -> dict:
    p = {**DEFAULTS, **params}
    if p["log"]:
        line = json.dumps({"x": p["x"], "ns": p["ns"], "label": p["label"], "pid": os.getpid()}) + "\n"
        fd = os.open(p["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            os.write(fd, line.encode())
        finally:
            os.close(fd)
    if p["parallel"]:  # a numba-parallel kernel, as real experiments call: starts the OpenMP runtime
        from tests.experiments._parallel_kernel import parallel_sum

        assert parallel_sum(100) == 4950.0
    time.sleep(p["sleep"])
    if p["fail"]:
        raise ValueError(f"x = {p['x']}: this case was asked to fail")
    total = p["x"] * sum(p["ns"])
    return {"total": total, "mean": total / len(p["ns"]), "ns": list(p["ns"]), "plot_fail": p["plot_fail"]}


def plot(result: dict, outdir: str) -> list[str]:
    from matplotlib.figure import Figure

    if result["plot_fail"]:
        raise RuntimeError("this figure was asked to fail")
    fig = Figure(figsize=(2, 2))
    fig.subplots().plot(result["ns"], "o")
    path = os.path.join(outdir, "ns.png")
    fig.savefig(path, dpi=40)
    return [path]
