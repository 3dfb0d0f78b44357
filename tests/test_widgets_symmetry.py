"""Chapter 1's explorer: unit weight trajectories."""

import re

import numpy as np
import pytest

from initlab.widgets.symmetry import symmetry_explorer, trajectory_view, unit_trajectories


def test_unit_trajectories_shapes_and_ties():
    steps, W1, distinct = unit_trajectories(width=5, pattern="constant", steps=40)
    assert steps[0] == 0 and steps[-1] == 40
    assert W1.shape == (len(steps), 2, 5)
    assert distinct == 1 and np.all(W1 == W1[:, :, :1])
    _, W1_random, distinct_random = unit_trajectories(width=5, pattern="random", steps=40)
    assert distinct_random == 5 and not np.allclose(W1_random[-1, :, 0], W1_random[-1, :, 1])


def test_unit_trajectories_refuses_bad_settings():
    with pytest.raises(ValueError, match="unknown pattern 'diagonal'"):
        unit_trajectories(pattern="diagonal")
    with pytest.raises(ValueError, match="steps must be a positive integer"):
        unit_trajectories(steps=0)
    with pytest.raises(ValueError, match="width must be a positive integer"):
        unit_trajectories(width=2.5)


def test_view_title_states_the_finding():
    fig = trajectory_view(width=4, pattern="one_entry", steps=60)
    assert "4 units, 2 distinct after 60 steps" in fig._suptitle.get_text()
    assert "one_entry" in fig.initlab_alt
    assert len(fig.axes) == 2 and len(fig.axes[0].lines) == 4


def test_explorer_gallery_and_live_update_are_fast():
    explorer = symmetry_explorer()
    html = explorer.static_html()
    alts = re.findall(r'<img [^>]*alt="([^"]+)"', html)
    assert len(alts) == len(explorer.presets) == 4
    assert "1 distinct trajectory is visible" in alts[0] and "all lines overlap" in alts[0]
    assert explorer.time_update(repeats=1, width=32, steps=2000) > 0  # timings belong in make bench
    explorer.widget()
    explorer.controls["pattern"].value = "random"
    assert "8 distinct" in str(explorer._output.outputs[-1])
