"""initlab.plots: one style, titles and alt text required, figures shown as <img alt>."""

import base64
import subprocess
import sys

import numpy as np
import pytest

from initlab import plots


def test_figure_requires_a_title_and_alt_text():
    with pytest.raises(ValueError, match="title"):
        plots.figure("", alt="something")
    with pytest.raises(ValueError, match="alt text"):
        plots.figure("A finding", alt=" ")


def test_figure_carries_alt_text_and_renders_to_png():
    fig, ax = plots.figure("Lines go up", alt="A rising line.")
    ax.plot([0, 1], [0, 1])
    png = plots.to_png(fig)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    view = plots.FigureView(fig)
    bundle = view._repr_mimebundle_()
    assert 'alt="A rising line."' in bundle["text/html"]
    assert base64.b64decode(bundle["image/png"])[:4] == b"\x89PNG"


def test_alt_text_is_html_escaped():
    fig, _ = plots.figure("T", alt='a "quoted" <b>alt</b>')
    html = plots.FigureView(fig).img_tag()
    assert "&quot;quoted&quot;" in html and "<b>" not in html


def test_figure_without_alt_is_refused_by_the_view():
    from matplotlib.figure import Figure

    with pytest.raises(ValueError, match="alt text"):
        plots.FigureView(Figure())


def test_grid_of_axes_and_palette():
    fig, axes = plots.figure("T", alt="A", nrows=1, ncols=3)
    assert axes.shape == (3,)
    assert plots.color(0) == plots.PALETTE[0] and plots.color(len(plots.PALETTE)) == plots.PALETTE[0]
    with pytest.raises(ValueError, match="nrows"):
        plots.figure("T", alt="A", nrows=0)


def test_plots_do_not_import_pyplot():
    code = "import initlab.plots, sys; assert 'matplotlib.pyplot' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_shown_layers():
    assert plots.shown_layers(20) == [1, 6, 10, 15, 20]
    assert plots.shown_layers(3) == [1, 2, 3]
    with pytest.raises(ValueError, match="depth"):
        plots.shown_layers(0)


def test_layer_histograms_share_edges_and_count_fractions():
    rng = np.random.default_rng(0)
    edges, fractions = plots.layer_histograms([rng.normal(size=1000), 1e-6 * rng.normal(size=500)])
    assert edges[0] < 0 < edges[-1] and len(fractions) == 2
    assert fractions[0].sum() == pytest.approx(1.0, abs=0.01)
    assert fractions[1].max() > 0.9  # a vanished layer is a spike at 0
    edges, fractions = plots.layer_histograms([np.zeros(10)])
    assert edges[0] < 0 < edges[-1]
    with pytest.raises(ValueError, match="at least one"):
        plots.layer_histograms([])


def test_set_title_keeps_the_book_style_on_a_reused_figure():
    fig, _ = plots.figure("First finding", alt="a figure")
    bold = fig.get_suptitle(), fig._suptitle.get_fontweight()
    plots.set_title(fig, "Second finding")  # outside plots.STYLE: a bare suptitle is not bold
    assert fig.get_suptitle() == "Second finding" and fig._suptitle.get_fontweight() == bold[1]
    assert fig._suptitle.get_fontsize() == plots.STYLE["figure.titlesize"]
    plots.set_title(fig, "Small", fontsize=8)
    assert fig._suptitle.get_fontsize() == 8
