"""The typed formulas: one tree, three forms (Typst, words, speech), for every kind of node the
lesson uses, and the notation table for all three activations."""

from __future__ import annotations

import pytest

from lessonmodel.formula import (
    Code,
    Delta,
    Eq,
    Frac,
    Group,
    Line,
    Lit,
    Neg,
    Num,
    Paren,
    Partial,
    Power,
    Product,
    Row,
    Signed,
    SumOver,
    Sym,
    Text,
    Transpose,
    Vector,
    add,
    items,
    number_speech,
    speech,
    sub,
    symbols,
    typst,
    typst_markup,
    values,
    words,
)
from lessonmodel.names import C0, ERROR, LEARNING_RATE, activation, bias, cost, derivative, target, weight
from lessonmodel.notation import (
    SOFTMAX,
    activation_notation,
    cost_derivative,
    cost_notation,
    general,
    gradient_of,
    layer_name,
    quantity,
    squared_error,
    symbol,
)

L = 3
a, y, w, z = symbol(activation(L), L), symbol(target()), symbol(weight(L), L), general("z", "L")
a_prev = symbol(activation(L - 1), L)


def num(value: float, decimals: int = 3) -> Num:
    return Num(None, value, decimals)


# node -> (Typst without colour, words, speech)
CASES = [
    (a_prev, "a^((L-1))", "a(L-1)", "a of layer L minus one"),
    (symbol(weight(L, 1, 2), L), "w_(12)^((L))", "w_12(L)", "w one two of layer L"),
    (general("w", "l", "j k"), "w_(j k)^((l))", "w_jk(l)", "w j k of layer l"),
    (symbol(C0), "C_(0)", "C0", "C zero"),
    (symbol(cost(2)), "C_(2)", "C_2", "C two"),
    (symbol(LEARNING_RATE), "eta", "η", "eta"),
    (num(-0.074), "-0.074", "-0.074", "minus zero point zero seven four"),
    (num(3.2e-5), "3.2 times 10^(-5)", "3.2\u00a0×\u00a010⁻⁵", "three point two times ten to the minus five"),
    (num(12.5, 2), "12.50", "12.50", "twelve point five zero"),
    (Eq(Partial(symbol(C0), w), num(-0.074)), "(partial C_(0))/(partial w^((L))) = -0.074", "∂C0/∂w(L) = -0.074",
     "d C zero by d w of layer L equals minus zero point zero seven four"),
    (Partial(symbol(C0), w, inline=True), "partial C_(0) \\/ partial w^((L))", "∂C0/∂w(L)",
     "d C zero by d w of layer L"),
    (sub(num(0.81, 2), num(-0.5, 2)), "0.81 - (-0.50)", "0.81 - (-0.50)",
     "zero point eight one minus negative zero point five zero"),
    (Product(num(-0.9, 2), num(0.5, 2)), "(-0.90) dot 0.50", "(-0.90) · 0.50",
     "negative zero point nine zero times zero point five zero"),
    (add(Product(w, a_prev, op=""), symbol(bias(L), L)), "w^((L)) a^((L-1)) + b^((L))", "w(L) a(L-1) + b(L)",
     "w of layer L times a of layer L minus one plus b of layer L"),
    (squared_error(a, y), "(a^((L)) - y)^2", "(a(L) - y)^2", "a of layer L minus y, squared"),
    (cost_derivative(a, y), "2(a^((L)) - y)", "2(a(L) - y)", "two times, a of layer L minus y"),
    (cost_notation("squared").share(a, y), "(a^((L)) - y)^2", "(a(L) - y)^2", "a of layer L minus y, squared"),
    (cost_notation("binary_cross_entropy").share(a, y), "-(y ln a^((L)) + (1 - y) ln(1 - a^((L))))",
     "-(y ln a(L) + (1 - y) ln(1 - a(L)))",
     "minus, y times log of a of layer L plus, one minus y, times log of, one minus a of layer L"),
    (cost_notation("binary_cross_entropy").derivative(a, y), "(a^((L)) - y)/(a^((L)) (1 - a^((L))))",
     "(a(L) - y)/(a(L) (1 - a(L)))", "a of layer L minus y, over, a of layer L times, one minus a of layer L"),
    (cost_notation("binary_cross_entropy").output_error(a, y), "a^((L)) - y", "a(L) - y", "a of layer L minus y"),
    (cost_notation("cross_entropy").summed(general("a", "L", "j"), general("y", sub="j")),
     "-sum_j y_(j) ln a_(j)^((L))", "-Σ_j y_j ln a_j(L)", "minus the sum over j of y j times log of a j of layer L"),
    (cost_notation("cross_entropy").derivative(a, y), "-y/a^((L))", "-y/a(L)", "minus y over a of layer L"),
    (SOFTMAX.general(general("z", "L", "j"), general("z", "L", "i")), "(e^(z_(j)^((L))))/(sum_i e^(z_(i)^((L))))",
     "e^(z_j(L))/Σ_i e^(z_i(L))", "e to the power z j of layer L over the sum over i of e to the power z i of layer L"),
    (activation_notation("sigmoid").slope(z), "sigma'(z^((L)))", "σ'(z(L))", "sigma prime of z of layer L"),
    (activation_notation("tanh").of(z), "tanh(z^((L)))", "tanh(z(L))", "tan h of z of layer L"),
    (activation_notation("relu").slope(z), 'op("ReLU")\'(z^((L)))', "ReLU'(z(L))", "ReLU prime of z of layer L"),
    (Delta(symbol(C0)), "Delta C_(0)", "ΔC0", "delta C zero"),
    (Frac(Delta(symbol(C0)), Delta(w)), "(Delta C_(0))/(Delta w^((L)))", "ΔC0/Δw(L)",
     "delta C zero over delta w of layer L"),
    (Frac("1", "5"), "1/5", "1/5", "one over five"),
    (SumOver(general("C", sub="k", color="C"), "k", Lit("0"), Lit("4")), "sum_(k=0)^4 C_(k)",
     "Σ(k = 0 to 4) C_k", "the sum for k from zero to four of C k"),
    (SumOver(general("a", "L", "j"), "j"), "sum_j a_(j)^((L))", "Σ_j a_j(L)", "the sum over j of a j of layer L"),
    (Neg(Partial(symbol(C0), w)), "-(partial C_(0))/(partial w^((L)))", "-∂C0/∂w(L)",
     "minus d C zero by d w of layer L"),
    (gradient_of(symbol(cost(None))), "nabla C", "∇C", "nabla C"),
    (Neg(gradient_of(symbol(cost(None))), words_minus="−"), "-nabla C", "−∇C", "minus nabla C"),
    (Transpose(general("W", "l+1", color="w")), "W^((l+1))^top", "W(l+1)ᵀ", "W of layer l plus one transposed"),
    (Vector((num(0.1), num(0.2))), "vec(0.100, 0.200)", "the column (0.100, 0.200)",
     "the column zero point one zero zero, zero point two zero zero"),
    (items(Eq(a, num(0.66, 2)), Eq(y, num(1.0, 2))), "a^((L)) = 0.66, quad y = 1.00", "a(L) = 0.66, y = 1.00",
     "a of layer L equals zero point six six, y equals one point zero zero"),
    (Row(Text("slope"), num(0.225), sep=" = "), '"slope" = 0.225', "slope = 0.225",
     "slope equals zero point two two five"),
    (Code("dz[l]"), '#raw("dz[l]")', "dz[l]", "dz l"),
    (Group("v", num(-0.074)), "{{ -0.074 : v }}", "-0.074", "minus zero point zero seven four"),
    (Product(Group("f", Signed(num(-0.681))), num(0.2)), "{{ (-0.681) : f }} dot 0.200", "(-0.681) · 0.200",
     "negative zero point six eight one times zero point two zero zero"),
    (Power(Paren(sub(Group("a", a), y)), Group("sq", Lit("2"))), "({{ a^((L)) : a }} - y)^{{ 2 : sq }}",
     "(a(L) - y)^2", "a of layer L minus y, squared"),
]


@pytest.mark.parametrize(("node", "source", "text", "said"), CASES, ids=[c[2] for c in CASES])
def test_one_tree_renders_three_ways(node, source, text, said):
    assert typst(node) == source
    assert words(node) == text
    assert speech(node) == said


def test_paint_colours_symbols_by_key_and_groups_can_be_left_out():
    def paint(key, tint):
        return {"a": "#FFFFFF", "b": "#AA0000"}.get(key) if not tint else "#FF8888"

    assert typst(a, paint) == '#text(fill: rgb("#FFFFFF"))[$a^((L))$]'
    assert typst(symbol(bias(L), L, tint=True), paint) == '#text(fill: rgb("#FF8888"))[$b^((L))$]'
    assert typst(Group("x", a), paint, groups=False) == '#text(fill: rgb("#FFFFFF"))[$a^((L))$]'
    split = Sym("w", "L", (Group("j", Lit("1")), Group("k", Lit("2"))), color="a")
    assert typst(split, paint) == ('#text(fill: rgb("#FFFFFF"))[$w$]_({{ 1 : j }} {{ 2 : k }})'
                                   '^(#text(fill: rgb("#FFFFFF"))[$(L)$])')
    assert words(split) == "w_12(L)"


def test_a_cue_is_words_and_speech_and_names_its_values():
    value = Num(derivative(C0, weight(L)), -0.0741, 3)
    cue = Line("Multiply: ", Eq(Partial(symbol(C0), w), value), ".")
    assert words(cue) == "Multiply: ∂C0/∂w(L) = -0.074."
    assert speech(cue) == "Multiply: d C zero by d w of layer L equals minus zero point zero seven four."
    assert values(cue) == [value]
    assert [s.name for s in symbols(cue)] == [C0, weight(L)]
    with pytest.raises(TypeError):
        typst(cue)


def test_prose_in_a_document_is_escaped_and_formulas_are_math():
    assert typst_markup(Line("Compute *this* #now: ", Eq(a, num(0.5, 2)), ".")) == (
        "Compute \\*this\\* \\#now: $a^((L)) = 0.50$.")


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu"])
def test_every_activation_has_its_own_symbol_and_spoken_name(name):
    sigma = activation_notation(name)
    said = speech(sigma.slope(z))
    assert said.endswith("prime of z of layer L") and not said.startswith("sigma prime") or name == "sigmoid"
    assert words(sigma.of(z)) == {"sigmoid": "σ", "tanh": "tanh", "relu": "ReLU"}[name] + "(z(L))"


def test_numbers_are_said_digit_by_digit_after_the_point():
    assert number_speech("0") == "zero"
    assert number_speech("-1.00") == "minus one point zero zero"
    assert number_speech("305.5") == "three hundred five point five"
    assert number_speech("19") == "nineteen"
    assert number_speech("7.7", "5") == "seven point seven times ten to the five"
    assert number_speech("4250") == "four thousand two hundred fifty"


def test_layers_are_named_from_the_end_and_value_labels_read_as_on_screen():
    assert [layer_name(l, 4) for l in range(5)] == ["L-4", "L-3", "L-2", "L-1", "L"]
    assert words(quantity(ERROR, L)) == "a(L) - y"
    assert words(quantity(derivative(activation(L), activation(L - 1)), L)) == "∂a(L)/∂a(L-1)"


@pytest.mark.parametrize("module", ["lessonmodel.formula", "lessonmodel.notation"])
def test_docstring_examples_run(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
