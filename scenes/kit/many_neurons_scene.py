"""The base of the many-neuron scenes: the configured ``[network]``, its symbols and its drawing.

Shared by the scenes of many neurons per layer, the general recursion and gradient descent.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    WHITE,
    Dot,
    Line,
    MoveAlongPath,
    ShowPassingFlash,
    UpdateFromAlphaFunc,
    VGroup,
)

from lessonmodel.formula import Call, Eq, Group, Lit, Math, Partial, Row, Signed, Sym, add
from lessonmodel.names import C0, Symbol, activation, bias, derivative, target, weight, weighted_sum
from lessonmodel.notation import SOFTMAX, activation_notation, cost_notation, general, output_notation
from lessonmodel.precision import network_table
from lessonmodel.values import many_named, network_of
from scenes.kit.box import Box
from scenes.kit.chain_diagram import activation_opacity
from scenes.kit.lesson_scene import LessonScene
from scenes.kit.network_diagram import NetworkDiagram
from scenes.kit.stage import NETWORK_CENTER, NETWORK_HEIGHT, NETWORK_RADIUS, NETWORK_WIDTH
from scenes.kit.style import HIGHLIGHT, SMALL_FONT

__all__ = ["ManyNeuronsScene", "J_COLOR", "K_COLOR", "sum_sign"]

# The two indices of w_jk(L), each linked by its colour to its neuron: j the neuron the edge goes
# to (layer L), k the neuron it comes from (layer L-1). Colours no quantity uses.
J_COLOR = "#FF8C42"
K_COLOR = "#C792EA"

Index = int | str  # a neuron's number (one quantity: a_1(L)), or an index letter (the general a_j(L))


def sum_sign(index: str, label: str = "sum") -> Group:
    """Σ_index alone as the group ``label``, to put a brace under: ``Row(sum_sign("j"), body)``."""
    return Group(label, Lit(f"sum_{index}", f"Σ_{index}", f"the sum over {index} of"))


class ManyNeuronsScene(LessonScene):
    """A scene on the configured many-neuron network, its example and focused pair (j, k)."""

    def setup(self) -> None:
        self.many = network_of(self.lesson.network)
        self.named = many_named(self.many)
        self.digits = network_table(self.lesson.network)
        self.net = self.many.net
        self.L = self.net.depth
        self.sizes = self.net.sizes
        self.j, self.k = self.many.focus
        self.sigma = activation_notation(self.lesson.network.activation)  # σ (or tanh, ReLU): .of(), .slope()
        self.output = output_notation(self.lesson.network.output_layer)  # the output layer's: σ, or softmax
        self.cost_notation = cost_notation(self.net.cost_function)  # C0 and ∂C0/∂a_j(L) of the network's cost
        self.section_names: list[str] = []

    def next_section(self, name: str = "unnamed", *args, **kwargs) -> None:
        """Manim's sections, with their names kept in ``self.section_names`` (for the tests)."""
        self.section_names.append(name)
        super().next_section(name, *args, **kwargs)

    # --- symbols: a number names one quantity, a letter is the general notation -------------

    def _symbol(self, kind: str, l: int | None, name: Symbol | None, *indices: Index) -> Sym:
        if all(isinstance(i, int) for i in indices):
            return self.sym(name)
        return general(kind, None if l is None else self.layer(l), " ".join(map(str, indices)))

    def a(self, l: int, j: Index) -> Sym:
        """a_j(l): ``a(L, 1)`` is a_1(L), ``a(L, "j")`` a_j(L)."""
        return self._symbol("a", l, activation(l, j) if isinstance(j, int) else None, j)

    def z(self, l: int, j: Index) -> Sym:
        """z_j(l)."""
        return self._symbol("z", l, weighted_sum(l, j) if isinstance(j, int) else None, j)

    def w(self, l: int, j: Index, k: Index) -> Sym:
        """w_jk(l): ``w(L, 1, 2)`` is w_12(L), ``w(L, "j", "k")`` w_jk(L)."""
        one = isinstance(j, int) and isinstance(k, int)
        return self._symbol("w", l, weight(l, j, k) if one else None, j, k)

    def b(self, l: int, j: Index) -> Sym:
        """b_j(l)."""
        return self._symbol("b", l, bias(l, j) if isinstance(j, int) else None, j)

    def y(self, j: Index) -> Sym:
        """y_j, output j's target."""
        return self._symbol("y", None, target(j) if isinstance(j, int) else None, j)

    def indexed(self, kind: str, l: int | None, *indices: tuple[Index, str], name: Symbol | None = None) -> Sym:
        """A symbol whose indices are groups of their own, ``(index, label)`` each, so a scene can
        colour them and point from them: ``indexed("w", L, ("j", "j"), ("k", "k"))``; ``name``: the
        quantity it names, when its indices are numbers."""
        sub = tuple(Group(label, Lit(str(index))) for index, label in indices)
        return Sym(kind, None if l is None else self.layer(l), sub, kind, name)

    def color_indices(self, formula, **labels: str):
        """Colour the groups ``labels`` of ``formula`` (``j=J_COLOR``); returns the formula."""
        for label, color in labels.items():
            formula.select(label).set_color(color)
        return formula

    def slope(self, l: int, j: Index) -> Call:
        """σ'(z_j(l)), in the network's activation."""
        return self.sigma.slope(self.z(l, j))

    @property
    def fused(self) -> bool:
        """Whether the output's slope and ∂C0/∂a_j(L) are one factor, ∂C0/∂z_j(L) = a_j(L) - y_j:
        a softmax's a_j depends on every z_i(L), so it has no one slope σ'(z_j(L)) to split out."""
        return self.output is SOFTMAX

    def d_cost(self, what: Math) -> Partial:
        """∂C0/∂(what)."""
        return Partial(self.sym(C0), what)

    # --- values ------------------------------------------------------------------------------

    def values_of(self, l: int) -> list[float]:
        """The activations of layer l."""
        return [self.named[activation(l, j)] for j in range(self.sizes[l])]

    def sum_lines(self, head: Math | None, terms: list[Math], result: Math, font_size: float | None = None,
                  per_line: int = 3) -> VGroup:
        """``head = t1 + t2 + ... = result`` as formulas of at most ``per_line`` terms each (later
        lines start with +, the first with = when there is no ``head``), so long sums of big layers
        stay legible. A negative term is in parentheses, wherever its line puts it."""
        if not terms:
            raise ValueError("a sum needs at least one term")
        sums = [add(*(Signed(t) for t in terms[i : i + per_line])) for i in range(0, len(terms), per_line)]
        lines: list[Math] = []
        for i, part in enumerate(sums):
            line = Eq(part, result) if i == len(sums) - 1 else part
            if i == 0:
                lines.append(Row("=", line) if head is None else Eq(head, line))
            else:
                lines.append(Row(Lit("quad", "", ""), "+", line))
        kwargs = {} if font_size is None else {"font_size": font_size}
        return VGroup(*(self.math(line, **kwargs) for line in lines)).arrange(DOWN, buff=0.2)

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
            value = self.value(activation(l, j))
            if value.parts[1] is not None:  # a tiny value in scientific form: too wide for the neuron,
                # so it keeps a readable size on a dark patch of its own
                label = self.math(value, max(size, 20), color="#FFFFFF").move_to(d.neuron(l, j))
                label.add_background_rectangle(opacity=0.85, buff=0.04)
            else:
                label = self.math(value, size, color=d.text_color(l, j)).move_to(d.neuron(l, j))
                label.scale_to_fit_width(min(label.width, 1.8 * d.radius))
            labels.add(label)
        return labels

    def neuron_labels(self, d: NetworkDiagram, l: int, index: str | None = None, color=None,
                      taken: list | None = None) -> VGroup:
        """A label beside every neuron of layer l: a_0, a_1, ... (``index`` None) or a_k, a_k, ...
        (``index="k"``, the letter in ``color``); placed where it touches no edge, neuron or other
        label (``taken``: boxes already used, extended with these labels'). In a crowded layer the
        inner neurons that have no free spot go unlabelled; ``label.neuron`` says whose each is."""
        taken = [] if taken is None else taken
        labels = VGroup()
        for j in range(self.sizes[l]):
            label = self.math(self.indexed("a", l, (index, "i")) if index is not None else
                              self.indexed("a", l, (j, "i"), name=activation(l, j)), SMALL_FONT)
            if color is not None:
                label.select("i").set_color(color)
            # the top neuron's label above it, the bottom one's below: no edge leaves that way
            sides = (270, 90, 315, 225, 45, 135, 0, 180) if j >= self.sizes[l] / 2 else (90, 270, 45, 135, 315, 225, 0,
                                                                                          180)
            d.place_clear(label, d.around_neuron(l, j, label, sides), taken)
            if label.clashes and 0 < j < self.sizes[l] - 1:
                continue  # a crowded layer: its inner neurons go unlabelled, the ends say the pattern
            label.neuron = j
            taken.append(Box.of(label))
            labels.add(label)
        return labels

    def forward_pass(self, d: NetworkDiagram, run_time: float = 1.0) -> list:
        """Animations, one per layer after the input: a signal along each edge into the layer,
        then its neurons light to their activation (play them in turn; the kit's
        :meth:`NetworkDiagram.forward_pass` with the scene's values)."""
        return d.forward_pass([self.values_of(l) for l in range(self.L + 1)], run_time)

    def signal(self, *lines: Line, color=HIGHLIGHT, width: float = 6.0, time_width: float = 0.6) -> list:
        """A short bright segment travelling along each line, from its start to its end."""
        return [ShowPassingFlash(line.copy().set_stroke(color, width=width, opacity=1), time_width=time_width)
                for line in lines]

    def travelling_dot(self, line: Line, color=HIGHLIGHT, reverse: bool = False) -> tuple[Dot, MoveAlongPath]:
        """A dot and its move along ``line`` (backwards with ``reverse``); the dot stays where it
        arrives until removed."""
        path = Line(line.get_end(), line.get_start()) if reverse else Line(line.get_start(), line.get_end())
        dot = Dot(path.get_start(), radius=0.09, color=color)
        return dot, MoveAlongPath(dot, path)

    def flicker(self, d: NetworkDiagram, l: int, j: int, run_time: float = 3.0, swing: float = 0.35,
                seed: int = 0) -> UpdateFromAlphaFunc:
        """Animation: every neuron of layer l-1 flickers (its brightness wanders), and neuron j of
        layer l follows, by how much each matters to it: the change of a_j(l) is about
        σ'(z_j(l)) Σ_k w_jk(l) Δa_k(l-1) (the weights and slope from nncore). The brightness is a
        picture of influence; no number is shown."""
        rng = np.random.default_rng(seed)
        prev = d.neurons[l - 1]
        base = [activation_opacity(a) for a in self.values_of(l - 1)]
        own = activation_opacity(self.values_of(l)[j])
        weights = np.asarray(self.net.weights[l - 1][j], dtype=float)
        slope = self.named[derivative(activation(l, j), weighted_sum(l, j))]
        phases, speeds = rng.uniform(0, 2 * np.pi, len(prev)), rng.uniform(2.5, 4.5, len(prev))
        target = d.neuron(l, j)

        def update(_, alpha: float) -> None:
            envelope = np.sin(np.pi * alpha)  # starts and ends at the real values
            changes = swing * envelope * np.sin(phases + speeds * 2 * np.pi * alpha)
            for neuron, b, change in zip(prev, base, changes):
                neuron.set_fill(WHITE, opacity=float(np.clip(b + change, 0.0, 1.0)))
            response = slope * float(weights @ changes)
            target.set_fill(WHITE, opacity=float(np.clip(own + response, 0.0, 1.0)))

        return UpdateFromAlphaFunc(VGroup(prev, target), update, run_time=run_time)

    def cost_label(self, d: NetworkDiagram) -> VGroup:
        return self.math(self.sym(C0), SMALL_FONT).move_to(d.cost_node)

    def ring(self, d: NetworkDiagram, l: int, j: int):
        """Animation: neuron j of layer l outlined in the highlight colour."""
        return d.neuron(l, j).animate.set_stroke(HIGHLIGHT, width=5)

    def light(self, *lines, width: float = 6.0) -> VGroup:
        """Highlighted copies of edges (to Create over them, and FadeOut after)."""
        return VGroup(*(line.copy().set_stroke(HIGHLIGHT, width=width, opacity=1) for line in lines))
