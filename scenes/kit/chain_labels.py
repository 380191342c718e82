"""The chain stage's labels: what NeuronChain ends with and CostOfOneExample starts from.

Each neuron l has its symbol a(l) above it and, once computed, its value a(l) just below; each
edge its symbol w(l) above and value below (off the line); each neuron after the input its bias
"b(l) = value" further down, in the bias's brighter label tint (maroon reads dim on black). The
values' parts are named (``b[l-1].select("num")``) so they can fly into formulas.
"""

from __future__ import annotations

from dataclasses import dataclass

from manim import DOWN, RIGHT, UP, MathTypst, VGroup

from lessonmodel.formula import Eq, Group, Lit, Paren, Power, Signed, sub
from lessonmodel.names import C0, activation, bias, target, weight
from lessonmodel.notation import squared_error
from scenes.kit.chain_diagram import ChainDiagram
from scenes.kit.lesson_scene import ChainScene
from scenes.kit.stage import FORMULA_AREA_CHAIN
from scenes.kit.style import SMALL_FONT

__all__ = ["ChainLabels", "chain_labels", "value_labels", "target_label", "cost_formula"]

VALUE_BUFF = 0.15  # a neuron's value just below it
BIAS_BUFF = 0.75  # its bias further down, clear of the value


@dataclass
class ChainLabels:
    """The labels of a chain on the stage.

    ``a[l]``: the symbol a(l) above neuron l (l = 0..L); ``values[l]``: its value below it;
    ``w[l-1]``: ``VGroup(symbol, value)`` of edge l; ``b[l-1]``: "b(l) = value" below neuron l,
    its parts named ``"sym"`` and ``"num"``.
    """

    a: VGroup
    values: VGroup
    w: VGroup
    b: VGroup

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


def chain_labels(scene: ChainScene, d: ChainDiagram, values: bool = True) -> ChainLabels:
    """The labels of ``d`` (the scene's chain on the stage); without ``values``, ``values`` is
    left empty (fill it with :func:`value_labels` later)."""
    L = scene.L
    a = VGroup(*(scene.math(scene.sym(activation(l)), SMALL_FONT).next_to(d.neurons[l], UP, 0.2)
                 for l in range(L + 1)))
    w = VGroup(
        *(
            VGroup(
                scene.math(scene.sym(weight(l)), SMALL_FONT).move_to(d.edge_point(l, UP, 0.32)),
                scene.math(scene.value(weight(l)), SMALL_FONT).move_to(d.edge_point(l, DOWN, 0.32)),
            )
            for l in range(1, L + 1)
        )
    )
    b = VGroup(
        *(
            scene.math(Eq(Group("sym", scene.sym(bias(l), tint=True)), Group("num", scene.value(bias(l)))),
                       SMALL_FONT).next_to(d.neurons[l], DOWN, BIAS_BUFF)
            for l in range(1, L + 1)
        )
    )
    return ChainLabels(a, value_labels(scene, d) if values else VGroup(), w, b)


def target_label(scene: ChainScene, d: ChainDiagram) -> MathTypst:
    """"y = value" right of the output neuron, its parts named ``"sym"`` and ``"num"``."""
    label = scene.math(Eq(Group("sym", scene.sym(target())), Group("num", scene.value(target()))), SMALL_FONT)
    return label.next_to(d.neurons[scene.L], RIGHT, 0.3)


def cost_formula(scene: ChainScene) -> MathTypst:
    """C0 = (a(L) - y)^2 with the chain's numbers, under the chain: parts ``"C"``, ``"asym"``,
    ``"ysym"``, ``"square"``, the values ``"a"``, ``"y"`` and the result ``"cost"``. A negative value
    is in parentheses outside its group, so the group's glyphs are those of the value's label on
    the diagram and a copy of that label can fly into it."""
    L = scene.L
    a, y = scene.sym(activation(L)), scene.sym(target())
    values = Signed(Group("a", scene.value(activation(L)))), Group("y", scene.value(target()))
    cost = scene.math(Eq(Group("C", scene.sym(C0)),
                         Power(Paren(sub(Group("asym", a), Group("ysym", y))), Group("square", Lit("2"))),
                         squared_error(*values), Group("cost", scene.value(C0))))
    return scene.fit(cost).move_to(FORMULA_AREA_CHAIN + 0.3 * DOWN)
