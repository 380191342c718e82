"""The typed names of every quantity the lesson shows.

A name is a small frozen value: a :class:`Symbol` of the network (``w``, ``b``, ``z``, ``a``, the
input ``x``, the target ``y``, a cost ``C``, ...) with its layer, neuron indices and example, or
something built from symbols: a :class:`Derivative` ∂top/∂bottom, a :class:`Change` Δ, a
:class:`Ratio` ΔC/Δw, a value after a nudge (:class:`Nudged`) or after some descent steps
(:class:`AfterSteps`), one path's term of a sum over paths (:class:`PathTerm`), a derivative
measured by a nudge (:class:`Measured`), a value under another cost than the config's
(:class:`UnderCost`, for a side-by-side of two costs).

Each name has one text form, its ``str``: ``"dC0/dw(3)"``, ``"a_1(2)"``,
``"ΔC0 | Δw(3) = 0.01"``. That text is what ``backprop values`` prints and ``values.json`` holds;
code never builds it by hand and never parses it: it builds names with the constructors below
(``derivative(C0, weight(3))``) and reads their fields. Layers are numbered 0..L as in nncore
(0 is the input); ``j`` is a neuron of the symbol's layer, ``k`` one of the layer before (the
second index of ``w_jk``), ``example`` the training example.

>>> str(derivative(C0, weight(3)))
'dC0/dw(3)'
>>> str(nudged(change(C0), weight(3), 0.01))
'ΔC0 | Δw(3) = 0.01'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

__all__ = [
    "Kind",
    "Symbol",
    "Derivative",
    "Change",
    "Ratio",
    "Nudged",
    "PathTerm",
    "Measured",
    "AfterSteps",
    "UnderCost",
    "Quantity",
    "net_input",
    "target",
    "weight",
    "bias",
    "weighted_sum",
    "activation",
    "cost",
    "C0",
    "AVERAGE_COST",
    "ERROR",
    "LEARNING_RATE",
    "derivative",
    "change",
    "ratio",
    "nudged",
    "path_term",
    "measured",
    "after_steps",
    "under_cost",
]

Kind = Literal["x", "y", "w", "b", "z", "a", "C", "error", "learning rate"]
"""What a symbol is: input, target, weight, bias, weighted sum, activation, cost; the chain's error
a(L) - y; the learning rate of gradient descent."""

_LAYERED: frozenset[str] = frozenset("wbza")  # the kinds that belong to a layer


@dataclass(frozen=True)
class Symbol:
    """A quantity of the network or its examples: ``w(3)``, ``a_1(2)``, ``w_01(2)``, ``x_2``, ``C0``.

    Parameters
    ----------
    kind
        One of :data:`Kind`.
    layer
        The layer (0..L) of ``w``, ``b``, ``z``, ``a``; ``None`` for the others.
    j
        The neuron of ``layer`` (of the output layer for a target ``y``); ``None`` in the chain.
    k
        The neuron of the layer before, for a weight ``w_jk`` only.
    example
        The training example of an input ``x_k``, target ``y_k`` or cost ``C_k``; ``C`` without
        one is the average cost.
    """

    kind: Kind
    layer: int | None = None
    j: int | None = None
    k: int | None = None
    example: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in get_args(Kind):
            raise ValueError(f"unknown kind of quantity {self.kind!r}")
        if (self.layer is not None) != (self.kind in _LAYERED):
            raise ValueError(f"{self.kind!r} {'needs' if self.kind in _LAYERED else 'has no'} layer")
        if self.k is not None and (self.kind != "w" or self.j is None):
            raise ValueError("only a weight w_jk has a second neuron index k")
        if self.example is not None and self.kind not in ("x", "y", "C"):
            raise ValueError(f"{self.kind!r} belongs to no example")

    def __str__(self) -> str:
        if self.kind == "error":
            return "a(L) - y"
        if self.kind == "learning rate":
            return "learning rate"
        if self.kind == "C":
            return "C" if self.example is None else f"C{self.example}"
        indices = "".join(str(i) for i in (self.j, self.k, self.example) if i is not None)
        return self.kind + (f"_{indices}" if indices else "") + ("" if self.layer is None else f"({self.layer})")


@dataclass(frozen=True)
class Derivative:
    """∂of/∂by, e.g. ``dC0/dw(3)``, ``da_0(2)/dz_0(2)``."""

    of: Symbol
    by: Symbol

    def __str__(self) -> str:
        return f"d{self.of}/d{self.by}"


@dataclass(frozen=True)
class Change:
    """Δof, how much a quantity changes (or is nudged by), e.g. ``Δz(3)``, ``Δa_1(1)``."""

    of: Symbol

    def __str__(self) -> str:
        return f"Δ{self.of}"


@dataclass(frozen=True)
class Ratio:
    """Δof/Δby, the difference quotient a nudge of ``by`` measures, e.g. ``ΔC0/Δw(3)``."""

    of: Symbol
    by: Symbol

    def __str__(self) -> str:
        return f"Δ{self.of}/Δ{self.by}"


@dataclass(frozen=True)
class Nudged:
    """``quantity`` after the parameter ``parameter`` is nudged by ``delta``:
    ``z(3) | Δw(3) = 0.5`` (its value then), ``Δz(3) | Δw(3) = 0.5`` (its change)."""

    quantity: Symbol | Change | Ratio
    parameter: Symbol
    delta: float

    def __str__(self) -> str:
        return f"{self.quantity} | {Change(self.parameter)} = {self.delta:g}"


@dataclass(frozen=True)
class PathTerm:
    """The term of the sum over paths ∂C0/∂a_k(l) = Σ_j ... through neuron ``via`` of the layer
    after: ``dC0/da_1(1) via 0``."""

    derivative: Derivative
    via: int

    def __str__(self) -> str:
        return f"{self.derivative} via {self.via}"


@dataclass(frozen=True)
class Measured:
    """A derivative measured by a small nudge (the ratio ΔC0/Δa): ``dC0/da_1(1) measured``."""

    derivative: Derivative

    def __str__(self) -> str:
        return f"{self.derivative} measured"


@dataclass(frozen=True)
class AfterSteps:
    """``quantity`` after ``steps`` steps of gradient descent: ``C after 3 steps``."""

    quantity: Symbol
    steps: int

    def __str__(self) -> str:
        return f"{self.quantity} after {self.steps} steps"


@dataclass(frozen=True)
class UnderCost:
    """``quantity`` of the same network and example when the cost is ``cost`` (an nncore cost's
    name), whatever the config's: ``dC0/dz(3) | squared``, to set two costs side by side."""

    quantity: Symbol | Derivative
    cost: str

    def __str__(self) -> str:
        return f"{self.quantity} | {self.cost}"


Quantity = Symbol | Derivative | Change | Ratio | Nudged | PathTerm | Measured | AfterSteps | UnderCost
"""Any name of a value the lesson shows."""


# --- constructors: the vocabulary the model, the scenes and the tests' oracle speak -------------


def net_input(example: int | None = None) -> Symbol:
    """The chain's input ``x``, or training example ``k``'s ``x_k``."""
    return Symbol("x", example=example)


def target(j: int | None = None, *, example: int | None = None) -> Symbol:
    """The desired output: the chain's ``y``, output neuron j's ``y_j``, or example k's ``y_k``."""
    return Symbol("y", j=j, example=example)


def weight(layer: int, j: int | None = None, k: int | None = None) -> Symbol:
    """``w(l)`` in the chain, ``w_jk(l)`` (neuron k of layer l-1 to neuron j of layer l)."""
    return Symbol("w", layer, j, k)


def bias(layer: int, j: int | None = None) -> Symbol:
    """``b(l)``, ``b_j(l)``."""
    return Symbol("b", layer, j)


def weighted_sum(layer: int, j: int | None = None) -> Symbol:
    """``z(l)``, ``z_j(l)``."""
    return Symbol("z", layer, j)


def activation(layer: int, j: int | None = None) -> Symbol:
    """``a(l)``, ``a_j(l)`` (layer 0 is the input)."""
    return Symbol("a", layer, j)


def cost(example: int | None) -> Symbol:
    """``C_k``, the cost of example k (``C0``: of the one example the chain scenes follow); ``None``:
    ``C``, the average cost."""
    return Symbol("C", example=example)


C0 = cost(0)
AVERAGE_COST = cost(None)
ERROR = Symbol("error")
LEARNING_RATE = Symbol("learning rate")


def derivative(of: Symbol, by: Symbol) -> Derivative:
    """∂of/∂by."""
    return Derivative(of, by)


def change(of: Symbol) -> Change:
    """Δof."""
    return Change(of)


def ratio(of: Symbol, by: Symbol) -> Ratio:
    """Δof/Δby."""
    return Ratio(of, by)


def nudged(quantity: Symbol | Change | Ratio, parameter: Symbol, delta: float) -> Nudged:
    """``quantity`` after ``parameter`` += ``delta``."""
    return Nudged(quantity, parameter, delta)


def path_term(of: Derivative, via: int) -> PathTerm:
    """The term of ``of`` (a sum over paths) through neuron ``via`` of the next layer."""
    return PathTerm(of, via)


def measured(of: Derivative) -> Measured:
    """``of`` as measured by a nudge."""
    return Measured(of)


def after_steps(quantity: Symbol, steps: int) -> AfterSteps:
    """``quantity`` after ``steps`` steps of gradient descent."""
    return AfterSteps(quantity, steps)


def under_cost(quantity: Symbol | Derivative, cost: str) -> UnderCost:
    """``quantity`` under the cost ``cost`` (``"squared"``, ``"binary_cross_entropy"``, ...)."""
    return UnderCost(quantity, cost)
