"""The nudge sandbox of the lesson page: the chain's parameters on sliders, its values live.

The page computes the chain again in the browser as a slider moves (a small forward and backward
pass in JavaScript, with nncore's activations); this module says what it shows and how: each
slider (the chain's six parameters, its input and target, named as ``backprop values`` names
them, within the config's limits), each value shown (its name, its label on screen, its decimals,
and which quantity of the pass it is), and the nudges it offers (ΔC0 and ΔC0/Δp beside ∂C0/∂p,
named as the lesson names them).

>>> from lessonmodel.config import load_config
>>> spec = sandbox_spec(load_config())
>>> [s["name"] for s in spec["sliders"]][:3], spec["sliders"][0]["value"]
(['w(1)', 'w(2)', 'w(3)'], -0.9)
"""

from __future__ import annotations

import math

from lessonmodel.config import PARAM_LIMIT, LessonConfig
from lessonmodel.fmt import decimals_for
from lessonmodel.names import (
    C0,
    Derivative,
    Quantity,
    Symbol,
    activation,
    bias,
    change,
    derivative,
    net_input,
    nudged,
    ratio,
    target,
    weight,
    weighted_sum,
)
from lessonmodel.notation import slope_written, written
from lessonmodel.values import NUDGE_SIZES, Chain, chain_factors_named, chain_of
from nncore import ACTIVATIONS

__all__ = ["sandbox_spec", "target_range", "quantity_of"]

PARAMETER_KINDS = ("w", "b")


def target_range(name: str) -> tuple[float, float]:
    """The targets a slider offers for the activation ``name``: its output range (ReLU's, which
    has no top, up to the config's limit of the inputs)."""
    act = ACTIVATIONS[name]
    return act.low, min(act.high, PARAM_LIMIT)


def quantity_of(name: Quantity) -> list:
    """Which quantity of the forward and backward pass the value called ``name`` is, as the
    page's script reads it: ``["z", 2]``, ``["a", 3]``, ``["C"]``, ``["error"]``,
    ``["dC/dw", 3]``, ``["dC/db", 3]``, ``["dC/da", 2]``, ``["da/dz", 3]``, ``["dz/dw", 3]`` (= a(l-1))."""
    match name:
        case Symbol(kind="C"):
            return ["C"]
        case Symbol(kind="error"):
            return ["error"]
        case Symbol(kind=kind, layer=layer) if kind in "za":
            return [kind, layer]
        case Derivative(of=of, by=by) if of == C0:
            return [f"dC/d{by.kind}", by.layer]
        case Derivative(of=Symbol(kind="a", layer=l), by=Symbol(kind="z")):
            return ["da/dz", l]
        case Derivative(of=Symbol(kind="z", layer=l), by=Symbol(kind="w")):
            return ["dz/dw", l]
    raise ValueError(f"the sandbox does not compute {name}")


def _slider(name: Symbol, value: float, low: float, high: float, depth: int) -> dict:
    return {"name": str(name), "label": written(name, depth), "value": value, "min": low, "max": high}


def _step(values: list[float]) -> float:
    """The sliders' step: hundredths, or finer when a configured value has more decimals."""
    for places in range(2, 7):
        if all(abs(v * 10**places - round(v * 10**places)) < 1e-6 for v in values):
            return 10.0**-places
    return 1e-6


def _sliders(cfg: LessonConfig, depth: int) -> list[dict]:
    c = cfg.chain
    sliders = [_slider(weight(l), c.weights[l - 1], -PARAM_LIMIT, PARAM_LIMIT, depth) for l in range(1, depth + 1)]
    sliders += [_slider(bias(l), c.biases[l - 1], -PARAM_LIMIT, PARAM_LIMIT, depth) for l in range(1, depth + 1)]
    sliders.append(_slider(net_input(), c.input, -PARAM_LIMIT, PARAM_LIMIT, depth))
    sliders.append(_slider(target(), c.target, *target_range(c.activation), depth))
    return sliders


def _shown(name: Quantity, depth: int, act: str) -> dict:
    """How the sandbox shows the value called ``name``; a slope ∂a/∂z is labelled by each
    activation's name (``labels``), as the learner may switch the activation."""
    out = {"name": str(name), "label": written(name, depth), "decimals": decimals_for(name),
           "of": quantity_of(name)}
    if out["of"][0] == "da/dz":
        out["labels"] = {a: slope_written(a, name.by, depth) for a in ACTIVATIONS}
        out["label"] = out["labels"][act]
    return out


def _nudges(depth: int, act: str) -> list[dict]:
    """For each parameter and each nudge size: the names of ΔC0, ΔC0/Δp and ∂C0/∂p, with their decimals."""
    out = []
    for kind in PARAMETER_KINDS:
        for l in range(1, depth + 1):
            p = weight(l) if kind == "w" else bias(l)
            for delta in NUDGE_SIZES:
                change_name, ratio_name = nudged(change(C0), p, delta), nudged(ratio(C0, p), p, delta)
                out.append({"parameter": str(p), "label": written(p, depth), "delta": delta,
                            "delta_text": f"{delta:g}", "change": _shown_nudge(change_name, change(C0), depth),
                            "ratio": _shown_nudge(ratio_name, ratio(C0, p), depth),
                            "derivative": _shown(derivative(C0, p), depth, act)})
    return out


def _shown_nudge(name: Quantity, short: Quantity, depth: int) -> dict:
    """A value of a nudge: named in full (``ΔC0 | Δw(3) = 0.1``), labelled short (``ΔC0``)."""
    return {"name": str(name), "label": written(short, depth), "decimals": decimals_for(name)}


def sandbox_spec(cfg: LessonConfig) -> dict:
    """What the sandbox shows for ``cfg``: its sliders (with their step), the values it computes
    (the forward values, C0, every ∂C0/∂ of the chain and the three factors of ∂C0/∂w(L), and
    ∂C0/∂z(L) = a(L) - y where the cost cancels σ'(z(L))), the nudges, the chain's cost (nncore's
    name: the page computes it), the activation and each activation's range of targets (the
    activations the cost takes: the sigmoid alone for the cross-entropy)."""
    chain = chain_of(cfg.chain)
    L = chain.depth
    sliders = _sliders(cfg, L)
    step = _step([s["value"] for s in sliders])
    for s in sliders:
        s["step"] = step
    inputs = {str(s["name"]) for s in sliders}
    input_layer = (activation(0), derivative(C0, activation(0)))  # a(0) is the input x itself
    names = [n for n in chain.named() if str(n) not in inputs and n not in input_layer]
    names.insert(names.index(derivative(activation(L), weighted_sum(L))), derivative(weighted_sum(L), weight(L)))
    cost = chain.net.cost_function
    activations = [a for a in ACTIVATIONS if cost.outputs is None or a in cost.outputs]  # the cost's outputs
    return {"activation": cfg.chain.activation, "cost": cost.name, "depth": L, "sliders": sliders,
            "values": [_shown(n, L, cfg.chain.activation) for n in names], "nudges": _nudges(L, cfg.chain.activation),
            "targets": {a: target_range(a) for a in activations}, "limit": PARAM_LIMIT,
            "lines": {a: _line_ranges(a, cost.name) for a in activations}, "initial": _initial(chain, names)}


def _initial(chain: Chain, names: list[Quantity]) -> dict[str, float]:
    """The values shown before a slider moves: nncore's, by name."""
    v = chain.named() | chain_factors_named(chain)
    return {str(n): v[n] for n in names}


def _line_ranges(act: str, cost: str = "squared") -> dict:
    """The span of each number line of the sandbox, by kind: the sliders' for a parameter, the
    activation's outputs for a(l), the config's limit for z(l), and for C0 up to the largest
    squared error a target in range allows (ReLU's, with no top, to the square of the limit), or
    the cross-entropy's at the limit's z(L), ln(1 + e^|z|) with |z(L)| = |w(L) a(L-1) + b(L)| up to
    twice the limit (a sigmoid's a(L-1) is below 1)."""
    low, high = target_range(act)
    widest = max(abs(high - low), 1.0)
    top = math.ceil(widest**2) if cost == "squared" else math.ceil(math.log1p(math.exp(2 * PARAM_LIMIT)))
    return {"w": [-PARAM_LIMIT, PARAM_LIMIT], "b": [-PARAM_LIMIT, PARAM_LIMIT], "z": [-PARAM_LIMIT, PARAM_LIMIT],
            "a": [low, high], "C": [0.0, top]}
