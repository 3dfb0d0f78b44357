"""The book's Agg renderer with a text cache (plots.to_png) draws what Agg draws."""

import io

import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

import initlab._text_cache as text_cache
from initlab import plots
from initlab.plots import to_png

pytestmark = pytest.mark.skipif(not text_cache.GLYPH_API,
                                reason="matplotlib < 3.11 draws texts whole (no cache needed)")


def _figure(color="black"):
    fig = Figure(figsize=(3.0, 2.0))
    ax = fig.add_subplot()
    ax.plot([0, 1, 2], [0, 1, 4], color="tab:blue")
    ax.set_xlabel("step")
    ax.set_ylabel("loss (rotated)")
    ax.set_title("Title: ×10⁻³", color=color)
    ax.text(0.2, 3, "$\\sigma^2_w$ mathtext", color=color)
    return fig


def _pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=float)


def _render(fig, cached):
    plots._RENDERERS.clear()
    saved = text_cache.GLYPH_API
    text_cache.GLYPH_API = cached
    try:
        return _pixels(to_png(fig))
    finally:
        text_cache.GLYPH_API = saved
        plots._RENDERERS.clear()


def test_cached_text_matches_agg_up_to_half_a_pixel():
    fig = _figure()
    agg, cached = _render(fig, False), _render(fig, True)
    assert agg.shape == cached.shape
    # The same ink (text is placed to the whole pixel, not to 1/64 pixel) ...
    ink_agg, ink_cached = (255 - agg).sum(), (255 - cached).sum()
    assert abs(ink_cached - ink_agg) < 0.02 * ink_agg
    # ... and every dark pixel of one image has a dark pixel within one pixel in the other.
    dark_agg, dark_cached = agg < 128, cached < 128
    grown = np.zeros_like(dark_agg)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            grown |= np.roll(np.roll(dark_agg, dy, 0), dx, 1)
    assert dark_cached[grown == 0].sum() == 0
    assert dark_cached.sum() == pytest.approx(dark_agg.sum(), rel=0.05)


def test_second_draw_from_the_cache_is_the_same_image():
    fig = _figure()
    plots._RENDERERS.clear()
    first = to_png(fig)
    assert text_cache._GLYPHS  # the texts were kept
    assert to_png(fig) == first


def test_colour_is_not_cached_with_the_glyphs():
    black = np.asarray(Image.open(io.BytesIO(to_png(_figure("black")))).convert("RGB"), int)
    red = np.asarray(Image.open(io.BytesIO(to_png(_figure("red")))).convert("RGB"), int)
    reddish = (red[..., 0] - red[..., 1]) > 100
    assert reddish.sum() > 50 and ((black[..., 0] - black[..., 1]) > 100).sum() == 0


def test_cache_stays_bounded(monkeypatch):
    monkeypatch.setattr(text_cache, "CACHE_SIZE", 5)
    fig = Figure(figsize=(2, 1))
    for i in range(12):
        fig.text(0.1, 0.5, f"label {i}")
    to_png(fig)
    assert len(text_cache._GLYPHS) <= 5 and len(text_cache._EXTENTS) <= 5
