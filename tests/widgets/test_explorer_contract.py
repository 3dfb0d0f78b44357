"""The contract every chapter's explorer keeps, checked on every explorer factory found in
``initlab.widgets`` (each ``*_explorer`` function of its modules), so that a new chapter's
explorer is covered without writing a test for it.

The contract: the factory returns an `Explorer` whose controls are parameters of its view;
the static book gets between 1 and 12 settings; every setting renders a figure with a title
and alt text, without a single warning; and moving a control in the live widget redraws.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import warnings

import pytest

import initlab.widgets
from initlab.widgets import Explorer


def explorer_factories():
    found = []
    for info in pkgutil.iter_modules(initlab.widgets.__path__):
        module = importlib.import_module(f"initlab.widgets.{info.name}")
        for name, obj in vars(module).items():
            if name.endswith("_explorer") and inspect.isfunction(obj) \
                    and obj.__module__ == module.__name__:
                found.append(pytest.param(obj, id=f"{info.name}.{name}"))
    return found


FACTORIES = explorer_factories()


def test_every_chapter_explorer_is_found():
    names = {p.id for p in FACTORIES}
    for expected in ("pilot.pilot_explorer", "symmetry.symmetry_explorer",
                     "saddle.saddle_explorer", "zero_start.zero_start_explorer",
                     "biases.bias_explorer", "scale.scale_explorer"):
        assert expected in names


@pytest.fixture(scope="module")
def built():
    cache = {}

    def build(factory):
        if factory not in cache:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                cache[factory] = factory()
        return cache[factory]

    return build


@pytest.mark.parametrize("factory", FACTORIES)
def test_factory_returns_an_explorer_over_its_view_parameters(factory, built):
    explorer = built(factory)
    assert isinstance(explorer, Explorer)
    parameters = inspect.signature(explorer.view).parameters
    takes_any = any(p.kind is p.VAR_KEYWORD for p in parameters.values())
    for name, control in explorer.controls.items():
        assert takes_any or name in parameters, f"control {name!r} is not a parameter of the view"
        assert getattr(control, "description", ""), f"control {name!r} has no label"
    assert 1 <= len(explorer.presets) <= 12, "the static book renders every preset: keep it small"
    assert explorer.caption, "the caption says what to look for"


@pytest.mark.slow
@pytest.mark.parametrize("factory", FACTORIES)
def test_every_static_setting_renders_a_titled_figure_without_warnings(factory, built):
    explorer = built(factory)
    for preset in explorer.presets:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            fig = explorer.render(**preset)
        title = fig._suptitle.get_text() if fig._suptitle is not None else ""
        assert title.strip(), f"preset {preset} has no title stating the finding"
        assert getattr(fig, "initlab_alt", "").strip(), f"preset {preset} has no alt text"


def _another_value(control):
    options = [o[1] if isinstance(o, tuple) else o for o in getattr(control, "options", ())]
    others = [o for o in options if o != control.value]
    if others:
        return others[0]
    if isinstance(control.value, bool):
        return not control.value
    if hasattr(control, "min") and hasattr(control, "max"):
        return control.min if control.value != control.min else control.max
    return None


@pytest.mark.slow
@pytest.mark.parametrize("factory", FACTORIES)
def test_moving_a_control_redraws_the_live_figure(factory):
    explorer = factory()  # a fresh one: the widget keeps its controls' state
    explorer.widget()
    before = list(explorer._output.outputs)
    name, control = next((n, c) for n, c in explorer.controls.items()
                         if _another_value(c) is not None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        control.value = _another_value(control)
    after = list(explorer._output.outputs)
    assert after and after != before, f"moving {name!r} did not redraw"


@pytest.mark.parametrize("factory", FACTORIES)
def test_a_redraw_in_place_shows_what_a_new_figure_shows(factory):
    """The live widget hands a view the figure it drew last (``fig=``); redrawn in place for
    another setting, it must show exactly what a new figure shows for that setting."""
    from initlab.plots import to_png

    live, fresh = factory(), factory()
    settings = [params for _, params in live.static_views()]
    for previous, setting in zip(settings, settings[1:] + settings[:1]):
        if previous == setting:
            continue
        live.render(**previous)
        reused, new = live.render(**setting), fresh.render(**setting)
        assert reused.get_suptitle() == new.get_suptitle(), setting
        assert reused.initlab_alt == new.initlab_alt, setting
        assert to_png(reused) == to_png(new), setting
        fresh = factory()  # the next comparison starts from a new figure again
