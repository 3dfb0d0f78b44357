"""initlab: the numpy lab behind *Breaking Symmetry*.

Why are neural-network weights initialised with small random numbers and not
with zeros?  Every experiment of the book runs on this package, in three layers:

* **the core** (this package's modules, numpy only; read it like the book's appendix):
  `network` (the forward and backward pass first, then `MLP`, one network or a population
  of K trained at once: ``z = a_prev @ W + b``, ``a = g(z)``, ``delta = dLoss/dz``),
  `activations`, `initializers`, `losses`, `optimizers`, `training` (`train`, `History`),
  `data`, `diagnostics`, `statistics`, `variance` (theory of the initial scale), `plots`,
  `tables` and the one-line argument checks of `_checks`;
* **initlab.experiments**: one module per chapter topic, built from core calls; chapters
  depend on the core, never on each other (the chapter ↔ module table is in its docstring);
* **initlab.widgets**: the `Explorer` and one view module per chapter (computations from
  the experiments, drawing from `plots`).

Size budget: a core module stays under 500 lines (tests/core/test_layout.py checks it),
with the forward and backward pass on one screen at the top of `network`; an experiment
module aims at 150–250 lines; a function's checks are one line per argument, shorter
than its work.  Notation everywhere public: layers ℓ = 1..L, ``n_layers`` for L,
``hidden_layers`` for L − 1, the population axis K first and called ``population``.

Importing initlab loads numpy only (no matplotlib, ipywidgets or scipy).
"""

__version__ = "0.1.0"

from .activations import (
    ACTIVATIONS, Activation, LeakyReLU, ReLU, get_activation, identity, leaky_relu,
    lecun_tanh, relu, sigmoid, tanh,
)
from .data import (
    blobs, circles, moons, scale_data, spirals, standardize, teacher_regression, two_moons, xor,
)
from .diagnostics import (
    LayerStatistics, activation_spread, dead_fraction, distinct_history, distinct_units,
    flatten_parameters, gap_history, gradient_by_group, hessian, hessian_eigenvalues,
    hidden_distinct_units, layer_statistics, loss_surface, numerical_rank, parameter_labels,
    saturated, set_flat_parameters, unit_gap,
)
from .initializers import (
    INITIALIZERS, constant, gain_normal, get_initializer, glorot_normal, glorot_uniform,
    he_normal, he_uniform, lecun, normal, orthogonal, per_member, uniform, zeros,
)
from .initializers import hadamard_matrix, partial_identity, zer_o
from .losses import LOSSES, Loss, bce, get_loss, mse, softmax_ce
from .network import MLP, Gradients
from .optimizers import (
    OPTIMIZERS, LayerwiseSGD, Optimizer, adam, get_optimizer, momentum, sgd,
)
from .statistics import (
    PairedDifference, first_step_below, fit_log_law, paired_difference, power_law_exponent,
)
from .training import (
    FirstMoves, History, Snapshot, accuracy, first_move_steps, first_moves, train,
)

__all__ = [
    "__version__",
    # network and training
    "MLP", "Gradients", "train", "History", "Snapshot", "accuracy",
    # activations
    "ACTIVATIONS", "Activation", "ReLU", "LeakyReLU", "get_activation",
    "identity", "sigmoid", "tanh", "lecun_tanh", "relu", "leaky_relu",
    # initializers
    "INITIALIZERS", "get_initializer", "zeros", "constant", "normal", "uniform", "lecun",
    "glorot_normal", "glorot_uniform", "he_normal", "he_uniform", "orthogonal",
    "partial_identity", "zer_o", "hadamard_matrix",
    "gain_normal", "per_member",
    # losses and optimizers
    "LOSSES", "Loss", "get_loss", "mse", "bce", "softmax_ce",
    "OPTIMIZERS", "Optimizer", "get_optimizer", "sgd", "momentum", "adam", "LayerwiseSGD",
    # data
    "xor", "circles", "moons", "spirals", "blobs", "teacher_regression", "standardize",
    "two_moons", "scale_data",
    # diagnostics
    "distinct_units", "unit_gap", "saturated", "layer_statistics", "LayerStatistics",
    "hessian", "hessian_eigenvalues", "flatten_parameters", "set_flat_parameters",
    "parameter_labels", "loss_surface", "hidden_distinct_units", "distinct_history",
    "gap_history", "activation_spread", "dead_fraction", "numerical_rank", "gradient_by_group",
    "FirstMoves", "first_moves", "first_move_steps",
    # statistics
    "first_step_below", "PairedDifference", "paired_difference", "fit_log_law",
    "power_law_exponent",
]

# --- plots and widgets ------------------------------------------------------
# Maintainer: notes on initlab.plots and initlab.widgets go here.  They are
# imported explicitly (``from initlab import plots``), never from this file,
# so that ``import initlab`` stays light.
