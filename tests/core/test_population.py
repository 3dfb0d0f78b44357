"""K networks trained together are K networks trained alone."""

import numpy as np
import pytest

import initlab as il

K = 4


def problem():
    X, y = il.teacher_regression(n=24, d=3, hidden=4, seed=3)
    return X, y


def assert_same_parameters(a, b, atol=1e-12):
    for p, q in zip(a.weights + a.biases, b.weights + b.biases):
        np.testing.assert_allclose(p, q, rtol=0, atol=atol)


@pytest.mark.parametrize("optimizer,lr,batch_size", [
    ("sgd", 0.1, None),
    ("momentum", 0.05, None),
    ("adam", 0.01, None),
    ("sgd", 0.1, 5),
    ("adam", 0.01, 8),
    ("sgd", [0.2, 0.05, 0.1], None),
])
def test_population_training_equals_training_each_member_alone(optimizer, lr, batch_size):
    X, y = problem()
    population = il.MLP([3, 6, 5, 1], activation="tanh", population=K, seed=11,
                        bias_init=il.normal(0.1))
    alone = [population.member(k) for k in range(K)]
    history = il.train(population, X, y, optimizer=optimizer, lr=lr, steps=150,
                       batch_size=batch_size, seed=5)
    for k, net in enumerate(alone):
        h = il.train(net, X, y, optimizer=optimizer, lr=lr, steps=150, batch_size=batch_size, seed=5)
        np.testing.assert_allclose(history.loss[:, k], h.loss, rtol=0, atol=1e-12)
        assert_same_parameters(population.member(k), net)


def test_population_classification_with_per_member_inputs():
    X, y = il.blobs(n=30, classes=3, dim=2, seed=1)
    Xk = np.stack([X + 0.1 * k for k in range(K)])  # each member its own inputs
    yk = np.stack([y] * K)
    population = il.MLP([2, 8, 3], activation="relu", population=K, seed=2)
    alone = [population.member(k) for k in range(K)]
    history = il.train(population, Xk, yk, loss="softmax_ce", optimizer="momentum", lr=0.05,
                       steps=100, batch_size=10)
    for k, net in enumerate(alone):
        h = il.train(net, Xk[k], y, loss="softmax_ce", optimizer="momentum", lr=0.05, steps=100,
                     batch_size=10)
        np.testing.assert_allclose(history.loss[:, k], h.loss, rtol=0, atol=1e-12)
        np.testing.assert_array_equal(history.accuracy[:, k], h.accuracy)
        assert_same_parameters(population.member(k), net)


def test_member_and_stack_round_trip():
    population = il.MLP([2, 3, 2], population=3, seed=4)
    rebuilt = il.MLP.stack([population.member(k) for k in range(3)])
    assert rebuilt.population == 3
    assert_same_parameters(population, rebuilt, atol=0)
    # member() copies: changing it leaves the population alone
    m = population.member(1)
    m.weights[0][:] = 7.0
    assert not np.any(population.weights[0][1] == 7.0)
    # stacking populations concatenates them
    assert il.MLP.stack([population, population.member(0)]).population == 4


def test_members_get_independent_draws_reproducible_from_seed():
    a = il.MLP([2, 5, 1], population=3, seed=9)
    b = il.MLP([2, 5, 1], population=3, seed=9)
    assert_same_parameters(a, b, atol=0)
    assert not np.allclose(a.weights[0][0], a.weights[0][1])
    c = il.MLP([2, 5, 1], population=3, seed=10)
    assert not np.allclose(a.weights[0], c.weights[0])
    # a population of one is the plain network with the same seed
    single = il.MLP([2, 5, 1], seed=9)
    assert_same_parameters(il.MLP([2, 5, 1], population=1, seed=9).member(0), single, atol=0)


def test_stack_rejects_different_architectures():
    with pytest.raises(ValueError, match="differs"):
        il.MLP.stack([il.MLP([2, 3, 1]), il.MLP([2, 4, 1])])
    with pytest.raises(ValueError, match="activation|differs"):
        il.MLP.stack([il.MLP([2, 3, 1]), il.MLP([2, 3, 1], activation="relu")])
