"""Where in a network a quantity sits: one weight, one bias or one activation.

One layer convention everywhere, the lesson's: ``layer`` is the l of the quantity's name, layer 0
the input and L the output. Weights w_jk(l) and biases b_j(l) exist for l = 1..L, activations
a_j(l) for l = 0..L; j is a neuron of layer l and k one of layer l-1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

__all__ = ["WeightAt", "BiasAt", "ActivationAt", "Site", "Parameter"]


def _check_index(value: int, size: int, what: str) -> None:
    if not 0 <= value < size:
        raise ValueError(f"{what} must be 0..{size - 1}, got {value}")


def _check_layer(layer: int, low: int, depth: int, what: str) -> None:
    if not low <= layer <= depth:
        raise ValueError(f"layer of {what} must be {low}..{depth}, got {layer}")


@dataclass(frozen=True)
class WeightAt:
    """w_jk(l): the weight from neuron k of layer l-1 to neuron j of layer l."""

    layer: int
    j: int = 0
    k: int = 0

    def check(self, sizes: Sequence[int]) -> None:
        """ValueError unless the weight exists in a network with these layer sizes."""
        _check_layer(self.layer, 1, len(sizes) - 1, "a weight")
        _check_index(self.j, sizes[self.layer], "j")
        _check_index(self.k, sizes[self.layer - 1], "k")


@dataclass(frozen=True)
class BiasAt:
    """b_j(l): the bias of neuron j of layer l."""

    layer: int
    j: int = 0

    def check(self, sizes: Sequence[int]) -> None:
        """ValueError unless the bias exists in a network with these layer sizes."""
        _check_layer(self.layer, 1, len(sizes) - 1, "a bias")
        _check_index(self.j, sizes[self.layer], "j")


@dataclass(frozen=True)
class ActivationAt:
    """a_j(l): the activation of neuron j of layer l (a_j(0) is the input x_j)."""

    layer: int
    j: int = 0

    def check(self, sizes: Sequence[int]) -> None:
        """ValueError unless the activation exists in a network with these layer sizes."""
        _check_layer(self.layer, 0, len(sizes) - 1, "an activation")
        _check_index(self.j, sizes[self.layer], "j")


Parameter = WeightAt | BiasAt
"""A weight or a bias: what gradient descent changes."""

Site = WeightAt | BiasAt | ActivationAt
"""Any quantity a nudge can change."""
