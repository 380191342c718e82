"""Formulas and value names as readable words (alt text, speaker view, values list), from the
typed formulas themselves (:func:`lessonmodel.formula.words`; every kind of node: test_formula.py).

Every formula the default lesson declares is checked where the scenes render with the default
config (``tests/test_visual.py`` calls :func:`assert_ideas_declare_formulas`).
"""

from __future__ import annotations

import re

import pytest

from lessonmodel.formula import values, words
from lessonmodel.names import (
    AVERAGE_COST,
    C0,
    LEARNING_RATE,
    activation,
    after_steps,
    bias,
    change,
    derivative,
    measured,
    net_input,
    nudged,
    path_term,
    ratio,
    weight,
    weighted_sum,
)
from lessonmodel.notation import quantity

MARKUP = re.compile(r"#|\{\{|\}\}|\$|\brgb\b|fill:|\bpartial\b|\bdot\b|\bquad\b|\bsigma\b|\^\(\(|_\(")
DECIMAL = re.compile(r"-?\d+\.\d+(?:\u00a0×\u00a010[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?")


def assert_ideas_declare_formulas(scene) -> None:
    """Every step of ``scene`` declared a formula; its words carry no Typst markup; each number in
    it is one of the formula's values, named (so it is one nncore computed)."""
    assert scene.ideas, "the scene has no steps"
    for idea in scene.ideas:
        assert idea.formula is not None, f"{type(scene).__name__}.{idea.name} declares no formula (self.sums_up)"
        text = words(idea.formula.expr)
        assert not MARKUP.search(text), f"{idea.name}: markup left in {text!r}"
        named = {words(n) for n in values(idea.formula.expr) if n.name is not None}
        for number in DECIMAL.findall(text):
            assert number in named, f"{idea.name}: {number} in {text!r} is no named value"


@pytest.mark.parametrize("name, depth, label", [
    (weight(3), 3, "w(L)"), (activation(2), 3, "a(L-1)"), (derivative(C0, weight(3)), 3, "∂C0/∂w(L)"),
    (derivative(activation(3), weighted_sum(3)), 3, "∂a(L)/∂z(L)"), (weight(2, 0, 1), 2, "w_01(L)"),
    (path_term(derivative(C0, activation(1, 0)), 1), 2, "∂C0/∂a_0(L-1) via 1"), (C0, 3, "C0"),
    (nudged(change(C0), weight(3), 0.5), 3, "ΔC0 for Δw(L) = 0.5"), (LEARNING_RATE, None, "η"),
    (weight(3), None, "w(3)"), (net_input(1), 3, "x_1"), (measured(derivative(C0, activation(2, 1))), 3,
                                                          "∂C0/∂a_1(L-1) measured"),
    (ratio(C0, bias(3)), 3, "ΔC0/Δb(L)"), (after_steps(AVERAGE_COST, 4), 3, "C after 4 steps"),
])
def test_value_names_as_on_screen(name, depth, label):
    assert words(quantity(name, depth)) == label
