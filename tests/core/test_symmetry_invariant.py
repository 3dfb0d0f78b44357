"""Chapter 1's theorem: units that start identical stay identical under any
elementwise optimizer, full-batch or mini-batch; dropout breaks the tie.

Floating point: the theorem is exact, BLAS is not quite.  OpenBLAS computes
the edge columns of a matrix product with different kernels than the rest, so
two mathematically equal columns can differ by one rounding error (measured:
a width-6 layer in float64, gap ~1e-16, not growing).  Power-of-two widths
line up with every SIMD width and stay bit-identical; awkward widths are
checked with a tolerance of 1e-12.
"""

import numpy as np
import pytest

import initlab as il


def constant_network(sizes, activation="tanh", population=None):
    return il.MLP(sizes, activation=activation, weight_init=il.constant(0.3),
                  bias_init=il.constant(-0.1), population=population)


def hidden_distinct_units(net):
    return [il.distinct_units(W, b) for W, b in zip(net.weights[:-1], net.biases[:-1])]


@pytest.mark.parametrize("optimizer,lr,batch_size", [
    ("sgd", 0.1, None),
    ("momentum", 0.05, None),
    ("adam", 0.01, None),
    ("sgd", 0.1, 16),
    ("adam", 0.01, 10),
])
def test_constant_initialisation_keeps_every_hidden_layer_at_one_unit(optimizer, lr, batch_size):
    X, y = il.teacher_regression(n=64, d=3, hidden=5, seed=0)
    net = constant_network([3, 16, 8, 1])
    history = il.train(net, X, y, optimizer=optimizer, lr=lr, steps=500, batch_size=batch_size,
                       snapshot_every=100)
    assert history.loss[-1] < history.loss[0]  # it does learn, as a width-1 network
    for snapshot in history.snapshots:
        for W, b in zip(snapshot.weights[:-1], snapshot.biases[:-1]):
            assert il.distinct_units(W, b) == 1
    assert hidden_distinct_units(net) == [1, 1]


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_awkward_widths_stay_identical_up_to_rounding(optimizer):
    X, y = il.teacher_regression(n=50, d=3, hidden=5, seed=0)
    net = constant_network([3, 7, 6, 1])
    il.train(net, X, y, optimizer=optimizer, lr=0.02, steps=500, batch_size=25)
    for W, b in zip(net.weights[:-1], net.biases[:-1]):
        assert il.distinct_units(W, b, atol=1e-12) == 1
        assert il.unit_gap(W, b) < 1e-12


def test_symmetry_holds_for_classification_and_populations():
    X, y = il.blobs(n=60, classes=3, dim=2, seed=2)
    net = constant_network([2, 16, 3], activation="sigmoid", population=3)
    il.train(net, X, y, loss="softmax_ce", optimizer="adam", lr=0.01, steps=500, batch_size=20)
    np.testing.assert_array_equal(il.distinct_units(net.weights[0], net.biases[0]), [1, 1, 1])


def test_dropout_breaks_the_symmetry():
    X, y = il.teacher_regression(n=64, d=3, hidden=5, seed=0)
    net = constant_network([3, 8, 6, 1])
    il.train(net, X, y, lr=0.1, steps=20, dropout=0.2, seed=1)
    counts = hidden_distinct_units(net)
    assert all(c > 1 for c in counts)
    assert il.unit_gap(net.weights[0], net.biases[0]) > 0
