"""Generated invalid configs: each costs one line naming the key, exit 2, nothing written."""

from __future__ import annotations

import copy
import os
import re
import subprocess
import time
import tomllib
from pathlib import Path

from conftest import BIN, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from toml_writer import dumps

from lessonmodel.config import DEFAULT_PATH, READ_SECONDS, ConfigError, load_config

DEFAULT = tomllib.loads(DEFAULT_PATH.read_text())
BAD_NUMBERS = st.sampled_from([float("nan"), float("inf"), float("-inf"), 1e6, -1e6, 11.0, -10.5])
WRONG_TYPES = st.sampled_from(["text", True, [1.0], {"x": 1}, [[1.0, 2.0]]])


@st.composite
def invalid_configs(draw):
    """(document, the key the message must name): the default with one thing broken."""
    doc = copy.deepcopy(DEFAULT)
    kind = draw(st.sampled_from(["number", "type", "length", "sizes", "unknown key", "unknown section",
                                 "activation", "target", "count", "steps"]))
    if kind == "number":
        section, key = draw(st.sampled_from([("chain", "weights"), ("chain", "biases")]))
        i = draw(st.integers(0, 2))
        doc[section][key][i] = draw(BAD_NUMBERS)
        return doc, f"[{section}] {key}[{i}]"
    if kind == "type":
        section, key = draw(st.sampled_from([("chain", "input"), ("chain", "target"), ("descent", "learning_rate"),
                                             ("network", "seed"), ("examples", "seed")]))
        doc[section][key] = draw(WRONG_TYPES)
        return doc, f"[{section}] {key}"
    if kind == "length":
        section, key = draw(st.sampled_from([("chain", "weights"), ("chain", "biases"), ("network", "target"),
                                             ("network", "focus")]))
        n = draw(st.integers(0, 7).filter(lambda n: n != len(DEFAULT[section][key])))
        doc[section][key] = [0.0] * n if key != "focus" else [0] * n
        return doc, f"[{section}] {key}"
    if kind == "sizes":
        i = draw(st.integers(0, 2))
        doc["network"]["sizes"][i] = draw(st.sampled_from([0, -3, 7, 1000, 10**12]))
        return doc, f"[network] sizes[{i}]"
    if kind == "unknown key":
        section = draw(st.sampled_from(sorted(DEFAULT)))
        name = draw(st.from_regex(r"[a-z_]{3,12}", fullmatch=True).filter(lambda k: k not in DEFAULT[section]))
        doc[section][name] = 1
        return doc, f"[{section}] {name}"
    if kind == "unknown section":
        name = draw(st.from_regex(r"[a-z]{3,10}", fullmatch=True).filter(lambda k: k not in DEFAULT))
        doc[name] = {"x": 1}
        return doc, f"[{name}]"
    if kind == "activation":
        section = draw(st.sampled_from(["chain", "network"]))
        doc[section]["activation"] = draw(st.sampled_from(["softmax", "Sigmoid", "", "gelu"]))
        return doc, f"[{section}] activation"
    if kind == "target":
        doc["chain"]["target"] = draw(st.sampled_from([1.01, -0.01, 2.0, -5.0]))
        return doc, "[chain] target"
    if kind == "count":
        doc["examples"]["count"] = draw(st.sampled_from([0, -1, 9, 100]))
        return doc, "[examples] count"
    doc["descent"]["steps"] = draw(st.sampled_from([-1, 201, 10**9]))
    return doc, "[descent] steps"


def assert_one_line_error(result, key: str, path) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0] and key in lines[0], (key, lines[0])
    assert "Traceback" not in result.stderr + result.stdout


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=invalid_configs())
def test_generated_invalid_configs_name_the_key(case, tmp_path):
    doc, key = case
    path = tmp_path / "bad.toml"
    path.write_text(dumps(doc))
    try:
        load_config(path)
    except ConfigError as error:
        assert key in str(error) and "\n" not in str(error), (key, str(error))
    else:
        raise AssertionError(f"accepted an invalid config breaking {key}")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=invalid_configs())
def test_cli_reports_generated_invalid_configs(case, tmp_path_factory):
    """The command's way (`manim render`'s is checked in test_scenes: the same message, one line)."""
    doc, key = case
    path = tmp_path_factory.mktemp("bad") / "bad.toml"
    path.write_text(dumps(doc))
    assert_one_line_error(run([str(BIN / "backprop"), "values", "--config", str(path)]), key, path)


def test_unreadable_inputs(tmp_path):
    """A folder, a missing file, bytes that are not UTF-8, broken TOML: each one line, exit 2."""
    cases = {
        tmp_path: "is a directory",
        tmp_path / "missing.toml": "file not found",
    }
    (tmp_path / "latin1.toml").write_bytes("[chain]\n# caf\xe9\n".encode("latin-1"))
    cases[tmp_path / "latin1.toml"] = "not UTF-8"
    (tmp_path / "broken.toml").write_text("[chain]\nweights = [1, 2\n")
    cases[tmp_path / "broken.toml"] = "not valid TOML"
    for path, message in cases.items():
        result = run([str(BIN / "backprop"), "values", "--config", str(path)])
        assert_one_line_error(result, message, path)


def hostile_files(folder):
    """(path, what the one line must say): files no config reader should choke on."""
    fifo = folder / "nobody-writes.toml"
    os.mkfifo(fifo)
    cases = [(Path("/dev/zero"), "larger than 4 MiB"), (fifo, "nothing more to read after")]
    for name, text, message in [
        ("huge.toml", "[chain]\nweights = [" + "9" * 401 + ", 1, 1]\n",
         "[chain] weights[0]: must be in [-10, 10], got a number of 401 digits"),
        ("huger.toml", "[chain]\ninput = " + "9" * 5000 + "\n", "a number with thousands of digits"),
        ("seed.toml", "[network]\nseed = " + "9" * 401 + "\n", "[network] seed: must be a whole number from 0 to"),
        ("deep.toml", "[chain]\nweights = " + "[" * 10_000 + "]" * 10_000 + "\n", "nested too deeply"),
    ]:
        (folder / name).write_text(text)
        cases.append((folder / name, message))
    return cases


def test_hostile_files_cost_one_line_within_seconds(tmp_path):
    """/dev/zero, a FIFO with no writer, huge integers, deep nesting: one line, exit 2, in seconds."""
    for path, message in hostile_files(tmp_path):
        start = time.monotonic()
        result = subprocess.run([str(BIN / "backprop"), "values", "--config", str(path)], capture_output=True,
                                text=True, timeout=60)
        assert_one_line_error(result, message, path)
        assert time.monotonic() - start < READ_SECONDS + 5, path


def test_config_from_process_substitution(tmp_path):
    """``--config <(cat my.toml)``: a pipe, readable once."""
    (tmp_path / "my.toml").write_text("[chain]\ninput = 0.25\n")
    result = run(["bash", "-c", f'"{BIN / "backprop"}" values --config <(cat my.toml)'], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert re.search(r"a\(0\) +0\.25$", result.stdout, re.M), result.stdout


def test_control_characters_in_keys_are_escaped(tmp_path):
    """A key with a newline or a terminal escape sequence: still one line, and no raw escape."""
    path = tmp_path / "odd.toml"
    path.write_text('[chain]\n"wei\\nghts\\u001b[2J\\u202e" = 1\n')
    result = run([str(BIN / "backprop"), "values", "--config", str(path)])
    assert_one_line_error(result, r"[chain] wei\x0aghts\x1b[2J\u202e: unknown key", path)
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr


def test_relu_target_message_reads_well(tmp_path):
    path = tmp_path / "relu.toml"
    path.write_text('[chain]\nactivation = "relu"\ntarget = -1\n')
    result = run([str(BIN / "backprop"), "values", "--config", str(path)])
    assert_one_line_error(result, "[chain] target: must be >= 0 for relu (its output range), got -1", path)
