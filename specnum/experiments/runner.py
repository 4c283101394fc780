"""Parameter sweeps: parsing ``--set`` assignments, atomic per-case results, resume, executors.

A sweep is the Cartesian product of the values given for each parameter. Every
case is identified by its parameters; its result is written atomically to
``outdir/cases/<key>/result.json`` as soon as it finishes, so re-running the same
command skips finished cases and resumes after an interruption. A failing case
is recorded with its parameters and error and does not stop the others.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as _dt
import hashlib
import itertools
import json
import os
import platform
import tempfile
import traceback
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from specnum._validation import as_choice
from specnum.experiments.registry import load_experiment

__all__ = [
    "CaseResult",
    "parse_value",
    "parse_assignments",
    "expand_sweep",
    "case_key",
    "provenance",
    "to_jsonable",
    "write_json_atomic",
    "run_case",
    "run_sweep",
]

EXECUTORS = ("serial", "processes", "dask")


@dataclass(frozen=True)
class CaseResult:
    """Outcome of one case of a sweep.

    ``status`` is "done" (computed now), "skipped" (found on disk from an earlier
    run) or "failed" (``error`` holds the message).
    """

    params: dict
    status: str
    path: str | None = None
    error: str | None = None
    result: dict | None = field(default=None, repr=False)


def parse_value(text: str, default: Any, name: str) -> Any:
    """Convert the string ``text`` to the type of ``default`` (bool, int, float, str).

    Raises
    ------
    ValueError
        Naming the parameter when the text does not parse.
    """
    text = text.strip()
    try:
        if isinstance(default, bool):
            low = text.lower()
            if low in ("1", "true", "yes", "on"):
                return True
            if low in ("0", "false", "no", "off"):
                return False
            raise ValueError
        if isinstance(default, int):
            return int(text)
        if isinstance(default, float):
            value = float(text)
            if not np.isfinite(value):
                raise ValueError
            return value
    except ValueError:
        kind = "true/false" if isinstance(default, bool) else type(default).__name__
        raise ValueError(f"parameter {name!r} expects {kind}, got {text!r}") from None
    return text


def parse_assignments(assignments: Iterable[str], defaults: Mapping[str, Any]) -> dict[str, list]:
    """Parse ``key=value[,value...]`` strings against ``defaults``.

    Parameters
    ----------
    assignments : iterable of str
        Each ``"key=v1,v2,..."``; several values make a sweep over that key.
    defaults : mapping
        The experiment's parameters and default values (which fix the types).

    Returns
    -------
    dict
        Every parameter of ``defaults`` mapped to the list of its values.

    Raises
    ------
    ValueError
        For a malformed assignment, an unknown parameter or a value of the wrong type.

    Examples
    --------
    >>> parse_assignments(["n=16,32", "alpha=1.5"], {"n": 8, "alpha": 1.2, "quick": False})
    {'n': [16, 32], 'alpha': [1.5], 'quick': [False]}
    """
    values = {key: [value] for key, value in defaults.items()}
    for item in assignments:
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ValueError(f"--set expects key=value, got {item!r}")
        if key not in defaults:
            raise ValueError(f"unknown parameter {key!r}; known: {', '.join(sorted(defaults))}")
        parts = [p for p in text.split(",")] if not isinstance(defaults[key], str) else [text]
        if any(not p.strip() for p in parts):
            raise ValueError(f"parameter {key!r} has an empty value in {item!r}")
        values[key] = [parse_value(p, defaults[key], key) for p in parts]
    return values


def expand_sweep(values: Mapping[str, Sequence]) -> list[dict]:
    """The Cartesian product of parameter value lists, as a list of parameter dicts.

    Examples
    --------
    >>> expand_sweep({"p": [2, 3], "n": [8]})
    [{'p': 2, 'n': 8}, {'p': 3, 'n': 8}]
    """
    keys = list(values)
    return [dict(zip(keys, combo)) for combo in itertools.product(*(values[k] for k in keys))]


def case_key(params: Mapping[str, Any]) -> str:
    """A readable, filesystem-safe and unique directory name for a parameter set."""
    text = json.dumps(to_jsonable(dict(params)), sort_keys=True)
    digest = hashlib.sha1(text.encode()).hexdigest()[:10]
    readable = "_".join(f"{k}-{v}" for k, v in sorted(params.items()) if not isinstance(v, str) or len(v) < 12)
    readable = "".join(c if c.isalnum() or c in "-_." else "-" for c in readable)[:80]
    return f"{readable}_{digest}" if readable else digest


def provenance(params: Mapping[str, Any]) -> dict:
    """Parameters, library versions, date and machine of a run."""
    import numba
    import scipy

    from specnum._version import __version__

    return {
        "params": to_jsonable(dict(params)),
        "versions": {
            "specnum": __version__,
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "numba": numba.__version__,
            "python": platform.python_version(),
        },
        "date": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": {
            "platform": platform.platform(),
            "processor": platform.machine(),
            "cpus": os.cpu_count(),
        },
    }


def to_jsonable(obj: Any) -> Any:
    """Recursively convert numpy scalars/arrays (and tuples) to JSON-ready Python objects."""
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist())
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, float) and not np.isfinite(obj):
        return None if np.isnan(obj) else ("inf" if obj > 0 else "-inf")
    return obj


def write_json_atomic(path: str | os.PathLike, data: Any) -> None:
    """Write ``data`` as JSON to ``path`` atomically (temporary file, then ``os.replace``)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(fd, "w") as fh:
            json.dump(to_jsonable(data), fh, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def run_case(name: str, params: dict) -> dict:
    """Run experiment ``name`` once with ``params``; return its result with provenance.

    This is the unit of work shipped to process or Dask workers.
    """
    module = load_experiment(name)
    result = module.run(dict(params))
    return {"experiment": name, "provenance": provenance(params), "result": to_jsonable(result)}


def _case_path(outdir: Path, params: dict) -> Path:
    return outdir / "cases" / case_key(params) / "result.json"


def run_sweep(
    name: str,
    cases: Sequence[dict],
    outdir: str | os.PathLike,
    *,
    executor: str = "serial",
    scheduler: str | None = None,
    max_workers: int | None = None,
    progress: bool = True,
    make_plots: bool = True,
) -> list[CaseResult]:
    """Run every case of a sweep, skipping those already finished in ``outdir``.

    Parameters
    ----------
    name : str
        A registered experiment.
    cases : sequence of dict
        Parameter sets (see :func:`expand_sweep`).
    outdir : path
        Results go to ``outdir/cases/<key>/result.json`` (+ the case's figures).
    executor : {"serial", "processes", "dask"}
        Where the cases run; "dask" uses a ``dask.distributed.Client`` on ``scheduler``
        (or a ``LocalCluster`` when ``scheduler`` is None).
    scheduler : str, optional
        Address of a running Dask scheduler.
    max_workers : int, optional
        Processes of the "processes" executor, or workers of the local Dask cluster.
    progress : bool
        Show a tqdm progress bar.
    make_plots : bool
        Call the experiment's ``plot`` for each finished case.

    Returns
    -------
    list of CaseResult
        One per case, in the order of ``cases``.
    """
    as_choice(executor, "executor", EXECUTORS)
    module = load_experiment(name)
    outdir = Path(outdir)
    results: dict[int, CaseResult] = {}
    pending = []
    for i, params in enumerate(cases):
        path = _case_path(outdir, params)
        if path.exists():
            with open(path) as fh:
                results[i] = CaseResult(params, "skipped", str(path), result=json.load(fh)["result"])
        else:
            pending.append(i)

    from tqdm.auto import tqdm

    bar = tqdm(total=len(pending), desc=name, disable=not progress or not pending, leave=False)

    def finish(i: int, payload: dict | None, error: str | None) -> None:
        params = cases[i]
        if error is not None:
            results[i] = CaseResult(params, "failed", None, error=error)
        else:
            path = _case_path(outdir, params)
            if make_plots:
                try:
                    payload["figures"] = [os.path.relpath(p, path.parent) for p in
                                          module.plot(payload["result"], str(path.parent))]
                except Exception as exc:  # a broken figure must not lose the numbers
                    payload["figures"] = []
                    payload["plot_error"] = f"{type(exc).__name__}: {exc}"
            write_json_atomic(path, payload)
            results[i] = CaseResult(params, "done", str(path), result=payload["result"])
        bar.update(1)

    def describe(exc: BaseException) -> str:
        return f"{type(exc).__name__}: {exc}"

    try:
        if executor == "serial":
            for i in pending:
                try:
                    payload = run_case(name, cases[i])
                except Exception as exc:
                    finish(i, None, describe(exc) + "\n" + traceback.format_exc(limit=3))
                else:
                    finish(i, payload, None)
        elif executor == "processes":
            with cf.ProcessPoolExecutor(max_workers=max_workers) as pool:
                futures = {pool.submit(run_case, name, cases[i]): i for i in pending}
                for fut in cf.as_completed(futures):
                    exc = fut.exception()
                    finish(futures[fut], None if exc else fut.result(), describe(exc) if exc else None)
        else:
            _run_dask(name, cases, pending, finish, describe, scheduler, max_workers)
    finally:
        bar.close()
    return [results[i] for i in range(len(cases))]


def _run_dask(name, cases, pending, finish, describe, scheduler, max_workers) -> None:
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as exc:  # pragma: no cover - depends on the optional extra
        raise ImportError("executor='dask' needs the optional extra: pip install 'specnum[dask]'") from exc
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=max_workers or 2, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        futures = {client.submit(run_case, name, cases[i], pure=False): i for i in pending}
        for fut in as_completed(list(futures)):
            i = futures[fut]
            if fut.status == "error":
                finish(i, None, describe(fut.exception()))
            else:
                finish(i, fut.result(), None)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
