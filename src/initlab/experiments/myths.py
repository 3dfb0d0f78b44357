r"""Chapter 7: every claim of the three threads, decided by a measurement.

Each ``*_claim`` function runs one small experiment over a population of draws and returns a
`Verdict`: the label ("true", "false" or "true only when …") is computed from the measured
numbers with thresholds stated in that function, so a setting that changes the outcome changes
the label.  `decide` turns any measurement into a `Verdict` (the chapter uses it for the claims
studied in depth elsewhere).  Built from core calls only.

Tasks (small on purpose): ±1 or 0/1 XOR; `circles` with 100 points; a 2-input teacher
regression with 100 points; tanh networks of width 4–16; at most 1000 full-batch steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .. import _checks
from ..data import circles, teacher_regression, xor
from ..diagnostics import distinct_units, flatten_parameters, hessian, unit_gap
from ..initializers import constant, glorot_normal, he_normal, normal, per_member
from ..network import MLP
from ..optimizers import sgd
from ..statistics import first_step_below
from ..training import accuracy, train

__all__ = ["Verdict", "decide", "ledger_rows", "biases_claim", "efficiency_claim",
           "prior_claim", "absorbed_claim", "bias_symmetry_claim", "layer_symmetry_claim",
           "gap_claim", "constant_rate_claim", "nudge_claim", "direction_claim", "speed_claim",
           "peak_claim", "zero_point_curvature", "BIAS_TASKS", "CHEAP", "EXPLORER", "SETTINGS",
           "explore", "SOURCES"]


@dataclass
class Verdict:
    """A claim, its computed label, one line of evidence and the numbers behind it."""

    key: str
    claim: str
    verdict: str
    evidence: str
    numbers: dict = field(default_factory=dict)
    where: str = "here"
    #: label -> per-draw values of the deciding measurement (drawn by the explorer), and its name
    spread: dict = field(default_factory=dict)
    measure: str = ""

    @property
    def holds(self):
        """True for "true", False for "false", None for "true only when …"."""
        return {"true": True, "false": False}.get(self.verdict)


def decide(key, claim, holds, evidence, numbers=None, when=None, where="here", spread=None,
           measure=""):
    """A `Verdict` from a measured condition.

    `holds` is the measured truth of the claim (a bool, or an array whose every entry must be
    true: one per draw).  With `when`, a true claim is labelled "true only when `when`" (the
    caller measured that it fails outside that condition).
    """
    ok = bool(np.all(np.asarray(holds)))
    label = ("true" if when is None else f"true only when {when}") if ok else "false"
    return Verdict(key, claim, label, evidence, dict(numbers or {}), where, dict(spread or {}),
                   measure)


def _by_settings(key, claim, results, evidence, numbers, spread, measure):
    """"true" / "false" / "true only when <settings that hold>" from {setting: bool}."""
    good = [s for s, ok in results.items() if ok]
    label = ("true" if len(good) == len(results) else "false" if not good
             else "true only when " + " or ".join(good))
    return Verdict(key, claim, label, evidence, numbers, spread=spread, measure=measure)


#: thread of each claim: 000 bias vs weights, 001 why zeros are dangerous, 002 why random
SOURCES = {"biases": "000", "efficiency": "000", "bias_symmetry": "000", "layer_symmetry": "000",
           "rows_columns": "000", "bias_trick": "000", "linear_region": "000",
           "gap": "002", "constant_rate": "002", "nudge": "002", "direction": "002",
           "speed": "002", "how_small": "002"}


def ledger_rows(verdicts):
    """Rows [thread, claim, verdict, evidence, where] for `initlab.tables.Table` (claims not in
    `SOURCES` come from thread 001)."""
    return [[SOURCES.get(v.key, "001"), v.claim, v.verdict, v.evidence, v.where] for v in verdicts]


def _pop(K):
    return _checks.positive_int("population", K)


# ---------------------------------------------------------------- 1. biases
#: setting -> (activation, data, loss, hidden width)
BIAS_TASKS = {"tanh on ±1 XOR": ("tanh", "xor_pm1", "mse", 8),
              "tanh on 0/1 XOR": ("tanh", "xor_01", "mse", 8),
              "ReLU on circles": ("relu", "circles", "bce", 32)}
#: cheap sizes of the explorer (`explore`): 200 steps give every claim's verdict in both
#: settings with a wide margin (seeds 0-2), at half the redraw time of 400
CHEAP = {"steps": 200, "population": 8}


def _bias_data(name, seed):
    if name == "circles":
        return circles(n=100, noise=0.05, seed=seed)
    return xor(coding=name[4:], target=name[4:])


def biases_claim(settings=tuple(BIAS_TASKS), population=16, steps=600, seed=0):
    """"With random weights you don't need biases": fit with and without biases.

    The claim holds in a setting when the bias-free networks' median fit is within 0.05 of the
    biased ones' (loss for mse, accuracy for bce).
    """
    K, results, numbers = _pop(population), {}, {}
    for s in settings:
        act, data, loss, width = BIAS_TASKS[s]
        X, y = _bias_data(data, seed)
        init = he_normal if act == "relu" else glorot_normal
        fits = []
        for with_bias in (False, True):
            net = MLP([2, width, 1], act, weight_init=init, population=K, seed=seed,
                      biases=with_bias)
            lr = 0.5 if loss == "mse" else 1.0
            h = train(net, X, y, loss=loss, lr=lr, steps=steps)
            fits.append(h.loss[-1] if loss == "mse" else h.accuracy[-1])
        free, biased = (np.median(f) for f in fits)
        results[s] = abs(free - biased) <= 0.05
        numbers[s] = {"measure": "loss" if loss == "mse" else "accuracy", "without": fits[0],
                      "with": fits[1]}
    ev = "; ".join(f"{s}: median {numbers[s]['measure']} {np.median(numbers[s]['without']):.3g} "
                   f"without, {np.median(numbers[s]['with']):.3g} with biases" for s in settings)
    spread = {f"{s}, {w}": numbers[s][w] for s in settings for w in ("without", "with")}
    return _by_settings("biases", "With random weights in the linear region, biases are not "
                        "needed", results, ev, numbers, spread, "final loss (mse) or accuracy")


# ---------------------------------------------------------------- 2. efficiency
def efficiency_claim(budgets=(100, 300, 1000), population=8, width=16, seed=0):
    """Scaled random, tiny random (σ = 1e-3) and scaled constant (0.5) starts on circles.

    Redundancy matters when the constant start's median accuracy at the largest budget is more
    than 0.1 below the scaled random start's; slowness matters at a budget when the tiny start
    is.  The claim ("not redundancy but efficiency") is true when slowness matters at some
    budget and redundancy never does, false otherwise.
    """
    K = _pop(population)
    X, y = circles(n=100, noise=0.05, seed=seed)
    starts = {"scaled random": glorot_normal, "tiny random": normal(1e-3),
              "scaled constant": constant(0.5)}
    inits = [init for init in starts.values() for _ in range(K)]
    net = MLP([2, width, 1], "tanh", weight_init=per_member(*inits), population=3 * K, seed=seed)
    h = train(net, X, y, loss="bce", lr=1.0, steps=max(budgets))
    acc = {name: h.accuracy[list(budgets)][:, i * K:(i + 1) * K] for i, name in enumerate(starts)}
    med = {name: np.median(a, axis=1) for name, a in acc.items()}
    slow = med["tiny random"] < med["scaled random"] - 0.1
    redundant = med["scaled constant"] < med["scaled random"] - 0.1
    holds = bool(slow.any()) and not bool(redundant[-1])
    ev = ", ".join(f"{n} {' / '.join(f'{v:.2f}' for v in m)}" for n, m in med.items())
    return decide("efficiency", "The main problem is efficient optimisation, not redundancy",
                  holds, f"median accuracy at steps {'/'.join(map(str, budgets))}: {ev}",
                  {"budgets": np.asarray(budgets), "accuracy": acc, "slow": slow,
                   "redundant": redundant},
                  spread={f"{n}, step {budgets[-1]}": a[-1] for n, a in acc.items()},
                  measure="training accuracy")


# ---------------------------------------------------------------- 3. prior
def zero_point_curvature(X, y, hidden=4, activation="tanh"):
    """Eigenvalues of the Hessian (mse) of a [d, hidden, 1] network at zero weights, b_2 = mean(y)."""
    net = MLP([X.shape[1], hidden, 1], activation, weight_init="zeros")
    net.biases[-1][:] = np.mean(y)
    return np.linalg.eigvalsh(hessian(net, X, y, "mse"))


def prior_claim(multiples=(0.0, 0.5, 2.0, 4.0), population=8, steps=400, lr=0.3, seed=0):
    """Weight decay λ = multiple · |λ_min| from random starts: pinned at zero (every member's
    max |W| < 1e-4) or not (every member's > 1e-2).

    λ_min is the most negative Hessian eigenvalue of the zero point (`zero_point_curvature`) of
    this seed's data; the zero point is stable under the penalty when λ > |λ_min|.  The claim
    ("zero weights act like a prior that rules the inputs out") is true only when the penalty
    exceeds |λ_min|: that is the label when every λ > |λ_min| pins every member and every
    smaller λ pins none; "true"/"false" when all λ are pinned / none is.
    """
    K = _pop(population)
    X, y = teacher_regression(n=100, d=2, hidden=4, seed=seed)
    lam_min = float(zero_point_curvature(X, y)[0])
    strengths = np.asarray(multiples, dtype=float) * abs(lam_min)
    biggest = []
    for lam in strengths:
        net = MLP([2, 4, 1], "tanh", population=K, seed=seed)
        train(net, X, y, loss="mse", optimizer=sgd(lr, weight_decay=lam), steps=steps)
        biggest.append(np.max([np.abs(W).max(axis=(1, 2)) for W in net.weights], axis=0))
    biggest = np.array(biggest)                     # (strengths, K)
    pinned = np.all(biggest < 1e-4, axis=1)
    free = np.all(biggest > 1e-2, axis=1)
    above = np.asarray(strengths) > abs(lam_min)
    if pinned.all():
        label = "true"
    elif free.all() or not pinned.any():
        label = "false"
    elif np.array_equal(pinned, above) and np.array_equal(free, ~above):
        label = f"true only when the weight decay exceeds |λ_min| = {abs(lam_min):.2f}"
    else:
        label = "false"
    ev = ", ".join(f"λ = {m:g}|λ_min|: max|W| {np.median(b):.1e}"
                   for m, b in zip(multiples, biggest))
    return Verdict("prior", "Zero weights rule the inputs out, as a prior would", label,
                   f"{ev} (median of {K}); zero point's λ_min = {lam_min:.3f}",
                   {"strengths": strengths, "multiples": np.asarray(multiples, dtype=float),
                    "max_weight": biggest,
                    "lambda_min": lam_min, "pinned": pinned},
                   spread={f"λ = {m:g}|λ_min|": b for m, b in zip(multiples, biggest)},
                   measure="largest |W| after training")


# ---------------------------------------------------------------- 4. absorbed
def _zero_net(hidden_layers, width, activation):
    return MLP([2] + [width] * hidden_layers + [1], activation, weight_init="zeros")


def absorbed_claim(activations=("tanh",), hidden_layers=(1, 2, 3), width=4, eps=1e-3,
                   population=16, seed=0):
    """Perturb one weight of an all-zero network by `eps` (each weight in turn), and one weight
    per layer along `population` random paths; record the largest output change.

    The claim holds for an activation when no single weight changes the output by more than
    1e-14 at any depth.  Along a path the change is of order eps^L (slope recorded).
    """
    K = _pop(population)
    rng = _checks.make_rng(seed)
    X = rng.standard_normal((32, 2))
    results, numbers = {}, {}
    for act in activations:
        single, slopes = [], []
        for depth in hidden_layers:
            net = _zero_net(depth, width, act)
            base = net.forward(X)
            worst = 0.0
            for W in net.weights:
                for idx in np.ndindex(W.shape):
                    W[idx] = eps
                    worst = max(worst, float(np.abs(net.forward(X) - base).max()))
                    W[idx] = 0.0
            single.append(worst)
            for _ in range(K):
                path = [rng.integers(n) for n in net.sizes]
                for l, W in enumerate(net.weights):
                    W[path[l], path[l + 1]] = eps
                change = float(np.abs(net.forward(X) - base).max())
                for W in net.weights:
                    W[...] = 0.0
                slopes.append((depth + 1, np.log(change) / np.log(eps) if change > 0 else np.inf))
        results[act] = max(single) <= 1e-14
        numbers[act] = {"single": np.array(single), "path_order": np.array(slopes)}
    def orders(a):
        p = numbers[a]["path_order"]
        return "/".join(f"{np.median(p[p[:, 0] == d + 1, 1]):.2f}" for d in hidden_layers)
    ev = "; ".join(f"{a}: largest single-weight change {max(numbers[a]['single']):.1e}; one "
                   f"weight per layer: change ~ ε^({orders(a)}) for L = "
                   f"{'/'.join(str(d + 1) for d in hidden_layers)}" for a in activations)
    spread = {f"{a}, single weight": numbers[a]["single"] for a in activations}
    return _by_settings("absorbed", "At all-zero weights no single weight change reaches the "
                        "output", {f"g = {a}": results[a] for a in activations}, ev, numbers,
                        spread, "largest output change (0 drawn at 1e-18)")


# ---------------------------------------------------------------- 5. symmetry of biases / layers
def bias_symmetry_claim(population=8, width=8, steps=300, seed=0):
    """Constant weights (0.5) with equal biases (0.1) vs the same with random biases (σ = 0.5).

    The claim ("symmetry does not apply to bias vectors") is false when equal biases leave every
    member with one distinct unit after training while random biases give every unit its own.
    """
    K = _pop(population)
    X, y = circles(n=100, noise=0.05, seed=seed)
    counts = {}
    for name, b in (("equal", constant(0.1)), ("random", normal(0.5))):
        net = MLP([2, width, 1], "tanh", weight_init=constant(0.5), bias_init=b, population=K,
                  seed=seed)
        train(net, X, y, loss="bce", lr=1.0, steps=steps)
        counts[name] = distinct_units(net.weights[0], net.biases[0], atol=1e-9)
    tied = np.all(counts["equal"] == 1) and np.all(counts["random"] == width)
    return decide("bias_symmetry", "Symmetry does not apply to bias vectors", not tied,
                  f"distinct units after {steps} steps: equal biases {np.median(counts['equal']):g}, "
                  f"random biases {np.median(counts['random']):g} of {width} (median of {K})",
                  counts, spread={"equal biases": counts["equal"], "random biases": counts["random"]},
                  measure="distinct units after training")


def layer_symmetry_claim(population=8, width=16, hidden_layers=3, steps=400, seed=0):
    """The same random matrix in every hidden-to-hidden layer vs independent draws.

    True ("no symmetry across layers is needed") when the shared start's median final loss is
    within 25 % (+0.02) of the independent one's and every unit stays distinct.
    """
    K = _pop(population)
    X, y = circles(n=100, noise=0.05, seed=seed)
    sizes = [2] + [width] * hidden_layers + [1]
    nets = {}
    for shared in (False, True):
        net = MLP(sizes, "tanh", population=K, seed=seed)
        if shared:
            for W in net.weights[2:-1]:
                W[...] = net.weights[1]
        nets[shared] = (net, train(net, X, y, loss="bce", lr=0.5, steps=steps))
    indep, same = (np.median(nets[s][1].loss[-1]) for s in (False, True))
    distinct = np.min([distinct_units(W, atol=1e-9) for W in nets[True][0].weights[1:-1]])
    holds = same <= 1.25 * indep + 0.02 and distinct == width
    return decide("layer_symmetry", "Equal matrices across layers are harmless", holds,
                  f"median final loss {same:.3f} (shared matrix) vs {indep:.3f} (independent); "
                  f"fewest distinct units {distinct} of {width}",
                  {"shared": nets[True][1].loss[-1], "independent": nets[False][1].loss[-1]},
                  spread={"shared matrix": nets[True][1].loss[-1],
                          "independent": nets[False][1].loss[-1]}, measure="final loss (log)")


# ---------------------------------------------------------------- 6. gaps and constant rates
def _regression(seed):
    return teacher_regression(n=100, d=2, hidden=4, seed=seed)


def gap_claim(epsilon=1e-3, population=16, steps=60, lr=0.5, seed=0):
    """Largest gap between first-layer units from N(0, ε²) starts, step by step.

    True when in at least 3 of 4 draws the gap grows at least tenfold and its early log-rate is
    positive.  The rate is
    compared with chapter 2's prediction ln(1 + lr·|λ_min|).
    """
    K = _pop(population)
    X, y = _regression(seed)
    net = MLP([2, 4, 1], "tanh", weight_init=normal(epsilon), population=K, seed=seed)
    net.biases[-1][:] = np.mean(y)
    h = train(net, X, y, loss="mse", lr=lr, steps=steps, snapshot_every=1)
    gaps = np.array([unit_gap(s.weights[0]) for s in h.snapshots])   # (steps + 1, K)
    early = steps // 3
    rate = np.log(gaps[early] / gaps[0]) / early
    predicted = float(np.log1p(lr * abs(zero_point_curvature(X, y)[0])))
    growth = gaps[-1] / gaps[0]
    holds = np.mean(growth > 10) >= 0.75 and np.mean(rate > 0) >= 0.75
    return decide("gap", "A small gap between distinct values grows as training goes on",
                  holds, f"gap grows ×{np.median(growth):.3g} in {steps} steps; early rate "
                  f"{np.median(rate):.3f}/step (range {rate.min():.3f}–{rate.max():.3f}) vs "
                  f"ln(1+η|λ_min|) = {predicted:.3f}",
                  {"gaps": gaps, "rate": rate, "predicted": predicted},
                  spread={"early rate": rate, "predicted": np.array([predicted])},
                  measure="growth rate of the gap per step")


def constant_rate_claim(c=0.5, population=8, steps=200, lr=1.0, seed=0):
    """Per-step update size ‖θ_{t+1} − θ_t‖ from a constant start vs a scaled random one.

    Measured after the first quarter of the run (the first steps of a constant start are large
    while its one effective unit settles).  "Slow": the constant start's median update is below
    half the random one's; "roughly fixed": its sizes vary by less than a factor 4 (median over
    draws of largest / smallest).  True when both hold.
    """
    K = _pop(population)
    X, y = circles(n=100, noise=0.05, seed=seed)
    sizes = {}
    for name, init in (("constant", constant(c)), ("random", glorot_normal)):
        net = MLP([2, 16, 1], "tanh", weight_init=init, population=K, seed=seed)
        h = train(net, X, y, loss="bce", lr=lr, steps=steps, snapshot_every=1)
        theta = np.array([np.concatenate([w.reshape(K, -1) for w in s.weights], axis=1)
                          for s in h.snapshots])
        sizes[name] = np.linalg.norm(np.diff(theta, axis=0), axis=2)   # (steps, K)
    start = steps // 4
    const, rand = (np.median(sizes[n][start:]) for n in ("constant", "random"))
    later = sizes["constant"][start:]
    spread = float(np.median(later.max(axis=0) / later.min(axis=0)))
    slow, fixed = bool(const < 0.5 * rand), spread < 4.0
    return decide("constant_rate", "A constant start is updated at a slow, roughly fixed rate",
                  slow and fixed, f"after step {start}: median step {const:.3g} (constant) vs "
                  f"{rand:.3g} (random); the constant start's steps vary ×{spread:.3g}",
                  {"sizes": sizes, "slow": slow, "fixed": fixed, "spread": spread,
                   "start": start, "ratio": rand / const},
                  spread={n: np.median(v[start:], axis=0) for n, v in sizes.items()},
                  measure="median step size")


# ---------------------------------------------------------------- 7. nudges and directions
def nudge_claim(population=16, steps=300, seed=0):
    """Cosine between θ₀ and θ_T − θ₀ (weights only) and the fraction of weights whose start has
    the sign of their move.  True when, in the median draw, at least 90 % of the weights moved
    in the direction of their start (the claim is about each weight; the cosine also grows
    when training merely scales the start up)."""
    K = _pop(population)
    X, y = circles(n=100, noise=0.05, seed=seed)
    net = MLP([2, 16, 1], "tanh", population=K, seed=seed)
    start = np.concatenate([W.reshape(K, -1) for W in net.weights], axis=1)
    train(net, X, y, loss="bce", lr=1.0, steps=steps)
    move = np.concatenate([W.reshape(K, -1) for W in net.weights], axis=1) - start
    cos = np.sum(start * move, axis=1) / (np.linalg.norm(start, axis=1)
                                          * np.linalg.norm(move, axis=1))
    agree = np.mean(np.sign(start) == np.sign(move), axis=1)
    return decide("nudge", "A random start nudges each weight the way it needs to move",
                  np.median(agree) >= 0.9, f"start and move share their sign for "
                  f"{np.median(agree):.0%} of the weights (median; a coin gives 50 %); "
                  f"cos(θ₀, θ_T − θ₀) median {np.median(cos):.2f} (range {cos.min():.2f}–"
                  f"{cos.max():.2f})", {"cosine": cos, "sign_agreement": agree},
                  spread={"sign agreement": agree, "cosine": cos}, measure="fraction / cosine")


def direction_claim(population=8, steps=300, seed=0):
    """ReLU 2-16-1 on circles: trained solutions θ*; then starts of the Glorot norm along θ*,
    along −θ* and at random.  True ("the direction need not be right") when the anti-aligned
    starts' median final accuracy is within 0.05 of the random starts'."""
    K = _pop(population)
    X, y = circles(n=100, noise=0.05, seed=seed)
    solved = MLP([2, 16, 1], "relu", weight_init=he_normal, population=K, seed=seed + 1)
    train(solved, X, y, loss="bce", lr=0.5, steps=steps)
    random = MLP([2, 16, 1], "relu", weight_init=he_normal, population=K, seed=seed)
    norm = np.sqrt(sum(np.sum(W ** 2, axis=(1, 2)) for W in random.weights))
    target = np.sqrt(sum(np.sum(W ** 2, axis=(1, 2)) for W in solved.weights))
    scale = (norm / target)[:, None, None]
    weights = [np.concatenate([s * W * scale for s in (1.0, -1.0)] + [R])
               for W, R in zip(solved.weights, random.weights)]
    biases = [np.zeros((3 * K, b.shape[1])) for b in random.biases]
    net = MLP.from_parameters(weights, biases, activation="relu")
    train(net, X, y, loss="bce", lr=0.5, steps=steps)
    acc = accuracy(net, X, y, "bce").reshape(3, K)
    med = dict(zip(("aligned", "anti-aligned", "random"), np.median(acc, axis=1)))
    return decide("direction", "The direction of the start need not be right; distinct values "
                  "suffice", med["anti-aligned"] >= med["random"] - 0.05,
                  "median accuracy after {} steps: ".format(steps)
                  + ", ".join(f"{k} {v:.2f}" for k, v in med.items()),
                  {"accuracy": acc, "median": med},
                  spread=dict(zip(("aligned", "anti-aligned", "random"), acc)),
                  measure="final accuracy")


# ---------------------------------------------------------------- 8. speed
def speed_claim(epsilons=(0.0, 1e-3, 1e-1), population=16, steps=300, lr=0.5, seed=0):
    """Steps until the loss falls halfway from the zero point's loss (Var(y)/2) to 0, from
    N(0, ε²) weights (ε = 0: the zero start).  The question "wouldn't zero find the signs
    faster?" is answered "true" only if the zero start is at least as fast as every other."""
    K = _pop(population)
    X, y = _regression(seed)
    eps = np.asarray(epsilons, dtype=float)
    inits = [normal(e) if e > 0 else "zeros" for e in eps for _ in range(K)]
    net = MLP([2, 4, 1], "tanh", weight_init=per_member(*inits), population=len(eps) * K,
              seed=seed)
    net.biases[-1][:] = np.mean(y)
    h = train(net, X, y, loss="mse", lr=lr, steps=steps)
    threshold = 0.5 * float(np.var(y)) / 2
    reach = first_step_below(h.loss, threshold).reshape(len(eps), K)
    at = np.where(reach < 0, steps + 1, reach)
    med = np.median(at, axis=1)
    zero = med[eps == 0]
    holds = zero.size > 0 and bool(np.all(zero <= med.min()))
    return decide("speed", "Starting at zero would find the weights' signs faster", holds,
                  "median steps to half the loss: " + ", ".join(
                      f"ε={e:g} {'never' if m > steps else f'{m:.0f}'}" for e, m in zip(eps, med)),
                  {"epsilons": eps, "steps": at, "threshold": threshold},
                  spread={f"ε = {e:g}": a for e, a in zip(eps, at)},
                  measure=f"steps to half the loss ({steps + 1} = never)")


# ---------------------------------------------------------------- 9. peak
def peak_claim(population=8, hidden=4, seed=0, tol=1e-6):
    """Signs of the Hessian eigenvalues at zero (b_2 = mean(y)) over `population` data draws.
    A peak needs every eigenvalue negative: the claim is true only if that holds for each."""
    K = _pop(population)
    signs = []
    for k in range(K):
        X, y = teacher_regression(n=100, d=2, hidden=4, seed=seed + k)
        ev = zero_point_curvature(X, y, hidden)
        signs.append([np.sum(ev < -tol), np.sum(np.abs(ev) <= tol), np.sum(ev > tol)])
    signs = np.array(signs)
    neg, zero, pos = (np.median(signs[:, i]) for i in range(3))
    return decide("peak", "Zero is the top of the hill, a peak", np.all(signs[:, 1:].sum(1) == 0),
                  f"Hessian eigenvalues at zero: {neg:g} negative, {zero:g} zero, {pos:g} "
                  f"positive (median of {K} data sets)", {"signs": signs},
                  spread={"negative": signs[:, 0], "zero": signs[:, 1], "positive": signs[:, 2]},
                  measure="number of eigenvalues")


# ---------------------------------------------------------------- explorer settings
#: claim -> (function, {setting name: keyword arguments}); "changed" moves the deciding parameter
EXPLORER = {
    "biases": (biases_claim, {"as in the threads": {"settings": ("tanh on ±1 XOR",)},
                              "changed": {"settings": ("tanh on 0/1 XOR",)}}),
    "absorbed": (absorbed_claim, {"as in the threads": {"activations": ("tanh",)},
                                  "changed": {"activations": ("sigmoid",)}}),
    "prior": (prior_claim, {"as in the threads": {"multiples": (0.5,)},
                            "changed": {"multiples": (2.0,)}}),
}
SETTINGS = ("as in the threads", "changed")


def explore(claim="biases", setting="as in the threads", seed=0):
    """The `Verdict` of one explorer claim in one setting, with the cheap sizes of `CHEAP`."""
    if claim not in EXPLORER:
        raise _checks.unknown_name("claim", claim, tuple(EXPLORER))
    if setting not in SETTINGS:
        raise _checks.unknown_name("setting", setting, SETTINGS)
    function, settings = EXPLORER[claim]
    kwargs = dict(settings[setting], population=CHEAP["population"], seed=seed)
    if claim != "absorbed":
        kwargs["steps"] = CHEAP["steps"]
    return function(**kwargs)
