"""Free places for value labels beside the neurons of a network diagram (:class:`LabelSpots`).

A label goes at the first place around its neuron that touches no edge, no neuron and no label
already placed, inside the limits given (the frame less its margin, say), by the exact tests of
:mod:`scenes.kit.box`.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
from manim import Circle, Mobject

from scenes.kit.box import Box, circle_meets_box, segment_meets_box
from scenes.kit.network_diagram import NetworkDiagram

__all__ = ["LabelSpots", "LABEL_ANGLES", "LABEL_GAPS", "away_from_middle"]

# Where a label may sit around its neuron, best first: above and below before the sides, which
# the edges crowd; then ever further out.
LABEL_ANGLES = (90, 270, 75, 105, 255, 285, 60, 120, 240, 300, 45, 135, 225, 315, 30, 150, 210, 330, 15, 165, 195,
                345, 0, 180)
LABEL_GAPS = (0.05, 0.12, 0.2, 0.3)
LABEL_PAD = 0.05  # clearance from edges (their stroke included), neurons and other labels


def away_from_middle(diagram: NetworkDiagram, l: int, j: int) -> tuple[int, ...]:
    """:data:`LABEL_ANGLES`, those pointing away from the middle of neuron j's column first (a label
    between two neurons would belong to neither)."""
    n = diagram.sizes[l]
    if 2 * j + 1 == n:
        return LABEL_ANGLES
    up = 2 * j + 1 < n  # neurons are numbered from the top
    return tuple(sorted(LABEL_ANGLES, key=lambda angle: (np.sin(np.radians(angle)) > 0) != up))


class LabelSpots:
    """Free places beside the neurons of a network on the stage, for value labels.

    A label is put at the first place around its neuron (:data:`LABEL_ANGLES`, :data:`LABEL_GAPS`)
    that touches no edge, no neuron, no label already placed and stays inside ``limits``; a network
    too dense to leave one gets the place with the fewest collisions (``place`` returns False, and
    the scene puts the label on a dark patch of its own).

    Examples
    --------
    >>> spots = LabelSpots(diagram, limits=Box(-6.7, -3.6, 0.9, 3.6))   # doctest: +SKIP
    >>> spots.place(label, diagram.neuron(2, 0))                         # doctest: +SKIP
    True
    """

    def __init__(self, diagram: NetworkDiagram, limits: Box) -> None:
        lines = [edge for layer in diagram.edges for row in layer for edge in row]
        self.circles = [(n.get_center(), diagram.radius) for column in diagram.neurons for n in column]
        self.boxes: dict[int, Box] = {}
        if hasattr(diagram, "cost_node"):
            lines += list(diagram.cost_lines)
            self.boxes[id(diagram.cost_node)] = Box.of(diagram.cost_node)
        self.segments = [(line.get_start(), line.get_end()) for line in lines]
        self.limits = limits

    def block(self, mobject: Mobject) -> None:
        """Keep labels off ``mobject`` (a layer's name, a formula near the network)."""
        self.boxes[id(mobject)] = Box.of(mobject)

    def release(self, mobject: Mobject) -> None:
        """``mobject`` has left the screen: its place is free again."""
        self.boxes.pop(id(mobject), None)

    def collisions(self, box: Box, own: np.ndarray | None = None) -> int:
        """How many edges, neurons and placed labels ``box`` touches (the frame's limits count too);
        the neuron centred at ``own`` is the label's: its gap is the placement's to keep."""
        padded = box.grown(LABEL_PAD)
        outside = int(not box.within(self.limits))
        others = [(c, r) for c, r in self.circles if own is None or not np.allclose(c, own)]
        # crossing an edge is the least bad (a crowded network may leave nothing better); covering
        # a neuron or another label never is
        return (outside * 1000
                + sum(segment_meets_box(p, q, padded) for p, q in self.segments)
                + 100 * sum(circle_meets_box(c, r, box) for c, r in others)
                + 100 * sum(box.grown(0.01).meets(other) for other in self.boxes.values()))

    def place(self, label: Mobject, neuron: Circle, angles: Iterable[int] = LABEL_ANGLES,
              by_angle: bool = False) -> bool:
        """Move ``label`` beside ``neuron``: to a free place if there is one (True), else to the least
        crowded (False). The place is then taken. Nearer places come first, or, ``by_angle``, the
        first angles at any of the distances."""
        center, radius = neuron.get_center(), neuron.width / 2
        half = np.array([label.width / 2, label.height / 2])
        best: tuple[int, np.ndarray] | None = None
        angles = tuple(angles)
        order = ([(gap, angle) for angle in angles for gap in LABEL_GAPS] if by_angle
                 else [(gap, angle) for gap in LABEL_GAPS for angle in angles])
        for gap, angle in order:
            u = np.array([np.cos(np.radians(angle)), np.sin(np.radians(angle))])
            # out along u until the label's box clears the neuron by ``gap``
            reach = radius + gap + float(np.abs(u) @ half)
            spot = center[:2] + reach * u
            hits = self.collisions(Box(spot[0] - half[0], spot[1] - half[1], spot[0] + half[0], spot[1] + half[1]),
                                   own=center)
            if best is None or hits < best[0]:
                best = (hits, spot)
            if hits == 0:
                break
        label.move_to([*best[1], 0])
        self.block(label)
        return best[0] == 0
