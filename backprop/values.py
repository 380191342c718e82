"""Every value the lesson shows, computed by nncore from a validated config.

Scenes draw these and never compute math themselves. :func:`lesson_values` flattens them into
named numbers (``"a(2)"``, ``"dC0/dw(3)"``, ...) for ``backprop values`` and the tests.
Layers are numbered 1..L with L = 3 for the chain, so a(L-1) is ``"a(2)"``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

import nncore
from backprop.config import ChainConfig, ExamplesConfig, LessonConfig, NetworkConfig

__all__ = ["Chain", "Examples", "ManyNeurons", "chain_of", "examples_of", "network_of", "lesson_values"]


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

    def named(self) -> dict[str, float]:
        """Every value by name, the forward pass first, then the derivatives."""
        L = self.depth
        out = {"x": self.x, "y": self.y}
        for l in range(1, L + 1):
            out |= {f"w({l})": self.w(l), f"b({l})": self.b(l)}
        out["a(0)"] = self.a(0)
        for l in range(1, L + 1):
            out |= {f"z({l})": self.z(l), f"a({l})": self.a(l)}
        out["C0"] = self.cost
        out["a(L) - y"] = self.a(L) - self.y  # the error
        for l in range(L, 0, -1):
            out[f"dC0/da({l})"] = float(self.grads.activations[l][0])
            out[f"da({l})/dz({l})"] = float(self.net.activation.prime(self.forward.z[l])[0])
            out[f"dC0/dw({l})"] = float(self.grads.weights[l - 1][0, 0])
            out[f"dC0/db({l})"] = float(self.grads.biases[l - 1][0])
        out["dC0/da(0)"] = float(self.grads.activations[0][0])
        return out


def chain_of(cfg: ChainConfig) -> Chain:
    """The configured chain and its example."""
    return Chain(nncore.Network.chain(cfg.weights, cfg.biases, cfg.activation), cfg.input, cfg.target)


@dataclass(frozen=True)
class Examples:
    """The chain's training examples: inputs x_k, targets y_k."""

    inputs: np.ndarray
    targets: np.ndarray


def examples_of(cfg: ExamplesConfig) -> Examples:
    """Explicit examples, or ``count`` drawn from ``seed``: inputs uniform in [0, 1] rounded to
    two decimals (so the numbers shown are the numbers used), targets 0 or 1."""
    if cfg.inputs is not None:
        return Examples(np.array(cfg.inputs), np.array(cfg.targets))
    rng = np.random.default_rng(cfg.seed)
    inputs = np.round(rng.uniform(0.0, 1.0, cfg.count), 2)
    targets = rng.integers(0, 2, cfg.count).astype(float)
    return Examples(inputs, targets)


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

    def named(self) -> dict[str, float]:
        out: dict[str, float] = {}
        L = self.net.depth
        for k, v in enumerate(self.x):
            out[f"a_{k}(0)"] = float(v)
        for l in range(1, L + 1):
            for j in range(self.net.sizes[l]):
                for k in range(self.net.sizes[l - 1]):
                    out[f"w_{j}{k}({l})"] = float(self.net.weights[l - 1][j, k])
                out[f"b_{j}({l})"] = float(self.net.biases[l - 1][j])
                out[f"z_{j}({l})"] = float(self.forward.z[l][j])
                out[f"a_{j}({l})"] = float(self.forward.a[l][j])
        for j, v in enumerate(self.y):
            out[f"y_{j}"] = float(v)
        out["C0"] = self.net.cost(self.x, self.y)
        for l in range(L, 0, -1):
            for j in range(self.net.sizes[l]):
                out[f"dC0/da_{j}({l})"] = float(self.grads.activations[l][j])
                for k in range(self.net.sizes[l - 1]):
                    out[f"dC0/dw_{j}{k}({l})"] = float(self.grads.weights[l - 1][j, k])
                out[f"dC0/db_{j}({l})"] = float(self.grads.biases[l - 1][j])
        return out


def network_of(cfg: NetworkConfig) -> ManyNeurons:
    """The configured network: explicit parameters, or drawn from ``seed`` and rounded to two
    decimals (so the numbers shown are the numbers used)."""
    if cfg.weights is not None:
        net = nncore.Network([np.array(w) for w in cfg.weights], [np.array(b) for b in cfg.biases], cfg.activation)
    else:
        drawn = nncore.Network.random(cfg.sizes, cfg.seed, cfg.activation)
        net = drawn.with_parameters([np.round(w, 2) for w in drawn.weights], [np.round(b, 2) for b in drawn.biases])
    if cfg.input is not None:
        x = np.array(cfg.input)
    else:
        x = np.round(np.random.default_rng(cfg.seed + 1).uniform(0.0, 1.0, cfg.sizes[0]), 2)
    return ManyNeurons(net, x, np.array(cfg.target), cfg.focus)


def lesson_values(cfg: LessonConfig) -> dict[str, dict[str, float]]:
    """Every value the lesson shows, by section and name."""
    chain = chain_of(cfg.chain)
    ex = examples_of(cfg.examples)
    X, Y = ex.inputs[:, None], ex.targets[:, None]
    batch = chain.net.backward(X, Y)
    examples: dict[str, float] = {}
    for k, (x, y, g) in enumerate(zip(ex.inputs, ex.targets, batch.per_example)):
        examples |= {f"x_{k}": float(x), f"y_{k}": float(y)}
        examples[f"dC{k}/dw({chain.depth})"] = float(g.weights[-1][0, 0])
    examples["C"] = chain.net.cost(X, Y)
    for l in range(chain.depth, 0, -1):
        examples[f"dC/dw({l})"] = float(batch.weights[l - 1][0, 0])
        examples[f"dC/db({l})"] = float(batch.biases[l - 1][0])
    many = network_of(cfg.network)
    history = nncore.gradient_descent(many.net, many.x, many.y, cfg.descent.learning_rate, cfg.descent.steps)
    descent = {f"C after {s} steps": c for s, c in enumerate(history.costs)}
    return {"chain": chain.named(), "examples": examples, "network": many.named(), "descent": descent}


# --- the many-neuron scenes (issue 4): path terms, nudges, δ, gradient descent --------------

__all__ += ["NUDGE", "many_named", "Descent", "descent_of"]

NUDGE = 0.01  # how far SumOverPaths nudges a_k(L-1): small enough that ΔC0/Δa ≈ ∂C0/∂a


def many_named(many: ManyNeurons) -> dict[str, float]:
    """``many.named()`` and what the many-neuron scenes add to it.

    ``"da_j(l)/dz_j(l)"`` is σ'(z_j(l)); ``"dC0/dz_j(l)"`` is δ_j(l) = σ'(z_j(l)) ∂C0/∂a_j(l);
    ``"dC0/da_k(L-1) via j"`` is the path term w_jk(L) σ'(z_j(L)) ∂C0/∂a_j(L) (their sum over j
    is ``"dC0/da_k(L-1)"``); ``"Δa_k(L-1)"`` is the nudge of the focused a_k(L-1) and
    ``"dC0/da_k(L-1) measured"`` the ratio ΔC0/Δa it causes.
    """
    net, fwd, grads = many.net, many.forward, many.grads
    L = net.depth
    out = many.named()
    for l in range(L, 0, -1):
        slopes = net.activation.prime(fwd.z[l])
        for j in range(net.sizes[l]):
            out[f"da_{j}({l})/dz_{j}({l})"] = float(slopes[j])
            out[f"dC0/dz_{j}({l})"] = float(grads.z[l][j])
    for k in range(net.sizes[L - 1]):
        out[f"dC0/da_{k}({L - 1})"] = float(grads.activations[L - 1][k])
        for j, term in enumerate(nncore.path_terms(net, many.x, many.y, L, k)):
            out[f"dC0/da_{k}({L - 1}) via {j}"] = float(term)
    k = many.focus[1]
    nudged = nncore.nudge_activation(net, many.x, many.y, NUDGE, L - 1, k)
    out[f"Δa_{k}({L - 1})"] = nudged.delta
    out[f"dC0/da_{k}({L - 1}) measured"] = nudged.ratio
    return out


@dataclass(frozen=True)
class Descent:
    """Gradient descent on the many-neuron example: the networks and costs after 0..steps steps."""

    many: ManyNeurons
    learning_rate: float
    history: nncore.DescentHistory

    @property
    def steps(self) -> int:
        return self.history.steps

    def outputs(self, step: int) -> np.ndarray:
        """a(L) of the network after ``step`` steps."""
        return self.history.networks[step].forward(self.many.x).output

    def activations(self, step: int) -> list[np.ndarray]:
        """a(0), ..., a(L) of the network after ``step`` steps, on the example's input."""
        return self.history.networks[step].forward(self.many.x).a

    def weights(self, step: int) -> list[np.ndarray]:
        """The weight matrices after ``step`` steps."""
        return self.history.networks[step].weights

    @property
    def last_finite(self) -> int:
        """The last step whose cost is a finite number (a far too large learning rate can make the
        parameters overflow); ``steps`` when every cost is finite."""
        for step, cost in enumerate(self.history.costs):
            if not np.isfinite(cost):
                return max(step - 1, 0)
        return self.steps

    def keyframes(self, count: int = 6) -> list[int]:
        """At most ``count`` steps to draw, evenly spread from 0 to :attr:`last_finite` (0 alone
        if there are no steps)."""
        end = self.last_finite
        return sorted({int(round(s)) for s in np.linspace(0, end, min(count, end + 1))})

    @property
    def trend(self) -> str:
        """``"fell"``, ``"rose"`` or ``"stayed"``: the last cost against the first, as shown
        (3 decimals); ``"overflowed"`` if the cost stopped being a finite number."""
        if self.last_finite < self.steps:
            return "overflowed"
        first, last = (round(self.history.costs[s], 3) for s in (0, self.steps))
        return "fell" if last < first else "rose" if last > first else "stayed"

    def named(self) -> dict[str, float]:
        """``"learning rate"``, ``"C after s steps"`` and ``"a_j(L) after s steps"`` for every step."""
        L = self.many.net.depth
        out = {"learning rate": self.learning_rate}
        for s, cost in enumerate(self.history.costs):
            out[f"C after {s} steps"] = float(cost)
            for j, a in enumerate(self.outputs(s)):
                out[f"a_{j}({L}) after {s} steps"] = float(a)
        return out


def descent_of(cfg: LessonConfig) -> Descent:
    """The configured network trained by ``[descent]``: learning rate and number of steps."""
    many = network_of(cfg.network)
    history = nncore.gradient_descent(many.net, many.x, many.y, cfg.descent.learning_rate, cfg.descent.steps)
    return Descent(many, cfg.descent.learning_rate, history)
