r"""Chapter 10: orthogonal starts, dynamical isometry and the edge of chaos.

Experiments that put the mean-field theory of `initlab.meanfield` to the test on real,
finite networks (weights N(0, σ_w²/fan_in) or σ_w times a random orthogonal matrix, biases
N(0, σ_b²)):

* `signal_propagation`: the variance q_ℓ and the correlation c_ℓ of two inputs' pre-
  activations, layer by layer, measured on wide random tanh networks and predicted by the
  length and correlation maps (Poole et al. 2016);
* `phase_diagram`: training accuracy after a short budget on a depth × σ_w² grid, against
  the trainable depth 6 ξ_c (Schoenholz et al. 2017);
* `jacobian_spectra`: singular values of the input–output Jacobian at initialisation for
  several activation/initialisation pairs (Saxe et al. 2014; Pennington et al. 2017);
* `recipe_table`: where LeCun, Xavier, He and PyTorch's default sit in the (σ_w², σ_b²)
  plane, with their χ₁ and ξ_c.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .. import _checks, meanfield
from ..data import blobs, standardize
from ..initializers import gain_normal, normal, orthogonal, per_member, zeros
from ..network import MLP
from ..tables import Table
from ..training import train

__all__ = ["SignalPropagation", "signal_propagation", "PhaseDiagram", "phase_diagram",
           "SPECTRUM_SETTINGS", "JacobianSpectra", "jacobian_spectrum", "jacobian_spectra",
           "chi_1_map", "recipe_table", "RECIPES", "input_pairs", "one_network"]


def _weights(kind, sigma_w2):
    """The weight initializer of one setting: "gaussian" N(0, σ_w²/fan_in) or "orthogonal"."""
    gain = float(np.sqrt(sigma_w2))
    if kind == "gaussian":
        return gain_normal(gain)
    if kind == "orthogonal":
        return orthogonal(gain)
    raise ValueError(f"weights must be 'gaussian' or 'orthogonal', got {kind!r}")


def _biases(sigma_b2):
    return zeros if sigma_b2 == 0 else normal(float(np.sqrt(sigma_b2)))


# ----------------------------------------------------------- signal propagation
@dataclass
class SignalPropagation:
    """Measured and predicted pre-activation statistics of random networks.

    Attributes
    ----------
    sigma_w2 : array (S,)
    sigma_b2 : float
    c_input : array (P,)
        Correlations of the P input pairs.
    q_measured : array (depth, S, seeds)
        Mean of z_ℓ² over units and inputs, per layer ℓ, setting and seed.
    c_measured : array (depth, S, seeds, P)
        Correlation of the two inputs' z_ℓ over the units.
    q_predicted : array (depth, S)
    c_predicted : array (depth, S, P)
    q_star : array (S,)
        The length map's fixed point.
    """

    sigma_w2: np.ndarray
    sigma_b2: float
    c_input: np.ndarray
    q_measured: np.ndarray
    c_measured: np.ndarray
    q_predicted: np.ndarray
    c_predicted: np.ndarray
    q_star: np.ndarray


def input_pairs(c_input, dim, seed=0):
    r"""P pairs of inputs of mean square 1 whose cosines are exactly `c_input`.

    Returns X of shape (2P, dim): rows 2p and 2p + 1 form pair p.
    """
    c = _checks.finite_array("c_input", c_input).ravel()
    if c.size == 0 or np.any(np.abs(c) > 1):
        raise ValueError(f"c_input must hold correlations in [-1, 1], got {c_input!r}")
    dim = _checks.positive_int("dim", dim)
    if dim < 2:
        raise ValueError(f"dim must be >= 2 to hold two directions, got {dim}")
    rng = _checks.make_rng(seed)
    rows = []
    for value in c:
        u, v = np.linalg.qr(rng.standard_normal((dim, 2)))[0].T   # orthonormal pair
        rows += [u, value * u + np.sqrt(1 - value ** 2) * v]
    return np.sqrt(dim) * np.array(rows)


def _pair_correlations(z):
    """Cosine of the two inputs of each pair (rows 2p, 2p + 1) over the units: (..., P)."""
    a, b = z[..., 0::2, :], z[..., 1::2, :]
    return (a * b).sum(-1) / np.sqrt((a * a).sum(-1) * (b * b).sum(-1))


def signal_propagation(sigma_w2=(1.0, 1.76, 3.0), sigma_b2=0.05, c_input=(0.2, 0.6, 0.95),
                       depth=20, width=256, seeds=3, activation="tanh", weights="gaussian",
                       seed=0):
    r"""Propagate pairs of inputs through random networks; compare with the mean-field maps.

    All settings and seeds form one population of K = S · seeds networks of `depth` layers
    of `width` units (the input has `width` dimensions too).  `weights` is "gaussian"
    (N(0, σ_w²/fan_in)) or "orthogonal" (σ_w times a random orthogonal matrix); the theory
    is the same for both.

    Returns
    -------
    SignalPropagation
    """
    sw2 = _checks.finite_array("sigma_w2", sigma_w2).ravel()
    seeds = _checks.positive_int("seeds", seeds)
    depth = _checks.positive_int("depth", depth)
    width = _checks.positive_int("width", width)
    sb2 = _checks.non_negative_number("sigma_b2", sigma_b2)
    c_in = _checks.finite_array("c_input", c_input).ravel()
    X = input_pairs(c_in, width, seed=seed)
    gains = np.repeat(np.sqrt(sw2), seeds)
    init = gain_normal(gains) if weights == "gaussian" else \
        per_member(*[_weights(weights, g * g) for g in gains])
    net = MLP([width] * (depth + 1), activation=activation, output=activation,
              weight_init=init, bias_init=_biases(sb2), population=gains.size, seed=seed)
    zs, _ = net.forward_pass(X)
    z = np.stack(zs)                                           # (depth, K, 2P, width)
    shape = (depth, sw2.size, seeds)
    q_measured = (z ** 2).mean(axis=(-2, -1)).reshape(shape)
    c_measured = _pair_correlations(z)
    q_pred = np.empty((depth, sw2.size))
    c_pred = np.empty((depth, sw2.size, c_in.size))
    for s, value in enumerate(sw2):
        q_pred[:, s], c_pred[:, s] = meanfield.propagate(1.0, c_in, depth, value, sb2, activation)
    return SignalPropagation(sw2, sb2, c_in, q_measured, c_measured.reshape(shape + (c_in.size,)),
                             q_pred, c_pred,
                             np.atleast_1d(meanfield.length_fixed_point(sw2, sb2, activation)))


# ---------------------------------------------------------------- phase diagram
@dataclass
class PhaseDiagram:
    """Training accuracy over a depth × σ_w² grid (tanh MLPs), with the theory's bound.

    Attributes
    ----------
    depths : array (D,) — hidden layers
    sigma_w2 : array (S,)
    sigma_b2 : float
    accuracy : array (D, S, seeds)
        Final training accuracy; a diverged run counts as chance.
    chance : float
    xi_c : array (S,)
    trainable_depth : array (S,) — 6 ξ_c
    steps, lr, width, n_samples, classes : the budget and the task
    """

    depths: np.ndarray
    sigma_w2: np.ndarray
    sigma_b2: float
    accuracy: np.ndarray
    chance: float
    xi_c: np.ndarray
    trainable_depth: np.ndarray
    steps: int
    lr: float
    width: int
    n_samples: int
    classes: int

    @property
    def mean_accuracy(self):
        """The accuracy of each cell averaged over seeds, an array of shape (D, S)."""
        return self.accuracy.mean(axis=-1)

    def trained(self, threshold=0.9):
        """(D, S, seeds) bool: runs whose training accuracy reached `threshold`."""
        return self.accuracy >= threshold

    def table(self):
        """The mean training accuracy per cell, depths as rows, σ_w² as columns."""
        headers = ["hidden layers"] + [f"σ_w² = {s:g}" for s in self.sigma_w2]
        rows = [[int(d)] + [f"{a:.2f}" for a in row] for d, row in zip(self.depths, self.mean_accuracy)]
        rows.append(["6 ξ_c"] + [f"{t:.0f}" if np.isfinite(t) else "∞" for t in self.trainable_depth])
        return Table(headers, rows)


def phase_diagram(depths=(4, 8, 16, 32), sigma_w2=(0.5, 1.0, 1.76, 3.0, 5.0), sigma_b2=0.05,
                  seeds=3, width=32, steps=150, lr=0.05, n_samples=64, classes=4, dim=16,
                  seed=0, dtype=np.float32):
    r"""Train tanh MLPs on a depth × σ_w² grid and record the final training accuracy.

    For each depth, all σ_w² values and seeds are one population (full-batch gradient descent
    on the same standardised Gaussian blobs, softmax cross-entropy).  Theory: trainable while
    depth ≲ 6 ξ_c(σ_w², σ_b²) (Schoenholz et al. 2017).

    Returns
    -------
    PhaseDiagram
    """
    depths = np.array([_checks.positive_int("depths[i]", d) for d in depths])
    sw2 = _checks.finite_array("sigma_w2", sigma_w2).ravel()
    sb2 = _checks.non_negative_number("sigma_b2", sigma_b2)
    seeds = _checks.positive_int("seeds", seeds)
    width = _checks.positive_int("width", width)
    classes = _checks.positive_int("classes", classes)
    X, y = blobs(n=n_samples, classes=classes, dim=dim, seed=seed, spread=2.0)
    X = standardize(X)
    gains = np.repeat(np.sqrt(sw2), seeds)
    accuracy = np.empty((depths.size, sw2.size, seeds))
    chance = 1.0 / classes
    for i, depth in enumerate(depths):
        net = MLP([dim] + [width] * int(depth) + [classes], activation="tanh",
                  weight_init=gain_normal(gains), bias_init=_biases(sb2),
                  population=gains.size, seed=seed + 1000 * (i + 1), dtype=dtype)
        history = train(net, X, y, loss="softmax_ce", optimizer="sgd", lr=lr, steps=steps)
        final = np.where(np.asarray(history.diverged), chance, history.accuracy[-1])
        accuracy[i] = np.nan_to_num(final, nan=chance).reshape(sw2.size, seeds)
    xi = np.atleast_1d(meanfield.depth_scale(sw2, sb2))
    return PhaseDiagram(depths, sw2, sb2, accuracy, chance, xi, 6 * xi, steps, lr, width,
                        n_samples, classes)


# ------------------------------------------------------------- Jacobian spectra
#: (label, activation, weights, σ_w², σ_b²) of the spectra compared in the chapter; the
#: tanh critical point is filled in by `jacobian_spectra` from `q_star`.
SPECTRUM_SETTINGS = (
    ("tanh + orthogonal", "tanh", "orthogonal", None, None),
    ("tanh + Gaussian", "tanh", "gaussian", None, None),
    ("ReLU + He Gaussian", "relu", "gaussian", 2.0, 0.0),
    ("ReLU + orthogonal", "relu", "orthogonal", 2.0, 0.0),
    ("linear + orthogonal", "identity", "orthogonal", 1.0, 0.0),
)


@dataclass
class JacobianSpectra:
    """Singular values of input–output Jacobians at initialisation.

    Attributes
    ----------
    labels : list of str (M,)
    sigma_w2, sigma_b2 : arrays (M,)
    singular_values : array (M, seeds, width)
        One input per network, at the fixed point's length.
    spread : array (M, seeds)
        `meanfield.log_spread`: std of log₁₀ s per network.
    mean_square : array (M, seeds)
        Mean of s² per network; theory: χ₁^depth.
    chi_1 : array (M,)
    depth, width : int
    """

    labels: list
    sigma_w2: np.ndarray
    sigma_b2: np.ndarray
    singular_values: np.ndarray
    spread: np.ndarray
    mean_square: np.ndarray
    chi_1: np.ndarray
    depth: int
    width: int


def jacobian_spectrum(activation="tanh", weights="orthogonal", sigma_w2=1.0, sigma_b2=0.0,
                      depth=32, width=128, seeds=5, seed=0):
    r"""Singular values of the input–output Jacobian of `seeds` random networks of one setting.

    Every layer (the last one included) applies `activation`, so the Jacobian is
    ∏ W_ℓ D_ℓ over `depth` layers of `width` units.  Each network sees one input whose first-
    layer pre-activations have the fixed point's variance q* (variance 1 where q* is 0 or
    infinite).

    Returns
    -------
    singular_values : array (seeds, width), largest first
    """
    depth = _checks.positive_int("depth", depth)
    width = _checks.positive_int("width", width)
    seeds = _checks.positive_int("seeds", seeds)
    sw2 = _checks.positive_number("sigma_w2", sigma_w2)
    sb2 = _checks.non_negative_number("sigma_b2", sigma_b2)
    net = _network(activation, weights, sw2, sb2, depth, width, seeds, seed)
    x = _jacobian_input(net, activation, sw2, sb2, seed)
    return meanfield.jacobian_singular_values(net, x)[:, 0]


def _network(activation, weights, sigma_w2, sigma_b2, depth, width, seeds, seed):
    """The `seeds` random networks of one setting that `jacobian_spectrum` measures."""
    return MLP([width] * (depth + 1), activation=activation, output=activation,
               weight_init=_weights(weights, sigma_w2), bias_init=_biases(sigma_b2),
               population=seeds, seed=seed)


def _jacobian_input(net, activation, sigma_w2, sigma_b2, seed):
    """One input per network, (seeds, 1, width), whose first-layer pre-activations have the
    fixed point's variance q* (variance 1 where q* is 0 or infinite)."""
    q = meanfield.length_fixed_point(sigma_w2, sigma_b2, activation)
    q = 1.0 if not np.isfinite(q) or q <= sigma_b2 else q   # ReLU at σ_b² = 0: any length
    direction = np.random.default_rng([seed, 1]).standard_normal((net.population, 1, net.sizes[0]))
    direction /= np.sqrt((direction ** 2).mean(axis=-1, keepdims=True))
    return direction * np.sqrt((q - sigma_b2) / sigma_w2)  # so that q_1 = q*


def one_network(sigma_w2, sigma_b2=0.0, c_input=(0.1, 0.5, 0.9), activation="tanh",
                weights="gaussian", depth=32, width=128, seed=0):
    r"""One random network of one setting, measured twice, for the explorer: the correlation
    of input pairs layer by layer, and the singular values of its input–output Jacobian.

    The network and the numbers are those of `signal_propagation` and `jacobian_spectrum`
    with ``seeds=1`` and the same seed (the tests check it); the network is built once.

    Returns
    -------
    c_measured : array (depth, P)
        Correlation of each input pair's z_ℓ over the units.
    singular_values : array (width,), largest first
    """
    depth = _checks.positive_int("depth", depth)
    width = _checks.positive_int("width", width)
    sw2 = _checks.positive_number("sigma_w2", sigma_w2)
    sb2 = _checks.non_negative_number("sigma_b2", sigma_b2)
    net = _network(activation, weights, sw2, sb2, depth, width, 1, seed)
    zs, _ = net.forward_pass(input_pairs(c_input, width, seed=seed))
    c_measured = _pair_correlations(np.stack(zs))[:, 0]
    x = _jacobian_input(net, activation, sw2, sb2, seed)
    return c_measured, meanfield.jacobian_singular_values(net, x)[0, 0]


def jacobian_spectra(settings=SPECTRUM_SETTINGS, q_star=1 / 64, depth=32, width=128, seeds=5,
                     seed=0):
    r"""`jacobian_spectrum` for each setting, over `seeds` networks each.

    Settings whose σ_w² is None use the tanh critical point with fixed point `q_star`
    (`meanfield.critical_point`).

    Returns
    -------
    JacobianSpectra
    """
    depth = _checks.positive_int("depth", depth)
    width = _checks.positive_int("width", width)
    seeds = _checks.positive_int("seeds", seeds)
    critical = meanfield.critical_point(_checks.positive_number("q_star", q_star))
    labels, sw2s, sb2s, values, chis = [], [], [], [], []
    for m, (label, activation, weights, sw2, sb2) in enumerate(settings):
        if sw2 is None:
            sw2, sb2 = float(critical[0]), float(critical[1])
        values.append(jacobian_spectrum(activation, weights, sw2, sb2, depth, width, seeds,
                                        seed=seed + 7919 * m))
        labels.append(label)
        sw2s.append(sw2)
        sb2s.append(sb2)
        chis.append(meanfield.chi_1(sw2, sb2, activation))
    s = np.stack(values)
    return JacobianSpectra(labels, np.array(sw2s), np.array(sb2s), s, meanfield.log_spread(s),
                           (s ** 2).mean(axis=-1), np.array(chis), depth, width)


# --------------------------------------------------------------- the (σ_w², σ_b²) plane
@lru_cache(maxsize=4)
def _chi_1_map(activation, sw2_max, sb2_max, n):
    sw2 = np.linspace(sw2_max / n, sw2_max, n)
    sb2 = np.linspace(0.0, sb2_max, n)
    chi = meanfield.chi_1(sw2[None, :], sb2[:, None], activation)
    return sw2, sb2, chi


def chi_1_map(activation="tanh", sigma_w2_max=5.0, sigma_b2_max=0.5, n=60):
    r"""χ₁ on an n × n grid of the (σ_w², σ_b²) plane (cached).

    Returns
    -------
    sigma_w2 : array (n,)
    sigma_b2 : array (n,)
    chi_1 : array (n, n), rows σ_b², columns σ_w²; NaN where q* is infinite.
    """
    sw2, sb2, chi = _chi_1_map(str(activation), _checks.positive_number("sigma_w2_max", sigma_w2_max),
                               _checks.positive_number("sigma_b2_max", sigma_b2_max),
                               _checks.positive_int("n", n))
    return sw2.copy(), sb2.copy(), chi.copy()


# ------------------------------------------------------------- the usual recipes
#: (name, σ_w² for square layers, σ_b² as a function of fan_in) of the common recipes.
RECIPES = (
    ("LeCun N(0, 1/fan_in), zero bias", 1.0, lambda n: 0.0),
    ("Xavier/Glorot, zero bias", 1.0, lambda n: 0.0),
    ("He/Kaiming, zero bias", 2.0, lambda n: 0.0),
    # torch.nn.Linear: kaiming_uniform(a=√5) gives U(±1/√fan_in), variance 1/(3 fan_in);
    # its bias is U(±1/√fan_in) too.
    ("PyTorch nn.Linear default", 1.0 / 3.0, lambda n: 1.0 / (3.0 * n)),
)


def recipe_table(fan_in=128):
    r"""Where the common recipes sit for tanh and ReLU layers of `fan_in` inputs.

    Returns
    -------
    table : Table
        Recipe, σ_w², σ_b², and for tanh χ₁, ξ_c and the phase; for ReLU χ₁.
    values : dict name -> dict
        The same numbers, unformatted.
    """
    fan_in = _checks.positive_int("fan_in", fan_in)
    rows, values = [], {}
    for name, sw2, bias in RECIPES:
        sb2 = bias(fan_in)
        chi_tanh = meanfield.chi_1(sw2, sb2, "tanh")
        xi = meanfield.depth_scale(sw2, sb2, "tanh")
        chi_relu = meanfield.chi_1(sw2, sb2, "relu")
        critical = meanfield.critical_sigma_w2(sb2, "tanh")
        phase = ("critical" if abs(chi_tanh - 1) < 1e-3 else
                 "ordered" if chi_tanh < 1 else "chaotic")
        values[name] = dict(sigma_w2=sw2, sigma_b2=sb2, chi_tanh=chi_tanh, xi_tanh=xi,
                            chi_relu=chi_relu, critical_sigma_w2=critical, phase=phase)
        rows.append([name, f"{sw2:.3g}", f"{sb2:.3g}", f"{chi_tanh:.3f}",
                     "∞" if not np.isfinite(xi) else f"{xi:.1f}", phase,
                     "—" if not np.isfinite(chi_relu) else f"{chi_relu:.3f}"])
    headers = ["recipe", "σ_w²", "σ_b²", "χ₁ (tanh)", "ξ_c (tanh)", "tanh phase", "χ₁ (ReLU)"]
    return Table(headers, rows), values
