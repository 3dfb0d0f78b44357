"""initlab.experiments.scale: the variance argument, the gains, the depth experiments and the tables."""

import numpy as np
import pytest

import initlab
from initlab import variance
from initlab.experiments import scale


def test_second_moments_match_closed_forms():
    assert variance.gaussian_second_moment("identity") == pytest.approx(1.0, abs=1e-12)
    assert variance.gaussian_second_moment("identity", variance=2.5) == pytest.approx(2.5, abs=1e-12)
    # ReLU zeroes half of the pre-activations: E[relu(z)^2] = Var z / 2 (the factor of He et al.)
    assert variance.gaussian_second_moment("relu", variance=3.0) == pytest.approx(1.5, rel=2e-3)
    assert variance.gaussian_second_moment("relu", derivative=True) == pytest.approx(0.5, abs=1e-9)
    # Monte Carlo check of a smooth one
    z = np.random.default_rng(0).standard_normal(400_000)
    assert variance.gaussian_second_moment("tanh") == pytest.approx(np.mean(np.tanh(z) ** 2), abs=3e-3)


def test_predicted_variance_formula_and_validation():
    assert variance.predicted_preactivation_variance(64, 0.125, 1.0) == pytest.approx(1.0)
    assert np.allclose(variance.predicted_preactivation_variance([16, 64], 0.25, 2.0), [2.0, 8.0])
    with pytest.raises(ValueError, match="weight_std"):
        variance.predicted_preactivation_variance(16, -1.0, 1.0)


def test_predicted_variance_matches_a_measured_layer():
    X = np.random.default_rng(1).standard_normal((4000, 256))
    net = initlab.MLP([256, 256], activation="lecun_tanh", weight_init="lecun", seed=0)
    zs, _ = net.forward_pass(X)
    predicted = variance.predicted_preactivation_variance(256, 1 / 16, np.mean(X ** 2))
    assert zs[0].var() == pytest.approx(predicted, rel=0.1)


def test_gains():
    assert variance.classic_gain("relu")[0] == pytest.approx(np.sqrt(2))
    assert variance.classic_gain("tanh")[0] == 1.0
    assert variance.classic_gain(initlab.LeakyReLU(0.2))[0] == pytest.approx(np.sqrt(2 / 1.04))
    assert variance.unit_variance_gain("relu") == pytest.approx(np.sqrt(2), rel=1e-3)
    assert variance.unit_variance_gain("identity") == pytest.approx(1.0)
    assert variance.unit_variance_gain("tanh") > 1.5  # tanh contracts: unit variance needs more
    with pytest.raises(ValueError, match="allowed"):
        variance.classic_gain(initlab.Activation())


def test_recommended_std():
    assert variance.recommended_std("tanh", 100) == pytest.approx(0.1)
    assert variance.recommended_std("relu", 512) == pytest.approx(1 / 16)
    assert np.allclose(variance.recommended_std("identity", np.array([16, 64])), [0.25, 0.125])
    assert variance.recommended_std("relu", 100, rule="unit_variance") == pytest.approx(np.sqrt(2) / 10, rel=1e-3)
    with pytest.raises(ValueError, match="rule"):
        variance.recommended_std("relu", 100, rule="magic")
    with pytest.raises(ValueError, match="fan_in"):
        variance.recommended_std("relu", 0)
    with pytest.raises(ValueError, match="fan_in"):
        variance.recommended_std("relu", 2.5)


def test_nearly_linear_region():
    z = np.array([-2.0, -1.0, 0.0, 1.0, 1.3, 1.4])
    assert variance.nearly_linear("lecun_tanh", z).tolist() == [False, True, True, True, True, False]
    assert variance.nearly_linear("relu", np.array([-1.0, 1.0])).tolist() == [False, True]
    assert variance.nearly_linear("identity", np.array([-100.0])).all()
    with pytest.raises(ValueError, match="min_slope"):
        variance.nearly_linear("tanh", z, min_slope=2)


def test_gain_normal_and_per_member():
    rng = np.random.default_rng(0)
    W = initlab.gain_normal([0.5, 2.0])((2, 400, 300), rng)
    assert W.shape == (2, 400, 300)
    assert W[0].std() == pytest.approx(0.5 / 20, rel=0.02)
    assert W[1].std() == pytest.approx(2.0 / 20, rel=0.02)
    assert initlab.gain_normal(1.0)((400, 10), rng).std() == pytest.approx(0.05, rel=0.05)
    with pytest.raises(ValueError, match="K = 2"):
        initlab.gain_normal([1.0, 2.0])((3, 4, 4), rng)
    with pytest.raises(ValueError, match="gain"):
        initlab.gain_normal(-1.0)
    W = initlab.per_member("glorot_normal", "he_normal")((2, 200, 200), rng)
    assert W[0].std() == pytest.approx(np.sqrt(1 / 200), rel=0.03)
    assert W[1].std() == pytest.approx(np.sqrt(2 / 200), rel=0.03)
    with pytest.raises(ValueError, match="K = 2"):
        initlab.per_member("glorot_normal", "he_normal")((3, 4, 4), rng)
    with pytest.raises(ValueError, match="at least one"):
        initlab.per_member()


def test_depth_profile_agrees_with_layer_statistics():
    gains = [0.5, 1.0, 3.0]
    profile = scale.depth_profile("tanh", gains, hidden_layers=4, width=16, n_samples=50, seed=3)
    X, y = initlab.scale_data(50, seed=3)
    net = initlab.MLP([16, 16, 16, 16, 16, 10], activation="tanh",
                      weight_init=initlab.gain_normal(gains), population=3, seed=3)
    stats = initlab.layer_statistics(net, X, y, "softmax_ce")
    assert profile.a_std.shape == (4, 3) and len(profile.a) == 4
    assert np.allclose(profile.a_std, [s.a_std for s in stats[:-1]])
    assert np.allclose(profile.delta_std, [s.delta_std for s in stats[:-1]])
    assert np.allclose(profile.saturated, [s.a_saturated for s in stats[:-1]])


def test_depth_profile_shows_vanishing_and_he_stability():
    tanh = scale.depth_profile("tanh", [0.5, 1.0], hidden_layers=12, width=64, n_samples=64)
    assert tanh.a_std[-1, 0] / tanh.a_std[0, 0] < 1e-3   # too small: vanishes
    assert tanh.a_std[-1, 1] / tanh.a_std[0, 1] > 0.1    # LeCun: survives
    relu = scale.depth_profile("relu", [1.0, np.sqrt(2)], hidden_layers=12, width=64, n_samples=64)
    assert relu.a_std[-1, 0] / relu.a_std[0, 0] < 0.1    # Xavier halves the variance per layer
    assert 0.3 < relu.a_std[-1, 1] / relu.a_std[0, 1] < 3  # He keeps it


def test_train_population_shapes_and_contrast():
    history, init_std = scale.train_population(
        "relu", initlab.per_member("glorot_normal", "he_normal"), 2, hidden_layers=20, width=16,
        steps=30, lr=0.005, n_samples=64)
    assert history.loss.shape == (31, 2) and init_std.shape == (20, 2)
    assert init_std[-1, 0] < 0.01 * init_std[-1, 1]
    with pytest.raises(ValueError, match="population"):
        scale.train_population("relu", "he_normal", 0)


def test_signal_std_after():
    stds = scale.signal_std_after("identity", 64, [1 / 8, 0.01], n_layers=10)
    assert 0.5 < stds[0] < 2 and stds[1] < 1e-8
    again = scale.signal_std_after("identity", 64, [1 / 8, 0.01], n_layers=10)
    assert np.array_equal(stds, again)  # seeded
    with pytest.raises(ValueError, match="stds"):
        scale.signal_std_after("relu", 16, [-0.1])
    with pytest.raises(ValueError, match="fan_in"):
        scale.signal_std_after("relu", 0, [0.1])


def test_tables_render():
    table = scale.recommended_std_table(fan_ins=(16, 100))
    md = table.to_markdown()
    assert "| relu |" in md and "0.1" in md  # tanh at fan-in 100: 1/10
    assert "<table" in table._repr_html_() and "<th>activation</th>" in table._repr_html_()
    table, values = scale.signal_std_table(activations=("relu", "tanh"), fan_ins=(16, 64), n_layers=5)
    assert set(values) == {("relu", "rule"), ("relu", 0.1), ("relu", 0.01),
                           ("tanh", "rule"), ("tanh", 0.1), ("tanh", 0.01)}
    assert len(table.rows) == 6 and values[("relu", 0.01)].shape == (2,)
    with pytest.raises(ValueError, match="fan_ins"):
        scale.recommended_std_table(fan_ins=())
    with pytest.raises(ValueError, match="headers"):
        initlab.tables.Table(["a", "b"], [[1]])


def test_signal_counts_what_depends_on_the_input_not_constant_offsets():
    # The sigmoid's units keep a large mean (an offset) but almost no input-dependent spread.
    sigmoid = scale.signal_std_after("sigmoid", 64, [1.0 / 8], n_layers=20)[0]
    identity = scale.signal_std_after("identity", 64, [1.0 / 8], n_layers=20)[0]
    assert sigmoid < 1e-6 < 0.3 < identity
