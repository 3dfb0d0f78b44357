"""Chapter 8's explorer (the shared contract is in test_explorer_contract.py)."""

import pytest

from initlab.experiments.zeros import PATTERNS
from initlab.widgets.zeros import zeros_explorer, zeros_view


def test_the_static_book_shows_every_pattern():
    explorer = zeros_explorer()
    assert [p["pattern"] for p in explorer.presets] == list(PATTERNS)


def test_view_title_states_what_moves_and_the_verdict():
    fig = zeros_view("all zero", steps=10)
    title = fig._suptitle.get_text()
    assert "1 of 6 groups move at step 1" in title and "stationary" in title
    assert "fine" in zeros_view("LoRA B = 0", steps=10)._suptitle.get_text()


def test_view_rejects_bad_settings():
    with pytest.raises(ValueError, match="steps"):
        zeros_view("ZerO", steps=0)
    with pytest.raises(ValueError, match="pattern"):
        zeros_view("random", steps=10)


def test_a_reused_figure_gives_the_same_view_as_a_new_one():
    from initlab.widgets.explorer import RenderedView

    first = zeros_view("ZerO", steps=20)
    reused = RenderedView.of(zeros_view("LoRA B = 0", steps=30, fig=first))
    fresh = RenderedView.of(zeros_view("LoRA B = 0", steps=30))
    assert (reused.png, reused.alt, reused.title) == (fresh.png, fresh.alt, fresh.title)
