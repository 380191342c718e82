"""Formulas and value names as readable words (alt text, speaker view, values list).

Every formula the default lesson declares is checked where the scenes render with the default
config (``tests/test_visual.py`` calls :func:`assert_ideas_declare_formulas`).
"""

from __future__ import annotations

import re

import pytest

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
from lessonmodel.words import formula_words, number_words, plain_typst, screen_name
from scenes.kit.notation import sym
from scenes.kit.partials import partial, partial_inline

MARKUP = re.compile(r"#|\{\{|\}\}|\$|\brgb\b|fill:|\bpartial\b|\bdot\b|\bquad\b|\bsigma\b|\^\(\(|_\(")
DECIMAL = re.compile(r"-?\d+\.\d+(?: × 10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?")


def assert_ideas_declare_formulas(scene) -> None:
    """Every step of ``scene`` declared a formula; its words carry no Typst markup; each number in
    it is one the scene recorded through ``self.number`` (so it is one nncore computed)."""
    shown = {number_words(text) for _, text in scene.shown}
    assert scene.ideas, "the scene has no steps"
    for idea in scene.ideas:
        assert idea.formula is not None, f"{type(scene).__name__}.{idea.name} declares no formula (self.sums_up)"
        words = formula_words(idea.formula.source)
        assert not MARKUP.search(words), f"{idea.name}: markup left in {words!r}"
        for number in DECIMAL.findall(words):
            assert number in shown, f"{idea.name}: {number} in {words!r} was not recorded by self.number"


def test_the_issue_example_reads_as_words():
    C, w, a, z, y = sym("C"), sym("w", "L"), sym("a", "L"), sym("z", "L"), sym("y")
    source = (f"{{{{ {partial(C, w)} : lhs }}}} = {sym('a', 'L-1')} dot sigma'({z}) dot 2({a} - {y}) "
              f"= 0.48 dot 0.225 dot (-0.681) = {{{{ -0.074 : value }}}}")
    assert formula_words(source) == (
        "∂C0/∂w(L) = a(L-1) times σ'(z(L)) times 2(a(L) - y) = 0.48 times 0.225 times (-0.681) = -0.074"
    )


@pytest.mark.parametrize("source, words", [
    (f"{sym('C')} = ({sym('a', 'L')} - {sym('y')})^2 = (0.66 - 1.00)^2 = 0.116",
     "C0 = (a(L) - y)² = (0.66 - 1.00)² = 0.116"),
    (f"{partial_inline(sym('C'), sym('w', 'L'))} = 3.2 times 10^(-5)", "∂C0/∂w(L) = 3.2 × 10⁻⁵"),
    (f"{sym('a', 'L-1', 'k')} + 0.010 arrow.double quad (Delta {sym('C')})/(Delta {sym('a', 'L-1', 'k')}) = -0.081",
     "a_k(L-1) + 0.010 ⇒ ΔC0/Δa_k(L-1) = -0.081"),
    ("nabla C = vec(0.1, 0.2)", "∇C = the column (0.1, 0.2)"),
    ('#text[step] 3: quad C = 0.5 quad #raw("dz[l]") = (W^top delta)^top', "step 3: C = 0.5, dz[l] = (Wᵀ δ)ᵀ"),
    ("C = 1/4 sum_(k=1)^4 C_k", "C = 1/4 Σ(k = 1 to 4) C_k"),
    ('"slope" = 0.25', "slope = 0.25"),
])
def test_formulas_read_as_words(source, words):
    assert formula_words(source) == words


def test_plain_typst_drops_colours_and_groups_but_stays_typst():
    source = f"{{{{ {sym('a', 'L')} : aL }}}} = {sym('w', 'L')}"
    assert plain_typst(source) == "a^((L)) = w^((L))"


@pytest.mark.parametrize("name, depth, label", [
    (weight(3), 3, "w(L)"), (activation(2), 3, "a(L-1)"), (derivative(C0, weight(3)), 3, "∂C0/∂w(L)"),
    (derivative(activation(3), weighted_sum(3)), 3, "∂a(L)/∂z(L)"), (weight(2, 0, 1), 2, "w_01(L)"),
    (path_term(derivative(C0, activation(1, 0)), 1), 2, "∂C0/∂a_0(L-1) via 1"), (C0, 3, "C0"),
    (nudged(change(C0), weight(3), 0.5), 3, "ΔC0 for Δw(L) = 0.5"), (LEARNING_RATE, None, "learning rate"),
    (weight(3), None, "w(3)"), (net_input(1), 3, "x_1"), (measured(derivative(C0, activation(2, 1))), 3,
                                                          "∂C0/∂a_1(L-1) measured"),
    (ratio(C0, bias(3)), 3, "ΔC0/Δb(L)"), (after_steps(AVERAGE_COST, 4), 3, "C after 4 steps"),
])
def test_value_names_as_on_screen(name, depth, label):
    assert screen_name(name, depth) == label


def test_numbers_as_on_screen():
    assert number_words("-7.4 times 10^(-5)") == "-7.4 × 10⁻⁵"
    assert number_words("0.116") == "0.116"
