"""The on-disk store of a sweep: case folders, atomic writes, claims, unreadable results, orphans.

Layout of an output folder::

    OUT/sweep.csv, sweep.md, sweep.html, sweep.png   the whole sweep (see summary.py)
    OUT/cases/<swept keys>_<hash>/result.json         one finished case (+ its figures)
    OUT/cases/.<hash>.lock                            held while a run computes that case

A case is identified by the hash of all its parameters; the readable part of
the folder name only helps a person find it. A case is finished exactly when
its ``result.json`` parses: a folder without one, or with an unreadable one,
is unfinished (an unreadable file is moved aside under a new name).

Writes go to a temporary file named ``.tmp-<host>.<pid>.<token><suffix>`` in
the same folder, which is flushed, fsynced and renamed over the target, so a
reader sees the old file or the new one, never a part. A run that is killed
between write and rename leaves such a file behind; the next run removes it
(in a claimed case folder always, elsewhere when its writer is gone).

A case is claimed by an exclusive, non-blocking ``flock`` on its lock file.
The operating system drops the lock when its holder exits, even on SIGKILL,
so a lock left by a dead run is never an obstacle.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import re
import secrets
import socket
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np

__all__ = [
    "to_jsonable",
    "case_hash",
    "case_dirname",
    "check_writable",
    "atomic_writer",
    "write_json_atomic",
    "write_text_atomic",
    "read_result",
    "move_aside",
    "clean_orphans",
    "CaseClaim",
    "try_claim",
    "lock_holder",
]

_TMP = re.compile(r"^\.tmp-(?P<host>.+)\.(?P<pid>\d+)\.(?P<token>[0-9a-f]{8})(\.\w+)?$")
_VALUE_CHARS = 24  # longest value text kept in a folder name (the hash keeps cases apart)
_FOREIGN_TMP_AGE = 24 * 3600.0  # seconds after which a temporary file of another host is an orphan


def to_jsonable(obj: Any) -> Any:
    """Recursively convert numpy scalars/arrays (and tuples) to JSON-ready Python objects.

    Non-finite floats become ``None`` (NaN) or the strings ``"inf"``/``"-inf"``.

    Examples
    --------
    >>> to_jsonable({"a": np.arange(2), "b": (np.float64(0.5), float("inf"))})
    {'a': [0, 1], 'b': [0.5, 'inf']}
    """
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist())
    if isinstance(obj, np.generic):
        return to_jsonable(obj.item())
    if isinstance(obj, float) and not np.isfinite(obj):
        return None if np.isnan(obj) else ("inf" if obj > 0 else "-inf")
    return obj


def case_hash(params: Mapping[str, Any]) -> str:
    """Ten hex digits identifying a parameter set (independent of key order).

    Examples
    --------
    >>> case_hash({"a": 1, "b": 2.0}) == case_hash({"b": 2.0, "a": 1})
    True
    """
    text = json.dumps(to_jsonable(dict(params)), sort_keys=True)
    return hashlib.sha1(text.encode()).hexdigest()[:10]


def _value_text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        text = "+".join(_value_text(v) for v in value)
    elif isinstance(value, float):
        text = f"{value:g}"
    else:
        text = str(value)
    text = "".join(c if c.isalnum() or c in "-.+" else "-" for c in text)
    return text if len(text) <= _VALUE_CHARS else text[: _VALUE_CHARS - 1] + "~"


def case_dirname(params: Mapping[str, Any], keys: list[str] | tuple[str, ...] = ()) -> str:
    """Folder name of a case: ``key-value`` for each of ``keys`` in order, then :func:`case_hash`.

    Keys are never shortened; a value longer than 24 characters is cut (marked ``~``).

    Examples
    --------
    >>> case_dirname({"alphas": [1.5, 1.8], "n": 16}, ["alphas"])
    'alphas-1.5+1.8_a17d4c12ad'
    """
    parts = []
    for key in keys:
        safe_key = "".join(c if c.isalnum() or c in "-_." else "-" for c in str(key))
        parts.append(f"{safe_key}-{_value_text(params[key])}")
    parts.append(case_hash(params))
    return "_".join(parts)


def check_writable(path: str | os.PathLike, what: str = "--out") -> Path:
    """Create the folder ``path`` if needed and prove it writable by writing a file there.

    Returns
    -------
    Path
        The folder.

    Raises
    ------
    ValueError
        Naming ``what`` and the folder when it cannot be created or written.
    """
    folder = Path(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / _tmp_name(".probe")
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ValueError(f"{what}: cannot write to the folder {str(folder)!r} ({reason})") from None
    return folder


def _tmp_name(suffix: str) -> str:
    return f".tmp-{socket.gethostname()}.{os.getpid()}.{secrets.token_hex(4)}{suffix}"


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike, mode: str = "w") -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success flush, fsync and rename it to ``path``.

    The file is created with mode 0666 minus the umask (usually 0644). On any
    exception the temporary file is removed and ``path`` is untouched.
    """
    path = Path(path)
    tmp = path.with_name(_tmp_name(path.suffix))
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, mode) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_json_atomic(path: str | os.PathLike, data: Any) -> None:
    """Write ``data`` (made JSON-ready by :func:`to_jsonable`) to ``path`` atomically."""
    with atomic_writer(path) as fh:
        json.dump(to_jsonable(data), fh, indent=1)


def write_text_atomic(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` to ``path`` atomically."""
    with atomic_writer(path) as fh:
        fh.write(text)


def read_result(path: str | os.PathLike) -> tuple[dict | None, str | None]:
    """Read a case's ``result.json``.

    Returns
    -------
    (payload, problem)
        ``(dict, None)`` for a readable result; ``(None, None)`` when there is no
        file; ``(None, reason)`` when the file exists but is not a result (empty,
        truncated, not JSON, no ``"result"`` entry).
    """
    path = Path(path)
    try:
        text = path.read_text()
    except FileNotFoundError:
        return None, None
    except (OSError, UnicodeDecodeError) as exc:
        return None, f"{type(exc).__name__}: {exc}"
    if not text.strip():
        return None, "empty file"
    try:
        payload = json.loads(text)
    except ValueError as exc:
        return None, f"not valid JSON ({exc})"
    if not isinstance(payload, dict) or "result" not in payload:
        return None, "no 'result' entry"
    return payload, None


def move_aside(path: str | os.PathLike) -> Path:
    """Rename an unreadable file to ``<name>.unreadable-<k>`` (first free k); return the new path."""
    path = Path(path)
    for k in itertools.count(1):
        target = path.with_name(f"{path.name}.unreadable-{k}")
        if not target.exists():
            os.replace(path, target)
            return target
    raise AssertionError("unreachable")  # pragma: no cover


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_orphans(folder: str | os.PathLike, *, claimed: bool = False) -> list[Path]:
    """Remove temporary files left in ``folder`` by killed writers; return the removed paths.

    With ``claimed=True`` (the caller holds the folder's case claim, so nobody else
    writes there) every ``.tmp-*`` file goes. Otherwise a file goes when its writer
    is known to be gone: same host and a process id that no longer runs, or another
    host and older than a day.
    """
    removed = []
    folder = Path(folder)
    if not folder.is_dir():
        return removed
    host = socket.gethostname()
    for path in folder.glob(".tmp-*"):
        match = _TMP.match(path.name)
        gone = claimed
        if not gone and match:
            if match["host"] == host:
                gone = not _pid_alive(int(match["pid"]))
            else:
                with contextlib.suppress(OSError):
                    gone = time.time() - path.stat().st_mtime > _FOREIGN_TMP_AGE
        if gone:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed.append(path)
    return removed


@dataclass
class CaseClaim:
    """An exclusive claim on one case, held through an open, locked file descriptor."""

    path: Path
    fd: int

    def release(self) -> None:
        """Remove the lock file and drop the lock (idempotent)."""
        if self.fd < 0:
            return
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)
        os.close(self.fd)
        self.fd = -1


def lock_holder(path: str | os.PathLike) -> str:
    """The ``host pid`` text a claim wrote into its lock file ('' when unknown)."""
    try:
        return Path(path).read_text().strip()
    except OSError:
        return ""


def try_claim(path: str | os.PathLike) -> CaseClaim | None:
    """Claim the lock file ``path`` without waiting; None when another process holds it.

    The lock is an exclusive ``flock``, released by the operating system when the
    holder exits for any reason. After locking, the path must still name the
    locked file (a holder may remove it just before releasing); if not, try again.
    """
    import fcntl

    path = Path(path)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return None
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if not same:
            os.close(fd)
            continue
        os.ftruncate(fd, 0)
        os.write(fd, f"{socket.gethostname()} {os.getpid()}\n".encode())
        return CaseClaim(path, fd)
