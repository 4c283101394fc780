"""The command line, sweeps (atomic, resumable, failure-tolerant) and executors."""

from __future__ import annotations

import json

import pytest

from specnum.experiments.casestore import case_hash
from specnum.experiments.cli import main, run_demo
from specnum.experiments.params import expand_sweep, parse_assignments
from specnum.experiments.runner import run_sweep


def case_folder(outdir, params):
    """The folder of a case: its name ends with the hash of its parameters."""
    (folder,) = (outdir / "cases").glob(f"*{case_hash(params)}")
    return folder


QUICK = ["--set", "quick=true", "--set", "lmax=8", "--set", "nmax=16", "--no-progress", "--no-plots"]


def test_parse_assignments_types_and_errors():
    defaults = {"degree": 2, "alpha": 1.5, "quick": False, "label": "a"}
    values = parse_assignments(["degree=2,3", "alpha=1.2", "quick=yes", "label=x,y"], defaults)
    assert values == {"degree": [2, 3], "alpha": [1.2], "quick": [True], "label": ["x", "y"]}
    assert len(expand_sweep(values)) == 4
    with pytest.raises(ValueError, match="unknown parameter 'deg'"):
        parse_assignments(["deg=2"], defaults)
    with pytest.raises(ValueError, match="'degree' expects int"):
        parse_assignments(["degree=two"], defaults)
    with pytest.raises(ValueError, match="key=value"):
        parse_assignments(["degree"], defaults)
    with pytest.raises(ValueError, match="'alpha' expects a finite float"):
        parse_assignments(["alpha=nan"], defaults)


def test_case_hash_is_stable_and_distinct():
    assert case_hash({"a": 1, "b": 2.0}) == case_hash({"b": 2.0, "a": 1})
    assert case_hash({"a": 1}) != case_hash({"a": 2})


def test_sweep_resumes_and_isolates_failures(tmp_path):
    base = {"runge": 25.0, "nmax": 16, "lmax": 8, "quick": True}
    cases = [dict(base, runge=r) for r in (4.0, 25.0)]
    first = run_sweep("bases", cases, tmp_path, progress=False, make_plots=False)
    assert [r.status for r in first] == ["done", "done"]
    # the same command again recomputes nothing
    again = run_sweep("bases", cases, tmp_path, progress=False, make_plots=False)
    assert [r.status for r in again] == ["skipped", "skipped"]
    assert again[0].result == first[0].result
    # a bad case fails alone, with its parameters; the good new case still runs
    more = cases + [dict(base, runge=-1.0), dict(base, runge=9.0)]
    third = run_sweep("bases", more, tmp_path, progress=False, make_plots=False)
    assert [r.status for r in third] == ["skipped", "skipped", "failed", "done"]
    assert "runge" in third[2].error
    assert not list(tmp_path.rglob(".tmp-*")), "temporary files left behind"
    saved = json.loads((case_folder(tmp_path, more[3]) / "result.json").read_text())
    assert saved["provenance"]["params"]["runge"] == 9.0
    assert {"numpy", "scipy", "numba", "specnum"} <= set(saved["provenance"]["versions"])


def test_cli_run_list_and_errors(tmp_path, capsys):
    assert main(["list"]) == 0
    assert "bases" in capsys.readouterr().out
    assert main(["run", "bases", "--out", str(tmp_path), *QUICK, "--set", "runge=4,9"]) == 0
    assert "2 case(s)" in capsys.readouterr().out
    assert main(["run", "bases", "--out", str(tmp_path), *QUICK, "--set", "runge=4,9"]) == 0
    assert "2 already finished" in capsys.readouterr().out
    assert main(["run", "nosuch"]) == 2
    assert "experiment must be one of" in capsys.readouterr().err
    assert main(["run", "bases", "--set", "nmax=abc"]) == 2
    assert "'nmax' expects int" in capsys.readouterr().err
    assert main(["run", "bases", "--out", str(tmp_path), *QUICK, "--set", "runge=-1"]) == 1


def test_interrupted_sweep_resumes_without_recomputing(tmp_path, monkeypatch):
    """An interruption (Ctrl-C) mid-sweep loses nothing finished and recomputes nothing on re-run."""
    import specnum.experiments.runner as runner

    cases = [{"runge": r, "nmax": 16, "lmax": 8, "quick": True} for r in (1.0, 2.0, 3.0)]
    real_run_case = runner.run_case
    calls = []

    def interrupted(name, params):
        calls.append(params["runge"])
        if params["runge"] == 2.0:
            raise KeyboardInterrupt
        return real_run_case(name, params)

    monkeypatch.setattr(runner, "run_case", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_sweep("bases", cases, tmp_path, progress=False, make_plots=False)
    assert calls == [1.0, 2.0]
    assert (case_folder(tmp_path, cases[0]) / "result.json").exists()
    assert not list((tmp_path / "cases").glob(f"*{case_hash(cases[1])}"))

    calls.clear()
    monkeypatch.setattr(runner, "run_case", lambda name, params: calls.append(params["runge"]) or
                        real_run_case(name, params))
    resumed = run_sweep("bases", cases, tmp_path, progress=False, make_plots=False)
    assert [r.status for r in resumed] == ["skipped", "done", "done"]
    assert calls == [2.0, 3.0]


def test_run_demo_only_takes_one_name_or_a_list(tmp_path):
    pytest.importorskip("matplotlib")
    out = run_demo(tmp_path, quick=True, only="bases", progress=False)  # a name, not its letters
    assert [e["name"] for e in out["entries"]] == ["bases"]
    with pytest.raises(ValueError, match="experiment"):
        run_demo(tmp_path / "x", only=["nosuch"], progress=False)
    assert not (tmp_path / "x").exists()  # refused before any work
