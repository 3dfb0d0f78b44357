"""The explorer pattern: live controls in Jupyter, a pre-rendered gallery in the static book."""

import re

import ipywidgets
import pytest

from initlab import plots
from initlab.book import glue
from initlab.widgets import Explorer


def line_view(slope=1.0, label="a"):
    fig, ax = plots.figure(f"Slope {slope:g}", alt=f"A line of slope {slope:g} labelled {label}.")
    ax.plot([0, 1], [0, slope])
    return fig


def make_explorer():
    controls = {"slope": ipywidgets.FloatSlider(value=1.0, min=-2, max=2, description="slope"),
                "label": ipywidgets.Dropdown(options=["a", "b"], value="a", description="label")}
    return Explorer(line_view, controls, presets=[{"slope": -1.0}, {"slope": 2.0, "label": "b"}],
                    caption="Steeper lines for larger slopes.")


def test_static_gallery_has_one_image_with_alt_per_preset():
    html = make_explorer().static_html()
    alts = re.findall(r'<img [^>]*alt="([^"]+)"', html)
    assert alts == ["A line of slope -1 labelled a.", "A line of slope 2 labelled b."]
    assert "slope = -1, label = a" in html
    assert 'class="initlab-explorer"' in html


def test_bundle_carries_widget_view_and_static_gallery():
    bundle = make_explorer()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "initlab-explorer" in bundle["text/html"]


def test_moving_a_control_redraws_the_figure():
    explorer = make_explorer()
    explorer.widget()
    before = explorer._output.outputs
    explorer.controls["slope"].value = -2.0
    after = explorer._output.outputs
    assert after and 'slope -2' in str(after[-1]) and after != before


def test_render_and_time_update():
    explorer = make_explorer()
    fig = explorer.render(slope=0.5)
    assert fig.initlab_alt.startswith("A line of slope 0.5")
    calls = []

    def counting_view(**params):
        calls.append(params)
        return line_view(**params)

    explorer.view = counting_view
    seconds = explorer.time_update(repeats=3, slope=-0.5)
    # Every repeat really redraws (never from the cache) at the requested setting.
    assert calls == [{"slope": -0.5, "label": "a"}] * 3
    assert isinstance(seconds, float) and seconds < 30


def test_bad_explorer_definitions_are_refused():
    controls = {"slope": ipywidgets.FloatSlider(value=1.0)}
    with pytest.raises(ValueError, match="preset"):
        Explorer(line_view, controls, presets=[])
    with pytest.raises(ValueError, match="unknown parameters"):
        Explorer(line_view, controls, presets=[{"colour": "red"}])
    with pytest.raises(ValueError, match="no 'value'"):
        Explorer(line_view, {"slope": 3}, presets=[{}])
    with pytest.raises(ValueError, match="Unknown parameters"):
        Explorer(line_view, controls, presets=[{}]).render(colour="red")


def test_glue_rejects_bad_names_and_records_values():
    with pytest.raises(ValueError, match="identifier"):
        glue("not a name", 1)
    glue("fine_name", 3.5)  # outside a kernel this displays nothing and must not raise


def test_pilot_explorer_static_view_shows_both_starts():
    from initlab.widgets.pilot import pilot_explorer, final_unit_weights

    html = pilot_explorer().static_html()
    # both starts at widths 2, 8 and 32
    assert html.count("<img ") == 6 and "1 distinct" in html
    assert final_unit_weights(4, "constant", steps=50).shape == (2, 4)
    with pytest.raises(ValueError, match="init must be"):
        final_unit_weights(4, "zeros")


def test_grid_renders_every_combination():
    controls = {"slope": ipywidgets.FloatSlider(value=1.0, min=-2, max=2, description="slope"),
                "label": ipywidgets.Dropdown(options=["a", "b"], value="a", description="label")}
    explorer = Explorer(line_view, controls, grid={"slope": [-1.0, 2.0], "label": ["a", "b"]})
    assert explorer.presets == [{"slope": -1.0, "label": "a"}, {"slope": -1.0, "label": "b"},
                                {"slope": 2.0, "label": "a"}, {"slope": 2.0, "label": "b"}]
    with pytest.raises(ValueError, match="unknown parameters"):
        Explorer(line_view, controls, grid={"width": [1]})
    with pytest.raises(ValueError, match="not both"):
        Explorer(line_view, controls, grid={"slope": [1.0]}, presets=[{"slope": 1.0}])


def test_render_refuses_values_its_controls_could_not_produce():
    explorer = make_explorer()
    with pytest.raises(ValueError, match=r"slope=5.0 is outside the explorer's range \[-2, 2\]"):
        explorer.render(slope=5.0)
    with pytest.raises(ValueError, match="label='c' is not one of the explorer's choices: 'a', 'b'"):
        explorer.render(label="c")
    with pytest.raises(ValueError, match="slope must be a finite number"):
        explorer.render(slope=float("nan"))
    controls = {"width": ipywidgets.IntSlider(value=2, min=1, max=8, description="width")}
    integer = Explorer(lambda width: line_view(width), controls, presets=[{"width": 2}])
    with pytest.raises(ValueError, match="width must be a whole number, got 2.5"):
        integer.render(width=2.5)


def test_pilot_view_refuses_a_fractional_width():
    from initlab.widgets.pilot import final_unit_weights
    with pytest.raises(ValueError, match="width must be a positive integer, got 2.5"):
        final_unit_weights(2.5, "constant", steps=1)
