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

from lessonmodel.names import C0, activation, bias, target, weight, weighted_sum
from scenes.kit.born import BornFrom
from scenes.kit.chain_diagram import LayersPicture
from scenes.kit.chain_labels import chain_labels, cost_formula, grouped_number, target_label, value_labels
from scenes.kit.lesson_scene import ChainScene
from scenes.kit.notation import sym
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
            self.labels = chain_labels(self, d, values=False)
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
        names = ", ".join(f"{{{{ {sym('w', self.layer(l))} : w{l} }}}}, {{{{ {sym('b', self.layer(l))} : b{l} }}}}"
                          for l in range(1, L + 1))
        formula = self.math(f"{sym('C')} ({names})")
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
        d, labels, n, prev = self.diagram, self.labels, self.layer(l), self.layer(l - 1)
        first = l == 1
        z_line = self.math(
            f"{{{{ {sym('z', n)} : zsym }}}} = {{{{ {sym('w', n)} : wsym }}}} {{{{ {sym('a', prev)} : asym }}}} + "
            f"{{{{ {sym('b', n)} : bsym }}}} = {grouped_number(self, weight(l), 'w')} dot "
            f"{grouped_number(self, activation(l - 1), 'a')} + {grouped_number(self, bias(l), 'b')} = "
            f"{{{{ {self.number(weighted_sum(l))} : z }}}}"
        )
        a_line = self.math(
            f"{{{{ {sym('a', n)} : asym }}}} = {self.sigma}({sym('z', n)}) = "
            f"{self.sigma}({{{{ {self.number(weighted_sum(l))} : z }}}}) = {{{{ {self.number(activation(l))} : a }}}}"
        )
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
        ], run_time=1.8), cue="It weighs the one before and adds its bias: z = w a + b." if first else None)
        self.play(BornFrom(a_line, [(z_line.select("z"), a_line.select("z")), (labels.a[l], a_line.select("asym"))],
                           run_time=1.2), cue="Then it applies the activation." if first else None)
        self.play(d.neurons[l].animate.set_fill(opacity=self.lit_opacity[l]),
                  BornFrom(labels.values[l], [(a_line.select("a"), labels.values[l])], run_time=1.0),
                  cue="The neuron lights up with its activation." if first else None)

    def six_parameters(self) -> str:
        """C0 as a function of the chain's parameters, each with its value (a summary, not shown)."""
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
        with self.step("cost"):
            d, labels = self.diagram, self.labels
            y_label = self.y_label = target_label(self, d)
            cost = self.cost = cost_formula(self)
            self.sums_up(cost)
            self.play(FadeIn(y_label, shift=LEFT * 0.2), FadeOut(self.lines, self.history),
                      cue=f"We want the output to be y = {self.plain(target())}.")
            self.play(BornFrom(cost, [
                (labels.a[L], cost.select("asym")), (y_label.select("sym"), cost.select("ysym")),
                (labels.values[L], cost.select("a")), (y_label.select("num"), cost.select("y")),
            ], run_time=2.0), cue="The cost of one example is the squared difference:")
            self.say(f"C0 = ({self.plain(activation(L))} - {self.plain(target())})^2 = {self.plain(C0)}.")
            self.play(Indicate(cost.select("cost"), color=HIGHLIGHT), Indicate(d.neurons[L], color=HIGHLIGHT))
            self.wait(1)
