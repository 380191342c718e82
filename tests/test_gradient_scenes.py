"""Scenes of the average over examples, the gradient, and the other factors back through the chain:
every number they show is one nncore computed for the config, and the layout holds."""

from __future__ import annotations

import re
from functools import partial

import numpy as np
import pytest
from arithmetic import record_problems
from captions import caption_problems, unseen_problems
from conftest import assert_layout_ok, config_file, render_scene
from expected import assert_shows_only_core_numbers, examples_value, factor_value

from lessonmodel.config import load_config
from lessonmodel.fmt import typst_number
from lessonmodel.formula import symbols, words
from lessonmodel.names import (
    AVERAGE_COST,
    C0,
    activation,
    bias,
    change,
    cost,
    derivative,
    net_input,
    nudged,
    ratio,
    target,
    weight,
    weighted_sum,
)
from lessonmodel.values import FACTOR_NUDGE

# test id -> the config in tests/configs
CONFIGS = {"default": "default", "relu": "relu_chain", "tanh": "tanh_examples", "extreme": "extreme_examples",
           "one example": "one_example", "huge": "huge_relu"}

SECTIONS = {
    "AverageOverExamples": ["training_examples", "one_derivative_each", "the_average"],
    "GradientVector": ["one_component", "the_gradient", "what_it_says"],
    "BiasAndPreviousActivation": ["what_z_depends_on", "weight_recap", "bias", "previous_activation"],
    "BackwardsThroughChain": ["the_chain", "previous_activation", "weight_one_back", "bias_one_back",
                              "all_the_way_back"],
}


def render(name, config, tmp_path, monkeypatch):
    """Render scene ``name`` for config ``config`` (a key of CONFIGS); (scene, cfg, subtitle lines)."""
    path = config_file(CONFIGS[config])
    scene = render_scene(name, tmp_path / "media", path, monkeypatch)
    srt = next((tmp_path / "media").rglob(f"{name}.srt")).read_text().splitlines()
    sections = [s.name for s in scene._get_manager().file_writer.sections]
    assert sections[-len(SECTIONS[name]):] == SECTIONS[name]
    assert_layout_ok(scene)
    assert_legible(scene)
    assert caption_problems(scene) == []
    assert unseen_problems(scene) == []  # every cue names only what is on screen, whole
    assert record_problems(scene)[0] == []  # its printed arithmetic checks out by hand
    return scene, load_config(path), srt


def assert_legible(scene, smallest: float = 24) -> None:
    """No formula that was on screen had to shrink below ``smallest`` (font size at 854x480) to fit."""
    shown = {source for layout in scene.layouts for source, _ in layout}
    sizes = {f.source: f.font_size for f in scene.formulas if f.source in shown}
    small = {source: round(size) for source, size in sizes.items() if size < smallest}
    assert not small, small


def assert_tiny_values_read_as_numbers(scene, expected) -> None:
    """A nonzero value is never written as a zero (a saturated slope is 1.7 × 10^-48, not 0.000)."""
    for name, text in scene.shown:
        if re.fullmatch(r"-?0\.0+", text):
            assert expected(name) == 0, (name, text)


@pytest.mark.parametrize("config", ["default", "tanh", "extreme", "one example", "huge"])
def test_average_over_examples(config, tmp_path, monkeypatch):
    scene, cfg, srt = render("AverageOverExamples", config, tmp_path, monkeypatch)
    expected = partial(examples_value, cfg=cfg)
    assert_shows_only_core_numbers(scene, expected, srt)
    assert_tiny_values_read_as_numbers(scene, expected)
    # example 0 is [chain]'s own, then the [examples]: 1 + count examples
    n = {"default": 5, "tanh": 4, "extreme": 9, "one example": 2, "huge": 2}[config]
    assert scene.n == n
    shown = dict(scene.shown)
    every = ({net_input(k) for k in range(n)} | {target(example=k) for k in range(n)}
             | {cost(k) for k in range(n)} | {derivative(cost(k), weight(3)) for k in range(n)})
    assert every | {derivative(AVERAGE_COST, weight(3))} <= set(shown)
    assert derivative(cost(n), weight(3)) not in shown  # exactly the configured examples
    # example 0 is the worked example of the chain scenes, with the same numbers
    assert expected(net_input(0)) == cfg.chain.input and expected(target(example=0)) == cfg.chain.target
    assert expected(derivative(cost(0), weight(3))) == pytest.approx(factor_value(derivative(C0, weight(3)), cfg))
    # the table's rows are numbered from 0, and the formula sums k = 0 .. n-1
    assert [words(row.expr).split(" = ")[0] for row in scene.xs] == [f"x_{k}" for k in range(n)]
    assert [symbols(row.expr)[0].name for row in scene.xs] == [net_input(k) for k in range(n)]
    assert f"sum_(k=0)^{n - 1}" in scene.average_source
    # one bar per example, pointing the way of its value, and the mean's bar
    for bar, k in zip(scene.bars, range(n)):
        value = expected(derivative(cost(k), weight(3)))
        side = bar.get_center()[0] - scene.zero_x
        assert side * value >= 0 and (value == 0 or abs(side) > 0)
    if config == "default":
        assert shown[derivative(cost(0), weight(3))] == "-0.074"  # the classic lesson's ∂C0/∂w(L)
        assert shown[derivative(cost(4), weight(3))] == "-0.071"
        assert shown[derivative(AVERAGE_COST, weight(3))] == "0.063"
    # the chain scenes' picture, in the same place, is on screen from the first frame
    assert scene.d.get_center() == pytest.approx(scene.chain_stage().get_center())


@pytest.mark.parametrize("config", ["default", "relu", "extreme"])
def test_gradient_vector(config, tmp_path, monkeypatch):
    scene, cfg, srt = render("GradientVector", config, tmp_path, monkeypatch)
    expected = partial(examples_value, cfg=cfg)
    assert_shows_only_core_numbers(scene, expected, srt)
    assert_tiny_values_read_as_numbers(scene, expected)
    components = [derivative(AVERAGE_COST, p(l)) for l in (1, 2, 3) for p in (weight, bias)]
    assert {name for name, _ in scene.shown} >= set(components)
    # the values column lists the six components in order, and the box marks ∂C/∂w(L)
    assert [e.source for e in scene.values.entries] == [typst_number(expected(c), 3) for c in components]
    box = scene.boxes[1]
    marked = [i for i, e in enumerate(scene.values.entries) if abs(e.get_center()[1] - box.get_center()[1]) < 0.05]
    assert marked == [4]
    if config == "default":
        assert dict(scene.shown)[derivative(AVERAGE_COST, bias(3))] == "0.116"
    # each component's value is also written at its bar's tip, so a short bar still reads
    assert len(scene.bars) == 6


@pytest.mark.parametrize("config", ["default", "relu", "extreme"])
def test_bias_and_previous_activation(config, tmp_path, monkeypatch):
    scene, cfg, srt = render("BiasAndPreviousActivation", config, tmp_path, monkeypatch)
    expected = partial(factor_value, cfg=cfg)
    assert_shows_only_core_numbers(scene, expected, srt)
    assert_tiny_values_read_as_numbers(scene, expected)
    shown = dict(scene.shown)
    z, a = weighted_sum, activation
    factors = {derivative(z(3), weight(3)), derivative(z(3), a(2)), derivative(a(3), z(3)), derivative(C0, a(3)),
               derivative(C0, weight(3)), derivative(C0, bias(3)), derivative(C0, a(2))}
    assert factors <= set(shown)
    # each first factor read off a nudge on the chain: z(L) moves as much as b(L), w(L) times as much as a(L-1)
    for nudged_one in (bias(3), a(2)):
        moved = [nudged(q, nudged_one, FACTOR_NUDGE) for q in (change(nudged_one), change(z(3)), z(3), nudged_one,
                                                               ratio(z(3), nudged_one))]
        assert set(moved) <= set(shown), nudged_one
    assert shown[nudged(ratio(z(3), bias(3)), bias(3), FACTOR_NUDGE)] == "1.000"
    assert shown[nudged(ratio(z(3), a(2)), a(2), FACTOR_NUDGE)] == shown[derivative(z(3), a(2))]
    assert_labels_off_the_chain(scene, [scene.a_value, scene.z_value])
    if config == "default":  # the classic lesson's numbers
        products = (derivative(C0, weight(3)), derivative(C0, bias(3)), derivative(C0, a(2)))
        assert tuple(shown[p] for p in products) == ("-0.074", "-0.153", "-0.139")
        assert shown[nudged(change(z(3)), a(2), FACTOR_NUDGE)] == "0.0910"  # a change caused by a 0.1 nudge: 4 decimals


def assert_labels_off_the_chain(scene, labels) -> None:
    """Value labels sit beside the chain: none overlaps a neuron or an edge of it."""
    def box(m):
        return np.array([m.get_corner(np.array([-1, -1, 0]))[:2], m.get_corner(np.array([1, 1, 0]))[:2]])

    for label in labels:
        for part in [*scene.diagram.neurons, *scene.diagram.edges]:
            (l1, b1), (r1, t1) = box(label)
            (l2, b2), (r2, t2) = box(part)
            assert min(r1, r2) <= max(l1, l2) or min(t1, t2) <= max(b1, b2), (label, part)


@pytest.mark.parametrize("config", ["default", "tanh", "extreme"])
def test_backwards_through_chain(config, tmp_path, monkeypatch):
    scene, cfg, srt = render("BackwardsThroughChain", config, tmp_path, monkeypatch)
    expected = partial(factor_value, cfg=cfg)
    assert_shows_only_core_numbers(scene, expected, srt)
    assert_tiny_values_read_as_numbers(scene, expected)
    shown = {name for name, _ in scene.shown}
    z, a = weighted_sum, activation
    path_w2 = {derivative(z(2), weight(2)), derivative(a(2), z(2)), derivative(z(3), a(2)), derivative(a(3), z(3)),
               derivative(C0, a(3))}
    path_w1 = ({derivative(z(1), weight(1)), derivative(a(1), z(1)), derivative(z(2), a(1))}
               | path_w2 - {derivative(z(2), weight(2))})
    products = {derivative(C0, weight(2)), derivative(C0, bias(2)), derivative(C0, weight(1)), derivative(C0, a(2))}
    assert path_w2 | path_w1 | products <= shown
    # the last product has seven factors, each with its value: seven groups in the values line
    last = scene.block[2]
    assert [len(last.select(f"f{i}")) > 0 for i in range(7)] == [True] * 7
    # the sweep: ∂C0/∂a(l) arrived right to left, each beside its neuron, none on the chain
    assert list(scene.sensitivities) == [3, 2, 1]
    xs = [scene.sensitivities[l].get_x() for l in (3, 2, 1)]
    assert xs == sorted(xs, reverse=True)
    assert {derivative(C0, a(l)) for l in (3, 2, 1)} <= shown
    assert_labels_off_the_chain(scene, scene.sensitivities.values())
    if config == "extreme":  # σ'(z(1)) at z(1) = 110 is about e^-110, shown as such
        slope = derivative(activation(1), weighted_sum(1))
        assert np.isclose(expected(slope), np.exp(-110.0), rtol=1e-9)
        assert dict(scene.shown)[slope] == "1.69 times 10^(-48)"  # three digits: its printed product needs them
