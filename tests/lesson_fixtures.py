"""Scenes for the lesson tests: one that fails, to check that a failure stops the run cleanly."""

from __future__ import annotations

from scenes.lesson_scene import LessonScene

__all__ = ["BrokenScene"]


class BrokenScene(LessonScene):
    """Raises as soon as it starts to construct."""

    def construct(self) -> None:
        raise RuntimeError("the broken scene broke on purpose")
