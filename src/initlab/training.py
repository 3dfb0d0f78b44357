r"""Training loop with a record of every step, for one network or a population.

`train` runs gradient steps and records, after every update, the loss on the
whole training set (entry 0 is the loss at initialisation).  A member whose
loss or parameters stop being finite has *diverged*: it is frozen (no further
updates, later losses NaN) and training goes on for the others, silently —
a too-large initial scale is an experimental outcome here, not an error.
"""

from collections import namedtuple
from dataclasses import dataclass, field

import numpy as np

from . import _checks
from .losses import get_loss
from .optimizers import get_optimizer

Snapshot = namedtuple("Snapshot", "step weights biases")


@dataclass
class History:
    """What `train` recorded.

    Attributes
    ----------
    loss : array (steps + 1,) or (steps + 1, K)
        Entry t: full-training-set loss after t updates (no dropout); NaN
        after a member diverged.
    accuracy : array like `loss`, or None
        Training accuracy for bce / softmax_ce; None for mse.
    diverged : bool or bool array (K,)
    diverged_at : int or int array (K,)
        First step whose loss or parameters were not finite; −1 if never.
    snapshots : list of Snapshot(step, weights, biases)
        Copies taken every `snapshot_every` steps (and at the last step).
    steps : int
    """

    loss: np.ndarray
    accuracy: object = None
    diverged: object = False
    diverged_at: object = -1
    snapshots: list = field(default_factory=list)
    steps: int = 0

    @property
    def final_loss(self):
        """The loss after the last step, ``loss[-1]``: a float, or (K,) for a population."""
        return self.loss[-1]

    def summary(self):
        """One or two lines: final loss and how many members diverged, when."""
        final = np.asarray(self.loss[-1])
        if final.ndim == 0:
            if self.diverged:
                return f"History: {self.steps} steps; diverged at step {self.diverged_at}"
            text = f"History: {self.steps} steps; final loss {float(final):.4g}"
            if self.accuracy is not None:
                text += f", accuracy {float(self.accuracy[-1]):.3f}"
            return text + "; did not diverge"
        K = final.size
        n_div = int(np.count_nonzero(self.diverged))
        ok = final[~np.asarray(self.diverged)]
        text = f"History: {K} members, {self.steps} steps"
        if ok.size:
            text += (f"; final loss median {np.median(ok):.4g} "
                     f"(min {ok.min():.4g}, max {ok.max():.4g}) over the {ok.size} finite members")
        if n_div:
            at = np.asarray(self.diverged_at)[np.asarray(self.diverged)]
            text += (f"\n{n_div} of {K} members diverged, at steps {at.min()}..{at.max()} "
                     f"(median {int(np.median(at))})")
        else:
            text += f"; none of the {K} members diverged"
        return text

    def __repr__(self):
        return self.summary()


def _minibatches(n, batch_size, rng):
    """Index arrays: a fresh permutation every epoch, cut into batches."""
    while True:
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            yield order[start:start + batch_size]


def _accuracy(out, T, loss):
    """Fraction correct from output logits and prepared targets."""
    if loss.name == "softmax_ce":
        correct = np.argmax(out, axis=-1) == np.argmax(T, axis=-1)
        return correct.mean(axis=-1)
    correct = (out > 0) == (T > 0.5)  # logit > 0  <=>  probability > 1/2
    return correct.mean(axis=(-2, -1))


def accuracy(net, X, y, loss):
    """Classification accuracy of `net` on (X, y): a float, or (K,) for a population.

    `loss` ("bce" or "softmax_ce") says how outputs are read: logit > 0 for
    bce, the largest logit for softmax_ce.
    """
    loss = get_loss(loss)
    if loss.name not in ("bce", "softmax_ce"):
        raise ValueError(f"accuracy needs a classification loss (bce or softmax_ce), got {loss.name!r}")
    X, T = net.prepare(X, y, loss)
    acc = _accuracy(net.run(X)[1][-1], T, loss)
    return float(acc) if net.population is None else acc


def _finite_members(net):
    """True per member when every parameter is finite."""
    ok = True
    for W, b in zip(net.weights, net.biases):
        ok = ok & np.isfinite(W).all(axis=(-2, -1))
        if b is not None:
            ok = ok & np.isfinite(b).all(axis=-1)
    return ok


def train(net, X, y, loss="mse", optimizer="sgd", lr=0.1, steps=100, batch_size=None,
          seed=0, dropout=0.0, snapshot_every=None):
    """Train `net` in place and return its `History`.

    Parameters
    ----------
    net : MLP
    X, y : arrays
        As for `MLP.loss_and_gradients`.
    loss : str or Loss
    optimizer : str or Optimizer
        "sgd", "momentum" or "adam" (built with `lr`), or an optimizer object.
    lr : float or sequence of float
        Learning rate, or one per layer.  Ignored when `optimizer` is an object.
    steps : int >= 1
        Number of updates.
    batch_size : int, optional
        None: full batch.  Otherwise minibatches from a fresh permutation each
        epoch, drawn from `seed` (same seed, same batches; shared by all
        population members).
    seed : int
        Seeds the batch order and the dropout masks (separate streams).
    dropout : float in [0, 1)
        Inverted dropout on the hidden activations during the updates; an
        independent mask per unit, example and member.
    snapshot_every : int, optional
        Keep a copy of the parameters every this many steps.

    Returns
    -------
    History
    """
    loss = get_loss(loss)
    X, T = net.prepare(X, y, loss)
    optimizer = get_optimizer(optimizer, lr)
    optimizer.rates(net.L)  # fail now, not at the first step, if lr has the wrong length
    steps = _checks.positive_int("steps", steps)
    n = X.shape[-2]
    if batch_size is not None:
        batch_size = _checks.positive_int("batch_size", batch_size)
        if batch_size > n:
            raise ValueError(f"batch_size={batch_size} is larger than the {n} training samples")
    dropout = _checks.dropout_rate(dropout)
    if snapshot_every is not None:
        snapshot_every = _checks.positive_int("snapshot_every", snapshot_every)
    batch_rng, dropout_rng = _checks.spawn_rngs(seed, 2)

    lead = () if net.population is None else (net.population,)
    classify = loss.name in ("bce", "softmax_ce")
    loss_history = np.full((steps + 1,) + lead, np.nan)
    acc_history = np.full((steps + 1,) + lead, np.nan) if classify else None
    active = np.ones(lead, dtype=bool)
    diverged_at = np.full(lead, -1, dtype=np.int64)
    snapshots = []
    params = net.parameters()
    batches = _minibatches(n, batch_size, batch_rng) if batch_size else None
    full_batch_step = batch_size is None and dropout == 0.0

    # Overflow to inf/NaN is an outcome to record, not to warn about.
    with np.errstate(all="ignore"):
        for t in range(steps + 1):
            grads = None
            if full_batch_step and t < steps:
                # The update's own forward pass gives the full-set loss for free.
                value, grads = net.gradients(X, T, loss)
                out = grads.activations[-1]
            else:
                out = net.run(X)[1][-1]
                value = loss.value(out, T)

            finite = np.isfinite(value) & _finite_members(net)
            newly = active & ~finite
            diverged_at[newly] = t
            recorded = active.copy()  # the diverging step's own value is kept
            active &= finite
            loss_history[t] = np.where(recorded, value, np.nan)
            if classify:
                acc_history[t] = np.where(active, _accuracy(out, T, loss), np.nan)
            if snapshot_every and (t % snapshot_every == 0 or t == steps):
                snapshots.append(Snapshot(t, [W.copy() for W in net.weights],
                                          [None if b is None else b.copy() for b in net.biases]))
            if t == steps or not active.any():
                break

            if grads is None:
                idx = next(batches) if batches is not None else slice(None)
                _, grads = net.gradients(X[..., idx, :], T[..., idx, :], loss, dropout, dropout_rng)
            frozen = np.flatnonzero(~active) if lead else []
            saved = [[p[frozen].copy() for p in layer] for layer in params] if len(frozen) else None
            optimizer.step(params, grads.layers())
            if saved is not None:
                for layer, kept in zip(params, saved):
                    for p, p_kept in zip(layer, kept):
                        p[frozen] = p_kept

    diverged = diverged_at >= 0
    if not lead:
        diverged, diverged_at = bool(diverged), int(diverged_at)
    return History(loss_history, acc_history, diverged, diverged_at, snapshots, steps)
