"""The lesson folder on disk: which folder may be replaced, the lock, the scratch folder, the swap.

Nothing is lost:

- A lesson folder is one holding the marker file :data:`MARKER`, which lists every file the
  lesson wrote. ``--out`` may name a new folder, an empty one, or a lesson folder holding only
  the files its marker lists; anything else is refused before anything is written, so no file
  the lesson did not write is ever deleted.
- Builds that share a cache (every build into one parent folder) hold :func:`build_lock` in
  turn: the second waits, saying so. A process holding it may take it again (a class of
  students holds it around its students' lessons, which take it each).
- The new lesson is built in a scratch folder beside the output folder and swapped in with one
  atomic exchange of the two folders (Linux's ``renameat2(RENAME_EXCHANGE)``), so the output
  folder never disappears; where the exchange is unavailable two renames are used, and a build
  killed between them is recovered by the next one (:func:`recover_leftovers`), which also
  removes the scratch folders of killed builds.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import json
import os
import shutil
import signal
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from backprop.errors import Interrupted, LessonError
from backprop.progress import Progress

__all__ = ["MARKER", "LOCK_FILE", "check_output_folder", "build_lock", "recover_leftovers", "scratch_beside",
           "write_marker", "swap"]

MARKER = ".backprop-lesson"  # JSON {"files": [...]}: what makes a folder a lesson folder
LOCK_FILE = ".lock"  # in the cache folder
PREVIOUS = "previous"  # in a scratch folder: the replaced lesson, between the two renames
SWAP_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}  # held off during the swap


def _scratch_prefix(out: Path) -> str:
    return f".{out.name}.building-"


def _written_by_lesson(folder: Path) -> set[str] | None:
    """The files the lesson in ``folder`` wrote, from its marker; None if it has no valid marker."""
    try:
        files = json.loads((folder / MARKER).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return set(files) | {MARKER} if isinstance(files, list) else None


def _foreign_files(folder: Path) -> list[str] | None:
    """Files in ``folder`` its lesson did not write (None: not a lesson folder at all)."""
    written = _written_by_lesson(folder)
    if written is None:
        return None
    return sorted(p.name for p in folder.iterdir() if p.name not in written)


def check_output_folder(out: str | os.PathLike) -> Path:
    """``out`` as an absolute path, refused (:class:`LessonError`) unless the lesson may write it."""
    out = Path(out).resolve()
    if not out.exists():
        for parent in out.parents:  # --out file.txt/sub
            if parent.exists() and not parent.is_dir():
                raise LessonError(f"cannot make the lesson folder {out}: {parent} is a file")
        return out
    if not out.is_dir():
        raise LessonError(f"{out} is a file, not a folder; give --out a new or lesson folder")
    if not any(out.iterdir()):
        return out
    foreign = _foreign_files(out)
    if foreign is None:
        raise LessonError(f"{out} exists and is not a lesson folder (it has no {MARKER} file); "
                          "give --out a new, empty or lesson folder")
    if foreign:
        raise LessonError(f"{out} holds files the lesson did not write ({_names(foreign)}); "
                          "move them out or give --out another folder")
    return out


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:3])
    return shown + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def write_marker(folder: Path) -> None:
    """Mark ``folder`` as a lesson folder, listing the files it holds (all written by the lesson)."""
    files = sorted(p.name for p in folder.iterdir() if p.name != MARKER)
    (folder / MARKER).write_text(json.dumps({"files": files}, indent=1) + "\n", encoding="utf-8")


_IN_PROCESS: dict[Path, threading.RLock] = {}  # per cache: this process's threads take turns too
_DEPTH: dict[Path, int] = {}  # per cache: how many times the thread holding it took it
_GUARD = threading.Lock()


@contextmanager
def build_lock(cache: Path, progress: Progress) -> Iterator[None]:
    """Hold the lock of the builds sharing ``cache``; if another build holds it, say so and wait.
    The thread that holds it may take it again (then it is held until the outermost one ends)."""
    cache.mkdir(parents=True, exist_ok=True)
    key = cache.resolve()
    with _GUARD:
        in_process = _IN_PROCESS.setdefault(key, threading.RLock())
    with in_process:
        depth = _DEPTH.get(key, 0)
        _DEPTH[key] = depth + 1
        try:
            if depth:
                yield
            else:
                with _file_lock(cache, progress):
                    yield
        finally:
            _DEPTH[key] = depth


@contextmanager
def _file_lock(cache: Path, progress: Progress) -> Iterator[None]:
    """The lock between processes: ``flock`` on :data:`LOCK_FILE` in ``cache``, with our pid in it."""
    with open(cache / LOCK_FILE, "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "?"
            progress.note(f"waiting for another build (process {holder}) that uses {cache} to finish")
            fcntl.flock(lock, fcntl.LOCK_EX)
        lock.seek(0)
        lock.truncate()
        lock.write(str(os.getpid()))
        lock.flush()
        try:
            yield
        finally:
            lock.truncate(0)
            fcntl.flock(lock, fcntl.LOCK_UN)


def recover_leftovers(out: Path, progress: Progress) -> None:
    """Remove the scratch folders of builds that were killed (call it holding :func:`build_lock`:
    then no other build of ``out`` runs). A lesson left between the two renames of a swap goes
    back to ``out`` first."""
    if not out.parent.is_dir():
        return
    for scratch in sorted(out.parent.glob(_scratch_prefix(out) + "*")):
        previous = scratch / PREVIOUS
        if not out.exists() and previous.is_dir() and _written_by_lesson(previous) is not None:
            previous.rename(out)
            progress.note(f"put back the lesson {out} that an interrupted build had moved aside")
        shutil.rmtree(scratch, ignore_errors=True)


@contextmanager
def scratch_beside(out: Path) -> Iterator[tuple[Path, Path]]:
    """A temporary folder beside ``out``: (the new lesson folder, a work folder), removed after."""
    out.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=_scratch_prefix(out), dir=out.parent))
    try:
        (scratch / out.name).mkdir()
        (scratch / "work").mkdir()
        yield scratch / out.name, scratch / "work"
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def swap(new: Path, out: Path) -> None:
    """Put the lesson folder ``new`` where ``out`` is (the replaced lesson goes where ``new`` was),
    with Ctrl-C, SIGTERM and SIGHUP held off meanwhile; one that arrived takes effect after."""
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, SWAP_SIGNALS)
    try:
        if out.exists():
            foreign = _foreign_files(out)
            if foreign is None or foreign:  # changed while the lesson rendered
                check_output_folder(out)
            if not _exchange(new, out):
                out.rename(new.parent / PREVIOUS)
                new.rename(out)
        else:
            new.rename(out)
    finally:
        try:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        except (KeyboardInterrupt, Interrupted):
            pass  # the new lesson is already in place


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_libc = ctypes.CDLL(None, use_errno=True)
_renameat2 = getattr(_libc, "renameat2", None)


def _exchange(a: Path, b: Path) -> bool:
    """Exchange two folders atomically; False where the system cannot (then nothing changed)."""
    if _renameat2 is None:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))
