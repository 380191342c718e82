"""The lesson's composition rules, checked on a watched render (:mod:`backprop.composition_watch`).

Per idea (clip) of a scene:

- ``span``: the lit content of the idea's key frame (its fullest, the one its poster shows:
  :func:`backprop.media.fullest`) spans at least half the frame's width or height;
- ``margin``: nothing lit within 0.4 scene units of the frame's edges, in the picture each
  animation leaves and the idea's last one;
- ``label``: no value label lies on a diagram's edge or crosses a neuron's outline, after any
  animation (from the mobjects' geometry);
- ``scale``: the number lines on screen at the same time share one scale (units per value), unless
  a line shows relative change;
- ``ratio``: every ratio on screen with its two changes (Δcost, Δparameter, after the same nudge)
  can be checked from its own printed numbers: the printed Δcost / printed Δparameter is the
  printed ratio to within one unit of its last printed digit;
- ``ending``: no clip ends on a black or nearly empty frame (under 0.3 % lit, or under a quarter
  of its key frame's lit share), and its poster (key frame) is not nearly empty.

And a measure of "static text" (:class:`ClipMotion`): the share of a clip's time spent in
animations that move something other than text (a diagram drawn, lit, moved or flashed, a value
flying; text, and boxes or lines marking text, do not count), and whether a diagram is on screen
in its key frame. A clip is *mostly static text* when under a quarter of its time shows such
motion, or when no diagram is on its key frame.

Run ``python -m backprop.composition [--config FILE] [SCENE ...]`` for a report of the default
lesson (or a config's).
"""

from __future__ import annotations

import argparse
import importlib
import math
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import scenes
from backprop.composition_watch import CompositionWatch, Moment
from backprop.media import fullest
from lessonmodel.config import load_config
from lessonmodel.names import Change, Nudged, Ratio

__all__ = ["Finding", "ClipMotion", "RULES", "check_scene", "clip_motion", "render_watched", "ratio_problem",
           "frame_problems", "span_of", "lit_share", "MOSTLY_STATIC"]

RULES = ("span", "margin", "label", "scale", "ratio", "ending")
FRAME_UNITS_HIGH = 8.0  # Manim's frame is 8 scene units high
EDGE_UNITS = 0.4  # nothing lit this close to the frame's edges
LIT = 40  # grey level above which a pixel is lit, for spans and margins (as the storyboard's notes)
POSTER_LIT = 24  # grey level of a lit pixel when choosing the fullest frame (as backprop.media.lit_fraction)
EMPTY = 0.003  # a frame with a smaller share of lit pixels is nearly empty
ENDING_SHARE = 0.25  # a clip ending with less than this share of its key frame's lit pixels ends nearly empty
SPAN = 0.5  # the key frame's lit content spans at least this share of the width or the height
SCALE_TOLERANCE = 0.02  # number lines on screen together: units per value equal to 2 %
MOSTLY_STATIC = 0.25  # a clip with a smaller share of its time in motion is mostly static text


@dataclass(frozen=True)
class Finding:
    """A broken rule: the scene, the idea (clip) it broke in, the rule (one of :data:`RULES`) and
    what was seen."""

    scene: str
    idea: str
    rule: str
    detail: str

    def __str__(self) -> str:
        return f"{self.scene} / {self.idea}: {self.rule}: {self.detail}"


@dataclass(frozen=True)
class ClipMotion:
    """How much a clip moves: its length (s), the seconds of animations that move something other
    than text, of animations that only write or recolour text, of holds (waits), and whether a
    diagram is on screen in its key frame."""

    scene: str
    idea: str
    length: float
    motion: float
    text: float
    hold: float
    diagram: bool

    @property
    def motion_share(self) -> float:
        return self.motion / self.length if self.length > 0 else 0.0

    @property
    def mostly_static_text(self) -> bool:
        return self.motion_share < MOSTLY_STATIC or not self.diagram


# --- pixels ---------------------------------------------------------------------------------


def lit_share(frame: np.ndarray, level: int = POSTER_LIT) -> float:
    """The share of a grey frame's pixels brighter than ``level``."""
    return float((frame > level).mean())


def span_of(frame: np.ndarray) -> tuple[float, float]:
    """(width share, height share) of the frame that its lit pixels span, edge to edge."""
    lit = frame > LIT
    if not lit.any():
        return 0.0, 0.0
    rows, columns = np.flatnonzero(lit.any(axis=1)), np.flatnonzero(lit.any(axis=0))
    return (columns[-1] - columns[0] + 1) / lit.shape[1], (rows[-1] - rows[0] + 1) / lit.shape[0]


def frame_problems(frame: np.ndarray) -> list[str]:
    """The margins a frame breaks: ``"lit 0.21 units from the top"`` for each side whose lit pixels
    come nearer than 0.4 scene units to the edge (one pixel of slack, for antialiasing)."""
    lit = frame > LIT
    if not lit.any():
        return []
    unit = lit.shape[0] / FRAME_UNITS_HIGH  # pixels per scene unit
    margin = EDGE_UNITS * unit - 1
    rows, columns = np.flatnonzero(lit.any(axis=1)), np.flatnonzero(lit.any(axis=0))
    gaps = {"top": rows[0], "bottom": lit.shape[0] - 1 - rows[-1],
            "left": columns[0], "right": lit.shape[1] - 1 - columns[-1]}
    return [f"lit {gap / unit:.2f} units from the {side}" for side, gap in gaps.items() if gap < margin]


# --- printed numbers ------------------------------------------------------------------------

# As lessonmodel.fmt writes them: plain (-0.074, 3.2e-05) or typeset (3.2 times 10^(-5)); or as a
# typed formula's value is recorded, in words (3.2 × 10⁻⁵, lessonmodel.formula.Num).
_NUMBER = re.compile(r"(-?\d+(?:\.(\d+))?)"
                     r"(?:e([+-]?\d+)| times 10\^\((-?\d+)\)|[ \u00a0]×[ \u00a0]10([⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+))?")
_FROM_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")


def _printed(text: str) -> tuple[float, float]:
    """(value, one unit of its last printed digit) of a number as printed (lessonmodel.fmt).

    >>> len({_printed(t) for t in ("-7.4\u00a0×\u00a010⁻⁵", "-7.4 × 10⁻⁵", "-7.4e-05", "-7.4 times 10^(-5)")})
    1
    """
    match = _NUMBER.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"not a printed number: {text!r}")
    mantissa, decimals = match.group(1), match.group(2) or ""
    exponent = int(match.group(3) or match.group(4) or (match.group(5) or "0").translate(_FROM_SUPERSCRIPT))
    return float(mantissa) * 10.0**exponent, 10.0 ** (exponent - len(decimals))


def ratio_problem(change_of: str, change_by: str, ratio: str) -> str | None:
    """Why a printed row Δof, Δby, Δof/Δby cannot be checked from its own numbers, or None:
    the quotient of the printed changes must be the printed ratio to within one unit of the
    ratio's last printed digit.

    >>> ratio_problem("-0.001", "0.010", "-0.074")
    '-0.001 / 0.010 = -0.1, printed -0.074'
    >>> ratio_problem("-0.0074", "0.100", "-0.074") is None
    True
    """
    (of, _), (by, _), (printed, unit) = _printed(change_of), _printed(change_by), _printed(ratio)
    if by == 0:
        return f"{change_of} / {change_by}: a change of zero, printed {ratio}"
    quotient = of / by
    if abs(quotient - printed) <= unit * (1 + 1e-9):
        return None
    return f"{change_of} / {change_by} = {quotient:.{max(0, -math.floor(math.log10(unit)))}g}, printed {ratio}"


def _ratio_rows(scene, start: float, end: float) -> list[str]:
    """Problems of the ratio rows whose numbers came on screen in an animation that began within
    [start, end) (an idea's)."""
    shown = {record.name: record.text for record in scene.on_screen if start - 1e-6 <= record.time < end - 1e-6}
    problems = []
    for name, text in shown.items():
        if isinstance(name, Nudged) and isinstance(name.quantity, Ratio):
            of = Nudged(Change(name.quantity.of), name.parameter, name.delta)
            by = Nudged(Change(name.quantity.by), name.parameter, name.delta)
            if of in shown and by in shown and (problem := ratio_problem(shown[of], shown[by], text)):
                problems.append(f"{name.quantity} at Δ = {name.delta:g}: {problem}")
    return problems


# --- the rules ------------------------------------------------------------------------------


def _by_idea(watch: CompositionWatch) -> dict[str, list[Moment]]:
    """The moments of each idea's clip: its own, and those played after it ended and before the
    next idea began (outside any step: they are still in its clip, Manim's section)."""
    ideas: dict[str, list[Moment]] = {}
    current = None
    for moment in watch.moments:
        current = moment.idea or current
        if current is not None:
            ideas.setdefault(current, []).append(moment)
    return ideas


def _key_moment(moments: list[Moment]) -> Moment:
    """The idea's key frame: the fullest of the pictures its animations leave and its last
    (the poster's choice, :func:`backprop.media.poster`)."""
    pictures = [m for m in moments if m.kind != "wait" and m.frame is not None]
    return pictures[fullest([lit_share(m.frame) for m in pictures])]


def check_scene(scene) -> list[Finding]:
    """Every broken composition rule of a scene rendered with a :class:`CompositionWatch`
    (:func:`render_watched`), idea by idea; one finding per rule and idea (its first instance,
    with how many moments broke it)."""
    watch: CompositionWatch = scene.watch
    name = type(scene).__name__
    findings: list[Finding] = []

    def found(idea: str, rule: str, details: list[str]) -> None:
        if details:
            more = f" (and {len(details) - 1} more)" if len(details) > 1 else ""
            findings.append(Finding(name, idea, rule, details[0] + more))

    for idea_record in scene.ideas:
        idea = idea_record.name
        moments = _by_idea(watch).get(idea, [])
        framed = [m for m in moments if m.frame is not None]
        if framed:
            key = _key_moment(moments)
            width, height = span_of(key.frame)
            if max(width, height) < SPAN:
                found(idea, "span", [f"key frame at {key.end - idea_record.start:.1f} s spans {width:.0%} of the "
                                     f"width and {height:.0%} of the height"])
            found(idea, "margin", [f"at {m.end - idea_record.start:.1f} s: {', '.join(problems)}"
                                   for m in framed if m.kind != "wait" and (problems := frame_problems(m.frame))])
            last, key_lit = framed[-1], lit_share(key.frame)
            last_lit = lit_share(last.frame)
            endings = []
            if key_lit < EMPTY:
                endings.append(f"its poster (key frame) is nearly empty: {key_lit:.2%} lit")
            elif last_lit < max(EMPTY, ENDING_SHARE * key_lit):
                endings.append(f"ends on a nearly empty frame: {last_lit:.2%} lit, its key frame {key_lit:.2%}")
            found(idea, "ending", endings)
        found(idea, "label", [f"at {m.end - idea_record.start:.1f} s: {overlap}"
                              for m in moments for overlap in m.overlaps])
        found(idea, "scale", [f"at {m.end - idea_record.start:.1f} s: " + ", ".join(f"{line} {unit:.3g} units per value"
                                                                                   for line, unit in m.scales)
                              for m in moments if _scales_differ(m.scales)])
        found(idea, "ratio", _ratio_rows(scene, idea_record.start, idea_record.end))
    return _first_per_rule(findings)


def _scales_differ(scales: list[tuple[str, float]]) -> bool:
    units = [unit for _, unit in scales]
    return len(units) > 1 and max(units) > (1 + SCALE_TOLERANCE) * min(units)


def _first_per_rule(findings: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for f in findings:
        if (f.idea, f.rule) not in seen:
            seen.add((f.idea, f.rule))
            out.append(f)
    return out


def clip_motion(scene) -> list[ClipMotion]:
    """How much each clip of a watched scene moves (see :class:`ClipMotion`)."""
    out = []
    moments_of = _by_idea(scene.watch)
    for idea in scene.ideas:
        moments = moments_of.get(idea.name, [])
        motion = sum(m.end - m.start for m in moments if m.kind == "animation" and m.motion)
        text = sum(m.end - m.start for m in moments if m.kind == "animation" and not m.motion)
        hold = sum(m.end - m.start for m in moments if m.kind == "wait")
        pictures = [m for m in moments if m.kind != "wait" and m.frame is not None]
        diagram = _key_moment(moments).diagram if pictures else any(m.diagram for m in moments)
        length = max([idea.end, *(m.end for m in moments)]) - idea.start
        out.append(ClipMotion(type(scene).__name__, idea.name, length, motion, text, hold, diagram))
    return out


# --- rendering ------------------------------------------------------------------------------


def render_watched(name: str, config=None, media_dir: str | os.PathLike | None = None, *, module: str | None = None,
                   size: tuple[int, int] = (256, 144), frame_rate: int = 5, frames: bool = True,
                   typeset_cache: str | os.PathLike | None = None):
    """Render scene ``name`` of the lesson in this process with a :class:`CompositionWatch`, small
    and without writing a video (every animation still runs to its end state): the scene, its
    watch in ``scene.watch``. ``config`` is a validated config, a path, or None (the shipped one);
    ``typeset_cache`` a folder where typeset formulas are kept between renders (default: none kept);
    ``module`` the module the scene is in (default: the lesson's, :data:`scenes.LESSON`)."""
    from manim import tempconfig

    from scenes.kit.lesson_scene import use_config

    config = config if config is None or hasattr(config, "chain") else load_config(config)
    scene_class = getattr(importlib.import_module(module) if module else scenes, name)
    with tempfile.TemporaryDirectory() as scratch:
        settings = {
            "media_dir": str(media_dir or scratch),
            "tex_dir": str(typeset_cache or Path(scratch) / "typeset"),
            "pixel_width": size[0],
            "pixel_height": size[1],
            "frame_rate": frame_rate,
            "disable_caching": True,
            "verbosity": "WARNING",
            "progress_bar": "none",
            "save_last_frame": True,
            "write_to_movie": False,
        }
        use_config(config)
        try:
            with tempconfig(settings):
                scene = scene_class(watch=CompositionWatch(frames=frames))
                scene.render()
        finally:
            use_config(None)
    return scene


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m backprop.composition", description=__doc__.split("\n\n")[0])
    parser.add_argument("scenes", nargs="*", help="scene names (default: every scene of the lesson)")
    parser.add_argument("--config", help="lesson config (default: the shipped one)")
    args = parser.parse_args(argv)
    config = load_config(args.config)
    names = args.scenes or list(scenes.LESSON)
    clip, failures = 0, 0
    for name in names:
        scene = render_watched(name, config)
        for motion in clip_motion(scene):
            clip += 1
            flag = "  MOSTLY STATIC TEXT" if motion.mostly_static_text else ""
            number = f"{clip:02} " if not args.scenes else ""  # clip numbers of the lesson folder
            print(f"{number}{name}.{motion.idea}: {motion.length:.1f} s, motion {motion.motion:.1f} s "
                  f"({motion.motion_share:.0%}), text {motion.text:.1f} s, hold {motion.hold:.1f} s, "
                  f"diagram {'yes' if motion.diagram else 'no'}{flag}")
        for finding in check_scene(scene):
            failures += 1
            print(f"   FAIL {finding}")
    print(f"{failures} composition failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
