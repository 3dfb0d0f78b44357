"""initlab.experiments.saddle: the zero point is a strict saddle; escape times from scale ε."""

import numpy as np
import pytest

import initlab
from initlab.experiments import saddle


@pytest.fixture(scope="module")
def task():
    return initlab.teacher_regression(n=60, d=3, hidden=4, seed=1)


def test_zero_network_is_stationary_and_only_b2_was_fitted(task):
    X, y = task
    net = saddle.zero_point_network(X, y, hidden=5)
    assert net.sizes == [3, 5, 1]
    assert net.biases[1][0] == pytest.approx(y.mean())
    groups = initlab.gradient_by_group(net, X, y)
    assert list(groups) == ["W1", "b1", "W2", "b2"]
    assert groups["W1"] == groups["b1"] == groups["W2"] == 0.0
    assert groups["b2"] < 1e-12


def test_closed_form_hessian_matches_finite_differences(task):
    X, y = task
    net = saddle.zero_point_network(X, y, hidden=3)
    numeric = initlab.hessian(net, X, y, "mse")
    closed = saddle.zero_point_hessian(X, y, hidden=3)
    np.testing.assert_allclose(closed, numeric, atol=1e-8)


def test_hessian_off_the_optimal_bias_has_the_bias_cross_term(task):
    X, y = task
    net = saddle.zero_point_network(X, y, hidden=2)
    net.biases[1][:] = 0.3
    numeric = initlab.hessian(net, X, y, "mse")
    np.testing.assert_allclose(saddle.zero_point_hessian(X, y, hidden=2, output_bias=0.3),
                               numeric, atol=1e-8)


def test_eigenvalues_come_in_pairs_one_per_unit(task):
    X, y = task
    H = saddle.zero_point_hessian(X, y, hidden=4)
    predicted = saddle.predicted_zero_point_eigenvalues(X, y, hidden=4)
    np.testing.assert_allclose(np.linalg.eigvalsh(H), predicted, atol=1e-12)
    c = saddle.input_residual_correlation(X, y)
    assert c[-1] == pytest.approx(0, abs=1e-12)  # optimal b2: no bias cross term
    assert np.sum(predicted < 0) == 4
    assert predicted[0] == pytest.approx(-np.linalg.norm(c))


def test_input_residual_correlation_by_hand():
    X = np.array([[1.0], [-1.0]])
    y = np.array([2.0, 0.0])
    np.testing.assert_allclose(saddle.input_residual_correlation(X, y), [1.0, 0.0])
    np.testing.assert_allclose(saddle.input_residual_correlation(X, y, output_bias=0), [1.0, 1.0])


def test_saddle_directions_are_unit_eigenvectors(task):
    X, y = task
    H = saddle.zero_point_hessian(X, y, hidden=4)
    lam = np.linalg.norm(saddle.input_residual_correlation(X, y))
    down, up = saddle.saddle_directions(X, y, hidden=4, unit=2)
    for v, sign in ((down, -1), (up, 1)):
        assert np.linalg.norm(v) == pytest.approx(1)
        np.testing.assert_allclose(H @ v, sign * lam * v, atol=1e-12)
    net = saddle.zero_point_network(X, y, hidden=4)
    _, _, surface = initlab.loss_surface(net, X, y, "mse", down, up, span=0.2, n=5)
    assert surface[0, 2] < surface[2, 2] < surface[2, 0]  # down along d1, up along d2


def test_escape_time_grows_like_log_one_over_epsilon(task):
    X, y = task
    eps = [1e-1, 1e-3, 1e-5]
    result = saddle.escape_experiment(X, y, eps, population=3, steps=150)
    assert result.loss.shape == (151, 3, 3)
    assert np.all(result.steps > 0)
    assert np.all(np.diff(result.median_steps) > 0)
    _, b = initlab.fit_log_law(result.epsilons, result.steps)
    lam = np.linalg.norm(saddle.input_residual_correlation(X, y))
    assert b == pytest.approx(saddle.predicted_log_slope(0.5, -lam), rel=0.15)


def test_fit_log_law_recovers_a_line():
    eps = np.array([1e-1, 1e-2, 1e-3])
    a, b = initlab.fit_log_law(eps, 3 + 2 * np.log(1 / eps))
    assert (a, b) == (pytest.approx(3), pytest.approx(2))
    a, b = initlab.fit_log_law(eps, np.c_[3 + 2 * np.log(1 / eps), [-1, -1, -1]])
    assert b == pytest.approx(2)


def test_scalar_chain_matches_the_laws():
    eps = [0.1, 0.03, 0.01]
    steps = saddle.scalar_chain_escape([2, 3], eps, lr=0.05, cap=5000)
    assert steps.shape == (2, 3) and np.all(steps > 0)
    ratio = steps[1] / saddle.chain_escape_prediction(3, eps, lr=0.05)
    assert np.all((ratio > 0.8) & (ratio < 1.05))
    assert initlab.power_law_exponent(eps, steps[1]) == pytest.approx(1, abs=0.1)
    assert initlab.power_law_exponent(eps, steps[0]) < 0.6
    assert saddle.scalar_chain_escape([4], [0.01], cap=100)[0, 0] == -1


def test_deep_linear_orthogonal_is_fast_at_every_depth():
    result = saddle.deep_linear_steps([2, 8], "orthogonal", width=8, population=2, cap=300)
    assert result.steps.shape == (2, 2) and np.all(result.steps > 0)
    assert not result.diverged.any()
    slow = saddle.deep_linear_steps([8], "lecun", width=8, population=2, cap=5)
    assert np.all(slow.median_steps == np.inf)


@pytest.mark.parametrize("call, match", [
    (lambda X, y: saddle.zero_point_network(X, y, activation="sigmoid"), "g\\(0\\)"),
    (lambda X, y: saddle.zero_point_network(X, y, hidden=0), "hidden"),
    (lambda X, y: saddle.zero_point_network(X[:, 0], y), "shape"),
    (lambda X, y: saddle.zero_point_network(X, y[:-1]), "y must have shape"),
    (lambda X, y: saddle.saddle_directions(X, y, hidden=2, unit=2), "unit"),
    (lambda X, y: saddle.escape_experiment(X, y, [0.1, -1]), "epsilons"),
    (lambda X, y: saddle.escape_experiment(X, y, [0.1], n_layers=1), "n_layers"),
    (lambda X, y: saddle.escape_experiment(X, y, [0.1], fraction=1.5), "fraction"),
    (lambda X, y: saddle.escape_experiment(X, y, [0.1], steps=3, trained_loss=99.0), "trained_loss"),
    (lambda X, y: saddle.predicted_log_slope(0.5, 0.0), "curvature"),
    (lambda X, y: saddle.predicted_log_slope(-0.5, 1.0), "lr"),
    (lambda X, y: saddle.scalar_chain_escape([0], [0.1]), "lengths"),
    (lambda X, y: saddle.scalar_chain_escape([2], [0.1], cap=0), "cap"),
    (lambda X, y: saddle.chain_escape_prediction(1, [0.1]), "k must be"),
    (lambda X, y: saddle.deep_linear_steps([2], "zeros"), "init"),
    (lambda X, y: initlab.power_law_exponent([0.1, 0.01], [5, -1]), "two escapes"),
    (lambda X, y: initlab.fit_log_law([0.1, 0.01], [5]), "rows"),
])
def test_bad_input_is_rejected_with_a_message(task, call, match):
    X, y = task
    with pytest.raises(ValueError, match=match):
        call(X, y)


def test_uncorrelated_target_has_no_saddle_direction():
    X, y = initlab.xor()
    with pytest.raises(ValueError, match="uncorrelated"):
        saddle.saddle_directions(X, y)


# ------------------------------------------------------ the explorer's runs
def test_escape_curves_shapes_and_depth_slows_escape():
    shallow = saddle.escape_curves(0.01, n_layers=2, population=2, steps=200)
    deep = saddle.escape_curves(0.01, n_layers=3, population=2, steps=200)
    assert shallow.loss.shape == (201, 1, 2)
    assert np.all(shallow.steps > 0)
    assert np.all((deep.steps == -1) | (deep.steps > shallow.steps.max()))


@pytest.mark.parametrize("kwargs, match", [({"epsilon": 0}, "epsilon"), ({"n_layers": 1}, "n_layers"),
                                           ({"n_layers": 9}, "n_layers")])
def test_escape_curves_rejects_bad_settings(kwargs, match):
    with pytest.raises(ValueError, match=match):
        saddle.escape_curves(**kwargs)


def test_deep_linear_result_separates_stalled_from_diverged_and_records_the_spectrum():
    result = saddle.deep_linear_steps([16], "lecun", width=16, population=3, lr_scale=0.03, cap=20)
    assert result.sigma_min.shape == result.sigma_max.shape == (1, 3)
    assert np.all(result.sigma_min < result.sigma_max)
    assert np.array_equal(result.stalled, ~result.diverged & (result.steps < 0))
    assert np.all((result.final_fraction > 0) & (result.final_fraction < 1.5))
    orth = saddle.deep_linear_steps([8], "orthogonal", width=16, population=2, cap=3)
    assert np.allclose(orth.sigma_min, 1) and np.allclose(orth.sigma_max, 1)
