"""SGD's weight_decay option: the gradient of the L2-penalised loss on the weights, not the biases."""

import numpy as np
import pytest

import initlab


def test_one_step_by_hand_decays_weights_but_not_biases():
    W = np.array([[1.0, -2.0]])
    b = np.array([0.5, 0.5])
    gW, gb = np.array([[0.1, 0.2]]), np.array([0.3, -0.3])
    opt = initlab.sgd(0.1, weight_decay=0.5)
    opt.step([[W, b]], [[gW, gb]])
    np.testing.assert_allclose(W, [[1.0 - 0.1 * (0.1 + 0.5), -2.0 - 0.1 * (0.2 - 1.0)]])
    np.testing.assert_allclose(b, [0.5 - 0.03, 0.5 + 0.03])


def test_zero_weight_decay_is_plain_sgd_and_decay_shrinks_weights_in_training():
    X, y = initlab.teacher_regression(n=32, seed=0)
    plain, decayed, same = (initlab.MLP([2, 4, 1], seed=1) for _ in range(3))
    initlab.train(plain, X, y, optimizer=initlab.sgd(0.1), steps=50)
    initlab.train(same, X, y, optimizer=initlab.sgd(0.1, weight_decay=0.0), steps=50)
    initlab.train(decayed, X, y, optimizer=initlab.sgd(0.1, weight_decay=1.0), steps=50)
    for a, b in zip(plain.weights, same.weights):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)
    norm = lambda net: sum(float(np.sum(W ** 2)) for W in net.weights)
    assert norm(decayed) < 0.8 * norm(plain)


def test_bias_free_layers_are_decayed_too():
    net = initlab.MLP([2, 3, 1], biases=False, seed=0)
    before = [W.copy() for W in net.weights]
    zero_grads = [[np.zeros_like(W)] for W in net.weights]
    initlab.sgd(0.5, weight_decay=1.0).step(net.parameters(), zero_grads)
    for W0, W in zip(before, net.weights):
        np.testing.assert_allclose(W, 0.5 * W0)


@pytest.mark.parametrize("bad", [-0.1, float("nan"), "0.1", True])
def test_weight_decay_is_validated_like_lr(bad):
    with pytest.raises(ValueError, match="weight_decay"):
        initlab.sgd(0.1, weight_decay=bad)
