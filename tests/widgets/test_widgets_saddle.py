"""Chapter 2's explorer: ε and depth → loss curves with the escape marked."""

from initlab.widgets.saddle import escape_view


def test_view_title_states_the_outcome():
    assert "escape after" in escape_view(0.01, 2)._suptitle.get_text()
    assert "no escape within" in escape_view(0.01, 4)._suptitle.get_text()
