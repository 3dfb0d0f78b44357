"""An Agg renderer that draws each distinct text once, for the explorers' redraws.

In matplotlib 3.11 Agg lays out and renders every glyph of every text at every draw (so
that complex scripts shape correctly); an explorer's redraw draws the same tick labels,
axis labels and legend entries again and again, and text became most of its cost.
:class:`CachedTextRenderer` keeps, per string, font and angle, the glyph bitmaps and the
string's measured extent, and stamps them at the text's position rounded to the nearest
pixel. The image is the same as Agg's except that a text may sit up to half a pixel from
where Agg would put it (Agg places glyphs to 1/64 pixel).

Only what is a pure function of (string, font properties, angle, dpi) is cached: colours,
clipping and alpha come from the graphics context at each draw. Mathtext, TeX, and
matplotlib versions without the glyph-by-glyph API (3.10 and older render a whole string
at once, which is fast) take Agg's own path.
"""

from __future__ import annotations

import math
from collections import OrderedDict

import numpy as np
from matplotlib.backends.backend_agg import RendererAgg, get_hinting_flag
from matplotlib.ft2font import FT2Font

__all__ = ["CachedTextRenderer"]

#: Glyph-by-glyph text drawing, as in matplotlib >= 3.11 (else Agg's own path is used).
GLYPH_API = all(hasattr(FT2Font, name) for name in ("_layout", "_render_glyph", "_set_transform"))

#: Distinct texts kept (per process; a tick label's glyphs take a few hundred bytes).
CACHE_SIZE = 4096

_GLYPHS: OrderedDict = OrderedDict()
_EXTENTS: OrderedDict = OrderedDict()


def _remember(cache: OrderedDict, key, value):
    cache[key] = value
    while len(cache) > CACHE_SIZE:
        cache.popitem(last=False)
    return value


def _font_key(prop) -> tuple:
    return (tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(),
            prop.get_stretch(), prop.get_size_in_points(), prop.get_file(),
            prop.get_math_fontfamily())


class CachedTextRenderer(RendererAgg):
    """:class:`~matplotlib.backends.backend_agg.RendererAgg` with a cache of rendered texts."""

    def _glyphs(self, s, prop, angle, antialiased, mtext):
        """The string's glyph bitmaps with their offsets from a whole-pixel origin."""
        from matplotlib.ft2font import RenderMode

        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        key = (s, _font_key(prop), angle, antialiased, repr(features), repr(language), self.dpi)
        if key in _GLYPHS:
            _GLYPHS.move_to_end(key)
            return _GLYPHS[key]
        font = self._prepare_font(prop)
        flags = get_hinting_flag()
        items = font._layout(s, flags=flags, features=features, language=language)
        size = prop.get_size_in_points()
        cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        matrix = (0x10000 * np.array([[cos, -sin], [sin, cos]])).round().astype(int)
        mode = RenderMode.NORMAL if antialiased else RenderMode.MONO
        glyphs = []
        for item in items:
            glyph_font = item.ft_object
            glyph_font.set_size(size, self.dpi)
            # The same 26.6 fixed-point offsets Agg uses, from an origin at (0, 0): a whole
            # pixel shift of the origin shifts the bitmap by as many pixels, and nothing else.
            glyph_font._set_transform(matrix, [round(0x40 * (item.x * cos - item.y * sin)),
                                               round(0x40 * (item.x * sin + item.y * cos))])
            bitmap = glyph_font._render_glyph(item.glyph_index, flags, mode)
            buffer = np.array(bitmap.buffer, copy=True)
            if not antialiased:
                buffer *= 0xff
            glyphs.append((buffer, bitmap.left, bitmap.top))
        return _remember(_GLYPHS, key, glyphs)

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        # docstring inherited
        if ismath or not GLYPH_API:
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        left0, up0 = round(x), round(self.height - y)  # the origin, whole pixels, y upwards
        for buffer, left, top in self._glyphs(s, prop, angle, bool(gc.get_antialiased()), mtext):
            self._renderer.draw_text_image(
                buffer, left0 + left, int(self.height) - (up0 + top) + buffer.shape[0], 0, gc)

    def get_text_width_height_descent(self, s, prop, ismath):
        # docstring inherited
        if ismath == "TeX":
            return super().get_text_width_height_descent(s, prop, ismath)
        key = (s, _font_key(prop), ismath, self.dpi)
        if key in _EXTENTS:
            return _EXTENTS[key]
        return _remember(_EXTENTS, key, super().get_text_width_height_descent(s, prop, ismath))
