"""Many neurons per layer: the indices, the derivative of one weight, and the sum over paths.

Three scenes on the configured ``[network]`` (default sizes [3, 3, 2], targets (0, 1)):
``MultiNeuronNotation``, ``WeightDerivativeWithIndices`` and ``SumOverPaths``, on the kit's
:class:`~scenes.kit.many_neurons_scene.ManyNeuronsScene`.
"""

from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    FadeIn,
    FadeOut,
    Indicate,
    LaggedStart,
    VGroup,
    Write,
)

from lessonmodel.names import (
    C0,
    activation,
    bias,
    change,
    derivative,
    measured,
    path_term,
    target,
    weight,
    weighted_sum,
)
from scenes.kit.many_neurons_scene import ManyNeuronsScene
from scenes.kit.notation import activation_word, sym
from scenes.kit.partials import partial
from scenes.kit.style import COLORS, HIGHLIGHT, SMALL_FONT

__all__ = ["MultiNeuronNotation", "WeightDerivativeWithIndices", "SumOverPaths"]


class MultiNeuronNotation(ManyNeuronsScene):
    """The many-neuron network with its real activations, its indices, cost and weighted sum."""

    def construct(self) -> None:
        self.show_network()
        self.show_indices()
        self.show_cost()
        self.show_weight()
        self.show_weighted_sum()

    def show_network(self) -> None:
        sizes = ", ".join(map(str, self.sizes))
        with self.step("network", f"Now every layer has several neurons: {sizes} here. Each is lit by its "
                       "activation for this example. Blue edges are positive weights, red ones negative, "
                       "and thicker edges are larger weights."):
            d = self.d = self.diagram(width=7.0, height=3.6).move_to(1.0 * UP + 0.5 * LEFT)
            filled = [c.get_fill_opacity() for c in d.neurons.family_members_with_points()]
            d.neurons.set_fill(opacity=0)
            self.sums_up(f"{self.a(self.L, 'j')} = {self.sigma}({self.z(self.L, 'j')}), quad "
                         f"{self.z(self.L, 'j')} = sum_k {self.w(self.L, 'j k')} {self.a(self.L - 1, 'k')} + "
                         f"{self.b(self.L, 'j')}")
            self.play(Create(d.edges), Create(d.neurons), run_time=1.5)
            self.play(
                LaggedStart(
                    *(c.animate.set_fill(opacity=o) for c, o in zip(d.neurons.family_members_with_points(), filled)),
                    lag_ratio=0.05,
                ),
                run_time=1.5,
            )
            self.wait(1)

    def show_indices(self) -> None:
        L, d = self.L, self.d
        with self.step("indices", "We name them with indices: a_k(L-1) is neuron k of layer L-1, a_j(L) "
                       "neuron j of the last layer, and each output j has its own target y_j."):
            inside = VGroup(self.values_inside(d, L - 1), self.values_inside(d, L))
            heads = VGroup(
                self.math(self.a(L - 1, "k"), SMALL_FONT).next_to(d.column_top(L - 1, 0.1), UP, 0.05),
                self.math(self.a(L, "j"), SMALL_FONT).next_to(d.column_top(L, 0.1), UP, 0.05),
            )
            targets = VGroup(
                *(
                    self.math(self.number(target(j)), SMALL_FONT, color=COLORS["y"]).next_to(d.neuron(L, j), RIGHT, 0.5)
                    for j in range(self.sizes[L])
                )
            )
            self.sums_up(f"{self.a(L - 1, 'k')}, quad {self.a(L, 'j')}, quad "
                         + ", quad ".join(f"{self.y(j)} = {self.number(target(j))}" for j in range(self.sizes[L])))
            heads.add(self.math(self.y("j"), SMALL_FONT).next_to(targets, UP, 0.05).align_to(heads[1], DOWN))
            self.play(FadeIn(inside), FadeIn(heads))
            self.play(FadeIn(targets, shift=0.2 * LEFT))
            self.wait(1.5)

    def show_cost(self) -> None:
        L = self.L
        terms = [f"({self.number(activation(L, j))} - {self.number(target(j), True)})^2" for j in range(self.sizes[L])]
        with self.step("cost", f"The cost of this example adds up the squared error of every output: "
                       f"C0 = {self.plain(C0)}."):
            symbolic = self.math(f"{sym('C')} = sum_j ({self.a(L, 'j')} - {self.y('j')})^2")
            numeric = self.sum_lines("= ", terms, f" = {self.number(C0)}")
            self.cost = self.fit(VGroup(symbolic, numeric).arrange(DOWN, buff=0.25))
            self.sums_up(f"{symbolic.source} = {' + '.join(terms)} = {self.number(C0)}")
            self.cost.scale_to_fit_height(min(self.cost.height, 2.5)).move_to(2.65 * DOWN)
            self.play(Write(symbolic))
            self.play(Write(numeric), run_time=1.5)
            self.wait(2)
            self.play(FadeOut(self.cost))

    def show_weight(self) -> None:
        L, d, j, k = self.L, self.d, self.j, self.k
        name = weight(L, j, k)
        with self.step("weight", f"The weight from neuron k of layer L-1 to neuron j of layer L is w_jk(L). "
                       f"Here j = {j} and k = {k}: w_{j}{k}(L) = {self.plain(name)}."):
            edge = d.edge(L, j, k)
            lit = self.light(edge)
            label = self.math(self.w(L, "j k"), SMALL_FONT)
            label.move_to(edge.point_from_proportion(0.5)).shift(0.35 * UP)
            label.add_background_rectangle(opacity=0.85, buff=0.05)
            self.play(self.ring(d, L - 1, k), self.ring(d, L, j), Create(lit))
            self.play(FadeIn(label))
            self.weight_line = self.math(
                f"{self.w(L, 'j k')} = {self.w(L, f'{j}{k}')} = {self.number(name)}"
                f" quad (j = {j}, k = {k})"
            ).move_to(2.4 * DOWN)
            self.sums_up(self.weight_line)
            self.play(Write(self.weight_line))
            self.wait(1.5)
            self.play(FadeOut(self.weight_line), FadeOut(lit))

    def show_weighted_sum(self) -> None:
        L, d, j = self.L, self.d, self.j
        terms = [
            f"{self.number(weight(L, j, k), True)} dot {self.number(activation(L - 1, k), True)}"
            for k in range(self.sizes[L - 1])
        ] + [self.number(bias(L, j), True)]
        with self.step("weighted_sum", f"Neuron j adds up every neuron k of the layer before, each times its weight, "
                       f"plus its bias: z_{j}(L) = {self.plain(weighted_sum(L, j))}, and a_{j}(L) = "
                       f"{activation_word(self.lesson.network.activation)}(z_{j}(L)) = "
                       f"{self.plain(activation(L, j))}."):
            lit = self.light(*(d.edge(L, j, k) for k in range(self.sizes[L - 1])), width=4)
            symbolic = self.math(
                f"{self.z(L, 'j')} = sum_k {self.w(L, 'j k')} {self.a(L - 1, 'k')} + {self.b(L, 'j')}"
            )
            numeric = self.sum_lines(f"{self.z(L, j)} = ", terms, f" = {self.number(weighted_sum(L, j))}", per_line=4)
            squashed = self.math(
                f"{self.a(L, 'j')} = {self.sigma}({self.z(L, 'j')}) quad {self.a(L, j)} = {self.sigma}("
                f"{self.number(weighted_sum(L, j))}) = {self.number(activation(L, j))}"
            )
            lines = self.fit(VGroup(symbolic, numeric, squashed).arrange(DOWN, buff=0.2))
            self.sums_up(f"{self.z(L, j)} = {' + '.join(terms)} = {self.number(weighted_sum(L, j))}, quad "
                         f"{self.a(L, j)} = {self.sigma}({self.number(weighted_sum(L, j))}) = "
                         f"{self.number(activation(L, j))}")
            lines.scale_to_fit_height(min(lines.height, 2.5)).move_to(2.65 * DOWN)
            self.play(Create(lit), Write(symbolic))
            self.play(Write(numeric), run_time=1.5)
            self.play(Write(squashed), Indicate(d.neuron(L, j), color=HIGHLIGHT))
            self.wait(2.5)


class WeightDerivativeWithIndices(ManyNeuronsScene):
    """∂C0/∂w_jk(L) = a_k(L-1) σ'(z_j(L)) 2(a_j(L) - y_j) for the focused pair, with values."""

    def construct(self) -> None:
        self.show_path()
        self.show_chain_rule()
        self.show_factors()
        self.show_product()

    def show_path(self) -> None:
        L, j, k = self.L, self.j, self.k
        with self.step("the_path", f"Take one weight, w_jk(L) with j = {j} and k = {k}. It reaches the cost "
                       "only through z_j(L) and a_j(L)."):
            d = self.d = self.diagram(width=6.4, height=2.0, max_radius=0.3, cost=True).move_to(2.6 * UP)
            lit = self.light(d.edge(L, j, k), d.cost_lines[j])
            pair = self.math(f"j = {j} quad k = {k}", SMALL_FONT).to_corner(UP + RIGHT, buff=0.4)
            self.sums_up(f"{self.w(L, f'{j}{k}')} arrow.r {self.z(L, j)} arrow.r {self.a(L, j)} arrow.r {sym('C')}")
            self.play(FadeIn(d), FadeIn(self.cost_label(d)), FadeIn(pair))
            self.play(self.ring(d, L - 1, k), self.ring(d, L, j), Create(lit), run_time=1.5)
            self.wait(1)

    def show_chain_rule(self) -> None:
        L = self.L
        with self.step("chain_rule", "The chain rule gives the same three factors as in the chain of single "
                       "neurons, now with indices."):
            self.rule = self.math(
                f"{self.d_cost(self.w(L, 'j k'))} = "
                f"{partial(self.z(L, 'j'), self.w(L, 'j k'))} "
                f"{partial(self.a(L, 'j'), self.z(L, 'j'))} "
                f"{self.d_cost(self.a(L, 'j'))}"
            )
            self.fit(self.rule).move_to(0.45 * UP)
            self.sums_up(self.rule)
            self.play(Write(self.rule), run_time=1.5)
            self.wait(1.5)

    def show_factors(self) -> None:
        L, j, k = self.L, self.j, self.k
        sigma_p, err = derivative(activation(L, j), weighted_sum(L, j)), derivative(C0, activation(L, j))
        with self.step("factors", f"Each factor has a value: a_{k}(L-1) = {self.plain(activation(L - 1, k))}, "
                       f"the slope σ'(z_{j}(L)) = {self.plain(sigma_p)}, and 2(a_{j}(L) - y_{j}) = "
                       f"{self.plain(err)}."):
            pieces = [
                self.math(self.a(L - 1, "k")),
                self.math(self.slope(L, "j")),
                self.math(f"2({self.a(L, 'j')} - {self.y('j')})"),
            ]
            values = [
                self.math(self.number(activation(L - 1, k)), SMALL_FONT),
                self.math(self.number(sigma_p), SMALL_FONT),
                self.math(f"2({self.number(activation(L, j))} - {self.number(target(j), True)}) = {self.number(err)}",
                          SMALL_FONT),
            ]
            row = VGroup(*pieces).arrange(RIGHT, buff=1.1)
            self.sums_up(f"{self.a(L - 1, k)} = {self.number(activation(L - 1, k))}, quad {self.slope(L, j)} = "
                         f"{self.number(sigma_p)}, quad 2({self.a(L, j)} - {self.y(j)}) = "
                         f"2({self.number(activation(L, j))} - {self.number(target(j), True)}) = {self.number(err)}")
            self.fit(row).move_to(1.1 * DOWN)
            for piece, value in zip(pieces, values):
                value.next_to(piece, DOWN, 0.35)
            self.fit(VGroup(row, *values))
            self.values = values
            for piece, value in zip(pieces, values):
                self.play(Write(piece), run_time=0.8)
                self.play(FadeIn(value, shift=0.2 * DOWN), run_time=0.8)
            self.wait(1.5)

    def show_product(self) -> None:
        L, j, k = self.L, self.j, self.k
        name = derivative(C0, weight(L, j, k))
        slope, err = derivative(activation(L, j), weighted_sum(L, j)), derivative(C0, activation(L, j))
        with self.step("product", f"Their product is the derivative: ∂C0/∂w_{j}{k}(L) = {self.plain(name)}."):
            product = self.math(
                f"{self.d_cost(self.w(L, f'{j}{k}'))} = {self.number(activation(L - 1, k), True)} dot "
                f"{self.number(slope, True)} dot {self.number(err, True)} = "
                f"{self.number(name)}"
            )
            self.fit(product).move_to(3.1 * DOWN)
            self.sums_up(product)
            self.play(Write(product), run_time=1.5)
            self.wait(2.5)


class SumOverPaths(ManyNeuronsScene):
    """∂C0/∂a_k(L-1) as the sum of one term per path through a neuron j of layer L, checked by a nudge."""

    def construct(self) -> None:
        self.show_rule()
        self.walk_paths()
        self.add_terms()
        self.check_by_nudge()

    def show_rule(self) -> None:
        L, k = self.L, self.k
        with self.step("every_path", f"Neuron k = {k} of layer L-1 feeds every neuron of layer L, and each of "
                       "them feeds the cost. So its derivative is a sum over those paths."):
            self.rule = self.math(
                f"{self.d_cost(self.a(L - 1, 'k'))} = sum_j {self.w(L, 'j k')} {self.slope(L, 'j')} "
                f"{self.d_cost(self.a(L, 'j'))}"
            )
            self.fit(self.rule).to_edge(UP, buff=0.25)
            self.sums_up(self.rule)
            d = self.d = self.diagram(width=5.0, height=4.4, max_radius=0.36, cost=True)
            d.move_to(3.5 * LEFT + 0.75 * DOWN)
            self.play(FadeIn(d), FadeIn(self.cost_label(d)), Write(self.rule))
            label = self.math(self.a(L - 1, k), SMALL_FONT).next_to(d.column_top(L - 1, 0.05), UP, 0.05)
            self.play(self.ring(d, L - 1, k), FadeIn(label))
            self.wait(1)

    def walk_paths(self) -> None:
        L, k, d = self.L, self.k, self.d
        total = derivative(C0, activation(L - 1, k))
        with self.step("paths", "Follow each path in turn: the weight w_jk(L), the slope at neuron j, and how "
                       "much the cost cares about a_j(L). Their product is that path's share."):
            rows = []
            for j in range(self.sizes[L]):
                rows.append(
                    self.math(
                        f"j = {j}: quad {self.number(weight(L, j, k), True)} dot "
                        f"{self.number(derivative(activation(L, j), weighted_sum(L, j)), True)} dot "
                        f"{self.number(derivative(C0, activation(L, j)), True)} = "
                        f"{self.number(path_term(total, j))}",
                        SMALL_FONT,
                    )
                )
            self.rows = VGroup(*rows).arrange(DOWN, aligned_edge=LEFT, buff=0.22)
            self.sums_up(", quad ".join(row.source for row in rows))
            self.rows.scale_to_fit_width(min(self.rows.width, 6.4))
            self.rows.next_to(self.rule, DOWN, 0.4).to_edge(RIGHT, buff=0.4)
            for j, row in enumerate(rows):
                lit = self.light(d.edge(L, j, k), d.cost_lines[j])
                self.play(Create(lit), d.neuron(L, j).animate.set_stroke(HIGHLIGHT), run_time=0.8)
                self.play(FadeIn(row, shift=0.2 * LEFT), run_time=0.8)
                self.play(FadeOut(lit), d.neuron(L, j).animate.set_stroke("#FFFFFF", width=2.5), run_time=0.5)
            self.wait(1)

    def add_terms(self) -> None:
        L, k = self.L, self.k
        total = derivative(C0, activation(L - 1, k))
        with self.step("sum", f"Add the paths' shares: ∂C0/∂a_{k}(L-1) = {self.plain(total)}."):
            terms = [self.number(path_term(total, j), True) for j in range(self.sizes[L])]
            self.sum = self.sum_lines(f"{self.d_cost(self.a(L - 1, k))} = ", terms, f" = {self.number(total)}",
                                      SMALL_FONT)
            self.sum.scale_to_fit_width(min(self.sum.width, 6.4))
            self.sums_up(f"{self.d_cost(self.a(L - 1, k))} = {' + '.join(terms)} = {self.number(total)}")
            self.sum.next_to(self.rows, DOWN, 0.4).to_edge(RIGHT, buff=0.4)
            self.play(Write(self.sum), run_time=1.5)
            self.wait(1.5)

    def check_by_nudge(self) -> None:
        L, k, d = self.L, self.k, self.d
        total = derivative(C0, activation(L - 1, k))
        delta, ratio = change(activation(L - 1, k)), measured(total)
        with self.step("nudge", f"Check it: nudge a_{k}(L-1) by {self.plain(delta)} and run the network forward "
                       f"again. The cost changes by about {self.plain(ratio)} times the nudge; the sum predicted "
                       f"{self.plain(total)}."):
            check = self.math(
                f"{self.a(L - 1, k)} + {self.number(delta)} arrow.double quad "
                f"(Delta {sym('C')})/(Delta {self.a(L - 1, k)}) = {self.number(ratio)}",
                SMALL_FONT,
            )
            check.scale_to_fit_width(min(check.width, 6.4))
            self.sums_up(check)
            check.next_to(self.sum, DOWN, 0.4).to_edge(RIGHT, buff=0.4)
            self.play(Indicate(d.neuron(L - 1, k), color=HIGHLIGHT),
                      Create(self.light(*d.edges_from(L, k), *d.cost_lines, width=4)))
            self.play(Write(check), run_time=1.5)
            self.wait(2.5)
