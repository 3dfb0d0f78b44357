"""Issue 15: bad input from a student gets a clear ValueError, never a silent NaN or a page of
warnings; divergence is flagged the same way everywhere.  One test (or a few) per numbered class
of the issue, each of which failed before the fix; the whole module runs with warnings as errors."""

import warnings

import numpy as np
import pytest

import initlab as il
from initlab import training

pytestmark = pytest.mark.filterwarnings("error")

X, Y = il.moons(n=60, seed=0)
XR = np.random.default_rng(0).normal(size=(40, 3))
YR = np.sin(XR[:, :1])


# 1. Warnings outside train -------------------------------------------------------------
def test_huge_weights_give_inf_or_nan_without_a_warning():
    net = il.MLP([3, 16, 16, 1], activation="relu", weight_init=il.normal(1e200))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = net.loss(XR, YR, "mse")
        stats = il.layer_statistics(net, XR, YR, "mse")
        out = net.forward(XR)
    assert not np.isfinite(value)
    assert not np.all(np.isfinite(out)) or np.abs(out).max() > 1e100
    assert len(stats) == 3


@pytest.mark.slow
@pytest.mark.parametrize("activation", ["relu", "identity"])
def test_the_scale_explorer_at_its_slider_limits_is_silent(activation):
    from initlab.widgets.scale import scale_view

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scale_view(activation=activation, gain=10, depth=50, train=True, train_steps=20)


def test_a_diverging_learning_rate_is_flagged_not_warned():
    net = il.MLP([3, 8, 1], population=2)
    history = il.train(net, XR, YR, lr=1e200, steps=5)
    assert np.all(history.diverged)


# 2. Optimizer objects keep no state between train calls --------------------------------
def test_reusing_an_optimizer_object_starts_afresh():
    opt = il.adam(0.05)
    first = il.train(il.MLP([2, 8, 1]), X, Y, loss="bce", optimizer=opt, steps=40)
    second = il.train(il.MLP([2, 8, 1]), X, Y, loss="bce", optimizer=opt, steps=40)
    fresh = il.train(il.MLP([2, 8, 1]), X, Y, loss="bce", optimizer=il.adam(0.05), steps=40)
    assert second.final_loss == first.final_loss == fresh.final_loss
    other_shape = il.train(il.MLP([2, 5, 5, 1]), X, Y, loss="bce", optimizer=opt, steps=3)
    assert np.isfinite(other_shape.final_loss)


# 3. Uncalled factories and wrong argument order ----------------------------------------
@pytest.mark.parametrize("call, match", [
    (lambda: il.MLP([2, 3, 1], weight_init=il.normal), r"weight_init=normal is a factory.*normal\(0.1\)"),
    (lambda: il.MLP([2, 3, 1], weight_init=il.orthogonal), r"orthogonal is a factory"),
    (lambda: il.MLP([2, 3, 1], bias_init=il.constant), r"bias_init=constant is a factory"),
    (lambda: il.train(il.MLP([2, 3, 1]), X, Y, optimizer=il.adam), r"optimizer=adam is a factory"),
    (lambda: il.train(X, Y, il.MLP([2, 3, 1])), r"train\(net, X, y.*network first.*ndarray"),
    (lambda: il.train(None, X, Y), r"network first.*NoneType"),
    (lambda: il.hessian(None, X, Y, "bce"), r"hessian.*network first"),
    (lambda: il.flatten_parameters(None), r"flatten_parameters.*network first"),
    (lambda: il.layer_statistics(X, Y, il.MLP([2, 3, 1]), "bce"), r"layer_statistics.*network first"),
    (lambda: il.accuracy(X, il.MLP([2, 3, 1]), Y, "bce"), r"accuracy.*network first"),
    (lambda: il.distinct_units(il.MLP([2, 3, 1])), r"one layer's parameters.*net.weights\[0\]"),
])
def test_uncalled_factories_and_swapped_arguments_are_named(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_saturated_accepts_an_activation_name():
    z = np.array([-5.0, 0.0, 5.0])
    assert il.saturated("tanh", z, np.tanh(z)).tolist() == [True, False, True]


# 4. NaN parameters ----------------------------------------------------------------------
def test_an_initializer_that_returns_nan_is_refused():
    bad = il.initializers.Initializer("bad", lambda shape, rng: np.full(shape, np.nan))
    with pytest.raises(ValueError, match=r"weight_init for layer 1 gave 6 NaN"):
        il.MLP([2, 3, 1], weight_init=bad)


def test_a_single_network_with_nan_parameters_is_refused_everywhere():
    net = il.MLP([2, 3, 1])
    net.weights[0][0, 0] = np.nan
    assert net.finite_members() is False
    for call in (lambda: net.forward(X), lambda: net.loss(X, Y, "bce"), lambda: net.predict(X),
                 lambda: il.accuracy(net, X, Y, "bce"), lambda: il.train(net, X, Y, loss="bce")):
        with pytest.raises(ValueError, match="NaN or infinite parameters"):
            call()


def test_a_broken_member_of_a_population_says_so():
    net = il.MLP([2, 3, 1], population=3)
    net.weights[0][1, 0, 0] = np.nan
    assert net.finite_members().tolist() == [True, False, True]
    acc = il.accuracy(net, X, Y, "bce")
    assert np.isnan(acc[1]) and np.all(np.isfinite(acc[[0, 2]]))
    labels = net.predict(X)
    assert np.all(labels[1] == -1) and set(np.unique(labels[0])) <= {0, 1}


# 5. Complex input -------------------------------------------------------------------------
def test_complex_input_is_refused():
    with pytest.raises(ValueError, match=r"X has complex values"):
        il.train(il.MLP([2, 3, 1]), X + 1j, Y, loss="bce")
    with pytest.raises(ValueError, match=r"y has complex values"):
        il.MLP([2, 3, 1]).loss(X, Y + 0j, "bce")


# 6. Misleading messages -------------------------------------------------------------------
def test_messages_say_what_is_wrong():
    with pytest.raises(ValueError, match=r"X is None"):
        il.train(il.MLP([2, 3, 1]), None, Y)
    assert il.sgd(np.array(0.1)).lr == 0.1
    with pytest.raises(ValueError) as info:
        il.get_loss("hinge")
    assert "mse, bce, softmax_ce" in str(info.value)
    from initlab.experiments import zero_start
    with pytest.raises(ValueError, match=r"'all zero', 'zero, random output layer'"):
        zero_start.zero_network([2, 3, 1], start="zero")


# 7. Silently accepted nonsense ----------------------------------------------------------------
@pytest.mark.parametrize("call, match", [
    (lambda net: il.loss_surface(net, X, Y, "bce", np.ones(13), np.ones(13), n=1), r"n must be at least 2"),
    (lambda net: il.loss_surface(net, X, Y, "bce", np.ones(13), np.ones(13), n=2.5), r"n must be a positive integer"),
    (lambda net: il.loss_surface(net, X, Y, "bce", np.ones(13), np.ones(13), span=np.nan), r"span"),
    (lambda net: il.loss_surface(net, X, Y, "bce", np.full(13, np.nan), np.ones(13)), r"direction1.*NaN"),
    (lambda net: il.circles(factor=np.nan), r"factor"),
    (lambda net: il.circles(factor=-1), r"factor"),
    (lambda net: il.circles(factor=1.0), r"factor"),
    (lambda net: il.blobs(n=2, classes=5), r"n >= classes"),
    (lambda net: il.hessian(net, X, Y, "bce", eps=np.nan), r"eps"),
    (lambda net: il.hessian(net, X, Y, "bce", eps=0.0), r"eps"),
    (lambda net: il.hessian(net, X, Y, "bce", eps=1e-20), r"eps"),
    (lambda net: il.constant(None), r"c must be a real number"),
    (lambda net: il.constant([1, 2]), r"c must be a real number"),
    (lambda net: il.constant(1j), r"c must be a real number"),
    (lambda net: il.MLP([2, 3, 1], dtype="foo"), r"dtype must be a float type"),
])
def test_nonsense_is_refused(call, match):
    with pytest.raises(ValueError, match=match):
        call(il.MLP([2, 3, 1]))


def test_softmax_targets_must_be_probability_rows():
    net = il.MLP([2, 3, 2])
    for rows in ([[2.0, -1.0]] * 60, [[0.0, 0.0]] * 60):
        with pytest.raises(ValueError, match="one-hot"):
            net.loss(X, np.array(rows), "softmax_ce")


def test_ambiguous_per_member_labels_are_refused():
    net = il.MLP([2, 3, 3], population=3)
    Xs = X[:3]
    with pytest.raises(ValueError, match="ambiguous"):
        net.loss(Xs, np.zeros((3, 3)), "softmax_ce")


def test_an_int_seed_works_as_rng():
    assert il.normal(1.0)((2, 2), 5).shape == (2, 2)


# 8. Resources ------------------------------------------------------------------------------
def test_a_huge_history_is_refused_before_it_is_allocated():
    net = il.MLP([2, 3, 1])
    with pytest.raises(ValueError, match=r"train would record [0-9.]+ GiB of history"):
        il.train(net, X, Y, steps=10 ** 9)
    population = il.MLP([2, 3, 1], population=10_000)
    with pytest.raises(ValueError, match=r"GiB"):
        il.train(population, X, Y, steps=100_000)


def test_history_cost_matches_what_is_recorded():
    net = il.MLP([2, 3, 1], population=4)
    history = il.train(net, X, Y, loss="bce", steps=10, snapshot_every=5)
    recorded = history.loss.nbytes + history.accuracy.nbytes + sum(
        p.nbytes for s in history.snapshots for p in s.weights + s.biases)
    assert training._history_bytes(net, 10, True, 5) >= recorded


def test_distinct_units_with_a_tolerance_is_fast_and_agrees_with_the_greedy_rule():
    import time
    rng = np.random.default_rng(0)
    W = rng.normal(size=(20, 2000))
    start = time.perf_counter()
    assert il.distinct_units(W, atol=1e-9) == 2000
    assert time.perf_counter() - start < 0.5  # was 5.8 s with a Python loop over all pairs
    tied = np.repeat(rng.normal(size=(5, 3)), [2, 1, 3], axis=1)
    tied[:, 1] += 1e-10
    assert il.distinct_units(tied, atol=1e-9) == 3 and il.distinct_units(tied) == 4


def test_distinct_units_with_a_tolerance_matches_the_greedy_definition():
    rng = np.random.default_rng(3)
    for _ in range(30):
        centres = rng.normal(size=(4, rng.integers(1, 4)))
        W = (centres[rng.integers(0, 4, size=12)] + 1e-3 * rng.normal(size=(12, centres.shape[1]))).T
        atol = float(rng.choice([1e-4, 2e-3, 1e-2, 1.0]))
        reps = []
        for row in W.T:  # the definition: a unit is new if farther than atol from every group
            if not any(np.max(np.abs(row - r)) <= atol for r in reps):
                reps.append(row)
        assert il.distinct_units(W, atol=atol) == len(reps)


def test_hessian_has_a_size_guard_and_eigenvalues_compute_it_once(monkeypatch):
    with pytest.raises(ValueError, match=r"P = \d+ parameters.*limit is 2000"):
        il.hessian(il.MLP([2, 64, 64, 1]), X, Y, "bce")
    net = il.MLP([2, 3, 1])
    calls = []
    original = il.MLP.gradients

    def counting(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(il.MLP, "gradients", counting)
    il.hessian_eigenvalues(net, X, Y, "bce")
    assert len(calls) == 2 * net.n_parameters


# Issue 13, item 11: a blow-up is divergence, whatever happens afterwards ------------------------
def test_a_member_that_blew_up_is_flagged_even_if_its_loss_settles():
    # The case of the review: member 0's loss reaches ~1e199, its ReLUs die and, unflagged,
    # its loss would settle at a finite 0.28 (what the rule before this fix reported).
    X3 = np.random.default_rng(0).normal(size=(32, 3))
    net = il.MLP([3, 32, 32, 1], activation="relu", weight_init=il.normal(1e3), population=3)
    history = il.train(net, X3, np.sin(X3[:, :1]), lr=1.0, steps=300)
    assert np.all(history.diverged) and np.all(history.diverged_at >= 0)
    assert np.all(np.isnan(history.loss[-1]))  # frozen after the blow-up, not "trained"


def test_the_blow_up_rule_leaves_healthy_runs_alone():
    net = il.MLP([2, 8, 1], population=4, seed=1)
    history = il.train(net, X, Y, loss="bce", lr=0.5, steps=200)
    assert not history.diverged.any() and np.all(np.isfinite(history.loss))
    assert training.BLOWUP == 1e6
