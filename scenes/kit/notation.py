"""The colours of the lesson's formulas: the kit's paint for :func:`lessonmodel.formula.typst`.

Formulas are built from typed names in the lesson model (:mod:`lessonmodel.formula`,
:mod:`lessonmodel.notation`); each symbol carries a colour key, its kind, which this paints with
the lesson's colour for that kind (:mod:`scenes.kit.style`).
"""

from __future__ import annotations

from scenes.kit.style import COLORS, LABEL_TINTS, ROLE_COLORS

__all__ = ["paint"]


def paint(key: str, tint: bool = False) -> str | None:
    """The hex colour of a formula's colour key: a kind of quantity (``"w"``, ``"b"``, ...;
    ``tint``: its brighter label tint where it has one) or a role
    (:data:`~scenes.kit.style.ROLE_COLORS`); None for a key without a colour."""
    color = (LABEL_TINTS.get(key) if tint else None) or COLORS.get(key) or ROLE_COLORS.get(key)
    return None if color is None else color.to_hex()
