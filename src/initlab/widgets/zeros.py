"""Chapter 8's explorer: choose a pattern of deliberate zeros, see what moves and how it trains."""

from __future__ import annotations

import numpy as np

from .. import plots
from .._checks import positive_int
from ..experiments.zeros import PATTERNS, pattern_run
from .explorer import Explorer

__all__ = ["zeros_view", "zeros_explorer"]


def _zeros_figure():
    """The explorer's empty figure and the artists `zeros_view` fills.

    Built once and then updated in place (data, ticks, limits and texts), with fixed margins
    instead of the constrained layout: most of a redraw's time went into building and laying
    out a new figure."""
    fig, (ax_grid, ax_loss) = plots.figure("(finding)", alt="(filled in by zeros_view)", ncols=2,
                                           width=8.0, height=3.4)
    fig.set_layout_engine(None)
    fig.subplots_adjust(left=0.1, right=0.98, bottom=0.15, top=0.86, wspace=0.3)
    grid = ax_grid.imshow(np.zeros((1, 3)), aspect="auto", cmap="cividis", vmin=0, vmax=1,
                          interpolation="nearest")
    # One marker line for the "0" cells (cheaper to draw than one text per cell).
    zeros, = ax_grid.plot([], [], linestyle="none", marker="$0$", markersize=7, color="white")
    ax_grid.set_xlabel("after step t (0 = not moved yet)")
    ax_grid.set_ylabel("parameter group")
    ax_grid.grid(False)
    curve, = ax_loss.plot([0, 1], [1, 1], color=plots.color(0))
    ax_loss.set_yscale("log")
    plots.few_log_ticks(ax_loss)
    ax_loss.set_xlabel("full-batch gradient step")
    ax_loss.set_ylabel("training loss (log scale)")
    fig.initlab_zeros_parts = {"grid": grid, "zeros": zeros, "curve": curve}
    return fig


def zeros_view(pattern="zero last layer", steps=40, fig=None):
    """Left: which parameter groups have moved after steps 1–3; right: the training loss.

    Computations come from `initlab.experiments.zeros.pattern_run`. `fig`: a figure this
    function returned before, updated in place (the explorer passes it); the result is the
    same as on a new figure.
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
    parts = getattr(fig, "initlab_zeros_parts", None)
    if parts is None:
        fig = _zeros_figure()
        parts = fig.initlab_zeros_parts
    ax_grid, ax_loss = fig.axes
    plots.set_title(fig, title)
    fig.initlab_alt = alt
    n_kinds, wave = moved.shape
    parts["grid"].set_data(moved.astype(float))
    parts["grid"].set_extent((0.5, wave + 0.5, n_kinds - 0.5, -0.5))
    rows, cols = np.nonzero(~moved)
    parts["zeros"].set_data(cols + 1, rows)
    ax_grid.set_yticks(range(n_kinds), kinds)
    ax_grid.set_xticks(range(1, wave + 1))
    parts["curve"].set_data(np.arange(steps + 1), loss)
    ax_loss.set_xlim(0, steps)
    # Whole decades around the curve: the same few ticks for most settings.
    finite = loss[np.isfinite(loss) & (loss > 0)]
    low, high = (finite.min(), finite.max()) if finite.size else (1.0, 1.0)
    ax_loss.set_ylim(10.0 ** np.floor(np.log10(low)), 10.0 ** np.ceil(np.log10(high * 1.001)))
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
