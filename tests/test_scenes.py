"""Scenes: they render, and every number they show is one nncore computed for the config."""

from __future__ import annotations

import pytest
from arithmetic import record_problems
from captions import caption_problems, unseen_problems
from conftest import BIN, assert_layout_ok, config_file, render_scene, run
from expected import assert_shows_only_core_numbers, chain_value
from test_config import BAD_CONFIGS

from lessonmodel.config import load_config
from lessonmodel.fmt import typst_number
from lessonmodel.names import C0, activation, bias, target, weight, weighted_sum

CHAIN_SHOWS = ({weight(l) for l in (1, 2, 3)} | {bias(l) for l in (1, 2, 3)} | {activation(l) for l in range(4)}
               | {weighted_sum(l) for l in (1, 2, 3)} | {target(), C0})


@pytest.mark.parametrize("config", ["default", "relu_chain", "tanh_chain", "extreme_chain"])
def test_neuron_chain_shows_the_core_numbers(config, tmp_path, monkeypatch):
    path = config_file(config)
    scene = render_scene("NeuronChain", tmp_path / "media", path, monkeypatch)
    cfg = load_config(path)
    assert {name for name, _ in scene.shown} >= CHAIN_SHOWS
    srt = next((tmp_path / "media").rglob("NeuronChain.srt")).read_text()
    assert_shows_only_core_numbers(scene, lambda n: chain_value(n, cfg), srt.splitlines())
    assert_layout_ok(scene)
    assert caption_problems(scene) == []
    assert unseen_problems(scene) == []  # every cue names only what is on screen, whole
    assert record_problems(scene)[0] == []  # its printed arithmetic checks out by hand
    shown = dict(scene.shown)
    if path is None:
        assert shown[activation(3)] == "0.6594" and shown[target()] == "1.00" and shown[C0] == "0.116"
    else:  # the numbers follow the config
        assert shown[C0] == typst_number(chain_value(C0, cfg), scene.decimals(C0)) != "0.116"
    videos = list((tmp_path / "media").rglob("NeuronChain.mp4"))
    assert len(videos) == 1 and videos[0].stat().st_size > 0


def test_scene_renders_with_manim_cli_and_sections(cli_render):
    sections = sorted(p.name for p in cli_render.rglob("sections/*.mp4"))
    assert sections == ["NeuronChain_0000_the_chain.mp4", "NeuronChain_0001_forward.mp4", "NeuronChain_0002_cost.mp4"]


# Every message is checked in test_config (load_config and `backprop values`); a cold `manim render`
# costs seconds, so this checks the way a scene rendered by manim reports one, for a bad value and
# for a file that cannot be read as TOML.
MANIM_BAD_CONFIGS = [case for case in BAD_CONFIGS if case[1] in ("[chain] weights: expected a list of 3", "not UTF-8")]


@pytest.mark.parametrize("content, message", MANIM_BAD_CONFIGS)
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
