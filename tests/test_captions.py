"""Captions keep pace: every cue of every scene, for the default config and a spread of valid ones.

A cue fits 2 lines of 42 characters, runs at most 17 characters per second, lasts at least 1 s,
overlaps no other, and names no number before that number is on screen (a value in a cue's text
must have come on screen, in a formula, no later than the animation the cue starts with).
The scenes render with ``movie=False``: no frames, the same timeline.
"""

from __future__ import annotations

import re
import textwrap

import pytest
from conftest import render_scene
from test_scenes import EXTREME_CHAIN, RELU_CHAIN, TANH_CHAIN

import scenes

DECIMAL = re.compile(r"(?<![\w.])[-−]?\d+\.\d+(?:e[-+]\d+)?")
CHAIN_SCENES = [n for n, m in scenes.LESSON.items() if m in {"scenes.neuron_chain", "scenes.cost", "scenes.cost_tree",
                                                             "scenes.chain_rule", "scenes.other_factors"}]
WIDE_NETWORK = """
[network]
sizes = [2, 4, 3]
seed = 7
target = [1.0, 0.0, 1.0]
focus = [2, 3]

[examples]
count = 8
seed = 3

[descent]
steps = 5
"""


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
    return problems


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.mark.parametrize("name", list(scenes.LESSON))
def test_default_lesson_captions_keep_the_norms(name, media, monkeypatch):
    scene = render_scene(name, media, None, monkeypatch, movie=False)
    assert caption_problems(scene) == []


@pytest.mark.parametrize("config_text", [RELU_CHAIN, TANH_CHAIN, EXTREME_CHAIN], ids=["relu", "tanh", "extreme"])
@pytest.mark.parametrize("name", CHAIN_SCENES)
def test_chain_captions_keep_the_norms_for_other_configs(name, config_text, media, write_config, monkeypatch):
    scene = render_scene(name, media, write_config(config_text), monkeypatch, movie=False)
    assert caption_problems(scene) == []


@pytest.mark.parametrize("name", [n for n in scenes.LESSON if n not in CHAIN_SCENES])
def test_network_captions_keep_the_norms_for_another_network(name, media, write_config, monkeypatch):
    scene = render_scene(name, media, write_config(WIDE_NETWORK), monkeypatch, movie=False)
    assert caption_problems(scene) == []


def test_a_cue_waits_for_its_reading_time(media, monkeypatch):
    scene = render_scene("NeuronChain", media, None, monkeypatch, movie=False)
    for cue in (c for idea in scene.ideas for c in idea.cues):
        assert cue.end - cue.start >= len(cue.text) / 15 - 1e-6, cue
