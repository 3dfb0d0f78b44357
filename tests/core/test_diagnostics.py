import numpy as np
import pytest

import initlab as il


def test_distinct_units_counts_equal_columns():
    W = np.array([[1.0, 1.0, 2.0, 1.0],
                  [0.5, 0.5, 0.5, 0.5]])  # units 0, 1, 3 identical
    assert il.distinct_units(W) == 2
    assert il.distinct_units(W, b=np.array([0.0, 0.1, 0.0, 0.0])) == 3  # a bias breaks the tie
    assert il.distinct_units(np.zeros((3, 5))) == 1
    # rows equal (W[i, j] = u_j: each unit's incoming weights all equal) still gives distinct units
    assert il.distinct_units(np.tile(np.arange(4.0), (3, 1))) == 4


def test_distinct_units_tolerance():
    W = np.ones((2, 3))
    W[0, 1] += 1e-14
    assert il.distinct_units(W) == 2
    assert il.distinct_units(W, atol=1e-12) == 1
    with pytest.raises(ValueError, match="atol"):
        il.distinct_units(W, atol=-1)


def test_population_shapes():
    W = np.zeros((3, 2, 4))
    W[1, 0, 2] = 1.0
    b = np.zeros((3, 4))
    b[2] = [0, 1, 2, 3]
    np.testing.assert_array_equal(il.distinct_units(W), [1, 2, 1])
    np.testing.assert_array_equal(il.distinct_units(W, b), [1, 2, 4])
    np.testing.assert_allclose(il.unit_gap(W, b), [0.0, 1.0, 3.0])
    with pytest.raises(ValueError, match=r"b has shape \(4,\)"):
        il.distinct_units(W, np.zeros(4))


def test_unit_gap_measures_tiny_differences_exactly():
    W = np.full((3, 5), 1e3)
    W[2, 4] += 1e-9
    assert il.unit_gap(W) == pytest.approx(1e-9, rel=1e-4)
    assert il.unit_gap(np.ones((2, 1))) == 0.0


def test_flat_parameters_round_trip_and_labels():
    net = il.MLP([2, 3, 1], seed=0, bias_init=il.normal(1.0))
    theta = il.flatten_parameters(net)
    assert theta.shape == (net.n_parameters,) == (13,)
    labels = il.parameter_labels(net)
    assert labels[:4] == ["W1[0,0]", "W1[0,1]", "W1[0,2]", "W1[1,0]"]
    assert labels[6:9] == ["b1[0]", "b1[1]", "b1[2]"] and labels[-1] == "b2[0]"
    assert theta[2] == net.weights[0][0, 2] and theta[7] == net.biases[0][1]
    other = il.MLP([2, 3, 1], seed=1)
    il.set_flat_parameters(other, theta)
    np.testing.assert_array_equal(il.flatten_parameters(other), theta)
    population = il.MLP([2, 3, 1], population=4)
    assert il.flatten_parameters(population).shape == (4, 13)
    with pytest.raises(ValueError, match=r"theta has shape \(12,\)"):
        il.set_flat_parameters(net, np.zeros(12))


def test_hessian_matches_second_differences_of_the_loss():
    X, y = il.teacher_regression(n=20, d=2, hidden=3, seed=0)
    net = il.MLP([2, 3, 1], activation="tanh", seed=2, bias_init=il.normal(0.3))
    H = il.hessian(net, X, y, "mse")
    theta = il.flatten_parameters(net)
    P = theta.size
    assert H.shape == (P, P) and np.array_equal(H, H.T)
    work, eps = net.copy(), 1e-4

    def loss_at(t):
        il.set_flat_parameters(work, t)
        return work.loss(X, y, "mse")

    E = np.eye(P) * eps
    numeric = np.array([[(loss_at(theta + E[i] + E[j]) - loss_at(theta + E[i] - E[j])
                          - loss_at(theta - E[i] + E[j]) + loss_at(theta - E[i] - E[j])) / (4 * eps ** 2)
                         for j in range(P)] for i in range(P)])
    np.testing.assert_allclose(H, numeric, atol=1e-6)
    np.testing.assert_array_equal(il.flatten_parameters(net), theta)  # net untouched


def test_zero_tanh_network_is_a_saddle():
    X, y = il.teacher_regression(n=50, d=2, hidden=4, seed=0)
    net = il.MLP([2, 4, 1], activation="tanh", weight_init="zeros")
    _, grads = net.loss_and_gradients(X, y, "mse")
    assert all(np.all(g == 0) for g in grads.weights)  # every weight gradient is exactly 0
    eigenvalues = il.hessian_eigenvalues(net, X, y, "mse")
    assert eigenvalues[0] < -1e-3 and np.all(np.diff(eigenvalues) >= 0)


def test_layer_statistics_shapes():
    X, y = il.blobs(n=40, classes=3, dim=4, seed=0)
    net = il.MLP([4, 8, 6, 3], activation="relu", population=2)
    records = il.layer_statistics(net, X, y, "softmax_ce")
    assert [r.layer for r in records] == [1, 2, 3]
    assert [r.activation for r in records] == ["relu", "relu", "identity"]
    r = records[1]
    assert r.a.shape == (2, 40, 6) and r.delta.shape == (2, 40, 6) and r.grad_W.shape == (2, 8, 6)
    assert r.a_std.shape == (2,) and np.all((r.a_saturated >= 0) & (r.a_saturated <= 1))
    np.testing.assert_allclose(r.a_saturated, np.mean(r.a == 0, axis=(1, 2)))
    assert np.all(records[-1].a_saturated == 0)
    single = il.layer_statistics(net.member(0), X, y, "softmax_ce")
    assert np.ndim(single[0].a_mean) == 0


def test_saturation_definitions():
    z = np.array([-10.0, 0.0, 10.0])
    assert il.saturated(il.sigmoid, z, il.sigmoid(z)).tolist() == [True, False, True]
    assert il.saturated(il.tanh, z, il.tanh(z)).tolist() == [True, False, True]
    assert il.saturated(il.relu, z, il.relu(z)).tolist() == [True, True, False]


def test_loss_surface_center_is_the_current_loss():
    X, y = il.teacher_regression(n=30, d=2, seed=0)
    net = il.MLP([2, 4, 1], seed=0)
    P = net.n_parameters
    rng = np.random.default_rng(0)
    d1, d2 = rng.standard_normal(P), rng.standard_normal(P)
    alphas, betas, losses = il.loss_surface(net, X, y, "mse", d1, d2, span=0.5, n=11)
    assert alphas.shape == betas.shape == (11,) and losses.shape == (11, 11)
    assert losses[5, 5] == pytest.approx(net.loss(X, y, "mse"), rel=1e-12)
    moved = net.copy()
    il.set_flat_parameters(moved, il.flatten_parameters(net) + alphas[2] * d1 + betas[7] * d2)
    assert losses[2, 7] == pytest.approx(moved.loss(X, y, "mse"), rel=1e-12)
    with pytest.raises(ValueError, match=r"direction1 must have shape \(17,\)"):
        il.loss_surface(net, X, y, "mse", d1[:-1], d2)
