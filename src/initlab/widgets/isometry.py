"""Chapter 10's explorer: order, chaos and the Jacobian's spectrum at initialisation.

Controls: σ_w², σ_b², activation, depth and the kind of weights (Gaussian or orthogonal).
The view shows (1) the correlation of two inputs layer by layer, predicted by the mean-field
correlation map and measured on one random network, (2) the singular values of that kind of
network's input–output Jacobian, and (3) where the setting sits in the (σ_w², σ_b²) plane,
on a map of χ₁ with the order-to-chaos line χ₁ = 1.
"""

from __future__ import annotations

import numpy as np

from .. import meanfield, plots
from ..experiments.isometry import chi_1_map, jacobian_spectrum, signal_propagation
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


def _finding(activation, chi, xi, c_star, spread, q_star):
    phase = phase_of(chi)
    if q_star == 0 and phase == "ordered":
        head = (f"Vanishing signal (q* = 0): correlations kept, gradients shrink "
                f"×{chi:.2f} per layer")
    elif phase == "exploding":
        head = f"{activation}: no fixed point, the signal grows without bound"
    elif phase == "ordered":
        head = f"Ordered (χ₁ = {chi:.2f}): inputs merge within ξ_c ≈ {xi:.1f} layers"
    elif phase == "chaotic":
        head = f"Chaotic (χ₁ = {chi:.2f}): inputs decorrelate towards c* = {c_star:.2f}"
    else:
        head = f"Critical (χ₁ = {chi:.3f}): correlations persist"
    return f"{head};\nJacobian spread {spread:.2f} decades (std of log₁₀ s)"


def isometry_view(sigma_w2: float = 1.76, sigma_b2: float = 0.05, activation: str = "tanh",
                  depth: int = 32, weights: str = "gaussian", width: int = 128, seed: int = 0):
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
        Units per layer of the simulated networks.
    """
    chi = meanfield.chi_1(sigma_w2, sigma_b2, activation)
    q_star = meanfield.length_fixed_point(sigma_w2, sigma_b2, activation)
    with np.errstate(all="ignore"):
        xi = meanfield.depth_scale(sigma_w2, sigma_b2, activation)
        c_star = meanfield.correlation_fixed_point(sigma_w2, sigma_b2, activation)
    with np.errstate(all="ignore"):
        run = signal_propagation([sigma_w2], sigma_b2, C_INPUT, depth=depth, width=width,
                                 seeds=1, activation=activation, weights=weights, seed=seed)
        s = jacobian_spectrum(activation, weights, sigma_w2, sigma_b2, depth=depth,
                              width=width, seeds=1, seed=seed)[0]
    spread = meanfield.log_spread(s)
    title = _finding(activation, chi, xi, c_star, spread, q_star)
    alt = (f"For {depth} {activation} layers with {weights} weights, σ_w² = {sigma_w2:.3g} and "
           f"σ_b² = {sigma_b2:.3g}: the correlation of input pairs starting at "
           f"{', '.join(f'{c:g}' for c in C_INPUT)} ends, predicted, at "
           f"{', '.join(f'{c:.2f}' for c in run.c_predicted[-1, 0])} after {depth} layers; the "
           f"Jacobian's singular values span {spread:.2f} decades (std of log10); the point "
           f"sits in the {phase_of(chi)} phase of the χ₁ map.")
    fig, (ax_c, ax_s, ax_p) = plots.figure(title, alt=alt, ncols=3, width=11.0, height=3.8)
    # Fixed margins instead of the constrained layout, which took most of the redraw time.
    fig.set_layout_engine("none")
    ax_c.get_gridspec().update(left=0.06, right=0.985, bottom=0.14, top=0.78, wspace=0.3)
    for ax in (ax_c, ax_s, ax_p):
        ax.set_position(ax.get_subplotspec().get_position(fig))
    layers = np.arange(1, depth + 1)
    for i, c0 in enumerate(C_INPUT):
        ax_c.plot(layers, run.c_predicted[:, 0, i], color=plots.color(i), label=f"c₀ = {c0:g}")
        ax_c.plot(layers, run.c_measured[:, 0, 0, i], "o", ms=3, color=plots.color(i), alpha=0.6)
    ax_c.set_ylim(-0.05, 1.05)
    ax_c.set_xlabel("layer ℓ")
    ax_c.set_ylabel("correlation c_ℓ of two inputs")
    ax_c.set_title("lines: theory, dots: one network", fontsize=9)
    ax_c.legend(fontsize=7, loc="lower right")
    finite = s[s > 0]
    logs = np.log10(np.maximum(s, s.max() * 1e-12)) if finite.size else np.zeros_like(s)
    lo = min(-1.0, float(np.floor(logs.min())))
    hi = max(1.0, float(np.ceil(logs.max())))
    counts, edges = np.histogram(logs, bins=np.linspace(lo, hi, 41))
    ax_s.stairs(counts, edges, fill=True, color=plots.color(2))
    ax_s.axvline(0, color="gray", ls=":", lw=1)
    ax_s.set_xlabel("log₁₀ singular value of ∂a_L/∂x")
    ax_s.set_ylabel("count")
    ax_s.set_title(f"{weights} weights, width {width}", fontsize=9)
    sw2_grid, sb2_grid, chi_map = chi_1_map(activation)
    with np.errstate(all="ignore"):
        ax_p.imshow(np.log(chi_map), origin="lower", aspect="auto", cmap="PuOr_r",
                            vmin=-1.0, vmax=1.0, interpolation="nearest",
                            extent=(sw2_grid[0], sw2_grid[-1], sb2_grid[0], sb2_grid[-1]))
    if np.isfinite(chi_map).any():
        ax_p.contour(sw2_grid, sb2_grid, chi_map, levels=[1.0], colors="black", linewidths=1.2)
    ax_p.plot([sigma_w2], [sigma_b2], "*", ms=13, color=plots.color(6), mec="black")
    ax_p.set_xlabel("σ_w²")
    ax_p.set_ylabel("σ_b²")
    ax_p.set_title("purple: ordered, orange: chaotic; black: χ₁ = 1", fontsize=9)
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
