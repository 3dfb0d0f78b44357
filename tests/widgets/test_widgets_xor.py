"""Chapter 6's explorer and drawings."""

import numpy as np
import pytest

from initlab import plots
from initlab.widgets import xor as xor_widgets


@pytest.mark.parametrize("name", ["2-2-1", "2-1"])
def test_xor_view_titles_state_the_success_rate(name):
    fig = xor_widgets.xor_view(name, r=0.5, epochs=200, chosen_seed=3, population=16)
    title = fig.get_suptitle()
    assert name in title and "of 16 networks" in title and fig.initlab_alt
    assert len(fig.axes) >= 3
    assert plots.to_png(fig)[:4] == b"\x89PNG"


def test_draw_network_and_boundary():
    fig, axes = plots.figure("two networks", alt="drawings", ncols=3)
    xor_widgets.draw_network(axes[0], "2-2-1")
    xor_widgets.draw_network(axes[1], "2-1")
    xor_widgets.draw_boundary(axes[2], "2-2-1", np.zeros(9))
    assert "9 parameters" in axes[0].get_title() and "7 parameters" in axes[1].get_title()
    with pytest.raises(ValueError, match="network"):
        xor_widgets.draw_network(axes[0], "3-3-1")


def test_explorer_grid_is_small():
    explorer = xor_widgets.xor_explorer()
    assert len(explorer.static_views()) == 6
    assert set(explorer.defaults()) == {"network_name", "r", "epochs", "chosen_seed"}


def _pixels(fig):
    import io

    from PIL import Image

    from initlab.plots import to_png

    return np.asarray(Image.open(io.BytesIO(to_png(fig))))


def test_a_reused_figure_draws_the_same_view_as_a_new_one():
    """The explorer hands the view its previous figure: updated in place, it must show
    exactly what a new figure shows (title, alt text and pixels)."""
    setting = dict(network_name="2-2-1", r=0.5, epochs=300, chosen_seed=5, population=16)
    before = xor_widgets.xor_view("2-1", r=4.0, epochs=200, chosen_seed=1, population=16)
    reused = xor_widgets.xor_view(**setting, fig=before)
    fresh = xor_widgets.xor_view(**setting)
    assert reused is before
    assert reused.get_suptitle() == fresh.get_suptitle()
    assert reused.initlab_alt == fresh.initlab_alt
    assert np.array_equal(_pixels(reused), _pixels(fresh))
    other = xor_widgets.xor_view(**{**setting, "population": 40}, fig=fresh)   # more curves
    assert other is not fresh and "of 40 networks" in other.get_suptitle()
