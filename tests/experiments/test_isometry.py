"""Chapter 10's experiments: signal propagation, the phase diagram, Jacobian spectra, recipes."""

import numpy as np
import pytest

from initlab import meanfield
from initlab.experiments import isometry


def test_input_pairs_have_the_requested_cosines_and_unit_mean_square():
    X = isometry.input_pairs([0.0, 0.5, -0.3, 1.0], dim=8, seed=1)
    assert X.shape == (8, 8)
    assert np.allclose((X ** 2).mean(axis=1), 1.0)
    a, b = X[0::2], X[1::2]
    cos = (a * b).sum(1) / np.sqrt((a * a).sum(1) * (b * b).sum(1))
    assert np.allclose(cos, [0.0, 0.5, -0.3, 1.0], atol=1e-12)
    with pytest.raises(ValueError, match="c_input"):
        isometry.input_pairs([1.2], dim=4)
    with pytest.raises(ValueError, match="dim"):
        isometry.input_pairs([0.1], dim=1)


def test_signal_propagation_matches_the_maps_on_wide_networks():
    run = isometry.signal_propagation([0.8, 2.5], 0.05, c_input=(0.3, 0.9), depth=8, width=192,
                                      seeds=2, seed=3)
    assert run.q_measured.shape == (8, 2, 2) and run.c_measured.shape == (8, 2, 2, 2)
    assert run.q_predicted.shape == (8, 2) and run.c_predicted.shape == (8, 2, 2)
    assert np.allclose(run.q_measured.mean(axis=2), run.q_predicted, rtol=0.2)
    assert np.abs(run.c_measured.mean(axis=2) - run.c_predicted).max() < 0.2
    # the first layer sees the inputs: its prediction is exact in expectation
    assert np.allclose(run.q_predicted[0], np.array([0.8, 2.5]) + 0.05)
    orth = isometry.signal_propagation([1.0], 0.0, depth=3, width=32, seeds=1, weights="orthogonal")
    assert np.all(np.isfinite(orth.c_measured))


def test_phase_diagram_shapes_chance_and_theory():
    pd = isometry.phase_diagram(depths=(2, 12), sigma_w2=(0.3, 1.76), seeds=2, width=16,
                                steps=30, lr=0.05, n_samples=32, classes=4, seed=0)
    assert pd.accuracy.shape == (2, 2, 2) and pd.mean_accuracy.shape == (2, 2)
    assert np.all((pd.accuracy >= 0) & (pd.accuracy <= 1)) and pd.chance == 0.25
    assert np.allclose(pd.trainable_depth, 6 * meanfield.depth_scale([0.3, 1.76], 0.05))
    # deep in the ordered phase (6 ξ_c ≈ 4) twelve layers cannot separate the classes
    assert pd.mean_accuracy[1, 0] < 0.6 and pd.trained().shape == (2, 2, 2)
    text = pd.table().to_markdown()
    assert "6 ξ_c" in text and "σ_w² = 1.76" in text


def test_jacobian_spectrum_orthogonal_tanh_near_q0_is_nearly_isometric():
    w, b = meanfield.critical_point(1 / 64)
    orth = isometry.jacobian_spectrum("tanh", "orthogonal", w, b, depth=16, width=64, seeds=2)
    gauss = isometry.jacobian_spectrum("tanh", "gaussian", w, b, depth=16, width=64, seeds=2)
    assert orth.shape == (2, 64)
    assert meanfield.log_spread(orth).max() < 0.2 < 1.0 < meanfield.log_spread(gauss).min()
    assert np.all(np.diff(orth, axis=-1) <= 0)                 # largest first
    with pytest.raises(ValueError, match="weights"):
        isometry.jacobian_spectrum("tanh", "uniform", 1.0, 0.0, depth=2, width=4, seeds=1)


def test_jacobian_spectra_fills_in_the_critical_point_and_measures_means():
    spectra = isometry.jacobian_spectra(depth=6, width=32, seeds=2)
    assert spectra.singular_values.shape == (5, 2, 32) and spectra.spread.shape == (5, 2)
    w, b = meanfield.critical_point(1 / 64)
    assert spectra.sigma_w2[0] == pytest.approx(w) and spectra.sigma_b2[0] == pytest.approx(b)
    assert np.allclose(spectra.chi_1[:4], 1.0, atol=1e-6)
    assert np.allclose(spectra.singular_values[4], 1.0)          # linear + orthogonal


def test_chi_1_map_is_cached_and_has_the_critical_line():
    w, b, chi = isometry.chi_1_map("tanh", 3.0, 0.2, n=12)
    assert chi.shape == (12, 12) and w[-1] == 3.0 and b[0] == 0.0
    assert chi[0, 0] < 1 < chi[0, -1]
    chi[0, 0] = -5.0                                             # a copy: the cache is safe
    assert isometry.chi_1_map("tanh", 3.0, 0.2, n=12)[2][0, 0] > 0


def test_recipe_table_places_the_recipes():
    table, values = isometry.recipe_table(fan_in=64)
    assert values["LeCun N(0, 1/fan_in), zero bias"]["phase"] == "critical"
    assert values["He/Kaiming, zero bias"]["phase"] == "chaotic"
    torch_default = values["PyTorch nn.Linear default"]
    assert torch_default["phase"] == "ordered"
    assert torch_default["sigma_b2"] == pytest.approx(1 / 192)
    assert values["He/Kaiming, zero bias"]["chi_relu"] == pytest.approx(1.0)
    assert "PyTorch" in table.to_markdown()


@pytest.mark.parametrize("activation, weights, sigma_b2", [
    ("tanh", "gaussian", 0.05), ("tanh", "orthogonal", 0.0), ("relu", "gaussian", 0.1)])
def test_one_network_is_the_network_of_both_measurements(activation, weights, sigma_b2):
    """The explorer's single network gives exactly the numbers of the two separate calls."""
    c, s = isometry.one_network(1.5, sigma_b2, (0.1, 0.5, 0.9), activation, weights, depth=8,
                                width=32, seed=2)
    run = isometry.signal_propagation([1.5], sigma_b2, (0.1, 0.5, 0.9), depth=8, width=32, seeds=1,
                                      activation=activation, weights=weights, seed=2)
    spectrum = isometry.jacobian_spectrum(activation, weights, 1.5, sigma_b2, depth=8, width=32,
                                          seeds=1, seed=2)
    assert np.array_equal(c, run.c_measured[:, 0, 0])
    assert np.array_equal(s, spectrum[0])
    with pytest.raises(ValueError, match="weights"):
        isometry.one_network(1.0, 0.0, weights="uniform", depth=2, width=4)
