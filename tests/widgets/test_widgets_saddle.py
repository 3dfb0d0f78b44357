"""Chapter 2's explorer: ε and depth → loss curves with the escape marked."""

from initlab.widgets.saddle import escape_view


def test_view_title_states_the_outcome():
    assert "escape after" in escape_view(0.01, 2)._suptitle.get_text()
    assert "no escape within" in escape_view(0.01, 4)._suptitle.get_text()


def test_reused_figure_gives_the_fresh_image():
    from initlab.plots import to_png

    fresh = escape_view(0.01, 3)
    other = escape_view(1e-6, 2)
    reused = escape_view(0.01, 3, fig=other)
    assert reused is other
    assert to_png(reused) == to_png(fresh)
    assert reused._suptitle.get_text() == fresh._suptitle.get_text()
    assert reused.initlab_alt == fresh.initlab_alt
