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
from ..plots import draw_histograms, draw_layer_stds, shown_layers
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
    profile = depth_profile(activation, [gain], hidden_layers=depth, width=width, n_samples=n_samples,
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
    draw_layer_stds(axes[2], profile.a_std[:, 0], profile.delta_std[:, 0])
    axes[2].legend(fontsize=7)
    if train:
        history, _ = train_population(activation, gain_normal([gain]), 1, hidden_layers=depth,
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
