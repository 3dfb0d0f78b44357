"""Chapter 3's explorer: which parameter groups leave the all-zero start, step by step."""

from initlab.widgets.zero_start import movement_view


def test_view_title_and_alt_state_the_finding():
    fig = movement_view("tanh", steps=4)
    assert "1 of 8 parameter groups" in fig._suptitle.get_text()
    assert "stay exactly at zero" in fig.initlab_alt


def test_reused_figure_gives_the_fresh_image():
    from initlab.plots import to_png

    setting = dict(activation="relu", relu_grad_at_zero=1.0, start="zero, random output layer",
                   hidden_layers=1, steps=12)
    fresh = movement_view(**setting)
    other = movement_view("sigmoid", hidden_layers=4, steps=3)
    reused = movement_view(**setting, fig=other)
    assert reused is other
    assert to_png(reused) == to_png(fresh)
    assert reused._suptitle.get_text() == fresh._suptitle.get_text()
    assert reused.initlab_alt == fresh.initlab_alt
