"""initlab.experiments.zero_start: what an all-zero start does, activation by activation (chapter 3)."""

import numpy as np
import pytest

import initlab
from initlab.experiments import zero_start as zs


@pytest.fixture(scope="module")
def data():
    return initlab.two_moons(n=60, positive_fraction=0.3, seed=1)


def test_two_moons_has_the_requested_balance_and_is_standardised():
    X, y = initlab.two_moons(n=50, positive_fraction=0.3, seed=2)
    assert X.shape == (50, 2) and y.shape == (50,)
    assert int(y.sum()) == 15
    np.testing.assert_allclose(X.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(X.std(axis=0), 1, atol=1e-12)
    X2, y2 = initlab.two_moons(n=50, positive_fraction=0.3, seed=2)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)


def test_binary_entropy_and_best_constant_loss():
    assert zs.binary_entropy(0.5) == pytest.approx(np.log(2))
    assert zs.binary_entropy(0.0) == 0.0 and zs.binary_entropy(1.0) == 0.0
    np.testing.assert_allclose(zs.binary_entropy(np.array([0.3, 0.7])), 2 * [0.6108643020548935])
    y = np.array([0, 0, 0, 1])
    # no constant logit does better than H(π): scan c
    c = np.linspace(-5, 5, 2001)
    p = 1 / (1 + np.exp(-c))
    losses = -(0.25 * np.log(p) + 0.75 * np.log(1 - p))
    assert zs.best_constant_loss(y) == pytest.approx(losses.min(), abs=1e-6)
    assert zs.best_constant_loss(np.array([[0, 1], [1, 1]])).shape == (2,)


def test_zero_network_starts():
    net = zs.zero_network([2, 4, 3, 1], "sigmoid")
    assert all(not W.any() for W in net.weights) and all(not b.any() for b in net.biases)
    net = zs.zero_network([2, 4, 3, 1], "relu", start="zero, random output layer")
    assert not net.weights[0].any() and not net.weights[1].any() and net.weights[2].any()
    assert not any(b.any() for b in net.biases)
    assert zs.zero_network([2, 4, 1], "tanh", population=3).weights[0].shape == (3, 2, 4)


@pytest.mark.parametrize("activation", ["identity", "tanh", "lecun_tanh", "relu", "leaky_relu",
                                        initlab.ReLU(grad_at_zero=1.0)])
def test_g_of_zero_equal_zero_freezes_everything_but_the_output_bias(data, activation):
    X, y = data
    net = zs.zero_network([2, 5, 5, 1], activation)
    trace = zs.parameter_trace(net, X, y, steps=20)
    assert not trace.grad_W.any()
    assert not trace.grad_b[:, :-1].any() and trace.grad_b[:, -1].all()
    assert not trace.change_W.any() and trace.change_b[1:, -1].all()
    # the output bias converges to the best constant predictor
    trace = zs.parameter_trace(net, X, y, steps=400, lr=2.0)
    assert trace.loss[-1] == pytest.approx(zs.best_constant_loss(y), abs=1e-8)


def test_sigmoid_moves_one_layer_per_step_and_keeps_units_identical(data):
    X, y = data
    net = zs.zero_network([2, 4, 4, 4, 1], "sigmoid")
    moves = initlab.first_move_steps(net, X, y, steps=6)
    assert moves.weights.tolist() == [4, 3, 2, 1] and moves.biases.tolist() == [4, 3, 2, 1]
    assert moves.moved_after(1) == ["W4", "b4"]
    assert moves.moved_after(2) == ["W3", "b3", "W4", "b4"]
    assert not any(W.any() for W in net.weights), "first_move_steps must not train net itself"
    zs.parameter_trace(net, X, y, steps=50)
    assert [initlab.distinct_units(W, b) for W, b in zip(net.weights[:-1], net.biases[:-1])] == [1, 1, 1]


def test_balanced_classes_make_the_zero_start_stationary():
    X, y = initlab.two_moons(n=64, positive_fraction=0.5)
    net = zs.zero_network([2, 6, 3, 1], "relu")
    value, grads = net.loss_and_gradients(X, y, "bce")
    assert value == pytest.approx(np.log(2), abs=1e-15)
    assert not any(g.any() for g in grads.weights)
    assert np.abs(grads.biases[-1]).max() < 1e-15  # ±1/(2N) terms cancel (up to rounding)


def test_population_shapes_and_first_moves(data):
    X, y = data
    net = zs.zero_network([2, 3, 3, 1], "sigmoid", population=2)
    trace = zs.parameter_trace(net, X, y, steps=4)
    assert trace.grad_W.shape == (4, 2, 3) and trace.change_b.shape == (5, 2, 3)
    assert trace.loss.shape == (5, 2) and trace.steps == 4
    moves = initlab.first_move_steps(zs.zero_network([2, 3, 3, 1], "sigmoid", population=2), X, y, steps=4)
    assert moves.weights.tolist() == [[3, 2, 1]] * 2
    with pytest.raises(ValueError, match="single network"):
        moves.moved_after(1)


def test_first_moves_report_never_as_minus_one(data):
    X, y = data
    moves = initlab.first_move_steps(zs.zero_network([2, 3, 1], "tanh"), X, y, steps=3)
    assert moves.weights.tolist() == [-1, -1] and moves.biases.tolist() == [-1, 1]
    assert moves.moved_after(3) == ["b2"]


def test_relu_grad_at_zero_opens_the_first_layer_under_a_random_output_layer(data):
    X, y = data
    for grad, expect_moves in ((0.0, False), (1.0, True)):
        net = zs.zero_network([2, 4, 1], initlab.ReLU(grad_at_zero=grad),
                              start="zero, random output layer")
        trace = zs.parameter_trace(net, X, y, steps=3)
        assert bool(trace.change_W[1:, 0].all()) is expect_moves


def test_activation_table_and_markdown(data):
    X, y = data
    rows = zs.activation_table(["sigmoid", "tanh"], X, y, sizes=[2, 3, 3, 3, 1], steps=30)
    sig, tanh = rows
    assert sig.moved[0] == ["W4", "b4"] and len(sig.moved) == 3
    assert sig.first_moves.weights[0] == 4 and sig.g0 == 0.5 and sig.max_weight_gradient > 0
    assert tanh.moved == [["b4"]] * 3 and tanh.max_weight_gradient == 0.0
    assert tanh.distinct == [1, 1, 1]
    assert tanh.final_accuracy == pytest.approx(0.7)
    text = zs.activation_markdown(rows)
    assert text.count("\n") == 3 and "| sigmoid |" in text and "W₄, b₄" in text and "never" in text


@pytest.mark.parametrize("call,match", [
    (lambda: initlab.two_moons(n=1), r"n must be at least 2.*1"),
    (lambda: initlab.two_moons(positive_fraction=1.0), r"positive_fraction.*1\.0"),
    (lambda: initlab.two_moons(positive_fraction=0), r"positive_fraction.*0"),
    (lambda: zs.binary_entropy(1.5), r"p must be probabilities.*1\.5"),
    (lambda: zs.best_constant_loss([0, 2]), r"labels 0 and 1"),
    (lambda: zs.best_constant_loss(np.zeros((2, 2, 2))), r"shape \(2, 2, 2\)"),
    (lambda: zs.zero_network([2, 3, 1], start="ones"), r"'ones'.*all zero"),
    (lambda: zs.zero_network([2], "tanh"), r"sizes.*\[2\]"),
    (lambda: zs.zero_network([2, 3, 1], "swish"), r"'swish'"),
    (lambda: zs.parameter_trace("net", np.zeros((2, 2)), [0, 1]), r"MLP"),
    (lambda: zs.parameter_trace(zs.zero_network([2, 3, 1]), np.zeros((2, 2)), [0, 1], steps=0),
     r"steps.*0"),
    (lambda: initlab.first_move_steps(None, np.zeros((2, 2)), [0, 1]), r"MLP"),
    (lambda: zs.activation_table([], np.zeros((2, 2)), [0, 1]), r"non-empty"),
    (lambda: zs.activation_table(["tanh"], np.zeros((2, 2)), [0, 1], sizes=[2, 3, 2]),
     r"single output.*\[2, 3, 2\]"),
    (lambda: zs.activation_table(["tanh"], np.zeros((2, 2)), [0, 1], steps=2, wave_steps=3),
     r"wave_steps=3.*2"),
    (lambda: zs.activation_markdown([]), r"at least one"),
])
def test_bad_input_is_refused_with_a_message(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_html_table_has_one_row_per_activation(data):
    X, y = data
    rows = zs.activation_table(["sigmoid", "relu"], X, y, sizes=[2, 3, 3, 1], steps=5, wave_steps=2)
    text = zs.activation_html(rows)
    assert text.count("<tr>") == 3 and "<td>relu</td>" in text and "W₃, b₃" in text
    with pytest.raises(ValueError, match="at least one"):
        zs.activation_html([])


# ------------------------------------------------------ the explorer's run
def test_movement_map_shows_the_sigmoid_wave():
    change, labels, name = zs.movement_map("sigmoid", hidden_layers=3, steps=5)
    assert change.shape == (8, 5) and name == "sigmoid"
    assert labels == ["W₁", "b₁", "W₂", "b₂", "W₃", "b₃", "W₄", "b₄"]
    first = [int(np.argmax(row > 0)) + 1 for row in change]
    assert first == [4, 4, 3, 3, 2, 2, 1, 1]


def test_movement_map_tanh_moves_only_the_output_bias():
    change, labels, _ = zs.movement_map("tanh", hidden_layers=2, steps=4)
    assert (change[:-1] == 0).all() and (change[-1] > 0).all()


def test_relu_convention_decides_under_a_random_output_layer():
    closed, _, name0 = zs.movement_map("relu", 0.0, "zero, random output layer", 1, 3)
    opened, _, name1 = zs.movement_map("relu", 1.0, "zero, random output layer", 1, 3)
    assert (closed[0] == 0).all() and (opened[0] > 0).all()
    assert name0 == "relu" and "grad_at_zero=1" in name1


@pytest.mark.parametrize("kwargs,match", [
    ({"activation": "swish"}, r"'swish'"),
    ({"relu_grad_at_zero": -1.0}, r"relu_grad_at_zero.*-1"),
    ({"start": "ones"}, r"'ones'"),
    ({"hidden_layers": 0}, r"hidden_layers.*0"),
    ({"steps": 0}, r"steps.*0"),
])
def test_movement_map_refuses_bad_settings(kwargs, match):
    with pytest.raises(ValueError, match=match):
        zs.movement_map(**kwargs)
