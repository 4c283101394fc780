"""`specnum run` in one process: figures, list values, unreadable results, orphans, names, modes, summary.

Most tests use the test-only experiment ``tests.experiments.tiny_experiment``
(total = x * sum(ns), exact in float64), which logs each computation.
"""

from __future__ import annotations

import csv
import json
import os
import socket

import pytest

from specnum.experiments import runner
from specnum.experiments.casestore import case_dirname, case_hash, read_result
from specnum.experiments.cli import main
from specnum.experiments.params import parse_assignments
from specnum.experiments.runner import run_sweep

TINY = "tests.experiments.tiny_experiment"
PNG = b"\x89PNG\r\n\x1a\n"


def folder_of(out, params):
    """The folder of a case: named after the hash of all its parameters (defaults filled in)."""
    from tests.experiments.tiny_experiment import DEFAULTS

    (folder,) = (out / "cases").glob(f"*{case_hash({**DEFAULTS, **params})}")
    return folder


def computed(log) -> list[dict]:
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def tiny(log, **params):
    return {"x": 1.0, "ns": [1, 2], "label": "a", "sleep": 0.0, "fail": False, "plot_fail": False,
            "log": str(log), **params}


def test_sweep_with_plots_writes_every_case_figure_and_the_sweep_figure(tmp_path):
    pytest.importorskip("matplotlib")
    cases = [tiny("", x=x) for x in (1.0, 2.0, 3.0)]
    res = run_sweep(TINY, cases, tmp_path, progress=False)
    assert [r.status for r in res] == ["done"] * 3
    for params, r in zip(cases, res):
        folder = folder_of(tmp_path, params)
        payload = json.loads((folder / "result.json").read_text())
        assert payload["figures"] == ["ns.png"] and "plot_error" not in payload
        assert (folder / "ns.png").read_bytes()[:8] == PNG
        assert r.result["total"] == 3.0 * params["x"]  # x * (1 + 2)
    assert (tmp_path / "sweep.png").read_bytes()[:8] == PNG
    from specnum.plotting.figures import read_caption

    assert "Headline numbers of" in read_caption(tmp_path / "sweep.png") and "against x" in read_caption(
        tmp_path / "sweep.png")
    html = (tmp_path / "sweep.html").read_text()
    assert "data:image/png;base64," in html
    rows = list(csv.DictReader((tmp_path / "sweep.csv").open()))
    assert [(float(r["x"]), float(r["total"]), float(r["mean"])) for r in rows] == [
        (x, 3.0 * x, 1.5 * x) for x in (1.0, 2.0, 3.0)]


def test_real_experiment_sweep_writes_its_pngs(tmp_path):
    """The `bases` experiment at its smallest sizes, through the command line, plots on."""
    pytest.importorskip("matplotlib")
    assert main(["run", "bases", "--out", str(tmp_path), "--no-progress", "--set", "quick=true",
                 "--set", "nmax=8", "--set", "lmax=8", "--set", "runge=4,9"]) == 0
    folders = sorted((tmp_path / "cases").iterdir())
    assert [f.name.split("_")[0] for f in folders] == ["runge-4", "runge-9"]
    for folder in folders:
        figures = json.loads((folder / "result.json").read_text())["figures"]
        assert len(figures) == 2
        assert all((folder / f).read_bytes()[:8] == PNG for f in figures)


def test_a_failing_figure_is_a_failure_and_keeps_the_numbers(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    argv = ["run", TINY, "--out", str(tmp_path), "--no-progress", "--set", "plot_fail=false,true"]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "figures failed" in err and "this figure was asked to fail" in err
    (folder,) = (tmp_path / "cases").glob("plot_fail-True_*")
    payload = json.loads((folder / "result.json").read_text())
    assert payload["result"]["total"] == 3.0 and payload["figures"] == []
    assert "asked to fail" in payload["plot_error"]
    assert main(argv) == 1  # figures are tried again, the numbers are not recomputed
    assert "1 already finished, 1 failed" in capsys.readouterr().out


def test_missing_figures_are_drawn_from_saved_numbers(tmp_path):
    pytest.importorskip("matplotlib")
    log = tmp_path / "log"
    cases = [tiny(log, x=2.0)]
    run_sweep(TINY, cases, tmp_path / "out", progress=False, make_plots=False)
    assert not list((tmp_path / "out").rglob("*.png"))
    res = run_sweep(TINY, cases, tmp_path / "out", progress=False)
    assert res[0].status == "skipped" and len(computed(log)) == 1
    assert (folder_of(tmp_path / "out", cases[0]) / "ns.png").read_bytes()[:8] == PNG


def test_list_valued_parameter_sweep(tmp_path, capsys):
    log = tmp_path / "log"
    argv = ["run", TINY, "--out", str(tmp_path / "out"), "--no-progress", "--no-plots",
            "--set", "ns=[1,2,3],[4]", "--set", f"log={log}", "--set", "x=0.5"]
    assert main(argv) == 0
    assert "sweeping ns over [1, 2, 3], [4]" in capsys.readouterr().out
    rows = list(csv.DictReader((tmp_path / "out" / "sweep.csv").open()))
    assert [(r["ns"], float(r["total"]), float(r["mean"])) for r in rows] == [("[1, 2, 3]", 3.0, 1.0),
                                                                           ("[4]", 2.0, 2.0)]
    assert sorted(f.name.split("_")[0] for f in (tmp_path / "out" / "cases").iterdir()) == ["ns-1+2+3", "ns-4"]
    assert sorted(c["ns"] for c in computed(log)) == [[1, 2, 3], [4]]


def test_list_syntax_and_types_are_checked_before_any_case(tmp_path, capsys):
    defaults = {"ns": [1, 2], "alphas": [1.5], "flags": [True], "x": 1.0, "label": "a"}
    assert parse_assignments(["ns=[1,2],3"], defaults)["ns"] == [[1, 2], [3]]
    assert parse_assignments(["alphas=[1,2.5]"], defaults)["alphas"] == [[1.0, 2.5]]
    assert parse_assignments(["flags=[yes,off]"], defaults)["flags"] == [[True, False]]
    assert parse_assignments(["x=1,1.0,2"], defaults)["x"] == [1.0, 2.0]  # repeated values run once
    assert parse_assignments(["label=p,q"], defaults)["label"] == ["p", "q"]
    for bad, message in [("ns=[1,2.5]", "'ns' expects int"), ("ns=[1,[2]]", "nested lists"),
                         ("ns=[1,2", "unbalanced"), ("ns=1]", "unbalanced"), ("x=[1,2]", "not a list"),
                         ("ns=[1,,2]", "empty element"), ("ns=", "empty value"), ("alphas=[inf]", "finite")]:
        with pytest.raises(ValueError, match=message):
            parse_assignments([bad], defaults)
    log = tmp_path / "log"
    # the second value of x is wrong: nothing runs, not even the first case
    assert main(["run", TINY, "--out", str(tmp_path / "o"), "--set", f"log={log}", "--set", "x=1,two"]) == 2
    assert "'x' expects a finite float, got 'two'" in capsys.readouterr().err
    assert not log.exists() and not (tmp_path / "o").exists()


def test_unreadable_result_is_moved_aside_named_and_recomputed(tmp_path):
    log = tmp_path / "log"
    cases = [tiny(log, x=x) for x in (1.0, 2.0, 3.0)]
    run_sweep(TINY, cases, tmp_path / "out", progress=False, make_plots=False)
    truncated = folder_of(tmp_path / "out", cases[0]) / "result.json"
    text = truncated.read_text()
    truncated.write_text(text[: len(text) // 2])
    empty = folder_of(tmp_path / "out", cases[1]) / "result.json"
    empty.write_text("")
    notices = []
    res = run_sweep(TINY, cases, tmp_path / "out", progress=False, make_plots=False, log=notices.append)
    assert [r.status for r in res] == ["done", "done", "skipped"]
    assert [c["x"] for c in computed(log)] == [1.0, 2.0, 3.0, 1.0, 2.0]
    for path, x, why in ((truncated, 1.0, "not valid JSON"), (empty, 2.0, "empty file")):
        (note,) = [n for n in notices if str(path) in n]
        assert why in note and "result.json.unreadable-1" in note
        assert (path.parent / "result.json.unreadable-1").exists()
        assert read_result(path)[0]["result"]["total"] == 3.0 * x


def test_orphan_temporary_files_are_removed_on_the_next_run(tmp_path):
    cases = [tiny("", x=1.0), tiny("", x=2.0)]
    out = tmp_path / "out"
    run_sweep(TINY, cases, out, progress=False, make_plots=False)
    (folder_of(out, cases[0]) / "result.json").unlink()  # unfinished, with a writer's leftover
    dead = 2**22 + 12345  # above Linux's default pid_max: no such process
    host = socket.gethostname()
    for folder in (folder_of(out, cases[0]), out):
        (folder / f".tmp-{host}.{dead}.0123abcd.json").write_text("{")
    alive = out / f".tmp-{host}.{os.getpid()}.0123abcd.csv"  # a live writer's file stays
    alive.write_text("x")
    notices = []
    run_sweep(TINY, cases, out, progress=False, make_plots=False, log=notices.append)
    assert sorted(p.name for p in out.rglob(".tmp-*")) == [alive.name]
    assert len(notices) == 2 and all("removed temporary files" in n for n in notices)


def test_result_files_follow_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        run_sweep(TINY, [tiny("")], tmp_path, progress=False, make_plots=False)
    finally:
        os.umask(old)
    for path in [next(tmp_path.rglob("result.json")), tmp_path / "sweep.csv", tmp_path / "sweep.md"]:
        assert path.stat().st_mode & 0o777 == 0o644, path


def test_folder_names_keep_every_swept_key():
    params = {"a_rather_long_parameter_name": [1.5] * 40, "another_long_parameter_name": "x" * 100, "n": 3}
    keys = ["a_rather_long_parameter_name", "another_long_parameter_name", "n"]
    name = case_dirname(params, keys)
    assert name.startswith("a_rather_long_parameter_name-1.5+1.5")
    assert "_another_long_parameter_name-xxxx" in name and "_n-3_" in name
    assert name.endswith(case_hash(params)) and len(name) < 255
    other = dict(params, another_long_parameter_name="x" * 99 + "y")  # same readable part, other case
    assert case_dirname(other, keys) != name


def test_cli_version_help_and_did_you_mean(capsys):
    import subprocess
    import sys

    for flag in ("--version", "--help"):  # the console entry point, as a user calls it
        proc = subprocess.run([sys.executable, "-m", "specnum", flag], capture_output=True, text=True)
        assert proc.returncode == 0
    assert proc.stdout.startswith("usage: specnum")
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.strip() == "specnum " + __import__("specnum").__version__
    for args in ([], ["run"], ["demo"], ["doctor"], ["list"]):
        with pytest.raises(SystemExit):
            main([*args, "--help"])
        text = capsys.readouterr().out
        assert "usage: specnum" in text
        for markup in ("``", ":func:", ":mod:", ":data:", ".. "):
            assert markup not in text, (args, markup)
    assert main(["run", "rieszz"]) == 2
    assert "did you mean 'riesz'?" in capsys.readouterr().err
    assert main(["run", "bases", "--set", "rnge=3"]) == 2
    assert "did you mean 'runge'?" in capsys.readouterr().err


def test_unwritable_out_is_refused_before_any_work(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    log = tmp_path / "log"
    assert main(["run", TINY, "--out", str(blocker / "sub"), "--set", f"log={log}"]) == 2
    assert "--out: cannot write to the folder" in capsys.readouterr().err and not log.exists()
    assert main(["demo", "--quick", "--no-progress", "--out", str(blocker / "sub")]) == 2
    assert "cannot write to the folder" in capsys.readouterr().err


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_out_is_refused_before_any_work(tmp_path, capsys):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        assert main(["run", TINY, "--out", str(ro)]) == 2
        assert main(["demo", "--quick", "--no-progress", "--out", str(ro)]) == 2
    finally:
        ro.chmod(0o755)
    assert capsys.readouterr().err.count("cannot write to the folder") == 2


def test_auto_executor_moves_long_sweeps_to_processes(tmp_path, monkeypatch):
    log = tmp_path / "log"
    cases = [tiny(log, x=float(x)) for x in range(5)]
    notices = []
    short = run_sweep(TINY, cases[:2], tmp_path / "short", progress=False, make_plots=False, log=notices.append)
    assert [r.status for r in short] == ["done", "done"] and notices == []  # short cases stay serial
    monkeypatch.setattr(runner, "AUTO_SWITCH_SECONDS", 0.0)
    # the first case starts numba's parallel runtime in this process: the workers must not be its forks
    cases = [dict(c, parallel=True) for c in cases]
    res = run_sweep(TINY, cases, tmp_path / "long", progress=False, make_plots=False, max_workers=2,
                    log=notices.append)
    assert [r.result["total"] for r in res] == [0.0, 3.0, 6.0, 9.0, 12.0]
    assert len(notices) == 1 and "3 case(s) go to 2 worker processes" in notices[0]
    where = [c["pid"] for c in computed(log)[2:]]  # the first two lines are the short sweep's
    assert where[:2] == [os.getpid()] * 2 and os.getpid() not in where[2:]  # the first case is not timed
