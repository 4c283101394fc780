"""The ``specnum`` command line: ``demo``, ``list``, ``run`` and ``doctor``.

``specnum demo`` runs the headline experiment of every pillar and writes a report
folder; ``specnum list`` shows the registered experiments; ``specnum run NAME
--set key=v1,v2 ...`` runs one experiment or a resumable sweep; ``specnum doctor``
reports the installation and checks (or clears) specnum's on-disk caches.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from specnum._version import __version__
from specnum.experiments.casestore import check_writable, to_jsonable, write_json_atomic
from specnum.experiments.params import expand_sweep, parse_assignments, swept_keys
from specnum.experiments.registry import DEMO_ORDER, EXPERIMENTS, load_experiment
from specnum.experiments.report import write_report
from specnum.experiments.runner import AUTO_SWITCH_SECONDS, EXECUTORS, SweepInterrupted, provenance, run_sweep

__all__ = ["main", "run_demo", "build_parser"]

_RUN_EPILOG = f"""\
values:
  --set n=16,32              a sweep: one case per value (commas separate values)
  --set alphas=[1.5,1.8]     one list value (for parameters whose default is a list)
  --set alphas=[1.5],[1.2,1.8]   a sweep over two list values
  Every value is checked against the type of the parameter's default before any case
  starts; `specnum list` shows the parameters.

output (OUT, default ./specnum-runs/NAME):
  OUT/cases/<swept keys>_<hash>/result.json   each case, written atomically when it finishes,
                                              with its figures beside it
  OUT/sweep.csv, sweep.md, sweep.html         one row per case: parameters, status, headline
                                              numbers (rewritten after every case); sweep.png
                                              plots them against the swept parameter
  Running the same command again skips finished cases; an unreadable result.json is moved
  aside and computed again. Two runs on one OUT split the cases between them. Ctrl-C
  stops with the command that resumes. Exit code: 0 all cases finished, 1 some failed,
  2 bad arguments, 130 interrupted.

executors:
  auto (default)  cases run in this process; once a case other than the first (which
                  includes compiling) takes {AUTO_SWITCH_SECONDS:g} s or more and at least two remain,
                  the rest go to worker processes (one per core).
  serial          cases run in this process, one after the other.
  processes       a pool of worker processes. Each worker pays its own start-up (imports,
                  loading or compiling the numba kernels: seconds), so on a sweep of short
                  cases this is slower than serial (2.5-3x on six sub-second cases).
  dask            a dask.distributed cluster (--scheduler ADDRESS, or a local one).

examples:
  specnum run bases --set runge=4,9,25 --out runs/bases
  specnum run riesz --set quick=true --set alphas=[1.5,1.8] --set spectrum_n=64,128
"""


def run_demo(outdir: str | Path = "specnum-demo", *, quick: bool = False, only: Sequence[str] | None = None,
             progress: bool = True) -> dict:
    """Run the demo experiments, write figures, ``results.json``, ``report.md`` and ``report.html``.

    Parameters
    ----------
    outdir : path
        The report folder (created if needed).
    quick : bool
        Reduced parameters (the whole demo in well under a minute).
    only : str or sequence of str, optional
        A subset of :data:`~specnum.experiments.registry.DEMO_ORDER`.
    progress : bool
        Show a tqdm progress bar.

    Returns
    -------
    dict
        Paths of the written files (``html``, ``markdown``, ``json``) and the entries.

    Raises
    ------
    ValueError
        An unknown experiment name in ``only``, or an ``outdir`` that cannot be
        written (before any work).
    """
    from tqdm.auto import tqdm

    if isinstance(only, str):  # one name, not its characters
        only = [only]
    names = list(only) if only else list(DEMO_ORDER)
    for name in names:
        load_experiment(name)  # validates the name before any work
    root = check_writable(outdir, "outdir")
    entries = []
    bar = tqdm(names, desc="specnum demo", disable=not progress)
    for name in bar:
        bar.set_postfix_str(name)
        module = load_experiment(name)
        params = dict(module.DEFAULTS)
        if "quick" in params:
            params["quick"] = quick
        t0 = time.perf_counter()
        result = to_jsonable(module.run(params))
        seconds = time.perf_counter() - t0
        figdir = root / "figures" / name
        figdir.mkdir(parents=True, exist_ok=True)
        figures = [str(Path(p).resolve().relative_to(root.resolve())) for p in module.plot(result, str(figdir))]
        entries.append({
            "name": name,
            "title": getattr(module, "TITLE", name),
            "payload": {"experiment": name, "provenance": provenance(params), "result": result},
            "figures": figures,
            "seconds": seconds,
        })
    write_json_atomic(root / "results.json", {e["name"]: {**e["payload"], "figures": e["figures"],
                                                           "seconds": e["seconds"]} for e in entries})
    prov = provenance({"quick": quick})
    header = [
        f"specnum {prov['versions']['specnum']}, numpy {prov['versions']['numpy']}, "
        f"scipy {prov['versions']['scipy']}, numba {prov['versions']['numba']}, "
        f"python {prov['versions']['python']}",
        f"{prov['date']} on {prov['machine']['platform']} ({prov['machine']['cpus']} cores)"
        + (", quick run" if quick else ""),
    ]
    paths = write_report(entries, root, "specnum demo report", header)
    return {**paths, "json": str(root / "results.json"), "entries": entries}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``specnum`` command."""
    parser = argparse.ArgumentParser(
        prog="specnum",
        description="specnum: spectral and spline discretizations. Commands: demo (the report of all "
                    "pillars), list (the experiments), run (one experiment or a resumable sweep), "
                    "doctor (installation and caches).")
    parser.add_argument("--version", action="version", version=f"specnum {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    demo = sub.add_parser("demo", help="run every pillar's headline experiment and write a report",
                          description="Run every pillar's headline experiment and write a report folder "
                                      "(report.html, report.md, figures, results.json).")
    demo.add_argument("--out", default="specnum-demo", help="report folder (default: ./specnum-demo)")
    demo.add_argument("--quick", action="store_true", help="reduced run (about 30 s)")
    demo.add_argument("--only", nargs="+", choices=list(DEMO_ORDER), help="run only these sections")
    demo.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    sub.add_parser("list", help="show the registered experiments and their parameters",
                   description="Show the registered experiments with their parameters and defaults.")

    run = sub.add_parser("run", help="run one experiment or a resumable sweep",
                         formatter_class=argparse.RawDescriptionHelpFormatter, epilog=_RUN_EPILOG,
                         description="Run one experiment; a parameter given several values makes a sweep "
                                     "over the product of cases.")
    run.add_argument("name", help="experiment name (see `specnum list`) or a dotted module path")
    run.add_argument("--set", dest="assignments", action="append", default=[], metavar="KEY=VALUE[,VALUE...]",
                     help="set a parameter; several values make a sweep, [a,b] is one list value")
    run.add_argument("--out", default=None, help="output folder (default: ./specnum-runs/NAME)")
    run.add_argument("--executor", choices=EXECUTORS, default="auto",
                     help="where cases run (default auto; see below)")
    run.add_argument("--scheduler", default=None, help="Dask scheduler address (with --executor dask)")
    run.add_argument("--workers", type=int, default=None, help="number of worker processes")
    run.add_argument("--no-plots", action="store_true", help="skip the figures")
    run.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    doctor = sub.add_parser("doctor", help="report the installation; check or clear specnum's caches",
                            description="Report versions and specnum's on-disk caches (numba's compiled "
                                        "kernels; Gaunt tables in a folder given with --tables), and find "
                                        "unreadable cache files. A truncated numba cache file makes every "
                                        "call of its kernel fail (UnpicklingError or EOFError from "
                                        "numba/core/caching.py): --clear removes the files, and numba "
                                        "compiles the kernels again on their next call.")
    doctor.add_argument("--clear", action="store_true", help="delete the cache files found")
    doctor.add_argument("--tables", metavar="DIR", default=None,
                        help="also check (and with --clear delete) the Gaunt tables (specnum_*.npz) in DIR")
    return parser


def _cmd_list() -> int:
    for name in EXPERIMENTS:
        module = load_experiment(name)
        print(f"{name}: {getattr(module, 'DESCRIPTION', '')}")
        for key, value in module.DEFAULTS.items():
            print(f"    {key} = {value!r}")
        if getattr(module, "HEADLINE", None):
            print(f"    headline numbers: {', '.join(module.HEADLINE)}")
    return 0


def _notice(message: str) -> None:
    from tqdm.auto import tqdm

    tqdm.write(f"specnum run: {message}", file=sys.stderr)


def _values_text(values: list) -> str:
    return ", ".join(repr(v) if isinstance(v, str) else str(v) for v in values)


def _cmd_run(args) -> int:
    module = load_experiment(args.name)
    values = parse_assignments(args.assignments, module.DEFAULTS)
    cases = expand_sweep(values)
    if args.scheduler and args.executor != "dask":
        raise ValueError("--scheduler needs --executor dask")
    if args.workers is not None and args.workers < 1:
        raise ValueError(f"--workers must be >= 1, got {args.workers}")
    out = check_writable(Path(args.out) if args.out else Path("specnum-runs") / args.name, "--out")
    swept = swept_keys(cases)
    plan = "; ".join(f"{k} over {_values_text(values[k])}" for k in swept)
    print(f"{args.name}: {len(cases)} case(s){', sweeping ' + plan if plan else ''} -> {out}", flush=True)
    results = run_sweep(args.name, cases, out, executor=args.executor, scheduler=args.scheduler,
                        max_workers=args.workers, progress=not args.no_progress, make_plots=not args.no_plots,
                        log=_notice)
    counts = {s: sum(r.status == s for r in results) for s in ("done", "skipped", "failed")}
    for r in results:
        if r.status == "failed":
            print(f"failed: {r.params}: {r.error.splitlines()[0]}", file=sys.stderr)
    print(f"{args.name}: {len(results)} case(s) in {out}: {counts['done']} done, "
          f"{counts['skipped']} already finished, {counts['failed']} failed; summary in {out / 'sweep.html'}")
    return 1 if counts["failed"] else 0


def _size(n: float) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return ""  # pragma: no cover


def _report_files(label: str, files: list, clear: bool) -> int:
    """Print one cache's state; delete its files with ``clear``; return the number of unreadable files left."""
    from specnum.experiments.caches import remove

    folders = sorted({str(f.path.parent) for f in files})
    print(f"{label}: {len(files)} file(s), {_size(sum(f.size for f in files))}"
          + (f" in {', '.join(folders)}" if folders else ""))
    broken = [f for f in files if f.problem]
    for f in broken:
        print(f"  unreadable: {f.path} ({f.problem})")
    if clear and files:
        freed = remove(files)
        print(f"  removed {len(files)} file(s), {_size(freed)}")
        return 0
    if not broken and files:
        print("  all readable")
    return len(broken)


def _cmd_doctor(args) -> int:
    import platform

    from specnum.experiments.caches import numba_cache_files, table_files

    tables = table_files(args.tables) if args.tables else None  # checks --tables before anything else
    prov = provenance({})
    versions = ", ".join(f"{k} {v}" for k, v in prov["versions"].items() if k != "specnum")
    print(f"specnum {__version__} ({versions}) on {platform.platform()}, {prov['machine']['cpus']} cores")
    print(f"package: {Path(__file__).resolve().parents[1]}")
    broken = _report_files("numba kernel cache", numba_cache_files(), args.clear)
    if tables is None:
        print("Gaunt tables: kept in memory unless a function gets cache_dir=DIR; "
              "check such a folder with --tables DIR")
    else:
        broken += _report_files(f"Gaunt tables in {args.tables}", tables, args.clear)
    if args.clear:
        print("numba compiles the removed kernels again on their next call")
    elif broken:
        print(f"{broken} unreadable cache file(s): run `specnum doctor --clear"
              + (f" --tables {shlex.quote(args.tables)}" if args.tables else "") + "` to remove them")
        return 1
    return 0


def _command_line(argv: Sequence[str]) -> str:
    prog = "python -m specnum" if Path(sys.argv[0]).name == "__main__.py" else "specnum"
    return f"{prog} {shlex.join(argv)}"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``specnum`` console script; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    try:
        if args.command == "demo":
            check_writable(args.out, "--out")
            paths = run_demo(args.out, quick=args.quick, only=args.only, progress=not args.no_progress)
            print(f"report: {paths['html']}\n        {paths['markdown']}\n        {paths['json']}")
            return 0
        if args.command == "list":
            return _cmd_list()
        if args.command == "doctor":
            return _cmd_doctor(args)
        return _cmd_run(args)
    except (ValueError, TypeError) as exc:
        print(f"specnum {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except SweepInterrupted as exc:
        print(f"specnum run: interrupted; {exc.saved} of {exc.total} case(s) saved in {exc.outdir}; "
              f"resume with: {_command_line(argv)}", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print(f"specnum {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
