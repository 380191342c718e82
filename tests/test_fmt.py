"""How numbers are written on screen and in tables."""

from __future__ import annotations

import pytest

from lessonmodel.fmt import decimals_for, format_number, typst_number
from lessonmodel.names import (
    AVERAGE_COST,
    C0,
    ERROR,
    LEARNING_RATE,
    activation,
    after_steps,
    change,
    derivative,
    measured,
    nudged,
    path_term,
    ratio,
    weight,
    weighted_sum,
)


@pytest.mark.parametrize(
    "value, decimals, plain, typst",
    [
        (-0.9, 2, "-0.90", "-0.90"),
        (0.1160155, 3, "0.116", "0.116"),
        (-0.0, 2, "0.00", "0.00"),
        (-0.001, 2, "-1.0e-03", "-1.0 times 10^(-3)"),  # would round to -0.00
        (1.7e-48, 3, "1.7e-48", "1.7 times 10^(-48)"),  # a saturated sigmoid's slope
        (9.96e-5, 3, "1.0e-04", "1.0 times 10^(-4)"),  # mantissa rounding up to 10
        (122988100.0, 3, "1.2e+08", "1.2 times 10^(8)"),  # an exploding ReLU chain's cost
        (99999.4, 2, "99999.40", "99999.40"),
    ],
)
def test_numbers_read_sensibly(value, decimals, plain, typst):
    assert format_number(value, decimals) == plain
    assert typst_number(value, decimals) == typst


def test_decimals_by_kind():
    assert decimals_for(activation(2)) == decimals_for(weight(3)) == decimals_for(ERROR) == 2
    assert decimals_for(LEARNING_RATE) == decimals_for(after_steps(activation(2, 1), 4)) == 2
    assert decimals_for(C0) == decimals_for(derivative(C0, weight(3))) == 3
    assert decimals_for(after_steps(AVERAGE_COST, 4)) == decimals_for(change(activation(1, 0))) == 3
    total = derivative(C0, activation(1, 0))
    assert decimals_for(path_term(total, 1)) == decimals_for(measured(total)) == 3
    # after a nudge a quantity keeps its decimals: a value 2, a change or a ratio 3
    assert decimals_for(nudged(weighted_sum(3), weight(3), 0.5)) == 2
    assert decimals_for(nudged(change(weighted_sum(3)), weight(3), 0.5)) == 3
    assert decimals_for(nudged(ratio(C0, weight(3)), weight(3), 0.5)) == 3
