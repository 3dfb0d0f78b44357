"""Chapter 8's explorer: choose a pattern of deliberate zeros, see what moves and how it trains."""

from __future__ import annotations

import numpy as np

from .. import plots
from .._checks import positive_int
from ..experiments.zeros import PATTERNS, pattern_run
from .explorer import Explorer

__all__ = ["zeros_view", "zeros_explorer"]


def zeros_view(pattern="zero last layer", steps=40):
    """Left: which parameter groups have moved after steps 1–3; right: the training loss.

    Computations come from `initlab.experiments.zeros.pattern_run`.
    """
    steps = positive_int("steps", steps)
    kinds, moved, loss, report = pattern_run(pattern, steps=steps)
    verdict = str(report.verdicts)
    n_first = int(moved[:, 0].sum())
    title = f"{pattern}: {n_first} of {len(kinds)} groups move at step 1; audit: {verdict}"
    alt = (f"Left: a grid with one row per parameter group ({', '.join(kinds)}) and columns for "
           f"steps 1 to 3; filled cells have moved. {n_first} groups move at step 1, "
           f"{int(moved[:, -1].sum())} by step 3. Right: the training loss over {steps} "
           f"full-batch steps, from {loss[0]:.3g} to {loss[-1]:.3g}. The audit's verdict is "
           f"{verdict}.")
    fig, (ax_grid, ax_loss) = plots.figure(title, alt=alt, ncols=2, width=8.0,
                                           height=max(3.0, 1.2 + 0.3 * len(kinds)))
    ax_grid.imshow(moved.astype(float), aspect="auto", cmap="cividis", vmin=0, vmax=1,
                   extent=(0.5, moved.shape[1] + 0.5, len(kinds) - 0.5, -0.5),
                   interpolation="nearest")
    for row, col in zip(*np.nonzero(~moved)):
        ax_grid.text(col + 1, row, "0", ha="center", va="center", fontsize=8, color="white")
    ax_grid.set_yticks(range(len(kinds)))
    ax_grid.set_yticklabels(kinds)
    ax_grid.set_xticks(range(1, moved.shape[1] + 1))
    ax_grid.set_xlabel("after step t (0 = not moved yet)")
    ax_grid.set_ylabel("parameter group")
    ax_grid.grid(False)
    ax_loss.plot(np.arange(steps + 1), loss, color=plots.color(0))
    ax_loss.set_yscale("log")
    ax_loss.set_xlabel("full-batch gradient step")
    ax_loss.set_ylabel("training loss (log scale)")
    return fig


def zeros_explorer() -> Explorer:
    """Pattern and length of the run → what moves at steps 1–3 and the training curve."""
    import ipywidgets

    controls = {
        "pattern": ipywidgets.Dropdown(options=list(PATTERNS), value="zero last layer",
                                       description="pattern"),
        "steps": ipywidgets.IntSlider(value=40, min=10, max=200, step=10, description="steps"),
    }
    return Explorer(zeros_view, controls, grid={"pattern": list(PATTERNS)},
                    caption="All zero: only the output bias moves. Every deliberate zero: one "
                            "group waits one step for the factor beside it to become nonzero, "
                            "then everything trains.")
