"""Chapter 5's explorer: layers shown, histograms, titles that state the finding, presets."""

import re

import numpy as np
import pytest

from initlab.widgets import scale as widgets_scale


def test_shown_layers():
    assert widgets_scale.shown_layers(20) == [1, 6, 10, 15, 20]
    assert widgets_scale.shown_layers(3) == [1, 2, 3]
    with pytest.raises(ValueError, match="depth"):
        widgets_scale.shown_layers(0)


def test_layer_histograms_share_edges_and_count_fractions():
    rng = np.random.default_rng(0)
    edges, fractions = widgets_scale.layer_histograms([rng.normal(size=1000), 1e-6 * rng.normal(size=500)])
    assert edges[0] < 0 < edges[-1] and len(fractions) == 2
    assert fractions[0].sum() == pytest.approx(1.0, abs=0.01)
    assert fractions[1].max() > 0.9  # a vanished layer is a spike at 0
    edges, fractions = widgets_scale.layer_histograms([np.zeros(10)])
    assert edges[0] < 0 < edges[-1]
    with pytest.raises(ValueError, match="at least one"):
        widgets_scale.layer_histograms([])


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


def test_explorer_gallery_has_the_presets():
    explorer = widgets_scale.scale_explorer()
    assert 2 <= len(explorer.presets) <= 4
    html = explorer.static_html()
    alts = re.findall(r'<img [^>]*alt="([^"]+)"', html)
    assert len(alts) == len(explorer.presets)
    assert "activation = relu" in html and "gain c = 1.41421" in html
    assert explorer.time_update(repeats=1, depth=4, width=16) > 0
