import warnings

import numpy as np
import pytest

import initlab as il


@pytest.mark.parametrize("name", il.ACTIVATIONS)
def test_derivative_matches_finite_differences(name):
    g = il.get_activation(name)
    z = np.linspace(-4, 4, 81) + 0.0123  # never exactly at ReLU's kink
    eps = 1e-6
    numeric = (g(z + eps) - g(z - eps)) / (2 * eps)
    np.testing.assert_allclose(g.derivative(z), numeric, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(g.derivative(z, g(z)) if name in ("tanh", "sigmoid", "lecun_tanh")
                               else g.derivative(z), numeric, rtol=1e-7, atol=1e-9)
    assert g.name == name and g.value(z) is not None


def test_values_and_derivatives_at_zero():
    table = {"identity": (0, 1), "sigmoid": (0.5, 0.25), "tanh": (0, 1),
             "lecun_tanh": (0, 1.7159 * 2 / 3), "relu": (0, 0), "leaky_relu": (0, 0.01)}
    for name, (value, slope) in table.items():
        g = il.get_activation(name)
        assert g.value_at_zero == pytest.approx(value) and g.derivative_at_zero == pytest.approx(slope)


def test_relu_convention_at_zero_is_configurable():
    assert il.ReLU(grad_at_zero=1.0).derivative_at_zero == 1.0
    assert il.ReLU(0.5).derivative(np.array([-1.0, 0.0, 2.0])).tolist() == [0.0, 0.5, 1.0]
    assert il.relu.derivative(np.zeros(3)).tolist() == [0, 0, 0]
    assert il.LeakyReLU(slope=0.2)(np.array([-1.0, 3.0])).tolist() == [-0.2, 3.0]
    with pytest.raises(ValueError, match="grad_at_zero"):
        il.ReLU(grad_at_zero=-1)


def test_lecun_tanh_maps_one_to_one():
    assert il.lecun_tanh(np.array(1.0)) == pytest.approx(1.0, abs=1e-4)


def test_sigmoid_is_stable_for_huge_inputs():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = il.sigmoid(np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0]))
    assert s[0] == 0.0 and s[-1] == 1.0 and s[2] == 0.5
    assert s[1] == pytest.approx(np.exp(-40.0), rel=1e-12)  # full relative precision


def test_float32_stays_float32():
    z = np.linspace(-2, 2, 5, dtype=np.float32)
    for name in il.ACTIVATIONS:
        g = il.get_activation(name)
        assert g(z).dtype == np.float32 and g.derivative(z).dtype == np.float32


def test_get_activation():
    assert il.get_activation("tanh") is il.tanh
    relu1 = il.ReLU(grad_at_zero=1.0)
    assert il.get_activation(relu1) is relu1
    with pytest.raises(ValueError, match="'gelu'.*identity, sigmoid, tanh, lecun_tanh, relu, leaky_relu"):
        il.get_activation("gelu")
    with pytest.raises(ValueError, match="42"):
        il.get_activation(42)
