r"""Summaries over a population: when a curve first crosses a level, paired
comparisons, and the two fits the book uses (a log law and a power law).

Every function here takes plain arrays (a `History.loss`, per-member results), so
the experiments of any chapter can use them.
"""

from dataclasses import dataclass

import numpy as np

from . import _checks

__all__ = ["first_step_where", "first_step_below", "PairedDifference", "paired_difference", "fit_log_law",
           "power_law_exponent", "wilson_interval"]


def first_step_where(mask):
    r"""First index t along axis 0 where ``mask[t]`` is True; −1 where it never is.

    Parameters
    ----------
    mask : bool array (T + 1, ...)

    Returns
    -------
    int, or int64 array of shape ``mask.shape[1:]``
    """
    mask = _checks.numeric_array("mask", mask, bool)
    if mask.ndim < 1 or mask.shape[0] == 0:
        raise ValueError(f"mask must have a step axis first, got shape {mask.shape}")
    steps = np.where(mask.any(axis=0), np.argmax(mask, axis=0), -1).astype(np.int64)
    return int(steps) if steps.ndim == 0 else steps


def first_step_below(values, threshold, inclusive=False):
    r"""First step t (along axis 0) at which ``values[t] < threshold``; −1 where never.

    Parameters
    ----------
    values : array (T + 1, ...)
        Curves with the step axis first, e.g. `History.loss` of shape
        (steps + 1,) or (steps + 1, K).  NaN (a diverged member) never counts.
    threshold : float or array broadcastable to ``values.shape[1:]``
    inclusive : bool, default False
        True counts ``values[t] <= threshold`` as below.

    Returns
    -------
    int, or int array of shape ``values.shape[1:]``
    """
    values = _checks.numeric_array("values", values)
    if values.ndim < 1 or values.shape[0] == 0:
        raise ValueError(f"values must have a step axis first, e.g. shape (steps + 1,) or "
                         f"(steps + 1, K); got shape {values.shape}")
    return first_step_where(values <= threshold if inclusive else values < threshold)


@dataclass
class PairedDifference:
    """Summary of the paired differences d_k = a_k − b_k over K members.

    Attributes
    ----------
    mean, std_error : float
        Mean of d and its standard error std(d)/√K.
    ci_low, ci_high : float
        Normal-approximation 95 % interval, mean ± 1.96 · std_error.
    p_value : float
        Two-sided sign-flip permutation test of "mean d = 0".
    n : int
        K.
    """

    mean: float
    std_error: float
    ci_low: float
    ci_high: float
    p_value: float
    n: int


def paired_difference(a, b, n_permutations=10000, seed=0):
    r"""Compare two paired samples, e.g. the final losses of K networks that
    share their weights and differ only in their biases.

    The p-value flips the sign of each d_k at random (`n_permutations` times)
    and counts how often |mean| is at least the observed one.

    Returns
    -------
    PairedDifference
    """
    a = _checks.finite_array("a", a)
    b = _checks.finite_array("b", b)
    if a.ndim != 1 or a.shape != b.shape or a.size < 2:
        raise ValueError(f"a and b must be 1-D of the same length >= 2, got shapes {a.shape} and {b.shape}")
    n_permutations = _checks.positive_int("n_permutations", n_permutations)
    d = a - b
    K = d.size
    mean = float(d.mean())
    se = float(d.std(ddof=1) / np.sqrt(K))
    signs = _checks.make_rng(seed).choice([-1.0, 1.0], size=(n_permutations, K))
    null = np.abs((signs * d).mean(axis=1))
    p = float((np.sum(null >= abs(mean) - 1e-15) + 1) / (n_permutations + 1))
    return PairedDifference(mean, se, mean - 1.96 * se, mean + 1.96 * se, p, K)


def _scales(epsilons):
    eps = np.atleast_1d(_checks.numeric_array("epsilons", epsilons))
    if eps.ndim != 1 or eps.size == 0 or not np.all(np.isfinite(eps)) or np.any(eps <= 0):
        raise ValueError(f"epsilons must be a non-empty list of finite numbers > 0, got {epsilons!r}")
    return eps


def fit_log_law(epsilons, steps):
    r"""Least-squares fit steps ≈ a + b·ln(1/ε); entries < 0 (no escape) or NaN are ignored.

    Parameters
    ----------
    epsilons : array (E,)
        Initial scales ε > 0.
    steps : array (E,) or (E, K)
        Steps measured at each ε (per member).

    Returns
    -------
    a, b : float
        b is the number of steps per e-fold of 1/ε (b·ln 10 per decade).
    """
    eps = _scales(epsilons)
    steps = _checks.numeric_array("steps", steps)
    if steps.ndim == 0 or steps.shape[0] != eps.size:
        raise ValueError(f"steps has {steps.shape[0]} rows but there are {eps.size} epsilons")
    x = np.broadcast_to(np.log(1 / eps).reshape((-1,) + (1,) * (steps.ndim - 1)), steps.shape)
    ok = np.isfinite(steps) & (steps >= 0)
    if len(np.unique(x[ok])) < 2:
        raise ValueError("fit_log_law needs escapes at two or more different epsilons")
    b, a = np.polyfit(x[ok], steps[ok], 1)
    return float(a), float(b)


def power_law_exponent(epsilons, steps):
    r"""Slope of ln(steps) against ln(1/ε) (least squares), ignoring entries < 1 or NaN.

    Parameters
    ----------
    epsilons, steps : arrays (E,)

    Returns
    -------
    float
    """
    eps = _scales(epsilons)
    steps = _checks.numeric_array("steps", steps)
    if steps.shape != eps.shape:
        raise ValueError(f"steps has shape {steps.shape}, expected {eps.shape}")
    ok = np.isfinite(steps) & (steps >= 1)
    if ok.sum() < 2:
        raise ValueError("power_law_exponent needs at least two escapes")
    return float(np.polyfit(np.log(1 / eps[ok]), np.log(steps[ok]), 1)[0])


def wilson_interval(successes, trials, z: float = 1.96):
    r"""Wilson score interval for a binomial proportion (95 % for z = 1.96).

    Better than p̂ ± z·√(p̂(1 − p̂)/n) near 0 and 1, where that interval collapses to a point.

    Parameters
    ----------
    successes, trials : int or int arrays (broadcast together)

    Returns
    -------
    low, high : arrays, the interval for successes / trials
    """
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    if np.any(n < 1) or np.any(k < 0) or np.any(k > n):
        raise ValueError(f"need 0 <= successes <= trials and trials >= 1, got successes="
                         f"{successes!r}, trials={trials!r}")
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half
