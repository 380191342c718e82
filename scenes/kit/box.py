"""Axis-aligned boxes in scene units, and what meets them: the one geometry labels are placed by.

A :class:`Box` is a mobject's bounding box (:meth:`Box.of`), or any rectangle of the frame. Labels
are placed where their box meets no edge (:func:`segment_meets_box`, exact: Liang-Barsky clipping),
no neuron (:func:`circle_meets_box`, or only its outline, :func:`circle_outline_meets_box`) and no
other label (:meth:`Box.meets`); the composition checker judges them by the same tests.

>>> box = Box(0.8, 1.5, 1.2, 2.0)
>>> segment_meets_box((0, 0), (2, 2), box), segment_meets_box((0, 0), (2, 2), Box(0.8, 0.8, 1.2, 1.2))
(False, True)
>>> box.grown(0.5).meets(Box(1.6, 2.4, 2.0, 3.0))
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
from manim import DL, UR, Mobject

__all__ = ["Box", "segment_meets_box", "circle_meets_box", "circle_outline_meets_box"]


@dataclass(frozen=True)
class Box:
    """A rectangle with sides parallel to the frame's: ``left < right``, ``bottom < top``.

    Examples
    --------
    >>> Box(-1.0, -0.5, 1.0, 0.5).grown(0.1)
    Box(left=-1.1, bottom=-0.6, right=1.1, top=0.6)
    """

    left: float
    bottom: float
    right: float
    top: float

    @classmethod
    def of(cls, mobject: Mobject) -> Box:
        """The bounding box of ``mobject`` (its family's points)."""
        (left, bottom), (right, top) = mobject.get_corner(DL)[:2], mobject.get_corner(UR)[:2]
        return cls(float(left), float(bottom), float(right), float(top))

    @classmethod
    def around(cls, center: Sequence[float], width: float, height: float) -> Box:
        """The box of ``width`` by ``height`` centred at ``center``."""
        x, y = float(center[0]), float(center[1])
        return cls(x - width / 2, y - height / 2, x + width / 2, y + height / 2)

    def grown(self, pad: float) -> Box:
        """The box ``pad`` larger on every side (smaller for a negative ``pad``)."""
        return Box(self.left - pad, self.bottom - pad, self.right + pad, self.top + pad)

    def meets(self, other: Box, pad: float = 0.0) -> bool:
        """Whether the two boxes overlap or come within ``pad`` of each other (touching counts)."""
        return not (self.right + pad < other.left or other.right + pad < self.left
                    or self.top + pad < other.bottom or other.top + pad < self.bottom)

    def within(self, limits: Box) -> bool:
        """Whether the box lies inside ``limits`` (its sides may touch them)."""
        return (self.left >= limits.left and self.bottom >= limits.bottom and self.right <= limits.right
                and self.top <= limits.top)

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.top - self.bottom

    @property
    def center(self) -> np.ndarray:
        """The centre, as a point of the scene (z = 0)."""
        return np.array([(self.left + self.right) / 2, (self.bottom + self.top) / 2, 0.0])


def segment_meets_box(p: Sequence[float], q: Sequence[float], box: Box, pad: float = 0.0) -> bool:
    """Whether the segment p-q (its stroke ``pad`` wide each side) meets ``box``: Liang-Barsky
    clipping of the segment against the box grown by ``pad``.

    >>> segment_meets_box((0, 1.25), (2, 1.25), Box(0.5, 1.3, 0.7, 1.6), pad=0.06)   # its stroke reaches it
    True
    """
    left, bottom, right, top = box.left - pad, box.bottom - pad, box.right + pad, box.top + pad
    x0, y0, dx, dy = float(p[0]), float(p[1]), float(q[0]) - float(p[0]), float(q[1]) - float(p[1])
    low, high = 0.0, 1.0
    for step, room in ((-dx, x0 - left), (dx, right - x0), (-dy, y0 - bottom), (dy, top - y0)):
        if step == 0:
            if room < 0:
                return False
            continue
        t = room / step
        if step < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


def circle_meets_box(center: Sequence[float], radius: float, box: Box) -> bool:
    """Whether the disc of ``radius`` around ``center`` reaches into ``box`` (touching does not
    count).

    >>> circle_meets_box((0, 0), 0.5, Box(0.4, -0.1, 0.9, 0.1)), circle_meets_box((0, 0), 0.5, Box(0.6, 0, 1, 1))
    (True, False)
    """
    x = min(max(float(center[0]), box.left), box.right)
    y = min(max(float(center[1]), box.bottom), box.top)
    return float(np.linalg.norm([x - float(center[0]), y - float(center[1])])) < radius


def circle_outline_meets_box(center: Sequence[float], radius: float, box: Box, pad: float = 0.0) -> bool:
    """Whether a circle's outline (its stroke ``pad`` wide each side) meets ``box``: the box reaches
    the outline from outside, crosses it, or covers it; a box wholly inside is clear (a label
    written in a neuron).

    >>> circle_outline_meets_box((0, 0), 0.5, Box(-0.2, -0.1, 0.2, 0.1))   # written inside the neuron
    False
    """
    cx, cy = float(center[0]), float(center[1])
    nearest = np.hypot(min(max(cx, box.left), box.right) - cx, min(max(cy, box.bottom), box.top) - cy)
    farthest = max(np.hypot(x - cx, y - cy) for x in (box.left, box.right) for y in (box.bottom, box.top))
    return bool(nearest <= radius + pad and farthest >= radius - pad)
