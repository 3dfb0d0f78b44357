r"""Chapter 6: XOR, the simple example the question asks for.

Two networks are called "XOR networks": the 2-2-1 network (two sigmoid hidden units) and the
"2-1" network of Rumelhart, Hinton & Williams (1986): one hidden unit, and the two inputs also
wired straight to the output unit (shortcuts).  The chapter trains thousands of them.

Why this module has its own tiny network
----------------------------------------
`initlab.MLP` is the book's network, and a population of 1000 XOR networks fits on its
population axis.  But the chapter needs about 16 000 networks × 10 000 full-batch epochs in a
few seconds, and the 2-1 network's shortcuts are not an MLP layer.  `TinyNet` is a
specialised, elementwise implementation of the one-hidden-layer networks with two inputs and
one output (optionally with input→output shortcuts): parameters are ``(K,)`` rows of one
``(P, K)`` array, the four patterns are one small axis, and every operation is a vectorised
numpy call over the population.  It computes exactly what `initlab.MLP` computes: the unit
tests check losses and gradients against `MLP` to 1e-12 (2-2-1, 2-4-1) and the shortcut
network against finite differences.

Parameter order (``theta[k]``), the order of `initlab.flatten_parameters` for an MLP:
``W1[0,0..H-1], W1[1,0..H-1], b1[0..H-1], W2[0..H-1], b2`` and, with shortcuts, ``V[0], V[1]``
(input i → output).  Loss: initlab's mean convention L = 1/(2N) Σ_n (ŷ_n − y_n)²; the classic
summed error E = ½ Σ_n is N·L, so a learning rate η on E is N·η on L.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import _checks
from ..data import xor
from ..statistics import wilson_interval

__all__ = ["TinyNet", "network", "NETWORKS", "LR_SUMMED", "lr_mean", "uniform_start",
           "train_tiny", "TrainResult", "loss_curves", "success_sweep", "SweepResult",
           "PUBLISHED_SCALES", "PUBLISHED_SUCCESS", "PUBLISHED_TRIALS", "hessian_min_eigenvalue",
           "classify_failures", "FailureReport", "zero_start_gradients", "escape_times",
           "loss_along_directions", "fit_power_law", "decision_grid", "hidden_saturation", "FAILURE_KINDS",
           "ZERO_STARTS", "zero_start", "zero_start_study", "zero_start_table", "success_table",
           "failure_table", "restarts_needed", "pm1_network", "population_hessian"]

NETWORKS = ("2-2-1", "2-1")
#: the classic setting: learning rate 2 on the summed error E = ½ Σ_n (ŷ_n − y_n)²
LR_SUMMED = 2.0
#: a published success table for the 2-2-1 network (10 000 epochs, 500 trials per r)
PUBLISHED_SCALES = (0.0, 0.01, 0.1, 0.3, 0.5, 1.0, 2.0, 4.0, 8.0)
PUBLISHED_SUCCESS = (0.0, 0.0, 0.54, 0.96, 0.94, 0.83, 0.66, 0.53, 0.33)
PUBLISHED_TRIALS = 500


def lr_mean(lr_summed: float = LR_SUMMED, n_samples: int = 4) -> float:
    """The learning rate on initlab's mean loss 1/(2N) Σ that equals `lr_summed` on ½ Σ."""
    return _checks.positive_number("lr_summed", lr_summed) * _checks.positive_int("n_samples", n_samples)


def _act(name):
    if name not in ("sigmoid", "tanh", "identity"):
        raise _checks.unknown_name("activation", name, ("sigmoid", "tanh", "identity"))
    return name


def _value(name, z):
    if name == "sigmoid":
        out = np.exp(-z)
        out += 1.0
        return np.reciprocal(out, out=out)
    if name == "tanh":
        return np.tanh(z)
    return z


def _activate(name, z):
    """g(z) in place."""
    if name == "sigmoid":
        np.negative(z, out=z)
        np.exp(z, out=z)
        z += 1.0
        np.reciprocal(z, out=z)
    elif name == "tanh":
        np.tanh(z, out=z)


def _slope(name, a):
    if name == "sigmoid":
        return a - a * a
    if name == "tanh":
        return 1.0 - a * a
    return None


@dataclass(frozen=True)
class TinyNet:
    """A 2-H-1 network, optionally with input→output shortcuts, for populations.

    Parameters
    ----------
    hidden : int
        H, the number of hidden units.
    shortcut : bool
        Wire the two inputs straight to the output too (the "2-1" network has H = 1).
    activation, output : {"sigmoid", "tanh", "identity"}
        Hidden and output activations.
    """

    hidden: int = 2
    shortcut: bool = False
    activation: str = "sigmoid"
    output: str = "sigmoid"

    def __post_init__(self):
        _checks.positive_int("hidden", self.hidden)
        _act(self.activation)
        _act(self.output)

    @property
    def n_parameters(self) -> int:
        return 4 * self.hidden + 1 + (2 if self.shortcut else 0)

    def labels(self):
        """Parameter names in the order of ``theta``."""
        H = self.hidden
        names = [f"W1[{i},{j}]" for i in range(2) for j in range(H)]
        names += [f"b1[{j}]" for j in range(H)] + [f"W2[{j}]" for j in range(H)] + ["b2"]
        return names + (["V[0]", "V[1]"] if self.shortcut else [])

    # ------------------------------------------------------------------ core
    def _split(self, P):
        """Views of the parameter array P (n_parameters, K)."""
        H = self.hidden
        W1 = P[:2 * H].reshape(2, H, -1)
        return W1, P[2 * H:3 * H], P[3 * H:4 * H], P[4 * H], (P[4 * H + 1:] if self.shortcut else None)

    def _forward(self, P, X):
        W1, b1, W2, b2, V = self._split(P)
        N, H, K = X.shape[0], self.hidden, P.shape[1]
        z = (X @ W1.reshape(2, H * K)).reshape(N, H, K)
        z += b1
        a = _value(self.activation, z)
        zo = np.einsum("nhk,hk->nk", a, W2) if H > 1 else a[:, 0] * W2[0]
        if V is not None:
            zo += X @ V
        zo += b2
        return a, _value(self.output, zo)

    def _loss_grad(self, P, X, Y):
        """Loss (K,) and gradient (n_parameters, K); X (N, 2), Y (N, 1)."""
        W1, b1, W2, b2, V = self._split(P)
        N, H, K = X.shape[0], self.hidden, P.shape[1]
        a, o = self._forward(P, X)
        e = o - Y
        loss = 0.5 * np.mean(e * e, axis=0)
        d_o = e * (1.0 / N)
        slope = _slope(self.output, o)
        if slope is not None:
            d_o *= slope
        G = np.empty_like(P)
        gW1, gb1, gW2, _, gV = self._split(G)
        gW2[...] = np.einsum("nhk,nk->hk", a, d_o)
        G[4 * H] = d_o.sum(axis=0)
        if V is not None:
            gV[...] = X.T @ d_o
        d_h = d_o[:, None, :] * W2
        d_h *= _slope(self.activation, a) if self.activation != "identity" else 1.0
        gW1[...] = (X.T @ d_h.reshape(N, H * K)).reshape(2, H, K)
        gb1[...] = d_h.sum(axis=0)
        return loss, G

    def _descent_step(self, P, Xa, Y, lr):
        """One gradient-descent step on P (n_parameters, K), in place: the arithmetic of
        `_loss_grad` rearranged for speed (no loss, in-place buffers, learning rate folded
        into the output delta).  The tests check both against each other to 1e-12."""
        H, K, N = self.hidden, P.shape[1], Xa.shape[0]
        A = Xa @ P[:3 * H].reshape(3, H * K)
        _activate(self.activation, A)
        zo = A[:, :K] * P[3 * H]
        for h in range(1, H):
            zo += A[:, h * K:(h + 1) * K] * P[3 * H + h]
        zo += P[4 * H]
        if self.shortcut:
            zo += Xa[:, :2] @ P[4 * H + 1:]
        _activate(self.output, zo)
        d = zo - Y
        d *= lr / N
        if self.output != "identity":
            d *= _slope(self.output, zo)
        P[4 * H] -= d.sum(axis=0)
        if self.shortcut:
            P[4 * H + 1:] -= Xa[:, :2].T @ d
        for h in range(H):
            a = A[:, h * K:(h + 1) * K]
            w = P[3 * H + h].copy()
            P[3 * H + h] -= np.einsum("nk,nk->k", a, d)
            if self.activation == "sigmoid":
                square = a * a
                np.subtract(a, square, out=a)
            elif self.activation == "tanh":
                np.multiply(a, a, out=a)
                np.subtract(1.0, a, out=a)
            else:
                a[...] = 1.0
            a *= d
            a *= w
        P[:3 * H] -= (Xa.T @ A).reshape(3 * H, K)

    # ---------------------------------------------------------------- public
    def _theta(self, theta):
        theta = _checks.finite_array("theta", theta)
        if theta.ndim == 1:
            theta = theta[None]
        if theta.ndim != 2 or theta.shape[1] != self.n_parameters:
            raise ValueError(f"theta has shape {theta.shape}; this network needs (K, "
                             f"{self.n_parameters}) (parameters {', '.join(self.labels())})")
        return theta

    def loss_and_gradient(self, theta, X, y):
        """Mean loss 1/(2N) Σ (ŷ − y)² and its gradient.

        Parameters
        ----------
        theta : array (K, P) or (P,)
        X : array (N, 2); y : array (N,) or (N, 1)

        Returns
        -------
        loss : array (K,); gradient : array (K, P)
        """
        theta = self._theta(theta)
        X, Y = _data(X, y)
        loss, G = self._loss_grad(np.ascontiguousarray(theta.T), X, Y)
        return loss, G.T.copy()

    def outputs(self, theta, X):
        """Network outputs ŷ, shape (K, N)."""
        theta = self._theta(theta)
        X = _checks.finite_array("X", X)
        return self._forward(np.ascontiguousarray(theta.T), X)[1].T

    def hidden_activations(self, theta, X):
        """Hidden activations, shape (K, N, H)."""
        theta = self._theta(theta)
        return np.moveaxis(self._forward(np.ascontiguousarray(theta.T), _checks.finite_array("X", X))[0], -1, 0)


def network(name: str) -> TinyNet:
    """The two sigmoid XOR networks: "2-2-1" and "2-1" (one hidden unit plus shortcuts)."""
    if name == "2-2-1":
        return TinyNet(2, False)
    if name == "2-1":
        return TinyNet(1, True)
    raise _checks.unknown_name("network", name, NETWORKS)


def _data(X, y):
    X = _checks.finite_array("X", X)
    Y = _checks.finite_array("y", y).reshape(-1, 1)
    if X.ndim != 2 or X.shape[1] != 2 or Y.shape[0] != X.shape[0]:
        raise ValueError(f"X must be (N, 2) and y (N,) or (N, 1); got {X.shape} and {np.shape(y)}")
    return X, Y


def uniform_start(net: TinyNet, r, population: int, seed=0):
    """Initial parameters U(−r, r) for every parameter, `population` networks per scale.

    Parameters
    ----------
    r : float or sequence of floats
    population : int

    Returns
    -------
    theta : array (len(r) · population, P), scale-major; scales : array (len(r) · population,)
    """
    scales = np.atleast_1d(np.asarray(r, dtype=float))
    if np.any(scales < 0) or not np.all(np.isfinite(scales)):
        raise ValueError(f"r must be finite and >= 0, got {r!r}")
    population = _checks.positive_int("population", population)
    rng = _checks.make_rng(seed)
    u = rng.uniform(-1.0, 1.0, (scales.size, population, net.n_parameters))
    return (u * scales[:, None, None]).reshape(-1, net.n_parameters), np.repeat(scales, population)


@dataclass
class TrainResult:
    """What `train_tiny` returns.

    Attributes
    ----------
    theta : array (K, P)           final parameters
    loss : array (K,)              final mean loss
    outputs : array (K, N)         final outputs
    checkpoints : tuple of int
    correct : bool array (len(checkpoints), K)   every output on the right side of ½
    strict : bool array (len(checkpoints), K)    every output within 0.1 of its target
    frozen_at : int array (K,)     epoch a member was frozen as converged (−1: never)
    loss_history : array (epochs + 1, K) or None
    norm_history, loss_at : arrays (len(checkpoints), K)   |θ| and the loss at each checkpoint
    """

    theta: np.ndarray
    loss: np.ndarray
    outputs: np.ndarray
    checkpoints: tuple
    correct: np.ndarray
    strict: np.ndarray
    frozen_at: np.ndarray
    norm_history: np.ndarray
    loss_at: np.ndarray
    loss_history: object = None


def _right_side(o, Y, threshold):
    return np.all(np.abs(o - Y) < threshold, axis=0)


def train_tiny(net: TinyNet, theta, X, y, lr: float, checkpoints, record_loss=False,
               freeze_below: float | None = 0.05, compact_every: int = 250,
               block: int = 16_384) -> TrainResult:
    """Full-batch gradient descent on the mean loss, for a population.

    Parameters
    ----------
    theta : array (K, P)
    lr : float
        On initlab's mean loss (use `lr_mean` for a rate quoted on ½ Σ).
    checkpoints : sequence of int
        Epochs at which success, |θ| and the loss are recorded; the last one is the budget.
    record_loss : bool
        Keep the loss of every member after every epoch (then nothing is frozen).
    freeze_below : float or None
        A member whose outputs are all within this distance of their targets has converged:
        it is frozen (its parameters no longer updated) and dropped from the computation,
        which is where much of the speed comes from.  Its success at later checkpoints is
        recorded as at freezing.  None: never freeze.  The unit tests check that freezing
        changes no member's success at any checkpoint.  Members whose gradient is exactly
        zero at the start (an exact stationary point, e.g. the all-zero start) never move,
        and are not trained either.
    compact_every : int
        How often (epochs) converged members are removed.
    block : int
        Members trained together. An epoch costs a few dozen numpy calls per block whatever
        its size, so the fewer blocks the faster (chapter 6's 9 000-member sweep runs twice as
        fast in one block as in blocks of 2 048); the block only bounds the memory, about
        60 bytes per member and hidden unit. The result does not depend on it.
    """
    theta = net._theta(theta)
    X, Y = _data(X, y)
    lr = _checks.positive_number("lr", lr)
    checkpoints = tuple(_checks.positive_int("checkpoints", int(c)) for c in checkpoints)
    if not checkpoints or list(checkpoints) != sorted(set(checkpoints)):
        raise ValueError(f"checkpoints must be increasing epoch counts, got {checkpoints!r}")
    block = _checks.positive_int("block", block)
    K, C = theta.shape[0], len(checkpoints)
    out = TrainResult(theta.copy(), np.zeros(K), np.zeros((K, len(X))), checkpoints,
                      np.zeros((C, K), bool), np.zeros((C, K), bool), np.full(K, -1),
                      np.zeros((C, K)), np.zeros((C, K)),
                      np.empty((checkpoints[-1] + 1, K)) if record_loss else None)
    freeze = freeze_below is not None and not record_loss
    for lo in range(0, K, block):
        _train_block(net, theta, X, Y, lr, out, slice(lo, min(K, lo + block)), freeze,
                     freeze_below, compact_every)
    out.loss, _ = net.loss_and_gradient(out.theta, X, Y)
    out.outputs = net.outputs(out.theta, X)
    return out


def _train_block(net, theta, X, Y, lr, out, members, freeze, freeze_below, every):
    checkpoints, epochs = out.checkpoints, out.checkpoints[-1]
    P = np.ascontiguousarray(theta[members].T)
    Xa = np.c_[X, np.ones(len(X))]
    active = np.arange(members.start, members.stop)
    _, G = net._loss_grad(P, X, Y)
    moving = np.any(G != 0, axis=0)          # exact stationary points never move
    c = 0
    with np.errstate(over="ignore", under="ignore"):
        for t in range(epochs + 1):
            if out.loss_history is not None or t == checkpoints[c] or (freeze and t % every == 0) \
                    or t == 0:
                o = net._forward(P, X)[1]
                if out.loss_history is not None:
                    out.loss_history[t, active] = 0.5 * np.mean((o - Y) ** 2, axis=0)
                if t == checkpoints[c]:
                    while c < len(checkpoints) and checkpoints[c] == t:
                        out.correct[c, active] = _right_side(o, Y, 0.5)
                        out.strict[c, active] = _right_side(o, Y, 0.1)
                        out.norm_history[c, active] = np.sqrt(np.sum(P * P, axis=0))
                        out.loss_at[c, active] = 0.5 * np.mean((o - Y) ** 2, axis=0)
                        c += 1
                    c = min(c, len(checkpoints) - 1)
                done = ~moving
                if freeze and t % every == 0 and t < epochs:
                    done = done | _right_side(o, Y, freeze_below)
                if t < epochs and done.any():
                    idx = active[done]
                    out.theta[idx] = P[:, done].T
                    out.frozen_at[idx] = t
                    later = np.flatnonzero(np.array(checkpoints) > t)
                    for ci in later:
                        out.correct[ci, idx] = _right_side(o[:, done], Y, 0.5)
                        out.strict[ci, idx] = _right_side(o[:, done], Y, 0.1)
                        out.norm_history[ci, idx] = np.sqrt(np.sum(P[:, done] ** 2, axis=0))
                        out.loss_at[ci, idx] = 0.5 * np.mean((o[:, done] - Y) ** 2, axis=0)
                        if out.loss_history is not None:
                            out.loss_history[t + 1:, idx] = out.loss_history[t, idx]
                    P = np.ascontiguousarray(P[:, ~done])
                    active, moving = active[~done], moving[~done]
            if t == epochs or active.size == 0:
                break
            net._descent_step(P, Xa, Y, lr)
    out.theta[active] = P.T


def loss_curves(net: TinyNet, theta, X, y, lr: float, record):
    """Full-batch gradient descent of a small population, recording only at some epochs.

    The arithmetic of `train_tiny` with ``record_loss=True`` (nothing frozen), reduced to what
    a curve needs: the loss and the verdict at the epochs `record`, and the final parameters.
    It is much faster for a few dozen members, where every numpy call costs more than its
    arithmetic: the output unit's inputs (a₁..a_H, 1 and, with shortcuts, x₁, x₂) live in one
    buffer, so that an epoch is about twenty calls (the tests check it against `train_tiny`).

    Parameters
    ----------
    theta : array (K, P)
    lr : float
        On initlab's mean loss.
    record : sequence of int
        Increasing epochs (>= 1); the last one is the budget.

    Returns
    -------
    loss : array (len(record), K)
    correct : bool array (len(record), K)   every output on the right side of ½
    theta : array (K, P)                    the parameters after the budget
    """
    theta = net._theta(theta)
    X, Y = _data(X, y)
    lr = _checks.positive_number("lr", lr)
    record = [_checks.positive_int("record", int(t)) for t in record]
    if not record or record != sorted(set(record)):
        raise ValueError(f"record must be increasing epoch counts, got {record!r}")
    H, N = net.hidden, len(X)
    P = np.ascontiguousarray(theta.T)                     # (P, K): views below update it
    K = P.shape[1]
    W_in = P[:3 * H].reshape(3, H, K).transpose(1, 0, 2)  # (H, 3, K): W1 rows and b1
    W_out = P[3 * H:]                                     # W2, b2 and the shortcuts V
    F = np.empty((len(W_out), N, K))                      # the output unit's inputs
    F[H] = 1.0
    if net.shortcut:
        F[H + 1:] = X.T[:, :, None]
    A = F[:H]
    Xa = np.c_[X, np.ones(N)]
    loss = np.empty((len(record), K))
    correct = np.empty((len(record), K), bool)
    i = 0
    with np.errstate(over="ignore", under="ignore"):
        for t in range(record[-1] + 1):
            np.matmul(Xa, W_in, out=A)
            _activate(net.activation, A)
            o = np.einsum("qnk,qk->nk", F, W_out)
            _activate(net.output, o)
            e = o - Y
            if t == record[i]:
                loss[i] = 0.5 * np.mean(e * e, axis=0)
                correct[i] = np.all(np.abs(e) < 0.5, axis=0)
                i += 1
                if i == len(record):
                    break
            e *= lr / N
            if net.output != "identity":
                e *= _slope(net.output, o)
            d_h = e * W_out[:H, None, :]
            if net.activation != "identity":
                d_h *= _slope(net.activation, A)
            W_out -= np.einsum("qnk,nk->qk", F, e)
            W_in -= Xa.T @ d_h
    return loss, correct, P.T.copy()


# ------------------------------------------------------------- success sweeps
@dataclass
class SweepResult:
    """Success rates of one network against the initial scale r and the epoch budget.

    Attributes
    ----------
    network : str
    scales : array (R,)
    population : int                       networks per scale
    checkpoints : tuple of int        epoch budgets
    success, strict : arrays (len(checkpoints), R)   fractions of the `population` networks
    result : TrainResult              every member (scale-major: member k has scale r[k // population])
    member_scales : array (R · population,)
    """

    network: str
    scales: np.ndarray
    population: int
    checkpoints: tuple
    success: np.ndarray
    strict: np.ndarray
    result: TrainResult
    member_scales: np.ndarray

    def interval(self, budget_index=-1):
        """95 % Wilson intervals (low, high), each (R,), of `success` at one budget."""
        k = np.round(self.success[budget_index] * self.population)
        return wilson_interval(k, self.population)


def success_sweep(name: str, scales=PUBLISHED_SCALES, population: int = 1000,
                  checkpoints=(300, 1000, 10_000), lr_summed: float = LR_SUMMED,
                  seed=0) -> SweepResult:
    """Train `population` networks per initial scale r (all parameters U(−r, r)) as one population.

    Sigmoid units, 0/1 XOR, full-batch gradient descent with learning rate `lr_summed` on the
    summed error ½ Σ (that is 4 · lr_summed on initlab's mean loss).  Success: every output on
    the right side of ½; strict: every output within 0.1 of its target.
    """
    net = network(name)
    X, y = xor(coding="01")
    theta, member_scales = uniform_start(net, scales, population, seed)
    result = train_tiny(net, theta, X, y, lr_mean(lr_summed, len(X)), checkpoints)
    R = len(np.atleast_1d(scales))
    success = result.correct.reshape(len(result.checkpoints), R, population).mean(axis=-1)
    strict = result.strict.reshape(len(result.checkpoints), R, population).mean(axis=-1)
    return SweepResult(name, np.atleast_1d(np.asarray(scales, float)), population, result.checkpoints,
                       success, strict, result, member_scales)


# ---------------------------------------------------------- failure anatomy
def population_hessian(net: TinyNet, theta, X, y, eps: float = 1e-5):
    """Hessians of the mean loss, (K, P, P): central differences of the analytic gradient
    (error O(ε²)), symmetrised; all members and all directions in one vectorised call."""
    theta = net._theta(theta)
    K, P = theta.shape
    steps = eps * np.eye(P)
    shifted = np.concatenate([theta[:, None, :] + steps, theta[:, None, :] - steps], axis=1)
    _, G = net.loss_and_gradient(shifted.reshape(-1, P), X, y)
    G = G.reshape(K, 2, P, P)
    H = (G[:, 0] - G[:, 1]) / (2 * eps)
    return (H + np.swapaxes(H, 1, 2)) / 2


def hessian_min_eigenvalue(net: TinyNet, theta, X, y, eps: float = 1e-5):
    """Smallest eigenvalue of each member's Hessian, (K,)."""
    return np.linalg.eigvalsh(population_hessian(net, theta, X, y, eps))[:, 0]


def hidden_saturation(net: TinyNet, theta, X):
    """Fraction of (pattern, hidden unit) pairs with activation outside [0.01, 0.99], (K,)."""
    a = net.hidden_activations(theta, X)
    return ((a < 0.01) | (a > 0.99)).mean(axis=(1, 2))


FAILURE_KINDS = ("strict local minimum", "plateau near the zero point", "saturated constant output",
                 "saturating to infinity", "other")


@dataclass
class FailureReport:
    """The end state of every failed run, measured.

    Attributes (one entry per failed member)
    ----------
    members : int array          indices into the sweep's population
    scale : array                its initial scale r
    loss, gradient_norm, min_eigenvalue, saturation : arrays
    norm_growth : array          |θ| at the budget / |θ| at the previous checkpoint
    loss_drop : array            loss at the previous checkpoint − loss at the budget
    kind : array of str          one of FAILURE_KINDS
    counts : dict                kind → number of failures
    """

    members: np.ndarray
    scale: np.ndarray
    loss: np.ndarray
    gradient_norm: np.ndarray
    min_eigenvalue: np.ndarray
    saturation: np.ndarray
    norm_growth: np.ndarray
    loss_drop: np.ndarray
    kind: np.ndarray
    counts: dict


def classify_failures(sweep: SweepResult, minimum_tol: float = 1e-8) -> FailureReport:
    """Classify every run that failed at the sweep's last budget.

    * *strict local minimum*: gradient norm below `minimum_tol`, Hessian positive definite
      (smallest eigenvalue above `minimum_tol`), |θ| and loss not moving (growth below 1e-6);
    * *plateau near the zero point*: every output within 0.05 of ½ — the run has not yet
      left the neighbourhood of the stationary all-½ point (a saddle, section 1);
    * *saturated constant output*: every output within 0.01 of the same value 0 or 1 — a
      start so large that the output unit is pinned; a flat region the run is leaving
      slowly (the loss falls, the Hessian has a negative eigenvalue);
    * *saturating to infinity*: |θ| still grows and the loss still falls between the last two
      checkpoints (`saturation` reports how saturated the hidden units are);
    * *other*: anything else (reported, so that nothing is hidden).
    """
    if len(sweep.checkpoints) < 2:
        raise ValueError("classify_failures needs a sweep with at least two checkpoints")
    net = network(sweep.network)
    X, y = xor(coding="01")
    res = sweep.result
    members = np.flatnonzero(~res.correct[-1])
    theta = res.theta[members]
    loss, G = net.loss_and_gradient(theta, X, y)
    gnorm = np.linalg.norm(G, axis=1)
    lam = hessian_min_eigenvalue(net, theta, X, y) if members.size else np.zeros(0)
    sat = hidden_saturation(net, theta, X)
    before = res.norm_history[-2, members]
    growth = res.norm_history[-1, members] / np.where(before > 0, before, 1.0)   # |θ| = 0: r = 0
    drop = res.loss_at[-2, members] - res.loss_at[-1, members]
    out = res.outputs[members]
    kind = np.full(members.size, FAILURE_KINDS[4], dtype=object)
    saturating = (growth > 1 + 1e-6) & (drop > 0)
    kind[saturating] = FAILURE_KINDS[3]
    pinned = np.all(out < 0.01, axis=1) | np.all(out > 0.99, axis=1)
    kind[pinned] = FAILURE_KINDS[2]
    kind[np.all(np.abs(out - 0.5) < 0.05, axis=1)] = FAILURE_KINDS[1]
    minimum = (gnorm < minimum_tol) & (lam > minimum_tol) & (np.abs(growth - 1) < 1e-6) \
        & (np.abs(drop) < 1e-12)
    kind[minimum] = FAILURE_KINDS[0]
    counts = {k: int(np.sum(kind == k)) for k in FAILURE_KINDS}
    return FailureReport(members, sweep.member_scales[members], loss, gnorm, lam, sat, growth,
                         drop, kind.astype(str), counts)


# ------------------------------------------------------------- zero starts
ZERO_STARTS = ("all zero", "zero weights, random biases", "zero hidden layer",
               "zero output layer")


def _groups(net: TinyNet):
    """Parameter indices of the hidden layer (W1, b1) and output layer (W2, b2, V)."""
    H = net.hidden
    hidden = np.arange(3 * H)
    output = np.arange(3 * H, net.n_parameters)
    biases = np.r_[np.arange(2 * H, 3 * H), 4 * H]
    return hidden, output, biases


def zero_start(net: TinyNet, kind: str, population: int, r: float = 1.0, seed=0):
    """Initial parameters (population, P): U(−r, r) except the group that `kind` sets to zero."""
    if kind not in ZERO_STARTS:
        raise _checks.unknown_name("zero start", kind, ZERO_STARTS)
    theta, _ = uniform_start(net, r, population, seed)
    hidden, output, biases = _groups(net)
    keep = {"all zero": [], "zero weights, random biases": biases,
            "zero hidden layer": output, "zero output layer": hidden}[kind]
    mask = np.zeros(net.n_parameters, bool)
    mask[np.asarray(keep, int)] = True
    theta[:, ~mask] = 0.0
    return theta


def zero_start_gradients(net: TinyNet, theta):
    """Which parameters move at step 1: fraction of members with a nonzero gradient, (P,),
    and the largest |gradient| per parameter, (P,)."""
    X, y = xor(coding="01")
    _, G = net.loss_and_gradient(theta, X, y)
    return np.mean(G != 0, axis=0), np.max(np.abs(G), axis=0)


# -------------------------------------------------------------- ±1 coding
def pm1_network(hidden: int = 4) -> TinyNet:
    """The ±1 XOR network of section 4: 2-H-1, tanh units, linear output."""
    return TinyNet(hidden, False, "tanh", "identity")


def escape_times(eps, population: int = 64, hidden: int = 4, lr: float = 0.5,
                 max_epochs: int = 100_000, threshold: float = 0.25, check_every: int = 10,
                 seed=0):
    """Epochs until the ±1 XOR loss first drops below `threshold`, from N(0, ε²) parameters.

    Every parameter is drawn N(0, ε²); the loss at zero is ½ (initlab's mean convention).
    Escaped members leave the computation.  The loss is checked after every epoch up to 1000,
    then every `check_every` epochs (times beyond 1000 are rounded up to that resolution).
    Returns an int array (len(eps), population); −1 where a member had not escaped after
    `max_epochs`.
    """
    eps = np.atleast_1d(np.asarray(eps, float))
    if np.any(eps <= 0):
        raise ValueError(f"eps must be > 0, got {eps!r}")
    population = _checks.positive_int("population", population)
    max_epochs = _checks.positive_int("max_epochs", max_epochs)
    check_every = _checks.positive_int("check_every", check_every)
    net = pm1_network(hidden)
    X, y = xor(coding="pm1")
    rng = _checks.make_rng(seed)
    theta = rng.standard_normal((eps.size, population, net.n_parameters)) * eps[:, None, None]
    P = np.ascontiguousarray(theta.reshape(-1, net.n_parameters).T)
    X, Y = _data(X, y)
    Xa = np.c_[X, np.ones(len(X))]
    times = np.full(eps.size * population, -1)
    active = np.arange(eps.size * population)
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(max_epochs + 1):
            if t > 1000 and t % check_every and t < max_epochs:
                net._descent_step(P, Xa, Y, lr)
                continue
            o = net._forward(P, X)[1]
            below = 0.5 * np.mean((o - Y) ** 2, axis=0) < threshold
            if below.any():
                times[active[below]] = t
                P = np.ascontiguousarray(P[:, ~below])
                active = active[~below]
            if active.size == 0 or t == max_epochs:
                break
            net._descent_step(P, Xa, Y, lr)
    return times.reshape(eps.size, population)


def loss_along_directions(t, directions: int = 64, hidden: int = 4, include_output_bias=False,
                          seed=0):
    """L(t·d) − L(0) for random unit directions d at the zero point of the ±1 XOR network.

    Returns an array (len(t), directions).  Without the output bias in d the change is of
    order t⁴; with it, of order t² (the one curved direction).
    """
    net = pm1_network(hidden)
    X, y = xor(coding="pm1")
    rng = _checks.make_rng(seed)
    d = rng.standard_normal((directions, net.n_parameters))
    if not include_output_bias:
        d[:, 4 * hidden] = 0.0
    d /= np.linalg.norm(d, axis=1, keepdims=True)
    t = np.atleast_1d(np.asarray(t, float))
    theta = (t[:, None, None] * d[None]).reshape(-1, net.n_parameters)
    loss, _ = net.loss_and_gradient(theta, X, y)
    zero, _ = net.loss_and_gradient(np.zeros((1, net.n_parameters)), X, y)
    return loss.reshape(t.size, directions) - zero[0]


def fit_power_law(x, y):
    """Least-squares fit of log y = log c + p log x; returns (p, c).  y must be > 0."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    if np.any(x <= 0) or np.any(y <= 0):
        raise ValueError("fit_power_law needs positive x and y")
    p, logc = np.polyfit(np.log(x), np.log(y), 1)
    return float(p), float(np.exp(logc))


# ----------------------------------------------------------- what they learn
def decision_grid(net: TinyNet, theta, n: int = 81, span=(-0.5, 1.5)):
    """Outputs on an n × n grid of the input plane: (grid (n,), outputs (K, n, n)),
    ``outputs[k, i, j]`` at x₁ = grid[j], x₂ = grid[i]."""
    n = _checks.positive_int("n", n)
    grid = np.linspace(span[0], span[1], n)
    x1, x2 = np.meshgrid(grid, grid)
    X = np.c_[x1.ravel(), x2.ravel()]
    return grid, net.outputs(theta, X).reshape(-1, n, n)


# ------------------------------------------------------------------ tables
def zero_start_study(population: int = 250, checkpoints=(1000, 3000), r: float = 1.0, seed=0):
    """Every zero start of `ZERO_STARTS` for both networks: which parameter groups move at
    step 1 (fraction of members with a nonzero gradient in the group) and the success rate
    at each checkpoint.  Returns {(network, kind): {"moves": {group: fraction},
    "success": array (len(checkpoints),)}}."""
    X, y = xor(coding="01")
    study = {}
    for i, name in enumerate(NETWORKS):
        net = network(name)
        hidden, output, _ = _groups(net)
        groups = {"W1": np.arange(2 * net.hidden), "b1": np.arange(2 * net.hidden, 3 * net.hidden),
                  "W2": np.arange(3 * net.hidden, 4 * net.hidden), "b2": np.array([4 * net.hidden])}
        if net.shortcut:
            groups["V"] = np.arange(4 * net.hidden + 1, net.n_parameters)
        for j, kind in enumerate(ZERO_STARTS):
            theta = zero_start(net, kind, population, r, seed=np.random.SeedSequence([int(seed), i, j]).generate_state(1)[0])
            _, G = net.loss_and_gradient(theta, X, y)
            moves = {g: float(np.mean(np.any(G[:, idx] != 0, axis=1))) for g, idx in groups.items()}
            result = train_tiny(net, theta, X, y, lr_mean(), checkpoints)
            study[(name, kind)] = {"moves": moves, "success": result.correct.mean(axis=1)}
    return study


def zero_start_table(study, checkpoints=(1000, 3000)):
    """The zero-start study as a `Table`: what moves at step 1 and the success rates."""
    from ..tables import Table

    rows = []
    for (name, kind), entry in study.items():
        moving = ", ".join(g for g, f in entry["moves"].items() if f > 0) or "nothing"
        rows.append([name, kind, moving] + [f"{s:.0%}" for s in entry["success"]])
    return Table(["network", "start", "moves at step 1"] + [f"success, {c} epochs"
                                                           for c in checkpoints], rows)


def success_table(sweeps):
    """Success rates (with 95 % Wilson intervals) of several sweeps at their last budget,
    beside the published 2-2-1 table."""
    from ..tables import Table

    low_p, high_p = wilson_interval(np.round(np.array(PUBLISHED_SUCCESS) * PUBLISHED_TRIALS),
                                    PUBLISHED_TRIALS)
    headers = ["r", f"published 2-2-1 ({PUBLISHED_TRIALS} trials)"]
    headers += [f"{s.network}, {s.population} networks" for s in sweeps]
    rows = []
    for i, r in enumerate(sweeps[0].scales):
        row = [f"{r:g}"]
        j = PUBLISHED_SCALES.index(float(r)) if float(r) in PUBLISHED_SCALES else None
        row.append("—" if j is None else
                   f"{PUBLISHED_SUCCESS[j]:.2f} [{low_p[j]:.2f}, {high_p[j]:.2f}]")
        for s in sweeps:
            low, high = s.interval()
            row.append(f"{s.success[-1, i]:.3f} [{low[i]:.2f}, {high[i]:.2f}]")
        rows.append(row)
    return Table(headers, rows, caption=f"success after {sweeps[0].checkpoints[-1]} epochs, "
                                        f"95 % intervals in brackets")


def failure_table(reports):
    """Counts of each failure kind, per network: {network: FailureReport} → `Table`."""
    from ..tables import Table

    rows = [[name] + [rep.counts[k] for k in FAILURE_KINDS] + [int(rep.members.size)]
            for name, rep in reports.items()]
    return Table(["network"] + list(FAILURE_KINDS) + ["all failures"], rows)


def restarts_needed(p, target: float = 0.95):
    """Independent restarts needed so that at least one of them succeeds with probability
    `target`, when one start succeeds with probability p: ⌈ln(1 − target) / ln(1 − p)⌉."""
    p = np.asarray(p, float)
    if np.any(p <= 0) or np.any(p > 1) or not 0 < target < 1:
        raise ValueError(f"need 0 < p <= 1 and 0 < target < 1, got p={p!r}, target={target!r}")
    with np.errstate(divide="ignore"):
        n = np.ceil(np.log1p(-target) / np.log1p(-np.minimum(p, 1 - 1e-16)))
    return np.where(p >= 1, 1, n).astype(int)
