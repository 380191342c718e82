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

from lessonmodel.formula import (
    Call,
    Delta,
    Eq,
    Frac,
    Lit,
    Math,
    Paren,
    Partial,
    Power,
    Row,
    Sym,
    Text,
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
    1"), a derivative measured by a nudge, a value after descent steps."""
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


# --- the cost -----------------------------------------------------------------------------------

TWO = Lit("2")


def squared_error(a: Math, y: Math) -> Power:
    """One output's share of the squared-error cost, (a - y)^2."""
    return Power(Paren(sub(a, y)), TWO)


def cost_derivative(a: Math, y: Math) -> Row:
    """∂C0/∂a of the squared error, 2(a - y): proportional to the error a - y."""
    return Row(TWO, Paren(sub(a, y)), sep="", said_sep="times")


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
