"""Chapter 7's explorer: pick a claim and a setting, see the measurement and the computed verdict."""

from __future__ import annotations

import numpy as np

from .. import plots
from ..experiments.myths import EXPLORER, SETTINGS, explore
from .explorer import Explorer

__all__ = ["myths_view", "myths_explorer"]

#: values at or below this are drawn at it on a log axis (exact zeros included)
FLOOR = 1e-18

#: quantities per claim the figure has room for (every claim has one or two)
_MAX_GROUPS = 2


def _myths_figure():
    """The explorer's empty figure and the artists `myths_view` fills.

    Built once and then updated in place (data, ticks, limits and texts), with fixed margins
    instead of the constrained layout: building and laying out a new figure took most of a
    redraw."""
    fig, ax = plots.figure("(finding)", alt="(filled in by myths_view)", width=7.0, height=3.8)
    fig.set_layout_engine(None)
    fig.subplots_adjust(left=0.14, right=0.97, bottom=0.17, top=0.88)
    dots = [ax.plot([], [], "o", color=plots.color(i), alpha=0.7)[0] for i in range(_MAX_GROUPS)]
    medians = [ax.plot([], [], color="black", linewidth=1.5)[0] for _ in range(_MAX_GROUPS)]
    fig.initlab_myths_parts = {"dots": dots, "medians": medians}
    return fig


def myths_view(claim="biases", setting="as in the threads", fig=None):
    """One dot per draw for each quantity that decides the claim; the title gives the verdict.

    Computations come from `initlab.experiments.myths.explore`. `fig`: a figure this function
    returned before, updated in place (the explorer passes it); the result is the same as on a
    new figure.
    """
    from matplotlib.ticker import MaxNLocator

    verdict = explore(claim, setting)
    groups = {k: np.ravel(np.asarray(v, dtype=float)) for k, v in verdict.spread.items()}
    values = np.concatenate(list(groups.values()))
    positive = values[values > 0]
    log = positive.size > 0 and (values.min() <= 0 or positive.max() / positive.min() > 1e3)
    summary = "; ".join(f"{k}: median {np.median(v):.3g}" for k, v in groups.items())
    title = f"{claim}, {setting}: verdict {verdict.verdict}"
    alt = (f"One column of dots per measured quantity ({', '.join(groups)}), one dot per draw, "
           f"{'log scale, zeros drawn at 1e-18' if log else 'linear scale'}. {summary}. "
           f"Computed verdict: {verdict.verdict}.")
    parts = getattr(fig, "initlab_myths_parts", None)
    if parts is None:
        fig = _myths_figure()
        parts = fig.initlab_myths_parts
    ax = fig.axes[0]
    plots.set_title(fig, title)
    fig.initlab_alt = alt
    ax.set_yscale("log" if log else "linear")  # resets the tick locators and formatters
    if log:
        plots.few_log_ticks(ax)
    else:
        ax.yaxis.set_major_locator(MaxNLocator(5))
    for i, (dots, median) in enumerate(zip(parts["dots"], parts["medians"])):
        v = list(groups.values())[i] if i < len(groups) else np.zeros(0)
        shown = np.maximum(v, FLOOR) if log else v
        jitter = np.linspace(-0.15, 0.15, v.size) if v.size > 1 else np.zeros(v.size)
        dots.set_data(i + jitter, shown)
        median.set_data([i - 0.25, i + 0.25], [np.median(shown)] * 2 if v.size else [np.nan] * 2)
    shown = np.maximum(values, FLOOR) if log else values
    ax.set_xlim(-0.5, len(groups) - 0.5)
    if log:  # whole decades around the dots
        ax.set_ylim(10.0 ** np.floor(np.log10(shown.min()) - 0.5),
                    10.0 ** np.ceil(np.log10(shown.max()) + 0.5))
    else:
        pad = 0.05 * (shown.max() - shown.min()) or 0.05 * abs(shown.max()) or 0.05
        ax.set_ylim(shown.min() - pad, shown.max() + pad)
    ax.set_xticks(range(len(groups)), list(groups), fontsize=8)
    ax.set_ylabel(verdict.measure)
    ax.set_xlabel(verdict.evidence if len(verdict.evidence) < 90 else verdict.evidence[:87] + "…",
                  fontsize=7)
    return fig


def myths_explorer() -> Explorer:
    """Claim and setting → the measurement over a population of draws and its verdict."""
    import ipywidgets

    controls = {
        "claim": ipywidgets.Dropdown(options=list(EXPLORER), value="biases", description="claim"),
        "setting": ipywidgets.Dropdown(options=list(SETTINGS), value="as in the threads",
                                       description="setting"),
    }
    return Explorer(myths_view, controls, grid={"claim": list(EXPLORER), "setting": list(SETTINGS)},
                    caption="Each claim flips when its deciding parameter moves: 0/1 instead of ±1 "
                            "XOR lets a bias-free network fit, a sigmoid lets one weight reach the "
                            "output, a weight decay above |λ_min| pins the weights at zero.")
