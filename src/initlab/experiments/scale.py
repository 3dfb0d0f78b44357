r"""How large should the initial weights be?  Chapter 5: stay in the linear region.

The variance argument (LeCun et al. 1998, *Efficient BackProp* §4.6).  Unit j of
layer ℓ computes ``z_j = Σ_i a_i W_ij`` (zero bias).  With independent weights of
mean 0 and variance Var w, independent of the activations a_i of the layer below,

    Var z = fan_in · Var w · E[a²].

Choose Var w = 1 / (fan_in · E[a²]) and the pre-activations have unit variance; the
table of E[g(z)²] and the resulting gains per activation is in `initlab.variance`.

The moments and gains live in the core (`initlab.variance`), the population
initialisers with one scale per member in `initlab.initializers` (`gain_normal`,
`per_member`).  This module holds the experiments of the chapter (`depth_profile`,
`train_population`, `signal_std_after`) and the two "how small?" tables
(`recommended_std_table`, `signal_std_table`).
"""

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .. import _checks
from ..activations import get_activation
from ..data import scale_data
from ..diagnostics import saturated
from ..initializers import gain_normal
from ..network import MLP
from ..tables import Table
from ..training import train
from ..variance import classic_gain, gaussian_second_moment, recommended_std, unit_variance_gain

__all__ = [
    "DepthProfile", "depth_profile", "train_population", "signal_std_after",
    "recommended_std_table", "signal_std_table", "TABLE_ACTIVATIONS",
]

#: The activations of the "how small?" tables.
TABLE_ACTIVATIONS = ("tanh", "lecun_tanh", "sigmoid", "relu", "leaky_relu", "identity")

@dataclass
class DepthProfile:
    """Per-layer statistics of a population of K networks that differ in scale.

    Attributes
    ----------
    activation : str
    gains : array (K,)
    a_std, delta_std, saturated : arrays (hidden_layers, K)
        For the hidden layers ℓ = 1..hidden_layers: std of a_ℓ, std of delta_ℓ = dLoss/dz_ℓ
        (over samples and units) and the saturated fraction (`initlab.saturated`).
    a, delta : lists of `hidden_layers` arrays (K, N, width)
        The raw activations and deltas, for histograms.
    """

    activation: str
    gains: np.ndarray
    a_std: np.ndarray
    delta_std: np.ndarray
    saturated: np.ndarray
    a: list
    delta: list


def _depth_sizes(hidden_layers, width, dim, classes):
    hidden_layers = _checks.positive_int("hidden_layers", hidden_layers)
    width = _checks.positive_int("width", width)
    return [dim] + [width] * hidden_layers + [classes]


def depth_profile(activation, gains, hidden_layers=20, width=128, n_samples=256, classes=10,
                  dim=16, seed=0, dtype=np.float64):
    r"""Forward and backward pass at initialisation through `hidden_layers` hidden layers.

    A population of K = len(gains) networks ``[dim, width × hidden_layers, classes]``,
    member k with weights N(0, gains[k]² / fan_in) and zero biases, on
    `scale_data` with a softmax cross-entropy loss.  The statistics are those of
    `initlab.layer_statistics` (which the tests check), without the weight
    gradients, so that the explorer stays fast.

    Returns
    -------
    DepthProfile
    """
    gains = np.atleast_1d(np.asarray(gains, dtype=float))
    sizes = _depth_sizes(hidden_layers, width, dim, classes)
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


def train_population(activation, weight_init, population, hidden_layers=30, width=32, steps=1000,
                     lr=0.005, batch_size=32, n_samples=128, classes=10, dim=16, seed=0,
                     dtype=np.float64):
    r"""Train K = `population` deep networks at once (same data, same batches, SGD).

    `weight_init` is a population initialiser such as
    ``per_member("glorot_normal", "he_normal")`` or ``gain_normal([0.1, 1, 10])``.

    Returns
    -------
    history : History
        loss and accuracy on the training set, shapes (steps + 1, K).
    init_a_std : array (hidden_layers, K)
        Std of each hidden layer's activations at initialisation.
    """
    population = _checks.positive_int("population", population)
    sizes = _depth_sizes(hidden_layers, width, dim, classes)
    X, y = scale_data(_checks.positive_int("n_samples", n_samples), classes, dim, seed)
    X = X.astype(dtype)
    net = MLP(sizes, activation=activation, weight_init=weight_init, population=population,
              seed=seed, dtype=dtype)
    _, activations = net.forward_pass(X)
    with np.errstate(all="ignore"): init_a_std = np.array([a.std(axis=(-2, -1)) for a in activations[1:-1]])
    history = train(net, X, y, loss="softmax_ce", optimizer="sgd", lr=lr, steps=steps,
                    batch_size=batch_size, seed=seed)
    return history, init_a_std


@lru_cache(maxsize=2)
def _standard_weights(fan_in, n_layers, seed):
    """`n_layers` standard-normal (fan_in, fan_in) matrices, cached: the tables reuse one
    draw for every activation and scale (common random numbers)."""
    rng = np.random.default_rng(seed)
    weights = tuple(rng.standard_normal((fan_in, fan_in)) for _ in range(n_layers))
    for W in weights:
        W.flags.writeable = False
    return weights


def signal_std_after(activation, fan_in, stds, n_layers=20, values=8192, seed=0):
    r"""The input-dependent signal left after `n_layers` layers of width `fan_in`:
    each unit's standard deviation across the inputs, root-mean-square over the units.

    A unit whose output is the same for every input carries no signal, whatever its
    value: the sigmoid's mean of ½, for instance, is an offset, not a signal, so it is
    not counted (a std over samples *and* units would count it).

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
    n_layers = _checks.positive_int("n_layers", n_layers)
    values = _checks.positive_int("values", values)
    rng = _checks.make_rng(seed)
    n = max(8, values // fan_in)
    a = np.broadcast_to(rng.standard_normal((n, fan_in)), (len(stds), n, fan_in))
    scale = stds[:, None, None]
    with np.errstate(all="ignore"):
        for V in _standard_weights(fan_in, n_layers, int(seed)):
            a = g((a @ V) * scale)
    return np.sqrt(np.mean(a.var(axis=-2), axis=-1))


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
                     magic=(0.1, 0.01), n_layers=20, values=4096, seed=0):
    """Std of the signal after `n_layers` square layers for the classic rule and for
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
            per_fan.append(signal_std_after(activation, f, stds, n_layers=n_layers, values=values,
                                            seed=seed))
        per_fan = np.array(per_fan)  # (fan_ins, 1 + len(magic))
        results[(name, "rule")] = per_fan[:, 0]
        for i, m in enumerate(magic):
            results[(name, m)] = per_fan[:, 1 + i]
    rows = [[name, "rule" if choice == "rule" else f"std {choice:g}"] + list(v)
            for (name, choice), v in results.items()]
    headers = ["activation", "weights"] + [f"fan-in {f}" for f in fan_ins]
    return Table(headers, rows, fmt=".2g",
                 caption=f"Std of the activations after {n_layers} layers (inputs of std 1)"), results

