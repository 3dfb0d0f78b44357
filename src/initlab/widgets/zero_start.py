"""Chapter 3's explorer: from an all-zero start, which parameters move, step by step?"""

from __future__ import annotations

import matplotlib
import numpy as np

from .. import plots
from ..activations import ACTIVATIONS
from ..experiments.zero_start import STARTS, movement_map
from .explorer import Explorer

__all__ = ["movement_view", "zero_start_explorer"]

def _place(fig, ax, cax, height):
    """Fixed margins in inches (no layout engine: it re-measured every label per redraw)."""
    fig.set_size_inches(6.4, height)
    bottom, top = 0.5 / height, 1 - 0.45 / height
    ax.set_position([0.9 / 6.4, bottom, 4.25 / 6.4, top - bottom])
    cax.set_position([5.3 / 6.4, bottom, 0.15 / 6.4, top - bottom])
    # Axis labels at fixed distances too: placed automatically, they measured every tick
    # label again at each redraw.
    ax.xaxis.set_label_coords(0.5, -0.28 / (height - 0.95))
    ax.yaxis.set_label_coords(-0.08, 0.5)
    cax.yaxis.set_label_coords(4.0, 0.5)


def _movement_figure():
    """The explorer's empty figure and the artists `movement_view` fills (built once, reused)."""
    fig, ax = plots.figure("(finding)", alt="(filled in by movement_view)", width=6.4, height=2.6)
    fig.set_layout_engine(None)
    cax = fig.add_axes([0.85, 0.1, 0.02, 0.8])
    cmap = matplotlib.colormaps["cividis"].with_extremes(bad="#e6e6e6")
    # One fixed scale, so that the views can be compared with each other.
    image = ax.imshow(np.ma.masked_all((2, 2)), aspect="auto", cmap=cmap, vmin=-12.0, vmax=0.0,
                      interpolation="nearest")
    # One marker collection for every "0" cell: a Text per cell cost more than the rest.
    zeros = ax.scatter([], [], marker="$0$", s=40, color="#555555", linewidths=0)
    ax.set_xlabel("training step (updates, full-batch SGD)")
    ax.set_ylabel("parameter group")
    ax.grid(False)
    bar = fig.colorbar(image, cax=cax, ticks=[-12, -8, -4, 0])
    bar.set_label("log₁₀ max |Δθ| since start")
    fig.initlab_zero_start_parts = {"image": image, "zeros": zeros, "cax": cax}
    return fig


def movement_view(activation="sigmoid", relu_grad_at_zero=0.0, start="all zero", hidden_layers=3,
                  steps=8, fig=None):
    """Heat map of `movement_map`: parameter groups (rows) × steps (columns).

    Colour is log₁₀ of the largest displacement; a grey cell marked 0 means that
    every entry of the group is still exactly at its start.  ``fig``: a figure this
    function returned before, updated in place (the explorer passes it); the result is
    the same as with a new figure.
    """
    change, labels, name = movement_map(activation, relu_grad_at_zero, start, hidden_layers, steps)
    moved = int(np.count_nonzero(change[:, -1] > 0))
    total = change.shape[0]
    parts = getattr(fig, "initlab_zero_start_parts", None)
    if parts is None:
        fig = _movement_figure()
        parts = fig.initlab_zero_start_parts
    ax = fig.axes[0]
    plots.set_title(fig, f"{name}: {moved} of {total} parameter groups move in {steps} steps")
    fig.initlab_alt = (
        f"Heat map with one row per parameter group ({', '.join(labels)}) and one column per "
        f"training step 1 to {steps}, for a {hidden_layers}-hidden-layer {name} network "
        f"started {start}. {moved} of {total} groups leave their start; "
        + ("the others stay exactly at zero." if moved < total else "none stays at zero."))
    _place(fig, ax, parts["cax"], max(2.6, 1.4 + 0.28 * total))
    with np.errstate(divide="ignore"):
        logs = np.ma.log10(np.ma.masked_less_equal(change, 0.0))
    parts["image"].set_data(logs)
    parts["image"].set_extent((0.5, steps + 0.5, total - 0.5, -0.5))
    rows, cols = np.nonzero(change == 0)
    parts["zeros"].set_offsets(np.column_stack([cols + 1, rows]))
    ax.set_yticks(range(total), labels)
    ax.set_xticks(range(1, steps + 1, 1 if steps <= 10 else 2))
    return fig


def zero_start_explorer() -> Explorer:
    """Activation, ReLU'(0), start and depth → which parameter groups move, step by step."""
    import ipywidgets

    controls = {
        "activation": ipywidgets.Dropdown(options=list(ACTIVATIONS), value="sigmoid",
                                          description="activation"),
        "relu_grad_at_zero": ipywidgets.Dropdown(options=[0.0, 0.5, 1.0], value=0.0,
                                                 description="ReLU'(0)"),
        "start": ipywidgets.Dropdown(options=list(STARTS), value="all zero", description="start"),
        "hidden_layers": ipywidgets.IntSlider(value=3, min=1, max=5, description="hidden layers"),
        "steps": ipywidgets.IntSlider(value=8, min=2, max=16, description="steps"),
    }
    presets = [
        {"activation": "sigmoid"},
        {"activation": "tanh"},
        {"activation": "relu", "relu_grad_at_zero": 0.0, "start": "zero, random output layer",
         "hidden_layers": 1},
        {"activation": "relu", "relu_grad_at_zero": 1.0, "start": "zero, random output layer",
         "hidden_layers": 1},
    ]
    return Explorer(movement_view, controls, presets,
                    caption="Sigmoid: the movement climbs down one layer per step. tanh: only the "
                            "output bias moves. ReLU with a random output layer: ReLU'(0) decides "
                            "whether the first layer moves at all.")
