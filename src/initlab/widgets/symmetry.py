"""Chapter 1's explorer: how do the units' incoming weights move during training?"""

from __future__ import annotations

import numpy as np

from .. import plots
from ..experiments.symmetry import PATTERNS, unit_trajectories
from .explorer import Explorer

__all__ = ["trajectory_view", "symmetry_explorer"]


def trajectory_view(width=8, pattern="constant", steps=600):
    """Two panels, the incoming weight from x₁ and from x₂ of every unit against the step:
    the lines lie on top of each other for as long as the units are identical."""
    recorded, W1, distinct = unit_trajectories(width, pattern, steps)
    verdict = "they move as one" if distinct == 1 else "they move apart"
    fig, axes = plots.figure(
        f"{width} units, {distinct} distinct after {steps} steps: {verdict}",
        alt=(f"Incoming weights of each of the {width} hidden units over {steps} training steps, "
             f"starting from the pattern '{pattern}'. "
             + ("1 distinct trajectory is visible: all lines overlap." if distinct == 1
                else f"{distinct} distinct trajectories are visible.")),
        ncols=2, width=7.0, height=3.2)
    # Fixed margins: the constrained layout measured every label again at each redraw.
    fig.set_layout_engine(None)
    fig.subplots_adjust(left=0.09, right=0.985, bottom=0.16, top=0.85, wspace=0.3)
    for i, ax in enumerate(axes):
        for j in range(width):
            ax.plot(recorded, W1[:, i, j], color=plots.color(j), lw=1.2)
        ax.set_xlabel("training step")
        ax.set_ylabel(f"incoming weight from x{'₁₂'[i]}")  # plain text: mathtext is slow
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
