"""Chapter 5's flagship explorer: how the scale of the initial weights shapes every layer.

Controls: activation, depth, width, scale (the gain c of weights N(0, c²/fan_in), on a log
slider) and an optional short training run.  The view shows, for a network at initialisation,
histograms of the activations a_ℓ and of the back-propagated gradients delta_ℓ = dLoss/dz_ℓ
for a few layers (Glorot & Bengio 2010, figures 6–7), their standard deviations per layer,
and — when asked — a short training curve.
"""

from __future__ import annotations

import numpy as np

from .. import plots
from ..experiments.scale import depth_profile, train_population
from ..initializers import gain_normal
from ..plots import few_log_ticks, shown_layers
from .explorer import Explorer

__all__ = ["scale_view", "scale_explorer"]


def _finding(profile) -> str:
    """A title that states what the view shows, from the measured numbers."""
    a = profile.a_std[:, 0]
    d = profile.delta_std[:, 0]
    depth = len(a)
    sat = float(profile.saturated[-1, 0])
    with np.errstate(all="ignore"):
        a_ratio, d_ratio = a[-1] / a[0], d[0] / d[-1]
    if not np.isfinite(a_ratio) or a_ratio > 30:
        forward = f"activations explode (×{a_ratio:.2g} by layer {depth})"
    elif a_ratio < 1 / 30:
        forward = f"activations vanish (×{a_ratio:.2g} by layer {depth})"
    elif profile.activation in ("tanh", "lecun_tanh", "sigmoid") and sat > 0.2:
        forward = f"{sat:.0%} of layer {depth} saturates"
    else:
        forward = "activations keep their size"
    if not np.isfinite(d_ratio) or d_ratio > 30:
        backward = f"gradients grow ×{d_ratio:.2g} down to layer 1"
    elif d_ratio < 1 / 30:
        backward = f"gradients shrink ×{d_ratio:.2g} down to layer 1"
    else:
        backward = "gradients keep their size"
    return f"{forward[0].upper()}{forward[1:]};\n{backward}"


def _histograms(arrays, bins: int = 60, max_values: int = 20_000):
    """`plots.layer_histograms` (same edges, same fractions), counted with numpy's
    equal-width-bin path instead of a sort of every layer's values per redraw."""
    flat = [np.ravel(a)[::max(1, np.size(a) // max_values)].astype(np.float64) for a in arrays]
    finite = [v[np.isfinite(v)] for v in flat]
    kept = [v for v in finite if v.size]
    lo, hi = -1.0, 1.0
    if kept:
        lo = min(0.0, min(max(v.min(), v.mean() - 4 * v.std()) for v in kept))
        hi = max(0.0, max(min(v.max(), v.mean() + 4 * v.std()) for v in kept))
        if not hi - lo > 0:
            lo, hi = -1.0, 1.0
        pad = 0.02 * (hi - lo)
        lo, hi = lo - pad, hi + pad
    edges = np.linspace(lo, hi, bins + 1)
    fractions = [np.histogram(f, bins=bins, range=(lo, hi))[0] / max(v.size, 1)
                 for f, v in zip(finite, flat)]
    return edges, fractions


def _log_limits(*arrays, headroom: float = 30.0):
    """y limits of a log axis holding `arrays`, with room above the data for a legend."""
    values = np.concatenate([np.ravel(a) for a in arrays])
    values = values[np.isfinite(values) & (values > 0)]
    if not values.size:
        return 1e-3, 1e1
    return float(values.min()) / 2, float(values.max()) * headroom


def _scale_figure(nrows: int, n_layers: int):
    """The explorer's empty figure: `nrows` panels and the artists that `scale_view` fills.

    Built once and then updated in place (only the data, limits and texts change), which
    halves the redraw time against a new figure per setting."""
    from matplotlib.ticker import FixedLocator, MaxNLocator, NullFormatter

    height = 2.2 * nrows + 0.7
    # One narrow column of panels: legible side by side in the static book.
    fig, axes = plots.figure("(finding)", alt="(filled in by scale_view)", nrows=nrows, width=4.6,
                             height=height)
    # Fixed margins instead of the constrained layout, which took most of the redraw time.
    fig.set_layout_engine(None)
    axes[0].get_gridspec().update(left=0.2, right=0.96, bottom=0.45 / height,
                                  top=1 - 0.75 / height, hspace=0.55)
    for ax in axes:
        ax.set_position(ax.get_subplotspec().get_position(fig))
        ax.xaxis.set_major_locator(MaxNLocator(5))  # fewer tick labels: text is most of the cost
        # Axis labels at fixed places (aligned across the panels): placed automatically,
        # they measured every tick label again at each redraw.
        ax.xaxis.set_label_coords(0.5, -0.19)
        ax.yaxis.set_label_coords(-0.17, 0.5)
    edges = np.linspace(-1.0, 1.0, 61)
    hists = []
    for ax, xlabel in zip(axes[:2], ["activation aℓ", "gradient δℓ = ∂L/∂zℓ"]):
        hists.append([ax.stairs(np.full(60, 1e-5), edges, color=plots.color(i), linewidth=1.5,
                                label=f"layer {i + 1}") for i in range(n_layers)])
        ax.set_yscale("log")
        few_log_ticks(ax)
        # The fixed range, labelled every other decade: tick labels are most of the draw.
        ax.yaxis.set_major_locator(FixedLocator([1e-4, 1e-2, 1]))
        ax.yaxis.set_minor_locator(FixedLocator([1e-3, 1e-1]))
        ax.yaxis.set_minor_formatter(NullFormatter())
        ax.set_ylim(1e-4, 1.2)
        ax.set_xlabel(xlabel)
        ax.set_ylabel("fraction per bin")
    axes[1].ticklabel_format(axis="x", style="sci", scilimits=(-2, 2))
    legend = axes[0].legend(fontsize=7, loc="upper right")
    a_line, = axes[2].semilogy([1, 2], [1, 1], color=plots.color(0), marker="o", markersize=3,
                               label="activations aℓ")
    d_line, = axes[2].semilogy([1, 2], [1, 1], color=plots.color(5), marker="s", markersize=3,
                               label="gradients δℓ")
    few_log_ticks(axes[2])
    axes[2].set_xlabel("layer ℓ")
    axes[2].set_ylabel("standard deviation")
    # A fixed place above the data (the y range leaves room): loc="best" costs a search per draw.
    axes[2].legend(fontsize=7, loc="upper center", ncols=2)
    parts = {"nrows": nrows, "n_layers": n_layers, "hists": hists, "legend": legend,
             "stds": (a_line, d_line)}
    if nrows == 4:
        parts["loss"], = axes[3].plot([0, 1], [0, 0], color=plots.color(2))
        axes[3].axhline(np.log(10), color="gray", linestyle=":", linewidth=1)
        axes[3].set_xlabel("SGD step")
        axes[3].set_ylabel("training loss")
    fig.initlab_scale_parts = parts
    return fig


def scale_view(activation: str = "tanh", depth: int = 10, width: int = 256, gain: float = 1.0,
               train: bool = False, n_samples: int = 200, train_steps: int = 100,
               seed: int = 0, fig=None):
    """The explorer's figure for one setting.

    Parameters
    ----------
    activation : str
        Hidden activation (tanh, lecun_tanh, sigmoid, relu, leaky_relu, identity).
    depth, width : int
        Hidden layers and units per layer; inputs are 16-dimensional, 10 classes.
    gain : float
        Weights N(0, gain² / fan_in): 1 is LeCun (and Xavier for square layers), √2 is He.
    train : bool
        Add a short training curve (SGD, lr 0.05, batches of 32, `train_steps` steps on
        128 samples); slower than the histograms.
    n_samples : int
        Samples in the forward/backward pass behind the histograms (200 × width values per
        layer: enough for the tails down to 1e-4 at the explorer's width).
    fig : Figure, optional
        A figure this function returned before: it is updated in place when it has the same
        panels (the explorer passes it), else a new figure is made. The result is the same.
    """
    profile = depth_profile(activation, [gain], hidden_layers=depth, width=width, n_samples=n_samples,
                            seed=seed, dtype=np.float32)
    layers = shown_layers(depth)
    nrows = 4 if train else 3
    parts = getattr(fig, "initlab_scale_parts", None)
    if parts is None or parts["nrows"] != nrows or parts["n_layers"] != len(layers):
        fig = _scale_figure(nrows, len(layers))
        parts = fig.initlab_scale_parts
    axes = fig.axes
    plots.set_title(fig, _finding(profile), fontsize=10.5)  # two short lines that fit the narrow column
    fig.initlab_alt = (
        f"For a {depth}-layer {activation} network of width {width} with weight gain {gain:.3g}: "
        f"histograms of activations and gradients in layers {layers}, and their standard "
        f"deviations per layer: activations from {profile.a_std[0, 0]:.2g} (layer 1) to "
        f"{profile.a_std[-1, 0]:.2g} (layer {depth}), gradients from "
        f"{profile.delta_std[0, 0]:.2g} to {profile.delta_std[-1, 0]:.2g}.")
    for ax, patches, values in zip(axes[:2], parts["hists"], (profile.a, profile.delta)):
        edges, fractions = _histograms([values[l - 1][0] for l in layers])
        for patch, frac in zip(patches, fractions):
            patch.set_data(np.maximum(frac, 1e-5), edges)
        ax.set_xlim(edges[0], edges[-1])
    for text, patch, layer in zip(parts["legend"].get_texts(), parts["hists"][0], layers):
        text.set_text(f"layer {layer}")
        patch.set_label(f"layer {layer}")
    a_line, d_line = parts["stds"]
    a_line.set_data(np.arange(1, depth + 1), profile.a_std[:, 0])
    d_line.set_data(np.arange(1, depth + 1), profile.delta_std[:, 0])
    axes[2].set_xlim(1 - 0.04 * depth, depth * 1.04)
    axes[2].set_ylim(*_log_limits(profile.a_std[:, 0], profile.delta_std[:, 0]))
    if train:
        history, _ = train_population(activation, gain_normal([gain]), 1, hidden_layers=depth,
                                      width=width, steps=train_steps, lr=0.05, batch_size=32,
                                      n_samples=128, seed=seed, dtype=np.float32)
        loss = history.loss[:, 0]
        parts["loss"].set_data(np.arange(loss.size), loss)
        axes[3].set_xlim(-0.05 * loss.size, 1.05 * loss.size)
        axes[3].set_ylim(0, max(3.0, float(np.nanmax(loss)) * 1.05)
                         if np.isfinite(loss).any() else 3.0)
    return fig


def scale_explorer() -> Explorer:
    """Activation, depth, width and scale → per-layer histograms (and a training curve)."""
    import ipywidgets

    controls = {
        "activation": ipywidgets.Dropdown(options=["tanh", "lecun_tanh", "sigmoid", "relu",
                                                   "leaky_relu", "identity"],
                                          value="tanh", description="activation"),
        "depth": ipywidgets.IntSlider(value=20, min=2, max=50, description="depth"),
        "width": ipywidgets.IntSlider(value=128, min=16, max=512, step=16, description="width"),
        "gain": ipywidgets.FloatLogSlider(value=1.0, base=10, min=-1, max=1, step=0.05,
                                          description="gain c", readout_format=".3g"),
        "train": ipywidgets.Checkbox(value=False, description="training curve (slower)"),
    }
    grid = {"activation": ["tanh", "relu"], "gain": [0.5, 1.0, float(np.sqrt(2.0)), 3.0]}
    return Explorer(scale_view, controls, grid=grid,
                    caption="Weights N(0, c²/fan_in). tanh: c = 0.5 vanishes, c = 1 keeps the "
                            "signal, c = 3 saturates. ReLU: Xavier's c = 1 halves the variance at "
                            "every layer; He's c = √2 keeps it.")
