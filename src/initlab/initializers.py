r"""Weight initialisers: callables ``init(shape, rng) -> array``.

For a weight matrix of shape ``(fan_in, fan_out)`` the fans are the last two
axes; a leading population axis ``(K, fan_in, fan_out)`` gives K independent
draws.  Biases have shape ``(fan_out,)`` or ``(K, fan_out)`` and only make sense
with the fan-free initialisers (`zeros`, `constant`, `normal`, `uniform`).

======================  =====================================  ==========================
name                    distribution                           source
======================  =====================================  ==========================
``zeros``               0                                      (the question of the book)
``constant(c)``         c                                      (breaks nothing: chapter 1)
``normal(std)``         N(0, std²)
``uniform(limit)``      U(−limit, limit)
``lecun``               N(0, 1/fan_in)                         LeCun et al. 1998
``glorot_normal``       N(0, 2/(fan_in + fan_out))             Glorot & Bengio 2010
``glorot_uniform``      U(±√(6/(fan_in + fan_out)))            Glorot & Bengio 2010
``he_normal``           N(0, 2/fan_in)                         He et al. 2015
``he_uniform``          U(±√(6/fan_in))                        He et al. 2015
``orthogonal(gain)``    gain · a random orthogonal matrix      Saxe et al. 2014
``partial_identity``    1 where i = j, else 0 (deterministic)  (chapter 8)
``zer_o``               I, I* or c · a Hadamard corner         Zhao et al. 2022 (ZerO)
======================  =====================================  ==========================
"""

import numpy as np

from ._checks import make_rng, non_negative_number, real_number, unknown_name


class Initializer:
    """A named ``(shape, rng) -> array`` callable.

    `needs_fans` is True when the formula uses fan_in/fan_out, which a bias
    vector does not have.
    """

    def __init__(self, name, draw, needs_fans=False, doc=None):
        self.name = name
        self._draw = draw
        self.needs_fans = needs_fans
        self.__doc__ = doc or draw.__doc__

    def __call__(self, shape, rng):
        rng = make_rng(rng, "rng")  # an int seed is accepted as well as a Generator
        shape = tuple(int(n) for n in np.atleast_1d(shape))
        if self.needs_fans and len(shape) < 2:
            raise ValueError(
                f"initializer {self.name!r} needs a (..., fan_in, fan_out) shape, got {shape}"
            )
        return self._draw(shape, rng)

    def __repr__(self):
        return f"<initializer {self.name}>"


def fans(shape):
    """(fan_in, fan_out) of a weight shape ``(..., fan_in, fan_out)``."""
    return shape[-2], shape[-1]


def constant(c):
    """Every entry equal to `c`: all units identical (chapter 1)."""
    c = real_number("c", c)
    return Initializer(f"constant({c:g})", lambda shape, rng: np.full(shape, c),
                       doc=f"Every entry equal to {c:g}.")


def normal(std):
    r"""Independent N(0, std²) entries."""
    std = non_negative_number("std", std)
    return Initializer(f"normal({std:g})", lambda shape, rng: std * rng.standard_normal(shape),
                       doc=f"N(0, {std:g}²) entries.")


def uniform(limit):
    r"""Independent U(−limit, limit) entries."""
    limit = non_negative_number("limit", limit)
    return Initializer(f"uniform({limit:g})", lambda shape, rng: rng.uniform(-limit, limit, shape),
                       doc=f"U(-{limit:g}, {limit:g}) entries.")


zeros = Initializer("zeros", lambda shape, rng: np.zeros(shape), doc="All entries 0 (the question of the book).")


def _lecun(shape, rng):
    # Var(z) = fan_in · Var(w) · E[a²] = 1 for unit-variance inputs (Efficient BackProp §4.6).
    fan_in, _ = fans(shape)
    return rng.standard_normal(shape) / np.sqrt(fan_in)


def _glorot_normal(shape, rng):
    # Compromise between keeping forward (fan_in) and backward (fan_out) variances.
    fan_in, fan_out = fans(shape)
    return rng.standard_normal(shape) * np.sqrt(2.0 / (fan_in + fan_out))


def _glorot_uniform(shape, rng):
    fan_in, fan_out = fans(shape)
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, shape)


def _he_normal(shape, rng):
    # ReLU zeroes half of its inputs, so the variance needs a factor 2 (He et al. 2015).
    fan_in, _ = fans(shape)
    return rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)


def _he_uniform(shape, rng):
    fan_in, _ = fans(shape)
    limit = np.sqrt(6.0 / fan_in)
    return rng.uniform(-limit, limit, shape)


lecun = Initializer("lecun", _lecun, True,
                    "N(0, 1/fan_in): LeCun, Bottou, Orr & Müller 1998, Efficient BackProp §4.6.")
glorot_normal = Initializer("glorot_normal", _glorot_normal, True,
                            "N(0, 2/(fan_in + fan_out)): Glorot & Bengio 2010 ('Xavier').")
glorot_uniform = Initializer("glorot_uniform", _glorot_uniform, True,
                             "U(±sqrt(6/(fan_in + fan_out))): Glorot & Bengio 2010, eq. 16.")
he_normal = Initializer("he_normal", _he_normal, True,
                        "N(0, 2/fan_in): He, Zhang, Ren & Sun 2015 ('Kaiming'), for ReLU.")
he_uniform = Initializer("he_uniform", _he_uniform, True,
                         "U(±sqrt(6/fan_in)): He et al. 2015, uniform variant, for ReLU.")


def orthogonal(gain=1.0):
    r"""`gain` times a uniformly random (Haar) orthogonal matrix (Saxe et al. 2014).

    For ``fan_in >= fan_out`` the columns are orthonormal, otherwise the rows:
    every singular value equals `gain`, so a deep linear network neither
    shrinks nor blows up any direction ("dynamical isometry").  Computed from
    the QR decomposition of a Gaussian matrix, with the signs of R's diagonal
    fixed so that the distribution is uniform (Mezzadri 2007).
    """
    gain = non_negative_number("gain", gain)

    def draw(shape, rng):
        fan_in, fan_out = fans(shape)
        a = rng.standard_normal(shape)
        tall = fan_in >= fan_out
        if not tall:
            a = np.swapaxes(a, -1, -2)
        q, r = np.linalg.qr(a)
        q = q * np.sign(np.diagonal(r, axis1=-2, axis2=-1))[..., None, :]
        if not tall:
            q = np.swapaxes(q, -1, -2)
        return gain * q

    return Initializer(f"orthogonal({gain:g})", draw, True,
                       f"{gain:g} times a random orthogonal matrix (Saxe et al. 2014).")


# ----------------------------------------------------- deterministic (no rng used)
def hadamard_matrix(order):
    r"""The Sylvester–Hadamard matrix H of size `order` (a power of 2).

    H₁ = [1], H_{2n} = [[H_n, H_n], [H_n, −H_n]]: entries ±1, H Hᵀ = order · I,
    H[i, j] = (−1)^{popcount(i AND j)}.
    """
    if isinstance(order, bool) or not isinstance(order, (int, np.integer)) or order < 1 \
            or order & (order - 1):
        raise ValueError(f"order must be a power of 2 (1, 2, 4, ...), got {order!r}")
    H = np.ones((1, 1))
    while H.shape[0] < order:
        H = np.block([[H, H], [H, -H]])
    return H


def _partial_identity(shape, rng):
    return np.broadcast_to(np.eye(shape[-2], shape[-1]), shape).copy()


def _zer_o(shape, rng):
    # Zhao, Schäfer & Anandkumar (2022), Algorithm 1, in the (fan_in, fan_out) order: the
    # identity when the width stays, the first fan_out inputs when it shrinks, and a scaled
    # corner of a Hadamard matrix when it grows (H is symmetric, so no transpose is needed).
    fan_in, fan_out = fans(shape)
    if fan_out <= fan_in:
        return _partial_identity(shape, rng)
    m = int(np.ceil(np.log2(fan_out)))
    corner = 2.0 ** (-(m - 1) / 2) * hadamard_matrix(2 ** m)[:fan_in, :fan_out]
    return np.broadcast_to(corner, shape).copy()


partial_identity = Initializer(
    "partial_identity", _partial_identity, True,
    "W[i, j] = 1 if i == j else 0: the identity, cut or padded with zeros (deterministic).")
zer_o = Initializer(
    "zer_o", _zer_o, True,
    "ZerO (Zhao, Schäfer & Anandkumar 2022): the identity for equal widths, a partial identity "
    "when the width shrinks, 2^(-(m-1)/2) times a corner of the 2^m Hadamard matrix when it "
    "grows. Deterministic: every member of a population gets the same matrix.")


_BY_NAME = {
    "zeros": zeros,
    "lecun": lecun,
    "glorot_normal": glorot_normal,
    "glorot_uniform": glorot_uniform,
    "he_normal": he_normal,
    "he_uniform": he_uniform,
    "orthogonal": orthogonal(1.0),
    "partial_identity": partial_identity,
    "zer_o": zer_o,
}

#: Names accepted wherever an initializer is expected (the parameter-free ones).
INITIALIZERS = tuple(_BY_NAME)


def get_initializer(init, name="initializer"):
    """Resolve a name (see `INITIALIZERS`) or pass a ``(shape, rng)`` callable through."""
    if isinstance(init, str):
        if init not in _BY_NAME:
            raise unknown_name(
                "initializer", init, INITIALIZERS,
                hint="constant(c), normal(std), uniform(limit), orthogonal(gain)",
            )
        return _BY_NAME[init]
    factories = _factories()
    if init in factories:
        raise ValueError(f"{name}={init.__name__} is a factory, not an initializer: call it, "
                         f"e.g. {name}={factories[init]}")
    if callable(init):
        return init
    raise ValueError(
        f"initializer must be a name ({', '.join(INITIALIZERS)}) or a callable "
        f"(shape, rng) -> array, got {init!r}"
    )


# ------------------------------------------------------- population initialisers
def gain_normal(gain):
    r"""N(0, gain² / fan_in); a sequence of K gains gives member k of a population
    (shape (K, fan_in, fan_out)) the gain ``gain[k]``.

    gain 1 is LeCun's rule, √2 is He's; a log-spaced sequence of gains sweeps the
    scale across a population in one draw.
    """
    gains = np.atleast_1d(np.asarray(gain, dtype=float))
    if gains.ndim != 1 or gains.size == 0 or not np.all(np.isfinite(gains)) or np.any(gains < 0):
        raise ValueError(f"gain must be a number >= 0 or a 1-D sequence of them, got {gain!r}")
    scalar = np.ndim(gain) == 0

    def draw(shape, rng):
        fan_in = shape[-2]
        if scalar:
            return gains[0] / np.sqrt(fan_in) * rng.standard_normal(shape)
        if len(shape) != 3 or shape[0] != gains.size:
            raise ValueError(f"gain_normal has {gains.size} gains but the weight shape is {shape}; "
                             f"use it on a population of K = {gains.size} networks")
        return gains[:, None, None] / np.sqrt(fan_in) * rng.standard_normal(shape)

    label = f"{gains[0]:g}" if scalar else ", ".join(f"{g:g}" for g in gains)
    return Initializer(f"gain_normal({label})", draw, True, f"N(0, gain²/fan_in), gain = {label}.")


def per_member(*initializers):
    r"""A population initialiser: member k of (K, fan_in, fan_out) is drawn by
    ``initializers[k]`` (names such as "glorot_normal" or callables).

    Lets one population compare rules, e.g. ``per_member("glorot_normal", "he_normal")``.
    """
    if not initializers:
        raise ValueError("per_member needs at least one initializer, e.g. "
                         "per_member('glorot_normal', 'he_normal')")
    inits = [get_initializer(i) for i in initializers]

    def draw(shape, rng):
        if len(shape) != 3 or shape[0] != len(inits):
            raise ValueError(f"per_member has {len(inits)} initializers but the weight shape is "
                             f"{shape}; use it on a population of K = {len(inits)} networks")
        return np.stack([init(shape[1:], rng) for init in inits])

    names = ", ".join(getattr(i, "name", repr(i)) for i in inits)
    return Initializer(f"per_member({names})", draw, True, f"Member k drawn by: {names}.")


def _factories():
    """The functions that build an initializer, with an example call for error messages."""
    return {constant: "constant(0.5)", normal: "normal(0.1)", uniform: "uniform(0.1)",
            orthogonal: "orthogonal(1.0)", gain_normal: "gain_normal(1.0)",
            per_member: "per_member('glorot_normal', 'he_normal')"}
