"""The deterministic initializers of chapter 8: Hadamard matrices, partial identities, ZerO."""

import numpy as np
import pytest

import initlab
from initlab import hadamard_matrix, partial_identity, zer_o


def test_hadamard_matrix_is_orthogonal_with_entries_plus_minus_one():
    H = hadamard_matrix(16)
    assert set(np.unique(H)) == {-1.0, 1.0}
    np.testing.assert_array_equal(H @ H.T, 16 * np.eye(16))
    np.testing.assert_array_equal(H, H.T)


@pytest.mark.parametrize("order", [0, 12, 2.0, True])
def test_hadamard_matrix_needs_a_power_of_two(order):
    with pytest.raises(ValueError, match="power of 2"):
        hadamard_matrix(order)


def test_zer_o_identity_partial_identity_and_hadamard_corner():
    rng = np.random.default_rng(0)
    np.testing.assert_array_equal(zer_o((6, 6), rng), np.eye(6))
    np.testing.assert_array_equal(zer_o((6, 3), rng), np.eye(6, 3))
    W = zer_o((8, 16), rng)
    np.testing.assert_array_equal(W, 2.0 ** -1.5 * hadamard_matrix(16)[:8])   # m = 4
    assert initlab.distinct_units(W) == 8        # Sylvester's rows repeat with period 8


def test_zer_o_scale_for_a_width_that_is_not_a_power_of_two():
    W = zer_o((3, 5), np.random.default_rng(0))
    np.testing.assert_array_equal(W, 0.5 * hadamard_matrix(8)[:3, :5])     # m = 3, c = 1/2


def test_deterministic_initializers_ignore_the_seed_and_fill_the_population():
    a = zer_o((3, 4, 8), np.random.default_rng(0))
    b = zer_o((3, 4, 8), np.random.default_rng(1))
    assert a.shape == (3, 4, 8) and np.all(a == a[0]) and np.array_equal(a, b)
    np.testing.assert_array_equal(partial_identity((2, 3, 2), np.random.default_rng(0))[1], np.eye(3, 2))


def test_names_resolve_and_need_fans():
    assert initlab.get_initializer("zer_o") is zer_o and "partial_identity" in initlab.INITIALIZERS
    with pytest.raises(ValueError):
        zer_o((4,), np.random.default_rng(0))
    net = initlab.MLP([4, 8, 8, 2], activation="relu", weight_init="zer_o")
    np.testing.assert_array_equal(net.weights[1], np.eye(8))
