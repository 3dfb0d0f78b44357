"""Chapter 1's explorer: unit weight trajectories."""

from initlab.widgets.symmetry import trajectory_view


def test_view_title_states_the_finding():
    fig = trajectory_view(width=4, pattern="one_entry", steps=60)
    assert "4 units, 2 distinct after 60 steps" in fig._suptitle.get_text()
    assert "one_entry" in fig.initlab_alt
    assert len(fig.axes) == 2 and len(fig.axes[0].lines) == 4
