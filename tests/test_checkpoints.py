"""The checkpoints: questions and answers computed from the config (lessonmodel.checkpoints), the
ambiguous ones left out, and where the page pauses for each (backprop.checkpoint_places). No render:
the answers are checked against the tests' own oracle (tests/expected.py), the pauses on records
built here; tests/test_composition.py checks the pauses on the scenes' real records.
"""

from __future__ import annotations

import functools
import re

import pytest
from conftest import config_file
from expected import chain_value, examples_value, factor_value, many_value, network_value, nudge_value
from hypothesis import HealthCheck, given, settings
from test_lesson_costs import expected_chain, expected_descent, expected_network
from test_reliability import valid_configs
from toml_writer import dumps

import scenes
from backprop.assemble import Clip
from backprop.checkpoint_places import place_checkpoints
from lessonmodel.checkpoints import NUDGE, checkpoints_of, parse_answer
from lessonmodel.config import CROSS_ENTROPY_TOML, load_config
from lessonmodel.fmt import decimals_for, format_number
from lessonmodel.names import (
    AVERAGE_COST,
    C0,
    activation,
    bias,
    change,
    cost,
    derivative,
    nudged,
    weight,
    weighted_sum,
)
from lessonmodel.precision import chain_table, network_table
from lessonmodel.record import Appearance, CueRecord, IdeaRecord
from lessonmodel.values import descent_of, lesson_values

ALL = ["cost", "nudge-direction", "smallest-factor", "average-nearer", "bias-derivative", "previous-activation",
       "smallest-weight-derivative", "weight-derivative-jk", "paths-sum", "descent-trend"]
DECIMAL = re.compile(r"-?\d+\.\d+(?:e[-+]\d+)?")


def as_on_screen(name, value: float) -> float:
    return float(format_number(value, decimals_for(name)))


SLOPE = derivative(activation(3), weighted_sum(3))


def on_screen(name, cfg) -> float:
    """A value of the chain's example, from the oracle, as the screen writes it."""
    return as_on_screen(name, chain_value(name, cfg))


def smallest(values: dict) -> str:
    return min(values, key=lambda key: abs(values[key]))


def _nearer(cfg) -> str:
    w = weight(3)
    count = 1 + (len(cfg.examples.inputs) if cfg.examples.inputs is not None else cfg.examples.count)
    d = [as_on_screen(derivative(cost(k), w), examples_value(derivative(cost(k), w), cfg)) for k in range(count)]
    far = max(range(1, count), key=lambda k: abs(d[k] - d[0]))
    m = as_on_screen(derivative(AVERAGE_COST, w), examples_value(derivative(AVERAGE_COST, w), cfg))
    return "0" if abs(m - d[0]) < abs(m - d[far]) else str(far)


def _paths(cfg):
    L, k = len(cfg.network.sizes) - 1, cfg.network.focus[1]
    total = many_value(derivative(C0, activation(L - 1, k)), cfg)
    return total  # a number question, or its sign for a choice question (checked below)


def _trend(cfg) -> str:
    d = descent_of(cfg)  # the steps themselves: what the oracle compares is the first and last cost
    first, last = (round(c, 3) for c in (d.history.costs[0], d.history.costs[d.steps]))
    return "falls" if last < first else "rises" if last > first else "stays"


# The right answer of each checkpoint, from the tests' oracle (a number, or the right choice's key).
ORACLES = {
    "cost": lambda cfg: chain_value(C0, cfg),
    "nudge-direction": lambda cfg: "falls" if nudge_value(nudged(change(C0), weight(3), NUDGE), cfg) < 0 else "rises",
    "smallest-factor": lambda cfg: smallest({
        "a": as_on_screen(activation(2), chain_value(activation(2), cfg)),
        "slope": as_on_screen(SLOPE, chain_value(SLOPE, cfg)),
        "cost": as_on_screen(derivative(C0, activation(3)), factor_value(derivative(C0, activation(3)), cfg))}),
    "average-nearer": _nearer,
    "bias-derivative": lambda cfg: chain_value(derivative(C0, bias(3)), cfg),
    "previous-activation": lambda cfg: "larger" if abs(on_screen(derivative(C0, activation(2)), cfg))
    > abs(on_screen(derivative(C0, weight(3)), cfg)) else "smaller",
    "smallest-weight-derivative": lambda cfg: smallest({
        key: on_screen(derivative(C0, weight(l)), cfg)
        for key, l in (("w(L)", 3), ("w(L-1)", 2), ("w(L-2)", 1))}),
    "weight-derivative-jk": lambda cfg: network_value(
        derivative(C0, weight(len(cfg.network.sizes) - 1, *cfg.network.focus)), cfg),
    "paths-sum": _paths,
    "descent-trend": _trend,
}


def test_the_default_lesson_asks_across_the_whole_story():
    found = checkpoints_of(load_config())
    assert [c.id for c in found] == ALL and len(found) >= 8
    story = list(scenes.LESSON)
    positions = [story.index(c.scene) for c in found]
    assert positions == sorted(positions)  # in story order, from the chain to gradient descent
    assert {"NeuronChain", "CostTree", "ChainRule", "AverageOverExamples", "SumOverPaths",
            "GradientDescent"} <= {c.scene for c in found}
    assert {c.kind for c in found} == {"choice", "number"}


@pytest.mark.parametrize("name", ["default", "hostile", "tanh_chain", "relu_chain", "tanh_243", "extreme_examples",
                                  "negative_targets", "saturated_two_layers", "overshoot"])
def test_answers_are_the_oracles(name):
    cfg = load_config(config_file(name))
    for c in checkpoints_of(cfg):
        oracle = ORACLES[c.id](cfg)
        if c.kind == "number":
            assert c.answer == pytest.approx(oracle, rel=1e-12, abs=1e-300), c.id
            assert c.tolerance > 0 and c.accepts(c.answer_text) and c.accepts(str(c.answer + 0.99 * c.tolerance))
            assert not c.accepts(str(c.answer - 1.01 * c.tolerance)) and not c.accepts("seven")
        else:
            right = [choice.key for choice in c.choices if choice.correct]
            expected = oracle if c.id != "paths-sum" else ("negative" if oracle < 0 else "positive")
            assert right == [expected], (c.id, right, expected)
            assert c.accepts(expected) and not any(c.accepts(x.key) for x in c.choices if not x.correct)
            assert c.answer_text in {x.text for x in c.choices}


@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=valid_configs())
def test_questions_state_only_numbers_the_screen_has_shown(doc, tmp_path):
    path = tmp_path / "lesson.toml"
    path.write_text(dumps(doc))
    cfg = load_config(path)

    def value(checkpoint, name) -> float:  # a given value, from the oracle of its part of the lesson
        if checkpoint.scene == "GradientDescent":
            return cfg.descent.learning_rate if str(name) == "learning rate" else descent_of(cfg).history.costs[0]
        if checkpoint.scene in ("WeightDerivativeWithIndices", "SumOverPaths"):
            return many_value(name, cfg)
        if checkpoint.scene == "AverageOverExamples":
            return examples_value(name, cfg)
        return factor_value(name, cfg)

    def printed(checkpoint, name) -> str:  # as the lesson prints it: the digits its arithmetic needs
        network = checkpoint.scene in ("WeightDerivativeWithIndices", "SumOverPaths", "GradientDescent")
        digits = network_table(cfg.network) if network else chain_table(cfg.chain, cfg.examples)
        return format_number(value(checkpoint, name), digits.decimals(name), digits.sci(name))

    for c in checkpoints_of(cfg):
        given_texts = {printed(c, g) for g in c.given}
        for number in DECIMAL.findall(c.question):
            assert number in given_texts, f"{c.id}: {number} is not one of its given values {given_texts}"
        if c.kind == "choice":
            assert sum(x.correct for x in c.choices) == 1, c.id


@pytest.mark.parametrize("name, left_out", [
    ("tied_factors", "smallest-factor"),  # a(L-1) = 1.00 and ReLU'(z(L)) = 1.000, both smallest
    ("flat_nudge", "nudge-direction"),  # ΔC0 = -0.0000 as shown
    ("midway_average", "average-nearer"),  # the average exactly between example 0's and example 2's
    ("tied_previous", "previous-activation"),  # w(L) = a(L-1): the two derivatives the same size
    ("tied_weight_derivatives", "smallest-weight-derivative"),  # two smallest, equal as shown
    ("cancelling_paths", "paths-sum"),  # the paths disagree and cancel: a sign that is zero
    ("one_example", "average-nearer"),  # two examples: the average is always exactly between them
])
def test_an_ambiguous_question_is_left_out(name, left_out):
    asked = [c.id for c in checkpoints_of(load_config(config_file(name)))]
    assert [i for i in ALL if i not in asked] == [left_out]


@pytest.mark.parametrize("name, change, question", [
    ("tied_factors", ("weights = [1.0, 2.0, 0.5]", "weights = [1.0, 2.01, 0.5]"), "smallest-factor"),
    ("midway_average", ("targets = [0.75, 0.0]", "targets = [0.7, 0.0]"), "average-nearer"),
    ("tied_previous", ("weights = [2.0, 0.5, 0.5]", "weights = [2.0, 0.5, 0.51]"), "previous-activation"),
])
def test_a_question_just_off_its_ambiguity_is_asked(name, change, question, write_config):
    text = config_file(name).read_text()
    assert change[0] in text
    asked = [c.id for c in checkpoints_of(load_config(write_config(text.replace(*change))))]
    assert question in asked


def test_answers_are_read_as_learners_type_them():
    assert parse_answer(" -0.15 ") == -0.15 and parse_answer("−0.15") == -0.15 and parse_answer("0,15") == 0.15
    assert parse_answer("1.5e-3") == 0.0015 and parse_answer("abc") is None and parse_answer("inf") is None


# --- where the page pauses: on records built here -----------------------------------------------


def clip(number: int, scene: str, said: list[tuple], shown: list[tuple] = ()) -> Clip:
    """A clip whose cues are (id, start, mentioned names) and whose values came on screen (name, time)."""
    cues = [CueRecord(i, "", "", s, s + 1.0, list(m)) for i, s, m in said]
    idea = IdeaRecord("idea", cues=cues, appearances=[Appearance(n, t) for n, t in shown])
    return Clip(number, scene, idea, f"{number:02}", "x.mp4", "x.png")


def placed_at(clips: list[Clip], checkpoint_id: str):
    cfg = load_config()
    found = [p for p in place_checkpoints(checkpoints_of(cfg), clips) if p.checkpoint.id == checkpoint_id]
    return (found[0].clip, found[0].at, found[0].cue) if found else None


def test_a_checkpoint_pauses_at_the_cue_that_first_reveals_its_answer():
    said = [("CostTree.nudge.1", 0.0, ()), ("CostTree.nudge.2", 1.6, ()), ("CostTree.nudge.3", 3.0, ())]
    revealed = str(nudged(change(C0), weight(3), NUDGE))
    # said by a cue: the pause is at that cue's start
    assert placed_at([clip(1, "CostTree", said + [("CostTree.nudge.4", 5.0, [revealed])])],
                     "nudge-direction") == (1, 5.0, "CostTree.nudge.4")
    # shown during a cue (its animation comes after the cue started): that cue's start
    assert placed_at([clip(1, "CostTree", said, [(revealed, 4.2)])], "nudge-direction") == (1, 3.0, "CostTree.nudge.3")
    # shown with the animation a cue starts with (the same time, in floats)
    assert placed_at([clip(1, "CostTree", said, [(revealed, 1.6 + 1e-9)])], "nudge-direction")[1:] == (
        1.6, "CostTree.nudge.2")
    # before the clip's first cue: its very start
    assert placed_at([clip(1, "CostTree", said[1:], [(revealed, 0.4)])], "nudge-direction") == (1, 0.0, None)
    # the first reveal of the lesson counts, not a later one
    first, later = clip(1, "CostTree", said, [(revealed, 4.0)]), clip(2, "CostTree", said, [(revealed, 0.5)])
    assert placed_at([first, later], "nudge-direction") == (1, 3.0, "CostTree.nudge.3")


def test_a_checkpoint_revealed_elsewhere_or_never_is_left_out():
    revealed = str(nudged(change(C0), weight(3), NUDGE))
    said = [("NeuronChain.cost.1", 0.0, [revealed])]
    assert placed_at([clip(1, "NeuronChain", said), clip(2, "CostTree", [("CostTree.nudge.1", 0.0, [revealed])])],
                     "nudge-direction") is None  # its answer came out in another scene first
    assert placed_at([clip(1, "CostTree", [("CostTree.nudge.1", 0.0, ["w(3)"])])], "nudge-direction") is None


# --- under another cost: torch's autograd as the oracle (tests/test_lesson_costs.py) --------------

COST_CONFIGS = ["cross_entropy", "softmax_network", "sigmoid_cross_entropy"]


def cost_config(name: str):
    return load_config(CROSS_ENTROPY_TOML if name == "cross_entropy" else config_file(name))


NETWORK_SCENES = ("WeightDerivativeWithIndices", "SumOverPaths", "GradientDescent")


def torch_values(cfg, checkpoint) -> dict[str, float]:
    """The values of the checkpoint's part of the lesson (the chain's, or the network's and its
    descent's) by name, from torch under the config's own cost and output."""
    return _torch(cfg, checkpoint.scene in NETWORK_SCENES)


@functools.lru_cache(maxsize=8)
def _torch(cfg, network: bool) -> dict[str, float]:
    values = {section: {str(q): v for q, v in named.items()} for section, named in lesson_values(cfg).items()}
    if network:
        return expected_network(cfg, values["network"]) | expected_descent(cfg, values["network"])
    return expected_chain(cfg, values)


def printed_by_torch(cfg, checkpoint):
    """The torch value of a name as the lesson prints it (its scenes' digits): as text, and as a number."""
    network = checkpoint.scene in NETWORK_SCENES
    digits = network_table(cfg.network) if network else chain_table(cfg.chain, cfg.examples)
    torch_ = torch_values(cfg, checkpoint)

    def text(name) -> str:
        return format_number(torch_[str(name)], digits.decimals(name), digits.sci(name))
    return text, lambda name: float(text(name))


def _cost_oracle(c, cfg) -> float | str:
    """The right answer of checkpoint ``c`` from torch's values as printed: a number, or a choice's key."""
    torch_ = torch_values(cfg, c)
    _, seen = printed_by_torch(cfg, c)
    L, (j, k) = len(cfg.network.sizes) - 1, cfg.network.focus
    if c.id == "cost":
        return torch_["C0"]
    if c.id == "nudge-direction":
        return "falls" if torch_[str(nudged(change(C0), weight(3), NUDGE))] < 0 else "rises"
    if c.id == "smallest-factor":
        return smallest({"a": seen(activation(2)), "slope": seen(SLOPE), "cost": seen(derivative(C0, activation(3)))})
    if c.id == "bias-derivative":
        return torch_["dC0/db(3)"]
    if c.id == "previous-activation":
        larger = abs(seen(derivative(C0, activation(2)))) > abs(seen(derivative(C0, weight(3))))
        return "larger" if larger else "smaller"
    if c.id == "smallest-weight-derivative":
        layers = (("w(L)", 3), ("w(L-1)", 2), ("w(L-2)", 1))
        return smallest({key: seen(derivative(C0, weight(l))) for key, l in layers})
    if c.id == "average-nearer":
        d = [seen(derivative(cost(i), weight(3))) for i in range(len([n for n in torch_ if re.fullmatch(r"x_\d+", n)]))]
        far = max(range(1, len(d)), key=lambda i: abs(d[i] - d[0]))
        m = seen(derivative(AVERAGE_COST, weight(3)))
        return "0" if abs(m - d[0]) < abs(m - d[far]) else str(far)
    if c.id == "weight-derivative-jk":
        return torch_[f"dC0/dw_{j}{k}({L})"]
    if c.id == "paths-sum":
        total = torch_[f"dC0/da_{k}({L - 1})"]
        return total if c.kind == "number" else ("negative" if total < 0 else "positive")
    first, last = torch_["C after 0 steps"], torch_[f"C after {cfg.descent.steps} steps"]
    return "falls" if round(last, 3) < round(first, 3) else "rises" if round(last, 3) > round(first, 3) else "stays"


@pytest.mark.parametrize("name", COST_CONFIGS)
def test_answers_under_the_configs_cost_are_torchs(name):
    cfg = cost_config(name)
    asked = checkpoints_of(cfg)
    assert [c.id for c in asked] == ALL
    for c in asked:
        oracle = _cost_oracle(c, cfg)
        if c.kind == "number":
            assert c.answer == pytest.approx(oracle, rel=1e-9, abs=1e-12), c.id
            assert c.accepts(c.answer_text) and c.accepts(str(oracle + 0.99 * c.tolerance))
            assert not c.accepts(str(oracle - 1.01 * c.tolerance))
        else:
            assert [x.key for x in c.choices if x.correct] == [oracle], c.id


@pytest.mark.parametrize("name", COST_CONFIGS)
def test_questions_under_another_cost_state_the_printed_numbers(name):
    cfg = cost_config(name)
    for c in checkpoints_of(cfg):
        text, _ = printed_by_torch(cfg, c)
        given = {text(g) for g in c.given}
        for number in DECIMAL.findall(c.question):
            assert number in given, f"{c.id}: {number} is not one of its given values {given}"
        if c.kind == "number":  # the answer as the lesson prints it
            assert c.answer_text == text(c.reveals[0]), c.id


def _asked(name: str) -> dict[str, str]:
    return {c.id: f"{c.question} | {c.explanation}" for c in checkpoints_of(cost_config(name))}


def test_the_cross_entropys_questions_name_its_own_derivative():
    asked = _asked("cross_entropy")
    assert not any("2(a" in text for text in asked.values())  # nothing of the squared error is left
    assert "C0 = -(y ln a(L) + (1 - y) ln(1 - a(L)))?" in asked["cost"]
    factor = "(a(L) - y)/(a(L) (1 - a(L)))"
    assert f"∂C0/∂w(L) = a(L-1) · σ'(z(L)) · {factor}, with " in asked["smallest-factor"]
    # ChainRule showed ∂C0/∂z(L) = a(L) - y: the bias's question starts from it
    assert "∂z(L)/∂b(L) = 1, and the slope cancelled against ∂C0/∂a(L): ∂C0/∂z(L) = " in asked["bias-derivative"]
    assert "σ'(z(L)) = a(L) (1 - a(L)) cancels against ∂C0/∂a(L): ∂C0/∂z(L) = a(L) - y = " in asked["bias-derivative"]
    # its network is a softmax: through ∂C0/∂z_j(L) = a_j(L) - y_j, no slope σ'(z_j(L)) of the output
    assert "∂C0/∂w_12(L) = a_2(L-1) · ∂C0/∂z_1(L)" in asked["weight-derivative-jk"]
    assert "softmax's Jacobian" in asked["weight-derivative-jk"] and "σ'" not in asked["weight-derivative-jk"]
    assert "∂C0/∂z_1(L) = a_1(L) - y_1." in asked["weight-derivative-jk"]


def test_a_softmax_network_beside_a_squared_error_chain():
    asked = _asked("softmax_network")
    assert "C0 = (a(L) - y)^2?" in asked["cost"] and "· 2(a(L) - y), with " in asked["smallest-factor"]
    assert "∂C0/∂w_21(L) = a_1(L-1) · ∂C0/∂z_2(L)" in asked["weight-derivative-jk"]
    assert "σ'" not in asked["weight-derivative-jk"] and "2(a" not in asked["weight-derivative-jk"]
    sigmoid = _asked("sigmoid_cross_entropy")["weight-derivative-jk"]
    # a sigmoid output keeps its slope as a factor, as WeightDerivativeWithIndices shows it
    assert "· σ'(z_0(L)) · (a_0(L) - y_0)/(a_0(L) (1 - a_0(L))), with " in sigmoid
