"""Chapter 3's explorer: which parameter groups leave the all-zero start, step by step."""

import re

import numpy as np
import pytest

from initlab.widgets.zero_start import movement_map, movement_view, zero_start_explorer


def test_movement_map_shows_the_sigmoid_wave():
    change, labels, name = movement_map("sigmoid", hidden_layers=3, steps=5)
    assert change.shape == (8, 5) and name == "sigmoid"
    assert labels == ["W₁", "b₁", "W₂", "b₂", "W₃", "b₃", "W₄", "b₄"]
    first = [int(np.argmax(row > 0)) + 1 for row in change]
    assert first == [4, 4, 3, 3, 2, 2, 1, 1]


def test_movement_map_tanh_moves_only_the_output_bias():
    change, labels, _ = movement_map("tanh", hidden_layers=2, steps=4)
    assert (change[:-1] == 0).all() and (change[-1] > 0).all()


def test_relu_convention_decides_under_a_random_output_layer():
    closed, _, name0 = movement_map("relu", 0.0, "zero, random output layer", 1, 3)
    opened, _, name1 = movement_map("relu", 1.0, "zero, random output layer", 1, 3)
    assert (closed[0] == 0).all() and (opened[0] > 0).all()
    assert name0 == "relu" and "grad_at_zero=1" in name1


def test_view_title_and_alt_state_the_finding():
    fig = movement_view("tanh", steps=4)
    assert "1 of 8 parameter groups" in fig._suptitle.get_text()
    assert "stay exactly at zero" in fig.initlab_alt


def test_explorer_gallery_has_one_view_per_preset_and_is_fast():
    explorer = zero_start_explorer()
    html = explorer.static_html()
    assert len(re.findall(r"<img ", html)) == len(explorer.presets) == 4
    assert explorer.time_update(repeats=1, activation="sigmoid") > 0  # timings belong in make bench


@pytest.mark.parametrize("kwargs,match", [
    ({"activation": "swish"}, r"'swish'"),
    ({"relu_grad_at_zero": -1.0}, r"relu_grad_at_zero.*-1"),
    ({"start": "ones"}, r"'ones'"),
    ({"hidden_layers": 0}, r"hidden_layers.*0"),
    ({"steps": 0}, r"steps.*0"),
])
def test_bad_settings_are_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        movement_map(**kwargs)
