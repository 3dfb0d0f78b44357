"""Property-based contract over the public API (issue 15).

For every public function below and every one of its arguments, hypothesis generates bad
values of the argument's kind (wrong shape, wrong dtype, non-finite, out of range, wrong type,
unknown name) and substitutes them into an otherwise valid call.  The contract: the call either
raises ``ValueError`` whose message names the argument, or returns a result in which every
NaN is flagged (a diverged member, a broken member); never another exception type, never a
silent NaN, never a warning (this module turns every warning into an error).
"""

from __future__ import annotations

import collections
import math
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import initlab as il
from initlab import variance

pytestmark = pytest.mark.filterwarnings("error")

X, Y = il.moons(n=24, seed=0)
XR = np.random.default_rng(0).normal(size=(16, 2))
YR = XR[:, :1] ** 2
OUTCOMES = collections.Counter()

# ---------------------------------------------------------------- bad values by kind
NONFINITE = st.sampled_from([math.nan, math.inf, -math.inf])
WRONG_TYPE = st.sampled_from([None, "3", [1, 2], {"a": 1}, 1j, object(), b"x"])


def bad_array(shape):
    wrong_shapes = st.sampled_from([(), (3,), shape[:-1] + (shape[-1] + 1,), (shape[0] + 5,)
                                    + shape[1:], shape + (2,)])
    return st.one_of(
        WRONG_TYPE,
        st.just(il.MLP([2, 3, 1])),                                    # arguments swapped
        wrong_shapes.map(lambda s: np.zeros(s)),
        NONFINITE.map(lambda v: np.full(shape, v)),
        st.just(np.full(shape, 1.0) + 1j),
        st.just(np.full(shape, "a")),
    )


KINDS = {
    "count": st.one_of(st.integers(-10, 0), st.floats(-5, 5).filter(lambda v: v != int(v)),
                       NONFINITE, WRONG_TYPE, st.just(True)),
    "positive": st.one_of(st.floats(-1e3, 0.0), NONFINITE, WRONG_TYPE, st.just(True)),
    "nonnegative": st.one_of(st.floats(-1e3, -1e-9), NONFINITE, WRONG_TYPE),
    "huge": st.floats(1e100, 1e300),                               # valid but diverging
    "rate": st.one_of(st.floats(-5, -1e-9), st.floats(1.0, 5), NONFINITE, WRONG_TYPE),
    "name": st.one_of(st.text(min_size=1, max_size=8).filter(
        lambda s: s not in il.ACTIVATIONS + il.LOSSES + il.OPTIMIZERS + il.INITIALIZERS),
        st.integers(), st.just(None), st.just(1.5)),
    "init": st.one_of(st.sampled_from([il.normal, il.uniform, il.constant, il.orthogonal,
                                       "kaiming", 3, None, 2.5])),
    "seed": st.one_of(st.integers(-100, -1), st.floats(0.5, 3.5), st.sampled_from(["0", None, 1j])),
    "dtype": st.sampled_from(["foo", np.int64, int, bool, "U3", None, np.complex128]),
    "net": st.one_of(WRONG_TYPE, st.just(np.zeros((4, 2)))),
    "sizes": st.one_of(st.just([2]), st.just([2, 0, 1]), st.just([2, -1, 1]), st.just([2, 2.5, 1]),
                       st.just("2,3,1"), st.just([2, None, 1]), st.just(None), st.just(5)),
}


def net():
    return il.MLP([2, 3, 1], seed=0)


def pop():
    return il.MLP([2, 3, 1], population=2, seed=0)


# --------------------------------------------------------------- the calls and kinds
# name: (function, valid keyword arguments (fresh each call), {argument: kind or strategy},
#        names the message may use for the argument)
API = {
    "MLP": (il.MLP, lambda: dict(sizes=[2, 3, 1], activation="tanh", output="identity",
                                 weight_init="glorot_normal", bias_init="zeros",
                                 population=None, seed=0, dtype=np.float64),
            {"sizes": "sizes", "activation": "name", "output": "name", "weight_init": "init",
             "bias_init": "init", "population": "count", "seed": "seed", "dtype": "dtype"}),
    "train": (il.train, lambda: dict(net=pop(), X=X, y=Y, loss="bce", optimizer="sgd", lr=0.1,
                                     steps=3, batch_size=None, seed=0, dropout=0.0,
                                     snapshot_every=None),
              {"net": "net", "X": bad_array((24, 2)), "y": bad_array((24,)), "loss": "name",
               "optimizer": "name", "lr": st.one_of(KINDS["positive"], KINDS["huge"]),
               "steps": "count", "batch_size": st.one_of(KINDS["count"], st.just(10 ** 6)),
               "seed": "seed", "dropout": "rate", "snapshot_every": "count"}),
    "MLP.loss": (lambda net, X, y, loss: net.loss(X, y, loss),
                 lambda: dict(net=pop(), X=X, y=Y, loss="bce"),
                 {"X": bad_array((24, 2)), "y": bad_array((24,)), "loss": "name"}),
    "MLP.forward": (lambda net, X: net.forward(X), lambda: dict(net=net(), X=X),
                    {"X": bad_array((24, 2))}),
    "MLP.predict": (lambda net, X: net.predict(X), lambda: dict(net=pop(), X=X),
                    {"X": bad_array((24, 2))}),
    "MLP.member": (lambda net, k: net.member(k), lambda: dict(net=pop(), k=0),
                   {"k": st.one_of(st.integers(2, 100), st.integers(-100, -3), WRONG_TYPE)}),
    "accuracy": (il.accuracy, lambda: dict(net=pop(), X=X, y=Y, loss="bce"),
                 {"net": "net", "X": bad_array((24, 2)), "y": bad_array((24,)), "loss": "name"}),
    "distinct_units": (il.distinct_units, lambda: dict(W=np.ones((2, 3)), b=None, atol=0.0),
                       {"W": bad_array((2, 3)), "atol": "nonnegative"}),
    "unit_gap": (il.unit_gap, lambda: dict(W=np.ones((2, 3)), b=np.zeros(3)),
                 {"W": bad_array((2, 3)), "b": bad_array((3,))}),
    "layer_statistics": (il.layer_statistics, lambda: dict(net=net(), X=XR, y=YR, loss="mse"),
                         {"net": "net", "X": bad_array((16, 2)), "y": bad_array((16, 1)),
                          "loss": "name"}),
    "hessian": (il.hessian, lambda: dict(net=net(), X=XR, y=YR, loss="mse", eps=1e-5),
                {"net": "net", "X": bad_array((16, 2)), "eps": st.one_of(
                    KINDS["positive"], st.floats(1e-30, 1e-9), st.floats(0.1, 10))}),
    "loss_surface": (il.loss_surface, lambda: dict(net=net(), X=XR, y=YR, loss="mse",
                                                   direction1=np.ones(13), direction2=np.ones(13),
                                                   span=1.0, n=3),
                     {"direction1": bad_array((13,)), "span": "positive", "n": "count"}),
    "set_flat_parameters": (il.set_flat_parameters, lambda: dict(net=net(), theta=np.zeros(13)),
                            {"net": "net", "theta": bad_array((13,))}),
    "constant": (il.constant, lambda: dict(c=0.5), {"c": st.one_of(NONFINITE, WRONG_TYPE)}),
    "normal": (il.normal, lambda: dict(std=0.1), {"std": "nonnegative"}),
    "uniform": (il.uniform, lambda: dict(limit=0.1), {"limit": "nonnegative"}),
    "orthogonal": (il.orthogonal, lambda: dict(gain=1.0), {"gain": "nonnegative"}),
    "gain_normal": (il.gain_normal, lambda: dict(gain=1.0), {"gain": st.one_of(
        st.floats(-5, -1e-9), NONFINITE, st.just([]), st.just([[1.0]]))}),
    "sgd": (il.sgd, lambda: dict(lr=0.1), {"lr": "positive"}),
    "momentum": (il.momentum, lambda: dict(lr=0.1, beta=0.9), {"lr": "positive", "beta": "rate"}),
    "adam": (il.adam, lambda: dict(lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8),
             {"lr": "positive", "beta1": "rate", "beta2": "rate", "eps": "positive"}),
    "circles": (il.circles, lambda: dict(n=20, noise=0.1, seed=0, factor=0.5),
                {"n": "count", "noise": "nonnegative", "seed": "seed",
                 "factor": st.one_of(KINDS["rate"], st.just(0.0))}),
    "moons": (il.moons, lambda: dict(n=20, noise=0.1, seed=0),
              {"n": "count", "noise": "nonnegative", "seed": "seed"}),
    "spirals": (il.spirals, lambda: dict(n=20, turns=1.5, noise=0.05, seed=0),
                {"n": "count", "turns": "positive", "noise": "nonnegative", "seed": "seed"}),
    "blobs": (il.blobs, lambda: dict(n=20, classes=3, dim=2, seed=0, spread=1.0),
              {"n": "count", "classes": "count", "dim": "count", "seed": "seed",
               "spread": "nonnegative"}),
    "two_moons": (il.two_moons, lambda: dict(n=20, positive_fraction=0.3, noise=0.1, seed=0),
                  {"n": "count", "positive_fraction": "rate", "seed": "seed"}),
    "standardize": (il.standardize, lambda: dict(X=XR), {"X": bad_array((16, 2))}),
    "first_step_below": (il.first_step_below, lambda: dict(values=np.ones((4, 2)), threshold=0.5),
                         {"values": st.one_of(WRONG_TYPE, st.just(np.zeros((0, 2))))}),
    "paired_difference": (il.paired_difference, lambda: dict(a=np.arange(5.0), b=np.ones(5),
                                                             n_permutations=100, seed=0),
                          {"a": bad_array((5,)), "n_permutations": "count", "seed": "seed"}),
    "get_activation": (il.get_activation, lambda: dict(activation="tanh"), {"activation": "name"}),
    "get_loss": (il.get_loss, lambda: dict(loss="mse"), {"loss": "name"}),
    "get_optimizer": (il.get_optimizer, lambda: dict(optimizer="sgd", lr=0.1),
                      {"optimizer": "name", "lr": "positive"}),
    "gaussian_second_moment": (variance.gaussian_second_moment,
                               lambda: dict(activation="tanh", variance=1.0),
                               {"activation": "name", "variance": "nonnegative"}),
    "recommended_std": (variance.recommended_std, lambda: dict(activation="relu", fan_in=16),
                        {"activation": "name", "fan_in": st.one_of(st.integers(-5, 0),
                                                                   st.just(2.5), st.just(None))}),
}
ALIASES = {"weight_init": ("weight_init", "initializer"), "bias_init": ("bias_init", "initializer"),
           "activation": ("activation",), "output": ("activation", "output"),
           "optimizer": ("optimizer",), "loss": ("loss",), "net": ("net",),
           "values": ("values",), "k": ("k=", "member index"), "W": ("W", "distinct_units")}
CASES = [(name, arg) for name, (_, _, kinds) in API.items() for arg in kinds]


def flagged_or_finite(result):
    """Every NaN of a result is flagged: diverged members of a History, broken members."""
    if isinstance(result, il.History):
        diverged = np.asarray(result.diverged)
        rows = np.isnan(result.loss)
        if rows.ndim == 1:
            return not rows.any() or bool(diverged)
        return np.all(~rows.any(axis=0) | diverged)
    if isinstance(result, il.MLP):
        return np.all(result.finite_members()) if result.population else result.finite_members()
    if isinstance(result, (list, tuple)):
        return all(flagged_or_finite(r) for r in result)
    if isinstance(result, (float, np.floating, np.ndarray)) and np.asarray(result).dtype.kind == "f":
        return bool(np.all(np.isfinite(result)))
    return True


@pytest.mark.parametrize("name, arg", CASES, ids=[f"{n}-{a}" for n, a in CASES])
@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_bad_argument_is_refused_by_name_or_flagged(name, arg, data):
    function, valid, kinds = API[name]
    kind = kinds[arg]
    strategy = KINDS[kind] if isinstance(kind, str) else kind
    kwargs = valid()
    kwargs[arg] = data.draw(strategy, label=arg)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            result = function(**kwargs)
    except ValueError as error:
        names = ALIASES.get(arg, (arg,))
        assert any(n in str(error) for n in names), \
            f"{name}({arg}={kwargs[arg]!r}): the message does not name {arg!r}: {error}"
        OUTCOMES["ValueError naming the argument"] += 1
        return
    assert flagged_or_finite(result), f"{name}({arg}={kwargs[arg]!r}) returned an unflagged NaN"
    OUTCOMES["accepted, result finite or flagged"] += 1


def test_report_the_contract_counts():
    """Printed with ``-s``: how many bad inputs the contract generated and how they ended."""
    print(f"\ncontract: {sum(OUTCOMES.values())} generated bad-input calls over {len(CASES)} "
          f"(function, argument) pairs: {dict(OUTCOMES)}")
    assert sum(OUTCOMES.values()) >= len(CASES) or not OUTCOMES
