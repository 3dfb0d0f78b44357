"""The pilot page's explorer: where do the hidden units end up after training?"""

from __future__ import annotations

import numpy as np

from .. import _checks, plots
from .explorer import Explorer

__all__ = ["final_unit_weights", "unit_scatter_view", "pilot_explorer"]


def final_unit_weights(width: int, init: str, steps: int = 300, seed: int = 0):
    """Train a 2-``width``-1 tanh classifier on the circles data; return each hidden unit's
    incoming weights ``W1`` (shape ``(2, width)``) after training.

    ``init`` is ``"constant"`` (every weight 0.5) or ``"random"`` (Glorot normal).
    """
    import initlab

    if init not in ("constant", "random"):
        raise ValueError(f"init must be 'constant' or 'random', got {init!r}.")
    width = _checks.positive_int("width", width)
    X, y = initlab.circles(n=200, noise=0.1, seed=seed)
    weight_init = initlab.constant(0.5) if init == "constant" else "glorot_normal"
    net = initlab.MLP([2, width, 1], activation="tanh", weight_init=weight_init, seed=seed)
    initlab.train(net, X, y, loss="bce", optimizer="sgd", lr=0.5, steps=steps)
    return net.weights[0]


def _scatter_figure():
    """The explorer's empty figure and the scatter `unit_scatter_view` fills (built once)."""
    from matplotlib.ticker import MaxNLocator

    fig, ax = plots.figure("(finding)", alt="(filled in by unit_scatter_view)", width=4.2,
                           height=3.6)
    # Fixed margins (room for a two-line title): the constrained layout re-measured every
    # label at each redraw.
    fig.set_layout_engine(None)
    fig.subplots_adjust(left=0.17, right=0.96, bottom=0.14, top=0.83)
    points = ax.scatter([], [], s=60, edgecolor="black", alpha=0.8)
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(MaxNLocator(5))
    ax.set_xlabel("incoming weight from $x_1$")
    ax.set_ylabel("incoming weight from $x_2$")
    # Axis labels at fixed places: placed automatically, they measured every tick label again
    # at each redraw.
    ax.xaxis.set_label_coords(0.5, -0.11)
    ax.yaxis.set_label_coords(-0.14, 0.5)
    fig.initlab_pilot_points = points
    return fig


def unit_scatter_view(width: int = 8, init: str = "constant", steps: int = 300, fig=None):
    """Scatter of every hidden unit's two incoming weights after training.

    ``fig``: a figure this function returned before, updated in place (the explorer passes
    it); the result is the same as with a new figure."""
    W1 = final_unit_weights(width, init, steps)
    n_distinct = len({tuple(col) for col in W1.T})
    points = getattr(fig, "initlab_pilot_points", None)
    if points is None:
        fig = _scatter_figure()
        points = fig.initlab_pilot_points
    plots.set_title(fig, f"{width} units, {n_distinct} distinct after training"
                    + ("\n(the constant start keeps them together)" if init == "constant" else ""))
    fig.initlab_alt = (f"Scatter plot of the incoming weights of {width} hidden units after "
                       f"{steps} training steps from a {init} start: {n_distinct} distinct points.")
    points.set_offsets(W1.T)
    points.set_facecolor(plots.color(0 if init == "constant" else 1))
    ax = fig.axes[0]
    lim = max(1.0, float(np.abs(W1).max()) * 1.15)
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    return fig


def pilot_explorer() -> Explorer:
    """Width and starting pattern → where the units' incoming weights end up."""
    import ipywidgets

    controls = {
        "width": ipywidgets.IntSlider(value=8, min=1, max=32, description="width"),
        "init": ipywidgets.Dropdown(options=["constant", "random"], value="constant",
                                    description="start"),
    }
    return Explorer(unit_scatter_view, controls,
                    grid={"init": ["constant", "random"], "width": [2, 8, 32]},
                    caption="Constant start: every unit lands on the same point. "
                            "Random start: the units spread out.")
