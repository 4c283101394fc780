"""`specnum run` against real processes: SIGKILL at any moment, Ctrl-C, two runs on one folder.

Each test starts the command line in subprocesses on the test-only experiment
``tests.experiments.tiny_experiment``, which logs every computation (with its
process id) to a file, so the tests can count how often each case was computed.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.skipif(os.name != "posix", reason="signals and flock are POSIX")

ROOT = Path(__file__).resolve().parents[2]
TINY = "tests.experiments.tiny_experiment"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

# Runs the command line with one write of a case result stopped by SIGKILL, at the
# moment given by argv[1]: "mid-write" (half of the JSON text written) or
# "before-rename" (the file complete and fsynced, not yet renamed). argv[2] is the
# 1-based index of the result write to stop; argv[3:] the command line.
HOOKED = """
import json, os, signal, sys
mode, nth = sys.argv[1], int(sys.argv[2])
seen = [0]

def is_case_result(obj):
    return isinstance(obj, dict) and "result" in obj and "provenance" in obj

real_dump, real_replace = json.dump, os.replace

def dump(obj, fh, **kw):
    if mode == "mid-write" and is_case_result(obj):
        seen[0] += 1
        if seen[0] == nth:
            text = json.dumps(obj, **kw)
            fh.write(text[: len(text) // 2])
            fh.flush()
            os.fsync(fh.fileno())
            os.kill(os.getpid(), signal.SIGKILL)
    return real_dump(obj, fh, **kw)

def replace(src, dst, *args, **kw):
    if mode == "before-rename" and str(dst).endswith("result.json"):
        seen[0] += 1
        if seen[0] == nth:
            os.kill(os.getpid(), signal.SIGKILL)
    return real_replace(src, dst, *args, **kw)

json.dump, os.replace = dump, replace
from specnum.experiments.cli import main
sys.exit(main(sys.argv[3:]))
"""


def command(out: Path, log: Path, xs, sleep: float) -> list[str]:
    return ["run", TINY, "--out", str(out), "--no-progress", "--no-plots", "--executor", "serial",
            "--set", "x=" + ",".join(str(float(x)) for x in xs), "--set", f"sleep={sleep}", "--set", f"log={log}"]


def _default_sigint() -> None:
    """In the child: SIGINT as a terminal gives it. A test run started in the background by a
    shell without job control inherits SIGINT ignored, and so would every run it starts."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def specnum(args: list[str], **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "specnum", *args], cwd=ROOT, env=ENV, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=_default_sigint, **kw)


def computed(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def saved(out: Path) -> dict[str, str]:
    """Every result.json present, by folder; each must be a complete result."""
    found = {}
    for path in (out / "cases").glob("*/result.json"):
        text = path.read_text()
        assert json.loads(text)["result"]["total"] is not None, path  # never a partial file
        found[path.parent.name] = text
    return found


def wait_for(predicate, timeout: float = 60.0) -> None:
    end = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.01)


def finish_and_check(out: Path, log: Path, xs, sleep: float, before: dict[str, str]) -> None:
    """Run the sweep to the end; nothing saved before is lost or recomputed; no leftovers."""
    done_before = len(computed(log))
    proc = specnum(command(out, log, xs, sleep))
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    after = saved(out)
    assert len(after) == len(xs)
    for name, text in before.items():
        assert after[name] == text, f"{name} was rewritten"
    # only the unsaved cases were computed again, each once
    again = sorted(c["x"] for c in computed(log)[done_before:])
    finished_before = {json.loads(t)["result"]["total"] / 3.0 for t in before.values()}
    assert again == sorted(set(map(float, xs)) - finished_before)
    assert not list(out.rglob(".tmp-*")), "orphan temporary files"
    assert not list(out.rglob("*.lock")), "lock files left"
    for text in after.values():
        payload = json.loads(text)
        assert payload["result"]["total"] == 3.0 * payload["provenance"]["params"]["x"]


@pytest.mark.parametrize("mode", ["mid-write", "before-rename"])
def test_sigkill_during_a_result_write_loses_nothing_and_leaves_no_orphan(tmp_path, mode):
    out, log, xs = tmp_path / "out", tmp_path / "log", [1, 2, 3, 4]
    proc = subprocess.run([sys.executable, "-c", HOOKED, mode, "3", *command(out, log, xs, 0.0)],
                          cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    before = saved(out)
    assert len(before) == 2  # the first two cases are saved, the third was being written
    assert len(list(out.glob("cases/*/.tmp-*"))) == 1, "the hook did not stop inside an atomic write"
    finish_and_check(out, log, xs, 0.0, before)


def test_sigkill_at_random_moments(tmp_path):
    rng = np.random.default_rng(20261202)
    out, log, xs = tmp_path / "out", tmp_path / "log", list(range(1, 9))
    for round_ in range(2):
        proc = specnum(command(out, log, xs, 0.05))
        target = len(saved(out)) + int(rng.integers(1, 3))

        def reached(proc=proc, target=target):
            return len(list(out.glob("cases/*/result.json"))) >= target or proc.poll() is not None

        wait_for(reached)
        time.sleep(float(rng.uniform(0.0, 0.06)))  # anywhere inside the next case or its write
        proc.kill()
        proc.communicate()
        assert len(saved(out)) < len(xs), f"round {round_}: the run finished before the kill"
    finish_and_check(out, log, xs, 0.05, saved(out))


def test_ctrl_c_prints_the_resume_line_and_exits_130(tmp_path):
    out, log, xs = tmp_path / "out", tmp_path / "log", [1, 2, 3, 4]
    args = command(out, log, xs, 0.4)
    proc = specnum(args)
    wait_for(lambda: any(out.glob("cases/*/result.json")))
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "Traceback" not in stderr
    (line,) = stderr.strip().splitlines()
    n_saved = len(saved(out))
    assert f"interrupted; {n_saved} of 4 case(s) saved in {out}; resume with: " in line
    resume = shlex.split(line.split("resume with: ")[1])
    assert resume[:3] == ["python", "-m", "specnum"] and resume[3:] == args
    proc = specnum(resume[3:])  # the printed command resumes the sweep
    stdout, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0 and f"{n_saved} already finished" in stdout


def test_ctrl_c_in_a_terminal_stops_the_worker_processes_too(tmp_path):
    """A terminal sends SIGINT to the whole process group: workers ignore it, the run stops them."""
    out, log, xs = tmp_path / "out", tmp_path / "log", [1, 2, 3, 4, 5, 6]
    args = command(out, log, xs, 1.0)
    args[args.index("serial")] = "processes"
    proc = specnum([*args, "--workers", "2"], start_new_session=True)
    wait_for(lambda: len(computed(log)) >= 2)  # both workers busy
    os.killpg(proc.pid, signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1 and "resume with: " in stderr
    started = len(computed(log))
    time.sleep(1.5)  # a surviving worker would start (and log) the next case
    assert len(computed(log)) == started < len(xs)
    assert not list(out.rglob("*.lock")) and not list(out.rglob(".tmp-*"))


def test_two_runs_on_one_folder_compute_each_case_once(tmp_path):
    out, log, xs = tmp_path / "out", tmp_path / "log", list(range(1, 9))
    first = specnum(command(out, log, xs, 0.3))
    wait_for(lambda: any(out.glob("cases/*/result.json")))
    second = specnum(command(out, log, xs, 0.3))
    outputs = [p.communicate(timeout=120) for p in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], outputs
    runs = computed(log)
    assert sorted(c["x"] for c in runs) == [float(x) for x in xs]  # every case exactly once
    assert len({c["pid"] for c in runs}) == 2  # and both runs did some of them
    for stdout, _ in outputs:  # each run ends with the whole sweep finished
        assert "8 case(s)" in stdout.splitlines()[-1] and " 0 failed" in stdout
    assert len(saved(out)) == 8 and not list(out.rglob("*.lock"))


def test_a_run_and_a_dask_run_on_one_folder_compute_each_case_once(tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    from specnum.experiments.runner import run_sweep

    out, log, xs = tmp_path / "out", tmp_path / "log", list(range(1, 7))
    # workers as threads of this process start in a second; the claims are made by the client either way
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        serial = specnum(command(out, log, xs, 0.3))
        wait_for(lambda: any(out.glob("cases/*/result.json")))
        cases = [{"x": float(x), "sleep": 0.3, "log": str(log)} for x in xs]
        failing = {"x": 99.0, "fail": True, "log": str(log)}  # only in this run: a failure comes back from a worker
        res = run_sweep(TINY, cases + [failing], out, executor="dask", scheduler=cluster.scheduler_address,
                        progress=False, make_plots=False, log=lambda message: None)
    assert serial.wait(timeout=120) == 0
    assert [r.result["total"] for r in res[:-1]] == [3.0 * x for x in xs]
    assert res[-1].status == "failed" and "asked to fail" in res[-1].error
    runs = computed(log)
    assert sorted(c["x"] for c in runs) == [float(x) for x in xs] + [99.0]  # every case exactly once
    assert len({c["pid"] for c in runs}) == 2  # the serial run and the Dask workers
