"""Chapter 2's explorer: ε and depth → loss curves with the escape marked."""

import re

import numpy as np
import pytest

from initlab.widgets.saddle import escape_curves, escape_view, saddle_explorer


def test_escape_curves_shapes_and_depth_slows_escape():
    shallow = escape_curves(0.01, depth=2, seeds=2, steps=200)
    deep = escape_curves(0.01, depth=3, seeds=2, steps=200)
    assert shallow.loss.shape == (201, 1, 2)
    assert np.all(shallow.steps > 0)
    assert np.all((deep.steps == -1) | (deep.steps > shallow.steps.max()))


def test_view_title_states_the_outcome():
    assert "escape after" in escape_view(0.01, 2)._suptitle.get_text()
    assert "no escape within" in escape_view(0.01, 4)._suptitle.get_text()


def test_gallery_has_one_picture_per_preset_with_alt_text():
    explorer = saddle_explorer()
    html = explorer.static_html()
    alts = re.findall(r'<img [^>]*alt="([^"]+)"', html)
    assert len(alts) == len(explorer.presets) == 3
    assert all("weight matrices" in alt for alt in alts)
    assert explorer.time_update(repeats=1, depth=3) > 0  # timings belong in make bench


@pytest.mark.parametrize("kwargs, match", [({"epsilon": 0}, "epsilon"), ({"depth": 1}, "depth"),
                                           ({"depth": 9}, "depth")])
def test_bad_settings_are_rejected(kwargs, match):
    with pytest.raises(ValueError, match=match):
        escape_curves(**kwargs)
