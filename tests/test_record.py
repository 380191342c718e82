"""The record of a rendered scene (lessonmodel.record) and the worker's result around it
(backprop.worker.RenderResult) round-trip through JSON exactly, and data of another shape is
refused, never read as a record. Real records (every scene of the lesson, rendered) round-trip too:
tests/test_composition.py checks them on its renders.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop.worker import ClipFiles, RenderResult
from lessonmodel.formula import Eq, Num, Paren, Power, Product, Sym, add, sub, to_data
from lessonmodel.record import (
    SCHEMA,
    Appearance,
    CueRecord,
    IdeaRecord,
    Moment,
    RecordError,
    SceneRecord,
    ShownValue,
    Summary,
)

texts = st.text(max_size=12)
times = st.floats(0, 600, allow_nan=False)
numbers = st.floats(allow_nan=False, allow_infinity=False)
json_leaves = st.none() | st.booleans() | st.integers(-10**6, 10**6) | numbers | texts
json_values = st.recursive(json_leaves, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(texts, inner, max_size=3), max_leaves=12)
printed_formulas = st.dictionaries(texts, json_values, max_size=4)

cues = st.builds(CueRecord, texts, texts, texts, times, times, st.lists(texts, max_size=3))
shown_values = st.builds(ShownValue, texts, texts, texts, st.none() | numbers | st.integers(-5, 5))
ideas = st.builds(
    IdeaRecord, texts, texts, st.lists(cues, max_size=3), st.lists(shown_values, max_size=3),
    st.lists(st.builds(Appearance, texts, times), max_size=3),
    st.none() | st.builds(Summary, texts, texts, st.none() | texts),
    st.lists(printed_formulas, max_size=2), st.lists(st.builds(Moment, times, times, times, texts), max_size=3))
scenes = st.builds(SceneRecord, texts, st.lists(texts, max_size=3), st.lists(ideas, max_size=3),
                   st.lists(shown_values, max_size=3))


@settings(max_examples=200, deadline=None)
@given(record=scenes)
def test_a_scene_record_round_trips_through_json_exactly(record):
    text = record.to_json()
    again = SceneRecord.from_json(text)
    assert again == record and again.to_json() == text
    assert all(isinstance(i, IdeaRecord) for i in again.ideas)


@settings(max_examples=100, deadline=None)
@given(record=scenes, seconds=times, audio=st.none() | texts, data=st.data())
def test_a_render_result_round_trips_through_json_exactly(record, seconds, audio, data):
    clips = [ClipFiles(data.draw(texts), audio) for _ in record.ideas]
    result = RenderResult(record, clips, srt=data.draw(st.none() | texts), missing_recordings=["A.b.1"],
                          synthesized=3, speech_seconds=seconds, speech_cpu=1.5, modules=["scenes.cost"],
                          seconds=seconds)
    text = result.to_json()
    assert RenderResult.from_json(text) == result and RenderResult.from_json(text).to_json() == text
    moved = result.with_paths(lambda p: "/cache/" + p)
    assert [c.video for c in moved.clips] == ["/cache/" + c.video for c in clips]
    assert moved.record == record


def test_formulas_in_data_form_round_trip():
    """The printed formulas of a record are lessonmodel.formula's data form, values and all."""
    a, y = Num(None, 0.6606, 4), Num(None, 1.0, 2)
    formula = Eq(Sym("C", sub="0"), Power(Paren(sub(a, y)), Num(None, 2, 0)), Num(None, 0.1152, 3))
    product = Eq(Product(a, Num(None, -0.0741, 3)), add(a, y))
    idea = IdeaRecord("cost", printed=[to_data(formula), to_data(product)])
    record = SceneRecord("CostOfOneExample", ["chain"], [idea])
    again = SceneRecord.from_json(record.to_json())
    assert again.ideas[0].printed == [to_data(formula), to_data(product)]


def test_another_shape_is_refused():
    record = SceneRecord("NeuronChain", ["chain"], [IdeaRecord("cost", cues=[CueRecord("a", "b", "b", 0.0, 1.0)])])
    data = record.to_data()
    assert data["schema"] == SCHEMA
    with pytest.raises(RecordError, match="schema"):
        SceneRecord.from_data(data | {"schema": SCHEMA + 1})
    with pytest.raises(RecordError, match="schema"):
        SceneRecord.from_data({k: v for k, v in data.items() if k != "schema"})
    with pytest.raises(RecordError, match="fields"):  # a field missing
        SceneRecord.from_data({k: v for k, v in data.items() if k != "values"})
    idea = data["ideas"][0]
    with pytest.raises(RecordError, match="fields"):  # a field of an older shape
        SceneRecord.from_data(data | {"ideas": [idea | {"shown": []}]})
    cue = idea["cues"][0]
    with pytest.raises(RecordError, match="CueRecord"):
        SceneRecord.from_data(data | {"ideas": [idea | {"cues": [{k: v for k, v in cue.items() if k != "said"}]}]})
    result = json.loads(RenderResult(record, [ClipFiles("a.mp4")]).to_json())
    with pytest.raises(RecordError, match="ideas"):  # clips and ideas must pair up
        RenderResult.from_json(json.dumps(result | {"clips": []}))
    with pytest.raises(RecordError, match="fields"):
        RenderResult.from_json(json.dumps({"scene": "NeuronChain", "sections": [], "values": []}))
