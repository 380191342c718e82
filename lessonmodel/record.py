"""The record of a rendered scene: what it showed, idea by idea, as plain typed data.

The base scene (:mod:`scenes.kit.scene_record`) builds a :class:`SceneRecord` after a render;
the render worker sends it to the application as JSON, the render cache stores that JSON, and the
application (the lesson folder, its page, handout and storyboards) reads the record back, typed.
One schema on both sides of the process boundary: :meth:`SceneRecord.to_json` and
:meth:`SceneRecord.from_json` round-trip exactly, and a record of another shape (an older
:data:`SCHEMA`, a missing or unknown field) is refused with :class:`RecordError`, never read as
this one.

Names are the text forms of :mod:`lessonmodel.names` (``"dC0/dw(3)"``); times are seconds from the
start of the idea's clip; formulas are in the data form of :func:`lessonmodel.formula.to_data`.

>>> cue = CueRecord("NeuronChain.cost.1", "The cost is 0.116.", "The cost is zero point one one six.",
...                 start=0.0, end=2.4, mentions=["C0"])
>>> idea = IdeaRecord("cost", narration=cue.text, cues=[cue])
>>> record = SceneRecord("NeuronChain", sections_read=["chain"], ideas=[idea])
>>> SceneRecord.from_json(record.to_json()) == record
True
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

__all__ = ["SCHEMA", "RecordError", "CueRecord", "ShownValue", "Appearance", "Moment", "Summary", "IdeaRecord",
           "SceneRecord"]

SCHEMA = 1  # the record's shape: raise it when a field changes, so that no older record is read as this one


class RecordError(ValueError):
    """Data that is not a record of this shape (another schema, a field missing or unknown)."""


def _fields(cls, data: Any) -> dict:
    """``data``'s fields for ``cls``, checked to be exactly ``cls``'s."""
    if not isinstance(data, dict):
        raise RecordError(f"a {cls.__name__} is a JSON object, got {type(data).__name__}")
    names = {f.name for f in dataclasses.fields(cls)}
    if set(data) != names:
        raise RecordError(f"a {cls.__name__} has the fields {sorted(names)}, got {sorted(data)}")
    return dict(data)


class _Record:
    """Plain data of a record class: :meth:`to_data` gives JSON-ready dicts and lists,
    :meth:`from_data` reads them back (records within records by their own ``from_data``)."""

    _nested: dict[str, type] = {}  # field -> the record class of its items (or of itself)

    def to_data(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_data(cls, data: Any):
        values = _fields(cls, data)
        for name, kind in cls._nested.items():
            item = values[name]
            if isinstance(item, list):
                values[name] = [kind.from_data(x) for x in item]
            elif item is not None:
                values[name] = kind.from_data(item)
        return cls(**values)


@dataclass(frozen=True)
class CueRecord(_Record):
    """One caption of the narration: its id (``Scene.idea.n``), its text, the words the voice says,
    its start and end, and the names of the values it names."""

    id: str
    text: str
    said: str
    start: float
    end: float
    mentions: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ShownValue(_Record):
    """A value the scene showed: its name, the label the screen gives it (``w(L)``), its text as
    printed, and the number (None for a value no config computed)."""

    name: str
    label: str
    text: str
    value: float | None


@dataclass(frozen=True)
class Appearance(_Record):
    """When the value called ``name`` came on screen: the start of the animation that first showed
    a formula holding it."""

    name: str
    time: float


@dataclass(frozen=True)
class Moment(_Record):
    """One animation of an idea, the moment a storyboard tile shows and a poster is chosen from:
    its ``start`` and ``end``, ``held_until`` (when the next moment starts, or the idea ends: the
    frame just before is the moment's finished picture) and the narration on screen as it starts."""

    start: float
    end: float
    held_until: float
    text: str


@dataclass(frozen=True)
class Summary(_Record):
    """The formula that sums an idea up: plain Typst to print (black, no groups), in words (alt
    text, the page) and Manim's SVG of it, in colour (None if it was not written)."""

    typst: str
    words: str
    svg: str | None = None


@dataclass(frozen=True)
class IdeaRecord(_Record):
    """What one idea (one clip) said and showed: its cues, the values it showed (``values``, each
    name once) and when each came on screen (``appearances``), its summary formula, every formula
    it typeset (``printed``, each in data form) and its moments."""

    name: str
    narration: str = ""
    cues: list[CueRecord] = field(default_factory=list)
    values: list[ShownValue] = field(default_factory=list)
    appearances: list[Appearance] = field(default_factory=list)
    formula: Summary | None = None
    printed: list[dict] = field(default_factory=list)
    moments: list[Moment] = field(default_factory=list)

    _nested = {"cues": CueRecord, "values": ShownValue, "appearances": Appearance, "formula": Summary,
               "moments": Moment}


@dataclass(frozen=True)
class SceneRecord(_Record):
    """What a scene showed: its name, the config sections it read, its ideas in order and every
    value it showed (each name once, with its first text)."""

    scene: str
    sections_read: list[str] = field(default_factory=list)
    ideas: list[IdeaRecord] = field(default_factory=list)
    values: list[ShownValue] = field(default_factory=list)

    _nested = {"ideas": IdeaRecord, "values": ShownValue}

    def to_data(self) -> dict:
        return {"schema": SCHEMA} | super().to_data()

    @classmethod
    def from_data(cls, data: Any) -> SceneRecord:
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            found = data.get("schema") if isinstance(data, dict) else None
            raise RecordError(f"a scene record of schema {found}, this code reads schema {SCHEMA}")
        return super().from_data({k: v for k, v in data.items() if k != "schema"})

    def to_json(self) -> str:
        return json.dumps(self.to_data(), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> SceneRecord:
        return cls.from_data(json.loads(text))
