"""Chapter 2's explorer: initial scale ε and depth → how long gradient descent sits at zero."""

from __future__ import annotations

import numpy as np

from .. import plots
from ..experiments.saddle import CAP, escape_curves
from .explorer import Explorer

__all__ = ["escape_view", "saddle_explorer"]

def _escape_figure(population: int):
    """The explorer's empty figure and the artists `escape_view` fills (built once, reused)."""
    from matplotlib.ticker import FixedLocator, MaxNLocator, NullFormatter

    fig, ax = plots.figure("(finding)", alt="(filled in by escape_view)", width=5.6, height=3.4)
    # Fixed margins and axes: the constrained layout and a new log axis (its ticks) were
    # most of the redraw time.
    fig.set_layout_engine(None)
    fig.subplots_adjust(left=0.11, right=0.98, bottom=0.15, top=0.9)
    t = np.arange(1, CAP + 1)
    curves = [ax.plot(t, np.zeros(CAP), color=plots.color(0), alpha=0.7, lw=1.2)[0]
              for _ in range(population)]
    dots, = ax.plot([], [], "o", color=plots.color(5), ms=5)
    saddle = ax.axhline(1.0, color=plots.color(7), ls=":", lw=1, label="loss at the saddle")
    threshold = ax.axhline(0.5, color=plots.color(1), ls="--", lw=1, label="escape threshold")
    ax.set_xscale("log")
    ax.set_xlim(0.8, CAP * 1.25)
    # Decades labelled as plain numbers (no mathtext), unlabelled minor ticks.
    ax.xaxis.set_major_locator(FixedLocator([1, 10, 100, 1000]))
    ax.xaxis.set_major_formatter(lambda x, pos: f"{x:.0f}")
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.yaxis.set_major_locator(MaxNLocator(4))
    ax.set_xlabel("gradient-descent step (log scale)")
    ax.set_ylabel("training loss (MSE)")
    # Axis labels at fixed places: placed automatically, they measured every tick label again
    # at each redraw.
    ax.xaxis.set_label_coords(0.5, -0.11)
    ax.yaxis.set_label_coords(-0.09, 0.5)
    ax.legend(loc="lower left")
    fig.initlab_saddle_parts = {"population": population, "curves": curves, "dots": dots,
                                "saddle": saddle, "threshold": threshold}
    return fig


def escape_view(epsilon=0.01, depth=2, fig=None):
    """Loss against step (log axis) for six seeds; dots mark each seed's escape.

    ``fig``: a figure this function returned before, updated in place (the explorer passes
    it); the result is the same as with a new figure."""
    result = escape_curves(epsilon, n_layers=depth)
    loss, steps = result.loss[:, 0, :], result.steps[0]
    escaped = steps >= 0
    last = loss.shape[0] - 1
    if escaped.all():
        finding = f"escape after {int(np.median(steps))} steps"
    elif escaped.any():
        finding = f"{int(escaped.sum())} of {steps.size} seeds escape within {last} steps"
    else:
        finding = f"no escape within {last} steps"
    parts = getattr(fig, "initlab_saddle_parts", None)
    if parts is None or parts["population"] != steps.size or last != CAP:
        fig = _escape_figure(steps.size)
        parts = fig.initlab_saddle_parts
    plots.set_title(fig, f"{depth} matrices, ε = {epsilon:.0e}: {finding}")
    fig.initlab_alt = (
        f"Training loss against step on a logarithmic axis for {steps.size} seeds of a "
        f"tanh network with {depth} weight matrices started at scale {epsilon:.0e}. "
        f"The curves sit on the saddle's plateau and then drop; {finding} "
        f"(median over the seeds).")
    for k, curve in enumerate(parts["curves"]):
        curve.set_ydata(loss[1:, k])
    parts["dots"].set_data(steps[escaped], loss[steps[escaped], np.flatnonzero(escaped)])
    parts["saddle"].set_ydata([result.saddle_loss] * 2)
    parts["threshold"].set_ydata([result.threshold] * 2)
    fig.axes[0].set_ylim(0, 1.6 * result.saddle_loss)
    return fig


def saddle_explorer() -> Explorer:
    """ε (log slider) and depth → loss curves with the escape steps marked."""
    import ipywidgets

    controls = {
        "epsilon": ipywidgets.FloatLogSlider(value=0.01, base=10, min=-6, max=-0.5, step=0.5,
                                             description="scale ε"),
        "depth": ipywidgets.IntSlider(value=3, min=2, max=4, description="weight matrices"),
    }
    return Explorer(escape_view, controls,
                    grid={"depth": [2, 3, 4], "epsilon": [1e-6, 0.01]},
                    caption="Two weight matrices leave the saddle within a few dozen steps even "
                            "from ε = 1e-6; at ε = 0.01 a third matrix costs hundreds of steps "
                            "and a fourth more than the whole run.")
