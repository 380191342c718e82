"""The gradient column: entries stacked in square brackets, one row per parameter."""

from __future__ import annotations

from typing import Sequence

import numpy as np
from manim import LEFT, RIGHT, UP, WHITE, Line, Mobject, Rectangle, VGroup

__all__ = ["GradientColumn"]


class GradientColumn(VGroup):
    """Mobjects in a column between square brackets, on rows a fixed distance apart, so that two
    columns with the same ``row_height`` line up row by row (∇C = [symbols] = [values]).

    Parameters
    ----------
    entries
        One mobject per row, top first (the scene makes them, so it records their numbers).
    row_height
        Distance between row centres.
    align
        ``LEFT``, ``RIGHT`` or ``None`` (centred): how entries line up in the column.
    bracket_buff
        Space between the widest entry and the brackets.

    Examples
    --------
    >>> column = GradientColumn([MathTypst("0.1"), MathTypst("-0.25")], row_height=0.6)
    >>> column.entries[1]  # the second row's mobject
    """

    def __init__(self, entries: Sequence[Mobject], row_height: float = 0.8, align=None,
                 bracket_buff: float = 0.18, color=WHITE, **kwargs) -> None:
        super().__init__(**kwargs)
        self.row_height = row_height
        self.entries = VGroup(*entries)
        width = max(e.width for e in entries)
        for i, entry in enumerate(entries):
            y = -i * row_height
            if align is None:
                entry.move_to(y * UP)
            else:
                edge = np.array(align, dtype=float)
                entry.move_to(y * UP + edge * width / 2, aligned_edge=align)
        top = row_height / 2 + 0.05
        bottom = -(len(entries) - 0.5) * row_height - 0.05
        self.left_bracket = self._bracket(-width / 2 - bracket_buff, top, bottom, RIGHT, color)
        self.right_bracket = self._bracket(width / 2 + bracket_buff, top, bottom, LEFT, color)
        self.add(self.entries, self.left_bracket, self.right_bracket)
        self.move_to(np.zeros(3))

    @staticmethod
    def _bracket(x: float, top: float, bottom: float, inward, color) -> VGroup:
        serif = 0.15 * np.array(inward, dtype=float)
        upper, lower = np.array([x, top, 0.0]), np.array([x, bottom, 0.0])
        return VGroup(
            Line(upper, lower, color=color, stroke_width=3),
            Line(upper, upper + serif, color=color, stroke_width=3),
            Line(lower, lower + serif, color=color, stroke_width=3),
        )

    def row_center(self, i: int) -> np.ndarray:
        """The centre of row i, halfway between the brackets."""
        middle_x = (self.left_bracket.get_right()[0] + self.right_bracket.get_left()[0]) / 2
        return np.array([middle_x, self.entries[i].get_center()[1], 0.0])

    def row_box(self, i: int, color, buff: float = 0.08) -> Rectangle:
        """A rectangle around row i, from bracket to bracket: to highlight one component."""
        width = self.right_bracket.get_left()[0] - self.left_bracket.get_right()[0] - 0.06
        height = min(self.entries[i].height + 2 * buff, self.row_height - 0.04)
        return Rectangle(width=width, height=height, color=color, stroke_width=4).move_to(self.row_center(i))
