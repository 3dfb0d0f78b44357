"""Chapter 9's explorer: a library's default initialisation in a deep network.

Controls: the library default (or one of the book's rules), the activation and the depth.
The view shows the signal profile at initialisation (std of the activations per layer, and
its input-dependent part) next to He's rule, and a short training curve (Adam, `STEPS` steps).
"""

from __future__ import annotations

import numpy as np

from .. import plots
from ..experiments.frameworks import signal_profiles, train_defaults
from ..frameworks import library_default
from .explorer import Explorer

__all__ = ["STEPS", "DEFAULT_CHOICES", "frameworks_view", "frameworks_explorer"]

#: Adam steps of the training curve.
STEPS = 40

#: The choices of the "default" control.
DEFAULT_CHOICES = ("pytorch", "keras", "flax", "sklearn", "he", "lecun", "glorot")


def _finding(name, depth, last_signal, losses, ln_c):
    label = library_default(name).label
    falls = last_signal < 1e-3
    learns = bool(np.median(losses) < 0.5 * ln_c)
    signal = (f"input signal falls to {last_signal:.0e} by layer {depth}" if falls
              else f"input signal keeps {last_signal:.2g} at layer {depth}")
    return f"{label}: {signal};\n{'it learns' if learns else 'training barely moves'} in {STEPS} Adam steps"


def frameworks_view(default: str = "pytorch", activation: str = "relu", depth: int = 20,
                    seed: int = 0):
    """The explorer's figure for one library default, activation and depth.

    Left: std of a_ℓ (solid) and its input-dependent part (dashed) for layers 1..depth,
    width 256, with He's rule in grey.  Right: training loss of two seeds of a width-32
    network of the same depth (Adam, lr 1e-3, full batch, `STEPS` steps) on chapter 5's task.
    """
    from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

    depth = int(depth)
    profiles = signal_profiles(activation, names=(default, "he"), hidden_layers=depth, width=256,
                               n_samples=32, population=1, seed=seed, dtype=np.float32)
    run = train_defaults(names=(default,), activation=activation, hidden_layers=depth, width=32,
                         population=2, steps=STEPS, batch_size=None, seed=seed)
    ln_c = float(np.log(10))
    p, he = profiles[default], profiles["he"]
    final = run.loss[-1, 0]
    title = _finding(default, depth, float(p.signal_std[-1, 0]), final, ln_c)
    alt = (f"{library_default(default).label}, {activation}, {depth} layers: activation std "
           f"from {p.a_std[0, 0]:.2g} (layer 1) to {p.a_std[-1, 0]:.2g} (layer {depth}), its "
           f"input-dependent part to {p.signal_std[-1, 0]:.2g}; He's rule keeps "
           f"{he.a_std[-1, 0]:.2g}. Training loss after {STEPS} steps: "
           + ", ".join(f"{v:.2f}" for v in final) + f" (ln 10 = {ln_c:.2f}).")
    fig, (ax_s, ax_t) = plots.figure(title, alt=alt, ncols=2, width=8.0, height=3.3)
    fig.suptitle(title, fontsize=10.5)
    # Fixed margins instead of the constrained layout, which took most of the redraw time.
    fig.set_layout_engine("none")
    ax_s.get_gridspec().update(left=0.11, right=0.98, bottom=0.15, top=0.8, wspace=0.3)
    for ax in (ax_s, ax_t):
        ax.set_position(ax.get_subplotspec().get_position(fig))
    layers = np.arange(1, depth + 1)
    with np.errstate(all="ignore"):
        ax_s.semilogy(layers, he.a_std[:, 0], color="gray", linewidth=1.2, label="He, total")
        ax_s.semilogy(layers, p.a_std[:, 0], color=plots.color(0), marker="o", markersize=3,
                      label="total std")
        ax_s.semilogy(layers, np.maximum(p.signal_std[:, 0], 1e-30), color=plots.color(5),
                      linestyle="--", label="input-dependent")
    # Decade ticks only, plain-text labels: much faster to draw than mathtext with minor ticks.
    ax_s.yaxis.set_major_locator(LogLocator(base=10, numticks=6))
    ax_s.yaxis.set_minor_locator(NullLocator())
    ax_s.yaxis.set_major_formatter(FuncFormatter(lambda v, pos: f"{v:.0e}".replace("e+00", "")))
    shown = np.concatenate([he.a_std[:, 0], p.a_std[:, 0], p.signal_std[:, 0]])
    shown = shown[np.isfinite(shown) & (shown > 0)]
    if shown.size:  # at least two decades, so that decade ticks appear
        ax_s.set_ylim(shown.min() / 4, shown.max() * 4)
    ax_s.set_xlabel("layer ℓ")
    ax_s.set_ylabel(f"std of aℓ ({activation})")
    ax_s.legend(fontsize=7)
    steps = np.arange(run.loss.shape[0])
    for k in range(run.loss.shape[2]):
        ax_t.plot(steps, run.loss[:, 0, k], color=plots.color(2 + k), label=f"seed {k}")
    ax_t.axhline(ln_c, color="gray", linestyle=":", linewidth=1, label="ln 10")
    ax_t.set_xlabel("Adam step")
    ax_t.set_ylabel("training loss")
    finite = run.loss[np.isfinite(run.loss)]
    ax_t.set_ylim(0, max(3.0, float(finite.max()) * 1.05) if finite.size else 3.0)
    ax_t.legend(fontsize=7)
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
