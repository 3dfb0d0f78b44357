"""Small checks shared by the public functions: one line per argument.

Every public entry point validates its arguments here, so a mistake is reported
where it was made, with a message that names the argument, the bad value and what
to pass instead.  Every error is a ``ValueError`` (also for a value of the wrong
type: a student reads "what should I pass", not Python's type hierarchy).  The
training loop itself runs unchecked.
"""

import numbers

import numpy as np


def _quoted(name):
    text = str(name)
    return repr(text) if ("," in text or " " in text) else text


def unknown_name(kind, name, allowed, hint=""):
    """The ValueError for an unknown name, listing the allowed ones (quoted when a name has a
    comma or a space, so that the list cannot be misread)."""
    extra = f", or {hint}" if hint else ""
    return ValueError(
        f"unknown {kind} {name!r}; allowed names are: {', '.join(map(_quoted, allowed))}{extra}"
    )


def one_of(name, value, allowed):
    """Return `value` if it is one of `allowed`, else raise naming the allowed values."""
    if not isinstance(value, str) or value not in allowed:
        raise unknown_name(name, value, allowed)
    return value


def instance(name, value, cls, example):
    """Return `value` if it is a `cls`, else raise saying what to pass (e.g. argument order)."""
    if not isinstance(value, cls):
        raise ValueError(f"{name} must be {example}, got {type(value).__name__} {_short(value)}")
    return value


def network(function, net):
    """Return `net` if it is an initlab network, else raise naming the call's argument order."""
    if not (hasattr(net, "weights") and hasattr(net, "loss_and_gradients") and hasattr(net, "sizes")):
        raise ValueError(f"{function} takes the network first: net must be an initlab MLP, "
                         f"got {type(net).__name__} {_short(net)}")
    return net


def _short(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def real_number(name, value, low=-np.inf, high=np.inf, low_open=False, high_open=False):
    """Return `value` as a float, or raise unless it is a finite real number in the range."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a real number, got {_short(value)}")
    value = float(value)
    too_low = value <= low if low_open else value < low
    too_high = value >= high if high_open else value > high
    if not np.isfinite(value) or too_low or too_high:
        left, right = "(" if low_open else "[", ")" if high_open else "]"
        raise ValueError(f"{name} must be a finite number in {left}{low:g}, {high:g}{right}, "
                         f"got {value!r}")
    return value


def positive_int(name, value):
    """Return `value` as an int, or raise unless it is an integer >= 1."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer (>= 1), got {value!r}")
    return int(value)


def positive_number(name, value):
    """Return `value` as a float, or raise unless it is finite and > 0."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return float(value)


def non_negative_number(name, value):
    """Return `value` as a float, or raise unless it is finite and >= 0."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
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


def numeric_array(name, value, dtype=np.float64):
    """Convert to an array of `dtype`; NaN and infinity are allowed (e.g. a diverged member's
    loss), None, complex and non-numeric values are not."""
    if value is None:
        raise ValueError(f"{name} is None; pass an array of numbers")
    if np.iscomplexobj(value):
        raise ValueError(f"{name} has complex values; pass real numbers (e.g. {name}.real)")
    try:
        return np.asarray(value, dtype=dtype)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be numeric array-like: {error}") from None


def finite_array(name, value, dtype=np.float64):
    """Convert to an array of `dtype` and reject None, complex or non-numeric values, NaN and
    infinity."""
    if value is None:
        raise ValueError(f"{name} is None; pass an array of numbers")
    if hasattr(value, "weights") and hasattr(value, "loss_and_gradients"):
        raise ValueError(f"{name} must be an array, got a network ({_short(value)}); "
                         f"check the order of the arguments")
    if np.iscomplexobj(value):
        raise ValueError(f"{name} has complex values; pass real numbers (e.g. {name}.real)")
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


def float_dtype(dtype):
    """numpy dtype `dtype`, or raise unless it is a float type."""
    try:
        result = np.dtype(dtype)
    except TypeError:
        result = None
    if result is None or result.kind != "f":
        raise ValueError(f"dtype must be a float type such as numpy.float64 or numpy.float32, "
                         f"got {dtype!r}")
    return result


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
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, (list, tuple, np.ndarray)):
        values = list(np.ravel(value)) if isinstance(value, np.ndarray) else list(value)
        if len(values) != n_layers:
            raise ValueError(
                f"{name} has {len(values)} entries but the network has {n_layers} "
                f"weight layers; give one value per layer or a single number"
            )
        return [check(f"{name}[{i}]", v) for i, v in enumerate(values)]
    return [check(name, value)] * n_layers


# ------------------------------------------------------------- network arguments
def network_inputs(X, d, population, dtype):
    """X as an array of `dtype`, shape (N, d), or (K, N, d) for a population of K."""
    X = finite_array("X", X, dtype)
    if X.ndim == 2 and X.shape[1] == d:
        pass
    elif X.ndim == 3 and population is not None and X.shape[0] == population and X.shape[2] == d:
        pass
    else:
        allowed = f"(N, {d})" if population is None else \
            f"(N, {d}) shared by all members or ({population}, N, {d})"
        raise ValueError(f"X has shape {X.shape}; this network expects {allowed}")
    if X.shape[-2] == 0:
        raise ValueError("X has no rows (N = 0)")
    return X


def network_targets(y, X, loss, n_outputs, population, output_name, dtype):
    """Targets y for inputs X (already checked) brought to the output's shape by `loss`."""
    if loss.needs_logits and output_name != "identity":
        raise ValueError(
            f"loss {loss.name!r} takes logits, so the output layer must be 'identity' "
            f"(the sigmoid/softmax is inside the loss); this network has output={output_name!r}"
        )
    y = finite_array("y", y, np.float64)
    leads = [X.shape[:-1]]
    if population is not None and X.ndim == 2:
        leads.append((population,) + X.shape[:-1])  # shared X, targets per member
    matches = [(lead, y.shape == lead) for lead in leads
               if y.shape in (lead, lead + (n_outputs,))]
    if not matches:
        allowed = " or ".join(f"{lead} or {lead + (n_outputs,)}" for lead in leads)
        raise ValueError(f"y has shape {y.shape} but X has shape {X.shape}: y needs "
                         f"{X.shape[-2]} rows (one per sample), shape {allowed}")
    if len({m[1] for m in matches}) > 1 and n_outputs > 1:
        raise ValueError(
            f"y of shape {y.shape} is ambiguous: with K = N = {X.shape[-2]} and {n_outputs} "
            f"outputs it could be one row of targets per sample or one label per member and "
            f"sample; give per-member targets with their own axis, shape "
            f"{(population,) + X.shape[:-1] + (n_outputs,)}")
    per_sample = matches[0][1]
    return np.asarray(loss.targets(y, n_outputs, per_sample), dtype=dtype)


def dropout_and_rng(dropout, rng):
    """The dropout rate and, when it is > 0, the Generator that draws the masks."""
    dropout = dropout_rate(dropout)
    if dropout > 0:
        if rng is None:
            raise ValueError(
                f"dropout={dropout} needs random masks: pass rng=np.random.default_rng(seed)"
            )
        rng = make_rng(rng, "rng")
    return dropout, rng
