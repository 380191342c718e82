"""Activation functions σ and their derivatives σ', as pure numpy functions.

Each activation is an :class:`Activation`: the function, its derivative, and the closed range of
its outputs (which a target y must lie in for the cost to be reachable).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

__all__ = ["Activation", "ACTIVATIONS", "get_activation", "sigmoid", "relu", "tanh"]


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


@dataclass(frozen=True)
class Activation:
    """An activation σ with its derivative σ' and the closed range of its outputs."""

    name: str
    f: Callable[[np.ndarray], np.ndarray]
    prime: Callable[[np.ndarray], np.ndarray]
    low: float  # smallest output (closed range)
    high: float  # largest output; inf for ReLU

    def __call__(self, z: np.ndarray) -> np.ndarray:
        return self.f(z)

    def contains(self, y: float) -> bool:
        """Whether y lies in the activation's closed output range."""
        return self.low <= y <= self.high

    def range_text(self) -> str:
        """The output range in words, for error messages."""
        high = "inf" if np.isinf(self.high) else f"{self.high:g}"
        return f"[{self.low:g}, {high}]" if np.isfinite(self.high) else f">= {self.low:g}"


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_prime, 0.0, 1.0),
    "relu": Activation("relu", relu, relu_prime, 0.0, np.inf),
    "tanh": Activation("tanh", tanh, tanh_prime, -1.0, 1.0),
}


def get_activation(name: str) -> Activation:
    """The activation called ``name``; ValueError naming the known ones otherwise."""
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        known = ", ".join(ACTIVATIONS)
        raise ValueError(f"unknown activation {name!r}; known: {known}") from None
