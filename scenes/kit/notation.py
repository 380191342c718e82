"""Typst sources for the lesson's symbols, coloured by kind (see :mod:`scenes.kit.style`).

Superscripts are layer indices, written in parentheses as the lesson does: ``w^((L))``.
"""

from __future__ import annotations

from manim import ManimColor

from scenes.kit.style import COLORS, LABEL_TINTS, ROLE_COLORS

__all__ = ["paint", "colored", "sym", "layer_name", "activation_symbol", "activation_word"]


def paint(key: str, tint: bool = False) -> str | None:
    """The hex colour of a formula's colour key (:mod:`lessonmodel.formula`): a kind of quantity
    (``"w"``, ``"b"``, ...; ``tint``: its brighter label tint where it has one) or a role
    (:data:`~scenes.kit.style.ROLE_COLORS`)."""
    color = (LABEL_TINTS.get(key) if tint else None) or COLORS.get(key) or ROLE_COLORS.get(key)
    return None if color is None else color.to_hex()



def colored(kind: str, body: str, color: ManimColor | None = None) -> str:
    """Typst math ``body`` in the colour of ``kind`` ("w", "b", "z", "a", "y", "C"), or in ``color``
    (say a brighter tint of it, :data:`~scenes.kit.style.LABEL_TINTS`)."""
    return f'#text(fill: rgb("{(color or COLORS[kind]).to_hex()}"))[${body}$]'


def layer_name(l: int, depth: int) -> str:
    """Layer l of a chain of ``depth`` layers, named from the end: L, L-1, L-2, ..."""
    back = depth - l
    return "L" if back == 0 else f"L-{back}"


def sym(kind: str, layer: str | None = None, sub: str = "", color: ManimColor | None = None) -> str:
    """A coloured symbol: ``sym("w", "L")`` is w^((L)); ``sym("a", "L-1", "k")`` is a_k^((L-1));
    ``color`` overrides its kind's colour."""
    base = {"C": "C_0"}.get(kind, kind)
    body = base + (f"_({sub})" if sub else "") + (f"^(({layer}))" if layer is not None else "")
    return colored(kind, body, color)


# The config's activation -> (its symbol in Typst formulas, in plain text such as narration).
_ACTIVATIONS = {"sigmoid": ("sigma", "σ"), "relu": ('op("ReLU")', "ReLU"), "tanh": ("tanh", "tanh")}


def activation_symbol(name: str) -> str:
    """How the activation is written in formulas: σ, ReLU or tanh."""
    return _ACTIVATIONS[name][0]


def activation_word(name: str) -> str:
    """How the activation is written in plain text (narration): σ, ReLU or tanh."""
    return _ACTIVATIONS[name][1]
