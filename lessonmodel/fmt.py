"""How numbers are written: a fixed number of decimals per kind of quantity.

Costs, derivatives, changes and ratios get 3 decimals, everything else 2 (by the kind of the
value's name, :mod:`lessonmodel.names`). The change a nudge Δ causes gets as many more decimals
as Δ has below the first (Δ = 0.01: 5), so that the ratio it makes with Δ, written with 3
decimals, can be checked from the two printed numbers. A nonzero value that would round to zero (a saturated
sigmoid's slope, say) is written in scientific form instead of a misleading "0.000", and zero is
never written "-0.00".
"""

from __future__ import annotations

import math

from lessonmodel.names import AfterSteps, Change, Nudged, Quantity, Symbol, UnderCost

__all__ = ["decimals_for", "number_parts", "format_number", "typst_number"]


LARGE = 1e5  # from here on, scientific form


def decimals_for(name: Quantity) -> int:
    """Decimals for the value called ``name``: 3 for a cost, a derivative, a change or a ratio,
    2 for the network's other values; a value after a nudge or after descent steps, or under
    another cost, keeps its quantity's decimals, but for the change the nudge causes (see the module's docstring)."""
    match name:
        case Nudged(quantity=Change(of=of), parameter=parameter, delta=delta) if of != parameter and delta:
            return 3 + max(0, math.ceil(-math.log10(abs(delta)) - 1e-9))
        case Nudged(quantity=inner) | AfterSteps(quantity=inner) | UnderCost(quantity=inner):
            return decimals_for(inner)
        case Symbol(kind="C"):
            return 3
        case Symbol():
            return 2
    return 3


def number_parts(value: float, decimals: int, sci: int = 1) -> tuple[str, str | None]:
    """(mantissa, exponent or None) of ``value`` written with ``decimals`` (``sci`` decimals of
    the mantissa in scientific form): ``("-0.90", None)``, ``("3.2", "-5")`` for 3.2 × 10⁻⁵."""
    if value != 0 and not 0.5 * 10.0**-decimals <= abs(value) < LARGE:
        # Python's own scientific form: exact for every finite float, subnormals included
        # (dividing by 10**exponent underflows to zero there), and 9.96e-5 rounds to 1.0e-04.
        mantissa, exponent = f"{value:.{sci}e}".split("e")
        return mantissa, str(int(exponent))
    text = f"{value:.{decimals}f}"
    if float(text) == 0:
        text = text.lstrip("-")
    return text, None


def format_number(value: float, decimals: int, sci: int = 1) -> str:
    """Plain text: ``-0.90``, ``0.116``, ``3.2e-05``."""
    mantissa, exponent = number_parts(value, decimals, sci)
    return mantissa if exponent is None else f"{mantissa}e{int(exponent):+03d}"


def typst_number(value: float, decimals: int, sci: int = 1) -> str:
    """Typst math: ``-0.90``, ``3.2 times 10^(-5)``."""
    mantissa, exponent = number_parts(value, decimals, sci)
    return mantissa if exponent is None else f"{mantissa} times 10^({exponent})"
