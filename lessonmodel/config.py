"""The lesson config: one TOML file, validated whole before anything renders.

Which file: ``load_config(path)``; with no path, ``$BACKPROP_CONFIG`` if set, else the shipped
``default.toml`` beside this module. A key left out of a file keeps its default. Any problem
raises :class:`ConfigError`, whose message is one line naming the file, the key and what is
allowed.
"""

from __future__ import annotations

import math
import os
import select
import stat
import time
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nncore import ACTIVATIONS, OUTPUTS, get_cost, get_output

__all__ = [
    "ConfigError",
    "LessonConfig",
    "ChainConfig",
    "ExamplesConfig",
    "NetworkConfig",
    "DescentConfig",
    "DEFAULT_PATH",
    "ENV_VAR",
    "load_config",
    "config_path",
    "SECTIONS",
    "MAX_BYTES",
    "READ_SECONDS",
    "printable",
    "PARAM_LIMIT",
    "CONFIG_COSTS",
    "CROSS_ENTROPY_TOML",
    "EXAMPLES",
]

DEFAULT_PATH = Path(__file__).with_name("default.toml")
CROSS_ENTROPY_TOML = Path(__file__).with_name("cross_entropy.toml")
EXAMPLES: dict[str, Path] = {"default": DEFAULT_PATH, "cross_entropy": CROSS_ENTROPY_TOML}
"""The shipped configs by name (``backprop init --example NAME``)."""
ENV_VAR = "BACKPROP_CONFIG"

# Limits that keep every picture legible at 854x480.
PARAM_LIMIT = 10.0  # |w|, |b|, |input|
MAX_EXAMPLES = 8
MAX_LAYERS = 4  # the input layer included
MAX_NEURONS = 6
MAX_LEARNING_RATE = 100.0
MAX_STEPS = 200
MAX_SEED = 2**32 - 1

OTHERS = "the examples besides [chain]'s input and target, which are example 0"
NETWORK_OTHERS = "the examples besides [network]'s input and target, which are example 0"

CONFIG_COSTS = ("squared", "cross_entropy")
"""The costs a config names: the squared error, or the cross-entropy (binary on a sigmoid output,
nncore's ``binary_cross_entropy``; of a probability vector on a softmax, nncore's ``cross_entropy``)."""
TARGET_SUM_TOLERANCE = 1e-9  # how far from 1 a softmax target's sum may be (as nncore takes it)

# A config is a few hundred bytes: anything far bigger, or slower to arrive, is not one.
MAX_BYTES = 4 * 1024 * 1024
READ_SECONDS = 5.0


class ConfigError(ValueError):
    """A config that cannot be used; ``str()`` is the one-line message for the user."""

    def __init__(self, path: Path | str, key: str, problem: str) -> None:
        self.path, self.key, self.problem = str(path), key, problem
        where = f"{self.path}: {key}: " if key else f"{self.path}: "
        super().__init__(printable(where + problem))


def printable(text: str) -> str:
    """``text`` on one line, safe for a terminal: control and format characters (newlines,
    terminal escapes, bidirectional overrides) are written as escapes, e.g. ``\\x1b``, ``\\u202e``."""
    return "".join(c if unicodedata.category(c) not in ("Cc", "Cf") else _escape(c) for c in text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


@dataclass(frozen=True)
class ChainConfig:
    weights: tuple[float, float, float]
    biases: tuple[float, float, float]
    input: float
    target: float
    activation: str
    cost: str = "squared"  # one of CONFIG_COSTS; "cross_entropy" needs the sigmoid


@dataclass(frozen=True)
class ExamplesConfig:
    """The chain's training examples besides its own: either ``count`` random examples from
    ``seed``, or explicit ``inputs`` and ``targets``. [chain]'s input and target are example 0,
    these are examples 1, 2, ...: the average runs over 1 + count examples."""

    count: int | None
    seed: int | None
    inputs: tuple[float, ...] | None
    targets: tuple[float, ...] | None


@dataclass(frozen=True)
class NetworkConfig:
    """The many-neuron network. Its ``input`` and ``target`` are its example 0 (the one the
    many-neuron scenes follow); gradient descent averages over it and the others: ``examples``
    drawn from ``seed``, or explicit ``inputs`` and ``targets`` (one vector each per example).
    ``output`` is what the output layer applies (an activation or ``"softmax"``; None: ``activation``
    as every other layer), ``cost`` one of :data:`CONFIG_COSTS`."""

    sizes: tuple[int, ...]
    seed: int
    activation: str
    target: tuple[float, ...]
    focus: tuple[int, int]
    input: tuple[float, ...] | None
    weights: tuple | None  # weights[l][j][k]
    biases: tuple | None
    examples: int = 0  # how many others to draw from seed (when inputs and targets are not given)
    inputs: tuple[tuple[float, ...], ...] | None = None  # the other examples' inputs, one vector each
    targets: tuple[tuple[float, ...], ...] | None = None
    output: str | None = None
    cost: str = "squared"

    @property
    def output_layer(self) -> str:
        """What the output layer applies: ``output``, else the network's ``activation``."""
        return self.activation if self.output is None else self.output


@dataclass(frozen=True)
class DescentConfig:
    learning_rate: float
    steps: int


@dataclass(frozen=True)
class LessonConfig:
    """The validated config. ``text`` is the file as it was read, once: the lesson never reads
    the file again (it may have changed since, or be a pipe that can be read only once)."""

    path: str
    chain: ChainConfig
    examples: ExamplesConfig
    network: NetworkConfig
    descent: DescentConfig
    text: str = field(default="", repr=False, compare=False)


def config_path(path: str | os.PathLike | None = None) -> Path:
    """The file to read: ``path``, else ``$BACKPROP_CONFIG``, else the shipped default."""
    if path is not None:
        return Path(path)
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else DEFAULT_PATH


def _read(path: Path) -> tuple[str, dict[str, Any]]:
    """The file's text and its TOML, or a :class:`ConfigError`."""
    try:
        text = _read_bytes(path).decode("utf-8")
    except FileNotFoundError:
        raise ConfigError(path, "", "file not found") from None
    except IsADirectoryError:
        raise ConfigError(path, "", "is a directory, not a TOML file") from None
    except PermissionError:
        raise ConfigError(path, "", "cannot read the file (permission denied)") from None
    except UnicodeDecodeError as e:
        raise ConfigError(path, "", f"not UTF-8 text (bad byte at offset {e.start})") from None
    except OSError as e:
        raise ConfigError(path, "", f"cannot read the file ({e.strerror})") from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(path, "", f"not valid TOML: {e}") from None
    except RecursionError:
        raise ConfigError(path, "", "not a lesson config: its lists or tables are nested too deeply") from None
    except ValueError:  # an integer of more digits than Python converts
        raise ConfigError(path, "", "not a lesson config: it holds a number with thousands of digits") from None


def _read_bytes(path: Path) -> bytes:
    """At most :data:`MAX_BYTES` of ``path``, within :data:`READ_SECONDS`.

    Opened without blocking, so a FIFO with no writer cannot hang the lesson, and read once:
    pipes (``--config <(cat my.toml)``) work, and ``/dev/zero`` stops at the cap.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise IsADirectoryError(path)
        chunks: list[bytes] = []
        size = 0
        deadline = time.monotonic() + READ_SECONDS
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not poller.poll(left * 1000):
                raise ConfigError(path, "", f"nothing more to read after {READ_SECONDS:g} s "
                                            "(a pipe or FIFO that nobody writes?)")
            try:
                chunk = os.read(fd, 65536)
            except BlockingIOError:
                continue
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_BYTES:
                raise ConfigError(path, "", f"larger than {MAX_BYTES // 2**20} MiB: not a lesson config")
    finally:
        os.close(fd)


class _Checker:
    """Checks one file's values; every failure names the file and the key."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, problem: str):
        raise ConfigError(self.path, key, problem)

    def number(self, key: str, value: Any, low: float = -math.inf, high: float = math.inf) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(key, f"expected a number, got {_show(value)}")
        if isinstance(value, int) and not -1e300 < value < 1e300:  # beyond float: no finite value
            self.fail(key, f"must be in [{low:g}, {high:g}], got a number of {len(str(abs(value)))} digits")
        if not math.isfinite(value):
            self.fail(key, f"expected a finite number, got {value}")
        if not low <= value <= high:
            self.fail(key, f"must be in [{low:g}, {high:g}], got {value:g}")
        return float(value)

    def integer(self, key: str, value: Any, low: int, high: int, note: str = "") -> int:
        """A whole number in [low, high]; ``note`` (what it counts) goes into the message."""
        note = f" ({note})" if note else ""
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, f"expected a whole number from {low} to {high}{note}, got {_show(value)}")
        if not low <= value <= high:
            self.fail(key, f"must be a whole number from {low} to {high}{note}, got {_show_int(value)}")
        return value

    def listing(self, key: str, value: Any, length: int | None = None, low: int = 1, high: int = 10**6,
                note: str = "") -> list:
        note = f" ({note})" if note else ""
        if not isinstance(value, list):
            self.fail(key, f"expected a list, got {_show(value)}")
        if length is not None and len(value) != length:
            self.fail(key, f"expected a list of {length}, got {len(value)} item(s)")
        if not low <= len(value) <= high:
            self.fail(key, f"expected a list of {low} to {high} items{note}, got {len(value)}")
        return value

    def numbers(self, key: str, value: Any, length: int, low: float = -math.inf, high: float = math.inf):
        items = self.listing(key, value, length)
        return tuple(self.number(f"{key}[{i}]", v, low, high) for i, v in enumerate(items))

    def activation(self, key: str, value: Any) -> str:
        if not isinstance(value, str) or value not in ACTIVATIONS:
            self.fail(key, f"expected one of {', '.join(map(repr, ACTIVATIONS))}, got {_show(value)}")
        return value

    def output(self, key: str, value: Any) -> str:
        if not isinstance(value, str) or value not in OUTPUTS:
            self.fail(key, f"expected one of {', '.join(map(repr, OUTPUTS))}, got {_show(value)}")
        return value

    def cost(self, key: str, value: Any, output: str, needs: str, got: str) -> str:
        """A cost of :data:`CONFIG_COSTS` that an output layer ``output`` takes; ``needs`` and
        ``got`` say, for the message, which setting a cross-entropy needs and which it got."""
        if not isinstance(value, str) or value not in CONFIG_COSTS:
            self.fail(key, f"expected one of {', '.join(map(repr, CONFIG_COSTS))}, got {_show(value)}")
        try:
            get_cost(value, get_output(output))
        except ValueError:
            self.fail(key, f"{value} needs {needs} (its logs need a(L) in (0, 1)), got {got}")
        return value

    def target(self, key: str, value: Any, output: str) -> float:
        """One target, inside the range of the output layer ``output`` (an activation or softmax)."""
        y = self.number(key, value)
        act = get_output(output)
        if not act.contains(y):
            allowed = act.range_text()
            allowed = f"in {allowed}" if allowed.startswith("[") else allowed  # ">= 0" for ReLU
            self.fail(key, f"must be {allowed} for {output} (its output range), got {y:g}")
        return y

    def target_vector(self, key: str, value: Any, length: int, output: str) -> tuple[float, ...]:
        """One target per output neuron; a softmax's (with cross-entropy) a probability vector."""
        row = self.listing(key, value, length)
        y = tuple(self.target(f"{key}[{j}]", v, output) for j, v in enumerate(row))
        if output == "softmax" and abs(math.fsum(y) - 1.0) > TARGET_SUM_TOLERANCE:
            self.fail(key, f"must sum to 1 for softmax with cross-entropy (a probability vector), got "
                           f"{math.fsum(y):g}")
        return y

    def known_keys(self, section: str, table: Any, allowed: set[str]) -> dict:
        if not isinstance(table, dict):
            self.fail(f"[{section}]", f"expected a table, got {_show(table)}")
        for key in table:
            if key not in allowed:
                self.fail(f"[{section}] {key}", f"unknown key; allowed: {', '.join(sorted(allowed))}")
        return table


def _show_int(value: int) -> str:
    digits = str(abs(value))
    return str(value) if len(digits) <= 20 else f"a number of {len(digits)} digits"


def _show(value: Any) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) < 40 else text[:37] + '...'}"


_KEYS = {  # section -> its keys
    "chain": {"weights", "biases", "input", "target", "activation", "cost"},
    "examples": {"count", "seed", "inputs", "targets"},
    "network": {"sizes", "seed", "activation", "output", "cost", "target", "focus", "input", "weights", "biases",
                "examples", "inputs", "targets"},
    "descent": {"learning_rate", "steps"},
}


SECTIONS = tuple(_KEYS)


def load_config(path: str | os.PathLike | None = None) -> LessonConfig:
    """Read and validate a lesson config (see the module docstring for which file)."""
    path = config_path(path)
    _, defaults = _read(DEFAULT_PATH)
    text, user = _read(path)
    check = _Checker(path)
    for section in user:
        if section not in _KEYS:
            check.fail(f"[{section}]", f"unknown section; allowed: {', '.join(f'[{s}]' for s in _KEYS)}")
    tables = {s: check.known_keys(s, user.get(s, {}), keys) for s, keys in _KEYS.items()}
    merged = {s: {**defaults[s], **tables[s]} for s in _KEYS}
    if {"inputs", "targets"} & tables["examples"].keys():  # explicit examples replace count/seed
        merged["examples"] = dict(tables["examples"])
    if {"inputs", "targets"} & tables["network"].keys() and "examples" not in tables["network"]:
        merged["network"].pop("examples", None)  # explicit examples replace the default's count
    return LessonConfig(
        path=str(path),
        chain=_chain(check, merged["chain"]),
        examples=_examples(check, merged["examples"], merged["chain"]),
        network=_network(check, merged["network"]),
        descent=_descent(check, merged["descent"]),
        text=text,
    )


def _chain(check: _Checker, t: dict) -> ChainConfig:
    activation = check.activation("[chain] activation", t["activation"])
    return ChainConfig(
        weights=check.numbers("[chain] weights", t["weights"], 3, -PARAM_LIMIT, PARAM_LIMIT),
        biases=check.numbers("[chain] biases", t["biases"], 3, -PARAM_LIMIT, PARAM_LIMIT),
        input=check.number("[chain] input", t["input"], -PARAM_LIMIT, PARAM_LIMIT),
        target=check.target("[chain] target", t["target"], activation),
        activation=activation,
        cost=check.cost("[chain] cost", t["cost"], activation, 'activation = "sigmoid"', f'"{activation}"'),
    )


def _examples(check: _Checker, t: dict, chain: dict) -> ExamplesConfig:
    if "inputs" in t or "targets" in t:
        if "count" in t or "seed" in t:
            check.fail("[examples]", "give either count and seed, or inputs and targets, not both")
        for key in ("inputs", "targets"):
            if key not in t:
                check.fail(f"[examples] {key}", "missing; inputs and targets go together")
        inputs = check.listing("[examples] inputs", t["inputs"], low=1, high=MAX_EXAMPLES, note=OTHERS)
        check.listing("[examples] targets", t["targets"], len(inputs))
        inputs = tuple(
            check.number(f"[examples] inputs[{i}]", v, -PARAM_LIMIT, PARAM_LIMIT) for i, v in enumerate(inputs)
        )
        activation = chain["activation"] if chain["activation"] in ACTIVATIONS else "sigmoid"
        targets = tuple(check.target(f"[examples] targets[{i}]", v, activation) for i, v in enumerate(t["targets"]))
        return ExamplesConfig(None, None, inputs, targets)
    for key in ("count", "seed"):
        if key not in t:
            check.fail(f"[examples] {key}", "missing; give count and seed, or inputs and targets")
    return ExamplesConfig(
        count=check.integer("[examples] count", t["count"], 1, MAX_EXAMPLES, OTHERS),
        seed=check.integer("[examples] seed", t["seed"], 0, MAX_SEED),
        inputs=None,
        targets=None,
    )


def _network(check: _Checker, t: dict) -> NetworkConfig:
    sizes = check.listing("[network] sizes", t["sizes"], low=2, high=MAX_LAYERS)
    sizes = tuple(check.integer(f"[network] sizes[{i}]", n, 1, MAX_NEURONS) for i, n in enumerate(sizes))
    activation = check.activation("[network] activation", t["activation"])
    output, cost = _network_head(check, t, sizes, activation)
    target = check.target_vector("[network] target", t["target"], sizes[-1], output)
    focus = check.listing("[network] focus", t["focus"], 2)
    focus = (
        check.integer("[network] focus[0]", focus[0], 0, sizes[-1] - 1),
        check.integer("[network] focus[1]", focus[1], 0, sizes[-2] - 1),
    )
    given_input = None
    if "input" in t:
        given_input = check.numbers("[network] input", t["input"], sizes[0], -PARAM_LIMIT, PARAM_LIMIT)
    weights, biases = _network_parameters(check, t, sizes)
    count, inputs, targets = _network_examples(check, t, sizes, output)
    return NetworkConfig(
        sizes=sizes,
        seed=check.integer("[network] seed", t["seed"], 0, MAX_SEED),
        activation=activation,
        target=target,
        focus=focus,
        input=given_input,
        weights=weights,
        biases=biases,
        examples=count,
        inputs=inputs,
        targets=targets,
        output=output,
        cost=cost,
    )


def _network_head(check: _Checker, t: dict, sizes: tuple[int, ...], activation: str) -> tuple[str, str]:
    """The output layer (``output``, by default the network's activation) and the ``cost``.

    A softmax needs two outputs or more, and the cross-entropy: with the squared error its
    ∂C0/∂z_j(L) is a sum over the softmax's Jacobian, not the one slope per neuron the lesson's
    formulas multiply by (nncore computes it; the lesson does not teach it)."""
    output = check.output("[network] output", t.get("output", activation))
    if output == "softmax" and sizes[-1] < 2:
        check.fail("[network] output", f"softmax needs at least 2 output neurons, got sizes[-1] = {sizes[-1]}")
    got = f'"{output}"' if "output" in t else f'"{output}" (the network\'s activation; set output)'
    cost = check.cost("[network] cost", t["cost"], output, 'output = "sigmoid" or "softmax"', got)
    if output == "softmax" and cost != "cross_entropy":
        check.fail("[network] output", f'softmax needs cost = "cross_entropy" (with the {cost} error, '
                                        "∂C0/∂z_j(L) sums over the softmax's Jacobian), got cost = "
                                        f'"{cost}"')
    return output, cost


def _network_parameters(check: _Checker, t: dict, sizes: tuple[int, ...]) -> tuple[tuple | None, tuple | None]:
    """The explicit ``weights`` and ``biases`` (both or neither; None: drawn from the seed)."""
    if ("weights" in t) != ("biases" in t):
        missing = "[network] weights" if "biases" in t else "[network] biases"
        check.fail(missing, "missing; weights and biases go together")
    if "weights" not in t:
        return None, None
    layers = check.listing("[network] weights", t["weights"], len(sizes) - 1)
    weights = tuple(
        tuple(
            check.numbers(f"[network] weights[{l}][{j}]", row, sizes[l], -PARAM_LIMIT, PARAM_LIMIT)
            for j, row in enumerate(check.listing(f"[network] weights[{l}]", layer, sizes[l + 1]))
        )
        for l, layer in enumerate(layers)
    )
    layers = check.listing("[network] biases", t["biases"], len(sizes) - 1)
    biases = tuple(
        check.numbers(f"[network] biases[{l}]", layer, sizes[l + 1], -PARAM_LIMIT, PARAM_LIMIT)
        for l, layer in enumerate(layers)
    )
    return weights, biases


def _network_examples(check: _Checker, t: dict, sizes: tuple[int, ...], output: str):
    """The network's examples besides its own: ``examples`` (a count, drawn from the seed) or
    explicit ``inputs`` and ``targets`` (one vector per example, each as ``target`` must be), as
    [examples] does for the chain."""
    if "inputs" in t or "targets" in t:
        if "examples" in t:
            check.fail("[network]", "give either examples (a count), or inputs and targets, not both")
        for key in ("inputs", "targets"):
            if key not in t:
                check.fail(f"[network] {key}", "missing; inputs and targets go together")
        rows = check.listing("[network] inputs", t["inputs"], low=0, high=MAX_EXAMPLES, note=NETWORK_OTHERS)
        check.listing("[network] targets", t["targets"], len(rows), low=0)
        inputs = tuple(check.numbers(f"[network] inputs[{i}]", row, sizes[0], -PARAM_LIMIT, PARAM_LIMIT)
                       for i, row in enumerate(rows))
        targets = tuple(check.target_vector(f"[network] targets[{i}]", row, sizes[-1], output)
                        for i, row in enumerate(t["targets"]))
        return 0, inputs, targets
    return check.integer("[network] examples", t.get("examples", 0), 0, MAX_EXAMPLES, NETWORK_OTHERS), None, None


def _descent(check: _Checker, t: dict) -> DescentConfig:
    return DescentConfig(
        learning_rate=check.number("[descent] learning_rate", t["learning_rate"], 0.0, MAX_LEARNING_RATE),
        steps=check.integer("[descent] steps", t["steps"], 0, MAX_STEPS),
    )
