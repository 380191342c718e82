"""The cost C0 of one example, written once per cost, with its derivative and its notation.

Each cost is a small frozen class: its value for one example (C0, summed over the output neurons j)
and for a batch (the mean C = (1/n) Σ_k C_k), its derivative ∂C0/∂a_j(L), and its notation as plain
text (the lesson model maps it to typed formulas). Costs, and the outputs each one takes:

    squared error           C0 = Σ_j (a_j - y_j)^2                          ∂C0/∂a_j = 2(a_j - y_j)
                            any output; any target
    binary cross-entropy    C0 = -Σ_j (y_j ln a_j + (1 - y_j) ln(1 - a_j))  ∂C0/∂a_j = (a_j - y_j) / (a_j (1 - a_j))
                            a sigmoid output; targets in [0, 1]
    cross-entropy           C0 = -Σ_j y_j ln a_j                            ∂C0/∂a_j = -y_j / a_j
                            a softmax output; targets a probability vector (in [0, 1], summing to 1)

With its output, a cross-entropy cancels the output's slope: ∂C0/∂z_j(L) = a_j - y_j (the sigmoid's
σ'(z) = a (1 - a) against (a - y) / (a (1 - a)); the softmax's Jacobian against -y / a, for targets
summing to 1). :func:`output_error` computes ∂C0/∂z(L) that way, never through ∂C0/∂a(L).

Near saturation the logs come from z(L) when it is given (ln σ(z) by softplus, ln softmax by
logsumexp), so a(L) within 1e-12 of 0 or 1, or z(L) = ±1000, gives a finite cost. ∂C0/∂a(L) itself
grows like e^|z| when the output is saturated at the wrong end: past |z| ≈ 709 it exceeds the largest
float and is ±inf (quietly), while ∂C0/∂z(L) and every parameter's gradient stay exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from nncore.activations import Output, log_sigmoid, log_softmax, softmax_jacobian

__all__ = [
    "Cost",
    "CostNotation",
    "SquaredError",
    "SQUARED_ERROR",
    "BinaryCrossEntropy",
    "BINARY_CROSS_ENTROPY",
    "CrossEntropy",
    "CROSS_ENTROPY",
    "COSTS",
    "get_cost",
    "output_error",
    "cost_of_outputs",
    "cost_derivative",
]

TARGET_SUM_TOLERANCE = 1e-9  # how far from 1 a softmax target's sum may be (rounding of given probabilities)


@dataclass(frozen=True)
class CostNotation:
    """How a cost is written, in plain text (no Typst, no drawing).

    ``name`` in words; ``cost`` one output neuron's term of C0 (C0 sums it over j); ``derivative``
    ∂C0/∂a_j(L); ``output_error`` ∂C0/∂z_j(L) where the cost cancels its output's slope, else None.
    """

    name: str
    cost: str
    derivative: str
    output_error: str | None = None


def _xlogy(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """x ln y, taken as 0 where x = 0 (so 0 ln 0 = 0, the limit the cross-entropies use)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x == 0, 0.0, x * np.log(y))


def _ratio(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """x / y, taken as 0 where x = 0 (a term of ∂C0/∂a that a target of 0 or 1 switches off)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x == 0, 0.0, x / y)


def _arrays(a, y, z) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    return np.asarray(a, float), np.asarray(y, float), None if z is None else np.asarray(z, float)


@dataclass(frozen=True)
class Cost:
    """A cost of one example's outputs a = a(L) against its targets y (both ``(n_L,)``, or a batch
    ``(n, n_L)``, one row per example). ``z`` = z(L), when given, makes the logs exact near saturation.

    Subclasses give :meth:`terms` (one output neuron's share of C0) and :meth:`derivative`.
    """

    name: ClassVar[str]
    notation: ClassVar[CostNotation]
    outputs: ClassVar[tuple[str, ...] | None] = None  # the output layers it takes; None: any
    cancels: ClassVar[str | None] = None  # the output whose slope it cancels: ∂C0/∂z_j(L) = a_j - y_j

    def terms(self, a, y, z=None) -> np.ndarray:
        """Each output neuron's term of C0, shaped like ``a``."""
        raise NotImplementedError

    def derivative(self, a, y, z=None) -> np.ndarray:
        """∂C0/∂a_j(L), shaped like ``a`` (one row per example for a batch)."""
        raise NotImplementedError

    def per_example(self, a, y, z=None) -> np.ndarray:
        """C0 of each example: the terms summed over the output neurons j."""
        return np.sum(self.terms(a, y, z), axis=-1)

    def value(self, a, y, z=None) -> float:
        """C0 of one example; for a batch (one row per example) the average cost C = (1/n) Σ_k C_k."""
        return float(np.mean(self.per_example(a, y, z)))

    def check_target(self, y) -> None:
        """ValueError unless ``y`` (one example or a batch) is a target this cost takes."""

    def check_output(self, output: Output) -> None:
        """ValueError unless this cost takes an output layer of this kind."""
        if self.outputs is not None and output.name not in self.outputs:
            raise ValueError(
                f"{self.notation.name} needs a {' or '.join(self.outputs)} output, got {output.name}"
            )


def _check_unit_interval(y, what: str) -> None:
    y = np.asarray(y, float)
    if np.any((y < 0) | (y > 1)):
        bad = y[(y < 0) | (y > 1)].flat[0]
        raise ValueError(f"target must lie in [0, 1] for {what}, got {bad:g}")


@dataclass(frozen=True)
class SquaredError(Cost):
    """C0 = Σ_j (a_j(L) - y_j)^2, ∂C0/∂a_j(L) = 2 (a_j(L) - y_j): proportional to the error.

    Examples
    --------
    >>> SQUARED_ERROR.value([0.5, 0.25], [1.0, 0.0])
    0.3125
    >>> SQUARED_ERROR.derivative([0.5, 0.25], [1.0, 0.0]).tolist()
    [-1.0, 0.5]
    """

    name: ClassVar[str] = "squared"
    notation: ClassVar[CostNotation] = CostNotation("squared error", "(a - y)^2", "2(a - y)")

    def terms(self, a, y, z=None) -> np.ndarray:
        a, y, _ = _arrays(a, y, z)
        return (a - y) ** 2

    def derivative(self, a, y, z=None) -> np.ndarray:
        return 2.0 * (np.asarray(a, float) - np.asarray(y, float))


@dataclass(frozen=True)
class BinaryCrossEntropy(Cost):
    """C0 = -Σ_j (y_j ln a_j + (1 - y_j) ln(1 - a_j)) on a sigmoid output, targets in [0, 1].

    From z: ln a = ln σ(z) and ln(1 - a) = ln σ(-z) (:func:`~nncore.activations.log_sigmoid`), and
    ∂C0/∂a = (a - y) / (a (1 - a)) = (1 - y)(1 + e^z) - y (1 + e^(-z)).

    Examples
    --------
    >>> round(BINARY_CROSS_ENTROPY.value([0.8], [1.0]), 6)  # -ln 0.8
    0.223144
    >>> BINARY_CROSS_ENTROPY.value([1.0], [0.0], z=[1000.0])  # ln(1 - σ(1000)) = -1000, not -inf
    1000.0
    """

    name: ClassVar[str] = "binary_cross_entropy"
    notation: ClassVar[CostNotation] = CostNotation(
        "binary cross-entropy", "-(y ln a + (1 - y) ln(1 - a))", "(a - y) / (a (1 - a))", "a - y"
    )
    outputs: ClassVar[tuple[str, ...]] = ("sigmoid",)
    cancels: ClassVar[str] = "sigmoid"

    def terms(self, a, y, z=None) -> np.ndarray:
        a, y, z = _arrays(a, y, z)
        if z is None:
            return -(_xlogy(y, a) + _xlogy(1.0 - y, 1.0 - a))
        return -(y * log_sigmoid(z) + (1.0 - y) * log_sigmoid(-z))

    def derivative(self, a, y, z=None) -> np.ndarray:
        a, y, z = _arrays(a, y, z)
        if z is None:
            return _ratio(1.0 - y, 1.0 - a) - _ratio(y, a)
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):  # e^|z| past the float range: inf
            up = np.where(y < 1, (1.0 - y) * (1.0 + np.exp(z)), 0.0)  # (1 - y) / (1 - a)
            down = np.where(y > 0, y * (1.0 + np.exp(-z)), 0.0)  # y / a
        return up - down

    def check_target(self, y) -> None:
        _check_unit_interval(y, self.notation.name)


@dataclass(frozen=True)
class CrossEntropy(Cost):
    """C0 = -Σ_j y_j ln a_j on a softmax output, the targets y a probability vector (each in
    [0, 1], summing to 1). From z: ln a_j = z_j - logsumexp(z) (:func:`~nncore.activations.log_softmax`),
    and ∂C0/∂a_j = -y_j / a_j = -y_j e^(logsumexp(z) - z_j).

    Examples
    --------
    >>> round(CROSS_ENTROPY.value([0.25, 0.75], [0.0, 1.0]), 6)  # -ln 0.75
    0.287682
    """

    name: ClassVar[str] = "cross_entropy"
    notation: ClassVar[CostNotation] = CostNotation("cross-entropy", "-y ln a", "-y / a", "a - y")
    outputs: ClassVar[tuple[str, ...]] = ("softmax",)
    cancels: ClassVar[str] = "softmax"

    def terms(self, a, y, z=None) -> np.ndarray:
        a, y, z = _arrays(a, y, z)
        return -_xlogy(y, a) if z is None else -(y * log_softmax(z))

    def derivative(self, a, y, z=None) -> np.ndarray:
        a, y, z = _arrays(a, y, z)
        if z is None:
            return -_ratio(y, a)
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):  # 1/a_j past the float range: inf
            return -np.where(y > 0, y * np.exp(-log_softmax(z)), 0.0)

    def check_target(self, y) -> None:
        _check_unit_interval(y, self.notation.name)
        sums = np.sum(np.asarray(y, float), axis=-1)
        off = np.abs(sums - 1.0) > TARGET_SUM_TOLERANCE
        if np.any(off):
            raise ValueError(f"targets must sum to 1 for softmax with cross-entropy, got {sums[off].flat[0]:g}")


SQUARED_ERROR = SquaredError()
BINARY_CROSS_ENTROPY = BinaryCrossEntropy()
CROSS_ENTROPY = CrossEntropy()
COSTS: dict[str, Cost] = {c.name: c for c in (SQUARED_ERROR, BINARY_CROSS_ENTROPY, CROSS_ENTROPY)}


def get_cost(cost: str | Cost, output: Output) -> Cost:
    """The cost ``cost`` (a name of :data:`COSTS`, or a Cost) for an output layer ``output``.

    ``"cross_entropy"`` on a sigmoid output is the binary cross-entropy, as the config spells it.
    ValueError for an unknown name or a cost the output cannot take (cross-entropy on tanh).

    Examples
    --------
    >>> from nncore.activations import get_output
    >>> get_cost("cross_entropy", get_output("sigmoid")).notation.name
    'binary cross-entropy'
    """
    if cost == "cross_entropy":
        if output.name not in ("sigmoid", "softmax"):
            raise ValueError(f"cross-entropy needs a sigmoid or softmax output (a(L) in (0, 1)), got {output.name}")
        cost = BINARY_CROSS_ENTROPY if output.name == "sigmoid" else CROSS_ENTROPY
    elif isinstance(cost, str):
        if cost not in COSTS:
            raise ValueError(f"unknown cost {cost!r}; known: {', '.join(COSTS)}")
        cost = COSTS[cost]
    elif not isinstance(cost, Cost):
        raise ValueError(f"a cost is a name ({', '.join(COSTS)}) or a Cost, got {cost!r}")
    cost.check_output(output)
    return cost


def output_error(output: Output, cost: Cost, a, y, z, dc_da) -> np.ndarray:
    """∂C0/∂z_j(L), the output layer's error δ(L), from its outputs ``a``, targets ``y``, weighted
    sums ``z`` and ∂C0/∂a(L) = ``dc_da``:

        element-wise σ          δ_j = σ'(z_j) ∂C0/∂a_j
        softmax                 δ_j = Σ_i ∂a_i/∂z_j ∂C0/∂a_i       (:func:`softmax_jacobian`)
        sigmoid, cross-entropy  δ_j = a_j - y_j                     (σ'(z_j) cancels; ``dc_da`` unused)
        softmax, cross-entropy  δ_j = a_j Σ_i y_i - y_j = a_j - y_j (the Jacobian cancels)
    """
    a, y = np.asarray(a, float), np.asarray(y, float)
    if cost.cancels == output.name == "sigmoid":
        return a - y
    if cost.cancels == output.name == "softmax":
        return a * np.sum(y, axis=-1, keepdims=True) - y
    if output.name == "softmax":
        return np.einsum("...i,...ij->...j", dc_da, softmax_jacobian(a))
    return output.prime(z) * dc_da


def cost_of_outputs(a_out, y) -> float:
    """C0 = Σ_j (a_j(L) - y_j)^2 of one example; for a batch (one row per example) the average
    cost C = (1/n) Σ_k C_k. The squared error's :meth:`Cost.value` (a network's own cost:
    :meth:`~nncore.network.Network.cost_of`)."""
    return SQUARED_ERROR.value(a_out, y)


def cost_derivative(a_out, y) -> np.ndarray:
    """∂C0/∂a_j(L) = 2 (a_j(L) - y_j): proportional to the error a_j(L) - y_j (the squared error's)."""
    return SQUARED_ERROR.derivative(a_out, y)
