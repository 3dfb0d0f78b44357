"""Chapter 2's explorer: initial scale ε and depth → how long gradient descent sits at zero."""

from __future__ import annotations

import numpy as np

from .. import plots
from ..experiments.saddle import CAP, escape_curves
from .explorer import Explorer

__all__ = ["escape_view", "saddle_explorer"]

def escape_view(epsilon=0.01, depth=2):
    """Loss against step (log axis) for six seeds; dots mark each seed's escape."""
    result = escape_curves(epsilon, n_layers=depth)
    loss, steps = result.loss[:, 0, :], result.steps[0]
    escaped = steps >= 0
    t = np.arange(1, loss.shape[0])
    if escaped.all():
        finding = f"escape after {int(np.median(steps))} steps"
    elif escaped.any():
        finding = f"{int(escaped.sum())} of {steps.size} seeds escape within {t[-1]} steps"
    else:
        finding = f"no escape within {t[-1]} steps"
    fig, ax = plots.figure(
        f"{depth} matrices, ε = {epsilon:.0e}: {finding}",
        alt=(f"Training loss against step on a logarithmic axis for {steps.size} seeds of a "
             f"tanh network with {depth} weight matrices started at scale {epsilon:.0e}. "
             f"The curves sit on the saddle's plateau and then drop; {finding} "
             f"(median over the seeds)."),
        width=5.6, height=3.4)
    for k in range(steps.size):
        ax.plot(t, loss[1:, k], color=plots.color(0), alpha=0.7, lw=1.2)
        if escaped[k]:
            ax.plot(steps[k], loss[steps[k], k], "o", color=plots.color(5), ms=5)
    ax.axhline(result.saddle_loss, color=plots.color(7), ls=":", lw=1, label="loss at the saddle")
    ax.axhline(result.threshold, color=plots.color(1), ls="--", lw=1, label="escape threshold")
    ax.set_xscale("log")
    ax.set_ylim(0, 1.6 * result.saddle_loss)
    ax.set_xlabel("gradient-descent step (log scale)")
    ax.set_ylabel("training loss (MSE)")
    ax.legend(loc="lower left")
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
