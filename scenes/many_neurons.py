"""Many neurons per layer: the indices, the derivative of one weight, and the sum over paths.

Three scenes on the configured ``[network]`` (default sizes [3, 3, 2], targets (0, 1)):
``MultiNeuronNotation``, ``WeightDerivativeWithIndices`` and ``SumOverPaths``, on the kit's
:class:`~scenes.kit.many_neurons_scene.ManyNeuronsScene`. Each starts from the network stage
(:meth:`~scenes.kit.many_neurons_scene.ManyNeuronsScene.network_stage`) and keeps it: formulas
are written in the free space right of it, and the values they use fly there from the neuron,
edge or cost where they are computed.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    WHITE,
    Arrow,
    Brace,
    Circle,
    Circumscribe,
    Create,
    CurvedArrow,
    DashedVMobject,
    FadeIn,
    FadeOut,
    GrowArrow,
    GrowFromPoint,
    Indicate,
    LaggedStart,
    Line,
    SurroundingRectangle,
    Transform,
    TransformFromCopy,
    TransformMatchingShapes,
    VGroup,
    Write,
    config,
)

from lessonmodel.formula import (
    Delta,
    Eq,
    Frac,
    Group,
    Lit,
    Paren,
    Partial,
    Product,
    Row,
    Signed,
    SumOver,
    Sym,
    Text,
    add,
    items,
    ungrouped,
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
from lessonmodel.notation import layer_of
from scenes.kit.born import BornFrom, Flight, reveal
from scenes.kit.box import Box
from scenes.kit.many_neurons_scene import J_COLOR, K_COLOR, ManyNeuronsScene, sum_sign
from scenes.kit.style import COLORS, HIGHLIGHT, SMALL_FONT

__all__ = ["MultiNeuronNotation", "WeightDerivativeWithIndices", "SumOverPaths"]

EDGE_MARGIN = 0.5  # formulas keep this far from the frame's right edge


def reversed_lines(lines) -> list:
    """Copies of ``lines`` running the other way (a signal along them travels back)."""
    return [Line(line.get_end(), line.get_start()) for line in lines]


class _OnStage(ManyNeuronsScene):
    """The three scenes' shared moves: the stage, the formula area right of it, values in it."""

    def stage(self) -> None:
        """The network stage with its cost label, and the boxes its labels have taken."""
        self.d = self.network_stage()
        self.c_label = self.cost_label(self.d)
        self.taken: list = []

    def area(self, mobject, y: float):
        """Put ``mobject`` in the free space right of the stage, centred there at height y, shrunk to fit."""
        left = self.d.cost_node.get_right()[0] + 0.3
        right = config.frame_width / 2 - EDGE_MARGIN
        if mobject.width > right - left:
            mobject.scale_to_fit_width(right - left)
        return mobject.move_to([(left + right) / 2, y, 0])

    @staticmethod
    def below(mobject, above, buff: float = 0.35):
        """Move ``mobject`` straight up or down to just below ``above``."""
        return mobject.shift((above.get_bottom()[1] - buff - mobject.get_top()[1]) * UP)

    def beside(self, label, l: int, j: int, sides=(90, 270, 45, 135, 315, 225, 0, 180)):
        """Place ``label`` beside neuron j of layer l, clear of the picture, and take its box."""
        self.d.place_clear(label, self.d.around_neuron(l, j, label, sides), self.taken)
        self.taken.append(Box.of(label))
        return label

    def by_edge(self, label, line):
        """Place ``label`` beside ``line``, clear of every other edge and neuron."""
        self.d.place_clear(label, self.d.along_edge(line, label), self.taken)
        self.taken.append(Box.of(label))
        return label

    def fit_beside(self, block, other) -> None:
        """Move ``block`` above or below ``other`` in the formula area (where there is more room),
        shrunk to fit between it and the frame's margin."""
        top, bottom = config.frame_height / 2 - 0.55, -config.frame_height / 2 + 0.55
        above, below = top - other.get_top()[1] - 0.25, other.get_bottom()[1] - 0.25 - bottom
        room = max(above, below)
        if block.height > room:
            block.scale(room / block.height)
        x = block.get_x()
        if above >= below:
            block.move_to([x, top - block.height / 2, 0])
        else:
            block.move_to([x, bottom + block.height / 2, 0])

    def focus_labels(self, color_indices: bool = True) -> VGroup:
        """a_k(L-1) and a_j(L) of the focused pair, their index digits in the indices' colours."""
        L, j, k = self.L, self.j, self.k
        prev = self.math(self.indexed("a", L - 1, (k, "i"), name=activation(L - 1, k)), SMALL_FONT)
        last = self.math(self.indexed("a", L, (j, "i"), name=activation(L, j)), SMALL_FONT)
        if color_indices:
            prev.select("i").set_color(K_COLOR)
            last.select("i").set_color(J_COLOR)
        self.beside(prev, L - 1, k)
        self.beside(last, L, j)
        return VGroup(prev, last)

    def weight_arrow(self) -> Arrow:
        """The focused edge as an arrow from neuron k of layer L-1 to neuron j of layer L."""
        edge = self.d.edge(self.L, self.j, self.k)
        return Arrow(edge.get_start(), edge.get_end(), buff=0, color=WHITE, stroke_width=6,
                     max_tip_length_to_length_ratio=0.12)

    def weight_label(self, concrete: bool) -> VGroup:
        """w_jk(L) (or w_12(L), ``concrete``) beside its edge, j and k in their colours."""
        L, j, k = self.L, self.j, self.k
        label = self.math(self.indexed("w", L, (j, "j"), (k, "k"), name=weight(L, j, k)) if concrete else
                          self.indexed("w", L, ("j", "j"), ("k", "k")), SMALL_FONT)
        self.color_indices(label, j=J_COLOR, k=K_COLOR)
        return self.by_edge(label, self.d.edge(L, j, k))

    def rings(self):
        """The focused pair's neurons outlined in their indices' colours."""
        d, L = self.d, self.L
        return (d.neuron(L - 1, self.k).animate.set_stroke(K_COLOR, width=5),
                d.neuron(L, self.j).animate.set_stroke(J_COLOR, width=5))

    def value_beside(self, name, l: int, j: int, sides=(0, 90, 270, 45, 315)):
        """A value's number, small, beside neuron j of layer l (where it is computed)."""
        label = self.math(self.value(name), SMALL_FONT, color=HIGHLIGHT)
        return self.beside(label, l, j, sides)


class MultiNeuronNotation(_OnStage):
    """The many-neuron network with its real activations, its indices, cost and weighted sum."""

    def construct(self) -> None:
        self.show_network()
        self.show_indices()
        self.show_cost()
        self.show_weight()
        self.show_weighted_sum()

    def show_network(self) -> None:
        sizes = ", ".join(map(str, self.sizes))
        with self.step("network"):
            self.stage()
            d = self.d
            d.neurons.set_fill(opacity=0)
            L = self.L
            z = self.z(L, "j")
            self.sums_up(items(Eq(self.a(L, "j"), self.sigma.of(z)),
                               Eq(z, add(SumOver(Product(self.w(L, "j", "k"), self.a(L - 1, "k"), op=""), "k"),
                                         self.b(L, "j")))))
            self.play(Create(d.edges), Create(d.neurons), Create(d.cost_lines), Create(d.cost_node),
                      FadeIn(self.c_label), run_time=1.5, cue=f"Now every layer has several neurons: {sizes} here.")
            self.play(*(n.animate.set_fill(opacity=min(abs(a), 1.0)) for n, a in zip(d.neurons[0], self.values_of(0))),
                      run_time=0.6, cue="Each is lit by its activation for this example.")
            for step in self.forward_pass(d, run_time=1.2):
                self.play(step)
            edges = [(l, j, k) for l in range(1, self.L + 1)
                     for j in range(self.sizes[l]) for k in range(self.sizes[l - 1])]
            blue = [d.edge(*e) for e in edges if self.net.weights[e[0] - 1][e[1], e[2]] >= 0]
            red = [d.edge(*e) for e in edges if self.net.weights[e[0] - 1][e[1], e[2]] < 0]
            self.say("Blue edges are positive weights, red ones negative;")
            for group, color in ((blue, COLORS["w"]), (red, COLORS["C"])):
                if group:  # a network may have weights of one sign only
                    self.play(*self.signal(*group, color=color, width=7), run_time=1.2)
            thick = sorted(blue + red, key=lambda e: -e.get_stroke_width())[:3]
            self.play(*(Indicate(e, color=None, scale_factor=1.0) for e in thick),
                      *(e.animate.set_stroke(width=e.get_stroke_width() * 1.6) for e in thick),
                      run_time=0.8, cue="thicker edges are larger weights.")
            self.play(*(e.animate.set_stroke(width=e.get_stroke_width() / 1.6) for e in thick), run_time=0.6)

    def show_indices(self) -> None:
        L, d = self.L, self.d
        with self.step("indices"):
            self.inside = VGroup(self.values_inside(d, L - 1), self.values_inside(d, L))
            numbered_prev = self.neuron_labels(d, L - 1, taken=self.taken)
            numbered_last = self.neuron_labels(d, L, taken=self.taken)
            general_prev = VGroup(*(self.math(self.indexed("a", L - 1, ("k", "i")), SMALL_FONT).move_to(n)
                                    for n in numbered_prev))
            general_last = VGroup(*(self.math(self.indexed("a", L, ("j", "i")), SMALL_FONT).move_to(n)
                                    for n in numbered_last))
            for general, numbered in ((general_prev, numbered_prev), (general_last, numbered_last)):
                for label, number in zip(general, numbered):
                    label.neuron = number.neuron
            for label in general_prev:
                label.select("i").set_color(K_COLOR)
            for label in general_last:
                label.select("i").set_color(J_COLOR)
            rows = [d.neuron(L, j).get_center()[1] for j in range(self.sizes[L])]
            target_lines = [Eq(self.y(j), Group("v", self.value(target(j)))) for j in range(self.sizes[L])]
            targets = VGroup(*(self.math(line, SMALL_FONT) for line in target_lines))
            for label, y in zip(targets, rows):
                label.next_to([d.cost_node.get_right()[0], y, 0], RIGHT, 0.35)
            self.targets = targets
            self.sums_up(items(self.a(L - 1, "k"), self.a(L, "j"), *map(ungrouped, target_lines)))
            grow = [GrowFromPoint(label, d.neuron(L - 1, label.neuron).get_center()) for label in numbered_prev]
            grow += [GrowFromPoint(label, d.neuron(L, label.neuron).get_center()) for label in numbered_last]
            self.play(FadeIn(self.inside), LaggedStart(*grow, lag_ratio=0.15), run_time=1.5,
                      cue="We name them with indices:")
            self.add_foreground_mobjects(self.inside)  # the values stay readable while neurons flicker
            self.play(*(TransformMatchingShapes(a, b) for a, b in zip(numbered_prev, general_prev)),
                      *(n.animate.set_stroke(K_COLOR, width=4) for n in d.neurons[L - 1]), run_time=1.8,
                      cue=(self.a(L - 1, "k"), " is neuron k of layer ", layer_of(L - 1, L), ","))
            self.play(*(TransformMatchingShapes(a, b) for a, b in zip(numbered_last, general_last)),
                      *(n.animate.set_stroke(J_COLOR, width=4) for n in d.neurons[L]), run_time=1.8,
                      cue=(self.a(L, "j"), " is neuron j of the last layer,"))
            self.general = VGroup(general_prev, general_last)
            self.play(*(GrowFromPoint(t, d.cost_node.get_center()) for t in targets),
                      *self.signal(*d.cost_lines, color=COLORS["y"]), run_time=1.2,
                      cue=("and each output j has its own target ", self.y("j"), "."))
            self.wait(0.5)

    def show_cost(self) -> None:
        L, d = self.L, self.d
        n_out = self.sizes[L]
        v = self.value
        share = self.cost_notation.share  # one output's term of C0: (a_j - y_j)^2
        terms = [share(Group(f"a{j}", v(activation(L, j))), Group(f"y{j}", Signed(v(target(j)))))
                 for j in range(n_out)]
        error = share(self.a(L, "j"), self.y("j"))
        with self.step("cost"):
            symbolic = self.math(Eq(self.sym(C0), Row(sum_sign("j"), error)))
            numeric = self.sum_lines(None, terms, Group("total", self.value(C0)), per_line=2)
            block = VGroup(symbolic, numeric).arrange(DOWN, buff=0.5)
            self.area(block, 0.0)
            block.to_edge(UP, buff=0.6)
            brace = Brace(symbolic.select("sum"), DOWN, buff=0.05, color=HIGHLIGHT)
            words = self.math(Row(Text("sum over layer"), Lit("L")), 28, color=HIGHLIGHT).next_to(brace, DOWN, 0.05)
            layer_box = DashedVMobject(SurroundingRectangle(VGroup(d.neurons[L], self.general[1]), color=HIGHLIGHT,
                                                            buff=0.08))
            numeric.next_to(VGroup(symbolic, words), DOWN, 0.3)
            self.fit_beside(VGroup(symbolic, brace, words, numeric), self.targets)
            self.cost = VGroup(symbolic, numeric, brace, words, layer_box)
            self.sums_up(Eq(self.sym(C0), SumOver(error, "j"), ungrouped(add(*terms)), self.value(C0)))
            self.play(Write(symbolic), run_time=1.2, cue="The cost of this example adds up")
            self.play(Create(brace), FadeIn(words), Create(layer_box), *self.signal(*d.cost_lines, color=COLORS["C"]),
                      run_time=1.2, cue=f"the {self.cost_notation.prose} of every output:")
            arrivals = [(self.inside[1][j], self.part(numeric, f"a{j}")) for j in range(n_out)]
            arrivals += [(self.targets[j].select("v"), self.part(numeric, f"y{j}")) for j in range(n_out)]
            total = self.part(numeric, "total")
            self.play(BornFrom(numeric, arrivals, flight=Flight.OWN, appear=FadeIn, hidden=[total]), run_time=1.6)
            self.play(*reveal(total), Indicate(d.cost_node, color=COLORS["C"]),
                      run_time=1.0, cue=(Eq(self.sym(C0), self.value(C0)), "."))
            self.wait(1.0)

    @staticmethod
    def part(lines: VGroup, label: str) -> VGroup:
        """The group ``label`` of whichever line of ``lines`` holds it."""
        for line in lines:
            try:
                return line.select(label)
            except KeyError:
                continue
        raise KeyError(label)

    def show_weight(self) -> None:
        L, d, j, k = self.L, self.d, self.j, self.k
        name = weight(L, j, k)
        with self.step("weight"):
            self.play(FadeOut(self.cost), FadeOut(self.targets),
                      *(n.animate.set_stroke("#FFFFFF", width=2.5) for n in d.neurons[L - 1]),
                      *(n.animate.set_stroke("#FFFFFF", width=2.5) for n in d.neurons[L]), run_time=0.6)
            arrow = self.arrow = self.weight_arrow()
            label = self.w_label = self.weight_label(concrete=False)
            self.play(self.rings()[0], *self.indicate_label(self.general[0], k, K_COLOR), GrowArrow(arrow),
                      run_time=1.8, cue=("The weight from neuron k of layer ", layer_of(L - 1, L)))
            self.play(self.rings()[1], *self.indicate_label(self.general[1], j, J_COLOR),
                      GrowFromPoint(label, arrow.get_center()), *self.signal(arrow, width=9), run_time=1.8,
                      cue=("to neuron j of layer L is ", self.w(L, "j", "k"), "."))
            # which letter names which end: j the neuron it goes to, k the one it comes from
            pointers = VGroup(
                # to the neuron's lower left: its own label sits right below it
                CurvedArrow(label.select("j").get_bottom() + 0.05 * DOWN,
                            d.neuron(L, j).get_center() + (d.radius + 0.05) * np.array([-0.71, -0.71, 0.0]),
                            color=J_COLOR, stroke_width=3, angle=0.8, tip_length=0.15),
                CurvedArrow(label.select("k").get_bottom() + 0.05 * DOWN,
                            d.neuron(L - 1, k).get_center() + (d.radius + 0.05) * np.array([0.71, -0.71, 0.0]),
                            color=K_COLOR, stroke_width=3, angle=-0.8, tip_length=0.15),
            )
            order = self.math(Row(Row(Group("j", Lit("j")), Text("to,")), Row(Group("k", Lit("k")), Text("from")),
                                  sep=" quad ", words_sep=" "), SMALL_FONT)
            self.color_indices(order, j=J_COLOR, k=K_COLOR)
            self.area(order, 1.6)
            self.play(Create(pointers[0]), FadeIn(order), Indicate(d.neuron(L, j), color=J_COLOR), run_time=1.8,
                      cue="Its first index j is the neuron it goes to,")
            self.play(Create(pointers[1]), Indicate(d.neuron(L - 1, k), color=K_COLOR), run_time=1.8,
                      cue="the second index k the one it comes from.")
            lhs = self.math(self.indexed("w", L, ("j", "j"), ("k", "k")))
            rhs = self.math(Row("=", Eq(self.indexed("w", L, (j, "j"), (k, "k"), name=name), self.value(name))))
            self.color_indices(lhs, j=J_COLOR, k=K_COLOR)
            self.color_indices(rhs, j=J_COLOR, k=K_COLOR)
            self.weight_line = VGroup(lhs, rhs).arrange(RIGHT, buff=0.2)
            self.area(self.weight_line, 0.3)
            pair = Row(Eq(Lit("j"), Lit(str(j))), Eq(Lit("k"), Lit(str(k))), sep=", ")
            self.sums_up(Row(Eq(self.w(L, "j", "k"), self.sym(name), self.value(name)), Paren(pair), sep=" quad ",
                             words_sep=" ", said_sep=","))
            concrete = self.weight_label(concrete=True).move_to(label)
            self.play(TransformFromCopy(label, lhs), Write(rhs),
                      Transform(label, concrete), *self.signal(arrow, width=9), run_time=2.0,
                      cue=(f"Here j = {j} and k = {k}: ", Eq(self.sym(name), self.value(name)), "."))
            self.pointers, self.order = pointers, order
            self.wait(1.0)

    @staticmethod
    def indicate_label(labels: VGroup, neuron: int, color) -> list:
        """Indicate the label of ``neuron`` among ``labels``, if it has one."""
        return [Indicate(label, color=color) for label in labels if label.neuron == neuron]

    def show_weighted_sum(self) -> None:
        L, d, j = self.L, self.d, self.j
        n_prev = self.sizes[L - 1]
        v = self.value
        terms = [Product(v(weight(L, j, k)), Group(f"a{k}", Signed(v(activation(L - 1, k))))) for k in range(n_prev)]
        terms.append(v(bias(L, j)))
        with self.step("weighted_sum"):
            self.play(FadeOut(self.weight_line), FadeOut(self.pointers), FadeOut(self.order), run_time=0.6)
            lit = self.light(*(d.edge(L, j, k) for k in range(n_prev)), width=4)
            symbolic = self.math(Eq(self.z(L, "j"), add(Row(sum_sign("k"), Product(self.w(L, "j", "k"),
                                                                                    self.a(L - 1, "k"), op="")),
                                                         self.b(L, "j"))))
            numeric = self.sum_lines(self.z(L, j), terms, Group("z", v(weighted_sum(L, j))), per_line=2)
            squashing = Eq(self.a(L, j), self.sigma.of(v(weighted_sum(L, j))), v(activation(L, j)))
            squashed = self.math(squashing)
            block = VGroup(symbolic, numeric, squashed).arrange(DOWN, buff=0.45)
            self.area(block, 0.0)
            block.to_edge(UP, buff=0.6)
            brace = Brace(symbolic.select("sum"), DOWN, buff=0.05, color=HIGHLIGHT)
            words = self.math(Row(Text("sum over layer"), Lit("L-1")), 28, color=HIGHLIGHT).next_to(brace, DOWN, 0.05)
            VGroup(numeric, squashed).next_to(words, DOWN, 0.3)
            if VGroup(numeric, squashed).get_bottom()[1] < -config.frame_height / 2 + 0.5:
                VGroup(numeric, squashed).scale_to_fit_height(
                    VGroup(numeric, squashed).get_top()[1] + config.frame_height / 2 - 0.5, about_edge=UP)
            self.sums_up(items(Eq(self.z(L, j), ungrouped(add(*terms)), v(weighted_sum(L, j))), squashing))
            self.play(Create(lit), Write(symbolic), Create(brace), FadeIn(words), run_time=1.2,
                      cue="Neuron j adds up every neuron k before it,")
            self.play(self.flicker(d, L, j, run_time=3.0), *self.signal(*lit, width=5), run_time=3.0,
                      cue="each times its weight, plus its bias:")
            slots = VGroup(*(self.part(numeric, f"a{k}") for k in range(n_prev)))
            z_slot = self.part(numeric, "z")
            arrivals = [(self.inside[0][k], slots[k]) for k in range(n_prev)]
            self.play(BornFrom(numeric, arrivals, flight=Flight.OWN, appear=FadeIn, hidden=[z_slot]), run_time=1.6)
            self.play(*reveal(z_slot), run_time=0.8,
                      cue=(Eq(self.z(L, j), v(weighted_sum(L, j))), ","))
            self.play(Write(squashed), Circumscribe(d.neuron(L, j), color=HIGHLIGHT, shape=Circle), run_time=1.2,
                      cue=("and ", squashing, "."))
            self.play(Indicate(self.inside[1][j], color=HIGHLIGHT), run_time=0.8)
            self.wait(1.0)


class WeightDerivativeWithIndices(_OnStage):
    """∂C0/∂w_jk(L) = a_k(L-1) σ'(z_j(L)) 2(a_j(L) - y_j) for the focused pair, with values (from a
    softmax output, two factors: a_k(L-1) ∂C0/∂z_j(L), see :attr:`ManyNeuronsScene.fused`)."""

    def construct(self) -> None:
        self.stage()
        self.add(self.d, self.c_label)
        self.show_path()
        self.show_chain_rule()
        self.show_factors()
        self.show_product()

    def show_path(self) -> None:
        L, j, k, d = self.L, self.j, self.k, self.d
        with self.step("the_path"):
            self.arrow = self.weight_arrow()
            self.w_label = self.weight_label(concrete=True)
            self.labels = self.focus_labels()
            self.inside = VGroup(self.values_inside(d, L - 1)[k], self.values_inside(d, L)[j])
            self.add_foreground_mobjects(self.inside)
            through = [self.z(L, j)] if self.fused else [self.z(L, j), self.a(L, j)]
            path = [self.sym(weight(L, j, k)), *through, self.sym(C0)]
            symbols = [self.math(self.indexed("w", L, (j, "j"), (k, "k"), name=weight(L, j, k))),
                       *(self.math(s) for s in path[1:])]
            self.color_indices(symbols[0], j=J_COLOR, k=K_COLOR)
            arrows = [self.math(Lit("arrow.r")) for _ in symbols[1:]]
            chain = VGroup(symbols[0], *(m for pair in zip(arrows, symbols[1:]) for m in pair))
            chain.arrange(RIGHT, buff=0.25)
            self.area(chain, 2.9)
            self.chain = chain
            self.sums_up(Row(*path, sep=" arrow.r ", words_sep=" → ", said_sep="then"))
            self.play(*self.rings(), GrowArrow(self.arrow), FadeIn(self.w_label), FadeIn(self.labels),
                      FadeIn(self.inside), run_time=1.5,
                      cue=("Take one weight, ", self.w(L, "j", "k"), f" with j = {j} and k = {k}."))
            path = [self.arrow, d.cost_lines[j]]
            self.play(TransformFromCopy(self.w_label, symbols[0]), *self.signal(path[0]), run_time=1.0)
            only = (self.z(L, "j"),) if self.fused else (self.z(L, "j"), " and ", self.a(L, "j"))
            self.play(*(FadeIn(arrow) for arrow in arrows[:-1]),
                      *(TransformFromCopy(self.labels[1], symbol) for symbol in symbols[1:-1]),
                      Indicate(d.neuron(L, j), color=J_COLOR), run_time=1.0,
                      cue=("It reaches the cost only through ", *only, "."))
            self.play(FadeIn(arrows[-1]), TransformFromCopy(self.c_label, symbols[-1]),
                      *self.signal(path[1], color=COLORS["C"]), run_time=1.0)

    def show_chain_rule(self) -> None:
        L = self.L
        with self.step("chain_rule"):
            w, z, a = self.w(L, "j", "k"), self.z(L, "j"), self.a(L, "j")
            last = ([Group("dc", self.d_cost(z))] if self.fused
                    else [Group("da", Partial(a, z)), Group("dc", self.d_cost(a))])
            rule = Eq(self.d_cost(w), Product(Group("dz", Partial(z, w)), *last, op=""))
            self.rule = self.math(rule)
            self.area(self.rule, 1.55)
            self.sums_up(ungrouped(rule))
            d, j = self.d, self.j
            if self.fused:
                says = ("The chain rule gives two factors:",
                        "the softmax ties each output to every weighted sum of its layer.")
            else:
                says = ("The chain rule gives the same three factors",
                        "as in the chain of single neurons, now with indices.")
            self.play(Write(self.rule), *self.signal(self.arrow, d.cost_lines[j]), run_time=2.0, cue=says[0])
            # each factor beside the step of the path it measures: the edge, neuron j, j's line to the cost
            self.play(Circumscribe(self.rule.select("dz"), color=HIGHLIGHT), *self.signal(self.arrow), run_time=1.2,
                      cue=says[1])
            if not self.fused:
                self.play(Circumscribe(self.rule.select("da"), color=HIGHLIGHT),
                          Indicate(d.neuron(L, j), color=J_COLOR), run_time=1.2)
            self.play(Circumscribe(self.rule.select("dc"), color=HIGHLIGHT),
                      *self.signal(d.cost_lines[j], color=COLORS["C"]), run_time=1.2)

    def show_factors(self) -> None:
        if self.fused:
            self.show_two_factors()
            return
        L, j, k, d = self.L, self.j, self.k, self.d
        sigma_p, err = derivative(activation(L, j), weighted_sum(L, j)), derivative(C0, activation(L, j))
        self.factors = (activation(L - 1, k), sigma_p, err)
        with self.step("factors"):
            dc = self.cost_notation.derivative  # ∂C0/∂a_j(L): 2(a_j(L) - y_j)
            symbolic = [self.a(L - 1, "k"), self.slope(L, "j"), dc(self.a(L, "j"), self.y("j"))]
            pieces = [self.math(piece) for piece in symbolic]
            row = VGroup(*pieces).arrange(RIGHT, buff=0.7)
            self.area(row, 0.15)
            v = self.value
            expansion = dc(v(activation(L, j)), v(target(j)))
            values = [
                self.math(v(activation(L - 1, k)), SMALL_FONT),
                self.math(v(sigma_p), SMALL_FONT),
                self.math(Eq(expansion, Group("v", v(err))), SMALL_FONT),
            ]
            for piece, value in zip(pieces, values):
                value.next_to(piece, DOWN, 0.3)
            # the error's expansion is wide: it takes a line of its own, its value under its factor
            values[2].next_to(values[1], DOWN, 0.3)
            values[2].shift((pieces[2].get_x() - values[2].select("v").get_x()) * RIGHT)
            right = config.frame_width / 2 - EDGE_MARGIN
            if values[2].get_right()[0] > right:
                values[2].shift((right - values[2].get_right()[0]) * RIGHT)
            self.values = values
            self.sums_up(items(Eq(self.a(L - 1, k), v(activation(L - 1, k))), Eq(self.slope(L, j), v(sigma_p)),
                               Eq(dc(self.a(L, j), self.y(j)), expansion, v(err))))
            # where each factor is computed: the neuron k, the slope at neuron j, the error at the cost
            # in a crowded layer, any side but the incoming edges'
            slope_here = self.value_beside(sigma_p, L, j, sides=(90, 270, 45, 315, 0, 135, 225))
            err_here = self.math(v(err), SMALL_FONT, color=HIGHLIGHT)
            self.d.place_clear(err_here, self.d.along_edge(d.cost_lines[j], err_here), self.taken)
            self.taken.append(Box.of(err_here))
            says = [(Eq(self.a(L - 1, k), v(activation(L - 1, k))), ","),
                    ("the slope at neuron ", str(j), ", ", v(sigma_p), ","),
                    ("and ", Eq(expansion, v(err)), ".")]
            self.play(Write(pieces[0]), Indicate(self.inside[0], color=K_COLOR), run_time=0.8,
                      cue="Each factor has a value:")
            self.play(TransformFromCopy(self.inside[0], values[0]), run_time=1.0, cue=says[0])
            self.play(Write(pieces[1]), FadeIn(slope_here, scale=0.6), Indicate(d.neuron(L, j), color=J_COLOR),
                      run_time=0.8)
            self.play(TransformFromCopy(slope_here, values[1]), run_time=1.0, cue=says[1])
            self.play(Write(pieces[2]), FadeIn(err_here, scale=0.6), *self.signal(d.cost_lines[j], color=COLORS["C"]),
                      run_time=0.8)
            self.play(BornFrom(values[2], [(err_here, values[2].select("v"))], flight=Flight.OWN, appear=FadeIn),
                      run_time=1.0)
            self.play(Circumscribe(values[2].select("v"), color=HIGHLIGHT), run_time=0.8, cue=says[2])
            self.pieces = VGroup(*pieces)
            self.sources = [values[0], values[1], values[2].select("v")]
            self.wait(1.0)

    def show_two_factors(self) -> None:
        """a_k(L-1) and ∂C0/∂z_j(L) = a_j(L) - y_j, each with its value: a softmax output's factors."""
        L, j, k, d, v = self.L, self.j, self.k, self.d, self.value
        delta = derivative(C0, weighted_sum(L, j))
        self.factors = (activation(L - 1, k), delta)
        with self.step("factors"):
            error = self.cost_notation.output_error
            pieces = [self.math(self.a(L - 1, "k")), self.math(self.d_cost(self.z(L, "j")))]
            self.area(VGroup(*pieces).arrange(RIGHT, buff=0.9), 0.15)
            expansion = error(v(activation(L, j)), v(target(j)))
            values = [self.math(v(activation(L - 1, k)), SMALL_FONT),
                      self.math(Eq(expansion, Group("v", v(delta))), SMALL_FONT)]
            for piece, value in zip(pieces, values):
                value.next_to(piece, DOWN, 0.3)
            right = config.frame_width / 2 - EDGE_MARGIN
            if values[1].get_right()[0] > right:
                values[1].shift((right - values[1].get_right()[0]) * RIGHT)
            self.values = values
            here = Eq(self.d_cost(self.z(L, j)), error(self.a(L, j), self.y(j)))
            self.sums_up(items(Eq(self.a(L - 1, k), v(activation(L - 1, k))), Eq(here, expansion, v(delta))))
            delta_here = self.math(v(delta), SMALL_FONT, color=HIGHLIGHT)
            self.d.place_clear(delta_here, self.d.along_edge(d.cost_lines[j], delta_here), self.taken)
            self.taken.append(Box.of(delta_here))
            self.play(Write(pieces[0]), Indicate(self.inside[0], color=K_COLOR), run_time=0.8,
                      cue="Each factor has a value:")
            self.play(TransformFromCopy(self.inside[0], values[0]), run_time=1.0,
                      cue=(Eq(self.a(L - 1, k), v(activation(L - 1, k))), ","))
            self.play(Write(pieces[1]), FadeIn(delta_here, scale=0.6),
                      *self.signal(d.cost_lines[j], color=COLORS["C"]), run_time=0.8)
            self.play(BornFrom(values[1], [(delta_here, values[1].select("v"))], flight=Flight.OWN, appear=FadeIn),
                      run_time=1.0)
            self.play(Circumscribe(values[1].select("v"), color=HIGHLIGHT), run_time=0.8,
                      cue=("and ", Eq(expansion, v(delta)), "."))
            self.pieces = VGroup(*pieces)
            self.sources = [values[0], values[1].select("v")]
            self.wait(1.0)

    def show_product(self) -> None:
        L, j, k = self.L, self.j, self.k
        name = derivative(C0, weight(L, j, k))
        with self.step("product"):
            factors = self.factors
            grouped = Eq(self.d_cost(self.w(L, j, k)),
                         Product(*(Group(f"f{i}", Signed(self.value(f))) for i, f in enumerate(factors))),
                         Group("value", self.value(name)))
            product = self.math(grouped)
            self.area(product, -2.35)
            self.sums_up(ungrouped(grouped))
            arrivals = [(s, product.select(f"f{i}")) for i, s in enumerate(self.sources)]
            self.play(BornFrom(product, arrivals, flight=Flight.OWN, appear=FadeIn, hidden=[product.select("value")]),
                      run_time=1.6, cue="Their product is the derivative:")
            self.play(*reveal(product.select("value")),
                      Circumscribe(product.select("value"), color=HIGHLIGHT),
                      self.arrow.animate.set_stroke(width=9), Indicate(self.w_label, color=HIGHLIGHT), run_time=1.2,
                      cue=(Eq(self.d_cost(self.w(L, j, k)), self.value(name)), "."))
            self.wait(1.0)


class SumOverPaths(_OnStage):
    """∂C0/∂a_k(L-1) as the sum of one term per path through a neuron j of layer L, checked by a nudge."""

    def construct(self) -> None:
        self.stage()
        self.add(self.d, self.c_label)
        self.show_rule()
        self.walk_paths()
        self.add_terms()
        self.check_by_nudge()

    def output_factors(self, j) -> list:
        """Neuron j's factors of a path: σ'(z_j(L)) and ∂C0/∂a_j(L), or from a softmax the one
        ∂C0/∂z_j(L) (:attr:`ManyNeuronsScene.fused`)."""
        L = self.L
        return [self.d_cost(self.z(L, j))] if self.fused else [self.slope(L, j), self.d_cost(self.a(L, j))]

    def output_values(self, j: int) -> list:
        """The values of :meth:`output_factors` for output j."""
        L, v = self.L, self.value
        if self.fused:
            return [v(derivative(C0, weighted_sum(L, j)))]
        return [v(derivative(activation(L, j), weighted_sum(L, j))), v(derivative(C0, activation(L, j)))]

    def paths(self, j: int) -> list:
        """The path of a_k(L-1) through neuron j of layer L: its edge, then j's line to the cost."""
        return [self.d.edge(self.L, j, self.k), self.d.cost_lines[j]]

    def show_rule(self) -> None:
        L, k, d = self.L, self.k, self.d
        with self.step("every_path"):
            rule = Eq(self.d_cost(self.a(L - 1, "k")),
                      Row(sum_sign("j"), Product(self.w(L, "j", "k"), *self.output_factors("j"), op="")))
            self.rule = self.math(rule)
            self.area(self.rule, 0)
            self.rule.to_edge(UP, buff=0.6)
            self.sums_up(ungrouped(rule))
            label = self.math(self.indexed("a", L - 1, (k, "i"), name=activation(L - 1, k)), SMALL_FONT)
            label.select("i").set_color(K_COLOR)
            self.beside(label, L - 1, k)
            self.k_label = label
            self.play(d.neuron(L - 1, k).animate.set_stroke(K_COLOR, width=5), FadeIn(label),
                      *self.signal(*d.edges_from(L, k)), Write(self.rule), run_time=1.5,
                      cue=(f"Neuron k = {k} of layer ", layer_of(L - 1, L), " feeds every neuron of layer L,"))
            self.play(*self.signal(*d.cost_lines, color=COLORS["C"]),
                      *(n.animate.set_stroke(J_COLOR, width=4) for n in d.neurons[L]), run_time=1.2,
                      cue="and each of them feeds the cost.")
            brace = Brace(self.rule.select("sum"), DOWN, buff=0.05, color=HIGHLIGHT)
            words = self.math(Text("one term per path"), 28, color=HIGHLIGHT).next_to(brace, DOWN, 0.05)
            self.brace = VGroup(brace, words)
            every = [line for j in range(self.sizes[L]) for line in self.paths(j)]
            self.play(Create(brace), FadeIn(words), *self.signal(*every),
                      run_time=1.2, cue="So its derivative is a sum over those paths.")

    def walk_paths(self) -> None:
        L, k, d = self.L, self.k, self.d
        total = derivative(C0, activation(L - 1, k))
        with self.step("paths"):
            v, shares = self.value, []
            terms = [Row(Eq(Lit("j"), Lit(str(j))),
                         Eq(Product(v(weight(L, j, k)), *self.output_values(j)), Group("t", v(path_term(total, j)))),
                         sep=": quad ", words_sep=": ") for j in range(self.sizes[L])]
            rows = [self.math(term, SMALL_FONT) for term in terms]
            self.rows = VGroup(*rows).arrange(DOWN, aligned_edge=LEFT, buff=0.22)
            self.below(self.area(self.rows, 0), self.brace)
            # leave room under the rows for the sum (a line per 3 terms) and the nudge's check
            floor = -config.frame_height / 2 + 0.55 + 0.55 * -(-self.sizes[L] // 3) + 0.35 + 0.9 + 0.35
            if self.rows.get_bottom()[1] < floor:
                self.rows.scale((self.rows.get_top()[1] - floor) / self.rows.height, about_edge=UP)
            self.sums_up(items(*map(ungrouped, terms)))
            for j in range(self.sizes[L]):
                share = self.math(v(path_term(total, j)), SMALL_FONT, color=HIGHLIGHT)
                spots = self.d.along_edge(d.cost_lines[j], share) + self.d.around_neuron(L, j, share, (0, 45, 315))
                self.d.place_clear(share, spots, self.taken)
                if share.clashes:  # a crowded last layer: no free spot on this path, the row alone shows it
                    shares.append(None)
                    continue
                self.taken.append(Box.of(share))
                shares.append(share)
            self.shares = shares
            says = ["Follow each path in turn:", ("the weight ", self.w(L, "j", "k"), ", the slope at neuron j,"),
                    ("and how much the cost cares about ", self.a(L, "j"), "."), "Their product is that path's share."]
            if self.fused:
                says[1:3] = [("the weight ", self.w(L, "j", "k"), ","),
                             ("and how much the cost cares about ", self.z(L, "j"), ".")]
            for j, row in enumerate(rows):
                lit = self.light(*self.paths(j))
                self.play(Create(lit), d.neuron(L, j).animate.set_stroke(HIGHLIGHT, width=5), run_time=1.2,
                          cue=says.pop(0) if says else None)
                # the row is read off its path: a signal runs along it while the row comes in
                self.play(FadeIn(row, shift=0.2 * LEFT), *self.signal(*self.paths(j), width=8),
                          Indicate(d.neuron(L, j), color=HIGHLIGHT), run_time=1.6, cue=says.pop(0) if says else None)
                if shares[j] is not None:
                    self.play(TransformFromCopy(row.select("t"), shares[j]), run_time=1.2)
                self.play(FadeOut(lit), d.neuron(L, j).animate.set_stroke(J_COLOR, width=4), run_time=0.6)
            for cue in says:
                self.say(cue)
            self.wait(0.5)

    def add_terms(self) -> None:
        L, k = self.L, self.k
        total = derivative(C0, activation(L - 1, k))
        with self.step("sum"):
            v, derivative_here = self.value, self.d_cost(self.a(L - 1, k))
            terms = [Group(f"t{j}", Signed(v(path_term(total, j)))) for j in range(self.sizes[L])]
            self.sum = self.sum_lines(derivative_here, terms, Group("total", v(total)), SMALL_FONT)
            self.below(self.area(self.sum, 0), self.rows)
            self.sums_up(Eq(derivative_here, ungrouped(add(*terms)), v(total)))
            slots = [MultiNeuronNotation.part(self.sum, f"t{j}") for j in range(self.sizes[L])]
            result = MultiNeuronNotation.part(self.sum, "total")
            sources = [share if share is not None else row.select("t") for share, row in zip(self.shares, self.rows)]
            arrivals = [(sources[j], slots[j]) for j in range(self.sizes[L])]
            self.play(BornFrom(self.sum, arrivals, flight=Flight.OWN, appear=FadeIn, hidden=[result]),
                      *self.signal(*(self.paths(j)[1] for j in range(self.sizes[L])), color=HIGHLIGHT),
                      run_time=1.6, cue="Add the paths' shares:")
            # the sum belongs to neuron k: it flows back there
            here = self.math(v(total), SMALL_FONT, color=HIGHLIGHT)
            self.beside(here, L - 1, k, sides=(270, 90, 225, 135, 315, 45))
            self.play(*reveal(result), run_time=0.6, cue=(Eq(derivative_here, v(total)), "."))
            back = [TransformFromCopy(result, here)] if not here.clashes else []  # no free spot: the flow alone
            self.play(*back, *self.signal(*reversed_lines(self.d.edges_from(L, k))), run_time=1.2)
            self.total_here = here if not here.clashes else None

    def check_by_nudge(self) -> None:
        L, k, d = self.L, self.k, self.d
        total = derivative(C0, activation(L - 1, k))
        delta, ratio = change(activation(L - 1, k)), measured(total)
        n_out = self.sizes[L]
        with self.step("nudge"):
            v, a, cost = self.value, self.a(L - 1, k), self.sym(C0)
            nudged = Row(add(a, Group("d", v(delta))), Lit("arrow.double quad", "⇒", "so"),
                         Eq(Frac(Delta(cost), Delta(a)), Group("r", v(ratio))))
            check = self.math(nudged, SMALL_FONT)
            self.below(self.area(check, 0), self.sum)
            if check.get_bottom()[1] < -config.frame_height / 2 + 0.5:
                check.shift((-config.frame_height / 2 + 0.5 - check.get_bottom()[1]) * UP)
            self.sums_up(ungrouped(nudged))
            neuron = d.neuron(L - 1, k)
            step = Group("d", v(delta))  # with its sign: +0.01
            bump = self.math(step if step.negative() else Row("+", step, sep=""), SMALL_FONT, color=HIGHLIGHT)
            self.beside(bump, L - 1, k, sides=(225, 315, 270, 180, 135, 90))
            shares = [abs(self.named[path_term(total, j)]) for j in range(n_out)]
            biggest = max(max(shares), 1e-12)
            widths = [2.0 + 10.0 * s / biggest for s in shares]
            # the nudge: the neuron's dot moves (brighter) by the nudge, drawn larger than life
            self.play(neuron.animate.set_fill(opacity=min(neuron.get_fill_opacity() + 0.3, 1.0)),
                      *([FadeIn(bump, shift=0.2 * RIGHT)] if not bump.clashes else []),
                      Circumscribe(neuron, color=HIGHLIGHT, shape=Circle),
                      run_time=1.0, cue="Check it: nudge it and run the network again.")
            # the change travels along every path: to each neuron j, then on to the cost; each path's
            # edge and line thicken with the share of the sensitivity they carry
            to_j = [self.travelling_dot(self.paths(j)[0]) for j in range(n_out)]
            to_cost = [self.travelling_dot(self.paths(j)[1]) for j in range(n_out)]
            self.add(*(dot for dot, _ in to_j))
            thicken = [[line.animate.set_stroke(HIGHLIGHT, width=widths[j], opacity=1) for line in self.paths(j)]
                       for j in range(n_out)]
            self.play(*(move for _, move in to_j), *(pair[0] for pair in thicken), run_time=1.2,
                      cue=("A nudge of ", v(delta), " changes the cost") if not bump.clashes else
                      "The nudge runs along every path to the cost")
            self.remove(*(dot for dot, _ in to_j))
            self.add(*(dot for dot, _ in to_cost))
            self.play(*(move for _, move in to_cost),
                      *(Indicate(d.neuron(L, j), color=HIGHLIGHT) for j in range(n_out)),
                      *(pair[1] for pair in thicken),
                      *(Indicate(share, color=HIGHLIGHT) for share in self.shares if share is not None),
                      run_time=1.2)
            self.remove(*(dot for dot, _ in to_cost))
            measured_here = self.math(Eq(Frac(Delta(cost), Delta(Sym("a"))), Group("r", v(ratio))), SMALL_FONT)
            formulas = [Box.of(m) for m in (self.rule, self.brace, self.rows, self.sum, check)]
            self.d.place_clear(measured_here, self._around_cost(measured_here), self.taken + formulas)
            beside_cost = [FadeIn(measured_here, scale=0.7)] if not measured_here.clashes else []  # no room: the
            # check below says the same
            step_in = [(bump.select("d"), check.select("d"))] if not bump.clashes else []  # else it fades in too
            self.play(BornFrom(check, step_in, flight=Flight.OWN, appear=FadeIn), *beside_cost, run_time=1.2)
            self.play(Circumscribe(check.select("r"), color=HIGHLIGHT), run_time=1.0,
                      cue=("by about ", v(ratio), " times the nudge;"))
            self.play(Circumscribe(MultiNeuronNotation.part(self.sum, "total"), color=HIGHLIGHT),
                      *([Indicate(self.total_here, color=HIGHLIGHT)] if self.total_here is not None else []),
                      run_time=1.2,
                      cue=("the sum predicted ", v(total), "."))
            self.wait(1.0)

    def _around_cost(self, label) -> list:
        node = self.d.cost_node
        out = []
        for gap in (0.12, 0.3, 0.6, 1.0):
            for shift in (0.0, -0.5, -1.0):
                out.append(node.get_bottom() + (gap + label.height / 2) * DOWN + shift * RIGHT)
                out.append(node.get_top() + (gap + label.height / 2) * UP + shift * RIGHT)
        return out

