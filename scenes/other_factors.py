"""The other chain-rule derivatives of the chain: swap the first factor to get ∂C0/∂b(L) and
∂C0/∂a(L-1), then keep going back along the chain to w(L-1), b(L-1), ... as longer products."""

from __future__ import annotations

from manim import (
    DOWN,
    GREY_B,
    LEFT,
    RIGHT,
    UP,
    WHITE,
    Create,
    FadeIn,
    FadeOut,
    Line,
    SurroundingRectangle,
    Transform,
    VGroup,
    Write,
)

from lessonmodel.names import C0, Derivative, activation, bias, derivative, weight
from lessonmodel.values import chain_factors_named, chain_path, factor_name
from scenes.kit.chain_diagram import ChainDiagram, activation_opacity
from scenes.kit.lesson_scene import ChainScene
from scenes.kit.notation import activation_symbol, layer_name, sym
from scenes.kit.partials import partial
from scenes.kit.style import FONT, HIGHLIGHT, SMALL_FONT

__all__ = ["BiasAndPreviousActivation", "BackwardsThroughChain"]

FORMULA_FONT = FONT


class ChainFormulas:
    """Typst for the chain's derivatives and their factors, by kind and layer (names from the end:
    L, L-1, ...). Shared by the scenes of this module."""

    def __init__(self, depth: int, activation: str) -> None:
        self.L = depth
        self.sigma = activation_symbol(activation)

    def name(self, kind: str, layer: int) -> Derivative:
        """The factor's name in :func:`lessonmodel.values.chain_factors_named`."""
        return factor_name(kind, layer, self.L)

    def fraction(self, kind: str, layer: int) -> str:
        """∂top/∂bottom of one path factor (kinds of ``nncore.PathFactor``)."""
        here, before, last = (layer_name(l, self.L) for l in (layer, layer - 1, self.L))
        return {
            "dz/dw": lambda: partial(sym("z", here), sym("w", here)),
            "dz/db": lambda: partial(sym("z", here), sym("b", here)),
            "da/dz": lambda: partial(sym("a", here), sym("z", here)),
            "dz/da": lambda: partial(sym("z", here), sym("a", before)),
            "dC/da": lambda: partial(sym("C"), sym("a", last)),
        }[kind]()

    def meaning(self, kind: str, layer: int) -> str:
        """What the factor is: a(l-1), 1, σ'(z(l)), w(l) or 2(a(L) - y)."""
        here, before, last = (layer_name(l, self.L) for l in (layer, layer - 1, self.L))
        return {
            "dz/dw": lambda: sym("a", before),
            "dz/db": lambda: "1",
            "da/dz": lambda: f"{self.sigma}'({sym('z', here)})",
            "dz/da": lambda: sym("w", here),
            "dC/da": lambda: f"2({sym('a', last)} - {sym('y')})",
        }[kind]()


def product_lines(scene: ChainScene, lhs: str, factors: list[tuple[str, str, str]], result: str,
                  font_size: float = FORMULA_FONT) -> VGroup:
    """Three lines: ``lhs = fractions``, ``= meanings``, ``= values = result``.

    ``factors`` holds (fraction, meaning, value) Typst per factor; factor i is the group ``f{i}``
    of each line (``line.select(f"f{i}")``), the left side the group ``lhs`` of the first line.
    """
    def group(i: int, body: str) -> str:
        return f"{{{{ {body} : f{i} }}}}"

    first = scene.math(f"{{{{ {lhs} : lhs }}}} = " + " dot ".join(group(i, f[0]) for i, f in enumerate(factors)),
                       font_size)
    second = scene.math("= " + " dot ".join(group(i, f[1]) for i, f in enumerate(factors)), font_size)
    third = scene.math("= " + " dot ".join(group(i, f[2]) for i, f in enumerate(factors)) + f" = {result}",
                       font_size)
    lines = VGroup(first, second, third).arrange(DOWN, buff=0.35)
    for line in (second, third):
        line.align_to(first.select("lhs"), LEFT).shift((first.select("lhs").width + 0.12) * RIGHT)
    return scene.fit(lines, margin=0.5)


def product_summary(lhs: str, factors: list[tuple[str, str, str]], result: str) -> str:
    """The three lines of :func:`product_lines` as one: ``lhs = meanings = values = result``
    (the formula that sums up the step, for the page and the handout)."""
    meanings = " dot ".join(f[1] for f in factors)
    values = " dot ".join(f[2] for f in factors)
    return f"{lhs} = {meanings} = {values} = {result}"


class BiasAndPreviousActivation(ChainScene):
    """∂C0/∂w(L) has the first factor ∂z(L)/∂w(L) = a(L-1). Swap it for ∂z(L)/∂b(L) = 1 to get
    ∂C0/∂b(L), and for ∂z(L)/∂a(L-1) = w(L) to get ∂C0/∂a(L-1); every factor with its value."""

    def setup(self) -> None:
        super().setup()
        self.named |= chain_factors_named(self.chain)
        self.f = ChainFormulas(self.L, self.lesson.chain.activation)

    def construct(self) -> None:
        self.first_factors()
        L, f = self.L, self.f
        self.swap("w", "weight_recap", "For the weight, the first factor is how z(L) changes with w(L): "
                  f"a(L-1) = {self.plain(f.name('dz/dw', L))}. Times the slope and 2(a(L) - y), "
                  f"that made ∂C0/∂w(L) = {self.plain(derivative(C0, weight(L)))}.")
        self.swap("b", "bias", "z(L) grows one for one with the bias, so ∂z(L)/∂b(L) = 1 and the other two "
                  f"factors stay: ∂C0/∂b(L) = {self.plain(derivative(C0, bias(L)))}.")
        self.swap("a", "previous_activation", "z(L) changes with the previous activation at the rate w(L) = "
                  f"{self.plain(f.name('dz/da', L))}: ∂C0/∂a(L-1) = "
                  f"{self.plain(derivative(C0, activation(L - 1)))}. We cannot set a(L-1) directly, but this "
                  "tells how the cost feels it.")

    # --- the three variants --------------------------------------------------------------------

    def variant(self, kind: str) -> tuple[str, str, str, str, Derivative]:
        """(symbol, first fraction, meaning, value, product name) of ∂C0/∂w(L), ∂C0/∂b(L) or
        ∂C0/∂a(L-1)."""
        L, f = self.L, self.f
        if kind == "w":
            return (sym("w", "L"), f.fraction("dz/dw", L), f.meaning("dz/dw", L),
                    self.number(f.name("dz/dw", L), True), derivative(C0, weight(L)))
        if kind == "b":
            return sym("b", "L"), f.fraction("dz/db", L), f.meaning("dz/db", L), "1", derivative(C0, bias(L))
        return (sym("a", "L-1"), f.fraction("dz/da", L), f.meaning("dz/da", L),
                self.number(f.name("dz/da", L), True), derivative(C0, activation(L - 1)))

    # --- steps ---------------------------------------------------------------------------------

    def first_factors(self) -> None:
        L, f = self.L, self.f
        with self.step("what_z_depends_on", "Back to our one example. z(L) depends on three things: the "
                       "weight, the previous activation and the bias. How z(L) changes with each is the first "
                       "factor."):
            self.z_line = self.math(f"{sym('z', 'L')} = {{{{ {sym('w', 'L')} : w }}}} "
                                    f"{{{{ {sym('a', 'L-1')} : a }}}} + {{{{ {sym('b', 'L')} : b }}}}")
            self.z_line.move_to(3.2 * UP)
            cells = [
                f"{f.fraction('dz/dw', L)} = {f.meaning('dz/dw', L)} = {self.number(f.name('dz/dw', L))}",
                f"{f.fraction('dz/db', L)} = 1",
                f"{f.fraction('dz/da', L)} = {f.meaning('dz/da', L)} = {self.number(f.name('dz/da', L))}",
            ]
            self.cells = VGroup(*(self.math(c, SMALL_FONT) for c in cells)).arrange(RIGHT, buff=0.9)
            self.sums_up(", quad ".join(cells))
            self.fit(self.cells, margin=0.35).move_to(1.7 * UP)
            self.cell_of = dict(zip("wba", self.cells))
            self.play(Write(self.z_line))
            self.play(FadeIn(self.cells, lag_ratio=0.3), run_time=1.5)
            self.wait(1)
        self.block = None

    def swap(self, kind: str, section: str, narration: str) -> None:
        L, f = self.L, self.f
        with self.step(section, narration):
            symbol, fraction, meaning, value, product = self.variant(kind)
            factors = [
                (fraction, meaning, value),
                *((f.fraction(k, L), f.meaning(k, L), self.number(f.name(k, L), True)) for k in ("da/dz", "dC/da")),
            ]
            block = product_lines(self, partial(sym("C"), symbol), factors, self.number(product))
            self.sums_up(product_summary(partial(sym("C"), symbol), factors, self.number(product)))
            block.move_to(1.0 * DOWN)
            boxes = VGroup(
                VGroup(SurroundingRectangle(self.z_line.select(kind), color=HIGHLIGHT, buff=0.06),
                       SurroundingRectangle(self.cell_of[kind], color=HIGHLIGHT, buff=0.12)),
                *(SurroundingRectangle(line.select("f0"), color=HIGHLIGHT, buff=0.05) for line in block),
            )
            if self.block is not None:
                self.play(FadeOut(self.block), FadeOut(self.boxes))
            self.play(Create(boxes[0]))
            self.play(Write(block[0]), Create(boxes[1]), run_time=1.5)
            self.play(Write(block[1]), Create(boxes[2]))
            self.play(Write(block[2]), Create(boxes[3]), run_time=1.5)
            self.wait(2)
            self.block, self.boxes = block, boxes


class BackwardsThroughChain(ChainScene):
    """Iterate backwards: ∂C0/∂w(L-1) and ∂C0/∂b(L-1) as longer products along the lit path through
    the chain, then all the way back to the first weight; every factor with its value."""

    def setup(self) -> None:
        super().setup()
        self.named |= chain_factors_named(self.chain)
        self.f = ChainFormulas(self.L, self.lesson.chain.activation)
        self.block = None

    def construct(self) -> None:
        self.draw_chain()
        self.recap_previous_activation()
        L = self.L
        self.path_product(L - 1, "weight", "weight_one_back",
                          "a(L-1) comes from its own weight w(L-1). Following the path from w(L-1) to the cost "
                          "gives two more factors: how z(L-1) changes with w(L-1), and the slope at z(L-1). "
                          f"Five factors: ∂C0/∂w(L-1) = {self.plain(derivative(C0, weight(L - 1)))}.")
        self.path_product(L - 1, "bias", "bias_one_back",
                          "For the bias b(L-1) the path is the same; only the first factor becomes 1: "
                          f"∂C0/∂b(L-1) = {self.plain(derivative(C0, bias(L - 1)))}.")
        self.path_product(1, "weight", "all_the_way_back",
                          "And so on, back to the first weight: each step back multiplies in one more weight "
                          "and one more slope. The cost's sensitivity propagates backwards: "
                          f"∂C0/∂w({self.layer(1)}) = {self.plain(derivative(C0, weight(1)))}.")

    # --- the diagram ---------------------------------------------------------------------------

    def draw_chain(self) -> None:
        L, n = self.L, self.layer
        with self.step("the_chain", "Back to the whole chain. Every weight and bias reaches the cost along "
                       "one path, through the neurons after it."):
            d = ChainDiagram([self.chain.w(l) for l in range(1, L + 1)], spacing=2.9, radius=0.36)
            d.move_to(2.35 * UP + 0.75 * LEFT)
            for l in range(L + 1):  # lit by its activation, as in NeuronChain
                d.neurons[l].set_fill(WHITE, opacity=activation_opacity(self.chain.a(l)))
            cost = self.math(sym("C"), FONT).next_to(d.neurons[L], RIGHT, 1.0)
            link = Line(d.neurons[L].get_right(), cost.get_left() + 0.1 * LEFT, color=GREY_B, stroke_width=3)
            a_labels = VGroup(*(self.math(sym("a", n(l)), SMALL_FONT).next_to(d.neurons[l], UP, 0.15)
                                for l in range(L + 1)))
            w_labels = VGroup(*(self.math(sym("w", n(l)), SMALL_FONT).move_to(d.edge_point(l, UP, 0.4))
                                for l in range(1, L + 1)))
            b_labels = VGroup(*(self.math(sym("b", n(l)), SMALL_FONT).next_to(d.neurons[l], DOWN, 0.15)
                                for l in range(1, L + 1)))
            self.diagram, self.cost, self.link = d, cost, link
            self.w_labels, self.b_labels = w_labels, b_labels
            path = [sym("w", n(1))] + [sym(k, n(l)) for l in range(1, L + 1) for k in ("z", "a")] + [sym("C")]
            self.sums_up(" arrow.r ".join(path))
            self.play(Create(d), Create(link), FadeIn(cost), run_time=1.5)
            self.play(FadeIn(a_labels), FadeIn(w_labels), FadeIn(b_labels))
            self.wait(1)
            self.lit = VGroup()

    def light(self, start: int, parameter: str) -> VGroup:
        """Glow along the path from layer ``start`` to the cost: neurons start..L, the link to C0, and
        edges start..L (``parameter`` "weight" or "activation", i.e. a(start-1)) or start+1..L ("bias")."""
        d, L = self.diagram, self.L
        first_edge = start + 1 if parameter == "bias" else start
        glow = VGroup(
            *(Line(e.get_start(), e.get_end(), color=HIGHLIGHT, stroke_width=e.get_stroke_width() + 10,
                   stroke_opacity=0.45) for e in d.edges[first_edge - 1:]),
            *(n.copy().set_fill(opacity=0).set_stroke(HIGHLIGHT, width=7) for n in d.neurons[start:L + 1]),
            Line(self.link.get_start(), self.link.get_end(), color=HIGHLIGHT, stroke_width=10, stroke_opacity=0.45),
        )
        return glow

    def dim_off_path(self, start: int, parameter: str) -> list:
        """Animations that fade what is off the path (see :meth:`light`) and restore what is on it."""
        d = self.diagram
        first_edge = start + 1 if parameter == "bias" else start
        return [
            *(e.animate.set_stroke(opacity=1.0 if l >= first_edge else 0.3) for l, e in enumerate(d.edges, start=1)),
            *(n.animate.set_stroke(opacity=1.0 if l >= start else 0.3) for l, n in enumerate(d.neurons)),
        ]

    def element(self, kind: str, layer: int):
        """The part of the diagram a factor belongs to (to point at it)."""
        d = self.diagram
        return {
            "dz/dw": lambda: self.w_labels[layer - 1],
            "dz/db": lambda: self.b_labels[layer - 1],
            "da/dz": lambda: d.neurons[layer],
            "dz/da": lambda: self.w_labels[layer - 1],
            "dC/da": lambda: self.cost,
        }[kind]()

    # --- steps ---------------------------------------------------------------------------------

    def show_block(self, block: VGroup, glow: VGroup, start: int, parameter: str) -> None:
        if self.block is not None:
            self.play(FadeOut(self.block), FadeOut(self.lit))
        self.play(FadeIn(glow), *self.dim_off_path(start, parameter))
        self.bring_to_back(glow)  # under the edges, so their colour (the sign of w) still shows
        for line in block:
            self.play(Write(line), run_time=1.2)
        self.block, self.lit = block, glow

    def recap_previous_activation(self) -> None:
        L, f = self.L, self.f
        with self.step("previous_activation", "We found how the cost feels the previous activation: "
                       f"∂C0/∂a(L-1) = {self.plain(derivative(C0, activation(L - 1)))}, along the path through "
                       "the last neuron."):
            factors = [
                (f.fraction(kind, L), f.meaning(kind, L), self.number(f.name(kind, L), True))
                for kind in ("dz/da", "da/dz", "dC/da")
            ]
            block = product_lines(self, partial(sym("C"), sym("a", "L-1")), factors,
                                  self.number(derivative(C0, activation(L - 1)))).move_to(1.25 * DOWN)
            self.sums_up(product_summary(partial(sym("C"), sym("a", "L-1")), factors,
                                         self.number(derivative(C0, activation(L - 1)))))
            self.show_block(block, self.light(L, "activation"), L, "activation")
            self.wait(1.5)

    def path_product(self, layer: int, parameter: str, section: str, narration: str) -> None:
        f = self.f
        with self.step(section, narration):
            path = chain_path(self.chain, layer, parameter)
            factors = [
                (f.fraction(p.kind, p.layer), f.meaning(p.kind, p.layer),
                 "1" if p.kind == "dz/db" else self.number(name, True))
                for p, name in path
            ]
            symbol = sym("w" if parameter == "weight" else "b", self.layer(layer))
            product = derivative(C0, weight(layer) if parameter == "weight" else bias(layer))
            block = product_lines(self, partial(sym("C"), symbol), factors, self.number(product))
            self.sums_up(product_summary(partial(sym("C"), symbol), factors, self.number(product)))
            block.move_to(1.25 * DOWN)
            self.show_block(block, self.light(layer, parameter), layer, parameter)
            self.walk(path, block)
            self.wait(1.5)

    def walk(self, path, block: VGroup) -> None:
        """Point at each factor in turn: its part of the diagram, its meaning and its value."""
        def boxes(i: int, kind: str, layer: int) -> VGroup:
            return VGroup(
                SurroundingRectangle(self.element(kind, layer), color=HIGHLIGHT, buff=0.08),
                *(SurroundingRectangle(line.select(f"f{i}"), color=HIGHLIGHT, buff=0.05) for line in block[1:]),
            )

        marker = boxes(0, path[0][0].kind, path[0][0].layer)
        self.play(Create(marker), run_time=0.5)
        for i, (p, _) in enumerate(path[1:], start=1):
            self.play(Transform(marker, boxes(i, p.kind, p.layer)), run_time=0.5)
        self.play(FadeOut(marker), run_time=0.4)
