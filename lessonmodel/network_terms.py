"""Every weight's and every neuron's derivative in the many-neuron network, with the numbers
plugged in: what the lesson page shows when a learner clicks an edge or a neuron.

A weight w_jk(l) gets its chain-rule product ∂C0/∂w_jk(l) = a_k(l-1) · σ'(z_j(l)) · ∂C0/∂a_j(l);
a neuron a_k(l) below the output its sum over paths, one term per neuron j of layer l+1,
∂C0/∂a_k(l) = Σ_j w_jk(l+1) σ'(z_j(l+1)) ∂C0/∂a_j(l+1); an output neuron its base case, the
cost's own derivative (2(a_j(L) - y_j) for the squared error: :func:`lessonmodel.notation.cost_notation`).

Where the cost cancels the output's slope (a sigmoid under the binary cross-entropy, a softmax
under the cross-entropy), the output layer's two factors are one, ∂C0/∂z_j(L) = a_j(L) - y_j:
w_jk(L)'s product is a_k(L-1) · ∂C0/∂z_j(L), each path of a_k(L-1) is w_jk(L) · ∂C0/∂z_j(L), and
an output neuron shows why. A softmax's a_j(L) depends on every z_i(L), so it has no one slope
σ'(z_j(L)) to show: its ∂C0/∂z_j(L) is a sum over its Jacobian, which nncore computes (its
backward pass's ``z``) and the cross-entropy simplifies to a_j(L) - y_j.

Factors and terms come from nncore (:func:`nncore.weight_factors`,
:func:`nncore.previous_activation_factors`, :func:`nncore.path_terms`), the totals from its
backward pass; each number is written as the screen writes it and named as the lesson names it.
A line that mixes words and numbers (``lines``, ``notes``) is a list of parts: text, or a value.

>>> from lessonmodel.config import load_config
>>> from lessonmodel.precision import network_table
>>> from lessonmodel.values import network_of
>>> cfg = load_config().network
>>> terms = network_terms(network_of(cfg), network_table(cfg))
>>> terms["weights"][0]["name"], len(terms["weights"][0]["factors"])
('w_00(1)', 3)
>>> [p if isinstance(p, str) else p["text"] for p in terms["neurons"][-1]["lines"][1]["parts"]]
['= 2(', '0.1857', ' - ', '1.00', ') = ', '-1.629']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import nncore
from lessonmodel.fmt import decimals_for, format_number
from lessonmodel.formula import Eq, Lit, Math, Partial, Product, SumOver, words
from lessonmodel.names import C0, Quantity, activation, derivative, path_term, target, weight, weighted_sum
from lessonmodel.notation import (
    ACTIVATIONS,
    cost_notation,
    general,
    layer_name,
    quantity,
    slope_written,
    symbol,
    written,
)
from lessonmodel.precision import Table
from lessonmodel.values import ManyNeurons

__all__ = ["network_terms"]


@dataclass(frozen=True)
class _Panel:
    """The network, its example and the digits its values are printed with."""

    many: ManyNeurons
    digits: Table | None

    @property
    def L(self) -> int:
        return self.many.net.depth

    def value(self, name: Quantity, value: float) -> dict:
        """A value as the page shows it: its name, its label on screen, its number and its text."""
        value = float(value)
        digits = (decimals_for(name), 1) if self.digits is None else (self.digits.decimals(name), self.digits.sci(name))
        return {"name": str(name), "label": written(name, self.L), "value": value,
                "text": format_number(value, *digits)}


@dataclass(frozen=True)
class _Slot(Lit):
    """Where a value goes in a line of the page: a marker in the words, negative as its value is
    (so a formula puts it in parentheses after an operator, as it would the number)."""

    minus: bool = False

    def negative(self) -> bool:
        return self.minus


_MARK = re.compile("\x00(\\d+)\x00")


def _line(kind: str, formula: Math, values: list[dict], before: str = "") -> dict:
    """A line of the panel (``kind``: its class): ``formula`` in words, with ``values[i]`` where its
    :func:`_slots` ``i`` are."""
    pieces = _MARK.split(before + words(formula))
    parts = [values[int(p)] if i % 2 else p for i, p in enumerate(pieces)]
    return {"class": kind, "parts": [p for p in parts if p != ""]}


def _slots(values: list[dict]) -> list[_Slot]:
    return [_Slot(f"\x00{i}\x00", minus=v["text"].startswith("-")) for i, v in enumerate(values)]


def _output_error(panel: _Panel, j: int) -> dict:
    """∂C0/∂z_j(L), the output's error where the cost cancels its slope (a_j(L) - y_j), from nncore's
    backward pass."""
    many, L = panel.many, panel.L
    return panel.value(derivative(C0, weighted_sum(L, j)), many.grads.z[L][j])


def _slope(panel: _Panel, l: int, j: int, value: float) -> dict:
    """σ'(z_j(l)), labelled as the narration writes it."""
    many, L = panel.many, panel.L
    return panel.value(derivative(activation(l, j), weighted_sum(l, j)), value) | {
        "label": slope_written(many.net.layer_activation(l).name, weighted_sum(l, j), L)}


def _cancelled(panel: _Panel, l: int) -> bool:
    """Whether layer l's two factors σ'(z_j(l)) · ∂C0/∂a_j(l) are one, ∂C0/∂z_j(L) = a_j(L) - y_j."""
    return l == panel.L and panel.many.net.slope_cancels


def _weight(panel: _Panel, l: int, j: int, k: int) -> dict:
    many = panel.many
    first = panel.value(activation(l - 1, k), many.forward.a[l - 1][k])
    if _cancelled(panel, l):
        factors = [first, _output_error(panel, j)]
    else:
        f = nncore.weight_factors(many.net, many.x, many.y, l, j, k)
        factors = [first, _slope(panel, l, j, f.da_dz), panel.value(derivative(C0, activation(l, j)), f.dc_da)]
    total = many.grads.weights[l - 1][j, k]
    return {**panel.value(weight(l, j, k), many.net.weights[l - 1][j, k]), "layer": l, "j": j, "k": k,
            "derivative": panel.value(derivative(C0, weight(l, j, k)), total), "factors": factors,
            "notes": _error_lines(panel, j) if _cancelled(panel, l) else []}


def _path_terms(panel: _Panel, l: int, k: int) -> list[dict]:
    """The terms of ∂C0/∂a_k(l), one per neuron j of layer l+1: w_jk(l+1) σ'(z_j(l+1)) ∂C0/∂a_j(l+1),
    or w_jk(L) ∂C0/∂z_j(L) where the output's slope cancels."""
    many, total = panel.many, derivative(C0, activation(l, k))
    products = nncore.path_terms(many.net, many.x, many.y, l + 1, k)
    terms = []
    for j in range(many.net.sizes[l + 1]):
        w = panel.value(weight(l + 1, j, k), many.net.weights[l][j, k])
        if _cancelled(panel, l + 1):
            factors = [w, _output_error(panel, j)]
        else:
            f = nncore.previous_activation_factors(many.net, many.x, many.y, l + 1, j, k)
            factors = [w, _slope(panel, l + 1, j, f.da_dz), panel.value(derivative(C0, activation(l + 1, j)), f.dc_da)]
        terms.append({**panel.value(path_term(total, j), products[j]), "via": j, "factors": factors})
    return terms


def _rule(panel: _Panel, l: int, k: int) -> str:
    """∂C0/∂a_k(l)'s sum over paths, in general: Σ_j w_jk(l+1) · σ'(z_j(l+1)) · ∂C0/∂a_j(l+1)."""
    many, L = panel.many, panel.L
    after = layer_name(l + 1, L)
    if _cancelled(panel, l + 1):
        return f"Σ_j w_j{k}({after}) · ∂C0/∂z_j({after})"
    slope = slope_written(many.net.layer_activation(l + 1).name, general("z", after, "j"), L)
    return f"Σ_j w_j{k}({after}) · {slope} · ∂C0/∂a_j({after})"


def _base_lines(panel: _Panel, j: int) -> list[dict]:
    """An output neuron's ∂C0/∂a_j(L): the cost's derivative, in symbols, then with its numbers."""
    many, L = panel.many, panel.L
    notation = cost_notation(many.net.cost_function)
    a, y = symbol(activation(L, j), L), symbol(target(j), L)
    values = [panel.value(activation(L, j), many.forward.a[L][j]), panel.value(target(j), many.y[j])]
    dc = panel.value(derivative(C0, activation(L, j)), many.grads.activations[L][j])
    slots = _slots([*values, dc])
    return [_line("panel-rule", Eq(quantity(derivative(C0, activation(L, j)), L), notation.derivative(a, y)), []),
            _line("panel-numbers", Eq(notation.derivative(*slots[:2]), slots[2]), [*values, dc], "= ")]


def _error_lines(panel: _Panel, j: int) -> list[dict]:
    """Why ∂C0/∂z_j(L) = a_j(L) - y_j where the cost cancels the output's slope: σ'(z_j(L)) times
    ∂C0/∂a_j(L) on a sigmoid, the sum over the softmax's Jacobian on a softmax; then its numbers."""
    many, L = panel.many, panel.L
    notation = cost_notation(many.net.cost_function)
    a, y = symbol(activation(L, j), L), symbol(target(j), L)
    dz = quantity(derivative(C0, weighted_sum(L, j)), L)
    if many.net.output_activation.name == "softmax":
        a_i = general("a", "L", "i")  # every output of the softmax depends on z_j(L)
        through = SumOver(Product(Partial(a_i, symbol(weighted_sum(L, j), L)), Partial(symbol(C0), a_i)), "i")
    else:
        slope = ACTIVATIONS[many.net.output_activation.name].slope(symbol(weighted_sum(L, j), L))
        through = Product(slope, quantity(derivative(C0, activation(L, j)), L))
    values = [panel.value(activation(L, j), many.forward.a[L][j]), panel.value(target(j), many.y[j]),
              _output_error(panel, j)]
    slots = _slots(values)
    return [_line("panel-rule", Eq(dz, through, notation.output_error(a, y)), []),
            _line("panel-numbers", Eq(notation.output_error(*slots[:2]), slots[2]), values, "= ")]


def _neuron(panel: _Panel, l: int, j: int) -> dict:
    many, L = panel.many, panel.L
    out = {**panel.value(activation(l, j), many.forward.a[l][j]), "layer": l, "j": j,
           "derivative": panel.value(derivative(C0, activation(l, j)), many.grads.activations[l][j])}
    if l == L:
        out["lines"] = _base_lines(panel, j) + (_error_lines(panel, j) if _cancelled(panel, L) else [])
    else:
        out["terms"] = _path_terms(panel, l, j)
        out["rule"] = _rule(panel, l, j)
    return out


def network_terms(many: ManyNeurons, digits: Table | None = None) -> dict:
    """The network's sizes, activation, output layer and cost, then every neuron (layer by layer,
    input first) and every weight (w_jk(l), l = 1..L), each with its derivative and what it is
    made of; each number with the decimals ``digits`` give it (the lesson's, from
    :func:`lessonmodel.precision.network_table`), or its kind's."""
    sizes, panel = many.net.sizes, _Panel(many, digits)
    return {
        "sizes": sizes,
        "activation": many.net.activation.name,
        "output": many.net.output_activation.name,
        "cost": many.net.cost_function.name,
        "neurons": [_neuron(panel, l, j) for l in range(len(sizes)) for j in range(sizes[l])],
        "weights": [_weight(panel, l, j, k) for l in range(1, len(sizes)) for j in range(sizes[l])
                    for k in range(sizes[l - 1])],
    }
