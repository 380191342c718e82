"""The scenes' kit: drawings and animations of networks and their calculus, for any Manim scene.

Everything listed in ``__all__`` works in a plain ``manim.Scene`` with any nncore network of 2 to 6
layers, no lesson config needed (``docs/kit.md`` shows each in a complete example):

- :class:`NetworkDiagram`: a network drawn with live values (activations as brightness, weights
  as edge colour and width, :meth:`~NetworkDiagram.retarget` to new ones) and its forward pass as
  signals along the edges (:meth:`~NetworkDiagram.forward_pass`);
- :class:`BackwardSweep`: the backward pass, ∂C/∂a carried right to left, from nncore's
  ``Network.backward``;
- :class:`ChainDiagram`: one neuron per layer, a signal along each edge;
- :class:`BornFrom`: a formula born from the diagram, its parts flying in from their labels;
- :class:`ValueLine`, :class:`ValueAxes`: number lines and axes scaled to the values they show;
- :class:`Box` and the exact tests labels are placed by; :class:`LabelSpots`, free places beside
  neurons; the style (:data:`COLORS`, :data:`HIGHLIGHT`, :data:`SENSITIVITY`).

The lesson's own base scenes (:mod:`scenes.kit.lesson_scene`, :mod:`scenes.kit.many_neurons_scene`)
and its stages are here too; the scene modules import the kit and the lesson model, never each other.

Names load lazily (``from scenes.kit import NetworkDiagram``), so importing one drawing does not
import the rest.
"""

from __future__ import annotations

import importlib

__all__ = [
    "NetworkDiagram",
    "forward_activations",
    "BackwardSweep",
    "backwards_flash",
    "place_beside",
    "ChainDiagram",
    "activation_opacity",
    "edge_width",
    "BornFrom",
    "Flight",
    "rest_of",
    "settle",
    "reveal",
    "ValueLine",
    "ValueAxes",
    "DependencyTree",
    "LabelSpots",
    "Box",
    "segment_meets_box",
    "circle_meets_box",
    "circle_outline_meets_box",
    "COLORS",
    "HIGHLIGHT",
    "SENSITIVITY",
    "MUTED",
    "FONT",
    "SMALL_FONT",
    "edge_color",
]

_WHERE = {
    "scenes.kit.network_diagram": ("NetworkDiagram", "forward_activations"),
    "scenes.kit.backward_sweep": ("BackwardSweep", "backwards_flash", "place_beside"),
    "scenes.kit.chain_diagram": ("ChainDiagram", "activation_opacity", "edge_width"),
    "scenes.kit.born": ("BornFrom", "Flight", "rest_of", "settle", "reveal"),
    "scenes.kit.number_line": ("ValueLine", "ValueAxes"),
    "scenes.kit.cost_tree_diagram": ("DependencyTree",),
    "scenes.kit.label_spots": ("LabelSpots",),
    "scenes.kit.box": ("Box", "segment_meets_box", "circle_meets_box", "circle_outline_meets_box"),
    "scenes.kit.style": ("COLORS", "HIGHLIGHT", "SENSITIVITY", "MUTED", "FONT", "SMALL_FONT", "edge_color"),
}
_MODULE_OF = {name: module for module, names in _WHERE.items() for name in names}


def __getattr__(name: str):
    if name in _MODULE_OF:
        return getattr(importlib.import_module(_MODULE_OF[name]), name)
    raise AttributeError(f"module 'scenes.kit' has no attribute {name!r}")
