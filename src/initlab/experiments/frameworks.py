r"""Chapter 9: what the library defaults do to a deep network, and a practitioner's checklist.

Built from core calls only: the defaults are those of `initlab.frameworks`; the task is
chapter 5's (standardised ten-class Gaussian blobs in 16 dimensions).

* `signal_profiles`: per-layer standard deviation of the activations at initialisation,
  total and input-dependent, for each library default and the book's rules;
* `variance_map`: the layer-to-layer variance recursion Var z' = s_w E[g(z)²] + Var b
  (s_w = fan_in · Var w) that predicts the decay per layer and the floor PyTorch's random
  biases set;
* `train_defaults`: training curves of a deep MLP from each default, over a population of
  independent initialisations each, in one population;
* `checklist`: the practitioner's checklist of the chapter, one row per item.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import _checks
from ..activations import get_activation
from ..audit import audit
from ..data import scale_data
from ..frameworks import LIBRARIES, library_default
from ..network import MLP
from ..tables import Table
from ..training import train

__all__ = ["task", "COMPARED", "SignalProfile", "signal_profiles", "profile_networks",
           "measure_profile", "variance_map", "decay_per_layer", "profile_table",
           "first_layer_below", "TrainingComparison", "train_defaults", "CHECKS", "Checklist",
           "checklist", "bad_initialisations"]

#: The library defaults and the book's reference rules compared in the chapter.
COMPARED = LIBRARIES + ("he", "lecun", "glorot")

_NODES, _WEIGHTS = np.polynomial.hermite_e.hermegauss(120)
_WEIGHTS = _WEIGHTS / _WEIGHTS.sum()


#: The task's input dimension and number of classes (chapter 5's).
DIM, CLASSES = 16, 10


def task(n=128, classes=CLASSES, dim=DIM, seed=0):
    """Chapter 5's task (`initlab.scale_data`): standardised Gaussian blobs, X (n, dim) and
    labels y (n,); 128 samples by default, as in chapter 5's training runs."""
    return scale_data(n=n, classes=classes, dim=dim, seed=seed)


# ------------------------------------------------------------ signal profiles
@dataclass
class SignalProfile:
    """Per-layer statistics of the hidden activations a_1..a_{L−1} at initialisation.

    Attributes
    ----------
    name, activation : str
    a_std : array (hidden_layers, K)
        Std of a_ℓ over samples and units, per member (what chapter 5 plots).
    signal_std : array (hidden_layers, K)
        The input-dependent part: √(mean over units of the variance over samples).
        A unit whose output is the same for every input contributes 0 to it.
    """

    name: str
    activation: str
    a_std: np.ndarray
    signal_std: np.ndarray

    def last(self, which="a_std"):
        """Median over members of the last layer's `which` ("a_std" or "signal_std")."""
        return float(np.median(getattr(self, which)[-1]))


def signal_profiles(activation, names=COMPARED, hidden_layers=30, width=256, n_samples=64, population=3,
                    seed=0, biases=True, dtype=np.float64):
    r"""Forward pass at initialisation through `hidden_layers` layers of `width` units.

    One population of K = `population` networks ``[16, width × hidden_layers, 10]`` per default,
    initialised the way the library would (``biases=False``: the same weights, zero
    biases).  Returns ``{name: SignalProfile}``.
    """
    X, _ = task(_checks.positive_int("n_samples", n_samples), seed=seed)
    nets = profile_networks(activation, names, hidden_layers, width, population, seed, biases, dtype)
    return {name: measure_profile(name, net, X.astype(dtype)) for name, net in nets.items()}


def profile_networks(activation, names=COMPARED, hidden_layers=30, width=256, population=3, seed=0,
                     biases=True, dtype=np.float64):
    """The networks behind `signal_profiles`: ``{name: MLP}``, each default from its own stream
    of `seed`, drawn layer by layer (the first ℓ layers do not depend on `hidden_layers`)."""
    hidden_layers = _checks.positive_int("hidden_layers", hidden_layers)
    width = _checks.positive_int("width", width)
    population = _checks.positive_int("population", population)
    sizes = [DIM] + [width] * hidden_layers + [CLASSES]  # the task's shapes
    streams = np.random.SeedSequence(seed).spawn(len(names))
    return {name: library_default(name, activation).mlp(
                sizes, activation=activation, population=population, dtype=dtype, biases=biases,
                seed=np.random.default_rng(stream))
            for name, stream in zip(names, streams)}


def measure_profile(name, net, X):
    """The `SignalProfile` of population `net` (named `name`) on inputs `X`: one forward pass."""
    with np.errstate(all="ignore"):
        _, acts = net.forward_pass(X)
    hidden = acts[1:-1]
    return SignalProfile(
        name, net.activation.name,
        a_std=np.array([a.std(axis=(-2, -1), dtype=np.float64) for a in hidden]),
        signal_std=np.array([np.sqrt(a.var(axis=-2, dtype=np.float64).mean(axis=-1))
                             for a in hidden]))


def _moments(g, variance):
    z = np.sqrt(variance) * _NODES
    a = g(z)
    return float(np.sum(_WEIGHTS * a * a)), float(np.sum(_WEIGHTS * a))


def variance_map(name, activation, width=256, hidden_layers=30, input_variance=1.0, input_dim=None):
    r"""The mean-field prediction for `hidden_layers` layers of `width` units.

    Layer 1 has fan-in `input_dim` (default `width`: all layers square) and sees inputs
    of second moment `input_variance`; the other layers are square.

    Var z_{ℓ+1} = s_w · E[g(z_ℓ)²] + Var b with s_w = width · Var w and Var b from the
    default's formulas (z ~ N(0, Var z_ℓ), Gauss–Hermite quadrature).

    Returns
    -------
    dict with
        ``z_std`` (hidden_layers,) — predicted std of z_ℓ (biases included);
        ``a_std`` (hidden_layers,) — predicted std of a_ℓ over units and samples;
        ``floor`` — the fixed point's std of a (0 without a bias);
        ``decay`` — the factor by which the input-dependent std shrinks per layer in
        the small-signal regime, √(s_w · E[g'(z)²]) at the fixed point.
    """
    d = library_default(name, activation)
    g = get_activation(activation)
    width = _checks.positive_int("width", width)
    n0 = width if input_dim is None else _checks.positive_int("input_dim", input_dim)
    s_w = width * d.weight.std(width, width) ** 2
    var_b = d.bias.std(width, width) ** 2
    s_w1 = n0 * d.weight.std(n0, width) ** 2
    var_b1 = d.bias.std(n0, width) ** 2
    m2 = float(input_variance)  # layer 1 sees the inputs themselves: E[x²]
    z_std, a_std = [], []
    for l in range(_checks.positive_int("hidden_layers", hidden_layers)):
        v = (s_w1 * m2 + var_b1) if l == 0 else (s_w * m2 + var_b)
        z_std.append(np.sqrt(v))
        m2, m1 = _moments(g, v)
        a_std.append(np.sqrt(max(m2 - m1 ** 2, 0.0)))
    z = np.sqrt(v) * _NODES
    slope2 = float(np.sum(_WEIGHTS * g.derivative(z) ** 2))
    return {"z_std": np.array(z_std), "a_std": np.array(a_std),
            "floor": float(a_std[-1]) if var_b > 0 else 0.0,
            "decay": float(np.sqrt(s_w * slope2))}


def decay_per_layer(stds, first, last):
    r"""Geometric-mean factor per layer between layers `first` and `last` (1-based):
    ``(stds[last] / stds[first]) ** (1 / (last − first))``, per member."""
    stds = np.asarray(stds, dtype=float)
    first = _checks.positive_int("first", first)
    last = _checks.positive_int("last", last)
    if not first < last <= stds.shape[0]:
        raise ValueError(f"need 1 <= first < last <= {stds.shape[0]} layers, got "
                         f"first={first}, last={last}")
    return (stds[last - 1] / stds[first - 1]) ** (1.0 / (last - first))


def profile_table(profiles, width=256, input_dim=DIM):
    """A `Table` of the last layer per default: ``profiles`` maps an activation name to
    the result of `signal_profiles` (layers of `width` units, inputs of `input_dim`
    features); each gets the measured
    total std, its input-dependent part (medians over members) and the `variance_map`
    prediction of the total std."""
    acts = list(profiles)
    names = list(profiles[acts[0]])
    rows = []
    for name in names:
        row = [library_default(name).label]
        for act in acts:
            p = profiles[act][name]
            predicted = variance_map(name, act, width=width, hidden_layers=p.a_std.shape[0],
                                     input_dim=input_dim)
            row += [p.last(), p.last("signal_std"), float(predicted["a_std"][-1])]
        rows.append(row)
    headers = ["default"] + [f"{act}: {col}" for act in acts
                             for col in ("std", "input-dependent", "predicted std")]
    last = profiles[acts[0]][names[0]].a_std.shape[0]
    return Table(headers, rows, fmt=".2g",
                 caption=f"Std of the activations of layer {last} (width {width}), median of the "
                         f"networks, and the variance recursion's prediction")


def first_layer_below(stds, factor):
    r"""First layer ℓ (1-based) with ``stds[ℓ] ≤ stds[1] / factor``, per member; −1 if none.

    `stds` is (hidden_layers,) or (hidden_layers, K), as `SignalProfile.signal_std`.
    """
    stds = np.asarray(stds, dtype=float)
    factor = _checks.positive_number("factor", factor)
    below = stds <= stds[0] / factor
    layer = np.where(below.any(axis=0), np.argmax(below, axis=0) + 1, -1)
    return int(layer) if layer.ndim == 0 else layer


# --------------------------------------------------------------- training
@dataclass
class TrainingComparison:
    """Training curves of the defaults; `loss`, `accuracy` are (steps + 1, len(names), K)."""

    names: tuple
    loss: np.ndarray
    accuracy: np.ndarray

    def final(self, name, which="loss"):
        """Final value of `which` per member for default `name`, shape (K,)."""
        return getattr(self, which)[-1, self.names.index(name)]


def train_defaults(names=("pytorch", "keras", "flax", "sklearn", "he"), activation="relu",
                   hidden_layers=20, width=32, population=6, steps=150, optimizer="adam", lr=1e-3,
                   batch_size=32, n_samples=128, seed=0, dtype=np.float32):
    r"""Train a deep MLP ``[16, width × hidden_layers, 10]`` from each default on the
    chapter 5 task, `population` independent initialisations each, all in one population (same data,
    same batches).  Softmax cross-entropy."""
    population = _checks.positive_int("population", population)
    X, y = task(_checks.positive_int("n_samples", n_samples), seed=seed)
    sizes = [X.shape[1]] + [_checks.positive_int("width", width)] * \
        _checks.positive_int("hidden_layers", hidden_layers) + [CLASSES]
    streams = np.random.SeedSequence(seed).spawn(len(names))
    nets = [library_default(n, activation).mlp(sizes, activation=activation, population=population,
                                               seed=np.random.default_rng(s), dtype=dtype)
            for n, s in zip(names, streams)]
    history = train(MLP.stack(nets), X.astype(dtype), y, loss="softmax_ce", optimizer=optimizer,
                    lr=lr, steps=steps, batch_size=batch_size, seed=seed)
    shape = (history.loss.shape[0], len(names), population)
    return TrainingComparison(tuple(names), history.loss.reshape(shape),
                              history.accuracy.reshape(shape))


# ------------------------------------------------------------------ checklist
#: (item, chapter that explains it) of the practitioner's checklist.
CHECKS = (
    ("initial loss near the constant predictor's (ln C)", "5"),
    ("activation scale: last / first hidden layer within 10^±2", "5"),
    ("gradient scale: δ of layer 1 / δ of the last hidden layer within 10^±2", "5"),
    ("saturated units below 20 % (tanh, sigmoid)", "5"),
    ("every hidden layer has distinct units", "1"),
    ("every parameter group has a gradient at step 1", "2, 3, 4, 8"),
    ("update / parameter ratio in the first steps within 10^-5 … 10^-1", "5"),
)


@dataclass
class Checklist:
    """One network's checklist: ``rows[i] = (item, chapter, measured, ok)``."""

    rows: list

    @property
    def passed(self):
        return all(ok for *_, ok in self.rows)

    def failed(self):
        return [item for item, _, _, ok in self.rows if not ok]


def _ratio_text(r):
    return "∞ (W = 0)" if not np.isfinite(r) else f"{r:.2g}"


def checklist(net, X, y, loss="softmax_ce", optimizer="adam", lr=1e-3, steps=3):
    r"""Run the chapter's checklist on one network (population None) before training.

    Uses `initlab.audit` (chapter 8) for the gradients at step 1 and the distinct units
    after `steps` updates; the scales at step 0 come from one forward/backward pass, the
    update ratios from `steps` updates of a copy with `optimizer` at `lr`.
    """
    if net.population is not None:
        raise ValueError("checklist takes one network (population=None); use net.member(k)")
    steps = _checks.positive_int("steps", steps)
    report = audit(net, X, y, loss, steps=steps, lr=lr, optimizer=optimizer)
    with np.errstate(all="ignore"):
        value, grads = net.loss_and_gradients(X, y, loss)
        hidden = range(net.L - 1)
        a_std = np.array([grads.activations[l + 1].std() for l in hidden])
        d_std = np.array([grads.deltas[l].std() for l in hidden])
        g = net.activation
        if g.name in ("tanh", "lecun_tanh", "sigmoid"):
            sat = max(float(np.mean(np.abs(g.derivative(grads.zs[l])) < 0.01 * abs(g.derivative_at_zero)))
                      for l in hidden)
        else:
            sat = 0.0
        copy = net.copy()
        hist = train(copy, X, y, loss=loss, optimizer=optimizer, lr=lr, steps=steps,
                     snapshot_every=1)
        ratios = []
        for before, after in zip(hist.snapshots[:-1], hist.snapshots[1:]):
            ratios.append([np.linalg.norm(w1 - w0) / np.linalg.norm(w0)
                           for w0, w1 in zip(before.weights, after.weights)])
        ratios = np.array(ratios)  # (steps, L)
    ideal = float(np.ravel(report.ideal_loss)[0])
    a_ratio, d_ratio = a_std[-1] / a_std[0], d_std[0] / d_std[-1]
    moving = report.gradient_at_start[0] > 0
    no_grad = [n for n, m in zip(report.groups, moving) if not m]
    narrow = [f"layer {l + 1}: {d}/{w}" for l, (d, w) in
              enumerate(zip(report.distinct[0], report.widths)) if d < w]
    worst = float(np.nanmax(ratios)) if np.all(np.isfinite(ratios)) else np.inf
    least = float(np.nanmin(ratios))
    rows = [
        (CHECKS[0], f"{value:.3g} vs {ideal:.3g}", bool(np.isfinite(value) and value < 1.5 * ideal
                                                        and value > 0.5 * ideal)),
        (CHECKS[1], f"{a_ratio:.2g}", bool(1e-2 <= a_ratio <= 1e2)),
        (CHECKS[2], f"{d_ratio:.2g}", bool(1e-2 <= d_ratio <= 1e2)),
        (CHECKS[3], f"{sat:.0%}", sat < 0.2),
        (CHECKS[4], "all distinct" if not narrow else "; ".join(narrow), not narrow),
        (CHECKS[5], "all" if not no_grad else "none for " + ", ".join(no_grad), not no_grad),
        (CHECKS[6], f"{least:.2g} … {_ratio_text(worst)}",
         bool(np.isfinite(worst) and 1e-5 <= least and worst <= 1e-1)),
    ]
    return Checklist([(item, chapter, measured, ok) for (item, chapter), measured, ok in rows])


def checklist_table(checklists):
    """A `Table`: one row per item, one column per network of ``{label: Checklist}``."""
    labels = list(checklists)
    first = checklists[labels[0]]
    rows = []
    for i, (item, chapter, _, _) in enumerate(first.rows):
        rows.append([item, chapter] + [("✓ " if checklists[k].rows[i][3] else "✗ ")
                                       + checklists[k].rows[i][2] for k in labels])
    return Table(["check", "chapter"] + labels, rows,
                 caption="The checklist before training (✓ passes, ✗ fails)")


__all__.append("checklist_table")


def bad_initialisations(sizes, activation="tanh", seed=0):
    r"""The chapter's three starts for one architecture: {label: MLP}.

    "PyTorch default": `library_default("pytorch")`.  "unscaled randn": every weight
    N(0, 1) whatever the fan-in (the classic beginner's ``np.random.randn``).  "zeros
    inside": the PyTorch default with hidden layers 2 and 3 set to zero (weights and
    biases) — zeros multiplying zeros (chapters 2–4, 8).
    """
    from ..initializers import normal

    good = library_default("pytorch", activation).mlp(sizes, activation=activation, seed=seed)
    randn = MLP(sizes, activation=activation, weight_init=normal(1.0), seed=seed)
    zeroed = good.copy()
    if zeroed.L < 4:
        raise ValueError(f"bad_initialisations needs at least 3 hidden layers, got sizes={sizes}")
    for l in (1, 2):
        zeroed.weights[l][...] = 0.0
        zeroed.biases[l][...] = 0.0
    return {"PyTorch default": good, "unscaled randn": randn, "zeros inside": zeroed}
