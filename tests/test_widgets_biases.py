"""Chapter 4's explorer: bias scales, weight scale, activation → loss curve and unit counts."""

import re

import numpy as np
import pytest

from initlab.widgets.biases import ACTIVATION_CHOICES, bias_explorer, bias_view, train_bias_setting


def test_zero_weights_random_biases_train_and_a_missing_hidden_bias_sticks():
    history, distinct, dead = train_bias_setting()
    assert history.accuracy[-1] == 1.0 and distinct == [8, 8] and dead == [0, 0]
    history, distinct, dead = train_bias_setting(bias_2=0.0, steps=300)
    assert abs(history.loss[-1] - np.log(2)) < 1e-6
    assert distinct == [8, 1] and dead == [0, 8]


def test_relu_zero_weights_has_dead_units():
    _, _, dead = train_bias_setting(activation="relu", steps=50)
    assert 0 < sum(dead) < 16


def test_view_title_and_alt_state_the_outcome():
    fig = bias_view(bias_1=0.0)
    assert "stuck" in fig._suptitle.get_text()
    assert "distinct units after training, 1 and 8 of 8" in fig.initlab_alt


def test_explorer_gallery_has_every_preset_and_is_fast():
    explorer = bias_explorer()
    html = explorer.static_html()
    assert len(re.findall(r"<img ", html)) == len(explorer.presets) == 4
    assert explorer.time_update(repeats=1) > 0  # timings belong in make bench


def test_bad_settings_are_rejected():
    with pytest.raises(ValueError, match="unknown activation 'elu'"):
        train_bias_setting(activation="elu")
    with pytest.raises(ValueError, match="weight_std"):
        train_bias_setting(weight_std=-0.1)
    with pytest.raises(ValueError, match="bias_std"):
        train_bias_setting(bias_1=-1.0)
    assert ACTIVATION_CHOICES == ("tanh", "relu", "sigmoid")
