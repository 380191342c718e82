"""Files the build makes from rendered clips (posters, the joined video, the handout), kept between
builds by a key of their inputs, so that a rebuild with nothing changed makes none of them again.

Each file is kept like a render: in a folder named by the hash of what went into it (the input
files, by identity; the other inputs; the source of the code that makes it; the versions of the
libraries it uses), written in a scratch folder and renamed into place when complete, never
rewritten. Builds sharing the cache take turns (:func:`backprop.lesson_folder.build_lock`).

    <root>/<slot>/<key>/<name>        the file
    <root>/<slot>/<key>/meta.json     what its maker returned besides it (a clip's duration...)

A *slot* is the place a file has in the lesson ("poster/CostTree/the_tree", "handout"); each slot
keeps its :data:`KEEP` most recently used files, like the render cache.

Kept files and clips go into the lesson folder as reflinks where the file system allows (btrfs,
XFS: no bytes copied), else as copies made in the kernel (tens of milliseconds for the lesson at
480p); never as hard links, with which editing a file of the lesson folder would edit the cache's.
A kept file's identity (:func:`file_identity`) is read from the cache, never from the lesson folder.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import json
import os
import shutil
from collections import Counter
from importlib import metadata, util
from pathlib import Path
from typing import Callable

__all__ = ["KEEP", "DerivedFiles", "file_identity", "place"]

KEEP = 3  # files kept per slot: the one in use and the most recent others
FICLONE = 0x40049409  # Linux ioctl: make the target a reflink of the source (btrfs, XFS, ...)


def file_identity(path: Path) -> list[int]:
    """What identifies the bytes of a file the build never rewrites (a clip in the render cache, a
    kept file, a hard link to one), without reading it: its device, inode, size and modification
    time. A copy has another identity: then what was made from it is made again, never wrongly
    reused."""
    info = Path(path).stat()
    return [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns]


def place(source: Path, target: Path) -> None:
    """Put a copy of ``source`` at ``target``: a reflink (the file system shares the blocks until
    either file is written) where the file system allows, else a copy made in the kernel. Never a
    hard link: editing a lesson file in place must not change the cache's."""
    with open(source, "rb") as src, open(target, "xb") as dst:
        try:
            fcntl.ioctl(dst.fileno(), FICLONE, src.fileno())
            return
        except OSError:
            pass
    shutil.copyfile(source, target)


@functools.cache
def _version(library: str) -> str:
    return metadata.version(library)  # reads the package's metadata: slow enough to matter, once


def _code_hash(modules: tuple[str, ...]) -> dict[str, str]:
    hashes = {}
    for module in modules:
        spec = util.find_spec(module)
        origin = Path(spec.origin) if spec and spec.origin and spec.has_location else None
        hashes[module] = hashlib.sha256(origin.read_bytes()).hexdigest() if origin else "gone"
    return hashes


class DerivedFiles:
    """Kept files under ``root``. ``made`` and ``reused`` count, per kind (a slot's first part),
    the files this build made and the ones it found kept."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.made: Counter[str] = Counter()
        self.reused: Counter[str] = Counter()
        self._code: dict[tuple[str, ...], dict[str, str]] = {}

    def get(self, slot: str, name: str, inputs: dict, make: Callable[[Path], dict | None], *,
            code: tuple[str, ...], libraries: tuple[str, ...] = ()) -> tuple[Path, dict]:
        """The file ``name`` of ``slot`` made from ``inputs`` (JSON values; input files by
        :func:`file_identity`) by ``code`` (module names) with ``libraries``: kept, or made now by
        ``make(path)``, which writes it and may return facts to keep beside it (JSON).
        Returns the kept file and those facts."""
        if code not in self._code:
            self._code[code] = _code_hash(code)
        payload = {"name": name, "inputs": inputs, "code": self._code[code],
                   "versions": {lib: _version(lib) for lib in libraries}}
        key = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:24]
        entry = self.root / slot / key
        kind = slot.split("/")[0]
        if (entry / "meta.json").is_file():
            os.utime(entry)  # most recently used: pruned last
            self.reused[kind] += 1
            return entry / name, json.loads((entry / "meta.json").read_text(encoding="utf-8"))
        entry.parent.mkdir(parents=True, exist_ok=True)
        scratch = entry.parent / f".making-{os.getpid()}-{key}"
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir()
        try:
            facts = make(scratch / name) or {}
            (scratch / "meta.json").write_text(json.dumps(facts), encoding="utf-8")  # last: marks it whole
            scratch.rename(entry)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        self.made[kind] += 1
        return entry / name, facts

    def prune(self, keep: int = KEEP) -> None:
        """Keep the ``keep`` most recently used files of every slot; remove scratch folders left by
        builds that were killed (call it holding the build lock)."""
        if not self.root.is_dir():
            return
        for slot in sorted({meta.parent.parent for meta in self.root.rglob("meta.json")}):
            entries = [e for e in slot.iterdir() if not e.name.startswith(".")]
            entries.sort(key=lambda e: e.stat().st_mtime, reverse=True)
            for old in entries[keep:]:
                shutil.rmtree(old, ignore_errors=True)
            for stale in slot.glob(".making-*"):
                shutil.rmtree(stale, ignore_errors=True)

    def summary(self) -> str:
        """One line: what this build made and what it reused."""
        kinds = sorted(set(self.made) | set(self.reused))
        return "; ".join(f"{kind}: {self.made[kind]} made, {self.reused[kind]} reused" for kind in kinds)
