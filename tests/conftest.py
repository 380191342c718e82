"""Shared helpers: run the CLI and Manim as a user would, render scenes small and fast."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
# Typst output, keyed by source hash: one folder per test process (pytest-xdist's workers would
# race on one, Manim writing a file another is reading)
TYPESET_CACHE = ROOT / "media" / ".test-typeset-cache" / os.environ.get("PYTEST_XDIST_WORKER", "main")
CONFIGS = ROOT / "tests" / "configs"  # the test configs, one TOML file each


def config_file(name: str) -> Path | None:
    """The test config ``tests/configs/<name>.toml``; None (the shipped default) for ``"default"``."""
    if name == "default":
        return None
    path = CONFIGS / f"{name}.toml"
    assert path.is_file(), f"no test config {path}"
    return path


def run(args: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run a command of the installed project with the test's Python environment."""
    full_env = {k: v for k, v in os.environ.items() if k != "BACKPROP_CONFIG"} | (env or {})
    return subprocess.run(args, capture_output=True, text=True, env=full_env, cwd=cwd, timeout=600)


def video_packets(path: Path) -> list[bytes]:
    """The encoded video packets of a file, to tell a copied stream from a re-encoded one."""
    import av

    with av.open(str(path)) as container:
        return [bytes(packet) for packet in container.demux(video=0) if packet.size]


def heap_filled_with(byte: int) -> dict[str, str]:
    """The environment that gives a process other leftovers in its heap: glibc fills each block
    malloc hands out with ``byte`` (xor 255). A render must not depend on them (x264 read some:
    :mod:`lessonvideo.filled_heap`)."""
    return {"GLIBC_TUNABLES": f"glibc.malloc.perturb={byte}"}


def manim_cli(media: Path, *extra: str) -> list[str]:
    """The ``manim render`` command of NeuronChain, tiny, into ``media``, as a user types it."""
    return [str(BIN / "manim"), "render", "-ql", "-r", "192,108", "--fps", "5",
            "--media_dir", str(media), *extra, "scenes/neuron_chain.py", "NeuronChain"]


@pytest.fixture(scope="session")
def cli_render(tmp_path_factory) -> Path:
    """NeuronChain rendered by the ``manim`` command with its sections, once per test session (a
    cold Manim start costs seconds): the media folder. Copy it before changing anything in it."""
    media = tmp_path_factory.mktemp("cli") / "media"
    result = run(manim_cli(media, "--save_sections"), env=heap_filled_with(85), cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    return media


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


def render_scene(
    name: str, media_dir: Path, config_path: Path | None = None, monkeypatch=None, size=(192, 108), movie=True
):
    """Render scene ``name`` in this process at a tiny size and return the scene object.

    ``movie=False`` skips the frames and writes only the last one: every animation still runs to
    its end state, so numbers and layouts are recorded, in a fraction of the time.
    """
    from manim import tempconfig

    import scenes

    if config_path is not None:
        monkeypatch.setenv("BACKPROP_CONFIG", str(config_path))
    elif monkeypatch is not None:
        monkeypatch.delenv("BACKPROP_CONFIG", raising=False)
    small = {
        "media_dir": str(media_dir),
        "tex_dir": str(TYPESET_CACHE),  # shared by the tests run in this process: typeset once
        "pixel_width": size[0],
        "pixel_height": size[1],
        "frame_rate": 5,
        "disable_caching": True,
        "verbosity": "WARNING",
        "progress_bar": "none",
    }
    if not movie:
        small |= {"save_last_frame": True, "write_to_movie": False}
    with tempconfig(small):
        scene = getattr(scenes, name)()
        scene.render()
    return scene


def assert_layout_ok(scene, margin: float = 0.05) -> None:
    """After every animation, each formula lies inside the frame and no two formulas overlap."""
    from manim import config

    half_w, half_h = config.frame_width / 2, config.frame_height / 2
    assert any(scene.layouts), "no formula was ever on screen"
    for moment, layout in enumerate(scene.layouts):
        for source, box in layout:
            assert box.left >= -half_w - 1e-6 and box.right <= half_w + 1e-6, f"leaves the frame sideways: {source}"
            assert box.bottom >= -half_h - 1e-6 and box.top <= half_h + 1e-6, f"leaves the frame vertically: {source}"
        for i, (s1, b1) in enumerate(layout):
            for s2, b2 in layout[i + 1 :]:
                across = min(b1.right, b2.right) - max(b1.left, b2.left)
                up = min(b1.top, b2.top) - max(b1.bottom, b2.bottom)
                assert not (across > margin and up > margin), f"after animation {moment}: {s1!r} overlaps {s2!r}"


def pytest_addoption(parser):
    parser.addoption(
        "--update-references",
        action="store_true",
        help="rewrite the visual-regression reference images from the current renders",
    )
