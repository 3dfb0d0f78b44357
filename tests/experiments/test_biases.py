"""Chapter 4's measurements: zero weights with random biases, dead ReLUs, the bias trick."""

import numpy as np
import pytest

import initlab
from initlab import variance
from initlab.experiments import biases as B


@pytest.fixture(scope="module")
def moons():
    X, y = initlab.moons(n=40, noise=0.1, seed=0)
    return initlab.standardize(X), y


def test_zero_weight_network_has_zero_weights_and_the_requested_biases():
    net = B.zero_weight_network([2, 5, 4, 1], bias_std=[1.0, 0.0, 2.0], seed=3)
    assert all(np.all(W == 0) for W in net.weights)
    assert np.all(net.biases[1] == 0)
    assert np.std(net.biases[0]) > 0 and np.std(net.biases[2]) == 0  # one output: one value
    assert net.biases[2][0] != 0
    pop = B.zero_weight_network([2, 5, 1], bias_std=0.5, population=3, weight_init="glorot_normal")
    assert pop.weights[0].shape == (3, 2, 5) and np.any(pop.weights[0] != 0)


def test_same_seed_same_weights_whatever_the_biases():
    a = B.zero_weight_network([2, 6, 1], bias_std=0.0, weight_init="glorot_normal", seed=4)
    b = B.zero_weight_network([2, 6, 1], bias_std=0.3, weight_init="glorot_normal", seed=4)
    for Wa, Wb in zip(a.weights, b.weights):
        np.testing.assert_array_equal(Wa, Wb)
    assert np.all(a.biases[0] == 0) and np.any(b.biases[0] != 0)


def test_placement_bias_stds():
    assert B.placement_bias_stds(3, (1, 3), 0.5) == [0.5, 0.0, 0.5]
    assert B.placement_bias_stds(2, [], 1.0) == [0.0, 0.0]
    with pytest.raises(ValueError, match=r"layer numbers 1\.\.3, got 4"):
        B.placement_bias_stds(3, (4,), 1.0)
    with pytest.raises(ValueError, match="std"):
        B.placement_bias_stds(3, (1,), 0.0)


@pytest.mark.parametrize("hidden", [1, 2, 3, 4])
def test_zero_weights_random_biases_move_one_layer_per_update(moons, hidden):
    X, y = moons
    L = hidden + 1
    net = B.zero_weight_network([2] + [6] * hidden + [1], bias_std=1.0, seed=1)
    w_steps, b_steps = B.layer_first_moves(net, X, y, loss="bce", lr=0.5, steps=L + 2)
    # W_ℓ first moves at update L − ℓ + 1: the output layer at 1, the input layer at L.
    np.testing.assert_array_equal(w_steps, L - np.arange(L))
    assert np.all(net.weights[0] == 0), "first_move_steps must not train the network itself"
    # the output and last hidden bias move with their weights (lower ones may round away)
    assert b_steps[-1] == 1
    if L > 1:
        assert b_steps[-2] == 2


def test_first_move_steps_population_and_never(moons):
    X, y = moons
    net = B.zero_weight_network([2, 4, 4, 1], bias_std=1.0, population=3, seed=2)
    w_steps, _ = B.layer_first_moves(net, X, y, steps=5)
    assert w_steps.shape == (3, 3)
    np.testing.assert_array_equal(w_steps, [[3] * 3, [2] * 3, [1] * 3])
    # zero output bias and balanced classes: the summed residual S is 0 (up to rounding),
    # so the start is a stationary point and the weights move by rounding errors only
    still = B.zero_weight_network([2, 4, 1], bias_std=[1.0, 0.0], seed=0)
    mags, _, _ = B.weight_trajectory(still, X, y, steps=20)
    assert mags.max() < 1e-12
    w_steps, _ = B.layer_first_moves(net, X, y, steps=1)
    np.testing.assert_array_equal(w_steps[:, 0], [-1, -1, 1])  # not yet moved: -1


def test_weight_trajectory_shapes_and_start(moons):
    X, y = moons
    net = B.zero_weight_network([2, 4, 4, 1], bias_std=1.0, seed=1)
    mags, history, trained = B.weight_trajectory(net, X, y, steps=6)
    assert mags.shape == (7, 3) and history.steps == 6
    assert np.all(net.weights[0] == 0) and np.array_equal(trained.weights[0], history.snapshots[-1].weights[0])
    assert np.all(mags[0] == 0) and mags[1, 2] > 0 and mags[1, 1] == 0 and mags[2, 1] > 0
    pop = B.zero_weight_network([2, 4, 1], bias_std=1.0, population=2)
    mags, _, _ = B.weight_trajectory(pop, X, y, steps=3)
    assert mags.shape == (4, 2, 2)


def test_activation_spread_is_zero_at_zero_weights(moons):
    X, _ = moons
    net = B.zero_weight_network([2, 5, 5, 1], bias_std=1.0)
    np.testing.assert_array_equal(initlab.activation_spread(net, X), [0.0, 0.0])
    net.weights[0][:] = 1.0
    spread = initlab.activation_spread(net, X)
    assert spread[0] > 0 and spread[1] == 0


def test_dead_fraction_counts_negative_biases_at_zero_weights(moons):
    X, _ = moons
    net = B.zero_weight_network([2, 8, 8, 1], bias_std=1.0, activation="relu", population=4, seed=5)
    dead = initlab.dead_fraction(net, X)
    assert dead.shape == (2, 4)
    np.testing.assert_allclose(dead[0], (net.biases[0] < 0).mean(axis=1))
    np.testing.assert_allclose(dead[1], (net.biases[1] < 0).mean(axis=1))


def test_singular_values_rank_one_first_update_of_input_layer(moons):
    X, y = moons
    net = B.zero_weight_network([2, 6, 6, 1], bias_std=1.0, seed=1)
    sv, history, trained = B.singular_value_trajectory(net, X, y, steps=5)
    assert sv.shape == (6, 2) and history.steps == 5
    np.testing.assert_allclose(sv[-1], np.linalg.svd(trained.weights[0], compute_uv=False))
    ranks = initlab.numerical_rank(sv, rtol=1e-8)
    np.testing.assert_array_equal(ranks[:4], [0, 0, 0, 1])  # W_1 first moves at update 3, rank 1
    with pytest.raises(ValueError, match="single network"):
        B.singular_value_trajectory(B.zero_weight_network([2, 3, 1], 1.0, population=2), X, y)
    with pytest.raises(ValueError, match=r"layer must be in 1\.\.3"):
        B.singular_value_trajectory(net, X, y, layer=4)


def test_numerical_rank():
    assert initlab.numerical_rank([3.0, 1e-12]) == 1
    assert initlab.numerical_rank([0.0, 0.0]) == 0
    np.testing.assert_array_equal(initlab.numerical_rank([[1.0, 0.5], [1.0, 0.0]]), [2, 1])
    with pytest.raises(ValueError, match="rtol"):
        initlab.numerical_rank([1.0], rtol=2.0)


def test_paired_difference():
    rng = np.random.default_rng(0)
    a = rng.normal(size=50)
    same = initlab.paired_difference(a, a + rng.normal(scale=1e-3, size=50))
    assert same.n == 50 and same.ci_low < same.mean < same.ci_high
    shifted = initlab.paired_difference(a + 1.0, a + rng.normal(scale=0.1, size=50))
    assert shifted.p_value < 0.01 and shifted.ci_low > 0.8
    with pytest.raises(ValueError, match="same length"):
        initlab.paired_difference([1.0, 2.0], [1.0, 2.0, 3.0])


def test_bias_trick_reproduces_the_affine_map():
    rng = np.random.default_rng(1)
    X, W, b = rng.normal(size=(7, 3)), rng.normal(size=(3, 4)), rng.normal(size=4)
    W_aug = B.augment_weights(W, b)
    assert W_aug.shape == (4, 4)
    np.testing.assert_allclose(B.augment_inputs(X) @ W_aug, X @ W + b)
    W2, b2 = B.split_augmented(W_aug)
    np.testing.assert_array_equal(W2, W)
    np.testing.assert_array_equal(b2, b)
    # unit j = column j of the augmented matrix: zero weights, random biases are distinct units
    W0 = np.zeros((3, 4))
    assert initlab.distinct_units(B.augment_weights(W0, b)[None].swapaxes(0, 0)[0]) == 4
    assert initlab.distinct_units(W0) == 1
    Wp, bp = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 4))
    assert B.augment_weights(Wp, bp).shape == (2, 4, 4)
    with pytest.raises(ValueError, match="needs b of shape"):
        B.augment_weights(W, np.zeros(3))
    with pytest.raises(ValueError, match="X must have shape"):
        B.augment_inputs(np.zeros(3))


def test_bias_variance_share():
    assert variance.bias_variance_share(2, 1.0, 1.0) == pytest.approx(1 / 3)
    np.testing.assert_allclose(variance.bias_variance_share(np.array([1, 9]), 0.5, 0.5), [0.5, 0.1])
    assert variance.bias_variance_share(4, 1.0, 0.0) == 0.0
    # Monte Carlo check of Var(z) = fan_in σ_w² + σ_b² for standardised inputs
    rng = np.random.default_rng(2)
    fan_in, n = 3, 200_000
    x = rng.normal(size=(n, fan_in))
    w, bias = rng.normal(scale=0.7, size=(n, fan_in)), rng.normal(scale=0.4, size=n)
    z = (x * w).sum(axis=1) + bias
    measured = 0.4 ** 2 / z.var()
    assert measured == pytest.approx(variance.bias_variance_share(fan_in, 0.7, 0.4), rel=0.03)
    with pytest.raises(ValueError, match="fan_in"):
        variance.bias_variance_share(0, 1.0, 1.0)
    with pytest.raises(ValueError, match="both 0"):
        variance.bias_variance_share(3, 0.0, 0.0)


def test_bad_inputs_are_rejected():
    with pytest.raises(ValueError, match="bias_std"):
        B.zero_weight_network([2, 3, 1], bias_std=-1.0)
    with pytest.raises(ValueError, match="bias_std has 3 entries"):
        B.zero_weight_network([2, 3, 1], bias_std=[1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="steps"):
        B.layer_first_moves(B.zero_weight_network([2, 3, 1], 1.0), np.zeros((4, 2)), np.zeros(4), steps=0)


# ------------------------------------------------------ the explorer's run
def test_zero_weights_random_biases_train_and_a_missing_hidden_bias_sticks():
    history, distinct, dead = B.train_bias_setting()
    assert history.accuracy[-1] == 1.0 and distinct == [8, 8] and dead == [0, 0]
    history, distinct, dead = B.train_bias_setting(bias_2=0.0, steps=300)
    assert abs(history.loss[-1] - np.log(2)) < 1e-6
    assert distinct == [8, 1] and dead == [0, 8]


def test_relu_zero_weights_has_dead_units():
    _, _, dead = B.train_bias_setting(activation="relu", steps=50)
    assert 0 < sum(dead) < 16


def test_bad_settings_are_rejected():
    with pytest.raises(ValueError, match="unknown activation 'elu'"):
        B.train_bias_setting(activation="elu")
    with pytest.raises(ValueError, match="weight_std"):
        B.train_bias_setting(weight_std=-0.1)
    with pytest.raises(ValueError, match="bias_std"):
        B.train_bias_setting(bias_1=-1.0)


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
def test_every_offered_activation_trains(activation):
    assert activation in B.ACTIVATION_CHOICES
    history, distinct, dead = B.train_bias_setting(activation=activation, steps=20)
    assert np.all(np.isfinite(history.loss)) and len(distinct) == len(dead) == 2


@pytest.mark.parametrize("setting", [
    {}, {"bias_2": 0.0}, {"activation": "relu", "weight_std": 0.5},
    {"activation": "sigmoid", "bias_1": 2.0, "bias_out": 0.0},
    {"weight_std": 1.0, "activation": "relu", "lr": 200.0, "steps": 40},  # diverges
])
def test_the_explorers_run_is_train_bit_for_bit(setting):
    steps, lr = setting.pop("steps", 300), setting.pop("lr", 1.0)
    history, distinct, dead = B.train_bias_setting(**setting, steps=steps, lr=lr)
    b = [setting.get(k, 0.5) for k in ("bias_1", "bias_2", "bias_out")]
    std = setting.get("weight_std", 0.0)
    net = B.zero_weight_network([2, 8, 8, 1], bias_std=b, seed=1,
                                activation=setting.get("activation", "tanh"),
                                weight_init=initlab.normal(std) if std else "zeros")
    X, y = initlab.moons(n=100, noise=0.1, seed=0)
    reference = initlab.train(net, initlab.standardize(X), y, loss="bce", lr=lr, steps=steps)
    assert np.array_equal(history.loss, reference.loss, equal_nan=True)
    assert np.array_equal(history.accuracy, reference.accuracy, equal_nan=True)
    assert (history.diverged, history.diverged_at) == (reference.diverged, reference.diverged_at)
    assert reference.diverged == (lr > 1)
    assert distinct == [initlab.distinct_units(W, b_, B.TIE_ATOL)
                        for W, b_ in zip(net.weights[:2], net.biases[:2])]
