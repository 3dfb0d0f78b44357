"""The explorer pattern shared by every chapter.

An explorer is a *view* — a function from a few parameters to a figure — plus one
control per parameter. It shows two ways at once:

* in Jupyter, Binder and Colab, as live ipywidgets: move a control, the figure is redrawn;
* in the static HTML book, where no kernel runs, as the same controls in plain HTML (select
  lists, radio buttons, range sliders) over views pre-rendered at build time by the same view
  function: the ``grid`` (every combination of a few controls' values) or the ``presets``.

Both travel in one output: the widget's own MIME type, and a ``text/html`` part that the book
is configured to show instead (``nb_mime_priority_overrides`` in ``_config.yml``).

The ``text/html`` part holds every pre-rendered view as a PNG data URI, so the output is
self-contained (it works in any notebook front end and in tests). When the book is built,
the Sphinx extension ``_ext/initlab_explorers.py`` moves each view into its own file under
``_images/explorers/``: the starting view loads with the page, every other view only when the
reader selects it. The small script ``_static/initlab-explorers.js`` (self-hosted, no
dependencies) shows the view that matches the controls; each view is a ``<figure>`` with its
own image, alt text and caption.

Fast redraw (the live widget): every view is drawn once by Agg and encoded with fast zlib
settings (:func:`initlab.plots.to_png` with ``compress_level=1``);
rendered views are cached by their parameters (``cache_size``), so returning to a setting
costs nothing; and a view that accepts a ``fig`` argument is handed the figure it returned
last time, so it can update its artists instead of building a new figure.
"""

from __future__ import annotations

import base64
import hashlib
import html
import inspect
import itertools
import json
import numbers
import time
from collections import OrderedDict
from typing import Callable, Mapping, Sequence

import numpy as np

from ..plots import to_png

__all__ = ["Explorer", "RenderedView"]

#: The class of every explorer's root element in the HTML output (the browser checks and the
#: Sphinx extension look for it).
ROOT_CLASS = "initlab-explorer"


def _format_value(value) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


class RenderedView:
    """One view ready to show: PNG bytes, alt text and the figure's title.

    Displays in Jupyter as ``<img alt="...">`` (with a plain PNG for other front ends).
    """

    def __init__(self, png: bytes, alt: str, title: str = ""):
        self.png = png
        self.alt = alt
        self.title = title

    @classmethod
    def of(cls, fig, dpi: int = 110) -> "RenderedView":
        alt = getattr(fig, "initlab_alt", None)
        if not alt:
            raise ValueError("This figure has no alt text: make it with initlab.plots.figure(title, alt).")
        get_title = getattr(fig, "get_suptitle", None)
        title = get_title() if get_title else ""
        return cls(to_png(fig, dpi=dpi, compress_level=1), alt, " ".join(str(title).split()))

    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")

    def img_tag(self, style: str = "max-width:100%;height:auto;") -> str:
        return (f'<img src="{self.data_uri()}" alt="{html.escape(self.alt, quote=True)}" '
                f'style="{style}" class="initlab-figure"/>')

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.img_tag(),
                "image/png": base64.b64encode(self.png).decode("ascii"),
                "text/plain": f"<figure: {self.alt}>"}


def _options(control) -> list[tuple[str, object]]:
    """(label, value) pairs of a selection control (Dropdown, RadioButtons, ...), else []."""
    labels = getattr(control, "_options_labels", None)
    values = getattr(control, "_options_values", None)
    if labels is not None and values is not None:
        return list(zip(labels, values))
    return []


def _hashable(value):
    try:
        hash(value)
        return value
    except TypeError:
        return repr(value)


def _check_control_value(name, control, value):
    """Refuse a value its control could not produce, naming the control and what it allows
    (so that ``render(width=2.5)`` fails instead of drawing a width-2 network titled 2.5)."""
    kind = type(control).__name__
    if hasattr(control, "options"):
        allowed = [o[1] if isinstance(o, tuple) and len(o) == 2 else o for o in control.options]
        if not any(value is a or (type(value) is type(a) and value == a) or
                   (isinstance(value, numbers.Real) and isinstance(a, numbers.Real)
                    and not isinstance(value, bool) and value == a) for a in allowed):
            raise ValueError(f"{name}={value!r} is not one of the explorer's choices: "
                             f"{', '.join(map(repr, allowed))}.")
        return
    if kind == "Checkbox" or isinstance(getattr(control, "value", None), bool):
        if not isinstance(value, (bool, np.bool_)):
            raise ValueError(f"{name} is a tick box: pass True or False, got {value!r}.")
        return
    integral = kind.startswith("Int")
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real) or \
            (integral and not isinstance(value, numbers.Integral)) or not np.isfinite(value):
        what = "a whole number" if integral else "a finite number"
        raise ValueError(f"{name} must be {what}, got {value!r}.")
    low, high = getattr(control, "min", None), getattr(control, "max", None)
    if kind == "FloatLogSlider" and low is not None:
        low, high = control.base ** low, control.base ** high
    if low is not None and high is not None and not low <= value <= high:
        raise ValueError(f"{name}={value!r} is outside the explorer's range "
                         f"[{low:g}, {high:g}]; pass a value in that range.")


class Explorer:
    """A live figure with controls, and a kernel-free version of the same controls.

    Parameters
    ----------
    view : callable
        ``view(**params) -> matplotlib.figure.Figure``, made with :func:`initlab.plots.figure`
        so that it carries a title and alt text. If the view accepts a ``fig`` argument it is
        given the figure it returned last time (None at first) and may update and return it.
    controls : mapping of str to ipywidgets control
        One control per parameter of ``view``; its ``value`` is the starting setting and its
        ``description`` labels it.
    presets : sequence of mappings, optional
        Settings pre-rendered for the static book, listed one by one (the static page offers
        them in one select list). A preset may name only some parameters; the others take the
        controls' starting values. Give `grid` or `presets`.
    caption : str, optional
        One sentence shown above the explorer, saying what to look for.
    grid : mapping of str to sequence, optional
        The values of the two or three controls that carry the chapter's point, for the
        static book: every combination is rendered (the other controls keep their starting
        values) and the static page offers one control per name.
    cache_size : int
        Rendered views kept in memory, by parameters (0: no cache).
    dpi : int
        Pixels per inch of the rendered views.
    """

    def __init__(self, view: Callable, controls: Mapping, presets: Sequence[Mapping] = (),
                 caption: str = "", grid: Mapping[str, Sequence] | None = None,
                 cache_size: int = 32, dpi: int = 110):
        if not callable(view):
            raise ValueError(f"view must be a function returning a figure, got {view!r}.")
        if not controls:
            raise ValueError("An explorer needs at least one control, e.g. "
                             "controls={'depth': ipywidgets.IntSlider(value=5, min=1, max=20)}.")
        for name, control in controls.items():
            if not hasattr(control, "value"):
                raise ValueError(f"Control {name!r} has no 'value': pass an ipywidgets control "
                                 f"such as IntSlider or Dropdown, got {control!r}.")
        if int(cache_size) < 0:
            raise ValueError(f"cache_size must be >= 0, got {cache_size!r}.")
        if grid is not None:
            if presets:
                raise ValueError("Give either grid= (every combination of a few controls' "
                                 "values) or presets= (settings listed one by one), not both.")
            unknown = set(grid) - set(controls)
            if unknown:
                raise ValueError(f"grid names unknown parameters {sorted(unknown)}; "
                                 f"allowed: {sorted(controls)}.")
            empty = [name for name, values in grid.items() if len(values) == 0]
            if not grid or empty:
                raise ValueError(f"grid must give at least one value per named control; "
                                 f"empty: {empty or 'the whole grid'}.")
            repeated = [name for name, values in grid.items()
                        if len({_hashable(v) for v in values}) != len(values)]
            if repeated:
                raise ValueError(f"grid repeats a value of {repeated}: give each value once.")
            names = list(grid)
            presets = [dict(zip(names, combo))
                       for combo in itertools.product(*(grid[n] for n in names))]
        if not presets:
            raise ValueError("An explorer needs at least one preset or a grid: the static book "
                             "shows these settings instead of the live widget.")
        for preset in presets:
            unknown = set(preset) - set(controls)
            if unknown:
                raise ValueError(f"Preset {dict(preset)!r} names unknown parameters "
                                 f"{sorted(unknown)}; allowed: {sorted(controls)}.")
        self.view = view
        self.controls = dict(controls)
        self.grid = None if grid is None else {name: list(v) for name, v in grid.items()}
        self.presets = [dict(p) for p in presets]
        self.caption = caption
        self.cache_size = int(cache_size)
        self.dpi = int(dpi)
        self._cache: OrderedDict = OrderedDict()
        try:
            self._takes_fig = "fig" in inspect.signature(view).parameters
        except (TypeError, ValueError):  # builtins or C callables: no signature
            self._takes_fig = False
        self._last_fig = None
        self._widget = None
        self._output = None

    # -- parameters ---------------------------------------------------------------------
    def defaults(self) -> dict:
        """The controls' current values."""
        return {name: control.value for name, control in self.controls.items()}

    def _params(self, params: Mapping) -> dict:
        unknown = set(params) - set(self.controls)
        if unknown:
            raise ValueError(f"Unknown parameters {sorted(unknown)}; allowed: {sorted(self.controls)}.")
        for name, value in params.items():
            _check_control_value(name, self.controls[name], value)
        return {**self.defaults(), **params}

    def render(self, **params):
        """The figure for ``params`` (missing ones take the controls' values)."""
        full = self._params(params)
        if self._takes_fig:
            fig = self.view(**full, fig=self._last_fig)
            self._last_fig = fig
            return fig
        return self.view(**full)

    def rendered(self, **params) -> RenderedView:
        """The encoded view for ``params``, from the cache when it was rendered before."""
        full = self._params(params)
        key = tuple(sorted((name, _hashable(value)) for name, value in full.items()))
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        result = RenderedView.of(self.render(**full), dpi=self.dpi)
        if self.cache_size:
            self._cache[key] = result
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return result

    def time_update(self, repeats: int = 5, **params) -> float:
        """Median wall time in seconds of one redraw (view + PNG encoding) at ``params``,
        never served from the cache."""
        times = []
        for _ in range(int(repeats)):
            start = time.perf_counter()
            RenderedView.of(self.render(**params), dpi=self.dpi)
            times.append(time.perf_counter() - start)
        times.sort()
        return times[len(times) // 2]

    # -- static view -----------------------------------------------------------------------
    def _value_label(self, name, value) -> str:
        for label, option in _options(self.controls[name]):
            if option == value and type(option) is type(value):
                return str(label)
        for label, option in _options(self.controls[name]):
            if option == value:
                return str(label)
        # A slider's own significant-digit format (".3g": √2 reads 1.41); fixed-point
        # formats (".2f") would write 2.00 for 2.
        fmt = getattr(self.controls[name], "readout_format", None)
        if isinstance(fmt, str) and fmt[-1:] in "gGeE" and fmt \
                and isinstance(value, numbers.Real) and not isinstance(value, bool):
            try:
                return format(value, fmt)
            except (TypeError, ValueError):
                pass
        return _format_value(value)

    def _control_label(self, name) -> str:
        return (getattr(self.controls[name], "description", "") or name).rstrip(":")

    def _label(self, params: Mapping) -> str:
        return ", ".join(f"{self._control_label(name)} = {self._value_label(name, value)}"
                         for name, value in params.items())

    def static_controls(self) -> list[tuple[str, str, list[str]]]:
        """The static page's controls: (name, label, option labels) per control.

        With a grid: one per grid control with two or more values. With presets: a single
        control named ``setting`` whose options are the presets.
        """
        if self.grid is not None:
            return [(name, self._control_label(name),
                     [self._value_label(name, v) for v in values])
                    for name, values in self.grid.items() if len(values) > 1]
        return [("setting", "setting", [self._label(self._preset_setting(p)) for p in self.presets])]

    def _preset_setting(self, preset: Mapping) -> dict:
        """A preset's values of every parameter that some preset names (controls' order)."""
        named = [n for n in self.controls if any(n in p for p in self.presets)]
        full = self._params(preset)
        return {name: full[name] for name in named}

    def _static_views(self) -> list[tuple[tuple[int, ...], dict, dict]]:
        """(key, the setting's own values, all parameters) of every pre-rendered view."""
        if self.grid is None:
            return [((i,), self._preset_setting(p), self._params(p))
                    for i, p in enumerate(self.presets)]
        varying = [name for name, values in self.grid.items() if len(values) > 1]
        return [(tuple(itertools.product(*(range(len(self.grid[n])) for n in varying)))[i],
                 p, self._params(p)) for i, p in enumerate(self.presets)]

    def static_views(self) -> list[tuple[tuple[int, ...], dict]]:
        """(key, parameters) of every pre-rendered view; the key gives one option index per
        static control (see :meth:`static_controls`)."""
        return [(key, params) for key, _, params in self._static_views()]

    def initial_key(self) -> tuple[int, ...]:
        """The view shown first: the one matching the controls' starting values, if it was
        rendered, else the first."""
        start = self.defaults()
        views = self.static_views()
        for key, params in views:
            if all(params[name] == start[name] for name in params):
                return key
        return views[0][0]

    def _fixed_note(self) -> str:
        """Which controls the static page leaves at their starting values."""
        named = set(self.grid) if self.grid is not None else {n for p in self.presets for n in p}
        fixed = {n: v for n, v in self.defaults().items() if n not in named}
        if not fixed:
            return ""
        return "; the other controls stay at " + self._label(fixed)

    def _view_caption(self, setting: Mapping, view: RenderedView) -> str:
        """A view's own caption: the setting it shows, then the figure's title."""
        label = self._label(setting)
        return f"{label}: {view.title}" if view.title else label

    def _control_html(self, uid: str, index: int, name: str, label: str, options: list[str],
                      selected: int) -> str:
        cid = f"{uid}-c{index}"
        esc = html.escape
        values = self.grid[name] if self.grid is not None else None
        numeric = values is not None and all(isinstance(v, numbers.Real) and not isinstance(v, bool)
                                             for v in values)
        texts = json.dumps(options)
        if numeric and len(options) >= 3:
            return (f'<span class="initlab-explorer-control" style="display:inline-flex;'
                    f'align-items:center;gap:0.4em;">'
                    f'<label for="{cid}">{esc(label)}</label>'
                    f'<input type="range" id="{cid}" name="{esc(name)}" min="0" '
                    f'max="{len(options) - 1}" step="1" value="{selected}" '
                    f'aria-valuetext="{esc(options[selected])}" data-texts="{esc(texts)}">'
                    f'<output for="{cid}" id="{cid}-out">{esc(options[selected])}</output></span>')
        if len(options) <= 4:
            buttons = "".join(
                f'<label style="margin-right:0.6em;white-space:nowrap;"><input type="radio" '
                f'name="{cid}" value="{i}"{" checked" if i == selected else ""}> '
                f'{esc(text)}</label>' for i, text in enumerate(options))
            return (f'<fieldset class="initlab-explorer-control" data-name="{esc(name)}" '
                    f'style="display:inline-block;border:1px solid #ccc;border-radius:4px;'
                    f'padding:0.2em 0.6em;margin:0;"><legend style="font-size:0.9em;'
                    f'padding:0 0.3em;width:auto;float:none;margin:0;">{esc(label)}</legend>'
                    f'{buttons}</fieldset>')
        opts = "".join(f'<option value="{i}"{" selected" if i == selected else ""}>{esc(text)}</option>'
                       for i, text in enumerate(options))
        return (f'<span class="initlab-explorer-control" style="display:inline-flex;'
                f'align-items:center;gap:0.4em;"><label for="{cid}">{esc(label)}</label>'
                f'<select id="{cid}" name="{esc(name)}">{opts}</select></span>')

    def static_html(self) -> str:
        """The kernel-free explorer: its controls in HTML over every pre-rendered view.

        Every view is a ``<figure class="initlab-explorer-view" data-key="i-j">`` holding the
        PNG (as a data URI), its alt text and a caption; all but the starting view are
        ``hidden``. ``_static/initlab-explorers.js`` shows the view whose key matches the
        controls; ``_ext/initlab_explorers.py`` moves the PNGs into files at build time.
        """
        esc = html.escape
        views = [(key, preset, params, self.rendered(**params))
                 for key, preset, params in self._static_views()]
        digest = hashlib.sha1()
        digest.update(getattr(self.view, "__qualname__", repr(self.view)).encode())
        digest.update(self.caption.encode())
        for key, _, _, view in views:
            digest.update(repr(key).encode())
            digest.update(view.png)
        uid = "initlab-explorer-" + digest.hexdigest()[:10]
        initial = self.initial_key()
        controls = self.static_controls()
        control_html = "".join(self._control_html(uid, i, name, label, options, initial[i])
                               for i, (name, label, options) in enumerate(controls))
        figures = []
        initial_attr = ' data-initial="1"'
        for key, preset, params, view in views:
            k = "-".join(map(str, key))
            shown = key == initial
            figures.append(
                f'<figure class="initlab-explorer-view" data-key="{k}"{"" if shown else " hidden"} '
                f'style="margin:0;">'
                f'<img class="initlab-explorer-img" src="{view.data_uri()}" '
                f'alt="{esc(view.alt, quote=True)}" style="max-width:100%;height:auto;"'
                f'{initial_attr if shown else ""}/>'
                f'<figcaption style="font-size:0.85em;">{esc(self._view_caption(preset, view))}'
                f'</figcaption></figure>')
        caption = (f'<p class="initlab-explorer-caption">{esc(self.caption)}</p>'
                   if self.caption else "")
        count = len(views)
        note = ('<p class="initlab-explorer-note" style="font-size:0.85em;font-style:italic;">'
                f"{count} view{'s' if count != 1 else ''} rendered when the book was built, by "
                f"the same code as the live explorer{esc(self._fixed_note())}. Run this page in "
                "Jupyter, Binder or Colab (rocket icon above) to set every control yourself.</p>")
        return (f'<div class="{ROOT_CLASS}" id="{uid}" data-initlab-explorer="1">' + caption +
                f'<form class="initlab-explorer-controls" aria-controls="{uid}-views" '
                f'style="display:flex;flex-wrap:wrap;gap:0.5em 1.2em;align-items:center;'
                f'margin:0.4em 0;">{control_html}</form>'
                f'<div class="initlab-explorer-views" id="{uid}-views" aria-live="polite">'
                + "".join(figures) + "</div>" + note + "</div>")

    # -- live widget -----------------------------------------------------------------------
    def _redraw(self, change=None) -> None:
        view = self.rendered()
        # Replace the output directly (works in any front end, and in tests without a kernel).
        self._output.outputs = ()
        self._output.append_display_data(view)

    def widget(self):
        """The live widget: the controls above an output area that is redrawn on change."""
        if self._widget is None:
            import ipywidgets

            self._output = ipywidgets.Output()
            for control in self.controls.values():
                control.observe(self._redraw, names="value")
            self._redraw()
            self._widget = ipywidgets.VBox([ipywidgets.HBox(list(self.controls.values()),
                                                            layout=ipywidgets.Layout(flex_flow="row wrap")),
                                            self._output])
        return self._widget

    def _repr_mimebundle_(self, include=None, exclude=None):
        widget = self.widget()
        if hasattr(widget, "_repr_mimebundle_"):  # ipywidgets 8
            bundle = dict(widget._repr_mimebundle_() or {})
        else:  # ipywidgets 7 (Colab): the same widget-view bundle, built from the model id
            bundle = {"application/vnd.jupyter.widget-view+json": {
                "version_major": 2, "version_minor": 0, "model_id": widget.model_id}}
        bundle["text/html"] = self.static_html()
        bundle["text/plain"] = f"<explorer: {self.caption or ', '.join(self.controls)}>"
        return bundle
