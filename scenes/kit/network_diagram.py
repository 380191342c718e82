"""A fully connected network drawn from its values: neurons filled by activation, edges coloured
by the sign of their weight and sized by |w|; the forward pass as signals along its edges.

It takes numbers: ``activations[l][j]`` (layer 0 the input) and ``weights[l-1][j, k]`` for the
edge from neuron k of layer l-1 to neuron j of layer l, or an nncore network and an input
(:meth:`NetworkDiagram.of`, which runs the forward pass). Networks of 2 to 6 layers of 1 to 8
neurons fit the box it is given; new values animate in (:meth:`NetworkDiagram.retarget`).

>>> net = nncore.Network.random([3, 4, 2], seed=1)
>>> d = NetworkDiagram.of(net, [0.2, 0.5, 0.9], cost=True)
>>> d.sizes, len(d.forward_pass())
([3, 4, 2], 2)
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from manim import (
    BLACK,
    DOWN,
    WHITE,
    AnimationGroup,
    Circle,
    Line,
    Mobject,
    RoundedRectangle,
    ShowPassingFlash,
    Succession,
    VGroup,
    config,
)

import nncore
from scenes.kit.box import Box, segment_meets_box
from scenes.kit.chain_diagram import activation_opacity
from scenes.kit.diagram_registry import diagram_made
from scenes.kit.style import COLORS, HIGHLIGHT, MUTED, edge_color

__all__ = ["NetworkDiagram", "network_edge_width", "forward_activations"]

FRAME_MARGIN = 0.45  # labels keep this far from the frame's edges (the lesson's rule is 0.4)


def forward_activations(net: nncore.Network, x: Sequence[float]) -> list[list[float]]:
    """a(0) = x, a(1), ..., a(L) of ``net``'s forward pass on one example ``x``.

    >>> [len(a) for a in forward_activations(nncore.Network.random([2, 3, 1], seed=0), [0.5, 0.1])]
    [2, 3, 1]
    """
    if np.ndim(x) != 1:
        raise ValueError(f"a diagram shows one example: x must be a list of {net.sizes[0]} numbers")
    return [list(map(float, a)) for a in net.forward(x).a]


def network_edge_width(weight: float, dense: bool = False) -> float:
    """Stroke width by |w| (capped at |w| = 4); thinner when many edges share the space."""
    width = 1.0 + 1.5 * min(abs(weight), 4.0)
    return 0.7 * width if dense else width


class NetworkDiagram(VGroup):
    """Layers of neurons in columns, every neuron of a layer joined to every one of the next.

    Parameters
    ----------
    activations
        ``activations[l][j]``: fills neuron j of layer l (brightness |a|, capped at 1).
    weights
        ``weights[l-1][j, k]``: the edge from neuron k of layer l-1 to neuron j of layer l,
        blue if w > 0, red if w < 0, wider for larger |w|.
    width, height
        The box the neurons' centres span (plus one radius around them).
    max_radius
        Neuron radius when there is room; smaller when a layer has many neurons.
    cost
        Also draw a cost node right of the output layer, joined to every output neuron
        (``self.cost_node``, ``self.cost_lines[j]``); its label is the scene's to add.

    Examples
    --------
    >>> d = NetworkDiagram([[0.1, 0.9], [0.5]], [np.array([[0.3, -1.2]])])
    >>> red = d.edge(1, 0, 1)  # the edge of w_01(1): red, as the weight is negative
    >>> d = NetworkDiagram.of(nncore.Network.random([2, 3, 1], seed=0), [0.5, 0.1], width=5.0)
    """

    def __init__(
        self,
        activations: Sequence[Sequence[float]],
        weights: Sequence[np.ndarray],
        width: float = 7.0,
        height: float = 5.0,
        max_radius: float = 0.34,
        cost: bool = False,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.sizes = [len(a) for a in activations]
        if len(weights) != len(self.sizes) - 1:
            raise ValueError(f"{len(self.sizes)} layers need {len(self.sizes) - 1} weight matrices, got {len(weights)}")
        most = max(self.sizes)
        spacing = height / max(most - 1, 1) if most > 1 else height
        self.radius = min(max_radius, 0.42 * spacing)
        spacing = min(spacing, 4 * self.radius)
        xs = np.linspace(-width / 2, width / 2, len(self.sizes) + (1 if cost else 0))
        self.dense = most * most * (len(self.sizes) - 1) > 30
        self.neurons = VGroup(*(self._column(x, n, spacing) for x, n in zip(xs, self.sizes)))
        self.edges = VGroup(*(self._edges_into(l, weights[l - 1]) for l in range(1, len(self.sizes))))  # [l-1][j][k]
        self.add(self.edges, self.neurons)
        if cost:
            self._add_cost_node(xs[-1])
        self.fill_by(activations)
        self.move_to(np.zeros(3))
        diagram_made(self)  # so a composition watch finds its parts on screen

    def _column(self, x: float, n: int, spacing: float) -> VGroup:
        """n empty neurons one above the other at ``x``, centred on the axis."""
        ys = (np.arange(n)[::-1] - (n - 1) / 2) * spacing
        return VGroup(*(Circle(radius=self.radius, color=WHITE, stroke_width=2.5, fill_color=WHITE, fill_opacity=0)
                        .move_to([x, y, 0]) for y in ys))

    def _edges_into(self, l: int, weights: np.ndarray) -> VGroup:
        """The edges into layer l, ``[j][k]`` from neuron k of layer l-1 to neuron j, drawn by weight."""
        w = np.asarray(weights, dtype=float)
        shape = (self.sizes[l], self.sizes[l - 1])
        if w.shape != shape:
            raise ValueError(f"weights[{l - 1}] must have shape {shape}, got {w.shape}")
        left, right = self.neurons[l - 1], self.neurons[l]
        return VGroup(*(VGroup(*(self._edge(left[k], right[j], w[j, k]) for k in range(shape[1])))
                        for j in range(shape[0])))

    def _add_cost_node(self, x: float) -> None:
        """The cost's box at ``x`` and a line to it from each output neuron."""
        self.cost_node = RoundedRectangle(corner_radius=0.1, width=2.4 * self.radius + 0.3, height=2.4 * self.radius,
                                          color=COLORS["C"], stroke_width=3).move_to([x, 0, 0])
        self.cost_lines = VGroup(*(Line(n.get_right(), self.cost_node.get_left(), color=MUTED, stroke_width=2,
                                        stroke_opacity=0.8) for n in self.neurons[-1]))
        self.add(self.cost_lines, self.cost_node)

    @classmethod
    def of(cls, net: nncore.Network, x: Sequence[float], **kwargs) -> NetworkDiagram:
        """The diagram of an nncore network, lit by its forward pass on the input ``x`` (one
        example); ``kwargs`` as the constructor's (``width``, ``height``, ``max_radius``, ``cost``)."""
        return cls(forward_activations(net, x), net.weights, **kwargs)

    def _edge(self, start: Circle, end: Circle, weight: float) -> Line:
        direction = end.get_center() - start.get_center()
        unit = direction / np.linalg.norm(direction)
        return Line(
            start.get_center() + self.radius * unit,
            end.get_center() - self.radius * unit,
            color=edge_color(weight),
            stroke_width=network_edge_width(weight, self.dense),
            stroke_opacity=0.8 if self.dense else 1.0,
        )

    # --- parts -------------------------------------------------------------------------------

    def neuron(self, l: int, j: int) -> Circle:
        """Neuron j of layer l (layer 0 is the input)."""
        return self.neurons[l][j]

    def edge(self, l: int, j: int, k: int) -> Line:
        """The edge of w_jk(l): from neuron k of layer l-1 to neuron j of layer l."""
        return self.edges[l - 1][j][k]

    def edges_from(self, l: int, k: int) -> list[Line]:
        """Every edge leaving neuron k of layer l-1 towards layer l."""
        return [self.edges[l - 1][j][k] for j in range(self.sizes[l])]

    def text_color(self, l: int, j: int):
        """A colour that reads on top of neuron j of layer l: black on a bright one."""
        return BLACK if activation_opacity(self.activations[l][j]) > 0.5 else WHITE

    def column_bottom(self, l: int, buff: float = 0.2) -> np.ndarray:
        """Just below the bottom neuron of layer l."""
        return self.neurons[l][-1].get_bottom() + buff * DOWN

    # --- free space for labels ---------------------------------------------------------------

    def lines(self) -> list[Line]:
        """Every edge, and the lines to the cost node if there is one."""
        edges = [edge for layer in self.edges for row in layer for edge in row]
        return edges + list(getattr(self, "cost_lines", []))

    def clashes(self, box: Box, taken: Sequence[Box] = (), pad: float = 0.06) -> int:
        """How many lines, neurons, the cost node and ``taken`` boxes ``box`` touches (within
        ``pad``), plus ten if it comes closer than the margin to the frame's edge."""
        hits = sum(segment_meets_box(line.get_start(), line.get_end(), box, pad) for line in self.lines())
        shapes = [n for column in self.neurons for n in column]
        shapes += [self.cost_node] if hasattr(self, "cost_node") else []
        hits += sum(box.meets(Box.of(shape), pad) for shape in shapes)
        hits += 3 * sum(box.meets(other, pad) for other in taken)  # a label on a label reads worst
        w, h = config.frame_width / 2 - FRAME_MARGIN, config.frame_height / 2 - FRAME_MARGIN
        hits += 10 * int(not box.within(Box(-w, -h, w, h)))  # never off the frame
        return hits

    def place_clear(self, label: Mobject, centres: Sequence[np.ndarray], taken: Sequence[Box] = ()) -> Mobject:
        """Move ``label`` to the first of ``centres`` where it touches nothing (else to the one
        where it touches least, noting how much in ``label.clashes``): labels sit beside the
        picture, never on its edges or neurons."""
        half = np.array([label.width / 2, label.height / 2])
        best, fewest = None, None
        for centre in centres:
            c = np.asarray(centre, dtype=float)[:2]
            hits = self.clashes(Box(*(c - half), *(c + half)), taken)
            if fewest is None or hits < fewest:
                best, fewest = c, hits
            if hits == 0:
                break
        label.clashes = fewest  # 0: it touches nothing
        return label.move_to([best[0], best[1], 0])

    def around_neuron(self, l: int, j: int, label: Mobject, sides: Sequence[float] = (90, 270, 45, 135, 315, 225, 0,
                                                                                        180)) -> list[np.ndarray]:
        """Centres for ``label`` beside neuron j of layer l, in the directions ``sides`` (degrees),
        nearest first."""
        centre = self.neuron(l, j).get_center()
        out = []
        for gap in (0.08, 0.2, 0.35, 0.6, 0.9):
            for angle in sides:
                u = np.array([np.cos(np.radians(angle)), np.sin(np.radians(angle)), 0.0])
                # the distance from the centre at which the label's box just clears the circle
                reach = abs(u[0]) * label.width / 2 + abs(u[1]) * label.height / 2
                out.append(centre + (self.radius + gap + reach) * u)
        return out

    def along_edge(self, line: Line, label: Mobject) -> list[np.ndarray]:
        """Centres for ``label`` beside ``line``, on either side, from its middle outwards."""
        start, end = line.get_start(), line.get_end()
        direction = (end - start) / np.linalg.norm(end - start)
        normal = np.array([-direction[1], direction[0], 0.0])
        out = []
        for gap in (0.1, 0.25, 0.45):
            reach = abs(normal[0]) * label.width / 2 + abs(normal[1]) * label.height / 2 + gap
            for t in (0.5, 0.4, 0.6, 0.3, 0.7):
                point = start + t * (end - start)
                out += [point + reach * normal, point - reach * normal]
        return out

    # --- changes -----------------------------------------------------------------------------

    def fill_by(self, activations: Sequence[Sequence[float]]) -> "NetworkDiagram":
        """Fill every neuron by its activation, now (no animation)."""
        self.activations = [list(map(float, values)) for values in activations]
        for column, values in zip(self.neurons, activations):
            for circle, a in zip(column, values):
                circle.set_fill(WHITE, opacity=activation_opacity(a))
        return self

    def forward_pass(self, activations: Sequence[Sequence[float]] | None = None, run_time: float = 1.0,
                     color=HIGHLIGHT) -> list[Succession]:
        """Animations, one per layer after the input (play them in turn): a signal along each edge
        into the layer, then its neurons light to their activation (``activations``, by default the
        diagram's own)."""
        activations = self.activations if activations is None else activations
        steps = []
        for l in range(1, len(self.sizes)):
            flashes = [ShowPassingFlash(e.copy().set_stroke(color, width=5), time_width=0.5)
                       for row in self.edges[l - 1] for e in row]
            fills = [n.animate.set_fill(WHITE, opacity=activation_opacity(a))
                     for n, a in zip(self.neurons[l], activations[l])]
            steps.append(Succession(AnimationGroup(*flashes, run_time=0.6 * run_time),
                                    AnimationGroup(*fills, run_time=0.4 * run_time)))
        return steps

    def retarget_to(self, net: nncore.Network, x: Sequence[float], **kwargs) -> AnimationGroup:
        """Animate to another network of the same sizes (after a step of gradient descent, say), lit
        by its forward pass on ``x``."""
        return self.retarget(forward_activations(net, x), net.weights, **kwargs)

    def retarget(self, activations: Sequence[Sequence[float]], weights: Sequence[np.ndarray],
                 **kwargs) -> AnimationGroup:
        """Animate to other values: fills by the new activations, edges by the new weights."""
        self.activations = [list(map(float, values)) for values in activations]
        animations = []
        for column, values in zip(self.neurons, activations):
            for circle, a in zip(column, values):
                animations.append(circle.animate.set_fill(WHITE, opacity=activation_opacity(a)))
        for l, w in enumerate(weights, start=1):
            for j in range(self.sizes[l]):
                for k in range(self.sizes[l - 1]):
                    animations.append(
                        self.edge(l, j, k).animate.set_stroke(
                            color=edge_color(w[j, k]), width=network_edge_width(w[j, k], self.dense)
                        )
                    )
        return AnimationGroup(*animations, **kwargs)
