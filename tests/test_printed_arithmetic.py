"""Printed arithmetic checks out by hand: the checker (tests/arithmetic.py) on formulas built here.

The lesson's own formulas are checked where the suite renders them, each time through the record
the render worker sends (whose ideas' ``printed`` formulas ``values.json`` holds as they are):
``values.json`` of the whole lesson for a tanh config (tests/test_lesson.py), every scene for the
shipped config and for generated configs (tests/test_composition.py), and the scenes the scene
tests render for other configs (tests/test_scenes.py, test_chain_rule_scenes.py,
test_gradient_scenes.py, test_many_neurons.py).
"""

from __future__ import annotations

from arithmetic import arithmetic_problems, relations, values_json_problems

from lessonmodel.formula import Eq, Num, Paren, Power, Product, Sym, add, sub, to_data


def n(value: float, decimals: int) -> Num:
    return Num(None, value, decimals)


def problems(formula) -> list[str]:
    return arithmetic_problems(to_data(formula))


def test_the_issues_cases_do_not_check_out():
    product = Eq(Sym("x"), Product(n(0.26, 2), n(0.234, 3), n(0.751, 3)), n(0.045, 3))
    assert problems(product) == ["0.26 · 0.234 · 0.751 = 0.045: the printed numbers give 0.04569"]
    squares = Eq(add(Power(Paren(sub(n(0.70, 2), n(0, 0))), n(2, 0)), Power(Paren(sub(n(0.68, 2), n(1, 0))), n(2, 0))),
                 n(0.596, 3))
    assert len(problems(squares)) == 1 and "0.592" in problems(squares)[0]
    assert len(problems(Eq(Product(n(0.219, 3), Paren(n(-0.650, 3))), n(-0.143, 3)))) == 1


def test_arithmetic_that_checks_out_passes():
    product = Eq(Sym("x"), Product(n(0.257, 3), n(0.234, 3), n(0.751, 3)), n(0.045, 3))
    assert problems(product) == [] and len(relations(to_data(product))) == 1
    cost = Eq(Sym("C", sub="0"), Power(Paren(sub(n(0.6606, 4), n(1.0, 2))), n(2, 0)), n(0.115, 3))
    assert problems(cost) == []
    assert relations(to_data(Eq(Sym("a"), n(0.66, 2)))) == []  # a value and its label: nothing to check


def test_values_json_is_read_idea_by_idea():
    wrong = to_data(Eq(Product(n(0.26, 2), n(0.234, 3)), n(0.050, 3)))
    right = to_data(Eq(Product(n(0.26, 2), n(0.234, 3)), n(0.061, 3)))
    values = {"scenes": {"ChainRule": {"ideas": [{"title": "product", "printed": [right, wrong]},
                                                 {"title": "cost factor", "printed": []}]}}}
    found, checked = values_json_problems(values)
    assert found == ["ChainRule.product: 0.26 · 0.234 = 0.050: the printed numbers give 0.06084"] and checked == 2
