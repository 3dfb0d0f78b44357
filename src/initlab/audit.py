r"""Audit an initialisation before training: will it learn, and if not, why not?

Chapters 1–4 found three ways an initialisation can fail and chapter 8 the rule
behind them: a zero is safe when the gradient of the parameter is built from
*other* factors that are nonzero and differ from unit to unit; it is fatal when
zeros multiply zeros (a stationary point, chapters 2 and 3) or when whole units
are left identical (chapter 1).  `audit` measures exactly that on one batch:

* which parameter groups have a nonzero gradient at step 1, and after how many
  full-batch gradient steps each group has first moved (bitwise);
* how many distinct units each hidden layer has after those steps;
* whether the input reaches the output: the spread of the outputs across the
  batch (a network whose outputs are the same for every sample can only fit
  the class balance);
* the initial loss against its ideal value, the loss of the best constant
  predictor (ln C for C balanced classes);
* the scale of the activations of every layer.

and returns a verdict, in this order of precedence:

``"exploding"``
    some layer's activations have a standard deviation above `explode`
    (or the loss is not finite): the scale, not the zeros, is wrong, and
    nothing else can be judged;
``"stationary"``
    some parameter group never moves within the probe (its gradient stays
    exactly 0: zeros multiply zeros), or the outputs stay the same for every
    sample to within `signal_tol` (the input never reaches the output);
``"symmetric"``
    every group moves, but some hidden layer still has fewer distinct units
    than its width (the units move together);
``"fine"``
    none of the above.

The model protocol (duck-typed, so that `MLP` and the small residual and
adapter models of chapter 8 can all be audited):

* ``parameters()``: ``[[p, ...], ...]``, the arrays an optimizer updates;
* ``loss_and_gradients(X, y, loss)`` → ``(loss, grads)`` with
  ``grads.layers()`` in the same layout and ``grads.activations`` the list
  ``[X, a_1, ..., output]`` (the output has shape (N, O) or (K, N, O));
* ``copy()``; ``population`` (None or K);
* optional ``parameter_names()`` (same layout, str) and ``unit_layers()``:
  ``[(name, W, b or None), ...]`` for the layers whose units must differ.
  For an `MLP` the names are "W1", "b1", … and the unit layers are the
  hidden layers 1..L−1.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import _checks
from .losses import get_loss
from .optimizers import get_optimizer
from .tables import Table

__all__ = ["Audit", "audit", "constant_predictor_loss", "VERDICTS"]

#: The verdicts of `audit`, in order of precedence.
VERDICTS = ("exploding", "stationary", "symmetric", "fine")


# ---------------------------------------------------------------- the ideal loss
def constant_predictor_loss(y, loss, n_outputs):
    r"""The lowest loss a network whose output ignores the input can reach.

    softmax_ce: the entropy of the class frequencies, −Σ_c π_c ln π_c (ln C for
    C balanced classes); bce: Σ_o H(π_o); mse: half the variance of the targets,
    (1/2N) Σ_n ‖y_n − ȳ‖².  This is where a well-scaled initialisation should
    start (the output knows nothing yet) and where a stationary one ends.

    Parameters
    ----------
    y : array
        Targets as for `MLP.loss_and_gradients`: (N,), (N, O), or with a
        leading K axis.
    loss : str or Loss
    n_outputs : int
        O, the width of the output layer.

    Returns
    -------
    float, or array (K,) when y has a leading population axis
    """
    loss = get_loss(loss)
    n_outputs = _checks.positive_int("n_outputs", n_outputs)
    y = np.asarray(y)
    if n_outputs == 1:
        per_sample = y.ndim == 0 or y.shape[-1] != 1
    elif loss.name == "softmax_ce":
        per_sample = not (y.ndim >= 2 and y.shape[-1] == n_outputs
                          and np.issubdtype(y.dtype, np.floating))
    else:
        per_sample = False
    T = np.asarray(loss.targets(y, n_outputs, per_sample), dtype=float)
    mean = T.mean(axis=-2, keepdims=True)
    with np.errstate(divide="ignore"):
        if loss.name == "softmax_ce":
            best = np.log(np.maximum(mean, 1e-300))                 # logits = ln π_c
        elif loss.name == "bce":
            p = np.clip(mean, 1e-300, 1 - 1e-16)
            best = np.log(p) - np.log1p(-p)                         # logit of π
        else:
            best = mean
    value = loss.value(np.broadcast_to(best, T.shape), T)
    return float(value) if np.ndim(value) == 0 else np.asarray(value)


# ------------------------------------------------------------------ helpers
def _names(model):
    if hasattr(model, "parameter_names"):
        return model.parameter_names()
    names = []
    for l, layer in enumerate(model.parameters()):
        if len(layer) == 2:
            names.append([f"W{l + 1}", f"b{l + 1}"])
        else:
            names.append([f"θ{l + 1}.{i}" for i in range(len(layer))])
    return names


def _unit_layers(model):
    if hasattr(model, "unit_layers"):
        return model.unit_layers()
    if hasattr(model, "weights") and hasattr(model, "biases"):
        return [(f"layer {l + 1}", W, b)
                for l, (W, b) in enumerate(zip(model.weights[:-1], model.biases[:-1]))]
    return []


def _distinct(W, b, atol):
    """Distinct units (columns of W, with b appended) per member: (K,) ints.

    Unit j is counted when no earlier unit i < j lies within `atol` in every
    entry.  Vectorised over the population axis.
    """
    V = np.swapaxes(np.asarray(W, dtype=float), -1, -2)
    if V.ndim == 2:
        V = V[None]
    if b is not None:
        b = np.asarray(b, dtype=float).reshape(V.shape[0], -1)
        V = np.concatenate([V, b[..., None]], axis=-1)
    gap = np.abs(V[:, :, None, :] - V[:, None, :, :]).max(axis=-1)   # (K, n, n)
    n = V.shape[1]
    earlier = np.tril(np.ones((n, n), dtype=bool), k=-1)             # [j, i]: i < j
    repeated = ((gap <= atol) & earlier).any(axis=-1)
    return n - repeated.sum(axis=-1)


def _per_member(array, K):
    """max |x| over all but the population axis: (K,)."""
    a = np.abs(np.asarray(array, dtype=float))
    return a.reshape(K, -1).max(axis=-1) if a.size else np.zeros(K)


def _output_spread(out, K):
    """Largest standard deviation of an output across the batch: (K,)."""
    out = np.asarray(out, dtype=float).reshape((K,) + np.shape(out)[-2:])
    return out.std(axis=-2).max(axis=-1)


# ------------------------------------------------------------------- result
@dataclass
class Audit:
    """What `audit` measured.  Per-member arrays have a leading K axis (K = 1
    for a single network; the properties give plain values then).

    Attributes
    ----------
    groups : list of str
        Parameter group names, in the order of ``parameters()`` flattened.
    gradient_at_start : array (K, G)
        The largest absolute entry of dLoss/dθ of each group at the start (0 exactly: no
        gradient).
    first_move : int array (K, G)
        The first step t (1-based: after t updates) at which the group differs
        from its start in any entry; −1 if not within `steps`.
    unit_layers : list of str
    widths : list of int
    distinct : int array (K, U)
        Distinct units per unit layer after the probe.
    initial_loss : array (K,)
    ideal_loss : float or array (K,)
        The constant predictor's loss.
    activation_std : array (K, A)
        Standard deviation of every recorded activation (a_1, ..., a_L for an
        `MLP`) at the start.
    output_spread : array (K, steps + 1)
        Largest standard deviation of an output across the batch, after t
        updates.
    verdict : array of str (K,)
    reason : list of str (K)
    steps : int
    """

    groups: list
    gradient_at_start: np.ndarray
    first_move: np.ndarray
    unit_layers: list
    widths: list
    distinct: np.ndarray
    initial_loss: np.ndarray
    ideal_loss: object
    activation_std: np.ndarray
    output_spread: np.ndarray
    verdict: np.ndarray
    reason: list
    steps: int
    single: bool = field(default=False)

    # -- plain values for a single network ---------------------------------
    def _plain(self, a):
        return a[0] if self.single else a

    @property
    def verdicts(self):
        """The verdict of every member, as plain text (a str for a single network, an
        array of shape (K,) for a population)."""
        return self._plain(self.verdict)

    def counts(self):
        """{verdict: number of members}, for the verdicts that occur."""
        values, n = np.unique(self.verdict, return_counts=True)
        return {str(v): int(c) for v, c in zip(values, n)}

    def select(self, members):
        """The audit of some members only (an index, slice or boolean mask over K)."""
        idx = np.arange(len(self.verdict))[members]
        idx = np.atleast_1d(idx)
        ideal = self.ideal_loss if np.ndim(self.ideal_loss) == 0 else np.asarray(self.ideal_loss)[idx]
        return Audit(self.groups, self.gradient_at_start[idx], self.first_move[idx],
                     self.unit_layers, self.widths, self.distinct[idx], self.initial_loss[idx],
                     ideal, self.activation_std[idx], self.output_spread[idx],
                     self.verdict[idx], [self.reason[i] for i in idx], self.steps, False)

    def moving_at(self, t, member=0):
        """Names of the groups of `member` that have moved after t updates."""
        t = _checks.positive_int("t", t)
        first = self.first_move[member]
        return [g for g, f in zip(self.groups, first) if 1 <= f <= t]

    def all_moved_at(self):
        """Per member, the step after which every group has moved; −1 if never (K,)."""
        never = (self.first_move < 0).any(axis=-1)
        return np.where(never, -1, self.first_move.max(axis=-1))

    # -- display -------------------------------------------------------------
    def table(self, member=0):
        """A `Table` of member `member`: one row per parameter group."""
        rows = []
        for g, (name, grad, first) in enumerate(zip(self.groups, self.gradient_at_start[member],
                                                    self.first_move[member])):
            rows.append([name, "yes" if grad > 0 else "no (exactly 0)", f"{grad:.2g}",
                         str(first) if first > 0 else f"not within {self.steps}"])
        caption = (f"verdict: {self.verdict[member]} ({self.reason[member]}); initial loss "
                   f"{self.initial_loss[member]:.4g} (constant predictor "
                   f"{np.ravel(self.ideal_loss)[member if np.ndim(self.ideal_loss) else 0]:.4g})")
        return Table(["group", "gradient at step 1", "max |gradient|", "first moves at step"],
                     rows, caption=caption)

    def summary(self):
        """A few lines of text: the verdicts and what led to them."""
        K = len(self.verdict)
        lines = [f"Audit over {self.steps} gradient steps"
                 + ("" if self.single else f", {K} members") + ": "
                 + ", ".join(f"{v} × {n}" for v, n in self.counts().items())]
        m = 0
        lines.append(f"  moving at step 1: {', '.join(self.moving_at(1, m)) or 'nothing'}")
        if self.steps >= 2:
            lines.append(f"  moving by step 2: {', '.join(self.moving_at(2, m)) or 'nothing'}")
        if self.unit_layers:
            lines.append("  distinct units: " + ", ".join(
                f"{n} {d}/{w}" for n, d, w in zip(self.unit_layers, self.distinct[m], self.widths)))
        lines.append(f"  initial loss {self.initial_loss[m]:.4g}, constant predictor "
                     f"{np.ravel(self.ideal_loss)[m if np.ndim(self.ideal_loss) else 0]:.4g}")
        lines.append(f"  activation std per layer: "
                     + ", ".join(f"{s:.2g}" for s in self.activation_std[m]))
        lines.append(f"  member {m}: {self.verdict[m]} — {self.reason[m]}")
        return "\n".join(lines)

    def __repr__(self):
        return self.summary()

    def _repr_html_(self):
        return self.table()._repr_html_()


# -------------------------------------------------------------------- audit
def audit(model, X, y, loss, steps=10, lr=0.1, optimizer="sgd", signal_tol=1e-11,
          unit_atol=1e-12, explode=1e3):
    r"""Audit the initialisation of `model` on the batch (X, y).

    Runs `steps` full-batch updates on a copy (the model itself is not
    changed) and records what moves; see the module docstring for the verdicts.

    Parameters
    ----------
    model : MLP, or any model following the protocol of this module
    X, y : arrays, as for the model's ``loss_and_gradients``
    loss : str or Loss
    steps : int >= 1, default 10
        Length of the probe.  A sigmoid network started at zero moves one layer
        per step (chapter 3), so give at least L.
    lr : float or one per layer
    optimizer : str or Optimizer
    signal_tol : float >= 0
        Outputs whose spread across the batch stays below
        ``signal_tol · (1 + |mean output|)`` at every step do not depend on the
        input.
    unit_atol : float >= 0
        Two units within `unit_atol` in every entry of their incoming weights
        and bias count as one (absolute, after the probe).
    explode : float > 0
        Activation standard deviation above which the start is "exploding".

    Returns
    -------
    Audit
    """
    steps = _checks.positive_int("steps", steps)
    signal_tol = _checks.non_negative_number("signal_tol", signal_tol)
    unit_atol = _checks.non_negative_number("unit_atol", unit_atol)
    explode = _checks.positive_number("explode", explode)
    for method in ("parameters", "loss_and_gradients", "copy"):
        if not callable(getattr(model, method, None)):
            raise ValueError(f"model must have a {method}() method (an initlab MLP or a model "
                             f"following the protocol of initlab.audit), got {model!r}")
    loss = get_loss(loss)
    work = model.copy()
    single = getattr(work, "population", None) is None
    K = 1 if single else work.population
    names = [n for layer in _names(work) for n in layer]
    params = work.parameters()
    flat = [p for layer in params for p in layer]
    if len(names) != len(flat):
        raise ValueError(f"parameter_names() gives {len(names)} names for {len(flat)} arrays")
    start = [p.copy() for p in flat]
    opt = get_optimizer(optimizer, lr)
    opt.rates(len(params))

    first_move = np.full((K, len(flat)), -1, dtype=np.int64)
    spread = np.empty((K, steps + 1))
    with np.errstate(all="ignore"):
        value, grads = work.loss_and_gradients(X, y, loss)
        initial = np.broadcast_to(np.asarray(value, dtype=float), (K,)).copy()
        gradient_at_start = np.stack([_per_member(g, K) for layer in grads.layers() for g in layer],
                                     axis=-1)
        acts = grads.activations[1:]
        activation_std = np.stack([np.asarray(a, dtype=float).reshape(K, -1).std(axis=-1)
                                   for a in acts], axis=-1)
        out = grads.activations[-1]
        n_outputs = np.shape(out)[-1]
        for t in range(1, steps + 1):
            spread[:, t - 1] = _output_spread(out, K) / (1 + np.abs(np.asarray(out, float)
                                                                      .reshape(K, -1).mean(-1)))
            opt.step(params, grads.layers())
            for i, (p, p0) in enumerate(zip(flat, start)):
                moved = (p != p0).reshape(K, -1).any(axis=-1)   # NaN counts as moved
                first_move[:, i] = np.where((first_move[:, i] < 0) & moved, t, first_move[:, i])
            value, grads = work.loss_and_gradients(X, y, loss)
            out = grads.activations[-1]
        spread[:, steps] = _output_spread(out, K) / (1 + np.abs(np.asarray(out, float)
                                                                  .reshape(K, -1).mean(-1)))

    units = _unit_layers(work)
    unit_names = [u[0] for u in units]
    widths = [int(np.shape(u[1])[-1]) for u in units]
    distinct = (np.stack([_distinct(W, b, unit_atol) for _, W, b in units], axis=-1)
                if units else np.zeros((K, 0), dtype=np.int64))
    ideal = constant_predictor_loss(y, loss, n_outputs)

    verdict, reason = [], []
    for k in range(K):
        dead = [g for g, f in zip(names, first_move[k]) if f < 0]
        narrow = [f"{n}: {d} of {w}" for n, d, w in zip(unit_names, distinct[k], widths) if d < w]
        if not np.isfinite(initial[k]) or not np.all(activation_std[k] <= explode):
            verdict.append("exploding")
            reason.append(f"activation std up to {np.nanmax(activation_std[k]):.2g} "
                          f"(> {explode:g}) at the start")
        elif dead:
            verdict.append("stationary")
            reason.append(f"{', '.join(dead)} never move{'s' if len(dead) == 1 else ''} "
                          f"in {steps} steps (zero gradient)")
        elif narrow:
            verdict.append("symmetric")
            reason.append(f"units still identical after {steps} steps ({'; '.join(narrow)} distinct)")
        elif np.all(spread[k] <= signal_tol):
            verdict.append("stationary")
            reason.append(f"the outputs are the same for every sample for {steps} steps "
                          f"(spread ≤ {spread[k].max():.1e}): the input never reaches the output")
        else:
            verdict.append("fine")
            reason.append(f"every group moves by step {first_move[k].max()}, units distinct, "
                          f"outputs depend on the input")
    return Audit(names, gradient_at_start, first_move, unit_names, widths, distinct, initial,
                 ideal, activation_std, spread, np.array(verdict), reason, steps, single)
