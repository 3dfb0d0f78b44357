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


@pytest.mark.slow
def test_a_reused_figure_gives_the_same_view_as_a_new_one():
    from initlab.widgets.explorer import RenderedView

    first = widgets_frameworks.frameworks_view("pytorch", "relu", depth=20)
    reused = RenderedView.of(widgets_frameworks.frameworks_view("sklearn", "tanh", depth=6,
                                                                fig=first))
    fresh = RenderedView.of(widgets_frameworks.frameworks_view("sklearn", "tanh", depth=6))
    assert (reused.png, reused.alt, reused.title) == (fresh.png, fresh.alt, fresh.title)


def test_view_shows_the_profiles_signal_profiles_measures():
    """He's reference is drawn once at the deepest setting and cut to the depth shown: the
    same numbers as `signal_profiles` for the default and He's rule at that depth."""
    from initlab.experiments.frameworks import signal_profiles

    for default, activation, depth in [("keras", "tanh", 7), ("he", "relu", 20), ("lecun", "relu", 35)]:
        ref = signal_profiles(activation, names=(default, "he"), hidden_layers=depth, width=256,
                              n_samples=32, population=1, seed=0, dtype=np.float32)
        shown = widgets_frameworks._profiles(default, activation, depth, seed=0)
        for mine, theirs in zip(shown, (ref[default], ref["he"])):
            assert np.array_equal(mine.a_std, theirs.a_std)
            assert np.array_equal(mine.signal_std, theirs.signal_std)
