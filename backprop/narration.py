"""The narration's cues for a config, without rendering video: ``backprop narration --list``.

Each scene runs with Manim skipping its frames (every animation jumps to its end), which records
the same cues, with the same ids, as a full render. A teacher records ``DIR/<id>.wav`` for each and
renders with ``--voice recorded:DIR``.
"""

from __future__ import annotations

import importlib
import os
import tempfile
from typing import Iterator

import scenes
from backprop.errors import LessonError
from lessonmodel.config import load_config

__all__ = ["narration_cues"]


def narration_cues(config: str | os.PathLike | None, only: list[str] | None = None) -> Iterator[tuple[str, list]]:
    """(scene, [(cue id, text), ...]) for each scene of the lesson, in story order."""
    from manim import tempconfig

    from scenes.kit.lesson_scene import use_config

    unknown = [n for n in only or [] if n not in scenes.LESSON]
    if unknown:
        raise LessonError(f"unknown scene(s) {', '.join(unknown)}; the lesson has: {', '.join(scenes.LESSON)}")
    use_config(load_config(config))  # validated once (a bad one: one line): every scene shows this very config
    try:
        yield from _cues(only, tempconfig)
    finally:
        use_config(None)


def _cues(only: list[str] | None, tempconfig) -> Iterator[tuple[str, list]]:
    with tempfile.TemporaryDirectory(prefix="backprop-narration-") as media:
        settings = {"media_dir": media, "save_last_frame": True, "write_to_movie": False, "disable_caching": True,
                    "verbosity": "ERROR", "progress_bar": "none", "pixel_width": 192, "pixel_height": 108,
                    "frame_rate": 5}
        for name, module in scenes.LESSON.items():
            if only and name not in only:
                continue
            with tempconfig(settings):
                scene = getattr(importlib.import_module(module), name)()
                scene.render()
            yield name, [(cue.id, cue.text) for idea in scene.ideas for cue in idea.cues]
