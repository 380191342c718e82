"""NeuronChain: a network collapses into four neurons in a chain, the input flows forward along
its edges, and the cost of one example."""

from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    AnimationGroup,
    Create,
    FadeIn,
    FadeOut,
    Indicate,
    LaggedStart,
    VGroup,
)

from lessonmodel.formula import Eq, Group, Paren, Product, Row, add
from lessonmodel.names import C0, activation, bias, target, weight, weighted_sum
from lessonmodel.notation import activation_notation
from scenes.kit.born import BornFrom
from scenes.kit.chain_diagram import LayersPicture
from scenes.kit.chain_labels import ChainLabels, cost_formula, target_label, value_labels
from scenes.kit.lesson_scene import ChainScene
from scenes.kit.stage import FORMULA_AREA_CHAIN
from scenes.kit.style import HIGHLIGHT

__all__ = ["NeuronChain", "many_neuron_sizes"]

HISTORY = FORMULA_AREA_CHAIN + 1.6 * DOWN  # where the layer before's formulas wait, small


def many_neuron_sizes(depth: int) -> list[int]:
    """Neurons per layer of the network the lesson opens with (a picture, no values): an input
    layer, hidden layers, a small output layer; ``depth`` + 1 layers."""
    return [3] + [4] * (depth - 1) + [2]


class NeuronChain(ChainScene):
    """A many-neuron network folds into the chain; its parameters, the forward pass edge by edge,
    and the cost C0 = (a(L) - y)^2. Ends on the picture CostOfOneExample starts from."""

    def construct(self) -> None:
        self.show_chain()
        self.feed_forward()
        self.show_cost()

    # --- steps -----------------------------------------------------------------------------

    def show_chain(self) -> None:
        L = self.L
        with self.step("the_chain"):
            d = self.diagram = self.chain_stage()
            lit = [n.get_fill_opacity() for n in d.neurons]
            d.neurons.set_fill(opacity=0)  # the forward pass lights them
            self.lit_opacity = lit
            network = LayersPicture(d, many_neuron_sizes(L), height=4.2, center_y=0.0)
            self.play(Create(network), run_time=1.5, cue="Start from a network with many neurons per layer.")
            steps = network.collapse(d)
            self.play(steps[0], run_time=0.9, cue="Keep just one neuron in each layer:")
            for step in steps[1:]:
                self.play(step, run_time=0.9)
            self.remove(network)
            self.add(d)
            self.labels = ChainLabels(self, d, activations=False)
            self.play(LaggedStart(*(FadeIn(m) for m in self.labels.names()), lag_ratio=0.2),
                      cue=f"Its {L} weights and {L} biases are its parameters.")
            params = self.parameters_formula()
            self.play(params, run_time=2.0, cue="The cost is a function of all of them.")
            self.sums_up(self.six_parameters())
            pairs = [pair for l in range(1, L + 1) for pair in (
                (params.formula.select(f"w{l}"), self.labels.w[l - 1][0]),
                (params.formula.select(f"b{l}"), self.labels.b[l - 1].select("sym")))]  # in the formula's order
            # Each symbol flashes with its label (separately: scaled together, they'd drift apart).
            flashes = (AnimationGroup(*(Indicate(m, color=HIGHLIGHT) for m in pair)) for pair in pairs)
            self.play(LaggedStart(*flashes, lag_ratio=0.3),
                      run_time=2.5, cue="Change any one, and the cost changes.")
            self.params = params.formula

    def parameters_formula(self) -> BornFrom:
        """C0(w, b, ...) of the chain's parameters, layer by layer, each symbol flying from its label."""
        L = self.L
        names = [Group(f"{kind}{l}", self.sym(name(l))) for l in range(1, L + 1) for kind, name in
                 (("w", weight), ("b", bias))]
        formula = self.math(Row(self.sym(C0), Paren(Row(*names, sep=", "))))
        self.fit(formula).move_to(FORMULA_AREA_CHAIN + 0.3 * DOWN)
        arrivals = [(self.labels.w[l - 1][0], formula.select(f"w{l}")) for l in range(1, L + 1)]
        arrivals += [(self.labels.b[l - 1].select("sym"), formula.select(f"b{l}")) for l in range(1, L + 1)]
        return BornFrom(formula, arrivals, run_time=2.0)

    def feed_forward(self) -> None:
        with self.step("forward"):
            d, labels = self.diagram, self.labels
            labels.values = value_labels(self, d)
            self.play(FadeOut(self.params), d.neurons[0].animate.set_fill(opacity=self.lit_opacity[0]),
                      FadeIn(labels.values[0], shift=0.2 * RIGHT), cue="The input lights the first neuron.")
            self.lines = self.history = VGroup()  # this layer's formulas, and the layer before's
            for l in range(1, self.L + 1):
                self.forward_one_layer(l)

    def forward_one_layer(self, l: int) -> None:
        d, labels = self.diagram, self.labels
        first = l == 1
        sigma = activation_notation(self.lesson.chain.activation)
        s, v = self.sym, self.value
        z_line = self.math(Eq(
            Group("zsym", s(weighted_sum(l))),
            add(Product(Group("wsym", s(weight(l))), Group("asym", s(activation(l - 1))), op=""),
                Group("bsym", s(bias(l)))),
            add(Product(Group("w", v(weight(l))), Group("a", v(activation(l - 1)))), Group("b", v(bias(l)))),
            Group("z", v(weighted_sum(l))),
        ))
        a_line = self.math(Eq(Group("asym", s(activation(l))), sigma.of(s(weighted_sum(l))),
                              sigma.of(Group("z", v(weighted_sum(l)))), Group("a", v(activation(l)))))
        if l == self.L:
            self.sums_up(self.last_neuron())
        lines = self.fit(VGroup(z_line, a_line).arrange(DOWN, aligned_edge=LEFT, buff=0.35))
        lines.move_to(FORMULA_AREA_CHAIN + 0.25 * DOWN)
        # The layer before steps down, small and dim, as the signal leaves for the next neuron.
        previous = [FadeOut(self.history)] if self.history.submobjects else []
        if self.lines.submobjects:
            previous.append(self.lines.animate.scale(0.75).set_opacity(0.6).move_to(HISTORY))
        self.play(d.signal(l), *previous, run_time=1.2,
                  cue="A signal travels along the edge to the next neuron." if first else None)
        self.lines, self.history = lines, self.lines
        w_label, b_label = labels.w[l - 1], labels.b[l - 1]
        self.play(BornFrom(z_line, [
            (labels.a[l - 1], z_line.select("asym")), (w_label[0], z_line.select("wsym")),
            (b_label.select("sym"), z_line.select("bsym")), (w_label[1], z_line.select("w")),
            (labels.values[l - 1], z_line.select("a")), (b_label.select("num"), z_line.select("b")),
        ], run_time=1.8), cue=self.weighs(l) if first else None)
        self.play(BornFrom(a_line, [(z_line.select("z"), a_line.select("z")), (labels.a[l], a_line.select("asym"))],
                           run_time=1.2), cue="Then it applies the activation." if first else None)
        self.play(d.neurons[l].animate.set_fill(opacity=self.lit_opacity[l]),
                  BornFrom(labels.values[l], [(a_line.select("a"), labels.values[l])], run_time=1.0),
                  cue="The neuron lights up with its activation." if first else None)

    def weighs(self, l: int):
        """The cue of layer ``l``'s weighted sum, as its formula writes it: z(l) = w(l) a(l-1) + b(l)."""
        s = self.sym
        return ("It weighs the one before and adds its bias: ",
                Eq(s(weighted_sum(l)), add(Product(s(weight(l)), s(activation(l - 1)), op=""), s(bias(l)))), ".")

    def six_parameters(self) -> Row:
        """C0 as a function of the chain's parameters, each with its value (a summary, not shown)."""
        L = self.L
        weights = Row(*(Eq(self.sym(weight(l)), self.value(weight(l))) for l in range(1, L + 1)), sep=", ")
        biases = Row(*(Eq(self.sym(bias(l)), self.value(bias(l))) for l in range(1, L + 1)), sep=", ")
        return Row(self.sym(C0), Paren(Row(weights, biases, sep="; ")))

    def last_neuron(self) -> Eq:
        """The last neuron's weighted sum and activation in one line, with values (a summary, not shown)."""
        L, s, v = self.L, self.sym, self.value
        sigma = activation_notation(self.lesson.chain.activation)
        return Eq(s(activation(L)), sigma.of(add(Product(s(weight(L)), s(activation(L - 1)), op=""), s(bias(L)))),
                  sigma.of(add(Product(v(weight(L)), v(activation(L - 1))), v(bias(L)))), v(activation(L)))

    def show_cost(self) -> None:
        L = self.L
        with self.step("cost"):
            d, labels = self.diagram, self.labels
            y_label = self.y_label = target_label(self, d)
            cost = self.cost = cost_formula(self)
            self.sums_up(cost)
            self.play(FadeIn(y_label, shift=LEFT * 0.2), FadeOut(self.lines, self.history),
                      cue=("We want the output to be ", Eq(self.sym(target()), self.value(target())), "."))
            self.play(BornFrom(cost, [
                (labels.a[L], cost.select("asym")), (y_label.select("sym"), cost.select("ysym")),
                (labels.values[L], cost.select("a")), (y_label.select("num"), cost.select("y")),
            ], run_time=2.0), cue=f"The cost of one example is the {self.cost_notation.prose}:")
            self.say((Eq(self.sym(C0), self.cost_notation.share(self.value(activation(L)), self.value(target())),
                         self.value(C0)), "."))
            self.play(Indicate(cost.select("cost"), color=HIGHLIGHT), Indicate(d.neurons[L], color=HIGHLIGHT))
            self.wait(1)
