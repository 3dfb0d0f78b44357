r"""Chapter 8: when zeros are exactly right.

A zero is safe when the gradient of the parameter is built from *other* factors
that are nonzero and differ from unit to unit; it is fatal when zeros multiply
zeros or leave whole units identical.  This module builds each case of the
chapter from core calls (and `initlab.audit` judges them):

* logistic regression with an L2 penalty from zero and from random starts;
* a zero last layer on random hidden layers;
* a LoRA adapter ``z = X W₀ + (X A) B`` on a frozen random W₀ (`AdaptedLinear`);
* a residual MLP of many blocks without normalisation (`ResidualMLP`), started
  with He weights in both layers of every branch, with a zero last layer per
  branch (zero-γ / Fixup-style) or with ReZero's α = 0;
* ZerO's deterministic start from identities and Hadamard matrices
  (`initlab.zer_o`, `initlab.partial_identity`).

`AdaptedLinear` and `ResidualMLP` follow the model protocol of `initlab.audit`
(``parameters``, ``loss_and_gradients``, ``copy``, ...); their backward passes
are written out below and checked against finite differences in the tests.
Notation: rows are samples, ``z = a @ W + b``, W of shape (fan_in, fan_out),
an optional leading population axis K.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import _checks
from ..activations import relu
from ..data import blobs, standardize, two_moons
from ..initializers import constant, he_normal, lecun, normal, partial_identity, zer_o, zeros
from ..losses import get_loss
from ..network import MLP
from ..optimizers import get_optimizer
from ..tables import Table

__all__ = [
    "class_blobs",
    "logistic_from_starts", "zero_last_layer_network", "output_gain_initial_loss",
    "AdaptedLinear", "lora_task", "ResidualMLP", "RESIDUAL_STARTS", "fit",
    "zer_o_network", "failing_starts", "FailingStart", "verdict_text", "majority_verdict",
    "CaseRow", "case_table", "PATTERNS", "pattern_model", "pattern_run",
]


# ------------------------------------------------------------------- data
def class_blobs(n=200, classes=4, dim=2, spread=2.0, population=None, seed=0):
    """Standardised Gaussian blobs; with `population` one data set per member, (K, n, dim)."""
    if population is None:
        X, y = blobs(n=n, classes=classes, dim=dim, spread=spread, seed=seed)
        return standardize(X), y
    population = _checks.positive_int("population", population)
    draws = [class_blobs(n, classes, dim, spread, None, s)
             for s in np.random.SeedSequence(seed).generate_state(population)]
    return np.stack([d[0] for d in draws]), np.stack([d[1] for d in draws])


# ------------------------------------------------ 1. no hidden layer: the delta rule
def logistic_from_starts(X, y, l2=0.05, population=64, scale=3.0, lr=1.0, steps=400, seed=0):
    r"""L2-penalised logistic regression from zero (member 0) and random starts.

    Minimises bce + (l2/2)·‖W‖² (bias unpenalised) by full-batch gradient descent,
    ``W ← W − lr (Xᵀ(σ(z) − y)/N + l2 W)``: the delta rule plus weight decay.  The
    objective is strictly convex, so every start must reach the same weights.

    Returns
    -------
    theta : array (K, d + 1)
        Final [W, b] of every member; row 0 started at zero, the others at N(0, scale²).
    start : array (K, d + 1)
        The starting [W, b].
    loss : array (steps + 1, K)
        Penalised training loss.
    """
    l2 = _checks.positive_number("l2", l2)
    steps = _checks.positive_int("steps", steps)
    net = MLP([np.shape(X)[-1], 1], weight_init=normal(scale), bias_init=normal(scale),
              population=population, seed=seed)
    net.weights[0][0] = 0.0
    net.biases[0][0] = 0.0
    start = np.concatenate([net.weights[0][..., 0], net.biases[0]], axis=-1)
    opt = get_optimizer("sgd", lr)
    losses = np.empty((steps + 1, net.population))
    for t in range(steps + 1):
        value, grads = net.loss_and_gradients(X, y, "bce")
        W = net.weights[0]
        losses[t] = value + 0.5 * l2 * np.sum(W * W, axis=(-2, -1))
        if t < steps:
            grads.weights[0] += l2 * W
            opt.step(net, grads)
    theta = np.concatenate([net.weights[0][..., 0], net.biases[0]], axis=-1)
    return theta, start, losses


# ------------------------------------------------- 2. a zero last layer
def zero_last_layer_network(sizes, last="zeros", activation="tanh", population=None, seed=0):
    """An MLP with Glorot-normal hidden layers and the output layer from `last`."""
    n_layers = len(sizes) - 1
    return MLP(sizes, activation=activation,
               weight_init=["glorot_normal"] * (n_layers - 1) + [last],
               population=population, seed=seed)


def output_gain_initial_loss(X, y, sizes, gains, population=16, seed=0):
    r"""Initial softmax cross-entropy when the output layer is Glorot normal times a gain.

    Returns an array (len(gains), K): gain 0 gives exactly ln C (all logits 0).
    """
    rows = []
    fan_in, fan_out = sizes[-2], sizes[-1]
    for gain in gains:
        std = _checks.non_negative_number("gain", gain) * np.sqrt(2.0 / (fan_in + fan_out))
        net = zero_last_layer_network(sizes, last=normal(std), population=population, seed=seed)
        rows.append(net.loss(X, y, "softmax_ce"))
    return np.array(rows)


# ------------------------------------------ models for the audit protocol
@dataclass
class ModelGradients:
    """Gradients in the layout of ``parameters()`` and the forward pass [X, ..., output]."""

    groups: list
    activations: list

    def layers(self):
        return self.groups


def _targets(loss, y, n_outputs):
    y = np.asarray(y)
    per_sample = not (y.ndim >= 2 and y.shape[-1] == n_outputs
                      and np.issubdtype(y.dtype, np.floating))
    return np.asarray(loss.targets(y, n_outputs, per_sample), dtype=float)


def _transpose(a):
    return np.swapaxes(a, -1, -2)


class AdaptedLinear:
    r"""A frozen linear map W₀ with a low-rank adapter: ``z = X W₀ + (X A) B``.

    LoRA (Hu et al. 2021) in the book's row convention: A (d, r) projects down,
    B (r, O) projects up; only A and B are trained.  The backward pass:

        delta = dLoss/dz,   dLoss/dB = (X A)ᵀ delta,   dLoss/dA = Xᵀ (delta Bᵀ).

    With B = 0 the second gradient is exactly 0 at the first step, and with
    A = B = 0 both are, forever.

    Parameters
    ----------
    W0 : array (d, O) or (K, d, O)
        The frozen weights.
    rank : int
    start : {"B = 0", "A = B = 0", "both random"}
        A is N(0, 1/d) unless zero; B is 0 unless "both random" (N(0, 1/r)).
    seed : int
    """

    STARTS = ("B = 0", "A = B = 0", "both random")

    def __init__(self, W0, rank, start="B = 0", seed=0):
        if start not in self.STARTS:
            raise _checks.unknown_name("start", start, self.STARTS)
        self.W0 = _checks.finite_array("W0", W0)
        if self.W0.ndim not in (2, 3):
            raise ValueError(f"W0 must have shape (d, O) or (K, d, O), got {self.W0.shape}")
        self.rank = _checks.positive_int("rank", rank)
        self.population = self.W0.shape[0] if self.W0.ndim == 3 else None
        lead, (d, O) = self.W0.shape[:-2], self.W0.shape[-2:]
        rng_A, rng_B = _checks.spawn_rngs(seed, 2)
        self.A = np.zeros(lead + (d, rank)) if start == "A = B = 0" else lecun(lead + (d, rank), rng_A)
        self.B = lecun(lead + (rank, O), rng_B) if start == "both random" else np.zeros(lead + (rank, O))

    def parameters(self):
        return [[self.A], [self.B]]

    def parameter_names(self):
        return [["A"], ["B"]]

    def unit_layers(self):
        """The r rank components: component j is column A[:, j]."""
        return [("adapter", self.A, None)]

    def copy(self):
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new.A, new.B = self.A.copy(), self.B.copy()
        return new

    def forward(self, X):
        return np.matmul(X, self.W0) + np.matmul(np.matmul(X, self.A), self.B)

    def loss_and_gradients(self, X, y, loss):
        loss = get_loss(loss)
        X = _checks.finite_array("X", X)
        H = np.matmul(X, self.A)
        Z = np.matmul(X, self.W0) + np.matmul(H, self.B)
        T = _targets(loss, y, Z.shape[-1])
        value = loss.value(Z, T)
        delta = loss.output_delta(Z, Z, T, _IDENTITY)
        grad_B = np.matmul(_transpose(H), delta)
        grad_A = np.matmul(_transpose(X) if X.ndim == 3 else X.T, np.matmul(delta, _transpose(self.B)))
        return value, ModelGradients([[grad_A], [grad_B]], [X, H, Z])

    def loss(self, X, y, loss):
        return self.loss_and_gradients(X, y, loss)[0]


def lora_task(n=64, d=16, outputs=16, rank=2, population=8, seed=0):
    r"""A frozen random W₀ and a target that differs from it by a rank-`rank` matrix.

    X ~ N(0, 1) (n, d) shared; W₀ ~ N(0, 1/d) per member; the target map is
    W₀ + U V with U (d, r), V (r, O) ~ N(0, 1/d), N(0, 1/r).

    Returns
    -------
    X : array of shape (n, d)
    Y : array of shape (K, n, O)
        The targets, X (W₀ + U V).
    W0 : array of shape (K, d, O)
    update : array of shape (K, d, O)
        The rank-`rank` difference U V.
    """
    K = _checks.positive_int("population", population)
    rng_X, rng_W, rng_U, rng_V = _checks.spawn_rngs(seed, 4)
    X = rng_X.standard_normal((n, d))
    W0 = rng_W.standard_normal((K, d, outputs)) / np.sqrt(d)
    update = np.matmul(rng_U.standard_normal((K, d, rank)) / np.sqrt(d),
                       rng_V.standard_normal((K, rank, outputs)) / np.sqrt(rank))
    return X, np.matmul(X, W0 + update), W0, update


class _Identity:
    name = "identity"


_IDENTITY = _Identity()

#: Starts of `ResidualMLP`.
RESIDUAL_STARTS = ("He in both layers", "zero last layer", "ReZero α = 0")


class ResidualMLP:
    r"""``h₀ = X W_in + b_in``, then M blocks ``h_k = h_{k−1} + α_k relu(h_{k−1} W1_k) W2_k``,
    then logits ``z = h_M W_out + b_out``.  No normalisation anywhere.

    Backward pass, with g = dLoss/dh_k coming down from the top:

        v_k = relu(u_k) W2_k,  u_k = h_{k−1} W1_k,
        dα_k = Σ g ⊙ v_k,  dv = α_k g,  dW2_k = r_kᵀ dv,  du = (dv W2_kᵀ) ⊙ relu'(u_k),
        dW1_k = h_{k−1}ᵀ du,  and g ← g + du W1_kᵀ  (the skip passes g through unchanged).

    Parameters
    ----------
    sizes : (d, width, hidden, outputs)
    blocks : int, M
    start : one of `RESIDUAL_STARTS`, or a list with one per member (sets K)
        "He in both layers": W1, W2 ~ He normal, α = 1.  "zero last layer": W2 = 0,
        α = 1 (zero-γ, Fixup, SkipInit's spirit).  "ReZero α = 0": He in both, α = 0.
        W_in and W_out are LeCun normal, their biases 0; α is trainable.  The branches
        have no biases (a bias-free branch keeps the loop short; Fixup adds scalar ones).
    population, seed : as for `MLP`.
    """

    def __init__(self, sizes, blocks=50, start="zero last layer", population=None, seed=0):
        starts = [start] if isinstance(start, str) else list(start)
        for s in starts:
            if s not in RESIDUAL_STARTS:
                raise _checks.unknown_name("start", s, RESIDUAL_STARTS)
        if len(sizes) != 4:
            raise ValueError(f"sizes must be (d, width, hidden, outputs), got {sizes!r}")
        d, n, h, O = (_checks.positive_int(f"sizes[{i}]", s) for i, s in enumerate(sizes))
        self.sizes, self.blocks = [d, n, h, O], _checks.positive_int("blocks", blocks)
        if not isinstance(start, str):
            if population is not None and population != len(starts):
                raise ValueError(f"start lists {len(starts)} starts (one per member) but "
                                 f"population={population}")
            population = len(starts)
        self.population = None if population is None else _checks.positive_int("population", population)
        lead = () if self.population is None else (self.population,)
        # Member k's start; a single start applies to every member.
        self.starts = starts * (1 if len(starts) > 1 else (self.population or 1))
        zero_W2 = np.array([s == "zero last layer" for s in self.starts]).reshape(lead + (1, 1))
        zero_alpha = np.array([s == "ReZero α = 0" for s in self.starts]).reshape(lead + (1,))
        rng = _checks.spawn_rngs(seed, 1)[0]
        self.W_in, self.b_in = lecun(lead + (d, n), rng), np.zeros(lead + (n,))
        self.W1, self.W2, self.alpha = [], [], []
        for _ in range(self.blocks):
            self.W1.append(he_normal(lead + (n, h), rng))
            self.W2.append(np.where(zero_W2, 0.0, he_normal(lead + (h, n), rng)))
            self.alpha.append(np.where(zero_alpha, 0.0, 1.0))
        self.W_out, self.b_out = lecun(lead + (n, O), rng), np.zeros(lead + (O,))

    def parameters(self):
        return ([[self.W_in, self.b_in]]
                + [[self.W1[k], self.W2[k], self.alpha[k]] for k in range(self.blocks)]
                + [[self.W_out, self.b_out]])

    def parameter_names(self):
        return ([["W_in", "b_in"]]
                + [[f"{p}[{k + 1}]" for p in ("W1", "W2", "α")] for k in range(self.blocks)]
                + [["W_out", "b_out"]])

    def unit_layers(self):
        return [("stream", self.W_in, self.b_in)] + [
            (f"branch {k + 1}", self.W1[k], None) for k in range(self.blocks)]

    def copy(self):
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        for name in ("W_in", "b_in", "W_out", "b_out"):
            setattr(new, name, getattr(self, name).copy())
        for name in ("W1", "W2", "alpha"):
            setattr(new, name, [p.copy() for p in getattr(self, name)])
        return new

    def _forward(self, X):
        h = np.matmul(X, self.W_in) + self.b_in[..., None, :]
        stream, cache = [h], []
        for k in range(self.blocks):
            u = np.matmul(h, self.W1[k])
            r = relu(u)
            v = np.matmul(r, self.W2[k])
            h = h + self.alpha[k][..., None] * v
            stream.append(h)
            cache.append((u, r, v))
        Z = np.matmul(h, self.W_out) + self.b_out[..., None, :]
        return stream, cache, Z

    def forward(self, X):
        return self._forward(_checks.finite_array("X", X))[2]

    def stream(self, X):
        """The residual stream [h_0, h_1, ..., h_M], each (N, width) or (K, N, width)."""
        return self._forward(_checks.finite_array("X", X))[0]

    def loss_and_gradients(self, X, y, loss):
        loss = get_loss(loss)
        X = _checks.finite_array("X", X)
        stream, cache, Z = self._forward(X)
        T = _targets(loss, y, Z.shape[-1])
        value = loss.value(Z, T)
        delta = loss.output_delta(Z, Z, T, _IDENTITY)
        top = [np.matmul(_transpose(stream[-1]), delta), delta.sum(axis=-2)]
        g = np.matmul(delta, _transpose(self.W_out))
        blocks = [None] * self.blocks
        for k in reversed(range(self.blocks)):
            u, r, v = cache[k]
            d_alpha = np.sum(g * v, axis=(-2, -1))[..., None]
            dv = self.alpha[k][..., None] * g
            du = np.matmul(dv, _transpose(self.W2[k])) * (u > 0)
            blocks[k] = [np.matmul(_transpose(stream[k]), du), np.matmul(_transpose(r), dv),
                         d_alpha]
            g = g + np.matmul(du, _transpose(self.W1[k]))
        X_T = _transpose(X) if X.ndim == 3 else X.T
        bottom = [np.matmul(X_T, g), g.sum(axis=-2)]
        return value, ModelGradients([bottom] + blocks + [top], [X] + stream + [Z])

    def loss(self, X, y, loss):
        return self.loss_and_gradients(X, y, loss)[0]


def fit(model, X, y, loss, lr=0.1, steps=100, optimizer="sgd"):
    """Full-batch training of any protocol model in place; the loss after t updates, (steps + 1, K).

    Overflow is recorded (inf / NaN), never raised.
    """
    steps = _checks.positive_int("steps", steps)
    opt = get_optimizer(optimizer, lr)
    params = model.parameters()
    K = 1 if model.population is None else model.population
    losses = np.empty((steps + 1, K))
    with np.errstate(all="ignore"):
        for t in range(steps + 1):
            value, grads = model.loss_and_gradients(X, y, loss)
            losses[t] = value
            if t < steps:
                opt.step(params, grads.layers())
    return losses


# ---------------------------------------------------------------- ZerO
def zer_o_network(sizes, start="zer_o", activation="relu", population=None, seed=0):
    """An MLP with zero biases and weights from `start`: "zer_o", "partial_identity" or "he_normal"."""
    inits = {"zer_o": zer_o, "partial_identity": partial_identity, "he_normal": he_normal}
    if start not in inits:
        raise _checks.unknown_name("start", start, tuple(inits))
    return MLP(sizes, activation=activation, weight_init=inits[start], population=population, seed=seed)


# -------------------------------------------------- chapters 1-4's failing starts
@dataclass
class FailingStart:
    """A start from an earlier chapter, with the data it was judged on and that chapter's verdict."""

    chapter: int
    name: str
    net: MLP
    X: np.ndarray
    y: np.ndarray
    loss: str
    lr: float
    expected: str
    steps: int = 300


def failing_starts(population=16, seed=0):
    """The starts of chapters 1-4 that the audit must judge as those chapters did.

    Rebuilt from core calls on the same kinds of data (two moons, bce, full batch).
    `steps` is how long the chapter trains each: 300, or 1000 for chapter 4's slow escapes.

    ========  =================================================  ==========
    chapter   start                                              verdict
    ========  =================================================  ==========
    1         every weight 0.5 (constant), tanh, 2-16-1          symmetric
    3         all zero, tanh, 2-8-8-8-1, 30 % positives          stationary
    3         all zero, sigmoid, same network                    symmetric
    3         all zero, ReLU 2-10-5-1, balanced: stuck at ln 2   stationary
    4         zero weights, random biases, 2 hidden tanh layers  fine
    4         zero weights, random biases, 3 hidden tanh layers  stationary
    ========  =================================================  ==========
    """
    X_bal, y_bal = two_moons(200, 0.5, seed=seed)
    X_30, y_30 = two_moons(200, 0.3, seed=seed)
    X_100, y_100 = two_moons(100, 0.5, seed=seed)
    bias = lambda L: [normal(0.5)] * L  # noqa: E731  (zero weights, N(0, 0.5²) biases)
    return [
        FailingStart(1, "constant 0.5, tanh", MLP([2, 16, 1], weight_init=constant(0.5)),
                     X_bal, y_bal, "bce", 0.5, "symmetric"),
        FailingStart(3, "all zero, tanh", MLP([2, 8, 8, 8, 1], weight_init=zeros),
                     X_30, y_30, "bce", 0.5, "stationary"),
        FailingStart(3, "all zero, sigmoid", MLP([2, 8, 8, 8, 1], "sigmoid", weight_init=zeros),
                     X_30, y_30, "bce", 0.5, "symmetric"),
        FailingStart(3, "all zero, ReLU (ln 2 freeze)", MLP([2, 10, 5, 1], "relu", weight_init=zeros),
                     X_bal, y_bal, "bce", 0.5, "stationary"),
        FailingStart(4, "zero weights, random biases, 2 hidden",
                     MLP([2, 16, 16, 1], weight_init=zeros, bias_init=bias(3),
                         population=population, seed=seed + 1),
                     X_100, y_100, "bce", 0.5, "fine", 1000),
        FailingStart(4, "zero weights, random biases, 3 hidden",
                     MLP([2, 16, 16, 16, 1], weight_init=zeros, bias_init=bias(4),
                         population=population, seed=seed + 1),
                     X_100, y_100, "bce", 0.5, "stationary", 1000),
    ]


# ------------------------------------------------------------ the audit table
def verdict_text(report):
    """'fine × 15, stationary × 1': the verdicts of an `Audit` over its members."""
    counts = report.counts()
    return ", ".join(f"{v} × {n}" for v, n in sorted(counts.items(), key=lambda item: -item[1]))


def majority_verdict(report):
    """The most frequent verdict of an `Audit`."""
    counts = report.counts()
    return max(counts, key=counts.get)


@dataclass
class CaseRow:
    """One row of the chapter's table: a start, its audit and its final training loss."""

    where: str
    case: str
    report: object
    final_loss: np.ndarray
    expected: str

    @property
    def verdict(self):
        return majority_verdict(self.report)


def case_table(rows):
    """A `Table`: case, where it is shown, audit verdicts, expected verdict, final loss."""
    body = []
    for row in rows:
        final = np.asarray(row.final_loss, dtype=float).ravel()
        finite = final[np.isfinite(final)]
        spread = (f"{finite.min():.3g} – {finite.max():.3g}" if finite.size > 1 else "—")
        if finite.size < final.size:
            spread += f" ({final.size - finite.size} diverged)"
        body.append([row.case, row.where, verdict_text(row.report), row.expected,
                     f"{np.median(finite):.3g}" if finite.size else "diverged", spread])
    return Table(["start", "where", "audit verdict (members)", "expected", "final loss (median)",
                  "range over members"], body)


# ------------------------------------------------------------ explorer patterns
#: The starts the explorer offers.
PATTERNS = ("all zero", "zero last layer", "LoRA B = 0", "zero residual branch", "ZerO")


def pattern_model(pattern, seed=0):
    """(model, X, y, loss, lr) for one of `PATTERNS`, small enough for a live view."""
    if pattern not in PATTERNS:
        raise _checks.unknown_name("pattern", pattern, PATTERNS)
    X, y = class_blobs(96, classes=4, dim=8, spread=2.0, seed=seed)
    if pattern == "all zero":
        return MLP([8, 16, 16, 4], weight_init=zeros), X, y, "softmax_ce", 0.5
    if pattern == "zero last layer":
        return zero_last_layer_network([8, 16, 16, 4], seed=seed), X, y, "softmax_ce", 0.5
    if pattern == "ZerO":
        return zer_o_network([8, 16, 16, 16, 4]), X, y, "softmax_ce", 0.1
    if pattern == "zero residual branch":
        return (ResidualMLP([8, 8, 8, 4], blocks=8, start="zero last layer", seed=seed),
                X, y, "softmax_ce", 0.05)
    X, Y, W0, _ = lora_task(n=64, d=16, outputs=16, rank=2, population=1, seed=seed)
    return AdaptedLinear(W0[0], rank=2, start="B = 0", seed=seed), X, Y[0], "mse", 0.1


def _group_kind(name):
    """'W1[3]' -> 'W1': the blocks of a residual network share a row."""
    return name.split("[")[0]


def pattern_run(pattern, steps=60, seed=0, wave=3):
    """What moves at steps 1..`wave`, and the training curve, for one of `PATTERNS`.

    Returns
    -------
    kinds : list of str
        Parameter groups (residual blocks merged by kind: W1, W2, α).
    moved : bool array (len(kinds), wave)
        ``moved[i, t − 1]``: some entry of the groups of kind i differs from its
        start after t updates.
    loss : array (steps + 1,)
    report : Audit
    """
    from ..audit import audit

    steps = _checks.positive_int("steps", steps)
    wave = _checks.positive_int("wave", wave)
    model, X, y, loss, lr = pattern_model(pattern, seed)
    report = audit(model, X, y, loss, steps=wave, lr=lr)
    kinds = list(dict.fromkeys(_group_kind(g) for g in report.groups))
    first = report.first_move[0]
    moved = np.zeros((len(kinds), wave), dtype=bool)
    for name, f in zip(report.groups, first):
        if f > 0:
            moved[kinds.index(_group_kind(name)), f - 1:] = True
    losses = fit(model.copy(), X, y, loss, lr=lr, steps=steps)[:, 0]
    return kinds, moved, losses, report
