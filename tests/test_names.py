"""The typed names of the values the lesson shows: one text form each, and wrong names refused."""

from __future__ import annotations

import doctest

import pytest

import lessonmodel.names
from lessonmodel.config import load_config
from lessonmodel.names import (
    AVERAGE_COST,
    C0,
    ERROR,
    LEARNING_RATE,
    Symbol,
    activation,
    after_steps,
    bias,
    change,
    cost,
    derivative,
    measured,
    net_input,
    nudged,
    path_term,
    ratio,
    target,
    weight,
    weighted_sum,
)
from lessonmodel.values import lesson_values

TANH_NETWORK = """
[chain]
activation = "tanh"
target = -0.5
[network]
sizes = [2, 4, 3]
seed = 5
activation = "tanh"
target = [-1.0, 0.5, 1.0]
focus = [2, 3]
"""


@pytest.mark.parametrize(
    "name, text",
    [
        (weight(3), "w(3)"),
        (activation(0), "a(0)"),
        (activation(2, 1), "a_1(2)"),
        (weight(2, 0, 1), "w_01(2)"),
        (bias(1, 2), "b_2(1)"),
        (net_input(), "x"),
        (net_input(2), "x_2"),
        (target(), "y"),
        (target(1), "y_1"),
        (target(example=3), "y_3"),
        (C0, "C0"),
        (AVERAGE_COST, "C"),
        (ERROR, "a(L) - y"),
        (LEARNING_RATE, "learning rate"),
        (derivative(C0, weight(3)), "dC0/dw(3)"),
        (derivative(cost(2), weight(3)), "dC2/dw(3)"),
        (derivative(AVERAGE_COST, bias(1)), "dC/db(1)"),
        (derivative(activation(2), weighted_sum(2)), "da(2)/dz(2)"),
        (derivative(weighted_sum(3), activation(2)), "dz(3)/da(2)"),
        (nudged(change(C0), weight(3), 0.01), "ΔC0 | Δw(3) = 0.01"),
        (nudged(ratio(C0, weight(3)), weight(3), 0.001), "ΔC0/Δw(3) | Δw(3) = 0.001"),
        (nudged(weighted_sum(3), weight(3), 0.5), "z(3) | Δw(3) = 0.5"),
        (path_term(derivative(C0, activation(1, 2)), 0), "dC0/da_2(1) via 0"),
        (measured(derivative(C0, activation(1, 2))), "dC0/da_2(1) measured"),
        (change(activation(1, 2)), "Δa_2(1)"),
        (after_steps(AVERAGE_COST, 30), "C after 30 steps"),
        (after_steps(activation(2, 1), 0), "a_1(2) after 0 steps"),
    ],
)
def test_each_name_has_its_text(name, text):
    assert str(name) == text


@pytest.mark.parametrize(
    "make",
    [
        lambda: Symbol("q", 1),  # no such kind
        lambda: Symbol("w"),  # a weight belongs to a layer
        lambda: Symbol("x", 1),  # an input does not
        lambda: Symbol("a", 1, 0, 2),  # only a weight has a second index
        lambda: Symbol("w", 1, None, 2),  # w_jk needs its j
        lambda: Symbol("z", 1, example=0),  # z belongs to no example
    ],
)
def test_a_wrong_name_is_refused_when_made(make):
    with pytest.raises(ValueError):
        make()


def test_names_are_values():
    assert derivative(C0, weight(3)) == derivative(cost(0), weight(3))
    assert len({activation(2, 1), activation(2, 1), activation(2)}) == 2
    with pytest.raises(AttributeError):
        C0.kind = "w"  # frozen


@pytest.mark.parametrize("text", [None, TANH_NETWORK], ids=["default", "tanh"])
def test_no_two_values_of_a_section_share_a_text(text, write_config):
    """``backprop values`` and values.json key each section's values by their text: one text, one name."""
    cfg = load_config(write_config(text) if text else None)
    for section, named in lesson_values(cfg).items():
        texts = [str(name) for name in named]
        assert len(set(texts)) == len(texts), section


def test_docstring_examples_run():
    result = doctest.testmod(lessonmodel.names)
    assert result.attempted > 0 and result.failed == 0
