"""Every value the lesson shows, computed by nncore from a validated config.

Scenes draw these and never compute math themselves. :func:`lesson_values` flattens them into
numbers by name (:mod:`lessonmodel.names`: ``activation(2)``, ``derivative(C0, weight(3))``,
written ``"a(2)"``, ``"dC0/dw(3)"``) for ``backprop values`` and the tests. Layers are numbered
1..L with L = 3 for the chain, so a(L-1) is ``activation(2)``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import cached_property

import numpy as np

import nncore
from lessonmodel.config import ChainConfig, ExamplesConfig, LessonConfig, NetworkConfig
from lessonmodel.names import (
    AVERAGE_COST,
    C0,
    ERROR,
    LEARNING_RATE,
    Derivative,
    Quantity,
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
    under_cost,
    weight,
    weighted_sum,
)

__all__ = [
    "Named",
    "Chain",
    "Examples",
    "ManyNeurons",
    "chain_of",
    "examples_of",
    "training_set_of",
    "network_of",
    "network_examples_of",
    "examples_named",
    "example_activations",
    "lesson_values",
    "COMPARED_COSTS",
    "costs_compared",
    "factor_name",
    "path_factor_name",
    "chain_factors_named",
    "chain_path",
    "NUDGE_SIZES",
    "nudge_named",
    "nudged_levels",
    "FACTOR_NUDGE",
    "nudge_of_named",
    "levels_after_nudge",
    "activation_graph",
    "activation_tangent",
    "cost_curve",
    "cost_secant",
    "cost_tangent",
    "NUDGE",
    "many_named",
    "Trend",
    "Descent",
    "descent_of",
]

Named = dict[Quantity, float]
"""Values by name."""


@dataclass(frozen=True)
class Chain:
    """The single-neuron chain on its one example: forward values, cost, gradients."""

    net: nncore.Network
    x: float
    y: float

    @cached_property
    def forward(self) -> nncore.Forward:
        return self.net.forward([self.x])

    @cached_property
    def grads(self) -> nncore.Gradients:
        return self.net.backward([self.x], [self.y])

    @property
    def depth(self) -> int:
        return self.net.depth

    def w(self, l: int) -> float:
        return float(self.net.weights[l - 1][0, 0])

    def b(self, l: int) -> float:
        return float(self.net.biases[l - 1][0])

    def z(self, l: int) -> float:
        return float(self.forward.z[l][0])

    def a(self, l: int) -> float:
        return float(self.forward.a[l][0])

    @cached_property
    def cost(self) -> float:
        return self.net.cost([self.x], [self.y])

    def named(self) -> Named:
        """Every value by name, the forward pass first, then the derivatives (with ∂C0/∂z(L) =
        a(L) - y where the cost cancels the output's slope)."""
        L = self.depth
        out: Named = {net_input(): self.x, target(): self.y}
        for l in range(1, L + 1):
            out |= {weight(l): self.w(l), bias(l): self.b(l)}
        out[activation(0)] = self.a(0)
        for l in range(1, L + 1):
            out |= {weighted_sum(l): self.z(l), activation(l): self.a(l)}
        out[C0] = self.cost
        out[ERROR] = self.a(L) - self.y
        for l in range(L, 0, -1):
            out[derivative(C0, activation(l))] = float(self.grads.activations[l][0])
            out[derivative(activation(l), weighted_sum(l))] = float(self.forward.slopes[l][0])
            if l == L and self.net.slope_cancels:  # the cost cancels σ'(z(L)): ∂C0/∂z(L) = a(L) - y
                out[derivative(C0, weighted_sum(L))] = float(self.grads.z[L][0])
            out[derivative(C0, weight(l))] = float(self.grads.weights[l - 1][0, 0])
            out[derivative(C0, bias(l))] = float(self.grads.biases[l - 1][0])
        out[derivative(C0, activation(0))] = float(self.grads.activations[0][0])
        return out


def chain_of(cfg: ChainConfig) -> Chain:
    """The configured chain and its example."""
    return Chain(nncore.Network.chain(cfg.weights, cfg.biases, cfg.activation, cost=cfg.cost), cfg.input, cfg.target)


@dataclass(frozen=True)
class Examples:
    """Training examples of the chain: inputs x_k, targets y_k."""

    inputs: np.ndarray
    targets: np.ndarray


def examples_of(cfg: ExamplesConfig) -> Examples:
    """The [examples]: the chain's examples besides its own (examples 1, 2, ... of the training
    set). Explicit, or ``count`` drawn from ``seed``: inputs uniform in [0, 1] rounded to two
    decimals (so the numbers shown are the numbers used), targets 0 or 1."""
    if cfg.inputs is not None:
        return Examples(np.array(cfg.inputs), np.array(cfg.targets))
    rng = np.random.default_rng(cfg.seed)
    inputs = np.round(rng.uniform(0.0, 1.0, cfg.count), 2)
    targets = rng.integers(0, 2, cfg.count).astype(float)
    return Examples(inputs, targets)


def training_set_of(chain: ChainConfig, others: ExamplesConfig) -> Examples:
    """The chain's whole training set, numbered as everywhere in the lesson: example 0 is the
    worked example ([chain]'s input and target), examples 1, 2, ... are the [examples]."""
    rest = examples_of(others)
    return Examples(np.concatenate([[chain.input], rest.inputs]), np.concatenate([[chain.target], rest.targets]))


@dataclass(frozen=True)
class ManyNeurons:
    """The many-neuron network, its one example and the focused pair (j, k) of w_jk(L)."""

    net: nncore.Network
    x: np.ndarray
    y: np.ndarray
    focus: tuple[int, int]

    @cached_property
    def forward(self) -> nncore.Forward:
        return self.net.forward(self.x)

    @cached_property
    def grads(self) -> nncore.Gradients:
        return self.net.backward(self.x, self.y)

    def named(self) -> Named:
        """The example's input, every parameter, z and a, the targets, the cost and its gradient."""
        out: Named = {}
        L = self.net.depth
        for k, v in enumerate(self.x):
            out[activation(0, k)] = float(v)
        for l in range(1, L + 1):
            for j in range(self.net.sizes[l]):
                for k in range(self.net.sizes[l - 1]):
                    out[weight(l, j, k)] = float(self.net.weights[l - 1][j, k])
                out[bias(l, j)] = float(self.net.biases[l - 1][j])
                out[weighted_sum(l, j)] = float(self.forward.z[l][j])
                out[activation(l, j)] = float(self.forward.a[l][j])
        for j, v in enumerate(self.y):
            out[target(j)] = float(v)
        out[C0] = self.net.cost(self.x, self.y)
        for l in range(L, 0, -1):
            for j in range(self.net.sizes[l]):
                out[derivative(C0, activation(l, j))] = float(self.grads.activations[l][j])
                for k in range(self.net.sizes[l - 1]):
                    out[derivative(C0, weight(l, j, k))] = float(self.grads.weights[l - 1][j, k])
                out[derivative(C0, bias(l, j))] = float(self.grads.biases[l - 1][j])
        return out


def network_of(cfg: NetworkConfig) -> ManyNeurons:
    """The configured network: explicit parameters, or drawn from ``seed`` and rounded to two
    decimals (so the numbers shown are the numbers used)."""
    head = {"output": cfg.output_layer, "cost": cfg.cost}
    if cfg.weights is not None:
        net = nncore.Network([np.array(w) for w in cfg.weights], [np.array(b) for b in cfg.biases], cfg.activation,
                             **head)
    else:
        drawn = nncore.Network.random(cfg.sizes, cfg.seed, cfg.activation, **head)
        net = drawn.with_parameters([np.round(w, 2) for w in drawn.weights], [np.round(b, 2) for b in drawn.biases])
    if cfg.input is not None:
        x = np.array(cfg.input)
    else:
        x = np.round(np.random.default_rng(cfg.seed + 1).uniform(0.0, 1.0, cfg.sizes[0]), 2)
    return ManyNeurons(net, x, np.array(cfg.target), cfg.focus)


def network_examples_of(cfg: NetworkConfig) -> tuple[np.ndarray, np.ndarray]:
    """The network's training set as a batch (X, Y), one row per example: row 0 is its own
    example (``input``, ``target``), then the others: explicit ``inputs``/``targets``, or
    ``examples`` drawn from ``seed + 2`` (inputs uniform in [0, 1] rounded to two decimals, then
    targets 0 or 1; one-hot for a softmax, whose targets are probabilities that sum to 1)."""
    many = network_of(cfg)
    if cfg.inputs is not None:
        rest_x = np.array(cfg.inputs, dtype=float).reshape(-1, cfg.sizes[0])
        rest_y = np.array(cfg.targets, dtype=float).reshape(-1, cfg.sizes[-1])
    else:
        rng = np.random.default_rng(cfg.seed + 2)
        rest_x = np.round(rng.uniform(0.0, 1.0, (cfg.examples, cfg.sizes[0])), 2)
        if cfg.output_layer == "softmax":
            rest_y = np.eye(cfg.sizes[-1])[rng.integers(0, cfg.sizes[-1], cfg.examples)]
        else:
            rest_y = rng.integers(0, 2, (cfg.examples, cfg.sizes[-1])).astype(float)
    return np.vstack([many.x[None, :], rest_x]), np.vstack([many.y[None, :], rest_y])


def examples_named(chain: Chain, ex: Examples) -> Named:
    """The averaging scenes' values over the training set ``ex`` (:func:`training_set_of`: example
    0 is the chain's own): each example x_k, y_k with its a_k(L-1), a_k(L), its cost C_k and its
    own ∂C_k/∂w(L), the average cost C and its gradient ∂C/∂w(l), ∂C/∂b(l) (the batch backward's
    mean of the per-example ones)."""
    X, Y = ex.inputs[:, None], ex.targets[:, None]
    batch = chain.net.backward(X, Y)
    out: Named = {}
    for k, (x, y, g) in enumerate(zip(ex.inputs, ex.targets, batch.per_example)):
        out |= {net_input(k): float(x), target(example=k): float(y)}
        out[cost(k)] = chain.net.cost(X[k], Y[k])
        out[derivative(cost(k), weight(chain.depth))] = float(g.weights[-1][0, 0])
    out[AVERAGE_COST] = chain.net.cost(X, Y)
    for l in range(chain.depth, 0, -1):
        out[derivative(AVERAGE_COST, weight(l))] = float(batch.weights[l - 1][0, 0])
        out[derivative(AVERAGE_COST, bias(l))] = float(batch.biases[l - 1][0])
    return out


def example_activations(chain: Chain, ex: Examples) -> np.ndarray:
    """a(0), ..., a(L) of the chain run on each example of ``ex``: one row per example (how
    brightly each neuron lights when that example runs through)."""
    return np.hstack(chain.net.forward(ex.inputs[:, None]).a)


def lesson_values(cfg: LessonConfig) -> dict[str, Named]:
    """Every value the lesson shows, by section and name (what ``backprop values`` prints)."""
    chain = chain_of(cfg.chain)
    nudges: Named = {}
    for delta in NUDGE_SIZES:
        nudges |= nudge_named(chain, delta)
    out = {
        "chain": chain.named(),
        "factors": chain_factors_named(chain),
        "nudges": nudges,
        "examples": examples_named(chain, training_set_of(cfg.chain, cfg.examples)),
        "network": many_named(network_of(cfg.network)),
        "descent": descent_of(cfg).named(),
    }
    if cfg.chain.cost != "squared":
        out["costs"] = costs_compared(chain)
    return out


def _with_cost(net: nncore.Network, cost: str) -> nncore.Network:
    """``net`` with the cost ``cost`` (an nncore cost's name) instead of its own."""
    return nncore.Network(net.weights, net.biases, net.activation.name, output=net.output_activation.name, cost=cost)


COMPARED_COSTS = ("squared", "binary_cross_entropy")
"""The costs :func:`costs_compared` sets side by side on the chain: the squared error and the
cross-entropy, each on the chain's sigmoid."""


def costs_compared(chain: Chain) -> Named:
    """The same chain and example under each of :data:`COMPARED_COSTS` (whatever its own cost):
    C0, ∂C0/∂a(L), σ'(z(L)), the output error ∂C0/∂z(L) and ∂C0/∂w(L), ∂C0/∂b(L), each named
    :func:`~lessonmodel.names.under_cost`. For a confidently wrong output (a(L) near 0, y = 1)
    the squared error's ∂C0/∂z(L) = 2(a(L) - y) σ'(z(L)) is small, the cross-entropy's a(L) - y
    is not. ValueError unless the chain's activation is the sigmoid (the cross-entropy's)."""
    L, x, y = chain.depth, [chain.x], [chain.y]
    out: Named = {}
    for name in COMPARED_COSTS:
        net = _with_cost(chain.net, name)
        grads = net.backward(x, y)
        values = {
            C0: net.cost(x, y),
            derivative(C0, activation(L)): float(grads.activations[L][0]),
            derivative(activation(L), weighted_sum(L)): float(chain.forward.slopes[L][0]),
            derivative(C0, weighted_sum(L)): float(grads.z[L][0]),
            derivative(C0, weight(L)): float(grads.weights[L - 1][0, 0]),
            derivative(C0, bias(L)): float(grads.biases[L - 1][0]),
        }
        out |= {under_cost(q, name): v for q, v in values.items()}
    return out


def factor_name(kind: nncore.FactorKind, l: int, depth: int) -> Derivative:
    """The name of the chain-rule factor of ``kind`` at layer l: ``dz(2)/dw(2)`` (= a(1)),
    ``dz(2)/db(2)`` (= 1), ``da(2)/dz(2)`` (= σ'(z(2))), ``dz(3)/da(2)`` (= w(3)), ``dC0/da(3)``
    (the cost's derivative, whatever l) or ``dC0/dz(3)`` (a(L) - y where the slope cancels)."""
    K = nncore.FactorKind
    return {
        K.DZ_DW: lambda: derivative(weighted_sum(l), weight(l)),
        K.DZ_DB: lambda: derivative(weighted_sum(l), bias(l)),
        K.DA_DZ: lambda: derivative(activation(l), weighted_sum(l)),
        K.DZ_DA: lambda: derivative(weighted_sum(l), activation(l - 1)),
        K.DC_DA: lambda: derivative(C0, activation(depth)),
        K.DC_DZ: lambda: derivative(C0, weighted_sum(depth)),
    }[kind]()


def path_factor_name(factor: nncore.PathFactor, depth: int) -> Derivative:
    """The name of one factor of :func:`nncore.chain_path_factors` (see :func:`factor_name`)."""
    return factor_name(factor.kind, factor.layer, depth)


def chain_factors_named(chain: Chain) -> Named:
    """Every chain-rule factor of the chain's example by name (see :func:`path_factor_name`).

    The last layer's come from ``nncore.weight_factors``, ``bias_factors`` and
    ``previous_activation_factors`` (∂C0/∂w(L), ∂C0/∂b(L), ∂C0/∂a(L-1)); the longer paths'
    from ``nncore.chain_path_factors``, e.g.
    ∂C0/∂w(L-1) = ∂z(L-1)/∂w(L-1) · σ'(z(L-1)) · ∂z(L)/∂a(L-1) · σ'(z(L)) · 2(a(L) - y).
    A factor met on several paths has one value, so it has one name.
    """
    L, x, y = chain.depth, [chain.x], [chain.y]
    out: Named = {}
    for l in range(1, L):
        for parameter in nncore.ParameterKind:
            for factor in nncore.chain_path_factors(chain.net, x, y, l, parameter):
                out[path_factor_name(factor, L)] = factor.value
    w = nncore.weight_factors(chain.net, x, y)
    b = nncore.bias_factors(chain.net, x, y)
    p = nncore.previous_activation_factors(chain.net, x, y)
    out |= {
        derivative(weighted_sum(L), weight(L)): w.first,
        derivative(weighted_sum(L), bias(L)): b.first,
        derivative(weighted_sum(L), activation(L - 1)): p.first,
        derivative(activation(L), weighted_sum(L)): w.da_dz,
        derivative(C0, activation(L)): w.dc_da,
    }
    return out


def chain_path(chain: Chain, layer: int, parameter: nncore.ParameterKind = nncore.ParameterKind.WEIGHT
               ) -> list[tuple[nncore.PathFactor, Derivative]]:
    """The factors of ∂C0/∂w(l) (or ∂C0/∂b(l) for ``ParameterKind.BIAS``) in order along the path
    from layer l up to the cost, each with its name in :func:`chain_factors_named`."""
    factors = nncore.chain_path_factors(chain.net, [chain.x], [chain.y], layer, parameter)
    return [(f, path_factor_name(f, chain.depth)) for f in factors]


# --- The nudge of w(L) and the chain rule's pictures (CostTree, ChainRule) --------------------

NUDGE_SIZES: tuple[float, ...] = (0.5, 0.1, 0.01, 0.001)
"""Ever smaller nudges Δw of a weight: the first ripples through the tree, and the ratios
ΔC0/Δw of all of them approach ∂C0/∂w."""


def nudge_named(chain: Chain, delta: float, l: int | None = None) -> Named:
    """Every value of :func:`nncore.nudge` of w(l) (w(L) by default) by ``delta``, by name: the
    nudge ``Δw(l)``, the nudged values of w(l), z(m), a(m) (m = l..L) and C0, their changes Δz(m),
    Δa(m), ΔC0 and the ratio ΔC0/Δw(l), each :func:`~lessonmodel.names.nudged` by ``delta``."""
    l = chain.depth if l is None else l
    w = weight(l)
    n = nncore.nudge(chain.net, [chain.x], [chain.y], delta, nncore.WeightAt(l))
    out: dict = {change(w): n.delta, w: chain.w(l) + n.delta}
    for m in range(l, chain.depth + 1):
        z, a = weighted_sum(m), activation(m)
        after_z, after_a = float(n.after.z[m][0]), float(n.after.a[m][0])
        out |= {z: after_z, a: after_a}
        out |= {change(z): after_z - float(n.before.z[m][0]), change(a): after_a - float(n.before.a[m][0])}
    out |= {C0: n.cost_after, change(C0): n.cost_change, ratio(C0, w): n.ratio}
    return {nudged(q, w, delta): v for q, v in out.items()}


def nudged_levels(chain: Chain, delta: float, l: int | None = None) -> dict[Symbol, float]:
    """w(l), z(m), a(m) for m = l..L, and C0 after w(l) += delta (``delta = 0``: the values as they
    are), by their symbols (not :func:`~lessonmodel.names.nudged`). For live number lines."""
    l = chain.depth if l is None else l
    if delta == 0:
        levels = {weight(l): chain.w(l)}
        for m in range(l, chain.depth + 1):
            levels |= {weighted_sum(m): chain.z(m), activation(m): chain.a(m)}
        return levels | {C0: chain.cost}
    return {
        name.quantity: value
        for name, value in nudge_named(chain, delta, l).items()
        if isinstance(name.quantity, Symbol)
    }


FACTOR_NUDGE = 0.1
"""The nudge of b(L) and of a(L-1) that shows ∂z(L)/∂b(L) = 1 and ∂z(L)/∂a(L-1) = w(L) on the chain."""


def _site_of(quantity: Symbol) -> nncore.Site:
    """Where w(l), b(l) or a(l) of the chain sits in its network."""
    return {"w": nncore.WeightAt, "b": nncore.BiasAt, "a": nncore.ActivationAt}[quantity.kind](quantity.layer)


def _first_reached(quantity: Symbol) -> int:
    """The first layer whose weighted sum a nudge of ``quantity`` changes: l for w(l) and b(l), l+1 for a(l)."""
    return quantity.layer + 1 if quantity.kind == "a" else quantity.layer


def levels_after_nudge(chain: Chain, quantity: Symbol, delta: float) -> dict[Symbol, float]:
    """``quantity`` (w(l), b(l) or a(l)) after adding ``delta``, and z(m), a(m) of every layer it
    reaches and C0, by their symbols (``delta = 0``: as they are), from :func:`nncore.forward_with`.
    For live labels while a nudge plays."""
    site = _site_of(quantity)
    before = nncore.value_at(chain.net, chain.forward, site)
    fwd = nncore.forward_with(chain.net, [chain.x], site, float(np.squeeze(before)) + delta)
    levels: dict[Symbol, float] = {quantity: float(np.squeeze(before)) + delta}
    for m in range(_first_reached(quantity), chain.depth + 1):
        levels |= {weighted_sum(m): float(fwd.z[m][0]), activation(m): float(fwd.a[m][0])}
    return levels | {C0: chain.net.cost_of(fwd, [chain.y])}


def nudge_of_named(chain: Chain, quantity: Symbol, delta: float = FACTOR_NUDGE) -> Named:
    """Every value of :func:`nncore.nudge` of w(l), b(l) or a(l) by ``delta``, by name (each
    :func:`~lessonmodel.names.nudged` by ``delta``): the nudge, the quantity after it, z(m), a(m)
    after and their changes for every layer m it reaches, C0 and ΔC0, and the ratios
    Δz(m)/Δquantity (m the first layer reached) and ΔC0/Δquantity."""
    n = nncore.nudge(chain.net, [chain.x], [chain.y], delta, _site_of(quantity))
    first = _first_reached(quantity)
    before = float(np.squeeze(nncore.value_at(chain.net, n.before, _site_of(quantity))))
    out: dict = {change(quantity): n.delta, quantity: before + n.delta}
    for m in range(first, chain.depth + 1):
        z, a = weighted_sum(m), activation(m)
        after_z, after_a = float(n.after.z[m][0]), float(n.after.a[m][0])
        out |= {z: after_z, a: after_a}
        out |= {change(z): after_z - float(n.before.z[m][0]), change(a): after_a - float(n.before.a[m][0])}
    first_z = weighted_sum(first)
    out |= {C0: n.cost_after, change(C0): n.cost_change, ratio(first_z, quantity): out[change(first_z)] / n.delta,
            ratio(C0, quantity): n.ratio}
    return {nudged(q, quantity, delta): v for q, v in out.items()}


def activation_graph(chain: Chain, z_low: float, z_high: float, samples: int = 200) -> tuple[np.ndarray, np.ndarray]:
    """Points (z, σ(z)) of the chain's activation for ``samples`` z in [z_low, z_high], from nncore
    (the kink of ReLU at 0 included when in range)."""
    zs = np.linspace(z_low, z_high, samples)
    if z_low < 0 < z_high:
        zs = np.sort(np.append(zs, 0.0))
    return zs, chain.net.activation(zs)


def activation_tangent(chain: Chain, l: int, half_width: float) -> tuple[tuple[float, float], tuple[float, float]]:
    """The ends of the tangent to σ at z(l), ``half_width`` either side: the line through
    (z(l), a(l)) of slope σ'(z(l)), i.e. a(l) + σ'(z(l)) (t - z(l)) at t = z(l) ± half_width."""
    z, a = chain.z(l), chain.a(l)
    slope = float(chain.forward.slopes[l][0])
    return (z - half_width, a - slope * half_width), (z + half_width, a + slope * half_width)


def cost_curve(chain: Chain, w_values, l: int | None = None) -> np.ndarray:
    """C0 as a function of w(l) alone: nncore's cost of the chain with w(l) set to each of
    ``w_values`` and every other parameter as it is."""
    l = chain.depth if l is None else l
    return nncore.cost_along(chain.net, [chain.x], [chain.y], nncore.WeightAt(l), w_values)


Segment = tuple[tuple[float, float], tuple[float, float]]


def _line_through(w: float, c: float, slope: float, half_width: float) -> Segment:
    return (w - half_width, c - slope * half_width), (w + half_width, c + slope * half_width)


def cost_secant(chain: Chain, delta: float, half_width: float, l: int | None = None):
    """The ends of the secant of C0(w(l)) through (w(l), C0) and the nudged point (w(l) + Δ, C0 + ΔC0),
    ``half_width`` either side of w(l): slope ΔC0/Δw(l) from :func:`nncore.nudge`."""
    l = chain.depth if l is None else l
    n = nncore.nudge(chain.net, [chain.x], [chain.y], delta, nncore.WeightAt(l))
    return _line_through(chain.w(l), chain.cost, n.ratio, half_width)


def cost_tangent(chain: Chain, half_width: float, l: int | None = None):
    """The ends of the tangent to C0(w(l)) at w(l), ``half_width`` either side: slope ∂C0/∂w(l)
    from nncore's backward pass."""
    l = chain.depth if l is None else l
    return _line_through(chain.w(l), chain.cost, float(chain.grads.weights[l - 1][0, 0]), half_width)


# --- the many-neuron scenes: path terms, nudges, δ, gradient descent --------------------------

NUDGE = 0.01  # how far SumOverPaths nudges a_k(L-1): small enough that ΔC0/Δa ≈ ∂C0/∂a


def many_named(many: ManyNeurons) -> Named:
    """``many.named()`` and what the many-neuron scenes add to it.

    ``da_j(l)/dz_j(l)`` is σ'(z_j(l)); ``dC0/dz_j(l)`` is δ_j(l) = σ'(z_j(l)) ∂C0/∂a_j(l);
    ``dC0/da_k(L-1) via j`` is the path term w_jk(L) σ'(z_j(L)) ∂C0/∂a_j(L) (their sum over j
    is ``dC0/da_k(L-1)``); ``Δa_k(L-1)`` is the nudge of the focused a_k(L-1) and
    ``dC0/da_k(L-1) measured`` the ratio ΔC0/Δa it causes.
    """
    net, fwd, grads = many.net, many.forward, many.grads
    L = net.depth
    out = many.named()
    for l in range(L, 0, -1):
        slopes = fwd.slopes[l]
        for j in range(net.sizes[l]):
            out[derivative(activation(l, j), weighted_sum(l, j))] = float(slopes[j])
            out[derivative(C0, weighted_sum(l, j))] = float(grads.z[l][j])
    for k in range(net.sizes[L - 1]):
        total = derivative(C0, activation(L - 1, k))
        out[total] = float(grads.activations[L - 1][k])
        for j, term in enumerate(nncore.path_terms(net, many.x, many.y, L, k)):
            out[path_term(total, j)] = float(term)
    k = many.focus[1]
    nudge = nncore.nudge(net, many.x, many.y, NUDGE, nncore.ActivationAt(L - 1, k))
    out[change(activation(L - 1, k))] = nudge.delta
    out[measured(derivative(C0, activation(L - 1, k)))] = nudge.ratio
    return out


class Trend(enum.StrEnum):
    """Where gradient descent took the cost."""

    FELL = "fell"
    ROSE = "rose"
    STAYED = "stayed"
    OVERFLOWED = "overflowed"  # the parameters overflowed: the cost is no finite number


@dataclass(frozen=True)
class Descent:
    """Gradient descent on the many-neuron network: the networks after 0..steps steps, each step
    down the average cost over the training set (X, Y) (row 0: the network's own example). With
    one example, that example's cost C0 is the cost descended."""

    many: ManyNeurons
    learning_rate: float
    history: nncore.DescentHistory
    X: np.ndarray
    Y: np.ndarray

    @property
    def steps(self) -> int:
        return self.history.steps

    @property
    def count(self) -> int:
        """How many training examples the cost averages over."""
        return self.X.shape[0]

    @property
    def cost_symbol(self) -> Symbol:
        """What is descended: the average cost C, or C0 when the network has one example."""
        return AVERAGE_COST if self.count > 1 else C0

    def outputs(self, step: int) -> np.ndarray:
        """a(L) of the network after ``step`` steps, on example 0."""
        return self.history.networks[step].forward(self.many.x).output

    def activations(self, step: int) -> list[np.ndarray]:
        """a(0), ..., a(L) of the network after ``step`` steps, on example 0's input."""
        return self.history.networks[step].forward(self.many.x).a

    def example_costs(self, step: int) -> np.ndarray:
        """C_0, ..., C_{n-1}: each example's cost after ``step`` steps."""
        net = self.history.networks[step]
        return np.array([net.cost(x, y) for x, y in zip(self.X, self.Y)])

    def weights(self, step: int) -> list[np.ndarray]:
        """The weight matrices after ``step`` steps."""
        return self.history.networks[step].weights

    @property
    def last_finite(self) -> int:
        """The last step whose cost is a finite number (a far too large learning rate can make the
        parameters overflow); ``steps`` when every cost is finite."""
        for step, c in enumerate(self.history.costs):
            if not np.isfinite(c):
                return max(step - 1, 0)
        return self.steps

    def keyframes(self, count: int = 6) -> list[int]:
        """At most ``count`` steps to draw, evenly spread from 0 to :attr:`last_finite` (0 alone
        if there are no steps)."""
        end = self.last_finite
        return sorted({int(round(s)) for s in np.linspace(0, end, min(count, end + 1))})

    @property
    def trend(self) -> Trend:
        """How the last cost compares with the first, as shown (3 decimals); overflowed if the
        cost stopped being a finite number."""
        if self.last_finite < self.steps:
            return Trend.OVERFLOWED
        first, last = (round(self.history.costs[s], 3) for s in (0, self.steps))
        return Trend.FELL if last < first else Trend.ROSE if last > first else Trend.STAYED

    def named(self) -> Named:
        """The learning rate, and after every step s: the cost descended (``C after s steps``, or
        ``C0 after s steps`` for one example), each example's cost ``Ck after s steps`` (when there
        are several) and example 0's outputs ``a_j(L) after s steps``."""
        L = self.many.net.depth
        out: Named = {LEARNING_RATE: self.learning_rate}
        for s, c in enumerate(self.history.costs):
            out[after_steps(self.cost_symbol, s)] = float(c)
            if self.count > 1 and s <= self.last_finite:
                for k, ck in enumerate(self.example_costs(s)):
                    out[after_steps(cost(k), s)] = float(ck)
            for j, a in enumerate(self.outputs(s)):
                out[after_steps(activation(L, j), s)] = float(a)
        return out


def descent_of(cfg: LessonConfig) -> Descent:
    """The configured network trained by ``[descent]`` (learning rate, number of steps) on the
    average cost over its training set (:func:`network_examples_of`)."""
    many = network_of(cfg.network)
    X, Y = network_examples_of(cfg.network)
    history = nncore.gradient_descent(many.net, X, Y, cfg.descent.learning_rate, cfg.descent.steps)
    return Descent(many, cfg.descent.learning_rate, history, X, Y)
