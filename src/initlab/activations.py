r"""Activation functions g and their derivatives g'.

A layer computes ``z = a_prev @ W + b`` and ``a = g(z)``; the backward pass
needs ``g'(z)``.  Each activation is a small object with

* ``name``
* ``value(z)`` (also ``g(z)``: the object is callable) and ``derivative(z)``
* ``value_at_zero`` = g(0) and ``derivative_at_zero`` = g'(0).

The last two decide what happens at zero initialisation (chapter 3): with
g(0) = 0 (tanh, relu) every hidden activation of a zero-weight network is 0;
with sigmoid it is 0.5.

ReLU is not differentiable at 0; what the backward pass uses there is a
convention, 0 in the common frameworks.  ``ReLU(grad_at_zero=...)`` makes it a
choice, and ``LeakyReLU(slope=...)`` sets the negative slope.
"""

import numpy as np

from ._checks import non_negative_number, unknown_name


def _in_place(ufunc, x, fresh):
    """``ufunc(x, fresh)`` written into `fresh`, an array the caller has just made.

    The same numbers as ``ufunc(x, fresh)``, without one more array: on a population's
    hidden layers (hundreds of KiB) a new array costs more than the arithmetic.
    """
    if isinstance(fresh, np.ndarray) and fresh.dtype.kind == "f":
        return ufunc(x, fresh, out=fresh)
    return ufunc(x, fresh)


class Activation:
    """Base class: subclasses define `value` and `derivative`."""

    name = "activation"

    def value(self, z):
        raise NotImplementedError

    def derivative(self, z, a=None):
        """g'(z); `a` = g(z) may be passed to save recomputing it."""
        raise NotImplementedError

    def __call__(self, z):
        return self.value(z)

    @property
    def value_at_zero(self):
        """g(0)."""
        return float(self.value(np.zeros(())))

    @property
    def derivative_at_zero(self):
        """g'(0), including the convention used at a kink."""
        return float(self.derivative(np.zeros(())))

    def __repr__(self):
        return f"<activation {self.name}>"


class Identity(Activation):
    r"""g(z) = z, g'(z) = 1.  Output layer of regressions and of logits."""

    name = "identity"

    def value(self, z):
        return z

    def derivative(self, z, a=None):
        return np.ones_like(z)


class Sigmoid(Activation):
    r"""g(z) = 1 / (1 + e^{-z}), g'(z) = g(z) (1 - g(z)); g(0) = 1/2.

    Computed as e^{-|z|} / (1 + e^{-|z|}) on the negative side, so that no
    exponential can overflow and small values keep full relative precision.
    """

    name = "sigmoid"

    def value(self, z):
        z = np.asarray(z)
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1.0, e) / (1.0 + e)

    def derivative(self, z, a=None):
        s = self.value(z) if a is None else a
        return _in_place(np.multiply, s, 1.0 - s)  # s (1 − s)


class Tanh(Activation):
    r"""g(z) = tanh z, g'(z) = 1 - tanh^2 z; g(0) = 0, g'(0) = 1."""

    name = "tanh"

    def value(self, z):
        return np.tanh(z)

    def derivative(self, z, a=None):
        t = np.tanh(z) if a is None else a
        return _in_place(np.subtract, 1.0, t * t)  # 1 − t²


class LecunTanh(Activation):
    r"""g(z) = 1.7159 tanh(2z/3) (LeCun et al. 1998, *Efficient BackProp* §4.4).

    The constants make g(±1) = ±1, so with normalised inputs and weights of
    standard deviation fan_in^{-1/2} the units work in g's nearly linear region
    and the targets ±1 are reachable without saturation.
    """

    name = "lecun_tanh"
    scale = 1.7159
    slope = 2.0 / 3.0

    def value(self, z):
        return self.scale * np.tanh(self.slope * z)

    def derivative(self, z, a=None):
        t = np.tanh(self.slope * z) if a is None else a / self.scale
        return _in_place(np.multiply, self.scale * self.slope,
                         _in_place(np.subtract, 1.0, t * t))  # scale · slope · (1 − t²)


class ReLU(Activation):
    r"""g(z) = max(z, 0); g'(z) = 1 for z > 0, 0 for z < 0, `grad_at_zero` at 0.

    Parameters
    ----------
    grad_at_zero : float, default 0.0
        The value used for g'(0).  0 is the convention of PyTorch, JAX and
        TensorFlow; chapter 3 shows what changes with 1 or 0.5.
    """

    def __init__(self, grad_at_zero=0.0):
        self.grad_at_zero = non_negative_number("grad_at_zero", grad_at_zero)
        self.name = "relu" if self.grad_at_zero == 0.0 else f"relu(grad_at_zero={self.grad_at_zero:g})"

    def value(self, z):
        return np.maximum(z, 0.0)

    def derivative(self, z, a=None):
        z = np.asarray(z)
        d = (z > 0).astype(z.dtype if z.dtype.kind == "f" else np.float64)
        if self.grad_at_zero != 0.0:
            d = np.where(z == 0, d.dtype.type(self.grad_at_zero), d)
        return d


class LeakyReLU(Activation):
    r"""g(z) = z for z > 0, `slope`·z otherwise; g'(z) = 1 or `slope` (g'(0) = slope).

    Parameters
    ----------
    slope : float, default 0.01
        The slope on the negative side (Maas et al. 2013).
    """

    def __init__(self, slope=0.01):
        self.slope = non_negative_number("slope", slope)
        self.name = "leaky_relu" if self.slope == 0.01 else f"leaky_relu(slope={self.slope:g})"

    def value(self, z):
        return np.where(z > 0, z, self.slope * z)

    def derivative(self, z, a=None):
        z = np.asarray(z)
        return np.where(z > 0, 1.0, self.slope).astype(z.dtype if z.dtype.kind == "f" else np.float64)


identity = Identity()
sigmoid = Sigmoid()
tanh = Tanh()
lecun_tanh = LecunTanh()
relu = ReLU()
leaky_relu = LeakyReLU()

_BY_NAME = {a.name: a for a in (identity, sigmoid, tanh, lecun_tanh, relu, leaky_relu)}

#: Names accepted wherever an activation is expected.
ACTIVATIONS = tuple(_BY_NAME)


def get_activation(activation):
    """Resolve a name (see `ACTIVATIONS`) or pass an `Activation` object through.

    Raises
    ------
    ValueError
        For an unknown name or an object that is not an `Activation`.
    """
    if isinstance(activation, Activation):
        return activation
    if isinstance(activation, str):
        if activation not in _BY_NAME:
            raise unknown_name("activation", activation, ACTIVATIONS)
        return _BY_NAME[activation]
    raise ValueError(
        f"activation must be a name ({', '.join(ACTIVATIONS)}) or an Activation "
        f"object such as ReLU(grad_at_zero=1.0), got {activation!r}"
    )
