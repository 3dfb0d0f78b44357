import numpy as np
import pytest

import initlab as il

FAN_IN, FAN_OUT = 200, 300
EXPECTED_STD = {
    "lecun": np.sqrt(1 / FAN_IN),
    "glorot_normal": np.sqrt(2 / (FAN_IN + FAN_OUT)),
    "glorot_uniform": np.sqrt(6 / (FAN_IN + FAN_OUT)) / np.sqrt(3),
    "he_normal": np.sqrt(2 / FAN_IN),
    "he_uniform": np.sqrt(6 / FAN_IN) / np.sqrt(3),
}


@pytest.mark.parametrize("name", list(EXPECTED_STD))
def test_scale_formulas(name):
    W = il.get_initializer(name)((FAN_IN, FAN_OUT), np.random.default_rng(0))
    assert W.shape == (FAN_IN, FAN_OUT)
    assert W.std() == pytest.approx(EXPECTED_STD[name], rel=0.02)
    assert abs(W.mean()) < 0.01 * EXPECTED_STD[name] * 10


def test_fans_come_from_the_last_two_axes():
    W = il.he_normal((5, FAN_IN, FAN_OUT), np.random.default_rng(1))
    assert W.shape == (5, FAN_IN, FAN_OUT)
    assert W.std() == pytest.approx(np.sqrt(2 / FAN_IN), rel=0.02)
    assert not np.allclose(W[0], W[1])  # independent members


def test_parametrised_initializers():
    rng = np.random.default_rng(0)
    assert np.all(il.constant(0.3)((2, 3), rng) == 0.3)
    assert np.all(il.zeros((4,), rng) == 0)
    assert il.normal(0.1)((100_000,), rng).std() == pytest.approx(0.1, rel=0.02)
    u = il.uniform(0.5)((100_000,), rng)
    assert u.min() >= -0.5 and u.max() <= 0.5 and u.std() == pytest.approx(0.5 / np.sqrt(3), rel=0.02)


@pytest.mark.parametrize("shape", [(6, 4), (4, 6), (3, 5, 5), (2, 3, 7)])
def test_orthogonal(shape):
    Q = il.orthogonal(gain=2.0)(shape, np.random.default_rng(0))
    assert Q.shape == shape
    n_in, n_out = shape[-2:]
    if n_in >= n_out:
        gram = np.swapaxes(Q, -1, -2) @ Q
        np.testing.assert_allclose(gram, np.broadcast_to(4.0 * np.eye(n_out), gram.shape), atol=1e-12)
    else:
        gram = Q @ np.swapaxes(Q, -1, -2)
        np.testing.assert_allclose(gram, np.broadcast_to(4.0 * np.eye(n_in), gram.shape), atol=1e-12)


def test_reproducible_from_rng_and_mlp_seed():
    a = il.glorot_uniform((3, 4), np.random.default_rng(7))
    b = il.glorot_uniform((3, 4), np.random.default_rng(7))
    np.testing.assert_array_equal(a, b)
    # weights do not depend on the bias initializer (separate streams)
    n1 = il.MLP([2, 4, 1], seed=3)
    n2 = il.MLP([2, 4, 1], seed=3, bias_init=il.normal(1.0))
    np.testing.assert_array_equal(n1.weights[0], n2.weights[0])
    assert np.any(n2.biases[0] != 0)


def test_per_layer_initializers_and_callables():
    net = il.MLP([2, 3, 3, 1], weight_init=["zeros", il.constant(0.5), lambda shape, rng: np.ones(shape)])
    assert np.all(net.weights[0] == 0) and np.all(net.weights[1] == 0.5) and np.all(net.weights[2] == 1)
    population = il.MLP([2, 3, 1], weight_init="orthogonal", population=4)
    assert population.weights[0].shape == (4, 2, 3)


def test_bad_initializers():
    with pytest.raises(ValueError, match="'xavier'.*glorot_normal"):
        il.get_initializer("xavier")
    with pytest.raises(ValueError, match=r"returned|shape"):
        il.MLP([2, 3, 1], weight_init=lambda shape, rng: np.zeros(3))
    with pytest.raises(ValueError, match="std"):
        il.normal(-1.0)
