"""The ``specnum`` command line: ``demo``, ``list`` and ``run``.

``specnum demo`` runs the headline experiment of every pillar and writes a report
folder; ``specnum list`` shows the registered experiments; ``specnum run NAME
--set key=v1,v2 ...`` runs one experiment or a resumable sweep.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from specnum.experiments.registry import DEMO_ORDER, EXPERIMENTS, load_experiment
from specnum.experiments.report import write_report
from specnum.experiments.runner import (
    EXECUTORS,
    expand_sweep,
    parse_assignments,
    provenance,
    run_sweep,
    to_jsonable,
    write_json_atomic,
)

__all__ = ["main", "run_demo", "build_parser"]


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
        An unknown experiment name in ``only`` (before any work).
    """
    from tqdm.auto import tqdm

    if isinstance(only, str):  # one name, not its characters
        only = [only]
    names = list(only) if only else list(DEMO_ORDER)
    for name in names:
        load_experiment(name)  # validates the name before any work
    root = Path(outdir)
    root.mkdir(parents=True, exist_ok=True)
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
    parser = argparse.ArgumentParser(prog="specnum", description=__doc__.splitlines()[0])
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

    run = sub.add_parser("run", help="run one experiment or a sweep",
                         description="Run one experiment; a parameter given several comma-separated values "
                                     "makes a sweep over the product of cases. Finished cases are skipped on "
                                     "re-run, so an interrupted sweep resumes.")
    run.add_argument("name", help="experiment name (see `specnum list`)")
    run.add_argument("--set", dest="assignments", action="append", default=[], metavar="KEY=VALUE[,VALUE...]",
                     help="set a parameter; several values make a sweep")
    run.add_argument("--out", default=None, help="output folder (default: ./specnum-runs/NAME)")
    run.add_argument("--executor", choices=EXECUTORS, default="serial", help="where cases run (default serial)")
    run.add_argument("--scheduler", default=None, help="Dask scheduler address (with --executor dask)")
    run.add_argument("--workers", type=int, default=None, help="number of worker processes")
    run.add_argument("--no-plots", action="store_true", help="skip the figures")
    run.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    return parser


def _cmd_list() -> int:
    for name in EXPERIMENTS:
        module = load_experiment(name)
        print(f"{name}: {getattr(module, 'DESCRIPTION', '')}")
        for key, value in module.DEFAULTS.items():
            print(f"    {key} = {value!r}")
    return 0


def _cmd_run(args) -> int:
    module = load_experiment(args.name)
    cases = expand_sweep(parse_assignments(args.assignments, module.DEFAULTS))
    if args.scheduler and args.executor != "dask":
        raise ValueError("--scheduler needs --executor dask")
    if args.workers is not None and args.workers < 1:
        raise ValueError(f"--workers must be >= 1, got {args.workers}")
    out = Path(args.out) if args.out else Path("specnum-runs") / args.name
    results = run_sweep(args.name, cases, out, executor=args.executor, scheduler=args.scheduler,
                        max_workers=args.workers, progress=not args.no_progress, make_plots=not args.no_plots)
    counts = {s: sum(r.status == s for r in results) for s in ("done", "skipped", "failed")}
    for r in results:
        if r.status == "failed":
            print(f"failed: {r.params}: {r.error.splitlines()[0]}", file=sys.stderr)
    print(f"{args.name}: {len(results)} case(s) in {out}: {counts['done']} done, "
          f"{counts['skipped']} already finished, {counts['failed']} failed")
    return 1 if counts["failed"] else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``specnum`` console script; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "demo":
            paths = run_demo(args.out, quick=args.quick, only=args.only, progress=not args.no_progress)
            print(f"report: {paths['html']}\n        {paths['markdown']}\n        {paths['json']}")
            return 0
        if args.command == "list":
            return _cmd_list()
        return _cmd_run(args)
    except (ValueError, TypeError) as exc:
        print(f"specnum {args.command}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
