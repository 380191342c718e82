"""Printed arithmetic that checks out by hand: the digits each value needs.

The lesson prints computations: ``z = w a + b``, ``C0 = (a - y)^2`` (or the cost's own C0), ``2(a - y)``, chain-rule
products, sums over paths, averages. Multiplying (adding, squaring) the printed numbers must give
the printed result, rounded to its decimals. With every value at its kind's decimals
(:func:`lessonmodel.fmt.decimals_for`) that often fails (``2(0.66 - 1.00) = -0.681``: the printed
numbers give -0.680), so :func:`precision_of` finds, for a config, the decimals each value needs:
it checks every relation the lesson prints with the values as they would be printed, and gives the
operands of a relation that fails one more digit, until all check out.

A value has one precision throughout the lesson: wherever it appears (a label on the chain, a
factor of a product) it is written the same way, never two roundings of one value on one screen.
Values that are equal (∂z(L)/∂w(L) is a(L-1)) share their precision for the same reason.

>>> from lessonmodel.config import load_config
>>> from lessonmodel.names import activation
>>> cfg = load_config()
>>> chain_table(cfg.chain, cfg.examples).decimals(activation(3))  # 2(a(L) - y) = -0.681 needs a(L) to 4
4
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache
from typing import Callable, Mapping, Sequence

import nncore
from lessonmodel.config import ChainConfig, ExamplesConfig, NetworkConfig
from lessonmodel.fmt import decimals_for, number_parts
from lessonmodel.names import (
    AVERAGE_COST,
    C0,
    ERROR,
    Quantity,
    activation,
    bias,
    cost,
    derivative,
    path_term,
    target,
    weight,
    weighted_sum,
)
from lessonmodel.values import (
    NUDGE_SIZES,
    Chain,
    Named,
    chain_factors_named,
    chain_of,
    chain_path,
    examples_named,
    many_named,
    network_of,
    nudge_named,
    nudge_of_named,
    training_set_of,
)

__all__ = ["Relation", "Digits", "Table", "chain_table", "network_table", "printed", "MAX_EXTRA"]

MAX_EXTRA = 4  # digits a value may get beyond its kind's; more would not be read


@dataclass(frozen=True)
class Relation:
    """``result = evaluate(operands)``, as the lesson prints it (``evaluate`` takes the operands'
    printed values, in order)."""

    result: Quantity
    operands: tuple[Quantity, ...]
    evaluate: Callable[[Sequence[Decimal]], Decimal]


def printed(value: float, decimals: int, sci: int = 1) -> Decimal:
    """``value`` as printed with ``decimals`` (``sci`` decimals of the mantissa in scientific
    form), as an exact decimal."""
    mantissa, exponent = number_parts(value, decimals, sci)
    return Decimal(mantissa) * (Decimal(10) ** int(exponent) if exponent else 1)


@dataclass
class Digits:
    """The precision of one value (and of the values that are the same quantity): its decimals,
    and the decimals of its mantissa when it is written in scientific form."""

    decimals: int
    sci: int = 1
    extra: int = 0

    def more(self) -> bool:
        """One more digit; False when it has :data:`MAX_EXTRA` already."""
        if self.extra >= MAX_EXTRA:
            return False
        self.decimals, self.sci, self.extra = self.decimals + 1, self.sci + 1, self.extra + 1
        return True


class Table:
    """The digits of every value of one set of scenes (the chain's, or the network's). A name of
    ``same`` is the same quantity as the name it maps to (∂z(L)/∂w(L) is a(L-1)): both are
    written alike, with the larger of their kinds' decimals."""

    def __init__(self, named: Named, same: Mapping[Quantity, Quantity] | None = None) -> None:
        self.named = dict(named)
        self._same = {n: s for n, s in (same or {}).items() if n in self.named and s in self.named}
        self._digits: dict[Quantity, Digits] = {}
        for name in self.named:
            own = self._same.get(name, name)
            group = self._digits.setdefault(own, Digits(decimals_for(own)))
            group.decimals = max(group.decimals, decimals_for(name))

    def digits(self, name: Quantity) -> Digits:
        return self._digits[self._same.get(name, name)]

    def decimals(self, name: Quantity) -> int:
        """How many decimals the value called ``name`` is printed with (its kind's when it is no
        value of the table)."""
        return self.digits(name).decimals if name in self.named else decimals_for(name)

    def sci(self, name: Quantity) -> int:
        """Decimals of its mantissa, when it is printed in scientific form."""
        return self.digits(name).sci if name in self.named else 1

    def printed(self, name: Quantity) -> Decimal:
        digits = self.digits(name)
        return printed(self.named[name], digits.decimals, digits.sci)

    def holds(self, relation: Relation) -> bool:
        """Whether the relation checks out with the printed values."""
        got = relation.evaluate([self.printed(n) for n in relation.operands])
        result = self.printed(relation.result)
        mantissa, exponent = number_parts(self.named[relation.result], self.digits(relation.result).decimals,
                                          self.digits(relation.result).sci)
        unit = Decimal(10) ** (int(exponent or 0) - len(mantissa.partition(".")[2]))
        return (got / unit).quantize(Decimal(1), rounding=ROUND_HALF_EVEN) * unit == result

    def solve(self, relations: Sequence[Relation]) -> None:
        """Until every relation holds: give one more digit to the operand whose rounding moves a
        failing relation's result most (the fewest digits that make it check out), or, when none
        can have more (:data:`MAX_EXTRA`), to its result (a value at a rounding boundary)."""
        for _ in range(64):
            failing = next((r for r in relations if not self.holds(r)), None)
            if failing is None:
                return
            worst = sorted(set(failing.operands), key=lambda n: self._moves(failing, n), reverse=True)
            if not any(self.digits(n).more() for n in worst if self._moves(failing, n) > 0):
                if not self.digits(failing.result).more():
                    return  # cannot be helped: the relation stays as it is

    def _moves(self, relation: Relation, name: Quantity) -> Decimal:
        """How far the rounding of ``name`` moves the relation's result."""
        shown = [self.printed(n) for n in relation.operands]
        exact = [Decimal(repr(self.named[n])) if n == name else v for n, v in zip(relation.operands, shown)]
        return abs(relation.evaluate(exact) - relation.evaluate(shown))


def _product(values: Sequence[Decimal]) -> Decimal:
    out = Decimal(1)
    for v in values:
        out *= v
    return out


def _affine(values: Sequence[Decimal]) -> Decimal:
    """Σ w a + b from (w1, a1, w2, a2, ..., b)."""
    return sum((w * a for w, a in zip(values[:-1:2], values[1:-1:2])), Decimal(0)) + values[-1]


def _squares(values: Sequence[Decimal]) -> Decimal:
    """Σ (a - y)^2 from (a1, y1, a2, y2, ...)."""
    return sum(((a - y) ** 2 for a, y in zip(values[::2], values[1::2])), Decimal(0))


def _error(values: Sequence[Decimal]) -> Decimal:
    a, y = values
    return a - y


def _twice_error(values: Sequence[Decimal]) -> Decimal:
    a, y = values
    return 2 * (a - y)


_FAR = Decimal("1e30")  # a log of 0 (or 1/0) from a printed output: as far from any printed result as can be


def _times_ln(y: Decimal, a: Decimal) -> Decimal | None:
    """y ln a, 0 where y = 0 (the cross-entropies' 0 ln 0 = 0); None where a <= 0 (a printed output
    rounded to 0 or 1)."""
    if y == 0:
        return Decimal(0)
    return None if a <= 0 else y * a.ln()


def _binary_cross_entropy(values: Sequence[Decimal]) -> Decimal:
    """-Σ (y ln a + (1 - y) ln(1 - a)) from (a1, y1, a2, y2, ...)."""
    terms = [t for a, y in zip(values[::2], values[1::2]) for t in (_times_ln(y, a), _times_ln(1 - y, 1 - a))]
    return _FAR if None in terms else -sum(terms, Decimal(0))


def _binary_cross_entropy_slope(values: Sequence[Decimal]) -> Decimal:
    """∂C0/∂a = (a - y) / (a (1 - a))."""
    a, y = values
    return _FAR if a * (1 - a) == 0 else (a - y) / (a * (1 - a))


def _cross_entropy(values: Sequence[Decimal]) -> Decimal:
    """-Σ y ln a from (a1, y1, a2, y2, ...)."""
    terms = [_times_ln(y, a) for a, y in zip(values[::2], values[1::2])]
    return _FAR if None in terms else -sum(terms, Decimal(0))


def _cross_entropy_slope(values: Sequence[Decimal]) -> Decimal:
    """∂C0/∂a_j = -y_j / a_j."""
    a, y = values
    return _FAR if a == 0 else -y / a


Evaluate = Callable[[Sequence[Decimal]], Decimal]
COST_ARITHMETIC: dict[str, tuple[Evaluate, Evaluate | None]] = {
    "squared": (_squares, _twice_error),
    "binary_cross_entropy": (_binary_cross_entropy, _binary_cross_entropy_slope),
    "cross_entropy": (_cross_entropy, _cross_entropy_slope),
}
"""C0 from its outputs and targets, and ∂C0/∂a from a and y, by nncore cost name: how the lesson
prints each cost's computation."""
assert COST_ARITHMETIC.keys() == nncore.COSTS.keys()


def _mean(values: Sequence[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / len(values)


def _total(values: Sequence[Decimal]) -> Decimal:
    return sum(values, Decimal(0))


def _chain_relations(chain: Chain, examples: int) -> list[Relation]:
    L = chain.depth
    out = [Relation(weighted_sum(l), (weight(l), activation(l - 1), bias(l)), _affine) for l in range(1, L + 1)]
    cost_of, slope_of = COST_ARITHMETIC[chain.net.cost_function.name]
    out += [Relation(ERROR, (activation(L), target()), _error), Relation(C0, (activation(L), target()), cost_of)]
    if slope_of is not None:
        out.append(Relation(derivative(C0, activation(L)), (activation(L), target()), slope_of))
    if chain.net.slope_cancels:  # ∂C0/∂z(L) = a(L) - y, and ChainRule's three factors still printed
        out.append(Relation(derivative(C0, weighted_sum(L)), (activation(L), target()), _error))
        slope_and_cost = (derivative(activation(L), weighted_sum(L)), derivative(C0, activation(L)))
        out += [Relation(derivative(C0, weight(L)), (activation(L - 1), *slope_and_cost), _product),
                Relation(derivative(C0, bias(L)), slope_and_cost, _product)]
    printed_paths = [(l, nncore.ParameterKind.WEIGHT) for l in range(1, L + 1)]
    printed_paths += [(l, nncore.ParameterKind.BIAS) for l in (L, L - 1) if l >= 1]
    for l, parameter in printed_paths:  # BackwardsThroughChain and BiasAndPreviousActivation's products
        of = weight(l) if parameter == nncore.ParameterKind.WEIGHT else bias(l)
        factors = [name for factor, name in chain_path(chain, l, parameter)
                   if factor.kind != nncore.FactorKind.DZ_DB]  # ∂z/∂b = 1 is printed as 1
        out.append(Relation(derivative(C0, of), tuple(factors), _product))
    last = [weighted_sum(L), activation(L), C0]
    out.append(Relation(derivative(C0, activation(L - 1)),
                        (derivative(last[0], activation(L - 1)), derivative(last[1], last[0]),
                         derivative(C0, last[1])), _product))
    out.append(Relation(derivative(AVERAGE_COST, weight(L)),
                        tuple(derivative(cost(k), weight(L)) for k in range(examples)), _mean))
    return out


def _network_relations(net: nncore.Network, focus: tuple[int, int]) -> list[Relation]:
    """What the many-neuron scenes print: the focused neuron j's weighted sum, the cost, every
    output's ∂C0/∂a_j(L) (2(a_j - y_j)), the focused weight's product and bias's, the focused
    a_k(L-1)'s paths and their sum."""
    L, sizes = net.depth, net.sizes
    j, k = focus
    operands = [q for m in range(sizes[L - 1]) for q in (weight(L, j, m), activation(L - 1, m))]
    out = [Relation(weighted_sum(L, j), (*operands, bias(L, j)), _affine)]
    outputs = [q for i in range(sizes[L]) for q in (activation(L, i), target(i))]
    cost_of, slope_of = COST_ARITHMETIC[net.cost_function.name]
    out.append(Relation(C0, tuple(outputs), cost_of))
    out += [Relation(derivative(C0, activation(L, i)), (activation(L, i), target(i)), slope_of)
            for i in range(sizes[L])]

    def factors(i: int) -> tuple[Quantity, ...]:
        """Output i's factors of a path: its slope and ∂C0/∂a_i(L), or, from a softmax, the one
        factor ∂C0/∂z_i(L) = a_i(L) - y_i (a softmax output has no one slope to split out)."""
        if net.output_activation.name == "softmax":
            return (derivative(C0, weighted_sum(L, i)),)
        return derivative(activation(L, i), weighted_sum(L, i)), derivative(C0, activation(L, i))

    if net.output_activation.name == "softmax":
        out += [Relation(derivative(C0, weighted_sum(L, i)), (activation(L, i), target(i)), _error)
                for i in range(sizes[L])]
    else:
        out.append(Relation(derivative(C0, bias(L, j)), factors(j), _product))
    out.append(Relation(derivative(C0, weight(L, j, k)), (activation(L - 1, k), *factors(j)), _product))
    total = derivative(C0, activation(L - 1, k))
    terms = [path_term(total, i) for i in range(sizes[L])]
    out += [Relation(terms[i], (weight(L, i, k), *factors(i)), _product) for i in range(sizes[L])]
    out.append(Relation(total, tuple(terms), _total))
    return out


def _table(named: Mapping[Quantity, float], relations: list[Relation],
           same: Mapping[Quantity, Quantity] | None = None) -> Table:
    known = [r for r in relations if r.result in named and all(n in named for n in r.operands)]
    table = Table(named, same)
    table.solve(known)
    return table


@lru_cache(maxsize=8)
def chain_table(chain_cfg: ChainConfig, examples_cfg: ExamplesConfig) -> Table:
    """The digits of the chain scenes' values: its example's, the chain rule's factors, the
    nudges, the training set's (see the module's docstring)."""
    chain = chain_of(chain_cfg)
    ex = training_set_of(chain_cfg, examples_cfg)
    named = chain.named() | chain_factors_named(chain) | examples_named(chain, ex)
    for delta in NUDGE_SIZES:
        named |= nudge_named(chain, delta)
    for quantity in (bias(chain.depth), activation(chain.depth - 1)):
        named |= nudge_of_named(chain, quantity)
    L = chain.depth
    same = {derivative(weighted_sum(l), weight(l)): activation(l - 1) for l in range(1, L + 1)}
    same |= {derivative(weighted_sum(l), activation(l - 1)): weight(l) for l in range(1, L + 1)}
    return _table(named, _chain_relations(chain, len(ex.inputs)), same)


@lru_cache(maxsize=8)
def network_table(network_cfg: NetworkConfig) -> Table:
    """The digits of the many-neuron scenes' values (see the module's docstring)."""
    many = network_of(network_cfg)
    return _table(many_named(many), _network_relations(many.net, many.focus))
