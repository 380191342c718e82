"""The caption norms, checked on a rendered scene's cues (independent of lessonmodel.narration).

A cue fits 2 lines of 42 characters, runs at most 17 characters per second, lasts at least 1 s,
overlaps no other, and names no number before that number is on screen (a value in a cue's text
must have come on screen, in a formula, no later than the animation the cue starts with).
"""

from __future__ import annotations

import re
import textwrap

__all__ = ["caption_problems", "cue_figures", "unseen_problems", "speech_problems"]

# What a voice must never be asked to read: notation, numbers in digits, a doubled sign.
NOT_SPOKEN = re.compile(r"[∂ΔΣσ∇η·×⊙→←⇒∝²ᵀ⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺_^′]|\([Ll](?:[-+]\d)?\)|\b[Ll][-+]\d|\d\.\d|\de[-+]\d"
                        r"|\bminus minus\b|\bplus minus\b")

# -0.074, 3.2e-05 (plain text), 3.2 × 10⁻⁵ (as a typed formula's words write it)
DECIMAL = re.compile(r"(?<![\w.])[-−]?\d+\.\d+(?:e[-+]\d+|[ \u00a0]×[ \u00a0]10[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)?")


def caption_problems(scene) -> list[str]:
    """Every way the scene's cues break the caption norms (empty when they keep them)."""
    problems = []
    shown_at: dict[str, float] = {}
    for s in scene.on_screen:
        shown_at.setdefault(s.text, s.time)
    cues = [c for idea in scene.ideas for c in idea.cues]
    assert cues, f"{type(scene).__name__} says nothing"
    for before, cue in zip([None, *cues], cues):
        where = f"{cue.id} {cue.text!r}"
        lines = textwrap.wrap(cue.text, 42, break_long_words=False)
        if len(lines) > 2 or any(len(line) > 42 for line in lines):
            problems.append(f"{where}: more than 2 lines of 42")
        length = cue.end - cue.start
        if length < 1.0 - 1e-6:
            problems.append(f"{where}: {length:.2f} s, shorter than 1 s")
        elif len(cue.text) / length > 17 + 1e-6:
            problems.append(f"{where}: {len(cue.text) / length:.1f} characters/s")
        if before is not None and cue.start < before.end - 1e-6:
            problems.append(f"{where}: starts before {before.id} ends")
        for number in DECIMAL.findall(cue.text):
            number = number.replace("−", "-")
            if number not in shown_at:
                problems.append(f"{where}: {number} is never on screen")
            elif shown_at[number] > cue.start + 1e-6:
                problems.append(f"{where}: {number} comes on screen at {shown_at[number]:.2f} s, after the cue")
        for name, text in cue.mentions:
            assert text in cue.text, f"{where}: names {name} but does not say {text}"
    return problems + speech_problems(cues)


def speech_problems(cues) -> list[str]:
    """Every cue whose words for the voice still hold notation or digits of a number (formulas are
    said as words, numbers as a teacher reads them, layers by name), or a doubled sign."""
    return [f"{cue.id}: the voice would read {m.group(0)!r} in {cue.said!r}"
            for cue in cues if (m := NOT_SPOKEN.search(cue.said))]


def cue_figures(cues) -> dict:
    """Max and mean characters per second, the longest cue, and their count."""
    rates = [len(c.text) / (c.end - c.start) for c in cues if c.end > c.start]
    return {"cues": len(cues), "max_cps": max(rates), "mean_cps": sum(rates) / len(rates),
            "longest": max(len(c.text) for c in cues)}


def _nodes(data):
    """Every node of a formula's data (lessonmodel.formula.to_data), nested ones included."""
    if isinstance(data, dict):
        if "node" in data:
            yield data
        for value in data.values():
            yield from _nodes(value)
    elif isinstance(data, list):
        for item in data:
            yield from _nodes(item)


NAMED = ("Partial", "Delta", "Frac", "Call", "SumOver", "Power")  # compound notation a cue can name


def unseen_problems(scene) -> list[str]:
    """Every value, symbol and formula a cue names that is not on screen, whole, when the cue
    starts (its ``seen`` formulas): a value by its name and text, a symbol by how it is written
    (a general one, such as z in "z = w a + b", by its letter), a derivative, change, slope,
    sum or square by its words, an equation by its left side."""
    from lessonmodel.formula import to_data

    problems = []
    for cue in (c for idea in scene.ideas for c in idea.cues):
        seen = [n for expr in cue.seen for n in _nodes(to_data(expr))]
        values = {(n["name"], n["text"]) for n in seen if n["node"] == "Num"}
        written = {n["words"] for n in seen}
        letters = {n["letter"] for n in seen if n["node"] == "Sym"}
        lefts = {n["sides"][0]["words"] for n in seen if n["node"] == "Eq"}
        said = [n for n in _nodes(to_data(cue.line))] if cue.line is not None else []
        missing = []
        for n in said:
            kind = n["node"]
            if kind == "Num" and (n["name"], n["text"]) not in values:
                missing.append(n["words"])
            elif kind == "Sym" and not (n["words"] in written or (n["name"] is None and n["letter"] in letters)):
                missing.append(n["words"])
            elif kind in NAMED and n["words"] not in written and any(m["node"] == "Sym" and m["name"]
                                                                       for m in _nodes(n)):
                missing.append(n["words"])
            elif kind == "Eq" and n["sides"][0]["node"] != "Num" and n["sides"][0]["words"] not in lefts | written:
                missing.append(n["words"])
        if missing:
            problems.append(f"{cue.id} {cue.text!r}: not on screen when it starts: {', '.join(dict.fromkeys(missing))}")
    return problems
