"""Every weight's and every neuron's derivative in the many-neuron network, with the numbers
plugged in: what the lesson page shows when a learner clicks an edge or a neuron.

A weight w_jk(l) gets its chain-rule product ∂C0/∂w_jk(l) = a_k(l-1) · σ'(z_j(l)) · ∂C0/∂a_j(l);
a neuron a_k(l) below the output its sum over paths, one term per neuron j of layer l+1,
∂C0/∂a_k(l) = Σ_j w_jk(l+1) σ'(z_j(l+1)) ∂C0/∂a_j(l+1); an output neuron its base case
2(a_j(L) - y_j). Factors and terms come from nncore (:func:`nncore.weight_factors`,
:func:`nncore.previous_activation_factors`), the totals from its backward pass; each number is
written as the screen writes it and named as the lesson names it.

>>> from lessonmodel.config import load_config
>>> from lessonmodel.values import network_of
>>> terms = network_terms(network_of(load_config().network))
>>> terms["weights"][0]["name"], len(terms["weights"][0]["factors"])
('w_00(1)', 3)
"""

from __future__ import annotations

import nncore
from lessonmodel.fmt import decimals_for, format_number
from lessonmodel.names import C0, Quantity, activation, derivative, path_term, target, weight, weighted_sum
from lessonmodel.notation import general, layer_name, slope_written, written
from lessonmodel.values import ManyNeurons

__all__ = ["network_terms"]


def _value(name: Quantity, value: float, depth: int) -> dict:
    """A value as the page shows it: its name, its label on screen, its number and its text."""
    value = float(value)
    return {"name": str(name), "label": written(name, depth), "value": value,
            "text": format_number(value, decimals_for(name))}


def _slope(many: ManyNeurons, l: int, j: int, value: float) -> dict:
    """σ'(z_j(l)), labelled as the narration writes it."""
    L = many.net.depth
    return _value(derivative(activation(l, j), weighted_sum(l, j)), value, L) | {
        "label": slope_written(many.net.activation.name, weighted_sum(l, j), L)}


def _weight(many: ManyNeurons, l: int, j: int, k: int) -> dict:
    L = many.net.depth
    f = nncore.weight_factors(many.net, many.x, many.y, l, j, k)
    factors = [_value(activation(l - 1, k), f.first, L),
               _slope(many, l, j, f.da_dz),
               _value(derivative(C0, activation(l, j)), f.dc_da, L)]
    total = many.grads.weights[l - 1][j, k]
    return {**_value(weight(l, j, k), many.net.weights[l - 1][j, k], L), "layer": l, "j": j, "k": k,
            "derivative": _value(derivative(C0, weight(l, j, k)), total, L), "factors": factors}


def _path_terms(many: ManyNeurons, l: int, k: int) -> list[dict]:
    """The terms of ∂C0/∂a_k(l), one per neuron j of layer l+1: w_jk(l+1) σ'(z_j(l+1)) ∂C0/∂a_j(l+1)."""
    L, total = many.net.depth, derivative(C0, activation(l, k))
    terms = []
    for j in range(many.net.sizes[l + 1]):
        f = nncore.previous_activation_factors(many.net, many.x, many.y, l + 1, j, k)
        factors = [_value(weight(l + 1, j, k), f.first, L),
                   _slope(many, l + 1, j, f.da_dz),
                   _value(derivative(C0, activation(l + 1, j)), f.dc_da, L)]
        terms.append({**_value(path_term(total, j), f.product, L), "via": j, "factors": factors})
    return terms


def _neuron(many: ManyNeurons, l: int, j: int) -> dict:
    L = many.net.depth
    out = {**_value(activation(l, j), many.forward.a[l][j], L), "layer": l, "j": j,
           "derivative": _value(derivative(C0, activation(l, j)), many.grads.activations[l][j], L)}
    if l == L:
        out["base"] = [_value(activation(L, j), many.forward.a[L][j], L), _value(target(j), many.y[j], L)]
    else:
        out["terms"] = _path_terms(many, l, j)
        after = f"({layer_name(l + 1, L)})"  # the next layer's name: (L), (L-1), ...
        slope = slope_written(many.net.activation.name, general("z", layer_name(l + 1, L), "j"))
        out["rule"] = f"Σ_j w_j{j}{after} · {slope} · ∂C0/∂a_j{after}"
    return out


def network_terms(many: ManyNeurons) -> dict:
    """The network's sizes and activation, then every neuron (layer by layer, input first) and
    every weight (w_jk(l), l = 1..L), each with its derivative and what it is made of."""
    sizes = many.net.sizes
    return {
        "sizes": sizes,
        "activation": many.net.activation.name,
        "neurons": [_neuron(many, l, j) for l in range(len(sizes)) for j in range(sizes[l])],
        "weights": [_weight(many, l, j, k) for l in range(1, len(sizes)) for j in range(sizes[l])
                    for k in range(sizes[l - 1])],
    }
