"""Composition, measured while a scene plays: what the lesson's composition rules are judged on.

A :class:`CompositionWatch` handed to a :class:`~scenes.kit.lesson_scene.LessonScene`
(``Scene(watch=CompositionWatch())``) looks at the scene after each animation and when each idea
ends, and keeps one :class:`Moment` per look: the picture (a small grey frame, when asked for),
whether something other than text moved, whether a diagram is on screen, which value labels lie
on an edge or a neuron, and the scale of each number line on screen. The scenes need no change to
be watched: the base scene calls the watch. ``backprop.composition`` turns the moments into
findings, rule by rule.

The geometry is read from the mobjects, not guessed from pixels: an edge is a segment (a label
beside a diagonal edge is not on it, even if their boxes overlap), a neuron a circle whose
outline a label may not cross (a label wholly inside a neuron is written *in* it), by the kit's
own tests (:mod:`scenes.kit.box`), the ones its drawings place their labels by.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

import numpy as np
from manim import (
    BackgroundRectangle,
    Circle,
    CoordinateSystem,
    Cross,
    DecimalNumber,
    MarkupText,
    MathTypst,
    Mobject,
    NumberLine,
    Paragraph,
    SurroundingRectangle,
    Text,
    Underline,
    ValueTracker,
    VMobject,
    Wait,
)
from manim.animation.composition import AnimationGroup
from manim.animation.transform import Transform
from manim.utils.iterables import list_update

from scenes.kit.box import Box, circle_outline_meets_box, segment_meets_box
from scenes.kit.chain_diagram import ChainDiagram
from scenes.kit.cost_tree_diagram import DependencyTree
from scenes.kit.diagram_registry import DIAGRAMS
from scenes.kit.network_diagram import NetworkDiagram
from scenes.kit.number_line import ValueAxes, ValueLine

__all__ = ["CompositionWatch", "Moment", "TEXT_TYPES", "DIAGRAM_TYPES", "FLIGHT"]

TEXT_TYPES = (MathTypst, Text, MarkupText, Paragraph, DecimalNumber, SurroundingRectangle, BackgroundRectangle,
              Underline, Cross)
"""Mobjects that are text, or marks on it (a box around a factor, an underline, a cross): writing,
fading or recolouring them is not motion."""
DIAGRAM_TYPES = (ChainDiagram, NetworkDiagram, DependencyTree, ValueLine, ValueAxes, NumberLine, CoordinateSystem)
"""The pictures an idea is about: a clip with none of them on screen is text only."""
FLIGHT = 0.5  # scene units a text must travel in one animation to count as motion (a value flying)
STROKE_UNIT = 0.01  # scene units per unit of stroke width (Manim's Cairo camera)
LABEL_SLACK = 0.02  # scene units a label's box is shrunk by: glyph boxes touching a line's edge are not on it


@dataclass
class Moment:
    """The scene as it stands after one animation (or wait), or at the end of an idea.

    ``idea`` is the idea (clip) being played (None outside one); ``start`` and ``end`` scene times
    (the scene's clock, seconds); ``kind`` ``"animation"``, ``"wait"`` or ``"end"`` (the idea's
    last frame); ``motion`` whether something other than text changed (a diagram drawn, moved,
    lit or flashed; a value flying at least :data:`FLIGHT`), ``diagram`` whether one of
    :data:`DIAGRAM_TYPES` is on screen; ``frame`` the picture as grey levels (0..255), when the
    watch keeps frames; ``overlaps`` each value label lying on an edge or a neuron outline;
    ``scales`` each number line on screen as (name, units per value), relative-change lines
    left out.
    """

    idea: str | None
    start: float
    end: float
    kind: str
    motion: bool = False
    diagram: bool = False
    frame: np.ndarray | None = None
    overlaps: list[str] = field(default_factory=list)
    scales: list[tuple[str, float]] = field(default_factory=list)


class CompositionWatch:
    """Looks at a scene after every animation and at every idea's end (see :class:`Moment`).

    Parameters
    ----------
    frames
        Keep a grey picture of each moment (rendered by the scene's camera, at the render's
        resolution), for the pixel rules: lit content, margins, empty frames.
    """

    def __init__(self, frames: bool = True) -> None:
        self.frames = frames
        self.moments: list[Moment] = []
        self._before: dict[int, tuple] = {}

    # --- called by LessonScene --------------------------------------------------------------

    def before_play(self, scene) -> None:
        """Remember the drawing's state, to tell afterwards what an animation changed."""
        self._before = _drawing_state(_all_family(scene.mobjects))

    def after_play(self, scene, idea: str | None, start: float, end: float) -> None:
        """Record the moment an animation (or a wait) left on screen."""
        animations = list(getattr(scene, "animations", None) or [])
        wait = all(isinstance(a, Wait) for a in animations)
        family = _all_family(scene.mobjects)
        changed = _drawing_state(family) != self._before
        kind = "wait" if wait else "animation"
        if wait and not changed and self.moments and not any(m.updaters for m in family):
            last = self.moments[-1]  # a still frame: the picture and its geometry are the ones before
            moment = Moment(idea, start, end, kind, False, last.diagram, last.frame, last.overlaps, last.scales)
        else:
            moment = self._look(scene, family, idea, start, end, kind)
            moment.motion = changed or any(_moves(a) for a in animations)
        self.moments.append(moment)

    def idea_ended(self, scene, idea: str, time: float) -> None:
        """Record the idea's last frame."""
        self.moments.append(self._look(scene, _all_family(scene.mobjects), idea, time, time, "end"))

    # --- what is on screen ------------------------------------------------------------------

    def _look(self, scene, family: list[Mobject], idea: str | None, start: float, end: float, kind: str) -> Moment:
        """What is on screen now (``family``: every member of the scene's mobjects)."""
        on_screen = {id(m) for m in family if _shows(m)}
        diagrams = [m for m in _diagrams(family) if _lit(m, on_screen)]
        return Moment(idea, start, end, kind, diagram=bool(diagrams), frame=_grey_frame(scene) if self.frames else None,
                      overlaps=_label_overlaps(family, on_screen), scales=_scales(family, on_screen))


# --- helpers --------------------------------------------------------------------------------


def _all_family(mobjects: Iterable[Mobject]) -> list[Mobject]:
    seen, out = set(), []
    for mobject in mobjects:
        for member in mobject.get_family():
            if id(member) not in seen:
                seen.add(id(member))
                out.append(member)
    return out


def _shows(member: Mobject) -> bool:
    """A member that draws something: it has points and a visible stroke or fill (images and
    point clouds count as drawn)."""
    if not member.has_points():
        return False
    if not isinstance(member, VMobject):
        return not isinstance(member, ValueTracker)
    stroke, width, fill = member.get_stroke_opacity(), member.get_stroke_width(), member.get_fill_opacity()
    return bool((stroke > 0 and width > 0) or fill > 0)


def _diagrams(family: list[Mobject]) -> list[Mobject]:
    """The diagrams in the scene (``family``: its members), whole, and those whose parts alone a
    scene may have added (:mod:`scenes.kit.diagram_registry`); ``_lit`` tells which are on screen."""
    found = {id(m): m for m in family if isinstance(m, DIAGRAM_TYPES)}
    found |= {id(d): d for d in list(DIAGRAMS)}
    return list(found.values())


def _lit(mobject: Mobject, on_screen: set[int]) -> bool:
    return any(id(m) in on_screen for m in mobject.get_family())


def _text_ids(family: Iterable[Mobject]) -> set[int]:
    """Ids of every member of ``family`` that is text or part of a text."""
    ids: set[int] = set()
    for member in family:
        if isinstance(member, TEXT_TYPES):
            ids.update(id(m) for m in member.get_family())
    return ids


def _drawing_state(family: list[Mobject]) -> dict[int, tuple]:
    """Each drawn member of ``family`` that is not text, by id: where it is and how it looks, rounded."""
    text = _text_ids(family)
    state = {}
    for member in family:
        if id(member) in text or isinstance(member, ValueTracker) or not _shows(member):
            continue
        points = member.points
        look = (tuple(np.round(points.min(axis=0)[:2], 3)), tuple(np.round(points.max(axis=0)[:2], 3)),
                len(points), round(float(np.abs(points).sum()), 2))
        if isinstance(member, VMobject):
            look += (round(float(member.get_stroke_opacity()), 2), round(float(member.get_fill_opacity()), 2),
                     member.get_stroke_color().to_hex(), member.get_fill_color().to_hex(),
                     round(float(member.get_stroke_width()), 2))
        state[id(member)] = look
    return state


def _moves(animation) -> bool:
    """Whether an animation draws, moves or flashes something other than text, or flies a text
    at least :data:`FLIGHT` (its start and end centres that far apart)."""
    if isinstance(animation, Wait):
        return False
    if isinstance(animation, AnimationGroup):
        return any(_moves(a) for a in animation.animations)
    mobject = getattr(animation, "mobject", None)
    if mobject is None or isinstance(mobject, ValueTracker):
        return False
    text = _text_ids(mobject.get_family())
    if any(id(m) not in text and _shows(m) for m in mobject.get_family()):
        return True
    if isinstance(animation, Transform):  # TransformFromCopy, ReplacementTransform, .animate, FadeIn(shift=...)
        start, end = getattr(animation, "starting_mobject", None), getattr(animation, "target_copy", None)
        if start is None or end is None or not len(start.get_all_points()) or not len(end.get_all_points()):
            return False
        family = [*start.get_family(), *end.get_family()]
        text = _text_ids(family)
        if any(id(m) not in text and _shows(m) for m in family):
            return True  # a drawing turns into a symbol, or a symbol into a drawing
        return bool(np.linalg.norm(start.get_center() - end.get_center()) >= FLIGHT)
    return False


def _value_labels(family: list[Mobject], on_screen: set[int]) -> list[tuple[str, Mobject]]:
    """Visible labels showing a lesson value: formulas that typeset a recorded number
    (:meth:`LessonScene.math` notes them in ``numbers``), and live numbers (DecimalNumber)."""
    labels = []
    for member in family:
        if isinstance(member, MathTypst) and getattr(member, "numbers", None) and _lit(member, on_screen):
            labels.append((getattr(member, "source", "formula"), member))
        elif isinstance(member, DecimalNumber) and _lit(member, on_screen):
            labels.append((f"number {member.get_value():g}", member))
    return labels


def _diagram_parts(family: list[Mobject], on_screen: set[int]) -> tuple[list, list]:
    """The visible edges (as (name, member)) and neurons (as (name, Circle)) of the diagrams on
    screen."""
    edges, neurons = [], []
    for member in _diagrams(family):
        if isinstance(member, ChainDiagram):
            edges += [(f"chain edge {n + 1}", e) for n, e in enumerate(member.edges)]
            neurons += [(f"chain neuron {n}", c) for n, c in enumerate(member.neurons)]
        elif isinstance(member, NetworkDiagram):
            for l, layer in enumerate(member.edges, start=1):
                edges += [(f"network edge of layer {l}", e) for e in layer.get_family() if e.has_points()]
            for l, layer in enumerate(member.neurons):
                neurons += [(f"network neuron {j} of layer {l}", c) for j, c in enumerate(layer)]
            edges += [(f"network cost line {j}", e) for j, e in enumerate(getattr(member, "cost_lines", []))]
        elif isinstance(member, DependencyTree):
            edges += [(f"tree arrow from {key}", arrow) for key, arrow in member.arrows.items()]
    visible_edges = [(name, m) for name, e in edges for m in e.get_family() if id(m) in on_screen]
    visible_neurons = [(name, c) for name, c in neurons if isinstance(c, Circle) and id(c) in on_screen]
    return visible_edges, visible_neurons


def _label_overlaps(family: list[Mobject], on_screen: set[int]) -> list[str]:
    """``"<label> on <edge or neuron>"`` for each visible value label lying on a visible edge or
    crossing a neuron's outline."""
    labels = _value_labels(family, on_screen)
    if not labels:
        return []
    edges, neurons = _diagram_parts(family, on_screen)
    found = []
    for source, label in labels:
        label_family = {id(m) for m in label.get_family()}
        box = Box.of(label).grown(-LABEL_SLACK)
        for name, edge in edges:
            if id(edge) in label_family:
                continue
            pad = STROKE_UNIT * float(edge.get_stroke_width()) / 2
            points = edge.points[:, :2]
            if any(segment_meets_box(a, b, box, pad) for a, b in zip(points[:-1], points[1:])):
                found.append(f"{source!r} on {name}")
                break
        for name, circle in neurons:
            pad = STROKE_UNIT * float(circle.get_stroke_width()) / 2
            if circle_outline_meets_box(circle.get_center()[:2], circle.width / 2, box, pad):
                found.append(f"{source!r} on {name}")
                break
    return found


def _scales(family: list[Mobject], on_screen: set[int]) -> list[tuple[str, float]]:
    """(name, units per value) of each visible number line that is not an axis of a graph and
    not a line of relative change (a :class:`ValueLine` with ``relative_change = True``)."""
    axes = {id(m) for c in family if isinstance(c, CoordinateSystem) for m in c.get_family()}
    relative = {id(v.line) for v in family if isinstance(v, ValueLine) and getattr(v, "relative_change", False)}
    scales = []
    for member in family:
        if isinstance(member, NumberLine) and id(member) not in axes | relative and _lit(member, on_screen):
            low, high = member.x_range[0], member.x_range[1]
            scales.append((f"line {low:g}..{high:g}", float(member.get_unit_size())))
    return scales


def _grey_frame(scene) -> np.ndarray:
    """The scene's picture now, as grey levels (ITU-R 601 luma, as Pillow's ``convert("L")``)."""
    camera = scene.renderer.camera
    camera.reset()
    camera.capture_mobjects(list_update(scene.mobjects, scene.foreground_mobjects))
    rgb = camera.pixel_array[..., :3].astype(np.uint32)
    return ((rgb[..., 0] * 299 + rgb[..., 1] * 587 + rgb[..., 2] * 114) // 1000).astype(np.uint8)
