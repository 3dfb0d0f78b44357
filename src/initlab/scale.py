r"""How large should the initial weights be?  Chapter 5: stay in the linear region.

The variance argument (LeCun et al. 1998, *Efficient BackProp* §4.6).  Unit j of
layer ℓ computes ``z_j = Σ_i a_i W_ij`` (zero bias).  With independent weights of
mean 0 and variance Var w, independent of the activations a_i of the layer below,

    Var z = fan_in · Var w · E[a²].

Choose Var w = 1 / (fan_in · E[a²]) and the pre-activations have unit variance.
What E[a²] is depends on the activation g: for z ~ N(0, 1),

=============  ==============  ============================================
g              E[g(z)²]        so Var w · fan_in =
=============  ==============  ============================================
identity       1               1                  (LeCun)
relu           1/2             2                  (He et al. 2015: "gain √2")
leaky_relu     (1 + α²)/2      2 / (1 + α²)       (He et al. 2015)
tanh           ≈ 0.394         ≈ 2.54 (LeCun and Glorot use 1: tanh'(0) = 1)
=============  ==============  ============================================

This module computes those moments (`gaussian_second_moment`), the gains and
recommended standard deviations (`classic_gain`, `unit_variance_gain`,
`recommended_std`), population initialisers with one scale per member
(`gain_normal`, `per_member`), and the experiments of the chapter
(`depth_profile`, `train_population`, `signal_std_after`), plus the two
"how small?" tables (`recommended_std_table`, `signal_std_table`).
"""

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from . import _checks
from .tables import Table
from .activations import get_activation
from .data import blobs, standardize
from .diagnostics import saturated
from .initializers import Initializer, get_initializer
from .network import MLP
from .training import train

__all__ = [
    "gaussian_second_moment", "predicted_preactivation_variance", "unit_variance_gain",
    "classic_gain", "recommended_std", "nearly_linear", "gain_normal", "per_member",
    "scale_data", "DepthProfile", "depth_profile", "train_population",
    "signal_std_after", "Table", "recommended_std_table", "signal_std_table",
    "TABLE_ACTIVATIONS", "first_step_below",
]

#: The activations of the "how small?" tables.
TABLE_ACTIVATIONS = ("tanh", "lecun_tanh", "sigmoid", "relu", "leaky_relu", "identity")

# Gauss–Hermite nodes for E over z ~ N(0, 1).  An even number of nodes avoids z = 0
# exactly, where ReLU's derivative is a convention.
_NODES, _WEIGHTS = np.polynomial.hermite_e.hermegauss(200)
_WEIGHTS = _WEIGHTS / _WEIGHTS.sum()


def gaussian_second_moment(activation, variance=1.0, derivative=False):
    r"""E[g(z)²] (or E[g'(z)²] with ``derivative=True``) for z ~ N(0, `variance`).

    Computed by Gauss–Hermite quadrature (200 nodes): exact to ~1e-12 for the
    smooth activations, to ~1e-3 for the kinked ones (relu, leaky_relu).

    Examples: relu → variance / 2 (half of the z are zeroed); identity → variance.
    """
    g = get_activation(activation)
    variance = _checks.non_negative_number("variance", variance)
    z = np.sqrt(variance) * _NODES
    values = g.derivative(z) if derivative else g(z)
    return float(np.sum(_WEIGHTS * values * values))


def predicted_preactivation_variance(fan_in, weight_std, second_moment):
    r"""Var z = fan_in · Var w · E[a²]: the variance of a pre-activation whose
    `fan_in` inputs have second moment E[a²] = `second_moment` and whose weights
    are independent with mean 0 and standard deviation `weight_std`.

    Works elementwise on arrays.
    """
    fan_in = np.asarray(fan_in, dtype=float)
    weight_std = np.asarray(weight_std, dtype=float)
    second_moment = np.asarray(second_moment, dtype=float)
    for name, value in (("fan_in", fan_in), ("weight_std", weight_std),
                        ("second_moment", second_moment)):
        if not np.all(np.isfinite(value)) or np.any(value < 0):
            raise ValueError(f"{name} must be finite and >= 0, got {value!r}")
    return fan_in * weight_std ** 2 * second_moment


def unit_variance_gain(activation):
    r"""The gain c such that weights of standard deviation c / √fan_in map
    unit-variance pre-activations z_ℓ to unit-variance z_{ℓ+1}:
    c = 1 / √E[g(z)²], z ~ N(0, 1).  relu → √2, identity → 1, tanh → ≈ 1.59.
    """
    return float(1.0 / np.sqrt(gaussian_second_moment(activation)))


# (gain, rule, source) of the rule that practice uses for each activation; weights
# have standard deviation gain / √fan_in (Glorot's fan average equals this when
# fan_in = fan_out).
_CLASSIC = {
    "identity": (1.0, "LeCun", "lecun1998efficient"),
    "tanh": (1.0, "LeCun, Xavier", "glorot2010understanding"),
    "lecun_tanh": (1.0, "LeCun", "lecun1998efficient"),
    "sigmoid": (1.0, "LeCun, Xavier", "glorot2010understanding"),
    "relu": (np.sqrt(2.0), "He", "he2015delving"),
}


def classic_gain(activation):
    r"""(gain, rule) of the usual rule for `activation`: weights of standard
    deviation gain / √fan_in.

    identity, tanh, lecun_tanh, sigmoid: gain 1 (LeCun 1998; Xavier/Glorot 2010
    for square layers).  relu: √2 (He 2015).  leaky_relu with slope α:
    √(2 / (1 + α²)) (He 2015).
    """
    g = get_activation(activation)
    name = g.name
    if name.startswith("leaky_relu"):
        alpha = g.slope
        return float(np.sqrt(2.0 / (1.0 + alpha ** 2))), f"He, α = {alpha:g}"
    if name.startswith("relu"):
        name = "relu"
    if name not in _CLASSIC:
        raise ValueError(f"no classic rule for activation {name!r}; allowed: "
                         f"{', '.join(TABLE_ACTIVATIONS)}")
    gain, rule, _ = _CLASSIC[name]
    return float(gain), rule


def recommended_std(activation, fan_in, rule="classic"):
    r"""Recommended standard deviation of the weights, gain / √fan_in.

    Parameters
    ----------
    activation : str or Activation
    fan_in : int or array of int
    rule : {"classic", "unit_variance"}
        "classic": the gain of `classic_gain`; "unit_variance": the gain of
        `unit_variance_gain` (keeps Var z = 1 exactly, layer after layer).
    """
    rules = ("classic", "unit_variance")
    if rule not in rules:
        raise _checks.unknown_name("rule", rule, rules)
    fan_in = np.asarray(fan_in)
    if fan_in.dtype.kind not in "iu" or np.any(fan_in < 1):
        raise ValueError(f"fan_in must be a positive integer (or an array of them), got {fan_in!r}")
    gain = classic_gain(activation)[0] if rule == "classic" else unit_variance_gain(activation)
    std = gain / np.sqrt(fan_in)
    return float(std) if std.ndim == 0 else std


def nearly_linear(activation, z, min_slope=0.5):
    r"""Mask of the pre-activations z where g is in its nearly linear region:
    g'(z) ≥ `min_slope` · max(g'(0), g'(0⁺)).

    For lecun_tanh (g'(z) = 1.1439 sech²(2z/3)) and min_slope 0.5 that is
    |z| ≤ 1.32; for relu it is z > 0.
    """
    g = get_activation(activation)
    min_slope = _checks.non_negative_number("min_slope", min_slope)
    if min_slope > 1:
        raise ValueError(f"min_slope must be in [0, 1] (a fraction of the slope at 0), got {min_slope}")
    z = np.asarray(z, dtype=float)
    reference = max(abs(g.derivative_at_zero), float(abs(g.derivative(np.array(1e-12)))))
    return np.abs(g.derivative(z)) >= min_slope * reference


# ----------------------------------------------------------------- initialisers
def gain_normal(gain):
    r"""Initialiser N(0, gain² / fan_in); a sequence of K gains gives member k of a
    population (shape (K, fan_in, fan_out)) the gain ``gain[k]``.

    gain 1 is LeCun's rule, √2 is He's; a log-spaced sequence of gains sweeps the
    scale across a population in one draw.
    """
    gains = np.atleast_1d(np.asarray(gain, dtype=float))
    if gains.ndim != 1 or gains.size == 0 or not np.all(np.isfinite(gains)) or np.any(gains < 0):
        raise ValueError(f"gain must be a number >= 0 or a 1-D sequence of them, got {gain!r}")
    scalar = np.ndim(gain) == 0

    def draw(shape, rng):
        fan_in = shape[-2]
        if scalar:
            return gains[0] / np.sqrt(fan_in) * rng.standard_normal(shape)
        if len(shape) != 3 or shape[0] != gains.size:
            raise ValueError(f"gain_normal has {gains.size} gains but the weight shape is {shape}; "
                             f"use it on a population of K = {gains.size} networks")
        return gains[:, None, None] / np.sqrt(fan_in) * rng.standard_normal(shape)

    label = f"{gains[0]:g}" if scalar else ", ".join(f"{g:g}" for g in gains)
    return Initializer(f"gain_normal({label})", draw, True, f"N(0, gain²/fan_in), gain = {label}.")


def per_member(*initializers):
    r"""A population initialiser: member k of (K, fan_in, fan_out) is drawn by
    ``initializers[k]`` (names such as "glorot_normal" or callables).

    Lets one population compare rules, e.g. ``per_member("glorot_normal", "he_normal")``.
    """
    if not initializers:
        raise ValueError("per_member needs at least one initializer, e.g. per_member('glorot_normal', 'he_normal')")
    inits = [get_initializer(i) for i in initializers]

    def draw(shape, rng):
        if len(shape) != 3 or shape[0] != len(inits):
            raise ValueError(f"per_member has {len(inits)} initializers but the weight shape is "
                             f"{shape}; use it on a population of K = {len(inits)} networks")
        return np.stack([init(shape[1:], rng) for init in inits])

    names = ", ".join(getattr(i, "name", repr(i)) for i in inits)
    return Initializer(f"per_member({names})", draw, True, f"Member k drawn by: {names}.")


# -------------------------------------------------------------------- experiments
def scale_data(n=256, classes=10, dim=16, seed=0):
    """Standardised Gaussian blobs (LeCun's normalised inputs): X (n, dim), labels y (n,)."""
    X, y = blobs(n=n, classes=classes, dim=dim, seed=seed)
    return standardize(X), y


@dataclass
class DepthProfile:
    """Per-layer statistics of a population of K networks that differ in scale.

    Attributes
    ----------
    activation : str
    gains : array (K,)
    a_std, delta_std, saturated : arrays (depth, K)
        For the hidden layers ℓ = 1..depth: std of a_ℓ, std of delta_ℓ = dLoss/dz_ℓ
        (over samples and units) and the saturated fraction (`initlab.saturated`).
    a, delta : lists of `depth` arrays (K, N, width)
        The raw activations and deltas, for histograms.
    """

    activation: str
    gains: np.ndarray
    a_std: np.ndarray
    delta_std: np.ndarray
    saturated: np.ndarray
    a: list
    delta: list


def _depth_sizes(depth, width, dim, classes):
    depth = _checks.positive_int("depth", depth)
    width = _checks.positive_int("width", width)
    return [dim] + [width] * depth + [classes]


def depth_profile(activation, gains, depth=20, width=128, n_samples=256, classes=10, dim=16,
                  seed=0, dtype=np.float64):
    r"""Forward and backward pass at initialisation through `depth` hidden layers.

    A population of K = len(gains) networks ``[dim, width × depth, classes]``,
    member k with weights N(0, gains[k]² / fan_in) and zero biases, on
    `scale_data` with a softmax cross-entropy loss.  The statistics are those of
    `initlab.layer_statistics` (which the tests check), without the weight
    gradients, so that the explorer stays fast.

    Returns
    -------
    DepthProfile
    """
    gains = np.atleast_1d(np.asarray(gains, dtype=float))
    sizes = _depth_sizes(depth, width, dim, classes)
    n_samples = _checks.positive_int("n_samples", n_samples)
    X, y = scale_data(n_samples, classes, dim, seed)
    net = MLP(sizes, activation=activation, weight_init=gain_normal(list(gains)),
              population=len(gains), seed=seed, dtype=dtype)
    with np.errstate(all="ignore"):  # a too-large scale may overflow: an outcome, not an error
        # Deltas only: the weight gradients are not needed here and would slow the explorer.
        _, grads = net.loss_and_gradients(X.astype(dtype), y, "softmax_ce", weight_gradients=False)
        zs, activations, deltas = grads.zs, grads.activations, grads.deltas
        hidden = range(net.L - 1)
        a = [activations[l + 1] for l in hidden]
        return DepthProfile(
            activation=net.activation.name, gains=gains,
            a_std=np.array([x.std(axis=(-2, -1), dtype=np.float64) for x in a]),
            delta_std=np.array([deltas[l].std(axis=(-2, -1), dtype=np.float64) for l in hidden]),
            saturated=np.array([saturated(net.activation, zs[l], activations[l + 1]).mean(axis=(-2, -1))
                                for l in hidden]),
            a=a, delta=[deltas[l] for l in hidden])


def train_population(activation, weight_init, population, depth=30, width=32, steps=1000,
                     lr=0.005, batch_size=32, n_samples=128, classes=10, dim=16, seed=0,
                     dtype=np.float64):
    r"""Train K = `population` deep networks at once (same data, same batches, SGD).

    `weight_init` is a population initialiser such as
    ``per_member("glorot_normal", "he_normal")`` or ``gain_normal([0.1, 1, 10])``.

    Returns
    -------
    history : History
        loss and accuracy on the training set, shapes (steps + 1, K).
    init_a_std : array (depth, K)
        Std of each hidden layer's activations at initialisation.
    """
    population = _checks.positive_int("population", population)
    sizes = _depth_sizes(depth, width, dim, classes)
    X, y = scale_data(_checks.positive_int("n_samples", n_samples), classes, dim, seed)
    X = X.astype(dtype)
    net = MLP(sizes, activation=activation, weight_init=weight_init, population=population,
              seed=seed, dtype=dtype)
    _, activations = net.forward_pass(X)
    init_a_std = np.array([a.std(axis=(-2, -1)) for a in activations[1:-1]])
    history = train(net, X, y, loss="softmax_ce", optimizer="sgd", lr=lr, steps=steps,
                    batch_size=batch_size, seed=seed)
    return history, init_a_std


@lru_cache(maxsize=2)
def _standard_weights(fan_in, depth, seed):
    """`depth` standard-normal (fan_in, fan_in) matrices, cached: the tables reuse one
    draw for every activation and scale (common random numbers)."""
    rng = np.random.default_rng(seed)
    weights = tuple(rng.standard_normal((fan_in, fan_in)) for _ in range(depth))
    for W in weights:
        W.flags.writeable = False
    return weights


def signal_std_after(activation, fan_in, stds, depth=20, values=8192, seed=0):
    r"""Std of the activations a_depth after `depth` layers of width `fan_in`.

    Inputs are N(0, 1) (normalised), all layers are square (fan_in = fan_out)
    with zero biases: z_ℓ = a_{ℓ−1} @ W_ℓ, a_ℓ = g(z_ℓ), the forward pass of
    `MLP`.  Member k of the population uses W_ℓ = stds[k] · V_ℓ with the same
    standard-normal V_ℓ for every k (and every activation, for a given `seed`),
    so the members differ only in scale.  N = max(8, values // fan_in)
    samples, so each std is taken over about `values` numbers; float64, so tiny
    signals do not underflow.

    Returns
    -------
    array (K,)
    """
    g = get_activation(activation)
    fan_in = _checks.positive_int("fan_in", fan_in)
    stds = np.atleast_1d(np.asarray(stds, dtype=float))
    if stds.ndim != 1 or not np.all(np.isfinite(stds)) or np.any(stds < 0):
        raise ValueError(f"stds must be numbers >= 0, got {stds!r}")
    depth = _checks.positive_int("depth", depth)
    values = _checks.positive_int("values", values)
    rng = _checks.make_rng(seed)
    n = max(8, values // fan_in)
    a = np.broadcast_to(rng.standard_normal((n, fan_in)), (len(stds), n, fan_in))
    scale = stds[:, None, None]
    with np.errstate(all="ignore"):
        for V in _standard_weights(fan_in, depth, int(seed)):
            a = g((a @ V) * scale)
    return a.std(axis=(-2, -1))


def _check_fan_ins(fan_ins):
    fan_ins = [_checks.positive_int("fan_ins entry", f) for f in fan_ins]
    if not fan_ins:
        raise ValueError("fan_ins must list at least one fan-in, e.g. (16, 64, 256, 1024)")
    return fan_ins


def recommended_std_table(activations=TABLE_ACTIVATIONS, fan_ins=(16, 64, 256, 1024)):
    """Table: per activation, the rule, E[g(z)²], the classic and unit-variance
    gains, and the recommended (classic) standard deviation at each fan-in."""
    fan_ins = _check_fan_ins(fan_ins)
    rows = []
    for activation in activations:
        gain, rule = classic_gain(activation)
        rows.append([get_activation(activation).name, rule,
                     gaussian_second_moment(activation), gain, unit_variance_gain(activation)]
                    + [gain / np.sqrt(f) for f in fan_ins])
    headers = (["activation", "rule", "E[g(z)²]", "gain", "unit-var. gain"]
               + [f"fan-in {f}" for f in fan_ins])
    return Table(headers, rows, caption="Gains, and the recommended standard deviation "
                                        "gain / √fan_in at each fan-in")


def signal_std_table(activations=TABLE_ACTIVATIONS, fan_ins=(16, 64, 256, 1024),
                     magic=(0.1, 0.01), depth=20, values=4096, seed=0):
    """Std of the signal after `depth` square layers for the classic rule and for
    fixed "magic" standard deviations, at each fan-in (`signal_std_after`, each std
    over about `values` numbers).

    Returns
    -------
    table : Table
        One row per (activation, choice).
    results : dict
        ``results[(activation, choice)]`` = array over `fan_ins`; choice is "rule"
        or the magic number.
    """
    fan_ins = _check_fan_ins(fan_ins)
    magic = [_checks.positive_number("magic entry", m) for m in magic]
    results = {}
    for activation in activations:
        name = get_activation(activation).name
        per_fan = []
        for f in fan_ins:
            stds = [recommended_std(activation, f)] + magic
            per_fan.append(signal_std_after(activation, f, stds, depth=depth, values=values,
                                            seed=seed))
        per_fan = np.array(per_fan)  # (fan_ins, 1 + len(magic))
        results[(name, "rule")] = per_fan[:, 0]
        for i, m in enumerate(magic):
            results[(name, m)] = per_fan[:, 1 + i]
    rows = [[name, "rule" if choice == "rule" else f"std {choice:g}"] + list(v)
            for (name, choice), v in results.items()]
    headers = ["activation", "weights"] + [f"fan-in {f}" for f in fan_ins]
    return Table(headers, rows, fmt=".2g",
                 caption=f"Std of the activations after {depth} layers (inputs of std 1)"), results


def first_step_below(loss, threshold):
    r"""First step t at which ``loss[t] < threshold``, per member; −1 where never.

    Parameters
    ----------
    loss : array (steps + 1,) or (steps + 1, K), as `History.loss`
    threshold : float

    Returns
    -------
    int, or int array (K,)
    """
    loss = np.asarray(loss, dtype=float)
    if loss.ndim not in (1, 2) or loss.shape[0] == 0:
        raise ValueError(f"loss must have shape (steps + 1,) or (steps + 1, K), got {loss.shape}")
    threshold = float(threshold)
    below = loss < threshold  # NaN (diverged) counts as never
    steps = np.where(below.any(axis=0), np.argmax(below, axis=0), -1)
    return int(steps) if steps.ndim == 0 else steps
