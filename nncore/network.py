"""A fully connected network with its forward and backward passes, every intermediate kept.

Notation (the lesson's): layer l = 0 is the input, l = L the output.
``weights[l-1][j, k]`` is w_jk(l), from neuron k of layer l-1 to neuron j of layer l, and

    z_j(l) = Σ_k w_jk(l) a_k(l-1) + b_j(l)        a_j(l) = σ(z_j(l))
    C0 = Σ_j (a_j(L) - y_j)^2

Backward, the local derivative beside each forward formula:

    ∂C0/∂a_j(L)   = 2 (a_j(L) - y_j)
    ∂C0/∂z_j(l)   = σ'(z_j(l)) ∂C0/∂a_j(l)
    ∂C0/∂w_jk(l)  = a_k(l-1) ∂C0/∂z_j(l)
    ∂C0/∂b_j(l)   = ∂C0/∂z_j(l)
    ∂C0/∂a_k(l-1) = Σ_j w_jk(l) ∂C0/∂z_j(l)

A weight, bias or activation is named by a site (:mod:`nncore.sites`). GeneralRecursion shows
``backward``'s δ lines with their line numbers: an edit above them changes its frames.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from nncore.activations import Activation, get_activation
from nncore.cost import cost_of_outputs
from nncore.sites import ActivationAt, BiasAt, Parameter, Site, WeightAt

__all__ = ["Network", "Forward", "Gradients"]


@dataclass(frozen=True)
class Forward:
    """Every intermediate of a forward pass, indexed by layer.

    ``a[0]`` is the input x and ``a[l] = σ(z[l])``; ``slopes[l]`` is σ'(z(l)) = ∂a(l)/∂z(l). The
    input layer has no weighted sum, so ``z[0]`` is the input itself (``z[0] == a[0]``, slope 1).
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


def _finite_array(value, what: str, ndim: int) -> np.ndarray:
    try:
        array = np.array(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be numbers, got {value!r}") from None
    if array.ndim != ndim:
        raise ValueError(f"{what} must have {ndim} dimension(s), got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{what} contains NaN or inf")
    return array


class Network:
    """A fully connected feed-forward network.

    Parameters
    ----------
    weights
        One matrix per layer after the input; ``weights[l-1]`` has shape ``(n_l, n_{l-1})``.
    biases
        One vector per layer after the input; ``biases[l-1]`` has shape ``(n_l,)``.
    activation
        ``"sigmoid"``, ``"relu"`` or ``"tanh"``, used by every layer.

    Examples
    --------
    >>> net = Network.chain([-0.90, -2.49, 0.91], [-0.31, 0.73, 0.22])
    >>> fwd = net.forward([0.5])
    >>> round(float(fwd.output[0]), 2)
    0.66
    >>> round(float(net.resume(fwd, 2, [0.5]).output[0]), 2)  # a(2) set to 0.5, run on to a(L)
    0.66
    """

    def __init__(
        self,
        weights: Sequence[np.ndarray],
        biases: Sequence[np.ndarray],
        activation: str = "sigmoid",
    ) -> None:
        if len(weights) == 0:
            raise ValueError("a network needs at least one layer of weights")
        if len(weights) != len(biases):
            raise ValueError(f"got {len(weights)} weight matrices but {len(biases)} bias vectors")
        self.activation: Activation = get_activation(activation)
        self.weights = [_finite_array(w, f"weights[{i}]", 2) for i, w in enumerate(weights)]
        self.biases = [_finite_array(b, f"biases[{i}]", 1) for i, b in enumerate(biases)]
        for i, (w, b) in enumerate(zip(self.weights, self.biases)):
            if w.shape[0] != b.shape[0]:
                raise ValueError(f"weights[{i}] has {w.shape[0]} rows but biases[{i}] has {b.shape[0]} entries")
            if i > 0 and w.shape[1] != self.weights[i - 1].shape[0]:
                raise ValueError(
                    f"weights[{i}] has {w.shape[1]} columns but layer {i} has "
                    f"{self.weights[i - 1].shape[0]} neurons"
                )
            if 0 in w.shape:
                raise ValueError(f"weights[{i}] has an empty layer (shape {w.shape})")

    @classmethod
    def random(cls, sizes: Sequence[int], seed: int, activation: str = "sigmoid") -> "Network":
        """A network with layer sizes ``sizes`` and standard-normal parameters drawn from ``seed``."""
        if len(sizes) < 2 or any(int(n) != n or n < 1 for n in sizes):
            raise ValueError(f"sizes must be at least two positive integers, got {list(sizes)}")
        rng = np.random.default_rng(seed)
        weights = [rng.standard_normal((n, m)) for m, n in zip(sizes[:-1], sizes[1:])]
        biases = [rng.standard_normal(n) for n in sizes[1:]]
        return cls(weights, biases, activation)

    @classmethod
    def chain(cls, weights: Sequence[float], biases: Sequence[float], activation: str = "sigmoid") -> "Network":
        """One neuron per layer: n weights and n biases make n + 1 neurons."""
        if np.ndim(weights) != 1 or np.ndim(biases) != 1:
            raise ValueError("a chain takes one number per weight and per bias")
        return cls([[[w]] for w in weights], [[b] for b in biases], activation)

    @property
    def sizes(self) -> list[int]:
        """Neurons per layer, the input layer first."""
        return [self.weights[0].shape[1]] + [w.shape[0] for w in self.weights]

    @property
    def depth(self) -> int:
        """L, the number of layers after the input."""
        return len(self.weights)

    def with_parameters(self, weights: Sequence[np.ndarray], biases: Sequence[np.ndarray]) -> "Network":
        """A network of the same activation with other parameters."""
        return Network(weights, biases, self.activation.name)

    def _run(self, z: list, a: list, slopes: list) -> Forward:
        """The forward recursion, from the last layer in ``a`` up to L (one row per example)."""
        for l in range(len(a), self.depth + 1):
            z.append(a[-1] @ self.weights[l - 1].T + self.biases[l - 1])  # Σ_k w_jk(l) a_k(l-1) + b_j(l)
            a.append(self.activation(z[-1]))  # a_j(l) = σ(z_j(l))
            slopes.append(self.activation.prime(z[-1]))  # σ'(z_j(l))
        return Forward(z, a, slopes)

    def _from_input(self, X: np.ndarray) -> Forward:
        """The forward recursion from the input: z(0) = a(0) = x, of slope 1."""
        return self._run([X], [X], [np.ones_like(X)])

    def forward(self, x) -> Forward:
        """Run the input forward; ``x`` is one example ``(n_0,)`` or a batch ``(n, n_0)``."""
        X, _, single = self._examples(x)
        result = self._from_input(X)
        if single:
            return Forward(*([v[0] for v in values] for values in (result.z, result.a, result.slopes)))
        return result

    def cost(self, x, y) -> float:
        """C0 = Σ_j (a_j(L) - y_j)^2 for one example; the mean of the C_k for a batch."""
        X, Y, _ = self._examples(x, y)
        return cost_of_outputs(self._from_input(X).output, Y)

    def backward(self, x, y) -> Gradients:
        """Gradients of the cost for one example, or of the average cost for a batch."""
        X, Y, single = self._examples(x, y)
        fwd = self._from_input(X)
        n_layers = self.depth
        da = [None] * (n_layers + 1)
        dz = [None] * (n_layers + 1)
        dw = [None] * n_layers
        da[-1] = 2.0 * (fwd.a[-1] - Y)  # ∂C0/∂a_j(L) = 2 (a_j(L) - y_j)
        for l in range(n_layers, 0, -1):
            dz[l] = self.activation.prime(fwd.z[l]) * da[l]  # σ'(z_j(l)) ∂C0/∂a_j(l)
            dw[l - 1] = dz[l][:, :, None] * fwd.a[l - 1][:, None, :]  # a_k(l-1) ∂C0/∂z_j(l)
            da[l - 1] = dz[l] @ self.weights[l - 1]  # Σ_j w_jk(l) ∂C0/∂z_j(l)
        dz[0] = da[0]  # z(0) = a(0)
        per_example = tuple(
            Gradients(
                weights=[g[i] for g in dw],
                biases=[g[i] for g in dz[1:]],
                activations=[g[i] for g in da],
                z=[g[i] for g in dz],
            )
            for i in range(X.shape[0])
        )
        if single:
            one = per_example[0]
            return Gradients(one.weights, one.biases, one.activations, one.z, per_example)
        means = ([g.mean(axis=0) for g in arrays] for arrays in (dw, dz[1:], da, dz))
        return Gradients(*means, per_example)

    def resume(self, fwd: Forward, layer: int, a) -> Forward:
        """The forward pass ``fwd`` with a(layer) replaced by ``a`` and run on from there.

        Layers before ``layer`` keep their values, and so do z(layer) and σ'(z(layer)): the
        change is to a(layer) itself. Layers layer+1..L are recomputed from ``a``.
        """
        ActivationAt(layer).check(self.sizes)
        a = np.asarray(a, dtype=float)
        if a.shape != np.shape(fwd.a[layer]):
            raise ValueError(f"a({layer}) must have shape {np.shape(fwd.a[layer])}, got {a.shape}")
        return self._run(list(fwd.z[: layer + 1]), [*fwd.a[:layer], a], list(fwd.slopes[: layer + 1]))

    def parameter(self, site: Parameter) -> float:
        """The value of one weight or bias."""
        site.check(self.sizes)
        if isinstance(site, WeightAt):
            return float(self.weights[site.layer - 1][site.j, site.k])
        return float(self.biases[site.layer - 1][site.j])

    def with_parameter(self, site: Parameter, value: float) -> "Network":
        """This network with one weight or bias set to ``value``, every other parameter as it is."""
        site.check(self.sizes)
        weights = [w.copy() for w in self.weights]
        biases = [b.copy() for b in self.biases]
        if isinstance(site, WeightAt):
            weights[site.layer - 1][site.j, site.k] = value
        elif isinstance(site, BiasAt):
            biases[site.layer - 1][site.j] = value
        else:
            raise TypeError(f"a parameter is a WeightAt or a BiasAt, got {site!r}")
        return self.with_parameters(weights, biases)

    def _examples(self, x, y=None) -> tuple[np.ndarray, np.ndarray | None, bool]:
        """Inputs (and targets) as 2-D batches, and whether they came as one example."""
        x = np.array(x, dtype=float)
        single = x.ndim == 1
        X = x[None, :] if single else x
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            want = f"({self.sizes[0]},) or (n, {self.sizes[0]})"
            raise ValueError(f"input must have shape {want}, got {x.shape}")
        if not np.all(np.isfinite(X)):
            raise ValueError("input contains NaN or inf")
        if y is None:
            return X, None, single
        y = np.array(y, dtype=float)
        Y = y[None, :] if y.ndim == 1 else y
        if Y.shape != (X.shape[0], self.sizes[-1]) or (y.ndim == 1) != single:
            want = f"({self.sizes[-1]},)" if single else f"({X.shape[0]}, {self.sizes[-1]})"
            raise ValueError(f"target must have shape {want}, got {y.shape}")
        if not np.all(np.isfinite(Y)):
            raise ValueError("target contains NaN or inf")
        return X, Y, single

    def __repr__(self) -> str:
        return f"Network(sizes={self.sizes}, activation={self.activation.name!r})"
