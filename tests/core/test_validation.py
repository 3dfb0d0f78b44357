"""Bad input raises ValueError naming the bad value; divergence does not raise."""

import subprocess
import sys
import warnings

import numpy as np
import pytest

import initlab as il

X2 = np.zeros((4, 2))
Y = np.zeros((4, 1))


@pytest.mark.parametrize("call,match", [
    (lambda: il.MLP([2, 3, 1], activation="swish"), r"'swish'.*tanh"),
    (lambda: il.MLP([2, 3, 1], output="softplus"), r"'softplus'"),
    (lambda: il.MLP([2, 3, 1], weight_init="kaiming"), r"'kaiming'.*he_normal"),
    (lambda: il.MLP([2, 3, 1], bias_init="he_normal"), r"he_normal.*bias"),
    (lambda: il.MLP([2, 3, 1], weight_init=["zeros"]), r"1 entries.*2 weight layers"),
    (lambda: il.MLP([2, 0, 1]), r"sizes\[1\].*0"),
    (lambda: il.MLP([2, -3, 1]), r"sizes\[1\].*-3"),
    (lambda: il.MLP([2]), r"sizes"),
    (lambda: il.MLP([2, 3, 1], population=0), r"population.*0"),
    (lambda: il.MLP([2, 3, 1], dtype=np.int64), r"dtype"),
    (lambda: il.get_loss("hinge"), r"'hinge'.*mse, bce, softmax_ce"),
    (lambda: il.get_optimizer("rmsprop"), r"'rmsprop'.*sgd, momentum, adam"),
    (lambda: il.sgd(0.0), r"lr.*0"),
    (lambda: il.sgd(-1), r"lr.*-1"),
    (lambda: il.adam([0.1, -0.2]), r"lr\[1\].*-0.2"),
    (lambda: il.xor("bits"), r"'bits'"),
    (lambda: il.blobs(n=0), r"n.*0"),
])
def test_bad_arguments_are_named(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_shape_errors():
    net = il.MLP([2, 3, 1])
    with pytest.raises(ValueError, match=r"\(4, 3\).*\(N, 2\)"):
        net.forward(np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"y has shape \(5, 1\).*4 rows"):
        net.loss_and_gradients(X2, np.zeros((5, 1)), "mse")
    with pytest.raises(ValueError, match=r"\(2, 4, 2\)"):
        net.forward(np.zeros((2, 4, 2)))  # no population axis on this network
    population = il.MLP([2, 3, 1], population=3)
    with pytest.raises(ValueError, match=r"\(2, 4, 2\).*\(3, N, 2\)"):
        population.forward(np.zeros((2, 4, 2)))


def test_assigned_parameters_are_checked():
    population = il.MLP([2, 3, 1], population=3)
    population.weights[0] = np.zeros((2, 3))  # forgot the population axis
    with pytest.raises(ValueError, match=r"weights\[0\].*\(2, 3\).*\(3, 2, 3\).*broadcast_to"):
        population.forward(X2)
    net = il.MLP([2, 3, 1])
    net.biases[1] = np.zeros(2)
    with pytest.raises(ValueError, match=r"biases\[1\].*\(2,\).*\(1,\)"):
        net.loss_and_gradients(X2, Y, "mse")
    net = il.MLP([2, 3, 1])
    net.weights = net.weights[:1]
    with pytest.raises(ValueError, match=r"weights has 1 entries.*L = 2"):
        net.forward(X2)


def test_assigning_plain_lists_and_values_works():
    net = il.MLP([2, 3, 1])
    net.weights[0][:] = 0.3
    net.weights[1] = [[1], [2], [3]]  # converted to an array of net.dtype
    out = net.forward(np.ones((1, 2)))
    assert out.shape == (1, 1) and net.weights[1].dtype == np.float64


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_data(bad):
    net = il.MLP([2, 3, 1])
    X = X2.copy()
    X[1, 0] = bad
    with pytest.raises(ValueError, match="X contains 1 NaN or infinite"):
        il.train(net, X, Y)
    y = Y.copy()
    y[2] = bad
    with pytest.raises(ValueError, match="y contains 1 NaN or infinite"):
        il.train(net, X2, y)


@pytest.mark.parametrize("kwargs,match", [
    (dict(steps=0), r"steps.*0"),
    (dict(steps=-5), r"steps.*-5"),
    (dict(steps=2.5), r"steps.*2.5"),
    (dict(batch_size=0), r"batch_size.*0"),
    (dict(batch_size=10), r"batch_size=10.*4 training samples"),
    (dict(lr=0), r"lr.*0"),
    (dict(lr=[0.1, 0.1, 0.1]), r"lr has 3 entries.*2 weight layers"),
    (dict(lr=[0.1, -1.0]), r"lr\[1\].*-1"),
    (dict(dropout=1.0), r"dropout.*\[0, 1\).*1.0"),
    (dict(dropout=-0.1), r"dropout.*-0.1"),
    (dict(snapshot_every=0), r"snapshot_every.*0"),
    (dict(loss="bce"), None),  # fine: targets are 0
    (dict(optimizer="lbfgs"), r"'lbfgs'"),
])
def test_train_arguments(kwargs, match):
    net = il.MLP([2, 3, 1])
    if match is None:
        il.train(net, X2, Y, steps=1, **kwargs)
        return
    with pytest.raises(ValueError, match=match):
        il.train(net, X2, Y, **{"steps": 1, **kwargs})


def test_logit_losses_need_identity_output():
    net = il.MLP([2, 3, 1], output="sigmoid")
    with pytest.raises(ValueError, match=r"'bce' takes logits.*output='sigmoid'"):
        il.train(net, X2, Y, loss="bce")
    net = il.MLP([2, 3, 3], output="tanh")
    with pytest.raises(ValueError, match=r"'softmax_ce' takes logits"):
        net.loss_and_gradients(X2, np.zeros(4), "softmax_ce")


def test_target_values_are_checked():
    with pytest.raises(ValueError, match=r"bce needs targets in \{0, 1\}.*-1"):
        il.train(il.MLP([2, 3, 1]), X2, -np.ones(4), loss="bce")
    with pytest.raises(ValueError, match=r"labels in 0..2.*3"):
        il.train(il.MLP([2, 3, 3]), X2, np.array([0, 1, 2, 3]), loss="softmax_ce")
    with pytest.raises(ValueError, match="at least 2 outputs"):
        il.train(il.MLP([2, 3, 1]), X2, np.zeros(4), loss="softmax_ce")


def test_dropout_needs_an_rng():
    with pytest.raises(ValueError, match=r"dropout=0.5 needs random masks.*rng"):
        il.MLP([2, 3, 1]).loss_and_gradients(X2, Y, "mse", dropout=0.5)


def test_huge_initial_scale_is_divergence_not_an_error():
    X, y = il.teacher_regression(n=32, d=2, seed=0)
    net = il.MLP([2, 16, 16, 1], activation="relu", weight_init=il.normal(1e6))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = il.train(net, X, y, lr=0.1, steps=50)
    assert history.diverged is True and history.diverged_at >= 0
    assert np.all(np.isnan(history.loss[history.diverged_at + 1:]))
    assert "diverged" in repr(history)


def test_population_divergence_freezes_only_that_member():
    X, y = il.teacher_regression(n=32, d=2, seed=0)
    good = il.MLP([2, 8, 1], activation="relu", seed=1)
    bad = il.MLP([2, 8, 1], activation="relu", weight_init=il.normal(1e6), seed=2)
    population = il.MLP.stack([good, bad, good.copy()])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = il.train(population, X, y, lr=0.05, steps=60, snapshot_every=1)
    np.testing.assert_array_equal(history.diverged, [False, True, False])
    t = history.diverged_at[1]
    assert history.diverged_at[0] == -1 and t >= 0
    assert np.all(np.isnan(history.loss[t + 1:, 1])) and np.all(np.isfinite(history.loss[:, 0]))
    # frozen: the diverged member's parameters never change after step t
    after = [s.weights[0][1] for s in history.snapshots[t:]]
    assert all(np.array_equal(a, after[0], equal_nan=True) for a in after)
    alone = il.train(good, X, y, lr=0.05, steps=60)
    np.testing.assert_allclose(history.loss[:, 0], alone.loss, rtol=0, atol=1e-12)
    assert "1 of 3 members diverged" in history.summary()


def test_import_is_light():
    code = ("import sys, initlab; heavy = [m for m in ('matplotlib', 'matplotlib.pyplot', "
            "'ipywidgets', 'scipy', 'myst_nb', 'torch') if m in sys.modules]; "
            "assert not heavy, heavy; assert initlab.__version__ == '0.1.0'")
    subprocess.run([sys.executable, "-c", code], check=True)
