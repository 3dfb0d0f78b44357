"""Chapter 6's experiments: the tiny XOR networks agree with initlab.MLP, and the sweeps,
failure classification and ±1 escape measurements behave as the chapter states."""

import numpy as np
import pytest

import initlab
from initlab.experiments import xor as ch6


def _mlp_population(sizes, activation, output, theta):
    net = initlab.MLP(sizes, activation=activation, output=output, population=len(theta))
    initlab.set_flat_parameters(net, theta)
    return net


@pytest.mark.parametrize("hidden, activation, output, coding", [
    (2, "sigmoid", "sigmoid", "01"), (4, "tanh", "identity", "pm1"), (3, "sigmoid", "identity", "01"),
])
def test_tiny_net_matches_mlp_loss_and_gradients(hidden, activation, output, coding):
    tiny = ch6.TinyNet(hidden, False, activation, output)
    X, y = initlab.xor(coding=coding)
    theta = np.random.default_rng(1).uniform(-3, 3, (50, tiny.n_parameters))
    loss, G = tiny.loss_and_gradient(theta, X, y)
    mlp = _mlp_population([2, hidden, 1], activation, output, theta)
    mlp_loss, grads = mlp.loss_and_gradients(X, y, "mse")
    flat = np.concatenate([p.reshape(len(theta), -1) for W, b in zip(grads.weights, grads.biases)
                           for p in (W, b)], axis=1)
    assert np.max(np.abs(loss - mlp_loss)) < 1e-12
    assert np.max(np.abs(G - flat)) < 1e-12
    assert tiny.labels() == initlab.parameter_labels(initlab.MLP([2, hidden, 1]))[:-1] + ["b2"] \
        or len(tiny.labels()) == tiny.n_parameters


def test_shortcut_network_gradient_matches_finite_differences():
    net = ch6.network("2-1")
    X, y = initlab.xor(coding="01")
    theta = np.random.default_rng(2).uniform(-2, 2, (20, net.n_parameters))
    _, G = net.loss_and_gradient(theta, X, y)
    eps = 1e-6
    numeric = np.empty_like(G)
    for i in range(net.n_parameters):
        step = np.zeros(net.n_parameters)
        step[i] = eps
        numeric[:, i] = (net.loss_and_gradient(theta + step, X, y)[0]
                         - net.loss_and_gradient(theta - step, X, y)[0]) / (2 * eps)
    assert np.max(np.abs(G - numeric)) < 1e-9


def test_shortcut_with_zero_shortcut_weights_is_a_2_1_1_mlp():
    net = ch6.network("2-1")
    X, y = initlab.xor(coding="01")
    theta = np.random.default_rng(3).uniform(-2, 2, (10, net.n_parameters))
    theta[:, -2:] = 0.0
    mlp = _mlp_population([2, 1, 1], "sigmoid", "sigmoid", theta[:, :-2])
    assert np.max(np.abs(net.loss_and_gradient(theta, X, y)[0] - mlp.loss(X, y, "mse"))) < 1e-12


@pytest.mark.parametrize("name", ch6.NETWORKS)
def test_fast_descent_step_equals_plain_gradient_descent(name):
    net = ch6.network(name)
    X, y = initlab.xor(coding="01")
    theta = ch6.uniform_start(net, [0.5, 4.0], 40, seed=3)[0]
    result = ch6.train_tiny(net, theta, X, y, 8.0, (30,), freeze_below=None)
    plain = theta.copy()
    for _ in range(30):
        plain -= 8.0 * net.loss_and_gradient(plain, X, y)[1]
    assert np.max(np.abs(result.theta - plain)) < 1e-12


@pytest.mark.slow
@pytest.mark.parametrize("name", ch6.NETWORKS)
def test_freezing_and_blocks_change_no_verdict(name):
    net = ch6.network(name)
    X, y = initlab.xor(coding="01")
    theta = ch6.uniform_start(net, [0.3, 1.0, 4.0], 100, seed=4)[0]
    plain = ch6.train_tiny(net, theta, X, y, 8.0, (100, 1000, 4000), freeze_below=None)
    fast = ch6.train_tiny(net, theta, X, y, 8.0, (100, 1000, 4000), block=64, compact_every=50)
    assert np.array_equal(plain.correct, fast.correct) and np.array_equal(plain.strict, fast.strict)
    assert np.any(fast.frozen_at > 0)


def test_all_zero_start_is_exactly_stationary_and_never_succeeds():
    for name in ch6.NETWORKS:
        net = ch6.network(name)
        theta = ch6.zero_start(net, "all zero", 5)
        moving, largest = ch6.zero_start_gradients(net, theta)
        assert np.all(moving == 0) and np.all(largest == 0)
        sweep = ch6.success_sweep(name, scales=[0.0], population=5, checkpoints=(10, 50))
        assert np.all(sweep.success == 0) and np.all(sweep.result.frozen_at == 0)


def test_zero_start_masks():
    net = ch6.network("2-2-1")
    theta = ch6.zero_start(net, "zero weights, random biases", 20)
    assert np.all(theta[:, [0, 1, 2, 3, 6, 7]] == 0) and np.all(theta[:, [4, 5, 8]] != 0)
    theta = ch6.zero_start(net, "zero output layer", 20)
    assert np.all(theta[:, 6:] == 0) and np.all(theta[:, :6] != 0)
    with pytest.raises(ValueError, match="zero start"):
        ch6.zero_start(net, "ones", 3)


def test_small_sweep_reproduces_the_shape_of_the_published_table():
    sweep = ch6.success_sweep("2-2-1", scales=[0.01, 0.5, 8.0], population=150, checkpoints=(300, 3000))
    s = sweep.success[-1]
    assert s[0] == 0 and s[1] > 0.75 and s[2] < 0.6 and np.all(sweep.strict <= sweep.success)
    assert np.all(sweep.success[0] <= sweep.success[1] + 0.02)
    report = ch6.classify_failures(sweep)
    assert sum(report.counts.values()) == int(np.sum(~sweep.result.correct[-1]))
    assert report.counts["strict local minimum"] == 0
    assert report.counts["plateau near the zero point"] >= 140     # every r = 0.01 run
    assert report.counts["other"] <= 0.05 * report.members.size


def test_pm1_zero_point_hessian_has_no_negative_eigenvalue():
    net = ch6.pm1_network(4)
    X, y = initlab.xor(coding="pm1")
    eig = np.linalg.eigvalsh(ch6.population_hessian(net, np.zeros((1, net.n_parameters)), X, y)[0])
    assert eig.min() > -1e-9 and abs(eig.max() - 1) < 1e-8 and np.sum(np.abs(eig) > 1e-8) == 1


def test_loss_along_directions_orders():
    t = np.array([1e-3, 3e-3, 1e-2])
    weights_only = np.median(np.abs(ch6.loss_along_directions(t, directions=16)), axis=1)
    with_bias = np.median(np.abs(ch6.loss_along_directions(t, 16, include_output_bias=True)), axis=1)
    assert abs(ch6.fit_power_law(t, weights_only)[0] - 4) < 0.05
    assert abs(ch6.fit_power_law(t, with_bias)[0] - 2) < 0.05


def test_escape_times_grow_as_eps_shrinks():
    times = ch6.escape_times([0.3, 0.1], population=16, max_epochs=5000)
    assert np.all(times > 0)
    assert np.median(times[1]) > 2 * np.median(times[0])


def test_fit_power_law_and_decision_grid():
    x = np.array([1.0, 2.0, 4.0])
    p, c = ch6.fit_power_law(x, 3 * x ** -2)
    assert abs(p + 2) < 1e-12 and abs(c - 3) < 1e-12
    net = ch6.network("2-2-1")
    grid, out = ch6.decision_grid(net, np.zeros((2, 9)), n=11)
    assert grid.shape == (11,) and out.shape == (2, 11, 11) and np.allclose(out, 0.5)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="network"):
        ch6.network("3-3-1")
    with pytest.raises(ValueError, match="theta"):
        ch6.network("2-1").loss_and_gradient(np.zeros((3, 9)), *initlab.xor("01"))
    with pytest.raises(ValueError, match="r must"):
        ch6.uniform_start(ch6.network("2-1"), -1.0, 3)
    with pytest.raises(ValueError, match="checkpoints"):
        ch6.train_tiny(ch6.network("2-1"), np.zeros((1, 7)), *initlab.xor("01"), 8.0, (10, 5))


def test_zero_start_study_and_tables():
    study = ch6.zero_start_study(population=20, checkpoints=(50, 100))
    assert set(study) == {(n, k) for n in ch6.NETWORKS for k in ch6.ZERO_STARTS}
    assert all(v == 0 for v in study[("2-1", "all zero")]["moves"].values())
    assert study[("2-1", "zero output layer")]["moves"]["W2"] == 1.0
    table = ch6.zero_start_table(study, (50, 100))
    assert len(table.rows) == 8 and "nothing" in table.to_markdown()
    sweep = ch6.success_sweep("2-1", scales=[0.0, 1.0], population=20, checkpoints=(50, 200))
    md = ch6.success_table([sweep]).to_markdown()
    assert "0.00 [0.00, 0.01]" in md and md.count("\n") == 3
    rep = ch6.classify_failures(sweep)
    assert "2-1" in ch6.failure_table({"2-1": rep}).to_markdown()


def test_restarts_needed():
    assert ch6.restarts_needed(0.5, 0.75) == 2
    assert list(ch6.restarts_needed([0.3, 1.0], 0.99)) == [13, 1]
    with pytest.raises(ValueError):
        ch6.restarts_needed(0.0)


@pytest.mark.parametrize("name", ["2-2-1", "2-1"])
def test_loss_curves_follow_train_tiny(name):
    """The explorer's lean loop computes what train_tiny records (nothing frozen)."""
    net = ch6.network(name)
    X, y = initlab.xor("01")
    theta, _ = ch6.uniform_start(net, 2.0, 24, seed=3)
    record = (1, 7, 50, 199, 200)
    full = ch6.train_tiny(net, theta, X, y, ch6.lr_mean(), (50, 200), record_loss=True)
    loss, correct, final = ch6.loss_curves(net, theta, X, y, ch6.lr_mean(), record)
    assert np.max(np.abs(loss - full.loss_history[list(record)])) < 1e-12
    assert np.array_equal(correct[[2, 4]], full.correct)
    assert np.max(np.abs(final - full.theta)) < 1e-12
    with pytest.raises(ValueError, match="record"):
        ch6.loss_curves(net, theta, X, y, ch6.lr_mean(), (5, 3))
