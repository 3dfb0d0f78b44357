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
from ..scale import depth_profile, gain_normal, train_population
from .explorer import Explorer

__all__ = ["shown_layers", "layer_histograms", "draw_histograms", "draw_layer_stds",
           "scale_view", "scale_explorer"]


def shown_layers(depth: int, count: int = 5) -> list[int]:
    """Up to `count` layer numbers ℓ (1-based), evenly spaced from 1 to `depth`."""
    if int(depth) < 1 or int(count) < 1:
        raise ValueError(f"depth and count must be >= 1, got depth={depth!r}, count={count!r}")
    return sorted({int(round(x)) for x in np.linspace(1, int(depth), min(int(count), int(depth)))})


def layer_histograms(arrays, bins: int = 60, max_values: int = 20_000):
    """Histograms of several layers on one shared range.

    Parameters
    ----------
    arrays : list of arrays (any shape)
        One array of values per layer.
    bins : int
    max_values : int
        Each layer's histogram uses at most about this many values (evenly strided).

    Returns
    -------
    edges : array (bins + 1,)
        Shared bin edges: from the smallest to the largest of each layer's mean ∓ 4 std
        (clipped to the data), always including 0.
    fractions : list of arrays (bins,)
        Fraction of each layer's values per bin (values outside the range are dropped).
    """
    if not arrays:
        raise ValueError("layer_histograms needs at least one array")
    # At most `max_values` evenly strided values per layer: the shape of a histogram of
    # 20 000 values is the shape of one of 250 000, and the redraw stays fast.
    flat = []
    for a in arrays:
        v = np.ravel(np.asarray(a))
        flat.append(v[::max(1, v.size // int(max_values))].astype(np.float64))
    # The range from means and standard deviations (cheap; quantiles would sort millions).
    finite = [v[np.isfinite(v)] for v in flat]
    finite = [v for v in finite if v.size]
    if not finite:
        lo, hi = -1.0, 1.0
    else:
        lo = min(max(v.min(), v.mean() - 4 * v.std()) for v in finite)
        hi = max(min(v.max(), v.mean() + 4 * v.std()) for v in finite)
        lo, hi = min(lo, 0.0), max(hi, 0.0)
        if not hi - lo > 0:
            lo, hi = -1.0, 1.0
        pad = 0.02 * (hi - lo)
        lo, hi = lo - pad, hi + pad
    edges = np.linspace(lo, hi, int(bins) + 1)
    fractions = [np.histogram(v[np.isfinite(v)], bins=edges)[0] / max(v.size, 1) for v in flat]
    return edges, fractions


def _few_log_ticks(ax):
    """Decade ticks only on a log y axis, labelled as plain text (1e-05): readable, and
    much faster to draw than mathtext labels with minor ticks."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

    ax.yaxis.set_major_locator(LogLocator(base=10, numticks=5))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, pos: f"{y:.0e}".replace("e+00", "")))


def draw_histograms(ax, arrays, layers, xlabel):
    """Draw `layer_histograms` of `arrays` as step lines, one colour per layer ℓ in `layers`."""
    edges, fractions = layer_histograms(arrays)
    for i, (layer, frac) in enumerate(zip(layers, fractions)):
        ax.stairs(np.maximum(frac, 1e-5), edges, color=plots.color(i), label=f"layer {layer}",
                  linewidth=1.5)
    ax.set_yscale("log")
    _few_log_ticks(ax)
    ax.set_ylim(1e-4, 1.2)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("fraction per bin")


def draw_layer_stds(ax, profile, member=0, label_suffix=""):
    """Std of a_ℓ and of delta_ℓ against layer ℓ (log scale) for one member of a DepthProfile."""
    layers = np.arange(1, profile.a_std.shape[0] + 1)
    ax.semilogy(layers, profile.a_std[:, member], color=plots.color(0), marker="o", markersize=3,
                label="activations aℓ" + label_suffix)
    ax.semilogy(layers, profile.delta_std[:, member], color=plots.color(5), marker="s", markersize=3,
                label="gradients δℓ" + label_suffix)
    _few_log_ticks(ax)
    ax.set_xlabel("layer ℓ")
    ax.set_ylabel("standard deviation")


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


def scale_view(activation: str = "tanh", depth: int = 10, width: int = 256, gain: float = 1.0,
               train: bool = False, n_samples: int = 300, train_steps: int = 100,
               seed: int = 0):
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
        Samples in the forward/backward pass behind the histograms.
    """
    profile = depth_profile(activation, [gain], depth=depth, width=width, n_samples=n_samples,
                            seed=seed, dtype=np.float32)
    layers = shown_layers(depth)
    nrows = 4 if train else 3
    title = _finding(profile)
    alt = (f"For a {depth}-layer {activation} network of width {width} with weight gain {gain:.3g}: "
           f"histograms of activations and gradients in layers {layers}, and their standard "
           f"deviations per layer: activations from {profile.a_std[0, 0]:.2g} (layer 1) to "
           f"{profile.a_std[-1, 0]:.2g} (layer {depth}), gradients from "
           f"{profile.delta_std[0, 0]:.2g} to {profile.delta_std[-1, 0]:.2g}.")
    # One narrow column of panels: legible side by side in the static gallery.
    height = 2.2 * nrows + 0.7
    fig, axes = plots.figure(title, alt=alt, nrows=nrows, width=4.6, height=height)
    fig.suptitle(title, fontsize=10.5)  # two short lines that fit the narrow column
    # Fixed margins instead of the constrained layout, which took most of the redraw time.
    fig.set_layout_engine("none")
    axes[0].get_gridspec().update(left=0.2, right=0.96, bottom=0.45 / height,
                                  top=1 - 0.75 / height, hspace=0.55)
    for ax in axes:
        ax.set_position(ax.get_subplotspec().get_position(fig))
    draw_histograms(axes[0], [profile.a[l - 1][0] for l in layers], layers, "activation aℓ")
    axes[0].legend(fontsize=7, loc="upper right")
    draw_histograms(axes[1], [profile.delta[l - 1][0] for l in layers], layers,
                    "gradient δℓ = ∂L/∂zℓ")
    axes[1].ticklabel_format(axis="x", style="sci", scilimits=(-2, 2))
    draw_layer_stds(axes[2], profile)
    axes[2].legend(fontsize=7)
    if train:
        history, _ = train_population(activation, gain_normal([gain]), 1, depth=depth,
                                      width=width, steps=train_steps, lr=0.05, batch_size=32,
                                      n_samples=128, seed=seed, dtype=np.float32)
        axes[3].plot(history.loss[:, 0], color=plots.color(2))
        axes[3].axhline(np.log(10), color="gray", linestyle=":", linewidth=1)
        axes[3].set_xlabel("SGD step")
        axes[3].set_ylabel("training loss")
        axes[3].set_ylim(0, max(3.0, float(np.nanmax(history.loss[:, 0])) * 1.05)
                         if np.isfinite(history.loss[:, 0]).any() else 3.0)
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
    presets = [
        {"activation": "tanh", "gain": 0.5},
        {"activation": "tanh", "gain": 3.0},
        {"activation": "relu", "gain": 1.0},
        {"activation": "relu", "gain": float(np.sqrt(2.0))},
    ]
    return Explorer(scale_view, controls, presets,
                    caption="Weights N(0, c²/fan_in). tanh: c = 0.5 vanishes, c = 3 saturates "
                            "(c = 1, in the figures above, keeps the signal). ReLU: Xavier's c = 1 halves the variance at "
                            "every layer; He's c = √2 keeps it.")
