"""Typst sources for the lesson's symbols, coloured by kind (see :mod:`scenes.kit.style`).

Superscripts are layer indices, written in parentheses as the lesson does: ``w^((L))``.
"""

from __future__ import annotations

from manim import ManimColor

from scenes.kit.style import COLORS

__all__ = ["colored", "sym", "layer_name", "activation_symbol", "activation_word"]


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
