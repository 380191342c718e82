"""Scenes for the lesson tests: one that fails, two small ones to assemble a lesson from, one
whose frames say when they were taken, and one whose cues name what its animations show."""

from __future__ import annotations

from manim import DOWN, LEFT, RIGHT, Dot, FadeIn, FadeOut, Indicate, Square

from lessonmodel.formula import Eq, Lit
from lessonmodel.names import C0, target, weight
from scenes.kit.lesson_scene import LessonScene

__all__ = ["BrokenScene", "SlowTwoIdeas", "QuickIdea", "MovingDot", "ShownThenSaid"]


class BrokenScene(LessonScene):
    """Raises as soon as it starts to construct."""

    def construct(self) -> None:
        raise RuntimeError("the broken scene broke on purpose")


class SlowTwoIdeas(LessonScene):
    """Two ideas, the first played before any step (Manim's automatic first section)."""

    def setup(self) -> None:
        self.named = {C0: 0.116, weight(3): 0.91}

    def construct(self) -> None:
        self.play(FadeIn(Dot()), run_time=1.0)  # before any step: Manim's "autocreated" section
        with self.step("first"):
            self.play(FadeIn(self.sums_up(self.math(Eq(self.sym(C0), self.value(C0))))), run_time=3.0,
                      cue=("The cost is ", self.value(C0), "."))
        with self.step("second"):
            self.sums_up(Eq(self.sym(weight(3)), self.value(weight(3))))  # a formula it doesn't show
            self.play(FadeIn(self.math(Eq(Lit("w"), self.value(weight(3)))).shift(DOWN)), run_time=2.0,
                      cue="Then the weight.")
        self.wait(0.4)  # after the last step: Manim adds it to the last section (and clip)


class QuickIdea(LessonScene):
    """One short idea, after SlowTwoIdeas in story order (though it usually renders faster)."""

    def setup(self) -> None:
        self.named = {target(): 1.0}

    def construct(self) -> None:
        with self.step("first"):  # its cue needs longer than the animation: the idea waits for it
            self.play(FadeIn(self.sums_up(self.math(Eq(self.sym(target()), self.value(target()))))), run_time=1.2,
                      cue=("The target is ", self.value(target()), "."))


class MovingDot(LessonScene):
    """A dot that appears on the left and moves right, with waits between (not moments of their
    own), then a square that appears and the whole stage fading out at the end of the clip."""

    def setup(self) -> None:
        self.named = {}

    def construct(self) -> None:
        dot = Dot(4 * LEFT, radius=0.6)
        with self.step("move"):
            self.play(FadeIn(dot), run_time=1.0, cue="A dot appears on the left and moves right.")
            self.wait(1.0)
            self.play(dot.animate.move_to(4 * RIGHT), run_time=1.0)
            self.wait(0.6)
        with self.step("fade"):
            square = Square(side_length=3.0, fill_opacity=1.0)
            self.play(FadeIn(square), run_time=1.0, cue="A square joins it, then both fade out.")
            self.wait(0.4)
            self.play(FadeOut(square), FadeOut(dot), run_time=1.0)


class ShownThenSaid(LessonScene):
    """Three cues: one naming nothing (it starts with its animation), one naming the value its
    animation brings on screen (it starts when the animation ends), one naming a value already on
    screen (it starts with its animation again)."""

    def setup(self) -> None:
        self.named = {C0: 0.116}

    def construct(self) -> None:
        with self.step("cost"):
            cost = self.math(Eq(self.sym(C0), self.value(C0)))
            self.play(FadeIn(Dot(2 * LEFT)), run_time=2.0, cue="A dot.")
            self.play(FadeIn(cost), run_time=2.0, cue=("The cost is ", self.value(C0), "."))
            self.play(Indicate(cost), run_time=2.0, cue=("Still ", self.value(C0), "."))
