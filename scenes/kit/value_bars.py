"""Signed bars: one horizontal bar per value from a shared zero line, for comparing values at a glance."""

from __future__ import annotations

from typing import Sequence

import numpy as np
from manim import LEFT, RIGHT, UP, DashedLine, Line, ManimColor, Mobject, Rectangle

from scenes.kit.style import MUTED

__all__ = ["bar_scale", "signed_bar", "zero_line", "bar_value_label"]

MIN_BAR = 0.06  # a zero (or tiny) value still shows as a sliver on the zero line


def bar_scale(values: Sequence[float], half_width: float) -> float:
    """Length per unit of value, so the largest |value| spans ``half_width`` (0 if all are zero)."""
    largest = float(np.max(np.abs(values))) if len(values) else 0.0
    return half_width / largest if largest > 0 else 0.0


def signed_bar(value: float, scale: float, origin: np.ndarray, height: float = 0.26,
               color: ManimColor = MUTED, opacity: float = 0.85) -> Rectangle:
    """A bar from ``origin`` (a point on the zero line) to the right for a positive value, to the
    left for a negative one, ``|value| * scale`` long.

    Examples
    --------
    >>> bar = signed_bar(-0.5, 2.0, np.zeros(3))   # 1 unit long, to the left of the origin
    """
    length = max(abs(value) * scale, MIN_BAR)
    bar = Rectangle(width=length, height=height, stroke_width=0, fill_color=color, fill_opacity=opacity)
    side = RIGHT if value >= 0 else LEFT
    return bar.move_to(np.asarray(origin) + side * length / 2)


def zero_line(x: float, top: float, bottom: float, dashed: bool = False, color: ManimColor = MUTED) -> Line:
    """A vertical line at ``x`` from ``top`` to ``bottom``: the bars' zero, or a marked value."""
    start, end = x * RIGHT + top * UP, x * RIGHT + bottom * UP
    if dashed:
        return DashedLine(start, end, color=color, stroke_width=3, dash_length=0.08)
    return Line(start, end, color=color, stroke_width=2)




def bar_value_label(label: Mobject, bar: Rectangle, value: float, buff: float = 0.12) -> Mobject:
    """``label`` (the value written out) just past the tip of ``bar``: right of a positive bar,
    left of a negative one, so even a bar a few pixels long reads as its number.

    Examples
    --------
    >>> bar = signed_bar(-0.02, 2.0, np.zeros(3))
    >>> bar_value_label(MathTypst("-0.020"), bar, -0.02)   # left of the bar's left end
    """
    side = RIGHT if value >= 0 else LEFT
    return label.next_to(bar, side, buff)
