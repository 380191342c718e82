"""The base of the many-neuron scenes: the configured ``[network]``, its symbols and its drawing.

Shared by the scenes of many neurons per layer, the general recursion and gradient descent.
"""

from __future__ import annotations

from manim import DOWN, VGroup

from lessonmodel.names import activation
from lessonmodel.values import many_named, network_of
from scenes.kit.lesson_scene import LessonScene
from scenes.kit.network_diagram import NetworkDiagram
from scenes.kit.notation import activation_symbol, sym
from scenes.kit.partials import partial
from scenes.kit.stage import NETWORK_CENTER, NETWORK_HEIGHT, NETWORK_RADIUS, NETWORK_WIDTH
from scenes.kit.style import HIGHLIGHT, SMALL_FONT

__all__ = ["ManyNeuronsScene"]


class ManyNeuronsScene(LessonScene):
    """A scene on the configured many-neuron network, its example and focused pair (j, k)."""

    def setup(self) -> None:
        self.many = network_of(self.lesson.network)
        self.named = many_named(self.many)
        self.net = self.many.net
        self.L = self.net.depth
        self.sizes = self.net.sizes
        self.j, self.k = self.many.focus
        self.sigma = activation_symbol(self.lesson.network.activation)
        self.section_names: list[str] = []

    def next_section(self, name: str = "unnamed", *args, **kwargs) -> None:
        """Manim's sections, with their names kept in ``self.section_names`` (for the tests)."""
        self.section_names.append(name)
        super().next_section(name, *args, **kwargs)

    # --- symbols -----------------------------------------------------------------------------

    def a(self, l: int, index: str | int = "") -> str:
        return sym("a", self.layer(l), str(index))

    def z(self, l: int, index: str | int = "") -> str:
        return sym("z", self.layer(l), str(index))

    def w(self, l: int, index: str = "") -> str:
        return sym("w", self.layer(l), index)

    def b(self, l: int, index: str | int = "") -> str:
        return sym("b", self.layer(l), str(index))

    def y(self, index: str | int = "") -> str:
        return sym("y", None, str(index))

    def slope(self, l: int, index: str | int = "") -> str:
        """σ'(z_j(l))."""
        return f"{self.sigma}'({self.z(l, index)})"

    def d_cost(self, what: str) -> str:
        """∂C0/∂(what), ``what`` a symbol's Typst source."""
        return partial(sym("C"), what)

    # --- values ------------------------------------------------------------------------------

    def values_of(self, l: int) -> list[float]:
        """The activations of layer l."""
        return [self.named[activation(l, j)] for j in range(self.sizes[l])]

    def sum_lines(self, head: str, terms: list[str], tail: str, font_size: float | None = None,
                  per_line: int = 3) -> VGroup:
        """``head t1 + t2 + ... tail`` as formulas of at most ``per_line`` terms each (later lines
        start with +), so long sums of big layers stay legible."""
        chunks = [terms[i : i + per_line] for i in range(0, len(terms), per_line)] or [[]]
        sources = [" + ".join(chunk) for chunk in chunks]
        sources = [head + sources[0]] + [f"quad + {text}" for text in sources[1:]]
        sources[-1] += tail
        kwargs = {} if font_size is None else {"font_size": font_size}
        return VGroup(*(self.math(text, **kwargs) for text in sources)).arrange(DOWN, buff=0.2)

    # --- drawing -----------------------------------------------------------------------------

    def diagram(self, width: float, height: float, max_radius: float = 0.45, cost: bool = False) -> NetworkDiagram:
        """The network drawn with its real activations and weights."""
        activations = [self.values_of(l) for l in range(self.L + 1)]
        return NetworkDiagram(activations, self.net.weights, width=width, height=height, max_radius=max_radius,
                              cost=cost)

    def network_stage(self, cost: bool = True) -> NetworkDiagram:
        """The network at its place on the stage (:mod:`scenes.kit.stage`): the one picture every
        many-neuron scene starts from."""
        return self.diagram(NETWORK_WIDTH, NETWORK_HEIGHT, max_radius=NETWORK_RADIUS, cost=cost).move_to(NETWORK_CENTER)

    def values_inside(self, d: NetworkDiagram, l: int) -> VGroup:
        """The activation of every neuron of layer l, written inside it."""
        size = min(28, 70 * d.radius)
        labels = VGroup()
        for j in range(self.sizes[l]):
            text = self.number(activation(l, j))
            if "times" in text:  # a tiny value in scientific form: too wide for the neuron, so it
                # keeps a readable size on a dark patch of its own
                label = self.math(text, max(size, 20), color="#FFFFFF").move_to(d.neuron(l, j))
                label.add_background_rectangle(opacity=0.85, buff=0.04)
            else:
                label = self.math(text, size, color=d.text_color(l, j)).move_to(d.neuron(l, j))
                label.scale_to_fit_width(min(label.width, 1.8 * d.radius))
            labels.add(label)
        return labels

    def cost_label(self, d: NetworkDiagram) -> VGroup:
        return self.math(sym("C"), SMALL_FONT).move_to(d.cost_node)

    def ring(self, d: NetworkDiagram, l: int, j: int):
        """Animation: neuron j of layer l outlined in the highlight colour."""
        return d.neuron(l, j).animate.set_stroke(HIGHLIGHT, width=5)

    def light(self, *lines, width: float = 6.0) -> VGroup:
        """Highlighted copies of edges (to Create over them, and FadeOut after)."""
        return VGroup(*(line.copy().set_stroke(HIGHLIGHT, width=width, opacity=1) for line in lines))
