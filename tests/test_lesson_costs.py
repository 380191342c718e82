"""The lesson under another cost: every value of the shipped configs against torch's autograd
(float64), the cross-entropy config's teaching point, drawn examples valid for the cost,
``backprop init --example``, and practice with the cross-entropy.

The torch side is written here from the config's numbers and the values' names as text ("dC0/dw(3)",
"C after 2 steps"), sharing no code with nncore or lessonmodel.values; the inputs and targets of
the drawn examples are data, read from the lesson (their draws are checked elsewhere).
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch
from arithmetic import record_problems
from captions import caption_problems, unseen_problems
from conftest import BIN, render_scene, run
from practice_oracle import chain_oracle, network_oracle, read_config

import scenes
from lessonmodel.config import CROSS_ENTROPY_TOML, DEFAULT_PATH, load_config
from lessonmodel.fmt import typst_number
from lessonmodel.values import FACTOR_NUDGE, NUDGE, NUDGE_SIZES, lesson_values, network_examples_of
from scenes.kit.lesson_scene import ChainScene

F64 = torch.float64
ACT = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu,
       "softmax": lambda z: torch.softmax(z, dim=-1)}
COST = {  # C_k of each row of outputs a against targets y
    "squared": lambda a, y: ((a - y) ** 2).sum(-1),
    "binary_cross_entropy": lambda a, y: -(y * torch.log(a) + (1 - y) * torch.log(1 - a)).sum(-1),
    "cross_entropy": lambda a, y: -(y * torch.log(a)).sum(-1),
}
CONFIGS = {"default": DEFAULT_PATH, "cross_entropy": CROSS_ENTROPY_TOML}


def cost_name(config_cost: str, output: str) -> str:
    """The config's cost as the formula it is: the cross-entropy is binary on a sigmoid."""
    if config_cost == "squared":
        return "squared"
    return "cross_entropy" if output == "softmax" else "binary_cross_entropy"


def t(values) -> torch.Tensor:
    return torch.tensor(np.asarray(values, float), dtype=F64)


def unit(j: int, n: int) -> torch.Tensor:
    """The j-th of n unit vectors."""
    return torch.eye(n, dtype=F64)[j]


def chain_pass(w, b, x, y, act: str, cost: str, shift: dict | None = None) -> dict[str, float]:
    """The chain on one example in torch: every forward value, the cost and the gradient of every
    weight, bias, a(l) and z(l), named as the lesson names them; ``shift`` adds to w(l) before."""
    L, f = len(w), ACT[act]
    W = [t(v + (shift or {}).get(l + 1, 0.0)).requires_grad_() for l, v in enumerate(w)]
    B = [t(v).requires_grad_() for v in b]
    a, z = [t(x).requires_grad_()], [None]
    for l in range(1, L + 1):
        z.append(W[l - 1] * a[-1] + B[l - 1])
        a.append(f(z[-1]))
        z[-1].retain_grad()
        a[-1].retain_grad()
    c = COST[cost](a[-1].reshape(1), t([y]))
    c.backward()
    out = {"x": x, "y": y, "C0": c.item(), "a(L) - y": a[L].item() - y, "a(0)": x, "dC0/da(0)": a[0].grad.item()}
    for l in range(1, L + 1):
        slope = torch.func.grad(f)(z[l].detach()).item()
        out |= {f"w({l})": W[l - 1].item(), f"b({l})": b[l - 1], f"z({l})": z[l].item(), f"a({l})": a[l].item(),
                f"dC0/da({l})": a[l].grad.item(), f"da({l})/dz({l})": slope, f"dC0/dz({l})": z[l].grad.item(),
                f"dC0/dw({l})": W[l - 1].grad.item(), f"dC0/db({l})": B[l - 1].grad.item(),
                f"dz({l})/dw({l})": a[l - 1].item(), f"dz({l})/db({l})": 1.0, f"dz({l})/da({l - 1})": w[l - 1]}
    return out


def forward_nudged(w, b, x, y, act: str, cost: str, kind: str, l: int, delta: float) -> dict[str, float]:
    """The chain's z(m), a(m) and C0 after b(l) += delta, or a(l) += delta carried forward as is."""
    f, b = ACT[act], [v + (delta if (kind, m) == ("b", l) else 0.0) for m, v in enumerate(b, start=1)]
    a = [t(x + (delta if (kind, l) == ("a", 0) else 0.0))]
    out = {}
    for m in range(1, len(w) + 1):
        z = w[m - 1] * a[-1] + b[m - 1]
        a.append(f(z) + (delta if (kind, m) == ("a", l) else 0.0))
        out |= {f"z({m})": z.item(), f"a({m})": a[-1].item()}
    out["C0"] = COST[cost](a[-1].reshape(1), t([y])).item()
    return out


def nudges_of_bias_and_activation(c, cost: str, one: dict) -> dict[str, float]:
    """Every value the lesson names after b(l) or a(l) += FACTOR_NUDGE (``"z(3) | Δb(3) = 0.1"``):
    the nudged value, z and a of each layer it reaches and their changes, C0, ΔC0 and the ratios."""
    out = {}
    for kind, layers in (("b", range(1, len(c.weights) + 1)), ("a", range(len(c.weights)))):
        for l in layers:
            name, delta = f"{kind}({l})", FACTOR_NUDGE
            tag = f" | Δ{name} = {delta:g}"
            after = forward_nudged(c.weights, c.biases, c.input, c.target, c.activation, cost, kind, l, delta)
            first = l + 1 if kind == "a" else l
            out |= {f"Δ{name}{tag}": delta, f"{name}{tag}": one[name] + delta, f"C0{tag}": after["C0"],
                    f"ΔC0{tag}": after["C0"] - one["C0"], f"ΔC0/Δ{name}{tag}": (after["C0"] - one["C0"]) / delta,
                    f"Δz({first})/Δ{name}{tag}": (after[f"z({first})"] - one[f"z({first})"]) / delta}
            for m in range(first, len(c.weights) + 1):
                for q in (f"z({m})", f"a({m})"):
                    out |= {f"{q}{tag}": after[q], f"Δ{q}{tag}": after[q] - one[q]}
    return out


def network_pass(W, B, X, Y, act: str, output: str, cost: str):
    """The network on a batch in torch: outputs, each example's cost, the mean cost and its tensors."""
    Ws = [t(w).requires_grad_() for w in W]
    Bs = [t(b).requires_grad_() for b in B]
    a, z = [t(X).requires_grad_()], [None]
    for l, (w, b) in enumerate(zip(Ws, Bs), start=1):
        z.append(a[-1] @ w.T + b)
        a.append(ACT[output if l == len(Ws) else act](z[-1]))
        z[-1].retain_grad()
        a[-1].retain_grad()
    per_example = COST[cost](a[-1], t(Y))
    per_example.mean().backward()
    return Ws, Bs, a, z, per_example


def params(named: dict, sizes) -> tuple[list, list]:
    """The network's weight matrices and bias vectors, read from its named values."""
    W = [np.array([[named[f"w_{j}{k}({l})"] for k in range(sizes[l - 1])] for j in range(sizes[l])])
         for l in range(1, len(sizes))]
    B = [np.array([named[f"b_{j}({l})"] for j in range(sizes[l])]) for l in range(1, len(sizes))]
    return W, B


def expected_chain(cfg, values) -> dict[str, float]:
    c = cfg.chain
    cost = cost_name(c.cost, c.activation)
    one = chain_pass(c.weights, c.biases, c.input, c.target, c.activation, cost)
    out = dict(one) | nudges_of_bias_and_activation(c, cost, one)
    for delta in NUDGE_SIZES:  # the nudges of w(L)
        after = chain_pass(c.weights, c.biases, c.input, c.target, c.activation, cost, {3: delta})
        tag = f" | Δw(3) = {delta:g}"
        out |= {f"Δw(3){tag}": delta, f"w(3){tag}": c.weights[2] + delta, f"C0{tag}": after["C0"],
                f"ΔC0{tag}": after["C0"] - one["C0"], f"ΔC0/Δw(3){tag}": (after["C0"] - one["C0"]) / delta}
        for q in ("z(3)", "a(3)"):
            out |= {f"{q}{tag}": after[q], f"Δ{q}{tag}": after[q] - one[q]}
    ex = values["examples"]
    xs = [ex[f"x_{k}"] for k in range(len([n for n in ex if re.fullmatch(r"x_\d+", n)]))]
    ys = [ex[f"y_{k}"] for k in range(len(xs))]
    runs = [chain_pass(c.weights, c.biases, x, y, c.activation, cost) for x, y in zip(xs, ys)]
    for k, (x, y, r) in enumerate(zip(xs, ys, runs)):
        out |= {f"x_{k}": x, f"y_{k}": y, f"C{k}": r["C0"], f"dC{k}/dw(3)": r["dC0/dw(3)"]}
    out["C"] = np.mean([r["C0"] for r in runs])
    for l in (1, 2, 3):
        out |= {f"dC/dw({l})": np.mean([r[f"dC0/dw({l})"] for r in runs]),
                f"dC/db({l})": np.mean([r[f"dC0/db({l})"] for r in runs])}
    for other in ("squared", "binary_cross_entropy"):  # [costs]: the same chain under both
        r = chain_pass(c.weights, c.biases, c.input, c.target, c.activation, other)
        for q in ("C0", "dC0/da(3)", "da(3)/dz(3)", "dC0/dz(3)", "dC0/dw(3)", "dC0/db(3)"):
            out[f"{q} | {other}"] = r[q]
    return out


def expected_network(cfg, named: dict) -> dict[str, float]:
    n = cfg.network
    sizes, L, cost = n.sizes, len(n.sizes) - 1, cost_name(n.cost, n.output_layer)
    W, B = params(named, sizes)
    x = np.array([named[f"a_{k}(0)"] for k in range(sizes[0])])
    y = np.array(n.target)
    Ws, Bs, a, z, c = network_pass(W, B, x[None], y[None], n.activation, n.output_layer, cost)
    out = {"C0": c[0].item()} | {f"dC0/da_{k}(0)": a[0].grad[0, k].item() for k in range(sizes[0])}
    for l in range(1, L + 1):
        f = ACT[n.output_layer if l == L else n.activation]
        jac = torch.func.jacrev(f)(z[l][0].detach())  # ∂a_i/∂z_j; its diagonal: each a_j's own slope
        for j in range(sizes[l]):
            out |= {f"dC0/da_{j}({l})": a[l].grad[0, j].item(), f"dC0/dz_{j}({l})": z[l].grad[0, j].item(),
                    f"dC0/db_{j}({l})": Bs[l - 1].grad[j].item(), f"da_{j}({l})/dz_{j}({l})": jac[j, j].item(),
                    f"z_{j}({l})": z[l][0, j].item(), f"a_{j}({l})": a[l][0, j].item(), f"b_{j}({l})": B[l - 1][j]}
            for k in range(sizes[l - 1]):
                out |= {f"dC0/dw_{j}{k}({l})": Ws[l - 1].grad[j, k].item(), f"w_{j}{k}({l})": W[l - 1][j, k]}
    for k in range(sizes[L - 1]):
        for j in range(sizes[L]):  # the path through z_j(L) alone
            def through_j(s, j=j, k=k):
                moved = z[L][0].detach() + unit(j, sizes[L]) * W[-1][j, k] * s
                return COST[cost](ACT[n.output_layer](moved)[None], t(y[None]))[0]
            out[f"dC0/da_{k}({L - 1}) via {j}"] = torch.func.grad(through_j)(t(0.0)).item()
    k = n.focus[1]
    moved = a[L - 1][0].detach() + unit(k, sizes[L - 1]) * NUDGE
    after = COST[cost](ACT[n.output_layer](moved @ t(W[-1]).T + t(B[-1]))[None], t(y[None]))[0].item()
    out |= {f"Δa_{k}({L - 1})": NUDGE, f"dC0/da_{k}({L - 1}) measured": (after - out["C0"]) / NUDGE}
    out |= {f"a_{k}(0)": v for k, v in enumerate(x)} | {f"y_{j}": v for j, v in enumerate(y)}
    return out


def expected_descent(cfg, named: dict) -> dict[str, float]:
    """Gradient descent in torch on the network's training set, step after step."""
    n = cfg.network
    X, Y = network_examples_of(n)
    W, B = params(named, n.sizes)
    cost, L = cost_name(n.cost, n.output_layer), len(n.sizes) - 1
    out = {"learning rate": cfg.descent.learning_rate}
    for s in range(cfg.descent.steps + 1):
        Ws, Bs, a, _, c = network_pass(W, B, X, Y, n.activation, n.output_layer, cost)
        out[f"C after {s} steps"] = c.mean().item()
        out |= {f"C{k} after {s} steps": ck for k, ck in enumerate(c.tolist())}
        out |= {f"a_{j}({L}) after {s} steps": v for j, v in enumerate(a[-1][0].tolist())}
        W = [w.detach().numpy() - cfg.descent.learning_rate * w.grad.numpy() for w in Ws]
        B = [b.detach().numpy() - cfg.descent.learning_rate * b.grad.numpy() for b in Bs]
    return out


@pytest.mark.parametrize("name", list(CONFIGS))
def test_every_value_of_the_shipped_configs_matches_torch(name):
    """Every value of every section, by the name ``backprop values`` prints, against torch: the
    default (squared error) as ever, the cross-entropy config under its own cost."""
    cfg = load_config(CONFIGS[name])
    values = {section: {str(q): v for q, v in named.items()} for section, named in lesson_values(cfg).items()}
    chain = expected_chain(cfg, values)
    expected = {"chain": chain, "factors": chain, "nudges": chain, "examples": chain, "costs": chain,
                "network": expected_network(cfg, values["network"]),
                "descent": expected_descent(cfg, values["network"])}
    checked = 0
    for section, named in values.items():
        for text, value in named.items():
            assert value == pytest.approx(expected[section][text], rel=1e-9, abs=1e-12), (section, text)
            checked += 1
    assert checked > 300
    assert ("costs" in values) == (name == "cross_entropy")  # the default shows what it always showed
    assert ("dC0/dz(3)" in values["chain"]) == (name == "cross_entropy")


def test_the_cross_entropy_config_is_confidently_wrong_and_learns_faster():
    values = lesson_values(load_config(CROSS_ENTROPY_TOML))
    chain = {str(q): v for q, v in values["chain"].items()}
    costs = {str(q): v for q, v in values["costs"].items()}
    assert chain["y"] == 1.0 and chain["a(3)"] < 0.1  # an output near 0 for a target of 1
    assert chain["dC0/dz(3)"] == pytest.approx(chain["a(L) - y"], rel=1e-12)  # σ'(z(L)) cancelled
    assert abs(costs["dC0/dz(3) | binary_cross_entropy"]) > 5 * abs(costs["dC0/dz(3) | squared"])
    network = {str(q): v for q, v in values["network"].items()}
    outputs = [network["a_0(2)"], network["a_1(2)"]]
    assert sum(outputs) == pytest.approx(1.0) and outputs[1] < 0.2  # softmax, wrong about y = (0, 1)


def test_drawn_examples_are_targets_the_cost_takes(write_config):
    path = write_config('[network]\noutput = "softmax"\ncost = "cross_entropy"\nsizes = [2, 3, 4]\n'
                        'target = [0.1, 0.2, 0.3, 0.4]\nfocus = [3, 1]\nexamples = 8\nseed = 5\n')
    X, Y = network_examples_of(load_config(path).network)
    assert Y.shape == (9, 4) and np.allclose(Y.sum(axis=1), 1.0)
    assert np.all(np.isin(Y[1:], (0.0, 1.0))) and len({tuple(r) for r in Y[1:]}) > 1  # one-hot, not all alike


def test_init_writes_an_example_by_name(tmp_path):
    result = run([str(BIN / "backprop"), "init", "--example", "cross_entropy"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = tmp_path / "cross_entropy.toml"
    assert written.read_text() == CROSS_ENTROPY_TOML.read_text()
    cfg = load_config(written)
    assert (cfg.chain.cost, cfg.network.output, cfg.network.cost) == ("cross_entropy", "softmax", "cross_entropy")
    result = run([str(BIN / "backprop"), "init", str(tmp_path / "mine.toml"), "--example", "hinge"])
    assert result.returncode == 2 and result.stdout == "" and not (tmp_path / "mine.toml").exists()
    assert result.stderr.splitlines() == [
        "backprop: error: --example: unknown example 'hinge'; known: default, cross_entropy"]


def test_practice_with_the_cross_entropy_follows_the_cost(tmp_path):
    """A class drawn from the cross-entropy config: valid configs, every answer and operand as
    autograd has it, the cancelled output error asked for, and every answer in the typeset key."""
    from test_exercises import pdf_text, tokens

    from backprop.worksheet import answers_pdf, worksheet_source
    from lessonmodel.fmt import format_number
    from lessonmodel.practice import Combine, class_configs, config_toml, questions_of

    configs = class_configs(load_config(CROSS_ENTROPY_TOML), students=2, seed=4)
    for cfg in configs:
        path = tmp_path / f"{cfg.path}.toml"
        path.write_text(config_toml(cfg))
        again = load_config(path)  # valid for its cost: a one-hot softmax target
        assert again.network == cfg.network and again.chain == cfg.chain and sum(cfg.network.target) == 1.0
        oracles = chain_oracle(read_config(path)), network_oracle(read_config(path))
        questions = questions_of(again)
        for i, question in enumerate(questions):
            for answer in question.answers:
                for name, value in [(answer.name, answer.value)] + [(o.name, o.value) for o in answer.operands]:
                    assert value == pytest.approx(float(oracles[i >= 5](str(name))), rel=1e-9, abs=1e-12), name
        errors = [str(a.name) for q in questions for a in q.answers if a.combine == Combine.OUTPUT_ERROR]
        assert "dC0/dz(3)" in errors and f"dC0/dz_{cfg.network.focus[0]}(2)" in errors
        assert "cost: binary cross-entropy" in worksheet_source(cfg, cfg.path)
    (tmp_path / "answers.pdf").write_bytes(answers_pdf(configs))
    key = tokens(pdf_text(tmp_path / "answers.pdf"))
    for cfg in configs:
        for question in questions_of(cfg):
            for answer in question.answers:
                text = format_number(answer.value, 4)
                assert text in key or "e" in text, answer.name


def test_the_handouts_first_page_names_the_cost_and_the_output():
    from backprop.assemble import values_json
    from backprop.handout import handout_source

    source = handout_source([], values_json(load_config(CROSS_ENTROPY_TOML), [], {}, {}, [], {}), {})
    chain, network = (source.split(f'=== #"[{s}]"')[1].split("===")[0] for s in ("chain", "network"))
    assert '[#"cost"], [#"cross_entropy"]' in chain
    assert '[#"output"], [#"softmax"]' in network and '[#"cost"], [#"cross_entropy"]' in network


SQUARED_WORDS = re.compile(r"\)\^2|(?<![\w.])2\(")  # (a - y)^2 and 2(a - y): the squared error's C0 and ∂C0/∂a


@pytest.fixture(scope="module")
def cross_entropy_oracle():
    """torch's value of every name the cross-entropy config's lesson shows: the chain's, and the
    network's with its descent (C0 names the cost of either's example)."""
    cfg = load_config(CROSS_ENTROPY_TOML)
    values = {section: {str(q): v for q, v in named.items()} for section, named in lesson_values(cfg).items()}
    return {"chain": expected_chain(cfg, values),
            "network": expected_network(cfg, values["network"]) | expected_descent(cfg, values["network"])}


@pytest.mark.parametrize("name", list(scenes.LESSON))
def test_every_scene_teaches_the_configs_own_cost(name, cross_entropy_oracle, tmp_path, monkeypatch):
    """Rendered with the cross-entropy config, a scene shows torch's numbers under the
    cross-entropy, writes no squared-error formula (no (a - y)^2, no 2(a - y)) in its cues or in its
    formulas but the one labelled so (ChainRule's side-by-side of the two costs), and its printed
    arithmetic checks out by hand."""
    scene = render_scene(name, tmp_path, CROSS_ENTROPY_TOML, monkeypatch, movie=False)
    oracle = cross_entropy_oracle["chain" if isinstance(scene, ChainScene) else "network"]
    for quantity, text in scene.shown:
        sci = scene.digits.sci(quantity) if scene.digits else 1
        want = typst_number(oracle[str(quantity)], scene.decimals(quantity), sci)
        assert text == want, quantity
    said = [cue.text for idea in scene.ideas for cue in idea.cues]
    assert [text for text in said if SQUARED_WORDS.search(text)] == []
    squared = [f.source for f in scene.formulas if re.search(r"\)\^2|(?<![\w.])2 *\(", f.source)]
    assert [source for source in squared if '"squared error:"' not in source] == []  # but the side-by-side
    assert caption_problems(scene) == [] and unseen_problems(scene) == []
    problems, _ = record_problems(scene)
    assert problems == []
    if name == "ChainRule":  # the slope cancels, in an idea of its own, beside the squared error's push
        ideas = [idea.name for idea in scene.ideas]
        assert ideas.index("slope_cancels") == ideas.index("activation_factor") + 1
        shown = dict(scene.shown)
        assert {"dC0/dz(3)", "dC0/dz(3) | squared"} <= {str(q) for q in shown}
