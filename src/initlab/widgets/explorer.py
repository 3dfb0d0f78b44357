"""The explorer pattern shared by every chapter.

An explorer is a *view* — a function from a few parameters to a figure — plus one
control per parameter. It shows two ways at once:

* in Jupyter, Binder and Colab, as live ipywidgets: move a control, the figure is redrawn;
* in the static HTML book, where no kernel runs, as a gallery of pre-rendered views
  (the ``presets``), so a reader without a kernel still sees the point.

Both travel in one output: the widget's own MIME type, and a ``text/html`` gallery that the
book is configured to show instead (``nb_mime_priority_overrides`` in ``_config.yml``).
"""

from __future__ import annotations

import html
import itertools
import time
from typing import Callable, Mapping, Sequence

from ..plots import FigureView

__all__ = ["Explorer"]


def _format_value(value) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


class Explorer:
    """A live figure with controls, and a kernel-free gallery of chosen settings.

    Parameters
    ----------
    view : callable
        ``view(**params) -> matplotlib.figure.Figure``, made with :func:`initlab.plots.figure`
        so that it carries a title and alt text.
    controls : mapping of str to ipywidgets control
        One control per parameter of ``view``; its ``value`` is the starting setting and its
        ``description`` labels it.
    grid : mapping of str to sequence, optional
        The values of the two or three controls that carry the chapter's point, for the
        static book: every combination is rendered (the other controls keep their starting
        values). Give `grid` or `presets`.
    presets : sequence of mappings, optional
        Settings pre-rendered for the static book, listed one by one. A preset may name only
        some parameters; the others take the controls' starting values.
    caption : str, optional
        One sentence shown above the gallery, saying what to look for.
    """

    def __init__(self, view: Callable, controls: Mapping, presets: Sequence[Mapping] = (),
                 caption: str = "", grid: Mapping[str, Sequence] | None = None):
        if not callable(view):
            raise ValueError(f"view must be a function returning a figure, got {view!r}.")
        if not controls:
            raise ValueError("An explorer needs at least one control, e.g. "
                             "controls={'depth': ipywidgets.IntSlider(value=5, min=1, max=20)}.")
        for name, control in controls.items():
            if not hasattr(control, "value"):
                raise ValueError(f"Control {name!r} has no 'value': pass an ipywidgets control "
                                 f"such as IntSlider or Dropdown, got {control!r}.")
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
        self._widget = None
        self._output = None

    # -- parameters ---------------------------------------------------------------------
    def defaults(self) -> dict:
        """The controls' current values."""
        return {name: control.value for name, control in self.controls.items()}

    def render(self, **params):
        """The figure for ``params`` (missing ones take the controls' values)."""
        unknown = set(params) - set(self.controls)
        if unknown:
            raise ValueError(f"Unknown parameters {sorted(unknown)}; allowed: {sorted(self.controls)}.")
        return self.view(**{**self.defaults(), **params})

    def time_update(self, repeats: int = 5, **params) -> float:
        """Median wall time in seconds of one redraw (view + PNG encoding) at ``params``."""
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            FigureView(self.render(**params))
            times.append(time.perf_counter() - start)
        times.sort()
        return times[len(times) // 2]

    # -- static gallery ------------------------------------------------------------------
    def _label(self, params: Mapping) -> str:
        parts = []
        for name, value in params.items():
            label = getattr(self.controls[name], "description", "") or name
            parts.append(f"{label.rstrip(':')} = {_format_value(value)}")
        return ", ".join(parts)

    def static_html(self) -> str:
        """HTML gallery of the presets: what the book shows where no kernel runs."""
        items = []
        for preset in self.presets:
            params = {**self.defaults(), **preset}
            fig_view = FigureView(self.view(**params))
            items.append(
                '<figure class="initlab-explorer-view" style="flex:1 1 320px;max-width:100%;margin:0;">'
                f"{fig_view.img_tag()}"
                f'<figcaption style="font-size:0.85em;">{html.escape(self._label(params))}</figcaption>'
                "</figure>")
        caption = (f'<p class="initlab-explorer-caption">{html.escape(self.caption)}</p>'
                   if self.caption else "")
        note = ('<p class="initlab-explorer-note" style="font-size:0.85em;font-style:italic;">'
                "Pre-rendered views of the interactive explorer. Run this page in Jupyter, "
                "Binder or Colab (rocket icon above) to move the controls yourself.</p>")
        return ('<div class="initlab-explorer">' + caption +
                '<div style="display:flex;flex-wrap:wrap;gap:0.75em;">' + "".join(items) + "</div>" +
                note + "</div>")

    # -- live widget -----------------------------------------------------------------------
    def _redraw(self, change=None) -> None:
        view = FigureView(self.render())
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
