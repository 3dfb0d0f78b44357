r"""Chapter 1: identical units stay identical.

Notation of the book: ``z_ℓ = a_{ℓ−1} @ W_ℓ + b_ℓ``, unit j of layer ℓ is the
column ``W_ℓ[:, j]`` plus ``b_ℓ[j]`` (its incoming vector) and row
``W_{ℓ+1}[j, :]`` holds its outgoing weights.

This module holds what the chapter computes:

* `pattern_network` / `pattern_population`: networks whose first layer starts in
  one of the `PATTERNS` (constant, same incoming vector, one constant per unit, …);
* `pattern_table` and `variant_table`: the chapter's two live tables (shown with
  `initlab.tables.html_table`);
* `narrow_twin`: the width-1 network that a constant-initialised network is
  secretly equal to, with the learning rates (`narrow_learning_rates`) and the
  optimizer (`initlab.optimizers.LayerwiseSGD`) that make it follow the same trajectory;
* `unit_trajectories`: every unit's incoming weights during training (the explorer).

The measurements (`distinct_units`, `hidden_distinct_units`, `distinct_history`,
`gap_history`) are in `initlab.diagnostics`.
"""

from __future__ import annotations

import numpy as np

from .. import _checks
from ..data import moons
from ..diagnostics import TIE_ATOL, distinct_units, hidden_distinct_units
from ..initializers import constant
from ..network import MLP
from ..optimizers import LayerwiseSGD
from ..training import train

__all__ = [
    "TIE_ATOL", "PATTERNS", "pattern_parameters", "pattern_network", "pattern_population", "pattern_table",
    "VARIANTS", "variant_table", "narrow_learning_rates", "narrow_twin", "unit_trajectories",
]

# Two units count as one when every entry of their incoming vectors (bias included) differs by
# at most TIE_ATOL (from initlab.diagnostics; BLAS rounding gaps of 1e-17 to 1e-14 are seen at
# widths such as 7 or 9; they stay at rounding level and must not count as units).

#: Starting patterns of the first layer of a ``[d, n, 1]`` network, with a description in
#: the book's convention (unit j = column j of W_1).  Unless the name says otherwise, the
#: biases start at 0 and the output layer W_2 at the constant c, so that every unit has the
#: same outgoing weight: only the incoming vectors can tell the units apart.
PATTERNS = {
    "constant": "every weight equal: W₁ = c",
    "same_incoming": "same incoming vector for every unit: W₁[i, j] = vᵢ",
    "own_constant": "each unit its own constant: W₁[i, j] = uⱼ",
    "one_entry": "W₁ = c except one random entry",
    "random_biases": "W₁ = c, random biases b₁",
    "random_outgoing": "W₁ = c, random outgoing weights W₂",
    "random": "random W₁ and W₂ (Glorot normal)",
}


def _pattern(pattern):
    if pattern not in PATTERNS:
        raise _checks.unknown_name("pattern", pattern, tuple(PATTERNS))
    return pattern


def pattern_parameters(pattern, d=2, width=16, c=0.5, seed=0):
    r"""Initial weights and biases of a ``[d, width, 1]`` network in a given pattern.

    Parameters
    ----------
    pattern : str
        A key of `PATTERNS`.
    d, width : int
        Input dimension and number of hidden units n.
    c : float
        The constant of the constant parts.
    seed : int
        Seeds the random parts (v, u, the perturbed entry, random biases or weights).

    Returns
    -------
    weights : [W_1 (d, n), W_2 (n, 1)]
    biases : [b_1 (n,), b_2 (1,)]
    """
    _pattern(pattern)
    d, width = _checks.positive_int("d", d), _checks.positive_int("width", width)
    c = float(c)
    if not np.isfinite(c):
        raise ValueError(f"c must be a finite number, got {c!r}")
    rng = _checks.make_rng(seed)
    W1, b1 = np.full((d, width), c), np.zeros(width)
    W2, b2 = np.full((width, 1), c), np.zeros(1)
    if pattern == "same_incoming":
        W1 = np.repeat(rng.normal(0.0, 1.0, (d, 1)), width, axis=1)     # W1[i, j] = v_i
    elif pattern == "own_constant":
        W1 = np.repeat(rng.normal(0.0, 1.0, (1, width)), d, axis=0)     # W1[i, j] = u_j
    elif pattern == "one_entry":
        W1[0, width - 1] += rng.choice([-1.0, 1.0]) * rng.uniform(0.5, 1.0)
    elif pattern == "random_biases":
        b1 = rng.normal(0.0, 0.5, width)
    elif pattern == "random_outgoing":
        W2 = rng.normal(0.0, np.sqrt(2.0 / (width + 1)), (width, 1))
    elif pattern == "random":
        W1 = rng.normal(0.0, np.sqrt(2.0 / (d + width)), (d, width))
        W2 = rng.normal(0.0, np.sqrt(2.0 / (width + 1)), (width, 1))
    return [W1, W2], [b1, b2]


def pattern_network(pattern, d=2, width=16, c=0.5, seed=0, activation="tanh", dtype=np.float64):
    """A ``[d, width, 1]`` `MLP` (identity output, for bce) started in `pattern`."""
    weights, biases = pattern_parameters(pattern, d, width, c, seed)
    return MLP.from_parameters(weights, biases, activation=activation, dtype=dtype)


def pattern_population(patterns, d=2, width=16, c=0.5, seed=0, activation="tanh"):
    """One population `MLP`, member k started in ``patterns[k]`` (trained in one go)."""
    patterns = list(patterns)
    if not patterns:
        raise ValueError("patterns is empty; give at least one of " + ", ".join(PATTERNS))
    return MLP.stack([pattern_network(p, d, width, c, seed, activation) for p in patterns])


def pattern_table(X, y, patterns=None, width=16, c=0.5, lr=0.5, steps=1000, seed=0, population=1):
    """Train ``[d, width, 1]`` tanh classifiers (bce, full-batch SGD) from each pattern, all
    at once as one population, and report the first layer's distinct units.

    Parameters
    ----------
    population : int, default 1
        K, the number of independent draws of every pattern's random part.

    Returns
    -------
    list of dict
        One per pattern: ``pattern``, ``description``, and arrays of shape (K,):
        ``distinct_start``, ``distinct_end`` (ints, tolerance `TIE_ATOL`) and ``accuracy``
        (training accuracy after `steps`).
    """
    patterns = list(PATTERNS) if patterns is None else [_pattern(p) for p in patterns]
    population = _checks.positive_int("population", population)
    X = np.asarray(X, dtype=float)
    if X.ndim != 2:
        raise ValueError(f"X must have shape (N, d), got {X.shape}")
    rngs = _checks.spawn_rngs(seed, population * len(patterns))
    net = MLP.stack([pattern_network(p, X.shape[1], width, c, rngs[k * len(patterns) + i])
                     for k in range(population) for i, p in enumerate(patterns)])
    start = distinct_units(net.weights[0], net.biases[0], TIE_ATOL)
    history = train(net, X, y, loss="bce", optimizer="sgd", lr=lr, steps=steps)
    end = distinct_units(net.weights[0], net.biases[0], TIE_ATOL)
    shape = (population, len(patterns))
    start, end, acc = (np.reshape(v, shape) for v in (start, end, history.accuracy[-1]))
    return [{"pattern": p, "description": PATTERNS[p], "distinct_start": start[:, i],
             "distinct_end": end[:, i], "accuracy": acc[:, i]} for i, p in enumerate(patterns)]


#: Training set-ups of `variant_table`: which of them can separate identical units?
VARIANTS = {
    "full_batch": "full-batch gradient descent",
    "minibatch": "minibatches of 20, reshuffled every epoch",
    "more_data": "5 times more data (1000 samples)",
    "momentum": "momentum (β = 0.9)",
    "adam": "Adam, minibatches of 20",
    "dropout": "dropout p = 0.1 on the hidden units",
}


def variant_table(variants=None, width=16, c=0.5, lr=0.1, steps=500, seed=0):
    """Train a constant-initialised ``[2, width, width, 1]`` tanh network on the moons
    (200 samples, bce) under each training set-up of `VARIANTS`: SGD at rate `lr`, except
    momentum and Adam at ``lr / 10`` (their steps are larger for the same rate).

    Returns
    -------
    list of dict
        ``variant``, ``description``, ``distinct_end`` (list: distinct units of each hidden
        layer after training), ``loss_start``, ``loss_end``.
    """
    variants = list(VARIANTS) if variants is None else list(variants)
    for v in variants:
        if v not in VARIANTS:
            raise _checks.unknown_name("variant", v, tuple(VARIANTS))
    rows = []
    for v in variants:
        X, y = moons(n=1000 if v == "more_data" else 200, noise=0.1, seed=seed)
        net = MLP([2, width, width, 1], activation="tanh", weight_init=constant(c), seed=seed)
        kwargs = {"optimizer": "sgd", "lr": lr}
        if v == "minibatch":
            kwargs["batch_size"] = 20
        elif v == "momentum":
            kwargs.update(optimizer="momentum", lr=lr / 10)
        elif v == "adam":
            kwargs.update(optimizer="adam", lr=lr / 10, batch_size=20)
        elif v == "dropout":
            kwargs["dropout"] = 0.1
        history = train(net, X, y, loss="bce", steps=steps, seed=seed, **kwargs)
        rows.append({"variant": v, "description": VARIANTS[v],
                     "distinct_end": [int(n) for n in hidden_distinct_units(net, TIE_ATOL)],
                     "loss_start": float(history.loss[0]), "loss_end": float(history.loss[-1])})
    return rows


# ----------------------------------------------------------- the narrow twin
def narrow_learning_rates(sizes, lr):
    r"""Learning rates under which the width-1 twin follows the wide network exactly.

    Let m_0 = 1 (inputs), m_ℓ = n_ℓ for the hidden layers and m_L = 1 (outputs).  The twin's
    parameters are W'_ℓ = m_{ℓ−1} W_ℓ (restricted to one unit) and b'_ℓ = b_ℓ, and its
    deltas are δ'_ℓ = m_ℓ δ_ℓ, so its gradients are m_ℓ times the wide ones.  Matching
    ΔW'_ℓ = m_{ℓ−1} ΔW_ℓ and Δb'_ℓ = Δb_ℓ gives

        weight_lr[ℓ−1] = lr · m_{ℓ−1} / m_ℓ,      bias_lr[ℓ−1] = lr / m_ℓ.

    Parameters
    ----------
    sizes : sequence of int
        The wide network's ``[d, n_1, ..., n_{L−1}, n_L]``.
    lr : float
        The wide network's learning rate (plain SGD).

    Returns
    -------
    weight_lr, bias_lr : lists of L floats
    """
    sizes = [_checks.positive_int(f"sizes[{i}]", n) for i, n in enumerate(sizes)]
    if len(sizes) < 3:
        raise ValueError(f"sizes must include at least one hidden layer, e.g. [2, 64, 1]; got {sizes}")
    lr = _checks.positive_number("lr", lr)
    m = [1] + sizes[1:-1] + [1]
    L = len(sizes) - 1
    return ([lr * m[l] / m[l + 1] for l in range(L)], [lr / m[l + 1] for l in range(L)])


def _check_collapsible(net):
    if net.population is not None:
        raise ValueError("narrow_twin needs a single network; use net.member(k)")
    net.validate()
    if net.L < 2:
        raise ValueError("narrow_twin needs at least one hidden layer")
    for l in range(net.L - 1):
        W, b, W_next = net.weights[l], net.biases[l], net.weights[l + 1]
        if not (np.all(W == W[:, :1]) and np.all(b == b[0]) and np.all(W_next == W_next[:1])):
            raise ValueError(
                f"hidden layer {l + 1} does not have identical units (equal incoming columns "
                f"of W{l + 1}, equal biases b{l + 1} and equal outgoing rows of W{l + 2}), "
                f"so it has no width-1 twin")


def narrow_twin(net, lr):
    r"""The width-1 network equivalent to `net`, whose hidden units are all identical, and
    the optimizer under which it follows `net`'s gradient-descent trajectory.

    The twin has sizes ``[d, 1, ..., 1, n_L]``: W'_1 = W_1[:, :1]; W'_ℓ = n_{ℓ−1} W_ℓ[:1, :1]
    for hidden ℓ ≥ 2; W'_L = n_{L−1} W_L[:1, :]; b'_ℓ = b_ℓ[:1] (b'_L = b_L).  A unit of the
    twin receives n_{ℓ−1} identical copies' worth of input in one weight, so both networks
    compute the same function.

    Parameters
    ----------
    net : MLP
        A single network (no population) whose hidden layers each hold identical units.
    lr : float
        The learning rate of plain SGD on `net`.

    Returns
    -------
    twin : MLP
    optimizer : LayerwiseSGD
        With the rates of `narrow_learning_rates`; pass it to `train`.
    """
    _check_collapsible(net)
    sizes = net.sizes
    m = [1] + sizes[1:-1] + [1]
    weights, biases = [], []
    for l in range(net.L):
        W = net.weights[l]
        W = W if l == 0 else W[:1]               # inputs are not collapsed
        W = W if l == net.L - 1 else W[:, :1]    # outputs are not collapsed
        weights.append(m[l] * W)
        biases.append(net.biases[l] if l == net.L - 1 else net.biases[l][:1])
    twin = MLP.from_parameters(weights, biases, activation=net.activation, output=net.output,
                               dtype=net.dtype)
    return twin, LayerwiseSGD(*narrow_learning_rates(sizes, lr))


def unit_trajectories(width=8, pattern="constant", steps=600, seed=0):
    """Train a ``[2, width, 1]`` tanh classifier on the moons (200 samples, bce, SGD
    lr 0.5) from a starting `pattern` of `PATTERNS`.

    Returns
    -------
    steps : int array (S,)
        The recorded steps (about 100 snapshots, first and last included).
    W1 : array (S, 2, width)
        Every unit's incoming weights at each recorded step.
    distinct : int
        Distinct units of the hidden layer (bias included, tolerance `TIE_ATOL`) after
        training.
    """
    width = _checks.positive_int("width", width)
    steps = _checks.positive_int("steps", steps)
    X, y = moons(n=200, noise=0.1, seed=seed)
    net = pattern_network(pattern, d=2, width=width, seed=seed)
    history = train(net, X, y, loss="bce", optimizer="sgd", lr=0.5, steps=steps,
                    snapshot_every=max(1, steps // 100))
    recorded = np.array([s.step for s in history.snapshots])
    W1 = np.stack([s.weights[0] for s in history.snapshots])
    return recorded, W1, int(distinct_units(net.weights[0], net.biases[0], TIE_ATOL))
