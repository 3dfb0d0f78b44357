"""Chapter 7's explorer: pick a claim and a setting, see the measurement and the computed verdict."""

from __future__ import annotations

import numpy as np

from .. import plots
from ..experiments.myths import EXPLORER, SETTINGS, explore
from .explorer import Explorer

__all__ = ["myths_view", "myths_explorer"]

#: values at or below this are drawn at it on a log axis (exact zeros included)
FLOOR = 1e-18


def myths_view(claim="biases", setting="as in the threads"):
    """One dot per draw for each quantity that decides the claim; the title gives the verdict.

    Computations come from `initlab.experiments.myths.explore`.
    """
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
    fig, ax = plots.figure(title, alt=alt, width=7.0, height=3.8)
    for i, (name, v) in enumerate(groups.items()):
        shown = np.maximum(v, FLOOR) if log else v
        jitter = np.linspace(-0.15, 0.15, v.size) if v.size > 1 else np.zeros(1)
        ax.plot(i + jitter, shown, "o", color=plots.color(i), alpha=0.7)
        ax.plot([i - 0.25, i + 0.25], [np.median(shown)] * 2, color="black", linewidth=1.5)
    if log:
        ax.set_yscale("log")
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels(list(groups), fontsize=8)
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
