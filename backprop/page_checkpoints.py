"""The lesson page's learner-paced parts of a clip: its playback controls (replay, previous and
next cue) and its checkpoints (predict, then see), as HTML the page's script brings to life.

Markup for the script, tests and embedders: a checkpoint is an element with ``data-checkpoint``
(its id), ``data-at`` (where the clip pauses, in seconds) and ``data-cue`` (the cue it pauses
before); a choice question's answers are buttons with ``data-choice``, the right one with
``data-correct``; a number question is a form with ``data-answer`` and ``data-tolerance``. The
answer and its reason are in the element (``.answer``), hidden until the learner answers.
"""

from __future__ import annotations

from html import escape

from backprop.checkpoint_places import Placed

__all__ = ["checkpoint_html", "playback_html", "PAUSE_LEAD"]

PAUSE_LEAD = 0.05  # the clip stops this much before its cue starts, on the frame before the reveal


def _choices(placed: Placed) -> str:
    buttons = "".join(
        f'<button type="button" data-choice="{escape(c.key)}"{" data-correct" if c.correct else ""}>'
        f"{escape(c.text)}</button>"
        for c in placed.checkpoint.choices
    )
    return f'<div class="choices">{buttons}</div>'


def _number(placed: Placed) -> str:
    c = placed.checkpoint
    return (f'<form class="number-answer" data-answer="{c.answer!r}" data-tolerance="{c.tolerance!r}">'
            f'<label>Your answer <input type="text" inputmode="decimal" name="answer" autocomplete="off" '
            f'spellcheck="false" size="8"></label> <span class="small">within {escape(c.tolerance_text)}</span> '
            f'<button type="submit">Check</button></form>')


def checkpoint_html(placed: Placed) -> str:
    """One checkpoint of a clip, hidden until the clip reaches it."""
    c = placed.checkpoint
    ident = escape(c.id)
    cue = f' data-cue="{escape(placed.cue)}"' if placed.cue else ""
    return f"""
    <div class="checkpoint" data-checkpoint="{ident}" data-kind="{c.kind}" data-at="{placed.at:.3f}"{cue}
         role="group" aria-labelledby="question-{ident}" tabindex="-1" hidden>
      <p class="checkpoint-label">Predict, then see</p>
      <p class="question" id="question-{ident}">{escape(c.question)}</p>
      {_choices(placed) if c.choices else _number(placed)}
      <p class="feedback" role="status"></p>
      <p class="answer" hidden>Answer: <strong>{escape(c.answer_text)}</strong>.
        <span class="why">{escape(c.explanation)}</span></p>
      <div class="actions"><button type="button" data-step="go-on" hidden>Go on ▶</button>
        <button type="button" data-step="skip">Skip the question</button></div>
    </div>"""


def playback_html() -> str:
    """The controls that step a clip cue by cue (their keys are the page's: , . R K), and the play
    control shown when the browser refuses to start a clip with sound by itself."""
    return """
    <div class="playback" role="group" aria-label="playback">
      <button type="button" data-playback="replay" title="replay the clip (R)">⟲ Replay</button>
      <button type="button" data-playback="previous" title="previous cue (,)">◀ Cue</button>
      <button type="button" data-playback="toggle" title="play or pause (K)">Play / pause</button>
      <button type="button" data-playback="next" title="next cue (.)">Cue ▶</button>
      <span class="cue-count small"></span>
    </div>
    <button type="button" class="play-control" data-playback="play" hidden>▶ Play (with sound)</button>"""
