"""Chapter 3's explorer: from an all-zero start, which parameters move, step by step?"""

from __future__ import annotations

import matplotlib
import numpy as np

from .. import plots
from ..activations import ACTIVATIONS
from ..experiments.zero_start import STARTS, movement_map
from .explorer import Explorer

__all__ = ["movement_view", "zero_start_explorer"]

def movement_view(activation="sigmoid", relu_grad_at_zero=0.0, start="all zero", hidden_layers=3,
                  steps=8):
    """Heat map of `movement_map`: parameter groups (rows) × steps (columns).

    Colour is log₁₀ of the largest displacement; a grey cell marked 0 means that
    every entry of the group is still exactly at its start.
    """
    change, labels, name = movement_map(activation, relu_grad_at_zero, start, hidden_layers, steps)
    moved = int(np.count_nonzero(change[:, -1] > 0))
    total = change.shape[0]
    title = f"{name}: {moved} of {total} parameter groups move in {steps} steps"
    alt = (f"Heat map with one row per parameter group ({', '.join(labels)}) and one column per "
           f"training step 1 to {steps}, for a {hidden_layers}-hidden-layer {name} network "
           f"started {start}. {moved} of {total} groups leave their start; "
           + ("the others stay exactly at zero." if moved < total else "none stays at zero."))
    fig, ax = plots.figure(title, alt=alt, width=6.4, height=max(2.6, 1.4 + 0.28 * total))
    with np.errstate(divide="ignore"):
        logs = np.ma.masked_less_equal(change, 0.0)
        logs = np.ma.log10(logs)
    cmap = matplotlib.colormaps["cividis"].with_extremes(bad="#e6e6e6")
    # One fixed scale, so that the views can be compared with each other.
    image = ax.imshow(logs, aspect="auto", cmap=cmap, vmin=-12.0, vmax=0.0,
                      extent=(0.5, steps + 0.5, total - 0.5, -0.5), interpolation="nearest")
    for row, col in zip(*np.nonzero(change == 0)):
        ax.text(col + 1, row, "0", ha="center", va="center", fontsize=7, color="#555555")
    ax.set_yticks(range(total))
    ax.set_yticklabels(labels)
    ax.set_xticks(range(1, steps + 1))
    ax.set_xlabel("training step (updates, full-batch SGD)")
    ax.set_ylabel("parameter group")
    ax.grid(False)
    bar = fig.colorbar(image, ax=ax)
    bar.set_label("log₁₀ max |Δθ| since the start")
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
