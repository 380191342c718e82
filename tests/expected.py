"""Expected values for the numbers scenes show, computed here from the config and nncore.

Independent of ``lessonmodel.values`` (which scenes use): the network, the examples and the
many-neuron example are rebuilt here from the config, and a name (``lessonmodel.names``: this
oracle only reads its fields) maps to an nncore call, so a scene that shows a wrong or stale number
fails its test.
"""

from __future__ import annotations

import re

import numpy as np

import nncore
from lessonmodel.fmt import decimals_for, format_number, typst_number
from lessonmodel.formula import Num, words
from lessonmodel.names import (
    AfterSteps,
    Change,
    Derivative,
    Measured,
    Nudged,
    PathTerm,
    Quantity,
    Ratio,
    Symbol,
)
from lessonmodel.values import NUDGE  # the lesson's nudge of a_k(L-1): a parameter, not a result

__all__ = [
    "chain_value",
    "factor_value",
    "examples_value",
    "network_value",
    "assert_shows_only_core_numbers",
    "nudge_value",
    "chain_lesson_value",
    "many_value",
    "descent_value",
]

def _no_value(section: str, name: Quantity) -> KeyError:
    return KeyError(f"no expected value for {section} value {str(name)!r}")


def _chain(cfg) -> nncore.Network:
    c = cfg.chain
    return nncore.Network.chain(c.weights, c.biases, c.activation)


def _examples(cfg) -> tuple[np.ndarray, np.ndarray]:
    """The chain's training set: example 0 is [chain]'s input and target, then the [examples]: as
    given, or ``count`` drawn from ``seed`` (inputs uniform in [0, 1] rounded to two decimals, then
    targets 0 or 1), as the config's documentation promises."""
    e, c = cfg.examples, cfg.chain
    if e.inputs is not None:
        inputs, targets = np.array(e.inputs, dtype=float), np.array(e.targets, dtype=float)
    else:
        rng = np.random.default_rng(e.seed)
        inputs = np.round(rng.uniform(0.0, 1.0, e.count), 2)
        targets = rng.integers(0, 2, e.count).astype(float)
    return np.array([c.input, *inputs]), np.array([c.target, *targets])


def _network_examples(cfg) -> tuple[np.ndarray, np.ndarray]:
    """The network's training set, one row per example: row 0 its own example, then the others as
    given (``inputs``, ``targets``) or ``examples`` of them drawn from ``seed + 2`` (inputs uniform
    in [0, 1] rounded to two decimals, then targets 0 or 1)."""
    n = cfg.network
    _, x, y = _network(cfg)
    if n.inputs is not None:
        rows_x, rows_y = [list(r) for r in n.inputs], [list(r) for r in n.targets]
    else:
        rng = np.random.default_rng(n.seed + 2)
        rows_x = list(np.round(rng.uniform(0.0, 1.0, (n.examples, n.sizes[0])), 2))
        rows_y = list(rng.integers(0, 2, (n.examples, n.sizes[-1])).astype(float))
    return np.array([x, *rows_x], dtype=float), np.array([y, *rows_y], dtype=float)


def _network(cfg) -> tuple[nncore.Network, np.ndarray, np.ndarray]:
    """The [network] and its example (x, y): parameters and input as given, or drawn (parameters by
    ``nncore.Network.random`` from ``seed``, the input uniform in [0, 1] from ``seed + 1``) and
    rounded to two decimals."""
    n = cfg.network
    if n.weights is not None:
        weights, biases = [np.array(w, dtype=float) for w in n.weights], [np.array(b, dtype=float) for b in n.biases]
    else:
        drawn = nncore.Network.random(n.sizes, n.seed, n.activation)
        weights, biases = [np.round(w, 2) for w in drawn.weights], [np.round(b, 2) for b in drawn.biases]
    if n.input is not None:
        x = np.array(n.input, dtype=float)
    else:
        x = np.round(np.random.default_rng(n.seed + 1).uniform(0.0, 1.0, n.sizes[0]), 2)
    return nncore.Network(weights, biases, n.activation), x, np.array(n.target, dtype=float)


def chain_value(name: Quantity, cfg) -> float:
    """A value of the [chain] section: forward values, cost and derivatives."""
    c = cfg.chain
    net = _chain(cfg)
    x, y = [c.input], [c.target]
    fwd, grads = net.forward(x), net.backward(x, y)
    match name:
        case Symbol("x"):
            return c.input
        case Symbol("y"):
            return c.target
        case Symbol("C", example=0):
            return net.cost(x, y)
        case Symbol("error"):
            return float(fwd.a[-1][0] - c.target)
        case Symbol("w", l) if l >= 1:
            return float(net.weights[l - 1][0, 0])
        case Symbol("b", l) if l >= 1:
            return float(net.biases[l - 1][0])
        case Symbol("z", l):
            return float(fwd.z[l][0])
        case Symbol("a", l):
            return float(fwd.a[l][0])
        case Derivative(Symbol("a", l), Symbol("z", m)) if l == m:
            return float(net.activation.prime(fwd.z[l])[0])
        case Derivative(Symbol("C", example=0), Symbol("a", l)):
            return float(grads.activations[l][0])
        case Derivative(Symbol("C", example=0), Symbol("w", l)):
            return float(nncore.weight_factors(net, x, y, l).product)
        case Derivative(Symbol("C", example=0), Symbol("b", l)):
            return float(nncore.bias_factors(net, x, y, l).product)
    raise _no_value("chain", name)


def factor_value(name: Quantity, cfg) -> float:
    """A chain-rule factor of the chain's example (dz(2)/dw(2), dz(3)/da(2), ...), read off the
    forward pass by its formula; any other name is a :func:`chain_value`."""
    if isinstance(name, Nudged):
        return nudge_value(name, cfg)
    c = cfg.chain
    net = _chain(cfg)
    fwd = net.forward([c.input])
    match name:
        case Derivative(Symbol("z", l), Symbol("w", m)) if l == m:
            return float(fwd.a[l - 1][0])  # ∂z(l)/∂w(l) = a(l-1)
        case Derivative(Symbol("z", l), Symbol("b", m)) if l == m:
            return 1.0  # ∂z(l)/∂b(l) = 1
        case Derivative(Symbol("z", l), Symbol("a", m)):
            assert m == l - 1, str(name)
            return float(net.weights[l - 1][0, 0])  # ∂z(l)/∂a(l-1) = w(l)
        case Derivative(Symbol("C", example=0), Symbol("a", l)) if l == net.depth:
            return float(2 * (fwd.a[-1][0] - c.target))  # 2(a(L) - y)
    return chain_value(name, cfg)


def examples_value(name: Quantity, cfg) -> float:
    """A value of the [examples] section: each example, its own ∂C_k/∂w(L), the averages."""
    net = _chain(cfg)
    inputs, targets = _examples(cfg)
    X, Y = inputs[:, None], targets[:, None]
    match name:
        case Symbol("x", example=k) if k is not None:
            return float(inputs[k])
        case Symbol("y", example=k) if k is not None:
            return float(targets[k])
        case Symbol("C", example=None):
            return float(np.mean([net.cost(x, y) for x, y in zip(X, Y)]))
        case Symbol("C", example=k):
            return net.cost(X[k], Y[k])
        case Derivative(Symbol("C", example=k), Symbol("w", l)) if k is not None:
            return float(nncore.weight_factors(net, X[k], Y[k], l).product)
        case Derivative(Symbol("C", example=None), Symbol("w", l)):
            return float(np.mean([nncore.weight_factors(net, x, y, l).product for x, y in zip(X, Y)]))
        case Derivative(Symbol("C", example=None), Symbol("b", l)):
            return float(np.mean([nncore.bias_factors(net, x, y, l).product for x, y in zip(X, Y)]))
    raise _no_value("examples", name)


def network_value(name: Quantity, cfg) -> float:
    """A value of the [network] section, from the configured network and example."""
    net, x, y = _network(cfg)
    fwd, grads = net.forward(x), net.backward(x, y)
    match name:
        case Symbol("C", example=0):
            return net.cost(x, y)
        case Symbol("y", j=j) if j is not None:
            return float(y[j])
        case Symbol("w", l, j, k):
            return float(net.weights[l - 1][j, k])
        case Symbol("b", l, j):
            return float(net.biases[l - 1][j])
        case Symbol("z", l, j):
            return float(fwd.z[l][j])
        case Symbol("a", l, j):
            return float(fwd.a[l][j])
        case Derivative(Symbol("C", example=0), Symbol("w", l, j, k)):
            return float(nncore.weight_factors(net, x, y, l, j, k).product)
        case Derivative(Symbol("C", example=0), Symbol("b", l, j)):
            return float(nncore.bias_factors(net, x, y, l, j).product)
        case Derivative(Symbol("C", example=0), Symbol("a", l, j)):
            return float(grads.activations[l][j])
    raise _no_value("network", name)


NUMBER = re.compile(r"-?\d+\.\d+(?: times 10\^\(-?\d+\))?")
WRITTEN_NUMBER = re.compile(r"\d+\.\d+(?:e[+-]\d+|[ \u00a0]×[ \u00a0]10[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)?")


def assert_shows_only_core_numbers(scene, expected, plain_texts=()) -> None:
    """Every number the scene recorded matches ``expected(name)``, and every number literal in
    its formulas (and in ``plain_texts``, e.g. subtitle lines) is one it recorded."""
    assert scene.shown, "the scene recorded no numbers"
    for name, text in scene.shown:
        value, decimals = expected(name), scene.decimals(name)  # the digits its printed arithmetic needs
        sci = scene.digits.sci(name) if scene.digits else 1
        assert decimals >= decimals_for(name), str(name)  # never fewer than its kind's
        assert text in (typst_number(value, decimals, sci), format_number(value, decimals, sci)), str(name)
    recorded = {text.lstrip("-") for _, text in scene.shown}
    for source in scene.typeset:
        for literal in NUMBER.findall(source):
            assert literal.lstrip("-") in recorded, (literal, source)
    # captions write a value as words() does (3.2 × 10⁻⁵), or as plain text once did (3.2e-05)
    written = recorded | {words(Num(name, expected(name), scene.decimals(name), scene.digits.sci(name)
                                    if scene.digits else 1)).lstrip("-") for name, _ in scene.shown}
    for line in plain_texts:
        for literal in WRITTEN_NUMBER.findall(line):
            assert literal in written, (literal, line)


def _pass_after(cfg, kind: str, l: int, delta: float) -> tuple[list, list]:
    """z(m), a(m) (m = 0..L) of the chain's example after b(l) += Δ or a(l) += Δ, by a loop of its
    own: z(m) = w(m) a(m-1) + b(m), a(m) = σ(z(m)), with the nudged activation carried on as is."""
    c = cfg.chain
    act = nncore.get_activation(c.activation)
    biases = list(c.biases)
    if kind == "b":
        biases[l - 1] += delta
    z, a = [0.0], [c.input + (delta if (kind, l) == ("a", 0) else 0.0)]
    for m in range(1, len(c.weights) + 1):
        z.append(c.weights[m - 1] * a[m - 1] + biases[m - 1])
        a.append(float(act(np.array([z[m]]))[0]) + (delta if (kind, l) == ("a", m) else 0.0))
    return z, a


def _nudge_of_bias_or_activation(name: Nudged, cfg) -> float:
    """A value after b(l) += Δ or a(l) += Δ (see :func:`_pass_after`)."""
    quantity, parameter, delta = name.quantity, name.parameter, name.delta
    c = cfg.chain
    z0, a0 = _pass_after(cfg, parameter.kind, parameter.layer, 0.0)
    z1, a1 = _pass_after(cfg, parameter.kind, parameter.layer, delta)
    c0, c1 = (a0[-1] - c.target) ** 2, (a1[-1] - c.target) ** 2
    first = parameter.layer + 1 if parameter.kind == "a" else parameter.layer  # the first z it moves
    match quantity:
        case Change(Symbol(kind, m)) if (kind, m) == (parameter.kind, parameter.layer):
            return delta
        case Symbol(kind, m) if (kind, m) == (parameter.kind, parameter.layer):
            return (c.biases[m - 1] if kind == "b" else a0[m]) + delta
        case Symbol("C", example=0):
            return c1
        case Change(Symbol("C", example=0)):
            return c1 - c0
        case Ratio(Symbol("C", example=0), by) if by == parameter:
            return (c1 - c0) / delta
        case Ratio(Symbol("z", m), by) if by == parameter and m == first:
            return (z1[m] - z0[m]) / delta
        case Symbol("z", m):
            return z1[m]
        case Symbol("a", m):
            return a1[m]
        case Change(Symbol("z", m)):
            return z1[m] - z0[m]
        case Change(Symbol("a", m)):
            return a1[m] - a0[m]
    raise _no_value("nudge", name)


def nudge_value(name: Quantity, cfg) -> float:
    """A value after the nudge w(l) += Δ (:class:`~lessonmodel.names.Nudged`), computed by running a
    second chain with the nudged weight, not with ``nncore.nudge``; after b(l) += Δ or a(l) += Δ,
    by :func:`_nudge_of_bias_or_activation`."""
    match name:
        case Nudged(_, Symbol("b" | "a"), _):
            return _nudge_of_bias_or_activation(name, cfg)
        case Nudged(quantity, Symbol("w", l), delta):
            pass
        case _:
            raise _no_value("nudge", name)
    c = cfg.chain
    weights = list(c.weights)
    weights[l - 1] += delta
    before = nncore.Network.chain(c.weights, c.biases, c.activation)
    after = nncore.Network.chain(weights, c.biases, c.activation)
    x, y = [c.input], [c.target]
    f0, f1 = before.forward(x), after.forward(x)
    c0, c1 = before.cost(x, y), after.cost(x, y)
    match quantity:
        case Change(Symbol("w", m)) if m == l:
            return delta
        case Symbol("w", m) if m == l:
            return float(after.weights[l - 1][0, 0])
        case Symbol("C", example=0):
            return c1
        case Change(Symbol("C", example=0)):
            return c1 - c0
        case Ratio(Symbol("C", example=0), Symbol("w", m)) if m == l:
            return (c1 - c0) / delta
        case Symbol("z" | "a" as kind, level):
            return float(getattr(f1, kind)[level][0])
        case Change(Symbol("z" | "a" as kind, level)):
            return float(getattr(f1, kind)[level][0] - getattr(f0, kind)[level][0])
    raise _no_value("nudge", name)


def chain_lesson_value(name: Quantity, cfg) -> float:
    """A [chain] value (:func:`chain_value`) or a value after a nudge (:func:`nudge_value`)."""
    return nudge_value(name, cfg) if isinstance(name, Nudged) else chain_value(name, cfg)


def many_value(name: Quantity, cfg) -> float:
    """A value of the many-neuron scenes: :func:`network_value`'s names and the slopes σ'(z_j(l)),
    the δ_j(l), the path terms, the nudge of a_k(L-1) and its measured ratio."""
    net, x, y = _network(cfg)
    match name:
        case Derivative(Symbol("a", l, j), Symbol("z", m, i)) if (l, j) == (m, i):
            return nncore.bias_factors(net, x, y, l, j).da_dz
        case Derivative(Symbol("C", example=0), Symbol("z", l, j)):
            return nncore.bias_factors(net, x, y, l, j).product
        case PathTerm(Derivative(Symbol("C", example=0), Symbol("a", l, k)), j):
            return nncore.previous_activation_factors(net, x, y, l + 1, j, k).product
        case Change(Symbol("a")):
            return NUDGE
        case Measured(Derivative(Symbol("C", example=0), Symbol("a", l, k))):
            return nncore.nudge(net, x, y, NUDGE, nncore.ActivationAt(l, k)).ratio
    return network_value(name, cfg)


def descent_value(name: Quantity, cfg) -> float:
    """A value of GradientDescent: the learning rate, and the cost and outputs after s steps."""
    if name == Symbol("learning rate"):
        return cfg.descent.learning_rate
    net, x, y = _network(cfg)
    X, Y = _network_examples(cfg)
    history = nncore.gradient_descent(net, X, Y, cfg.descent.learning_rate, cfg.descent.steps)
    match name:
        case AfterSteps(Symbol("C", example=None), s) if len(X) > 1:  # the average cost over the examples
            return float(np.mean([history.networks[s].cost(a, b) for a, b in zip(X, Y)]))
        case AfterSteps(Symbol("C", example=0), s) if len(X) == 1:  # the one example's cost
            return history.networks[s].cost(x, y)
        case AfterSteps(Symbol("C", example=k), s) if k is not None and len(X) > 1:
            return history.networks[s].cost(X[k], Y[k])
        case AfterSteps(Symbol("a", l, j), s):
            return float(history.networks[s].forward(x).a[l][j])
    return many_value(name, cfg)
