"""The lesson's visual conventions: one colour per kind of quantity, the same everywhere."""

from __future__ import annotations

from manim import BLUE, GOLD, GREEN, GREY_B, MAROON_A, MAROON_B, PURPLE_A, RED, WHITE, YELLOW, ManimColor

__all__ = ["COLORS", "POSITIVE", "NEGATIVE", "MUTED", "HIGHLIGHT", "CHAIN_RULE_HIGHLIGHT", "FONT", "SMALL_FONT",
           "edge_color", "LABEL_TINTS", "SENSITIVITY", "ROLE_COLORS"]

COLORS: dict[str, ManimColor] = {
    "w": BLUE,
    "b": MAROON_B,
    "z": GREEN,
    "a": WHITE,
    "y": YELLOW,
    "C": RED,
}
# Brighter tints for small labels on a diagram, where a dark colour of COLORS reads dim on black
# (the bias's maroon); formulas keep COLORS.
LABEL_TINTS: dict[str, ManimColor] = {"b": MAROON_A}
POSITIVE, NEGATIVE = BLUE, RED  # edge colour by the sign of its weight
MUTED = GREY_B
HIGHLIGHT = GOLD  # the neuron, edge, path, factor or component a step is about
# CostTree and ChainRule light the tree's path, the chain rule's factors and the tangents in
# yellow (their frames are the visual references: a change of colour is a visual change).
CHAIN_RULE_HIGHLIGHT = COLORS["y"]

FONT = 38  # formulas: legible at 854x480
SMALL_FONT = 32  # labels on diagrams


def edge_color(weight: float) -> ManimColor:
    """Blue for a positive weight, red for a negative one.

    >>> edge_color(-0.9) == NEGATIVE
    True
    """
    return POSITIVE if weight >= 0 else NEGATIVE


# A sensitivity ∂C0/∂a on the network, and the backward sweep carrying it: one colour whatever its
# sign (the number shows the sign), light purple, so it is never read as a weight's blue or red.
SENSITIVITY: ManimColor = PURPLE_A

# Colours of formula parts that are not a kind of quantity, by role (lessonmodel.formula's keys).
ROLE_COLORS: dict[str, ManimColor] = {"sensitivity": SENSITIVITY, "muted": MUTED}
