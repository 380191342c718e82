"""What a pass through a network keeps: every intermediate of the forward pass, every derivative of
the backward pass, indexed by layer as everywhere in nncore (:mod:`nncore.sites`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nncore.sites import BiasAt, Site, WeightAt

__all__ = ["Forward", "Gradients"]


@dataclass(frozen=True)
class Forward:
    """Every intermediate of a forward pass, indexed by layer.

    ``a[0]`` is the input x and ``a[l] = σ(z[l])``; ``slopes[l]`` is σ'(z(l)) = ∂a(l)/∂z(l). The
    input layer has no weighted sum, so ``z[0]`` is the input itself (``z[0] == a[0]``, slope 1).
    A softmax layer's slope of neuron j is ∂a_j/∂z_j = a_j (1 - a_j), its own z alone moving: the
    Jacobian's diagonal (the whole of it: :func:`~nncore.activations.softmax_jacobian`).
    For a batch each entry has a leading axis of length n (one row per example).
    """

    z: list[np.ndarray]
    a: list[np.ndarray]
    slopes: list[np.ndarray]

    @property
    def output(self) -> np.ndarray:
        """a(L), the network's output."""
        return self.a[-1]


@dataclass(frozen=True)
class Gradients:
    """Derivatives of the cost, shaped and indexed like what they differentiate.

    ``weights[l-1]`` and ``biases[l-1]`` are ∂C/∂w(l) and ∂C/∂b(l); ``activations[l]`` is ∂C/∂a(l)
    and ``z[l]`` is ∂C/∂z(l) for l = 0..L (with ``z[0] == activations[0]``, as z(0) = a(0)).
    For a batch, C is the average cost (1/n) Σ_k C_k, every attribute is the mean of the
    per-example ones, and ``per_example[k]`` holds example k's own gradients. For a single
    example ``per_example`` holds one entry equal to these gradients.
    """

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    activations: list[np.ndarray]
    z: list[np.ndarray]
    per_example: tuple["Gradients", ...] = field(default=(), repr=False)

    def at(self, site: Site) -> np.ndarray:
        """∂C/∂(the quantity at ``site``): of a weight, a bias or an activation."""
        if isinstance(site, WeightAt):
            return self.weights[site.layer - 1][..., site.j, site.k]
        if isinstance(site, BiasAt):
            return self.biases[site.layer - 1][..., site.j]
        return self.activations[site.layer][..., site.j]
