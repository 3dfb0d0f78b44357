"""Chapter 10's explorer: order, chaos and the Jacobian's spectrum at initialisation.

Controls: σ_w², σ_b², activation, depth and the kind of weights (Gaussian or orthogonal).
The view shows (1) the correlation of two inputs layer by layer, predicted by the mean-field
correlation map and measured on one random network, (2) the singular values of that
network's input–output Jacobian, and (3) where the setting sits in the (σ_w², σ_b²) plane,
on a map of χ₁ with the order-to-chaos line χ₁ = 1.
"""

from __future__ import annotations

import numpy as np

from .. import meanfield, plots
from ..experiments.isometry import chi_1_map, one_network
from .explorer import Explorer

__all__ = ["phase_of", "isometry_view", "isometry_explorer"]

#: Input-pair correlations drawn in the explorer.
C_INPUT = (0.1, 0.5, 0.9)


def phase_of(chi_1: float, tolerance: float = 0.01) -> str:
    """"ordered", "critical" or "chaotic" for a value of χ₁ (NaN: "exploding")."""
    if not np.isfinite(chi_1):
        return "exploding"
    if abs(chi_1 - 1.0) <= tolerance:
        return "critical"
    return "ordered" if chi_1 < 1.0 else "chaotic"


def _finding(activation, sigma_w2, sigma_b2, chi, q_star, spread):
    """The title: the phase and what it does to correlations, then the Jacobian's spread.
    ξ_c and c* are computed only for the phase whose sentence quotes them."""
    phase = phase_of(chi)
    with np.errstate(all="ignore"):
        if q_star == 0 and phase == "ordered":
            head = (f"Vanishing signal (q* = 0): correlations kept, gradients shrink "
                    f"×{chi:.2f} per layer")
        elif phase == "exploding":
            head = f"{activation}: no fixed point, the signal grows without bound"
        elif phase == "ordered":
            xi = meanfield.depth_scale(sigma_w2, sigma_b2, activation)
            head = f"Ordered (χ₁ = {chi:.2f}): inputs merge within ξ_c ≈ {xi:.1f} layers"
        elif phase == "chaotic":
            # 24 halvings: c* to 1e-7, plenty for two decimals (60 by default).
            c_star = meanfield.correlation_fixed_point(sigma_w2, sigma_b2, activation,
                                                       iterations=24)
            head = f"Chaotic (χ₁ = {chi:.2f}): inputs decorrelate towards c* = {c_star:.2f}"
        else:
            head = f"Critical (χ₁ = {chi:.3f}): correlations persist"
    return f"{head};\nJacobian spread {spread:.2f} decades (std of log₁₀ s)"


def _isometry_figure():
    """The explorer's empty figure and the artists that `isometry_view` fills: built once,
    then updated in place (the χ₁ map is redrawn only when the activation changes)."""
    from matplotlib.ticker import MaxNLocator

    fig, (ax_c, ax_s, ax_p) = plots.figure("(finding)\n", alt="(filled in by isometry_view)",
                                           ncols=3, width=11.0, height=3.8)
    # Fixed margins instead of the constrained layout, which took most of the redraw time.
    fig.set_layout_engine(None)
    fig.subplots_adjust(left=0.06, right=0.985, bottom=0.14, top=0.78, wspace=0.3)
    # Few tick labels (text is most of the cost) and axis labels at fixed places, so that no
    # draw measures the tick labels to place them (the places are those matplotlib chose).
    for ax, y_label_x in zip((ax_c, ax_s, ax_p), (-0.155, -0.135, -0.165)):
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.yaxis.set_major_locator(MaxNLocator(4))
        ax.xaxis.set_label_coords(0.5, -0.114)
        ax.yaxis.set_label_coords(y_label_x, 0.5)
    ax_c.xaxis.set_major_locator(MaxNLocator(4, integer=True))
    theory = [ax_c.plot([1, 2], [0, 0], color=plots.color(i), label=f"c₀ = {c0:g}")[0]
              for i, c0 in enumerate(C_INPUT)]
    measured = [ax_c.plot([1, 2], [0, 0], "o", ms=3, color=plots.color(i), alpha=0.6)[0]
                for i in range(len(C_INPUT))]
    ax_c.set_ylim(-0.05, 1.05)
    ax_c.set_yticks([0, 0.5, 1])
    ax_c.set_xlabel("layer ℓ")
    ax_c.set_ylabel("correlation c_ℓ of two inputs")
    ax_c.set_title("lines: theory, dots: one network", fontsize=9, y=1.0)
    ax_c.legend(fontsize=7, loc="lower right")
    spectrum = ax_s.stairs([0], [0, 1], fill=True, color=plots.color(2))
    ax_s.axvline(0, color="gray", ls=":", lw=1)
    ax_s.set_xlabel("log₁₀ singular value of ∂a_L/∂x")
    ax_s.set_ylabel("count")
    ax_s.set_title("(weights)", fontsize=9, y=1.0)
    star, = ax_p.plot([1], [0], "*", ms=13, color=plots.color(6), mec="black", zorder=3,
                      clip_on=False)   # whole at σ_b² = 0 too
    ax_p.set_xticks([1, 2, 3, 4, 5])
    ax_p.set_yticks([0, 0.25, 0.5])
    ax_p.set_xlabel("σ_w²")
    ax_p.set_ylabel("σ_b²")
    ax_p.set_title("purple: ordered, orange: chaotic; black: χ₁ = 1", fontsize=9, y=1.0)
    fig.initlab_isometry_parts = {"theory": theory, "measured": measured, "spectrum": spectrum,
                                  "star": star, "activation": None, "map": []}
    return fig


def _draw_chi_map(ax, activation):
    """The χ₁ map of `activation` (log colour scale) and its order-to-chaos line χ₁ = 1."""
    sw2_grid, sb2_grid, chi_map = chi_1_map(activation)
    with np.errstate(all="ignore"):
        artists = [ax.imshow(np.log(chi_map), origin="lower", aspect="auto", cmap="PuOr_r",
                             vmin=-1.0, vmax=1.0, interpolation="nearest",
                             extent=(sw2_grid[0], sw2_grid[-1], sb2_grid[0], sb2_grid[-1]))]
    if np.isfinite(chi_map).any():
        artists.append(ax.contour(sw2_grid, sb2_grid, chi_map, levels=[1.0], colors="black",
                                  linewidths=1.2))
    return artists


def isometry_view(sigma_w2: float = 1.76, sigma_b2: float = 0.05, activation: str = "tanh",
                  depth: int = 32, weights: str = "gaussian", width: int = 128, seed: int = 0,
                  fig=None):
    """The explorer's figure for one setting.

    Parameters
    ----------
    sigma_w2, sigma_b2 : float
        Weights N(0, σ_w²/fan_in) (or σ_w times an orthogonal matrix), biases N(0, σ_b²).
    activation : str
        "tanh" or "relu" (any initlab activation works).
    depth : int
        Layers.
    weights : str
        "gaussian" or "orthogonal".
    width : int
        Units per layer of the simulated network (one network: its input pairs' correlations
        and its Jacobian are both measured).
    fig : Figure, optional
        A figure this function returned before: it is updated in place (the explorer passes
        it), else a new one is made. The image is the same either way.
    """
    chi = meanfield.chi_1(sigma_w2, sigma_b2, activation)
    q_star = meanfield.length_fixed_point(sigma_w2, sigma_b2, activation)
    with np.errstate(all="ignore"):
        c_measured, s = one_network(sigma_w2, sigma_b2, C_INPUT, activation, weights,
                                    depth=depth, width=width, seed=seed)
        _, c_predicted = meanfield.propagate(1.0, C_INPUT, depth, sigma_w2, sigma_b2, activation)
    spread = meanfield.log_spread(s)
    parts = getattr(fig, "initlab_isometry_parts", None)
    if parts is None:
        fig = _isometry_figure()
        parts = fig.initlab_isometry_parts
    ax_c, ax_s, ax_p = fig.axes
    plots.set_title(fig, _finding(activation, sigma_w2, sigma_b2, chi, q_star, spread))
    fig.initlab_alt = (
        f"For {depth} {activation} layers with {weights} weights, σ_w² = {sigma_w2:.3g} and "
        f"σ_b² = {sigma_b2:.3g}: the correlation of input pairs starting at "
        f"{', '.join(f'{c:g}' for c in C_INPUT)} ends, predicted, at "
        f"{', '.join(f'{c:.2f}' for c in c_predicted[-1])} after {depth} layers; the "
        f"Jacobian's singular values span {spread:.2f} decades (std of log10); the point "
        f"sits in the {phase_of(chi)} phase of the χ₁ map.")
    layers = np.arange(1, depth + 1)
    for i, (line, dots) in enumerate(zip(parts["theory"], parts["measured"])):
        line.set_data(layers, c_predicted[:, i])
        dots.set_data(layers, c_measured[:, i])
    ax_c.set_xlim(1 - 0.05 * depth, depth * 1.05)
    finite = s[s > 0]
    logs = np.log10(np.maximum(s, s.max() * 1e-12)) if finite.size else np.zeros_like(s)
    lo = min(-1.0, float(np.floor(logs.min())))
    hi = max(1.0, float(np.ceil(logs.max())))
    counts, edges = np.histogram(logs, bins=np.linspace(lo, hi, 41))
    parts["spectrum"].set_data(counts, edges)
    ax_s.set_xlim(lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo))
    ax_s.set_ylim(0, 1.05 * counts.max())
    ax_s.title.set_text(f"{weights} weights, width {width}")
    if parts["activation"] != activation:
        for artist in parts["map"]:
            artist.remove()
        parts["map"], parts["activation"] = _draw_chi_map(ax_p, activation), activation
    parts["star"].set_data([sigma_w2], [sigma_b2])
    return fig


def isometry_explorer() -> Explorer:
    """σ_w², σ_b², activation, depth and weights → correlations, spectrum and phase."""
    import ipywidgets

    controls = {
        "sigma_w2": ipywidgets.FloatSlider(value=1.76, min=0.2, max=5.0, step=0.01,
                                           description="σ_w²", readout_format=".2f"),
        "sigma_b2": ipywidgets.FloatSlider(value=0.05, min=0.0, max=0.5, step=0.01,
                                           description="σ_b²", readout_format=".2f"),
        "activation": ipywidgets.Dropdown(options=["tanh", "relu"], value="tanh",
                                          description="activation"),
        "depth": ipywidgets.IntSlider(value=32, min=2, max=64, description="depth"),
        "weights": ipywidgets.Dropdown(options=["gaussian", "orthogonal"], value="gaussian",
                                       description="weights"),
    }
    return Explorer(isometry_view, controls,
                    grid={"sigma_w2": [1.0, 1.76, 3.0]},
                    caption="tanh, σ_b² = 0.05, Gaussian weights: at σ_w² = 1 all inputs merge, "
                            "at 3 they decorrelate, at 1.76 (the edge of chaos) correlations "
                            "survive 32 layers. Live, try orthogonal weights with σ_b² near 0.")
