"""Chapter 3's explorer: which parameter groups leave the all-zero start, step by step."""

from initlab.widgets.zero_start import movement_view


def test_view_title_and_alt_state_the_finding():
    fig = movement_view("tanh", steps=4)
    assert "1 of 8 parameter groups" in fig._suptitle.get_text()
    assert "stay exactly at zero" in fig.initlab_alt
