r"""Variance theory of initialisation: how the scale of the weights sets the scale of
every layer's signal (LeCun et al. 1998, *Efficient BackProp* §4.6; Glorot & Bengio
2010; He et al. 2015).

Unit j of layer ℓ computes ``z_j = Σ_i a_i W_ij + b_j``.  With independent weights of
mean 0 and variance Var w, independent of the activations a_i of the layer below,

    Var z = fan_in · Var w · E[a²]  (+ Var b).

Choose Var w = 1 / (fan_in · E[a²]) and the pre-activations have unit variance.
What E[a²] is depends on the activation g: for z ~ N(0, 1),

=============  ==============  ============================================
g              E[g(z)²]        so Var w · fan_in =
=============  ==============  ============================================
identity       1               1                  (LeCun)
relu           1/2             2                  (He et al. 2015: "gain √2")
leaky_relu     (1 + α²)/2      2 / (1 + α²)       (He et al. 2015)
tanh           ≈ 0.394         ≈ 2.54 (LeCun and Glorot use 1: tanh'(0) = 1)
=============  ==============  ============================================
"""

import numpy as np

from . import _checks
from .activations import get_activation

__all__ = ["gaussian_second_moment", "predicted_preactivation_variance", "unit_variance_gain",
           "classic_gain", "recommended_std", "nearly_linear", "bias_variance_share",
           "CLASSIC_ACTIVATIONS"]

#: Activations with a classic rule (`classic_gain`).
CLASSIC_ACTIVATIONS = ("identity", "tanh", "lecun_tanh", "sigmoid", "relu", "leaky_relu")

# Gauss–Hermite nodes for E over z ~ N(0, 1).  An even number of nodes avoids z = 0
# exactly, where ReLU's derivative is a convention.
_NODES, _WEIGHTS = np.polynomial.hermite_e.hermegauss(200)
_WEIGHTS = _WEIGHTS / _WEIGHTS.sum()


def gaussian_second_moment(activation, variance=1.0, derivative=False):
    r"""E[g(z)²] (or E[g'(z)²] with ``derivative=True``) for z ~ N(0, `variance`).

    Computed by Gauss–Hermite quadrature (200 nodes): exact to ~1e-12 for the
    smooth activations, to ~1e-3 for the kinked ones (relu, leaky_relu).

    Examples: relu → variance / 2 (half of the z are zeroed); identity → variance.
    """
    g = get_activation(activation)
    variance = _checks.non_negative_number("variance", variance)
    z = np.sqrt(variance) * _NODES
    values = g.derivative(z) if derivative else g(z)
    return float(np.sum(_WEIGHTS * values * values))


def predicted_preactivation_variance(fan_in, weight_std, second_moment):
    r"""Var z = fan_in · Var w · E[a²]: the variance of a pre-activation whose
    `fan_in` inputs have second moment E[a²] = `second_moment` and whose weights
    are independent with mean 0 and standard deviation `weight_std`.

    Works elementwise on arrays.
    """
    fan_in = np.asarray(fan_in, dtype=float)
    weight_std = np.asarray(weight_std, dtype=float)
    second_moment = np.asarray(second_moment, dtype=float)
    for name, value in (("fan_in", fan_in), ("weight_std", weight_std),
                        ("second_moment", second_moment)):
        if not np.all(np.isfinite(value)) or np.any(value < 0):
            raise ValueError(f"{name} must be finite and >= 0, got {value!r}")
    return fan_in * weight_std ** 2 * second_moment


def unit_variance_gain(activation):
    r"""The gain c such that weights of standard deviation c / √fan_in map
    unit-variance pre-activations z_ℓ to unit-variance z_{ℓ+1}:
    c = 1 / √E[g(z)²], z ~ N(0, 1).  relu → √2, identity → 1, tanh → ≈ 1.59.
    """
    return float(1.0 / np.sqrt(gaussian_second_moment(activation)))


# (gain, rule, source) of the rule that practice uses for each activation; weights
# have standard deviation gain / √fan_in (Glorot's fan average equals this when
# fan_in = fan_out).
_CLASSIC = {
    "identity": (1.0, "LeCun", "lecun1998efficient"),
    "tanh": (1.0, "LeCun, Xavier", "glorot2010understanding"),
    "lecun_tanh": (1.0, "LeCun", "lecun1998efficient"),
    "sigmoid": (1.0, "LeCun, Xavier", "glorot2010understanding"),
    "relu": (np.sqrt(2.0), "He", "he2015delving"),
}


def classic_gain(activation):
    r"""(gain, rule) of the usual rule for `activation`: weights of standard
    deviation gain / √fan_in.

    identity, tanh, lecun_tanh, sigmoid: gain 1 (LeCun 1998; Xavier/Glorot 2010
    for square layers).  relu: √2 (He 2015).  leaky_relu with slope α:
    √(2 / (1 + α²)) (He 2015).
    """
    g = get_activation(activation)
    name = g.name
    if name.startswith("leaky_relu"):
        alpha = g.slope
        return float(np.sqrt(2.0 / (1.0 + alpha ** 2))), f"He, α = {alpha:g}"
    if name.startswith("relu"):
        name = "relu"
    if name not in _CLASSIC:
        raise ValueError(f"no classic rule for activation {name!r}; allowed: "
                         f"{', '.join(CLASSIC_ACTIVATIONS)}")
    gain, rule, _ = _CLASSIC[name]
    return float(gain), rule


def recommended_std(activation, fan_in, rule="classic"):
    r"""Recommended standard deviation of the weights, gain / √fan_in.

    Parameters
    ----------
    activation : str or Activation
    fan_in : int or array of int
    rule : {"classic", "unit_variance"}
        "classic": the gain of `classic_gain`; "unit_variance": the gain of
        `unit_variance_gain` (keeps Var z = 1 exactly, layer after layer).
    """
    rules = ("classic", "unit_variance")
    if rule not in rules:
        raise _checks.unknown_name("rule", rule, rules)
    fan_in = np.asarray(fan_in)
    if fan_in.dtype.kind not in "iu" or np.any(fan_in < 1):
        raise ValueError(f"fan_in must be a positive integer (or an array of them), got {fan_in!r}")
    gain = classic_gain(activation)[0] if rule == "classic" else unit_variance_gain(activation)
    std = gain / np.sqrt(fan_in)
    return float(std) if std.ndim == 0 else std


def nearly_linear(activation, z, min_slope=0.5):
    r"""Mask of the pre-activations z where g is in its nearly linear region:
    g'(z) ≥ `min_slope` · max(g'(0), g'(0⁺)).

    For lecun_tanh (g'(z) = 1.1439 sech²(2z/3)) and min_slope 0.5 that is
    |z| ≤ 1.32; for relu it is z > 0.
    """
    g = get_activation(activation)
    min_slope = _checks.non_negative_number("min_slope", min_slope)
    if min_slope > 1:
        raise ValueError(f"min_slope must be in [0, 1] (a fraction of the slope at 0), got {min_slope}")
    z = np.asarray(z, dtype=float)
    reference = max(abs(g.derivative_at_zero), float(abs(g.derivative(np.array(1e-12)))))
    return np.abs(g.derivative(z)) >= min_slope * reference


def bias_variance_share(fan_in, weight_std, bias_std, input_second_moment=1.0):
    r"""Fraction of Var(z) contributed by the bias at initialisation.

    For independent zero-mean weights and bias, and inputs with E[x_i²] = m,

        Var(z_j) = fan_in · σ_w² · m + σ_b²,

    so the share is σ_b² / (fan_in σ_w² m + σ_b²).  Initialising the bias
    "like a weight" (σ_b = σ_w, the constant input 1 has m = 1 like a
    standardised input) gives 1 / (fan_in + 1).

    Parameters
    ----------
    fan_in : int or int array
    weight_std, bias_std : float >= 0
    input_second_moment : float > 0
    """
    fan_in = np.asarray(fan_in)
    if fan_in.dtype.kind not in "iu" or np.any(fan_in < 1):
        raise ValueError(f"fan_in must be positive integers, got {fan_in!r}")
    weight_std = _checks.non_negative_number("weight_std", weight_std)
    bias_std = _checks.non_negative_number("bias_std", bias_std)
    m = _checks.positive_number("input_second_moment", input_second_moment)
    total = fan_in * weight_std ** 2 * m + bias_std ** 2
    if np.any(total == 0):
        raise ValueError("weight_std and bias_std are both 0: Var(z) = 0 and the share is undefined")
    return bias_std ** 2 / total
