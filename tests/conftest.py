"""Shared helpers: run the CLI and Manim as a user would, render scenes small and fast."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def run(args: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run a command of the installed project with the test's Python environment."""
    full_env = {k: v for k, v in os.environ.items() if k != "BACKPROP_CONFIG"} | (env or {})
    return subprocess.run(args, capture_output=True, text=True, env=full_env, cwd=cwd, timeout=600)


@pytest.fixture
def write_config(tmp_path):
    """Write TOML text (or bytes) to a file and return its path."""

    def write(content: str | bytes, name: str = "lesson.toml") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
        return path

    return write


def render_scene(name: str, media_dir: Path, config_path: Path | None = None, monkeypatch=None):
    """Render scene ``name`` in this process at a tiny size and return the scene object."""
    import scenes
    from manim import tempconfig

    if config_path is not None:
        monkeypatch.setenv("BACKPROP_CONFIG", str(config_path))
    elif monkeypatch is not None:
        monkeypatch.delenv("BACKPROP_CONFIG", raising=False)
    small = {
        "media_dir": str(media_dir),
        "pixel_width": 192,
        "pixel_height": 108,
        "frame_rate": 5,
        "disable_caching": True,
        "verbosity": "WARNING",
        "progress_bar": "none",
    }
    with tempconfig(small):
        scene = getattr(scenes, name)()
        scene.render()
    return scene
