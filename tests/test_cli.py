"""The ``backprop`` command as a new user meets it: --version, help, a starter config, pipes."""

from __future__ import annotations

import re
import subprocess
import tomllib

from conftest import BIN, ROOT, run

from lessonmodel.config import DEFAULT_PATH, load_config


def test_version_and_values_help():
    result = run([str(BIN / "backprop"), "--version"])
    assert result.returncode == 0 and re.fullmatch(r"backprop \d+\.\d+\.\d+\n", result.stdout), result
    result = run([str(BIN / "backprop"), "values", "--help"])
    assert result.returncode == 0 and "Validate a lesson config and print every value" in result.stdout


def test_init_writes_the_shipped_config_and_never_overwrites(tmp_path):
    path = tmp_path / "my.toml"
    result = run([str(BIN / "backprop"), "init", str(path)])
    assert result.returncode == 0, result.stderr
    assert path.read_text() == DEFAULT_PATH.read_text()
    assert load_config(path).chain == load_config(DEFAULT_PATH).chain
    path.write_text("[chain]\ninput = 0.3\n")
    result = run([str(BIN / "backprop"), "init", str(path)])
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "exists already" in result.stderr
    assert path.read_text() == "[chain]\ninput = 0.3\n"


def test_shipped_config_names_files_that_exist():
    """Its comments (shown on the page) name real scene files and commands."""
    text = DEFAULT_PATH.read_text()
    tomllib.loads(text)
    named = re.findall(r"scenes/\w+\.py", text)
    assert named and all((ROOT / n).is_file() for n in named), named


def test_values_into_a_closed_pipe_is_quiet():
    """``backprop values | head -1``: no BrokenPipeError traceback."""
    result = subprocess.run(f'"{BIN / "backprop"}" values | head -1', shell=True, capture_output=True, text=True,
                            timeout=60)
    assert result.stdout.startswith("# values for") and result.stdout.count("\n") == 1
    assert result.stderr == "", result.stderr
    # a reader that is gone before the first line: the pipe is surely closed when it is written
    result = subprocess.run(f'"{BIN / "backprop"}" values | true', shell=True, capture_output=True, text=True,
                            timeout=60)
    assert result.stderr == "", result.stderr


def test_page_neutralises_bidirectional_overrides():
    """A right-to-left override in the config (or its path) cannot reorder what the page shows."""
    from backprop.assemble import Clip
    from backprop.page import render_page
    from lessonmodel.record import IdeaRecord

    clip = Clip(1, "NeuronChain", IdeaRecord("the\u202echain"), "01_NeuronChain_the_chain", "01.mp4", "01.png")
    sneaky = "# a comment \u202e}gnp.live{ <b>\n[chain]\ninput = 0.5\n"
    page = render_page([clip], {"config": {"file": "my\u2067.toml", "text": sneaky}, "scenes": {}}, "lesson.mp4")
    assert not re.search("[\u202a-\u202e\u2066-\u2069]", page)
    assert "# a comment [U+202E]}gnp.live{ &lt;b&gt;" in page and "my[U+2067].toml" in page


def test_control_characters_from_the_command_line_are_escaped(tmp_path):
    """A scene name or folder with a newline or a terminal escape: one printable line."""
    result = run([str(BIN / "backprop"), "lesson", "--only", "\x1b[2JNo\nScene", "--out", str(tmp_path / "x")])
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert "\x1b" not in result.stderr and r"unknown scene(s) \x1b[2JNo\x0aScene" in result.stderr
