"""initlab: the numpy lab behind *Breaking Symmetry*.

Why are neural-network weights initialised with small random numbers and not
with zeros?  Every experiment of the book runs on this package:

* `MLP`: a network, or a population of K networks trained at once
  (``z = a_prev @ W + b``, ``a = g(z)``, ``delta = dLoss/dz``);
* `train` and its `History`; activations, initializers, losses, optimizers;
* small seeded data sets;
* diagnostics: `distinct_units`, `unit_gap`, `layer_statistics`, `hessian`,
  `loss_surface`.

Importing initlab loads numpy only (no matplotlib, ipywidgets or scipy).
"""

__version__ = "0.1.0"

from .activations import (
    ACTIVATIONS, Activation, LeakyReLU, ReLU, get_activation, identity, leaky_relu,
    lecun_tanh, relu, sigmoid, tanh,
)
from .data import blobs, circles, moons, spirals, standardize, teacher_regression, xor
from .diagnostics import (
    LayerStatistics, distinct_units, flatten_parameters, hessian, hessian_eigenvalues,
    layer_statistics, loss_surface, parameter_labels, saturated, set_flat_parameters,
    unit_gap,
)
from .initializers import (
    INITIALIZERS, constant, get_initializer, glorot_normal, glorot_uniform, he_normal,
    he_uniform, lecun, normal, orthogonal, uniform, zeros,
)
from .losses import LOSSES, Loss, bce, get_loss, mse, softmax_ce
from .network import MLP, Gradients
from .optimizers import OPTIMIZERS, Optimizer, adam, get_optimizer, momentum, sgd
from .training import History, Snapshot, accuracy, train

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
    # losses and optimizers
    "LOSSES", "Loss", "get_loss", "mse", "bce", "softmax_ce",
    "OPTIMIZERS", "Optimizer", "get_optimizer", "sgd", "momentum", "adam",
    # data
    "xor", "circles", "moons", "spirals", "blobs", "teacher_regression", "standardize",
    # diagnostics
    "distinct_units", "unit_gap", "saturated", "layer_statistics", "LayerStatistics",
    "hessian", "hessian_eigenvalues", "flatten_parameters", "set_flat_parameters",
    "parameter_labels", "loss_surface",
]

# --- plots and widgets ------------------------------------------------------
# Maintainer: notes on initlab.plots and initlab.widgets go here.  They are
# imported explicitly (``from initlab import plots``), never from this file,
# so that ``import initlab`` stays light.
