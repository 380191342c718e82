"""What a cue may name: only what is on screen, whole, when it starts.

A cue names values (by their name and as printed), symbols, compound notation (a derivative, a
change, a fraction, a slope, a sum, a square) and equations. :func:`unseen` lists those the
formulas on screen do not show, so a scene can start a cue once its animation has shown them
("shown, then said") and tests can check that no cue runs ahead of the picture.
"""

from __future__ import annotations

from typing import Iterable

from lessonmodel.formula import Call, Delta, Eq, Frac, Math, Num, Partial, Power, SumOver, Sym, nodes, words

__all__ = ["unseen"]

# Notation a cue names as a whole: on screen only if written the same way somewhere.
_WHOLE = (Partial, Delta, Frac, Call, SumOver, Power)


def unseen(line: Math, shown: Iterable[Math]) -> list[str]:
    """The words of each thing ``line`` names that the formulas ``shown`` do not show, in the
    order named, each once: a value not shown with its name and digits; a symbol not written (a
    general one, such as z in "z = w a + b", also counts as shown by any symbol of its letter);
    a named derivative, change, fraction, call, sum or power not written as such; an equation
    whose left side (not a number) is written nowhere.

    >>> from lessonmodel.formula import Line
    >>> z, b = Sym("z"), Sym("b")
    >>> unseen(Line("So ", Eq(z, Num(None, 0.5, 2)), "."), [Eq(b, Num(None, 0.5, 2))])
    ['z']
    """
    parts = [n for formula in shown for n in nodes(formula)]
    written = {words(n) for n in parts}
    values = {(n.name, n.parts) for n in parts if isinstance(n, Num)}
    letters = {n.letter for n in parts if isinstance(n, Sym)}
    lefts = {words(n.sides[0]) for n in parts if isinstance(n, Eq)}
    missing: dict[str, None] = {}
    for n in nodes(line):
        if isinstance(n, Num):
            hidden = (n.name, n.parts) not in values
        elif isinstance(n, Sym):
            hidden = words(n) not in written and not (n.name is None and n.letter in letters)
        elif isinstance(n, _WHOLE):
            hidden = words(n) not in written and any(isinstance(s, Sym) and s.name for s in nodes(n))
        elif isinstance(n, Eq):
            hidden = not isinstance(n.sides[0], Num) and words(n.sides[0]) not in lefts | written
        else:
            hidden = False
        if hidden:
            missing[words(n)] = None
    return list(missing)
