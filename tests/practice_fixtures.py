"""Scenes for the class-render tests: one whose render process dies the first time it renders
for student 01 (a worker failure, retried), and one that raises for student 02 (a failed student).

Which student renders is told by the path of the config the scene is given: the class renders
student NN from ``.lesson-cache/configs/NN-<digest>.toml``.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

from manim import Dot, FadeIn

from scenes.kit.lesson_scene import LessonScene

__all__ = ["CrashOnceFor01", "FailsFor02"]


def _student(scene: LessonScene) -> str:
    return Path(scene.lesson.path).name.split("-")[0]


class CrashOnceFor01(LessonScene):
    """Kills its own render process the first time it renders for student 01."""

    def construct(self) -> None:
        marker = Path(self.lesson.path).with_suffix(".crashed")
        if _student(self) == "01" and not marker.exists():
            marker.write_text("crashed once\n")
            os.kill(os.getpid(), signal.SIGKILL)
        with self.step("dot"):
            self.play(FadeIn(Dot()), run_time=0.6, cue="A dot.")


class FailsFor02(LessonScene):
    """Raises for student 02, renders for the others."""

    def construct(self) -> None:
        if _student(self) == "02":
            raise RuntimeError("this scene fails for student 02 on purpose")
        with self.step("dot"):
            self.play(FadeIn(Dot()), run_time=0.6, cue="A dot.")
