"""A labelled number line (and axes) whose range is chosen to hold given values.

The range has round ends and a round tick step (1, 2 or 5 times a power of ten), so the ticks
read as a scale; every value handed in lies on the line, so a dot at any of them (or anywhere
between the smallest and the largest) never leaves it.
"""

from __future__ import annotations

import math
from typing import Iterable

import numpy as np
from manim import DOWN, LEFT, WHITE, Axes, Dot, Line, MathTypst, NumberLine, VGroup

from lessonmodel.formula import Num, typst
from scenes.kit.style import MUTED

__all__ = ["nice_range", "shared_ranges", "tick_text", "ValueLine", "ValueAxes"]


def _nice_step(rough: float) -> float:
    """The smallest of 1, 2, 5 times a power of ten that is at least ``rough``."""
    power = 10.0 ** math.floor(math.log10(rough))
    for m in (1, 2, 5, 10):
        if m * power >= rough * (1 - 1e-9):
            return m * power
    return 10 * power


def nice_range(
    values: Iterable[float],
    ticks: int = 4,
    min_span: float | None = None,
    bounds: tuple[float, float] = (-math.inf, math.inf),
) -> tuple[float, float, float]:
    """``(low, high, step)``: the tightest ends that are multiples of ``step`` and hold every value
    in ``values``, with about ``ticks`` steps between them.

    The span is at least ``min_span`` (default: a tenth of the largest size, at least 0.1), kept
    centred on the values, so a change too small to see stays small on the line instead of
    being blown up to fill it. The ends stay within ``bounds`` (say, a sigmoid's [0, 1], or
    C0 >= 0) as long as the values do.

    >>> nice_range([0.66, 0.71])
    (0.6, 0.75, 0.05)
    """
    vs = np.asarray(list(values), dtype=float)
    vmin, vmax = float(vs.min()), float(vs.max())
    if min_span is None:
        min_span = 0.1 * max(1.0, abs(vmin), abs(vmax))
    low, high = vmin, vmax
    if high - low < min_span:
        grow = (min_span - (high - low)) / 2
        low, high = low - grow, high + grow
    step = _nice_step((high - low) / ticks)
    start = math.floor(low / step + 1e-9) * step
    end = math.ceil(high / step - 1e-9) * step
    start = max(start, min(bounds[0], vmin))
    end = min(end, max(bounds[1], vmax))
    digits = max(0, -math.floor(math.log10(step)) + 1)
    return round(start, digits), round(end, digits), step


def shared_ranges(
    value_sets: Iterable[Iterable[float]],
    bounds: Iterable[tuple[float, float]] | None = None,
    ticks: int = 4,
) -> list[tuple[float, float, float]]:
    """``(low, high, step)`` for each set of values, all with one step and one span: number lines of
    one length drawn with them share one scale, so equal changes look equal on every line.

    The span holds the widest set; each range starts at a multiple of the step at or below its
    set's smallest value, and moves down by whole steps while its top passes its upper bound
    needlessly (a sigmoid's line ends at 1 when it can).

    >>> shared_ranges([[0.91, 1.41], [0.66, 0.71]], [(-math.inf, math.inf), (0.0, 1.0)])
    [(0.8, 1.6, 0.2), (0.2, 1.0, 0.2)]
    """
    sets = [np.asarray(list(v), dtype=float) for v in value_sets]
    limits = list(bounds) if bounds is not None else [(-math.inf, math.inf)] * len(sets)
    widest = max(float(v.max() - v.min()) for v in sets)
    step = _nice_step(max(widest, 1e-12) / ticks)
    span = (math.ceil(widest / step - 1e-9) + 1) * step
    digits = max(0, -math.floor(math.log10(step)) + 1)
    ranges = []
    for values, (_, upper) in zip(sets, limits):
        low = math.floor(float(values.min()) / step + 1e-9) * step
        while low + span - step >= max(float(values.max()), upper) - 1e-12:
            low -= step
        ranges.append((round(low, digits), round(low + span, digits), step))
    return ranges


def tick_text(value: float, step: float) -> str:
    """Typst of a tick of a scale with steps ``step``, written with just the decimals the step
    needs, as every number on screen is written (:class:`~lessonmodel.formula.Num`: a huge scale's
    end is ``1.5 × 10^6``, not ``1.5e+06``).

    >>> tick_text(0.5, 0.1), tick_text(-2.0, 1.0), tick_text(1.5e6, 5e5)
    ('0.5', '-2', '1.5 times 10^(6)')
    """
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    return typst(Num(None, value, decimals))


class ValueLine(VGroup):
    """A number line holding ``values``, its two ends labelled below in muted grey.

    The end labels are the scale only (round numbers, not lesson values). Place dots with
    :meth:`n2p` or :meth:`dot`.

    Parameters
    ----------
    values
        Every value a dot will take on this line (the range covers them all).
    length
        Length of the line in scene units.
    font_size
        Size of the end labels.
    min_span, bounds
        Smallest range shown, and limits the ends keep within (see :func:`nice_range`).
    x_range
        ``(low, high, step)`` to use as is instead of one chosen from ``values`` (lines of one
        scale: :func:`shared_ranges`).

    Examples
    --------
    >>> line = ValueLine([0.91, 1.41], length=4)   # doctest: +SKIP
    >>> dot = line.dot(0.91)                       # doctest: +SKIP
    """

    def __init__(
        self,
        values: Iterable[float],
        length: float = 4.0,
        color=WHITE,
        font_size: float = 26,
        min_span: float | None = None,
        bounds: tuple[float, float] = (-math.inf, math.inf),
        x_range: tuple[float, float, float] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        given = x_range if x_range is not None else nice_range(values, min_span=min_span, bounds=bounds)
        self.low, self.high, self.step = given
        self.line = NumberLine(
            x_range=[self.low, self.high, self.step],
            length=length,
            color=color,
            include_numbers=False,
            include_tip=False,
            tick_size=0.06,
            stroke_width=2,
        )
        self.end_labels = VGroup(
            *(
                MathTypst(tick_text(v, self.step), font_size=font_size, color=MUTED)
                .next_to(self.line.n2p(v), DOWN, 0.12)
                for v in (self.low, self.high)
            )
        )
        self.add(self.line, self.end_labels)

    def n2p(self, value: float) -> np.ndarray:
        """The point of the line at ``value``."""
        return self.line.n2p(value)

    def dot(self, value: float, color=WHITE, radius: float = 0.08) -> Dot:
        """A dot on the line at ``value``."""
        return Dot(self.n2p(value), radius=radius, color=color)


class ValueAxes(VGroup):
    """Axes whose ranges hold the given x and y values: an L-shaped box (the axes meet at the lower
    left corner, wherever 0 is), with ticks and round ends labelled in muted grey.

    The axes of :class:`ValueLine`, for a graph: ranges from :func:`nice_range`, so every point
    (x, y) with x among (or between) ``xs`` and y among ``ys`` lies inside the box.

    Parameters
    ----------
    xs, ys
        Every x and every y a point will take.
    x_length, y_length
        Size of the box in scene units.
    x_bounds, y_bounds
        Limits the ranges' ends keep within (see :func:`nice_range`).
    x_range
        ``(low, high, step)`` to use as is instead of one chosen from ``xs``.

    Examples
    --------
    >>> axes = ValueAxes([-4, 4], [0, 1], x_length=5, y_length=3)    # doctest: +SKIP
    >>> curve = axes.graph(zs, sigmas)                                # doctest: +SKIP
    """

    def __init__(
        self,
        xs: Iterable[float],
        ys: Iterable[float],
        x_length: float = 5.0,
        y_length: float = 3.0,
        x_bounds: tuple[float, float] = (-math.inf, math.inf),
        y_bounds: tuple[float, float] = (-math.inf, math.inf),
        x_range: tuple[float, float, float] | None = None,
        font_size: float = 24,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.x_low, self.x_high, self.x_step = x_range if x_range is not None else nice_range(xs, bounds=x_bounds)
        self.y_low, self.y_high, self.y_step = nice_range(ys, bounds=y_bounds)
        # Invisible: it only maps coordinates to points (and moves with the group).
        self.axes = Axes(
            x_range=[self.x_low, self.x_high, self.x_step],
            y_range=[self.y_low, self.y_high, self.y_step],
            x_length=x_length,
            y_length=y_length,
            tips=False,
        ).set_stroke(opacity=0)
        corner = self.c2p(self.x_low, self.y_low)
        style = {"color": MUTED, "stroke_width": 2}
        ticks = VGroup(
            *(Line(self.c2p(x, self.y_low), self.c2p(x, self.y_low) + 0.08 * DOWN, **style)
              for x in self._steps(self.x_low, self.x_high, self.x_step)),
            *(Line(self.c2p(self.x_low, y), self.c2p(self.x_low, y) + 0.08 * LEFT, **style)
              for y in self._steps(self.y_low, self.y_high, self.y_step)),
        )
        self.box = VGroup(
            Line(corner, self.c2p(self.x_high, self.y_low), **style),
            Line(corner, self.c2p(self.x_low, self.y_high), **style),
            ticks,
        )
        self.end_labels = VGroup(
            *(
                MathTypst(tick_text(x, self.x_step), font_size=font_size, color=MUTED)
                .next_to(self.c2p(x, self.y_low), DOWN, 0.14)
                for x in (self.x_low, self.x_high)
            ),
            *(
                MathTypst(tick_text(y, self.y_step), font_size=font_size, color=MUTED)
                .next_to(self.c2p(self.x_low, y), LEFT, 0.14)
                for y in (self.y_low, self.y_high)
            ),
        )
        self.add(self.axes, self.box, self.end_labels)

    @staticmethod
    def _steps(low: float, high: float, step: float) -> list[float]:
        count = int(round((high - low) / step))
        return [low + i * step for i in range(count + 1)]

    def c2p(self, x: float, y: float) -> np.ndarray:
        """The point of the graph at (x, y)."""
        return self.axes.c2p(x, y)

    def graph(self, xs, ys, color=WHITE, stroke_width: float = 3) -> VGroup:
        """The polyline through the points (xs, ys)."""
        return self.axes.plot_line_graph(xs, ys, add_vertex_dots=False, line_color=color, stroke_width=stroke_width)
