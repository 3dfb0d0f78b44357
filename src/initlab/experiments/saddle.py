r"""Chapter 2: the all-zero point is a saddle, and how long it takes to leave it.

A network with one hidden layer of h units, ``ŷ = g(x W1 + b1) W2 + b2``, MSE
loss L = (1/(2N)) Σ_n (ŷ_n − y_n)² (initlab's convention), and an activation
with g(0) = 0 (tanh).  At W1 = 0, W2 = 0, b1 = 0:

* every hidden activation is g(0) = 0, so dL/dW2 = a1ᵀ delta2 = 0, and every
  delta1 = (delta2 W2ᵀ) ⊙ g'(z1) = 0, so dL/dW1 = dL/db1 = 0;  only b2 has a
  gradient, mean(ŷ − y), which vanishes once b2 = mean(y): a stationary point.
* the Hessian there has one kind of nonzero entry besides d²L/db2² = 1: the
  cross terms between unit j's incoming weights and its outgoing weight,

      d²L / dW1[i, j] dW2[j, 0] = −g'(0) · E[x_i (y − ŷ)]   (= −g'(0) c_i),
      d²L / db1[j]    dW2[j, 0] = −g'(0) · E[y − ŷ]         (= 0 at the optimal b2).

  Each unit is a block [[0, −g'(0) c], [−g'(0) cᵀ, 0]] with eigenvalues
  ±g'(0)‖c‖ and zeros: h negative eigenvalues when the target correlates with
  the input (c ≠ 0), a *strict saddle*.

Gradient descent from weights of scale ε grows the unstable direction by a
factor (1 + lr·|λ_min|) per step, so it leaves the saddle after about
log(1/ε) / log(1 + lr·|λ_min|) steps.  With k weight matrices in a chain the
escape slows to ~ε^(2−k) steps (Saxe, McClelland & Ganguli 2014):
`scalar_chain_escape`, `deep_linear_steps`.
"""

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .. import _checks
from ..activations import get_activation
from ..data import teacher_regression
from ..initializers import get_initializer, normal
from ..network import MLP, backward
from ..statistics import first_step_below
from ..training import train

__all__ = [
    "zero_point_network", "input_residual_correlation", "zero_point_hessian",
    "predicted_zero_point_eigenvalues", "saddle_directions", "EscapeResult",
    "escape_experiment", "predicted_log_slope", "scalar_chain_escape",
    "chain_escape_prediction", "DeepLinearResult", "deep_linear_steps", "CAP", "escape_curves",
]


def _regression_data(X, y):
    X = _checks.finite_array("X", X)
    y = _checks.finite_array("y", y)
    if X.ndim != 2:
        raise ValueError(f"X must have shape (N, d), got {X.shape}")
    if y.shape not in ((X.shape[0],), (X.shape[0], 1)):
        raise ValueError(f"y must have shape ({X.shape[0]},) or ({X.shape[0]}, 1) to match X "
                         f"of shape {X.shape}, got {y.shape}")
    return X, y.reshape(-1, 1)


def _zero_centred_activation(activation):
    g = get_activation(activation)
    if abs(g.value_at_zero) > 0:
        raise ValueError(f"activation {g.name!r} has g(0) = {g.value_at_zero:g}; the saddle "
                         f"analysis needs g(0) = 0 (tanh, relu, identity, lecun_tanh)")
    return g


# ----------------------------------------------------------- the zero point
def zero_point_network(X, y, hidden=4, activation="tanh"):
    """A ``[d, hidden, 1]`` network at the zero point: every weight and hidden bias 0,
    the output bias at its optimum mean(y) (the best constant prediction for MSE).

    Parameters
    ----------
    X : array (N, d)
    y : array (N,) or (N, 1)
    hidden : int
        Number of hidden units h.
    activation : str
        An activation with g(0) = 0.

    Returns
    -------
    MLP with ``sizes == [d, hidden, 1]`` and identity output.
    """
    X, y = _regression_data(X, y)
    hidden = _checks.positive_int("hidden", hidden)
    _zero_centred_activation(activation)
    net = MLP([X.shape[1], hidden, 1], activation=activation, weight_init="zeros")
    net.biases[1][:] = y.mean()
    return net


def input_residual_correlation(X, y, output_bias=None):
    r"""c = E[x (y − ŷ)] at the zero point, where ŷ = b2 everywhere.

    Parameters
    ----------
    X : array of shape (N, d)
    y : array of shape (N,) or (N, 1)
    output_bias : float, optional
        b2; default mean(y), its optimum.

    Returns
    -------
    c : array (d + 1,)
        The d input–residual correlations followed by E[y − b2] (the residual's
        correlation with the constant input of a hidden bias).
    """
    X, y = _regression_data(X, y)
    b2 = float(y.mean()) if output_bias is None else float(output_bias)
    residual = y[:, 0] - b2
    return np.append(X.T @ residual / len(residual), residual.mean())


def zero_point_hessian(X, y, hidden=4, activation="tanh", output_bias=None):
    r"""The Hessian of the MSE loss at the zero point, from the closed form (no differencing).

    Parameters are ordered as `initlab.flatten_parameters` orders them:
    W1 (row-major, entry (i, j) at i·h + j), b1, W2, b2.  Nonzero entries:

        H[W1[i,j], W2[j]] = −g'(0) c_i,   H[b1[j], W2[j]] = −g'(0) c_d,   H[b2, b2] = 1,

    with c = `input_residual_correlation` (X, y, output_bias).

    Returns
    -------
    H : array (P, P), P = d·h + h + h + 1
    """
    X, y = _regression_data(X, y)
    hidden = _checks.positive_int("hidden", hidden)
    g = _zero_centred_activation(activation)
    d = X.shape[1]
    c = input_residual_correlation(X, y, output_bias)
    P = d * hidden + 2 * hidden + 1
    H = np.zeros((P, P))
    w2 = d * hidden + hidden  # index of W2[0, 0]
    for j in range(hidden):
        incoming = [i * hidden + j for i in range(d)] + [d * hidden + j]  # W1[:, j], then b1[j]
        H[incoming, w2 + j] = -g.derivative_at_zero * c
        H[w2 + j, incoming] = -g.derivative_at_zero * c
    H[-1, -1] = 1.0
    return H


def predicted_zero_point_eigenvalues(X, y, hidden=4, activation="tanh", output_bias=None):
    """Eigenvalues of `zero_point_hessian` from the block structure, ascending:
    h copies of −g'(0)‖c‖, zeros, h copies of +g'(0)‖c‖, and 1 (the output bias)."""
    X, y = _regression_data(X, y)
    hidden = _checks.positive_int("hidden", hidden)
    g = _zero_centred_activation(activation)
    lam = abs(g.derivative_at_zero) * np.linalg.norm(input_residual_correlation(X, y, output_bias))
    d = X.shape[1]
    n_zero = d * hidden + 2 * hidden + 1 - 2 * hidden - 1
    return np.sort(np.r_[np.full(hidden, -lam), np.zeros(n_zero), np.full(hidden, lam), 1.0])


def saddle_directions(X, y, hidden=4, unit=0, output_bias=None):
    r"""Unit-length directions (flattened parameter vectors) along which the loss curves
    down and up: unit `unit`'s incoming weights along ĉ (input part of c, normalised)
    and its outgoing weight, (ĉ, ±1)/√2.

    Returns
    -------
    down, up : arrays (P,)
        Eigenvectors of `zero_point_hessian` for −g'(0)‖c‖ and +g'(0)‖c‖ when the
        bias correlation c_d is 0 (b2 at its optimum).
    """
    X, y = _regression_data(X, y)
    hidden = _checks.positive_int("hidden", hidden)
    if isinstance(unit, (bool, np.bool_)) or not isinstance(unit, (int, np.integer)) \
            or not 0 <= unit < hidden:
        raise ValueError(f"unit must be an integer in 0..{hidden - 1}, got {unit!r}")
    c = input_residual_correlation(X, y, output_bias)[:-1]
    if not np.linalg.norm(c) > 0:
        raise ValueError("the target is uncorrelated with every input (c = 0): the zero point "
                         "has no negative-curvature direction of this kind")
    d = X.shape[1]
    P = d * hidden + 2 * hidden + 1
    down, up = np.zeros(P), np.zeros(P)
    incoming = [i * hidden + unit for i in range(d)]
    outgoing = d * hidden + hidden + unit
    down[incoming] = up[incoming] = c / np.linalg.norm(c) / np.sqrt(2)
    # H couples W1[:, j] and W2[j] through −g'(0) c: moving both along +c lowers the loss.
    down[outgoing], up[outgoing] = 1 / np.sqrt(2), -1 / np.sqrt(2)
    return down, up


# ---------------------------------------------------------------- escaping
@dataclass
class EscapeResult:
    """What `escape_experiment` measured.

    Attributes
    ----------
    epsilons : array (E,)       initial weight scales
    loss : array (steps + 1, E, K)
    saddle_loss : float         loss at the zero point with b2 = mean(y), Var(y)/2
    trained_loss : float        median final loss of the largest-ε members
    threshold : float           saddle_loss − fraction·(saddle_loss − trained_loss)
    steps : int array (E, K)    first step at or below `threshold`; −1: not within the run
    """

    epsilons: np.ndarray
    loss: np.ndarray
    saddle_loss: float
    trained_loss: float
    threshold: float
    steps: np.ndarray

    @property
    def median_steps(self):
        """(E,) median escape step over the K members (NaN if any member did not escape)."""
        steps = np.where(self.steps >= 0, self.steps, np.nan).astype(float)
        return np.median(steps, axis=1)


def _scales(epsilons):
    eps = np.atleast_1d(np.asarray(epsilons, dtype=float))
    if eps.ndim != 1 or eps.size == 0 or not np.all(np.isfinite(eps)) or np.any(eps <= 0):
        raise ValueError(f"epsilons must be a non-empty list of finite numbers > 0, got {epsilons!r}")
    return eps


def escape_experiment(X, y, epsilons, population=8, hidden=4, n_layers=2, activation="tanh",
                      lr=0.5, steps=200, fraction=0.5, seed=0, trained_loss=None):
    r"""Gradient descent from random weights of scale ε, for every ε and K members at once.

    The weights of every layer are ε times N(0, 1) draws (the same K draws for
    every ε, so only the scale changes); biases start at 0.  All E·K networks
    are trained as one population.  Escape: the first step at which the loss
    falls `fraction` of the way from the saddle's loss to the trained loss.

    Parameters
    ----------
    X, y : arrays (N, d) and (N, 1)
        Regression data.
    epsilons : sequence of E floats > 0
    population : int
        K networks per ε.
    hidden : int
        Width of every hidden layer.
    n_layers : int >= 2
        L, the number of weight matrices (L − 1 hidden layers).
    activation : str
    lr, steps : float, int
        SGD learning rate and number of full-batch steps.
    fraction : float in (0, 1)
    seed : int
    trained_loss : float, optional
        The loss "after training" that defines the threshold; default the median
        final loss of the members with the largest ε.

    Returns
    -------
    EscapeResult
    """
    X, y = _regression_data(X, y)
    eps = _scales(epsilons)
    population = _checks.positive_int("population", population)
    hidden = _checks.positive_int("hidden", hidden)
    n_layers = _checks.positive_int("n_layers", n_layers)
    if n_layers < 2:
        raise ValueError(f"n_layers counts weight matrices and must be >= 2, got {n_layers}")
    fraction = _checks.positive_number("fraction", fraction)
    if fraction >= 1:
        raise ValueError(f"fraction must be in (0, 1), got {fraction!r}")
    base = MLP([X.shape[1]] + [hidden] * (n_layers - 1) + [1], activation=activation,
               weight_init=normal(1.0), population=population, seed=seed)
    net = MLP.stack([base] * len(eps))
    scale = np.repeat(eps, population)[:, None, None]
    for W in net.weights:
        W *= scale
    history = train(net, X, y, loss="mse", optimizer="sgd", lr=lr, steps=steps)
    loss = history.loss.reshape(steps + 1, len(eps), population)
    saddle_loss = float(y.var() / 2)
    if trained_loss is None:
        trained_loss = float(np.nanmedian(loss[-1, int(np.argmax(eps))]))
    else:
        trained_loss = _checks.non_negative_number("trained_loss", trained_loss)
    if not trained_loss < saddle_loss:
        raise ValueError(f"trained_loss={trained_loss:g} is not below the saddle's loss "
                         f"{saddle_loss:g}; train longer or pass a trained_loss")
    threshold = saddle_loss - fraction * (saddle_loss - trained_loss)
    return EscapeResult(eps, loss, saddle_loss, trained_loss, threshold,
                        first_step_below(loss, threshold, inclusive=True))


def predicted_log_slope(lr, curvature):
    """1 / ln(1 + lr·|λ|): steps per e-fold of 1/ε when the unstable direction grows
    by (1 + lr·|λ|) per step of gradient descent."""
    lr = _checks.positive_number("lr", lr)
    if isinstance(curvature, (bool, np.bool_)) or not np.isfinite(curvature) or curvature == 0:
        raise ValueError(f"curvature must be a finite nonzero number (a flat direction does "
                         f"not grow), got {curvature!r}")
    lam = abs(float(curvature))
    return float(1 / np.log1p(lr * lam))


# ----------------------------------------------------- chains and deep linear nets
def scalar_chain_escape(lengths, epsilons, lr=0.05, cap=15000):
    r"""Escape of the scalar chain f(x) = w_1 w_2 ⋯ w_k x from w_i = ε, target y = x.

    With unit input the loss is L = ½ (1 − p)², p = Π_i w_i; it is 0.5 at the
    saddle w = 0 and 0 at the solution.  Escape: the first step with L <= 0.25,
    half-way down.  Every (k, ε) pair is one row of a single array, updated together:
    dL/dw_i = −(1 − p) Π_{j≠i} w_j.

    Parameters
    ----------
    lengths : sequence of int
        Chain lengths k >= 1 (number of weights in the chain).
    epsilons : sequence of float > 0
    lr : float
    cap : int
        Largest number of steps.

    Returns
    -------
    steps : int array (len(lengths), len(epsilons))
        −1 when not escaped within `cap`.
    """
    ks = np.atleast_1d(np.asarray(lengths))
    if ks.ndim != 1 or ks.size == 0 or not all(isinstance(k, (int, np.integer)) and k >= 1
                                               for k in ks.tolist()):
        raise ValueError(f"lengths must be a list of integers >= 1, got {lengths!r}")
    eps = _scales(epsilons)
    lr = _checks.positive_number("lr", lr)
    cap = _checks.positive_int("cap", cap)
    k = np.repeat(ks, eps.size)
    active = np.arange(ks.max())[None, :] < k[:, None]
    w = np.where(active, np.tile(eps, ks.size)[:, None], 1.0)  # padding weights stay 1
    steps = np.full(k.size, -1)
    for t in range(cap + 1):
        ones = np.ones((k.size, 1))
        left = np.cumprod(np.c_[ones, w[:, :-1]], axis=1)                    # Π_{j<i} w_j
        right = np.cumprod(np.c_[ones, w[:, :0:-1]], axis=1)[:, ::-1]        # Π_{j>i} w_j
        residual = 1.0 - left[:, -1] * w[:, -1]
        steps[(steps < 0) & (0.5 * residual ** 2 <= 0.25)] = t
        if np.all(steps >= 0) or t == cap:
            break
        w += lr * np.where(active, residual[:, None] * left * right, 0.0)
    return steps.reshape(ks.size, eps.size)


def chain_escape_prediction(k, epsilons, lr=0.05):
    r"""Leading-order escape time of the scalar chain from w_i = ε.

    Near 0 every weight obeys w ← w + lr·w^(k−1): for k = 2 it grows by (1 + lr)
    per step, ln(1/ε)/ln(1 + lr) steps; for k >= 3 the continuous-time solution
    reaches O(1) after ε^(2−k) / (lr (k − 2)) steps (Saxe et al. 2014).
    """
    k = _checks.positive_int("k", k)
    if k < 2:
        raise ValueError(f"k must be >= 2 (with one weight there is no saddle), got {k}")
    eps = _scales(epsilons)
    lr = _checks.positive_number("lr", lr)
    if k == 2:
        return np.log(1 / eps) / np.log1p(lr)
    return eps ** (2.0 - k) / (lr * (k - 2))


@dataclass
class DeepLinearResult:
    """What `deep_linear_steps` measured, per L (rows) and member (columns).

    Attributes
    ----------
    n_layers : int array (R,)
        The numbers of weight matrices L that were run.
    steps : int array (R, K)
        First step with loss <= fraction·(initial loss); −1 when not reached within
        `cap` steps or diverged.
    diverged : bool array (R, K)
    cap : int
    sigma_min, sigma_max : arrays (R, K)
        Smallest and largest singular value of the initial product P = W_1 ⋯ W_L.
    final_fraction : array (R, K)
        Loss at the last step run over the initial loss (NaN for a diverged member).
    """

    n_layers: np.ndarray
    steps: np.ndarray
    diverged: np.ndarray
    cap: int
    sigma_min: np.ndarray = None
    sigma_max: np.ndarray = None
    final_fraction: np.ndarray = None

    @property
    def stalled(self):
        """(R, K) True for a member that stayed finite but did not reach the target loss."""
        return ~self.diverged & (self.steps < 0)

    @property
    def median_steps(self):
        """(R,) median over members, counting "not reached" and "diverged" as +inf."""
        s = np.where(self.steps >= 0, self.steps, np.inf).astype(float)
        return np.median(s, axis=1)


def deep_linear_steps(n_layers, init="orthogonal", width=32, population=4, lr_scale=0.3,
                      cap=1000, fraction=0.05, seed=0, teacher_seed=12345):
    r"""Steps for a deep linear network to reach `fraction` of its initial loss.

    The network is P = W_1 W_2 ⋯ W_L (L square matrices of size `width`, no biases,
    identity activations: an `MLP` with ``biases=False``), the task a linear teacher M
    with N(0, 1/width) entries on whitened inputs (E[x xᵀ] = I, here X = I), so the
    loss is L = ½‖P − M‖²_F: the backward pass starts from delta_L = P − M.  Full-batch
    gradient descent, lr = lr_scale / L; K members of each L trained together along
    the population axis.

    Parameters
    ----------
    n_layers : sequence of int >= 1
        The values of L to run.
    init : {"orthogonal", "lecun"}
        Orthogonal (Saxe et al. 2014) or Gaussian N(0, 1/width) matrices.
    width, population, cap : int
    lr_scale, fraction : float
    seed, teacher_seed : int

    Returns
    -------
    DeepLinearResult
    """
    if init not in ("orthogonal", "lecun"):
        raise _checks.unknown_name("init", init, ("orthogonal", "lecun"))
    ds = [_checks.positive_int("n_layers", D) for D in np.atleast_1d(n_layers).tolist()]
    width = _checks.positive_int("width", width)
    K = _checks.positive_int("population", population)
    lr_scale = _checks.positive_number("lr_scale", lr_scale)
    cap = _checks.positive_int("cap", cap)
    fraction = _checks.positive_number("fraction", fraction)
    teacher = _checks.make_rng(teacher_seed, "teacher_seed").standard_normal((width, width))
    teacher /= np.sqrt(width)
    draw = get_initializer(init)
    X = np.eye(width)  # whitened inputs: sample n is e_n, so the output is P itself
    steps = np.full((len(ds), K), -1)
    diverged = np.zeros((len(ds), K), dtype=bool)
    sigma = np.zeros((2, len(ds), K))
    final_fraction = np.full((len(ds), K), np.nan)
    for row, (D, rng) in enumerate(zip(ds, _checks.spawn_rngs(seed, len(ds)))):
        net = MLP.from_parameters([draw((K, width, width), rng) for _ in range(D)], None,
                                  activation="identity", output="identity")
        singular = np.linalg.svd(net.run(X)[1][-1], compute_uv=False)  # of P itself (X = I)
        sigma[:, row] = singular.min(axis=-1), singular.max(axis=-1)
        gs = [net.activation_of(l) for l in range(1, D + 1)]
        lr = lr_scale / D
        with np.errstate(all="ignore"):  # a diverging member is an outcome, recorded below
            for t in range(cap + 1):
                zs, activations, masks = net.run(X)
                R = activations[-1] - teacher
                loss = 0.5 * np.sum(R * R, axis=(1, 2))
                if t == 0:
                    initial = loss
                diverged[row] |= ~np.isfinite(loss)
                final_fraction[row] = np.where(diverged[row], np.nan, loss / initial)
                steps[row][(steps[row] < 0) & (loss <= fraction * initial)] = t
                if np.all((steps[row] >= 0) | diverged[row]) or t == cap:
                    break
                grads = backward(net.weights, net.biases, gs, zs, activations, masks, R)
                for W, G in zip(net.weights, grads.weights):
                    W -= lr * G
    steps[diverged] = -1
    return DeepLinearResult(np.array(ds), steps, diverged, cap, sigma[0], sigma[1], final_fraction)


# ------------------------------------------------------------ the explorer's runs
#: Steps the chapter's explorer shows: long enough for 3 weight matrices at ε = 0.01.
CAP = 600


@lru_cache(maxsize=None)
def _task():
    """The chapter's task and its reference trained loss (2 → 4 tanh units → 1, lr 0.5)."""
    X, y = teacher_regression(n=200, d=2, hidden=4, seed=0)
    reference = escape_experiment(X, y, [0.1], population=4, steps=300)
    return X, y, reference.trained_loss


def escape_curves(epsilon=0.01, n_layers=2, population=6, steps=CAP):
    """Loss curves of `population` tanh networks (width 4, `n_layers` weight matrices)
    trained from weights of scale `epsilon` on the chapter's regression task.

    Returns
    -------
    EscapeResult
        For one ε: ``loss`` has shape (steps + 1, 1, population).  Results are cached;
        do not modify them in place.
    """
    epsilon = _checks.positive_number("epsilon", epsilon)
    n_layers = _checks.positive_int("n_layers", n_layers)
    if not 2 <= n_layers <= 6:
        raise ValueError(f"n_layers (number of weight matrices) must be in 2..6, got {n_layers}")
    return _curves(epsilon, n_layers, _checks.positive_int("population", population),
                   _checks.positive_int("steps", steps))


@lru_cache(maxsize=64)
def _curves(epsilon, n_layers, population, steps):
    # Cached: the live widget's first view repeats a preset of the static gallery.
    X, y, trained = _task()
    return escape_experiment(X, y, [epsilon], population=population, n_layers=n_layers,
                             steps=steps, trained_loss=trained)
