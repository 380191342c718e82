"""The narration's rules: how long a cue must stay, how it is laid out, how it is spoken.

A cue is one short sentence (or less) of the narration, bound to the animation it describes. These
are the caption norms every cue of the lesson keeps (the tests check them over whole lessons):

- at most :data:`MAX_LINES` lines of at most :data:`LINE_LENGTH` characters (:func:`caption_lines`);
- on screen long enough to read at :data:`READING_RATE` characters per second, plus :data:`PAUSE`
  (:func:`reading_time`), or to be spoken, and never faster than :data:`MAX_RATE`;
- at least :data:`MIN_CUE` seconds; cues never overlap;
- no number in a cue before that number is on screen, and nothing named that is not on screen,
  whole, when the cue starts (:func:`lessonmodel.on_screen.unseen`).

:func:`spoken` turns a cue's notation into words for a speech engine ("dC0/dw(L)" is
"d C zero by d w L"); numbers stay as they are shown.
"""

from __future__ import annotations

import re
import textwrap

__all__ = [
    "LINE_LENGTH",
    "MAX_LINES",
    "MAX_RATE",
    "MIN_CUE",
    "PAUSE",
    "READING_RATE",
    "caption_lines",
    "cue_problem",
    "needed_time",
    "reading_time",
    "spoken",
]

LINE_LENGTH = 42
MAX_LINES = 2
READING_RATE = 15.0  # characters per second a silent cue is timed for
MAX_RATE = 17.0  # characters per second no caption exceeds
PAUSE = 0.4  # seconds after a cue is read or spoken, before the next one
MIN_CUE = 1.2  # seconds: no cue shorter


def caption_lines(text: str) -> list[str]:
    """``text`` broken into lines of at most :data:`LINE_LENGTH` characters (words never split,
    nor anything joined by a no-break space, such as a number in scientific form, 2.8 × 10⁵);
    two lines are balanced (no lone word under a long line).

    >>> caption_lines("Example 0's is the 2.8\u00a0×\u00a010⁵ we found before.")
    ["Example 0's is the", '2.8\xa0×\xa010⁵ we found before.']
    """
    lines = textwrap.wrap(text, LINE_LENGTH, break_long_words=False, break_on_hyphens=False) or [""]
    if len(lines) != 2:
        return lines
    words = re.split(r"[^\S\u00a0]+", text.strip())  # at whitespace, as textwrap, never at a no-break space
    splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    fitting = [pair for pair in splits if max(map(len, pair)) <= LINE_LENGTH]
    return list(min(fitting, key=lambda pair: max(map(len, pair)))) if fitting else lines


def cue_problem(text: str) -> str | None:
    """Why ``text`` cannot be one cue (too many lines), or None."""
    lines = caption_lines(text)
    if len(lines) > MAX_LINES or any(len(line) > LINE_LENGTH for line in lines):
        return f"a cue fits {MAX_LINES} lines of {LINE_LENGTH} characters; {text!r} needs {len(lines)}"
    return None


def reading_time(text: str) -> float:
    """Seconds a silent cue stays: read at :data:`READING_RATE`, then :data:`PAUSE`."""
    return max(MIN_CUE, len(text) / READING_RATE + PAUSE)


def needed_time(text: str, spoken_seconds: float | None) -> float:
    """Seconds a cue stays: its reading time when silent; when voiced, its speech and
    :data:`PAUSE`, and never so short that the caption runs faster than :data:`MAX_RATE`."""
    if spoken_seconds is None:
        return reading_time(text)
    return max(MIN_CUE, spoken_seconds + PAUSE, len(text) / MAX_RATE)


# --- spoken form ------------------------------------------------------------------------------

_DIGITS = {"0": "zero", "1": "one", "2": "two", "3": "three", "4": "four", "k": "k", "j": "j", "n": "n"}
_LAYER = {"L": "L", "L-1": "L minus one", "L-2": "L minus two", "l": "l", "l+1": "l plus one", "l-1": "l minus one"}


def _symbol(name: str, index: str | None = None, layer: str | None = None) -> str:
    """``a_k(L-1)`` → "a k L minus one"; ``C0`` → "C zero"."""
    words = [name]
    if index:
        words.append(" ".join(_DIGITS.get(ch, ch) for ch in index))
    if layer:
        words.append(_LAYER.get(layer, layer))
    return " ".join(words)


_SYMBOL = re.compile(r"(?<!\w)(σ'|[wbzayCδ])(?:_?([0-9jkn]{1,2}))?(?:\((L(?:-[12])?|l(?:[-+]1)?)\))?(?!\w)")
_RATIO = re.compile(r"Δ(\w+(?:\([^)\s]*\))?)/Δ(\w+(?:\([^)\s]*\))?)")
_PARTIAL = re.compile(r"(?<!\w)[∂d](\w+(?:\([^)\s]*\))?)/[∂d](\w+(?:\([^)\s]*\))?)")


def _symbols(text: str) -> str:
    def one(m: re.Match) -> str:
        name, index, layer = m.group(1), m.group(2), m.group(3)
        if name == "σ'":
            name = "sigma prime"
        elif name == "δ":
            name = "delta"
        if index is None and layer is None and name in "wbzay":
            return m.group(0)  # an ordinary word letter ("a", "y") stays as it is
        return _symbol(name, index, layer)

    return _SYMBOL.sub(one, text)


def spoken(text: str) -> str:
    """A cue as a speech engine should say it: notation in words, numbers as shown.

    >>> spoken("dC0/dw(L) = -0.074")
    'd C zero by d w L equals minus 0.074'
    """
    text = _PARTIAL.sub(lambda m: f"d {_symbols(m.group(1))} by d {_symbols(m.group(2))}", text)
    text = _RATIO.sub(lambda m: f"delta {_symbols(m.group(1))} over delta {_symbols(m.group(2))}", text)
    text = text.replace("Δ", "delta ")
    text = _symbols(text.replace("σ'(", "sigma prime of ("))
    text = re.sub(r"\^2\b", " squared", text)
    text = re.sub(r"(\d\.\d+)e([-+])0*(\d+)",  # 3.2e-05, as the screen's 3.2 × 10^-5
                  lambda m: f"{m.group(1)} times ten to the {'minus ' if m.group(2) == '-' else ''}{m.group(3)}", text)
    text = re.sub(r"(?<![\w.])[-−](?=\d)", "minus ", text)
    text = text.replace(" = ", " equals ").replace(" - ", " minus ").replace(" + ", " plus ")
    text = text.replace(" × ", " times ").replace(" · ", " times ")
    text = text.replace("Σ", "the sum of ").replace("∇", "the gradient of ")
    return re.sub(r"\s+", " ", text).strip()
