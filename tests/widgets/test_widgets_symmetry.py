"""Chapter 1's explorer: unit weight trajectories."""

from initlab.widgets.symmetry import trajectory_view


def test_view_title_states_the_finding():
    fig = trajectory_view(width=4, pattern="one_entry", steps=60)
    assert "4 units, 2 distinct after 60 steps" in fig._suptitle.get_text()
    assert "one_entry" in fig.initlab_alt
    # one path per unit in each panel
    assert len(fig.axes) == 2
    assert [len(ax.collections[0].get_segments()) for ax in fig.axes] == [4, 4]


def test_reused_figure_gives_the_fresh_image():
    from initlab.plots import to_png

    fresh = trajectory_view(width=8, pattern="one_entry", steps=300)
    other = trajectory_view(width=2, pattern="random", steps=1000)
    reused = trajectory_view(width=8, pattern="one_entry", steps=300, fig=other)
    assert reused is other and len(reused.axes[0].collections[0].get_segments()) == 8
    assert to_png(reused) == to_png(fresh)
    assert reused._suptitle.get_text() == fresh._suptitle.get_text()
    assert reused._suptitle.get_fontweight() == fresh._suptitle.get_fontweight()
    assert reused.initlab_alt == fresh.initlab_alt
