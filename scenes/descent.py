"""GradientDescent: the network takes the configured steps downhill; its edges change with the
weights, the cost is plotted step by step, and the outputs move (real history from nncore)."""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Create,
    Dot,
    FadeIn,
    ReplacementTransform,
    VGroup,
    VMobject,
    Write,
)

from lessonmodel.names import AVERAGE_COST, LEARNING_RATE, AfterSteps, activation, after_steps, target
from lessonmodel.values import descent_of
from scenes.kit.many_neurons_scene import ManyNeuronsScene
from scenes.kit.notation import sym
from scenes.kit.partials import partial
from scenes.kit.style import COLORS, HIGHLIGHT, SMALL_FONT

__all__ = ["GradientDescent"]


class GradientDescent(ManyNeuronsScene):
    """Gradient descent with the configured learning rate and number of steps."""

    def setup(self) -> None:
        super().setup()
        self.descent = descent_of(self.lesson)
        self.named = self.named | self.descent.named()
        self.steps = self.descent.steps

    def construct(self) -> None:
        self.show_rule()
        self.take_steps()
        self.sum_up()

    # --- pieces ------------------------------------------------------------------------------

    def cost_name(self, s: int) -> AfterSteps:
        return after_steps(AVERAGE_COST, s)

    def status(self, s: int) -> VGroup:
        """The step number, the cost and the outputs after ``s`` steps, with the targets."""
        L = self.L
        outputs = ", ".join(self.number(after_steps(activation(L, j), s)) for j in range(self.sizes[L]))
        targets = ", ".join(self.number(target(j)) for j in range(self.sizes[L]))
        top = self.math(f"#text[step] {s}: quad {sym('C')} = {self.number(self.cost_name(s))}", SMALL_FONT)
        bottom = self.math(f"{sym('a', 'L')} = ({outputs}) quad {sym('y')} = ({targets})", SMALL_FONT)
        group = VGroup(top, bottom).arrange(DOWN, buff=0.25)
        self.fit(group)
        return group.move_to(2.9 * DOWN)

    def point(self, s: int) -> np.ndarray:
        return self.axes.c2p(s, self.named[self.cost_name(s)])

    # --- steps -------------------------------------------------------------------------------

    def show_rule(self) -> None:
        with self.step("rule", "Gradient descent: every weight and bias takes a step against its derivative, "
                       f"scaled by the learning rate η = {self.plain(LEARNING_RATE)}. Then the network runs "
                       "again, and again."):
            rule = self.math(
                f"{sym('w')} arrow.l {sym('w')} - eta {partial(sym('C'), sym('w'))} quad "
                f"{sym('b')} arrow.l {sym('b')} - eta {partial(sym('C'), sym('b'))} quad "
                f"eta = {self.number(LEARNING_RATE)}",
                SMALL_FONT,
            )
            self.fit(rule).to_edge(UP, buff=0.25)
            self.sums_up(rule)
            self.d = self.diagram(width=3.9, height=3.4, max_radius=0.3).move_to(4.5 * LEFT + 0.55 * UP)
            top_cost = self.named[self.cost_name(0)]
            self.shown_steps = self.descent.last_finite  # all of them, unless the cost overflowed
            peak = max(range(self.shown_steps + 1), key=lambda s: self.named[self.cost_name(s)])
            highest = self.named[self.cost_name(peak)]
            self.axes = Axes(
                x_range=[0, max(self.steps, 1), max(self.steps, 1)],
                y_range=[0, highest * 1.05 if highest > 0 else 1, highest * 1.05 if highest > 0 else 1],
                x_length=5.6,
                y_length=3.0,
                tips=False,
                axis_config={"include_ticks": False, "color": "#888888"},
            ).move_to(3.7 * RIGHT + 0.55 * UP)
            x_label = self.math(f"#text[step] {self.steps}" if self.steps else "#text[step]", 24)
            x_label.next_to(self.axes.x_axis.get_right(), DOWN, 0.15)
            title = self.math(sym("C"), 24).next_to(self.axes.y_axis.get_top(), UP, 0.1)
            y_label = self.math(self.number(self.cost_name(0)), 24)
            y_label.next_to(self.axes.c2p(0, top_cost), LEFT, 0.15)
            labels = VGroup(title, x_label, y_label)
            top_height = self.axes.c2p(0, highest)[1]
            if peak != 0 and top_height - y_label.get_top()[1] > 0.35:  # the curve climbs well above its start
                labels.add(self.math(self.number(self.cost_name(peak)), 24))
                labels[-1].next_to(self.axes.c2p(0, highest), LEFT, 0.15)
            self.dot = Dot(self.point(0), color=COLORS["C"], radius=0.07)
            self.status_now = self.status(0)
            self.play(Write(rule), FadeIn(self.d))
            self.play(Create(self.axes), FadeIn(labels), FadeIn(self.dot), FadeIn(self.status_now))
            self.wait(1.5)

    def take_steps(self) -> None:
        if self.steps == 0:
            narration = ("The config asks for 0 steps, so the network stays as it is: the cost remains "
                         f"{self.plain(self.cost_name(0))}.")
        elif self.descent.trend == "overflowed":
            narration = (f"The steps are far too long: after step {self.shown_steps} the cost no longer fits in "
                         "a floating-point number. The curve stops there.")
        elif self.descent.learning_rate == 0:
            narration = (f"With learning rate 0 every step has length zero: after {self.steps} steps nothing has "
                         f"changed, and the cost is still {self.plain(self.cost_name(self.steps))}.")
        else:
            narration = (f"{self.steps} steps, each one downhill from where the network stands. Watch the edges "
                         "change with the weights, and the cost follow its curve.")
        with self.step("descent", narration):
            frames = self.descent.keyframes(6)
            for before, after in zip(frames[:-1], frames[1:]):
                segment = VMobject(color=COLORS["C"], stroke_width=4)
                segment.set_points_as_corners([self.point(s) for s in range(before, after + 1)])
                status = self.status(after)
                self.play(
                    self.d.retarget(self.descent.activations(after), self.descent.weights(after)),
                    Create(segment),
                    self.dot.animate.move_to(self.point(after)),
                    ReplacementTransform(self.status_now, status),
                    run_time=1.2,
                )
                self.status_now = status
            if len(frames) == 1:
                self.play(self.dot.animate.scale(1.5).set_color(HIGHLIGHT), run_time=0.6)
                self.play(self.dot.animate.scale(1 / 1.5).set_color(COLORS["C"]), run_time=0.6)
            self.sums_up(f"{self.status_now[0].source} quad {self.status_now[1].source}")
            self.wait(1)

    def sum_up(self) -> None:
        first, last = self.cost_name(0), self.cost_name(self.steps)
        trend = self.descent.trend
        if self.steps == 0 or self.descent.learning_rate == 0:
            narration = "Give it steps and a learning rate above zero in the config's [descent], and render again."
        elif trend == "overflowed":
            narration = "A much smaller learning rate in the config's [descent] would keep the steps downhill."
        elif trend == "fell":
            narration = (f"The cost fell from {self.plain(first)} to {self.plain(last)}: taken together, the "
                         "outputs moved closer to their targets. That is learning: the gradient, computed by "
                         "backpropagation, applied over and over.")
        elif trend == "rose":
            narration = (f"The cost rose from {self.plain(first)} to {self.plain(last)}: these steps are too "
                         "long and overshoot the valley. A smaller learning rate would go downhill.")
        else:
            narration = (f"The cost stayed at {self.plain(last)} to three decimals: these steps are too small to "
                         "move it that much. A larger learning rate, or more steps, would.")
        with self.step("result", narration):
            end = self.cost_name(self.descent.last_finite)
            self.sums_up(f"{sym('C')}: quad {self.number(first)} arrow.r {self.number(end)}")
            self.play(self.dot.animate.set_color(HIGHLIGHT), run_time=0.6)
            self.wait(2.5)
