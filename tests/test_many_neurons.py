"""Issue 4's scenes: many neurons per layer, the sum over paths, the general recursion, gradient
descent. Each renders tiny for several configs; every number shown is one nncore computed."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from captions import caption_problems
from conftest import assert_layout_ok, config_file, render_scene
from expected import assert_shows_only_core_numbers, descent_value, many_value

import nncore
from lessonmodel.config import load_config
from lessonmodel.fmt import typst_number
from lessonmodel.names import (
    AVERAGE_COST,
    C0,
    LEARNING_RATE,
    activation,
    after_steps,
    bias,
    change,
    cost,
    derivative,
    measured,
    path_term,
    target,
    weight,
    weighted_sum,
)
from lessonmodel.values import descent_of

CONFIGS = ["default", "tanh_243", "largest_relu"]  # in tests/configs

SECTIONS = {
    "MultiNeuronNotation": ["network", "indices", "cost", "weight", "weighted_sum"],
    "WeightDerivativeWithIndices": ["the_path", "chain_rule", "factors", "product"],
    "SumOverPaths": ["every_path", "paths", "sum", "nudge"],
    "GeneralRecursion": ["base_case", "recursion", "backwards", "matrix_form", "code_is_formula"],
    "GradientDescent": ["rule", "descent", "result"],
}


def must_show(scene_name: str, cfg) -> set:
    """The names a scene must show for this config."""
    many_sizes, (j, k) = cfg.network.sizes, cfg.network.focus
    L = len(many_sizes) - 1
    outputs = range(many_sizes[-1])
    a, z = activation, weighted_sum
    if scene_name == "MultiNeuronNotation":
        return ({a(L, i) for i in outputs} | {target(i) for i in outputs}
                | {a(L - 1, i) for i in range(many_sizes[-2])}
                | {C0, weight(L, j, k), z(L, j), bias(L, j)})
    if scene_name == "WeightDerivativeWithIndices":
        return {a(L - 1, k), derivative(a(L, j), z(L, j)), derivative(C0, a(L, j)), derivative(C0, weight(L, j, k))}
    if scene_name == "SumOverPaths":
        total = derivative(C0, a(L - 1, k))
        return {path_term(total, i) for i in outputs} | {total, measured(total), change(a(L - 1, k))}
    if scene_name == "GeneralRecursion":
        return ({derivative(C0, a(l, i)) for l in range(1, L + 1) for i in range(many_sizes[l])}
                | {derivative(C0, bias(L, j))})
    steps, descended = cfg.descent.steps, descent_of(cfg).cost_symbol  # C, or C0 for one example
    return ({LEARNING_RATE, after_steps(descended, 0), after_steps(descended, steps)}
            | {after_steps(a(L, i), steps) for i in outputs})


def render_and_check(scene_name, path, tmp_path, monkeypatch):
    scene = render_scene(scene_name, tmp_path / "media", path, monkeypatch)
    cfg = load_config(path)
    expected = descent_value if scene_name == "GradientDescent" else many_value
    srt = next((tmp_path / "media").rglob(f"{scene_name}.srt")).read_text()
    assert_shows_only_core_numbers(scene, lambda n: expected(n, cfg), srt.splitlines())
    assert_layout_ok(scene)
    assert {name for name, _ in scene.shown} >= must_show(scene_name, cfg)
    assert scene.section_names == SECTIONS[scene_name]
    assert srt.count("-->") == sum(len(idea.cues) for idea in scene.ideas)  # one subtitle per cue
    assert caption_problems(scene) == []
    return scene, cfg, srt


@pytest.mark.parametrize("config", CONFIGS)
@pytest.mark.parametrize("scene_name", list(SECTIONS))
def test_many_neuron_scenes_show_the_core_numbers(scene_name, config, tmp_path, monkeypatch):
    scene, cfg, _ = render_and_check(scene_name, config_file(config), tmp_path, monkeypatch)
    shown = dict(scene.shown)
    if config == "default" and scene_name == "MultiNeuronNotation":  # the classic [3, 3, 2], targets (0, 1)
        assert shown[target(0)] == "0.00" and shown[target(1)] == "1.00" and shown[C0] == "1.084"
    if scene_name == "GeneralRecursion":  # the code on screen is nncore's, as it is now
        from scenes.recursion import backward_source

        assert scene.code_source == backward_source()[0] and "da[l - 1] = dz[l] @ self.weights" in scene.code_source
    if config != "default" and C0 in shown:  # the numbers follow the config
        assert shown[C0] == typst_number(many_value(C0, cfg), 3) != "1.084"


@pytest.mark.parametrize("scene_name", ["MultiNeuronNotation", "SumOverPaths"])
def test_saturated_network_with_two_layers(scene_name, tmp_path, monkeypatch):
    """L-1 is the input layer; saturated sigmoids give tiny numbers, still written sensibly."""
    scene, cfg, _ = render_and_check(scene_name, config_file("saturated_two_layers"), tmp_path, monkeypatch)
    assert any("times 10^(" in text for _, text in scene.shown)


@pytest.mark.parametrize(
    "descent, phrase",
    [("learning_rate = 0.0\nsteps = 4", "learning rate 0"), ("learning_rate = 1.0\nsteps = 0", "0 steps")],
    ids=["no_learning_rate", "no_steps"],
)
def test_gradient_descent_says_what_happened_without_steps(descent, phrase, tmp_path, write_config, monkeypatch):
    path = write_config(f"[descent]\n{descent}\n")
    _, cfg, srt = render_and_check("GradientDescent", path, tmp_path, monkeypatch)
    assert phrase in srt and "fell" not in srt
    cost = typst_number(descent_value(after_steps(AVERAGE_COST, 0), cfg), 3)
    assert f"{cost}." in srt  # the cost did not move


@pytest.mark.parametrize("examples", [3, 0], ids=["average of four", "one example"])
def test_gradient_descent_says_which_cost_it_descends(examples, tmp_path, write_config, monkeypatch):
    """With the network's examples, descent goes down their average cost C (and shows each one's
    C_k); with none listed, down the one example's cost C0, and the narration says so."""
    path = write_config(f"[network]\nexamples = {examples}\n[descent]\nsteps = 5\n")
    scene, cfg, srt = render_and_check("GradientDescent", path, tmp_path, monkeypatch)
    shown = {name for name, _ in scene.shown}
    if examples:
        assert "average cost" in srt and "4 training examples" in srt
        assert {after_steps(cost(k), 5) for k in range(4)} <= shown and after_steps(C0, 5) in shown
        assert after_steps(AVERAGE_COST, 5) in shown
    else:
        assert "one training example" in srt and "that example's cost C0" in srt
        assert after_steps(AVERAGE_COST, 0) not in shown and after_steps(C0, 5) in shown
    # the network stands where the other many-neuron scenes put it
    assert scene.d.get_center() == pytest.approx(scene.network_stage().get_center())


def test_gradient_descent_narrates_the_real_trend():
    cfg = load_config()
    descent = descent_of(cfg)
    assert descent.trend == "fell" and descent.history.costs[-1] < descent.history.costs[0]
    assert descent.keyframes(6) == [0, 6, 12, 18, 24, 30]


def test_recursion_shows_the_code_that_ran(tmp_path, monkeypatch):
    from scenes.recursion import backward_source

    code, first, path = backward_source()
    source = Path(nncore.network.__file__).read_text().splitlines()
    shown = code.splitlines()
    indent = len(source[first - 1]) - len(source[first - 1].lstrip())
    assert [line[indent:] for line in source[first - 1 : first - 1 + len(shown)]] == shown
    assert path == "nncore/network.py" and "da[-1] = 2.0 * (fwd.a[-1] - Y)" in shown[0]
    assert re.search(r"da\[l - 1\] = dz\[l\] @ self\.weights\[l - 1\]", shown[-1])


def test_nudge_of_an_activation_matches_the_backward_pass():
    net = nncore.Network.random([3, 4, 2], seed=3, activation="tanh")
    x, y = np.array([0.2, -0.4, 0.9]), np.array([0.5, -0.5])
    for layer in (0, 1, 2):
        for k in range(net.sizes[layer]):
            n = nncore.nudge(net, x, y, 1e-6, nncore.ActivationAt(layer, k))
            assert n.ratio == pytest.approx(n.derivative, rel=1e-4, abs=1e-7)
            assert n.derivative == pytest.approx(net.backward(x, y).activations[layer][k])
    # the sum over paths: ∂C0/∂a_k(L-1) is the sum of the path terms
    for k in range(4):
        assert nncore.path_terms(net, x, y, 2, k).sum() == pytest.approx(net.backward(x, y).activations[1][k])
    # an input nudge in a network with one layer of weights changes every output
    n = nncore.nudge(net, x, y, 0.5, nncore.ActivationAt(0, 1))
    assert not np.allclose(n.after.a[-1], n.before.a[-1]) and n.after.a[0][1] == pytest.approx(-0.4 + 0.5)
    with pytest.raises(ValueError, match="layer of an activation must be 0..2"):
        nncore.nudge(net, x, y, 0.1, nncore.ActivationAt(3, 0))  # the network has no layer 3


def test_gradient_descent_says_when_the_cost_rose(tmp_path, monkeypatch):
    """A step far too long overshoots: the narration must not claim the cost fell."""
    _, cfg, srt = render_and_check("GradientDescent", config_file("overshoot"), tmp_path, monkeypatch)
    assert descent_of(cfg).trend == "rose"
    assert "rose from" in srt and "fell" not in srt


def test_network_diagram_draws_values_for_every_allowed_size():
    from scenes.kit.network_diagram import NetworkDiagram, network_edge_width
    from scenes.kit.style import NEGATIVE, POSITIVE

    for sizes in ([1, 1], [2, 4, 3], [6, 6, 6, 6], [1, 6], [6, 1]):
        weights = [np.linspace(-3, 3, n * m).reshape(n, m) for m, n in zip(sizes[:-1], sizes[1:])]
        acts = [np.linspace(0, 1, n) for n in sizes]
        d = NetworkDiagram(acts, weights, width=7.0, height=4.0, cost=True)
        assert d.width <= 7.0 + 2 * d.radius + 1.0 and d.height <= 4.0 + 2 * d.radius + 1e-6
        assert d.radius >= 0.15  # neurons stay visible with 6 to a layer
        for l in range(1, len(sizes)):
            for j in range(sizes[l]):
                for k in range(sizes[l - 1]):
                    w = weights[l - 1][j, k]
                    edge = d.edge(l, j, k)
                    assert edge.get_color() == (POSITIVE if w >= 0 else NEGATIVE)
                    assert edge.get_stroke_width() == pytest.approx(network_edge_width(w, d.dense))
        # neurons sit in layer order from left to right, and fills follow |a|
        xs = [column[0].get_center()[0] for column in d.neurons]
        assert xs == sorted(xs)
        assert d.neuron(len(sizes) - 1, 0).get_fill_opacity() == pytest.approx(min(abs(acts[-1][0]), 1.0))
    with pytest.raises(ValueError):
        NetworkDiagram([[0.1, 0.2], [0.3]], [np.zeros((2, 2))])
