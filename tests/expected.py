"""Expected values for the numbers scenes show, computed here straight from nncore.

Independent of ``lessonmodel.values`` (which scenes use): a name maps to an nncore call, so a scene
that shows a wrong or stale number fails its test. Names are those of ``lessonmodel.values``.
"""

from __future__ import annotations

import re

import numpy as np

import nncore
from lessonmodel.fmt import decimals_for, format_number, typst_number
from lessonmodel.values import examples_of, network_of

__all__ = ["chain_value", "factor_value", "examples_value", "network_value", "assert_shows_only_core_numbers"]
__all__ += ["nudge_value", "chain_lesson_value"]


def chain_value(name: str, cfg) -> float:
    """A value of the [chain] section: forward values, cost and derivatives."""
    c = cfg.chain
    net = nncore.Network.chain(c.weights, c.biases, c.activation)
    x, y = [c.input], [c.target]
    fwd, grads = net.forward(x), net.backward(x, y)
    fixed = {"x": c.input, "a(0)": c.input, "y": c.target, "C0": net.cost(x, y),
             "a(L) - y": fwd.a[-1][0] - c.target, "dC0/da(0)": grads.activations[0][0]}
    if name in fixed:
        return float(fixed[name])
    if m := re.fullmatch(r"([wbza])\((\d)\)", name):
        kind, l = m.group(1), int(m.group(2))
        table = {"w": net.weights[l - 1][0, 0] if l else None, "b": net.biases[l - 1][0] if l else None,
                 "z": fwd.z[l][0], "a": fwd.a[l][0]}
        return float(table[kind])
    if m := re.fullmatch(r"da\((\d)\)/dz\(\1\)", name):
        l = int(m.group(1))
        return float(net.activation.prime(fwd.z[l])[0])
    if m := re.fullmatch(r"dC0/d([wba])\((\d)\)", name):
        kind, l = m.group(1), int(m.group(2))
        factors = {"w": nncore.weight_factors, "b": nncore.bias_factors}
        if kind == "a":
            return float(grads.activations[l][0])
        return float(factors[kind](net, x, y, l).product)
    raise KeyError(f"no expected value for chain value {name!r}")


def factor_value(name: str, cfg) -> float:
    """A chain-rule factor of the chain's example (``"dz(2)/dw(2)"``, ``"dz(3)/da(2)"``, ...), read
    off the forward pass by its formula; any other name is a :func:`chain_value`."""
    c = cfg.chain
    net = nncore.Network.chain(c.weights, c.biases, c.activation)
    fwd = net.forward([c.input])
    if m := re.fullmatch(r"dz\((\d)\)/dw\(\1\)", name):
        return float(fwd.a[int(m.group(1)) - 1][0])  # ∂z(l)/∂w(l) = a(l-1)
    if re.fullmatch(r"dz\((\d)\)/db\(\1\)", name):
        return 1.0  # ∂z(l)/∂b(l) = 1
    if m := re.fullmatch(r"dz\((\d)\)/da\((\d)\)", name):
        l = int(m.group(1))
        assert int(m.group(2)) == l - 1, name
        return float(net.weights[l - 1][0, 0])  # ∂z(l)/∂a(l-1) = w(l)
    if name == f"dC0/da({net.depth})":
        return float(2 * (fwd.a[-1][0] - c.target))  # 2(a(L) - y)
    return chain_value(name, cfg)


def examples_value(name: str, cfg) -> float:
    """A value of the [examples] section: each example, its own ∂C_k/∂w(L), the averages."""
    c = cfg.chain
    net = nncore.Network.chain(c.weights, c.biases, c.activation)
    ex = examples_of(cfg.examples)
    X, Y = ex.inputs[:, None], ex.targets[:, None]
    if m := re.fullmatch(r"([xy])_(\d+)", name):
        return float((ex.inputs if m.group(1) == "x" else ex.targets)[int(m.group(2))])
    if m := re.fullmatch(r"dC(\d+)/dw\((\d)\)", name):
        k, l = int(m.group(1)), int(m.group(2))
        return float(nncore.weight_factors(net, X[k], Y[k], l).product)
    if name == "C":
        return float(np.mean([net.cost(x, y) for x, y in zip(X, Y)]))
    if m := re.fullmatch(r"dC/d([wb])\((\d)\)", name):
        kind, l = m.group(1), int(m.group(2))
        one = nncore.weight_factors if kind == "w" else nncore.bias_factors
        return float(np.mean([one(net, x, y, l).product for x, y in zip(X, Y)]))
    raise KeyError(f"no expected value for examples value {name!r}")


def network_value(name: str, cfg) -> float:
    """A value of the [network] section, from the configured network and example."""
    many = network_of(cfg.network)
    net, x, y = many.net, many.x, many.y
    fwd, grads = net.forward(x), net.backward(x, y)
    if name == "C0":
        return net.cost(x, y)
    if m := re.fullmatch(r"y_(\d+)", name):
        return float(y[int(m.group(1))])
    if m := re.fullmatch(r"([wbza])_(\d)(\d)?\((\d)\)", name):
        kind, j, k, l = m.group(1), int(m.group(2)), m.group(3), int(m.group(4))
        if kind == "w":
            return float(net.weights[l - 1][j, int(k)])
        return float({"b": lambda: net.biases[l - 1][j], "z": lambda: fwd.z[l][j], "a": lambda: fwd.a[l][j]}[kind]())
    if m := re.fullmatch(r"dC0/d([wba])_(\d)(\d)?\((\d)\)", name):
        kind, j, k, l = m.group(1), int(m.group(2)), m.group(3), int(m.group(4))
        if kind == "w":
            return float(nncore.weight_factors(net, x, y, l, j, int(k)).product)
        if kind == "b":
            return float(nncore.bias_factors(net, x, y, l, j).product)
        return float(grads.activations[l][j])
    raise KeyError(f"no expected value for network value {name!r}")


NUMBER = re.compile(r"-?\d+\.\d+(?: times 10\^\(-?\d+\))?")


def assert_shows_only_core_numbers(scene, expected, plain_texts=()) -> None:
    """Every number the scene recorded matches ``expected(name)``, and every number literal in
    its formulas (and in ``plain_texts``, e.g. subtitle lines) is one it recorded."""
    assert scene.shown, "the scene recorded no numbers"
    for name, text in scene.shown:
        value = expected(name)
        assert text in (typst_number(value, decimals_for(name)), format_number(value, decimals_for(name))), name
    recorded = {text.lstrip("-") for _, text in scene.shown}
    for source in scene.typeset:
        for literal in NUMBER.findall(source):
            assert literal.lstrip("-") in recorded, (literal, source)
    for line in plain_texts:
        for literal in re.findall(r"\d+\.\d+(?:e[+-]\d+)?", line):
            assert literal in recorded, (literal, line)


def nudge_value(name: str, cfg) -> float:
    """A value after the nudge w(l) += Δ (names of ``lessonmodel.values.nudge_name``), computed by
    running a second chain with the nudged weight, not with ``nncore.nudge``."""
    m = re.fullmatch(r"(.+) \| Δw\((\d)\) = (.+)", name)
    if not m:
        raise KeyError(f"no expected value for nudge value {name!r}")
    quantity, l, delta = m.group(1), int(m.group(2)), float(m.group(3))
    c = cfg.chain
    weights = list(c.weights)
    weights[l - 1] += delta
    before = nncore.Network.chain(c.weights, c.biases, c.activation)
    after = nncore.Network.chain(weights, c.biases, c.activation)
    x, y = [c.input], [c.target]
    f0, f1 = before.forward(x), after.forward(x)
    c0, c1 = before.cost(x, y), after.cost(x, y)
    if quantity == f"Δw({l})":
        return delta
    if quantity == f"w({l})":
        return float(after.weights[l - 1][0, 0])
    if quantity == "C0":
        return c1
    if quantity == "ΔC0":
        return c1 - c0
    if quantity == f"ΔC0/Δw({l})":
        return (c1 - c0) / delta
    if q := re.fullmatch(r"(Δ?)([za])\((\d)\)", quantity):
        change, kind, level = q.group(1), q.group(2), int(q.group(3))
        new, old = (getattr(f, kind)[level][0] for f in (f1, f0))
        return float(new - old if change else new)
    raise KeyError(f"no expected value for nudge value {name!r}")


def chain_lesson_value(name: str, cfg) -> float:
    """A [chain] value (:func:`chain_value`) or a value after a nudge (:func:`nudge_value`)."""
    return nudge_value(name, cfg) if " | " in name else chain_value(name, cfg)


# --- the many-neuron scenes (issue 4) ---------------------------------------------------------

__all__ += ["many_value", "descent_value"]


def many_value(name: str, cfg) -> float:
    """A value of the many-neuron scenes: :func:`network_value`'s names and the slopes σ'(z_j(l)),
    the δ_j(l), the path terms, the nudge of a_k(L-1) and its measured ratio."""
    from lessonmodel.values import NUDGE

    many = network_of(cfg.network)
    net, x, y = many.net, many.x, many.y
    if m := re.fullmatch(r"da_(\d)\((\d)\)/dz_\1\(\2\)", name):
        return nncore.bias_factors(net, x, y, int(m.group(2)), int(m.group(1))).da_dz
    if m := re.fullmatch(r"dC0/dz_(\d)\((\d)\)", name):
        return nncore.bias_factors(net, x, y, int(m.group(2)), int(m.group(1))).product
    if m := re.fullmatch(r"dC0/da_(\d)\((\d)\) via (\d)", name):
        k, l, j = int(m.group(1)), int(m.group(2)), int(m.group(3))
        return nncore.previous_activation_factors(net, x, y, l + 1, j, k).product
    if m := re.fullmatch(r"Δa_(\d)\((\d)\)", name):
        return NUDGE
    if m := re.fullmatch(r"dC0/da_(\d)\((\d)\) measured", name):
        return nncore.nudge(net, x, y, NUDGE, nncore.ActivationAt(int(m.group(2)), int(m.group(1)))).ratio
    return network_value(name, cfg)


def descent_value(name: str, cfg) -> float:
    """A value of GradientDescent: the learning rate, and the cost and outputs after s steps."""
    if name == "learning rate":
        return cfg.descent.learning_rate
    many = network_of(cfg.network)
    history = nncore.gradient_descent(many.net, many.x, many.y, cfg.descent.learning_rate, cfg.descent.steps)
    if m := re.fullmatch(r"C after (\d+) steps", name):
        return history.costs[int(m.group(1))]
    if m := re.fullmatch(r"a_(\d)\((\d)\) after (\d+) steps", name):
        j, l, s = int(m.group(1)), int(m.group(2)), int(m.group(3))
        return float(history.networks[s].forward(many.x).a[l][j])
    return many_value(name, cfg)
