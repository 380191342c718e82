"""Captions keep pace: the timing rules of cues.

The caption norms themselves (:func:`captions.caption_problems`) are checked on every scene
where the scene tests render it: the default config and a spread of others (ReLU, tanh, extreme
chains; other networks; descent without steps, with learning rate 0, overshooting).
"""

from __future__ import annotations

import pytest
from captions import caption_problems, cue_figures, unseen_problems
from conftest import render_scene
from lesson_fixtures import ShownThenSaid

from lessonmodel.formula import Line, Num, words
from lessonmodel.narration import caption_lines, cue_problem, needed_time, spoken


def test_a_cue_stays_for_its_reading_time_and_animations_keep_theirs(tmp_path, monkeypatch):
    scene = render_scene("CostOfOneExample", tmp_path, None, monkeypatch, movie=False)
    cues = [c for idea in scene.ideas for c in idea.cues]
    for cue in cues:
        assert cue.end - cue.start >= len(cue.text) / 15 - 1e-6, cue
    assert caption_problems(scene) == []
    figures = cue_figures(cues)
    assert figures["max_cps"] <= 15 and figures["longest"] <= 84
    # the idea "cost" plays Write (1.5 s) and Indicate (1 s): its cues only add waits around them
    cost = next(i for i in scene.ideas if i.name == "cost")
    assert cost.end - cost.start >= 1.5 + 1.0 + 1.5


def test_a_cue_naming_what_its_animation_shows_starts_when_the_animation_ends(tmp_path):
    from manim import tempconfig

    with tempconfig({"media_dir": str(tmp_path), "pixel_width": 192, "pixel_height": 108, "frame_rate": 5,
                     "disable_caching": True, "verbosity": "WARNING", "progress_bar": "none",
                     "save_last_frame": True, "write_to_movie": False}):
        scene = ShownThenSaid()
        scene.render()
    dot, cost, again = scene.ideas[0].cues
    assert (dot.start, cost.start) == pytest.approx((0.0, 4.0))  # shown (2 s after the dot), then said
    assert again.start == pytest.approx(max(4.0, cost.end))  # already on screen: with its animation
    assert [words(e) for e in cost.seen] == ["C0 = 0.116"]
    assert dot.seen == [] and unseen_problems(scene) == []


def test_a_voiced_cue_lasts_its_speech_and_a_pause():
    assert needed_time("Short.", 3.0) == pytest.approx(3.4)
    assert needed_time("x" * 84, 0.5) == pytest.approx(84 / 17)  # never faster than 17 characters/s
    assert needed_time("Hi.", None) == pytest.approx(1.2)  # never shorter than about a second


def test_two_lines_are_balanced():
    assert caption_lines("Each ratio ΔC0/Δw(L) is the slope of a line") == [
        "Each ratio ΔC0/Δw(L)", "is the slope of a line"]


def test_a_number_in_scientific_form_stays_on_one_line():
    for value in (2.8e5, 1.7e-48):
        number = words(Num(None, value, 3))  # 2.8 × 10⁵, joined by no-break spaces
        text = words(Line("Example 0's is the ", Num(None, value, 3), " we found before."))
        lines = caption_lines(text)
        assert len(lines) == 2 and any(number in line for line in lines), lines
        assert " ".join(lines) == text
    assert caption_lines("We  want   2 lines of this, and no other thing, so here") == [
        "We want 2 lines of this,", "and no other thing, so here"]


def test_a_cue_too_long_for_two_lines_is_refused():
    assert cue_problem("a " * 30) is None and len(caption_lines("a " * 30)) == 2
    assert "2 lines of 42" in cue_problem("word " * 20)


def test_notation_is_spoken_as_words():
    assert spoken("∂C/∂w(L) is one part of ∇C.") == "d C by d w L is one part of the gradient of C."
