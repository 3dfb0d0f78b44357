"""Chapter 9's explorer: a library's default initialisation in a deep network.

Controls: the library default (or one of the book's rules), the activation and the depth.
The view shows the signal profile at initialisation (std of the activations per layer, and
its input-dependent part) next to He's rule, and a short training curve (Adam, `STEPS` steps).
"""

from __future__ import annotations

import functools

import numpy as np

from .. import plots
from .._checks import positive_int
from ..experiments.frameworks import measure_profile, profile_networks, task, train_defaults
from ..frameworks import library_default
from ..network import MLP
from .explorer import Explorer

__all__ = ["STEPS", "DEFAULT_CHOICES", "frameworks_view", "frameworks_explorer"]

#: Adam steps of the training curve.
STEPS = 40

#: The choices of the "default" control.
DEFAULT_CHOICES = ("pytorch", "keras", "flax", "sklearn", "he", "lecun", "glorot")

#: The depth control's largest value.
MAX_DEPTH = 30

#: Width and number of inputs of the signal profile's networks.
WIDTH, N_SAMPLES = 256, 32


def _finding(name, depth, last_signal, losses, ln_c):
    label = library_default(name).label
    falls = last_signal < 1e-3
    learns = bool(np.median(losses) < 0.5 * ln_c)
    signal = (f"input signal falls to {last_signal:.0e} by layer {depth}" if falls
              else f"input signal keeps {last_signal:.2g} at layer {depth}")
    return f"{label}: {signal};\n{'it learns' if learns else 'training barely moves'} in {STEPS} Adam steps"


@functools.cache
def _he_weights(seed, hidden_layers=MAX_DEPTH):
    """He's reference network of `hidden_layers` layers, drawn as `signal_profiles` draws it next
    to a default.  It depends on no control (He's rule ignores the activation), and its first
    ℓ layers are those of the ℓ-layer network: drawing it once leaves a forward pass per redraw."""
    he = profile_networks("relu", ("pytorch", "he"), hidden_layers=hidden_layers, width=WIDTH,
                          population=1, seed=seed, dtype=np.float32)["he"]
    return he.weights, he.biases


def _profiles(default, activation, depth, seed):
    """``signal_profiles(activation, names=(default, "he"), hidden_layers=depth, width=WIDTH,
    n_samples=N_SAMPLES, population=1, seed=seed, dtype=np.float32)``, as ``(default's, He's)``."""
    X = task(N_SAMPLES, seed=seed)[0].astype(np.float32)
    weights, biases = _he_weights(seed, max(depth, MAX_DEPTH))
    # Layers 1..depth, then layer depth + 1 as the output layer (its values are not shown).
    he = measure_profile("he", MLP.from_parameters(weights[:depth + 1], biases[:depth + 1],
                                                   activation=activation, dtype=np.float32), X)
    if default == "he":  # names=("he", "he") keeps one network: the reference itself
        return he, he
    # The first name's stream does not depend on the names after it.
    net = profile_networks(activation, (default,), hidden_layers=depth, width=WIDTH,
                           population=1, seed=seed, dtype=np.float32)[default]
    return measure_profile(default, net, X), he


def _frameworks_figure():
    """The explorer's empty figure and the artists `frameworks_view` fills.

    Built once and then updated in place (data, limits and texts), with fixed margins instead
    of the constrained layout and few tick labels: text and layout took most of a redraw."""
    from matplotlib.ticker import MaxNLocator

    fig, (ax_s, ax_t) = plots.figure("(finding)", alt="(filled in by frameworks_view)", ncols=2,
                                     width=8.0, height=3.3)
    fig.set_layout_engine(None)
    fig.subplots_adjust(left=0.1, right=0.98, bottom=0.15, top=0.8, wspace=0.3)
    he, = ax_s.plot([1, 2], [1, 1], color="gray", linewidth=1.2, label="He, total")
    total, = ax_s.plot([1, 2], [1, 1], color=plots.color(0), marker="o", markersize=3,
                       label="total std")
    signal, = ax_s.plot([1, 2], [1, 1], color=plots.color(5), linestyle="--",
                        label="input-dependent")
    ax_s.set_yscale("log")
    plots.few_log_ticks(ax_s)
    ax_s.set_xlabel("layer ℓ")
    ax_s.legend(fontsize=7, loc="lower left")
    seeds = [ax_t.plot([0, 1], [0, 0], color=plots.color(2 + k))[0] for k in range(2)]
    ln_c = float(np.log(10))
    ax_t.axhline(ln_c, color="gray", linestyle=":", linewidth=1)
    # A label on the line instead of a second legend (each legend entry is text to draw).
    ax_t.text(STEPS, ln_c, "ln 10 ", ha="right", va="bottom", fontsize=7, color="gray")
    ax_t.set_xlim(0, STEPS)
    ax_t.xaxis.set_major_locator(MaxNLocator(4))
    ax_t.yaxis.set_major_locator(MaxNLocator(4))
    ax_t.set_xlabel("Adam step")
    ax_t.set_ylabel("training loss (2 seeds)")
    for ax in (ax_s, ax_t):
        ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))
    fig.initlab_frameworks_parts = {"profile": (he, total, signal), "seeds": seeds}
    return fig


def frameworks_view(default: str = "pytorch", activation: str = "relu", depth: int = 20,
                    seed: int = 0, fig=None):
    """The explorer's figure for one library default, activation and depth.

    Left: std of a_ℓ (solid) and its input-dependent part (dashed) for layers 1..depth,
    width 256, with He's rule in grey.  Right: training loss of two seeds of a width-32
    network of the same depth (Adam, lr 1e-3, full batch, `STEPS` steps) on chapter 5's task.
    `fig`: a figure this function returned before, updated in place (the explorer passes it);
    the result is the same as on a new figure.
    """
    depth = positive_int("depth", depth)
    p, he = _profiles(default, activation, depth, seed)
    run = train_defaults(names=(default,), activation=activation, hidden_layers=depth, width=32,
                         population=2, steps=STEPS, batch_size=None, seed=seed)
    ln_c = float(np.log(10))
    final = run.loss[-1, 0]
    title = _finding(default, depth, float(p.signal_std[-1, 0]), final, ln_c)
    alt = (f"{library_default(default).label}, {activation}, {depth} layers: activation std "
           f"from {p.a_std[0, 0]:.2g} (layer 1) to {p.a_std[-1, 0]:.2g} (layer {depth}), its "
           f"input-dependent part to {p.signal_std[-1, 0]:.2g}; He's rule keeps "
           f"{he.a_std[-1, 0]:.2g}. Training loss after {STEPS} steps: "
           + ", ".join(f"{v:.2f}" for v in final) + f" (ln 10 = {ln_c:.2f}).")
    parts = getattr(fig, "initlab_frameworks_parts", None)
    if parts is None:
        fig = _frameworks_figure()
        parts = fig.initlab_frameworks_parts
    ax_s, ax_t = fig.axes
    plots.set_title(fig, title, fontsize=10.5)
    fig.initlab_alt = alt
    layers = np.arange(1, depth + 1)
    curves = (he.a_std[:, 0], p.a_std[:, 0], np.maximum(p.signal_std[:, 0], 1e-30))
    for line, values in zip(parts["profile"], curves):
        line.set_data(layers, values)
    ax_s.set_xlim(1 - 0.04 * depth, depth * 1.04)
    shown = np.concatenate(curves)
    shown = shown[np.isfinite(shown) & (shown > 0)]
    low, high = (shown.min(), shown.max()) if shown.size else (1.0, 1.0)
    # Whole decades, at least two, around the curves: the same few ticks for most settings.
    ax_s.set_ylim(10.0 ** np.floor(np.log10(low / 2)), 10.0 ** np.ceil(np.log10(high * 2)))
    ax_s.set_ylabel(f"std of aℓ ({activation})")
    steps = np.arange(run.loss.shape[0])
    for line, loss in zip(parts["seeds"], run.loss[:, 0].T):
        line.set_data(steps, loss)
    finite = run.loss[np.isfinite(run.loss)]
    ax_t.set_ylim(0, max(3.0, float(finite.max()) * 1.05) if finite.size else 3.0)
    return fig


def frameworks_explorer() -> Explorer:
    """Library default × activation × depth → signal profile and a short training curve."""
    import ipywidgets

    controls = {
        "default": ipywidgets.Dropdown(options=list(DEFAULT_CHOICES), value="pytorch",
                                       description="default"),
        "activation": ipywidgets.Dropdown(options=["relu", "tanh"], value="relu",
                                          description="activation"),
        "depth": ipywidgets.IntSlider(value=20, min=2, max=30, description="depth"),
    }
    grid = {"default": ["pytorch", "keras", "flax", "sklearn"],
            "activation": ["relu", "tanh"]}
    return Explorer(frameworks_view, controls, grid=grid,
                    caption="At depth 20: PyTorch's default loses the input fastest (its "
                            "random biases keep a floor that carries no input); Keras, Flax "
                            "and scikit-learn halve the ReLU variance per layer; He's rule "
                            "keeps it.")
