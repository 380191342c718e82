"""The kit's network drawings in a plain Manim scene, on networks the lesson never draws: 2 to 6
layers, odd sizes. Nothing comes within the lesson's margin of the frame's edges (the geometry of
every drawn part, and the application's pixel check on the last frame), and every ∂C/∂a the
backward sweep lands sits clear of the edges, neurons and other labels, or on a dark patch inside
its own neuron; its values are nncore's."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import TYPESET_CACHE
from manim import Scene, config, tempconfig

import nncore
from backprop.composition import EDGE_UNITS, frame_problems
from scenes.kit import BackwardSweep, Box, NetworkDiagram, circle_meets_box, segment_meets_box

NETWORKS = {  # sizes, the input layer first
    "two layers": [3, 2],
    "one wide hidden layer": [1, 7, 1],
    "six layers": [2, 5, 3, 6, 4, 1],
    "six layers of eight": [8, 8, 8, 8, 8, 8],
}


def swept(sizes: list[int], media, seed: int = 3, size: tuple[int, int] = (256, 144)):
    """A scene that draws the network, runs the forward pass and the whole backward sweep; rendered
    to its last frame only (every animation runs to its end), into the folder ``media``."""
    net = nncore.Network.random(sizes, seed=seed, activation="tanh")
    rng = np.random.default_rng(seed)
    x, y = rng.uniform(0, 1, sizes[0]).round(2), rng.uniform(-1, 1, sizes[-1]).round(2)

    class Swept(Scene):
        def construct(self):
            self.diagram = d = NetworkDiagram.of(net, list(x), cost=True)
            self.add(d)
            for layer in d.forward_pass():
                self.play(layer)
            self.sweep = sweep = BackwardSweep(d, net, x, y)
            self.play(*sweep.start())
            for l in range(net.depth, 0, -1):
                self.play(*sweep.layer(l))
                self.play(*sweep.landing(l))

    with tempconfig({"media_dir": str(media), "tex_dir": str(TYPESET_CACHE), "pixel_width": size[0],
                     "pixel_height": size[1], "frame_rate": 5, "disable_caching": True, "verbosity": "WARNING",
                     "progress_bar": "none", "save_last_frame": True, "write_to_movie": False}):
        scene = Swept()
        scene.render()
        grey = np.asarray(scene.renderer.get_frame()[..., :3].mean(axis=2), dtype=np.uint8)
    return scene, net, x, y, grey


@pytest.fixture(scope="module", params=list(NETWORKS), ids=list(NETWORKS))
def network(request, tmp_path_factory):
    return swept(NETWORKS[request.param], tmp_path_factory.mktemp("kit"))


def test_nothing_comes_near_the_frame_edges(network):
    scene, _, _, _, grey = network
    half_w, half_h = config.frame_width / 2, config.frame_height / 2
    inside = Box(-half_w, -half_h, half_w, half_h).grown(-EDGE_UNITS)
    drawn = [m for m in scene.get_mobject_family_members() if m.has_points()]
    assert drawn and all(Box.of(m).within(inside) for m in drawn)
    assert (grey > 40).mean() > 0.01  # the picture is there (the pixel check has something to read)
    assert frame_problems(grey) == []


def test_every_value_of_the_sweep_is_nncores_and_sits_clear(network):
    scene, net, x, y, _ = network
    d, sweep = scene.diagram, scene.sweep
    assert sweep.landed == {(l, j) for l in range(net.depth + 1) for j in range(net.sizes[l])}
    edges = [line for layer in d.edges for row in layer for line in row] + list(d.cost_lines)
    boxes = {key: Box.of(label) for key, label in sweep._made.items()}
    neurons = d.neurons.family_members_with_points()
    for (l, j), label in sweep._made.items():
        assert sweep.value(l, j) == float(net.backward(x, y).activations[l][j])
        box = boxes[l, j]
        if getattr(label, "background_rectangle", None) is not None:  # no free place: inside its own neuron
            assert np.hypot(box.width, box.height) / 2 <= d.radius
            assert np.allclose(box.center, d.neuron(l, j).get_center())
            continue
        assert not any(segment_meets_box(line.get_start(), line.get_end(), box) for line in edges)
        assert not any(circle_meets_box(n.get_center(), d.radius, box) for n in neurons)
        assert not any(box.meets(other) for key, other in boxes.items() if key != (l, j))


def test_the_forward_pass_lights_each_neuron_by_its_activation(network):
    scene, net, x, _, _ = network
    activations = net.forward(x).a
    lit = [[n.get_fill_opacity() for n in column] for column in scene.diagram.neurons]
    assert [np.round(row, 6).tolist() for row in lit] == [np.round(np.minimum(np.abs(a), 1), 6).tolist()
                                                          for a in activations]


def test_a_diagram_refuses_a_network_of_other_sizes():
    net = nncore.Network.random([2, 3, 1], seed=0)
    d = NetworkDiagram.of(net, [0.1, 0.2])
    with pytest.raises(ValueError, match="layers"):
        BackwardSweep(d, nncore.Network.random([2, 4, 1], seed=0), [0.1, 0.2], [1.0])
    with pytest.raises(ValueError, match="one example"):
        NetworkDiagram.of(net, [[0.1, 0.2]])


@pytest.mark.parametrize("module", ["box", "born", "network_diagram", "chain_diagram", "backward_sweep", "label_spots",
                                    "style"])
def test_the_kit_examples_in_its_docstrings_run(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"scenes.kit.{module}"))
    assert result.failed == 0
