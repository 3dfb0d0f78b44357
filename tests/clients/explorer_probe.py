"""Display and redraw every explorer of ``initlab.widgets`` in the running Python, without a
front end; prints one JSON line per explorer. Run by the client tests with the main
environment's Python (ipywidgets 8) and the Colab environment's (ipywidgets 7.7.1):

    python explorer_probe.py            # every factory found in initlab.widgets
    python explorer_probe.py --broken --first   # the first explorer with its redraw disconnected

An explorer passes when its display bundle carries the widget view (model id) and moving one
control (the first that changes the image) replaces the image in its output area.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import sys


def factories():
    import initlab.widgets as package
    from initlab.widgets import Explorer

    found = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if (name.endswith("_explorer") and function.__module__ == module.__name__
                    and inspect.signature(function).return_annotation in (Explorer, "Explorer")):
                found.append((f"{info.name}.{name}", function))
    return found


def moved_value(control):
    """A different legal value for ``control`` (ipywidgets 7 and 8)."""
    options = getattr(control, "options", None)
    if options:
        values = [o[1] if isinstance(o, tuple) else o for o in options]
        others = [v for v in values if v != control.value]
        return others[0] if others else None
    if isinstance(control.value, bool):
        return not control.value
    if hasattr(control, "max") and hasattr(control, "min"):
        return control.max if control.value != control.max else control.min
    return None


def image_of(explorer):
    outputs = explorer._output.outputs
    return outputs[-1]["data"].get("image/png") if outputs else None


def probe(name, explorer, broken=False):
    import ipywidgets

    bundle = explorer._repr_mimebundle_()
    view = bundle.get("application/vnd.jupyter.widget-view+json", {})
    result = {"explorer": name, "ipywidgets": ipywidgets.__version__,
              "widget_view": bool(view.get("model_id")), "redraws": False, "control": None}
    if broken:  # the deliberate breakage: controls no longer trigger a redraw
        for control in explorer.controls.values():
            control.unobserve_all()
    before = image_of(explorer)
    result["image"] = before is not None
    for control_name, control in explorer.controls.items():
        value = moved_value(control)
        if value is None:
            continue
        control.value = value
        if image_of(explorer) not in (None, before):
            result.update(redraws=True, control=control_name)
            break
    return result


def main(argv):
    import matplotlib

    matplotlib.use("Agg")
    broken = "--broken" in argv
    found = factories()
    if not found:
        print(json.dumps({"error": "no explorer factory found in initlab.widgets"}))
        return 1
    if "--first" in argv:
        found = found[:1]
    for name, factory in found:
        print(json.dumps(probe(name, factory(), broken)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
