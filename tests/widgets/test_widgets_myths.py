"""Chapter 7's explorer (the shared contract is in test_explorer_contract.py)."""

import matplotlib.pyplot as plt
import pytest

from initlab.experiments.myths import EXPLORER, SETTINGS
from initlab.widgets.myths import myths_explorer, myths_view


def test_the_static_book_shows_every_claim_in_both_settings():
    explorer = myths_explorer()
    shown = {(p["claim"], p["setting"]) for p in explorer.presets}
    assert shown == {(c, s) for c in EXPLORER for s in SETTINGS}
    assert len(explorer.presets) <= 12


@pytest.mark.parametrize("claim, before, after", [("biases", "false", "true"),
                                                  ("absorbed", "true", "false"),
                                                  ("prior", "false", "true")])
def test_changing_the_setting_changes_the_verdict_in_the_title(claim, before, after):
    titles = []
    for setting in SETTINGS:
        fig = myths_view(claim, setting)
        titles.append(fig._suptitle.get_text())
        plt.close(fig)
    assert titles[0].endswith(f"verdict {before}") and titles[1].endswith(f"verdict {after}")


def test_view_rejects_unknown_claims_and_settings():
    with pytest.raises(ValueError, match="claim"):
        myths_view("peak")
    with pytest.raises(ValueError, match="setting"):
        myths_view("biases", "other")


def test_a_reused_figure_gives_the_same_view_as_a_new_one():
    from initlab.widgets.explorer import RenderedView

    fig = myths_view("biases", "changed")                 # log scale, two quantities
    for claim, setting in [("absorbed", "changed"), ("prior", "as in the threads")]:
        fig = myths_view(claim, setting, fig=fig)         # linear scale, one quantity
        reused, fresh = RenderedView.of(fig), RenderedView.of(myths_view(claim, setting))
        assert (reused.png, reused.alt, reused.title) == (fresh.png, fresh.alt, fresh.title)
        plt.close(fig)
