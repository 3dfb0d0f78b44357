"""initlab.audit: the verdicts of chapter 8 on small, fully understood starts."""

import numpy as np
import pytest

import initlab
from initlab.audit import VERDICTS, Audit, _distinct, audit, constant_predictor_loss


@pytest.fixture(scope="module")
def moons():
    X, y = initlab.moons(n=64, noise=0.1, seed=0)
    return initlab.standardize(X), y


def unbalanced(X, y):
    keep = np.r_[np.flatnonzero(y == 0), np.flatnonzero(y == 1)[:10]]
    return X[keep], y[keep]


# ------------------------------------------------------------- ideal loss
def test_constant_predictor_loss_is_ln_C_for_balanced_classes():
    y = np.repeat(np.arange(5), 7)
    assert constant_predictor_loss(y, "softmax_ce", 5) == pytest.approx(np.log(5), abs=1e-12)


def test_constant_predictor_loss_is_the_entropy_of_the_balance_for_bce():
    y = np.array([1, 0, 0, 0])
    h = -(0.25 * np.log(0.25) + 0.75 * np.log(0.75))
    assert constant_predictor_loss(y, "bce", 1) == pytest.approx(h, abs=1e-12)


def test_constant_predictor_loss_is_half_the_variance_for_mse():
    y = np.array([[1.0, 2.0], [3.0, 6.0]])
    expected = 0.5 * np.sum(y.var(axis=0))
    assert constant_predictor_loss(y, "mse", 2) == pytest.approx(expected, abs=1e-12)


def test_constant_predictor_loss_per_member():
    y = np.stack([np.array([0, 1, 1, 1]), np.array([0, 0, 1, 1])])
    values = constant_predictor_loss(y, "bce", 1)
    assert values.shape == (2,) and values[1] == pytest.approx(np.log(2))


def test_constant_predictor_loss_rejects_bad_width():
    with pytest.raises(ValueError, match="n_outputs"):
        constant_predictor_loss([0, 1], "bce", 0)


# --------------------------------------------------------------- verdicts
def test_all_zero_tanh_is_stationary_and_only_the_output_bias_moves(moons):
    X, y = unbalanced(*moons)
    report = audit(initlab.MLP([2, 4, 4, 1], weight_init="zeros"), X, y, "bce", steps=5, lr=0.5)
    assert report.verdicts == "stationary"
    assert report.moving_at(5) == ["b3"]
    assert report.first_move[0].tolist() == [-1, -1, -1, -1, -1, 1]
    assert report.gradient_at_start[0, :5].tolist() == [0.0] * 5
    assert "W1" in report.reason[0] and "never" in report.reason[0]


def test_constant_start_is_symmetric(moons):
    X, y = moons
    net = initlab.MLP([2, 8, 1], weight_init=initlab.constant(0.3))
    report = audit(net, X, y, "bce", steps=10, lr=0.5)
    assert report.verdicts == "symmetric"
    assert report.distinct[0].tolist() == [1] and report.widths == [8]


def test_all_zero_sigmoid_moves_one_layer_per_step_and_is_symmetric(moons):
    X, y = unbalanced(*moons)
    report = audit(initlab.MLP([2, 4, 4, 4, 1], "sigmoid", weight_init="zeros"), X, y, "bce",
                   steps=6, lr=0.5)
    assert report.first_move[0, 0::2].tolist() == [4, 3, 2, 1]   # W1..W4
    assert report.verdicts == "symmetric"


def test_random_start_is_fine_and_every_group_moves_at_step_1(moons):
    X, y = moons
    report = audit(initlab.MLP([2, 8, 8, 1], population=4, seed=1), X, y, "bce", steps=2)
    assert report.counts() == {"fine": 4}
    assert np.all(report.first_move == 1) and np.all(report.all_moved_at() == 1)
    assert np.all(report.gradient_at_start > 0)


def test_zero_last_layer_moves_at_step_1_the_rest_at_step_2(moons):
    X, y = moons
    net = initlab.MLP([2, 8, 8, 1], weight_init=["glorot_normal", "glorot_normal", "zeros"])
    report = audit(net, X, y, "bce", steps=3, lr=0.5)
    assert report.verdicts == "fine"
    assert report.first_move[0, 4] == 1 and np.all(report.first_move[0, :4] == 2)


def test_huge_weights_in_a_deep_relu_net_are_exploding(moons):
    X, y = moons
    net = initlab.MLP([2] + [16] * 8 + [1], "relu", weight_init=initlab.normal(3.0), seed=0)
    report = audit(net, X, y, "bce", steps=1, lr=1e-6)
    assert report.verdicts == "exploding"
    assert report.activation_std[0].max() > 1e3


def test_zero_weights_random_biases_deep_is_stationary_because_the_input_never_arrives(moons):
    X, y = moons
    net = initlab.MLP([2, 8, 8, 8, 1], weight_init="zeros", bias_init=initlab.normal(0.5),
                      population=6, seed=1)
    report = audit(net, X, y, "bce", steps=10, lr=0.5)
    assert report.counts().get("stationary", 0) >= 4
    assert any("never reaches" in r for r in report.reason)
    assert np.all(report.output_spread[:, 0] < 1e-12)        # constant outputs at the start
    relaxed = audit(net, X, y, "bce", steps=10, lr=0.5, signal_tol=0.0)
    assert relaxed.counts().get("stationary", 0) <= report.counts()["stationary"]


def test_audit_leaves_the_model_unchanged(moons):
    X, y = moons
    net = initlab.MLP([2, 4, 1], seed=3)
    before = [W.copy() for W in net.weights]
    audit(net, X, y, "bce", steps=3)
    assert all(np.array_equal(a, b) for a, b in zip(before, net.weights))


def test_initial_and_ideal_loss(moons):
    X, y = moons
    report = audit(initlab.MLP([2, 4, 2], weight_init="zeros"), X, y, "softmax_ce", steps=1)
    assert report.initial_loss[0] == pytest.approx(np.log(2), abs=1e-12)
    assert report.ideal_loss == pytest.approx(np.log(2), abs=1e-12)


def test_select_counts_and_display(moons):
    X, y = moons
    report = audit(initlab.MLP([2, 4, 1], population=3, seed=0), X, y, "bce", steps=2)
    part = report.select(slice(0, 2))
    assert isinstance(part, Audit) and part.first_move.shape[0] == 2
    assert sum(report.counts().values()) == 3
    assert set(report.verdict) <= set(VERDICTS)
    assert "verdict" in report.table()._repr_html_() and "Audit over 2" in repr(report)


def test_distinct_matches_the_core_count():
    rng = np.random.default_rng(0)
    W = rng.standard_normal((3, 5, 6))
    W[:, :, 3] = W[:, :, 1]
    W[1, :, 5] = W[1, :, 0]
    b = np.zeros((3, 6))
    assert _distinct(W, b, 0.0).tolist() == initlab.distinct_units(W, b).tolist() == [5, 4, 5]


@pytest.mark.parametrize("kwargs, word", [({"steps": 0}, "steps"), ({"signal_tol": -1}, "signal_tol"),
                                          ({"explode": 0}, "explode")])
def test_bad_arguments_name_themselves(moons, kwargs, word):
    X, y = moons
    with pytest.raises(ValueError, match=word):
        audit(initlab.MLP([2, 2, 1]), X, y, "bce", **kwargs)


def test_a_model_without_the_protocol_is_refused(moons):
    X, y = moons
    with pytest.raises(ValueError, match="parameters"):
        audit(object(), X, y, "bce")
