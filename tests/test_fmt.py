"""How numbers are written on screen and in tables."""

from __future__ import annotations

import pytest
from conftest import BIN, run
from hypothesis import example, given
from hypothesis import strategies as st

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
    # after a nudge a quantity keeps its decimals (a value 2, a ratio 3, the nudge itself 3), but the
    # change it causes gets one more per decimal of the nudge: the ratio can be checked from them
    assert decimals_for(nudged(weighted_sum(3), weight(3), 0.5)) == 2
    assert decimals_for(nudged(ratio(C0, weight(3)), weight(3), 0.5)) == 3
    assert decimals_for(nudged(change(weight(3)), weight(3), 0.001)) == 3
    assert [decimals_for(nudged(change(weighted_sum(3)), weight(3), d)) for d in (0.5, 0.1, 0.01, 0.001)] == [
        4, 4, 5, 6]


@given(change_=st.floats(-1, 1), power=st.integers(1, 4))
def test_a_nudges_change_and_ratio_are_checkable_from_their_printed_numbers(change_, power):
    """ΔC0 printed with the decimals of Δ = 10^-power, divided by Δ, is the printed ratio."""
    delta = 10.0**-power
    shown_change = float(format_number(change_, decimals_for(nudged(change(C0), weight(3), delta))))
    shown_ratio = format_number(change_ / delta, decimals_for(nudged(ratio(C0, weight(3)), weight(3), delta)))
    assert abs(shown_change / delta - float(shown_ratio)) <= 0.0005 + 1e-9


@given(value=st.floats(allow_nan=False, allow_infinity=False), decimals=st.sampled_from([2, 3]))
@example(value=4.9e-322, decimals=2)
@example(value=-5e-324, decimals=3)
@example(value=1.7976931348623157e308, decimals=2)
def test_every_finite_float_is_written(value, decimals):
    """Subnormals (4.9e-322) and the largest floats included; the text reads back as the value."""
    plain = format_number(value, decimals)
    assert typst_number(value, decimals)
    if 1e-300 <= abs(value) <= 1e307:  # where the rounded text is itself a finite, normal float
        assert float(plain) == pytest.approx(value, rel=0.06, abs=0.5 * 10.0**-decimals)


def test_subnormal_input_prints_its_values(write_config):
    result = run([str(BIN / "backprop"), "values", "--config", str(write_config("[chain]\ninput = 4.9e-322\n"))])
    assert result.returncode == 0, result.stderr
    assert "4.9e-322" in result.stdout
