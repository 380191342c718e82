"""NeuronChain: four neurons in a chain, the input flowing forward, and the cost of one example."""

from __future__ import annotations

from manim import DOWN, LEFT, RIGHT, UP, Create, FadeIn, FadeOut, VGroup, Write

from lessonmodel.names import C0, activation, bias, target, weight, weighted_sum
from scenes.kit.chain_diagram import ChainDiagram
from scenes.kit.lesson_scene import ChainScene
from scenes.kit.notation import sym
from scenes.kit.style import SMALL_FONT

__all__ = ["NeuronChain"]


class NeuronChain(ChainScene):
    """The chain network of the lesson, computed forward, and the cost C0 = (a(L) - y)^2."""

    def construct(self) -> None:
        self.show_chain()
        self.feed_forward()
        self.show_cost()

    # --- steps -----------------------------------------------------------------------------

    def show_chain(self) -> None:
        with self.step("the_chain", "A network with one neuron per layer. Its three weights and three "
                       "biases are the six numbers the cost depends on."):
            self.diagram = ChainDiagram([self.chain.w(l) for l in range(1, self.L + 1)]).shift(1.2 * UP + 0.6 * LEFT)
            d = self.diagram
            self.a_labels = VGroup(
                *(self.math(sym("a", self.layer(l)), SMALL_FONT).next_to(d.neurons[l], UP, 0.2)
                  for l in range(self.L + 1))
            )
            self.w_labels = VGroup(
                *(
                    VGroup(
                        self.math(sym("w", self.layer(l)), SMALL_FONT).move_to(d.edge_point(l, UP, 0.32)),
                        self.math(self.number(weight(l)), SMALL_FONT).move_to(d.edge_point(l, DOWN, 0.32)),
                    )
                    for l in range(1, self.L + 1)
                )
            )
            self.b_labels = VGroup(
                *(
                    self.math(f"{sym('b', self.layer(l))} = {self.number(bias(l))}", SMALL_FONT).next_to(
                        d.neurons[l], DOWN, 0.75
                    )
                    for l in range(1, self.L + 1)
                )
            )
            self.play(Create(d), run_time=1.5)
            self.play(FadeIn(self.a_labels), FadeIn(self.w_labels), FadeIn(self.b_labels))
            self.sums_up(self.six_parameters())
            self.wait(1.5)

    def feed_forward(self) -> None:
        with self.step("forward", "The input flows forward. Each neuron takes a weighted sum "
                       "z = w a + b of the one before, plus its bias, and applies the activation."):
            d = self.diagram
            self.a_values = VGroup(*(self.math(self.number(activation(l)), SMALL_FONT).next_to(d.neurons[l], DOWN, 0.15)
                                     for l in range(self.L + 1)))
            self.play(d.lit(0, self.chain.a(0)), FadeIn(self.a_values[0]))
            for l in range(1, self.L + 1):
                self.forward_one_layer(l)

    def forward_one_layer(self, l: int) -> None:
        d, n = self.diagram, self.layer(l)
        prev = self.layer(l - 1)
        z_line = self.math(
            f"{sym('z', n)} = {sym('w', n)} {sym('a', prev)} + {sym('b', n)} = "
            f"{self.number(weight(l), True)} dot {self.number(activation(l - 1), True)} + "
            f"{self.number(bias(l), True)} = {self.number(weighted_sum(l))}"
        )
        a_line = self.math(
            f"{sym('a', n)} = {self.sigma}({sym('z', n)}) = {self.sigma}({self.number(weighted_sum(l))}) = "
            f"{self.number(activation(l))}"
        )
        if l == self.L:
            self.sums_up(self.last_neuron())
        lines = self.fit(VGroup(z_line, a_line).arrange(DOWN, aligned_edge=LEFT, buff=0.35)).move_to(2.2 * DOWN)
        self.play(d.edges[l - 1].animate.set_stroke(opacity=1.0), Write(z_line), run_time=1.2)
        self.play(Write(a_line), run_time=1.0)
        self.play(d.lit(l, self.chain.a(l)), FadeIn(self.a_values[l], shift=0.2 * DOWN))
        self.wait(0.6)
        self.play(FadeOut(lines))

    def six_parameters(self) -> str:
        """C0 as a function of the chain's six parameters, each with its value (a summary, not shown)."""
        L = self.L
        weights = ", ".join(f"{sym('w', self.layer(l))} = {self.number(weight(l))}" for l in range(1, L + 1))
        biases = ", ".join(f"{sym('b', self.layer(l))} = {self.number(bias(l))}" for l in range(1, L + 1))
        return f"{sym('C')} ({weights}; {biases})"

    def last_neuron(self) -> str:
        """The last neuron's weighted sum and activation in one line, with values (a summary, not shown)."""
        L = self.L
        return (
            f"{sym('a', 'L')} = {self.sigma}({sym('w', 'L')} {sym('a', 'L-1')} + {sym('b', 'L')}) = "
            f"{self.sigma}({self.number(weight(L), True)} dot {self.number(activation(L - 1), True)} + "
            f"{self.number(bias(L), True)}) = {self.number(activation(L))}"
        )

    def show_cost(self) -> None:
        L = self.L
        with self.step("cost", f"We want the output to be y = {self.plain(target())}. The cost of this one "
                       f"example is the squared difference: C0 = ({self.plain(activation(L))} - "
                       f"{self.plain(target())})^2 = {self.plain(C0)}."):
            d = self.diagram
            y_label = self.math(f"{sym('y')} = {self.number(target())}", SMALL_FONT).next_to(d.neurons[L], RIGHT, 0.3)
            cost = self.math(
                f"{sym('C')} = ({sym('a', 'L')} - {sym('y')})^2 = "
                f"({self.number(activation(L))} - {self.number(target(), True)})^2 = {self.number(C0)}"
            )
            self.fit(cost).move_to(2.2 * DOWN)
            self.sums_up(cost)
            self.play(FadeIn(y_label, shift=LEFT * 0.2))
            self.play(Write(cost), run_time=1.5)
            self.wait(2)
