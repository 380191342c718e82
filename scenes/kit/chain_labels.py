"""The chain stage's labels, one drawing for every chain scene (:class:`ChainLabels`).

With its numbers (what NeuronChain ends with and CostOfOneExample starts from) each neuron l has
its symbol a(l) above it and, once computed, its value a(l) just below; each edge its symbol w(l)
above and value below (off the line); each neuron after the input its bias "b(l) = value" further
down. The values' parts are named (``b[l-1].select("num")``) so they can fly into formulas. With
names only (the cost's tree, the later chain scenes) the symbols stand closer, or spaced for a
ring around a neuron (:data:`AROUND_RINGS`), and the cost C0 may end the chain.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from manim import DOWN, GREY_B, LEFT, RIGHT, UP, Line, MathTypst, VGroup

from lessonmodel.formula import Eq, Group, Lit, Paren, Power, Signed, sub
from lessonmodel.names import C0, activation, bias, target, weight
from lessonmodel.notation import SQUARED
from scenes.kit.chain_diagram import ChainDiagram
from scenes.kit.lesson_scene import ChainScene
from scenes.kit.stage import FORMULA_AREA_CHAIN
from scenes.kit.style import FONT, SMALL_FONT

__all__ = ["ChainLabels", "LabelRoom", "WITH_VALUES", "AROUND_RINGS", "NAMES_ONLY", "value_labels", "target_label",
           "cost_formula"]

VALUE_BUFF = 0.15  # a neuron's value just below it


@dataclass(frozen=True)
class LabelRoom:
    """How far a chain's labels stand from what they name, in scene units."""

    above: float  # a(l) over its neuron
    edge: float  # w(l) over its edge's middle (its value as far under it)
    below: float  # b(l) under its neuron


WITH_VALUES = LabelRoom(0.2, 0.32, 0.75)  # the chain with its numbers: b(l) = value clear of a(l)'s value
AROUND_RINGS = LabelRoom(0.24, 0.5, 0.24)  # names only, spaced so a ring around a neuron or a box around w(l) fits
NAMES_ONLY = LabelRoom(0.2, 0.3, 0.2)  # names only, close to what they name


class ChainLabels(VGroup):
    """The labels of a chain on its stage: what a chain scene names its neurons and edges with.

    ``a[l]``: the symbol a(l) above neuron l (l = 0..L); ``values[l]``: its value just below it
    (with ``activations``; else empty, for :func:`value_labels` to fill later); ``w[i]``: edge
    l's weight, over the edge's middle, and ``b[i]``: neuron l's bias, below it, for the i-th
    layer l of ``layers`` (all by default). With ``parameters`` each weight is ``VGroup(symbol,
    value)`` (the value under the edge) and each bias "b(l) = value" in the bias's brighter label
    tint (maroon reads dim on black), its parts named ``"sym"`` and ``"num"``; without, each is
    its symbol. With ``cost`` the cost C0 stands at the end of a ``link`` from the last neuron.

    Parameters
    ----------
    scene
        The chain scene (its symbols, values and record of what is shown).
    d
        The scene's chain on its stage.
    room
        How far each label stands from what it names (:data:`WITH_VALUES`, :data:`AROUND_RINGS`,
        :data:`NAMES_ONLY`).

    Examples
    --------
    >>> labels = ChainLabels(self, self.chain_stage(), activations=False)   # doctest: +SKIP
    >>> self.play(FadeIn(labels.names()))                                    # doctest: +SKIP
    """

    def __init__(self, scene: ChainScene, d: ChainDiagram, *, parameters: bool = True, activations: bool = True,
                 layers: Sequence[int] | None = None, cost: bool = False, room: LabelRoom = WITH_VALUES) -> None:
        super().__init__()
        L, s = scene.L, scene.sym
        layers = range(1, L + 1) if layers is None else layers
        self.a = VGroup(*(scene.math(s(activation(l)), SMALL_FONT).next_to(d.neurons[l], UP, room.above)
                          for l in range(L + 1)))
        self.w = VGroup(*(self._weight(scene, d, l, parameters, room) for l in layers))
        self.b = VGroup(*(self._bias(scene, d, l, parameters, room) for l in layers))
        self.values = value_labels(scene, d) if activations else VGroup()
        if cost:
            self.cost = scene.math(s(C0), FONT).next_to(d.neurons[L], RIGHT, 0.9)
            self.link = Line(d.neurons[L].get_right(), self.cost.get_left() + 0.1 * LEFT, color=GREY_B,
                             stroke_width=3)
            self.add(self.link)
        self.add(self.a, self.values, self.w, self.b, *([self.cost] if cost else []))

    @staticmethod
    def _weight(scene: ChainScene, d: ChainDiagram, l: int, value: bool, room: LabelRoom):
        symbol = scene.math(scene.sym(weight(l)), SMALL_FONT).move_to(d.edge_point(l, UP, room.edge))
        if not value:
            return symbol
        return VGroup(symbol, scene.math(scene.value(weight(l)), SMALL_FONT).move_to(d.edge_point(l, DOWN, room.edge)))

    @staticmethod
    def _bias(scene: ChainScene, d: ChainDiagram, l: int, value: bool, room: LabelRoom) -> MathTypst:
        if value:
            label = Eq(Group("sym", scene.sym(bias(l), tint=True)), Group("num", scene.value(bias(l))))
        else:
            label = scene.sym(bias(l))
        return scene.math(label, SMALL_FONT).next_to(d.neurons[l], DOWN, room.below)

    def names(self) -> VGroup:
        """Every label but the activations' values (what the chain shows before the forward pass)."""
        return VGroup(self.a, self.w, self.b)

    def everything(self) -> VGroup:
        return VGroup(self.a, self.values, self.w, self.b)


def value_labels(scene: ChainScene, d: ChainDiagram) -> VGroup:
    """Each neuron's activation, just below it (made when the scene is about to show them: making
    one records its number as shown)."""
    return VGroup(*(scene.math(scene.value(activation(l)), SMALL_FONT).next_to(d.neurons[l], DOWN, VALUE_BUFF)
                    for l in range(scene.L + 1)))


def target_label(scene: ChainScene, d: ChainDiagram, value: bool = True) -> MathTypst:
    """"y = value" right of the output neuron, its parts named ``"sym"`` and ``"num"`` (without
    ``value``, the symbol y)."""
    label = Eq(Group("sym", scene.sym(target())), Group("num", scene.value(target()))) if value else scene.sym(target())
    return scene.math(label, SMALL_FONT).next_to(d.neurons[scene.L], RIGHT, 0.3)


def cost_formula(scene: ChainScene) -> MathTypst:
    """C0 = (a(L) - y)^2 with the chain's numbers (or the chain's own cost: the cross-entropy's C0
    names a(L) and y twice), under the chain: parts ``"C"``, ``"asym"``, ``"ysym"``, ``"square"``
    (the squared error's 2), the values ``"a"``, ``"y"`` and the result ``"cost"``. A negative value
    is in parentheses outside its group, so the group's glyphs are those of the value's label on
    the diagram and a copy of that label can fly into it."""
    L = scene.L
    a, y = scene.sym(activation(L)), scene.sym(target())
    values = Signed(Group("a", scene.value(activation(L)))), Group("y", scene.value(target()))
    notation = scene.cost_notation
    symbols = Group("asym", a), Group("ysym", y)
    squared = Power(Paren(sub(*symbols)), Group("square", Lit("2")))
    written = squared if notation is SQUARED else notation.share(*symbols)
    cost = scene.math(Eq(Group("C", scene.sym(C0)), written, notation.share(*values), Group("cost", scene.value(C0))))
    return scene.fit(cost).move_to(FORMULA_AREA_CHAIN + 0.3 * DOWN)
