"""Chapter 4's explorer: bias scale per layer, weight scale and activation → training.

A 2-8-8-1 network is trained on the standardised two-moons data (full batch,
gradient descent, binary cross-entropy).  The view shows the training loss and
the numbers of distinct and of dead units in each hidden layer after training.
"""

from __future__ import annotations

import numpy as np

from .. import plots
from ..experiments.biases import ACTIVATION_CHOICES, train_bias_setting
from .explorer import Explorer

__all__ = ["bias_view", "bias_explorer"]

_WIDTH = 8  # the units per hidden layer of `train_bias_setting`
_STEPS = 800  # its number of training steps
# The book's title style (plots.figure's), kept when the title of a reused figure changes.

def _bias_figure():
    """The explorer's empty figure and the artists `bias_view` fills (built once, reused).

    Fixed margins and axes: the constrained layout and new axes with their ticks were most
    of the redraw time, and fixed axes let the reader compare settings."""
    fig, (ax_loss, ax_units) = plots.figure("(finding)", alt="(filled in by bias_view)",
                                            ncols=2, width=7.0, height=3.2)
    fig.set_layout_engine(None)
    fig.subplots_adjust(left=0.09, right=0.985, bottom=0.15, top=0.87, wspace=0.28)
    loss, = ax_loss.plot(np.arange(_STEPS + 1), np.zeros(_STEPS + 1), color=plots.color(0))
    ax_loss.axhline(np.log(2), color=plots.color(7), linestyle=":", linewidth=1)
    # A label on the line instead of a second legend (a legend costs more to draw).
    ax_loss.text(0.98 * _STEPS, np.log(2) + 0.015, "constant predictor (ln 2)", ha="right",
                 va="bottom", fontsize=plots.STYLE["legend.fontsize"], color=plots.color(7))
    ax_loss.set_xlim(-0.02 * _STEPS, 1.02 * _STEPS)
    ax_loss.set_ylim(0, 0.8)
    ax_loss.set_xticks([0, _STEPS // 2, _STEPS])
    ax_loss.set_yticks([0, 0.2, 0.4, 0.6, 0.8])
    ax_loss.set_xlabel("training step")
    ax_loss.set_ylabel("training loss (BCE, nats)")
    layers = np.arange(2)
    distinct = ax_units.bar(layers - 0.2, [0, 0], width=0.4, color=plots.color(1),
                            label="distinct")
    dead = ax_units.bar(layers + 0.2, [0, 0], width=0.4, color=plots.color(5), label="dead")
    ax_units.set_xticks(layers, ["hidden 1", "hidden 2"])
    ax_units.set_xlim(-0.6, 1.6)
    ax_units.set_yticks(range(0, _WIDTH + 1, 2))
    ax_units.set_ylim(0, _WIDTH + 2.5)
    ax_units.set_ylabel(f"units after training (of {_WIDTH})")
    # The axis labels where matplotlib puts them for these fixed ticks (it measured every tick
    # label again at each redraw to find that place).
    for ax, y_label_x in ((ax_loss, -0.128), (ax_units, -0.085)):
        ax.xaxis.set_label_coords(0.5, -0.121)
        ax.yaxis.set_label_coords(y_label_x, 0.5)
    ax_units.legend(loc="upper right", ncols=2)
    fig.initlab_biases_parts = {"loss": loss, "distinct": distinct, "dead": dead}
    return fig


def bias_view(bias_1: float = 0.5, bias_2: float = 0.5, bias_out: float = 0.5,
              weight_std: float = 0.0, activation: str = "tanh", fig=None):
    """Training loss (left); distinct and dead units per hidden layer (right).

    ``fig``: a figure this function returned before, updated in place (the explorer passes
    it); the result is the same as with a new figure."""
    history, distinct, dead = train_bias_setting(bias_1, bias_2, bias_out, weight_std, activation,
                                                 steps=_STEPS)
    accuracy = float(history.accuracy[-1])
    stuck = abs(float(history.loss[-1]) - float(np.log(2))) < 1e-3
    verdict = "stuck at the constant predictor" if stuck else f"trains to {accuracy:.0%} accuracy"
    start = "zero weights" if weight_std == 0 else f"weights N(0, {weight_std:g}²)"
    parts = getattr(fig, "initlab_biases_parts", None)
    if parts is None:
        fig = _bias_figure()
        parts = fig.initlab_biases_parts
    plots.set_title(fig, f"{start}, {activation}: {verdict}")
    fig.initlab_alt = (
        f"Left: training loss over {history.steps} steps of a 2-8-8-1 {activation} network "
        f"from {start} and bias standard deviations {bias_1:g}, {bias_2:g}, {bias_out:g} "
        f"(hidden 1, hidden 2, output); final accuracy {accuracy:.0%}. Right: distinct "
        f"units after training, {distinct[0]} and {distinct[1]} of {_WIDTH}; dead units "
        f"(output 0 for every input), {dead[0]} and {dead[1]}.")
    parts["loss"].set_ydata(history.loss)
    for bars, counts in ((parts["distinct"], distinct), (parts["dead"], dead)):
        for bar, count in zip(bars, counts):
            bar.set_height(count)
    return fig


def bias_explorer() -> Explorer:
    """Bias scales per layer, weight scale and activation → loss curve and distinct units."""
    import ipywidgets

    def bias_slider(description):
        return ipywidgets.FloatSlider(value=0.5, min=0.0, max=2.0, step=0.1,
                                      description=description)

    controls = {
        "bias_1": bias_slider("bias std, hidden 1"),
        "bias_2": bias_slider("bias std, hidden 2"),
        "bias_out": bias_slider("bias std, output"),
        "weight_std": ipywidgets.FloatSlider(value=0.0, min=0.0, max=1.0, step=0.05,
                                             description="weight std"),
        "activation": ipywidgets.Dropdown(options=list(ACTIVATION_CHOICES), value="tanh",
                                          description="activation"),
    }
    # zero or random weights; hidden layer 2 with or without biases; tanh or ReLU (dead units)
    grid = {"weight_std": [0.0, 0.5], "bias_2": [0.5, 0.0], "activation": ["tanh", "relu"]}
    return Explorer(bias_view, controls, grid=grid,
                    caption="With zero weights, random biases in every layer train the network; "
                            "drop them from one hidden layer and it stays at the constant "
                            "predictor.")
