"""Chapter 4's explorer: bias scales, weight scale, activation → loss curve and unit counts."""

from initlab.widgets.biases import bias_view


def test_view_title_and_alt_state_the_outcome():
    fig = bias_view(bias_1=0.0)
    assert "stuck" in fig._suptitle.get_text()
    assert "distinct units after training, 1 and 8 of 8" in fig.initlab_alt


def test_reused_figure_gives_the_fresh_image():
    from initlab.plots import to_png

    fresh = bias_view(bias_2=0.0, activation="relu")
    other = bias_view(weight_std=0.5)
    reused = bias_view(bias_2=0.0, activation="relu", fig=other)
    assert reused is other
    assert to_png(reused) == to_png(fresh)
    assert reused._suptitle.get_text() == fresh._suptitle.get_text()
    assert reused._suptitle.get_fontweight() == fresh._suptitle.get_fontweight()
    assert reused.initlab_alt == fresh.initlab_alt
