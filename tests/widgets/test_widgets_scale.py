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


def test_histograms_match_the_shared_helper():
    from initlab.plots import layer_histograms

    rng = np.random.default_rng(1)
    cases = [[rng.standard_normal((200, 64)).astype(np.float32) * s for s in (1, 0.1, 3)],
             [np.tanh(5 * rng.standard_normal((50, 64)))], [np.zeros((10, 10))],
             [np.array([np.inf, np.nan, 1.0, 2.0])], [np.full((5, 5), np.nan)],
             [1e-3 * rng.standard_normal(50_000)]]
    for arrays in cases:
        edges, fractions = widgets_scale._histograms(arrays)
        expected_edges, expected = layer_histograms(arrays)
        assert np.array_equal(edges, expected_edges)
        assert all(np.array_equal(f, e) for f, e in zip(fractions, expected))
