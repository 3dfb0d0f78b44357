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
from .activations import get_activation
from .losses import get_loss
from .network import MLP
from .training import FirstMoves, first_move_steps, first_moves  # noqa: F401  (also here)


def _unit_vectors(W, b):
    """Augmented incoming vectors as rows: (..., fan_out, fan_in [+ 1])."""
    if hasattr(W, "weights") and hasattr(W, "loss_and_gradients"):
        raise ValueError("distinct_units and unit_gap take one layer's parameters, e.g. "
                         "distinct_units(net.weights[0], net.biases[0]), not a network")
    W = _checks.finite_array("W", W)
    if W.ndim not in (2, 3):
        raise ValueError(f"W must have shape (fan_in, fan_out) or (K, fan_in, fan_out), got {W.shape}")
    V = np.swapaxes(W, -1, -2)
    if b is not None:
        b = _checks.finite_array("b", b)
        if b.shape != W.shape[:-2] + W.shape[-1:]:
            raise ValueError(f"b has shape {b.shape}; with W of shape {W.shape} it needs "
                             f"{W.shape[:-2] + W.shape[-1:]}")
        V = np.concatenate([V, b[..., None]], axis=-1)
    return V


def _count_distinct(rows, atol):
    if atol == 0:
        return len(np.unique(rows, axis=0))
    # Greedy, in unit order: a unit is new if it is farther than atol (in every-entry
    # distance) from every earlier representative.  Exact duplicates are merged first (they
    # never start a group of their own); each remaining unit is then compared, in one numpy
    # call, with the representatives whose first entry is within atol of its own (the only
    # ones that can be within atol in every entry).
    unique, first = np.unique(rows, axis=0, return_index=True)
    candidates = unique[np.argsort(first)]
    representatives = np.empty_like(candidates)
    count = 0
    for row in candidates:
        near = np.flatnonzero(np.abs(representatives[:count, 0] - row[0]) <= atol)
        if near.size == 0 or np.abs(representatives[near] - row).max(axis=1).min() > atol:
            representatives[count] = row
            count += 1
    return count


#: Two units count as tied when no entry of their incoming vectors differs by more than this.
#: The symmetry theorem is exact, but an optimised BLAS may round two equal columns of a matrix
#: product differently at some widths (gaps of 1e-17 to 1e-14 in float64), and such gaps stay
#: at rounding level.
TIE_ATOL = 1e-12


def distinct_units(W, b=None, atol=0.0):
    """Number of distinct units of a layer.

    Parameters
    ----------
    W : array (fan_in, fan_out) or (K, fan_in, fan_out)
    b : array (fan_out,) or (K, fan_out), optional
        Biases, appended to the incoming vectors.
    atol : float
        0: exact (bitwise) comparison.  Otherwise two units count as one when
        every entry differs by at most `atol` (greedy grouping, in unit order).
        W and b must be finite: a diverged member has no units to count (look at
        `History.diverged` first).

    Returns
    -------
    int, or int array (K,) for a population
    """
    atol = _checks.non_negative_number("atol", atol)
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
    activation = get_activation(activation)
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
    _checks.network("layer_statistics(net, X, y, loss)", net)
    value, grads = net.loss_and_gradients(X, y, get_loss(loss))
    with np.errstate(over="ignore", invalid="ignore"):  # a huge scale gives inf: an outcome
        return _layer_records(net, grads)


def _layer_records(net, grads):
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
    _checks.network("flatten_parameters(net)", net)
    net.validate()
    lead = () if net.population is None else (net.population,)
    parts = [p.reshape(lead + (-1,)) for W, b in zip(net.weights, net.biases) for p in (W, b)
             if p is not None]
    return np.concatenate(parts, axis=-1)


def set_flat_parameters(net, theta):
    """Write θ (as from `flatten_parameters`) back into the network's arrays, in place."""
    _checks.network("set_flat_parameters(net, theta)", net)
    net.validate()
    theta = _checks.finite_array("theta", theta, net.dtype)
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
    _checks.network("parameter_labels(net)", net)
    labels = []
    for l in range(net.L):
        n_in, n_out = net.sizes[l], net.sizes[l + 1]
        labels += [f"W{l + 1}[{i},{j}]" for i in range(n_in) for j in range(n_out)]
        if net.has_biases:
            labels += [f"b{l + 1}[{j}]" for j in range(n_out)]
    return labels


# ------------------------------------------------------------------ curvature
#: Largest number of parameters `hessian` accepts.
HESSIAN_MAX_PARAMETERS = 2000


def _flat_gradient(net, X, T, loss):
    """The gradient as one flat vector, on inputs prepared once by `MLP.prepare`."""
    value, grads = net.gradients(X, T, loss)
    return np.concatenate([np.ravel(p) for W, b in zip(grads.weights, grads.biases) for p in (W, b)
                           if p is not None])


def hessian(net, X, y, loss, eps=1e-5):
    r"""The Hessian d²Loss/dθ² at the current parameters, shape (P, P).

    Column i is the central difference of the analytic gradient,
    (∇L(θ + ε e_i) − ∇L(θ − ε e_i)) / (2ε), error O(ε²); the result is
    symmetrised, (H + Hᵀ)/2.  It costs 2P gradient evaluations and P² numbers, so it is
    for small networks: P up to `HESSIAN_MAX_PARAMETERS` (2000).  `eps` must lie in
    [1e-8, 1e-2]: smaller steps drown in rounding error, larger ones in the O(ε²) term.
    """
    _checks.network("hessian(net, X, y, loss)", net)
    if net.population is not None:
        raise ValueError("hessian needs a single network; use net.member(k)")
    eps = _checks.real_number("eps", eps, 1e-8, 1e-2)
    loss = get_loss(loss)
    P = net.n_parameters
    if P > HESSIAN_MAX_PARAMETERS:
        raise ValueError(f"hessian of a network with P = {P} parameters would need {2 * P} "
                         f"gradient evaluations and a {P}×{P} matrix; the limit is "
                         f"{HESSIAN_MAX_PARAMETERS} parameters: use a smaller network")
    work = net.copy()
    X, T = work.prepare(X, y, loss)
    theta = flatten_parameters(work)
    H = np.empty((theta.size, theta.size))
    for i in range(theta.size):
        step = np.zeros_like(theta)
        step[i] = eps
        set_flat_parameters(work, theta + step)
        g_plus = _flat_gradient(work, X, T, loss)
        set_flat_parameters(work, theta - step)
        g_minus = _flat_gradient(work, X, T, loss)
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
    _checks.network("loss_surface(net, X, y, loss, ...)", net)
    if net.population is not None:
        raise ValueError("loss_surface needs a single network; use net.member(k)")
    loss = get_loss(loss)
    span = _checks.positive_number("span", span)
    n = _checks.positive_int("n", n)
    if n < 2:
        raise ValueError(f"n must be at least 2 grid points per axis, got {n}")
    theta = flatten_parameters(net)
    d1 = _checks.finite_array("direction1", direction1)
    d2 = _checks.finite_array("direction2", direction2)
    for name, d in (("direction1", d1), ("direction2", d2)):
        if d.shape != theta.shape:
            raise ValueError(f"{name} must have shape {theta.shape} (one entry per parameter, "
                             f"as from flatten_parameters), got {d.shape}")
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
    _checks.network("hidden_distinct_units(net)", net)
    return [distinct_units(W, b, atol) for W, b in zip(net.weights[:-1], net.biases[:-1])]


def _snapshots(history, layer):
    if not hasattr(history, "snapshots"):
        raise ValueError(f"history must be the History that train returned, got "
                         f"{type(history).__name__}")
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
    _checks.network("activation_spread(net, X)", net)
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
    _checks.network("dead_fraction(net, X)", net)
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
    s = _checks.numeric_array("singular_values", singular_values)
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
    _checks.network("gradient_by_group(net, X, y)", net)
    if net.population is not None:
        raise ValueError("gradient_by_group needs a single network; use net.member(k)")
    _, grads = net.loss_and_gradients(X, y, loss)
    groups = {}
    for l, (gW, gb) in enumerate(zip(grads.weights, grads.biases), start=1):
        groups[f"W{l}"] = float(np.abs(gW).max())
        if gb is not None:
            groups[f"b{l}"] = float(np.abs(gb).max())
    return groups
