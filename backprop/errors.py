"""The ways a lesson build stops: each ``str()`` is the one line the user sees."""

from __future__ import annotations

__all__ = ["LessonError", "SceneFailed", "Interrupted"]


class LessonError(Exception):
    """A problem that stops the lesson before or while it renders; ``str()`` is one line."""


class SceneFailed(LessonError):
    """A scene raised while rendering; ``details`` holds its traceback."""

    def __init__(self, scene: str, error: str, details: str = "") -> None:
        self.scene, self.error, self.details = scene, error, details
        super().__init__(f"scene {scene} failed: {error}")


class Interrupted(BaseException):
    """SIGTERM, handled like Ctrl-C."""
