"""The training loop: what History records, seeding, per-layer learning rates."""

import numpy as np
import pytest

import initlab as il


def test_history_shapes_and_entry_zero_is_the_initial_loss():
    X, y = il.teacher_regression(n=40, d=2, seed=1)
    net = il.MLP([2, 5, 1], seed=3)
    initial = net.loss(X, y, "mse")
    history = il.train(net, X, y, steps=30, snapshot_every=10)
    assert history.loss.shape == (31,) and history.accuracy is None
    assert history.loss[0] == initial
    assert history.loss[-1] == net.loss(X, y, "mse")  # entry t is after t updates
    assert [s.step for s in history.snapshots] == [0, 10, 20, 30]
    assert history.diverged is False and history.diverged_at == -1 and history.steps == 30
    assert "did not diverge" in history.summary()

    population = il.MLP([2, 5, 1], population=3)
    h = il.train(population, X, y, steps=5)
    assert h.loss.shape == (6, 3) and h.diverged.shape == (3,) and h.diverged_at.shape == (3,)


def test_one_sgd_step_by_hand_with_per_layer_learning_rates():
    X, y = il.teacher_regression(n=10, d=2, seed=0)
    net = il.MLP([2, 3, 1], seed=0)
    before = net.copy()
    _, grads = before.loss_and_gradients(X, y, "mse")
    il.train(net, X, y, lr=[0.5, 0.01], steps=1)
    for W0, gW, W1, lr in zip(before.weights, grads.weights, net.weights, [0.5, 0.01]):
        np.testing.assert_allclose(W1, W0 - lr * gW, rtol=1e-15)
    for b0, gb, b1, lr in zip(before.biases, grads.biases, net.biases, [0.5, 0.01]):
        np.testing.assert_allclose(b1, b0 - lr * gb, rtol=1e-15)


def test_minibatches_and_dropout_are_seeded():
    X, y = il.moons(n=60, seed=0)
    runs = {}
    for seed in (0, 0, 1):
        net = il.MLP([2, 8, 1], activation="relu", seed=4)
        h = il.train(net, X, y, loss="bce", steps=20, batch_size=16, dropout=0.3, seed=seed)
        runs.setdefault(seed, []).append(h.loss)
    np.testing.assert_array_equal(runs[0][0], runs[0][1])
    assert not np.array_equal(runs[0][0], runs[1][0])


def test_classification_accuracy_is_recorded():
    X, y = il.blobs(n=90, classes=3, seed=0, spread=0.5)
    net = il.MLP([2, 16, 3], activation="relu", seed=0)
    history = il.train(net, X, y, loss="softmax_ce", optimizer="adam", lr=0.05, steps=150)
    assert history.accuracy.shape == (151,)
    assert history.accuracy[-1] == il.accuracy(net, X, y, "softmax_ce") > 0.95
    np.testing.assert_array_equal(net.predict(X) == y, np.argmax(net.forward(X), 1) == y)


def test_xor_learns_from_small_random_weights_but_not_from_zero():
    X, y = il.xor("01")
    net = il.MLP([2, 2, 1], activation="sigmoid", output="sigmoid",
                 weight_init=il.uniform(1.0), population=8, seed=0)
    history = il.train(net, X, y, lr=2.0, steps=3000)
    assert np.sum(history.loss[-1] < 0.01) >= 4
    zero = il.MLP([2, 2, 1], activation="sigmoid", output="sigmoid", weight_init="zeros")
    h = il.train(zero, X, y, lr=2.0, steps=3000)
    assert h.loss[-1] > 0.1  # stuck: both hidden units stay identical


def test_bce_xor_with_labels():
    X, y = il.xor("pm1", target="labels")
    net = il.MLP([2, 8, 1], activation="tanh", seed=1)
    h = il.train(net, X, y, loss="bce", optimizer="adam", lr=0.05, steps=300)
    assert h.accuracy[-1] == 1.0 and il.accuracy(net, X, y, "bce") == 1.0


def test_optimizer_objects_keep_state_and_are_used_as_given():
    X, y = il.teacher_regression(n=20, d=2, seed=0)
    opt = il.momentum(0.05, beta=0.5)
    net = il.MLP([2, 4, 1])
    il.train(net, X, y, optimizer=opt, steps=10)
    assert opt.t == 10 and len(opt.state) == 4
    with pytest.raises(ValueError, match="beta"):
        il.momentum(0.1, beta=1.0)


def test_a_member_that_diverges_mid_run_changes_nothing_for_the_others():
    # `train` skips the masking of diverged members until one diverges: the records of the
    # others must not depend on whether, or when, that happens (bit for bit).
    X, y = il.teacher_regression(n=32, d=2, seed=0)
    nets = [il.MLP([2, 8, 1], activation="relu", seed=s) for s in range(3)]
    for W in nets[1].weights:
        W *= 10  # blows up after a few updates, not at the start
    population = il.MLP.stack(nets)
    others = il.MLP.stack([nets[0], nets[2]])
    history = il.train(population, X, y, optimizer="momentum", lr=0.05, steps=40,
                       snapshot_every=10)
    reference = il.train(others, X, y, optimizer="momentum", lr=0.05, steps=40)
    assert history.diverged_at[1] > 0 and not history.diverged[[0, 2]].any()
    np.testing.assert_array_equal(history.loss[:, [0, 2]], reference.loss)
    for W, W_ref in zip(population.weights, others.weights):
        np.testing.assert_array_equal(W[[0, 2]], W_ref)
    # frozen from its diverging step on: the member keeps the parameters it had there
    t = history.diverged_at[1]
    kept = [s for s in history.snapshots if s.step >= t][-1]
    np.testing.assert_array_equal(kept.weights[0][1], population.weights[0][1])


def test_a_nan_or_infinite_bias_alone_is_divergence():
    X, y = il.teacher_regression(n=16, d=2, seed=0)
    for value in (np.nan, np.inf):
        net = il.MLP([2, 4, 1], population=3, bias_init=il.constant(0.1), seed=0)
        net.biases[1][2] = value  # only member 2's output bias
        history = il.train(net, X, y, lr=0.01, steps=5)
        np.testing.assert_array_equal(history.diverged_at, [-1, -1, 0])
