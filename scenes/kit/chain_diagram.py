"""The neuron chain: one neuron per layer joined by weighted edges."""

from __future__ import annotations

from typing import Sequence

import numpy as np
from manim import RIGHT, UP, WHITE, Circle, Line, VGroup

from scenes.kit.diagram_registry import diagram_made
from scenes.kit.style import edge_color

__all__ = ["ChainDiagram", "edge_width", "activation_opacity"]


def edge_width(weight: float) -> float:
    """Stroke width grows with |w|, within limits that stay readable."""
    return 1.5 + 2.5 * min(abs(weight), 4.0)


def activation_opacity(activation: float) -> float:
    """How brightly a neuron is lit: |a|, capped at 1 (ReLU outputs can exceed 1)."""
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
