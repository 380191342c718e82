"""Issue 4's scenes: many neurons per layer, the sum over paths, the general recursion, gradient
descent. Each renders tiny for several configs; every number shown is one nncore computed."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from arithmetic import record_problems
from captions import caption_problems, unseen_problems
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
from scenes.kit.box import Box

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
    assert unseen_problems(scene) == []  # every cue names only what is on screen, whole
    assert record_problems(scene)[0] == []  # its printed arithmetic checks out by hand
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


def test_default_focus_shows_the_order_of_the_indices():
    """w_jk(L) with j ≠ k: the screen can tell the neuron it goes to (j) from the one it comes from (k)."""
    j, k = load_config().network.focus
    assert j != k


def test_a_label_placed_clear_of_the_network_touches_no_edge_or_neuron():
    from manim import Square

    from scenes.kit.network_diagram import NetworkDiagram

    weights = [np.ones((3, 3)), np.ones((2, 3))]
    d = NetworkDiagram([[0.1] * 3, [0.5] * 3, [0.9] * 2], weights, width=6.2, height=4.8, cost=True)
    for l, j, k in [(2, 1, 2), (2, 0, 0), (2, 0, 2)]:  # the outermost edges, and one that crosses others
        label = Square(0.3)
        d.place_clear(label, d.along_edge(d.edge(l, j, k), label))
        assert label.clashes == 0 and d.clashes(Box.of(label)) == 0
    # the middle edge of a full 3 x 3 band has crossing edges on both sides: no free spot, and it says so
    label = Square(0.3)
    d.place_clear(label, d.along_edge(d.edge(1, 1, 1), label))
    assert label.clashes > 0
    label = Square(0.3)
    d.place_clear(label, d.around_neuron(1, 1, label))
    assert label.clashes == 0
    # a label across the middle of the edges is found to clash
    across = Square(0.3).move_to(d.edge(2, 0, 2).get_center())
    assert d.clashes(Box.of(across)) > 0


def test_the_nudge_thickens_each_path_by_the_share_it_carries(tmp_path, monkeypatch):
    """SumOverPaths "nudge": the edge from neuron k to each neuron j of layer L, and j's line to the
    cost, end as wide as that path's share of ∂C0/∂a_k(L-1), computed here by nncore directly."""
    scene = render_scene("SumOverPaths", tmp_path / "media", None, monkeypatch, movie=False)
    cfg = load_config()
    from lessonmodel.values import network_of

    many = network_of(cfg.network)
    L, k = many.net.depth, cfg.network.focus[1]
    shares = np.abs(nncore.path_terms(many.net, many.x, many.y, L, k))
    widths = np.array([scene.d.edge(L, j, k).get_stroke_width() for j in range(len(shares))])
    lines = np.array([scene.d.cost_lines[j].get_stroke_width() for j in range(len(shares))])
    assert widths == pytest.approx(2.0 + 10.0 * shares / shares.max())
    assert lines == pytest.approx(widths)
    assert np.argmax(widths) == np.argmax(shares) and len(set(np.round(widths, 3))) == len(widths)


# --- GeneralRecursion on the network's stage --------------------------------------------------

MARGIN = 0.4  # the composition rule: nothing lit nearer the frame's edges


@pytest.fixture(scope="module")
def recursion_render(tmp_path_factory):
    """GeneralRecursion rendered once for the default config, at a size where a moving dot shows."""
    media = tmp_path_factory.mktemp("recursion")
    with pytest.MonkeyPatch.context() as monkeypatch:
        scene = render_scene("GeneralRecursion", media, monkeypatch=monkeypatch, size=(426, 240))
    return scene, next(media.rglob("GeneralRecursion.mp4"))


def sensitivity_pixels(frame: np.ndarray) -> np.ndarray:
    """Where the frame shows the sensitivity colour (light purple, also dimmed by antialiasing):
    neither a weight's blue or red, nor white, gold or the other quantities' colours."""
    r, g, b = (frame[..., i].astype(float) for i in range(3))
    return (b > 80) & (r > 0.7 * b) & (b > 0.9 * r) & (g < 0.85 * b) & (r > g + 0.1 * b)


def test_backward_sweep_flows_right_to_left(recursion_render):
    import av
    from manim import PURPLE_A

    from scenes.kit.style import NEGATIVE, POSITIVE, SENSITIVITY

    scene, video = recursion_render
    assert SENSITIVITY == PURPLE_A and SENSITIVITY not in (NEGATIVE, POSITIVE)
    swatch = np.array([[SENSITIVITY.to_rgb()]]) * 255
    weights = np.array([[[88, 196, 221], [252, 98, 85]]])  # manim's BLUE and RED, the weights' colours
    assert sensitivity_pixels(swatch).all() and not sensitivity_pixels(weights).any()
    L = scene.L
    # the recursion's terms flow back from layer L, then the sweep from every layer down to the inputs
    assert [l for *_, l in scene.flows] == [L, *range(L, 0, -1)]
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        frames = [(float(f.pts * stream.time_base), f.to_ndarray(format="rgb24")) for f in container.decode(stream)]
    width = frames[0][1].shape[1]
    for start, end, l in scene.flows:
        before = sensitivity_pixels(min(frames, key=lambda f: abs(f[0] - start))[1])  # the labels already there
        inside = [frame for t, frame in frames if start < t < end]
        assert len(inside) >= 6, (start, end)
        centres = []
        for frame in (inside[: len(inside) // 3], inside[-len(inside) // 3 :]):
            moving = np.concatenate([np.nonzero(sensitivity_pixels(f) & ~before)[1] for f in frame])
            assert moving.size > 0, f"nothing flows from layer {l} at {start:.1f} s"
            centres.append(moving.mean() / width)
        assert centres[1] < centres[0] - 0.02, f"the flow from layer {l} does not go right to left: {centres}"


def test_sensitivities_sit_beside_their_neurons(recursion_render):
    from manim import DL, UR

    from scenes.kit.style import SENSITIVITY

    scene, _ = recursion_render
    d, sensitivities = scene.swept  # the network as the sweep ends on it
    L = scene.L
    assert set(sensitivities) == {(l, j) for l in range(L + 1) for j in range(scene.sizes[l])}
    centres = {(l, j): d.neuron(l, j).get_center()[:2] for l in range(L + 1) for j in range(scene.sizes[l])}
    lines = [e for layer in d.edges for row in layer for e in row] + list(d.cost_lines)
    for (l, j), label in sensitivities.items():
        (left, bottom), (right, top) = label.get_corner(DL)[:2], label.get_corner(UR)[:2]
        for line in lines:  # points along every edge, none inside the label
            points = np.linspace(line.get_start()[:2], line.get_end()[:2], 400)
            inside = (points[:, 0] > left) & (points[:, 0] < right) & (points[:, 1] > bottom) & (points[:, 1] < top)
            assert not inside.any(), f"∂C0/∂a_{j}({l}) lies on an edge"
        middle = np.array([(left + right) / 2, (bottom + top) / 2])
        for key, centre in centres.items():
            nearest = np.clip(centre, [left, bottom], [right, top])
            assert np.linalg.norm(nearest - centre) > d.radius, f"∂C0/∂a_{j}({l}) covers neuron {key}"
        # beside its own neuron: nearer it than any other
        assert min(centres, key=lambda key: np.linalg.norm(centres[key] - middle)) == (l, j)
        assert label.get_color() == SENSITIVITY  # whatever its sign
    assert len(scene.layer_names) == L + 1  # the input layer named too


def test_recursion_keeps_off_the_frame_edges_and_its_code_reads(recursion_render):
    from manim import config
    from pygments.styles import get_style_by_name
    from pygments.token import Comment

    from scenes.recursion import CODE_STYLE

    scene, _ = recursion_render
    half_w, half_h = config.frame_width / 2, config.frame_height / 2
    for layout in scene.layouts:
        for source, box in layout:
            assert box.within(Box(-half_w, -half_h, half_w, half_h).grown(-MARGIN)), f"too near an edge: {source}"
    for part in (scene.code_block, scene.d):
        assert -half_w + MARGIN <= part.get_left()[0] and part.get_right()[0] <= half_w - MARGIN
        assert -half_h + MARGIN <= part.get_bottom()[1] and part.get_top()[1] <= half_h - MARGIN

    def luminance(hex_color: str) -> float:
        channels = [int(hex_color.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    style = get_style_by_name(CODE_STYLE)
    dark, light = sorted([luminance(style.style_for_token(Comment)["color"]), luminance(style.background_color)])
    assert (light + 0.05) / (dark + 0.05) >= 7  # the comments (the formulas in words) read at 480p
