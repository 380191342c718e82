"""nncore against central finite differences and an independent autodiff (autograd)."""

from __future__ import annotations

import doctest
import warnings

import autograd
import autograd.numpy as anp
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import nncore
from nncore import Network

ACTIVATIONS = ["sigmoid", "relu", "tanh"]
AUTOGRAD_ACT = {
    "sigmoid": lambda z: 1 / (1 + anp.exp(-z)),
    "relu": lambda z: anp.maximum(0.0, z),
    "tanh": anp.tanh,
}


def reference_cost(net: Network, X, Y):
    """The average cost as a function of a flat parameter vector, written with autograd."""
    shapes = [w.shape for w in net.weights] + [b.shape for b in net.biases]
    sizes = [int(np.prod(s)) for s in shapes]
    act = AUTOGRAD_ACT[net.activation.name]

    def cost(theta):
        parts, start = [], 0
        for shape, size in zip(shapes, sizes):
            parts.append(anp.reshape(theta[start : start + size], shape))
            start += size
        ws, bs = parts[: net.depth], parts[net.depth :]
        a = X
        for w, b in zip(ws, bs):
            a = act(anp.dot(a, w.T) + b)
        return anp.mean(anp.sum((a - Y) ** 2, axis=1))

    theta = np.concatenate([w.ravel() for w in net.weights] + [b.ravel() for b in net.biases])
    return cost, theta


def flat(grads: nncore.Gradients) -> np.ndarray:
    return np.concatenate([w.ravel() for w in grads.weights] + [b.ravel() for b in grads.biases])


@st.composite
def problems(draw, batch: bool):
    sizes = draw(st.lists(st.integers(1, 4), min_size=2, max_size=4))
    activation = draw(st.sampled_from(ACTIVATIONS))
    seed = draw(st.integers(0, 2**31))
    net = Network.random(sizes, seed, activation)
    rng = np.random.default_rng(seed + 1)
    n = draw(st.integers(1, 5)) if batch else 1
    X = rng.uniform(-1, 1, (n, sizes[0]))
    Y = rng.uniform(0, 1, (n, sizes[-1]))
    if not batch:
        X, Y = X[0], Y[0]
    return net, X, Y


def away_from_kinks(net: Network, X) -> bool:
    """ReLU is not differentiable at z = 0: finite differences need some room there."""
    if net.activation.name != "relu":
        return True
    return all(np.min(np.abs(z)) > 1e-3 for z in net.forward(X).z[1:])


@settings(max_examples=60, deadline=None)
@given(problems(batch=False))
def test_single_example_matches_autograd(problem):
    net, x, y = problem
    cost, theta = reference_cost(net, x[None, :], y[None, :])
    assert net.cost(x, y) == pytest.approx(float(cost(theta)), rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(flat(net.backward(x, y)), autograd.grad(cost)(theta), rtol=1e-9, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(problems(batch=True))
def test_batch_matches_autograd_and_is_the_mean(problem):
    net, X, Y = problem
    cost, theta = reference_cost(net, X, Y)
    grads = net.backward(X, Y)
    np.testing.assert_allclose(flat(grads), autograd.grad(cost)(theta), rtol=1e-9, atol=1e-12)
    assert len(grads.per_example) == len(X)
    for k, (x, y) in enumerate(zip(X, Y)):
        np.testing.assert_allclose(flat(grads.per_example[k]), flat(net.backward(x, y)), rtol=1e-12, atol=1e-15)
    mean = np.mean([flat(g) for g in grads.per_example], axis=0)
    np.testing.assert_allclose(flat(grads), mean, rtol=1e-12, atol=1e-15)
    for l in range(net.depth + 1):
        np.testing.assert_allclose(grads.activations[l], np.mean([g.activations[l] for g in grads.per_example], axis=0))


@settings(max_examples=40, deadline=None)
@given(st.booleans().flatmap(lambda batch: problems(batch=batch)))
def test_gradients_match_finite_differences(problem):
    net, X, Y = problem
    assume(away_from_kinks(net, X))
    assert nncore.gradient_check(net, X, Y) < 1e-6


@settings(max_examples=40, deadline=None)
@given(problems(batch=False))
def test_activation_gradients_match_finite_differences(problem):
    net, x, y = problem
    assume(away_from_kinks(net, x))
    grads = net.backward(x, y)
    eps = 1e-6
    for k in range(len(x)):
        up, down = x.copy(), x.copy()
        up[k] += eps
        down[k] -= eps
        numeric = (net.cost(up, y) - net.cost(down, y)) / (2 * eps)
        assert grads.activations[0][k] == pytest.approx(numeric, abs=1e-6)
    np.testing.assert_array_equal(grads.z[0], grads.activations[0])


@settings(max_examples=40, deadline=None)
@given(problems(batch=False), st.data())
def test_chain_rule_factors_and_path_terms(problem, data):
    net, x, y = problem
    grads = net.backward(x, y)
    l = data.draw(st.integers(1, net.depth))
    j = data.draw(st.integers(0, net.sizes[l] - 1))
    k = data.draw(st.integers(0, net.sizes[l - 1] - 1))
    w = nncore.weight_factors(net, x, y, l, j, k)
    assert w.product == pytest.approx(grads.weights[l - 1][j, k], rel=1e-12, abs=1e-15)
    b = nncore.bias_factors(net, x, y, l, j)
    assert b.first == 1.0
    assert b.product == pytest.approx(grads.biases[l - 1][j], rel=1e-12, abs=1e-15)
    p = nncore.previous_activation_factors(net, x, y, l, j, k)
    assert p.first == net.weights[l - 1][j, k]
    terms = nncore.path_terms(net, x, y, l, k)
    assert terms.shape == (net.sizes[l],)
    assert terms[j] == pytest.approx(p.product, rel=1e-12, abs=1e-15)
    assert terms.sum() == pytest.approx(grads.activations[l - 1][k], rel=1e-9, abs=1e-15)


def test_last_layer_factors_are_the_lesson_formulas():
    net = Network.random([2, 3, 2], 5)
    x, y = np.array([0.3, 0.9]), np.array([0.0, 1.0])
    fwd = net.forward(x)
    f = nncore.weight_factors(net, x, y, None, 1, 2)
    assert f.first == fwd.a[1][2]  # ∂z/∂w = a_k(L-1)
    assert f.da_dz == pytest.approx(fwd.a[2][1] * (1 - fwd.a[2][1]))  # σ'(z) = σ(1 - σ)
    assert f.dc_da == pytest.approx(2 * (fwd.a[2][1] - y[1]))  # 2(a_j(L) - y_j)
    assert nncore.cost_derivative(fwd.a[2], y) == pytest.approx(2 * (fwd.a[2] - y))


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("l", [1, 2, 3])
@pytest.mark.parametrize("parameter", ["weight", "bias"])
def test_chain_path_factors_multiply_to_the_gradient(activation, l, parameter):
    net = Network.chain([0.7, -1.3, 2.1], [0.2, 0.4, -0.5], activation)
    factors = nncore.chain_path_factors(net, [0.6], [1.0], l, parameter)
    assert len(factors) == 2 * (3 - l) + 3
    grads = net.backward([0.6], [1.0])
    expected = grads.weights[l - 1][0, 0] if parameter == "weight" else grads.biases[l - 1][0]
    assert np.prod([f.value for f in factors]) == pytest.approx(expected, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("site", [nncore.WeightAt(3), nncore.BiasAt(3), nncore.WeightAt(1), nncore.ActivationAt(2)])
def test_nudge_ratio_approaches_the_derivative(site):
    net = Network.chain([-0.90, -2.49, 0.91], [-0.31, 0.73, 0.22])
    errors = []
    for delta in [0.5, 0.1, 0.01, 0.001]:
        n = nncore.nudge(net, [0.5], [1.0], delta, site)
        assert n.cost_change == pytest.approx(n.cost_after - n.cost_before)
        assert n.predicted_change == pytest.approx(n.derivative * delta)
        errors.append(abs(n.ratio - n.derivative))
    assert errors == sorted(errors, reverse=True)
    assert errors[-1] < 1e-3


@st.composite
def sites(draw, net: Network):
    """Any weight, bias or activation of ``net``, in the lesson's layer convention."""
    kind = draw(st.sampled_from([nncore.WeightAt, nncore.BiasAt, nncore.ActivationAt]))
    l = draw(st.integers(0 if kind is nncore.ActivationAt else 1, net.depth))
    j = draw(st.integers(0, net.sizes[l] - 1))
    if kind is nncore.WeightAt:
        return kind(l, j, draw(st.integers(0, net.sizes[l - 1] - 1)))
    return kind(l, j)


@settings(max_examples=60, deadline=None)
@given(problems(batch=False), st.data())
def test_one_nudge_api_matches_central_differences(problem, data):
    """The same call nudges a weight, a bias or an activation; its derivative is the backward
    pass's, and the slope of cost_along around the value is that derivative too."""
    net, x, y = problem
    assume(away_from_kinks(net, x))
    site = data.draw(sites(net))
    n = nncore.nudge(net, x, y, 1e-6, site)
    value = nncore.value_at(net, n.before, site)
    up, down = nncore.cost_along(net, x, y, site, [value + 1e-6, value - 1e-6])
    assert n.derivative == pytest.approx((up - down) / 2e-6, abs=1e-6)
    assert n.ratio == pytest.approx(n.derivative, abs=1e-4)
    assert n.cost_before == net.cost(x, y)
    assert nncore.cost_along(net, x, y, site, [value])[0] == pytest.approx(net.cost(x, y), rel=1e-12, abs=1e-15)


@settings(max_examples=40, deadline=None)
@given(problems(batch=True), st.data())
def test_resume_from_any_layer_is_the_forward_pass(problem, data):
    """Resuming the forward pass at layer l from its own a(l) gives the same pass; the slopes
    are σ'(z(l))."""
    net, X, _ = problem
    fwd = net.forward(X)
    l = data.draw(st.integers(0, net.depth))
    again = net.resume(fwd, l, fwd.a[l])
    for got, want in zip(again.z + again.a + again.slopes, fwd.z + fwd.a + fwd.slopes):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(fwd.slopes[0], np.ones_like(X))
    for l in range(1, net.depth + 1):
        np.testing.assert_array_equal(fwd.slopes[l], net.activation.prime(fwd.z[l]))


def test_with_parameter_changes_one_parameter_only():
    net = Network.random([2, 3, 2], 4)
    changed = net.with_parameter(nncore.WeightAt(2, 1, 2), 7.0)
    assert changed.parameter(nncore.WeightAt(2, 1, 2)) == 7.0 and net.parameter(nncore.WeightAt(2, 1, 2)) != 7.0
    diffs = [np.argwhere(a != b).tolist() for a, b in zip(changed.weights + changed.biases, net.weights + net.biases)]
    assert diffs == [[], [[1, 2]], [], []]
    assert net.with_parameter(nncore.BiasAt(1, 2), -1.0).biases[0][2] == -1.0


def test_the_cost_is_written_once():
    """Network.cost, nudges and cost_along all use cost_of_outputs: Σ_j (a_j - y_j)^2, averaged over a batch."""
    assert nncore.cost_of_outputs([0.5, 0.25], [1.0, 0.0]) == 0.25 + 0.0625
    assert nncore.cost_of_outputs([[0.5], [1.0]], [[0.0], [0.0]]) == (0.25 + 1.0) / 2


@pytest.mark.parametrize("module", [nncore.network, nncore.sensitivity], ids=lambda m: m.__name__)
def test_docstring_examples_run(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


def test_default_chain_reproduces_the_reference_numbers():
    """DESIGN.md's numbers of the classic lesson."""
    net = Network.chain([-0.90, -2.49, 0.91], [-0.31, 0.73, 0.22])
    fwd = net.forward([0.5])
    grads = net.backward([0.5], [1.0])
    assert round(float(fwd.a[2][0]), 2) == 0.48
    assert round(float(fwd.a[3][0]), 2) == 0.66
    assert round(net.cost([0.5], [1.0]), 3) == 0.116
    assert round(float(grads.weights[2][0, 0]), 3) == -0.074
    assert round(float(grads.biases[2][0]), 3) == -0.153
    assert round(float(grads.activations[2][0]), 3) == -0.139


def test_sigmoid_is_exact_and_quiet_at_extremes():
    with np.errstate(all="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        s = nncore.get_activation("sigmoid")
        assert s(np.array([1000.0, -1000.0])).tolist() == [1.0, 0.0]
        assert s.prime(np.array([1000.0, -1000.0])).tolist() == [0.0, 0.0]
        assert s(np.array([0.0]))[0] == 0.5


def test_relu_derivative_at_zero_is_zero():
    relu = nncore.get_activation("relu")
    assert relu.prime(np.array([-1.0, 0.0, 2.0])).tolist() == [0.0, 0.0, 1.0]


def test_gradient_descent_lowers_the_cost_and_keeps_history():
    net = Network.random([3, 3, 2], 2)
    x, y = np.array([0.1, 0.5, 0.9]), np.array([0.0, 1.0])
    history = nncore.gradient_descent(net, x, y, learning_rate=1.0, steps=20)
    assert history.steps == 20 and len(history.costs) == 21
    assert history.costs[0] == net.cost(x, y)
    assert history.costs[-1] < history.costs[0] / 2
    assert all(b <= a for a, b in zip(history.costs, history.costs[1:]))
    first = history.networks[1]
    grads = net.backward(x, y)
    np.testing.assert_allclose(first.weights[0], net.weights[0] - grads.weights[0])
    still = nncore.gradient_descent(net, x, y, learning_rate=0.0, steps=3)
    assert still.costs == [net.cost(x, y)] * 4
    assert nncore.gradient_descent(net, x, y, 1.0, 0).costs == [net.cost(x, y)]


@settings(max_examples=25, deadline=None)
@given(problems(batch=True), st.floats(0.05, 2.0))
def test_descent_on_a_batch_steps_down_the_average_cost(problem, learning_rate):
    """Each step of a batch's descent is θ - η ∂C/∂θ for the average cost C = (1/n) Σ_k C_k, its
    gradient measured by central differences of C (not by backward), and the history's costs are
    the averages of the examples' own costs."""
    net, X, Y = problem
    assume(away_from_kinks(net, X))
    history = nncore.gradient_descent(net, X, Y, learning_rate, 2)
    for before, after in zip(history.networks, history.networks[1:]):
        assume(away_from_kinks(before, X))
        dw, db = nncore.numerical_gradients(before, X, Y)
        for got, theta, g in zip(after.weights + after.biases, before.weights + before.biases, dw + db):
            # central differences carry a rounding error relative to the step's size (a ReLU step can
            # move a weight by 1000): the tolerance scales with it
            step = learning_rate * float(np.max(np.abs(g)))
            np.testing.assert_allclose(got, theta - learning_rate * g, rtol=0, atol=1e-6 * max(1.0, step))
    for step, network in enumerate(history.networks):
        own = [network.cost(x, y) for x, y in zip(X, Y)]
        assert history.costs[step] == pytest.approx(np.mean(own), rel=1e-12)


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: Network([np.ones((2, 3))], [np.ones(3)]), "rows"),
        (lambda: Network([np.ones((2, 3)), np.ones((2, 3))], [np.ones(2), np.ones(2)]), "columns"),
        (lambda: Network([np.ones((2, 3))], [np.ones(2), np.ones(2)]), "bias vectors"),
        (lambda: Network([np.array([[np.nan]])], [np.ones(1)]), "NaN or inf"),
        (lambda: Network([np.ones((1, 1))], [np.array([np.inf])]), "NaN or inf"),
        (lambda: Network([np.ones((1, 1))], [np.ones(1)], "softmax"), "unknown activation"),
        (lambda: Network([], []), "at least one layer"),
        (lambda: Network.random([3], 0), "sizes"),
        (lambda: Network.chain([1.0], [1.0]).forward([1.0, 2.0]), "input must have shape"),
        (lambda: Network.chain([1.0], [1.0]).forward([np.nan]), "NaN or inf"),
        (lambda: Network.chain([1.0], [1.0]).backward([1.0], [np.inf]), "NaN or inf"),
        (lambda: Network.chain([1.0], [1.0]).backward([[1.0], [2.0]], [[1.0]]), "target must have shape"),
        (lambda: nncore.gradient_descent(Network.chain([1.0], [1.0]), [1.0], [1.0], -1.0, 3), "learning_rate"),
        (lambda: nncore.nudge(Network.chain([1.0], [1.0]), [1.0], [1.0], 0.0, nncore.WeightAt(1)), "delta"),
        (lambda: nncore.nudge(Network.chain([1.0], [1.0]), [1.0], [1.0], 0.1, nncore.WeightAt(0)), "layer of a weight"),
        (lambda: nncore.nudge(Network.chain([1.0], [1.0]), [1.0], [1.0], 0.1, nncore.BiasAt(1, 1)), "j must be 0..0"),
        (lambda: nncore.nudge(Network.chain([1.0], [1.0]), [1.0], [1.0], 0.1, nncore.ActivationAt(2)), "0..1"),
        (lambda: Network.chain([1.0], [1.0]).resume(Network.chain([1.0], [1.0]).forward([1.0]), 1, [1, 2]), "shape"),
        (lambda: nncore.weight_factors(Network.chain([1.0], [1.0]), [1.0], [1.0], 2), "layer"),
    ],
)
def test_invalid_input_raises_a_clear_value_error(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_saturated_slopes_keep_their_true_size():
    """σ'(110) = e^-110 / (1 + e^-110)^2 and tanh'(30) = 4 e^-60 / (1 + e^-60)^2, not a rounded 0."""
    with np.errstate(all="raise"):
        s, t = nncore.get_activation("sigmoid"), nncore.get_activation("tanh")
        assert s.prime(np.array([110.0, -110.0])) == pytest.approx([np.exp(-110.0)] * 2, rel=1e-12)
        assert t.prime(np.array([30.0, -30.0])) == pytest.approx([4 * np.exp(-60.0)] * 2, rel=1e-12)
        z = np.linspace(-8, 8, 33)  # the same values as the textbook forms where those are accurate
        np.testing.assert_allclose(s.prime(z), s(z) * (1 - s(z)), rtol=1e-9, atol=1e-15)
        np.testing.assert_allclose(t.prime(z), 1 - np.tanh(z) ** 2, rtol=1e-9, atol=1e-15)
