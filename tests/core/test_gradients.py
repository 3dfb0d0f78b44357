"""Backpropagation against central finite differences, for every activation,
loss and depth, with and without a population axis."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import initlab as il

LOSS_SETUPS = {  # name -> (loss, output activation, number of outputs)
    "mse-identity": ("mse", "identity", 2),
    "mse-sigmoid": ("mse", "sigmoid", 2),
    "bce": ("bce", "identity", 1),
    "softmax_ce": ("softmax_ce", "identity", 3),
}


def targets(loss, n_outputs, lead, rng):
    if loss == "mse":
        return rng.uniform(0, 1, lead + (n_outputs,))
    if loss == "bce":
        return rng.integers(0, 2, lead).astype(float)
    return rng.integers(0, n_outputs, lead)


def kink_free_problem(sizes, activation, output, loss, population, n_samples=5):
    """A network and data whose pre-activations all stay >= 1e-3 away from 0,
    so ReLU's kink cannot spoil the finite differences."""
    lead = () if population is None else (population,)
    for seed in range(200):
        rng = np.random.default_rng(seed)
        net = il.MLP(sizes, activation=activation, output=output, weight_init="lecun",
                     bias_init=il.normal(0.5), population=population, seed=seed)
        X = rng.standard_normal((n_samples, sizes[0]))
        zs, _ = net.forward_pass(X)
        if min(np.abs(z).min() for z in zs) > 1e-3:
            return net, X, targets(loss, sizes[-1], lead + (n_samples,) if population else (n_samples,), rng)
    raise AssertionError("no kink-free draw found")


def finite_difference_gradients(net, X, y, loss, eps=1e-6):
    """Central differences of the loss, one parameter index at a time (the same
    index in every population member at once: member k's loss depends only on
    its own parameters)."""
    grads = []
    for params in (net.weights, net.biases):
        layer_grads = []
        for p in params:
            g = np.zeros_like(p)
            inner = p.shape[1:] if net.population else p.shape
            for index in np.ndindex(*inner):
                full = (slice(None),) + index if net.population else index
                saved = p[full].copy()
                p[full] = saved + eps
                plus = np.asarray(net.loss(X, y, loss))
                p[full] = saved - eps
                minus = np.asarray(net.loss(X, y, loss))
                p[full] = saved
                g[full] = (plus - minus) / (2 * eps)
            layer_grads.append(g)
        grads.append(layer_grads)
    return grads


def relative_error(net, X, y, loss):
    _, grads = net.loss_and_gradients(X, y, loss)
    fd_w, fd_b = finite_difference_gradients(net, X, y, loss)
    axes = lambda p: tuple(range(1, p.ndim)) if net.population else None  # noqa: E731
    num = sum(np.sum((a - b) ** 2, axis=axes(a)) for a, b in zip(grads.weights + grads.biases, fd_w + fd_b))
    den = sum(np.sum(a ** 2, axis=axes(a)) + np.sum(b ** 2, axis=axes(b))
              for a, b in zip(grads.weights + grads.biases, fd_w + fd_b))
    return np.sqrt(num) / np.maximum(np.sqrt(den), 1e-12)


@pytest.mark.parametrize("population", [None, 3])
@pytest.mark.parametrize("depth", [1, 2, 3, 4])
@pytest.mark.parametrize("setup", list(LOSS_SETUPS))
@pytest.mark.parametrize("activation", il.ACTIVATIONS)
def test_backprop_matches_finite_differences(activation, setup, depth, population):
    loss, output, n_out = LOSS_SETUPS[setup]
    sizes = [3] + [4] * (depth - 1) + [n_out]
    net, X, y = kink_free_problem(sizes, activation, output, loss, population)
    assert np.all(relative_error(net, X, y, loss) <= 1e-6)


def test_shared_and_per_member_inputs_give_the_same_gradients():
    net = il.MLP([3, 4, 2], population=3, seed=1)
    X = np.random.default_rng(0).standard_normal((5, 3))
    y = np.random.default_rng(1).standard_normal((5, 2))
    loss1, g1 = net.loss_and_gradients(X, y, "mse")
    loss2, g2 = net.loss_and_gradients(np.broadcast_to(X, (3, 5, 3)), np.broadcast_to(y, (3, 5, 2)), "mse")
    np.testing.assert_allclose(loss1, loss2, rtol=1e-14)
    for a, b in zip(g1.weights + g1.biases, g2.weights + g2.biases):
        np.testing.assert_allclose(a, b, rtol=1e-13, atol=1e-15)


def test_deltas_are_exposed_per_layer():
    net = il.MLP([2, 5, 3, 1], population=4)
    X = np.ones((6, 2))
    _, grads = net.loss_and_gradients(X, np.zeros(6), "mse")
    assert [d.shape for d in grads.deltas] == [(4, 6, 5), (4, 6, 3), (4, 6, 1)]
    # dLoss/db_ℓ is the sum of delta_ℓ over samples
    for d, gb in zip(grads.deltas, grads.biases):
        np.testing.assert_allclose(d.sum(axis=1), gb)


@settings(max_examples=25, deadline=None)
@given(
    hidden=st.lists(st.integers(1, 5), min_size=0, max_size=2),
    n_in=st.integers(1, 4),
    n_samples=st.integers(1, 6),
    activation=st.sampled_from(["tanh", "sigmoid", "lecun_tanh", "leaky_relu", "relu"]),
    setup=st.sampled_from(list(LOSS_SETUPS)),
    population=st.sampled_from([None, 2]),
)
def test_property_backprop_matches_finite_differences(hidden, n_in, n_samples, activation, setup,
                                                      population):
    loss, output, n_out = LOSS_SETUPS[setup]
    net, X, y = kink_free_problem([n_in] + hidden + [n_out], activation, output, loss, population,
                                  n_samples=n_samples)
    assert np.all(relative_error(net, X, y, loss) <= 1e-6)


def test_deltas_without_weight_gradients_match_the_full_backward_pass():
    import initlab

    X, y = initlab.blobs(n=40, classes=3, dim=4, seed=1)
    net = initlab.MLP([4, 6, 5, 3], activation="tanh", population=2, seed=3)
    loss_full, full = net.loss_and_gradients(X, y, "softmax_ce")
    loss_fast, fast = net.loss_and_gradients(X, y, "softmax_ce", weight_gradients=False)
    assert np.array_equal(loss_full, loss_fast)
    assert all(np.array_equal(a, b) for a, b in zip(full.deltas, fast.deltas))
    assert fast.weights == [None] * net.L and fast.biases == [None] * net.L
