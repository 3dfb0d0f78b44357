"""One figure style for the whole book.

Every figure in the book is made with :func:`figure` and shown with :func:`show`:

* a colour-blind-safe palette (Okabe & Ito) and one set of fonts and sizes;
* a title that states the finding, and alt text for readers who cannot see the figure
  (both are required: :func:`figure` refuses to make a figure without them);
* a white background, so figures stay readable in the book's dark mode.

Figures are built with ``matplotlib.figure.Figure`` directly, not with pyplot, so
nothing is drawn twice and ``import initlab`` never imports pyplot.
"""

from __future__ import annotations

import base64
import html
import io

import matplotlib
import numpy as np
from matplotlib.figure import Figure

__all__ = ["PALETTE", "STYLE", "figure", "set_title", "show", "to_png", "FigureView", "color", "shown_layers",
           "layer_histograms", "few_log_ticks", "draw_histograms", "draw_layer_stds"]

#: Okabe & Ito (2008) colour-blind-safe palette, in the order the book uses it.
PALETTE = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)

#: Matplotlib settings shared by every figure of the book.
STYLE = {
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "figure.titlesize": 12,
    "figure.titleweight": "bold",
    "legend.fontsize": 9,
    "legend.frameon": False,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "lines.linewidth": 1.8,
    "image.cmap": "cividis",
}


def set_title(fig: Figure, title: str, **kwargs):
    """Title ``fig`` in the book's style (bold, ``figure.titlesize``); extra keywords as for
    ``Figure.suptitle``. A redrawn explorer retitles the figure it reuses: a bare
    ``suptitle`` would take matplotlib's default style, not the book's."""
    return fig.suptitle(title, **{"fontsize": STYLE["figure.titlesize"],
                                  "fontweight": STYLE["figure.titleweight"], **kwargs})


def color(i: int) -> str:
    """The ``i``-th colour of :data:`PALETTE` (cycling)."""
    return PALETTE[i % len(PALETTE)]


def figure(title: str, alt: str, nrows: int = 1, ncols: int = 1, *, width: float = 6.4,
           height: float = 3.6, **subplot_kw):
    """Make a figure in the book's style.

    Parameters
    ----------
    title : str
        The finding the figure shows, as a sentence ("Constant weights stay identical"),
        not a label ("Figure 3").
    alt : str
        Alt text: what a reader who cannot see the figure should learn from it.
    nrows, ncols : int
        Grid of axes.
    width, height : float
        Size in inches.

    Returns
    -------
    fig : matplotlib.figure.Figure
        With ``fig.initlab_alt`` set to ``alt``.
    axes : Axes or ndarray of Axes
        A single Axes when ``nrows == ncols == 1``.
    """
    if not isinstance(title, str) or not title.strip():
        raise ValueError("figure() needs a title that states the finding, e.g. "
                         "title='Constant weights stay identical'.")
    if not isinstance(alt, str) or not alt.strip():
        raise ValueError("figure() needs alt text describing what the figure shows, "
                         "e.g. alt='Two curves that overlap for all 500 steps'.")
    if int(nrows) < 1 or int(ncols) < 1:
        raise ValueError(f"nrows and ncols must be positive, got nrows={nrows}, ncols={ncols}.")
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(width, height), layout="constrained")
        axes = fig.subplots(nrows, ncols, squeeze=True, subplot_kw=subplot_kw or None)
        set_title(fig, title)
    fig.initlab_alt = alt
    return fig, axes


#: One Agg renderer per image size (width, height, dpi), shared by every figure: it keeps the
#: texts it drew (see ``_text_cache``) and matplotlib caches text metrics per renderer.
_RENDERERS: dict = {}


def to_png(fig: Figure, dpi: int = 110, compress_level: int = 6) -> bytes:
    """Render ``fig`` to PNG bytes (white background) with one Agg draw.

    ``Figure.savefig`` draws a figure twice when a layout engine is set (once to place the
    axes, once to print); here the constrained layout runs inside the single draw, and the
    texts (tick labels, legends) are drawn from the renderer's cache when it met them before.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    dpi : int
        Pixels per inch (the book's figures use 110).
    compress_level : int
        zlib level 0-9 of the PNG: 6 for the book's pages, 1 for an explorer's redraw (several
        times faster to encode, a few per cent larger).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    from ._text_cache import CachedTextRenderer

    if not 0 <= int(compress_level) <= 9:
        raise ValueError(f"compress_level must be 0..9, got {compress_level!r}.")
    with matplotlib.rc_context(STYLE):
        fig.set_dpi(dpi)
        canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
        key = (*canvas.get_width_height(physical=True), fig.dpi)
        renderer = _RENDERERS.get(key)
        if renderer is None:
            renderer = _RENDERERS[key] = CachedTextRenderer(*key)
        canvas.renderer, canvas._lastKey = renderer, key  # what canvas.draw() would reuse
        canvas.draw()
        image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, format="png", compress_level=int(compress_level))
    return buffer.getvalue()


def _alt_of(fig: Figure) -> str:
    alt = getattr(fig, "initlab_alt", None)
    if not alt:
        raise ValueError("This figure has no alt text: make it with initlab.plots.figure(title, alt).")
    return alt


class FigureView:
    """A figure ready for display: PNG plus alt text.

    In Jupyter and in the HTML book it shows as ``<img alt="...">``; other front ends
    fall back to the plain PNG.
    """

    def __init__(self, fig: Figure, dpi: int = 110):
        self.alt = _alt_of(fig)
        self.png = to_png(fig, dpi=dpi)

    def img_tag(self, style: str = "max-width:100%;height:auto;") -> str:
        data = base64.b64encode(self.png).decode("ascii")
        return (f'<img src="data:image/png;base64,{data}" alt="{html.escape(self.alt, quote=True)}" '
                f'style="{style}" class="initlab-figure"/>')

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {
            "text/html": self.img_tag(),
            "image/png": base64.b64encode(self.png).decode("ascii"),
            "text/plain": f"<figure: {self.alt}>",
        }


def show(fig: Figure, dpi: int = 110) -> None:
    """Display ``fig`` in a notebook (as an image carrying its alt text)."""
    from IPython.display import display

    display(FigureView(fig, dpi=dpi))


# ------------------------------------------------------ per-layer panels
def shown_layers(depth: int, count: int = 5) -> list[int]:
    """Up to `count` layer numbers ℓ (1-based), evenly spaced from 1 to `depth`."""
    if int(depth) < 1 or int(count) < 1:
        raise ValueError(f"depth and count must be >= 1, got depth={depth!r}, count={count!r}")
    return sorted({int(round(x)) for x in np.linspace(1, int(depth), min(int(count), int(depth)))})


def layer_histograms(arrays, bins: int = 60, max_values: int = 20_000):
    """Histograms of several layers on one shared range.

    Parameters
    ----------
    arrays : list of arrays (any shape)
        One array of values per layer.
    bins : int
    max_values : int
        Each layer's histogram uses at most about this many values (evenly strided).

    Returns
    -------
    edges : array (bins + 1,)
        Shared bin edges: from the smallest to the largest of each layer's mean ∓ 4 std
        (clipped to the data), always including 0.
    fractions : list of arrays (bins,)
        Fraction of each layer's values per bin (values outside the range are dropped).
    """
    if not arrays:
        raise ValueError("layer_histograms needs at least one array")
    # At most `max_values` evenly strided values per layer: the shape of a histogram of
    # 20 000 values is the shape of one of 250 000, and the redraw stays fast.
    flat = []
    for a in arrays:
        v = np.ravel(np.asarray(a))
        flat.append(v[::max(1, v.size // int(max_values))].astype(np.float64))
    # The range from means and standard deviations (cheap; quantiles would sort millions).
    finite = [v[np.isfinite(v)] for v in flat]
    finite = [v for v in finite if v.size]
    if not finite:
        lo, hi = -1.0, 1.0
    else:
        lo = min(max(v.min(), v.mean() - 4 * v.std()) for v in finite)
        hi = max(min(v.max(), v.mean() + 4 * v.std()) for v in finite)
        lo, hi = min(lo, 0.0), max(hi, 0.0)
        if not hi - lo > 0:
            lo, hi = -1.0, 1.0
        pad = 0.02 * (hi - lo)
        lo, hi = lo - pad, hi + pad
    edges = np.linspace(lo, hi, int(bins) + 1)
    fractions = [np.histogram(v[np.isfinite(v)], bins=edges)[0] / max(v.size, 1) for v in flat]
    return edges, fractions


def few_log_ticks(ax):
    """Decade ticks only on a log y axis, labelled as plain text (1e-05): readable, and
    much faster to draw than mathtext labels with minor ticks."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

    ax.yaxis.set_major_locator(LogLocator(base=10, numticks=5))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, pos: f"{y:.0e}".replace("e+00", "")))


def draw_histograms(ax, arrays, layers, xlabel):
    """Draw `layer_histograms` of `arrays` as step lines, one colour per layer ℓ in `layers`."""
    edges, fractions = layer_histograms(arrays)
    for i, (layer, frac) in enumerate(zip(layers, fractions)):
        ax.stairs(np.maximum(frac, 1e-5), edges, color=color(i), label=f"layer {layer}",
                  linewidth=1.5)
    ax.set_yscale("log")
    few_log_ticks(ax)
    ax.set_ylim(1e-4, 1.2)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("fraction per bin")


def draw_layer_stds(ax, a_std, delta_std, label_suffix=""):
    """Std of a_ℓ and of delta_ℓ (arrays over ℓ = 1, 2, ...) against layer ℓ, log scale."""
    layers = np.arange(1, len(a_std) + 1)
    ax.semilogy(layers, a_std, color=color(0), marker="o", markersize=3,
                label="activations aℓ" + label_suffix)
    ax.semilogy(layers, delta_std, color=color(5), marker="s", markersize=3,
                label="gradients δℓ" + label_suffix)
    few_log_ticks(ax)
    ax.set_xlabel("layer ℓ")
    ax.set_ylabel("standard deviation")
