"""The test helpers themselves: they must be able to fail."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from conftest import assert_layout_ok
from expected import (
    assert_shows_only_core_numbers,
    chain_value,
    descent_value,
    examples_value,
    factor_value,
    many_value,
    nudge_value,
)

from lessonmodel.config import load_config
from lessonmodel.fmt import decimals_for
from lessonmodel.names import activation, bias, nudged, ratio, weighted_sum
from lessonmodel.precision import chain_table
from lessonmodel.values import FACTOR_NUDGE, chain_of, lesson_values, levels_after_nudge, nudge_of_named
from scenes.kit.box import Box

EXPLICIT = """
[chain]
activation = "tanh"
target = -0.5
[examples]
inputs = [0.5, -0.9, 0.1]
targets = [-1.0, 0.5, 1.0]
[network]
sizes = [1, 2]
activation = "tanh"
target = [0.5, -0.5]
focus = [1, 0]
input = [-0.4]
weights = [[[1.5], [-2.0]]]
biases = [[0.1, -0.3]]
inputs = [[0.3], [-0.7]]
targets = [[0.2, 0.9], [-1.0, 0.0]]
[descent]
learning_rate = 0.5
steps = 3
"""


ONE_NETWORK_EXAMPLE = "[network]\nexamples = 0\n[descent]\nsteps = 4\n"


@pytest.mark.parametrize("text", [None, EXPLICIT, ONE_NETWORK_EXAMPLE],
                         ids=["drawn from seeds", "given", "one network example"])
def test_expected_values_agree_with_the_values_scenes_use(text, write_config):
    """The oracle rebuilds examples and network from the config on its own: seeded (the default) or
    given; gradient descent on the average over the network's examples, or on its one example."""
    cfg = load_config(write_config(text) if text else None)
    values = lesson_values(cfg)
    sections = {"chain": chain_value, "factors": factor_value, "nudges": nudge_value, "examples": examples_value,
                "network": many_value, "descent": descent_value}
    assert set(values) == set(sections)
    for section, expected in sections.items():
        for name, value in values[section].items():
            assert expected(name, cfg) == pytest.approx(value, rel=1e-9, abs=1e-12), (section, str(name))


def fake_scene(shown, typeset, layouts=(), digits=None):
    """What the checks read of a rendered scene; ``digits``: its lesson's precision table."""
    decimals = digits.decimals if digits else decimals_for
    return SimpleNamespace(shown=shown, typeset=typeset, layouts=list(layouts), digits=digits, decimals=decimals)


def test_number_check_catches_a_wrong_or_unrecorded_number():
    cfg = load_config()
    table = chain_table(cfg.chain, cfg.examples)  # a(L) with the 4 decimals (0.6594 - 1.00)^2 = 0.116 needs
    assert_shows_only_core_numbers(fake_scene([(activation(3), "0.6594")], ["a = 0.6594"], digits=table),
                                   lambda n: chain_value(n, cfg))
    with pytest.raises(AssertionError):
        assert_shows_only_core_numbers(fake_scene([(activation(3), "0.66")], ["a = 0.66"], digits=table),
                                       lambda n: chain_value(n, cfg))
    ok = fake_scene([(activation(3), "0.66")], ["a = 0.66"])
    assert_shows_only_core_numbers(ok, lambda n: chain_value(n, cfg))
    with pytest.raises(AssertionError):
        assert_shows_only_core_numbers(fake_scene([(activation(3), "0.67")], []), lambda n: chain_value(n, cfg))
    with pytest.raises(AssertionError):
        assert_shows_only_core_numbers(fake_scene([(activation(3), "0.66")], ["a = 0.66 + 0.12"]),
                                       lambda n: chain_value(n, cfg))
    with pytest.raises(AssertionError):
        assert_shows_only_core_numbers(ok, lambda n: chain_value(n, cfg), ["C0 = 0.5"])


def box(left, bottom, right, top):
    return Box(left, bottom, right, top)


def test_layout_check_catches_clipping_and_overlap():
    assert_layout_ok(fake_scene([], [], [[("a", box(0, 0, 1, 1)), ("b", box(2, 0, 3, 1))]]))
    with pytest.raises(AssertionError, match="sideways"):
        assert_layout_ok(fake_scene([], [], [[("a", box(6, 0, 7.5, 1))]]))
    with pytest.raises(AssertionError, match="vertically"):
        assert_layout_ok(fake_scene([], [], [[("a", box(0, 3.5, 1, 4.2))]]))
    with pytest.raises(AssertionError, match="overlaps"):
        assert_layout_ok(fake_scene([], [], [[("a", box(0, 0, 1, 1)), ("b", box(0.5, 0.5, 2, 2))]]))



@pytest.mark.parametrize("text", [None, "[chain]\nactivation = 'tanh'\ntarget = -0.5\nweights = [2.0, -1.5, 0.3]"])
def test_expected_factors_agree_with_the_factors_scenes_use(text, write_config):
    cfg = load_config(write_config(text) if text else None)
    factors = lesson_values(cfg)["factors"]
    assert len(factors) == 3 * 3 + 2 + 1  # per layer dz/dw, dz/db, da/dz; dz(l)/da(l-1) for l = 2, 3; dC0/da(L)
    for name, value in factors.items():
        assert factor_value(name, cfg) == pytest.approx(value, rel=1e-12, abs=1e-15), str(name)


@pytest.mark.parametrize("text", [None, "[chain]\nactivation = 'relu'\nbiases = [0.2, -0.4, 0.1]"])
def test_nudges_of_a_bias_and_an_activation_agree_with_the_oracle(text, write_config):
    """The nudges that show ∂z(L)/∂b(L) = 1 and ∂z(L)/∂a(L-1) = w(L) (BiasAndPreviousActivation):
    every value, and the live levels at the nudge's end, against an independent forward loop."""
    cfg = load_config(write_config(text) if text else None)
    chain = chain_of(cfg.chain)
    for quantity in (bias(3), activation(2)):
        named = nudge_of_named(chain, quantity, FACTOR_NUDGE)
        assert len(named) == 10  # Δq, q, z(L), a(L), Δz(L), Δa(L), C0, ΔC0, Δz(L)/Δq, ΔC0/Δq
        for name, value in named.items():
            assert nudge_value(name, cfg) == pytest.approx(value, rel=1e-9, abs=1e-12), str(name)
        live = levels_after_nudge(chain, quantity, FACTOR_NUDGE)
        assert live[weighted_sum(3)] == pytest.approx(named[nudged(weighted_sum(3), quantity, FACTOR_NUDGE)])
        assert levels_after_nudge(chain, quantity, 0.0)[weighted_sum(3)] == pytest.approx(chain.z(3))
    # z(L) moves one for one with b(L), w(L) times as much as a(L-1)
    def rate(q):
        return nudge_of_named(chain, q, FACTOR_NUDGE)[nudged(ratio(weighted_sum(3), q), q, FACTOR_NUDGE)]

    assert rate(bias(3)) == pytest.approx(1.0) and rate(activation(2)) == pytest.approx(chain.w(3))
