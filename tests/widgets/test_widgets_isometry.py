"""Chapter 10's explorer: the phase in the title, three panels, a small static gallery."""

import re

import numpy as np
import pytest

from initlab.widgets import isometry as widgets_isometry


def test_phase_of():
    assert widgets_isometry.phase_of(0.5) == "ordered"
    assert widgets_isometry.phase_of(1.004) == "critical"
    assert widgets_isometry.phase_of(1.3) == "chaotic"
    assert widgets_isometry.phase_of(float("nan")) == "exploding"


@pytest.mark.parametrize("sigma_w2, activation, phrase", [
    (1.0, "tanh", "Ordered"), (1.76, "tanh", "Critical"), (3.0, "tanh", "Chaotic"),
    (3.0, "relu", "no fixed point")])
def test_view_title_states_the_phase(sigma_w2, activation, phrase):
    fig = widgets_isometry.isometry_view(sigma_w2=sigma_w2, sigma_b2=0.05, activation=activation,
                                         depth=6, width=32)
    assert phrase in fig._suptitle.get_text()
    assert "Jacobian spread" in fig._suptitle.get_text()
    assert fig.initlab_alt.startswith(f"For 6 {activation} layers")
    assert len(fig.axes) == 3


def test_view_without_biases_below_one_reports_a_vanishing_signal():
    fig = widgets_isometry.isometry_view(sigma_w2=0.5, sigma_b2=0.0, depth=6, width=32)
    assert "Vanishing signal" in fig._suptitle.get_text()


def test_view_orthogonal_weights_and_zero_bias():
    fig = widgets_isometry.isometry_view(sigma_w2=1.05, sigma_b2=0.0, weights="orthogonal",
                                         depth=8, width=32)
    spread = float(re.search(r"spread ([0-9.]+) decades", fig._suptitle.get_text()).group(1))
    assert spread < 0.3


def test_explorer_gallery():
    explorer = widgets_isometry.isometry_explorer()
    assert len(explorer.presets) == 3
    html = explorer.static_html()
    alts = re.findall(r'<img [^>]*alt="([^"]+)"', html)
    assert len(alts) == 3 and any("ordered phase" in a for a in alts)


def _pixels(fig):
    import io

    from PIL import Image

    from initlab.plots import to_png

    return np.asarray(Image.open(io.BytesIO(to_png(fig))))


def test_a_reused_figure_draws_the_same_view_as_a_new_one():
    """Updated in place (another activation, so the χ₁ map is redrawn too), the figure shows
    exactly what a new one shows: title, alt text and pixels."""
    setting = dict(sigma_w2=3.0, sigma_b2=0.05, activation="tanh", depth=6, width=32)
    before = widgets_isometry.isometry_view(sigma_w2=1.0, sigma_b2=0.0, activation="relu",
                                            weights="orthogonal", depth=10, width=32)
    reused = widgets_isometry.isometry_view(**setting, fig=before)
    fresh = widgets_isometry.isometry_view(**setting)
    assert reused is before
    assert reused.get_suptitle() == fresh.get_suptitle()
    assert reused.initlab_alt == fresh.initlab_alt
    assert np.array_equal(_pixels(reused), _pixels(fresh))
