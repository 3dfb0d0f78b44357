"""The Explorer's kernel-free view (HTML controls over pre-rendered views), the build step
that moves views into files, and the fast redraw path (one draw, cache, figure reuse)."""

from __future__ import annotations

import base64
import html as htmllib
import importlib.util
import io
import re
from pathlib import Path

import ipywidgets
import numpy as np
import pytest
from PIL import Image

from initlab import plots
from initlab.widgets import Explorer
from initlab.widgets.explorer import RenderedView

ROOT = Path(__file__).resolve().parents[2]
CALLS: list[dict] = []


def wave_view(freq=1.0, kind="sin", phase=0.0):
    CALLS.append({"freq": freq, "kind": kind, "phase": phase})
    fig, ax = plots.figure(f"A {kind} wave of frequency {freq:g}",
                           alt=f"One {kind} curve, frequency {freq:g}, phase {phase:g}.")
    x = np.linspace(0, 1, 50)
    ax.plot(x, getattr(np, kind)(2 * np.pi * freq * x + phase))
    return fig


def controls():
    return {"freq": ipywidgets.FloatSlider(value=2.0, min=0.5, max=4, description="frequency"),
            "kind": ipywidgets.Dropdown(options=[("sine", "sin"), ("cosine", "cos")], value="sin",
                                        description="curve"),
            "phase": ipywidgets.FloatSlider(value=0.0, min=0, max=3, description="phase")}


def grid_explorer(**kw):
    return Explorer(wave_view, controls(), grid={"freq": [1.0, 2.0, 4.0], "kind": ["sin", "cos"]},
                    caption="Faster waves wiggle more.", **kw)


def figures(html):
    """[(key, hidden, img attributes, caption)] of every view figure."""
    out = []
    for m in re.finditer(r'<figure class="initlab-explorer-view" data-key="([^"]*)"([^>]*)>'
                         r'<img ([^>]*)/>(?:.*?)<figcaption[^>]*>(.*?)</figcaption></figure>', html):
        attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', m.group(3)))
        out.append((m.group(1), "hidden" in m.group(2), attrs, htmllib.unescape(m.group(4))))
    return out


def test_grid_gives_one_html_control_per_varying_control_and_one_view_per_combination():
    html = grid_explorer().static_html()
    views = figures(html)
    assert [k for k, *_ in views] == ["0-0", "0-1", "1-0", "1-1", "2-0", "2-1"]
    # three numeric values: a labelled range input with a readout; two options: radio buttons
    assert re.search(r'<label for="([\w-]+-c0)">frequency</label><input type="range" id="\1"', html)
    assert 'max="2"' in html and '<output for=' in html and 'aria-valuetext="2"' in html
    assert re.search(r'<fieldset [^>]*><legend[^>]*>curve</legend>', html)
    assert html.count('type="radio"') == 2 and ">sine</label>" in html.replace(" sine", "sine")
    # the starting view is the controls' starting setting (frequency 2, sine); the rest hidden
    shown = [k for k, hidden, *_ in views if not hidden]
    assert shown == ["1-0"]
    assert [a.get("data-initial") for k, _, a, _ in views if k == "1-0"] == ["1"]
    # every view has its own image, alt text and caption (setting, then the figure's title)
    assert len({a["src"] for _, _, a, _ in views}) == 6
    assert len({a["alt"] for _, _, a, _ in views}) == 6
    captions = [c for *_, c in views]
    assert captions[5] == "frequency = 4, curve = cosine: A cos wave of frequency 4"
    assert all(a["src"].startswith("data:image/png;base64,") for _, _, a, _ in views)
    assert "Faster waves wiggle more." in html and "6 views rendered" in html


def test_many_options_give_a_select_and_presets_give_one_setting_list():
    e = Explorer(wave_view, controls(), grid={"phase": [0.0, 0.5, 1.0, 1.5, 2.0], "kind": ["sin"]})
    html = e.static_html()
    assert html.count('type="range"') == 1 and "<select" not in html  # numeric: a range
    assert [k for k, *_ in figures(html)] == ["0", "1", "2", "3", "4"]
    assert figures(html)[0][3].startswith("phase = 0, curve = sine:")  # fixed value in caption
    many = {**controls(), "kind": ipywidgets.Dropdown(options=["sin", "cos", "tan", "sinh", "cosh"],
                                                      value="sin", description="curve")}
    e = Explorer(wave_view, many, grid={"kind": ["sin", "cos", "tan", "sinh", "cosh"]})
    assert re.search(r'<label for="([\w-]+)">curve</label><select id="\1"', e.static_html())
    e = Explorer(wave_view, controls(), presets=[{"freq": 1.0}, {"freq": 3.0, "kind": "cos"}])
    html = e.static_html()
    assert re.search(r'<legend[^>]*>setting</legend>', html)
    assert "frequency = 1, curve = sine</label>" in html
    assert [k for k, hidden, *_ in figures(html)] == ["0", "1"]
    assert [hidden for _, hidden, *_ in figures(html)] == [False, True]  # no preset matches: first


def test_static_html_is_deterministic_and_ids_differ_between_explorers():
    a, b = grid_explorer().static_html(), grid_explorer().static_html()
    assert a == b
    other = Explorer(wave_view, controls(), grid={"freq": [1.0, 3.0]}).static_html()
    uid = re.search(r'id="(initlab-explorer-\w+)"', a).group(1)
    assert uid != re.search(r'id="(initlab-explorer-\w+)"', other).group(1)


def test_bad_grids_are_refused():
    with pytest.raises(ValueError, match="repeats a value"):
        Explorer(wave_view, controls(), grid={"freq": [1.0, 1.0]})
    with pytest.raises(ValueError, match="cache_size"):
        Explorer(wave_view, controls(), grid={"freq": [1.0]}, cache_size=-1)
    with pytest.raises(ValueError, match="not both"):
        Explorer(wave_view, controls(), grid={"freq": [1.0]}, presets=[{"freq": 2.0}])


def test_views_are_cached_by_parameters_but_timing_never_is():
    e = grid_explorer()
    CALLS.clear()
    first = e.rendered(freq=1.0)
    assert e.rendered(freq=1.0) is first and len(CALLS) == 1
    e.static_html()
    assert len(CALLS) == 6  # the grid rendered once: (1, sin) came from the cache
    e.time_update(repeats=3, freq=1.0)
    assert len(CALLS) == 9
    small = Explorer(wave_view, controls(), grid={"freq": [1.0]}, cache_size=1)
    small.rendered(freq=1.0), small.rendered(freq=2.0), small.rendered(freq=1.0)
    assert len(CALLS) == 12


def test_live_widget_redraws_on_change_and_reuses_cached_views():
    e = grid_explorer()
    e.widget()
    CALLS.clear()
    e.controls["freq"].value = 3.0
    assert len(CALLS) == 1 and "frequency 3" in str(e._output.outputs[-1])
    e.controls["freq"].value = 2.0  # shown before: from the cache
    assert len(CALLS) == 1 and "frequency 2" in str(e._output.outputs[-1])
    bundle = e._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert 'data-initlab-explorer="1"' in bundle["text/html"]


def test_a_view_that_accepts_fig_gets_its_previous_figure_back():
    seen = []

    def reusing_view(freq=1.0, fig=None):
        seen.append(fig)
        if fig is None:
            fig, ax = plots.figure("A line", alt="A line.")
            ax.plot([0, 1], [0, freq])
        else:
            fig.axes[0].lines[0].set_ydata([0, freq])
        fig.initlab_alt = f"A line of slope {freq:g}."
        return fig

    e = Explorer(reusing_view, {"freq": ipywidgets.FloatSlider(value=1.0)}, grid={"freq": [1.0, 2.0]})
    html = e.static_html()
    assert seen[0] is None and seen[1] is not None and seen[1] is e._last_fig
    alts = [a["alt"] for _, _, a, _ in figures(html)]
    assert alts == ["A line of slope 1.", "A line of slope 2."]
    pngs = [a["src"] for _, _, a, _ in figures(html)]
    assert pngs[0] != pngs[1]  # the reused figure was encoded before it was changed


def test_to_png_draws_once_and_matches_savefig_size():
    fig = wave_view()  # constrained layout: savefig draws it twice
    draws = []
    fig.canvas.mpl_connect("draw_event", lambda event: draws.append(1))
    png = plots.to_png(fig, dpi=110)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (704, 396)  # 6.4 x 3.6 in at 110 dpi
    assert len(draws) == 1
    saved = io.BytesIO()
    wave_view().savefig(saved, format="png", dpi=110)
    assert Image.open(saved).size == image.size
    with pytest.raises(ValueError, match="compress_level"):
        plots.to_png(fig, compress_level=12)
    with pytest.raises(ValueError, match="alt text"):
        from matplotlib.figure import Figure
        RenderedView.of(Figure())


def _extension():
    spec = importlib.util.spec_from_file_location("initlab_explorers", ROOT / "_ext" / "initlab_explorers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_build_step_moves_each_view_into_its_own_file(tmp_path):
    ext = _extension()
    html = grid_explorer().static_html()
    body, moved = ext.move_views("<p>before</p>" + html, tmp_path, lambda p: "../" + p)
    assert moved == 6 and "data:image" not in body
    views = figures(body)
    files = sorted((tmp_path / "_images" / "explorers").iterdir())
    assert len(files) == 6
    for key, hidden, attrs, _ in views:
        url = attrs.get("src") or attrs["data-src"]
        assert url.startswith("../_images/explorers/") and (tmp_path / url[3:]).is_file()
        # only the starting view loads with the page
        assert ("src" in attrs) == (not hidden) and ("data-src" in attrs) == hidden
    # files are named by content: the same views again write nothing new
    again, _ = ext.move_views(html, tmp_path, lambda p: p)
    assert sorted((tmp_path / "_images" / "explorers").iterdir()) == files
    original = base64.b64decode(figures(html)[0][2]["src"].split(",", 1)[1])
    assert (tmp_path / figures(again)[0][2]["data-src"]).read_bytes() == original


def test_the_script_is_small_self_contained_and_included():
    script = (ROOT / "_static" / "initlab-explorers.js").read_text()
    assert len(script.encode()) < 6000
    assert not re.search(r"https?://|import\s|require\(|fetch\(", script)
    ext = _extension()
    assert ext.SCRIPT == "initlab-explorers.js"
    config = (ROOT / "_config.yml").read_text()
    assert "initlab_explorers: _ext" in config


def _factories():
    import importlib
    import inspect
    import pkgutil

    import initlab.widgets

    found = []
    for info in pkgutil.iter_modules(initlab.widgets.__path__):
        module = importlib.import_module(f"initlab.widgets.{info.name}")
        for name, obj in vars(module).items():
            if name.endswith("_explorer") and inspect.isfunction(obj) and obj.__module__ == module.__name__:
                found.append(pytest.param(obj, id=f"{info.name}.{name}"))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("factory", _factories())
def test_every_static_view_of_every_explorer_has_its_own_image_alt_text_and_caption(factory):
    """The static page swaps image, alt text and caption together: each must differ."""
    html = factory().static_html()
    views = figures(html)
    assert 1 <= len(views) <= 12
    for field, values in [("image", [a["src"] for _, _, a, _ in views]),
                          ("alt text", [a["alt"] for _, _, a, _ in views]),
                          ("caption", [c for *_, c in views])]:
        assert len(set(values)) == len(views), f"two static views share their {field}"
    assert sum(not hidden for _, hidden, *_ in views) == 1
    assert all(len(base64.b64decode(a["src"].split(",", 1)[1])) < 300_000 for _, _, a, _ in views)


def test_chapter5_view_updated_in_place_draws_the_same_image_as_a_new_one():
    from initlab.widgets.scale import scale_view

    setting = dict(activation="tanh", depth=6, width=32, gain=1.0, n_samples=60)
    fresh = plots.to_png(scale_view(**setting))
    other = scale_view(activation="relu", depth=9, width=32, gain=3.0, n_samples=60)
    reused = scale_view(**setting, fig=other)
    assert reused is other  # same panels: the figure was updated, not rebuilt
    assert plots.to_png(reused) == fresh
    assert reused.initlab_alt.startswith("For a 6-layer tanh network")
    with_training = scale_view(**setting, train=True, train_steps=3, fig=reused)
    assert with_training is not reused and len(with_training.axes) == 4


def test_the_shared_renderer_leaves_no_trace_between_figures():
    first = plots.to_png(wave_view(freq=1.0, kind="sin"))
    plots.to_png(wave_view(freq=4.0, kind="cos", phase=1.0))  # same size: same renderer
    assert plots.to_png(wave_view(freq=1.0, kind="sin")) == first
    small = plots.figure("Small", alt="A small empty figure.", width=2.0, height=1.5)[0]
    assert Image.open(io.BytesIO(plots.to_png(small))).size == (220, 165)
