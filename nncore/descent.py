"""Gradient descent with a full history, and a finite-difference gradient check."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nncore.network import Network
from nncore.sensitivity import cost_along
from nncore.sites import BiasAt, Parameter, WeightAt

__all__ = ["DescentHistory", "gradient_descent", "numerical_gradients", "gradient_check"]


@dataclass(frozen=True)
class DescentHistory:
    """The networks after 0, 1, ..., steps steps and the (average) cost of each."""

    networks: list[Network]
    costs: list[float]

    @property
    def steps(self) -> int:
        return len(self.networks) - 1


def gradient_descent(net: Network, x, y, learning_rate: float, steps: int) -> DescentHistory:
    """Take ``steps`` steps downhill: w ← w - η ∂C/∂w, b ← b - η ∂C/∂b.

    ``x``, ``y`` is one example (C is its cost C0) or a batch of training examples, one row per
    example: then every step goes down the average cost C = (1/n) Σ_k C_k (the gradient is the
    mean of the examples' own gradients), and ``costs`` holds C after each step.

    Examples
    --------
    >>> net = Network.random([2, 2, 1], seed=0)
    >>> X, Y = [[0.1, 0.9], [0.8, 0.3]], [[1.0], [0.0]]
    >>> h = gradient_descent(net, X, Y, learning_rate=1.0, steps=5)
    >>> h.costs[-1] < h.costs[0]
    True
    """
    if not np.isfinite(learning_rate) or learning_rate < 0:
        raise ValueError(f"learning_rate must be a finite number >= 0, got {learning_rate!r}")
    if int(steps) != steps or steps < 0:
        raise ValueError(f"steps must be an integer >= 0, got {steps!r}")
    networks = [net]
    for _ in range(int(steps)):
        grads = net.backward(x, y)
        net = net.with_parameters(
            [w - learning_rate * g for w, g in zip(net.weights, grads.weights)],
            [b - learning_rate * g for b, g in zip(net.biases, grads.biases)],
        )
        networks.append(net)
    return DescentHistory(networks, [n.cost(x, y) for n in networks])


def numerical_gradients(net: Network, x, y, eps: float = 1e-6) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """∂C/∂θ ≈ (C(θ + ε) - C(θ - ε)) / 2ε for every weight and bias (central differences)."""

    def slope(site: Parameter) -> float:
        theta = net.parameter(site)
        up, down = cost_along(net, x, y, site, [theta + eps, theta - eps])
        return (up - down) / (2 * eps)

    sizes, layers = net.sizes, range(1, net.depth + 1)
    dw = [np.array([[slope(WeightAt(l, j, k)) for k in range(sizes[l - 1])] for j in range(sizes[l])]) for l in layers]
    db = [np.array([slope(BiasAt(l, j)) for j in range(sizes[l])]) for l in layers]
    return dw, db


def gradient_check(net: Network, x, y, eps: float = 1e-6) -> float:
    """Largest |backward - central difference| over all weights and biases."""
    grads = net.backward(x, y)
    dw, db = numerical_gradients(net, x, y, eps)
    errors = [np.max(np.abs(a - n)) for a, n in zip(grads.weights + grads.biases, dw + db)]
    return float(max(errors))
