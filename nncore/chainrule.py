"""The chain rule as the lesson narrates it: one small function per idea.

Layers are numbered as everywhere in nncore (:mod:`nncore.sites`): ``layer`` is the l of w_jk(l),
1..L (``None`` means the last layer L); j indexes neurons of layer l and k neurons of layer l-1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nncore.cost import cost_derivative
from nncore.network import Network
from nncore.sites import BiasAt, WeightAt

__all__ = [
    "Factors",
    "weight_factors",
    "bias_factors",
    "previous_activation_factors",
    "path_terms",
    "PathFactor",
    "chain_path_factors",
]


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


def _last_layer(net: Network, layer: int | None) -> int:
    return net.depth if layer is None else layer


def _at_neuron(net: Network, x, y, l: int, j: int):
    """The forward pass, σ'(z_j(l)) and ∂C0/∂a_j(l): what every factor of neuron j of layer l shares."""
    fwd = net.forward(x)
    da_dz = float(fwd.slopes[l][j])  # ∂a_j(l)/∂z_j(l) = σ'(z_j(l))
    dc_da = float(net.backward(x, y).activations[l][j])  # 2(a_j(L) - y_j) when l = L
    return fwd, da_dz, dc_da


def weight_factors(net: Network, x, y, layer: int | None = None, j: int = 0, k: int = 0) -> Factors:
    """∂C0/∂w_jk(l) = ∂z_j(l)/∂w_jk(l) · ∂a_j(l)/∂z_j(l) · ∂C0/∂a_j(l), with ∂z/∂w = a_k(l-1)."""
    site = WeightAt(_last_layer(net, layer), j, k)
    site.check(net.sizes)
    fwd, da_dz, dc_da = _at_neuron(net, x, y, site.layer, j)
    return Factors(float(fwd.a[site.layer - 1][k]), da_dz, dc_da)


def bias_factors(net: Network, x, y, layer: int | None = None, j: int = 0) -> Factors:
    """∂C0/∂b_j(l) = ∂z_j(l)/∂b_j(l) · σ'(z_j(l)) · ∂C0/∂a_j(l), with ∂z/∂b = 1."""
    site = BiasAt(_last_layer(net, layer), j)
    site.check(net.sizes)
    _, da_dz, dc_da = _at_neuron(net, x, y, site.layer, j)
    return Factors(1.0, da_dz, dc_da)


def previous_activation_factors(net: Network, x, y, layer: int | None = None, j: int = 0, k: int = 0) -> Factors:
    """The path through neuron j: ∂z_j(l)/∂a_k(l-1) · σ'(z_j(l)) · ∂C0/∂a_j(l), with ∂z/∂a = w_jk(l).

    For a chain this is all of ∂C0/∂a(l-1); with many neurons it is one term of
    :func:`path_terms`.
    """
    site = WeightAt(_last_layer(net, layer), j, k)  # the path runs along w_jk(l)
    site.check(net.sizes)
    _, da_dz, dc_da = _at_neuron(net, x, y, site.layer, j)
    return Factors(net.parameter(site), da_dz, dc_da)


def path_terms(net: Network, x, y, layer: int | None = None, k: int = 0) -> np.ndarray:
    """The terms w_jk(l) σ'(z_j(l)) ∂C0/∂a_j(l), one per neuron j of layer l.

    Their sum over j is ∂C0/∂a_k(l-1): a_k(l-1) reaches the cost through every neuron j.
    """
    l = _last_layer(net, layer)
    WeightAt(l, 0, k).check(net.sizes)
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
    l = layer
    WeightAt(l).check(net.sizes)
    fwd = net.forward(x)
    first = PathFactor("dz/dw", l, float(fwd.a[l - 1][0])) if parameter == "weight" else PathFactor("dz/db", l, 1.0)
    factors = [first, PathFactor("da/dz", l, float(fwd.slopes[l][0]))]
    for m in range(l + 1, net.depth + 1):
        factors.append(PathFactor("dz/da", m, float(net.weights[m - 1][0, 0])))
        factors.append(PathFactor("da/dz", m, float(fwd.slopes[m][0])))
    factors.append(PathFactor("dC/da", net.depth, float(cost_derivative(fwd.a[-1], y)[0])))
    return factors
