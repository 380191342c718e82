"""The other chain-rule derivatives of the chain: swap the first factor to get ∂C0/∂b(L) and
∂C0/∂a(L-1), then keep going back along the chain to w(L-1), b(L-1), ... as longer products."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from manim import (
    DOWN,
    LEFT,
    ORIGIN,
    RIGHT,
    UP,
    WHITE,
    ArcBetweenPoints,
    Circle,
    Create,
    DecimalNumber,
    FadeIn,
    FadeOut,
    FadeTransform,
    Indicate,
    LaggedStart,
    Line,
    MathTypst,
    MoveAlongPath,
    ShowPassingFlash,
    SurroundingRectangle,
    Transform,
    TransformFromCopy,
    ValueTracker,
    VGroup,
    Write,
    config,
)

from lessonmodel.formula import Delta, Eq, Frac, Group, Lit, Math, Plus, Product, Row, Signed, add, arrows
from lessonmodel.names import (
    C0,
    Derivative,
    Nudged,
    Quantity,
    Symbol,
    activation,
    bias,
    change,
    derivative,
    nudged,
    ratio,
    target,
    weight,
    weighted_sum,
)
from lessonmodel.notation import derivative_of
from lessonmodel.values import FACTOR_NUDGE, chain_factors_named, chain_path, levels_after_nudge, nudge_of_named
from nncore import ParameterKind
from scenes.kit.born import BornFrom, Flight
from scenes.kit.chain_diagram import activation_opacity
from scenes.kit.chain_labels import AROUND_RINGS, ChainLabels
from scenes.kit.lesson_scene import ChainScene, LessonScene, Said
from scenes.kit.style import FONT, HIGHLIGHT, SMALL_FONT

__all__ = ["BiasAndPreviousActivation", "BackwardsThroughChain"]

WEIGHT, BIAS = ParameterKind.WEIGHT, ParameterKind.BIAS

FORMULA_FONT = FONT
ONE = Lit("1")
EQUALS = Lit("=")


@dataclass(frozen=True)
class Factor:
    """One factor of a product along the chain, three ways: its fraction ∂z(L)/∂w(L), what it is
    a(L-1), and its value (in parentheses when negative: it stands after a dot)."""

    fraction: Math
    meaning: Math
    value: Math


@dataclass(frozen=True)
class ChainProduct:
    """``lhs`` (∂C0/∂w(L), say) as the product of its ``factors`` along the chain, whose value is
    ``result``: one set of parts, shown in three lines (:meth:`lines`) and summed up in one
    (:meth:`summary`)."""

    lhs: Math
    factors: tuple[Factor, ...]
    result: Math

    def lines(self) -> tuple[Eq, Row, Eq]:
        """``lhs = fractions``, ``= meanings``, ``= values = result``; factor i is the group ``f{i}``
        of each line, the left side the group ``lhs`` of the first line."""
        def grouped(parts: tuple[Math, ...]) -> Product:
            return Product(*(Group(f"f{i}", part) for i, part in enumerate(parts)))

        fractions, meanings, values = (grouped(column) for column in
                                       zip(*((f.fraction, f.meaning, f.value) for f in self.factors)))
        return Eq(Group("lhs", self.lhs), fractions), Row(EQUALS, meanings), Eq(Row(EQUALS, values), self.result)

    def summary(self) -> Eq:
        """The three lines as one: ``lhs = meanings = values = result`` (for the page and the handout)."""
        return Eq(self.lhs, Product(*(f.meaning for f in self.factors)), Product(*(f.value for f in self.factors)),
                  self.result)


class ChainFormulas:
    """The chain's derivatives and their factors as formulas, by their names
    (:mod:`lessonmodel.names`: ``derivative(weighted_sum(3), weight(3))`` is ∂z(L)/∂w(L) = a(L-1)),
    with the values of ``scene``. Shared by the scenes of this module."""

    def __init__(self, scene: ChainScene) -> None:
        self.scene = scene
        self.sigma = scene.sigma

    def fraction(self, name: Derivative) -> Math:
        """∂top/∂bottom of one factor."""
        return derivative_of(name, self.scene.L)

    def meaning(self, name: Derivative) -> Math:
        """What the factor is: a(l-1), 1, σ'(z(l)), w(l), ∂C0/∂a(L) in the cost's notation
        (2(a(L) - y)), or ∂C0/∂z(L) = a(L) - y where the cost cancels the output's slope."""
        s, of, by = self.scene.sym, name.of, name.by
        match of.kind, by.kind:
            case "z", "w":
                return s(activation(of.layer - 1))
            case "z", "b":
                return ONE
            case "a", "z":
                return self.sigma.slope(s(by))
            case "z", "a":
                return s(weight(of.layer))
            case "C", "a":
                return self.scene.cost_notation.derivative(s(by), s(target()))
            case "C", "z" if (error := self.scene.cost_notation.output_error(s(activation(by.layer)), s(target()))):
                return error  # the cost cancels the output's slope: ∂C0/∂z(L) = a(L) - y
        raise ValueError(f"not a factor of the chain: {name}")

    def value(self, name: Derivative) -> Math:
        """The factor's value as a product writes it: 1 for ∂z/∂b, else its value, in parentheses
        when negative."""
        return ONE if name.by.kind == "b" else Signed(self.scene.value(name))

    def equals(self, name: Derivative) -> Eq:
        """∂top/∂bottom = its value (a cue names it so: ∂C0/∂b(L) = -0.153)."""
        return Eq(derivative_of(name, self.scene.L), self.scene.value(name))

    def product(self, of: Symbol, names: list[Derivative]) -> ChainProduct:
        """∂C0/∂``of`` as the product of the factors called ``names``."""
        total = derivative(C0, of)
        factors = tuple(Factor(self.fraction(n), self.meaning(n), self.value(n)) for n in names)
        return ChainProduct(derivative_of(total, self.scene.L), factors, self.scene.value(total))


def product_lines(scene: ChainScene, product: ChainProduct, font_size: float = FORMULA_FONT) -> VGroup:
    """The three lines of ``product`` (:meth:`ChainProduct.lines`), typeset; the second and third
    start under the first one's "=" (``line.select(f"f{i}")`` is factor i of a line)."""
    first, second, third = (scene.math(line, font_size) for line in product.lines())
    lines = VGroup(first, second, third).arrange(DOWN, buff=0.35)
    for line in (second, third):
        line.align_to(first.select("lhs"), LEFT).shift((first.select("lhs").width + 0.12) * RIGHT)
    return scene.fit(lines, margin=0.5)


def ring(neuron, color=HIGHLIGHT) -> Circle:
    """A ring just around a neuron: marks it without covering the labels above and below it."""
    return Circle(radius=neuron.width / 2 + 0.1, color=color, stroke_width=5).move_to(neuron)


def flash_along(start, end, width: float = 9) -> ShowPassingFlash:
    """A bright segment running from ``start`` to ``end`` (a signal, or a sensitivity going back)."""
    return ShowPassingFlash(Line(start, end, color=HIGHLIGHT, stroke_width=width), time_width=0.5)


def keep_in_frame(mobject, margin: float = 0.5):
    """Shift ``mobject`` sideways so it stays ``margin`` inside the frame (long values of extreme configs)."""
    half = config.frame_width / 2 - margin
    if mobject.get_right()[0] > half:
        mobject.shift((half - mobject.get_right()[0]) * RIGHT)
    if mobject.get_left()[0] < -half:
        mobject.shift((-half - mobject.get_left()[0]) * RIGHT)
    return mobject


VALUES_Y = 0.55  # the row of values under the neurons, below the b labels
CELLS_Y = -0.4  # BiasAndPreviousActivation's three first factors
BLOCK_TOP, BLOCK_BOTTOM = -0.95, -3.55  # where the product of three lines stands under them
NUDGE_COLOR = HIGHLIGHT


class ValueLabel(VGroup):
    """``name = value`` beside the chain (``a(L-1) = 0.48``, or ``= 0.22`` after b(L)'s label, with
    ``name`` None): two formulas, so the value alone can go live while a nudge plays (:meth:`live`)."""

    def __init__(self, scene: LessonScene, name: Math | None, value: Quantity, font_size: float = SMALL_FONT) -> None:
        self.prefix = scene.math(EQUALS if name is None else Row(name, EQUALS), font_size)
        self.value = scene.math(scene.value(value), font_size)
        super().__init__(self.prefix, self.value)
        self.arrange(RIGHT, buff=0.12)
        # digits on the prefix's baseline: their middle sits a little above the middle of its "="
        self.value.set_y(self.prefix[-1].get_y() + 0.00075 * font_size)

    def live(self, scene: LessonScene, now: Callable[[], float], places: int) -> DecimalNumber:
        """Swap the value for a number that follows ``now()`` (left-aligned where the value was)."""
        number = DecimalNumber(float(now()), num_decimal_places=places, mob_class=MathTypst,
                               font_size=self.prefix.font_size)
        left = self.value.get_left()
        number.add_updater(lambda m: m.set_value(now()).move_to(self.value.get_center()).align_to(left, LEFT))
        number.update()
        scene.remove(self.value)
        scene.add(number)
        return number

    def settle(self, scene: LessonScene, number: DecimalNumber, value: Quantity) -> None:
        """Replace the live ``number`` by the value called ``value``, typeset and recorded."""
        number.clear_updaters()
        final = scene.math(scene.value(value), self.prefix.font_size).move_to(self.value).align_to(self.value, LEFT)
        scene.remove(number)
        self.remove(self.value)
        self.value = final
        self.add(final)
        scene.add(self)


class BiasAndPreviousActivation(ChainScene):
    """∂C0/∂w(L) has the first factor ∂z(L)/∂w(L) = a(L-1). Swap it for ∂z(L)/∂b(L) = 1 to get
    ∂C0/∂b(L), and for ∂z(L)/∂a(L-1) = w(L) to get ∂C0/∂a(L-1). Each first factor is read off the
    chain: a nudge of b(L) moves z(L) by as much, a nudge of a(L-1) moves it w(L) times as much."""

    def setup(self) -> None:
        super().setup()
        self.named |= chain_factors_named(self.chain)
        for quantity in (bias(self.L), activation(self.L - 1)):
            self.named |= nudge_of_named(self.chain, quantity, FACTOR_NUDGE)
        self.f = ChainFormulas(self)
        L = self.L
        z = weighted_sum(L)
        self.first = {"w": derivative(z, weight(L)), "b": derivative(z, bias(L)), "a": derivative(z, activation(L - 1))}
        self.rests: dict[str, VGroup] = {}  # each first factor's "= meaning = value", once derived
        self.block = None

    def construct(self) -> None:
        L, s, f = self.L, self.sym, self.f
        z, b, a = weighted_sum(L), bias(L), activation(L - 1)
        self.first_factors()
        self.weight_recap()
        self.nudge_step("b", b, "bias", [
            ("Nudge the bias ", s(b), ":"),
            (s(z), " moves one for one: ", Plus(self.value(self.after(change(z), b))), "."),
            ("So ", Eq(f.fraction(self.first["b"]), ONE), ","), "and the other two factors stay:", None,
            (f.equals(derivative(C0, b)), ".")])
        self.nudge_step("a", a, "previous_activation", [
            ("Now nudge the previous activation ", s(a), ":"),
            ("through ", s(weight(L)), ", ", s(z), " moves by ", self.value(self.after(change(z), a)), ":"),
            (Eq(s(weight(L)), self.value(self.first["a"])), " times the nudge."), "The other two factors stay:", None,
            (f.equals(derivative(C0, a)), "."),
            ("We cannot set ", s(a), " directly,"), "but this tells how the cost feels it."])

    # --- helpers -------------------------------------------------------------------------------

    def after(self, quantity, nudged_one: Symbol) -> Nudged:
        """The name of ``quantity`` after the nudge of ``nudged_one`` (b(L) or a(L-1))."""
        return nudged(quantity, nudged_one, FACTOR_NUDGE)

    def product(self, kind: str) -> ChainProduct:
        """∂C0/∂w(L), ∂C0/∂b(L) or ∂C0/∂a(L-1): the first factor of ``kind`` times σ'(z(L)) times
        2(a(L) - y)."""
        L = self.L
        of = {"w": weight(L), "b": bias(L), "a": activation(L - 1)}[kind]
        return self.f.product(of, [self.first[kind], derivative(activation(L), weighted_sum(L)),
                                   derivative(C0, activation(L))])

    def write_product(self, kind: str, cues: list[Said | None]) -> None:
        """The product of ``kind`` in three lines, its first factor boxed in each; one cue per line."""
        product = self.product(kind)
        block = product_lines(self, product)
        self.sums_up(product.summary())
        if block.height > BLOCK_TOP - BLOCK_BOTTOM:
            block.scale_to_fit_height(BLOCK_TOP - BLOCK_BOTTOM)
        block.move_to([0, BLOCK_TOP, 0], aligned_edge=UP)
        boxes = VGroup(*(SurroundingRectangle(line.select("f0"), color=HIGHLIGHT, buff=0.05) for line in block))
        cues = list(cues) + [None] * (3 - len(cues))
        # the first factor comes from its cell: the fraction, what it is, its value
        rest = self.rests[kind]
        sources = [self.cells[kind], rest.value if kind == "b" else rest.meaning.select("meaning"), rest.value]
        for line, box, source, cue in zip(block, boxes, sources, cues):
            self.play(BornFrom(line, [(source, line.select("f0"))], flight=Flight.CARRY, appear=None), Write(line),
                      Create(box), run_time=1.2, cue=cue)
        self.block, self.block_boxes = block, boxes

    def clear_product(self) -> None:
        if self.block is not None:
            self.play(FadeOut(self.block), FadeOut(self.block_boxes), run_time=0.6)
            self.block = None

    def mark(self, kind: str) -> VGroup:
        """Boxes around ``kind``'s symbol in z(L)'s formula and around its cell."""
        return VGroup(SurroundingRectangle(self.z_line.select(kind), color=HIGHLIGHT, buff=0.04),
                      SurroundingRectangle(self.cells[kind], color=HIGHLIGHT, buff=0.08))

    # --- steps ---------------------------------------------------------------------------------

    def first_factors(self) -> None:
        L, f, s = self.L, self.f, self.sym
        z, w, a, b = s(weighted_sum(L)), s(weight(L)), s(activation(L - 1)), s(bias(L))
        with self.step("what_z_depends_on"):
            d = self.diagram = self.chain_stage()
            labels = self.labels = ChainLabels(self, d, parameters=False, activations=False, cost=True,
                                                room=AROUND_RINGS)
            self.add(d, labels)
            # "z(L) =" and "+" are groups of their own: they come in apart from the three symbols
            self.z_line = self.math(Row(Group("head", Row(z, EQUALS)),
                                        Product(Group("w", w), Group("a", a), op="thick"),
                                        Group("plus", Lit("+")), Group("b", b)))
            self.z_line.move_to([-3.6, VALUES_Y, 0])
            self.cells = {k: self.math(f.fraction(self.first[k]), SMALL_FONT) for k in "wba"}
            for k, x in zip("wba", (-6.3, -1.4, 1.7)):
                self.cells[k].move_to([x, CELLS_Y, 0], aligned_edge=LEFT)
            self.sums_up(Eq(z, add(Product(w, a, op=""), b)))
            edge, last = d.edges[L - 1], d.neurons[L]
            self.play(flash_along(edge.get_start(), edge.get_end()), Indicate(last, color=HIGHLIGHT),
                      run_time=1.2, cue="Back to our one example.")
            self.play(FadeIn(self.z_line.select("head"), shift=0.2 * DOWN))
            parts = [self.z_line.select(k) for k in ("head", "w", "a", "plus", "b")]
            symbols = [(labels.w[L - 1], parts[1]), (labels.a[L - 1], parts[2]), (labels.b[L - 1], parts[4])]
            # named once the whole weighted sum is on screen
            self.play(BornFrom(self.z_line, symbols, flight=Flight.OWN, appear=FadeIn, brought=parts[:1]), run_time=1.5,
                      cue=(z, " depends on three things:"))
            self.say("the weight, the previous activation and the bias.")
            self.play(*(TransformFromCopy(self.z_line.select(k), self.cells[k]) for k in "wba"), run_time=1.5,
                      cue=("How ", z, " changes with each"))
            self.say("is the first factor.")
            self.wait(1)

    def weight_recap(self) -> None:
        L, s = self.L, self.sym
        with self.step("weight_recap"):
            name = self.first["w"]
            self.a_value = ValueLabel(self, s(activation(L - 1)), activation(L - 1))
            self.a_value.move_to([self.diagram.neurons[L - 1].get_x(), VALUES_Y, 0])
            rest = self.rests["w"] = self.completion(name, self.value(name))
            marks = self.mark("w")
            self.play(Create(marks), cue=("For the weight, the first factor is how ", s(weighted_sum(L))))
            self.play(FadeIn(self.a_value, shift=0.2 * DOWN), Indicate(self.diagram.neurons[L - 1], color=HIGHLIGHT),
                      cue=("changes with ", s(weight(L)), ": the previous activation,"))
            self.play(BornFrom(rest, [(self.labels.a[L - 1], rest.meaning.select("meaning"))], flight=Flight.CARRY,
                               appear=FadeIn, whole=True), run_time=1.3,
                      cue=(Eq(s(activation(L - 1)), self.value(name)), "."))
            self.write_product("w", ["Times the other two factors,",
                                     ("the slope and ", self.f.meaning(derivative(C0, activation(L))), ","),
                                     ("that made ", self.f.equals(derivative(C0, weight(L))), ".")])
            self.wait(1.5)
            self.play(FadeOut(marks), run_time=0.5)

    def nudge_step(self, kind: str, quantity: Symbol, section: str, cues: list[Said | None]) -> None:
        """Nudge ``quantity`` (b(L) or a(L-1)) on the chain, its value and z(L)'s live; the two
        changes become the ratio Δz(L)/Δquantity, which is the first factor; then the product."""
        L, d = self.L, self.diagram
        z = weighted_sum(L)
        with self.step(section):
            self.clear_product()
            marks = self.mark(kind)
            if kind == "b":  # read beside b(L)'s label
                nudged_label = ValueLabel(self, None, quantity).next_to(self.labels.b[L - 1], RIGHT, 0.12)
                keep_in_frame(nudged_label)
            else:
                nudged_label = self.a_value
            if not hasattr(self, "z_value"):
                self.z_value = ValueLabel(self, self.sym(z), z)
                # a little left of neuron L: b(L)'s value and its change take the room on the right
                self.z_value.move_to([d.neurons[L].get_x() - 0.45, VALUES_Y, 0])
                keep_in_frame(self.z_value)
            shown = [FadeIn(m, shift=0.15 * DOWN) for m in (nudged_label, self.z_value) if m not in self.mobjects]
            glow = Line(d.edges[L - 1].get_start(), d.edges[L - 1].get_end(), color=HIGHLIGHT,
                        stroke_width=d.edges[L - 1].get_stroke_width() + 10, stroke_opacity=0.45)
            self.play(Create(marks), *shown, *([FadeIn(glow)] if kind == "a" else []), cue=cues[0])
            if kind == "a":
                self.bring_to_back(glow)  # under the edge, whose colour (the sign of w) still shows
            # the nudge, live: the nudged value, z(L) and the neurons' brightness follow the tracker
            tracker = ValueTracker(0.0)

            def level(name: Symbol) -> float:
                return levels_after_nudge(self.chain, quantity, tracker.get_value())[name]

            live_q = nudged_label.live(self, lambda: level(quantity), self.decimals(quantity))
            live_z = self.z_value.live(self, lambda: level(z), self.decimals(z))
            lit = [L] + ([L - 1] if kind == "a" else [])
            for l in lit:
                d.neurons[l].add_updater(
                    lambda m, l=l: m.set_fill(WHITE, opacity=activation_opacity(level(activation(l)))))
            self.play(tracker.animate.set_value(FACTOR_NUDGE), run_time=2.0)
            for l in lit:
                d.neurons[l].clear_updaters()
            nudged_label.settle(self, live_q, self.after(quantity, quantity))
            self.z_value.settle(self, live_z, self.after(z, quantity))
            tags = VGroup(*(self.math(Plus(self.value(self.after(change(q), quantity))), SMALL_FONT, color=NUDGE_COLOR)
                            for q in (quantity, z)))
            tags[0].next_to(nudged_label, DOWN, 0.12).align_to(nudged_label, RIGHT)
            tags[1].next_to(self.z_value, DOWN, 0.15)
            for tag in tags:
                keep_in_frame(tag)
            self.play(FadeIn(tags, shift=0.1 * UP), cue=cues[1])
            # the two changes become the ratio Δz(L)/Δquantity, and the ratio the first factor
            name = self.first[kind]
            dz, dq = self.value(self.after(change(z), quantity)), self.value(self.after(change(quantity), quantity))
            head = self.math(Row(Frac(Delta(self.sym(z)), Delta(self.sym(quantity))), EQUALS), SMALL_FONT)
            over = VGroup(self.math(dz, SMALL_FONT), Line(ORIGIN, RIGHT), self.math(dq, SMALL_FONT))
            over.arrange(DOWN, buff=0.1)
            over[1].stretch_to_fit_width(max(over[0].width, over[2].width) + 0.1).set_stroke(WHITE, 2)
            result = self.math(Row(EQUALS, self.value(self.after(ratio(z, quantity), quantity))), SMALL_FONT)
            ratio_line = VGroup(head, over, result).arrange(RIGHT, buff=0.15)
            ratio_line.next_to(self.cells[kind], DOWN, 0.55)
            keep_in_frame(ratio_line)
            self.play(BornFrom(ratio_line, [(tags[1], over[0]), (tags[0], over[2])], flight=Flight.CARRY, appear=FadeIn,
                               whole=True), run_time=1.3)
            rest = self.rests[kind] = self.completion(name, ONE if kind == "b" else self.value(name))
            keep_in_frame(rest, 0.45)
            arrivals = [(result[0][1:], rest.value)]  # the value from the ratio; w(L) from its edge
            arrivals = [(self.labels.w[L - 1], rest.meaning.select("meaning")), *arrivals] if kind == "a" else arrivals
            self.play(BornFrom(rest, arrivals, flight=Flight.CARRY, appear=FadeIn, whole=True), run_time=1.2,
                      cue=cues[2])
            self.wait(0.5)
            # back as it was: the product is about the example as it is
            back = self.back_to_start(nudged_label, quantity)
            self.play(FadeOut(ratio_line), FadeOut(tags), *back, d.lit(L, self.chain.a(L)),
                      d.lit(L - 1, self.chain.a(L - 1)), run_time=0.8)
            self.write_product(kind, cues[3:6])
            for cue in cues[6:]:
                self.say(cue)
            self.wait(1.5)
            self.play(FadeOut(marks), *([FadeOut(glow)] if kind == "a" else []),
                      *([FadeOut(nudged_label)] if kind == "b" else []), run_time=0.5)

    def completion(self, name: Derivative, value: Math) -> VGroup:
        """``= meaning = value`` after the first factor's cell (``= 1`` for the bias): two formulas,
        the meaning (group ``meaning``, which a label of the chain flies into) and the value."""
        grouped = Row(EQUALS, Group("meaning", self.f.meaning(name)), EQUALS)
        meaning = self.math(EQUALS if name.by.kind == "b" else grouped, SMALL_FONT)
        number = self.math(value, SMALL_FONT)
        rest = VGroup(meaning, number).arrange(RIGHT, buff=0.15).next_to(self.cells[name.by.kind], RIGHT, 0.22)
        rest.meaning, rest.value = meaning, number
        return rest

    def back_to_start(self, nudged_label: ValueLabel, quantity: Symbol) -> list:
        """Animations that put the nudged value and z(L) back to the example's own values."""
        out = []
        for label, name in ((nudged_label, quantity), (self.z_value, weighted_sum(self.L))):
            value = self.math(self.value(name), SMALL_FONT).move_to(label.value).align_to(label.value, LEFT)
            out.append(FadeTransform(label.value, value))
            label.remove(label.value)
            label.value = value
            label.add(value)
        return out


class BackwardsThroughChain(ChainScene):
    """Iterate backwards: each ∂C0/∂a travels right to left along the chain, one weight and one
    slope multiplied in per step; ∂C0/∂w(L-1), ∂C0/∂b(L-1) and ∂C0/∂w(1) are the products along the
    lit path, every factor with its value."""

    def setup(self) -> None:
        super().setup()
        self.named |= chain_factors_named(self.chain)
        self.f = ChainFormulas(self)
        self.block = None
        self.lit = VGroup()
        self.sensitivities: dict[int, VGroup] = {}  # ∂C0/∂a(l) beside neuron l, once it arrived

    def construct(self) -> None:
        self.the_chain()
        self.recap_previous_activation()
        L, s, f = self.L, self.sym, self.f
        w, b, z = weight(L - 1), bias(L - 1), weighted_sum(L - 1)
        self.path_product(L - 1, WEIGHT, "weight_one_back", (
            [(s(activation(L - 1)), " comes from its own weight ", s(w), ".")],
            [("The path from ", s(w), " to the cost"),
             ("gives two more factors: how ", s(z), " changes with ", s(w), ","),
             ("and the slope at ", s(z), "."), ("Five factors: ", f.equals(derivative(C0, w)), ".")]))
        self.path_product(L - 1, BIAS, "bias_one_back", (
            [("For the bias ", s(b), " the path is the same;")],
            ["only the first factor becomes 1:", (f.equals(derivative(C0, b)), ".")]))
        self.path_product(1, WEIGHT, "all_the_way_back", (
            ["And so on, back to the first weight:"] + [None] * (L - 2),
            ["each step back multiplies in one more weight", "and one more slope.",
             "The cost's sensitivity propagates backwards:", (f.equals(derivative(C0, weight(1))), ".")]))

    # --- the diagram ---------------------------------------------------------------------------

    def the_chain(self) -> None:
        L = self.L
        with self.step("the_chain"):
            d = self.diagram = self.chain_stage()
            labels = self.labels = ChainLabels(self, d, parameters=False, activations=False, cost=True,
                                                room=AROUND_RINGS)
            self.add(d, labels)
            path = [weight(1)] + [q(l) for l in range(1, L + 1) for q in (weighted_sum, activation)] + [C0]
            self.sums_up(arrows(*map(self.sym, path)))
            signal = [flash_along(e.get_start(), e.get_end()) for e in d.edges]
            signal.append(flash_along(labels.link.get_start(), labels.link.get_end()))
            self.play(LaggedStart(*signal, lag_ratio=0.6), run_time=2.0, cue="Back to the whole chain.")
            parameters = [m for l in range(L) for m in (labels.w[l], labels.b[l])]
            self.play(LaggedStart(*(Indicate(m, color=HIGHLIGHT) for m in parameters), lag_ratio=0.25),
                      run_time=1.8, cue="Every weight and bias reaches the cost")
            glow = self.light(1, WEIGHT)
            self.play(LaggedStart(*(FadeIn(g) for g in glow), lag_ratio=0.3), run_time=1.5,
                      cue="along one path, through the neurons after it.")
            self.keep_under(glow)
            self.wait(0.5)
            self.play(FadeOut(glow), run_time=0.6)

    def light(self, start: int, parameter: ParameterKind | None) -> VGroup:
        """Glow along the path from layer ``start`` to the cost, in path order: edge ``start`` (not
        for a bias), neuron ``start``, edge, neuron, ..., the link to C0."""
        d, L = self.diagram, self.L

        def edge_glow(line: Line, width: float) -> Line:
            return Line(line.get_start(), line.get_end(), color=HIGHLIGHT, stroke_width=width + 10, stroke_opacity=0.45)

        parts = [] if parameter == BIAS else [edge_glow(d.edges[start - 1], d.edges[start - 1].get_stroke_width())]
        for l in range(start, L + 1):
            if l > start:
                parts.append(edge_glow(d.edges[l - 1], d.edges[l - 1].get_stroke_width()))
            parts.append(ring(d.neurons[l]).set_stroke(width=7, opacity=0.8))
        parts.append(edge_glow(self.labels.link, 0))
        return VGroup(*parts)

    def sensitivity_label(self, l: int) -> VGroup:
        """∂C0/∂a(l) = value, under neuron l's b label (never on an edge or a neuron)."""
        name = derivative(C0, activation(l))
        text = ValueLabel(self, derivative_of(name, self.L, inline=True), name, SMALL_FONT - 4)
        if text.width > 2.9:  # a long value (10^-5) goes under its name: neighbours keep their room
            text.arrange(DOWN, buff=0.08)
        text.move_to([self.diagram.neurons[l].get_x(), VALUES_Y, 0])
        return keep_in_frame(text)

    def carry_back(self, l: int, cue: Said | None = None) -> None:
        """∂C0/∂a(l) travels right to left along edge l, past w(l) and out of neuron l (its slope),
        and lands beside neuron l-1 as ∂C0/∂a(l-1)."""
        d = self.diagram
        edge, here = d.edges[l - 1], self.sensitivities[l]
        value = self.math(self.value(derivative(C0, activation(l))), SMALL_FONT - 4)
        value.move_to(here.value)  # over the value it carries
        start, end = value.get_center(), [d.neurons[l - 1].get_x(), VALUES_Y, 0]
        path = ArcBetweenPoints(start, np.array(end), angle=1.65)  # up towards the edge
        arrived = self.sensitivity_label(l - 1)
        self.play(Indicate(d.neurons[l], color=HIGHLIGHT), run_time=0.6, cue=cue)
        self.play(flash_along(edge.get_end(), edge.get_start(), width=10), MoveAlongPath(value, path),
                  Indicate(self.labels.w[l - 1], color=HIGHLIGHT), run_time=1.6)
        self.play(FadeOut(value, scale=0.6), FadeIn(arrived, scale=1.2), run_time=0.6)
        self.sensitivities[l - 1] = arrived

    def reach_parameter(self, layer: int, parameter: ParameterKind, cue: Said | None) -> None:
        """∂C0/∂a(layer), beside neuron ``layer``, goes the last bit back: through the neuron's slope,
        to its bias, or along edge ``layer`` to its weight."""
        d, labels = self.diagram, self.labels
        neuron, edge = d.neurons[layer], d.edges[layer - 1]
        if parameter == BIAS:
            reach = [flash_along(neuron.get_center(), neuron.get_bottom() + 0.05 * DOWN),
                     Indicate(labels.b[layer - 1], color=HIGHLIGHT)]
        else:
            reach = [flash_along(edge.get_end(), edge.get_center()), Indicate(labels.w[layer - 1], color=HIGHLIGHT)]
        self.play(Indicate(self.sensitivities[layer], color=HIGHLIGHT), Indicate(neuron, color=HIGHLIGHT), run_time=0.7,
                  cue=cue)
        self.play(*reach, run_time=0.9)

    def keep_under(self, glow: VGroup) -> None:
        """The glow's parts, faded in one by one, as one group under the chain (the edges' colour,
        the sign of w, still shows), so that one FadeOut takes it all away."""
        self.remove(*glow)
        self.bring_to_back(glow)

    def dim_off_path(self, start: int, parameter: ParameterKind | None) -> list:
        """Animations that fade what is off the path (see :meth:`light`) and restore what is on it."""
        d = self.diagram
        first_edge = start + 1 if parameter == BIAS else start
        return [
            *(e.animate.set_stroke(opacity=1.0 if l >= first_edge else 0.3) for l, e in enumerate(d.edges, start=1)),
            *(n.animate.set_stroke(opacity=1.0 if l >= start else 0.3) for l, n in enumerate(d.neurons)),
        ]

    def marker(self, name: Derivative) -> VGroup:
        """What to point at on the chain for a factor: w(l)'s label (∂z(l)/∂w(l), ∂z(l)/∂a(l-1)),
        b(l)'s label, a ring around neuron l (its slope σ'(z(l))), or the cost."""
        of, by = name.of, name.by
        if of.kind == "C":
            return SurroundingRectangle(self.labels.cost, color=HIGHLIGHT, buff=0.1)
        if of.kind == "a":
            return ring(self.diagram.neurons[of.layer])
        if by.kind == "b":
            return SurroundingRectangle(self.labels.b[of.layer - 1], color=HIGHLIGHT, buff=0.06)
        return SurroundingRectangle(self.labels.w[of.layer - 1], color=HIGHLIGHT, buff=0.06)

    # --- steps ---------------------------------------------------------------------------------

    def born_from_chain(self, names: list[Derivative], block: VGroup) -> list[list[tuple]]:
        """Per line of ``block``, the (part of the chain, factor) pairs whose symbol or value comes from
        the chain: w(l) and a(l-1) from their labels, 2(a(L) - y)'s value from ∂C0/∂a(L) beside the
        last neuron."""
        labels, flights = self.labels, [[], [], []]
        for i, name in enumerate(names):
            of, by = name.of, name.by
            if of.kind == "z" and by.kind == "a":
                flights[1].append((labels.w[of.layer - 1], block[1].select(f"f{i}")))
            elif of.kind == "z" and by.kind == "w":
                flights[1].append((labels.a[of.layer - 1], block[1].select(f"f{i}")))
            elif of.kind == "C" and self.L in self.sensitivities:
                flights[2].append((self.sensitivities[self.L].value, block[2].select(f"f{i}")))
        return flights

    def show_block(self, block: VGroup, glow: VGroup, start: int, parameter: ParameterKind | None,
                   cues: list[Said | None], names: list[Derivative]) -> None:
        """Light the path from the cost back to ``start`` and write the product line by line, a cue
        with each while they last; symbols and values of the chain fly into it (:meth:`born_from_chain`)."""
        cues = list(cues)
        if self.block is not None:
            self.play(FadeOut(self.block), FadeOut(self.lit), run_time=0.6)
        self.play(LaggedStart(*(FadeIn(g) for g in reversed(glow)), lag_ratio=0.35),
                  *self.dim_off_path(start, parameter), run_time=1.4, cue=cues.pop(0) if cues else None)
        self.keep_under(glow)
        for n, (line, flights) in enumerate(zip(block, self.born_from_chain(names, block))):
            # the last cue names the product's value: it waits for the last line
            cue = cues.pop(0) if cues and (len(cues) > 1 or n == len(block) - 1) else None
            arriving = [BornFrom(line, flights, flight=Flight.CARRY, appear=None)] if flights else []
            self.play(Write(line), *arriving, run_time=1.2, cue=cue)
        for cue in cues:
            self.say(cue)
        self.block, self.lit = block, glow

    def block_under_values(self, block: VGroup) -> VGroup:
        """The product block in the free space under the row of values."""
        top, bottom = VALUES_Y - 0.5, -config.frame_height / 2 + 0.45
        if block.height > top - bottom:
            block.scale_to_fit_height(top - bottom)
        return block.move_to([0, (top + bottom) / 2, 0])

    def recap_previous_activation(self) -> None:
        L, s = self.L, self.sym
        with self.step("previous_activation"):
            names = [derivative(weighted_sum(L), activation(L - 1)), derivative(activation(L), weighted_sum(L)),
                     derivative(C0, activation(L))]
            product = self.f.product(activation(L - 1), names)
            block = self.block_under_values(product_lines(self, product))
            self.sums_up(product.summary())
            # the sweep starts at the cost: ∂C0/∂a(L) = 2(a(L) - y) comes back along the link
            at_last, rate = self.sensitivity_label(L), derivative(C0, activation(L))
            link = self.labels.link
            self.play(flash_along(link.get_end(), link.get_start(), width=10), Indicate(self.labels.cost),
                      run_time=1.0, cue="Start at the cost.")
            self.play(FadeIn(at_last, shift=0.3 * LEFT), run_time=0.8,
                      cue=("It feels ", s(activation(L)), " at the rate ", self.f.equals(rate), "."))
            self.sensitivities[L] = at_last
            self.carry_back(L, ("Going back one neuron: through its slope, then along ", s(weight(L)), "."))
            glow = self.light(L, None)  # from the neuron: no parameter first
            self.show_block(block, glow, L, None, [
                "So the cost feels the previous activation", "along the path through the last neuron:", None,
                (self.f.equals(derivative(C0, activation(L - 1))), ".")], names)
            self.walk(names, block)
            self.wait(1.0)

    def path_product(self, layer: int, parameter: ParameterKind, section: str,
                     narration: tuple[list[Said | None], list[Said | None]]) -> None:
        """∂C0/∂w(layer) or ∂C0/∂b(layer). ``narration`` holds the cues of the way back (one per
        edge still to go back along, then the last bit to the parameter) and those of the product."""
        with self.step(section):
            back, cues = list(narration[0]), list(narration[1])
            path = [name for _, name in chain_path(self.chain, layer, parameter)]
            product = self.f.product(weight(layer) if parameter == WEIGHT else bias(layer), path)
            block = self.block_under_values(product_lines(self, product))
            self.sums_up(product.summary())
            # the sensitivities not there yet come back along the chain first, one edge at a time
            for l in range(min(self.sensitivities), layer, -1):
                self.carry_back(l, back.pop(0))
            self.reach_parameter(layer, parameter, back.pop(0) if back else None)
            self.show_block(block, self.light(layer, parameter), layer, parameter, cues, path)
            self.walk(path, block)
            self.wait(1.5)

    def walk(self, path: list[Derivative], block: VGroup) -> None:
        """Point at each factor in turn: its part of the diagram, its meaning and its value."""
        def boxes(i: int, name: Derivative) -> VGroup:
            on_lines = (SurroundingRectangle(line.select(f"f{i}"), color=HIGHLIGHT, buff=0.05) for line in block[1:])
            return VGroup(self.marker(name), *on_lines)

        marker = boxes(0, path[0])
        self.play(Create(marker), run_time=0.5)
        for i, name in enumerate(path[1:], start=1):
            self.play(Transform(marker, boxes(i, name)), run_time=0.5)
        self.play(FadeOut(marker), run_time=0.4)
