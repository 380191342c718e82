"""Formulas and value names as readable text: for alt text, the lesson page and the handout.

The scenes write their formulas in Typst math with colour markup (``#text(fill: ...)[$...$]``)
and Manim's ``{{ ... : label }}`` groups. Screen readers must not read that markup aloud, and a
values list should name a quantity the way the screen does (``w(L)``, not the name's text ``w(3)``):

>>> from lessonmodel.names import C0, derivative, weight
>>> formula_words('(partial #text(fill: rgb("#FC6255"))[$C_0$])/(partial w^((L))) = 0.48 dot 0.225')
'∂C0/∂w(L) = 0.48 times 0.225'
>>> screen_name(derivative(C0, weight(3)), depth=3)
'∂C0/∂w(L)'
>>> number_words("-7.4 times 10^(-5)")
'-7.4 × 10⁻⁵'
"""

from __future__ import annotations

import re

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

__all__ = ["formula_words", "plain_typst", "number_words", "screen_name", "slope_name", "ACTIVATION_WORDS",
           "SUPERSCRIPT"]

SUPERSCRIPT = str.maketrans("0123456789-+", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺")

# Typst math names and what a reader says for them (longest first where one prefixes another).
_SYMBOLS = [
    ("arrow.double", "⇒"),
    ("arrow.r", "→"),
    ("arrow.l", "←"),
    ("dot.o", "⊙"),
    ("dot", "times"),
    ("partial", "∂"),
    ("Delta", "Δ"),
    ("delta", "δ"),
    ("sigma", "σ"),
    ("eta", "η"),
    ("nabla", "∇"),
    ("prop", "∝"),
    ("sum", "Σ"),
]
_SYMBOL = re.compile(r"(?<![\w.])(" + "|".join(re.escape(name) for name, _ in _SYMBOLS) + r")(?![\w.])")
_WORD = dict(_SYMBOLS)

_COLOURED = re.compile(r'#text\(fill: [^\[\]]*\)\[\$(.*?)\$\]')  # #text(fill: rgb("#FC6255"))[$C_0$]
_GROUP = re.compile(r"\{\{\s*(.*?)\s*:\s*\w+\s*\}\}")  # {{ body : label }}
_TEXT = re.compile(r"#text\[(.*?)\]")  # #text[step]
_RAW = re.compile(r'#raw\("(.*?)"\)')  # #raw("dz[l]")
_OP = re.compile(r'op\("(.*?)"\)')  # op("ReLU")
_QUOTED = re.compile(r'"(.*?)"')  # "the nudge measured:"


def _balanced(text: str, start: int) -> int:
    """The index just past the parenthesis group that opens at ``text[start]``."""
    depth = 0
    for i in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return i + 1
    return len(text)


def _unwrap(text: str) -> str:
    """``(x)`` → ``x`` when the parentheses wrap the whole of ``text``."""
    if text.startswith("(") and _balanced(text, 0) == len(text):
        return text[1:-1]
    return text


def _scripts(text: str) -> str:
    """Layer superscripts ``^((L))`` → ``(L)``, subscripts ``_(j k)`` → ``_jk``, ``C_0`` → ``C0``,
    ``^top`` → ``ᵀ``, numeric powers ``^2``, ``^(-5)`` → ``²``, ``⁻⁵``, ``vec(...)`` → a column."""
    text = re.sub(r"\^\(\(([^()]*)\)\)", r"(\1)", text)
    text = re.sub(r"_\(([^()]*)\)", lambda m: "_" + m.group(1).replace(" ", ""), text)
    text = re.sub(r"\bC_0\b", "C0", text)
    text = re.sub(r"\^top\b", "ᵀ", text)
    text = re.sub(r"\^\((-?\d+)\)", lambda m: m.group(1).translate(SUPERSCRIPT), text)
    text = re.sub(r"\^(\d+)\b", lambda m: m.group(1).translate(SUPERSCRIPT), text)
    return text


def _fractions(text: str) -> str:
    """``(a)/(b)`` → ``a/b`` (``(∂C0)/(∂w(L))`` reads ``∂C0/∂w(L)``); ``\\/`` → ``/``."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "(":
            end = _balanced(text, i)
            if text.startswith("/(", end):
                below = _balanced(text, end + 1)
                out.append(f"{_fractions(_unwrap(text[i:end]))}/{_fractions(_unwrap(text[end + 1:below]))}")
                i = below
                continue
        out.append(text[i])
        i += 1
    return "".join(out)


def _vectors(text: str) -> str:
    """``vec(a, b, c)`` → ``the column (a, b, c)``."""
    while (start := text.find("vec(")) >= 0:
        end = _balanced(text, start + 3)
        text = f"{text[:start]}the column ({text[start + 4:end - 1]}){text[end:]}"
    return text


def plain_typst(source: str) -> str:
    """A formula's Typst source without Manim's groups and without colours: valid Typst math that
    prints black on white (a white symbol, like a, would vanish on paper)."""
    text = _GROUP.sub(r"\1", source)
    while _COLOURED.search(text):
        text = _COLOURED.sub(r"\1", text)
    return text


def formula_words(source: str) -> str:
    """A formula's Typst source as readable text: no markup, Greek letters and operators as
    symbols, ``dot`` read "times", layer indices in parentheses as the narration writes them."""
    text = plain_typst(source)
    text = _TEXT.sub(r"\1", text)
    text = _RAW.sub(r"\1", text)
    text = _OP.sub(r"\1", text)
    text = _QUOTED.sub(r"\1", text)
    text = text.replace(" times 10^", " × 10^")  # scientific numbers (lessonmodel.fmt.typst_number)
    text = re.sub(r"\bsum_\((\w)=(\w+)\)\^(\w+)", r"Σ(\1 = \2 to \3)", text)  # sum_(k=1)^4
    text = _scripts(text)
    text = re.sub(r"\bsum_", "Σ_", text)
    text = _SYMBOL.sub(lambda m: _WORD[m.group(1)], text)
    text = re.sub(r"([∂Δ∇]) +", r"\1", text)  # "∂ C0" → "∂C0"
    text = re.sub(r" *\\/ *", "/", text)  # partial_inline: ∂C_1 \/ ∂w(L)
    text = _fractions(_vectors(text))
    text = re.sub(r"([,:⇒])\s*quad\b", r"\1 ", text)  # quad: a wide space between the parts
    text = re.sub(r"\s*\bquad\b", ",", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\( | \)| (?=,)", lambda m: m.group(0).strip(), text)


def number_words(typst: str) -> str:
    """A number as Typst writes it (``-7.4 times 10^(-5)``) the way the screen shows it (``-7.4 × 10⁻⁵``)."""
    return re.sub(r" times 10\^\((-?\d+)\)", lambda m: " × 10" + m.group(1).translate(SUPERSCRIPT), typst)


def _layer(layer: int, depth: int | None) -> str:
    """Layer ``layer`` named from the end of a network of ``depth`` layers (L, L-1, ...), or its
    number when there is no depth."""
    if depth is None:
        return str(layer)
    back = depth - layer
    return "L" if back == 0 else f"L-{back}"


def _symbol(symbol: Symbol, depth: int | None) -> str:
    """A symbol as :class:`~lessonmodel.names.Symbol` writes it, its layer named from the end."""
    if symbol.layer is None:
        return str(symbol)
    indices = "".join(str(i) for i in (symbol.j, symbol.k) if i is not None)
    return symbol.kind + (f"_{indices}" if indices else "") + f"({_layer(symbol.layer, depth)})"


def screen_name(name: Quantity, depth: int | None = None) -> str:
    """The name of a value (:mod:`lessonmodel.names`) as the screen writes it: layers counted from
    the end (``w(3)`` → ``w(L)`` for a ``depth`` of 3), ``d`` of a derivative as ``∂``
    (``dC0/da(2)`` → ``∂C0/∂a(L-1)``), a nudge read "for" (``ΔC0 for Δw(L) = 0.5``)."""
    match name:
        case Symbol():
            return _symbol(name, depth)
        case Derivative(of, by):
            return f"∂{_symbol(of, depth)}/∂{_symbol(by, depth)}"
        case Change(of):
            return f"Δ{_symbol(of, depth)}"
        case Ratio(of, by):
            return f"Δ{_symbol(of, depth)}/Δ{_symbol(by, depth)}"
        case Nudged(quantity, parameter, delta):
            return f"{screen_name(quantity, depth)} for Δ{_symbol(parameter, depth)} = {delta:g}"
        case PathTerm(of, via):
            return f"{screen_name(of, depth)} via {via}"
        case Measured(of):
            return f"{screen_name(of, depth)} measured"
        case AfterSteps(quantity, steps):
            return f"{_symbol(quantity, depth)} after {steps} steps"
    raise TypeError(f"not the name of a value: {name!r}")


ACTIVATION_WORDS = {"sigmoid": "σ", "tanh": "tanh", "relu": "ReLU"}  # as the narration writes them


def slope_name(activation: str, z: Symbol, depth: int | None = None) -> str:
    """The slope ∂a/∂z of the activation called ``activation`` at the weighted sum ``z``, as the
    narration writes it: ``σ'(z(L))``, ``tanh'(z_1(L-1))``, ``ReLU'(z(L))``."""
    return f"{ACTIVATION_WORDS[activation]}'({_symbol(z, depth)})"
