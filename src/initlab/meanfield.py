r"""Mean-field theory of signal propagation at initialisation, and the Jacobian's spectrum.

A wide network with weights ``W_ℓ[i, j] ~ N(0, σ_w²/fan_in)`` and biases ``b_ℓ[j] ~ N(0, σ_b²)``
has, in the limit of infinite width, Gaussian pre-activations z_ℓ whose statistics obey
two deterministic maps (Poole et al. 2016; Schoenholz et al. 2017).  With z ~ N(0, 1):

* the **length map**  q_ℓ = σ_w² E[φ(√q_{ℓ−1} z)²] + σ_b²,  with fixed point q*;
* the **correlation map** of two inputs,
  c_ℓ = (σ_w² E[φ(u₁) φ(u₂)] + σ_b²) / q_ℓ  with u₁ = √q z₁, u₂ = √q (c z₁ + √(1−c²) z₂);
* its slope at c = 1,  χ₁ = σ_w² E[φ'(√q* z)²].  χ₁ < 1: the *ordered* phase (all inputs
  become alike with depth); χ₁ > 1: the *chaotic* phase (nearby inputs decorrelate); χ₁ = 1:
  the order-to-chaos line, the "edge of chaos";
* the depth scale of correlations ξ_c = −1 / ln χ_c, with χ_c the slope of the correlation
  map at its stable fixed point c* (χ_c = χ₁ in the ordered phase).  ξ_c diverges on the line.

Every Gaussian expectation is computed by Gauss–Hermite quadrature (numpy only): ``NODES``
probabilists' nodes in one dimension, a product rule in two.  At a single variance the length
map's expectation is `initlab.variance.gaussian_second_moment`; here it is vectorised over
arrays of q, σ_w² and σ_b², as the phase diagrams need.  Smooth activations (tanh,
sigmoid) are integrated to ~1e-12; ReLU's kink makes the two-dimensional integrals
accurate to ~5e-3 only (its one-dimensional ones are exact, by the symmetry of the nodes).

The module also measures what the theory predicts, on real networks:
`input_output_jacobian` multiplies the per-layer Jacobians ``W_ℓ diag(g'(z_ℓ))`` along the
forward pass of an `MLP` (vectorised over a population), and `jacobian_singular_values`
returns their singular values (Saxe et al. 2014; Pennington, Schoenholz & Ganguli 2017).
"""

from __future__ import annotations

import numpy as np

from . import _checks
from .activations import get_activation

__all__ = [
    "NODES", "gaussian_expectation", "length_map", "length_fixed_point", "correlation_map",
    "propagate", "chi_1", "correlation_fixed_point", "chi_c", "depth_scale",
    "critical_point", "critical_sigma_w2", "input_output_jacobian",
    "jacobian_singular_values", "log_spread",
]

#: Quadrature nodes per dimension.
NODES = 100          # even: no node at 0, so ReLU's kink costs nothing in one dimension
_Z, _W = np.polynomial.hermite_e.hermegauss(NODES)
_W = _W / np.sqrt(2.0 * np.pi)            # weights of E over z ~ N(0, 1); they sum to 1
_Z2 = 60                                  # per dimension in the 2-D product rule
_Y, _V = np.polynomial.hermite_e.hermegauss(_Z2)
_V = _V / np.sqrt(2.0 * np.pi)


# --------------------------------------------------------------------------- checks
def _variances(sigma_w2, sigma_b2):
    """Broadcast σ_w² > 0 and σ_b² >= 0 (scalars or arrays) and check them."""
    sw2 = _checks.finite_array("sigma_w2", sigma_w2)
    sb2 = _checks.finite_array("sigma_b2", sigma_b2)
    if np.any(sw2 <= 0):
        raise ValueError(f"sigma_w2 (the weight variance times fan_in) must be > 0, got "
                         f"{sigma_w2!r}")
    if np.any(sb2 < 0):
        raise ValueError(f"sigma_b2 (the bias variance) must be >= 0, got {sigma_b2!r}")
    return np.broadcast_arrays(sw2, sb2)


def _non_negative(name, value):
    array = _checks.finite_array(name, value)
    if np.any(array < 0):
        raise ValueError(f"{name} is a variance and must be >= 0, got {value!r}")
    return array


def _correlations(name, value):
    array = _checks.finite_array(name, value)
    if np.any(np.abs(array) > 1):
        raise ValueError(f"{name} is a correlation and must lie in [-1, 1], got {value!r}")
    return array


# ----------------------------------------------------------------------- quadrature
def gaussian_expectation(f, q=1.0):
    r"""E[f(√q z)] for z ~ N(0, 1), by Gauss–Hermite quadrature.

    Parameters
    ----------
    f : callable
        Vectorised function of an array.
    q : float or array, >= 0
        The variance of the argument; arrays give one expectation per entry.

    Returns
    -------
    float or array shaped like `q`

    Examples
    --------
    >>> round(float(gaussian_expectation(lambda h: h**2, 2.5)), 12)
    2.5
    """
    if not callable(f):
        raise ValueError(f"f must be a function of an array, got {f!r}")
    values = _expect(f, _non_negative("q", q))
    return values if values.ndim else float(values)


def _expect(f, q):
    """E[f(√q z)] without argument checks (q: array >= 0)."""
    return f(np.sqrt(q)[..., None] * _Z) @ _W


def _pair_expectation(f, g, q, c):
    """E[f(u₁) g(u₂)] for (u₁, u₂) Gaussian with variances q and correlation c (2-D rule)."""
    root = np.sqrt(q)[..., None, None]
    c = c[..., None, None]
    u1 = root * _Y[:, None]
    u2 = root * (c * _Y[:, None] + np.sqrt(np.maximum(1.0 - c * c, 0.0)) * _Y[None, :])
    return np.einsum("...ij,i,j->...", f(u1) * g(u2), _V, _V)


# ----------------------------------------------------------------------- length map
def length_map(q, sigma_w2, sigma_b2, activation="tanh"):
    r"""One layer of the length map: q_next = σ_w² E[φ(√q z)²] + σ_b².

    Parameters
    ----------
    q : float or array >= 0
        Variance of the pre-activations of the layer below.
    sigma_w2, sigma_b2 : float or array
        σ_w² (weights N(0, σ_w²/fan_in)) and σ_b² (biases N(0, σ_b²)); broadcast with `q`.
    activation : str or Activation

    Returns
    -------
    array (broadcast shape of the arguments)
    """
    phi = get_activation(activation)
    sw2, sb2 = _variances(sigma_w2, sigma_b2)
    q = _non_negative("q", q)
    q, sw2, sb2 = np.broadcast_arrays(q, sw2, sb2)
    return sw2 * _expect(lambda h: phi(h) ** 2, q) + sb2


def length_fixed_point(sigma_w2, sigma_b2, activation="tanh", q0=1.0, max_iter=1000,
                       tol=1e-13):
    r"""q*, the fixed point of the length map reached from q0 (vectorised).

    The map is iterated, with Aitken's Δ² acceleration every few steps, until successive
    values agree to `tol` (relative).  Where the variance grows without bound (ReLU with
    σ_w² > 2) the result is ``inf``: divergence is reported, not raised.

    Parameters
    ----------
    sigma_w2, sigma_b2 : float or array
    activation : str or Activation
    q0 : float > 0
        The starting variance (the first layer's).
    max_iter : int
    tol : float

    Returns
    -------
    q_star : float or array (broadcast shape of sigma_w2 and sigma_b2)
    """
    phi = get_activation(activation)
    sw2, sb2 = _variances(sigma_w2, sigma_b2)
    q0 = _checks.positive_number("q0", q0)
    max_iter = _checks.positive_int("max_iter", max_iter)
    shape = sw2.shape
    sw2, sb2 = sw2.ravel(), sb2.ravel()
    q = np.full(sw2.shape, q0)
    active = np.ones(q.shape, dtype=bool)

    def step(x, idx):
        return sw2[idx] * _expect(lambda h: phi(h) ** 2, x) + sb2[idx]

    # Without biases, q = 0 is a fixed point.  When the map's slope there is exactly 1 and
    # it bends below the diagonal (tanh at σ_w² = 1), iterates creep to 0 like 1/ℓ: no
    # iteration reaches it, so it is set directly.
    every = np.arange(q.size)
    tiny = 1e-10
    marginal = (sb2 == 0) & (np.abs(step(np.full(q.size, tiny), every) / tiny - 1) < 1e-6) \
        & (step(q, every) < q * (1 - 1e-9))
    q[marginal] = 0.0
    active[marginal] = False

    with np.errstate(all="ignore"):
        for _ in range(max_iter):
            idx = np.flatnonzero(active)
            if idx.size == 0:
                break
            x0 = q[idx]
            x1 = step(x0, idx)
            x2 = step(x1, idx)
            denominator = x2 - 2 * x1 + x0
            aitken = x2 - (x2 - x1) ** 2 / denominator
            with np.errstate(all="ignore"):
                ratio = (x2 - x1) / (x1 - x0)
            # Accelerate only a contracting sequence: Aitken's formula would otherwise jump
            # to the repelling fixed point of a growing one (ReLU with σ_w² > 2).
            ok = np.isfinite(aitken) & (aitken > 0) & (np.abs(ratio) < 0.999) \
                & (np.abs(denominator) > 1e-300)
            new = np.where(ok, aitken, x2)
            new = np.where(new > 1e12, np.inf, new)
            done = ~np.isfinite(new) | (np.abs(new - x0) <= tol * np.maximum(np.abs(new), 1e-300)) \
                | (new < 1e-300)
            q[idx] = new
            active[idx[done]] = False
    q[(sb2 == 0) & (q < 1e-100)] = 0.0     # geometric decay to the zero fixed point
    q = q.reshape(shape)
    return float(q) if q.ndim == 0 else q


# ------------------------------------------------------------------ correlation map
def correlation_map(c, q, sigma_w2, sigma_b2, activation="tanh"):
    r"""One layer of the correlation map for two inputs of equal variance q.

    c_next = (σ_w² E[φ(u₁) φ(u₂)] + σ_b²) / q_next, with u₁, u₂ ~ N(0, q), correlation c,
    and q_next = `length_map` (q).

    Returns
    -------
    c_next : array (broadcast shape)
    """
    phi = get_activation(activation)
    sw2, sb2 = _variances(sigma_w2, sigma_b2)
    c = _correlations("c", c)
    q = _non_negative("q", q)
    c, q, sw2, sb2 = np.broadcast_arrays(c, q, sw2, sb2)
    covariance = sw2 * _pair_expectation(phi, phi, q, c) + sb2
    with np.errstate(all="ignore"):
        out = covariance / (sw2 * _expect(lambda h: phi(h) ** 2, q) + sb2)
    return np.clip(out, -1.0, 1.0)


def propagate(q_input, c_input, depth, sigma_w2, sigma_b2, activation="tanh"):
    r"""Predicted variance q_ℓ and correlation c_ℓ of the pre-activations z_ℓ, ℓ = 1..depth.

    The first layer sees the inputs themselves: q_1 = σ_w² q_input + σ_b² and
    c_1 = (σ_w² q_input c_input + σ_b²) / q_1, where q_input = ‖x‖²/d is the inputs' mean
    square and c_input the correlation (cosine) of the two inputs.  Later layers apply the
    length and correlation maps.

    Parameters
    ----------
    q_input : float > 0
    c_input : float or array in [-1, 1]
        One curve per entry.
    depth : int >= 1
    sigma_w2, sigma_b2 : float
    activation : str or Activation

    Returns
    -------
    q : array (depth,)
    c : array (depth,) + shape of `c_input`
    """
    q_input = _checks.positive_number("q_input", q_input)
    depth = _checks.positive_int("depth", depth)
    c0 = _correlations("c_input", c_input)
    sw2, sb2 = (float(v) for v in _variances(sigma_w2, sigma_b2))
    q = np.empty(depth)
    c = np.empty((depth,) + c0.shape)
    q[0] = sw2 * q_input + sb2
    c[0] = (sw2 * q_input * c0 + sb2) / q[0]
    for l in range(1, depth):
        c[l] = correlation_map(c[l - 1], q[l - 1], sw2, sb2, activation)
        q[l] = length_map(q[l - 1], sw2, sb2, activation)
    return q, c


def chi_1(sigma_w2, sigma_b2, activation="tanh", q_star=None):
    r"""χ₁ = σ_w² E[φ'(√q* z)²]: the slope of the correlation map at c = 1.

    Also the factor by which one layer multiplies the mean squared singular value of the
    input–output Jacobian.  `q_star` defaults to `length_fixed_point`; where that is
    infinite (ReLU with σ_w² > 2: the signal grows without bound) the result is NaN.
    """
    phi = get_activation(activation)
    sw2, sb2 = _variances(sigma_w2, sigma_b2)
    if q_star is None:
        q = np.asarray(length_fixed_point(sw2, sb2, phi))
    else:
        q = _checks.finite_array("q_star", q_star)
        if np.any(q < 0):
            raise ValueError(f"q_star is a variance and must be >= 0, got {q_star!r}")
    finite = np.isfinite(q)
    # q* = 0 is read as the limit q → 0+: ReLU's slope there is 1 on half the line, not
    # its convention at exactly 0.
    q_eval = np.where(finite, np.where(q == 0, 1e-200, q), 1.0)
    out = sw2 * _expect(lambda h: phi.derivative(h) ** 2, q_eval)
    out = np.where(finite, out, np.nan)   # no fixed point (q* = inf): reported as NaN
    return float(out) if np.ndim(out) == 0 else out


def correlation_fixed_point(sigma_w2, sigma_b2, activation="tanh", iterations=60):
    r"""c*, the stable fixed point of the correlation map (vectorised).

    In the ordered phase (χ₁ <= 1) it is c* = 1; in the chaotic phase it is the root of
    c_next(c) = c below 1, found by bisection on [-1, 1 − 1e-9] (`iterations` halvings).
    """
    phi = get_activation(activation)
    sw2, sb2 = _variances(sigma_w2, sigma_b2)
    iterations = _checks.positive_int("iterations", iterations)
    q = np.asarray(length_fixed_point(sw2, sb2, phi))
    q = np.where(np.isfinite(q), q, 1.0)   # divergent q*: c* is then reported as NaN by chi_c
    chaotic = np.asarray(chi_1(sw2, sb2, phi, q_star=q)) > 1
    lo, hi = np.full(q.shape, -1.0), np.full(q.shape, 1.0 - 1e-9)
    if chaotic.any():
        for _ in range(iterations):
            mid = 0.5 * (lo + hi)
            above = correlation_map(mid, q, sw2, sb2, phi) > mid   # c* lies above mid
            lo = np.where(above, mid, lo)
            hi = np.where(above, hi, mid)
    out = np.where(chaotic, 0.5 * (lo + hi), 1.0)
    return float(out) if out.ndim == 0 else out


def chi_c(sigma_w2, sigma_b2, activation="tanh"):
    r"""χ_c = σ_w² E[φ'(u₁) φ'(u₂)] at the stable fixed point (q*, c*): the correlation map's
    slope there.  Equal to χ₁ in the ordered phase, below 1 on both sides of the line;
    NaN where the length map has no finite fixed point (q* = inf).

    Where q* = 0 (no biases and σ_w² small enough) the signal itself vanishes; near q = 0 a
    smooth activation is linear and the correlation map is the identity, so χ_c = 1 there:
    correlations are kept while the signal dies (the gradients still shrink by χ₁ per layer).
    """
    phi = get_activation(activation)
    sw2, sb2 = _variances(sigma_w2, sigma_b2)
    q = np.asarray(length_fixed_point(sw2, sb2, phi))
    c = np.asarray(correlation_fixed_point(sw2, sb2, phi))
    d = phi.derivative
    finite = np.isfinite(q)
    qf = np.where(finite, q, 1.0)
    with np.errstate(all="ignore"):
        out = sw2 * np.where(c >= 1.0, _expect(lambda h: d(h) ** 2, qf),
                             _pair_expectation(d, d, qf, np.minimum(c, 1.0)))
    out = np.where(finite, out, np.nan)   # no fixed point (q* = inf): no depth scale
    out = np.where(q == 0, 1.0, out)      # q* = 0: the correlation map is the identity
    return float(out) if out.ndim == 0 else out


def depth_scale(sigma_w2, sigma_b2, activation="tanh"):
    r"""ξ_c = −1 / ln χ_c: the number of layers over which correlations relax to c*.

    ``inf`` on the order-to-chaos line (χ_c = 1).  Schoenholz et al. (2017) find networks
    trainable up to a depth of about 6 ξ_c.
    """
    chi = np.asarray(chi_c(sigma_w2, sigma_b2, activation))
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(np.abs(chi - 1.0) < 1e-12, np.inf,
                       -1.0 / np.log(np.minimum(chi, 1.0 - 1e-15)))
    return float(out) if out.ndim == 0 else out


# ------------------------------------------------------------------- critical line
def critical_point(q_star, activation="tanh"):
    r"""The point (σ_w², σ_b²) of the order-to-chaos line whose fixed point is `q_star`.

    On the line χ₁ = 1, so σ_w² = 1 / E[φ'(√q* z)²] and, from the length map,
    σ_b² = q* − σ_w² E[φ(√q* z)²].  For tanh, σ_b² grows with q* from 0 (at σ_w² = 1).

    Returns
    -------
    sigma_w2, sigma_b2 : float or arrays shaped like `q_star`
    """
    phi = get_activation(activation)
    q = _non_negative("q_star", q_star)
    sw2 = 1.0 / _expect(lambda h: phi.derivative(h) ** 2, q)
    sb2 = q - sw2 * _expect(lambda h: phi(h) ** 2, q)
    return sw2, sb2


def critical_sigma_w2(sigma_b2, activation="tanh", q_max=10.0, iterations=64):
    r"""σ_w² on the order-to-chaos line for a given σ_b² (vectorised): where χ₁ = 1.

    Solves `critical_point` (q*)[1] = σ_b² for q* by bisection on (0, `q_max`], which needs
    σ_b² to grow with q* along the line (true for tanh).  For ReLU the line is σ_w² = 2
    (only at σ_b² = 0 does the length map have a finite fixed point there).

    Examples
    --------
    >>> round(float(critical_sigma_w2(0.05)), 3)
    1.761
    """
    phi = get_activation(activation)
    sb2 = _non_negative("sigma_b2", sigma_b2)
    q_max = _checks.positive_number("q_max", q_max)
    if phi.name.startswith("relu"):
        out = np.full(sb2.shape, 2.0)
        return float(out) if out.ndim == 0 else out
    lo, hi = np.zeros(sb2.shape), np.full(sb2.shape, q_max)
    if np.any(critical_point(hi, phi)[1] < sb2):
        raise ValueError(f"sigma_b2={sigma_b2!r} is beyond the critical line's range up to "
                         f"q* = {q_max:g}; raise q_max")
    for _ in range(_checks.positive_int("iterations", iterations)):
        mid = 0.5 * (lo + hi)
        below = critical_point(mid, phi)[1] < sb2
        lo = np.where(below, mid, lo)
        hi = np.where(below, hi, mid)
    out = critical_point(0.5 * (lo + hi), phi)[0]
    return float(out) if np.ndim(out) == 0 else out


# ------------------------------------------------------------ the Jacobian's spectrum
def input_output_jacobian(net, X):
    r"""∂a_L/∂a_0 of an `MLP` at each input, by per-layer products along the forward pass.

    In the book's row convention (z_ℓ = a_{ℓ−1} W_ℓ + b_ℓ) the Jacobian of a_L with respect
    to the input is the product J = W_1 D_1 W_2 D_2 ··· W_L D_L with D_ℓ = diag(g_ℓ'(z_ℓ)),
    so ``J[..., i, j] = ∂a_L[j] / ∂x[i]``; its singular values are those of the column-
    convention Jacobian Jᵀ.

    Parameters
    ----------
    net : MLP
        One network or a population of K.
    X : array (N, d) or (K, N, d)

    Returns
    -------
    J : array (N, d, n_L), or (K, N, d, n_L) for a population
    """
    zs, activations = net.forward_pass(X)
    X = activations[0]
    J = np.broadcast_to(np.eye(net.sizes[0], dtype=net.dtype), X.shape + (X.shape[-1],))
    if net.population is not None and J.ndim == 3:   # shared inputs: one copy per member
        J = np.broadcast_to(J, (net.population,) + J.shape)
    for l in range(net.L):
        W = net.weights[l][..., None, :, :]           # same W for every sample
        g = net.activation_of(l + 1)
        J = np.matmul(J, W) * g.derivative(zs[l], activations[l + 1])[..., None, :]
    return J


def jacobian_singular_values(net, X):
    r"""Singular values of `input_output_jacobian` (net, X), largest first.

    Returns
    -------
    array (N, min(d, n_L)), or (K, N, min(d, n_L)) for a population
    """
    return np.linalg.svd(input_output_jacobian(net, X), compute_uv=False)


def log_spread(singular_values, floor=1e-12):
    r"""The spread of a spectrum on a log scale: the standard deviation of log₁₀ s.

    0 when every singular value is equal (an isometry up to scale); 1 when they typically
    differ from their geometric mean by a factor of 10.  Values below `floor` times the
    largest (numerically zero: ReLU networks have exactly singular Jacobians) are set to
    that floor, so the statistic stays finite and is a lower bound there.

    Parameters
    ----------
    singular_values : array (..., n)
        Spectra along the last axis.
    floor : float in (0, 1)

    Returns
    -------
    array (...) : one spread per spectrum
    """
    s = _non_negative("singular_values", singular_values)
    floor = _checks.positive_number("floor", floor)
    if s.ndim == 0 or s.shape[-1] == 0:
        raise ValueError(f"singular_values must have a last axis holding a spectrum, got shape "
                         f"{s.shape}")
    top = s.max(axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.log10(np.maximum(s, floor * top))
    out = np.nan_to_num(logs, nan=0.0).std(axis=-1)
    return float(out) if out.ndim == 0 else out
