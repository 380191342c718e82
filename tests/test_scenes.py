"""Scenes: they render, and every number they show is one nncore computed for the config."""

from __future__ import annotations

import pytest
from conftest import BIN, ROOT, assert_layout_ok, render_scene, run
from expected import assert_shows_only_core_numbers, chain_value
from test_config import BAD_CONFIGS

from lessonmodel.config import load_config
from lessonmodel.fmt import typst_number
from lessonmodel.names import C0, activation, bias, target, weight, weighted_sum

RELU_CHAIN = """
[chain]
weights = [1.5, -0.7, 2.2]
biases = [0.1, 0.9, -0.4]
input = 0.8
target = 0.0
activation = "relu"
"""
EXTREME_CHAIN = """
[chain]
weights = [-10.0, 10.0, -9.99]
biases = [10.0, -10.0, 10.0]
input = -10.0
target = 0.0
"""
TANH_CHAIN = """
[chain]
weights = [3.0, -4.5, 0.25]
biases = [-1.0, 2.0, 0.05]
input = -0.6
target = -1.0
activation = "tanh"
"""


CHAIN_SHOWS = ({weight(l) for l in (1, 2, 3)} | {bias(l) for l in (1, 2, 3)} | {activation(l) for l in range(4)}
               | {weighted_sum(l) for l in (1, 2, 3)} | {target(), C0})


@pytest.mark.parametrize("config_text", [None, RELU_CHAIN, TANH_CHAIN, EXTREME_CHAIN],
                         ids=["default", "relu", "tanh", "extreme"])
def test_neuron_chain_shows_the_core_numbers(config_text, tmp_path, write_config, monkeypatch):
    path = write_config(config_text) if config_text else None
    scene = render_scene("NeuronChain", tmp_path / "media", path, monkeypatch)
    cfg = load_config(path)
    assert {name for name, _ in scene.shown} >= CHAIN_SHOWS
    srt = next((tmp_path / "media").rglob("NeuronChain.srt")).read_text()
    assert_shows_only_core_numbers(scene, lambda n: chain_value(n, cfg), srt.splitlines())
    assert_layout_ok(scene)
    shown = dict(scene.shown)
    if config_text is None:
        assert shown[activation(3)] == "0.66" and shown[target()] == "1.00" and shown[C0] == "0.116"
    else:  # the numbers follow the config
        assert shown[C0] == typst_number(chain_value(C0, cfg), 3) != "0.116"
    videos = list((tmp_path / "media").rglob("NeuronChain.mp4"))
    assert len(videos) == 1 and videos[0].stat().st_size > 0


def test_scene_renders_with_manim_cli_and_sections(tmp_path):
    result = run(
        [str(BIN / "manim"), "render", "-ql", "--save_sections", "--media_dir", str(tmp_path),
         "-r", "192,108", "--fps", "5", "scenes/neuron_chain.py", "NeuronChain"],
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    sections = sorted(p.name for p in tmp_path.rglob("sections/*.mp4"))
    assert sections == ["NeuronChain_0000_the_chain.mp4", "NeuronChain_0001_forward.mp4", "NeuronChain_0002_cost.mp4"]


@pytest.mark.parametrize("content, message", BAD_CONFIGS)
def test_manim_render_reports_bad_config(content, message, tmp_path, write_config):
    path = write_config(content)
    media = tmp_path / "media"
    result = run(
        [str(BIN / "manim"), "render", "-ql", "--media_dir", str(media), "scenes/neuron_chain.py", "NeuronChain"],
        env={"BACKPROP_CONFIG": str(path)},
    )
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not media.exists()
