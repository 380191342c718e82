"""The neuron chain: one neuron per layer joined by weighted edges."""

from __future__ import annotations

from typing import Sequence

import numpy as np
from manim import (
    RIGHT,
    UP,
    WHITE,
    AnimationGroup,
    Circle,
    Dot,
    Line,
    MoveAlongPath,
    ReplacementTransform,
    ShowPassingFlash,
    VGroup,
    linear,
)

from scenes.kit.diagram_registry import diagram_made
from scenes.kit.style import HIGHLIGHT, MUTED, edge_color

__all__ = ["ChainDiagram", "LayersPicture", "edge_width", "activation_opacity"]


def edge_width(weight: float) -> float:
    """Stroke width grows with |w|, within limits that stay readable.

    >>> edge_width(0.5), edge_width(-10.0)
    (2.75, 11.5)
    """
    return 1.5 + 2.5 * min(abs(weight), 4.0)


def activation_opacity(activation: float) -> float:
    """How brightly a neuron is lit: |a|, capped at 1 (ReLU outputs can exceed 1).

    >>> activation_opacity(-0.25), activation_opacity(3.0)
    (0.25, 1.0)
    """
    return float(min(abs(activation), 1.0))


class ChainDiagram(VGroup):
    """Neurons in a row, edge l joining neuron l-1 to neuron l.

    Parameters
    ----------
    weights
        One number per edge; colour by sign (blue positive, red negative), width by |w|.
    spacing
        Distance between neuron centres.
    radius
        Neuron radius.

    Examples
    --------
    >>> net = nncore.Network.chain([-0.90, -2.49, 0.91], [-0.31, 0.73, 0.22])   # doctest: +SKIP
    >>> chain = ChainDiagram([w[0, 0] for w in net.weights])                    # doctest: +SKIP
    >>> self.play(chain.signal(1), chain.lit(1, net.forward([0.5]).a[1][0]))    # doctest: +SKIP
    """

    def __init__(self, weights: Sequence[float], spacing: float = 3.2, radius: float = 0.42, **kwargs) -> None:
        super().__init__(**kwargs)
        self.neurons = VGroup(
            *(
                Circle(radius=radius, color=WHITE, stroke_width=3, fill_color=WHITE, fill_opacity=0)
                .shift(i * spacing * RIGHT)
                for i in range(len(weights) + 1)
            )
        )
        self.edges = VGroup(
            *(
                Line(
                    left.get_right(),
                    right.get_left(),
                    color=edge_color(w),
                    stroke_width=edge_width(w),
                )
                for w, left, right in zip(weights, self.neurons[:-1], self.neurons[1:])
            )
        )
        self.add(self.edges, self.neurons)
        self.move_to(np.zeros(3))
        diagram_made(self)  # so a composition watch finds its parts on screen

    def lit(self, l: int, activation: float):
        """Neuron l filled by its activation (an animation target via ``.animate``)."""
        return self.neurons[l].animate.set_fill(WHITE, opacity=activation_opacity(activation))

    def edge_point(self, l: int, side=UP, buff: float = 0.25) -> np.ndarray:
        """Beside the middle of edge l (joining neuron l-1 to neuron l)."""
        return self.edges[l - 1].get_center() + buff * side

    def signal(self, l: int, color=HIGHLIGHT, run_time: float = 1.0) -> AnimationGroup:
        """A signal travelling along edge l, from neuron l-1 to neuron l: a bright sliver of the
        edge and a dot riding on it (both gone when it arrives)."""
        edge = self.edges[l - 1]
        flash = edge.copy().set_stroke(color, width=edge.get_stroke_width() + 4, opacity=1.0)
        dot = Dot(edge.get_start(), radius=0.09, color=color)
        return AnimationGroup(
            ShowPassingFlash(flash, time_width=0.6),
            MoveAlongPath(dot, Line(edge.get_start(), edge.get_end()), rate_func=linear, remover=True),
            run_time=run_time,
        )


class LayersPicture(VGroup):
    """A network of several neurons per layer, drawn over a chain's place: column l stands where
    neuron l of ``chain`` stands (sideways), every neuron joined to every one of the next layer.

    A picture without values (outlined neurons, grey edges): the many-neuron network that
    :meth:`collapse` folds into the chain, one layer at a time.

    Parameters
    ----------
    chain
        The chain it folds into (its neurons give the columns' places).
    sizes
        Neurons per layer, one per neuron of the chain.
    height
        The span of the tallest column's centres.
    center_y
        Where the columns are centred vertically.
    """

    def __init__(self, chain: ChainDiagram, sizes: Sequence[int], height: float = 4.6, center_y: float = 0.0,
                 radius: float = 0.3, **kwargs) -> None:
        super().__init__(**kwargs)
        if len(sizes) != len(chain.neurons):
            raise ValueError(f"{len(chain.neurons)} layers need {len(chain.neurons)} sizes, got {len(sizes)}")
        spacing = height / max(max(sizes) - 1, 1)
        self.columns = VGroup(
            *(
                VGroup(
                    *(
                        Circle(radius=radius, color=WHITE, stroke_width=2.5)
                        .move_to([neuron.get_x(), center_y + ((n - 1) / 2 - i) * spacing, 0])
                        for i in range(n)
                    )
                )
                for neuron, n in zip(chain.neurons, sizes)
            )
        )
        self.edges = VGroup(
            *(
                VGroup(
                    *(
                        Line(left.get_center(), right.get_center(), buff=radius, color=MUTED, stroke_width=1.5)
                        for right in right_column
                        for left in left_column
                    )
                )
                for left_column, right_column in zip(self.columns[:-1], self.columns[1:])
            )
        )
        self.add(self.edges, self.columns)
        diagram_made(self)  # a diagram on screen for a composition watch, as the chain it folds into

    def collapse(self, chain: ChainDiagram) -> list[AnimationGroup]:
        """One animation per layer, left to right: the layer's neurons merge into the chain's
        neuron, the edges coming in merge into the chain's edge, and the edges going out now
        leave from the merged neuron. Plays into ``chain`` (this picture is gone at the end)."""
        steps = []
        for l, (column, neuron) in enumerate(zip(self.columns, chain.neurons)):
            moves = [ReplacementTransform(column, neuron)]
            if l > 0:
                moves.append(ReplacementTransform(self.edges[l - 1], chain.edges[l - 1]))
            if l < len(self.edges):
                moves += [edge.animate.put_start_and_end_on(_rim(neuron, edge.get_end()), edge.get_end())
                          for edge in self.edges[l]]
            steps.append(AnimationGroup(*moves))
        return steps


def _rim(circle: Circle, toward: np.ndarray) -> np.ndarray:
    """The point of ``circle``'s rim facing ``toward``."""
    center = circle.get_center()
    direction = toward - center
    return center + circle.width / 2 * direction / np.linalg.norm(direction)
