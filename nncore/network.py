"""A fully connected network with its forward and backward passes, every intermediate kept.

Notation (the lesson's): layer l = 0 is the input, l = L the output.
``weights[l-1][j, k]`` is w_jk(l), from neuron k of layer l-1 to neuron j of layer l, and

    z_j(l) = Σ_k w_jk(l) a_k(l-1) + b_j(l)        a_j(l) = σ(z_j(l))
    C0 = Σ_j (a_j(L) - y_j)^2

by default; the output layer may have an activation of its own or the softmax, the cost may be a
cross-entropy (:mod:`nncore.cost`). Backward, the local derivative beside each forward formula:

    ∂C0/∂a_j(L)   = 2 (a_j(L) - y_j)               the cost's derivative
    ∂C0/∂z_j(l)   = σ'(z_j(l)) ∂C0/∂a_j(l)         at L the output error (nncore.cost.output_error)
    ∂C0/∂w_jk(l)  = a_k(l-1) ∂C0/∂z_j(l)
    ∂C0/∂b_j(l)   = ∂C0/∂z_j(l)
    ∂C0/∂a_k(l-1) = Σ_j w_jk(l) ∂C0/∂z_j(l)

A weight, bias or activation is named by a site (:mod:`nncore.sites`). GeneralRecursion shows
``backward``'s δ lines with their line numbers: an edit above them changes its frames.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from nncore.activations import Activation, Output, Softmax, get_activation, get_output
from nncore.cost import Cost, SquaredError, get_cost, output_error
from nncore.passes import Forward, Gradients
from nncore.sites import ActivationAt, BiasAt, Parameter, WeightAt

__all__ = ["Network", "Forward", "Gradients"]


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
        ``"sigmoid"``, ``"relu"`` or ``"tanh"``, used by every layer (but the output, if ``output`` is given).
    output
        The output layer's: an activation or ``"softmax"`` (at least two neurons); None: ``activation``.
    cost
        ``"squared"``, ``"cross_entropy"`` (binary on a sigmoid output) or a :class:`~nncore.cost.Cost`.

    Examples
    --------
    >>> net = Network.chain([-0.90, -2.49, 0.91], [-0.31, 0.73, 0.22])
    >>> fwd = net.forward([0.5])
    >>> round(float(fwd.output[0]), 2)
    0.66
    >>> round(float(net.resume(fwd, 2, [0.5]).output[0]), 2)  # a(2) set to 0.5, run on to a(L)
    0.66
    >>> ce = Network.chain([-0.90, -2.49, 0.91], [-0.31, 0.73, 0.22], cost="cross_entropy")  # binary, on σ
    >>> round(float(ce.backward([0.5], [1.0]).z[3][0]), 2)  # ∂C0/∂z(L) = a(L) - y: σ'(z(L)) cancelled
    -0.34
    """

    def __init__(
        self,
        weights: Sequence[np.ndarray],
        biases: Sequence[np.ndarray],
        activation: str = "sigmoid",
        *,
        output: str | None = None,
        cost: str | Cost = "squared",
    ) -> None:
        if len(weights) == 0:
            raise ValueError("a network needs at least one layer of weights")
        if len(weights) != len(biases):
            raise ValueError(f"got {len(weights)} weight matrices but {len(biases)} bias vectors")
        self.activation: Activation = get_activation(activation)
        self.output_activation: Output = self.activation if output is None else get_output(output)
        self.cost_function: Cost = get_cost(cost, self.output_activation)
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
        if isinstance(self.output_activation, Softmax) and self.sizes[-1] < 2:
            raise ValueError("a softmax output needs at least 2 neurons (with one, a(L) = 1 whatever z(L))")

    @classmethod
    def random(cls, sizes: Sequence[int], seed: int, activation: str = "sigmoid", *, output: str | None = None,
               cost: str | Cost = "squared") -> "Network":
        """A network with layer sizes ``sizes`` and standard-normal parameters drawn from ``seed``."""
        if len(sizes) < 2 or any(int(n) != n or n < 1 for n in sizes):
            raise ValueError(f"sizes must be at least two positive integers, got {list(sizes)}")
        rng = np.random.default_rng(seed)
        weights = [rng.standard_normal((n, m)) for m, n in zip(sizes[:-1], sizes[1:])]
        biases = [rng.standard_normal(n) for n in sizes[1:]]
        return cls(weights, biases, activation, output=output, cost=cost)

    @classmethod
    def chain(cls, weights: Sequence[float], biases: Sequence[float], activation: str = "sigmoid", *,
              output: str | None = None, cost: str | Cost = "squared") -> "Network":
        """One neuron per layer: n weights and n biases make n + 1 neurons."""
        if np.ndim(weights) != 1 or np.ndim(biases) != 1:
            raise ValueError("a chain takes one number per weight and per bias")
        return cls([[[w]] for w in weights], [[b] for b in biases], activation, output=output, cost=cost)

    @property
    def sizes(self) -> list[int]:
        """Neurons per layer, the input layer first."""
        return [self.weights[0].shape[1]] + [w.shape[0] for w in self.weights]

    @property
    def depth(self) -> int:
        """L, the number of layers after the input."""
        return len(self.weights)

    @property
    def slope_cancels(self) -> bool:
        """Whether the cost cancels the output's slope, ∂C0/∂z_j(L) = a_j(L) - y_j: a sigmoid output
        under binary cross-entropy (σ'(z) against ∂C0/∂a), a softmax under cross-entropy."""
        return self.cost_function.cancels == self.output_activation.name

    def layer_activation(self, l: int) -> Output:
        """What layer l (1..L) applies to z(l): the output's at L, the activation before."""
        return self.output_activation if l == self.depth else self.activation

    def with_parameters(self, weights: Sequence[np.ndarray], biases: Sequence[np.ndarray]) -> "Network":
        """A network of the same activations and cost with other parameters."""
        output, cost = self.output_activation.name, self.cost_function
        return Network(weights, biases, self.activation.name, output=output, cost=cost)

    def _run(self, z: list, a: list, slopes: list) -> Forward:
        """The forward recursion, from the last layer in ``a`` up to L (one row per example)."""
        for l in range(len(a), self.depth + 1):
            act = self.layer_activation(l)
            z.append(a[-1] @ self.weights[l - 1].T + self.biases[l - 1])  # Σ_k w_jk(l) a_k(l-1) + b_j(l)
            a.append(act(z[-1]))  # a_j(l) = σ(z_j(l))
            slopes.append(act.prime(z[-1]))  # σ'(z_j(l)); softmax: a_j(l) (1 - a_j(l))
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
        """C0 (e.g. Σ_j (a_j(L) - y_j)^2) for one example; the mean of the C_k for a batch."""
        X, Y, _ = self._examples(x, y)
        fwd = self._from_input(X)
        return self.cost_function.value(fwd.output, Y, fwd.z[-1])

    def cost_of(self, fwd: Forward, y) -> float:
        """The cost of this network's forward pass ``fwd`` (C0, or the mean for a batch) against ``y``.

        A cross-entropy's logs come from z(L) where a(L) is the output of z(L), from a(L) alone
        after a(L) itself was set (:meth:`resume` at layer L keeps z(L)).
        """
        z = fwd.z[-1] if np.array_equal(self.output_activation(fwd.z[-1]), fwd.output) else None
        return self.cost_function.value(fwd.output, y, z)

    def backward(self, x, y) -> Gradients:
        """Gradients of the cost for one example, or of the average cost for a batch.

        A network of one activation under the squared error runs the lines below (GeneralRecursion
        shows them); any other output or cost starts from the output error (:meth:`_from_output`).
        """
        X, Y, single = self._examples(x, y)
        fwd = self._from_input(X)
        if self.output_activation is not self.activation or not isinstance(self.cost_function, SquaredError):
            return self._gradients(*self._from_output(fwd, Y), single)
        n_layers = self.depth
        da = [None] * (n_layers + 1)
        dz = [None] * (n_layers + 1)
        dw = [None] * n_layers
        da[-1] = 2.0 * (fwd.a[-1] - Y)  # ∂C0/∂a_j(L) = 2 (a_j(L) - y_j)
        for l in range(n_layers, 0, -1):
            dz[l] = self.activation.prime(fwd.z[l]) * da[l]  # σ'(z_j(l)) ∂C0/∂a_j(l)
            dw[l - 1] = dz[l][:, :, None] * fwd.a[l - 1][:, None, :]  # a_k(l-1) ∂C0/∂z_j(l)
            da[l - 1] = dz[l] @ self.weights[l - 1]  # Σ_j w_jk(l) ∂C0/∂z_j(l)
        return self._gradients(da, dz, dw, single)

    def _from_output(self, fwd: Forward, Y: np.ndarray) -> tuple[list, list, list]:
        """∂C0/∂a(L), ∂C0/∂z(l), ∂C0/∂w(l) for any output and cost: the output error δ(L) from
        :func:`~nncore.cost.output_error` (a - y where the cost cancels the output's slope, so never
        through a saturated σ' times a huge ∂C0/∂a), then the recursion through the hidden layers."""
        L = self.depth
        da, dz, dw = [None] * (L + 1), [None] * (L + 1), [None] * L
        da[L] = self.cost_function.derivative(fwd.a[L], Y, fwd.z[L])  # ∂C0/∂a_j(L)
        dz[L] = output_error(self.output_activation, self.cost_function, fwd.a[L], Y, fwd.z[L], da[L])
        for l in range(L, 0, -1):
            if l < L:
                dz[l] = self.activation.prime(fwd.z[l]) * da[l]  # σ'(z_j(l)) ∂C0/∂a_j(l)
            dw[l - 1] = dz[l][:, :, None] * fwd.a[l - 1][:, None, :]  # a_k(l-1) ∂C0/∂z_j(l)
            da[l - 1] = dz[l] @ self.weights[l - 1]  # Σ_j w_jk(l) ∂C0/∂z_j(l)
        return da, dz, dw

    @staticmethod
    def _gradients(da: list, dz: list, dw: list, single: bool) -> Gradients:
        """Gradients from the backward pass's lists (one row per example): each example's, and their means."""
        dz[0] = da[0]  # z(0) = a(0)
        n = da[0].shape[0]
        per_example = tuple(
            Gradients(
                weights=[g[i] for g in dw],
                biases=[g[i] for g in dz[1:]],
                activations=[g[i] for g in da],
                z=[g[i] for g in dz],
            )
            for i in range(n)
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
        self.cost_function.check_target(Y)
        return X, Y, single

    def __repr__(self) -> str:
        head = "" if self.output_activation is self.activation else f", output={self.output_activation.name!r}"
        if not isinstance(self.cost_function, SquaredError):
            head += f", cost={self.cost_function.name!r}"
        return f"Network(sizes={self.sizes}, activation={self.activation.name!r}{head})"
