"""CostOfOneExample: the desired output y beside a(L), and the cost C0 = (a(L) - y)^2 of one example."""

from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Create,
    FadeIn,
    FadeOut,
    GrowFromCenter,
    Indicate,
    Line,
    VGroup,
    Write,
)

from lessonmodel.names import C0, ERROR, activation, target
from scenes.kit.chain_diagram import ChainDiagram
from scenes.kit.lesson_scene import ChainScene
from scenes.kit.notation import sym
from scenes.kit.number_line import ValueLine
from scenes.kit.style import COLORS, MUTED, SMALL_FONT

__all__ = ["CostOfOneExample"]


class CostOfOneExample(ChainScene):
    """The last two neurons, the output a(L) against the desired output y, and the cost of one example."""

    def construct(self) -> None:
        self.focus_on_last_neurons()
        self.desired_output()
        self.cost_of_one_example()
        self.superscripts_are_layers()

    # --- steps -----------------------------------------------------------------------------

    def focus_on_last_neurons(self) -> None:
        L = self.L
        with self.step("last_two_neurons", f"Focus on the last two neurons. The output is a(L) = "
                       f"{self.plain(activation(L))}, and the neuron before it has a(L-1) = "
                       f"{self.plain(activation(L - 1))}."):
            d = ChainDiagram([self.chain.w(l) for l in range(1, L + 1)]).shift(2.0 * UP + 0.6 * LEFT)
            self.diagram = d
            for l in range(L + 1):
                d.neurons[l].set_fill(COLORS["a"], opacity=min(abs(self.chain.a(l)), 1.0))
            labels = VGroup(*(self.math(sym("a", self.layer(l)), SMALL_FONT).next_to(d.neurons[l], UP, 0.2)
                              for l in range(L + 1)))
            values = VGroup(*(self.math(self.number(activation(l)), SMALL_FONT).next_to(d.neurons[l], DOWN, 0.2)
                              for l in (L - 1, L)))
            self.play(Create(d), FadeIn(labels), run_time=1.5)
            early = VGroup(*d.neurons[: L - 1], *d.edges[: L - 1], *labels[: L - 1])
            self.play(early.animate.set_opacity(0.25), FadeIn(values))
            self.sums_up(f"{sym('a', 'L-1')} = {self.number(activation(L - 1))}, quad "
                         f"{sym('a', 'L')} = {self.number(activation(L))}")
            self.wait(1.5)

    def desired_output(self) -> None:
        L = self.L
        with self.step("desired_output", f"For this training example we want the output to be y = "
                       f"{self.plain(target())}. The network is off by a(L) - y = {self.plain(ERROR)}."):
            d = self.diagram
            y_label = self.math(f"{sym('y')} = {self.number(target())}", SMALL_FONT).next_to(d.neurons[L], RIGHT, 0.3)
            act = self.chain.net.activation
            ends = [v for v in (act.low, act.high) if abs(v) != float("inf")]
            line = ValueLine([self.chain.a(L), self.chain.y, *ends], length=7.0, bounds=(act.low, act.high))
            line.move_to(0.1 * DOWN + 1.2 * LEFT)
            a_dot, y_dot = line.dot(self.chain.a(L)), line.dot(self.chain.y, COLORS["y"])
            a_tag = self.math(sym("a", "L"), SMALL_FONT).next_to(a_dot, UP, 0.15)
            y_tag = self.math(sym("y"), SMALL_FONT).next_to(y_dot, DOWN, 0.45)
            gap = Line(line.n2p(self.chain.a(L)), line.n2p(self.chain.y), color=COLORS["C"], stroke_width=7)
            error = self.math(f"{sym('a', 'L')} - {sym('y')} = {self.number(ERROR)}", SMALL_FONT)
            error.next_to(line, RIGHT, 0.4)
            self.fit(VGroup(line, error))
            self.sums_up(f"{sym('y')} = {self.number(target())}, quad {sym('a', 'L')} - {sym('y')} = "
                         f"{self.number(activation(L))} - {self.number(target(), True)} = {self.number(ERROR)}")
            self.play(FadeIn(y_label, shift=0.2 * LEFT))
            self.play(Create(line), FadeIn(a_dot, a_tag, y_dot, y_tag))
            self.play(Create(gap), Write(error))
            self.error_picture = VGroup(line, a_dot, y_dot, a_tag, y_tag, gap, error)
            self.wait(1.5)

    def cost_of_one_example(self) -> None:
        L = self.L
        with self.step("cost", f"The cost of this one example is the square of that difference: C0 = "
                       f"({self.plain(activation(L))} - {self.plain(target())})^2 = {self.plain(C0)}. "
                       f"The further the output is from what we want, the larger the cost."):
            self.cost = self.math(
                f"{sym('C')} = ( {{{{ {sym('a', 'L')} : aL }}}} - {sym('y')} )^{{{{ 2 : square }}}} = "
                f"({self.number(activation(L))} - {self.number(target(), True)})^2 = {self.number(C0)}"
            )
            self.fit(self.cost).move_to(2.3 * DOWN)
            self.sums_up(self.cost)
            self.play(Write(self.cost), run_time=1.5)
            self.play(Indicate(self.error_picture[5], color=COLORS["C"]))
            self.wait(1.5)

    def superscripts_are_layers(self) -> None:
        with self.step("notation", "A word on notation: the L up there is not an exponent. It says which "
                       "layer the activation belongs to. Only the 2 is a power: the square."):
            self.play(FadeOut(self.error_picture))
            index = self.cost.select("aL")[1:]  # the glyphs of (L)
            square = self.cost.select("square")
            layer_note = self.math('"layer index, not a power"', SMALL_FONT, color=MUTED)
            power_note = self.math('"a power: the square"', SMALL_FONT, color=MUTED)
            layer_note.move_to(0.4 * DOWN).set_x(min(max(index.get_x(), -4.0), 0.0))
            power_note.move_to(0.4 * DOWN).set_x(max(square.get_x() + 1.0, layer_note.get_right()[0] + 2.4))
            self.fit(VGroup(layer_note, power_note))
            self.sums_up(f"{sym('C')} = ({sym('a', 'L')} - {sym('y')})^2 = ({sym('a', 'L')} - {sym('y')}) dot "
                         f"({sym('a', 'L')} - {sym('y')})")
            arrow_style = {"buff": 0.1, "color": MUTED, "stroke_width": 3, "tip_length": 0.18}
            arrows = VGroup(
                Arrow(layer_note.get_bottom(), index.get_top(), **arrow_style),
                Arrow(power_note.get_bottom(), square.get_top(), **arrow_style),
            )
            self.play(FadeIn(layer_note), GrowFromCenter(arrows[0]), Indicate(index, color=COLORS["y"]))
            self.wait(1.0)
            self.play(FadeIn(power_note), GrowFromCenter(arrows[1]))
            self.wait(2)
