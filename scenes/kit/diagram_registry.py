"""The lesson's diagrams made in this process (chain, network, dependency tree).

Scenes animate a diagram's parts (``Create(d.edges)``, ``FadeIn(tree.nodes["C0"])``), and Manim
then adds the parts to the scene, not the diagram: the application's composition watch
(:mod:`backprop.composition_watch`) finds the diagram whose edges and neurons are on screen here.
Weak references: a diagram no scene holds any more is forgotten.
"""

from __future__ import annotations

import weakref

from manim import Mobject

__all__ = ["DIAGRAMS", "diagram_made"]

DIAGRAMS: weakref.WeakSet = weakref.WeakSet()


def diagram_made(diagram: Mobject) -> None:
    """Note a diagram (its constructor calls this)."""
    DIAGRAMS.add(diagram)
