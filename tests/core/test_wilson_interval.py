"""initlab.statistics.wilson_interval: the binomial error bars of chapter 6's success tables."""

import numpy as np
import pytest

from initlab.statistics import wilson_interval


def test_known_values():
    low, high = wilson_interval(5, 10)
    assert abs(low - 0.2366) < 1e-4 and abs(high - 0.7634) < 1e-4
    low, high = wilson_interval(0, 500)
    assert low == pytest.approx(0.0, abs=1e-12) and 0.007 < high < 0.008


def test_broadcasts_and_covers_the_truth_about_95_percent_of_the_time():
    rng = np.random.default_rng(0)
    k = rng.binomial(200, 0.3, size=4000)
    low, high = wilson_interval(k, 200)
    assert low.shape == (4000,) and np.all(low <= k / 200) and np.all(k / 200 <= high)
    assert 0.93 < np.mean((low <= 0.3) & (0.3 <= high)) < 0.97


def test_bad_counts_are_named():
    with pytest.raises(ValueError, match="successes"):
        wilson_interval(11, 10)
    with pytest.raises(ValueError, match="trials"):
        wilson_interval(0, 0)
