"""`specnum doctor`: finds unreadable numba cache files and Gaunt tables, and clears them.

numba trusts its cache: a truncated index (``.nbi``) makes every later call of the
kernel fail until the file is deleted. The first test shows that failure in a fresh
interpreter, then that ``doctor`` finds the file and that clearing it cures the kernel.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from specnum.experiments import caches
from specnum.experiments.cli import main

KERNEL = textwrap.dedent("""
    from numba import njit

    @njit(cache=True)
    def add_one(x):
        return x + 1
""")


@pytest.fixture
def kernel_module(tmp_path, monkeypatch):
    """A one-kernel module in its own folder, called once so that numba cached it there."""
    name = f"doctor_kernel_{tmp_path.name.replace('-', '_')}"
    (tmp_path / f"{name}.py").write_text(KERNEL)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    module = importlib.import_module(name)
    assert module.add_one(1) == 2
    yield module
    sys.modules.pop(name, None)


def call_in_fresh_interpreter(module) -> subprocess.CompletedProcess:
    folder = module.__file__.rsplit("/", 1)[0]
    code = f"import sys; sys.path.insert(0, {folder!r}); import {module.__name__} as m; print(m.add_one(1))"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_truncated_numba_index_is_found_and_clearing_cures_it(kernel_module):
    files = caches.numba_cache_files([kernel_module])
    assert sorted(f.path.suffix for f in files) == [".nbc", ".nbi"]
    assert all(f.problem is None and f.size > 0 for f in files)
    (index,) = [f.path for f in files if f.path.suffix == ".nbi"]
    index.write_bytes(index.read_bytes()[:10])
    broken = call_in_fresh_interpreter(kernel_module)
    assert broken.returncode != 0 and "UnpicklingError" in broken.stderr  # numba does not recover
    (found,) = [f for f in caches.numba_cache_files([kernel_module]) if f.problem]
    assert found.path == index and "UnpicklingError" in found.problem
    caches.remove(caches.numba_cache_files([kernel_module]))
    assert caches.numba_cache_files([kernel_module]) == []
    cured = importlib.reload(kernel_module)  # a new dispatcher, which looks at the disk cache again
    assert cured.add_one(1) == 2
    assert [f.problem for f in caches.numba_cache_files([cured])] == [None, None]  # cached afresh


def test_empty_index_and_truncated_data_are_found(kernel_module):
    files = caches.numba_cache_files([kernel_module])
    for f in files:
        data = f.path.read_bytes()
        f.path.write_bytes(b"" if f.path.suffix == ".nbi" else data[: len(data) // 2])
    problems = {f.path.suffix: f.problem for f in caches.numba_cache_files([kernel_module])}
    assert problems[".nbi"] == "empty file"
    assert "pickle exhausted" in problems[".nbc"] or "Error" in problems[".nbc"]


def test_gaunt_tables_are_checked(tmp_path):
    good = tmp_path / "specnum_gaunt_sh2f_4.npz"
    np.savez(good, count=1, t0=np.arange(5.0))
    bad = tmp_path / "specnum_gaunt_sh2f_5.npz"
    bad.write_bytes(good.read_bytes()[:-40])
    (tmp_path / ".specnum_gaunt_sh2f_6.123.tmp.npz").write_bytes(b"partial")
    (tmp_path / "someone_else.npz").write_bytes(b"not ours")
    found = {f.path.name: f.problem for f in caches.table_files(tmp_path)}
    assert found.keys() == {good.name, bad.name, ".specnum_gaunt_sh2f_6.123.tmp.npz"}
    assert found[good.name] is None and found[bad.name] and "temporary" in found[".specnum_gaunt_sh2f_6.123.tmp.npz"]
    with pytest.raises(ValueError, match="--tables must be an existing directory"):
        caches.table_files(tmp_path / "missing")


def test_doctor_reports_then_clears(kernel_module, tmp_path, monkeypatch, capsys):
    real = caches.numba_cache_files  # never touch the package's own kernel cache from a test
    monkeypatch.setattr(caches, "numba_cache_files", lambda modules=None, **kw: real([kernel_module], **kw))
    tables = tmp_path / "tables"
    tables.mkdir()
    (tables / "specnum_gaunt_f2sh_4_9.npz").write_bytes(b"PK\x03\x04 truncated")
    index = next(f.path for f in caches.numba_cache_files() if f.path.suffix == ".nbi")
    index.write_bytes(b"")
    assert main(["doctor", "--tables", str(tables)]) == 1
    out = capsys.readouterr().out
    assert f"unreadable: {index} (empty file)" in out and "specnum_gaunt_f2sh_4_9.npz" in out
    assert f"specnum doctor --clear --tables {tables}" in out
    assert main(["doctor", "--clear", "--tables", str(tables)]) == 0
    assert "removed 2 file(s)" in capsys.readouterr().out
    assert not list(tables.iterdir()) and caches.numba_cache_files() == []
    assert main(["doctor"]) == 0
    assert main(["doctor", "--tables", str(tmp_path / "missing")]) == 2


def test_doctor_on_the_package_finds_its_kernel_modules(capsys):
    names = {m.__name__ for m in caches.kernel_modules()}
    assert {"specnum.bases._chebyshev_kernels", "specnum.gaunt._kernels"} <= names
    assert all(n.endswith("kernels") for n in names)
    assert main(["doctor"]) == 0  # the package's caches are readable (this only reads them)
    out = capsys.readouterr().out
    assert out.startswith("specnum ") and "numba kernel cache:" in out and "Gaunt tables" in out
