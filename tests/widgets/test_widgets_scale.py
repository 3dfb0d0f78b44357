"""Chapter 5's explorer: layers shown, histograms, titles that state the finding, presets."""

import numpy as np
import pytest

from initlab.widgets import scale as widgets_scale


@pytest.mark.parametrize("activation, gain, phrase", [
    ("tanh", 0.5, "vanish"), ("relu", 1.0, "vanish"), ("relu", 2.0, "explode"),
    ("relu", float(np.sqrt(2)), "keep their size"), ("tanh", 3.0, "saturate")])
def test_view_title_states_the_finding(activation, gain, phrase):
    fig = widgets_scale.scale_view(activation=activation, depth=12, width=64, gain=gain, n_samples=100)
    assert phrase in fig._suptitle.get_text()
    assert fig.initlab_alt.startswith(f"For a 12-layer {activation} network")
    assert len(fig.axes) == 3


def test_view_with_training_curve_has_a_fourth_panel():
    fig = widgets_scale.scale_view(activation="relu", depth=4, width=16, gain=1.4, train=True,
                                   n_samples=50, train_steps=5)
    assert len(fig.axes) == 4 and len(fig.axes[3].lines) >= 1
