"""Chapter 1's explorer: how do the units' incoming weights move during training?"""

from __future__ import annotations

import numpy as np

from .. import plots
from ..experiments.symmetry import PATTERNS, unit_trajectories
from .explorer import Explorer

__all__ = ["trajectory_view", "symmetry_explorer"]


def _trajectory_figure():
    """The explorer's empty figure and the artists `trajectory_view` fills (built once, reused).

    Each panel draws its units as one line collection (one artist for any width), with fixed
    margins: the constrained layout and a Line2D per unit were most of the redraw time."""
    from matplotlib.collections import LineCollection
    from matplotlib.ticker import MaxNLocator

    fig, axes = plots.figure("(finding)", alt="(filled in by trajectory_view)", ncols=2,
                             width=7.0, height=3.2)
    fig.set_layout_engine(None)
    fig.subplots_adjust(left=0.09, right=0.985, bottom=0.16, top=0.85, wspace=0.3)
    units = []
    for i, ax in enumerate(axes):
        units.append(ax.add_collection(LineCollection([], linewidths=1.2), autolim=False))
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.yaxis.set_major_locator(MaxNLocator(5, steps=[1, 2, 2.5, 5, 10]))
        ax.set_xlabel("training step")
        ax.set_ylabel(f"incoming weight from x{'₁₂'[i]}")  # plain text: mathtext is slow
        # Fixed places, clear of tick labels up to "−1.5" wide: placing them after the tick
        # labels measured every label again at each redraw.
        ax.xaxis.set_label_coords(0.5, -0.126)
        ax.yaxis.set_label_coords(-0.17, 0.5)
    fig.initlab_symmetry_parts = {"units": units}
    return fig


def _limits(weights):
    """A y range holding `weights` with a little room, rounded out to multiples of 0.5 (so
    that similar settings share their axes)."""
    finite = weights[np.isfinite(weights)]
    if not finite.size:
        return -1.0, 1.0
    low, high = float(finite.min()), float(finite.max())
    room = 0.05 * max(high - low, 0.1)
    return np.floor(2 * (low - room)) / 2, np.ceil(2 * (high + room)) / 2


def trajectory_view(width=8, pattern="constant", steps=600, fig=None):
    """Two panels, the incoming weight from x₁ and from x₂ of every unit against the step:
    the lines lie on top of each other for as long as the units are identical.

    ``fig``: a figure this function returned before, updated in place (the explorer passes
    it); the result is the same as with a new figure."""
    recorded, W1, distinct = unit_trajectories(width, pattern, steps)
    verdict = "they move as one" if distinct == 1 else "they move apart"
    parts = getattr(fig, "initlab_symmetry_parts", None)
    if parts is None:
        fig = _trajectory_figure()
        parts = fig.initlab_symmetry_parts
    plots.set_title(fig, f"{width} units, {distinct} distinct after {steps} steps: {verdict}")
    fig.initlab_alt = (
        f"Incoming weights of each of the {width} hidden units over {steps} training steps, "
        f"starting from the pattern '{pattern}'. "
        + ("1 distinct trajectory is visible: all lines overlap." if distinct == 1
           else f"{distinct} distinct trajectories are visible."))
    colors = [plots.color(j) for j in range(width)]
    for i, (ax, units) in enumerate(zip(fig.axes, parts["units"])):
        # unit j's path: (step, weight from x_i) at every recorded step; drawn in unit order
        units.set_segments(np.stack([np.broadcast_to(recorded[:, None], W1[:, i].shape),
                                     W1[:, i]], axis=-1).transpose(1, 0, 2))
        units.set_colors(colors)
        ax.set_xlim(-0.02 * steps, 1.02 * steps)
        ax.set_ylim(*_limits(W1[:, i]))
    return fig


def symmetry_explorer() -> Explorer:
    """Width, starting pattern and number of steps → every unit's weight trajectory."""
    import ipywidgets

    controls = {
        "width": ipywidgets.IntSlider(value=8, min=1, max=32, description="width"),
        "pattern": ipywidgets.Dropdown(options=list(PATTERNS), value="constant",
                                       description="start"),
        "steps": ipywidgets.IntSlider(value=600, min=50, max=2000, step=50, description="steps"),
    }
    return Explorer(trajectory_view, controls,
                    grid={"pattern": ["constant", "one_entry", "own_constant", "random"],
                          "width": [2, 8]},
                    caption="A constant start gives one line per panel however many units there "
                            "are; one perturbed entry splits off one unit; a constant per unit "
                            "or a random start gives every unit its own path.")
