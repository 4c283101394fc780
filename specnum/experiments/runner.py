"""Parameter sweeps that keep every result and figure: resumable, safe to run twice at once.

A sweep is a list of parameter sets (see :func:`~specnum.experiments.params.expand_sweep`).
Each case is written to ``outdir/cases/<swept keys>_<hash>/result.json`` as soon as it
finishes (atomically: see :mod:`specnum.experiments.casestore`), then its figures are drawn
into the same folder and listed in the result. Re-running the same command skips the
finished cases, draws figures that are missing, and computes the rest; an unreadable
result is moved aside (the run names it) and computed again. A failing case, or a case
whose figures fail, is reported with its parameters and does not stop the others.

Concurrency: a run claims a case (an exclusive lock on ``cases/.<hash>.lock``) just
before computing it, so two runs on one output folder, local or on Dask, split the
cases between them; when a run has nothing left to claim it waits for the cases the
other run is computing. A killed run's locks vanish with it.

After every case, ``sweep.csv``, ``sweep.md``, ``sweep.html`` and ``sweep.png``
summarise the whole sweep (see :mod:`specnum.experiments.summary`).

Executors
---------
``serial`` computes in this process. ``processes`` uses a pool of fresh worker
processes (spawned, not forked: a fork of a process whose OpenMP runtime runs dies),
each limited to its share of the cores; every worker pays its own start-up (imports,
loading or compiling the numba kernels: seconds), so on a sweep of short cases it is
slower than ``serial``. ``auto`` (the default) computes in this process and moves the
remaining cases to worker processes once a case computed here, other than the first,
has taken :data:`AUTO_SWITCH_SECONDS` or more, if at least two cases remain and two or
more workers are available. The first case is not timed because it includes compiling
the kernels; it also fills the numba cache the workers then load. ``dask`` uses a
``dask.distributed`` client.
"""

from __future__ import annotations

import collections
import concurrent.futures as cf
import datetime as _dt
import os
import platform
import sys
import time
import traceback
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from specnum._validation import as_choice, as_int
from specnum.errors import SpecnumWarning
from specnum.experiments.casestore import (
    CaseClaim,
    case_dirname,
    case_hash,
    check_writable,
    clean_orphans,
    lock_holder,
    move_aside,
    read_result,
    to_jsonable,
    try_claim,
    write_json_atomic,
)
from specnum.experiments.params import did_you_mean, swept_keys
from specnum.experiments.registry import load_experiment
from specnum.experiments.summary import SweepSummary

__all__ = [
    "CaseResult",
    "SweepInterrupted",
    "EXECUTORS",
    "AUTO_SWITCH_SECONDS",
    "provenance",
    "run_case",
    "run_sweep",
]

EXECUTORS = ("auto", "serial", "processes", "dask")
#: a case (other than the first) at least this long, in seconds, moves the rest of an ``auto`` sweep
#: to worker processes
AUTO_SWITCH_SECONDS = 5.0
_POLL = 0.2  # seconds between looks at cases another run is computing


@dataclass(frozen=True)
class CaseResult:
    """Outcome of one case of a sweep.

    ``status`` is "done" (computed now), "skipped" (found finished on disk) or
    "failed" (``error`` holds the message; ``path`` is set when the numbers were
    saved and only the figures failed).
    """

    params: dict
    status: str
    path: str | None = None
    error: str | None = None
    result: dict | None = field(default=None, repr=False)


class SweepInterrupted(KeyboardInterrupt):
    """Ctrl-C during a sweep: ``saved`` of ``total`` cases are finished in ``outdir``."""

    def __init__(self, saved: int, total: int, outdir: Path) -> None:
        super().__init__(f"{saved} of {total} case(s) saved in {outdir}")
        self.saved, self.total, self.outdir = saved, total, outdir


def _version(package: str) -> str | None:
    module = sys.modules.get(package)
    if module is not None and hasattr(module, "__version__"):
        return module.__version__
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return None


def provenance(params: dict) -> dict:
    """Parameters, library versions, date and machine of a run."""
    from specnum._version import __version__

    return {
        "params": to_jsonable(dict(params)),
        "versions": {
            "specnum": __version__,
            "numpy": _version("numpy"),
            "scipy": _version("scipy"),
            "numba": _version("numba"),
            "python": platform.python_version(),
        },
        "date": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"platform": platform.platform(), "processor": platform.machine(), "cpus": os.cpu_count()},
    }


def run_case(name: str, params: dict) -> dict:
    """Run experiment ``name`` once with ``params``; return its result with provenance and time.

    This is the unit of work shipped to process or Dask workers.
    """
    module = load_experiment(name)
    t0 = time.perf_counter()
    result = module.run(dict(params))
    seconds = time.perf_counter() - t0
    return {"experiment": name, "provenance": provenance(params), "seconds": seconds,
            "result": to_jsonable(result)}


def _describe(exc: BaseException, tb: bool = False) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text + "\n" + "".join(traceback.format_exception(exc, limit=-3)) if tb else text


class _Finished:
    """A case computed in this process: its payload or its error."""

    __slots__ = ("payload", "error")

    def __init__(self, payload: dict | None, error: str | None) -> None:
        self.payload, self.error = payload, error


class _SerialPool:
    """Computes each case in this process when it is submitted."""

    window = 1
    kind = "serial"

    def submit(self, name: str, params: dict) -> _Finished:
        try:
            return _Finished(run_case(name, params), None)
        except Exception as exc:
            return _Finished(None, _describe(exc, tb=True))

    def wait(self, handles: list) -> list[tuple]:
        return [(h, h.payload, h.error) for h in handles]

    def close(self, interrupted: bool = False) -> None:
        pass


def _worker_init(threads: int) -> None:
    """Worker processes ignore Ctrl-C (the parent handles it) and use their share of the cores."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from threadpoolctl import threadpool_limits

    threadpool_limits(threads)
    try:
        import numba

        numba.set_num_threads(min(threads, numba.config.NUMBA_NUM_THREADS))
    except Exception:  # pragma: no cover - numba's threading layer unavailable
        pass


class _ProcessPool:
    kind = "processes"

    def __init__(self, workers: int) -> None:
        import multiprocessing

        threads = max(1, (os.cpu_count() or 1) // workers)
        self.window = workers
        # fresh interpreters, not forks: forking a process whose OpenMP runtime is running (numba's
        # parallel kernels, some BLAS builds) kills the children
        self.pool = cf.ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                           initializer=_worker_init, initargs=(threads,))

    def submit(self, name: str, params: dict) -> cf.Future:
        return self.pool.submit(run_case, name, params)

    def wait(self, handles: list) -> list[tuple]:
        done, _ = cf.wait(handles, return_when=cf.FIRST_COMPLETED)
        out = []
        for fut in done:
            exc = fut.exception()
            out.append((fut, None, _describe(exc)) if exc else (fut, fut.result(), None))
        return out

    def close(self, interrupted: bool = False) -> None:
        if not interrupted:
            self.pool.shutdown()
            return
        terminate = getattr(self.pool, "terminate_workers", None)
        if terminate is not None:  # pragma: no cover - Python >= 3.14
            terminate()
            return
        workers = list((getattr(self.pool, "_processes", None) or {}).values())
        manager = getattr(self.pool, "_executor_manager_thread", None)
        self.pool.shutdown(wait=False, cancel_futures=True)
        for proc in workers:  # the cases they compute are lost anyway: do not wait for them
            proc.terminate()
        # the executor's manager thread notices the dead workers and closes its wake-up pipe; let it
        # finish here, or the interpreter's exit hook can write into that pipe while it closes
        if manager is not None:
            manager.join(timeout=10.0)


class _DaskPool:
    kind = "dask"

    def __init__(self, scheduler: str | None, workers: int | None) -> None:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - depends on the optional extra
            raise ImportError("executor='dask' needs the optional extra: pip install 'specnum[dask]'") from exc
        self.cluster = None
        if scheduler is None:
            self.cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1, processes=True,
                                        dashboard_address=None)
            self.client = Client(self.cluster)
        else:
            self.client = Client(scheduler)
        self.window = max(1, sum(self.client.nthreads().values()))

    def submit(self, name: str, params: dict) -> Any:
        return self.client.submit(run_case, name, params, pure=False)

    def wait(self, handles: list) -> list[tuple]:
        from dask.distributed import wait

        done, _ = wait(handles, return_when="FIRST_COMPLETED")
        return [(f, None, _describe(f.exception())) if f.status == "error" else (f, f.result(), None) for f in done]

    def close(self, interrupted: bool = False) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


class _Sweep:
    """State of one run of a sweep: cases, claims, results, summary."""

    def __init__(self, name: str, module: ModuleType, cases: list[dict], outdir: Path, make_plots: bool,
                 log: Callable[[str], None]) -> None:
        self.name, self.module, self.cases, self.log = name, module, cases, log
        self.outdir = outdir
        self.root = outdir / "cases"
        self.root.mkdir(exist_ok=True)
        self.make_plots = make_plots and callable(getattr(module, "plot", None))
        swept = swept_keys(cases)
        defaults = getattr(module, "DEFAULTS", {})
        labels = swept or [k for k in cases[0] if k not in defaults or cases[0][k] != defaults[k]]
        self.hashes = [case_hash(c) for c in cases]
        self.dirnames = [case_dirname(c, labels) for c in cases]
        self.claims: dict[int, CaseClaim] = {}
        self.results: dict[int, CaseResult] = {}
        self.summary = SweepSummary(outdir, name, cases, self.dirnames, swept, getattr(module, "HEADLINE", None),
                                    figure=make_plots)
        self.bar = None

    # -- where a case lives -------------------------------------------------------------------
    def folder(self, i: int) -> Path:
        """The folder of case ``i``: an existing one with its hash (any readable prefix) or the one to create."""
        mine = self.root / self.dirnames[i]
        if mine.is_dir():
            return mine
        h = self.hashes[i]
        found = sorted(p for p in self.root.glob(f"*{h}") if p.is_dir() and (p.name == h or p.name.endswith("_" + h)))
        return found[0] if found else mine

    def _needs_figures(self, payload: dict, folder: Path) -> bool:
        if not self.make_plots:
            return False
        figures = payload.get("figures")
        return figures is None or "plot_error" in payload or not all((folder / f).is_file() for f in figures)

    def finished(self, i: int) -> bool:
        """Record case ``i`` as skipped when its result (and figures, if wanted) are on disk."""
        folder = self.folder(i)
        payload, _ = read_result(folder / "result.json")
        if payload is None or self._needs_figures(payload, folder):
            return False
        self._record(i, CaseResult(self.cases[i], "skipped", str(folder / "result.json"),
                                   result=payload["result"]))
        return True

    # -- claims ---------------------------------------------------------------------------------
    def claim(self, i: int) -> str:
        """Try to claim case ``i``: "busy" (another run has it), "finished", "figures" or "compute"."""
        claim = try_claim(self.root / f".{self.hashes[i]}.lock")
        if claim is None:
            return "busy"
        self.claims[i] = claim
        folder = self.folder(i)
        if clean_orphans(folder, claimed=True):
            self.log(f"removed temporary files left in {folder} by an interrupted run")
        path = folder / "result.json"
        payload, problem = read_result(path)
        if problem is not None:
            moved = move_aside(path)
            self.log(f"unreadable result {path} ({problem}) moved to {moved.name}; computing the case again")
        if payload is None:
            return "compute"
        if self._needs_figures(payload, folder):
            return "figures"
        self.release(i)
        self._record(i, CaseResult(self.cases[i], "skipped", str(path), result=payload["result"]))
        return "finished"

    def release(self, i: int) -> None:
        claim = self.claims.pop(i, None)
        if claim is not None:
            claim.release()

    # -- results --------------------------------------------------------------------------------
    def _record(self, i: int, res: CaseResult) -> None:
        self.results[i] = res
        self.summary.record(i, res.status, res.result, res.error)

    def draw(self, i: int, status: str = "skipped") -> None:
        """Draw the figures of the saved case ``i`` and rewrite its result with their list."""
        folder = self.folder(i)
        path = folder / "result.json"
        payload, _ = read_result(path)
        self._save_figures(i, payload, folder, status)

    def _save_figures(self, i: int, payload: dict, folder: Path, status: str) -> None:
        path = folder / "result.json"
        error = None
        try:
            written = self.module.plot(payload["result"], str(folder))
            rel = [os.path.relpath(p, folder) for p in written]
            missing = [r for r in rel if not (folder / r).is_file()]
            if missing:
                raise FileNotFoundError(f"plot() listed figures it did not write: {', '.join(missing)}")
            payload["figures"] = rel
            payload.pop("plot_error", None)
        except Exception as exc:
            error = f"figures failed ({_describe(exc)}); the numbers are saved in {path}"
            payload["figures"] = []
            payload["plot_error"] = _describe(exc)
        write_json_atomic(path, payload)
        self._record(i, CaseResult(self.cases[i], "failed" if error else status, str(path), error=error,
                                   result=payload["result"]))

    def finish(self, i: int, payload: dict | None, error: str | None) -> None:
        """Save (or record the failure of) a computed case, draw its figures, release it."""
        if error is not None:
            self._record(i, CaseResult(self.cases[i], "failed", None, error=error))
        else:
            folder = self.folder(i)
            folder.mkdir(exist_ok=True)
            path = folder / "result.json"
            write_json_atomic(path, payload)  # the numbers first: a failing figure cannot lose them
            if self.make_plots:
                self._save_figures(i, payload, folder, "done")
            else:
                self._record(i, CaseResult(self.cases[i], "done", str(path), result=payload["result"]))
        self.release(i)
        self.refresh()

    def refresh(self, final: bool = False) -> None:
        if self.bar is not None and not final:
            self.bar.update(1)
        self.summary.write(final=final)

    def saved(self) -> int:
        return sum(read_result(self.folder(i) / "result.json")[0] is not None for i in range(len(self.cases)))


def _open_pool(executor: str, scheduler: str | None, max_workers: int | None):
    if executor in ("serial", "auto"):
        return _SerialPool()
    if executor == "processes":
        return _ProcessPool(max_workers or os.cpu_count() or 1)
    return _DaskPool(scheduler, max_workers)


def _warn(message: str) -> None:
    warnings.warn(message, SpecnumWarning, stacklevel=3)


def run_sweep(
    name: str,
    cases: Sequence[dict],
    outdir: str | os.PathLike,
    *,
    executor: str = "auto",
    scheduler: str | None = None,
    max_workers: int | None = None,
    progress: bool = True,
    make_plots: bool = True,
    log: Callable[[str], None] | None = None,
) -> list[CaseResult]:
    """Run every case of a sweep, skipping those already finished in ``outdir``.

    Parameters
    ----------
    name : str
        A registered experiment (or a dotted module path, see :mod:`~specnum.experiments.registry`).
    cases : sequence of dict
        Parameter sets (see :func:`~specnum.experiments.params.expand_sweep`); missing parameters
        take the experiment's defaults, and repeated sets run once.
    outdir : path
        Results go to ``outdir/cases/<swept keys>_<hash>/`` (result.json and the figures);
        the sweep summary to ``outdir/sweep.{csv,md,html,png}``.
    executor : {"auto", "serial", "processes", "dask"}
        Where the cases run (see the module docstring for the ``auto`` rule). "dask" uses a
        ``dask.distributed.Client`` on ``scheduler`` (a ``LocalCluster`` when None).
    scheduler : str, optional
        Address of a running Dask scheduler.
    max_workers : int, optional
        Worker processes ("processes", "auto") or workers of the local Dask cluster;
        default: the number of cores (2 for Dask).
    progress : bool
        Show a tqdm progress bar.
    make_plots : bool
        Draw each case's figures (the experiment's ``plot``) and the sweep figure.
    log : callable, optional
        Receives one-line notices (a result moved aside, waiting for another run, a
        change of executor); default: a :class:`~specnum.errors.SpecnumWarning`.

    Returns
    -------
    list of CaseResult
        One per case, in the order of ``cases``.

    Raises
    ------
    ValueError
        An unknown experiment, parameter or executor, ``max_workers < 1``, or an ``outdir``
        that cannot be written (all before any case starts).
    SweepInterrupted
        On Ctrl-C, after releasing the claimed cases; finished cases stay saved.

    Examples
    --------
    >>> import tempfile
    >>> cases = [{"runge": r, "quick": True, "nmax": 8, "lmax": 8} for r in (4.0, 9.0)]
    >>> with tempfile.TemporaryDirectory() as out:
    ...     first = run_sweep("bases", cases, out, progress=False, make_plots=False)
    ...     again = run_sweep("bases", cases, out, progress=False, make_plots=False)
    >>> [r.status for r in first], [r.status for r in again]
    (['done', 'done'], ['skipped', 'skipped'])
    """
    as_choice(executor, "executor", EXECUTORS)
    if max_workers is not None:
        max_workers = as_int(max_workers, "max_workers", minimum=1)
    module = load_experiment(name)
    outdir = check_writable(outdir, "outdir")
    log = log or _warn
    defaults = module.DEFAULTS
    for params in cases:
        for key in params:
            if key not in defaults:
                raise ValueError(f"unknown parameter {key!r} of experiment {name!r}{did_you_mean(key, defaults)}")
    cases = [{**defaults, **params} for params in cases]  # a case is identified by all its parameters
    unique: dict[str, int] = {}
    for params in cases:
        unique.setdefault(case_hash(params), len(unique))
    order = [unique[case_hash(p)] for p in cases]
    distinct = list({case_hash(p): dict(p) for p in cases}.values())
    if not distinct:
        return []
    if clean_orphans(outdir):
        log(f"removed temporary files left in {outdir} by an interrupted run")
    sweep = _Sweep(name, module, distinct, outdir, make_plots, log)
    queue = collections.deque(i for i in range(len(distinct)) if not sweep.finished(i))

    from tqdm.auto import tqdm

    sweep.bar = tqdm(total=len(queue), desc=name, disable=not progress or not queue, leave=False)
    sweep.summary.write(final=not queue)
    workers = max_workers or os.cpu_count() or 1
    pool = _open_pool(executor, scheduler, max_workers)
    waiting: list[int] = []
    timed = 0  # cases computed in this process (the first includes compiling the kernels)
    told_waiting = False
    interrupted = False
    try:
        in_flight: dict[Any, int] = {}
        while queue or in_flight or waiting:
            while queue and len(in_flight) < pool.window:
                i = queue.popleft()
                state = sweep.claim(i)
                if state == "busy":
                    waiting.append(i)
                elif state == "figures":
                    sweep.draw(i)
                    sweep.release(i)
                    sweep.refresh()
                elif state == "compute":
                    in_flight[pool.submit(name, distinct[i])] = i
            if in_flight:
                for handle, payload, error in pool.wait(list(in_flight)):
                    sweep.finish(in_flight.pop(handle), payload, error)
                    timed += payload is not None and pool.kind == "serial"
                    if (executor == "auto" and pool.kind == "serial" and timed >= 2
                            and payload["seconds"] >= AUTO_SWITCH_SECONDS and len(queue) >= 2 and workers >= 2):
                        log(f"a case took {payload['seconds']:.1f} s: the other {len(queue)} case(s) go to "
                            f"{min(workers, len(queue))} worker processes")
                        pool = _ProcessPool(min(workers, len(queue)))
                continue
            if waiting:
                if not told_waiting:
                    holders = sorted({lock_holder(sweep.root / f".{sweep.hashes[i]}.lock") or "?" for i in waiting})
                    log(f"waiting for {len(waiting)} case(s) another run is computing (host pid: "
                        f"{', '.join(holders)})")
                    told_waiting = True
                time.sleep(_POLL)
                for i in waiting:
                    if sweep.finished(i):  # the other run saved it
                        sweep.refresh()
                    else:
                        queue.append(i)
                waiting = []
    except KeyboardInterrupt:
        interrupted = True
        pool.close(interrupted=True)
        raise SweepInterrupted(sweep.saved(), len(distinct), outdir) from None
    finally:
        for i in list(sweep.claims):
            sweep.release(i)
        if not interrupted:
            pool.close()
        sweep.bar.close()
        try:
            sweep.summary.write(final=True)
        except Exception as exc:  # the summary must not hide the sweep's own outcome
            log(f"could not write the sweep summary: {_describe(exc)}")
    return [sweep.results[i] for i in order]
