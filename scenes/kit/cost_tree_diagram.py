"""The cost's dependency tree for the last layers of a chain: each quantity above what it depends on.

::

                 C0
               /    \\
            a(L)     y
             |
            z(L)
          /  |   \\
      w(L) a(L-1) b(L)
             |                  <- grown by :meth:`DependencyTree.grow`
           z(L-1)
          /  |   \\
    w(L-1) a(L-2) b(L-1)

Nodes are keyed by the names above; the caller makes their labels (so a scene can record its
formulas; :func:`node_symbol` is a node's symbol, :func:`node_name` the typed name it stands for)
and the tree places them and draws an arrow from each quantity to the one it feeds.

The tree has its own stage (:func:`staged_tree`): the left of the frame, its cost at the top. CostTree
ends with it there and ChainRule starts from it there.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
from manim import (
    DOWN,
    ORIGIN,
    RIGHT,
    Arrow,
    Mobject,
    VectorizedPoint,
    VGroup,
)

from lessonmodel.formula import Lit, Math
from lessonmodel.names import C0, Symbol, activation, bias, target, weight, weighted_sum
from lessonmodel.notation import symbol
from scenes.kit.diagram_registry import diagram_made
from scenes.kit.style import MUTED

__all__ = ["DependencyTree", "BASE_NODES", "GROWN_NODES", "FEEDS", "PATH", "node_name", "node_symbol",
           "staged_tree", "TREE_TOP", "TREE_COLUMN_UNIT", "TREE_ROW_GAP", "GOES_ON"]

# The tree's stage: C0 at the top of the frame's left part, the grown tree reaching down near the
# bottom; the number lines and formulas go to its right.
TREE_TOP: np.ndarray = np.array([-3.7, 3.0, 0.0])
GOES_ON = Lit("dots.v", "⋮", "and so on")  # under the tree's last node (DependencyTree.go_on)
TREE_COLUMN_UNIT = 1.05
TREE_ROW_GAP = 1.12

# (column, row) of each node; rows count down from the cost.
BASE_NODES: dict[str, tuple[float, int]] = {
    "C0": (0.0, 0),
    "a(L)": (-0.8, 1),
    "y": (0.8, 1),
    "z(L)": (-0.8, 2),
    "w(L)": (-2.2, 3),
    "a(L-1)": (-0.8, 3),
    "b(L)": (0.6, 3),
}
GROWN_NODES: dict[str, tuple[float, int]] = {
    "z(L-1)": (-0.8, 4),
    "w(L-1)": (-2.2, 5),
    "a(L-2)": (-0.8, 5),
    "b(L-1)": (0.6, 5),
}
# child -> the quantity it feeds
FEEDS: dict[str, str] = {
    "a(L)": "C0",
    "y": "C0",
    "z(L)": "a(L)",
    "w(L)": "z(L)",
    "a(L-1)": "z(L)",
    "b(L)": "z(L)",
    "z(L-1)": "a(L-1)",
    "w(L-1)": "z(L-1)",
    "a(L-2)": "z(L-1)",
    "b(L-1)": "z(L-1)",
}
# the path of a nudge of w(L) up to the cost, bottom to top
PATH: tuple[str, ...] = ("w(L)", "z(L)", "a(L)", "C0")
# node -> (kind, layers back from the last) of the quantity it stands for
LAYERED: dict[str, tuple[str, int]] = {
    "a(L)": ("a", 0),
    "z(L)": ("z", 0),
    "w(L)": ("w", 0),
    "a(L-1)": ("a", 1),
    "b(L)": ("b", 0),
    "z(L-1)": ("z", 1),
    "w(L-1)": ("w", 1),
    "a(L-2)": ("a", 2),
    "b(L-1)": ("b", 1),
}
_OF_KIND = {"w": weight, "b": bias, "z": weighted_sum, "a": activation}


def node_name(key: str, depth: int) -> Symbol:
    """The typed name node ``key`` stands for in a chain of ``depth`` layers.

    >>> str(node_name("a(L-1)", 3)), str(node_name("C0", 3))
    ('a(2)', 'C0')
    """
    if key == "C0":
        return C0
    if key == "y":
        return target()
    kind, back = LAYERED[key]
    return _OF_KIND[kind](depth - back)


def node_symbol(key: str, depth: int) -> Math:
    """A node's label, the symbol of :func:`node_name`, its layer named from the end.

    >>> from lessonmodel.formula import words
    >>> words(node_symbol("a(L-1)", 3))
    'a(L-1)'
    """
    return symbol(node_name(key, depth), depth)


class DependencyTree(VGroup):
    """The dependency tree of C0, its cost at the top (see the module's picture).

    Parameters
    ----------
    labels
        A label mobject for each node of :data:`BASE_NODES` (missing keys are left out).
    column_unit
        Horizontal distance of one column unit.
    row_gap
        Vertical distance between rows.

    Examples
    --------
    >>> tree = DependencyTree({k: MathTypst(k) for k in BASE_NODES})    # doctest: +SKIP
    >>> tree.grow({k: MathTypst(k) for k in GROWN_NODES})               # doctest: +SKIP
    """

    def __init__(self, labels: Mapping[str, Mobject], column_unit: float = 1.0, row_gap: float = 1.1,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.column_unit, self.row_gap = column_unit, row_gap
        self.nodes: dict[str, Mobject] = {}
        self.arrows: dict[str, Arrow] = {}  # keyed by the child
        self.node_group, self.arrow_group = VGroup(), VGroup()
        self.anchor = VGroup(VectorizedPoint(ORIGIN), VectorizedPoint(RIGHT))  # follows moves and scaling
        self.add(self.anchor, self.arrow_group, self.node_group)
        self._place(labels, BASE_NODES)
        diagram_made(self)  # so a composition watch finds its parts on screen

    def position(self, key: str) -> np.ndarray:
        """Where node ``key`` sits, relative to the tree's current placement."""
        column, row = (BASE_NODES | GROWN_NODES)[key]
        origin, unit = (p.get_center() for p in self.anchor)
        scale = float(np.linalg.norm(unit - origin))
        return origin + scale * np.array([column * self.column_unit, -row * self.row_gap, 0.0])

    @property
    def scale_factor(self) -> float:
        """How much the tree was scaled since it was made."""
        origin, unit = (p.get_center() for p in self.anchor)
        return float(np.linalg.norm(unit - origin))

    def _place(self, labels: Mapping[str, Mobject], table: Mapping[str, tuple[float, int]], attach: bool = True
               ) -> tuple[VGroup, VGroup]:
        nodes, arrows = VGroup(), VGroup()
        for key in table:
            if key in labels:
                self.nodes[key] = labels[key].scale(self.scale_factor).move_to(self.position(key))
                nodes.add(self.nodes[key])
        for key in table:
            parent = FEEDS.get(key)
            if key in self.nodes and parent in self.nodes:
                child, target = self.nodes[key], self.nodes[parent]
                lean = float(np.clip(0.2 * (child.get_x() - target.get_x()), -0.2, 0.2))
                self.arrows[key] = Arrow(
                    child.get_top(),
                    target.get_bottom() + lean * RIGHT,
                    buff=0.08,
                    stroke_width=2.5,
                    tip_length=0.14,
                    max_tip_length_to_length_ratio=0.2,
                    color=MUTED,
                )
                arrows.add(self.arrows[key])
        if attach:
            self.attach(nodes, arrows)
        return nodes, arrows

    def attach(self, nodes: Sequence[Mobject], arrows: Sequence[Mobject]) -> None:
        """Make placed ``nodes`` and ``arrows`` part of the tree (they move with it)."""
        self.node_group.add(*nodes)
        self.arrow_group.add(*arrows)

    def grow(self, labels: Mapping[str, Mobject], attach: bool = True) -> tuple[VGroup, VGroup]:
        """Place the nodes of :data:`GROWN_NODES` below a(L-1); returns (new nodes, new arrows).
        With ``attach=False`` they are not yet part of the tree (nor on screen with it): the caller
        animates them in, takes them off the scene and :meth:`attach` es them."""
        return self._place(labels, GROWN_NODES, attach)

    def go_on(self, label: Mobject, attach: bool = True) -> tuple[Mobject, Arrow]:
        """``label`` (a "⋮") under a(L-2) with an arrow into it: the tree goes on back to the
        input. Returns (label, arrow); call after :meth:`grow` (``attach`` as there)."""
        node = self.nodes["a(L-2)"]
        label.scale(self.scale_factor).next_to(node, DOWN, buff=0.45 * self.scale_factor)
        arrow = Arrow(label.get_top(), node.get_bottom(), buff=0.06, stroke_width=2.5, tip_length=0.12,
                      max_tip_length_to_length_ratio=0.35, color=MUTED)
        if attach:
            self.attach([label], [arrow])
        return label, arrow



def staged_tree(labels: Mapping[str, Mobject], grown: Mapping[str, Mobject] | None = None,
                more: Mobject | None = None) -> DependencyTree:
    """The tree on its stage (:data:`TREE_TOP`): the picture CostTree ends on and ChainRule starts
    from; ``grown`` labels (:data:`GROWN_NODES`) grow it at once, ``more`` (:meth:`DependencyTree.go_on`)
    says it goes on."""
    tree = DependencyTree(labels, column_unit=TREE_COLUMN_UNIT, row_gap=TREE_ROW_GAP).shift(TREE_TOP)
    if grown:
        tree.grow(grown)
        if more is not None:
            tree.go_on(more)
    return tree
