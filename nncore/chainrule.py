"""The chain rule as the lesson narrates it: one small function per idea.

Layers are numbered as in the lesson, l = 1..L (``layer=None`` means the last layer L); j indexes
neurons of layer l and k neurons of layer l-1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nncore.network import Forward, Network

__all__ = [
    "cost_of_example",
    "cost_derivative",
    "Factors",
    "weight_factors",
    "bias_factors",
    "previous_activation_factors",
    "path_terms",
    "PathFactor",
    "chain_path_factors",
    "Nudge",
    "nudge",
]


def cost_of_example(a_out, y) -> float:
    """C0 = Σ_j (a_j(L) - y_j)^2."""
    return float(np.sum((np.asarray(a_out, float) - np.asarray(y, float)) ** 2))


def cost_derivative(a_out, y) -> np.ndarray:
    """∂C0/∂a_j(L) = 2 (a_j(L) - y_j): proportional to the error a_j(L) - y_j."""
    return 2.0 * (np.asarray(a_out, float) - np.asarray(y, float))


@dataclass(frozen=True)
class Factors:
    """The three chain-rule factors of one derivative and their product.

    ``first`` is what differs between parameters: ∂z/∂w = a_k(l-1), ∂z/∂b = 1 or
    ∂z/∂a_k(l-1) = w_jk(l). ``da_dz`` = σ'(z_j(l)); ``dc_da`` = ∂C0/∂a_j(l).
    """

    first: float
    da_dz: float
    dc_da: float

    @property
    def product(self) -> float:
        """first · ∂a/∂z · ∂C0/∂a."""
        return self.first * self.da_dz * self.dc_da


def _layer(net: Network, layer: int | None) -> int:
    layer = net.depth if layer is None else layer
    if not 1 <= layer <= net.depth:
        raise ValueError(f"layer must be 1..{net.depth}, got {layer}")
    return layer


def _neuron(index: int, size: int, what: str) -> int:
    if not 0 <= index < size:
        raise ValueError(f"{what} must be 0..{size - 1}, got {index}")
    return index


def _common(net: Network, x, y, layer: int | None, j: int):
    l = _layer(net, layer)
    j = _neuron(j, net.sizes[l], "j")
    fwd = net.forward(x)
    grads = net.backward(x, y)
    da_dz = float(net.activation.prime(fwd.z[l][j]))  # ∂a_j(l)/∂z_j(l) = σ'(z_j(l))
    dc_da = float(grads.activations[l][j])  # 2(a_j(L) - y_j) when l = L
    return l, fwd, da_dz, dc_da


def weight_factors(net: Network, x, y, layer: int | None = None, j: int = 0, k: int = 0) -> Factors:
    """∂C0/∂w_jk(l) = ∂z_j(l)/∂w_jk(l) · ∂a_j(l)/∂z_j(l) · ∂C0/∂a_j(l), with ∂z/∂w = a_k(l-1)."""
    l, fwd, da_dz, dc_da = _common(net, x, y, layer, j)
    k = _neuron(k, net.sizes[l - 1], "k")
    return Factors(float(fwd.a[l - 1][k]), da_dz, dc_da)


def bias_factors(net: Network, x, y, layer: int | None = None, j: int = 0) -> Factors:
    """∂C0/∂b_j(l) = ∂z_j(l)/∂b_j(l) · σ'(z_j(l)) · ∂C0/∂a_j(l), with ∂z/∂b = 1."""
    _, _, da_dz, dc_da = _common(net, x, y, layer, j)
    return Factors(1.0, da_dz, dc_da)


def previous_activation_factors(net: Network, x, y, layer: int | None = None, j: int = 0, k: int = 0) -> Factors:
    """The path through neuron j: ∂z_j(l)/∂a_k(l-1) · σ'(z_j(l)) · ∂C0/∂a_j(l), with ∂z/∂a = w_jk(l).

    For a chain this is all of ∂C0/∂a(l-1); with many neurons it is one term of
    :func:`path_terms`.
    """
    l, _, da_dz, dc_da = _common(net, x, y, layer, j)
    k = _neuron(k, net.sizes[l - 1], "k")
    return Factors(float(net.weights[l - 1][j, k]), da_dz, dc_da)


def path_terms(net: Network, x, y, layer: int | None = None, k: int = 0) -> np.ndarray:
    """The terms w_jk(l) σ'(z_j(l)) ∂C0/∂a_j(l), one per neuron j of layer l.

    Their sum over j is ∂C0/∂a_k(l-1): a_k(l-1) reaches the cost through every neuron j.
    """
    l = _layer(net, layer)
    k = _neuron(k, net.sizes[l - 1], "k")
    return np.array([previous_activation_factors(net, x, y, l, j, k).product for j in range(net.sizes[l])])


@dataclass(frozen=True)
class PathFactor:
    """One factor on the path from a parameter to the cost.

    ``kind`` is ``"dz/dw"`` (= a(l-1)), ``"dz/db"`` (= 1), ``"da/dz"`` (= σ'(z(l))),
    ``"dz/da"`` (∂z(l)/∂a(l-1) = w(l)) or ``"dC/da"`` (= 2(a(L) - y)); ``layer`` is its l.
    """

    kind: str
    layer: int
    value: float


def chain_path_factors(net: Network, x, y, layer: int, parameter: str = "weight") -> list[PathFactor]:
    """Every factor of ∂C0/∂w(l) (or ∂C0/∂b(l)) along a chain, from layer l up to the cost.

    ∂C0/∂w(l) = ∂z(l)/∂w(l) · σ'(z(l)) · ∂z(l+1)/∂a(l) · σ'(z(l+1)) · ... · σ'(z(L)) · 2(a(L) - y)
    """
    if any(n != 1 for n in net.sizes):
        raise ValueError("chain_path_factors needs one neuron per layer")
    if parameter not in ("weight", "bias"):
        raise ValueError(f"parameter must be 'weight' or 'bias', got {parameter!r}")
    l = _layer(net, layer)
    fwd = net.forward(x)
    first = PathFactor("dz/dw", l, float(fwd.a[l - 1][0])) if parameter == "weight" else PathFactor("dz/db", l, 1.0)
    factors = [first, PathFactor("da/dz", l, float(net.activation.prime(fwd.z[l][0])))]
    for m in range(l + 1, net.depth + 1):
        factors.append(PathFactor("dz/da", m, float(net.weights[m - 1][0, 0])))
        factors.append(PathFactor("da/dz", m, float(net.activation.prime(fwd.z[m][0]))))
    factors.append(PathFactor("dC/da", net.depth, float(cost_derivative(fwd.a[-1], y)[0])))
    return factors


@dataclass(frozen=True)
class Nudge:
    """What a small change Δ of one parameter does: every intermediate before and after, the
    actual change of the cost, and the linear prediction (∂C0/∂param) · Δ."""

    delta: float
    before: Forward
    after: Forward
    cost_before: float
    cost_after: float
    derivative: float

    @property
    def cost_change(self) -> float:
        """ΔC0, measured."""
        return self.cost_after - self.cost_before

    @property
    def predicted_change(self) -> float:
        """(∂C0/∂param) · Δ, the chain rule's linear prediction."""
        return self.derivative * self.delta

    @property
    def ratio(self) -> float:
        """ΔC0 / Δ, which approaches ∂C0/∂param as Δ shrinks."""
        return self.cost_change / self.delta


def nudge(
    net: Network,
    x,
    y,
    delta: float,
    layer: int | None = None,
    j: int = 0,
    k: int = 0,
    parameter: str = "weight",
) -> Nudge:
    """Change w_jk(l) (or b_j(l) for ``parameter="bias"``) by ``delta`` and run forward again."""
    if not np.isfinite(delta) or delta == 0:
        raise ValueError(f"delta must be a finite nonzero number, got {delta!r}")
    l = _layer(net, layer)
    j = _neuron(j, net.sizes[l], "j")
    k = _neuron(k, net.sizes[l - 1], "k")
    weights = [w.copy() for w in net.weights]
    biases = [b.copy() for b in net.biases]
    grads = net.backward(x, y)
    if parameter == "weight":
        weights[l - 1][j, k] += delta
        derivative = grads.weights[l - 1][j, k]
    elif parameter == "bias":
        biases[l - 1][j] += delta
        derivative = grads.biases[l - 1][j]
    else:
        raise ValueError(f"parameter must be 'weight' or 'bias', got {parameter!r}")
    nudged = net.with_parameters(weights, biases)
    return Nudge(
        delta=float(delta),
        before=net.forward(x),
        after=nudged.forward(x),
        cost_before=net.cost(x, y),
        cost_after=nudged.cost(x, y),
        derivative=float(derivative),
    )
