"""The checkpoints wait for their answers: checked on a rendered scene's own record.

For each checkpoint of the config (:mod:`lessonmodel.checkpoints`): a scene before the one it
belongs to must not reveal it (say or show a value that gives it away); its own scene must reveal
it, and the page pauses (:func:`backprop.checkpoint_places.place_checkpoints`) no later than every
reveal: by the value's name, and, for a number question, by its answer's text, whatever name the
cue or the formula gives it. The record is the one the render workers pass on
(:func:`scenes.kit.scene_record.scene_record`).
"""

from __future__ import annotations

import scenes
from backprop.assemble import Clip
from backprop.checkpoint_places import place_checkpoints, reveal_moments
from lessonmodel.checkpoints import checkpoints_of
from scenes.kit.scene_record import scene_record

__all__ = ["checkpoint_problems"]

EPS = 1e-6


def _clips(scene) -> list[Clip]:
    name = type(scene).__name__
    clips = []
    for number, idea in enumerate(scene_record(scene).ideas, 1):
        clips.append(Clip(number, name, idea, "", "", ""))
    return clips


def _said_or_shown(scene, idea, text: str) -> list[float]:
    """When (in the idea's clip) a cue says ``text`` or a formula shows it as a number."""
    said = [c.start - idea.start for c in idea.cues if text in c.text.replace("−", "-")]
    shown = [s.time - idea.start for s in scene.on_screen
             if s.text.replace("−", "-") == text and idea.start - EPS <= s.time < idea.end - EPS]
    return said + shown


def checkpoint_problems(scene, cfg) -> list[str]:
    """Every way the scene breaks a checkpoint of ``cfg``: empty when each waits for its answer."""
    name = type(scene).__name__
    story = list(scenes.LESSON)
    clips = _clips(scene)
    problems = []
    for c in checkpoints_of(cfg):
        if story.index(c.scene) > story.index(name):
            for clip in clips:
                if reveal_moments(c, clip.idea):
                    problems.append(f"{c.id}: {name}.{clip.section} reveals it before {c.scene} asks")
        elif c.scene == name:
            placed = place_checkpoints([c], clips)
            if not placed:
                problems.append(f"{c.id}: {name} never reveals it, so never asks")
                continue
            p = placed[0]
            idea = scene.ideas[p.clip - 1]
            moments = reveal_moments(c, clips[p.clip - 1].idea)
            if c.kind == "number":
                moments += _said_or_shown(scene, idea, c.answer_text)
            early = [m for m in moments if m < p.at - EPS]
            if early or any(reveal_moments(c, clip.idea) for clip in clips[:p.clip - 1]):
                problems.append(f"{c.id}: pauses at {p.at:.2f} s of {name}.{idea.name}, after a reveal at {early}")
            problems += _unseen_givens(c, clips, p)
    return problems


def _times(clip: Clip, name: str) -> list[float]:
    """When the clip says or shows the value called ``name``."""
    return ([x.start for x in clip.idea.cues if name in x.mentions] +
            [s.time for s in clip.idea.appearances if s.name == name])


def _unseen_givens(c, clips: list[Clip], p) -> list[str]:
    """The values the question states that its own clip brings on only after the pause (and no
    clip of the scene before: a value from an earlier scene first comes in this scene later)."""
    out = []
    for given in map(str, c.given):
        before = any(_times(clip, given) for clip in clips[:p.clip - 1])
        first = min(_times(clips[p.clip - 1], given), default=None)
        if not before and first is not None and first > p.at + EPS:
            out.append(f"{c.id}: states {given}, which its clip shows only at {first:.2f} s, after the pause")
    return out
