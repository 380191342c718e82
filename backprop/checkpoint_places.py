"""Where each checkpoint pauses its clip: at the start of the cue that first gives its answer away.

The record of the render says, for each clip, what each narration cue names (its values' names)
and when each value came on screen (:class:`lessonmodel.record.IdeaRecord`). A checkpoint
(:mod:`lessonmodel.checkpoints`) lists the values that reveal its answer; the first moment of the
lesson, in story order, at which one of them is said or shown falls within a cue, and the clip
pauses at that cue's start (at the clip's start when it comes before the clip's first cue). Times
come from the record, never from the cues' wording. A checkpoint is left out when nothing in the
lesson reveals it (a lesson of some scenes only), or when the first reveal is in another scene
than its own (its question speaks of its own scene's picture).

>>> place_checkpoints([], [])
[]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from lessonmodel.checkpoints import Checkpoint
from lessonmodel.record import CueRecord, IdeaRecord

if TYPE_CHECKING:
    from backprop.assemble import Clip

__all__ = ["Placed", "reveal_moments", "pause_point", "place_checkpoints"]

EARLY = 1e-6  # a cue that starts with the reveal's animation starts at the same time, in floats


@dataclass(frozen=True)
class Placed:
    """A checkpoint placed on a clip: ``clip`` is the clip's number, ``at`` the pause, in seconds
    from the clip's start, ``cue`` the id of the cue it pauses before (None: the clip's start)."""

    checkpoint: Checkpoint
    clip: int
    at: float
    cue: str | None


def reveal_moments(checkpoint: Checkpoint, idea: IdeaRecord) -> list[float]:
    """The times (in the idea's clip) at which it says or shows a value that reveals the answer."""
    names = {str(n) for n in checkpoint.reveals}
    return sorted([c.start for c in idea.cues if names & set(c.mentions)] +
                  [s.time for s in idea.appearances if s.name in names])


def pause_point(cues: list[CueRecord], moment: float) -> tuple[float, str | None]:
    """The start and id of the cue on when ``moment`` comes (0 and None before the first cue)."""
    before = [c for c in cues if c.start <= moment + EARLY]
    if not before:
        return 0.0, None
    cue = before[-1]
    return cue.start, cue.id


def place_checkpoints(checkpoints: list[Checkpoint], clips: list[Clip]) -> list[Placed]:
    """Each checkpoint that the lesson reveals in its own scene, at the cue that first reveals it."""
    placed = []
    for checkpoint in checkpoints:
        for clip in clips:
            moments = reveal_moments(checkpoint, clip.idea)
            if moments:
                if clip.scene == checkpoint.scene:
                    placed.append(Placed(checkpoint, clip.number, *pause_point(clip.idea.cues, moments[0])))
                break
    return sorted(placed, key=lambda p: (p.clip, p.at))
