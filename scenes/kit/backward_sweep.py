"""The backward pass on a network diagram: ∂C/∂a carried right to left, layer by layer.

Backpropagation starts at the cost: each output's ∂C/∂a_j(L) comes back along its line to the
cost. Then, layer by layer, every edge from layer l back to layer l-1 flashes right to left,
thickening with the term it carries, w_jk(l) σ'(z_j(l)) ∂C/∂a_j(l), and each ∂C/∂a_k(l-1) (the sum
of those terms over j) lands beside its neuron. Every number is nncore's: the diagram's network's
backward pass (``Network.backward``) and path terms (``nncore.path_terms``).

>>> sweep = BackwardSweep(diagram, net, x, y)         # doctest: +SKIP
>>> self.play(*sweep.start())                        # doctest: +SKIP
>>> for l in range(net.depth, 0, -1):                # doctest: +SKIP
...     self.play(*sweep.layer(l), run_time=2)
...     self.play(*sweep.landing(l))
"""

from __future__ import annotations

from typing import Callable, Iterable

import numpy as np
from manim import (
    AnimationGroup,
    Dot,
    FadeIn,
    Indicate,
    Line,
    MathTypst,
    Mobject,
    MoveAlongPath,
    ShowPassingFlash,
    VGroup,
    config,
    linear,
)

import nncore
from lessonmodel.fmt import decimals_for
from lessonmodel.formula import Num, typst
from lessonmodel.names import C0, activation, derivative
from scenes.kit.box import Box
from scenes.kit.label_spots import LabelSpots, away_from_middle
from scenes.kit.network_diagram import FRAME_MARGIN, NetworkDiagram
from scenes.kit.style import SENSITIVITY, SMALL_FONT

__all__ = ["BackwardSweep", "backwards_flash", "place_beside"]

Label = Callable[[int, int], Mobject]  # (l, j) -> the label of ∂C/∂a_j(l), placed


def backwards_flash(line: Line, width: float = 6.0, color=SENSITIVITY) -> AnimationGroup:
    """A bright segment and a dot running along ``line`` from its end back to its start: right to
    left, the way the sensitivity travels.

    Examples
    --------
    >>> self.play(*(backwards_flash(line) for line in diagram.cost_lines))   # doctest: +SKIP
    """
    back = Line(line.get_end(), line.get_start()).set_stroke(color, width=width, opacity=1)
    dot = Dot(line.get_end(), radius=0.035 + 0.006 * width, color=color)
    return AnimationGroup(ShowPassingFlash(back, time_width=0.6), MoveAlongPath(dot, back, remover=True),
                          rate_func=linear)


def place_beside(spots: LabelSpots, diagram: NetworkDiagram, label: Mobject, l: int, j: int) -> Mobject:
    """Put ``label`` beside neuron j of layer l where it touches nothing (away from the middle of
    its column); a network too dense to leave a free place gets the label on the neuron itself, on
    a dark patch of its own, rather than across the edges.

    Examples
    --------
    >>> spots = LabelSpots(diagram, Box(-6.7, -3.55, 6.7, 3.55))                  # doctest: +SKIP
    >>> place_beside(spots, diagram, MathTypst("-0.12"), 1, 0)                    # doctest: +SKIP
    """
    neuron = diagram.neuron(l, j)
    if not spots.place(label, neuron, away_from_middle(diagram, l, j)):
        label.add_background_rectangle(opacity=0.85, buff=0.03)
        # wholly inside the neuron, clear of its outline: its corners within the radius
        room = diagram.radius - 0.06
        label.scale(min(1.0, room / float(np.hypot(label.width / 2, label.height / 2)))).move_to(neuron)
        spots.block(label)
    return label


class BackwardSweep:
    """The backward pass of ``net`` on the example (``x``, ``y``), drawn on ``diagram`` (the same
    network: :meth:`NetworkDiagram.of`).

    Parameters
    ----------
    diagram
        The network's diagram (with its cost node, for :meth:`start`).
    net, x, y
        The nncore network and the example whose ∂C/∂a the sweep carries.
    label
        Makes and places the label of ∂C/∂a_j(l) for ``(l, j)``; by default its value, in the
        sensitivity colour, beside its neuron (:func:`place_beside`), inside the frame.
    landed
        The ``(l, j)`` whose labels are on screen already: they flash when the sweep passes.

    Examples
    --------
    >>> net = nncore.Network.random([3, 4, 2], seed=1)             # doctest: +SKIP
    >>> d = NetworkDiagram.of(net, [0.2, 0.5, 0.9], cost=True)     # doctest: +SKIP
    >>> sweep = BackwardSweep(d, net, [0.2, 0.5, 0.9], [0.0, 1.0])  # doctest: +SKIP
    """

    def __init__(self, diagram: NetworkDiagram, net: nncore.Network, x, y, *, label: Label | None = None,
                 landed: Iterable[tuple[int, int]] = ()) -> None:
        if list(diagram.sizes) != list(net.sizes):
            raise ValueError(f"the diagram has layers {diagram.sizes}, the network {net.sizes}")
        self.d, self.net = diagram, net
        self.gradients = net.backward(x, y)
        self.terms = {l: np.array([nncore.path_terms(net, x, y, l, k) for k in range(net.sizes[l - 1])]).T
                      for l in range(1, net.depth + 1)}
        self.widest = max((abs(t) for terms in self.terms.values() for t in terms.flat), default=0.0) or 1.0
        self.landed = set(landed)
        self._made: dict[tuple[int, int], Mobject] = {}
        self._label = label or self._value_label
        half_w, half_h = config.frame_width / 2 - FRAME_MARGIN, config.frame_height / 2 - FRAME_MARGIN
        self.spots = LabelSpots(diagram, Box(-half_w, -half_h, half_w, half_h))

    def value(self, l: int, j: int) -> float:
        """∂C/∂a_j(l), from nncore's backward pass."""
        return float(self.gradients.activations[l][j])

    def label(self, l: int, j: int) -> Mobject:
        """The label of ∂C/∂a_j(l), placed (made once)."""
        if (l, j) not in self._made:
            self._made[(l, j)] = self._label(l, j)
        return self._made[(l, j)]

    def _value_label(self, l: int, j: int) -> Mobject:
        name = derivative(C0, activation(l, j))
        size = min(SMALL_FONT * 0.85, 75 * self.d.radius)
        label = MathTypst(typst(Num(name, self.value(l, j), decimals_for(name))), font_size=size, color=SENSITIVITY)
        return place_beside(self.spots, self.d, label, l, j)

    def _arrive(self, l: int) -> list:
        """The labels of layer l land beside their neurons; those already there flash."""
        n = self.d.sizes[l]
        new = [j for j in range(n) if (l, j) not in self.landed]
        old = [self.label(l, j) for j in range(n) if (l, j) in self.landed]
        landing = [FadeIn(self.label(l, j), target_position=self.d.neuron(l, j).get_center(), scale=0.5) for j in new]
        self.landed.update((l, j) for j in new)
        return [*landing, *(Indicate(label, color=SENSITIVITY) for label in old)]

    def start(self) -> list:
        """Animations: the sweep leaves the cost, back along its lines to the outputs, where each
        ∂C/∂a_j(L) lands (or, already there, flashes)."""
        L, d = self.net.depth, self.d
        flashes = [backwards_flash(line) for line in getattr(d, "cost_lines", [])]
        outputs = range(d.sizes[L])
        if all((L, j) in self.landed for j in outputs):
            return [*flashes, Indicate(VGroup(*(self.label(L, j) for j in outputs)), color=SENSITIVITY,
                                       scale_factor=1.15)]
        return [*flashes, *self._arrive(L)]

    def layer(self, l: int) -> list:
        """Animations: every edge from layer l back to layer l-1 flashes right to left and
        thickens with the term it carries (the widest term of the network the widest edge)."""
        flows, thicken = [], []
        for j in range(self.d.sizes[l]):
            for k in range(self.d.sizes[l - 1]):
                width = 1.0 + 7.0 * abs(self.terms[l][j, k]) / self.widest
                flows.append(backwards_flash(self.d.edge(l, j, k), width=width + 3))
                thicken.append(self.d.edge(l, j, k).animate.set_stroke(width=width))
        return [AnimationGroup(*flows), *thicken]

    def landing(self, l: int) -> list:
        """Animations: each ∂C/∂a_k(l-1) lands beside its neuron, after :meth:`layer` ``l``."""
        return self._arrive(l - 1)
