"""Formulas built from typed names and values, rendered three ways from one structure.

A formula is a small tree of frozen nodes: symbols (:class:`Sym`), values as shown (:class:`Num`),
prose (:class:`Text`) and the operations of the lesson's math (equations, sums, products,
fractions, ∂, Δ, σ(·), Σ, ...). The same tree renders as

- Typst math (:func:`typst`): coloured by kind through the ``paint`` the scenes' kit gives (plain
  black without one, for print), with Manim's ``{{ ... : label }}`` groups (:class:`Group`);
- words (:func:`words`): what captions, alt text, the lesson page and the handout write;
- speech (:func:`speech`): what the voice says, notation and numbers as a teacher reads them.

A cue of the narration is a :class:`Line` of prose and formulas. Nothing here parses formula
text: each node knows its three forms, and its values (:func:`values`) and symbols (:func:`symbols`).

>>> from lessonmodel.names import C0, derivative, weight
>>> f = Eq(Partial(Sym("C", sub="0", color="C"), Sym("w", "L", color="w")),
...        Num(derivative(C0, weight(3)), -0.0741, 3))
>>> typst(f)
'(partial C_(0))/(partial w^((L))) = -0.074'
>>> words(f)
'∂C0/∂w(L) = -0.074'
>>> speech(f)
'd C zero by d w of layer L equals minus zero point zero seven four'
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, fields
from typing import Callable, Iterator, Union

from lessonmodel.fmt import number_parts
from lessonmodel.names import Quantity, Symbol

__all__ = [
    "Math",
    "Part",
    "Paint",
    "Sym",
    "Num",
    "Lit",
    "Text",
    "Code",
    "Group",
    "Row",
    "Eq",
    "Product",
    "Terms",
    "Paren",
    "Signed",
    "Plus",
    "Neg",
    "Power",
    "Transpose",
    "Frac",
    "Partial",
    "Delta",
    "Call",
    "SumOver",
    "Vector",
    "Line",
    "add",
    "sub",
    "items",
    "arrows",
    "typst",
    "typst_markup",
    "words",
    "speech",
    "values",
    "symbols",
    "nodes",
    "to_data",
    "ungrouped",
    "number_speech",
    "layer_speech",
    "SUPERSCRIPT",
]

SUPERSCRIPT = str.maketrans("0123456789-+", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺")

Paint = Callable[[str, bool], Union[str, None]]
"""``paint(key, tint)``: the hex colour of a colour key (a kind of quantity: ``"w"``, ``"b"``, ...,
or a role such as ``"sensitivity"``), its brighter label tint when ``tint``; None for no colour."""


class Math:
    """A node of a formula. Render it with :func:`typst`, :func:`words` or :func:`speech`."""

    def children(self) -> tuple[Math, ...]:
        return ()

    def _t(self, c: _Typst) -> str:
        raise NotImplementedError

    def _w(self) -> str:
        raise NotImplementedError

    def _s(self) -> str:
        raise NotImplementedError

    def negative(self) -> bool:
        """Whether the formula, as written, starts with a minus sign (it needs parentheses after
        an operator)."""
        return False


Part = Union[Math, str]
"""What a formula is made of: a node, or a ``str`` (a token of Typst math, said as written)."""


def _node(part: Part) -> Math:
    return Lit(part) if isinstance(part, str) else part


@dataclass(frozen=True)
class _Typst:
    paint: Paint | None
    groups: bool  # Manim's {{ ... : label }} groups kept (a scene), or left out (print, SVG)

    def colored(self, key: str | None, body: str, tint: bool = False) -> str:
        hex_ = self.paint(key, tint) if (self.paint is not None and key is not None) else None
        return f'#text(fill: rgb("{hex_}"))[${body}$]' if hex_ else body


# --- leaves -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sym(Math):
    """A symbol: ``letter`` with subscript ``sub`` and layer ``layer`` (written as a superscript in
    parentheses, a layer index, not a power), coloured by ``color`` (a colour key).

    ``sub`` is the index text (``"j k"``, ``"12"``, ``"0"``), or index :class:`Group` s of their own
    (then the letter and the layer are coloured apart, so each index can be coloured and pointed
    at). ``name`` is the typed name the symbol stands for, when it stands for one quantity of the
    network (``None`` for a general one such as a_j(l)); ``tint``: the colour's brighter label tint.
    """

    letter: str
    layer: str | None = None
    sub: str | tuple[Group, ...] = ""
    color: str | None = None
    name: Symbol | None = None
    tint: bool = False
    words_sub: str | None = None  # how words write the index, if not as Typst does ("jk" for "j k")

    def _t(self, c: _Typst) -> str:
        if isinstance(self.sub, tuple):  # indices as groups: outside the coloured text, where groups work
            indices = " ".join(g._t(c) for g in self.sub)
            up = f"^({c.colored(self.color, f'({self.layer})', self.tint)})" if self.layer is not None else ""
            return f"{c.colored(self.color, self.letter, self.tint)}_({indices}){up}"
        body = self.letter + (f"_({self.sub})" if self.sub else "")
        body += f"^(({self.layer}))" if self.layer is not None else ""
        return c.colored(self.color, body, self.tint)

    def _index_words(self) -> str:
        if isinstance(self.sub, tuple):
            return "".join(g._w() for g in self.sub)
        return self.words_sub if self.words_sub is not None else self.sub.replace(" ", "")

    def _w(self) -> str:
        letter = _GREEK_WORDS.get(self.letter, self.letter)
        index = self._index_words()
        if letter == "C" and index == "0":
            text = "C0"  # the cost of the one example the chain follows, as the narration writes it
        else:
            text = letter + (f"_{index}" if index else "")
        return text + (f"({self.layer})" if self.layer is not None else "")

    def _s(self) -> str:
        parts = [_GREEK_SPEECH.get(self.letter, self.letter)]
        index = self._index_words()
        if index:
            parts.append(" ".join(_DIGIT_WORDS.get(ch, ch) for ch in index))
        if self.layer is not None:
            parts.append("of " + layer_speech(self.layer))
        return " ".join(parts)


@dataclass(frozen=True)
class Num(Math):
    """A value as the screen shows it: the value called ``name``, written with ``decimals``
    (scientific form, with ``sci`` decimals, where it would round to zero: :mod:`lessonmodel.fmt`)."""

    name: Quantity | None
    value: float
    decimals: int
    sci: int = 1  # decimals of the mantissa, when it is written in scientific form

    @property
    def parts(self) -> tuple[str, str | None]:
        """(mantissa, exponent or None), as :func:`lessonmodel.fmt.number_parts` writes it."""
        return number_parts(self.value, self.decimals, self.sci)

    def _t(self, c: _Typst) -> str:
        mantissa, exponent = self.parts
        return mantissa if exponent is None else f"{mantissa} times 10^({exponent})"

    def _w(self) -> str:
        mantissa, exponent = self.parts
        # no-break spaces: a caption's line never splits a number
        return mantissa if exponent is None else f"{mantissa}\u00a0×\u00a010{exponent.translate(SUPERSCRIPT)}"

    def _s(self) -> str:
        return number_speech(*self.parts)

    def negative(self) -> bool:
        return self.parts[0].startswith("-")


@dataclass(frozen=True)
class Lit(Math):
    """A token: Typst ``text``, written ``words`` (default: as in Typst) and said ``said``
    (default: as written): ``Lit("2")``, ``Lit("eta", "η", "eta")``, ``Lit("quad", ", ", ", ")``."""

    text: str
    words_: str | None = None
    said: str | None = None
    color: str | None = None

    def _t(self, c: _Typst) -> str:
        return c.colored(self.color, self.text)

    def _w(self) -> str:
        return _TOKEN_WORDS.get(self.text, self.text) if self.words_ is None else self.words_

    def _s(self) -> str:
        if self.said is not None:
            return self.said
        if self.text.lstrip("-").replace(".", "", 1).isdigit():
            whole, _, decimals = self.text.lstrip("-").partition(".")
            sign = "minus " if self.text.startswith("-") else ""
            return sign + number_speech(whole + (f".{decimals}" if decimals else ""), None)
        return _TOKEN_SPEECH.get(self.text, self._w())

    def negative(self) -> bool:
        return self.text.startswith("-")


@dataclass(frozen=True)
class Text(Math):
    """Prose inside a formula: Typst ``"text"`` (or ``#text[text]`` with ``markup``), in the
    colour ``color`` (a colour key) when given."""

    text: str
    color: str | None = None
    markup: bool = False

    def _t(self, c: _Typst) -> str:
        hex_ = c.paint(self.color, False) if (c.paint is not None and self.color is not None) else None
        if hex_:
            return f'#text(fill: rgb("{hex_}"))[{self.text}]'
        return f"#text[{self.text}]" if self.markup else '"' + self.text.replace('"', '\\"') + '"'

    def _w(self) -> str:
        return self.text

    def _s(self) -> str:
        return self.text


@dataclass(frozen=True)
class Code(Math):
    """A line of code, in a monospaced font: ``Code("dz[l]")``."""

    text: str

    def _t(self, c: _Typst) -> str:
        return '#raw("' + self.text.replace("\\", "\\\\").replace('"', '\\"') + '")'

    def _w(self) -> str:
        return self.text

    def _s(self) -> str:
        return self.text.replace("[", " ").replace("]", "").replace("@", "at")


# --- structure ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Group(Math):
    """``body`` as the named group ``label`` (Manim's ``{{ body : label }}``): ``formula.select(label)``
    picks its glyphs. Words and speech see through it."""

    label: str
    body: Math

    def children(self) -> tuple[Math, ...]:
        return (self.body,)

    def _t(self, c: _Typst) -> str:
        inner = self.body._t(c)
        return f"{{{{ {inner} : {self.label} }}}}" if c.groups else inner

    def _w(self) -> str:
        return self.body._w()

    def _s(self) -> str:
        return self.body._s()

    def negative(self) -> bool:
        return self.body.negative()


@dataclass(frozen=True)
class Row(Math):
    """Parts side by side, joined by ``sep`` (Typst), ``words_sep`` (words) and ``said_sep``
    (speech); by default a space everywhere."""

    parts: tuple[Math, ...]
    sep: str = " "
    words_sep: str | None = None
    said_sep: str | None = None

    def __init__(self, *parts: Part, sep: str = " ", words_sep: str | None = None, said_sep: str | None = None):
        object.__setattr__(self, "parts", tuple(_node(p) for p in parts))
        object.__setattr__(self, "sep", sep)
        object.__setattr__(self, "words_sep", words_sep)
        object.__setattr__(self, "said_sep", said_sep)

    def children(self) -> tuple[Math, ...]:
        return self.parts

    def _t(self, c: _Typst) -> str:
        return self.sep.join(p._t(c) for p in self.parts)

    def _w(self) -> str:
        sep = self.sep if self.words_sep is None else self.words_sep
        return sep.join(p._w() for p in self.parts)

    def _s(self) -> str:
        sep = next(s for s in (self.said_sep, self.words_sep, self.sep) if s is not None).strip()
        sep = _TOKEN_SPEECH.get(sep, sep)
        glue = f"{sep} " if sep in (",", ";", ":") else f" {sep} " if sep else " "
        return glue.join(p._s() for p in self.parts)

    def negative(self) -> bool:
        return bool(self.parts) and self.parts[0].negative()


@dataclass(frozen=True)
class Eq(Math):
    """``a = b = c``: the sides are never put in parentheses."""

    sides: tuple[Math, ...]

    def __init__(self, *sides: Part):
        object.__setattr__(self, "sides", tuple(_node(s) for s in sides))

    def children(self) -> tuple[Math, ...]:
        return self.sides

    def _t(self, c: _Typst) -> str:
        return " = ".join(s._t(c) for s in self.sides)

    def _w(self) -> str:
        return " = ".join(s._w() for s in self.sides)

    def _s(self) -> str:
        return " equals ".join(s._s() for s in self.sides)

    def negative(self) -> bool:
        return self.sides[0].negative()


_PRODUCT_OPS = {  # Typst operator -> (Typst separator, words separator, speech separator)
    "dot": (" dot ", " · ", " times "),
    "": (" ", " ", " times "),
    "thick": (" thick ", " ", " times "),
    "dot.o": (" dot.o ", " ⊙ ", " times, element by element, "),
}


@dataclass(frozen=True)
class Product(Math):
    """``a · b · c`` (``op="dot"``), or written side by side (``op=""``, ``"thick"``), or the
    element-wise ``⊙`` (``"dot.o"``). A factor that starts with a minus sign is put in parentheses."""

    factors: tuple[Math, ...]
    op: str = "dot"

    def __init__(self, *factors: Part, op: str = "dot"):
        if op not in _PRODUCT_OPS:
            raise ValueError(f"unknown product operator {op!r}")
        object.__setattr__(self, "factors", tuple(_node(f) for f in factors))
        object.__setattr__(self, "op", op)

    def children(self) -> tuple[Math, ...]:
        return self.factors

    def _parts(self) -> list[Math]:
        return [Paren(f, negated=True) if f.negative() else f for f in self.factors]

    def _t(self, c: _Typst) -> str:
        return _PRODUCT_OPS[self.op][0].join(f._t(c) for f in self._parts())

    def _w(self) -> str:
        return _PRODUCT_OPS[self.op][1].join(f._w() for f in self._parts())

    def _s(self) -> str:
        return _PRODUCT_OPS[self.op][2].join(f._s() for f in self._parts())

    def negative(self) -> bool:
        return False  # a negative first factor is parenthesized


@dataclass(frozen=True)
class Terms(Math):
    """A sum ``a + b - c``: ``items`` are (sign, term) pairs, the first sign ``""`` (or ``"-"``).
    A term after a sign that starts with a minus sign is put in parentheses (no "- -0.50")."""

    items: tuple[tuple[str, Math], ...]

    def children(self) -> tuple[Math, ...]:
        return tuple(t for _, t in self.items)

    def _parts(self) -> list[tuple[str, Math]]:
        return [(sign, Paren(t, negated=True) if i and t.negative() else t) for i, (sign, t) in enumerate(self.items)]

    def _t(self, c: _Typst) -> str:
        return "".join((f" {s} " if i else s) + t._t(c) for i, (s, t) in enumerate(self._parts()))

    def _w(self) -> str:
        return "".join((f" {s} " if i else s) + t._w() for i, (s, t) in enumerate(self._parts()))

    def _s(self) -> str:
        said = {"+": "plus", "-": "minus", "": ""}
        out = []
        for i, (s, t) in enumerate(self._parts()):
            out += [said[s] if i else ("minus" if s == "-" else ""), t._s()]
        return " ".join(p for p in out if p)

    def negative(self) -> bool:
        return self.items[0][0] == "-" or self.items[0][1].negative()


def add(*terms: Part) -> Terms:
    """``a + b + ...``."""
    return Terms(tuple(("" if i == 0 else "+", _node(t)) for i, t in enumerate(terms)))


def sub(a: Part, b: Part) -> Terms:
    """``a - b``."""
    return Terms((("", _node(a)), ("-", _node(b))))


def items(*parts: Part) -> Row:
    """Formulas listed one after the other: a wide space apart in Typst (``a = 1, quad b = 2``),
    a comma in words."""
    return Row(*parts, sep=", quad ", words_sep=", ")


def arrows(*parts: Part) -> Row:
    """Formulas each leading to the next, ``a → b → c`` (a path through the network).

    >>> words(arrows(Sym("w"), Sym("z"), Sym("a")))
    'w → z → a'
    >>> speech(arrows(Sym("w"), Sym("z")))
    'w then z'
    """
    return Row(*parts, sep=" arrow.r ", words_sep=" → ", said_sep="then")


@dataclass(frozen=True)
class Paren(Math):
    """``(body)``. ``negated``: parentheses around a negative value after an operator, which
    speech reads "negative" (never "minus minus")."""

    body: Math
    negated: bool = False

    def children(self) -> tuple[Math, ...]:
        return (self.body,)

    def _t(self, c: _Typst) -> str:
        return f"({self.body._t(c)})"

    def _w(self) -> str:
        return f"({self.body._w()})"

    def _s(self) -> str:
        said = self.body._s()
        if self.negated and said.startswith("minus "):
            return "negative " + said[len("minus "):]
        if isinstance(self.body, Terms):  # a pause either side holds the sum together: "2, a minus y,"
            return f", {said},"
        return said


@dataclass(frozen=True)
class Signed(Math):
    """``body`` in parentheses when it starts with a minus sign, as it is otherwise: for a value
    whose parentheses belong inside its group (``{{ (-0.681) : f2 }}``)."""

    body: Math

    def children(self) -> tuple[Math, ...]:
        return (self.body,)

    def _shown(self) -> Math:
        return Paren(self.body, negated=True) if self.body.negative() else self.body

    def _t(self, c: _Typst) -> str:
        return self._shown()._t(c)

    def _w(self) -> str:
        return self._shown()._w()

    def _s(self) -> str:
        return self._shown()._s()


@dataclass(frozen=True)
class Plus(Math):
    """``body`` with its sign written, ``+`` included (a change: +0.100, or -0.100 as it is).

    >>> from lessonmodel.names import change, weighted_sum
    >>> up = Plus(Num(change(weighted_sum(3)), 0.1, 4))
    >>> typst(up), words(up), speech(up)
    ('+0.1000', '+0.1000', 'plus zero point one zero zero zero')
    >>> typst(Plus(Num(None, -0.1, 3)))
    '-0.100'
    """

    body: Math

    def children(self) -> tuple[Math, ...]:
        return (self.body,)

    def _t(self, c: _Typst) -> str:
        return self.body._t(c) if self.body.negative() else f"+{self.body._t(c)}"

    def _w(self) -> str:
        return self.body._w() if self.body.negative() else f"+{self.body._w()}"

    def _s(self) -> str:
        return self.body._s() if self.body.negative() else f"plus {self.body._s()}"

    def negative(self) -> bool:
        return self.body.negative()


@dataclass(frozen=True)
class Neg(Math):
    """``-body``: ``-(∂C)/(∂w)``, ``-∇C``."""

    body: Math
    words_minus: str = "-"

    def children(self) -> tuple[Math, ...]:
        return (self.body,)

    def _t(self, c: _Typst) -> str:
        return f"-{self.body._t(c)}"

    def _w(self) -> str:
        return f"{self.words_minus}{self.body._w()}"

    def _s(self) -> str:
        return f"minus {self.body._s()}"

    def negative(self) -> bool:
        return True


@dataclass(frozen=True)
class Power(Math):
    """``base^exponent`` (the base in parentheses unless it is one symbol or number)."""

    base: Math
    exponent: Math

    def children(self) -> tuple[Math, ...]:
        return (self.base, self.exponent)

    def _base(self) -> Math:
        return self.base if isinstance(self.base, (Sym, Lit, Paren)) else Paren(self.base)

    def _t(self, c: _Typst) -> str:
        return f"{self._base()._t(c)}^{self.exponent._t(c)}"

    def _w(self) -> str:
        return f"{self._base()._w()}^{self.exponent._w()}"

    def _s(self) -> str:
        exponent = self.exponent._s()
        return f"{self._base()._s()} " + ("squared" if exponent == "two" else f"to the power {exponent}")


@dataclass(frozen=True)
class Transpose(Math):
    """``body^top``, the transpose: written ``bodyᵀ``."""

    body: Math

    def children(self) -> tuple[Math, ...]:
        return (self.body,)

    def _t(self, c: _Typst) -> str:
        return f"{self.body._t(c)}^top"

    def _w(self) -> str:
        return f"{self.body._w()}ᵀ"

    def _s(self) -> str:
        return f"{self.body._s()} transposed"


def _wrapped(m: Math, c: _Typst) -> str:
    """Typst of a fraction's part: one token as it is, anything else in parentheses (which Typst
    drops from a fraction)."""
    return m._t(c) if isinstance(m, (Lit, Num, Sym)) else f"({m._t(c)})"


@dataclass(frozen=True)
class Frac(Math):
    """``top / bottom``: stacked in Typst (``inline``: on one line, ``top \\/ bottom``); in words a
    sum or product above or below the bar is in parentheses.

    >>> words(Frac(sub(Sym("a"), Sym("y")), Sym("a"))), speech(Frac(sub(Sym("a"), Sym("y")), Sym("a")))
    ('(a - y)/a', 'a minus y, over a')
    """

    top: Math
    bottom: Math
    inline: bool = False

    def __init__(self, top: Part, bottom: Part, inline: bool = False):
        object.__setattr__(self, "top", _node(top))
        object.__setattr__(self, "bottom", _node(bottom))
        object.__setattr__(self, "inline", inline)

    def children(self) -> tuple[Math, ...]:
        return (self.top, self.bottom)

    def _t(self, c: _Typst) -> str:
        if self.inline:
            return f"{self.top._t(c)} \\/ {self.bottom._t(c)}"
        return f"{_wrapped(self.top, c)}/{_wrapped(self.bottom, c)}"

    def _w(self) -> str:
        return f"{_words_operand(self.top)}/{_words_operand(self.bottom)}"

    def _s(self) -> str:
        top, bottom = (f", {m._s()}," if isinstance(m, _COMPOUND) else m._s() for m in (self.top, self.bottom))
        return f"{top} over {bottom}"


_COMPOUND = (Terms, Product, Row)  # a sum or product: in parentheses as a fraction's part in words


def _words_operand(m: Math) -> str:
    """A fraction's part in words: a sum or product in parentheses (``(a - y)/(a (1 - a))``), as
    Typst draws the bar that groups it."""
    return f"({m._w()})" if isinstance(m, _COMPOUND) else m._w()


@dataclass(frozen=True)
class Partial(Math):
    """∂of/∂by, stacked (or on one line with ``inline``)."""

    of: Math
    by: Math
    inline: bool = False

    def children(self) -> tuple[Math, ...]:
        return (self.of, self.by)

    def _t(self, c: _Typst) -> str:
        if self.inline:
            return f"partial {self.of._t(c)} \\/ partial {self.by._t(c)}"
        return f"(partial {self.of._t(c)})/(partial {self.by._t(c)})"

    def _w(self) -> str:
        return f"∂{self.of._w()}/∂{self.by._w()}"

    def _s(self) -> str:
        return f"d {self.of._s()} by d {self.by._s()}"


@dataclass(frozen=True)
class Delta(Math):
    """Δof, the change of a quantity."""

    of: Math

    def children(self) -> tuple[Math, ...]:
        return (self.of,)

    def _t(self, c: _Typst) -> str:
        return f"Delta {self.of._t(c)}"

    def _w(self) -> str:
        return f"Δ{self.of._w()}"

    def _s(self) -> str:
        return f"delta {self.of._s()}"


@dataclass(frozen=True)
class Call(Math):
    """``f(arg)``, or its derivative ``f'(arg)`` with ``prime``: ``f`` is the function's token
    (the activation's, from :mod:`lessonmodel.notation`)."""

    f: Lit
    arg: Math
    prime: bool = False

    def children(self) -> tuple[Math, ...]:
        return (self.arg,)

    def _t(self, c: _Typst) -> str:
        return f"{self.f._t(c)}{chr(39) if self.prime else ''}({self.arg._t(c)})"

    def _w(self) -> str:
        return f"{self.f._w()}{chr(39) if self.prime else ''}({self.arg._w()})"

    def _s(self) -> str:
        return f"{self.f._s()}{' prime' if self.prime else ''} of {self.arg._s()}"


@dataclass(frozen=True)
class SumOver(Math):
    """``Σ_index body``; ``low``, ``high``: its range, ``Σ_(k=0)^4``; ``index=None``: no index
    written (``Σ C_k``)."""

    body: Math
    index: str | None = None
    low: Math | None = None
    high: Math | None = None

    def children(self) -> tuple[Math, ...]:
        return tuple(m for m in (self.body, self.low, self.high) if m is not None)

    def _t(self, c: _Typst) -> str:
        if self.index is None:
            return f"sum {self.body._t(c)}"
        if self.low is None:
            return f"sum_{self.index} {self.body._t(c)}"
        return f"sum_({self.index}={self.low._t(c)})^{self.high._t(c)} {self.body._t(c)}"

    def _w(self) -> str:
        if self.index is None:
            return f"Σ {self.body._w()}"
        if self.low is None:
            return f"Σ_{self.index} {self.body._w()}"
        return f"Σ({self.index} = {self.low._w()} to {self.high._w()}) {self.body._w()}"

    def _s(self) -> str:
        if self.index is None:
            return f"the sum of {self.body._s()}"
        if self.low is None:
            return f"the sum over {self.index} of {self.body._s()}"
        return f"the sum for {self.index} from {self.low._s()} to {self.high._s()} of {self.body._s()}"


@dataclass(frozen=True)
class Vector(Math):
    """A column of entries, ``vec(a, b, ...)`` (``column=False``: a row in parentheses, ``(a, b)``)."""

    items: tuple[Math, ...]
    column: bool = True

    def children(self) -> tuple[Math, ...]:
        return self.items

    def _t(self, c: _Typst) -> str:
        inner = ", ".join(i._t(c) for i in self.items)
        return f"vec({inner})" if self.column else f"({inner})"

    def _w(self) -> str:
        inner = ", ".join(i._w() for i in self.items)
        return f"the column ({inner})" if self.column else f"({inner})"

    def _s(self) -> str:
        return ("the column " if self.column else "") + ", ".join(i._s() for i in self.items)


# --- a cue: prose and formulas --------------------------------------------------------------------


@dataclass(frozen=True)
class Line(Math):
    """A line of narration (a cue): prose (``str``) and formulas in a row, as written. Its words
    are the caption; its speech what the voice says; its values the numbers it names."""

    parts: tuple[str | Math, ...] = field(default=())

    def __init__(self, *parts: str | Math):
        object.__setattr__(self, "parts", tuple(parts))

    def children(self) -> tuple[Math, ...]:
        return tuple(p for p in self.parts if isinstance(p, Math))

    def _t(self, c: _Typst) -> str:
        raise TypeError("a line of narration is words and speech, not Typst")

    def _w(self) -> str:
        return "".join(p if isinstance(p, str) else p._w() for p in self.parts)

    def _s(self) -> str:
        return _tidy(" ".join(p if isinstance(p, str) else p._s() for p in self.parts))


# --- rendering ------------------------------------------------------------------------------------


def typst(m: Part, paint: Paint | None = None, groups: bool = True) -> str:
    """Typst math of ``m``: coloured with ``paint`` (plain black without), with its groups
    (``groups=False``: without, e.g. for an SVG or a printed page)."""
    return _node(m)._t(_Typst(paint, groups))


_MARKUP_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\#$*_`<>@[]~"})


def typst_markup(line: Line, paint: Paint | None = None) -> str:
    """A line of prose and formulas as Typst markup (a document's text): the prose escaped, each
    formula inline math."""
    return "".join(p.translate(_MARKUP_SPECIAL) if isinstance(p, str) else f"${typst(p, paint, groups=False)}$"
                   for p in line.parts)


def words(m: Part) -> str:
    """``m`` as a caption, alt text or the page writes it."""
    return _node(m)._w()


def speech(m: Part) -> str:
    """``m`` as the voice says it."""
    return _tidy(_node(m)._s())


def _tidy(said: str) -> str:
    """Spoken text with its spaces and pauses in order: punctuation on the word before it, no
    doubled or dangling commas ("equals , a minus y, ." -> "equals, a minus y.")."""
    said = re.sub(r"\s+([,.:;!?])", r"\1", " ".join(said.split()))
    said = re.sub(r",(?:\s*,)+", ",", said)
    said = re.sub(r",(?=[.:;!?])", "", said)
    return said.strip(", ")


def _walk(m: Math) -> Iterator[Math]:
    yield m
    for child in m.children():
        yield from _walk(child)
    if isinstance(m, Sym) and isinstance(m.sub, tuple):
        for g in m.sub:
            yield from _walk(g)


def values(m: Part) -> list[Num]:
    """The values ``m`` shows, in the order written."""
    return [n for n in _walk(_node(m)) if isinstance(n, Num)]


def nodes(m: Part) -> list[Math]:
    """Every node of ``m`` (``m`` first, then its parts, a symbol's index groups too), in the
    order written.

    >>> [type(n).__name__ for n in nodes(Eq(Sym("z"), Num(None, 0.5, 2)))]
    ['Eq', 'Sym', 'Num']
    """
    return list(_walk(_node(m)))


def symbols(m: Part) -> list[Sym]:
    """The symbols ``m`` names, in the order written."""
    return [s for s in _walk(_node(m)) if isinstance(s, Sym)]


def ungrouped(m: Part) -> Math:
    """``m`` without its groups (:class:`Group`), the same glyphs: a step's summary formula made
    from the parts of the grouped formula the step shows. A symbol's index groups stay (they are
    how its letter and indices are coloured apart).

    >>> shown = Eq(Group("lhs", Sym("z")), Product(Group("f0", Lit("2")), Lit("3")))
    >>> typst(shown)
    '{{ z : lhs }} = {{ 2 : f0 }} dot 3'
    >>> typst(ungrouped(shown))
    'z = 2 dot 3'
    """
    node = _node(m)
    if isinstance(node, Group):
        return ungrouped(node.body)
    if isinstance(node, (Sym, Line)):
        return node
    if isinstance(node, Terms):
        return Terms(tuple((sign, ungrouped(t)) for sign, t in node.items))
    changed = {}
    for f in fields(node):
        value = getattr(node, f.name)
        if isinstance(value, Math):
            changed[f.name] = ungrouped(value)
        elif isinstance(value, tuple) and value and all(isinstance(v, Math) for v in value):
            changed[f.name] = tuple(ungrouped(v) for v in value)
    if not changed:
        return node
    out = copy.copy(node)  # the nodes are frozen, and some take their parts as *args: set the fields
    for name, value in changed.items():
        object.__setattr__(out, name, value)
    return out


# --- speech of numbers and layers -------------------------------------------------------------------

_DIGIT_WORDS = dict(zip("0123456789", "zero one two three four five six seven eight nine".split()))
_TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_GREEK_WORDS = {"delta": "δ", "sigma": "σ", "eta": "η", "Delta": "Δ"}
_GREEK_SPEECH = {"delta": "delta", "sigma": "sigma", "eta": "eta", "W": "W"}
_TOKEN_WORDS = {"dot": "·", "quad": ", ", "thick": " ", "arrow.r": "→", "arrow.l": "←", "arrow.double": "⇒",
                "prop": "∝", "eta": "η", "nabla": "∇", "sigma": "σ", "dot.o": "⊙", "...": "...", "top": "ᵀ"}
_TOKEN_SPEECH = {"·": "times", "→": "then", "←": "becomes", "⇒": "so", "∝": "is proportional to", "η": "eta",
                 "∇": "the gradient of", "σ": "sigma", "⊙": "times", "=": "equals", "+": "plus", "-": "minus",
                 ", ": ",", ":": ":", "...": "and so on"}


def _integer_speech(n: int) -> str:
    """0 to 999 999 in words: 12 -> "twelve", 305 -> "three hundred five"."""
    if n < 10:
        return _DIGIT_WORDS[str(n)]
    if n < 20:
        return _TEENS[n - 10]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f" {_DIGIT_WORDS[str(ones)]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_DIGIT_WORDS[str(hundreds)]} hundred" + (f" {_integer_speech(rest)}" if rest else "")
    thousands, rest = divmod(n, 1000)
    return f"{_integer_speech(thousands)} thousand" + (f" {_integer_speech(rest)}" if rest else "")


def number_speech(mantissa: str, exponent: str | None = None) -> str:
    """A number as shown, in words, digit by digit after the point: ``"-0.074"`` is "minus zero
    point zero seven four"; with an ``exponent`` (``"3.2"``, ``"-5"``: 3.2 × 10⁻⁵) "three point two
    times ten to the minus five"."""
    sign, digits = ("minus ", mantissa[1:]) if mantissa.startswith("-") else ("", mantissa)
    whole, _, decimals = digits.partition(".")
    said = sign + _integer_speech(int(whole or "0"))
    if decimals:
        said += " point " + " ".join(_DIGIT_WORDS[d] for d in decimals)
    if exponent is not None:
        power = int(exponent)
        said += " times ten to the " + ("minus " if power < 0 else "") + _integer_speech(abs(power))
    return said


def layer_speech(layer: str) -> str:
    """A layer's name said: ``"L-1"`` is "layer L minus one", ``"l+1"`` "layer l plus one"."""
    for op, word in (("-", " minus "), ("+", " plus ")):
        if op in layer:
            base, _, back = layer.partition(op)
            return f"layer {base}{word}{_integer_speech(int(back)) if back.isdigit() else back}"
    return f"layer {layer}"


def to_data(m: Part) -> dict:
    """``m`` as plain data for JSON (values.json, the render record): each node a dict with its
    kind (``"node"``), its fields and its ``"words"``; a value also with ``"text"`` and
    ``"exponent"`` as printed, its name's text form and its decimals. What a reader needs to check
    the printed arithmetic by hand, without parsing any formula text.

    >>> to_data(Num(None, -0.0741, 3))["text"]
    '-0.074'
    """
    node = _node(m)
    data: dict = {"node": type(node).__name__}
    if isinstance(node, Num):
        mantissa, exponent = node.parts
        data |= {"name": None if node.name is None else str(node.name), "value": node.value,
                 "decimals": node.decimals, "text": mantissa, "exponent": exponent}
    elif isinstance(node, Sym):
        data |= {"letter": node.letter, "layer": node.layer, "color": node.color,
                 "sub": [to_data(g) for g in node.sub] if isinstance(node.sub, tuple) else node.sub,
                 "name": None if node.name is None else str(node.name)}
    elif isinstance(node, Terms):
        data["items"] = [[sign, to_data(t)] for sign, t in node.items]
    elif isinstance(node, Line):
        data["parts"] = [p if isinstance(p, str) else to_data(p) for p in node.parts]
    else:
        for f in fields(node):
            value = getattr(node, f.name)
            if isinstance(value, Math):
                data[f.name] = to_data(value)
            elif isinstance(value, tuple):
                data[f.name] = [to_data(v) for v in value]
            else:
                data[f.name] = value
    data["words"] = words(node)
    return data
