"""Activation functions σ and their derivatives σ', as pure numpy functions.

Each activation is an :class:`Activation`: the function, its derivative, and the closed range of
its outputs (which a target y must lie in for the cost to be reachable). The output layer may also
be a :class:`Softmax`, which is not element-wise: each a_i depends on every z_j of its layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

__all__ = [
    "Activation",
    "ACTIVATIONS",
    "get_activation",
    "sigmoid",
    "relu",
    "tanh",
    "log_sigmoid",
    "Softmax",
    "SOFTMAX",
    "softmax",
    "log_softmax",
    "softmax_jacobian",
    "Output",
    "OUTPUTS",
    "get_output",
]


def sigmoid(z: np.ndarray) -> np.ndarray:
    """σ(z) = 1 / (1 + e^(-z)), written with e^(-|z|) so it never overflows.

    Exact and warning-free even at z = ±1000 (gives 1.0 and 0.0).
    """
    z = np.asarray(z, dtype=float)
    with np.errstate(under="ignore"):  # e^(-1000) underflowing to 0 is the exact answer
        e = np.exp(-np.abs(z))  # in (0, 1], never overflows
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_prime(z: np.ndarray) -> np.ndarray:
    """σ'(z) = σ(z) (1 - σ(z)), written e^(-|z|) / (1 + e^(-|z|))^2 (σ' is even).

    This form keeps a saturated slope's true size (σ'(110) ≈ 1.7e-48) where σ(z)(1 - σ(z))
    rounds to 0 once σ(z) rounds to 1.
    """
    z = np.asarray(z, dtype=float)
    with np.errstate(under="ignore"):
        e = np.exp(-np.abs(z))
        return e / (1.0 + e) ** 2


def log_sigmoid(z: np.ndarray) -> np.ndarray:
    """ln σ(z) = -softplus(-z) = -(max(-z, 0) + ln(1 + e^(-|z|))), finite where σ(z) rounds to 0.

    ln(1 - σ(z)) = ln σ(-z) is ``log_sigmoid(-z)``. At z = -1000 it gives -1000 (ln of the 0.0 that
    σ rounds to would be -inf).
    """
    z = np.asarray(z, dtype=float)
    with np.errstate(under="ignore"):
        return -(np.maximum(-z, 0.0) + np.log1p(np.exp(-np.abs(z))))


def relu(z: np.ndarray) -> np.ndarray:
    """ReLU(z) = max(0, z)."""
    return np.maximum(0.0, np.asarray(z, dtype=float))


def relu_prime(z: np.ndarray) -> np.ndarray:
    """ReLU'(z) = 1 for z > 0, else 0.

    At the kink z = 0 we take ReLU'(0) = 0 (the left derivative, as most libraries do).
    """
    return (np.asarray(z, dtype=float) > 0).astype(float)


def tanh(z: np.ndarray) -> np.ndarray:
    """tanh(z)."""
    return np.tanh(np.asarray(z, dtype=float))


def tanh_prime(z: np.ndarray) -> np.ndarray:
    """tanh'(z) = 1 - tanh(z)^2, written 4 e^(-2|z|) / (1 + e^(-2|z|))^2 (tanh' is even).

    This form keeps a saturated slope's true size (tanh'(30) ≈ 3.5e-26) where 1 - tanh(z)^2
    rounds to 0.
    """
    z = np.asarray(z, dtype=float)
    with np.errstate(under="ignore"):
        e = np.exp(-2.0 * np.abs(z))
        return 4.0 * e / (1.0 + e) ** 2


class _OutputRange:
    """The closed range [low, high] of a layer's outputs, which a target y must lie in for the cost
    to be reachable."""

    low: float
    high: float

    def contains(self, y: float) -> bool:
        """Whether y lies in the closed output range."""
        return self.low <= y <= self.high

    def range_text(self) -> str:
        """The output range in words, for error messages."""
        high = "inf" if np.isinf(self.high) else f"{self.high:g}"
        return f"[{self.low:g}, {high}]" if np.isfinite(self.high) else f">= {self.low:g}"


@dataclass(frozen=True)
class Activation(_OutputRange):
    """An activation σ with its derivative σ' and the closed range of its outputs."""

    name: str
    f: Callable[[np.ndarray], np.ndarray]
    prime: Callable[[np.ndarray], np.ndarray]
    low: float  # smallest output (closed range)
    high: float  # largest output; inf for ReLU

    def __call__(self, z: np.ndarray) -> np.ndarray:
        return self.f(z)


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_prime, 0.0, 1.0),
    "relu": Activation("relu", relu, relu_prime, 0.0, np.inf),
    "tanh": Activation("tanh", tanh, tanh_prime, -1.0, 1.0),
}


def _look_up(table: dict, name: str, what: str):
    try:
        return table[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown {what} {name!r}; known: {', '.join(table)}") from None


def get_activation(name: str) -> Activation:
    """The activation called ``name``; ValueError naming the known ones otherwise."""
    return _look_up(ACTIVATIONS, name, "activation")


def softmax(z: np.ndarray) -> np.ndarray:
    """a_j = e^(z_j) / Σ_i e^(z_i) over the last axis (one layer; a batch has one row per example).

    Computed as e^(z_j - max z) / Σ_i e^(z_i - max z): never overflows, exact at z = ±1000.
    """
    z = np.asarray(z, dtype=float)
    with np.errstate(under="ignore"):
        e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def log_softmax(z: np.ndarray) -> np.ndarray:
    """ln a_j = z_j - logsumexp(z), logsumexp(z) = max z + ln(1 + Σ_(i ≠ top) e^(z_i - max z)).

    Finite where a_j rounds to 0 (ln softmax([0, -1000]) = [0, -1000]), and exact where a_j is
    within 1e-12 of 1: the ln(1 + ...) is taken by log1p of the other terms' sum.
    """
    z = np.asarray(z, dtype=float)
    top = np.argmax(z, axis=-1)[..., None]
    highest = np.take_along_axis(z, top, axis=-1)
    with np.errstate(under="ignore"):
        others = np.exp(z - highest)
    np.put_along_axis(others, top, 0.0, axis=-1)  # the top term is e^0 = 1: the 1 of log1p
    return z - highest - np.log1p(np.sum(others, axis=-1, keepdims=True))


def softmax_jacobian(a: np.ndarray) -> np.ndarray:
    """∂a_i/∂z_j = a_i (δ_ij - a_j) of a softmax layer with outputs ``a``: shape (..., n, n), row i.

    Symmetric; its diagonal a_j (1 - a_j) is the layer's slopes (:meth:`Softmax.prime`).

    Examples
    --------
    >>> softmax_jacobian(np.array([0.5, 0.5])).tolist()
    [[0.25, -0.25], [-0.25, 0.25]]
    """
    a = np.asarray(a, dtype=float)
    return a[..., :, None] * (np.eye(a.shape[-1]) - a[..., None, :])


@dataclass(frozen=True)
class Softmax(_OutputRange):
    """The softmax output layer: a_j = e^(z_j) / Σ_i e^(z_i), outputs in [0, 1] summing to 1.

    Not element-wise: a_i depends on every z_j of the layer (:func:`softmax_jacobian`). Its
    ``prime``, the layer's slopes, is the Jacobian's diagonal ∂a_j/∂z_j = a_j (1 - a_j): how a_j
    moves with its own z_j alone, the other z held; the chain rule through the layer needs the
    whole Jacobian, ∂C0/∂z_j = Σ_i ∂a_i/∂z_j ∂C0/∂a_i.
    """

    name: str = "softmax"
    low: float = 0.0
    high: float = 1.0

    def __call__(self, z: np.ndarray) -> np.ndarray:
        return softmax(z)

    def prime(self, z: np.ndarray) -> np.ndarray:
        """∂a_j/∂z_j = a_j (1 - a_j), the diagonal of the Jacobian."""
        a = softmax(z)
        return a * (1.0 - a)


SOFTMAX = Softmax()

Output = Activation | Softmax
"""What the output layer L applies: an element-wise activation or the softmax."""

OUTPUTS: dict[str, Output] = {**ACTIVATIONS, "softmax": SOFTMAX}


def get_output(name: str) -> Output:
    """The output layer called ``name`` (an activation or ``"softmax"``); ValueError naming the known ones otherwise."""
    return _look_up(OUTPUTS, name, "output")
