"""Printed arithmetic, checked by hand: an oracle independent of nncore and of how the lesson
chooses its decimals.

A formula prints ``x = y = ...``; where a side is arithmetic of printed numbers only (products,
sums, differences, squares, a fraction 1/n, a number times a sum in parentheses) and the next side
is one printed number, computing the first from its printed numbers, exactly, and rounding to the
decimals of the second must give the second. The formulas are read in their data form (the
``{"node": ..., ...}`` dicts of values.json), so the check sees what was printed and nothing else.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = ["arithmetic_problems", "printed_number", "relations", "ideas_problems", "values_json_problems",
           "record_problems"]

NUMERIC_LITERAL = set("0123456789.-")


class NotNumeric(Exception):
    pass


def printed_number(node: dict) -> Decimal | None:
    """The number a node prints, if it is one number (in a group, parentheses or Signed): its
    mantissa times ten to its exponent, as written."""
    kind = node["node"]
    if kind == "Num":
        mantissa, exponent = node["text"], node.get("exponent")
        return Decimal(mantissa) * (Decimal(10) ** int(exponent) if exponent else 1)
    if kind == "Lit" and node["text"] and set(node["text"]) <= NUMERIC_LITERAL:
        try:
            return Decimal(node["text"])
        except InvalidOperation:
            return None
    if kind in ("Group", "Signed", "Paren"):
        return printed_number(node["body"])
    return None


def _decimals(node: dict) -> tuple[int, int]:
    """(decimals, exponent) of a printed number: 0.074 -> (3, 0); 3.2 × 10⁻⁵ -> (1, -5)."""
    while node["node"] in ("Group", "Signed", "Paren"):
        node = node["body"]
    text = node["text"]
    decimals = len(text.partition(".")[2])
    return decimals, int(node.get("exponent") or 0)


def evaluate(node: dict) -> Decimal:
    """The value of an arithmetic node from its printed numbers; NotNumeric if it holds a symbol."""
    number = printed_number(node)
    if number is not None:
        return number
    kind = node["node"]
    if kind == "Product" or (kind == "Row" and node.get("sep", " ") in ("", " ")):
        parts = node["factors"] if kind == "Product" else node["parts"]
        value = Decimal(1)
        for part in parts:
            value *= evaluate(part)
        return value
    if kind == "Terms":
        value = Decimal(0)
        for sign, term in node["items"]:
            value += -evaluate(term) if sign == "-" else evaluate(term)
        return value
    if kind in ("Paren", "Group", "Signed"):
        return evaluate(node["body"])
    if kind == "Neg":
        return -evaluate(node["body"])
    if kind == "Power":
        exponent = printed_number(node["exponent"])
        if exponent is None or exponent != exponent.to_integral_value():
            raise NotNumeric(kind)
        return evaluate(node["base"]) ** int(exponent)
    if kind == "Frac" and not node.get("inline"):
        return evaluate(node["top"]) / evaluate(node["bottom"])
    raise NotNumeric(kind)


OPERATORS = {"+", "-", "=", "dot"}


def _continues(node: dict) -> bool:
    """Whether a row continues a formula begun on the line above (``quad + t3 + t4 = result``):
    its equation holds only the last terms of the sum, checked where the whole sum is printed."""
    parts = [p for p in node.get("parts", []) if not (p["node"] == "Lit" and p["text"] == "quad")]
    return node["node"] == "Row" and bool(parts) and parts[0]["node"] == "Lit" and parts[0]["text"] in OPERATORS


def _equations(node) -> list[list[dict]]:
    """The sides of every equation in a formula's data, nested ones included (not those of a line
    that continues the one above)."""
    found = []
    if isinstance(node, dict):
        if _continues(node):
            return []
        if node.get("node") == "Eq":
            found.append(node["sides"])
        for value in node.values():
            found += _equations(value)
    elif isinstance(node, list):
        for item in node:
            found += _equations(item)
    return found


def _rounds_to(value: Decimal, printed: Decimal, decimals: int, exponent: int) -> bool:
    """Whether ``value`` rounds to ``printed`` at its decimals (half up or half even: by hand,
    either is fair at an exact tie)."""
    unit = Decimal(10) ** (exponent - decimals)
    return any((value / unit).quantize(Decimal(1), rounding=r) * unit == printed
               for r in (ROUND_HALF_UP, ROUND_HALF_EVEN))


def relations(formula: dict) -> list[tuple[dict, Decimal, dict]]:
    """Every printed ``arithmetic = number`` in ``formula`` (data form): the arithmetic, its value
    from its printed numbers, and the printed result."""
    found = []
    for sides in _equations(formula):
        for left, right in zip(sides, sides[1:]):
            if printed_number(right) is None or printed_number(left) is not None:
                continue  # not a result, or a number equal to a number (a value and its label)
            try:
                found.append((left, evaluate(left), right))
            except (NotNumeric, InvalidOperation, ZeroDivisionError):
                continue
    return found


def arithmetic_problems(formula: dict) -> list[str]:
    """Every printed ``arithmetic = number`` in ``formula`` (data form) that does not check out by
    hand, as ``"0.26 · 0.234 · 0.751 = 0.045: the printed numbers give 0.0457"``."""
    problems = []
    for left, value, right in relations(formula):
        decimals, exponent = _decimals(right)
        if not _rounds_to(value, printed_number(right), decimals, exponent):
            shown = f"{value:.{decimals + 2}f}" if not exponent else f"{value:.3e}"
            problems.append(f"{left['words']} = {right['words']}: the printed numbers give {shown}")
    return problems


def ideas_problems(scene: str, ideas: list[tuple[str, list[dict]]]) -> tuple[list[str], int]:
    """The printed arithmetic that does not check out in a scene's ideas (each its name and its
    printed formulas, in data form), as ``"Scene.idea: problem"``, and how many relations were checked."""
    problems = [f"{scene}.{idea}: {p}" for idea, printed in ideas for f in printed for p in arithmetic_problems(f)]
    return problems, sum(len(relations(f)) for _, printed in ideas for f in printed)


def values_json_problems(values: dict) -> tuple[list[str], int]:
    """The printed arithmetic of a lesson's ``values.json`` that does not check out (every idea's
    ``printed`` formulas), and how many relations were checked."""
    problems, checked = [], 0
    for scene, entry in values["scenes"].items():
        found, count = ideas_problems(scene, [(idea["title"], idea["printed"]) for idea in entry["ideas"]])
        problems, checked = problems + found, checked + count
    return problems, checked


def record_problems(scene) -> tuple[list[str], int]:
    """The printed arithmetic that does not check out in what a rendered scene sends the lesson
    folder: its record (:func:`scenes.kit.scene_record.scene_record`) after the JSON round trip the worker makes,
    whose ideas' ``printed`` formulas ``values.json`` holds as they are. Also how many relations
    were checked."""
    from lessonmodel.record import SceneRecord
    from scenes.kit.scene_record import scene_record

    sent = scene_record(scene)
    record = SceneRecord.from_json(sent.to_json())
    assert record == sent, "the record changed on its way through JSON"
    return ideas_problems(record.scene, [(idea.name, idea.printed) for idea in record.ideas])
