"""GradientDescent, on the network's stage: every step goes down the average cost over the
network's training examples (or, with one example, down that example's cost); the edges change
with the weights, the cost is plotted step by step, and example 0's outputs move toward their
targets (the real history from nncore)."""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    AnimationGroup,
    Axes,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    FadeTransform,
    Indicate,
    ShowPassingFlash,
    VGroup,
    VMobject,
    Write,
    config,
)

from lessonmodel.formula import Eq, Frac, Lit, Math, Partial, Product, Row, SumOver, Text, Vector, sub
from lessonmodel.names import C0, LEARNING_RATE, AfterSteps, activation, after_steps, cost, target
from lessonmodel.notation import ETA, general
from lessonmodel.values import Trend, descent_of
from scenes.kit.many_neurons_scene import ManyNeuronsScene
from scenes.kit.style import COLORS, HIGHLIGHT, SMALL_FONT

__all__ = ["GradientDescent"]

EDGE = 0.45  # keep content this far from the frame's edges (the rule is 0.4)
RIGHT_EDGE = config.frame_width / 2 - EDGE
TOP_EDGE = config.frame_height / 2 - EDGE
FRAMES_DRAWN = 11  # steps drawn one by one: enough to see the cost fall step by step
STEP = Text("step", markup=True)


def apart(*parts: Math) -> Row:
    """Formulas side by side, a wide space apart (``quad``, no comma; words put a comma)."""
    return Row(*parts, sep=" quad ", words_sep=", ")


def listed(values: list[Math]) -> Vector:
    """``(v0, v1, ...)``: values in a row, in parentheses."""
    return Vector(tuple(values), column=False)


class GradientDescent(ManyNeuronsScene):
    """Gradient descent with the configured learning rate and number of steps, on the average
    cost over the network's examples (``[network]`` ``examples`` or ``inputs``/``targets``)."""

    def setup(self) -> None:
        super().setup()
        self.descent = descent_of(self.lesson)
        self.named = self.named | self.descent.named()
        self.steps = self.descent.steps
        self.n = self.descent.count

    def construct(self) -> None:
        self.d = self.network_stage(cost=True)
        self.cost_box = self.math(self.C, SMALL_FONT).move_to(self.d.cost_node)  # C, or C_0 for one example
        self.add(self.d, self.cost_box)  # the network's one place, from the first frame
        self.show_rule()
        self.take_steps()
        self.sum_up()

    # --- pieces ------------------------------------------------------------------------------

    @property
    def C(self) -> Math:
        """The cost descended: C (the average) or C_0 (the one example's)."""
        return self.sym(self.descent.cost_symbol)

    def cost_name(self, s: int) -> AfterSteps:
        return after_steps(self.descent.cost_symbol, s)

    def status(self, s: int) -> VGroup:
        """The step number and the cost after ``s`` steps; example 0's outputs with its targets;
        each example's own cost. Long lists go on more lines, so the lines fit beside the network."""
        L, v = self.L, self.value
        outputs = range(self.sizes[L])
        a = Eq(general("a", self.layer(L)), listed([v(after_steps(activation(L, j), s)) for j in outputs]))
        y = Eq(general("y"), listed([v(target(j)) for j in outputs]))
        lines = [self.math(Row(Row(STEP, Lit(str(s))), Eq(self.C, v(self.cost_name(s))), sep=": quad ",
                               words_sep=": "), SMALL_FONT)]
        rows = [apart(a, y)] if self.sizes[L] <= 3 else [a, y]
        if self.n > 1:
            rows[0] = Row(Text("example 0:", markup=True), rows[0], sep=" quad ", words_sep=" ")
        lines += [self.math(row, 28) for row in rows]
        if self.n > 1:  # each example's own cost: the average falls, not necessarily every one
            lines += [self.math(row, 28) for row in self.example_costs(s)]
        group = VGroup(*lines).arrange(DOWN, buff=0.16)
        left = self.d.get_right()[0] + 0.3
        if group.width > RIGHT_EDGE - left:
            group.scale_to_fit_width(RIGHT_EDGE - left)
        x = min(self.axes.get_center()[0], RIGHT_EDGE - group.width / 2)
        return group.move_to(x * RIGHT + (-config.frame_height / 2 + EDGE + group.height / 2) * UP)

    def example_costs(self, s: int) -> list[Math]:
        """``C_0, ..., C_(n-1) = (c0, c1, ...)`` after ``s`` steps, five values a line (the parentheses
        open on the first line and close on the last)."""
        each = [self.value(after_steps(cost(k), s)) for k in range(self.n)]
        rows: list[Math] = [Row(*each[i:i + 5], sep=", ") for i in range(0, self.n, 5)]
        rows = [Row(*(["("] if i == 0 else []), row, "," if i < len(rows) - 1 else ")", sep="")
                for i, row in enumerate(rows)]
        names = Row(self.sym(cost(0)), Lit("..."), self.sym(cost(self.n - 1)), sep=", ")
        return [Eq(names, rows[0]), *rows[1:]]

    def point(self, s: int) -> np.ndarray:
        return self.axes.c2p(s, self.named[self.cost_name(s)])

    def sweep(self, backward: bool = True, run_time: float = 1.2) -> AnimationGroup:
        """A pulse along every edge, layer by layer: from the cost back to the input (the gradient
        backpropagation computes for each step), or forward from the input (the examples run
        through the network)."""
        layers = []
        for l in range(self.L, 0, -1) if backward else range(1, self.L + 1):
            pulses = [ShowPassingFlash(self.d.edge(l, j, k).copy().set_stroke(HIGHLIGHT, width=5, opacity=1)
                                       .rotate(np.pi if backward else 0), time_width=0.7)
                      for j in range(self.sizes[l]) for k in range(self.sizes[l - 1])]
            layers.append(AnimationGroup(*pulses))
        return AnimationGroup(*layers, lag_ratio=0.6, run_time=run_time)

    def make_axes(self) -> VGroup:
        top_cost = self.named[self.cost_name(0)]
        peak = max(range(self.descent.last_finite + 1), key=lambda s: self.named[self.cost_name(s)])
        highest = self.named[self.cost_name(peak)]
        height = highest * 1.05 if highest > 0 else 1
        left = self.d.get_right()[0] + 1.3  # room for the cost's label left of the y axis
        self.axes = Axes(
            x_range=[0, max(self.steps, 1), max(self.steps, 1)],
            y_range=[0, height, height],
            x_length=RIGHT_EDGE - 0.2 - left,
            y_length=3.0,
            tips=False,
            axis_config={"include_ticks": False, "color": "#888888"},
        )
        self.axes.move_to(((left + RIGHT_EDGE - 0.2) / 2) * RIGHT + 0.75 * UP)
        x_label = self.math(Row(STEP, Lit(str(self.steps))) if self.steps else STEP, 24)
        x_label.next_to(self.axes.x_axis.get_right(), DOWN, 0.15).align_to(self.axes.x_axis, RIGHT)
        title = self.math(self.C, 24).next_to(self.axes.y_axis.get_top(), UP, 0.1)
        y_label = self.math(self.value(self.cost_name(0)), 24)
        y_label.next_to(self.axes.c2p(0, top_cost), LEFT, 0.15)
        labels = VGroup(title, x_label, y_label)
        top_height = self.axes.c2p(0, highest)[1]
        if peak != 0 and top_height - y_label.get_top()[1] > 0.35:  # the curve climbs well above its start
            labels.add(self.math(self.value(self.cost_name(peak)), 24))
            labels[-1].next_to(self.axes.c2p(0, highest), LEFT, 0.15)
        return labels

    # --- steps -------------------------------------------------------------------------------

    def show_rule(self) -> None:
        with self.step("rule"):
            rate = Eq(ETA, self.value(LEARNING_RATE))
            steps = [Row(p, "arrow.l", sub(p, Product(ETA, Partial(self.C, p), op=""))) for p in map(general, "wb")]
            rule = self.math(apart(*steps, rate), SMALL_FONT)
            self.fit(rule, margin=EDGE)
            rule.move_to((TOP_EDGE - rule.height / 2) * UP + (RIGHT_EDGE - rule.width / 2) * RIGHT)
            if self.n > 1:
                average = Product(Frac(Lit("1"), Lit(str(self.n))),
                                  SumOver(general("C", None, "k"), "k", Lit("0"), Lit(str(self.n - 1))), op="")
                cost = self.math(Eq(self.C, average), SMALL_FONT)
                says = ["Gradient descent goes down the average cost",
                        f"over the network's {self.n} training examples:"]
            else:
                cost = self.math(Row(self.C, Text("the one example's cost", markup=True), sep=": "), SMALL_FONT)
                says = ["This network has one training example,",
                        ("so descent goes down that example's cost ", self.sym(C0), ":")]
            self.sums_up(rule)
            labels = self.make_axes()
            cost.next_to(rule, DOWN, 0.3).align_to(rule, RIGHT)
            self.cost_line = cost
            self.play(FadeIn(cost, shift=0.2 * DOWN), Indicate(self.cost_box, color=HIGHLIGHT), cue=says[0])
            self.play(self.sweep(backward=False, run_time=1.5), cue=says[1])
            self.play(Write(rule), self.sweep(), run_time=2, cue="every weight and bias steps")
            self.say(("against its derivative, times ", rate, "."))
            self.dot = Dot(self.point(0), color=COLORS["C"], radius=0.07)
            self.status_now = self.status(0)
            self.labels = labels
            self.play(Create(self.axes), FadeIn(labels), FadeIn(self.dot), FadeIn(self.status_now),
                      cue="Then the network runs again, and again.")
            self.wait(1)

    def walk(self, frames: list[int], run_time: float, says: list, trace: bool) -> None:
        """Step from keyframe to keyframe: the network's fills and edges, the dot on the curve (and
        the curve itself when ``trace``), the status line; ``says`` are cued along the way."""
        for before, after in zip(frames[:-1], frames[1:]):
            animations = [
                self.d.retarget(self.descent.activations(after), self.descent.weights(after)),
                self.dot.animate.move_to(self.point(after)),
            ]
            if trace:
                segment = VMobject(color=COLORS["C"], stroke_width=4)
                segment.set_points_as_corners([self.point(s) for s in range(before, after + 1)])
                animations.append(Create(segment))
            status = self.status(after)
            animations.append(FadeTransform(self.status_now, status))
            self.play(*animations, run_time=run_time, cue=says.pop(0) if says else None)
            self.status_now = status

    def take_steps(self) -> None:
        with self.step("descent"):
            if self.steps == 0:
                says = ["The config asks for 0 steps,", "so the network stays as it is:",
                        ("the cost remains ", self.value(self.cost_name(0)), ".")]
            elif self.descent.trend == Trend.OVERFLOWED:
                says = ["The steps are far too long:", f"after step {self.descent.last_finite} the cost no longer fits",
                        "in a floating-point number. The curve stops there."]
            elif self.descent.learning_rate == 0:
                says = ["With learning rate 0, every step has length zero:",
                        f"after {self.steps} steps nothing has changed,",
                        ("and the cost is still ", self.value(self.cost_name(self.steps)), ".")]
            else:
                says = [f"{self.steps} steps, each downhill from where the network stands.",
                        "Watch the edges change with the weights,", "and the cost follow its curve."]
            last_said = says.pop() if self.steps and self.descent.learning_rate == 0 else None  # names the end
            frames = self.descent.keyframes(FRAMES_DRAWN)
            self.frames = frames
            self.walk(frames, 0.7, says, trace=True)
            if len(frames) == 1:
                self.play(self.dot.animate.scale(1.5).set_color(HIGHLIGHT), run_time=0.6,
                          cue=says.pop(0) if says else None)
                self.play(self.dot.animate.scale(1 / 1.5).set_color(COLORS["C"]), run_time=0.6)
            for cue in [*says, last_said] if last_said else says:
                self.say(cue)
            self.sums_up(Row(*(line.expr for line in self.status_now[:2]), sep=" quad ", words_sep=", "))
            self.wait(1)

    def sum_up(self) -> None:
        v = self.value
        first, last = v(self.cost_name(0)), v(self.cost_name(self.steps))
        trend = self.descent.trend
        with self.step("result"):
            end = v(self.cost_name(self.descent.last_finite))
            result = Row(self.C, Row(first, "arrow.r", end), sep=": quad ", words_sep=": ")
            self.sums_up(result)
            if self.steps == 0 or self.descent.learning_rate == 0:
                says = ["Give it steps and a learning rate above zero", "in the config's [descent], and render again."]
            elif trend == Trend.OVERFLOWED:
                says = ["A much smaller learning rate in [descent]", "would keep the steps downhill."]
            elif trend == Trend.FELL:
                says = [("The cost fell from ", first, " to ", last, ":"),
                        "the outputs moved closer to their targets." if self.n == 1 else
                        "the outputs moved toward their targets, on average.",
                        "That is learning: the gradient,", "computed by backpropagation, applied over and over."]
            elif trend == Trend.ROSE:
                says = [("The cost rose from ", first, " to ", last, ":"),
                        "these steps are too long and overshoot the valley.",
                        "A smaller learning rate would go downhill."]
            else:
                says = [("The cost stayed at ", last, " to three decimals:"),
                        "these steps are too small to move it that much.",
                        "A larger learning rate, or more steps, would."]
            summary = self.math(result, SMALL_FONT)
            summary.move_to(self.cost_line, aligned_edge=RIGHT)
            frames = self.frames
            if len(frames) > 1:
                # Again from the start, faster: the cost falling step by step, the edges changing.
                self.walk([frames[-1], frames[0]], 0.6, [says.pop(0)], trace=False)
                self.walk(frames, 0.35, says[:1], trace=False)
                says = says[1:]
            self.play(FadeOut(self.cost_line, shift=0.2 * UP), FadeIn(summary, shift=0.2 * UP),
                      self.dot.animate.set_color(HIGHLIGHT),
                      Indicate(self.status_now[0], color=HIGHLIGHT), run_time=1.0, cue=says.pop(0) if says else None)
            for cue in says:
                self.say(cue)
            self.wait(1.5)
