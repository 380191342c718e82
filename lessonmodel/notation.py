"""The lesson's notation, one table: how each typed name is written, as a formula
(:mod:`lessonmodel.formula`), and the layer names, activations and cost that go with it.

Layers are named from the end of the network (``L``, ``L-1``, ``L-2``, ...): a(L-1) is the
activation of the layer before the output, whatever the depth. A symbol's colour key is its kind
(``w``, ``b``, ``z``, ``a``, ``y``, ``C``; the input x is an activation, a(0)); the scenes' kit
paints each key.

>>> from lessonmodel.formula import words, speech
>>> from lessonmodel.names import C0, activation, derivative, weight
>>> words(symbol(activation(2, 1), depth=3))
'a_1(L-1)'
>>> words(quantity(derivative(C0, weight(3)), depth=3))
'∂C0/∂w(L)'
>>> speech(symbol(weight(3, 1, 2), depth=3))
'w one two of layer L'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import nncore
from lessonmodel.formula import (
    Call,
    Delta,
    Eq,
    Frac,
    Group,
    Lit,
    Math,
    Neg,
    Num,
    Paren,
    Partial,
    Power,
    Product,
    Row,
    Signed,
    SumOver,
    Sym,
    Text,
    add,
    layer_speech,
    sub,
    words,
)
from lessonmodel.names import (
    AfterSteps,
    Change,
    Derivative,
    Measured,
    Nudged,
    PathTerm,
    Quantity,
    Ratio,
    Symbol,
    UnderCost,
)

__all__ = [
    "layer_name",
    "layer_of",
    "symbol",
    "general",
    "quantity",
    "written",
    "slope_written",
    "derivative_of",
    "Activation",
    "ACTIVATIONS",
    "activation_notation",
    "Softmax",
    "SOFTMAX",
    "output_notation",
    "ln",
    "Cost",
    "SquaredError",
    "BinaryCrossEntropy",
    "CrossEntropy",
    "SQUARED",
    "BINARY_CROSS_ENTROPY",
    "CROSS_ENTROPY",
    "COSTS",
    "cost_notation",
    "squared_error",
    "cost_derivative",
    "ETA",
    "NABLA",
    "gradient_of",
]


def layer_name(l: int, depth: int) -> str:
    """Layer ``l`` of a network of ``depth`` layers, named from the end: ``L``, ``L-1``, ``L-2``."""
    back = depth - l
    return "L" if back == 0 else f"L-{back}"


def layer_of(l: int, depth: int) -> Lit:
    """A layer's name in prose ("neuron k of layer L-1"): written ``L-1``, said "L minus one"."""
    name = layer_name(l, depth)
    return Lit(name, name, layer_speech(name).removeprefix("layer "))


def _indices(*indices: int | str | None) -> str:
    """A subscript: digits run together (``12``), letters apart (``j k``: Typst reads ``jk`` as one name)."""
    shown = [str(i) for i in indices if i is not None]
    return ("" if all(s.isdigit() for s in shown) else " ").join(shown)


_COLOR_KEY = {"x": "a"}  # the input is an activation, a(0): white like the others


def symbol(name: Symbol, depth: int | None = None, tint: bool = False) -> Math:
    """The formula of a symbol of the network, its layer named from the end of a network of
    ``depth`` layers (its number when there is no depth): ``w_12(L)``, ``C0``, ``y_1``, ``x_3``, η.
    ``tint``: in its colour's brighter label tint (a small label on a diagram)."""
    if name.kind == "learning rate":
        return ETA
    if name.kind == "error":
        raise ValueError("the error a(L) - y is a formula, not a symbol: write sub(a, y)")
    layer = None if name.layer is None else (layer_name(name.layer, depth) if depth else str(name.layer))
    indices = _indices(name.j, name.k) if name.kind in "wbza" else _indices(name.j if name.j is not None
                                                                            else name.example)
    return Sym(name.kind, layer, indices, _COLOR_KEY.get(name.kind, name.kind), name, tint)


def general(letter: str, layer: str | None = None, sub: str = "", color: str | None = None) -> Sym:
    """A symbol of the general notation, not one quantity: ``general("a", "l", "j")`` is a_j(l),
    ``general("w", "l", "j k")`` w_jk(l)."""
    return Sym(letter, layer, sub, color or _COLOR_KEY.get(letter, letter))


def derivative_of(name: Derivative, depth: int | None = None, inline: bool = False) -> Partial:
    """∂of/∂by of two symbols (stacked, or on one line with ``inline``)."""
    return Partial(symbol(name.of, depth), symbol(name.by, depth), inline)


def quantity(name: Quantity, depth: int | None = None) -> Math:
    """The formula that names a value in a list of values (the page, the handout): a symbol,
    ∂of/∂by, Δof, Δof/Δby, a value after a nudge ("ΔC0 for Δw(L) = 0.5"), one path's term ("via
    1"), a derivative measured by a nudge, a value after descent steps, a value under another cost
    ("with the squared error")."""
    match name:
        case Symbol(kind="error"):  # a(L) - y, the chain's error
            return sub(Sym("a", "L", color="a"), Sym("y", color="y"))
        case Symbol():
            return symbol(name, depth)
        case Derivative():
            return derivative_of(name, depth)
        case Change(of):
            return Delta(symbol(of, depth))
        case Ratio(of, by):
            return Frac(Delta(symbol(of, depth)), Delta(symbol(by, depth)))
        case Nudged(inner, parameter, delta):
            return Row(quantity(inner, depth), Text("for"), Eq(Delta(symbol(parameter, depth)), Lit(f"{delta:g}")))
        case PathTerm(of, via):
            return Row(quantity(of, depth), Text(f"via {via}"))
        case Measured(of):
            return Row(quantity(of, depth), Text("measured"))
        case AfterSteps(inner, steps):
            return Row(symbol(inner, depth), Text(f"after {steps} steps"))
        case UnderCost(inner, cost):
            return Row(quantity(inner, depth), Text(f"with the {cost_notation(cost).prose}"))
    raise TypeError(f"not the name of a value: {name!r}")


def written(name: Quantity, depth: int | None = None) -> str:
    """How captions and the page write the value called ``name``: ``∂C0/∂w(L)``, ``a_1(L-1)``."""
    return words(quantity(name, depth))


# --- activations ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Activation:
    """How an activation is written: ``token`` in formulas (σ, tanh, ReLU) and its name as prose."""

    token: Lit
    prose: str

    def of(self, arg: Math) -> Call:
        """σ(arg)."""
        return Call(self.token, arg)

    def slope(self, arg: Math) -> Call:
        """σ'(arg), the activation's derivative."""
        return Call(self.token, arg, prime=True)

    def named(self, arg: Math) -> Call:
        """σ(arg) as narration writes it, the activation called by its name (Typst as :meth:`of`).

        >>> from lessonmodel.formula import Sym, speech, words
        >>> words(ACTIVATIONS["sigmoid"].named(Sym("z", "L")))
        'sigmoid(z(L))'
        >>> speech(ACTIVATIONS["relu"].named(Sym("z", "L")))
        'ReLU of z of layer L'
        """
        return Call(Lit(self.token.text, self.prose, self.prose), arg)


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation(Lit("sigma", "σ", "sigma"), "sigmoid"),
    "tanh": Activation(Lit("tanh", "tanh", "tan h"), "tanh"),
    "relu": Activation(Lit('op("ReLU")', "ReLU", "ReLU"), "ReLU"),
}


def activation_notation(name: str) -> Activation:
    """The notation of the config's activation ``name`` (``"sigmoid"``, ``"tanh"``, ``"relu"``)."""
    return ACTIVATIONS[name]


def slope_written(activation: str, z: Symbol | Math, depth: int | None = None) -> str:
    """The slope of the activation called ``activation`` at ``z`` (a symbol's name, or its
    formula), as captions write it: ``σ'(z(L))``, ``tanh'(z_1(L-1))``, ``ReLU'(z(L))``."""
    return words(ACTIVATIONS[activation].slope(symbol(z, depth) if isinstance(z, Symbol) else z))


# --- the softmax output -------------------------------------------------------------------------

E = Lit("e")


def _exp(arg: Math) -> Power:
    """e^(arg)."""
    return Power(E, Paren(arg))


@dataclass(frozen=True)
class Softmax:
    """How the softmax output is written: ``softmax(z)`` for the layer, and one output
    a_j = e^(z_j) / Σ_i e^(z_i), which depends on every z_i of its layer (so it has no one slope
    σ'(z_j): with the cross-entropy, ∂C0/∂z_j(L) = a_j(L) - y_j instead).

    >>> from lessonmodel.formula import Sym, typst, words
    >>> z = [Sym("z", "L", "0"), Sym("z", "L", "1")]
    >>> words(SOFTMAX.entry(z[1], z))
    'e^(z_1(L))/(e^(z_0(L)) + e^(z_1(L)))'
    >>> typst(SOFTMAX.general(Sym("z", "L", "j"), Sym("z", "L", "i")))
    '(e^(z_(j)^((L))))/(sum_i e^(z_(i)^((L))))'
    """

    token: Lit = Lit('op("softmax")', "softmax", "softmax")
    prose: str = "softmax"

    def of(self, arg: Math) -> Call:
        """softmax(arg), the whole layer."""
        return Call(self.token, arg)

    def named(self, arg: Math) -> Call:
        """softmax(arg), as narration writes it."""
        return self.of(arg)

    def entry(self, z_j: Math, zs: tuple[Math, ...] | list[Math]) -> Frac:
        """a_j = e^(z_j) / (e^(z_0) + e^(z_1) + ...), written out over the layer's ``zs``."""
        return Frac(_exp(z_j), add(*(_exp(z) for z in zs)))

    def general(self, z_j: Math, z_i: Math, index: str = "i") -> Frac:
        """e^(z_j) / Σ_i e^(z_i), the general form."""
        return Frac(_exp(z_j), SumOver(_exp(z_i), index))


SOFTMAX = Softmax()


def output_notation(name: str) -> Activation | Softmax:
    """The notation of an output layer ``name``: an activation's, or the softmax's."""
    return SOFTMAX if name == "softmax" else activation_notation(name)


# --- the costs ------------------------------------------------------------------------------------

ONE, TWO = Lit("1"), Lit("2")
_LN = Lit("ln", "ln", "log of")


def ln(arg: Math) -> Math:
    """The natural log, ``ln a`` (Typst's ``ln``), or ``ln(1 - a)`` around anything but one symbol
    or number.

    >>> from lessonmodel.formula import Sym, speech, typst
    >>> typst(ln(Sym("a", "L"))), speech(ln(sub(ONE, Sym("a", "L"))))
    ('ln a^((L))', 'log of, one minus a of layer L')
    """
    inner = arg.body if isinstance(arg, Group) else arg
    if isinstance(inner, (Sym, Num, Lit, Signed)):
        return Row(_LN, arg)
    return Row(_LN, Paren(arg), sep="")


class Cost:
    """How a cost is written, as typed formulas of an output ``a`` and its target ``y`` (symbols,
    or values: the same formula with the numbers). One subclass per nncore cost; :data:`COSTS`
    holds one of each, keyed by the nncore cost's ``name``; :func:`cost_notation` finds it.

    - :meth:`share`: one output's share of C0 (the chain's C0 itself);
    - :meth:`summed`: C0 over the output neurons, ``Σ_j`` ...; :meth:`written_out`: over given
      (a_j, y_j), with their numbers;
    - :meth:`derivative`: ∂C0/∂a_j(L);
    - :meth:`output_error`: ∂C0/∂z_j(L) where it simplifies (a - y: the cost cancels its output's
      slope), else None; :meth:`cancelled`: the output's slope, written in a, that it cancels.
    """

    name: ClassVar[str]

    @property
    def prose(self) -> str:
        """The cost's name in words: ``squared error``, ``binary cross-entropy``, ``cross-entropy``."""
        return nncore.COSTS[self.name].notation.name

    def share(self, a: Math, y: Math) -> Math:
        raise NotImplementedError

    def summed(self, a: Math, y: Math, index: str = "j") -> Math:
        raise NotImplementedError

    def written_out(self, pairs: list[tuple[Math, Math]] | tuple[tuple[Math, Math], ...]) -> Math:
        raise NotImplementedError

    def derivative(self, a: Math, y: Math) -> Math:
        raise NotImplementedError

    def output_error(self, a: Math, y: Math) -> Math | None:
        return None

    def cancelled(self, a: Math) -> Math | None:
        return None

    @property
    def simplifies(self) -> bool:
        """Whether ∂C0/∂z_j(L) is a_j(L) - y_j: the cost cancels its output's slope."""
        return nncore.COSTS[self.name].cancels is not None


class SquaredError(Cost):
    """C0 = Σ_j (a_j - y_j)^2, ∂C0/∂a_j = 2(a_j - y_j): proportional to the error.

    >>> from lessonmodel.formula import Sym, speech, words
    >>> a, y = Sym("a", "L"), Sym("y")
    >>> words(SQUARED.share(a, y)), words(SQUARED.derivative(a, y))
    ('(a(L) - y)^2', '2(a(L) - y)')
    >>> speech(SQUARED.derivative(a, y))
    'two times, a of layer L minus y'
    """

    name = "squared"

    def share(self, a: Math, y: Math) -> Math:
        return Power(Paren(sub(a, y)), TWO)

    def summed(self, a: Math, y: Math, index: str = "j") -> Math:
        return SumOver(self.share(a, y), index)

    def written_out(self, pairs) -> Math:
        return add(*(self.share(a, y) for a, y in pairs))

    def derivative(self, a: Math, y: Math) -> Math:
        return Row(TWO, Paren(sub(a, y)), sep="", said_sep="times")


class BinaryCrossEntropy(Cost):
    """On a sigmoid output: C0 = -(y ln a + (1 - y) ln(1 - a)), ∂C0/∂a = (a - y)/(a (1 - a)),
    which the sigmoid's slope σ'(z) = a (1 - a) cancels: ∂C0/∂z = a - y.

    >>> from lessonmodel.formula import Sym, typst, words
    >>> a, y = Sym("a", "L"), Sym("y")
    >>> typst(BINARY_CROSS_ENTROPY.share(a, y))
    '-(y ln a^((L)) + (1 - y) ln(1 - a^((L))))'
    >>> words(BINARY_CROSS_ENTROPY.derivative(a, y)), words(BINARY_CROSS_ENTROPY.output_error(a, y))
    ('(a(L) - y)/(a(L) (1 - a(L)))', 'a(L) - y')
    """

    name = "binary_cross_entropy"

    def _inner(self, a: Math, y: Math) -> Math:
        """y ln a + (1 - y) ln(1 - a)."""
        return add(Product(y, ln(a), op=""), Product(Paren(sub(ONE, y)), ln(sub(ONE, a)), op=""))

    def share(self, a: Math, y: Math) -> Math:
        return Neg(Paren(self._inner(a, y)))

    def summed(self, a: Math, y: Math, index: str = "j") -> Math:
        return Neg(SumOver(Paren(self._inner(a, y)), index))

    def written_out(self, pairs) -> Math:
        return Neg(Paren(add(*(self._inner(a, y) for a, y in pairs))))

    def derivative(self, a: Math, y: Math) -> Math:
        return Frac(sub(a, y), self.cancelled(a))

    def output_error(self, a: Math, y: Math) -> Math:
        return sub(a, y)

    def cancelled(self, a: Math) -> Math:
        """σ'(z) = a (1 - a), the sigmoid's slope written in its output."""
        return Product(a, Paren(sub(ONE, a)), op="")


class CrossEntropy(Cost):
    """On a softmax output: C0 = -Σ_j y_j ln a_j, ∂C0/∂a_j = -y_j/a_j; the softmax's Jacobian
    cancels it (for targets that sum to 1): ∂C0/∂z_j = a_j - y_j.

    >>> from lessonmodel.formula import Sym, words
    >>> a, y = Sym("a", "L", "j"), Sym("y", sub="j")
    >>> words(CROSS_ENTROPY.summed(a, y)), words(CROSS_ENTROPY.derivative(a, y))
    ('-Σ_j y_j ln a_j(L)', '-y_j/a_j(L)')
    """

    name = "cross_entropy"

    def _inner(self, a: Math, y: Math) -> Math:
        return Product(y, ln(a), op="")

    def share(self, a: Math, y: Math) -> Math:
        return Neg(self._inner(a, y))

    def summed(self, a: Math, y: Math, index: str = "j") -> Math:
        return Neg(SumOver(self._inner(a, y), index))

    def written_out(self, pairs) -> Math:
        return Neg(Paren(add(*(self._inner(a, y) for a, y in pairs))))

    def derivative(self, a: Math, y: Math) -> Math:
        return Neg(Frac(y, a))

    def output_error(self, a: Math, y: Math) -> Math:
        return sub(a, y)


SQUARED = SquaredError()
BINARY_CROSS_ENTROPY = BinaryCrossEntropy()
CROSS_ENTROPY = CrossEntropy()
COSTS: dict[str, Cost] = {c.name: c for c in (SQUARED, BINARY_CROSS_ENTROPY, CROSS_ENTROPY)}
"""The notation of each nncore cost, by the cost's ``name``."""
assert COSTS.keys() == nncore.COSTS.keys()


def cost_notation(cost: nncore.Cost | str) -> Cost:
    """The notation of an nncore cost (a network's ``cost_function``), or of its ``name``
    (``"binary_cross_entropy"``: the config's ``"cross_entropy"`` on a sigmoid is that one).

    >>> from lessonmodel.formula import Sym, words
    >>> net = nncore.Network.chain([1.0], [0.0], cost="cross_entropy")
    >>> words(cost_notation(net.cost_function).output_error(Sym("a", "L"), Sym("y")))
    'a(L) - y'
    """
    name = cost if isinstance(cost, str) else cost.name
    try:
        return COSTS[name]
    except KeyError:
        raise ValueError(f"unknown cost {name!r}; known: {', '.join(COSTS)}") from None


def squared_error(a: Math, y: Math) -> Math:
    """One output's share of the squared error, (a - y)^2: ``SQUARED.share`` (for the scenes
    written for the squared error alone; new code asks :func:`cost_notation`)."""
    return SQUARED.share(a, y)


def cost_derivative(a: Math, y: Math) -> Math:
    """∂C0/∂a of the squared error, 2(a - y): ``SQUARED.derivative`` (see :func:`squared_error`)."""
    return SQUARED.derivative(a, y)


ETA = Lit("eta", "η", "eta")
NABLA = Lit("nabla", "∇", "nabla")


def gradient_of(of: Math) -> Row:
    """∇of, the gradient: a space apart in Typst (``nabla C``), none in words.

    >>> from lessonmodel.formula import typst, words, speech
    >>> words(gradient_of(Sym("C")))
    '∇C'
    >>> typst(gradient_of(Sym("C"))), speech(gradient_of(Sym("C")))
    ('nabla C', 'nabla C')
    """
    return Row(NABLA, of, words_sep="")
