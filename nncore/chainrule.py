"""The chain rule as the lesson narrates it: one small function per idea.

Layers are numbered as everywhere in nncore (:mod:`nncore.sites`): ``layer`` is the l of w_jk(l),
1..L (``None`` means the last layer L); j indexes neurons of layer l and k neurons of layer l-1.

The three factors need a layer whose a_j depends on its own z_j alone: a softmax output couples
them (∂a_i/∂z_j ≠ 0 for i ≠ j), so the factors of its layer raise a ValueError; its path terms and
every layer below it work as for any other output.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from nncore.activations import Softmax
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

    ``output_error`` is set where the cost cancels the output's slope (a sigmoid output under
    binary cross-entropy, at l = L), to what the two factors multiply to:

        σ'(z_j(L)) = a_j (1 - a_j),   ∂C0/∂a_j(L) = (a_j - y_j) / (a_j (1 - a_j)),
        σ'(z_j(L)) · ∂C0/∂a_j(L) = a_j(L) - y_j   (= ``output_error``, exactly: the backward pass's δ_j(L))

    ``product`` then multiplies ``first`` by it, never the saturated σ' by the huge ∂C0/∂a.

    Examples
    --------
    >>> net = Network.chain([-0.90, -2.49, 0.91], [-0.31, 0.73, 0.22], cost="cross_entropy")
    >>> f = weight_factors(net, [0.5], [1.0])
    >>> round(f.da_dz, 4), round(f.dc_da, 4), round(f.output_error, 4)  # σ'(z(L)), ∂C0/∂a(L), a(L) - y
    (0.2246, -1.5166, -0.3406)
    """

    first: float
    da_dz: float
    dc_da: float
    output_error: float | None = None

    @property
    def dc_dz(self) -> float:
        """∂C0/∂z_j(l) = ∂a/∂z · ∂C0/∂a, or the ``output_error`` they cancel to."""
        return self.da_dz * self.dc_da if self.output_error is None else self.output_error

    @property
    def product(self) -> float:
        """first · ∂a/∂z · ∂C0/∂a (first · ``output_error`` where the slope cancels)."""
        if self.output_error is not None:
            return self.first * self.output_error
        return self.first * self.da_dz * self.dc_da


def _last_layer(net: Network, layer: int | None) -> int:
    return net.depth if layer is None else layer


def _one_slope(net: Network, l: int) -> None:
    """ValueError if layer l is a softmax, whose a_j depends on every z_i: no one slope σ'(z_j)."""
    if isinstance(net.layer_activation(l), Softmax):
        raise ValueError(
            f"layer {l} is a softmax: ∂C0/∂z_j sums over every a_i (softmax_jacobian), "
            "not one slope times ∂C0/∂a_j; read Gradients.z (= a - y under cross-entropy)"
        )


def _at_neuron(net: Network, x, y, l: int, j: int):
    """The forward pass, σ'(z_j(l)), ∂C0/∂a_j(l) and the output error where σ' cancels: what every
    factor of neuron j of layer l shares."""
    _one_slope(net, l)
    fwd = net.forward(x)
    grads = net.backward(x, y)
    da_dz = float(fwd.slopes[l][j])  # ∂a_j(l)/∂z_j(l) = σ'(z_j(l))
    dc_da = float(grads.activations[l][j])  # the cost's derivative (2(a_j(L) - y_j)) when l = L
    cancelled = float(grads.z[l][j]) if l == net.depth and net.slope_cancels else None  # a_j(L) - y_j
    return fwd, Factors(0.0, da_dz, dc_da, cancelled)


def weight_factors(net: Network, x, y, layer: int | None = None, j: int = 0, k: int = 0) -> Factors:
    """∂C0/∂w_jk(l) = ∂z_j(l)/∂w_jk(l) · ∂a_j(l)/∂z_j(l) · ∂C0/∂a_j(l), with ∂z/∂w = a_k(l-1)."""
    site = WeightAt(_last_layer(net, layer), j, k)
    site.check(net.sizes)
    fwd, shared = _at_neuron(net, x, y, site.layer, j)
    return replace(shared, first=float(fwd.a[site.layer - 1][k]))


def bias_factors(net: Network, x, y, layer: int | None = None, j: int = 0) -> Factors:
    """∂C0/∂b_j(l) = ∂z_j(l)/∂b_j(l) · σ'(z_j(l)) · ∂C0/∂a_j(l), with ∂z/∂b = 1."""
    site = BiasAt(_last_layer(net, layer), j)
    site.check(net.sizes)
    _, shared = _at_neuron(net, x, y, site.layer, j)
    return replace(shared, first=1.0)


def previous_activation_factors(net: Network, x, y, layer: int | None = None, j: int = 0, k: int = 0) -> Factors:
    """The path through neuron j: ∂z_j(l)/∂a_k(l-1) · σ'(z_j(l)) · ∂C0/∂a_j(l), with ∂z/∂a = w_jk(l).

    For a chain this is all of ∂C0/∂a(l-1); with many neurons it is one term of
    :func:`path_terms`.
    """
    site = WeightAt(_last_layer(net, layer), j, k)  # the path runs along w_jk(l)
    site.check(net.sizes)
    _, shared = _at_neuron(net, x, y, site.layer, j)
    return replace(shared, first=net.parameter(site))


def path_terms(net: Network, x, y, layer: int | None = None, k: int = 0) -> np.ndarray:
    """The terms w_jk(l) σ'(z_j(l)) ∂C0/∂a_j(l), one per neuron j of layer l.

    Their sum over j is ∂C0/∂a_k(l-1): a_k(l-1) reaches the cost through every neuron j. Through a
    softmax layer each term is w_jk(l) ∂C0/∂z_j(l), the path through z_j(l).
    """
    l = _last_layer(net, layer)
    WeightAt(l, 0, k).check(net.sizes)
    if isinstance(net.layer_activation(l), Softmax):
        return net.weights[l - 1][:, k] * net.backward(x, y).z[l]
    return np.array([previous_activation_factors(net, x, y, l, j, k).product for j in range(net.sizes[l])])


@dataclass(frozen=True)
class PathFactor:
    """One factor on the path from a parameter to the cost.

    ``kind`` is ``"dz/dw"`` (= a(l-1)), ``"dz/db"`` (= 1), ``"da/dz"`` (= σ'(z(l))),
    ``"dz/da"`` (∂z(l)/∂a(l-1) = w(l)), ``"dC/da"`` (the cost's derivative, 2(a(L) - y) for the
    squared error) or, where the cost cancels σ'(z(L)), ``"dC/dz"`` (= a(L) - y) in place of the
    last ``"da/dz"`` and ``"dC/da"``; ``layer`` is its l.
    """

    kind: str
    layer: int
    value: float


def chain_path_factors(net: Network, x, y, layer: int, parameter: str = "weight") -> list[PathFactor]:
    """Every factor of ∂C0/∂w(l) (or ∂C0/∂b(l)) along a chain, from layer l up to the cost.

    ∂C0/∂w(l) = ∂z(l)/∂w(l) · σ'(z(l)) · ∂z(l+1)/∂a(l) · σ'(z(l+1)) · ... · σ'(z(L)) · 2(a(L) - y)

    Where the cost cancels σ'(z(L)) (binary cross-entropy on a sigmoid), the path ends in
    ... · w(L) · (a(L) - y) instead: the factors multiply to the gradient, finite at any z.
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
    if net.slope_cancels:
        error = float(net.backward(x, y).z[-1][0])  # a(L) - y
        return [*factors[:-1], PathFactor("dC/dz", net.depth, error)]
    factors.append(PathFactor("dC/da", net.depth, float(net.cost_function.derivative(fwd.a[-1], y, fwd.z[-1])[0])))
    return factors
