r"""A multilayer perceptron, one network or a population of K at once.

Notation of the book.  Layers ℓ = 1..L; layer ℓ has weights W_ℓ of shape
``(fan_in, fan_out)`` and biases b_ℓ of shape ``(fan_out,)`` (or none, with
``biases=False``); unit j of the layer is column ``W_ℓ[:, j]`` (its incoming
weights) plus ``b_ℓ[j]``.  A batch of N samples is stored as rows, a_0 = X (N, d).
With ``population=K`` every array gets a leading axis of length K and the same
formulas apply member by member (``np.matmul`` broadcasts over it).

The two functions below are the whole algorithm; `MLP` only stores the
parameters and checks what it is given.
"""

from dataclasses import dataclass

import numpy as np

from . import _checks
from .activations import get_activation
from .initializers import get_initializer
from .losses import get_loss


def forward(weights, biases, gs, X, dropout=0.0, rng=None):
    r"""z_ℓ = a_{ℓ−1} @ W_ℓ + b_ℓ,  a_ℓ = g_ℓ(z_ℓ),  for ℓ = 1..L.

    Returns the lists zs = [z_1..z_L], activations = [a_0 = X, a_1..a_L] and the
    dropout masks of the hidden layers (None where no dropout was applied).
    """
    zs, activations, masks = [], [X], []
    a = X
    for l, (W, b, g) in enumerate(zip(weights, biases, gs)):
        z = np.matmul(a, W)
        if b is not None:
            z += b[..., None, :]  # (…, fan_out) → (…, 1, fan_out): the same for every sample
        a = g(z)
        mask = None
        if dropout > 0 and l < len(weights) - 1:
            # Inverted dropout: keep a unit with probability 1 − p, scale by 1/(1 − p).
            mask = (rng.random(a.shape) >= dropout).astype(a.dtype) / (1.0 - dropout)
            a = a * mask
        zs.append(z)
        activations.append(a)
        masks.append(mask)
    return zs, activations, masks


def backward(weights, biases, gs, zs, activations, masks, delta, weight_gradients=True):
    r"""Backpropagation from delta_L = dLoss/dz_L down to layer 1.

        dLoss/dW_ℓ  = a_{ℓ−1}ᵀ @ delta_ℓ,     dLoss/db_ℓ = Σ_n delta_ℓ[n, :]
        delta_{ℓ−1} = (delta_ℓ @ W_ℓᵀ) ⊙ g_{ℓ−1}'(z_{ℓ−1})

    Returns a `Gradients`; with ``weight_gradients=False`` only the deltas.
    """
    L = len(weights)
    deltas, grad_W, grad_b = [None] * L, [None] * L, [None] * L
    for l in reversed(range(L)):
        deltas[l] = delta
        if weight_gradients:
            grad_W[l] = np.matmul(activations[l].swapaxes(-1, -2), delta)
            grad_b[l] = None if biases[l] is None else delta.sum(axis=-2)
        if l > 0:
            a_below = activations[l] if masks[l - 1] is None else None
            delta = np.matmul(delta, weights[l].swapaxes(-1, -2))
            delta *= gs[l - 1].derivative(zs[l - 1], a_below)
            if masks[l - 1] is not None:
                delta *= masks[l - 1]  # a dropped unit passes no gradient back
    return Gradients(grad_W, grad_b, deltas, zs, activations)


@dataclass
class Gradients:
    """The result of one backward pass (lists indexed by layer ℓ − 1).

    Attributes
    ----------
    weights, biases : list of arrays
        dLoss/dW_ℓ and dLoss/db_ℓ, shaped like the parameters (None for a layer
        without biases, and everywhere when only the deltas were asked for).
    deltas : list of arrays
        delta_ℓ = dLoss/dz_ℓ, shape (N, fan_out) or (K, N, fan_out).
    zs, activations : list of arrays
        The forward pass that was differentiated: z_1..z_L and a_0..a_L
        (after dropout, if any).
    """

    weights: list
    biases: list
    deltas: list
    zs: list
    activations: list

    def layers(self):
        """[[dW_1, db_1], [dW_2, db_2], ...] (just [dW_ℓ] without biases): what optimizers take."""
        return [[w] if b is None else [w, b] for w, b in zip(self.weights, self.biases)]


def _per_layer_initializers(name, init, n_layers):
    if isinstance(init, (list, tuple)):
        if len(init) != n_layers:
            raise ValueError(
                f"{name} has {len(init)} entries but the network has {n_layers} weight "
                f"layers; give one initializer per layer or a single one"
            )
        return [get_initializer(i, name) for i in init]
    return [get_initializer(init, name)] * n_layers


class MLP:
    """A fully connected network, optionally a population of K independent copies.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths ``[d, n_1, ..., n_L]``, e.g. ``[2, 4, 1]``: L = len(sizes) − 1
        weight layers.
    activation : str or Activation, default "tanh"
        g of the hidden layers ℓ = 1..L−1.
    output : str or Activation, default "identity"
        g_L of the output layer.  "identity" gives logits for bce / softmax_ce.
    weight_init, bias_init : str, callable or list, default "glorot_normal", "zeros"
        An initializer name, a ``(shape, rng) -> array`` callable, or a list
        with one of those per layer.
    population : int or None
        K, the number of independent networks stored together, or None for one
        network without a population axis.
    seed : int or numpy.random.Generator
        Weights and biases come from two separate streams spawned from `seed`,
        so changing `bias_init` does not change the weights.  Member k draws its
        own values (one draw of shape (K, fan_in, fan_out)).
    dtype : numpy float dtype, default float64
    biases : bool, default True
        False builds layers without biases, z_ℓ = a_{ℓ−1} @ W_ℓ (`bias_init` is
        then ignored and ``net.biases`` holds None for every layer).

    Attributes
    ----------
    weights, biases : list of arrays
        W_1..W_L and b_1..b_L.  Assign freely (``net.weights[0][:] = 0.3`` or
        ``net.weights[0] = M``); shapes are checked at the next use.
    sizes, L, activation, output, population, dtype, has_biases
    """

    def __init__(self, sizes, activation="tanh", output="identity",
                 weight_init="glorot_normal", bias_init="zeros",
                 population=None, seed=0, dtype=np.float64, biases=True):
        self._configure(sizes, activation, output, population, dtype, biases)
        weight_inits = _per_layer_initializers("weight_init", weight_init, self.L)
        bias_inits = _per_layer_initializers("bias_init", bias_init, self.L)
        for init in bias_inits:
            if getattr(init, "needs_fans", False):
                raise ValueError(
                    f"bias_init {init.name!r} uses fan_in/fan_out, which a bias vector does "
                    f"not have; use zeros, constant(c), normal(std) or uniform(limit)"
                )
        weight_rng, bias_rng = _checks.spawn_rngs(seed, 2)
        self.seed = seed
        self.weights, self.biases = [], []
        for l in range(self.L):
            W = weight_inits[l](self._weight_shape(l), weight_rng)
            self.weights.append(self._as_parameter(f"weight_init for layer {l + 1}", W,
                                                   self._weight_shape(l)))
            if self.has_biases:
                b = bias_inits[l](self._bias_shape(l), bias_rng)
                self.biases.append(self._as_parameter(f"bias_init for layer {l + 1}", b,
                                                      self._bias_shape(l)))
            else:
                self.biases.append(None)

    @classmethod
    def from_parameters(cls, weights, biases=None, activation="tanh", output="identity",
                        dtype=np.float64):
        """A network with the given parameters (copied), instead of "build, then overwrite".

        Parameters
        ----------
        weights : list of L arrays (fan_in, fan_out), or (K, fan_in, fan_out) for a population
        biases : list of L arrays (fan_out,) or (K, fan_out), or None for layers without biases
        activation, output, dtype
            As for `MLP`.
        """
        if isinstance(weights, np.ndarray) or not isinstance(weights, (list, tuple)) or not weights:
            raise ValueError("weights must be a non-empty list of arrays W_1..W_L, "
                             f"got {type(weights).__name__}")
        weights = [np.array(W, dtype=dtype) for W in weights]
        if any(W.ndim not in (2, 3) for W in weights) or len({W.ndim for W in weights}) != 1:
            raise ValueError("every W_ℓ must have shape (fan_in, fan_out), or all (K, fan_in, "
                             f"fan_out); got shapes {[W.shape for W in weights]}")
        population = None if weights[0].ndim == 2 else weights[0].shape[0]
        sizes = [weights[0].shape[-2]] + [W.shape[-1] for W in weights]
        net = object.__new__(cls)
        net._configure(sizes, activation, output, population, dtype, biases is not None)
        net.seed = None
        for l, W in enumerate(weights):
            if not np.all(np.isfinite(W)):
                raise ValueError(f"weights[{l}] (W_{l + 1}) has NaN or infinite entries; pass "
                                 f"finite numbers")
        net.weights = weights
        if biases is None:
            net.biases = [None] * net.L
        else:
            if len(biases) != net.L:
                raise ValueError(f"biases has {len(biases)} entries but weights has {net.L}")
            net.biases = [np.array(b, dtype=dtype) for b in biases]
        net.validate()
        return net

    # ------------------------------------------------------------------ set-up
    def _configure(self, sizes, activation, output, population, dtype, biases):
        if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__") or len(sizes) < 2:
            raise ValueError(
                f"sizes must list at least an input and an output width, e.g. [2, 4, 1]; got {sizes!r}"
            )
        self.sizes = [_checks.positive_int(f"sizes[{i}]", n) for i, n in enumerate(sizes)]
        self.L = len(self.sizes) - 1
        self.activation = get_activation(activation)
        self.output = get_activation(output)
        self.population = None if population is None else _checks.positive_int("population", population)
        self.dtype = _checks.float_dtype(dtype)
        self.has_biases = bool(biases)

    @property
    def _lead(self):
        return () if self.population is None else (self.population,)

    def _weight_shape(self, l):
        return self._lead + (self.sizes[l], self.sizes[l + 1])

    def _bias_shape(self, l):
        return self._lead + (self.sizes[l + 1],)

    def _as_parameter(self, what, value, shape):
        array = np.asarray(value, dtype=self.dtype)
        if array.shape != shape:
            hint = ""
            if self.population is not None and array.shape == shape[1:]:
                hint = (f"; to give all {self.population} members the same values use "
                        f"np.broadcast_to(value, {shape}).copy()")
            raise ValueError(f"{what} has shape {array.shape}, expected {shape}{hint}")
        if not np.all(np.isfinite(array)):
            bad = int(array.size - np.count_nonzero(np.isfinite(array)))
            raise ValueError(f"{what} gave {bad} NaN or infinite value(s); an initializer must "
                             f"return finite numbers")
        return array

    def activation_of(self, layer):
        """g_ℓ of book layer ℓ = `layer` (1..L): the hidden activation, or the output's for ℓ = L."""
        if isinstance(layer, (bool, np.bool_)) or not isinstance(layer, (int, np.integer)) \
                or not 1 <= layer <= self.L:
            raise ValueError(f"layer must be a layer number ℓ in 1..{self.L}, got {layer!r}")
        return self.output if layer == self.L else self.activation

    @property
    def _gs(self):
        return [self.activation] * (self.L - 1) + [self.output]

    def validate(self):
        """Check the (possibly reassigned) parameter lists and convert them to `dtype`."""
        for name, params, shape_of in (("weights", self.weights, self._weight_shape),
                                       ("biases", self.biases, self._bias_shape)):
            if len(params) != self.L:
                raise ValueError(f"net.{name} has {len(params)} entries, expected L = {self.L}")
            for l in range(self.L):
                if name == "biases" and not self.has_biases:
                    if params[l] is not None:
                        raise ValueError("this network has no biases (biases=False): "
                                         "net.biases must hold None for every layer")
                    continue
                if not (isinstance(params[l], np.ndarray) and params[l].dtype == self.dtype):
                    params[l] = np.asarray(params[l], dtype=self.dtype)
                if params[l].shape != shape_of(l):
                    params[l] = self._as_parameter(f"net.{name}[{l}]", params[l], shape_of(l))

    def _check_inputs(self, X):
        return _checks.network_inputs(X, self.sizes[0], self.population, self.dtype)

    def _check_targets(self, y, X, loss):
        return _checks.network_targets(y, X, loss, self.sizes[-1], self.population,
                                       self.output.name, self.dtype)

    def finite_members(self):
        """True where every parameter is finite: a bool, or a bool array (K,) for a population.

        A member with a NaN or infinite parameter is *broken* (it diverged in `train`, whose
        `History.diverged` flags it, or was set by hand).  For a population, every result of
        a broken member is NaN (predicted labels −1); a single broken network is refused.
        """
        ok = np.ones(self._lead, dtype=bool)
        for W, b in zip(self.weights, self.biases):
            ok = ok & np.isfinite(W).all(axis=(-2, -1))
            if b is not None:
                ok = ok & np.isfinite(b).all(axis=-1)
        return bool(ok) if self.population is None else ok

    def prepare(self, X, y=None, loss=None):
        """Check the parameters, X and (if given) the targets once, for an inner loop.

        Returns
        -------
        X : array (N, d) or (K, N, d), of the network's dtype
        T : array shaped like the output, the targets as the loss reads them
            (one-hot rows for softmax_ce); only when `y` is given (then `loss` too).
        """
        self.validate()
        if self.population is None and not self.finite_members():
            raise ValueError("this network has NaN or infinite parameters: it diverged (see "
                             "History.diverged) or they were set by hand; build a new network "
                             "or lower the learning rate / initial scale")
        X = self._check_inputs(X)
        if y is None:
            return X
        return X, self._check_targets(y, X, get_loss(loss))

    # ------------------------------------------------------------------ forward
    def run(self, X, dropout=0.0, rng=None):
        """`forward` on inputs already checked by `prepare`: (zs, activations, masks).

        Overflow is not warned about: a too-large scale gives inf or NaN, an outcome that
        `train` and `finite_members` flag."""
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            return forward(self.weights, self.biases, self._gs, X, dropout, rng)

    def forward_pass(self, X, dropout=0.0, rng=None):
        """Run the network and keep everything.

        Returns
        -------
        zs : list of L arrays
            z_1..z_L, each (N, n_ℓ) or (K, N, n_ℓ).
        activations : list of L + 1 arrays
            a_0 = X, a_1, ..., a_L.
        """
        X = self.prepare(X)
        dropout, rng = _checks.dropout_and_rng(dropout, rng)
        zs, activations, _ = self.run(X, dropout, rng)
        return zs, activations

    def forward(self, X):
        """The output activations a_L, shape (N, n_L) or (K, N, n_L)."""
        return self.forward_pass(X)[1][-1]

    __call__ = forward

    def predict(self, X):
        """Class labels: argmax over outputs, or z_L > 0 for a single output.

        For a single output and any increasing g_L, z_L > 0 is the same as
        a_L > g_L(0): logit > 0, sigmoid > 1/2, tanh > 0.
        """
        zs, _, _ = self.run(self.prepare(X))
        if self.sizes[-1] == 1:
            labels = (zs[-1][..., 0] > 0).astype(np.int64)
        else:
            labels = np.argmax(zs[-1], axis=-1)
        if self.population is not None:  # a broken member predicts nothing: −1, not a class
            labels[~self.finite_members()] = -1
        return labels

    # ----------------------------------------------------------------- backward
    def gradients(self, X, T, loss, dropout=0.0, rng=None, weight_gradients=True):
        """The loss and its `Gradients` on inputs already checked by `prepare` (no checks)."""
        gs = self._gs
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            zs, activations, masks = forward(self.weights, self.biases, gs, X, dropout, rng)
            value = loss.value(activations[-1], T)
            delta = loss.output_delta(zs[-1], activations[-1], T, self.output)
            grads = backward(self.weights, self.biases, gs, zs, activations, masks, delta,
                             weight_gradients)
        return value, grads

    def loss_and_gradients(self, X, y, loss, dropout=0.0, rng=None, weight_gradients=True):
        """The loss and its gradients by backpropagation.

        Parameters
        ----------
        X : array (N, d) or (K, N, d)
            Inputs, shared by all members or one set per member.
        y : array
            Targets: (N,) or (N, n_L); labels (N,) or one-hot (N, C) for
            softmax_ce.  With a leading K axis when X has one; for shared X
            (N, d) the targets may be shared or per member (K, N, ...).
        loss : str or Loss
        dropout : float in [0, 1)
            Inverted dropout on the hidden activations (needs `rng`).
        rng : numpy Generator or int, optional
        weight_gradients : bool, default True
            False skips dLoss/dW_ℓ and dLoss/db_ℓ (their lists hold None): the deltas
            alone, for diagnostics that only look at the back-propagated signal.

        Returns
        -------
        loss : float, or array (K,) for a population
        grads : Gradients
            ``grads.weights[ℓ−1]`` = dLoss/dW_ℓ, ``grads.biases``, ``grads.deltas``.
        """
        loss = get_loss(loss)
        X, T = self.prepare(X, y, loss)
        dropout, rng = _checks.dropout_and_rng(dropout, rng)
        value, grads = self.gradients(X, T, loss, dropout, rng, bool(weight_gradients))
        return (float(value) if self.population is None else value), grads

    def loss(self, X, y, loss):
        """The loss alone: a float, or (K,) for a population."""
        loss = get_loss(loss)
        X, T = self.prepare(X, y, loss)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            value = loss.value(self.run(X)[1][-1], T)
        return float(value) if self.population is None else value

    # -------------------------------------------------------- copies, members
    def parameters(self):
        """[[W_1, b_1], [W_2, b_2], ...] ([W_ℓ] alone without biases): the arrays
        themselves, for optimizers."""
        self.validate()
        return [[W] if b is None else [W, b] for W, b in zip(self.weights, self.biases)]

    def _like(self, weights, biases, population):
        net = object.__new__(type(self))
        net.sizes, net.L = list(self.sizes), self.L
        net.activation, net.output, net.dtype = self.activation, self.output, self.dtype
        net.population, net.seed, net.has_biases = population, self.seed, self.has_biases
        net.weights, net.biases = weights, biases
        return net

    def copy(self):
        """An independent copy (parameters copied)."""
        self.validate()
        return self._like([W.copy() for W in self.weights],
                          [None if b is None else b.copy() for b in self.biases], self.population)

    def member(self, k):
        """Member k of a population as a plain network (population=None), copied."""
        if self.population is None:
            raise ValueError("member(k) needs a population network; this one has population=None")
        if isinstance(k, (bool, np.bool_)) or not isinstance(k, (int, np.integer)) \
                or not -self.population <= k < self.population:
            raise ValueError(f"member index k={k!r} is out of range 0..{self.population - 1}")
        self.validate()
        return self._like([W[k].copy() for W in self.weights],
                          [None if b is None else b[k].copy() for b in self.biases], None)

    @classmethod
    def stack(cls, nets):
        """A population network from plain networks (or populations, concatenated)."""
        nets = list(nets)
        if not nets or not all(isinstance(n, MLP) for n in nets):
            raise ValueError("MLP.stack needs a non-empty list of MLP networks")
        first = nets[0]
        for i, n in enumerate(nets):
            n.validate()
            same = (n.sizes == first.sizes and n.activation.name == first.activation.name
                    and n.output.name == first.output.name and n.dtype == first.dtype
                    and n.has_biases == first.has_biases)
            if not same:
                raise ValueError(
                    f"MLP.stack: network {i} ({n!r}) differs from network 0 ({first!r}) in "
                    f"sizes, activation, output, dtype or biases"
                )

        def lead(a, n):
            return a[None] if n.population is None else a

        weights = [np.concatenate([lead(n.weights[l], n) for n in nets]) for l in range(first.L)]
        biases = [np.concatenate([lead(n.biases[l], n) for n in nets]) if first.has_biases
                  else None for l in range(first.L)]
        return first._like(weights, biases, len(weights[0]))

    @property
    def n_parameters(self):
        """Number of parameters per network, Σ_ℓ (fan_in + 1)·fan_out (fan_in·fan_out without biases)."""
        extra = 1 if self.has_biases else 0
        return sum((a + extra) * b for a, b in zip(self.sizes[:-1], self.sizes[1:]))

    def __repr__(self):
        pop = "" if self.population is None else f", population={self.population}"
        nob = "" if self.has_biases else ", biases=False"
        return (f"MLP(sizes={self.sizes}, activation={self.activation.name!r}, "
                f"output={self.output.name!r}{pop}{nob})")
