"""Chapter 1 counts tied units with one tolerance everywhere, the explorer included.

An optimised BLAS may round two equal columns of a matrix product differently at some widths;
those rounding gaps must not be reported as units that "move apart" (issue 12, item 4).
"""

import pytest

from initlab.experiments import symmetry

EXPECTED = {  # distinct units after training, as a function of the width
    "constant": lambda width: 1,
    "same_incoming": lambda width: 1,
    "one_entry": lambda width: min(width, 2),
    "own_constant": lambda width: width,
    "random_biases": lambda width: width,
    "random_outgoing": lambda width: width,
    "random": lambda width: width,
}


@pytest.mark.slow
@pytest.mark.parametrize("pattern", list(symmetry.PATTERNS))
def test_explorer_counts_units_with_the_chapter_tolerance_at_every_width(pattern):
    wrong = {}
    for width in range(1, 33):
        _, _, distinct = symmetry.unit_trajectories(width=width, pattern=pattern, steps=200)
        if distinct != EXPECTED[pattern](width):
            wrong[width] = distinct
    assert not wrong, f"{pattern}: widths with a wrong count (width: counted) {wrong}"


def test_rounding_gaps_are_below_the_tie_tolerance_and_real_gaps_far_above():
    import numpy as np

    from initlab import unit_gap

    _, W1, _ = symmetry.unit_trajectories(width=9, pattern="constant", steps=600)
    assert unit_gap(W1[-1]) <= symmetry.TIE_ATOL
    _, W1, _ = symmetry.unit_trajectories(width=9, pattern="own_constant", steps=600)
    gaps = np.abs(W1[-1][:, :, None] - W1[-1][:, None, :]).max(axis=0)
    assert gaps[~np.eye(9, dtype=bool)].min() > 1e6 * symmetry.TIE_ATOL
