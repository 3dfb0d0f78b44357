r"""Small data sets, all seeded: ``X, y = dataset(..., seed=0)``.

X is float64 of shape (N, d).  Classification sets return integer labels
y of shape (N,) in 0..C−1 (what `bce` and `softmax_ce` take); regression sets
return float targets of shape (N, 1) (what `mse` takes).
"""

import numpy as np

from . import _checks


def xor(coding="pm1", target=None):
    r"""The four XOR points.  Output 1 ("true") when the two inputs differ.

    Parameters
    ----------
    coding : {"pm1", "01"}
        Inputs in {−1, +1} or in {0, 1}.
    target : {"pm1", "01", "labels"}, optional
        "pm1" / "01": float targets (4, 1) in that coding, for mse (a sigmoid
        output needs "01").  "labels": integer labels (4,) in {0, 1}, for bce.
        Default: the same coding as the inputs.

    With ±1 coding the target is −x₁x₂: uncorrelated with each input, so a
    network at zero weights sees no first-order signal (chapter 6).
    """
    codings = ("pm1", "01")
    if coding not in codings:
        raise _checks.unknown_name("coding", coding, codings)
    target = coding if target is None else target
    if target not in codings + ("labels",):
        raise _checks.unknown_name("target", target, codings + ("labels",))
    bits = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    labels = bits[:, 0] ^ bits[:, 1]
    X = (2.0 * bits - 1.0) if coding == "pm1" else bits.astype(float)
    if target == "labels":
        return X, labels.astype(np.int64)
    y = (2.0 * labels - 1.0) if target == "pm1" else labels.astype(float)
    return X, y[:, None]


def _split(n, classes):
    """Class sizes as equal as possible, summing to n."""
    return [n // classes + (c < n % classes) for c in range(classes)]


def _shuffled(rng, X, y):
    order = rng.permutation(len(y))
    return X[order], y[order]


def circles(n=200, noise=0.1, seed=0, factor=0.5):
    """Two concentric circles: label 0 on the unit circle, 1 on radius `factor` (0 < factor < 1)."""
    n = _checks.positive_int("n", n)
    factor = _checks.real_number("factor", factor, 0.0, 1.0, low_open=True, high_open=True)
    noise = _checks.non_negative_number("noise", noise)
    rng = _checks.make_rng(seed)
    n_outer, n_inner = _split(n, 2)
    angle = rng.uniform(0, 2 * np.pi, n)
    radius = np.r_[np.ones(n_outer), np.full(n_inner, factor)]
    X = radius[:, None] * np.c_[np.cos(angle), np.sin(angle)] + noise * rng.standard_normal((n, 2))
    y = np.r_[np.zeros(n_outer), np.ones(n_inner)].astype(np.int64)
    return _shuffled(rng, X, y)


def moons(n=200, noise=0.1, seed=0):
    """Two interleaving half circles (the 'two moons'), labels 0 and 1."""
    n = _checks.positive_int("n", n)
    noise = _checks.non_negative_number("noise", noise)
    rng = _checks.make_rng(seed)
    n0, n1 = _split(n, 2)
    t0, t1 = rng.uniform(0, np.pi, n0), rng.uniform(0, np.pi, n1)
    upper = np.c_[np.cos(t0), np.sin(t0)]
    lower = np.c_[1 - np.cos(t1), 0.5 - np.sin(t1)]
    X = np.r_[upper, lower] + noise * rng.standard_normal((n, 2))
    y = np.r_[np.zeros(n0), np.ones(n1)].astype(np.int64)
    return _shuffled(rng, X, y)


def spirals(n=200, turns=1.5, noise=0.05, seed=0):
    """Two interleaved spirals of `turns` turns each, labels 0 and 1 (radius ≤ 1)."""
    n = _checks.positive_int("n", n)
    turns = _checks.positive_number("turns", turns)
    noise = _checks.non_negative_number("noise", noise)
    rng = _checks.make_rng(seed)
    sizes = _split(n, 2)
    parts = []
    for label, size in enumerate(sizes):
        r = np.sqrt(rng.uniform(0, 1, size))  # uniform density along the arm
        angle = 2 * np.pi * turns * r + np.pi * label  # second arm rotated by π
        parts.append(r[:, None] * np.c_[np.cos(angle), np.sin(angle)])
    X = np.concatenate(parts) + noise * rng.standard_normal((n, 2))
    y = np.repeat(np.arange(2), sizes).astype(np.int64)
    return _shuffled(rng, X, y)


def blobs(n=300, classes=3, dim=2, seed=0, spread=1.0):
    """Gaussian blobs: class centres uniform in [−5, 5]^dim, points N(centre, spread²).

    Returns X (n, dim) and labels y (n,) in 0..classes−1, balanced.
    """
    n = _checks.positive_int("n", n)
    classes = _checks.positive_int("classes", classes)
    if n < classes:
        raise ValueError(f"blobs(n={n}, classes={classes}) cannot give every class a sample: "
                         f"use n >= classes")
    dim = _checks.positive_int("dim", dim)
    spread = _checks.non_negative_number("spread", spread)
    rng = _checks.make_rng(seed)
    centres = rng.uniform(-5, 5, (classes, dim))
    y = np.repeat(np.arange(classes), _split(n, classes)).astype(np.int64)
    X = centres[y] + spread * rng.standard_normal((n, dim))
    return _shuffled(rng, X, y)


def teacher_regression(n=200, d=2, hidden=4, seed=0, noise=0.0):
    r"""Regression targets from a random one-hidden-layer tanh teacher.

    X ~ N(0, I) of shape (n, d);  y = tanh(X V + c) w + noise·ε, shape (n, 1),
    with V ~ N(0, 1/d) (d, hidden), c ~ N(0, 0.1²), w ~ N(0, 1/hidden).
    tanh is nearly linear near 0, so y has a linear part X V w that correlates
    with the inputs: at zero weights, a student network feels a first-order
    pull (the negative curvature of chapter 2).
    """
    n = _checks.positive_int("n", n)
    d = _checks.positive_int("d", d)
    hidden = _checks.positive_int("hidden", hidden)
    noise = _checks.non_negative_number("noise", noise)
    rng = _checks.make_rng(seed)
    X = rng.standard_normal((n, d))
    V = rng.standard_normal((d, hidden)) / np.sqrt(d)
    c = 0.1 * rng.standard_normal(hidden)
    w = rng.standard_normal((hidden, 1)) / np.sqrt(hidden)
    y = np.tanh(X @ V + c) @ w + noise * rng.standard_normal((n, 1))
    return X, y


def standardize(X):
    """Zero mean and unit variance per feature (LeCun's normalised inputs).

    Constant features are centred and left unscaled.  Returns a new array.
    """
    X = _checks.finite_array("X", X)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (N, d), got shape {X.shape}")
    std = X.std(axis=0)
    return (X - X.mean(axis=0)) / np.where(std > 0, std, 1.0)


def two_moons(n=200, positive_fraction=0.5, noise=0.1, seed=0):
    """Standardised two-moons data with a chosen class balance.

    Draws ``moons(2 n)`` (n samples per class), keeps the first
    ``round(n · positive_fraction)`` samples of class 1 and the first
    ``n − that`` of class 0 in their shuffled order, then standardises X.

    Parameters
    ----------
    n : int >= 2
        Number of samples kept.
    positive_fraction : float in (0, 1)
        Fraction π of class-1 samples (rounded to a count between 1 and n − 1).
    noise, seed
        As for `moons`.

    Returns
    -------
    X : array (n, 2)
        Zero mean and unit variance per feature.
    y : int array (n,)
        Labels in {0, 1}.
    """
    n = _checks.positive_int("n", n)
    if n < 2:
        raise ValueError(f"n must be at least 2 (one sample per class), got {n}")
    fraction = _checks.positive_number("positive_fraction", positive_fraction)
    if not fraction < 1:
        raise ValueError(f"positive_fraction must lie strictly between 0 and 1, got {positive_fraction!r}")
    n_pos = min(max(int(round(n * fraction)), 1), n - 1)
    X, y = moons(n=2 * n, noise=noise, seed=seed)
    keep = np.zeros(len(y), dtype=bool)
    keep[np.flatnonzero(y == 1)[:n_pos]] = True
    keep[np.flatnonzero(y == 0)[:n - n_pos]] = True
    return standardize(X[keep]), y[keep]


def scale_data(n=256, classes=10, dim=16, seed=0):
    """Standardised Gaussian blobs (LeCun's normalised inputs).

    Returns
    -------
    X : array (n, dim)
    y : int array (n,)
        Labels in 0..classes−1.
    """
    X, y = blobs(n=n, classes=classes, dim=dim, seed=seed)
    return standardize(X), y
