r"""Measurements the book asserts: are the units still identical, how do the
layers' signals look, what is the curvature of the loss.

Unit j of a layer is its incoming weight vector, column ``W[:, j]``, augmented
with its bias ``b[j]`` when given (the "bias trick": b is the weight of a
constant input 1).  Two units compute the same function of the layer below
exactly when these augmented vectors are equal.
"""

from dataclasses import dataclass

import numpy as np

from .losses import get_loss


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
        g = net._g(l)
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
    net._check_parameters()
    lead = () if net.population is None else (net.population,)
    parts = [p.reshape(lead + (-1,)) for W, b in zip(net.weights, net.biases) for p in (W, b)]
    return np.concatenate(parts, axis=-1)


def set_flat_parameters(net, theta):
    """Write θ (as from `flatten_parameters`) back into the network's arrays, in place."""
    net._check_parameters()
    theta = np.asarray(theta, dtype=net.dtype)
    expected = flatten_parameters(net).shape
    if theta.shape != expected:
        raise ValueError(f"theta has shape {theta.shape}, this network needs {expected}")
    start = 0
    for W, b in zip(net.weights, net.biases):
        for p in (W, b):
            size = int(np.prod(p.shape[1:] if net.population else p.shape))
            p[...] = theta[..., start:start + size].reshape(p.shape)
            start += size


def parameter_labels(net):
    """Names in the order of `flatten_parameters`: "W1[0,2]", ..., "b1[2]", "W2[..]"."""
    labels = []
    for l in range(net.L):
        n_in, n_out = net.sizes[l], net.sizes[l + 1]
        labels += [f"W{l + 1}[{i},{j}]" for i in range(n_in) for j in range(n_out)]
        labels += [f"b{l + 1}[{j}]" for j in range(n_out)]
    return labels


# ------------------------------------------------------------------ curvature
def _flat_gradient(net, X, y, loss):
    value, grads = net.loss_and_gradients(X, y, loss)
    return np.concatenate([np.ravel(p) for W, b in zip(grads.weights, grads.biases) for p in (W, b)])


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
    from .network import MLP  # local: network does not need diagnostics

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
