"""The single-neuron chain's calculus scenes: CostOfOneExample, CostTree, ChainRule.

Each renders tiny for the default config, a tanh chain and a saturated sigmoid with negative
weights and y = 0; every number shown is checked against nncore, and the layout after every
animation. Any valid chain (ReLU too) keeps every dot on its number line.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from arithmetic import record_problems
from captions import caption_problems, unseen_problems
from conftest import assert_layout_ok, config_file, render_scene
from expected import assert_shows_only_core_numbers, chain_lesson_value, nudge_value
from hypothesis import given, settings
from hypothesis import strategies as st

import nncore
from lessonmodel.config import load_config
from lessonmodel.fmt import typst_number
from lessonmodel.names import (
    C0,
    ERROR,
    activation,
    change,
    derivative,
    nudged,
    ratio,
    target,
    weight,
    weighted_sum,
)
from lessonmodel.values import NUDGE_SIZES, activation_graph, activation_tangent, chain_of, nudge_named, nudged_levels

# The ReLU chain's pictures are covered by the property and graph tests below (renders are slow).
CONFIGS = ["default", "tanh_chain", "extreme_chain"]
L = 3
SMALLEST = NUDGE_SIZES[-1]

W, Z, A = weight(L), weighted_sum(L), activation(L)
MUST_SHOW = {
    "CostOfOneExample": {activation(2), A, target(), ERROR, C0},
    "CostTree": {W, Z, A, C0, derivative(C0, W)}
    | {nudged(q, W, d) for d in NUDGE_SIZES for q in (change(W), change(C0), ratio(C0, W))}
    | {nudged(q, W, NUDGE_SIZES[0]) for q in (W, Z, A, C0, change(Z), change(A))},
    "ChainRule": {activation(2), A, target(), Z, ERROR, derivative(C0, A), derivative(A, Z), derivative(C0, W),
                  nudged(ratio(C0, W), W, SMALLEST), nudged(change(W), W, SMALLEST)},
}
SECTIONS = {
    "CostOfOneExample": ["last_two_neurons", "desired_output", "cost", "notation"],
    "CostTree": ["dependency_tree", "tree_grows", "number_lines", "nudge", "derivative"],
    "ChainRule": ["chain_rule", "cost_factor", "activation_factor", "weight_factor", "product"],
}


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    """One media folder for the module's renders (one after another), so Typst's cache is shared."""
    return tmp_path_factory.mktemp("media")


@pytest.mark.parametrize("name", list(MUST_SHOW))
@pytest.mark.parametrize("config", CONFIGS)
def test_scene_shows_the_core_numbers(name, config, media, monkeypatch):
    path = config_file(config)
    for old in media.rglob(f"{name}.srt"):
        old.unlink()
    scene = render_scene(name, media, path, monkeypatch)
    cfg = load_config(path)
    shown = dict(scene.shown)
    assert set(shown) >= MUST_SHOW[name]
    srt = next(media.rglob(f"{name}.srt")).read_text()
    assert_shows_only_core_numbers(scene, lambda n: chain_lesson_value(n, cfg), srt.splitlines())
    assert_layout_ok(scene)
    sections = [s.name for s in scene.renderer.file_writer.sections]
    assert sections == SECTIONS[name]
    assert srt.count(" --> ") == sum(len(idea.cues) for idea in scene.ideas)  # one subtitle per cue
    assert caption_problems(scene) == []
    assert unseen_problems(scene) == []  # every cue names only what is on screen, whole
    assert record_problems(scene)[0] == []  # its printed arithmetic checks out by hand
    if path is None:  # the classic lesson's numbers
        assert shown[A] == "0.6594"  # the digits (0.6594 - 1.00)² = 0.116 needs
        if name != "CostTree":
            assert shown[target()] == "1.00" and shown[ERROR] == "-0.34"
        if name != "CostOfOneExample":
            assert shown[derivative(C0, W)] == "-0.074"
    else:
        assert shown[A] == typst_number(chain_lesson_value(A, cfg), scene.decimals(A))


def test_cost_tree_ratios_approach_the_derivative_and_ripple_values():
    scene_free = chain_of(load_config().chain)
    named = {}
    for delta in NUDGE_SIZES:
        named |= nudge_named(scene_free, delta)
    cfg = load_config()
    for name, value in named.items():
        assert nudge_value(name, cfg) == pytest.approx(value, rel=1e-9, abs=1e-12), str(name)
    slope = scene_free.named()[derivative(C0, W)]
    errors = [abs(named[nudged(ratio(C0, W), W, d)] - slope) for d in NUDGE_SIZES]
    assert all(a > b for a, b in zip(errors, errors[1:]))  # shrinking the nudge closes in
    assert errors[-1] < 1e-4


activations = st.sampled_from(["sigmoid", "tanh", "relu"])
param = st.floats(-10, 10, allow_nan=False).map(lambda v: round(v, 2))


@settings(max_examples=100, deadline=None)
@given(st.lists(param, min_size=3, max_size=3), st.lists(param, min_size=3, max_size=3), param, activations,
       st.floats(0, 1))
def test_no_dot_leaves_its_number_line(weights, biases, x, activation, y01):
    """For any valid chain, every value a dot takes while w(L) is nudged lies on its line, and the
    four lines share one scale (one step, one span), so their changes compare by length."""
    from lessonmodel.values import Chain
    from scenes.cost_tree import line_spec
    from scenes.kit.number_line import shared_ranges

    act = nncore.get_activation(activation)
    y = act.low + y01 * (min(act.high, 1.0) - act.low)
    chain = Chain(nncore.Network.chain(weights, biases, activation), x, y)
    delta = NUDGE_SIZES[0]
    sweep = [nudged_levels(chain, t) for t in np.linspace(0, delta, 21)]
    specs = [line_spec(chain, name, delta) for name in (W, Z, A, C0)]
    ranges = shared_ranges([v for v, _ in specs], [b for _, b in specs])
    assert len({step for _, _, step in ranges}) == 1
    spans = [high - low for low, high, _ in ranges]
    assert max(spans) - min(spans) <= 1e-9 * max(1, spans[0])
    for name, (low, high, _) in zip((W, Z, A, C0), ranges):
        assert low < high
        for levels in sweep:
            assert low - 1e-9 * max(1, abs(low)) <= levels[name] <= high + 1e-9 * max(1, abs(high)), (name, levels)


def test_activation_graph_and_tangent_come_from_nncore():
    for kind in ("sigmoid", "tanh", "relu"):
        chain = chain_of(load_config().chain)
        chain = type(chain)(nncore.Network.chain([0.5, -1.2, 2.0], [0.1, 0.3, -0.2], kind), 0.7, 0.0)
        zs, acts = activation_graph(chain, -4, 4)
        assert np.allclose(acts, nncore.get_activation(kind)(zs))
        (t0, v0), (t1, v1) = activation_tangent(chain, 3, 0.5)
        assert (t0 + t1) / 2 == pytest.approx(chain.z(3)) and (v0 + v1) / 2 == pytest.approx(chain.a(3))
        slope = (v1 - v0) / (t1 - t0)
        h = 1e-6  # the tangent's slope is the graph's slope at z(L), by central differences
        act = nncore.get_activation(kind)
        numeric = (act(np.array([chain.z(3) + h])) - act(np.array([chain.z(3) - h])))[0] / (2 * h)
        assert slope == pytest.approx(numeric, rel=1e-5, abs=1e-8)


@pytest.mark.parametrize("kind", ["sigmoid", "tanh", "relu"])
def test_cost_graph_secants_and_tangent_come_from_nncore(kind):
    from lessonmodel.values import Chain, cost_curve, cost_secant, cost_tangent

    chain = Chain(nncore.Network.chain([0.5, -1.2, 2.0], [0.1, 0.3, 0.2], kind), 0.7, 0.0)
    w = chain.w(3)
    for delta in NUDGE_SIZES:
        moved = nncore.nudge(chain.net, [chain.x], [chain.y], delta, nncore.WeightAt(3))
        assert cost_curve(chain, [w, w + delta]) == pytest.approx([moved.cost_before, moved.cost_after])
        (w0, c0), (w1, c1) = cost_secant(chain, delta, 1.0)
        slope = (c1 - c0) / (w1 - w0)
        # the secant passes through the point and the nudged point of the cost's graph
        assert c0 + slope * (w - w0) == pytest.approx(chain.cost)
        assert c0 + slope * (w + delta - w0) == pytest.approx(moved.cost_after)
    (w0, c0), (w1, c1) = cost_tangent(chain, 0.5)
    h = 1e-6
    numeric = (cost_curve(chain, [w + h])[0] - cost_curve(chain, [w - h])[0]) / (2 * h)
    assert (c1 - c0) / (w1 - w0) == pytest.approx(numeric, rel=1e-5, abs=1e-9)


OPERATOR_THEN_MINUS = re.compile(r"(\bdot|[-+]|\btimes)\s*-\s*\d")  # "dot -2.000", "- -0.50"


@pytest.mark.parametrize("name, config", [
    ("ChainRule", "saturated_chain"), ("NeuronChain", "saturated_chain"), ("CostOfOneExample", "saturated_chain"),
    ("NeuronChain", "negative_targets"), ("WeightDerivativeWithIndices", "negative_targets"),
])
def test_saturated_and_negative_values_stay_legible(name, config, media, monkeypatch):
    """A saturated chain (weights ±10, biases -10, input 10: factor values like 4.5 × 10^(-5),
    wider than their factors) and negative targets (tanh): no formula overlaps another, and a
    negative number after an operator is parenthesised: ``(0.66 - (-0.50))^2``, never
    ``(0.66 - -0.50)^2``."""
    scene = render_scene(name, media, config_file(config), monkeypatch, movie=False)
    assert_layout_ok(scene)
    assert unseen_problems(scene) == []
    assert record_problems(scene)[0] == []  # its printed arithmetic checks out by hand
    for source in scene.typeset:
        assert not OPERATOR_THEN_MINUS.search(source.replace("−", "-")), source
