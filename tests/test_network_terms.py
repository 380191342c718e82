"""The page's network panel data (lessonmodel.network_terms) under each cost and output: every
number against torch's autograd (tests/test_lesson_costs.py's float64 network, which shares no code
with nncore), written with the lesson's digits, and the formulas the cost's own: a softmax's output
layer shows ∂C0/∂z_j(L) = a_j(L) - y_j, never a slope σ'(z_j(L)) it does not have.
"""

from __future__ import annotations

import pytest
from conftest import config_file
from test_lesson_costs import expected_network

from lessonmodel.config import CROSS_ENTROPY_TOML, load_config
from lessonmodel.fmt import format_number
from lessonmodel.network_terms import network_terms
from lessonmodel.precision import network_table
from lessonmodel.values import lesson_values, network_of


def _config(name: str):
    """The default, the shipped cross-entropy config (a softmax network), or a test config."""
    return load_config({"default": None, "softmax": CROSS_ENTROPY_TOML}.get(name) or config_file(name))


def _values(item) -> list[dict]:
    """Every value a panel shows (a dict with its name, label, number and text), wherever it sits."""
    if isinstance(item, dict):
        found = [item] if {"name", "label", "value", "text"} <= item.keys() else []
        return found + [v for child in item.values() for v in _values(child)]
    if isinstance(item, list):
        return [v for child in item for v in _values(child)]
    return []


def _text(line: dict) -> str:
    return "".join(p if isinstance(p, str) else p["text"] for p in line["parts"])


def terms_of(cfg) -> dict:
    return network_terms(network_of(cfg.network), network_table(cfg.network))


@pytest.mark.parametrize("name", ["default", "softmax", "softmax_network", "sigmoid_cross_entropy"])
def test_every_number_of_the_panel_is_torchs_with_the_lessons_digits(name):
    cfg = _config(name)
    named = {str(q): v for q, v in lesson_values(cfg)["network"].items()}
    oracle = expected_network(cfg, named)
    digits = network_table(cfg.network)
    by_name = {str(q): q for q in digits.named}
    values = _values(terms_of(cfg))
    checked = 0
    for v in values:
        if v["name"] in oracle:
            assert v["value"] == pytest.approx(oracle[v["name"]], rel=1e-9, abs=1e-12), (name, v["name"])
            checked += 1
        q = by_name.get(v["name"])
        if q is not None:  # written as the lesson writes it
            assert v["text"] == format_number(v["value"], digits.decimals(q), digits.sci(q)), (name, v["name"])
    assert checked >= 0.9 * len(values) and checked > 100, (checked, len(values))


@pytest.mark.parametrize("name", ["softmax", "softmax_network", "sigmoid_cross_entropy"])
def test_where_the_cost_cancels_the_output_layer_goes_through_its_error(name):
    cfg = _config(name)
    terms = terms_of(cfg)
    named = {str(q): v for q, v in lesson_values(cfg)["network"].items()}
    oracle = expected_network(cfg, named)
    L = len(cfg.network.sizes) - 1
    for w in terms["weights"]:
        l, j, k = w["layer"], w["j"], w["k"]
        names = [f["name"] for f in w["factors"]]
        if l < L:
            assert names == [f"a_{k}({l - 1})", f"da_{j}({l})/dz_{j}({l})", f"dC0/da_{j}({l})"]
            continue
        assert names == [f"a_{k}({L - 1})", f"dC0/dz_{j}({L})"]  # a_k(L-1) · ∂C0/∂z_j(L)
        first, error = (f["value"] for f in w["factors"])
        assert first * error == pytest.approx(oracle[f"dC0/dw_{j}{k}({L})"], rel=1e-9)
        assert error == pytest.approx(oracle[f"a_{j}({L})"] - cfg.network.target[j], rel=1e-9, abs=1e-15)
        assert w["derivative"]["label"] + " = " + " · ".join(f["label"] for f in w["factors"]) == (
            f"∂C0/∂w_{j}{k}(L) = a_{k}(L-1) · ∂C0/∂z_{j}(L)")
        assert _text(w["notes"][0]).endswith(f"= a_{j}(L) - y_{j}")
    slopes = [v["label"] for v in _values(terms) if v["name"].startswith("da_") and v["name"].endswith(f"({L})")]
    assert slopes == []  # no slope σ'(z_j(L)) of the output layer anywhere: the error stands for it
    for n in terms["neurons"]:
        if n["layer"] == L - 1:
            assert n["rule"] == f"Σ_j w_j{n['j']}(L) · ∂C0/∂z_j(L)"
            for term in n["terms"]:
                assert term["value"] == pytest.approx(oracle[term["name"]], rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("name, rule, through", [
    ("default", "∂C0/∂a_{j}(L) = 2(a_{j}(L) - y_{j})", None),
    ("softmax", "∂C0/∂a_{j}(L) = -y_{j}/a_{j}(L)", "Σ_i ∂a_i(L)/∂z_{j}(L) · ∂C0/∂a_i(L)"),
    ("softmax_network", "∂C0/∂a_{j}(L) = -y_{j}/a_{j}(L)", "Σ_i ∂a_i(L)/∂z_{j}(L) · ∂C0/∂a_i(L)"),
    ("sigmoid_cross_entropy", "∂C0/∂a_{j}(L) = (a_{j}(L) - y_{j})/(a_{j}(L) (1 - a_{j}(L)))",
     "σ'(z_{j}(L)) · ∂C0/∂a_{j}(L)"),
])
def test_an_output_neuron_shows_the_costs_own_derivative(name, rule, through):
    cfg = _config(name)
    L = len(cfg.network.sizes) - 1
    outputs = [n for n in terms_of(cfg)["neurons"] if n["layer"] == L]
    for n in outputs:
        j = n["j"]
        texts = [_text(line) for line in n["lines"]]
        assert texts[0] == rule.format(j=j)
        shown = {p["name"]: p for line in n["lines"] for p in line["parts"] if isinstance(p, dict)}
        assert shown[f"dC0/da_{j}({L})"]["text"] in texts[1] and shown[f"y_{j}"]["text"] in texts[1]
        if through is None:
            assert len(texts) == 2
        else:  # why ∂C0/∂z_j(L) is a_j(L) - y_j, then its numbers
            assert texts[2] == f"∂C0/∂z_{j}(L) = {through.format(j=j)} = a_{j}(L) - y_{j}"
            a, y, error = (shown[key] for key in (f"a_{j}({L})", f"y_{j}", f"dC0/dz_{j}({L})"))
            assert error["value"] == pytest.approx(a["value"] - y["value"], rel=1e-9, abs=1e-15)
            assert texts[3].endswith(f" = {error['text']}")
