"""initlab.frameworks: the library defaults as initializers, with no library installed."""

import math

import numpy as np
import pytest

import initlab
from initlab import frameworks as fw

N, M = 400, 300


def draw(init, shape=(N, M), seed=0):
    return init(shape, np.random.default_rng(seed))


# ------------------------------------------------------------------ PyTorch's gain
@pytest.mark.parametrize("nonlinearity,param,gain", [
    ("linear", None, 1.0), ("conv2d", None, 1.0), ("sigmoid", None, 1.0), ("tanh", None, 5 / 3),
    ("relu", None, math.sqrt(2)), ("leaky_relu", None, math.sqrt(2 / (1 + 0.01 ** 2))),
    ("leaky_relu", 0.2, math.sqrt(2 / 1.04)), ("leaky_relu", math.sqrt(5), 1 / math.sqrt(3)),
    ("selu", None, 0.75)])
def test_torch_gain_values(nonlinearity, param, gain):
    assert abs(fw.torch_gain(nonlinearity, param) - gain) < 1e-15


@pytest.mark.parametrize("bad", [("swish", None), ("leaky_relu", "x"), ("leaky_relu", True),
                                 ("leaky_relu", float("nan"))])
def test_torch_gain_rejects_bad_input_with_a_message(bad):
    with pytest.raises(ValueError, match="nonlinearity|negative slope"):
        fw.torch_gain(*bad)


def test_truncated_normal_std_factor_is_jax_constant_and_matches_a_sample():
    assert abs(fw.truncated_normal_std_factor(2.0) - 0.87962566103423978) < 1e-15
    x = np.random.default_rng(0).standard_normal(2_000_000)
    x = x[np.abs(x) < 1.5]
    assert abs(x.std() - fw.truncated_normal_std_factor(1.5)) < 2e-3
    with pytest.raises(ValueError, match="cutoff"):
        fw.truncated_normal_std_factor(0)


# ---------------------------------------------------------------- the initializers
@pytest.mark.parametrize("name", fw.LIBRARIES + tuple(fw.REFERENCES))
@pytest.mark.parametrize("activation", ["relu", "sigmoid"])
def test_each_weight_initializer_draws_what_its_formula_says(name, activation):
    init = fw.library_default(name, activation).weight
    w = draw(init, (4, N, M))  # a population axis: 4 independent draws
    std, bound = init.std(N, M), init.bound(N, M)
    assert np.all(np.abs(w.std(axis=(1, 2)) / std - 1) < 0.01)
    assert abs(w.mean()) < 5 * std / math.sqrt(w.size)
    if math.isfinite(bound):
        assert np.abs(w).max() <= bound and np.abs(w).max() > 0.999 * bound
    assert not np.allclose(w[0], w[1])  # members are independent draws


def test_pytorch_linear_is_uniform_one_over_root_fan_in():
    init = fw.torch_linear
    assert init.kind == "uniform"
    assert abs(init.bound(N, M) - 1 / math.sqrt(N)) < 1e-15
    assert abs(init.std(N, M) - 1 / math.sqrt(3 * N)) < 1e-15
    # the same as kaiming_uniform_(a=√5) built from the general function
    general = fw.torch_kaiming_uniform(a=math.sqrt(5))
    assert abs(general.bound(N, M) - init.bound(N, M)) < 1e-15
    # fan_out mode uses the other fan
    assert abs(fw.torch_kaiming_uniform(mode="fan_out", nonlinearity="relu").bound(N, M)
               - math.sqrt(6 / M)) < 1e-15


def test_flax_default_is_truncated_at_two_sigma_with_std_one_over_root_n():
    init = fw.flax_lecun_normal
    w = draw(init, (N, M))
    sigma = init.bound(N, M) / 2
    assert np.abs(w).max() <= 2 * sigma
    assert abs(sigma * 0.87962566103423978 - 1 / math.sqrt(N)) < 1e-15
    # a truncated normal has thin tails: fraction beyond 1σ is (P(<2) − P(<1)) / P(<2)
    expected = (math.erf(2 / math.sqrt(2)) - math.erf(1 / math.sqrt(2))) / math.erf(2 / math.sqrt(2))
    assert abs(np.mean(np.abs(w) > sigma) - expected) < 0.005


def test_sklearn_factor_two_for_logistic_units_only():
    for act, factor in (("relu", 6), ("tanh", 6), ("sigmoid", 2), ("logistic", 2)):
        d = fw.library_default("sklearn", act)
        assert abs(d.weight.bound(N, M) - math.sqrt(factor / (N + M))) < 1e-15
        assert abs(d.bias.limit(N, M) - d.weight.bound(N, M)) < 1e-15
    assert "logistic" in fw.library_default("sklearn", initlab.sigmoid).layer


def test_reference_rules_draw_exactly_as_the_core_initializers():
    for key, core in (("he", initlab.he_normal), ("lecun", initlab.lecun),
                      ("glorot", initlab.glorot_uniform)):
        a = draw(fw.reference_initializer(key), seed=3)
        b = draw(core, seed=3)
        assert np.array_equal(a, b)
    with pytest.raises(ValueError, match="reference"):
        fw.reference_initializer("xavier")


def test_torch_xavier_uniform_with_gain_one_over_root_three_is_sklearn_logistic():
    a = fw.torch_xavier_uniform(1 / math.sqrt(3))
    b = fw.sklearn_glorot_uniform("sigmoid")
    assert abs(a.std(N, M) - b.std(N, M)) < 1e-15
    with pytest.raises(ValueError, match="gain"):
        fw.torch_xavier_uniform(0)


def test_kaiming_normal_is_untruncated():
    init = fw.torch_kaiming_normal(nonlinearity="relu")
    assert math.isinf(init.bound(N, M)) and init.kind == "normal"
    w = draw(init, (N, M))
    assert np.abs(w).max() > 3.5 * init.std(N, M)  # tails beyond 2σ exist
    with pytest.raises(ValueError, match="mode"):
        fw.torch_kaiming_normal(mode="fan_avg")


def test_weight_initializer_needs_fans():
    with pytest.raises(ValueError, match="fan_in, fan_out"):
        fw.torch_linear((10,), np.random.default_rng(0))


# ------------------------------------------------------------------ biases, layers
def test_bias_initializers_per_layer():
    assert fw.zero_bias.initializer(16, 8) is initlab.zeros
    b = fw.torch_linear_bias.initializer(16, 8)((200_000,), np.random.default_rng(0))
    assert np.abs(b).max() <= 0.25 and abs(b.std() / (0.25 / math.sqrt(3)) - 1) < 0.01
    with pytest.raises(ValueError, match="fan_in"):
        fw.torch_linear_bias.initializer(0, 8)


def test_library_default_builds_the_library_network():
    sizes = [16, 64, 32, 10]
    net = fw.library_default("pytorch").mlp(sizes, activation="relu", population=50, seed=1)
    for (n, m), W, b in zip(zip(sizes[:-1], sizes[1:]), net.weights, net.biases):
        assert np.abs(W).max() <= 1 / math.sqrt(n) and np.abs(b).max() <= 1 / math.sqrt(n)
        assert abs(b.std() / (1 / math.sqrt(3 * n)) - 1) < 0.05
    same = fw.library_default("pytorch").mlp(sizes, activation="relu", population=50, seed=1,
                                             biases=False)
    assert all(np.array_equal(a, c) for a, c in zip(net.weights, same.weights))
    assert all(np.all(b == 0) for b in same.biases)
    keras = fw.library_default("keras").mlp(sizes, seed=1)
    assert all(np.all(b == 0) for b in keras.biases)


def test_library_default_rejects_unknown_names_and_bad_sizes():
    with pytest.raises(ValueError, match="library default.*allowed"):
        fw.library_default("tensorflow")
    with pytest.raises(ValueError, match="sizes"):
        fw.library_default("keras").initializers([16])


def test_mapping_table_is_generated_from_the_initializers():
    table = fw.mapping_table(fan_in=256, fan_out=128, seed=0)
    assert len(table.rows) == len(fw.LIBRARIES) + len(fw.REFERENCES)
    by_name = {row[1]: row for row in table.rows}
    torch_row = by_name["torch_linear"]
    assert torch_row[6] == f"{1 / math.sqrt(3 * 256):.4g}"
    assert abs(float(torch_row[7]) / (1 / math.sqrt(3 * 256)) - 1) < 0.02
    assert "a=√5" in torch_row[2] and torch_row[9] == "U(±1/√n)"
    assert by_name["flax_lecun_normal"][8] == f"±{2 / 0.87962566103423978 / 16:.4g}"
    assert by_name["he_normal"][8] == "unbounded"
    assert "| torch_linear |" in table.to_markdown()
