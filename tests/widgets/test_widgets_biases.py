"""Chapter 4's explorer: bias scales, weight scale, activation → loss curve and unit counts."""

from initlab.widgets.biases import bias_view


def test_view_title_and_alt_state_the_outcome():
    fig = bias_view(bias_1=0.0)
    assert "stuck" in fig._suptitle.get_text()
    assert "distinct units after training, 1 and 8 of 8" in fig.initlab_alt
