"""The record of a rendered lesson scene (:class:`lessonmodel.record.SceneRecord`), built from what
the base scene kept while it played (:class:`scenes.kit.lesson_scene.LessonScene`): its ideas,
their cues, the values each showed and when they came on screen, the formulas it typeset.

This is what the application learns about a scene: the render worker sends the record, the
lesson folder is made from it.
"""

from __future__ import annotations

from pathlib import Path

from lessonmodel.formula import to_data, typst, words
from lessonmodel.names import Quantity
from lessonmodel.record import Appearance, CueRecord, IdeaRecord, Moment, SceneRecord, ShownValue, Summary
from scenes.kit.lesson_scene import Idea, LessonScene

__all__ = ["scene_record", "idea_record", "shown_values"]

EARLY = 1e-6  # a cue or value that starts with an animation starts at the same time, in floats


def scene_record(scene: LessonScene) -> SceneRecord:
    """What ``scene`` showed, once it has rendered: every idea's record and every value shown."""
    return SceneRecord(scene=type(scene).__name__, sections_read=scene.sections_read,
                       ideas=[idea_record(scene, idea) for idea in scene.ideas],
                       values=shown_values(scene, scene.shown))


def idea_record(scene: LessonScene, idea: Idea) -> IdeaRecord:
    """What one idea of ``scene`` said and showed, in seconds from the start of its clip."""
    return IdeaRecord(name=idea.name, narration=idea.narration, cues=_cues(idea),
                      values=shown_values(scene, idea.shown), appearances=_appearances(scene, idea),
                      formula=_summary(idea), printed=[to_data(f.expr) for f in idea.formulas],
                      moments=_moments(idea))


def shown_values(scene: LessonScene, shown: list[tuple[Quantity, str]]) -> list[ShownValue]:
    """Each name of ``shown`` once: its name, its label and text as the screen writes them, its value."""
    names = dict.fromkeys(name for name, _ in shown)
    return [ShownValue(str(n), scene.label(n), words(scene.value(n)), _number(scene.named.get(n))) for n in names]


def _number(value) -> float | None:
    """A value as JSON writes it: numpy's floats as Python's (their text is the same)."""
    return value if value is None or type(value) in (int, float) else float(value)


def _cues(idea: Idea) -> list[CueRecord]:
    return [CueRecord(c.id, c.text, c.said, c.start - idea.start, c.end - idea.start,
                      [str(name) for name, _ in c.mentions]) for c in idea.cues]


def _appearances(scene: LessonScene, idea: Idea) -> list[Appearance]:
    """Each value that came on screen during the idea, and when (what the page's checkpoints wait for)."""
    return [Appearance(str(s.name), s.time - idea.start) for s in scene.on_screen
            if idea.start - EARLY <= s.time < idea.end - EARLY]


def _summary(idea: Idea) -> Summary | None:
    """The formula the idea's step declared (:meth:`LessonScene.sums_up`): its Typst to print
    (black, no groups), its words and Manim's SVG of it (in colour)."""
    formula = idea.formula
    if formula is None:
        return None
    try:
        svg = Path(formula.file_name).read_text(encoding="utf-8")
    except (AttributeError, OSError):
        svg = None
    return Summary(typst(formula.expr, groups=False), words(formula.expr), svg)


def _moments(idea: Idea) -> list[Moment]:
    """Each animation the idea played, with the narration cue on screen when it starts (a cue
    starts with the animation it is bound to, or as it ends), or the idea's narration before its first cue;
    held until the next moment starts, or the idea ends."""
    spans = [(s - idea.start, e - idea.start) for s, e in idea.animations]
    ends = [s for s, _ in spans[1:]] + [idea.end - idea.start]

    def said_at(t: float) -> str:
        said = [c.text for c in idea.cues if c.start - idea.start <= t + EARLY]
        return said[-1] if said else idea.narration

    return [Moment(s, e, until, said_at(s)) for (s, e), until in zip(spans, ends)]
