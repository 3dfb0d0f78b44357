r"""Chapter 4: biases as the other symmetry breaker.

Notation of the book: ``z_ℓ = a_{ℓ−1} @ W_ℓ + b_ℓ``, ``a_ℓ = g(z_ℓ)``,
``delta_ℓ = dLoss/dz_ℓ``; W_ℓ is ``(fan_in, fan_out)`` and unit j is column
``W_ℓ[:, j]`` plus ``b_ℓ[j]``.  A network has L weight layers, so L − 1
hidden layers.

Why zero weights with random biases move one layer per step.  At W = 0 every
hidden activation is a_ℓ = g(b_ℓ), the same for every sample.  Write
r_n = delta_L[n] (the residual of sample n, (p_n − y_n)/N for bce) and
S = Σ_n r_n.  Then

    dLoss/dW_L   = a_{L−1}ᵀ delta_L = g(b_{L−1}) ⊗ S        (nonzero at once)
    delta_{ℓ−1}  = (delta_ℓ @ W_ℓᵀ) ⊙ g'(z_{ℓ−1})           (zero while W_ℓ = 0)

so W_ℓ receives its first nonzero gradient one update after W_{ℓ+1} became
nonzero: W_L moves at update 1, W_{L−1} at update 2, …, W_1 at update L.
Every hidden-to-hidden gradient a_{ℓ−1}ᵀ delta_ℓ has an input-independent
a_{ℓ−1}, so it is proportional to S; only W_1 sees the inputs, through
Xᵀ delta_1.

The functions here are what the chapter measures: when each layer first moves
(`layer_first_moves`, layer axis first), how large each layer's weights get
(`weight_trajectory`), singular values of a layer over training
(`singular_value_trajectory`), the bias trick (`augment_inputs`,
`augment_weights`) and the explorer's run (`train_bias_setting`).  Generic
measurements come from the core: `initlab.diagnostics` (`activation_spread`,
`dead_fraction`, `numerical_rank`, `first_move_steps`), `initlab.statistics`
(`paired_difference`) and `initlab.variance` (`bias_variance_share`).
"""

import numpy as np

from .. import _checks
from ..data import moons, standardize
from ..diagnostics import TIE_ATOL, dead_fraction, distinct_units, first_move_steps
from ..initializers import normal, zeros
from ..network import MLP
from ..training import train

__all__ = [
    "zero_weight_network", "placement_bias_stds", "layer_first_moves", "weight_trajectory",
    "singular_value_trajectory", "augment_inputs", "augment_weights", "split_augmented",
    "ACTIVATION_CHOICES", "train_bias_setting",
]


# ----------------------------------------------------------------- networks
def _bias_stds(bias_std, n_layers):
    return _checks.per_layer("bias_std", bias_std, n_layers, check=_checks.non_negative_number)


def zero_weight_network(sizes, bias_std, activation="tanh", weight_init="zeros",
                        population=None, seed=0):
    r"""An `MLP` whose biases are N(0, σ_ℓ²) and whose weights start at zero.

    Parameters
    ----------
    sizes : sequence of int
        ``[d, n_1, ..., n_L]``.
    bias_std : float or sequence of L floats
        σ_ℓ for b_ℓ, one per weight layer ℓ = 1..L (output layer last); 0
        gives zero biases in that layer.
    activation : str
        Hidden activation g.
    weight_init : initializer or list of L initializers, default "zeros"
        Passed to `MLP`; give a list to make one layer random (a rescue).
    population, seed
        As for `MLP`.  The weights and biases come from separate streams, so
        members with the same seed and different `bias_std` share their
        weights.
    """
    probe = MLP(sizes, weight_init="zeros", population=None)  # validates sizes
    stds = _bias_stds(bias_std, probe.L)
    bias_init = [normal(s) if s > 0 else zeros for s in stds]
    return MLP(sizes, activation=activation, weight_init=weight_init, bias_init=bias_init,
               population=population, seed=seed)


def placement_bias_stds(n_layers, random_layers, std):
    r"""Per-layer bias stds: `std` in the layers listed in `random_layers`, 0 elsewhere.

    Parameters
    ----------
    n_layers : int
        L, the number of weight layers.
    random_layers : iterable of int
        Book layer numbers ℓ in 1..L that get random biases.
    std : float > 0

    Returns
    -------
    list of L floats
    """
    n_layers = _checks.positive_int("n_layers", n_layers)
    std = _checks.positive_number("std", std)
    chosen = set()
    for layer in random_layers:
        if isinstance(layer, (bool, np.bool_)) or not isinstance(layer, (int, np.integer)) \
                or not 1 <= layer <= n_layers:
            raise ValueError(f"random_layers must hold layer numbers 1..{n_layers}, got {layer!r}")
        chosen.add(int(layer))
    return [std if l in chosen else 0.0 for l in range(1, n_layers + 1)]


# ---------------------------------------------------------- first movement
def _snapshots(net, X, y, loss, lr, steps):
    work = net.copy()
    history = train(work, X, y, loss=loss, optimizer="sgd", lr=lr, steps=steps, snapshot_every=1)
    return work, history


def layer_first_moves(net, X, y, loss="bce", lr=0.5, steps=10):
    r"""For each layer ℓ, the first update after which W_ℓ (and b_ℓ) differs from its start.

    `initlab.diagnostics.first_move_steps` (full-batch gradient descent on a copy of
    `net`, "differs" meaning any entry not bitwise equal to its start), returned with
    the layer axis first, as this chapter tabulates it.

    Parameters
    ----------
    net : MLP, single or population
    X, y, loss, lr
        As for `train`.
    steps : int
        Number of updates to watch.

    Returns
    -------
    weights, biases : int arrays (L,) or (L, K)
        Entry ℓ − 1: the update count t in 1..steps at which W_ℓ (b_ℓ) first
        moved, or −1 if it did not move within `steps`.
    """
    steps = _checks.positive_int("steps", steps)
    moves = first_move_steps(net, X, y, loss=loss, lr=lr, steps=steps)
    return moves.weights.T.copy(), moves.biases.T.copy()


def weight_trajectory(net, X, y, loss="bce", lr=0.5, steps=100):
    r"""Largest weight magnitude max|W_ℓ| of every layer after every update.

    Trains a copy of `net` with full-batch gradient descent (`net` itself is
    not changed).

    Returns
    -------
    magnitudes : array (steps + 1, L) or (steps + 1, L, K)
        Row t: max over entries of |W_ℓ| after t updates (row 0: the start).
    history : History
        Of the copy's training.
    trained : MLP
        The trained copy.
    """
    steps = _checks.positive_int("steps", steps)
    trained, history = _snapshots(net, X, y, loss, lr, steps)
    reduce = (lambda W: np.abs(W).max()) if net.population is None else \
        (lambda W: np.abs(W).max(axis=(-2, -1)))
    magnitudes = np.array([[reduce(W) for W in s.weights] for s in history.snapshots])
    return magnitudes, history, trained


# ------------------------------------------------------ layers over training
def singular_value_trajectory(net, X, y, loss="bce", lr=0.5, steps=10, layer=1):
    r"""Singular values of W_layer after every update (single network).

    Trains a copy of `net` (`net` itself is not changed).

    Returns
    -------
    singular_values : array (steps + 1, min(fan_in, fan_out))
        Row t: the singular values of W_ℓ after t updates, descending.
    history : History
    trained : MLP
        The trained copy.
    """
    if net.population is not None:
        raise ValueError("singular_value_trajectory needs a single network; use net.member(k)")
    steps = _checks.positive_int("steps", steps)
    layer = _checks.positive_int("layer", layer)
    if layer > net.L:
        raise ValueError(f"layer must be in 1..{net.L}, got {layer}")
    trained, history = _snapshots(net, X, y, loss, lr, steps)
    values = np.array([np.linalg.svd(s.weights[layer - 1], compute_uv=False)
                       for s in history.snapshots])
    return values, history, trained


# -------------------------------------------------------------- bias trick
def augment_inputs(X):
    r"""Append a constant input 1: (..., N, d) → (..., N, d + 1)."""
    X = _checks.finite_array("X", X)
    if X.ndim < 2:
        raise ValueError(f"X must have shape (N, d) or (K, N, d), got {X.shape}")
    return np.concatenate([X, np.ones(X.shape[:-1] + (1,))], axis=-1)


def augment_weights(W, b):
    r"""Fold the bias into the weights: (fan_in, fan_out), (fan_out,) → (fan_in + 1, fan_out).

    The bias becomes the last *row*: it is the weight of the constant input
    1, so ``augment_inputs(X) @ augment_weights(W, b) == X @ W + b``.  Unit j
    is still column j, now with fan_in + 1 entries.  Works with a leading
    population axis.
    """
    W = _checks.finite_array("W", W)
    b = _checks.finite_array("b", b)
    if W.ndim < 2 or b.shape != W.shape[:-2] + W.shape[-1:]:
        raise ValueError(f"W of shape {W.shape} needs b of shape {W.shape[:-2] + W.shape[-1:]}, "
                         f"got {b.shape}")
    return np.concatenate([W, b[..., None, :]], axis=-2)


def split_augmented(W_aug):
    r"""Inverse of `augment_weights`: (fan_in + 1, fan_out) → (W, b)."""
    W_aug = _checks.finite_array("W_aug", W_aug)
    if W_aug.ndim < 2 or W_aug.shape[-2] < 2:
        raise ValueError(f"W_aug must have shape (fan_in + 1, fan_out) with fan_in >= 1, got {W_aug.shape}")
    return W_aug[..., :-1, :], W_aug[..., -1, :]


# ---------------------------------------------------------------- the explorer
#: Hidden activations the explorer offers.
ACTIVATION_CHOICES = ("tanh", "relu", "sigmoid")
_WIDTH = 8


def train_bias_setting(bias_1: float = 0.5, bias_2: float = 0.5, bias_out: float = 0.5,
                       weight_std: float = 0.0, activation: str = "tanh", steps: int = 800,
                       lr: float = 1.0, seed: int = 1):
    """Train one 2-8-8-1 network from N(0, weight_std²) weights and N(0, bias_ℓ²) biases.

    Parameters
    ----------
    bias_1, bias_2, bias_out : float >= 0
        Standard deviation of the biases of hidden layer 1, hidden layer 2 and
        the output layer (0: zero biases).
    weight_std : float >= 0
        Standard deviation of every weight (0: zero weights).
    activation : one of ACTIVATION_CHOICES
    steps, lr, seed
        Full-batch gradient descent settings; `seed` draws the parameters.

    Returns
    -------
    history : initlab.History
    distinct : list of 2 ints
        Distinct units (incoming weights with bias, exact) of each hidden layer
        after training.
    dead : list of 2 ints
        Units of each hidden layer that output 0 for every training input.
    """
    if activation not in ACTIVATION_CHOICES:
        raise _checks.unknown_name("activation", activation, ACTIVATION_CHOICES)
    weight_std = _checks.non_negative_number("weight_std", weight_std)
    weight_init = normal(weight_std) if weight_std > 0 else "zeros"
    X, y = moons(n=100, noise=0.1, seed=0)
    X = standardize(X)
    net = zero_weight_network([2, _WIDTH, _WIDTH, 1], bias_std=[bias_1, bias_2, bias_out],
                              activation=activation, weight_init=weight_init, seed=seed)
    history = train(net, X, y, loss="bce", lr=lr, steps=steps)
    distinct = [int(distinct_units(net.weights[l], net.biases[l], TIE_ATOL)) for l in (0, 1)]
    dead = [int(round(f * _WIDTH)) for f in dead_fraction(net, X)]
    return history, distinct, dead
