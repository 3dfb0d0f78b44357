r"""Training loop with a record of every step, for one network or a population.

`train` runs gradient steps and records, after every update, the loss on the
whole training set (entry 0 is the loss at initialisation).

Divergence.  A member has *diverged* at the first step t at which its loss or one
of its parameters is NaN or infinite, or has blown up: the loss exceeds
``BLOWUP · max(1, loss_0)`` or a parameter's magnitude exceeds
``BLOWUP · max(1, max|θ_0|)``, with ``BLOWUP = 1e6`` (six orders of magnitude above
where the member started).  A member that blew up is flagged whatever it does
afterwards (its ReLUs may die and its loss settle at a finite value: that is not
training).  It is frozen (no further updates, later losses NaN) and training goes
on for the others, silently: a too-large initial scale or learning rate is an
experimental outcome here, not an error, and nothing is warned about.

Memory.  The history holds (steps + 1) numbers per member for the loss (and as many
for the accuracy), plus a copy of every parameter per snapshot; `train` refuses,
before it starts, a run whose record would exceed ``HISTORY_LIMIT_BYTES`` (1 GiB),
and says how large it would be.
"""

from collections import namedtuple
from dataclasses import dataclass, field

import numpy as np

from . import _checks
from .losses import get_loss
from .optimizers import get_optimizer
from .statistics import first_step_where

Snapshot = namedtuple("Snapshot", "step weights biases")

#: Loss or parameter growth, relative to the start, at which a member counts as diverged.
BLOWUP = 1e6
#: Largest record (losses, accuracies, snapshots) `train` agrees to allocate.
HISTORY_LIMIT_BYTES = 2 ** 30


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
        First step whose loss or parameters were not finite or blew up (`BLOWUP`); −1 if never.
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


def _labels(T, loss):
    """What `_accuracy` compares the outputs with: the class of each one-hot row of T for
    softmax_ce, T > 1/2 for bce (computed once per `train` call, not once per step)."""
    if loss.name == "softmax_ce":
        return np.argmax(T, axis=-1)
    return T > 0.5


def _accuracy(out, labels, loss):
    """Fraction correct from output logits and the `_labels` of the targets."""
    if loss.name == "softmax_ce":
        correct = np.argmax(out, axis=-1) == labels
        return correct.mean(axis=-1)
    correct = (out > 0) == labels  # logit > 0  <=>  probability > 1/2
    return correct.mean(axis=(-2, -1))


def accuracy(net, X, y, loss):
    """Classification accuracy of `net` on (X, y): a float, or (K,) for a population.

    `loss` ("bce" or "softmax_ce") says how outputs are read: logit > 0 for
    bce, the largest logit for softmax_ce.
    """
    _checks.network("accuracy(net, X, y, loss)", net)
    loss = get_loss(loss)
    if loss.name not in ("bce", "softmax_ce"):
        raise ValueError(f"accuracy needs a classification loss (bce or softmax_ce), got {loss.name!r}")
    X, T = net.prepare(X, y, loss)
    with np.errstate(invalid="ignore"):
        acc = _accuracy(net.run(X)[1][-1], _labels(T, loss), loss)
    if net.population is None:
        return float(acc)
    return np.where(net.finite_members(), acc, np.nan)  # a broken member has no accuracy


def _largest_parameter(params, lead):
    """max |θ| per member over the parameter arrays `params` (NaN if any parameter is NaN).

    `lead` is ``()`` for one network, ``(K,)`` for a population.  All parameters go into
    one array first: a few numpy calls per step instead of a few per array.
    """
    flat = np.concatenate([p.reshape(lead + (-1,)) for p in params], axis=-1)
    return np.abs(flat, out=flat).max(axis=-1)  # max propagates NaN


def _history_bytes(net, steps, classify, snapshot_every):
    members = net.population or 1
    record = (steps + 1) * members * 8 * (2 if classify else 1)
    if snapshot_every:
        record += (steps // snapshot_every + 2) * members * net.n_parameters * net.dtype.itemsize
    return record


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

    Notes
    -----
    Memory: the record takes 8·(steps + 1)·K bytes for the loss (twice that with an
    accuracy) plus, with `snapshot_every`, one copy of the parameters per snapshot; a run
    whose record would exceed ``HISTORY_LIMIT_BYTES`` is refused before it starts.
    Divergence: see the module docstring (`BLOWUP`); `History.diverged` flags it.
    An optimizer object is reset first: its state never carries over from another run.
    """
    _checks.network("train(net, X, y, ...)", net)
    loss = get_loss(loss)
    X, T = net.prepare(X, y, loss)
    optimizer = get_optimizer(optimizer, lr)
    optimizer.rates(net.L)  # fail now, not at the first step, if lr has the wrong length
    optimizer.reset()
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
    size = _history_bytes(net, steps, loss.name in ("bce", "softmax_ce"), snapshot_every)
    if size > HISTORY_LIMIT_BYTES:
        raise ValueError(
            f"train would record {size / 2 ** 30:.3g} GiB of history for steps={steps} "
            f"(limit {HISTORY_LIMIT_BYTES / 2 ** 30:g} GiB): use fewer steps or members, a larger "
            f"snapshot_every, or train in several calls")

    lead = () if net.population is None else (net.population,)
    classify = loss.name in ("bce", "softmax_ce")
    loss_history = np.full((steps + 1,) + lead, np.nan)
    acc_history = np.full((steps + 1,) + lead, np.nan) if classify else None
    active = np.ones(lead, dtype=bool)
    everyone_active = True  # until the first member diverges: no masking needed
    diverged_at = np.full(lead, -1, dtype=np.int64)
    snapshots = []
    params = net.parameters()
    flat_params = [p for layer in params for p in layer]
    labels = _labels(T, loss) if classify else None
    batches = _minibatches(n, batch_size, batch_rng) if batch_size else None
    full_batch_step = batch_size is None and dropout == 0.0

    # Overflow to inf/NaN is an outcome to record, not to warn about.
    with np.errstate(all="ignore"):
        for t in range(steps + 1):
            # `grads` still holds the previous step's arrays while the new ones are made: fewer
            # fresh pages for numpy to fault in when a population's arrays are large.
            if full_batch_step and t < steps:
                # The update's own forward pass gives the full-set loss for free.
                value, grads = net.gradients(X, T, loss)
                out = grads.activations[-1]
            else:
                out = net.run(X)[1][-1]
                value = loss.value(out, T)

            largest = _largest_parameter(flat_params, lead)
            if t == 0:
                loss_limit = BLOWUP * np.maximum(1.0, np.where(np.isfinite(value), value, 1.0))
                parameter_limit = BLOWUP * np.maximum(1.0, np.where(np.isfinite(largest),
                                                                    largest, 1.0))
            # Not (x <= limit) is also true for NaN: non-finite and blown-up members alike.
            finite = (value <= loss_limit) & (largest <= parameter_limit)
            if everyone_active and finite.all():  # the usual step: nothing to mask
                loss_history[t] = value
                if classify:
                    acc_history[t] = _accuracy(out, labels, loss)
            else:
                everyone_active = False
                newly = active & ~finite
                diverged_at[newly] = t
                recorded = active.copy()  # the diverging step's own value is kept
                active &= finite
                loss_history[t] = np.where(recorded, value, np.nan)
                if classify:
                    acc_history[t] = np.where(active, _accuracy(out, labels, loss), np.nan)
            if snapshot_every and (t % snapshot_every == 0 or t == steps):
                snapshots.append(Snapshot(t, [W.copy() for W in net.weights],
                                          [None if b is None else b.copy() for b in net.biases]))
            if t == steps or not (everyone_active or active.any()):
                break

            if not full_batch_step:
                idx = next(batches) if batches is not None else slice(None)
                _, grads = net.gradients(X[..., idx, :], T[..., idx, :], loss, dropout, dropout_rng)
            if everyone_active:
                optimizer.step(params, grads.layers())
                continue
            # Frozen members keep their parameters: save them, update everyone, put them back.
            frozen = np.flatnonzero(~active)
            saved = [p[frozen].copy() for p in flat_params]
            optimizer.step(params, grads.layers())
            for p, p_kept in zip(flat_params, saved):
                p[frozen] = p_kept

    diverged = diverged_at >= 0
    if not lead:
        diverged, diverged_at = bool(diverged), int(diverged_at)
    return History(loss_history, acc_history, diverged, diverged_at, snapshots, steps)


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
    _checks.network("first_move_steps(net, X, y, ...)", net)
    history = train(net.copy(), X, y, loss=loss, optimizer=optimizer, lr=lr, steps=steps,
                    snapshot_every=1)
    return first_moves(history)
