"""Rendered scenes kept between lesson builds, so that only what changed renders again.

A scene's render is stored under a key made of everything that can change it: the scene and its
module, the render options, the code the render ran (its module and every module of nncore,
lessonmodel and scenes it loaded, as the worker measured; the worker's own render code and the
record's schema, :mod:`lessonmodel.record`, which the stored result is read with), the
versions of Manim and numpy, and the config sections the scene read while rendering
(``LessonScene`` notes them). Change one ``[chain]`` value and only the scenes that read
``[chain]`` render again; edit one scene module and only its scenes do; edit the kit and only the
scenes that use that kit module do; edit the page or the CLI and nothing renders. Entries are
written in a workspace and renamed into place when complete, so an interrupted build leaves no
half entry behind, and an entry in place is never rewritten; builds sharing the folder take
turns (:func:`backprop.lesson_folder.build_lock`). Delete the folder to start afresh.

A stored result that is not of the current shape (written by older code) is never read: its key
differs, and :meth:`RenderResult.from_json <backprop.worker.RenderResult.from_json>` refuses it.

    <root>/<Scene>/<key>/result.json   what the worker returned, paths relative to the entry
    <root>/<Scene>/<key>/media/...     Manim's output for it (section clips, subtitles)
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import shutil
import socket
from importlib import metadata, util
from pathlib import Path

from backprop import worker
from backprop.worker import RenderResult
from lessonmodel import record
from lessonmodel.config import SECTIONS, LessonConfig

__all__ = ["RenderCache"]

KEEP = 3  # entries kept per scene: the one in use and the most recent others
VERSIONS = ("manim", "numpy")  # libraries whose version can change a frame


def _module_file(module: str) -> Path | None:
    """The source file of ``module``, or None if it no longer exists."""
    try:
        spec = util.find_spec(module)
    except (ImportError, ValueError):
        return None
    return Path(spec.origin) if spec and spec.origin and spec.has_location else None


@functools.cache
def _version(library: str) -> str:
    return metadata.version(library)  # reads the package's metadata: slow enough to matter, once


def _relative(result: RenderResult, base: Path) -> RenderResult:
    return result.with_paths(lambda p: str(Path(p).relative_to(base)))


def _absolute(result: RenderResult, base: Path) -> RenderResult:
    return result.with_paths(lambda p: str(base / p))


def _stored(entry: Path) -> RenderResult | None:
    """The result stored in ``entry`` (paths relative to it), or None when there is none, or one
    of another shape (from older code: :class:`~lessonmodel.record.RecordError`)."""
    try:
        return RenderResult.from_json((entry / "result.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):  # RecordError and JSON's errors are ValueErrors
        return None


class RenderCache:
    """Stored renders under ``root`` for one config and one set of render ``options``."""

    def __init__(self, root: Path, config: LessonConfig, options: dict) -> None:
        self.root = Path(root)
        self.config = config
        self.options = options
        self._hashes: dict[str, str] = {}

    def _hash(self, module: str) -> str:
        """The hash of one module's source (``"gone"`` if it no longer exists), once per build."""
        if module not in self._hashes:
            path = _module_file(module)
            self._hashes[module] = hashlib.sha256(path.read_bytes()).hexdigest() if path else "gone"
        return self._hashes[module]

    def key(self, scene: str, module: str, sections: list[str], modules: list[str]) -> str:
        """The key of a render of ``scene`` that read the config ``sections`` and ran ``modules``."""
        payload = {
            "scene": scene,
            "module": module,
            "options": self.options,
            "versions": {name: _version(name) for name in VERSIONS},
            "code": {m: self._hash(m) for m in sorted({*modules, module, worker.__name__, record.__name__})},
            "config": {s: dataclasses.asdict(getattr(self.config, s)) for s in sorted(sections)},
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:20]

    def lookup(self, scene: str, module: str) -> RenderResult | None:
        """The stored result of ``scene`` for this config, code and options, or None."""
        folder = self.root / scene
        if not folder.is_dir():
            return None
        for entry in folder.iterdir():
            if entry.name.startswith(".") or (stored := _stored(entry)) is None:
                continue
            if entry.name == self.key(scene, module, stored.sections_read, stored.modules):
                os.utime(entry)  # most recently used: pruned last
                return _absolute(stored, entry)
        return None

    def last_seconds(self, scene: str) -> float | None:
        """How long the most recent stored render of ``scene`` took (any config or code), if known."""
        folder = self.root / scene
        entries = [e for e in folder.iterdir() if (e / "result.json").is_file()] if folder.is_dir() else []
        for entry in sorted(entries, key=lambda e: (e / "result.json").stat().st_mtime, reverse=True):
            if (stored := _stored(entry)) is not None and stored.seconds:
                return stored.seconds
        return None

    def workspace(self, scene: str) -> Path:
        """A new, empty folder to render ``scene`` in (removed or stored afterwards).

        Named ``.rendering-<pid>-<n>@<host>``: a cache on shared storage is used by processes of
        several machines, and only this machine can tell whether one of its processes is gone.
        """
        folder = self.root / scene
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob(f".rendering-*@{_HOST}"):  # left by a build that was killed
            pid = int(stale.name.split("@")[0].split("-")[1])
            if not _alive(pid):
                shutil.rmtree(stale, ignore_errors=True)
        n = 0
        while True:
            workspace = folder / f".rendering-{os.getpid()}-{n}@{_HOST}"
            try:
                workspace.mkdir()
                return workspace
            except FileExistsError:
                n += 1

    def store(self, scene: str, module: str, workspace: Path, result: RenderResult) -> RenderResult:
        """Keep the render made in ``workspace``; return ``result`` with its paths in the cache."""
        sections = sorted(result.sections_read or SECTIONS)
        entry = self.root / scene / self.key(scene, module, sections, result.modules)
        stored = _relative(dataclasses.replace(result, record=dataclasses.replace(result.record,
                                                                                  sections_read=sections)), workspace)
        (workspace / "result.json").write_text(stored.to_json(), encoding="utf-8")
        try:
            workspace.rename(entry)
        except OSError:  # the same render is stored already (same key): keep that one, whole
            if (kept := _stored(entry)) is None:
                raise
            shutil.rmtree(workspace, ignore_errors=True)
            return _absolute(kept, entry)
        return _absolute(stored, entry)

    def discard_workspaces(self) -> None:
        """Remove this process's workspaces that were not stored (a failed or stopped build)."""
        for workspace in self.root.glob(f"*/.rendering-{os.getpid()}-*@{_HOST}"):
            shutil.rmtree(workspace, ignore_errors=True)

    def prune(self, scene: str, keep: int = KEEP) -> None:
        """Keep the ``keep`` most recently used entries of ``scene``."""
        folder = self.root / scene
        entries = [e for e in folder.iterdir() if not e.name.startswith(".")] if folder.is_dir() else []
        entries.sort(key=lambda e: e.stat().st_mtime, reverse=True)
        for old in entries[keep:]:
            shutil.rmtree(old, ignore_errors=True)


_HOST = socket.gethostname().replace("/", "_")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
