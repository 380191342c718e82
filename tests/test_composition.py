"""The composition rules (backprop.composition) hold for every scene, for the shipped config and
for generated valid configs; and the checker catches a planted break of each rule.

Scenes render tiny, without a video: every animation runs to its end state, and the watch reads
the picture (a 192x108 frame) and the mobjects' geometry after each one.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import Phase, given, settings
from test_reliability import valid_configs
from toml_writer import dumps

import scenes
from backprop.composition import (
    RULES,
    check_scene,
    clip_motion,
    frame_problems,
    ratio_problem,
    render_watched,
    span_of,
)
from lessonmodel.config import load_config
from lessonmodel.names import C0, change, nudged, ratio, weight
from scenes.kit.composition import circle_outline_meets_box, segment_meets_box

SIZE = (192, 108)


def generated_configs(count: int) -> list[dict]:
    """The first ``count`` configs the tests' generator of valid configs draws, the same on every
    run (derandomized); the first, all zeros, is left out (test_reliability renders it)."""
    drawn: list[dict] = []

    @settings(max_examples=count + 1, derandomize=True, database=None, phases=[Phase.generate])
    @given(doc=valid_configs())
    def collect(doc):
        drawn.append(doc)

    collect()
    return drawn[1 : count + 1]


GENERATED = generated_configs(4)


def assert_composed(scene) -> None:
    findings = check_scene(scene)
    assert not findings, "\n".join(map(str, findings))


@pytest.mark.parametrize("name", list(scenes.LESSON))
def test_default_lesson_keeps_the_composition_rules(name):
    assert_composed(render_watched(name, None, size=SIZE))


# One generated config per scene (the four configs go round the scenes): each render costs seconds.
@pytest.mark.parametrize("name, doc", [(name, GENERATED[n % len(GENERATED)]) for n, name in enumerate(scenes.LESSON)],
                         ids=list(scenes.LESSON))
def test_generated_configs_keep_the_composition_rules(name, doc, tmp_path):
    path = tmp_path / "lesson.toml"
    path.write_text(dumps(doc))
    assert_composed(render_watched(name, load_config(path), size=SIZE))


# --- the checker itself ----------------------------------------------------------------------


def test_a_label_beside_a_diagonal_edge_is_not_on_it():
    box = ((0.8, 1.5), (1.2, 2.0))  # its bounding box overlaps the edge's, the segment passes by
    assert not segment_meets_box((0, 0), (2, 2), box, pad=0.02)
    assert segment_meets_box((0, 0), (2, 2), ((0.8, 0.8), (1.2, 1.0)), pad=0.0)
    assert segment_meets_box((0, 1.25), (2, 1.25), ((0.5, 1.3), (0.7, 1.6)), pad=0.06)  # its stroke reaches it
    assert not segment_meets_box((0, 1.25), (2, 1.25), ((0.5, 1.3), (0.7, 1.6)), pad=0.02)


def test_a_label_inside_a_neuron_is_clear_of_its_outline():
    assert not circle_outline_meets_box((0, 0), 0.5, ((-0.2, -0.1), (0.2, 0.1)), 0.01)  # written in it
    assert circle_outline_meets_box((0, 0), 0.5, ((0.3, -0.1), (0.9, 0.1)), 0.01)  # across its outline
    assert circle_outline_meets_box((0, 0), 0.5, ((-1, -1), (1, 1)), 0.01)  # covering it
    assert not circle_outline_meets_box((0, 0), 0.5, ((0.6, 0.6), (0.9, 0.9)), 0.01)  # beside it


def test_a_ratio_row_must_check_from_its_own_numbers():
    assert ratio_problem("-0.001", "0.010", "-0.074") is not None  # the row: -0.1, not -0.074
    assert ratio_problem("-0.0074", "0.100", "-0.074") is None
    assert ratio_problem("-7.4e-05", "0.001", "-0.074") is None
    assert ratio_problem("-7.4 times 10^(-5)", "0.001", "-0.074") is None
    assert ratio_problem("0.002", "0.000", "0.5") is not None


def test_frame_margins_and_spans_are_measured_in_scene_units():
    frame = np.zeros((108, 192), np.uint8)
    frame[20:90, 30:160] = 255
    assert frame_problems(frame) == [] and span_of(frame) == pytest.approx((130 / 192, 70 / 108))
    frame[2, 100] = 255  # 2 px = 0.15 units from the top
    assert frame_problems(frame) == ["lit 0.15 units from the top"]


class Planted:
    """A scene breaking each rule once, idea by idea (made in the test, as scenes are: a
    LessonScene subclass)."""

    @staticmethod
    def scene_class():
        from manim import DOWN, LEFT, RIGHT, UP, FadeIn, FadeOut, VGroup

        from scenes.kit.chain_diagram import ChainDiagram
        from scenes.kit.lesson_scene import LessonScene
        from scenes.kit.number_line import ValueLine

        small = 0.01

        class PlantedBreaks(LessonScene):
            def setup(self):
                w = weight(3)
                self.named = {nudged(change(C0), w, small): -0.00074, nudged(change(w), w, small): small,
                              nudged(ratio(C0, w), w, small): -0.0741, C0: 0.116}

            def construct(self):
                chain = ChainDiagram([1.0, -2.0, 0.5])
                with self.step("label_on_edge"):
                    label = self.math(f"C_0 = {self.number(C0)}").move_to(chain.edges[1])
                    self.play(FadeIn(chain), FadeIn(label), cue="A value written on an edge.")
                with self.step("two_scales"):
                    lines = VGroup(ValueLine([0, 1], length=5), ValueLine([0, 0.1], length=5)).arrange(DOWN)
                    self.play(FadeOut(label), chain.animate.shift(2 * UP), FadeIn(lines), cue="Two zooms.")
                with self.step("ratio_row"):
                    w = weight(3)
                    row = self.math(" quad ".join(self.number(nudged(q, w, small))
                                                  for q in (change(C0), change(w), ratio(C0, w)))).shift(2.5 * DOWN)
                    self.play(FadeIn(row), cue="A row that does not divide.")
                with self.step("edge_of_frame"):
                    self.play(VGroup(chain, lines, row).animate.shift(3.6 * LEFT), cue="Pushed to the left edge.")
                with self.step("small_then_black"):
                    self.play(FadeOut(VGroup(chain, lines, row)), cue="Everything goes,")
                    dot = self.math("x").shift(RIGHT)
                    self.play(FadeIn(dot), cue="a small thing comes")
                    self.play(FadeOut(dot), cue="and goes too.")

        return PlantedBreaks


def test_the_checker_catches_a_planted_break_of_each_rule(tmp_path):
    from manim import tempconfig

    from scenes.kit.composition import CompositionWatch

    settings_ = {"media_dir": str(tmp_path), "pixel_width": SIZE[0], "pixel_height": SIZE[1], "frame_rate": 5,
                 "disable_caching": True, "verbosity": "WARNING", "progress_bar": "none", "save_last_frame": True,
                 "write_to_movie": False}
    with tempconfig(settings_):
        scene = Planted.scene_class()(watch=CompositionWatch())
        scene.render()
    found = {(f.idea, f.rule) for f in check_scene(scene)}
    planted = {("label_on_edge", "label"), ("two_scales", "scale"), ("ratio_row", "ratio"),
               ("edge_of_frame", "margin"), ("small_then_black", "span"), ("small_then_black", "ending")}
    assert planted <= found, found
    assert {rule for _, rule in planted} == set(RULES)
    assert ("label_on_edge", "margin") not in found and ("two_scales", "label") not in found
    motion = {m.idea: m for m in clip_motion(scene)}
    assert motion["two_scales"].motion > 0 and motion["ratio_row"].motion == 0  # a row faded in is text only
