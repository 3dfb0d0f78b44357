r"""What an all-zero start does, activation by activation (chapter 3).

Start every weight and bias at 0.  The forward pass gives, in every hidden layer,

    z_ℓ = a_{ℓ−1} @ 0 + 0 = 0,        a_ℓ = g(0)        (the same for every input),

and the backward pass gives

    dLoss/dW_ℓ = a_{ℓ−1}ᵀ @ delta_ℓ,   delta_{ℓ−1} = (delta_ℓ @ W_ℓᵀ) ⊙ g'(z_{ℓ−1}).

Two gates decide what can move.  Forward: if g(0) = 0 (tanh, ReLU, ...) every
hidden activation is 0, so every weight fed by a hidden layer gets a zero
gradient.  Backward: W_ℓ = 0 blocks delta on its way down, whatever g'(0) is.
Only the output bias b_L, whose gradient is Σ_n delta_L[n], is free.  If g(0) ≠ 0
(sigmoid: 1/2) the forward gate is open and the start moves one layer per step.

This module measures that: `parameter_trace` records per-layer gradients and
displacements step by step (from `train` with ``snapshot_every=1``),
`activation_table` builds the chapter's table and `movement_map` feeds the
explorer.  When each parameter group first leaves its start is the core's
`initlab.diagnostics.first_move_steps`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import _checks
from ..activations import ACTIVATIONS, ReLU, get_activation
from ..data import two_moons
from ..diagnostics import TIE_ATOL, FirstMoves, distinct_units
from ..losses import get_loss
from ..statistics import first_step_where
from ..network import MLP
from ..tables import Table, subscript
from ..training import accuracy, train

__all__ = [
    "binary_entropy", "best_constant_loss", "STARTS", "zero_network", "ParameterTrace",
    "parameter_trace", "ActivationRow", "activation_table", "activation_markdown",
    "activation_html", "movement_map",
]


# ---------------------------------------------------------------- reference losses
def binary_entropy(p):
    r"""H(p) = −p ln p − (1 − p) ln(1 − p) in nats (0 ln 0 = 0); ln 2 at p = 1/2.

    `p` is a number or an array of probabilities in [0, 1]; returns the same shape.
    """
    p_arr = _checks.finite_array("p", p)
    if np.any((p_arr < 0) | (p_arr > 1)):
        raise ValueError(f"p must be probabilities in [0, 1], got values from "
                         f"{p_arr.min():g} to {p_arr.max():g}")
    with np.errstate(divide="ignore", invalid="ignore"):
        h = -(np.where(p_arr > 0, p_arr * np.log(p_arr), 0.0)
              + np.where(p_arr < 1, (1 - p_arr) * np.log1p(-p_arr), 0.0))
    return float(h) if h.ndim == 0 else h


def best_constant_loss(y):
    r"""The lowest binary cross-entropy any constant predictor reaches on labels y.

    A constant logit c gives loss −π ln σ(c) − (1 − π) ln(1 − σ(c)) with π the
    fraction of ones; it is smallest at σ(c) = π, where it equals H(π)
    (`binary_entropy`).  y: labels in {0, 1}, shape (N,) or (K, N) → float or (K,).
    """
    y = _checks.finite_array("y", y)
    if y.ndim not in (1, 2) or y.shape[-1] == 0:
        raise ValueError(f"y must be labels of shape (N,) or (K, N), got shape {y.shape}")
    if np.any((y != 0) & (y != 1)):
        raise ValueError("y must hold class labels 0 and 1 only; got other values")
    return binary_entropy(y.mean(axis=-1))


# --------------------------------------------------------------------- networks
#: The two starts of `zero_network`.
STARTS = ("all zero", "zero, random output layer")


def zero_network(sizes, activation="tanh", start="all zero", population=None, seed=0):
    """A network whose weights and biases are all 0.

    Parameters
    ----------
    sizes : sequence of int
        ``[d, n_1, ..., n_L]`` as for `MLP`.
    activation : str or Activation
        Hidden activation, e.g. "sigmoid" or ``ReLU(grad_at_zero=1.0)``.
    start : {"all zero", "zero, random output layer"}
        The second keeps b_L = 0 but draws the output weights W_L from
        Glorot normal (seeded): the backward gate is then open at layer L.
    population, seed
        As for `MLP`.
    """
    if start not in STARTS:
        raise _checks.unknown_name("start", start, STARTS)
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__") or len(sizes) < 2:
        raise ValueError(f"sizes must list at least an input and an output width, e.g. [2, 8, 1]; "
                         f"got {sizes!r}")
    n_layers = len(sizes) - 1
    last = "zeros" if start == "all zero" else "glorot_normal"
    weight_init = ["zeros"] * (n_layers - 1) + [last]
    return MLP(sizes, activation=activation, weight_init=weight_init, bias_init="zeros",
               population=population, seed=seed)


# ------------------------------------------------------------ step-by-step trace
@dataclass
class ParameterTrace:
    """What `parameter_trace` recorded; layer index l = ℓ − 1 on the last axis.

    Attributes
    ----------
    loss : array (steps + 1,) or (steps + 1, K)
        Loss at θ_t, t = 0..steps.
    grad_W, grad_b : arrays (steps, L) or (steps, K, L)
        max |dLoss/dW_ℓ| and max |dLoss/db_ℓ| at θ_t: the gradient used by update t + 1.
    change_W, change_b : arrays (steps + 1, L) or (steps + 1, K, L)
        max |W_ℓ(t) − W_ℓ(0)| and max |b_ℓ(t) − b_ℓ(0)|; row 0 is all zeros.
    first_moves : FirstMoves
        When each group first left its start.
    """

    loss: np.ndarray
    grad_W: np.ndarray
    grad_b: np.ndarray
    change_W: np.ndarray
    change_b: np.ndarray
    first_moves: FirstMoves

    @property
    def steps(self):
        return self.grad_W.shape[0]


def _max_abs(arrays, lead):
    """Per-layer max |x| over everything but the population axis: (…lead, L)."""
    return np.stack([np.abs(a).reshape(lead + (-1,)).max(axis=-1) for a in arrays], axis=-1)


def parameter_trace(net, X, y, loss="bce", lr=0.5, steps=8, optimizer="sgd"):
    r"""Train `net` in place for `steps` full-batch updates, recording every layer.

    Update t + 1 is θ_{t+1} = θ_t − lr · ∇Loss(θ_t) for "sgd" (any initlab optimizer
    name or object is accepted): `train` with ``snapshot_every=1``, then the gradient
    at every recorded θ_t.  Each record is a maximum of absolute values over a layer's
    entries, so an exact 0 means *every* entry is exactly 0.

    Parameters
    ----------
    net : MLP
        One network or a population.
    X, y : arrays
        As for `MLP.loss_and_gradients`.
    loss : str or Loss
    lr : float or one per layer
    steps : int >= 1
    optimizer : str or Optimizer

    Returns
    -------
    ParameterTrace
    """
    if not isinstance(net, MLP):
        raise ValueError(f"net must be an initlab MLP, got {net!r}")
    history = train(net, X, y, loss=loss, optimizer=optimizer, lr=lr, steps=steps,
                    snapshot_every=1)
    lead = () if net.population is None else (net.population,)
    snaps = history.snapshots
    start_W, start_b = snaps[0].weights, snaps[0].biases
    at = net.copy()
    loss = get_loss(loss)
    X, T = at.prepare(X, y, loss)
    grad_W, grad_b = [], []
    with np.errstate(all="ignore"):  # a diverged member: recorded by train, not warned about
        for snap in snaps[:-1]:  # the gradient that update t + 1 used
            at.weights, at.biases = snap.weights, snap.biases
            _, grads = at.gradients(X, T, loss)
            grad_W.append(_max_abs(grads.weights, lead))
            grad_b.append(_max_abs(grads.biases, lead))
    change_W = np.array([_max_abs([W - W0 for W, W0 in zip(s.weights, start_W)], lead)
                         for s in snaps])
    change_b = np.array([_max_abs([b - b0 for b, b0 in zip(s.biases, start_b)], lead)
                         for s in snaps])
    moves = FirstMoves(first_step_where(change_W > 0), first_step_where(change_b > 0),
                       history.steps)
    return ParameterTrace(history.loss, np.array(grad_W), np.array(grad_b), change_W, change_b,
                          moves)


# ---------------------------------------------------------------- the table
@dataclass
class ActivationRow:
    """One row of the chapter's table (a network trained from the all-zero start).

    Attributes
    ----------
    activation : str
    g0 : float
        g(0), the hidden activation of every unit at the start.
    moved : list of list of str
        ``moved[t − 1]``: the parameter groups that have moved after t updates.
    first_moves : FirstMoves
    distinct : list of int
        Distinct units (incoming weights plus bias, tolerance `initlab.diagnostics.TIE_ATOL`) of
        each hidden layer after training.
    max_weight_gradient : float
        Largest |dLoss/dW_ℓ| over every layer ℓ = 1..L and every training step.
    final_weight_size : list of float
        max |W_ℓ| of every layer ℓ = 1..L after training (all start at 0).
    final_loss, final_accuracy : float
    loss : array (steps + 1,)
        The training loss after t updates, t = 0..steps.
    """

    activation: str
    g0: float
    moved: list
    first_moves: FirstMoves
    distinct: list
    max_weight_gradient: float
    final_weight_size: list
    final_loss: float
    final_accuracy: float
    loss: np.ndarray


def activation_table(activations, X, y, sizes=(2, 8, 8, 8, 1), lr=0.5, steps=2000,
                     wave_steps=3, seed=0):
    """Train an all-zero network per activation and summarise what happened.

    Parameters
    ----------
    activations : sequence of str or Activation
        Hidden activations, e.g. ``["sigmoid", "tanh", ReLU(grad_at_zero=1.0)]``.
    X, y : arrays (N, d), labels (N,) in {0, 1}
        Binary classification with bce on a single logit.
    sizes : sequence of int
        Layer widths; the input and output widths must match X and one logit.
    lr, steps : full-batch SGD settings of the training run.
    wave_steps : int
        The table reports what has moved after steps 1..wave_steps.
    seed : int

    Returns
    -------
    list of ActivationRow
    """
    sizes = list(sizes)
    if len(sizes) < 2 or sizes[-1] != 1:
        raise ValueError(f"sizes must end in a single output (one logit for bce), got {sizes!r}")
    wave_steps = _checks.positive_int("wave_steps", wave_steps)
    steps = _checks.positive_int("steps", steps)
    if wave_steps > steps:
        raise ValueError(f"wave_steps={wave_steps} exceeds the {steps} training steps")
    if isinstance(activations, (str, bytes)) or not activations:
        raise ValueError(f"activations must be a non-empty list of names or Activation objects, "
                         f"got {activations!r}")
    rows = []
    for activation in activations:
        g = get_activation(activation)
        net = zero_network(sizes, g, seed=seed)
        trace = parameter_trace(net, X, y, loss="bce", lr=lr, steps=steps)
        moves = trace.first_moves
        rows.append(ActivationRow(
            activation=g.name, g0=g.value_at_zero,
            moved=[moves.moved_after(t) for t in range(1, wave_steps + 1)],
            first_moves=moves,
            distinct=[int(distinct_units(W, b, TIE_ATOL)) for W, b in zip(net.weights[:-1], net.biases[:-1])],
            max_weight_gradient=float(trace.grad_W.max()),
            final_weight_size=[float(v) for v in trace.change_W[-1]],
            final_loss=float(trace.loss[-1]),
            final_accuracy=float(accuracy(net, X, y, "bce")),
            loss=trace.loss,
        ))
    return rows


def _group_text(names):
    """["W4", "b4"] → "W₄, b₄"; "nothing" for an empty list."""
    if not names:
        return "nothing"
    return ", ".join(n[0] + subscript(n[1:]) for n in names)


def _table(rows):
    if not rows:
        raise ValueError("the table needs at least one ActivationRow from activation_table")
    return Table(_table_head(len(rows[0].moved)), [_table_cells(r) for r in rows])


def activation_markdown(rows):
    """The rows of `activation_table` as a Markdown table (one line per activation)."""
    return _table(rows).to_markdown()


def _table_head(wave):
    return (["activation", "g(0)"] + [f"moved by step {t}" for t in range(1, wave + 1)]
            + ["W₁ moves at step", "distinct units", "loss", "accuracy"])


def _table_cells(row):
    first_W1 = int(row.first_moves.weights[0])
    return ([row.activation, f"{row.g0:.3g}"] + [_group_text(m) for m in row.moved]
            + [str(first_W1) if first_W1 > 0 else "never",
               ", ".join(str(d) for d in row.distinct), f"{row.final_loss:.4f}",
               f"{row.final_accuracy:.1%}"])


def activation_html(rows):
    """The rows of `activation_table` as an HTML table (what the book displays)."""
    return _table(rows)._repr_html_()


# ---------------------------------------------------------------- the explorer
def _activation(activation, relu_grad_at_zero):
    if activation not in ACTIVATIONS:
        raise _checks.unknown_name("activation", activation, ACTIVATIONS)
    grad = _checks.non_negative_number("relu_grad_at_zero", relu_grad_at_zero)
    return ReLU(grad_at_zero=grad) if activation == "relu" else get_activation(activation)


def movement_map(activation="sigmoid", relu_grad_at_zero=0.0, start="all zero", hidden_layers=3,
                 steps=8, width=8, lr=0.5, seed=0):
    """How far each parameter group has moved from its start after each update.

    The network is ``[2] + [width] * hidden_layers + [1]``, trained with full-batch
    SGD and bce on `initlab.two_moons` (200 samples, 30 % positives).

    Parameters
    ----------
    activation : str
        A hidden activation name (see `initlab.ACTIVATIONS`).
    relu_grad_at_zero : float >= 0
        ReLU'(0) used by the backward pass; only used when activation is "relu".
    start : {"all zero", "zero, random output layer"}
    hidden_layers : int >= 1
    steps, width, lr, seed
        Training settings.

    Returns
    -------
    change : array (2 L, steps)
        Row 2(ℓ−1) is max |W_ℓ(t) − W_ℓ(0)|, row 2(ℓ−1)+1 the same for b_ℓ, for
        t = 1..steps (column t − 1).
    labels : list of str
        "W₁", "b₁", ..., "W_L", "b_L".
    name : str
        The activation's name (with the ReLU'(0) convention when not 0).
    """
    g = _activation(activation, relu_grad_at_zero)
    if start not in STARTS:
        raise _checks.unknown_name("start", start, STARTS)
    hidden_layers = _checks.positive_int("hidden_layers", hidden_layers)
    steps = _checks.positive_int("steps", steps)
    width = _checks.positive_int("width", width)
    X, y = two_moons(200, 0.3, seed=seed)
    net = zero_network([2] + [width] * hidden_layers + [1], g, start=start, seed=seed)
    trace = parameter_trace(net, X, y, loss="bce", lr=lr, steps=steps)
    L = net.L
    change = np.empty((2 * L, steps))
    change[0::2] = trace.change_W[1:].T
    change[1::2] = trace.change_b[1:].T
    labels = [f"{kind}{subscript(l + 1)}" for l in range(L) for kind in ("W", "b")]
    return change, labels, g.name
