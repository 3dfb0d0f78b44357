"""The pilot page's explorer: where the hidden units' incoming weights end up."""

from initlab.plots import to_png
from initlab.widgets.pilot import unit_scatter_view


def test_reused_figure_gives_the_fresh_image():
    fresh = unit_scatter_view(8, "random", steps=50)
    other = unit_scatter_view(3, "constant", steps=20)
    reused = unit_scatter_view(8, "random", steps=50, fig=other)
    assert reused is other
    assert to_png(reused) == to_png(fresh)
    assert reused.get_suptitle() == fresh.get_suptitle()
    assert reused.initlab_alt == fresh.initlab_alt
    assert "8 distinct" in fresh.get_suptitle()
