r"""Measurements the book asserts: are the units still identical, how do the
layers' signals look, what is the curvature of the loss.

Unit j of a layer is its incoming weight vector, column ``W[:, j]``, augmented
with its bias ``b[j]`` when given (the "bias trick": b is the weight of a
constant input 1).  Two units compute the same function of the layer below
exactly when these augmented vectors are equal.
"""

from dataclasses import dataclass

import numpy as np

from . import _checks
from .losses import get_loss
from .network import MLP
from .statistics import first_step_where
from .training import train


def _unit_vectors(W, b):
    """Augmented incoming vectors as rows: (..., fan_out, fan_in [+ 1])."""
    W = np.asarray(W, dtype=float)
    if W.ndim not in (2, 3):
        raise ValueError(f"W must have shape (fan_in, fan_out) or (K, fan_in, fan_out), got {W.shape}")
    V = np.swapaxes(W, -1, -2)
    if b is not None:
        b = np.asarray(b, dtype=float)
        if b.shape != W.shape[:-2] + W.shape[-1:]:
            raise ValueError(f"b has shape {b.shape}; with W of shape {W.shape} it needs "
                             f"{W.shape[:-2] + W.shape[-1:]}")
        V = np.concatenate([V, b[..., None]], axis=-1)
    return V


def _count_distinct(rows, atol):
    if atol == 0:
        return len(np.unique(rows, axis=0))
    representatives = []
    for row in rows:  # greedy: a unit is new if it is farther than atol from all earlier groups
        if not any(np.max(np.abs(row - r)) <= atol for r in representatives):
            representatives.append(row)
    return len(representatives)


def distinct_units(W, b=None, atol=0.0):
    """Number of distinct units of a layer.

    Parameters
    ----------
    W : array (fan_in, fan_out) or (K, fan_in, fan_out)
    b : array (fan_out,) or (K, fan_out), optional
        Biases, appended to the incoming vectors.
    atol : float
        0: exact (bitwise) comparison.  Otherwise two units count as one when
        every entry differs by at most `atol` (greedy grouping).

    Returns
    -------
    int, or int array (K,) for a population
    """
    if atol < 0:
        raise ValueError(f"atol must be >= 0, got {atol!r}")
    V = _unit_vectors(W, b)
    if V.ndim == 2:
        return _count_distinct(V, atol)
    return np.array([_count_distinct(v, atol) for v in V], dtype=np.int64)


def unit_gap(W, b=None):
    """Largest Euclidean distance between the incoming vectors of two units.

    0 exactly when all units are identical.  Differences are formed directly
    (not via |u|² + |v|² − 2u·v), so tiny gaps are measured accurately.

    Returns
    -------
    float, or array (K,) for a population
    """
    V = _unit_vectors(W, b)
    gap = np.zeros(V.shape[:-2])
    for j in range(V.shape[-2] - 1):
        diff = V[..., j + 1:, :] - V[..., j:j + 1, :]
        gap = np.maximum(gap, np.sqrt(np.sum(diff * diff, axis=-1)).max(axis=-1))
    return float(gap) if gap.ndim == 0 else gap


# ------------------------------------------------------------ layer statistics
def saturated(activation, z, a):
    """Boolean mask of saturated units, by activation name.

    ============  ==========================================================
    sigmoid       a outside [0.01, 0.99]
    tanh          |a| > 0.99 (of the range ±1)
    lecun_tanh    |a| > 0.99 · 1.7159
    relu          a == 0: inactive, no gradient passes
    leaky_relu    z < 0: on the small-slope side
    identity      never
    other         |g'(z)| < 1 % of |g'(0)|
    ============  ==========================================================
    """
    name = activation.name
    if name == "sigmoid":
        return (a < 0.01) | (a > 0.99)
    if name == "tanh":
        return np.abs(a) > 0.99
    if name == "lecun_tanh":
        return np.abs(a) > 0.99 * 1.7159
    if name.startswith("relu"):
        return a == 0
    if name.startswith("leaky_relu"):
        return z < 0
    if name == "identity":
        return np.zeros(np.shape(a), dtype=bool)
    return np.abs(activation.derivative(z)) < 0.01 * abs(activation.derivative_at_zero)


@dataclass
class LayerStatistics:
    """Statistics of layer ℓ; scalars, or (K,) arrays for a population.

    The raw arrays ``a``, ``delta`` and ``grad_W`` are kept for histograms.
    """

    layer: int
    activation: str
    a_mean: object
    a_std: object
    a_saturated: object
    delta_mean: object
    delta_std: object
    grad_std: object
    a: np.ndarray
    delta: np.ndarray
    grad_W: np.ndarray


def layer_statistics(net, X, y, loss):
    """One `LayerStatistics` per layer ℓ = 1..L: activations a_ℓ, deltas
    delta_ℓ = dLoss/dz_ℓ and weight gradients dLoss/dW_ℓ (statistics over
    samples and units, per member).
    """
    value, grads = net.loss_and_gradients(X, y, get_loss(loss))
    records = []
    for l in range(net.L):
        z, a, delta, g_W = grads.zs[l], grads.activations[l + 1], grads.deltas[l], grads.weights[l]
        g = net.activation_of(l + 1)
        records.append(LayerStatistics(
            layer=l + 1, activation=g.name,
            a_mean=a.mean(axis=(-2, -1)), a_std=a.std(axis=(-2, -1)),
            a_saturated=saturated(g, z, a).mean(axis=(-2, -1)),
            delta_mean=delta.mean(axis=(-2, -1)), delta_std=delta.std(axis=(-2, -1)),
            grad_std=g_W.std(axis=(-2, -1)), a=a, delta=delta, grad_W=g_W,
        ))
    return records


# ----------------------------------------------------------- flat parameters
def flatten_parameters(net):
    """θ = (W_1, b_1, W_2, b_2, ...) flattened row-major: (P,) or (K, P)."""
    net.validate()
    lead = () if net.population is None else (net.population,)
    parts = [p.reshape(lead + (-1,)) for W, b in zip(net.weights, net.biases) for p in (W, b)
             if p is not None]
    return np.concatenate(parts, axis=-1)


def set_flat_parameters(net, theta):
    """Write θ (as from `flatten_parameters`) back into the network's arrays, in place."""
    net.validate()
    theta = np.asarray(theta, dtype=net.dtype)
    expected = flatten_parameters(net).shape
    if theta.shape != expected:
        raise ValueError(f"theta has shape {theta.shape}, this network needs {expected}")
    start = 0
    for W, b in zip(net.weights, net.biases):
        for p in (W, b) if b is not None else (W,):
            size = int(np.prod(p.shape[1:] if net.population else p.shape))
            p[...] = theta[..., start:start + size].reshape(p.shape)
            start += size


def parameter_labels(net):
    """Names in the order of `flatten_parameters`: "W1[0,2]", ..., "b1[2]", "W2[..]"."""
    labels = []
    for l in range(net.L):
        n_in, n_out = net.sizes[l], net.sizes[l + 1]
        labels += [f"W{l + 1}[{i},{j}]" for i in range(n_in) for j in range(n_out)]
        if net.has_biases:
            labels += [f"b{l + 1}[{j}]" for j in range(n_out)]
    return labels


# ------------------------------------------------------------------ curvature
def _flat_gradient(net, X, y, loss):
    value, grads = net.loss_and_gradients(X, y, loss)
    return np.concatenate([np.ravel(p) for W, b in zip(grads.weights, grads.biases) for p in (W, b)
                           if p is not None])


def hessian(net, X, y, loss, eps=1e-5):
    r"""The Hessian d²Loss/dθ² at the current parameters, shape (P, P).

    Column i is the central difference of the analytic gradient,
    (∇L(θ + ε e_i) − ∇L(θ − ε e_i)) / (2ε), error O(ε²); the result is
    symmetrised, (H + Hᵀ)/2.  For small networks (P up to a few hundred).
    """
    if net.population is not None:
        raise ValueError("hessian needs a single network; use net.member(k)")
    loss = get_loss(loss)
    work = net.copy()
    theta = flatten_parameters(work)
    H = np.empty((theta.size, theta.size))
    for i in range(theta.size):
        step = np.zeros_like(theta)
        step[i] = eps
        set_flat_parameters(work, theta + step)
        g_plus = _flat_gradient(work, X, y, loss)
        set_flat_parameters(work, theta - step)
        g_minus = _flat_gradient(work, X, y, loss)
        H[:, i] = (g_plus - g_minus) / (2 * eps)
    return (H + H.T) / 2


def hessian_eigenvalues(net, X, y, loss, eps=1e-5):
    """Eigenvalues of `hessian`, ascending.  Negative ones: directions of descent
    from a stationary point (a strict saddle has at least one)."""
    return np.linalg.eigvalsh(hessian(net, X, y, loss, eps))


def loss_surface(net, X, y, loss, direction1, direction2, span=1.0, n=41):
    r"""The loss on the plane θ + α d₁ + β d₂ through the current parameters.

    Parameters
    ----------
    direction1, direction2 : arrays (P,)
        Flat directions (as from `flatten_parameters`), e.g. Hessian eigenvectors.
    span : float
        α and β range over [−span, span].
    n : int
        Grid points per axis (n ≥ 2).

    Returns
    -------
    alphas, betas : arrays (n,)
    losses : array (n, n), ``losses[i, j]`` at (alphas[i], betas[j])
    """
    if net.population is not None:
        raise ValueError("loss_surface needs a single network; use net.member(k)")
    loss = get_loss(loss)
    theta = flatten_parameters(net)
    d1, d2 = (np.asarray(d, dtype=float) for d in (direction1, direction2))
    if d1.shape != theta.shape or d2.shape != theta.shape:
        raise ValueError(f"directions must have shape {theta.shape} (one entry per parameter), "
                         f"got {d1.shape} and {d2.shape}")
    alphas = np.linspace(-span, span, n)
    betas = np.linspace(-span, span, n)
    # Each row of the grid is evaluated at once, as a population of n networks.
    population = MLP.stack([net] * n)
    losses = np.empty((n, n))
    for i, alpha in enumerate(alphas):
        set_flat_parameters(population, theta + alpha * d1 + betas[:, None] * d2)
        losses[i] = population.loss(X, y, loss)
    return alphas, betas, losses


# ------------------------------------------------------- units and layers
def hidden_distinct_units(net, atol=0.0):
    """`distinct_units` (bias included, tolerance `atol`) of every hidden layer ℓ = 1..L−1.

    Returns
    -------
    list of L − 1 ints, or of int arrays (K,) for a population
    """
    return [distinct_units(W, b, atol) for W, b in zip(net.weights[:-1], net.biases[:-1])]


def _snapshots(history, layer):
    if not history.snapshots:
        raise ValueError("history has no snapshots: train with snapshot_every=... to record them")
    n_layers = len(history.snapshots[0].weights)
    if isinstance(layer, (bool, np.bool_)) or not isinstance(layer, (int, np.integer)) \
            or not 1 <= layer <= n_layers:
        raise ValueError(f"layer must be a layer number ℓ in 1..{n_layers}, got {layer!r}")
    return history.snapshots


def distinct_history(history, layer=1, atol=0.0):
    """Distinct units of layer ℓ = `layer` (1-based, tolerance `atol` as in `distinct_units`)
    at every snapshot of a `History`.

    Returns
    -------
    steps : int array (S,)
    counts : int array (S,) or (S, K)
    """
    snaps = _snapshots(history, layer)
    steps = np.array([s.step for s in snaps])
    return steps, np.array([distinct_units(s.weights[layer - 1], s.biases[layer - 1], atol)
                            for s in snaps])


def gap_history(history, layer=1):
    """`unit_gap` (largest distance between two units' incoming vectors, bias included)
    of layer ℓ = `layer` (1-based) at every snapshot of a `History`.

    Returns
    -------
    steps : int array (S,)
    gaps : array (S,) or (S, K)
    """
    snaps = _snapshots(history, layer)
    steps = np.array([s.step for s in snaps])
    return steps, np.array([unit_gap(s.weights[layer - 1], s.biases[layer - 1]) for s in snaps])


def activation_spread(net, X):
    r"""How much each hidden layer's activations depend on the input.

    Per hidden layer ℓ = 1..L−1, the largest range over samples,
    max_n a_ℓ[n, j] − min_n a_ℓ[n, j], of any unit j.  It is exactly 0 when
    every unit of the layer outputs the same value for every sample (as at
    zero weights); a range, unlike a standard deviation, has no rounding error
    then.

    Returns
    -------
    array (L − 1,) or (L − 1, K)
    """
    _, activations = net.forward_pass(X)
    return np.array([np.ptp(a, axis=-2).max(axis=-1) for a in activations[1:-1]])


def dead_fraction(net, X):
    r"""Fraction of hidden units that output 0 for every sample (dead ReLUs).

    A unit j of layer ℓ is dead on X when a_ℓ[n, j] = 0 for all n; with
    ReLU its derivative is then 0 on every sample, so it passes no gradient
    and its incoming weights and bias never change.

    Returns
    -------
    array (L − 1,) or (L − 1, K)
        One fraction per hidden layer (per member).
    """
    _, activations = net.forward_pass(X)
    return np.array([np.all(a == 0, axis=-2).mean(axis=-1) for a in activations[1:-1]])


def numerical_rank(singular_values, rtol=1e-8):
    r"""Number of singular values larger than `rtol` times the largest.

    Parameters
    ----------
    singular_values : array (..., r)
    rtol : float in (0, 1)

    Returns
    -------
    int array (...,)
        0 where every singular value is 0.
    """
    rtol = _checks.positive_number("rtol", rtol)
    if rtol >= 1:
        raise ValueError(f"rtol must be below 1, got {rtol!r}")
    s = np.asarray(singular_values, dtype=float)
    top = s.max(axis=-1, keepdims=True)
    return np.where(top[..., 0] > 0, np.sum(s > rtol * top, axis=-1), 0)


def gradient_by_group(net, X, y, loss="mse"):
    """Largest |gradient| in each parameter group, in layer order.

    Returns
    -------
    dict
        ``{"W1": float, "b1": float, "W2": float, ...}``: max over the entries of
        |dLoss/dW_ℓ| and |dLoss/db_ℓ| (a single network, no population axis).
    """
    if net.population is not None:
        raise ValueError("gradient_by_group needs a single network; use net.member(k)")
    _, grads = net.loss_and_gradients(X, y, loss)
    groups = {}
    for l, (gW, gb) in enumerate(zip(grads.weights, grads.biases), start=1):
        groups[f"W{l}"] = float(np.abs(gW).max())
        if gb is not None:
            groups[f"b{l}"] = float(np.abs(gb).max())
    return groups


# ---------------------------------------------------------- first movement
@dataclass
class FirstMoves:
    """When each parameter group first differs from its start.

    Attributes
    ----------
    weights, biases : int arrays (L,) or (K, L)
        Entry ℓ − 1: the first step t (after t updates) at which W_ℓ (resp. b_ℓ)
        differs from its start in any entry; −1 if it never did within `steps`.
    steps : int
    """

    weights: np.ndarray
    biases: np.ndarray
    steps: int

    def moved_after(self, t):
        """Names of the groups that have moved after t updates, e.g. ["W3", "W4", "b4"].

        Only for a single network (use ``FirstMoves(weights[k], biases[k], steps)``
        for member k of a population).
        """
        if self.weights.ndim != 1:
            raise ValueError("moved_after needs a single network's FirstMoves; "
                             f"these have shape {self.weights.shape}")
        t = _checks.positive_int("t", t)
        if t > self.steps:
            raise ValueError(f"t={t} is beyond the {self.steps} recorded steps")
        names = []
        for l in range(len(self.weights)):
            for kind, first in (("W", self.weights[l]), ("b", self.biases[l])):
                if 1 <= first <= t:
                    names.append(f"{kind}{l + 1}")
        return names


def first_moves(history):
    """`FirstMoves` from a `History` recorded with ``snapshot_every=1``.

    "Differs" is exact: any entry not equal, bit for bit, to its starting value.
    """
    snaps = history.snapshots
    if len(snaps) < 2 or snaps[1].step != 1:
        raise ValueError("first_moves needs a History recorded with snapshot_every=1")
    start = snaps[0]
    moved_W = np.array([np.stack([np.any(W != W0, axis=(-2, -1))
                                  for W, W0 in zip(s.weights, start.weights)], axis=-1)
                        for s in snaps])
    moved_b = np.array([np.stack([np.zeros(np.shape(W0)[:-2], dtype=bool) if b0 is None
                                  else np.any(b != b0, axis=-1)
                                  for b, b0, W0 in zip(s.biases, start.biases, start.weights)],
                                 axis=-1)
                        for s in snaps])
    return FirstMoves(first_step_where(moved_W), first_step_where(moved_b), history.steps)


def first_move_steps(net, X, y, loss="bce", lr=0.5, steps=5, optimizer="sgd"):
    """Per layer, the first update after which W_ℓ and b_ℓ differ from their start.

    Trains a copy of `net` (the network itself is not changed) for `steps`
    full-batch updates with `train` (``snapshot_every=1``).

    Returns
    -------
    FirstMoves
        ``weights`` and ``biases`` of shape (L,) (or (K, L) for a population),
        entries in 1..steps or −1 for "not within `steps`".
    """
    if not isinstance(net, MLP):
        raise ValueError(f"net must be an initlab MLP, got {net!r}")
    history = train(net.copy(), X, y, loss=loss, optimizer=optimizer, lr=lr, steps=steps,
                    snapshot_every=1)
    return first_moves(history)
