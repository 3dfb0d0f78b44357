"""Chapter 6's explorer and drawings: the two XOR networks, their success rate, loss curves and
decision boundaries.

Controls: network ("2-2-1" or "2-1" with shortcuts), the initial scale r (log slider), the
epoch budget and one chosen seed.  The view trains a population of networks from U(−r, r)
(sigmoid units, learning rate 2 on the summed error ½ Σ) and shows the success rate against
the epoch, the bundle of loss curves, and the decision boundary of the chosen seed.
"""

from __future__ import annotations

import numpy as np

from .. import plots
from ..data import xor
from ..experiments.xor import decision_grid, loss_curves, lr_mean, network, uniform_start
from .explorer import Explorer

__all__ = ["draw_network", "draw_boundary", "xor_view", "xor_explorer"]

_POSITIONS = {
    "2-2-1": {"x1": (0.0, 0.0), "x2": (0.0, 1.0), "h1": (1.0, 0.0), "h2": (1.0, 1.0),
              "y": (2.0, 0.5)},
    "2-1": {"x1": (0.0, 0.0), "x2": (0.0, 1.0), "h": (1.0, 1.3), "y": (2.0, 0.5)},
}
_EDGES = {
    "2-2-1": [("x1", "h1"), ("x2", "h1"), ("x1", "h2"), ("x2", "h2"), ("h1", "y"), ("h2", "y")],
    "2-1": [("x1", "h"), ("x2", "h"), ("h", "y"), ("x1", "y"), ("x2", "y")],
}


def draw_network(ax, name: str) -> None:
    """Draw one of the two XOR networks on `ax`: inputs left, output right; biases are
    written inside the units.  Shortcut connections (2-1) are drawn dashed."""
    if name not in _POSITIONS:
        raise ValueError(f"network must be one of {sorted(_POSITIONS)}, got {name!r}")
    pos = _POSITIONS[name]
    for a, b in _EDGES[name]:
        (xa, ya), (xb, yb) = pos[a], pos[b]
        shortcut = a.startswith("x") and b == "y"
        ax.annotate("", xy=(xb - 0.12, yb + (ya - yb) * 0.06), xytext=(xa + 0.12, ya),
                    arrowprops=dict(arrowstyle="->", color=plots.color(5 if shortcut else 0),
                                    lw=1.4, ls="--" if shortcut else "-"))
    for node, (x, y) in pos.items():
        hidden = node.startswith("h")
        face = "white" if node.startswith("x") else ("#fde7c8" if hidden else "#d6eaf8")
        ax.add_patch(_circle((x, y), face))
        label = {"x1": "$x_1$", "x2": "$x_2$", "y": "$\\hat y$"}.get(node, f"${node[0]}_{node[1:]}$"
                                                                     if len(node) > 1 else "$h$")
        ax.text(x, y, label, ha="center", va="center", fontsize=10)
    ax.set_xlim(-0.35, 2.35)
    ax.set_ylim(-0.45, 1.75)
    ax.set_aspect("equal")
    ax.axis("off")
    n = network(name).n_parameters
    ax.set_title(f"{name}: {n} parameters" + (" (dashed: shortcuts)" if name == "2-1" else ""),
                 fontsize=9)


def _circle(centre, face):
    from matplotlib.patches import Circle

    return Circle(centre, 0.13, facecolor=face, edgecolor="black", lw=1.0, zorder=3)


def draw_boundary(ax, name: str, theta, n: int = 61) -> None:
    """The output of one network over the input square, its ½ contour and the four points."""
    grid, out = decision_grid(network(name), np.asarray(theta)[None], n=n)
    ax.contourf(grid, grid, out[0], levels=np.linspace(0, 1, 11), cmap="RdBu_r", vmin=0, vmax=1)
    if out[0].min() < 0.5 < out[0].max():
        ax.contour(grid, grid, out[0], levels=[0.5], colors="black", linewidths=1.2)
    X, y = xor(coding="01")
    for (x1, x2), t in zip(X, y[:, 0]):
        ax.plot(x1, x2, "o" if t else "s", ms=7, mfc="white" if t else "black", mec="black")
    ax.set_xticks([0, 1])
    ax.set_yticks([0, 1])
    ax.set_aspect("equal")
    ax.grid(False)


#: The explorer's fixed axes: every epoch budget (up to 3000) and every loss on the same scales.
_EPOCH_LIMITS = (0.8, 4000.0)
_LOSS_LIMITS = (5e-5, 0.6)
#: Loss curves drawn (thin), and the grid of the decision-boundary image (about two pixels a
#: cell: drawn as it is, cheaper than interpolating a coarser grid).
_CURVES, _GRID = 32, 121


def _decades(axis):
    """Decade ticks only, labelled 1, 10, 100, 1000: few labels, no minor ticks."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

    axis.set_major_locator(LogLocator(base=10, numticks=6))
    axis.set_minor_locator(NullLocator())
    axis.set_major_formatter(FuncFormatter(lambda v, pos: f"{v:g}"))


def _xor_figure(n_curves: int):
    """The explorer's empty figure and the artists that `xor_view` fills: built once, then
    updated in place (data, texts and the boundary image change; axes and ticks do not)."""
    from matplotlib import colormaps
    from matplotlib.collections import LineCollection

    fig, (ax_s, ax_l, ax_b) = plots.figure("(finding)", alt="(filled in by xor_view)", ncols=3,
                                           width=10.5, height=3.3)
    # Fixed margins instead of the constrained layout, which took most of the redraw time.
    fig.set_layout_engine(None)
    fig.subplots_adjust(left=0.07, right=0.97, bottom=0.16, top=0.85, wspace=0.32)
    success, = ax_s.plot([1, 2], [0, 0], color=plots.color(0), marker="o", ms=3)
    ax_s.set_ylim(-0.02, 1.02)
    ax_s.set_yticks([0, 0.25, 0.5, 0.75, 1])
    ax_s.set_ylabel("success rate")
    bundle = LineCollection([], linewidths=0.8, alpha=0.6)
    ax_l.add_collection(bundle)
    chosen, = ax_l.plot([1, 2], [1, 1], lw=2.0, color=plots.color(7))
    ax_l.set_yscale("log")
    plots.few_log_ticks(ax_l)
    ax_l.set_ylim(*_LOSS_LIMITS)
    ax_l.set_ylabel("loss (mean convention)")
    # Axis labels at fixed places (those matplotlib chose), so that no draw measures the tick
    # labels to place them.
    for ax, y_label_x in ((ax_s, -0.167), (ax_l, -0.202)):
        ax.set_xscale("log")
        _decades(ax.xaxis)
        ax.set_xlim(*_EPOCH_LIMITS)
        ax.set_xlabel("epoch")
        ax.xaxis.set_label_coords(0.5, -0.122)
        ax.yaxis.set_label_coords(y_label_x, 0.5)
    half = 1.0 / (_GRID - 1)                  # pixel centres on the grid of `decision_grid`
    image = ax_b.imshow(np.zeros((_GRID, _GRID)), origin="lower", vmin=0, vmax=1,
                        cmap=colormaps["RdBu_r"].resampled(10), interpolation="nearest",
                        extent=(-0.5 - half, 1.5 + half, -0.5 - half, 1.5 + half))
    X, y = xor(coding="01")
    for target, marker in ((1, "o"), (0, "s")):
        points = X[y[:, 0] == target]
        ax_b.plot(points[:, 0], points[:, 1], marker, ms=7, mfc="white" if target else "black",
                  mec="black")
    ax_b.set_xlim(-0.5, 1.5)
    ax_b.set_ylim(-0.5, 1.5)
    ax_b.set_xticks([0, 1])
    ax_b.set_yticks([0, 1])
    ax_b.set_aspect("equal")
    ax_b.grid(False)
    ax_b.set_title("seed 0", fontsize=9, y=1.0)   # a fixed place: not measured at each draw
    fig.initlab_xor_parts = {"n_curves": n_curves, "success": success, "bundle": bundle,
                             "chosen": chosen, "image": image, "boundary": None}
    return fig


def xor_view(network_name: str = "2-2-1", r: float = 1.0, epochs: int = 600,
             chosen_seed: int = 0, population: int = 48, seed: int = 0, fig=None):
    """Train `population` networks from U(−r, r) for `epochs`; three panels: success rate against
    the epoch, the loss bundle (at most 32 curves, green: solved, red: not; black: the chosen
    seed) and the chosen seed's output over the input square with its ½ contour.

    `fig` is a figure this function returned before: it is updated in place (the explorer
    passes it), else a new one is made; the image is the same either way."""
    net = network(network_name)
    X, y = xor(coding="01")
    theta, _ = uniform_start(net, float(r), int(population), seed)
    epochs = int(epochs)
    checkpoints = np.unique(np.geomspace(1, epochs, 24).astype(int))
    t = np.unique(np.geomspace(1, epochs, 120).astype(int))   # log-spaced epochs to draw
    record = np.union1d(checkpoints, t)
    loss, correct, final = loss_curves(net, theta, X, y, lr_mean(), record)
    success = correct[np.searchsorted(record, checkpoints)].mean(axis=1)
    curves = loss[np.searchsorted(record, t)]
    k = int(chosen_seed) % int(population)
    solved = correct[-1]
    n_curves = min(int(population), _CURVES)
    parts = getattr(fig, "initlab_xor_parts", None)
    if parts is None or parts["n_curves"] != n_curves:
        fig = _xor_figure(n_curves)
        parts = fig.initlab_xor_parts
    plots.set_title(fig, f"{network_name}, r = {float(r):.3g}: {success[-1]:.0%} of {population} "
                         f"networks solve XOR in {epochs} epochs")
    fig.initlab_alt = (
        f"Left: fraction of {population} {network_name} networks started from U(-{float(r):.3g}, "
        f"{float(r):.3g}) that classify all four XOR points correctly, against the epoch, "
        f"ending at {success[-1]:.0%}. Middle: their loss curves on log axes. Right: the "
        f"output of seed {k} over the input square after {epochs} epochs, "
        f"{'correct' if solved[k] else 'not correct'} on all four points.")
    parts["success"].set_data(checkpoints, success)
    parts["bundle"].set_segments([np.c_[t, curves[:, j]] for j in range(n_curves)])
    parts["bundle"].set_color([plots.color(2 if solved[j] else 5) for j in range(n_curves)])
    parts["chosen"].set_data(t, curves[:, k])
    _, out = decision_grid(net, final[k], n=_GRID)
    parts["image"].set_data(out[0])
    ax_b = fig.axes[2]
    if parts["boundary"] is not None:
        parts["boundary"].remove()
        parts["boundary"] = None
    if out[0].min() < 0.5 < out[0].max():
        grid = np.linspace(-0.5, 1.5, _GRID)
        parts["boundary"] = ax_b.contour(grid, grid, out[0], levels=[0.5], colors="black",
                                         linewidths=1.2)
    ax_b.title.set_text(f"seed {k}")
    return fig


def xor_explorer() -> Explorer:
    """Network, initial scale r, epochs and a chosen seed → success rate, loss bundle, boundary."""
    import ipywidgets

    controls = {
        "network_name": ipywidgets.Dropdown(options=["2-2-1", "2-1"], value="2-2-1",
                                            description="network"),
        "r": ipywidgets.FloatLogSlider(value=1.0, base=10, min=-2, max=1, step=0.1,
                                       description="scale r", readout_format=".3g"),
        "epochs": ipywidgets.IntSlider(value=600, min=100, max=3000, step=100,
                                       description="epochs"),
        "chosen_seed": ipywidgets.IntSlider(value=0, min=0, max=47, description="seed"),
    }
    return Explorer(xor_view, controls,
                    grid={"network_name": ["2-2-1", "2-1"], "r": [0.1, 0.5, 4.0]},
                    caption="After 600 epochs: r = 0.1 is still on the plateau at loss 1/8 "
                            "(slow, not stuck: give it more epochs); r = 0.5 has solved most "
                            "networks and the rest are on their way down; r = 4 leaves about "
                            "half of them saturated with one or two points wrong.")
