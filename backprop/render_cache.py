"""Rendered scenes kept between lesson builds, so that only what changed renders again.

A scene's render is stored under a key made of everything that can change it: the scene and its
module, the render options, the source of nncore, scenes and backprop, Manim's version, and the
config sections the scene read while rendering (``LessonScene`` notes them). Change one
``[chain]`` value and only the scenes that read ``[chain]`` render again; change nothing and
nothing renders. Entries are written in a workspace and renamed into place when complete, so an
interrupted build leaves no half entry behind. Delete the folder to start afresh.

    <root>/<Scene>/<key>/result.json   what the worker returned, paths relative to the entry
    <root>/<Scene>/<key>/media/...     Manim's output for it (section clips, subtitles)
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import socket
from importlib import metadata, util
from pathlib import Path

from backprop.worker import RenderResult
from lessonmodel.config import SECTIONS, LessonConfig

__all__ = ["RenderCache"]

KEEP = 3  # entries kept per scene: the one in use and the most recent others
PACKAGES = ("nncore", "lessonmodel", "scenes", "scenes.kit", "backprop")


def _source_files(module: str) -> list[Path]:
    """Every file whose content can change a render of a scene in ``module``."""
    files: list[Path] = []
    for package in PACKAGES:
        folder = Path(util.find_spec(package).origin).parent
        files += sorted(folder.glob("*.py")) + sorted(folder.glob("*.toml"))
    spec = util.find_spec(module)
    if spec and spec.origin and Path(spec.origin) not in files:
        files.append(Path(spec.origin))
    return files


def _relative(result: RenderResult, base: Path) -> dict:
    return _map_paths(result.to_dict(), lambda p: str(Path(p).relative_to(base)))


def _absolute(stored: dict, base: Path) -> RenderResult:
    return RenderResult.from_dict(_map_paths(stored, lambda p: str(base / p)))


def _map_paths(result: dict, change) -> dict:
    result = json.loads(json.dumps(result))
    for section in result["sections"]:
        section["video"] = change(section["video"])
    if result.get("srt"):
        result["srt"] = change(result["srt"])
    return result


class RenderCache:
    """Stored renders under ``root`` for one config and one set of render ``options``."""

    def __init__(self, root: Path, config: LessonConfig, options: dict) -> None:
        self.root = Path(root)
        self.config = config
        self.options = options
        self._code: dict[str, str] = {}

    def _code_hash(self, module: str) -> str:
        if module not in self._code:
            digest = hashlib.sha256(metadata.version("manim").encode())
            for path in _source_files(module):
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
            self._code[module] = digest.hexdigest()
        return self._code[module]

    def key(self, scene: str, module: str, sections: list[str]) -> str:
        """The key of a render of ``scene`` that read the config ``sections``."""
        payload = {
            "scene": scene,
            "module": module,
            "options": self.options,
            "code": self._code_hash(module),
            "config": {s: dataclasses.asdict(getattr(self.config, s)) for s in sorted(sections)},
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:20]

    def lookup(self, scene: str, module: str) -> RenderResult | None:
        """The stored result of ``scene`` for this config, code and options, or None."""
        folder = self.root / scene
        if not folder.is_dir():
            return None
        for entry in folder.iterdir():
            meta = entry / "result.json"
            if entry.name.startswith(".") or not meta.is_file():
                continue
            stored = json.loads(meta.read_text(encoding="utf-8"))
            if entry.name == self.key(scene, module, stored["sections_read"]):
                os.utime(entry)  # most recently used: pruned last
                return _absolute(stored, entry)
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
        entry = self.root / scene / self.key(scene, module, sections)
        stored = _relative(result, workspace) | {"sections_read": sections}
        (workspace / "result.json").write_text(json.dumps(stored, indent=1), encoding="utf-8")
        try:
            workspace.rename(entry)
        except OSError:
            if not (entry / "result.json").is_file():
                raise
            # Another process stored the same render first (same key, same bytes): use its entry.
            shutil.rmtree(workspace, ignore_errors=True)
            stored = json.loads((entry / "result.json").read_text(encoding="utf-8"))
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
