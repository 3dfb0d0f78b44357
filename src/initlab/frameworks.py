r"""What the libraries do by default, re-implemented as named initializers (chapter 9).

Each re-implementation follows the library's own code (cited per object, file paths in
the libraries' GitHub repositories); the optional tests in
``tests/core/test_frameworks_crosscheck.py`` draw from the real libraries and compare.

======================  ===============================  ==============================  =====================
initlab                 library default                  weights                          bias
======================  ===============================  ==============================  =====================
``pytorch``             ``torch.nn.Linear``              U(±1/√fan_in)                    U(±1/√fan_in)
``keras``               ``keras.layers.Dense``           U(±√(6/(fan_in + fan_out)))      0
``flax``                ``flax.linen.Dense``             N(0, σ²) cut at ±2σ, std 1/√n    0
``sklearn``             ``MLPClassifier``/``Regressor``  U(±√(f/(fan_in + fan_out)))      same law as weights
======================  ===============================  ==============================  =====================

with f = 6, or f = 2 for logistic (sigmoid) units in scikit-learn.  Orientation: PyTorch
stores a Linear weight as (fan_out, fan_in) and computes ``x @ W.T``; initlab, Keras, Flax
and scikit-learn store (fan_in, fan_out).  The entries are independent and identically
distributed, so the transpose changes nothing but the fan that is called "in".

Every `LibraryInitializer` carries its metadata (library calls, formula, standard
deviation and range as functions of the fans), so tables are generated from the objects
and cannot drift from them (`mapping_table`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from . import _checks
from .initializers import Initializer, get_initializer, zeros

__all__ = [
    "torch_gain", "TORCH_GAIN_NONLINEARITIES", "truncated_normal_std_factor",
    "LibraryInitializer", "LibraryBias", "LibraryDefault",
    "torch_kaiming_uniform", "torch_kaiming_normal", "torch_xavier_uniform",
    "torch_linear", "keras_glorot_uniform", "flax_lecun_normal", "sklearn_glorot_uniform",
    "truncated_normal", "reference_initializer", "REFERENCES",
    "torch_linear_bias", "zero_bias", "sklearn_bias",
    "library_default", "LIBRARIES", "mapping_table",
]

TORCH_REPO = "pytorch/pytorch"
KERAS_REPO = "keras-team/keras"
FLAX_REPO = "google/flax"
JAX_REPO = "jax-ml/jax"
SKLEARN_REPO = "scikit-learn/scikit-learn"


# --------------------------------------------------------------- PyTorch's gain
#: The nonlinearities `torch_gain` knows (those of ``torch.nn.init.calculate_gain``).
TORCH_GAIN_NONLINEARITIES = ("linear", "conv1d", "conv2d", "conv3d", "sigmoid", "tanh",
                             "relu", "leaky_relu", "selu")


def torch_gain(nonlinearity, param=None):
    r"""``torch.nn.init.calculate_gain``, re-implemented (torch/nn/init.py).

    linear, conv*, sigmoid → 1; tanh → 5/3; relu → √2; leaky_relu with negative slope
    ``param`` (default 0.01) → √(2 / (1 + slope²)); selu → 3/4 (a value PyTorch chose
    empirically, not the 1 that self-normalising networks need).

    Examples
    --------
    ``torch_gain("leaky_relu", math.sqrt(5))`` = √(2/6) = 1/√3: the gain of the
    ``nn.Linear`` default.
    """
    if nonlinearity not in TORCH_GAIN_NONLINEARITIES:
        raise _checks.unknown_name("nonlinearity", nonlinearity, TORCH_GAIN_NONLINEARITIES)
    if nonlinearity in ("linear", "conv1d", "conv2d", "conv3d", "sigmoid"):
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3.0
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "selu":
        return 3.0 / 4.0
    slope = 0.01 if param is None else param
    if isinstance(slope, (bool, np.bool_)) or not isinstance(slope, (int, float, np.floating)) \
            or not np.isfinite(slope):
        raise ValueError(f"leaky_relu needs a finite negative slope as param, got {param!r}")
    return math.sqrt(2.0 / (1.0 + float(slope) ** 2))


def truncated_normal_std_factor(cutoff=2.0):
    r"""Standard deviation of a standard normal truncated to [−cutoff, cutoff].

    1 − 2aφ(a) / (2Φ(a) − 1) is its variance (a = cutoff).  For a = 2 this is
    0.8796256610342398, the constant JAX and Keras divide by, so that a truncated
    normal keeps the variance the formula asks for.
    """
    a = _checks.positive_number("cutoff", cutoff)
    phi = math.exp(-0.5 * a * a) / math.sqrt(2.0 * math.pi)
    mass = math.erf(a / math.sqrt(2.0))  # 2Φ(a) − 1
    return math.sqrt(1.0 - 2.0 * a * phi / mass)


def _truncated_standard_normal(shape, rng, cutoff):
    """Standard normal values redrawn until |x| <= cutoff (rejection; 95 % accepted at 2)."""
    x = rng.standard_normal(shape)
    flat = x.reshape(-1)
    redo = np.flatnonzero(np.abs(flat) > cutoff)
    while redo.size:  # only the rejected entries are redrawn and rechecked
        flat[redo] = rng.standard_normal(redo.size)
        redo = redo[np.abs(flat[redo]) > cutoff]
    return x


# ----------------------------------------------------------- initializer objects
class LibraryInitializer(Initializer):
    """An `Initializer` that knows which library call it re-implements.

    Parameters
    ----------
    name : str
    draw : callable (shape, rng) -> array
    std : callable (fan_in, fan_out) -> float
        Standard deviation of one entry.
    bound : callable (fan_in, fan_out) -> float
        Largest possible |entry| (``inf`` for an untruncated normal).
    formula : str
        The distribution in the book's notation (n = fan_in, m = fan_out).
    calls : dict
        ``{"PyTorch": "...", "Keras": "...", "Flax": "...", "scikit-learn": "..."}``:
        the call that gives this distribution in each library ("—" where none does).
    source : str
        Where the formula comes from ("repo: path", or a paper).
    kind : {"uniform", "normal", "truncated_normal"}
    """

    def __init__(self, name, draw, std, bound, formula, calls, source, kind, doc=None):
        super().__init__(name, draw, True, doc or f"{formula} ({source}).")
        self.std, self.bound = std, bound
        self.formula, self.calls, self.source, self.kind = formula, dict(calls), source, kind

    def __repr__(self):
        return f"<initializer {self.name}: {self.formula}>"


def _uniform_draw(limit_of):
    def draw(shape, rng):
        limit = limit_of(*shape[-2:])
        return rng.uniform(-limit, limit, shape)
    return draw


def _uniform(name, limit_of, formula, calls, source):
    return LibraryInitializer(name, _uniform_draw(limit_of),
                              lambda n, m: limit_of(n, m) / math.sqrt(3.0), limit_of,
                              formula, calls, source, "uniform")


def _normal(name, std_of, formula, calls, source):
    def draw(shape, rng):
        return std_of(*shape[-2:]) * rng.standard_normal(shape)
    return LibraryInitializer(name, draw, std_of, lambda n, m: math.inf, formula, calls, source,
                              "normal")


def truncated_normal(name, std_of, formula, calls, source, cutoff=2.0):
    r"""A `LibraryInitializer` N(0, σ²) truncated to ±cutoff·σ whose *final* standard
    deviation is ``std_of(fan_in, fan_out)``: σ = std / `truncated_normal_std_factor`."""
    factor = truncated_normal_std_factor(cutoff)

    def sigma(n, m):
        return std_of(n, m) / factor

    def draw(shape, rng):
        return sigma(*shape[-2:]) * _truncated_standard_normal(shape, rng, cutoff)

    return LibraryInitializer(name, draw, std_of, lambda n, m: cutoff * sigma(n, m), formula,
                              calls, source, "truncated_normal")


_MODES = ("fan_in", "fan_out")


def _fan(mode, n, m):
    return n if mode == "fan_in" else m


def torch_kaiming_uniform(a=0.0, mode="fan_in", nonlinearity="leaky_relu"):
    r"""``torch.nn.init.kaiming_uniform_``: U(±gain·√(3/fan)), gain = `torch_gain`.

    std = gain/√fan and bound = √3·std (torch/nn/init.py).  With the defaults
    (leaky_relu, a = 0) gain = √2: He's uniform initializer.
    """
    if mode not in _MODES:
        raise _checks.unknown_name("mode", mode, _MODES)
    gain = torch_gain(nonlinearity, a)

    def limit(n, m):
        return gain * math.sqrt(3.0 / _fan(mode, n, m))

    return _uniform(f"torch_kaiming_uniform(a={a:g}, {mode}, {nonlinearity})", limit,
                    f"U(±{gain:.4g}·√(3/{'n' if mode == 'fan_in' else 'm'}))",
                    {"PyTorch": f"nn.init.kaiming_uniform_(w, a={a:g}, mode={mode!r}, "
                                f"nonlinearity={nonlinearity!r})",
                     "Keras": f"VarianceScaling({gain ** 2:.4g}, {mode!r}, 'uniform')",
                     "Flax": f"variance_scaling({gain ** 2:.4g}, {mode!r}, 'uniform')"},
                    f"{TORCH_REPO}: torch/nn/init.py")


def torch_kaiming_normal(a=0.0, mode="fan_in", nonlinearity="leaky_relu"):
    r"""``torch.nn.init.kaiming_normal_``: N(0, gain²/fan), not truncated."""
    if mode not in _MODES:
        raise _checks.unknown_name("mode", mode, _MODES)
    gain = torch_gain(nonlinearity, a)
    return _normal(f"torch_kaiming_normal(a={a:g}, {mode}, {nonlinearity})",
                   lambda n, m: gain / math.sqrt(_fan(mode, n, m)),
                   f"N(0, {gain ** 2:.4g}/{'n' if mode == 'fan_in' else 'm'})",
                   {"PyTorch": f"nn.init.kaiming_normal_(w, a={a:g}, mode={mode!r}, "
                               f"nonlinearity={nonlinearity!r})",
                    "Keras": f"VarianceScaling({gain ** 2:.4g}, {mode!r}, 'untruncated_normal')",
                    "Flax": f"variance_scaling({gain ** 2:.4g}, {mode!r}, 'normal')"},
                   f"{TORCH_REPO}: torch/nn/init.py")


def torch_xavier_uniform(gain=1.0):
    r"""``torch.nn.init.xavier_uniform_``: U(±gain·√(6/(fan_in + fan_out)))."""
    gain = _checks.positive_number("gain", gain)
    return _uniform(f"torch_xavier_uniform(gain={gain:g})",
                    lambda n, m: gain * math.sqrt(6.0 / (n + m)),
                    f"U(±{gain:.4g}·√(6/(n + m)))",
                    {"PyTorch": f"nn.init.xavier_uniform_(w, gain={gain:.4g})",
                     "Keras": f"VarianceScaling({gain ** 2:.4g}, 'fan_avg', 'uniform')",
                     "Flax": f"variance_scaling({gain ** 2:.4g}, 'fan_avg', 'uniform')"},
                    f"{TORCH_REPO}: torch/nn/init.py")


#: PyTorch ``nn.Linear`` weights: ``kaiming_uniform_(w, a=√5)``.  gain = √(2/(1+5)) = 1/√3,
#: bound = √3 · gain / √fan_in = 1/√fan_in (torch/nn/modules/linear.py, reset_parameters).
torch_linear = _uniform(
    "torch_linear", lambda n, m: 1.0 / math.sqrt(n), "U(±1/√n)",
    {"PyTorch": "nn.Linear(n, m) (kaiming_uniform_(w, a=√5))",
     "Keras": "VarianceScaling(1/3, 'fan_in', 'uniform')",
     "Flax": "variance_scaling(1/3, 'fan_in', 'uniform')",
     "scikit-learn": "—"},
    f"{TORCH_REPO}: torch/nn/modules/linear.py")

#: Keras 3 ``Dense`` kernels: ``glorot_uniform`` = VarianceScaling(1, "fan_avg", "uniform"),
#: limit √(3 · 1/((n + m)/2)) = √(6/(n + m)) (keras/src/initializers/random_initializers.py).
keras_glorot_uniform = _uniform(
    "keras_glorot_uniform", lambda n, m: math.sqrt(6.0 / (n + m)), "U(±√(6/(n + m)))",
    {"PyTorch": "nn.init.xavier_uniform_(w)",
     "Keras": "keras.layers.Dense(m) (glorot_uniform)",
     "Flax": "jax.nn.initializers.glorot_uniform()",
     "scikit-learn": "MLPClassifier weights (tanh, relu)"},
    f"{KERAS_REPO}: keras/src/layers/core/dense.py")

#: Flax ``linen.Dense`` kernels: ``lecun_normal()`` = variance_scaling(1, "fan_in",
#: "truncated_normal"): a standard normal truncated to (−2, 2), times √(1/n) / 0.87962566,
#: so the final standard deviation is exactly 1/√n and no entry exceeds 2.2737/√n
#: (flax/linen/linear.py; jax/_src/nn/initializers.py).
flax_lecun_normal = truncated_normal(
    "flax_lecun_normal", lambda n, m: 1.0 / math.sqrt(n),
    "N(0, σ²) cut at ±2σ, σ = 1/(0.8796·√n): std 1/√n",
    {"PyTorch": "nn.init.trunc_normal_(w, std=σ, a=-2σ, b=2σ)",
     "Keras": "keras.initializers.LecunNormal()",
     "Flax": "flax.linen.Dense(m) (lecun_normal)",
     "scikit-learn": "—"},
    f"{FLAX_REPO}: flax/linen/linear.py; {JAX_REPO}: jax/_src/nn/initializers.py")


def _sklearn_factor(activation):
    name = getattr(activation, "name", activation)
    return 2.0 if name in ("sigmoid", "logistic") else 6.0


def sklearn_glorot_uniform(activation="relu"):
    r"""scikit-learn ``MLPClassifier``/``MLPRegressor`` weights (``_init_coef``):
    U(±√(f/(fan_in + fan_out))) with f = 6, or f = 2 when ``activation="logistic"``
    (initlab's "sigmoid").  The factor is chosen by the *hidden* activation and used
    for every layer, the output layer included
    (sklearn/neural_network/_multilayer_perceptron.py)."""
    factor = _sklearn_factor(activation)
    label = "logistic" if factor == 2.0 else "tanh/relu"
    return _uniform(
        f"sklearn_glorot_uniform({label})", lambda n, m: math.sqrt(factor / (n + m)),
        f"U(±√({factor:g}/(n + m)))",
        {"PyTorch": f"nn.init.xavier_uniform_(w, gain={math.sqrt(factor / 6):.4g})",
         "Keras": f"VarianceScaling({factor / 6:.4g}, 'fan_avg', 'uniform')",
         "Flax": f"variance_scaling({factor / 6:.4g}, 'fan_avg', 'uniform')",
         "scikit-learn": f"MLPClassifier(activation={'logistic' if factor == 2 else 'relu'!r})"},
        f"{SKLEARN_REPO}: sklearn/neural_network/_multilayer_perceptron.py")


# ------------------------------------------------- the book's reference rules
def reference_initializer(name):
    r"""The book's reference rules (zero bias) with their library equivalents:
    "he" (N(0, 2/n), He et al. 2015), "lecun" (N(0, 1/n), LeCun et al. 1998) and
    "glorot" (U(±√(6/(n + m))), Glorot & Bengio 2010).  Each draws exactly as the
    initlab initializer it names (``he_normal``, ``lecun``, ``glorot_uniform``)."""
    if name not in REFERENCES:
        raise _checks.unknown_name("reference", name, tuple(REFERENCES))
    return REFERENCES[name]


def _described(init_name, std, bound, formula, calls, source, kind):
    base = get_initializer(init_name)
    return LibraryInitializer(init_name, lambda shape, rng: base(shape, rng), std, bound,
                              formula, calls, source, kind, base.__doc__)


REFERENCES = {
    "he": _described(
        "he_normal", lambda n, m: math.sqrt(2.0 / n), lambda n, m: math.inf, "N(0, 2/n)",
        {"PyTorch": "nn.init.kaiming_normal_(w, nonlinearity='relu')",
         "Keras": "VarianceScaling(2, 'fan_in', 'untruncated_normal')",
         "Flax": "variance_scaling(2, 'fan_in', 'normal')", "scikit-learn": "—"},
        "He et al. 2015", "normal"),
    "lecun": _described(
        "lecun", lambda n, m: math.sqrt(1.0 / n), lambda n, m: math.inf, "N(0, 1/n)",
        {"PyTorch": "nn.init.kaiming_normal_(w, nonlinearity='linear')",
         "Keras": "VarianceScaling(1, 'fan_in', 'untruncated_normal')",
         "Flax": "variance_scaling(1, 'fan_in', 'normal')", "scikit-learn": "—"},
        "LeCun et al. 1998", "normal"),
    "glorot": _described(
        "glorot_uniform", lambda n, m: math.sqrt(2.0 / (n + m)),
        lambda n, m: math.sqrt(6.0 / (n + m)), "U(±√(6/(n + m)))",
        {"PyTorch": "nn.init.xavier_uniform_(w)", "Keras": "glorot_uniform",
         "Flax": "glorot_uniform()", "scikit-learn": "—"},
        "Glorot & Bengio 2010", "uniform"),
}


# ------------------------------------------------------------------- biases
@dataclass(frozen=True)
class LibraryBias:
    """How a library initialises the bias of a layer with the given fans.

    ``initializer(fan_in, fan_out)`` is an ordinary fan-free initlab initializer
    (`zeros` or `uniform(limit)`) for that layer's bias vector.
    """

    name: str
    limit: Callable  # (fan_in, fan_out) -> float; 0 for zero biases
    formula: str
    source: str

    def initializer(self, fan_in, fan_out):
        fan_in = _checks.positive_int("fan_in", fan_in)
        fan_out = _checks.positive_int("fan_out", fan_out)
        limit = float(self.limit(fan_in, fan_out))
        if limit == 0.0:
            return zeros
        return Initializer(f"{self.name}(n={fan_in}, m={fan_out})",
                           lambda shape, rng: rng.uniform(-limit, limit, shape),
                           doc=f"{self.formula} = U(±{limit:.4g}).")

    def std(self, fan_in, fan_out):
        """Standard deviation of one bias, limit/√3 (0 for zero biases)."""
        return float(self.limit(fan_in, fan_out)) / math.sqrt(3.0)


#: PyTorch ``nn.Linear`` biases: U(±1/√fan_in), fan_in from the weight
#: (torch/nn/modules/linear.py, reset_parameters).
torch_linear_bias = LibraryBias("torch_linear_bias", lambda n, m: 1.0 / math.sqrt(n),
                                "U(±1/√n)", f"{TORCH_REPO}: torch/nn/modules/linear.py")
#: Keras ``Dense`` (bias_initializer="zeros") and Flax ``Dense`` (zeros_init()).
zero_bias = LibraryBias("zero_bias", lambda n, m: 0.0, "0",
                        f"{KERAS_REPO}: keras/src/layers/core/dense.py; "
                        f"{FLAX_REPO}: flax/linen/linear.py")


def sklearn_bias(activation="relu"):
    """scikit-learn's intercepts: the same U(±√(f/(fan_in + fan_out))) as its weights."""
    factor = _sklearn_factor(activation)
    return LibraryBias(f"sklearn_bias(f={factor:g})", lambda n, m: math.sqrt(factor / (n + m)),
                       f"U(±√({factor:g}/(n + m)))",
                       f"{SKLEARN_REPO}: sklearn/neural_network/_multilayer_perceptron.py")


# --------------------------------------------------------------- whole layers
@dataclass(frozen=True)
class LibraryDefault:
    """What one library's fully connected layer does when the user passes nothing.

    Attributes
    ----------
    key : str  ("pytorch", "keras", "flax", "sklearn", or a reference rule)
    label : str  (for legends)
    layer : str  (the library call)
    weight : LibraryInitializer
    bias : LibraryBias
    """

    key: str
    label: str
    layer: str
    weight: LibraryInitializer
    bias: LibraryBias = field(default=zero_bias)

    def initializers(self, sizes):
        """Per-layer ``(weight_inits, bias_inits)`` for an `MLP` with widths `sizes`."""
        sizes = [_checks.positive_int(f"sizes[{i}]", s) for i, s in enumerate(sizes)]
        if len(sizes) < 2:
            raise ValueError(f"sizes must list at least an input and an output width, got {sizes!r}")
        pairs = list(zip(sizes[:-1], sizes[1:]))
        return [self.weight] * len(pairs), [self.bias.initializer(n, m) for n, m in pairs]

    def mlp(self, sizes, activation="relu", output="identity", population=None, seed=0,
            dtype=np.float64, biases=True):
        """An `MLP` initialised the way this library would; ``biases=False`` keeps the
        weights (same seed, same draw) and zeroes the biases."""
        from .network import MLP

        weight_inits, bias_inits = self.initializers(sizes)
        if not biases:
            bias_inits = [zeros] * len(bias_inits)
        return MLP(sizes, activation=activation, output=output, weight_init=weight_inits,
                   bias_init=bias_inits, population=population, seed=seed, dtype=dtype)


#: The library defaults of the chapter, and the book's reference rules (zero bias).
LIBRARIES = ("pytorch", "keras", "flax", "sklearn")


def library_default(name, activation="relu"):
    """The `LibraryDefault` of a library ("pytorch", "keras", "flax", "sklearn") or a
    reference rule ("he", "lecun", "glorot").  `activation` matters only for
    scikit-learn (its factor 2 for "sigmoid", which scikit-learn calls "logistic")."""
    if name == "pytorch":
        return LibraryDefault("pytorch", "PyTorch nn.Linear", "torch.nn.Linear(n, m)",
                              torch_linear, torch_linear_bias)
    if name == "keras":
        return LibraryDefault("keras", "Keras Dense", "keras.layers.Dense(m)",
                              keras_glorot_uniform, zero_bias)
    if name == "flax":
        return LibraryDefault("flax", "Flax Dense", "flax.linen.Dense(m)",
                              flax_lecun_normal, zero_bias)
    if name == "sklearn":
        factor = _sklearn_factor(activation)
        act = "logistic" if factor == 2.0 else getattr(activation, "name", activation)
        return LibraryDefault("sklearn", "scikit-learn MLP",
                              f"MLPClassifier(activation={act!r})",
                              sklearn_glorot_uniform(activation), sklearn_bias(activation))
    if name in REFERENCES:
        init = REFERENCES[name]
        label = {"he": "He", "lecun": "LeCun", "glorot": "Glorot"}[name]
        return LibraryDefault(name, f"{label} (zero bias)", init.name, init, zero_bias)
    raise _checks.unknown_name("library default", name, LIBRARIES + tuple(REFERENCES))


def mapping_table(fan_in=512, fan_out=512, activation="relu", seed=0,
                  names=LIBRARIES + tuple(REFERENCES)):
    r"""The mapping initlab name ↔ PyTorch / Keras / Flax call ↔ formula, generated from
    the initializers themselves.

    The standard deviations are computed twice: from each initializer's ``std``
    formula and from one ``(fan_in, fan_out)`` draw of the initializer itself (the
    last column), so a formula that drifted from its sampler would show.

    Returns
    -------
    Table
    """
    from .tables import Table

    fan_in = _checks.positive_int("fan_in", fan_in)
    fan_out = _checks.positive_int("fan_out", fan_out)
    rngs = _checks.spawn_rngs(seed, len(names))
    rows = []
    for name, rng in zip(names, rngs):
        d = library_default(name, activation)
        w = d.weight
        drawn = float(w((fan_in, fan_out), rng).std())
        bound = w.bound(fan_in, fan_out)
        rows.append([d.label, w.name, w.calls.get("PyTorch", "—"), w.calls.get("Keras", "—"),
                     w.calls.get("Flax", "—"), w.formula,
                     f"{w.std(fan_in, fan_out):.4g}", f"{drawn:.4g}",
                     "unbounded" if math.isinf(bound) else f"±{bound:.4g}",
                     d.bias.formula])
    headers = ["default", "initlab", "PyTorch", "Keras", "Flax", "weights (n = fan-in, m = fan-out)",
               f"std at {fan_in}×{fan_out}", "std of a draw", "range", "bias"]
    return Table(headers, rows, caption=f"Library defaults and the book's rules, re-implemented "
                                        f"in initlab (n = {fan_in}, m = {fan_out})")
