"""The costs and outputs of nncore against torch's autograd (float64) and exact arithmetic.

Every cost/output pair on hypothesis-drawn networks: the cost, every gradient and every
intermediate against torch; the chain-rule helpers against the backward pass; finite differences;
near saturation (a(L) within 1e-12 of 0 or 1, z(L) = ±1000) against decimal arithmetic at 50
digits, with every floating-point warning an error.
"""

from __future__ import annotations

import doctest
import re
import warnings
from contextlib import contextmanager
from decimal import Decimal, localcontext

import numpy as np
import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import nncore
from nncore import Network

HIDDEN = ["sigmoid", "relu", "tanh"]
# (output, cost) pairs a network takes; None: the output is the hidden activation
HEADS = [(None, "squared"), ("sigmoid", "squared"), ("tanh", "squared"), ("relu", "squared"),
         ("softmax", "squared"), ("sigmoid", "cross_entropy"), ("softmax", "cross_entropy")]
TORCH_OUTPUT = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu,
                "softmax": lambda z: torch.softmax(z, dim=-1)}
TORCH_COST = {  # C_k of each row, written from a (not from z): an independent formula
    "squared": lambda a, y: ((a - y) ** 2).sum(-1),
    "binary_cross_entropy": lambda a, y: -(y * torch.log(a) + (1 - y) * torch.log(1 - a)).sum(-1),
    "cross_entropy": lambda a, y: -(y * torch.log(a)).sum(-1),
}


@st.composite
def problems(draw, batch: bool, heads=HEADS):
    """A network of any hidden activation and any (output, cost) pair, with inputs and targets the
    cost takes: in [0, 1] (summing to 1 for softmax with cross-entropy)."""
    output, cost = draw(st.sampled_from(heads))
    hidden = draw(st.sampled_from(HIDDEN))
    sizes = draw(st.lists(st.integers(1, 4), min_size=1, max_size=3))
    sizes.append(draw(st.integers(2 if output == "softmax" else 1, 4)))
    seed = draw(st.integers(0, 2**31))
    net = Network.random(sizes, seed, hidden, output=output, cost=cost)
    rng = np.random.default_rng(seed + 1)
    n = draw(st.integers(1, 4)) if batch else 1
    X = rng.uniform(-1, 1, (n, sizes[0]))
    Y = rng.uniform(0, 1, (n, sizes[-1]))
    if (output, cost) == ("softmax", "cross_entropy"):
        Y /= Y.sum(axis=1, keepdims=True)
    return (net, X, Y) if batch else (net, X[0], Y[0])


def torch_pass(net: Network, X: np.ndarray, Y: np.ndarray):
    """The average cost of the batch (X, Y) in torch, and the tensors whose .grad it fills: the
    weights, biases, each a(l) and each z(l) (l >= 1)."""
    W = [torch.tensor(w, dtype=torch.float64, requires_grad=True) for w in net.weights]
    B = [torch.tensor(b, dtype=torch.float64, requires_grad=True) for b in net.biases]
    a = [torch.tensor(X, dtype=torch.float64, requires_grad=True)]
    z = [a[0]]
    for l, (w, b) in enumerate(zip(W, B), start=1):
        z.append(a[-1] @ w.T + b)
        name = net.output_activation.name if l == net.depth else net.activation.name
        a.append(TORCH_OUTPUT[name](z[-1]))
        z[-1].retain_grad()
        a[-1].retain_grad()
    cost = TORCH_COST[net.cost_function.name](a[-1], torch.tensor(Y, dtype=torch.float64)).mean()
    cost.backward()
    return cost.item(), W, B, a, z


def flat(arrays) -> np.ndarray:
    return np.concatenate([np.ravel(v) for v in arrays])


def away_from_kinks(net: Network, X) -> bool:
    """ReLU is not differentiable at z = 0: finite differences need some room there."""
    relu = [l for l in range(1, net.depth + 1) if net.layer_activation(l).name == "relu"]
    return all(np.min(np.abs(net.forward(X).z[l])) > 1e-3 for l in relu)


@settings(max_examples=40, deadline=None)
@given(problems(batch=False))
def test_one_example_matches_torch_in_every_value(problem):
    net, x, y = problem
    cost, W, B, a, z = torch_pass(net, x[None, :], y[None, :])
    fwd, grads = net.forward(x), net.backward(x, y)
    assert net.cost(x, y) == pytest.approx(cost, rel=1e-12, abs=1e-14)
    for l in range(net.depth + 1):
        np.testing.assert_allclose(fwd.a[l], a[l].detach().numpy()[0], rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(grads.activations[l], a[l].grad.numpy()[0], rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(grads.z[l], z[l].grad.numpy()[0], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(flat(grads.weights + grads.biases), flat([t.grad for t in W + B]), rtol=1e-9, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(problems(batch=True))
def test_a_batch_matches_torch_and_is_the_mean_of_its_examples(problem):
    net, X, Y = problem
    cost, W, B, _, _ = torch_pass(net, X, Y)
    grads = net.backward(X, Y)
    assert net.cost(X, Y) == pytest.approx(cost, rel=1e-12, abs=1e-14)
    np.testing.assert_allclose(flat(grads.weights + grads.biases), flat([t.grad for t in W + B]), rtol=1e-9, atol=1e-12)
    for k, (x, y) in enumerate(zip(X, Y)):
        one = net.backward(x, y)
        np.testing.assert_allclose(flat(grads.per_example[k].z), flat(one.z), rtol=1e-12, atol=1e-15)
    assert net.cost(X, Y) == pytest.approx(np.mean([net.cost(x, y) for x, y in zip(X, Y)]), rel=1e-12)


@settings(max_examples=25, deadline=None)
@given(st.booleans().flatmap(lambda batch: problems(batch=batch)))
def test_finite_differences_of_every_cost_match_torch_and_backward(problem):
    """nncore.numerical_gradients (central differences of cost_along, not backward) against torch,
    and gradient_check's backward-against-differences."""
    net, X, Y = problem
    assume(away_from_kinks(net, X))
    _, W, B, _, _ = torch_pass(net, np.atleast_2d(X), np.atleast_2d(Y))
    dw, db = nncore.numerical_gradients(net, X, Y)
    np.testing.assert_allclose(flat(dw + db), flat([t.grad for t in W + B]), rtol=0, atol=1e-6)
    assert nncore.gradient_check(net, X, Y) < 1e-6


@settings(max_examples=40, deadline=None)
@given(problems(batch=False), st.data())
def test_chain_rule_helpers_follow_the_cost(problem, data):
    """The factors multiply to the backward pass's gradients (a softmax layer has none: ValueError),
    the path terms sum to ∂C0/∂a_k(l-1), and a nudge's derivative is the slope of cost_along."""
    net, x, y = problem
    grads = net.backward(x, y)
    l = data.draw(st.integers(1, net.depth))
    j = data.draw(st.integers(0, net.sizes[l] - 1))
    k = data.draw(st.integers(0, net.sizes[l - 1] - 1))
    if net.layer_activation(l) is nncore.SOFTMAX:
        for factors in (nncore.weight_factors, nncore.previous_activation_factors):
            with pytest.raises(ValueError, match="softmax"):
                factors(net, x, y, l, j, k)
    else:
        w = nncore.weight_factors(net, x, y, l, j, k)
        assert w.product == pytest.approx(grads.weights[l - 1][j, k], rel=1e-12, abs=1e-15)
        assert w.dc_dz == pytest.approx(grads.z[l][j], rel=1e-12, abs=1e-15)
        b = nncore.bias_factors(net, x, y, l, j)
        assert b.product == pytest.approx(grads.biases[l - 1][j], rel=1e-12, abs=1e-15)
        assert (w.output_error is not None) == (l == net.depth and net.slope_cancels)
    terms = nncore.path_terms(net, x, y, l, k)
    assert terms.sum() == pytest.approx(grads.activations[l - 1][k], rel=1e-9, abs=1e-14)
    assume(away_from_kinks(net, x))
    site = nncore.ActivationAt(l - 1, k)
    n = nncore.nudge(net, x, y, 1e-6, site)
    value = float(nncore.value_at(net, n.before, site))
    up, down = nncore.cost_along(net, x, y, site, [value + 1e-6, value - 1e-6])
    assert n.derivative == pytest.approx((up - down) / 2e-6, abs=1e-6)


@pytest.mark.parametrize("output", ["softmax", "sigmoid", "tanh"])
def test_a_nudge_of_the_output_itself_is_costed_from_the_output(output):
    """Setting a_j(L) keeps z(L) (resume): the cost of that pass comes from a(L), not from z(L)."""
    cost = "cross_entropy" if output != "tanh" else "squared"
    net = Network.random([2, 3], 4, "tanh", output=output, cost=cost)
    x = np.array([0.3, -0.6])
    y = np.array([0.2, 0.5, 0.3])
    n = nncore.nudge(net, x, y, 1e-7, nncore.ActivationAt(1, 1))
    assert n.cost_after == pytest.approx(float(TORCH_COST[net.cost_function.name](
        torch.tensor(n.after.output), torch.tensor(y))), rel=1e-12)
    assert n.ratio == pytest.approx(n.derivative, rel=1e-5)


@pytest.mark.parametrize("layer", [1, 2, 3])
@pytest.mark.parametrize("parameter", ["weight", "bias"])
def test_cross_entropy_chain_path_ends_in_the_error(layer, parameter):
    """Binary cross-entropy on the chain: the path's last factor is a(L) - y, the two factors
    σ'(z(L)) and ∂C0/∂a(L) cancelled, and the factors multiply to the gradient."""
    net = Network.chain([0.7, -1.3, 2.1], [0.2, 0.4, -0.5], cost="cross_entropy")
    factors = nncore.chain_path_factors(net, [0.6], [0.9], layer, parameter)
    assert [f.kind for f in factors][-2:] == (["dz/db" if parameter == "bias" else "dz/dw", "dC/dz"]
                                               if layer == 3 else ["dz/da", "dC/dz"])
    assert len(factors) == 2 * (3 - layer) + 2
    assert factors[-1].value == float(net.forward([0.6]).output[0] - 0.9)
    grads = net.backward([0.6], [0.9])
    want = grads.weights[layer - 1][0, 0] if parameter == "weight" else grads.biases[layer - 1][0]
    assert np.prod([f.value for f in factors]) == pytest.approx(want, rel=1e-12)


def test_sigmoid_and_cross_entropy_cancel_to_the_error():
    """The numbers the lesson shows: σ'(z(L)), ∂C0/∂a(L) and their product a(L) - y, which is the
    backward pass's ∂C0/∂z(L) to the last bit; the squared error's does not cancel."""
    net = Network.chain([-0.90, -2.49, 0.91], [-0.31, 0.73, 0.22], cost="cross_entropy")
    a = float(net.forward([0.5]).output[0])
    f = nncore.weight_factors(net, [0.5], [1.0])
    assert f.da_dz == pytest.approx(a * (1 - a), rel=1e-12)
    assert f.dc_da == pytest.approx(-1 / a, rel=1e-12)  # (a - y) / (a (1 - a)) with y = 1
    assert f.da_dz * f.dc_da == pytest.approx(a - 1.0, rel=1e-12)
    assert f.output_error == a - 1.0 == f.dc_dz == float(net.backward([0.5], [1.0]).z[3][0])
    assert f.product == f.first * (a - 1.0)
    squared = Network.chain([-0.90, -2.49, 0.91], [-0.31, 0.73, 0.22])
    assert not squared.slope_cancels and nncore.weight_factors(squared, [0.5], [1.0]).output_error is None
    assert net.slope_cancels and nncore.CROSS_ENTROPY.cancels == "softmax"


def test_softmax_jacobian_is_torchs_and_its_diagonal_is_the_slope():
    z = np.array([[0.3, -1.2, 2.0, 0.1], [5.0, 5.0, -3.0, 0.0]])
    a = nncore.softmax(z)
    for row in range(2):
        want = torch.autograd.functional.jacobian(lambda t: torch.softmax(t, dim=-1), torch.tensor(z[row]))
        np.testing.assert_allclose(nncore.softmax_jacobian(a[row]), want.numpy(), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(np.diagonal(nncore.softmax_jacobian(a), axis1=-2, axis2=-1), nncore.SOFTMAX.prime(z))
    net = Network.random([2, 4], 1, output="softmax")
    fwd = net.forward([0.5, -0.5])
    np.testing.assert_array_equal(fwd.slopes[1], fwd.output * (1 - fwd.output))
    assert fwd.output.sum() == pytest.approx(1.0, rel=1e-15)


@pytest.mark.parametrize("head", [("sigmoid", "cross_entropy"), ("softmax", "cross_entropy"), ("softmax", "squared")])
def test_descent_lowers_every_cost(head):
    output, cost = head
    net = Network.random([3, 3, 2], 2, output=output, cost=cost)
    X, Y = np.array([[0.1, 0.5, 0.9], [0.7, 0.2, 0.4]]), np.array([[0.0, 1.0], [1.0, 0.0]])
    history = nncore.gradient_descent(net, X, Y, learning_rate=1.0, steps=30)
    assert history.costs[-1] < history.costs[0] / 2
    assert all(b <= a for a, b in zip(history.costs, history.costs[1:]))
    last = history.networks[-1]
    assert (last.output_activation, last.cost_function) == (net.output_activation, net.cost_function)


def test_the_defaults_are_the_classic_network():
    """No output and no cost: one activation and the squared error, which the general backward pass
    reproduces to the last bit (the lines GeneralRecursion shows are that pass for this network)."""
    net = Network.random([3, 4, 2], 7, "tanh")
    assert net.output_activation is net.activation and net.cost_function == nncore.SQUARED_ERROR
    assert repr(net) == "Network(sizes=[3, 4, 2], activation='tanh')"
    X, Y = np.random.default_rng(0).uniform(-1, 1, (3, 3)), np.random.default_rng(1).uniform(-1, 1, (3, 2))
    classic = net.backward(X, Y)
    general = net._gradients(*net._from_output(net._from_input(X), Y), False)
    for got, want in zip(flat(general.weights + general.biases + general.activations + general.z),
                         flat(classic.weights + classic.biases + classic.activations + classic.z)):
        assert got == want
    assert net.cost(X, Y) == nncore.cost_of_outputs(net.forward(X).output, Y)


# --- near saturation: exact values from decimal arithmetic ------------------------------------


@contextmanager
def strict():
    """Every floating-point warning (overflow, division by zero, invalid) an error."""
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        yield


def exact_sigmoid_head(z: float, y: float) -> dict[str, Decimal]:
    """C0, ∂C0/∂a and ∂C0/∂z of one sigmoid output under binary cross-entropy, at 50 digits."""
    with localcontext() as ctx:
        ctx.prec = 50
        z, y = Decimal(z), Decimal(y)
        a = 1 / (1 + (-z).exp())
        one_minus_a = 1 / (1 + z.exp())
        cost = -(y * a.ln() + (1 - y) * one_minus_a.ln())
        return {"cost": cost, "dc_da": (1 - y) / one_minus_a - y / a, "dc_dz": a - y}


def exact_softmax_head(z: list[float], y: list[float]) -> dict[str, list[Decimal]]:
    with localcontext() as ctx:
        ctx.prec = 50
        z, y = [Decimal(v) for v in z], [Decimal(v) for v in y]
        total = sum(v.exp() for v in z)
        a = [v.exp() / total for v in z]
        cost = -sum(t * p.ln() for t, p in zip(y, a) if t)
        return {"cost": cost, "dc_da": [-t / p for t, p in zip(y, a)], "dc_dz": [p - t for p, t in zip(a, y)]}


def close(got: float, want: Decimal, rel: float = 1e-12, abs_: float = 1e-300) -> bool:
    if abs(want) > Decimal(np.finfo(float).max):  # beyond the float range: ±inf is the answer
        return np.isinf(got) and (got > 0) == (want > 0)
    return abs(Decimal(got) - want) <= max(Decimal(rel) * abs(want), Decimal(abs_))


@pytest.mark.parametrize("z_out", [1000.0, -1000.0, 27.7, -27.7, 36.0])  # σ(±27.7) within 1e-12 of 1 and 0
@pytest.mark.parametrize("y", [0.0, 1.0, 0.3])
def test_sigmoid_cross_entropy_near_saturation(z_out, y):
    net = Network.chain([0.8, 1.5], [-0.2, 0.0], cost="cross_entropy")
    a1 = float(net.forward([0.4]).a[1][0])
    net = net.with_parameter(nncore.BiasAt(2), z_out - 1.5 * a1)  # z(2) near z_out
    with strict():
        fwd, grads, cost = net.forward([0.4]), net.backward([0.4], [y]), net.cost([0.4], [y])
        factors = nncore.weight_factors(net, [0.4], [y])
        path = nncore.chain_path_factors(net, [0.4], [y], 1)
    exact = exact_sigmoid_head(float(fwd.z[2][0]), y)
    assert close(cost, exact["cost"]) and close(float(grads.activations[2][0]), exact["dc_da"], rel=1e-9)
    assert grads.z[2][0] == fwd.a[2][0] - y and close(float(grads.z[2][0]), exact["dc_dz"], rel=1e-12, abs_=1e-16)
    finite = grads.weights + grads.biases + grads.z + grads.activations[:2] + [fwd.z[2], fwd.a[2], fwd.slopes[2]]
    assert all(np.all(np.isfinite(v)) for v in finite)
    assert np.isfinite(factors.product) and factors.product == grads.weights[1][0, 0]
    assert np.prod([f.value for f in path]) == pytest.approx(grads.weights[0][0, 0], rel=1e-12, abs=1e-300)
    if abs(z_out) < 30:  # a(L) within 1e-12 of 0 or 1: ∂C0/∂a(L) is finite too
        assert min(fwd.a[2][0], 1 - fwd.a[2][0]) < 1e-12 and np.isfinite(grads.activations[2][0])


@pytest.mark.parametrize("z", [[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 0.0], [27.7, 0.0, -27.7]])
@pytest.mark.parametrize("y", [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.2, 0.3, 0.5]])
def test_softmax_cross_entropy_near_saturation(z, y):
    net = Network([np.eye(3), np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])],
                  [np.zeros(3), np.zeros(3)], "relu", output="softmax", cost="cross_entropy")
    x = np.maximum(z, 0.0)  # relu passes the positive parts; the negative ones come from the bias
    net = net.with_parameters(net.weights, [np.zeros(3), np.minimum(z, 0.0)])
    with strict():
        fwd, grads, cost = net.forward(x), net.backward(x, y), net.cost(x, y)
        terms = nncore.path_terms(net, x, y, 2, 0)
    exact = exact_softmax_head(list(fwd.z[2]), y)
    assert close(cost, exact["cost"])
    assert all(close(float(g), e, rel=1e-9) for g, e in zip(grads.activations[2], exact["dc_da"]))
    assert all(close(float(g), e, rel=1e-12, abs_=1e-16) for g, e in zip(grads.z[2], exact["dc_dz"]))
    finite = grads.weights + grads.biases + grads.z + grads.activations[:2] + [terms]
    assert all(np.all(np.isfinite(v)) for v in finite)


def test_cost_of_a_saturated_output_without_z_is_still_finite():
    """From a(L) alone (after a(L) itself was set) a within 1e-12 of 0 or 1 gives finite values."""
    with strict():
        a = np.array([1e-13, 1 - 1e-13])
        values = [nncore.BINARY_CROSS_ENTROPY.value(a, [1.0, 0.0]), nncore.BINARY_CROSS_ENTROPY.value(a, [0.0, 1.0])]
        derivatives = nncore.BINARY_CROSS_ENTROPY.derivative(a, [1.0, 0.3])
        softmax = nncore.CROSS_ENTROPY.value([1e-13, 1 - 1e-13], [0.0, 1.0])
    assert np.isfinite(values + [softmax]).all() and np.isfinite(derivatives).all()
    assert values[0] == pytest.approx(-2 * np.log(1e-13), rel=1e-3) and values[1] == pytest.approx(0, abs=1e-12)


@pytest.mark.parametrize("cost", list(nncore.COSTS.values()), ids=list(nncore.COSTS))
def test_from_a_or_from_z_a_cost_gives_the_same_numbers(cost):
    """Away from saturation the logs from z(L) and from a(L) alone agree (the nudge of a(L) itself
    uses the second)."""
    z = np.random.default_rng(3).uniform(-4, 4, (5, 3))
    output = nncore.SOFTMAX if cost.outputs == ("softmax",) else nncore.get_activation("sigmoid")
    a, y = output(z), nncore.softmax(np.random.default_rng(4).uniform(-1, 1, (5, 3)))
    np.testing.assert_allclose(cost.terms(a, y), cost.terms(a, y, z), rtol=1e-12)
    np.testing.assert_allclose(cost.derivative(a, y), cost.derivative(a, y, z), rtol=1e-11)
    assert cost.value(a, y, z) == pytest.approx(np.mean(cost.per_example(a, y, z)), rel=1e-15)


@pytest.mark.parametrize("module", [nncore.cost, nncore.activations, nncore.chainrule], ids=lambda m: m.__name__)
def test_docstring_examples_run(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


# --- notation and errors ---------------------------------------------------------------------


def evaluate(text: str, a: float, y: float) -> float:
    """A notation's plain text as arithmetic: ln, ^, and juxtaposition meaning a product."""
    tokens = re.findall(r"\d+(?:\.\d+)?|ln|[ay]|[-+/^()]", text)
    out: list[str] = []
    for i, t in enumerate(tokens):
        prev = tokens[i - 1] if i else None
        if prev and (prev == ")" or re.fullmatch(r"[\day]+(?:\.\d+)?", prev)) and (t in ("(", "ln") or t in "ay"):
            out.append("*")
        out.append({"ln": "log", "^": "**"}.get(t, t))
        if t == "ln" and tokens[i + 1] != "(":  # ln a: of the next symbol alone
            out[-1] = "log"
            tokens[i + 1] = f"({tokens[i + 1]})"
    return float(eval("".join(out), {"log": np.log}, {"a": a, "y": y}))  # our own strings


@pytest.mark.parametrize("cost", list(nncore.COSTS.values()), ids=list(nncore.COSTS))
def test_each_cost_notation_is_its_math(cost):
    """The plain-text forms read back as numbers equal the cost's own term and derivative."""
    for a, y in [(0.3, 0.0), (0.8, 1.0), (0.45, 0.6)]:
        assert evaluate(cost.notation.cost, a, y) == pytest.approx(float(cost.terms([a], [y])[0]), rel=1e-12)
        assert evaluate(cost.notation.derivative, a, y) == pytest.approx(float(cost.derivative([a], [y])[0]), rel=1e-12)
        if cost.notation.output_error:
            assert evaluate(cost.notation.output_error, a, y) == pytest.approx(a - y)
    assert not re.search(r"[#$\\]", "".join(filter(None, vars(cost.notation).values())))  # no Typst, no TeX


@pytest.mark.parametrize("cost", list(nncore.COSTS.values()), ids=list(nncore.COSTS))
def test_the_lessons_cost_notation_is_the_costs_math(cost):
    """The lesson's typed formulas of each cost, in words, read back as numbers: with symbols and
    with values put in, they are the cost's own term, derivative and output error."""
    from lessonmodel.formula import Num, Sym, words
    from lessonmodel.notation import cost_notation

    notation = cost_notation(cost)
    assert cost_notation(cost.name) is notation and notation.simplifies == (cost.cancels is not None)
    for a, y in [(0.3, 0.0), (0.8, 1.0), (0.45, 0.6)]:
        for left, right, at in [(Sym("a"), Sym("y"), (a, y)), (Num(None, a, 6), Num(None, y, 6), (0.0, 0.0))]:
            assert evaluate(words(notation.share(left, right)), *at) == pytest.approx(float(cost.terms([a], [y])[0]))
            assert evaluate(words(notation.derivative(left, right)), *at) == pytest.approx(
                float(cost.derivative([a], [y])[0]))
            if notation.simplifies:
                assert evaluate(words(notation.output_error(left, right)), *at) == pytest.approx(a - y)
        pairs = [(Num(None, a, 6), Num(None, y, 6)), (Num(None, 1 - a, 6), Num(None, 1 - y, 6))]
        assert evaluate(words(notation.written_out(pairs)), 0, 0) == pytest.approx(
            cost.per_example([a, 1 - a], [y, 1 - y]))
    assert (notation.output_error(Sym("a"), Sym("y")) is None) == (cost.cancels is None)


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: Network.chain([1.0], [1.0], "tanh", cost="cross_entropy"), "cross-entropy needs a sigmoid or softmax"),
        (lambda: Network.chain([1.0], [1.0], output="relu", cost="cross_entropy"), "got relu"),
        (lambda: Network.chain([1.0], [1.0], cost="hinge"), "unknown cost 'hinge'"),
        (lambda: Network.chain([1.0], [1.0], output="softplus"), "unknown output 'softplus'"),
        (lambda: Network.chain([1.0], [1.0], output="softmax"), "softmax output needs at least 2 neurons"),
        (lambda: Network.random([2, 2], 0, cost=nncore.CROSS_ENTROPY), "cross-entropy needs a softmax output"),
        (lambda: Network.random([2, 2], 0, output="softmax", cost=nncore.BINARY_CROSS_ENTROPY), "needs a sigmoid"),
        (lambda: Network.chain([1.0], [1.0], cost="cross_entropy").cost([0.0], [1.5]), r"\[0, 1\].* got 1.5"),
        (lambda: Network.chain([1.0], [1.0], cost="cross_entropy").backward([0.0], [-0.5]), "got -0.5"),
        (lambda: Network.random([2, 2], 0, output="softmax", cost="cross_entropy").cost([0, 0], [0.5, 0.4]),
         "sum to 1.*got 0.9"),
        (lambda: Network.random([2, 2], 0, output="softmax", cost="cross_entropy").backward(
            [[0, 0], [1, 1]], [[0.5, 0.5], [0.7, 0.7]]), "sum to 1.*got 1.4"),
        (lambda: nncore.weight_factors(Network.random([2, 2], 0, output="softmax"), [0, 0], [0, 1]), "softmax"),
    ],
)
def test_a_bad_cost_or_target_is_a_one_line_value_error(build, message):
    with pytest.raises(ValueError, match=message) as error:
        build()
    assert "\n" not in str(error.value)
