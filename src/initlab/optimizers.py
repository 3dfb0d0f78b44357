r"""Elementwise optimizers: SGD, momentum, Adam.

``step(params, grads)`` updates the parameter arrays in place.  Both arguments
are lists over layers of lists of arrays, ``[[W_1, b_1], [W_2, b_2], ...]``
(an `MLP` and a `Gradients` are accepted directly).  The learning rate `lr`
is a number or one number per layer, used for that layer's W and b.

All three update each parameter entry from that entry's own gradient history
only.  That is why none of them can separate two units whose weights and
gradients are equal (chapter 1): equal inputs to an elementwise rule give equal
outputs.  State (velocities, moments) is kept per parameter position, and lives for
one `train` call only: `train` resets it first, so an optimizer object carries its
hyper-parameters and reusing ``opt = adam(0.05)`` for a second network starts afresh.
"""

import numpy as np

from . import _checks


class Optimizer:
    """Base class: subclasses define ``_update(key, p, g, lr)``."""

    name = "optimizer"

    def __init__(self, lr):
        if isinstance(lr, np.ndarray) and lr.ndim == 0:
            lr = lr[()]
        if isinstance(lr, (list, tuple, np.ndarray)):
            self.lr = [_checks.positive_number(f"lr[{i}]", v) for i, v in enumerate(np.ravel(lr))]
        else:
            self.lr = _checks.positive_number("lr", lr)
        self.t = 0  # number of steps taken
        self.state = {}  # (layer, index) -> arrays of the same shape as the parameter

    def reset(self):
        """Forget the state (step count, velocities, moments): `train` calls this first, so an
        optimizer object carries hyper-parameters only, never state from an earlier run."""
        self.t = 0
        self.state = {}

    def rates(self, n_layers):
        """One learning rate per layer."""
        return _checks.per_layer("lr", self.lr, n_layers)

    def step(self, params, grads):
        """Update every parameter in place from its gradient."""
        if hasattr(params, "parameters"):
            params = params.parameters()
        if hasattr(grads, "layers"):
            grads = grads.layers()
        if len(params) != len(grads):
            raise ValueError(f"{len(params)} parameter layers but {len(grads)} gradient layers")
        rates = self.rates(len(params))
        self.t += 1
        for l, (layer_params, layer_grads) in enumerate(zip(params, grads)):
            for i, (p, g) in enumerate(zip(layer_params, layer_grads)):
                self._update((l, i), p, g, rates[l])

    def _buffer(self, key, p, slot=0):
        """A zero-initialised state array for parameter `key`."""
        buffers = self.state.setdefault(key, {})
        if slot not in buffers:
            buffers[slot] = np.zeros_like(p)
        return buffers[slot]

    def __repr__(self):
        return f"{self.name}(lr={self.lr})"


class SGD(Optimizer):
    r"""Gradient descent: p ← p − lr · g, and with ``weight_decay`` = λ > 0 the weights (not
    the biases) follow the gradient of the L2-penalised loss, W ← W − lr · (g + λ W)."""

    name = "sgd"

    def __init__(self, lr, weight_decay=0.0):
        super().__init__(lr)
        self.weight_decay = _checks.non_negative_number("weight_decay", weight_decay)

    def _update(self, key, p, g, lr):
        if self.weight_decay and key[1] == 0:
            p -= lr * (g + self.weight_decay * p)
        else:
            p -= lr * g

    def __repr__(self):
        return f"sgd(lr={self.lr}, weight_decay={self.weight_decay})"


class Momentum(Optimizer):
    r"""Heavy-ball momentum (PyTorch's convention): v ← β v + g;  p ← p − lr · v."""

    name = "momentum"

    def __init__(self, lr, beta=0.9):
        super().__init__(lr)
        self.beta = _checks.non_negative_number("beta", beta)
        if self.beta >= 1:
            raise ValueError(f"beta must be in [0, 1), got {beta!r}")

    def _update(self, key, p, g, lr):
        v = self._buffer(key, p)
        v *= self.beta
        v += g
        p -= lr * v


class Adam(Optimizer):
    r"""Adam (Kingma & Ba 2015), with bias correction:

    m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²,
    p ← p − lr · m̂ / (√v̂ + ε),  m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ).
    """

    name = "adam"

    def __init__(self, lr, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(lr)
        for name, value in (("beta1", beta1), ("beta2", beta2)):
            if not 0 <= _checks.non_negative_number(name, value) < 1:
                raise ValueError(f"{name} must be in [0, 1), got {value!r}")
        self.beta1, self.beta2 = float(beta1), float(beta2)
        self.eps = _checks.positive_number("eps", eps)

    def _update(self, key, p, g, lr):
        m, v = self._buffer(key, p, 0), self._buffer(key, p, 1)
        m *= self.beta1
        m += (1 - self.beta1) * g
        v *= self.beta2
        v += (1 - self.beta2) * (g * g)
        m_hat = m / (1 - self.beta1 ** self.t)
        v_hat = v / (1 - self.beta2 ** self.t)
        p -= lr * m_hat / (np.sqrt(v_hat) + self.eps)


class LayerwiseSGD(Optimizer):
    r"""Gradient descent with separate learning rates for the weights and biases of each
    layer: ``W_ℓ ← W_ℓ − weight_lr[ℓ−1] · dW_ℓ``, ``b_ℓ ← b_ℓ − bias_lr[ℓ−1] · db_ℓ``.

    The other optimizers take one rate per layer, shared by W_ℓ and b_ℓ (the narrow
    twin of chapter 1 needs different rates for the two).
    """

    name = "layerwise_sgd"

    def __init__(self, weight_lr, bias_lr):
        super().__init__(list(np.ravel(weight_lr)))
        self.bias_lr = [_checks.positive_number(f"bias_lr[{i}]", v)
                        for i, v in enumerate(np.ravel(bias_lr))]
        if len(self.bias_lr) != len(self.lr):
            raise ValueError(f"weight_lr has {len(self.lr)} entries but bias_lr has "
                             f"{len(self.bias_lr)}; give one of each per layer")

    def _update(self, key, p, g, lr):
        layer, index = key
        p -= (lr if index == 0 else self.bias_lr[layer]) * g

    def __repr__(self):
        return f"layerwise_sgd(weight_lr={self.lr}, bias_lr={self.bias_lr})"


def sgd(lr, weight_decay=0.0):
    """Plain gradient descent with learning rate `lr` (number or one per layer) and an optional
    L2 penalty ``weight_decay`` · |W|²/2 on the weights (biases are not decayed)."""
    return SGD(lr, weight_decay)


def momentum(lr, beta=0.9):
    """Heavy-ball momentum with learning rate `lr` and coefficient `beta`."""
    return Momentum(lr, beta)


def adam(lr, beta1=0.9, beta2=0.999, eps=1e-8):
    """Adam with learning rate `lr`."""
    return Adam(lr, beta1, beta2, eps)


_BY_NAME = {"sgd": SGD, "momentum": Momentum, "adam": Adam}

#: Names accepted wherever an optimizer is expected.
OPTIMIZERS = tuple(_BY_NAME)


def get_optimizer(optimizer, lr=0.1):
    """A fresh optimizer from a name (with learning rate `lr`), or pass an object through.

    Pass an object to set other hyper-parameters, e.g. ``momentum(0.1, beta=0.5)``.
    """
    if isinstance(optimizer, Optimizer):
        return optimizer
    if optimizer in (sgd, momentum, adam):
        raise ValueError(f"optimizer={optimizer.__name__} is a factory: call it with a learning "
                         f"rate, e.g. optimizer={optimizer.__name__}(0.1), or pass the name "
                         f"{optimizer.__name__!r} and lr=...")
    if isinstance(optimizer, str):
        if optimizer not in _BY_NAME:
            raise _checks.unknown_name("optimizer", optimizer, OPTIMIZERS)
        return _BY_NAME[optimizer](lr)
    raise ValueError(
        f"optimizer must be one of {', '.join(OPTIMIZERS)} or an Optimizer object, got {optimizer!r}"
    )
