"""The composition rules (backprop.composition) hold for every scene, for the shipped config and
for generated valid configs; and the checker catches a planted break of each rule. On the same
renders, the lesson page's checkpoints wait for their answers (tests/checkpoint_checks.py) and the
printed arithmetic checks out by hand (tests/arithmetic.py), on the record each scene sends.

Scenes render tiny, without a video: every animation runs to its end state, and the watch reads
the picture (a 192x108 frame) and the mobjects' geometry after each one.
"""

from __future__ import annotations

import numpy as np
import pytest
from arithmetic import record_problems
from checkpoint_checks import checkpoint_problems
from conftest import TYPESET_CACHE
from hypothesis import Phase, given, settings
from PIL import Image
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
from lessonmodel.config import CROSS_ENTROPY_TOML, load_config
from lessonmodel.formula import Eq, Lit, Row
from lessonmodel.names import C0, change, nudged, ratio, weight
from scenes.kit.box import Box, circle_outline_meets_box, segment_meets_box

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
    scene = render_watched(name, None, size=SIZE, typeset_cache=TYPESET_CACHE)
    assert_composed(scene)
    assert checkpoint_problems(scene, load_config()) == []  # the page's questions wait for their answers
    assert record_problems(scene)[0] == []  # its printed arithmetic checks out by hand


# One generated config per scene (the four configs go round the scenes): each render costs seconds.
@pytest.mark.parametrize("name, doc", [(name, GENERATED[n % len(GENERATED)]) for n, name in enumerate(scenes.LESSON)],
                         ids=list(scenes.LESSON))
def test_generated_configs_keep_the_composition_rules(name, doc, tmp_path):
    path = tmp_path / "lesson.toml"
    path.write_text(dumps(doc))
    scene = render_watched(name, load_config(path), size=SIZE, typeset_cache=TYPESET_CACHE)
    assert_composed(scene)
    assert checkpoint_problems(scene, load_config(path)) == []
    assert record_problems(scene)[0] == []


# The scenes whose formulas follow the cost (the cross-entropy's are longer and taller, a softmax
# output's factors fewer), composed under the shipped cross-entropy config.
COST_SCENES = ["NeuronChain", "CostOfOneExample", "ChainRule", "WeightDerivativeWithIndices", "SumOverPaths",
               "GeneralRecursion"]


@pytest.mark.parametrize("name", COST_SCENES)
def test_the_cross_entropy_lesson_keeps_the_composition_rules(name):
    cfg = load_config(CROSS_ENTROPY_TOML)
    scene = render_watched(name, cfg, size=SIZE, typeset_cache=TYPESET_CACHE)
    assert_composed(scene)
    assert checkpoint_problems(scene, cfg) == []


# --- the checker itself ----------------------------------------------------------------------


def test_a_label_beside_a_diagonal_edge_is_not_on_it():
    box = Box(0.8, 1.5, 1.2, 2.0)  # its bounding box overlaps the edge's, the segment passes by
    assert not segment_meets_box((0, 0), (2, 2), box, pad=0.02)
    assert segment_meets_box((0, 0), (2, 2), Box(0.8, 0.8, 1.2, 1.0), pad=0.0)
    assert segment_meets_box((0, 1.25), (2, 1.25), Box(0.5, 1.3, 0.7, 1.6), pad=0.06)  # its stroke reaches it
    assert not segment_meets_box((0, 1.25), (2, 1.25), Box(0.5, 1.3, 0.7, 1.6), pad=0.02)


def test_a_label_inside_a_neuron_is_clear_of_its_outline():
    assert not circle_outline_meets_box((0, 0), 0.5, Box(-0.2, -0.1, 0.2, 0.1), 0.01)  # written in it
    assert circle_outline_meets_box((0, 0), 0.5, Box(0.3, -0.1, 0.9, 0.1), 0.01)  # across its outline
    assert circle_outline_meets_box((0, 0), 0.5, Box(-1, -1, 1, 1), 0.01)  # covering it
    assert not circle_outline_meets_box((0, 0), 0.5, Box(0.6, 0.6, 0.9, 0.9), 0.01)  # beside it


def test_a_ratio_row_must_check_from_its_own_numbers():
    assert ratio_problem("-0.001", "0.010", "-0.074") is not None  # the row: -0.1, not -0.074
    assert ratio_problem("-0.0074", "0.100", "-0.074") is None
    assert ratio_problem("-7.4e-05", "0.001", "-0.074") is None
    assert ratio_problem("-7.4 times 10^(-5)", "0.001", "-0.074") is None
    assert ratio_problem("-7.4\u00a0×\u00a010⁻⁵", "0.001", "-0.074") is None  # a typed formula's value, in words
    assert ratio_problem("-7.4 × 10⁻⁵", "0.010", "-0.074") is not None
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
                # a change that does not go with its ratio: the printed row cannot divide (the
                # lesson's changes are printed with the decimals of their nudge, so its rows do)
                self.named = {nudged(change(C0), w, small): -0.001, nudged(change(w), w, small): small,
                              nudged(ratio(C0, w), w, small): -0.0741, C0: 0.116}

            def construct(self):
                chain = ChainDiagram([1.0, -2.0, 0.5])
                with self.step("label_on_edge"):
                    label = self.math(Eq(self.sym(C0), self.value(C0))).move_to(chain.edges[1])
                    self.play(FadeIn(chain), FadeIn(label), cue="A value written on an edge.")
                with self.step("two_scales"):
                    lines = VGroup(ValueLine([0, 1], length=5), ValueLine([0, 0.1], length=5)).arrange(DOWN)
                    self.play(FadeOut(label), chain.animate.shift(2 * UP), FadeIn(lines), cue="Two zooms.")
                with self.step("ratio_row"):
                    w = weight(3)
                    row = self.math(Row(*(self.value(nudged(q, w, small))
                                          for q in (change(C0), change(w), ratio(C0, w))), sep=" quad "))
                    row.shift(2.5 * DOWN)
                    self.play(FadeIn(row), cue="A row that does not divide.")
                with self.step("edge_then_black"):
                    self.play(VGroup(chain, lines, row).animate.shift(3.6 * LEFT), cue="Pushed to the left edge.")
                self.play(FadeOut(VGroup(chain, lines, row)))  # between steps: still in the clip, which ends black
                with self.step("small"):
                    self.play(FadeIn(self.math(Lit("x")).shift(RIGHT)), cue="A small thing alone.")

        return PlantedBreaks


def test_the_checker_catches_a_planted_break_of_each_rule(tmp_path):
    from manim import tempconfig

    from backprop.composition_watch import CompositionWatch

    settings_ = {"media_dir": str(tmp_path), "pixel_width": SIZE[0], "pixel_height": SIZE[1], "frame_rate": 5,
                 "disable_caching": True, "verbosity": "WARNING", "progress_bar": "none", "save_last_frame": True,
                 "write_to_movie": False}
    with tempconfig(settings_):
        scene = Planted.scene_class()(watch=CompositionWatch())
        scene.render()
    found = {(f.idea, f.rule) for f in check_scene(scene)}
    planted = {("label_on_edge", "label"), ("two_scales", "scale"), ("ratio_row", "ratio"),
               ("edge_then_black", "margin"), ("edge_then_black", "ending"), ("small", "span"), ("small", "ending")}
    assert planted <= found, found
    assert {rule for _, rule in planted} == set(RULES)
    assert not {("label_on_edge", "margin"), ("two_scales", "label"), ("two_scales", "ratio")} & found
    # the watch's picture is the frame Manim renders (here the last, which Manim saves)
    last = np.asarray(Image.open(next(tmp_path.rglob("*.png"))).convert("L")).astype(int)
    assert np.abs(last - scene.watch.moments[-1].frame).max() <= 1
    motion = {m.idea: m for m in clip_motion(scene)}
    assert motion["two_scales"].motion > 0 and motion["ratio_row"].motion == 0  # a row faded in is text only


def test_the_moves_that_teach_count_as_motion_and_text_does_not(tmp_path):
    from manim import (
        DOWN,
        LEFT,
        RIGHT,
        UP,
        Dot,
        FadeIn,
        Indicate,
        LaggedStart,
        MoveAlongPath,
        ShowPassingFlash,
        TransformFromCopy,
        ValueTracker,
        Write,
        always_redraw,
        tempconfig,
    )

    from backprop.composition_watch import CompositionWatch
    from scenes.kit.chain_diagram import ChainDiagram
    from scenes.kit.lesson_scene import LessonScene

    class Moves(LessonScene):
        def setup(self):
            self.named = {C0: 0.116}

        def construct(self):
            chain = ChainDiagram([1.0, -2.0, 0.5]).shift(UP)
            self.add(chain)
            with self.step("moves"):
                self.play(ShowPassingFlash(chain.edges[0].copy().set_stroke(width=8), time_width=0.5),
                          cue="A signal runs along an edge,")
                dot = Dot(chain.edges[1].get_start())
                self.play(MoveAlongPath(dot, chain.edges[1]), cue="a dot travels the next one,")
                nudge = ValueTracker(0.0)
                self.add(always_redraw(lambda: Dot(chain.neurons[3].get_center() + nudge.get_value() * DOWN)))
                self.play(nudge.animate.set_value(1.0), cue="a nudge moves a dot,")
                value = self.math(Eq(self.sym(C0), self.value(C0))).next_to(chain, DOWN, 0.5).shift(3 * LEFT)
                self.play(TransformFromCopy(chain.neurons[3], value.copy().shift(5 * RIGHT)), cue="a value flies.")
            with self.step("text"):
                self.play(Write(value), cue="Text is written,")
                self.play(FadeIn(self.math(Lit("y")).shift(2 * DOWN), shift=0.2 * UP), cue="faded in,")
                self.play(LaggedStart(Indicate(value)), cue="and pointed at.")

    settings_ = {"media_dir": str(tmp_path), "pixel_width": SIZE[0], "pixel_height": SIZE[1], "frame_rate": 5,
                 "disable_caching": True, "verbosity": "WARNING", "progress_bar": "none", "save_last_frame": True,
                 "write_to_movie": False}
    with tempconfig(settings_):
        scene = Moves(watch=CompositionWatch(frames=False))
        scene.render()
    plays = [m for m in scene.watch.moments if m.kind == "animation"]
    assert [m.motion for m in plays] == [True, True, True, True, False, False, False]
    moves, text = clip_motion(scene)
    assert moves.motion_share > 0.25 and moves.diagram and not moves.mostly_static_text
    assert text.motion == 0 and text.mostly_static_text
