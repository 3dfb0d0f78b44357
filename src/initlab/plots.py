"""One figure style for the whole book.

Every figure in the book is made with :func:`figure` and shown with :func:`show`:

* a colour-blind-safe palette (Okabe & Ito) and one set of fonts and sizes;
* a title that states the finding, and alt text for readers who cannot see the figure
  (both are required: :func:`figure` refuses to make a figure without them);
* a white background, so figures stay readable in the book's dark mode.

Figures are built with :class:`matplotlib.figure.Figure` directly, not with pyplot, so
nothing is drawn twice and ``import initlab`` never imports pyplot.
"""

from __future__ import annotations

import base64
import html
import io

import matplotlib
from matplotlib.figure import Figure

__all__ = ["PALETTE", "STYLE", "figure", "show", "to_png", "FigureView", "color"]

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
        fig.suptitle(title)
    fig.initlab_alt = alt
    return fig, axes


def to_png(fig: Figure, dpi: int = 110) -> bytes:
    """Render ``fig`` to PNG bytes (white background)."""
    buffer = io.BytesIO()
    with matplotlib.rc_context(STYLE):
        fig.savefig(buffer, format="png", dpi=dpi)
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
