"""Small checks shared by the public functions.

Every public entry point validates its arguments here, so a mistake is reported
where it was made, with a message that names the bad value and says what is
allowed.  The training loop itself runs unchecked.
"""

import numbers

import numpy as np


def unknown_name(kind, name, allowed):
    """The ValueError for an unknown name, listing the allowed ones."""
    return ValueError(
        f"unknown {kind} {name!r}; allowed names are: {', '.join(allowed)}"
    )


def positive_int(name, value):
    """Return `value` as an int, or raise unless it is an integer >= 1."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer (>= 1), got {value!r}")
    return int(value)


def positive_number(name, value):
    """Return `value` as a float, or raise unless it is finite and > 0."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return float(value)


def non_negative_number(name, value):
    """Return `value` as a float, or raise unless it is finite and >= 0."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number >= 0, got {value!r}")
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return float(value)


def dropout_rate(value):
    """Return the dropout probability, or raise unless 0 <= p < 1."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ValueError(f"dropout must be a number in [0, 1), got {value!r}")
    if not 0.0 <= value < 1.0:
        raise ValueError(
            f"dropout must be in [0, 1) (the probability of dropping a unit), got {value!r}"
        )
    return float(value)


def finite_array(name, value, dtype=np.float64):
    """Convert to an array of `dtype` and reject NaN or infinity."""
    try:
        array = np.asarray(value, dtype=dtype)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be numeric array-like: {error}") from None
    if not np.all(np.isfinite(array)):
        bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
        raise ValueError(
            f"{name} contains {bad} NaN or infinite value(s); clean or drop them first"
        )
    return array


def make_rng(seed, name="seed"):
    """A numpy Generator from an int seed (or pass a Generator through)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(
            f"{name} must be a non-negative integer or a numpy Generator, got {seed!r}"
        )
    return np.random.default_rng(int(seed))


def spawn_rngs(seed, n, name="seed"):
    """`n` independent Generators from an int seed or a Generator."""
    if isinstance(seed, np.random.Generator):
        return seed.spawn(n)
    make_rng(seed, name)  # validates
    return [np.random.default_rng(s) for s in np.random.SeedSequence(int(seed)).spawn(n)]


def per_layer(name, value, n_layers, check=positive_number):
    """A list with one checked value per layer from a scalar or a sequence."""
    if isinstance(value, (list, tuple, np.ndarray)):
        values = list(np.ravel(value)) if isinstance(value, np.ndarray) else list(value)
        if len(values) != n_layers:
            raise ValueError(
                f"{name} has {len(values)} entries but the network has {n_layers} "
                f"weight layers; give one value per layer or a single number"
            )
        return [check(f"{name}[{i}]", v) for i, v in enumerate(values)]
    return [check(name, value)] * n_layers
