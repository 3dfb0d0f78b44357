"""Chapter 9's experiments: signal profiles, the variance recursion, training, checklist."""

import math

import numpy as np
import pytest

import initlab
from initlab.experiments import frameworks as ex


@pytest.fixture(scope="module")
def relu_profiles():
    return ex.signal_profiles("relu", names=("pytorch", "keras", "he"), hidden_layers=12, width=128,
                              n_samples=48, population=3, seed=0)


def test_task_is_standardised_ten_class_blobs():
    X, y = ex.task(n=100)
    assert X.shape == (100, 16) and set(np.unique(y)) == set(range(10))
    assert np.allclose(X.mean(0), 0, atol=1e-12) and np.allclose(X.std(0), 1)


def test_signal_profiles_shapes_and_ordering(relu_profiles):
    p = relu_profiles["pytorch"]
    assert p.a_std.shape == (12, 3) and p.signal_std.shape == (12, 3)
    assert np.all(p.signal_std <= p.a_std * (1 + 1e-12))  # the input-dependent part is a part
    # He keeps the signal, Keras halves the variance per layer, PyTorch divides it by 6
    assert np.all(relu_profiles["he"].signal_std[-1] > 10 * relu_profiles["keras"].signal_std[-1])
    assert np.all(relu_profiles["keras"].signal_std[-1] > 10 * p.signal_std[-1])
    decay = ex.decay_per_layer(p.signal_std, 3, 12)
    assert np.all(np.abs(decay * math.sqrt(6) - 1) < 0.15), decay


def test_signal_profile_input_dependent_part_is_zero_for_a_constant_layer():
    net_free = ex.signal_profiles("tanh", names=("pytorch",), hidden_layers=3, width=32, population=2,
                                  biases=False)["pytorch"]
    assert np.all(net_free.signal_std > 0)
    # by definition: a unit that gives every sample the same value contributes nothing
    a = np.ones((2, 10, 4)) * np.arange(4)
    assert np.sqrt(a.var(axis=-2).mean(axis=-1)).max() == 0 and a.std(axis=(-2, -1)).min() > 0


def test_biases_set_a_floor_that_the_variance_map_predicts(relu_profiles):
    predicted = ex.variance_map("pytorch", "relu", width=128, hidden_layers=12, input_dim=16)
    measured = relu_profiles["pytorch"].a_std[-1]
    assert np.all(np.abs(measured / predicted["a_std"][-1] - 1) < 0.3), (measured, predicted)
    assert predicted["floor"] > 0
    assert ex.variance_map("keras", "relu")["floor"] == 0
    no_bias = ex.signal_profiles("relu", names=("pytorch",), hidden_layers=12, width=128, n_samples=48,
                                 population=3, seed=0, biases=False)["pytorch"]
    assert np.all(no_bias.a_std[-1] < 1e-3 * measured)


@pytest.mark.parametrize("name,activation,decay", [
    ("pytorch", "relu", 1 / math.sqrt(6)), ("keras", "relu", 1 / math.sqrt(2)),
    ("he", "relu", 1.0), ("pytorch", "tanh", None)])
def test_variance_map_decay(name, activation, decay):
    result = ex.variance_map(name, activation, width=256, hidden_layers=40)
    if decay is not None:
        assert abs(result["decay"] - decay) < 5e-3
    else:  # tanh near 0 is linear: sqrt(1/3), slightly less at the floor
        assert 0.5 < result["decay"] < 1 / math.sqrt(3) + 1e-9
    assert result["z_std"].shape == (40,) and np.all(result["a_std"] > 0)


def test_first_layer_below_and_decay_validate():
    stds = np.array([[1.0, 1.0], [0.1, 0.5], [0.01, 0.4]])
    assert list(ex.first_layer_below(stds, 10)) == [2, -1]
    assert ex.first_layer_below(stds[:, 0], 50) == 3
    with pytest.raises(ValueError, match="factor"):
        ex.first_layer_below(stds, 0)
    with pytest.raises(ValueError, match="first < last"):
        ex.decay_per_layer(stds, 2, 2)


def test_profile_table_lists_every_default(relu_profiles):
    table = ex.profile_table({"relu": relu_profiles}, width=128)
    assert [r[0] for r in table.rows] == ["PyTorch nn.Linear", "Keras Dense", "He (zero bias)"]
    assert len(table.headers) == 4


def test_train_defaults_population_layout():
    runs = ex.train_defaults(names=("pytorch", "he"), hidden_layers=4, width=16, population=3, steps=30,
                             lr=1e-2, n_samples=64)
    assert runs.loss.shape == (31, 2, 3) and runs.accuracy.shape == (31, 2, 3)
    assert np.all(np.isfinite(runs.loss))
    assert np.allclose(runs.loss[0, 0], np.log(10), atol=0.1)  # PyTorch: small outputs at the start
    assert np.median(runs.final("he")) < np.median(runs.loss[0, 1])  # it trains
    assert runs.final("pytorch", "accuracy").shape == (3,)


def test_checklist_passes_a_good_start_and_flags_bad_ones():
    X, y = ex.task(n=64)
    starts = ex.bad_initialisations([16, 32, 32, 32, 10], activation="tanh", seed=1)
    checks = {k: ex.checklist(v, X, y) for k, v in starts.items()}
    assert checks["PyTorch default"].passed
    assert ex.CHECKS[0][0] in checks["unscaled randn"].failed()
    failed = checks["zeros inside"].failed()
    assert ex.CHECKS[5][0] in failed and ex.CHECKS[4][0] in failed
    table = ex.checklist_table(checks)
    assert len(table.rows) == len(ex.CHECKS) and table.headers[2:] == list(starts)
    assert table.rows[0][3].startswith("✗")


def test_checklist_rejects_populations_and_shallow_bad_starts():
    X, y = ex.task(n=32)
    net = initlab.MLP([16, 8, 10], population=2)
    with pytest.raises(ValueError, match="population"):
        ex.checklist(net, X, y)
    with pytest.raises(ValueError, match="3 hidden layers"):
        ex.bad_initialisations([16, 8, 8, 10])
