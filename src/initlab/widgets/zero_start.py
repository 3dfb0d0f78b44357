"""Chapter 3's explorer: from an all-zero start, which parameters move, step by step?"""

from __future__ import annotations

import matplotlib
import numpy as np

from .. import plots
from .._checks import non_negative_number, positive_int, unknown_name
from ..activations import ACTIVATIONS, ReLU, get_activation
from ..zero_start import parameter_trace, two_moons, zero_network
from .explorer import Explorer

__all__ = ["movement_map", "movement_view", "zero_start_explorer"]

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
STARTS = ("all zero", "zero, random output layer")


def _activation(activation, relu_grad_at_zero):
    if activation not in ACTIVATIONS:
        raise unknown_name("activation", activation, ACTIVATIONS)
    grad = non_negative_number("relu_grad_at_zero", relu_grad_at_zero)
    return ReLU(grad_at_zero=grad) if activation == "relu" else get_activation(activation)


def movement_map(activation="sigmoid", relu_grad_at_zero=0.0, start="all zero", hidden_layers=3,
                 steps=8, width=8, lr=0.5, seed=0):
    """How far each parameter group has moved from its start after each update.

    The network is ``[2] + [width] * hidden_layers + [1]``, trained with full-batch
    SGD and bce on `two_moons` (200 samples, 30 % positives).

    Parameters
    ----------
    activation : str
        A hidden activation name (see `initlab.ACTIVATIONS`).
    relu_grad_at_zero : float >= 0
        ReLU'(0) used by the backward pass; only used when activation is "relu".
    start : {"all zero", "zero, random output layer"}
    hidden_layers : int >= 1
    steps, width, lr, seed : training settings.

    Returns
    -------
    change : array (2 L, steps)
        Row 2(ℓ−1) is max |W_ℓ(t) − W_ℓ(0)|, row 2(ℓ−1)+1 the same for b_ℓ, for
        t = 1..steps (column t − 1).
    labels : list of str
        "W₁", "b₁", ..., "W_L", "b_L".
    name : str
        The activation's name (with the ReLU'(0) convention when not 0).
    """
    g = _activation(activation, relu_grad_at_zero)
    if start not in STARTS:
        raise unknown_name("start", start, STARTS)
    hidden_layers = positive_int("hidden_layers", hidden_layers)
    steps = positive_int("steps", steps)
    width = positive_int("width", width)
    X, y = two_moons(200, 0.3, seed=seed)
    net = zero_network([2] + [width] * hidden_layers + [1], g, start=start, seed=seed)
    trace = parameter_trace(net, X, y, loss="bce", lr=lr, steps=steps)
    L = net.L
    change = np.empty((2 * L, steps))
    change[0::2] = trace.change_W[1:].T
    change[1::2] = trace.change_b[1:].T
    labels = [f"{kind}{str(l + 1).translate(_SUB)}" for l in range(L) for kind in ("W", "b")]
    return change, labels, g.name


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
