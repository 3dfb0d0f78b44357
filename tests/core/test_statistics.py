"""initlab.statistics: first crossings, paired differences and the two fits."""

import numpy as np
import pytest

import initlab


def test_first_step_below_strict_and_inclusive():
    loss = np.array([[3.0, 3.0], [1.0, 3.0], [0.5, np.nan], [0.1, 3.0]])
    np.testing.assert_array_equal(initlab.first_step_below(loss, 1.0), [2, -1])
    np.testing.assert_array_equal(initlab.first_step_below(loss, 1.0, inclusive=True), [1, -1])
    assert initlab.first_step_below(np.array([0.5]), 1.0) == 0
    assert isinstance(initlab.first_step_below(np.array([2.0, 0.5]), 1.0), int)


def test_first_step_below_per_member_threshold():
    loss = np.array([[3.0, 3.0], [2.0, 1.5], [1.0, 1.0]])
    np.testing.assert_array_equal(initlab.first_step_below(loss, np.array([2.5, 1.2])), [1, 2])


def test_first_step_below_needs_a_step_axis():
    with pytest.raises(ValueError, match="step axis"):
        initlab.first_step_below(np.zeros((0, 3)), 1.0)


def test_fit_log_law_recovers_the_slope():
    eps = 10.0 ** -np.arange(1, 6)
    steps = 3.0 + 7.0 * np.log(1 / eps)
    a, b = initlab.fit_log_law(eps, np.stack([steps, steps], axis=1))
    assert abs(a - 3.0) < 1e-9 and abs(b - 7.0) < 1e-9


def test_power_law_exponent_recovers_the_exponent():
    eps = 10.0 ** -np.arange(1, 5)
    assert abs(initlab.power_law_exponent(eps, 5 * eps ** -1.5) - 1.5) < 1e-9


def test_paired_difference_detects_a_shift_and_not_noise():
    rng = np.random.default_rng(0)
    a = rng.normal(size=40)
    shifted = initlab.paired_difference(a + 1.0, a + 0.01 * rng.normal(size=40))
    assert shifted.p_value < 1e-3 and shifted.ci_low > 0.9
    same = initlab.paired_difference(a, a[::-1].copy())
    assert same.p_value > 0.05 and same.ci_low < 0 < same.ci_high
