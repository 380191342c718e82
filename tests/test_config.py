"""The lesson config: defaults, overrides, and every error as a user meets it."""

from __future__ import annotations

import json

import pytest
from conftest import BIN, CONFIGS, ROOT, run

from lessonmodel.config import ConfigError, load_config

# (file content, text the one-line message must contain)
BAD_CONFIGS = [
    ("[chain]\nweights = [1, 2]\n", "[chain] weights: expected a list of 3"),
    ("[chain]\nweights = [1, 2, 'x']\n", "[chain] weights[2]: expected a number"),
    ("[chain]\nweights = [1, 2, nan]\n", "[chain] weights[2]: expected a finite number"),
    ("[chain]\nbiases = [1, inf, 0]\n", "[chain] biases[1]: expected a finite number"),
    ("[chain]\nbiases = [1, 11, 0]\n", "[chain] biases[1]: must be in [-10, 10]"),
    ("[chain]\ninput = true\n", "[chain] input: expected a number"),
    ("[chain]\nactivation = 'softmax'\n", "[chain] activation: expected one of"),
    ("[chain]\ntarget = 1.5\n", "[chain] target: must be in [0, 1] for sigmoid"),
    ("[chain]\nactivation = 'tanh'\ntarget = -1.5\n", "[chain] target: must be in [-1, 1] for tanh"),
    ("[chain]\nactivation = 'relu'\ntarget = -0.1\n", "[chain] target: must be >= 0 for relu"),
    ("[chain]\nwieghts = [1, 2, 3]\n", "[chain] wieghts: unknown key"),
    ("[chians]\n", "[chians]: unknown section"),
    ("chain = 3\n", "[chain]: expected a table"),
    ("[examples]\ncount = 0\n", "[examples] count: must be a whole number from 1 to 8 (the examples besides "
                                 "[chain]'s input and target, which are example 0), got 0"),
    ("[examples]\ncount = 2.5\n", "[examples] count: expected a whole number"),
    ("[examples]\ninputs = [0.1, 0.2]\ntargets = [1]\n", "[examples] targets: expected a list of 2"),
    ("[examples]\ninputs = [0.1]\n", "[examples] targets: missing"),
    ("[examples]\ninputs = [0.1]\ntargets = [1]\ncount = 1\n", "[examples]: give either count and seed"),
    ("[examples]\ninputs = [0.1]\ntargets = [2]\n", "[examples] targets[0]: must be in [0, 1]"),
    ("[examples]\ninputs = [0, 0, 0, 0, 0, 0, 0, 0, 0]\ntargets = [0, 0, 0, 0, 0, 0, 0, 0, 0]\n",
     "[examples] inputs: expected a list of 1 to 8"),
    ("[network]\nsizes = [3]\n", "[network] sizes: expected a list of 2 to 4"),
    ("[network]\nsizes = [3, 3, 3, 3, 2]\n", "[network] sizes: expected a list of 2 to 4"),
    ("[network]\nsizes = [3, 7, 2]\n", "[network] sizes[1]: must be a whole number from 1 to 6"),
    ("[network]\nsizes = [3, -1, 2]\n", "[network] sizes[1]: must be a whole number from 1 to 6"),
    ("[network]\nsizes = [2, 4, 3]\n", "[network] target: expected a list of 3"),
    ("[network]\nfocus = [2, 0]\n", "[network] focus[0]: must be a whole number from 0 to 1"),
    ("[network]\ninput = [1, 2]\n", "[network] input: expected a list of 3"),
    ("[network]\nsizes = [1, 1]\ntarget = [1]\nfocus = [0, 0]\nweights = [[[1]]]\n", "[network] biases: missing"),
    ("[network]\nsizes = [1, 1]\ntarget = [1]\nfocus = [0, 0]\nweights = [[[1, 2]]]\nbiases = [[0]]\n",
     "[network] weights[0][0]: expected a list of 1"),
    ("[network]\nexamples = 9\n", "[network] examples: must be a whole number from 0 to 8 (the examples besides "
                                   "[network]'s input and target, which are example 0), got 9"),
    ("[network]\nexamples = 1.5\n", "[network] examples: expected a whole number from 0 to 8"),
    ("[network]\ninputs = [[0.1, 0.2, 0.3]]\n", "[network] targets: missing; inputs and targets go together"),
    ("[network]\ntargets = [[0, 1]]\n", "[network] inputs: missing; inputs and targets go together"),
    ("[network]\nexamples = 2\ninputs = [[0.1, 0.2, 0.3]]\ntargets = [[0, 1]]\n",
     "[network]: give either examples (a count), or inputs and targets, not both"),
    ("[network]\ninputs = [[0.1, 0.2]]\ntargets = [[0, 1]]\n", "[network] inputs[0]: expected a list of 3"),
    ("[network]\ninputs = [[0.1, 0.2, 11]]\ntargets = [[0, 1]]\n", "[network] inputs[0][2]: must be in [-10, 10]"),
    ("[network]\ninputs = [[0.1, 0.2, 0.3]]\ntargets = [[0, 1], [1, 0]]\n", "[network] targets: expected a list of 1"),
    ("[network]\ninputs = [[0.1, 0.2, 0.3]]\ntargets = [[0, 1, 1]]\n", "[network] targets[0]: expected a list of 2"),
    ("[network]\ninputs = [[0.1, 0.2, 0.3]]\ntargets = [[0, 2]]\n", "[network] targets[0][1]: must be in [0, 1]"),
    ("[network]\ninputs = 3\ntargets = [[0, 1]]\n", "[network] inputs: expected a list"),
    (f"[network]\ninputs = [{', '.join(['[0, 0, 0]'] * 9)}]\ntargets = [{', '.join(['[0, 0]'] * 9)}]\n",
     "[network] inputs: expected a list of 0 to 8 items (the examples besides [network]'s input"),
    ("[descent]\nlearning_rate = -1\n", "[descent] learning_rate: must be in [0, 100]"),
    ("[descent]\nsteps = 1000\n", "[descent] steps: must be a whole number from 0 to 200"),
    ("[chain\nweights = 1\n", "not valid TOML"),
    (b"[chain]\ninput = 0.5 # \xff\xfe\n", "not UTF-8"),
]


# the cost and the output layer: combinations that make no sense, targets the cost does not take
BAD_COSTS = [
    ("[chain]\ncost = 'hinge'\n", "[chain] cost: expected one of 'squared', 'cross_entropy', got str 'hinge'"),
    ("[chain]\nactivation = 'tanh'\ncost = 'cross_entropy'\n",
     '[chain] cost: cross_entropy needs activation = "sigmoid" (its logs need a(L) in (0, 1)), got "tanh"'),
    ("[network]\nactivation = 'relu'\ncost = 'cross_entropy'\n", '[network] cost: cross_entropy needs output = '
     '"sigmoid" or "softmax" (its logs need a(L) in (0, 1)), got "relu" (the network\'s activation; set output)'),
    ("[network]\noutput = 'tanh'\ncost = 'cross_entropy'\n", '[network] cost: cross_entropy needs output = '
     '"sigmoid" or "softmax" (its logs need a(L) in (0, 1)), got "tanh"'),
    ("[network]\noutput = 'sofmax'\n", "[network] output: expected one of 'sigmoid', 'relu', 'tanh', 'softmax'"),
    ("[network]\noutput = 'softmax'\n", '[network] output: softmax needs cost = "cross_entropy"'),
    ("[network]\noutput = 'softmax'\ncost = 'cross_entropy'\nsizes = [3, 1]\ntarget = [1]\nfocus = [0, 0]\n",
     "[network] output: softmax needs at least 2 output neurons, got sizes[-1] = 1"),
    ("[network]\noutput = 'softmax'\ncost = 'cross_entropy'\ntarget = [0.5, 0.6]\n",
     "[network] target: must sum to 1 for softmax with cross-entropy (a probability vector), got 1.1"),
    ("[network]\noutput = 'softmax'\ncost = 'cross_entropy'\ntarget = [-0.5, 1.5]\n",
     "[network] target[0]: must be in [0, 1] for softmax (its output range), got -0.5"),
    ("[network]\noutput = 'softmax'\ncost = 'cross_entropy'\ninputs = [[0.1, 0.2, 0.3]]\ntargets = [[0.5, 0.4]]\n",
     "[network] targets[0]: must sum to 1 for softmax with cross-entropy (a probability vector), got 0.9"),
    ("[network]\nactivation = 'relu'\noutput = 'sigmoid'\ntarget = [0, 2]\n",
     "[network] target[1]: must be in [0, 1] for sigmoid (its output range), got 2"),
]


@pytest.mark.parametrize("content, message", BAD_CONFIGS + BAD_COSTS)
def test_bad_config_raises_one_line_error(content, message, write_config):
    path = write_config(content)
    with pytest.raises(ConfigError) as error:
        load_config(path)
    text = str(error.value)
    assert text.startswith(str(path)) and message in text and "\n" not in text


@pytest.mark.parametrize("content, message", BAD_CONFIGS + [BAD_COSTS[1], BAD_COSTS[-2]])  # a few: ~1 s each
def test_backprop_values_reports_bad_config(content, message, write_config):
    path = write_config(content)
    result = run([str(BIN / "backprop"), "values", "--config", str(path)])
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and message in lines[0] and str(path) in lines[0]
    assert "Traceback" not in result.stderr


def test_every_test_config_is_valid_and_used():
    """The configs in tests/configs load, and each is named by some test."""
    tests = " ".join(path.read_text() for path in (ROOT / "tests").glob("test_*.py"))
    files = sorted(CONFIGS.glob("*.toml"))
    assert files
    for path in files:
        load_config(path)
        assert f'"{path.stem}"' in tests, f"{path.name} is used by no test"


def test_missing_file_is_a_one_line_error(tmp_path):
    result = run([str(BIN / "backprop"), "values", "--config", str(tmp_path / "nope.toml")])
    assert result.returncode == 2
    assert result.stderr.strip() == f"backprop: error: {tmp_path / 'nope.toml'}: file not found"


def test_partial_config_keeps_defaults(write_config):
    cfg = load_config(write_config("[chain]\ninput = 0.25\n"))
    assert cfg.chain.input == 0.25
    assert cfg.chain.weights == (-0.90, -2.49, 0.91)
    assert cfg.network.sizes == (3, 3, 2)


def test_explicit_examples_replace_count_and_seed(write_config):
    cfg = load_config(write_config("[examples]\ninputs = [0.5, 0.1]\ntargets = [1, 0]\n"))
    assert cfg.examples.inputs == (0.5, 0.1) and cfg.examples.count is None


def test_network_examples_are_example_0_and_the_others(write_config):
    """[network]'s input and target are example 0; ``examples`` (a count, default 3) or explicit
    ``inputs``/``targets`` list the others, and gradient descent averages over all of them."""
    from lessonmodel.names import AVERAGE_COST, C0, after_steps, cost
    from lessonmodel.values import descent_of, network_examples_of

    default = load_config()
    assert default.network.examples == 3 and default.network.inputs is None
    X, Y = network_examples_of(default.network)
    assert X.shape == (4, 3) and Y.shape == (4, 2)
    assert descent_of(default).cost_symbol == AVERAGE_COST
    given = load_config(write_config("[network]\ninput = [0.5, 0.5, 0.5]\ninputs = [[0.1, 0.2, 0.3]]\n"
                                     "targets = [[1, 0]]\n"))
    assert given.network.examples == 0 and given.network.inputs == ((0.1, 0.2, 0.3),)
    X, Y = network_examples_of(given.network)
    assert X.tolist() == [[0.5, 0.5, 0.5], [0.1, 0.2, 0.3]] and Y.tolist() == [[0.0, 1.0], [1.0, 0.0]]
    named = descent_of(given).named()
    assert {after_steps(AVERAGE_COST, 0), after_steps(cost(0), 0), after_steps(cost(1), 0)} <= set(named)
    alone = descent_of(load_config(write_config("[network]\nexamples = 0\n")))
    assert alone.count == 1 and alone.cost_symbol == C0
    assert after_steps(C0, 0) in alone.named() and after_steps(AVERAGE_COST, 0) not in alone.named()


def test_the_worked_example_is_example_0_of_the_chain(write_config):
    """[chain]'s input and target are example 0 of the training set; [examples] are 1, 2, ..."""
    from lessonmodel.values import training_set_of

    cfg = load_config(write_config("[chain]\ninput = 0.3\ntarget = 0.0\n[examples]\ninputs = [0.5, 0.1]\n"
                                   "targets = [1, 0]\n"))
    ex = training_set_of(cfg.chain, cfg.examples)
    assert ex.inputs.tolist() == [0.3, 0.5, 0.1] and ex.targets.tolist() == [0.0, 1.0, 0.0]


def test_environment_variable_picks_the_file(write_config, monkeypatch):
    monkeypatch.setenv("BACKPROP_CONFIG", str(write_config("[chain]\ntarget = 0.0\n")))
    assert load_config().chain.target == 0.0


def test_values_json_has_the_reference_numbers():
    result = run([str(BIN / "backprop"), "values", "--json"])
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    chain = data["values"]["chain"]
    assert round(chain["a(2)"], 2) == 0.48 and round(chain["a(3)"], 2) == 0.66
    assert round(chain["C0"], 3) == 0.116
    assert round(chain["dC0/dw(3)"], 3) == -0.074
    assert round(chain["dC0/db(3)"], 3) == -0.153
    assert round(chain["dC0/da(2)"], 3) == -0.139
    assert set(data["values"]) == {"chain", "factors", "nudges", "examples", "network", "descent"}


def test_values_table_is_readable():
    result = run([str(BIN / "backprop"), "values"])
    assert result.returncode == 0, result.stderr
    assert "[chain]" in result.stdout and "0.116" in result.stdout


@pytest.mark.parametrize("content, chain_cost, output, cost", [
    ("", "squared", "sigmoid", "squared"),
    ("[chain]\ncost = 'cross_entropy'\n", "cross_entropy", "sigmoid", "squared"),
    ("[network]\nactivation = 'tanh'\ntarget = [0.0, 0.5]\n", "squared", "tanh", "squared"),
    ("[network]\nactivation = 'relu'\noutput = 'sigmoid'\ncost = 'cross_entropy'\ntarget = [0.2, 1.0]\n",
     "squared", "sigmoid", "cross_entropy"),
    ("[network]\noutput = 'softmax'\ncost = 'cross_entropy'\ntarget = [0.25, 0.75]\n"
     "inputs = [[0, 0, 0]]\ntargets = [[1.0, 0.0]]\n", "squared", "softmax", "cross_entropy"),
])
def test_each_allowed_cost_and_output_loads(content, chain_cost, output, cost, write_config):
    """The output defaults to the network's activation; the squared error suits any output, the
    cross-entropy a sigmoid (binary) or a softmax (its targets probabilities)."""
    cfg = load_config(write_config(content))
    assert (cfg.chain.cost, cfg.network.output, cfg.network.cost) == (chain_cost, output, cost)
