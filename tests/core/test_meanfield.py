"""Mean-field theory: quadrature, length and correlation maps, χ₁, ξ_c, the critical line, and
the input–output Jacobian of an MLP."""

import numpy as np
import pytest

import initlab
from initlab import meanfield as mf


# ------------------------------------------------------------------ quadrature
def test_quadrature_is_exact_for_gaussian_moments_and_accurate_for_tanh():
    assert mf.gaussian_expectation(lambda h: h ** 2, 2.5) == pytest.approx(2.5, abs=1e-12)
    assert mf.gaussian_expectation(lambda h: h ** 4, 2.0) == pytest.approx(3 * 4.0, rel=1e-12)
    assert mf.gaussian_expectation(np.cos, 1.0) == pytest.approx(np.exp(-0.5), abs=1e-12)
    # tanh² against a fine Riemann sum of the Gaussian integral
    z = np.linspace(-12, 12, 400_001)
    density = np.exp(-z ** 2 / 2) / np.sqrt(2 * np.pi)
    reference = np.sum(np.tanh(np.sqrt(0.7) * z) ** 2 * density) * (z[1] - z[0])
    assert mf.gaussian_expectation(lambda h: np.tanh(h) ** 2, 0.7) == pytest.approx(reference, abs=1e-10)


def test_length_map_agrees_with_the_variance_module_at_one_point():
    from initlab import variance
    for name in ("tanh", "sigmoid", "relu"):
        expected = 1.3 * variance.gaussian_second_moment(name, 0.6) + 0.05
        assert mf.length_map(0.6, 1.3, 0.05, name) == pytest.approx(expected, abs=2e-3)
    expected = 1.3 * variance.gaussian_second_moment("tanh", 0.6) + 0.05
    assert mf.length_map(0.6, 1.3, 0.05) == pytest.approx(expected, abs=1e-10)


def test_quadrature_vectorises_over_q_and_relu_moments_are_exact():
    q = np.array([0.0, 0.5, 3.0])
    out = mf.gaussian_expectation(lambda h: np.maximum(h, 0) ** 2, q)
    assert out.shape == (3,) and np.allclose(out, q / 2, atol=1e-13)
    assert mf.chi_1(1.5, 0.1, "relu") == pytest.approx(0.75, abs=1e-13)
    assert mf.chi_1(1.0, 0.0, "relu") == pytest.approx(0.5, abs=1e-13)   # q* = 0: the limit


# ------------------------------------------------------------------ length map
def test_length_fixed_point_is_a_fixed_point_and_matches_brute_iteration():
    sw2 = np.array([0.6, 1.0, 1.76, 3.0])
    q = mf.length_fixed_point(sw2, 0.05)
    assert np.allclose(mf.length_map(q, sw2, 0.05), q, rtol=1e-11)
    brute = np.ones(4)
    for _ in range(3000):
        brute = mf.length_map(brute, sw2, 0.05)
    assert np.allclose(q, brute, rtol=1e-9)
    assert np.all(np.diff(q) > 0)       # larger weights, longer signals


def test_length_fixed_point_special_cases_relu_and_zero_bias():
    # ReLU: q* = σ_b² / (1 − σ_w²/2) below 2, any length at 2 (from q0), inf above
    assert mf.length_fixed_point(1.5, 0.1, "relu") == pytest.approx(0.4, rel=1e-10)
    assert mf.length_fixed_point(2.0, 0.0, "relu", q0=0.7) == pytest.approx(0.7)
    assert mf.length_fixed_point(3.0, 0.05, "relu") == np.inf
    # tanh without biases: q* = 0 up to σ_w² = 1 (also exactly at the marginal point), > 0 above
    q = mf.length_fixed_point([0.5, 1.0, 1.5], 0.0)
    assert q[0] < 1e-100 and q[1] == 0.0 and q[2] > 0.1


def test_length_map_validates_its_arguments():
    with pytest.raises(ValueError, match="sigma_w2"):
        mf.length_map(1.0, -1.0, 0.05)
    with pytest.raises(ValueError, match="sigma_b2"):
        mf.length_map(1.0, 1.0, -0.1)
    with pytest.raises(ValueError, match="q"):
        mf.length_map(-1.0, 1.0, 0.0)
    with pytest.raises(ValueError, match="activation"):
        mf.length_map(1.0, 1.0, 0.0, activation="swish")
    with pytest.raises(ValueError, match="f must be"):
        mf.gaussian_expectation(3.0)


# ------------------------------------------------------------- correlation map
def test_correlation_map_fixes_one_and_matches_the_relu_arccos_kernel():
    q = mf.length_fixed_point(1.4, 0.05)
    assert mf.correlation_map(1.0, q, 1.4, 0.05) == pytest.approx(1.0, abs=1e-12)
    c = np.linspace(-0.9, 0.99, 12)
    theta = np.arccos(c)
    closed = (np.sqrt(1 - c ** 2) + (np.pi - theta) * c) / np.pi   # Cho & Saul's kernel
    assert np.abs(mf.correlation_map(c, 1.3, 2.0, 0.0, "relu") - closed).max() < 5e-3


def test_correlation_map_of_tanh_against_monte_carlo():
    rng = np.random.default_rng(0)
    z1, z2 = rng.standard_normal((2, 2_000_000))
    q, c, sw2, sb2 = 0.8, 0.4, 2.0, 0.05
    u1, u2 = np.sqrt(q) * z1, np.sqrt(q) * (c * z1 + np.sqrt(1 - c * c) * z2)
    qn = sw2 * np.mean(np.tanh(u1) ** 2) + sb2
    monte_carlo = (sw2 * np.mean(np.tanh(u1) * np.tanh(u2)) + sb2) / qn
    assert mf.correlation_map(c, q, sw2, sb2) == pytest.approx(monte_carlo, abs=2e-3)


def test_propagate_starts_from_the_inputs_and_applies_the_maps():
    q, c = mf.propagate(1.0, [0.2, 0.9], 5, 1.5, 0.05)
    assert q.shape == (5,) and c.shape == (5, 2)
    assert q[0] == pytest.approx(1.55) and c[0, 0] == pytest.approx((1.5 * 0.2 + 0.05) / 1.55)
    assert q[1] == pytest.approx(mf.length_map(q[0], 1.5, 0.05))
    assert np.allclose(c[1], mf.correlation_map(c[0], q[0], 1.5, 0.05))
    with pytest.raises(ValueError, match="c_input"):
        mf.propagate(1.0, 1.5, 3, 1.0, 0.0)


# ------------------------------------------------------------ χ₁, c*, χ_c, ξ_c
def test_phases_fixed_points_and_depth_scale():
    sw2 = np.array([1.0, 3.0])
    chi = mf.chi_1(sw2, 0.05)
    assert chi[0] < 1 < chi[1]
    c_star = mf.correlation_fixed_point(sw2, 0.05)
    assert c_star[0] == 1.0 and 0 < c_star[1] < 1
    q = mf.length_fixed_point(3.0, 0.05)
    assert mf.correlation_map(c_star[1], q, 3.0, 0.05) == pytest.approx(c_star[1], abs=1e-9)
    chic = mf.chi_c(sw2, 0.05)
    assert chic[0] == pytest.approx(chi[0]) and chic[1] < 1
    # χ_c is the slope of the correlation map at c* (finite differences)
    h = 1e-5
    slope = (mf.correlation_map(c_star[1] + h, q, 3.0, 0.05)
             - mf.correlation_map(c_star[1] - h, q, 3.0, 0.05)) / (2 * h)
    assert slope == pytest.approx(chic[1], rel=1e-4)
    xi = mf.depth_scale(sw2, 0.05)
    assert np.allclose(xi, -1 / np.log(chic))


def test_depth_scale_diverges_at_the_critical_line():
    critical = mf.critical_sigma_w2(0.05)
    xi = mf.depth_scale(critical * np.array([0.9, 0.99, 0.999, 1.001, 1.01, 1.1]), 0.05)
    assert np.all(np.diff(xi[:3]) > 0) and np.all(np.diff(xi[3:]) < 0)
    assert xi[2] > 100 and xi[3] > 100 and xi[0] < 30
    assert mf.depth_scale(1.0, 0.0) == np.inf          # tanh, zero bias, σ_w² = 1
    # zero bias and σ_w² < 1: q* = 0, tanh acts linearly and keeps correlations
    assert mf.chi_c(0.5, 0.0) == 1.0 and mf.depth_scale(0.5, 0.0) == np.inf
    q, c = mf.propagate(1.0, 0.3, 60, 0.5, 0.0)
    assert q[-1] < 1e-10 and abs(c[-1] - 0.3) < 0.05
    assert np.isnan(mf.depth_scale(3.0, 0.05, "relu"))  # no fixed point


# ------------------------------------------------------------ the critical line
def test_critical_sigma_w2_reproduces_the_literature_value():
    """Schoenholz et al. (2017): tanh at σ_b² = 0.05 is critical at σ_w² ≈ 1.76."""
    value = mf.critical_sigma_w2(0.05)
    assert f"{value:.3g}" == "1.76"
    assert mf.chi_1(value, 0.05) == pytest.approx(1.0, abs=1e-9)


def test_critical_line_is_vectorised_increasing_and_consistent_with_critical_point():
    sb2 = np.array([0.0, 0.01, 0.1, 0.3])
    sw2 = mf.critical_sigma_w2(sb2)
    assert sw2[0] == pytest.approx(1.0, abs=1e-6) and np.all(np.diff(sw2) > 0)
    assert np.allclose(mf.chi_1(sw2[1:], sb2[1:]), 1.0, atol=1e-8)
    w, b = mf.critical_point(0.25)
    assert mf.chi_1(w, b) == pytest.approx(1.0, abs=1e-9)
    assert mf.length_fixed_point(w, b) == pytest.approx(0.25, rel=1e-8)
    assert mf.critical_sigma_w2(0.05, "relu") == 2.0
    with pytest.raises(ValueError, match="q_max"):
        mf.critical_sigma_w2(50.0)


# ------------------------------------------------------------- the Jacobian
def test_jacobian_matches_finite_differences_for_a_population():
    net = initlab.MLP([4, 5, 3], activation="tanh", output="sigmoid", population=2, seed=1)
    x = np.random.default_rng(2).standard_normal((2, 4))
    J = mf.input_output_jacobian(net, x)
    assert J.shape == (2, 2, 4, 3)
    eps = 1e-6
    for i in range(4):
        step = np.zeros(4)
        step[i] = eps
        numeric = (net.forward(x + step) - net.forward(x - step)) / (2 * eps)   # (K, N, 3)
        assert np.allclose(J[:, :, i, :], numeric, atol=1e-8)


def test_orthogonal_linear_network_is_an_exact_isometry():
    net = initlab.MLP([16] * 9, activation="identity", weight_init="orthogonal", population=3)
    s = mf.jacobian_singular_values(net, np.ones((1, 16)))
    assert s.shape == (3, 1, 16) and np.allclose(s, 1.0, atol=1e-12)
    assert np.all(mf.log_spread(s[:, 0]) < 1e-12)
    single = initlab.MLP([3, 3], activation="identity", seed=0)
    assert np.allclose(mf.input_output_jacobian(single, np.zeros((2, 3)))[0], single.weights[0])


def test_log_spread_measures_decades_and_floors_zeros():
    assert mf.log_spread(np.array([1.0, 10.0])) == pytest.approx(0.5)
    assert mf.log_spread(np.array([[2.0, 2.0, 2.0]]))[0] == 0.0
    assert mf.log_spread(np.array([1.0, 0.0]), floor=1e-4) == pytest.approx(2.0)
    with pytest.raises(ValueError, match="singular_values"):
        mf.log_spread(np.array(1.0))
