"""Chapter 9's explorer: the view's panels, a title that states the finding, the grid."""

import numpy as np
import pytest

from initlab.widgets import frameworks as widgets_frameworks


@pytest.mark.slow
@pytest.mark.parametrize("default, activation, phrase", [
    ("pytorch", "relu", "input signal falls"), ("he", "relu", "input signal keeps"),
    ("keras", "tanh", "input signal keeps")])
def test_view_title_states_the_finding(default, activation, phrase):
    fig = widgets_frameworks.frameworks_view(default=default, activation=activation, depth=12)
    title = fig._suptitle.get_text()
    assert phrase in title and f"{widgets_frameworks.STEPS} Adam steps" in title
    assert "layer 12" in title
    assert len(fig.axes) == 2
    assert len(fig.axes[0].lines) == 3          # He, total, input-dependent
    assert len(fig.axes[1].lines) == 3          # two seeds and ln 10
    assert fig.initlab_alt.startswith(("PyTorch", "He", "Keras"))


@pytest.mark.slow
def test_view_learning_verdict_differs_between_pytorch_and_he():
    bad = widgets_frameworks.frameworks_view("pytorch", "relu", depth=20)._suptitle.get_text()
    good = widgets_frameworks.frameworks_view("he", "relu", depth=20)._suptitle.get_text()
    assert "barely moves" in bad and "it learns" in good


def test_explorer_grid_is_small_and_covers_the_libraries():
    explorer = widgets_frameworks.frameworks_explorer()
    assert set(explorer.controls) == {"default", "activation", "depth"}
    assert len(explorer.presets) <= 12
    assert {p["default"] for p in explorer.presets} == {"pytorch", "keras", "flax", "sklearn"}
    assert {p["activation"] for p in explorer.presets} == {"relu", "tanh"}
    assert set(widgets_frameworks.DEFAULT_CHOICES) == set(explorer.controls["default"].options)
    assert np.isfinite(explorer.controls["depth"].value)
