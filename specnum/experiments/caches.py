"""specnum's on-disk caches, checked and cleared by ``specnum doctor``.

Two kinds of files persist between runs:

- numba's compiled kernels: every ``@njit(cache=True)`` kernel of the ``*kernels.py``
  modules keeps an index (``.nbi``) and data files (``.nbc``) in the ``__pycache__``
  folder beside its source, or under ``NUMBA_CACHE_DIR`` / numba's user cache folder
  when that is not writable. numba trusts these files: a truncated index makes every
  later call of the kernel fail with ``UnpicklingError: pickle data was truncated``
  or ``EOFError: Ran out of input``, and numba offers no recovery. Removing the files
  is safe: numba compiles the kernels again on their next call.
- Gaunt tables (``specnum_*.npz``), written only into a folder the caller passes as
  ``cache_dir=``; specnum has no default table folder.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import pickle
import pickletools
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

__all__ = ["CacheFile", "kernel_modules", "numba_cache_files", "table_files", "check_numba_file", "remove"]


@dataclass(frozen=True)
class CacheFile:
    """One cache file: its path, size in bytes and what is wrong with it (None when readable)."""

    path: Path
    size: int
    problem: str | None = None


def kernel_modules() -> list[ModuleType]:
    """Import and return specnum's numba kernel modules (the files named ``*kernels.py``)."""
    root = Path(__file__).resolve().parents[1]
    names = sorted(".".join(("specnum", *p.relative_to(root).with_suffix("").parts))
                   for p in root.rglob("*kernels.py") if "__pycache__" not in p.parts)
    return [importlib.import_module(name) for name in names]


def _locations(module: ModuleType) -> set[tuple[Path, str]]:
    """(cache folder, file stem) pairs where numba keeps the module's kernels."""
    stem = Path(module.__file__).stem
    found = set()
    for obj in vars(module).values():
        cache_path = getattr(getattr(obj, "_cache", None), "_cache_path", None)
        if cache_path and hasattr(obj, "py_func"):
            found.add((Path(cache_path), stem))
    return found or {(Path(module.__file__).parent / "__pycache__", stem)}


def check_numba_file(path: str | Path) -> str | None:
    """Why numba could not read the cache file ``path`` (None when it can).

    An index (``.nbi``) is read the way numba reads it: a pickled numba version, then
    (for the running version) the pickled index. A data file (``.nbc``) is walked
    opcode by opcode without executing it.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
        if not data:
            return "empty file"
        if path.suffix == ".nbi":
            import numba

            stream = io.BytesIO(data)
            if pickle.load(stream) == numba.__version__:  # other versions' files numba ignores
                pickle.loads(stream.read())
        else:
            for _ in pickletools.genops(data):
                pass
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def _entry(path: Path, problem: str | None) -> CacheFile:
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    return CacheFile(path, size, problem)


def numba_cache_files(modules: Iterable[ModuleType] | None = None, *, check: bool = True) -> list[CacheFile]:
    """The numba cache files of ``modules`` (default: :func:`kernel_modules`), each checked if ``check``."""
    modules = kernel_modules() if modules is None else list(modules)
    files = set()
    for module in modules:
        for folder, stem in _locations(module):
            if folder.is_dir():
                files.update(folder.glob(f"{stem}.*.nbi"))
                files.update(folder.glob(f"{stem}.*.nbc"))
    return [_entry(p, check_numba_file(p) if check else None) for p in sorted(files)]


def table_files(folder: str | Path) -> list[CacheFile]:
    """The Gaunt table files (``specnum_*.npz`` and their leftover temporaries) in ``folder``, checked.

    Raises
    ------
    ValueError
        If ``folder`` is not an existing directory.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ValueError(f"--tables must be an existing directory, got {str(folder)!r}")
    out = []
    for path in sorted({*folder.glob("specnum_*.npz"), *folder.glob(".specnum_*.npz")}):
        problem = "leftover temporary file" if path.name.startswith(".") else None
        if problem is None:
            try:
                with zipfile.ZipFile(path) as archive:
                    bad = archive.testzip()
                if bad is not None:
                    problem = f"checksum mismatch in {bad}"
            except (OSError, zipfile.BadZipFile, EOFError) as exc:
                problem = f"{type(exc).__name__}: {exc}"
        out.append(_entry(path, problem))
    return out


def remove(files: Iterable[CacheFile]) -> int:
    """Delete ``files``; return the number of bytes freed."""
    freed = 0
    for entry in files:
        with contextlib.suppress(FileNotFoundError):
            entry.path.unlink()
            freed += entry.size
    return freed
