"""``backprop lesson`` against a hostile or unlucky user: nothing lost, one clear line per failure.

Real processes, real pipes and FIFOs, real read-only and full file systems (tmpfs mounts: the
tests run as root, which file permissions do not stop).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from conftest import BIN, ROOT, run

NEURON_CHAIN = ["--tiny", "--only", "NeuronChain"]


def lesson_command(*args: str) -> list[str]:
    return [str(BIN / "backprop"), "lesson", *NEURON_CHAIN, *args]


def shown(out: Path, scene: str = "NeuronChain") -> dict[str, str]:
    """The text each value had on screen, from values.json (what the scene recorded)."""
    values = json.loads((out / "values.json").read_text())
    return {v["name"]: v["text"] for v in values["scenes"][scene]["values"]}


def test_a_config_edited_during_the_build_does_not_reach_the_scenes(tmp_path):
    """The workers render the config the build validated, and the cache files it under that one."""
    config, out = tmp_path / "cfg.toml", tmp_path / "lesson"
    first, second = "[chain]\ninput = 0.25\n", "[chain]\ninput = 0.75\n"
    config.write_text(first)
    process = subprocess.Popen(lesson_command("--config", str(config), "--out", str(out)), cwd=ROOT,
                               stderr=subprocess.PIPE, text=True)
    for line in process.stderr:
        if "rendering NeuronChain (" in line:  # the worker has just started: it has read nothing yet
            config.write_text(second)
            break
    rest = process.stderr.read()
    assert process.wait(timeout=300) == 0, rest
    assert shown(out)["a(0)"] == "0.25"
    assert json.loads((out / "values.json").read_text())["config"]["text"] == first
    config.write_text(second)  # the cache holds the first config's render only under the first config
    result = run(lesson_command("--config", str(config), "--out", str(out)))
    assert result.returncode == 0, result.stderr
    assert "rendering NeuronChain" in result.stderr and shown(out)["a(0)"] == "0.75"


def test_lesson_from_process_substitution(tmp_path):
    """``--config <(cat my.toml)``: a pipe, read once by the main process, which the workers never see."""
    (tmp_path / "my.toml").write_text("[chain]\ninput = 0.25\n")
    command = " ".join(f'"{a}"' for a in lesson_command("--out", "lesson"))
    result = run(["bash", "-c", command + " --config <(cat my.toml)"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert shown(tmp_path / "lesson")["a(0)"] == "0.25"
