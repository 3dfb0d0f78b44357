"""initlab.experiments.symmetry: starting patterns, the chapter's tables, and the width-1 twin."""

import numpy as np
import pytest

import initlab
import initlab as il
from initlab import tables
from initlab.experiments import symmetry


@pytest.fixture(scope="module")
def moons():
    return il.moons(n=100, noise=0.1, seed=0)


# ------------------------------------------------------------------ patterns
@pytest.mark.parametrize("pattern,distinct", [
    ("constant", 1), ("same_incoming", 1), ("own_constant", 6), ("one_entry", 2),
    ("random_biases", 6), ("random_outgoing", 1), ("random", 6),
])
def test_pattern_parameters_have_the_described_structure(pattern, distinct):
    (W1, W2), (b1, b2) = symmetry.pattern_parameters(pattern, d=3, width=6, c=0.5, seed=1)
    assert W1.shape == (3, 6) and W2.shape == (6, 1) and b1.shape == (6,) and b2.shape == (1,)
    assert il.distinct_units(W1, b1) == distinct
    if pattern == "same_incoming":
        assert np.all(W1 == W1[:, :1]) and not np.all(W1 == W1[0, 0])   # W1[i, j] = v_i
    if pattern == "own_constant":
        assert np.all(W1 == W1[:1, :]) and not np.all(W1 == W1[0, 0])   # W1[i, j] = u_j
    if pattern == "random_outgoing":
        assert len(np.unique(W2)) == 6
    elif pattern != "random":
        assert np.all(W2 == 0.5)


def test_pattern_network_and_population_carry_the_parameters():
    net = symmetry.pattern_network("own_constant", d=2, width=5, seed=3, dtype=np.float32)
    assert net.sizes == [2, 5, 1] and net.weights[0].dtype == np.float32
    population = symmetry.pattern_population(["constant", "random"], width=5)
    assert population.population == 2
    np.testing.assert_array_equal(il.distinct_units(population.weights[0], population.biases[0]), [1, 5])


def test_bad_patterns_and_sizes_are_refused():
    with pytest.raises(ValueError, match="unknown pattern 'zero'.*constant"):
        symmetry.pattern_parameters("zero")
    with pytest.raises(ValueError, match="width must be a positive integer"):
        symmetry.pattern_parameters("constant", width=0)
    with pytest.raises(ValueError, match="c must be a finite number"):
        symmetry.pattern_parameters("constant", c=np.inf)
    with pytest.raises(ValueError, match="patterns is empty"):
        symmetry.pattern_population([])


# ------------------------------------------------------------------- tables
def test_pattern_table_separates_stuck_from_free_starts(moons):
    X, y = moons
    rows = {r["pattern"]: r for r in symmetry.pattern_table(X, y, width=8, steps=200, population=3)}
    assert set(rows) == set(symmetry.PATTERNS)
    assert np.all(rows["constant"]["distinct_end"] == 1)
    assert np.all(rows["same_incoming"]["distinct_end"] == 1)
    assert np.all(rows["one_entry"]["distinct_end"] == 2)
    for name in ("own_constant", "random_biases", "random_outgoing", "random"):
        assert rows[name]["distinct_end"].shape == (3,) and np.all(rows[name]["distinct_end"] == 8)
    assert np.all((0 <= rows["random"]["accuracy"]) & (rows["random"]["accuracy"] <= 1))
    # three independent draws: the random starts differ from draw to draw
    first = symmetry.pattern_table(X, y, patterns=["random"], width=8, steps=1, population=3)[0]
    assert first["accuracy"].shape == (3,)
    with pytest.raises(ValueError, match="population"):
        symmetry.pattern_table(X, y, population=0)


def test_pattern_table_checks_its_input(moons):
    X, y = moons
    with pytest.raises(ValueError, match="unknown pattern"):
        symmetry.pattern_table(X, y, patterns=["diagonal"])
    with pytest.raises(ValueError, match=r"X must have shape \(N, d\)"):
        symmetry.pattern_table(X[:, 0], y)


def test_variant_table_only_dropout_unties_units():
    rows = symmetry.variant_table(["minibatch", "adam", "dropout"], width=4, steps=30)
    by = {r["variant"]: r["distinct_end"] for r in rows}
    assert by == {"minibatch": [1, 1], "adam": [1, 1], "dropout": [4, 4]}
    with pytest.raises(ValueError, match="unknown variant 'bagging'"):
        symmetry.variant_table(["bagging"])


def test_html_table_layout_escaping_and_checks():
    text = tables.html_table(["a", "b"], [[1, "x<y"], [2.5, "W₁ = c"]])
    assert text.count("<tr>") == 3 and "<th>a</th><th>b</th>" in text
    assert "<td>x&lt;y</td>" in text and "<td>W₁ = c</td>" in text
    with pytest.raises(ValueError, match="row 0 has 1 cells but there are 2 headers"):
        tables.html_table(["a", "b"], [[1]])
    with pytest.raises(ValueError, match="at least one column"):
        tables.html_table([], [])


# --------------------------------------------------------------- histories
def test_distinct_and_gap_histories(moons):
    X, y = moons
    net = il.MLP.stack([symmetry.pattern_network("constant", width=4)] * 2)
    history = il.train(net, X, y, loss="bce", lr=0.5, steps=20, dropout=0.2, seed=0, snapshot_every=5)
    steps, gaps = initlab.gap_history(history)
    np.testing.assert_array_equal(steps, [0, 5, 10, 15, 20])
    assert gaps.shape == (5, 2) and np.all(gaps[0] == 0) and np.all(gaps[1:] > 0)
    steps, counts = initlab.distinct_history(history, layer=1)
    assert np.all(counts[0] == 1) and np.all(counts[-1] == 4)
    with pytest.raises(ValueError, match="layer must be a layer number ℓ in 1..2"):
        initlab.gap_history(history, layer=3)
    with pytest.raises(ValueError, match="layer must be a layer number ℓ in 1..2"):
        initlab.gap_history(history, layer=0)
    plain = il.train(net, X, y, loss="bce", steps=2)
    with pytest.raises(ValueError, match="no snapshots"):
        initlab.distinct_history(plain)


def test_hidden_distinct_units_of_every_hidden_layer():
    net = il.MLP([2, 5, 4, 1], weight_init=il.constant(0.2))
    assert initlab.hidden_distinct_units(net) == [1, 1]


# --------------------------------------------------------------- the twin
def test_narrow_learning_rates_follow_the_widths():
    weight_lr, bias_lr = symmetry.narrow_learning_rates([3, 64, 1], 0.5)
    assert weight_lr == [0.5 / 64, 0.5 * 64] and bias_lr == [0.5 / 64, 0.5]
    weight_lr, bias_lr = symmetry.narrow_learning_rates([3, 8, 4, 2], 1.0)
    assert weight_lr == [1 / 8, 2.0, 4.0] and bias_lr == [1 / 8, 1 / 4, 1.0]
    with pytest.raises(ValueError, match="at least one hidden layer"):
        symmetry.narrow_learning_rates([3, 1], 0.1)
    with pytest.raises(ValueError, match="lr must be a finite number > 0"):
        symmetry.narrow_learning_rates([3, 4, 1], -1.0)


@pytest.mark.parametrize("sizes", [[2, 16, 1], [2, 8, 4, 1], [3, 4, 4, 4, 2]])
def test_twin_computes_the_same_function_and_follows_the_same_trajectory(sizes, moons):
    X, y = moons
    if sizes[0] == 3:
        X = np.c_[X, X[:, :1] * X[:, 1:]]
        y = np.c_[y, 1 - y]
        loss = "softmax_ce"
    else:
        loss = "bce"
    wide = il.MLP(sizes, weight_init=il.constant(0.1), bias_init=il.constant(0.05))
    wide.weights[-1][:, -1] = -0.2          # output columns may differ: outputs are not collapsed
    twin, optimizer = symmetry.narrow_twin(wide, 0.1)
    assert twin.sizes == [sizes[0]] + [1] * (len(sizes) - 2) + [sizes[-1]]
    np.testing.assert_allclose(twin.forward(X), wide.forward(X), rtol=1e-13, atol=1e-13)
    wide_history = il.train(wide, X, y, loss=loss, lr=0.1, steps=200)
    twin_history = il.train(twin, X, y, loss=loss, optimizer=optimizer, steps=200)
    np.testing.assert_allclose(twin_history.loss, wide_history.loss, rtol=0, atol=1e-12)
    np.testing.assert_allclose(twin.weights[0][:, 0], wide.weights[0][:, 0], rtol=0, atol=1e-12)


def test_twin_needs_tied_units_and_a_single_network():
    net = il.MLP([2, 4, 1])
    with pytest.raises(ValueError, match="hidden layer 1 does not have identical units"):
        symmetry.narrow_twin(net, 0.1)
    tied = il.MLP([2, 4, 1], weight_init=il.constant(0.3))
    tied.weights[1][2, 0] = 1.0   # unequal outgoing weights
    with pytest.raises(ValueError, match="equal outgoing rows of W2"):
        symmetry.narrow_twin(tied, 0.1)
    with pytest.raises(ValueError, match="single network"):
        symmetry.narrow_twin(il.MLP([2, 4, 1], weight_init=il.constant(0.3), population=2), 0.1)
    with pytest.raises(ValueError, match="at least one hidden layer"):
        symmetry.narrow_twin(il.MLP([2, 1], weight_init=il.constant(0.3)), 0.1)


def test_layerwise_sgd_uses_separate_rates_and_checks_them():
    optimizer = initlab.LayerwiseSGD([0.1, 1.0], [0.5, 2.0])
    params = [[np.ones(2), np.ones(1)], [np.ones(2), np.ones(1)]]
    optimizer.step(params, [[np.ones(2), np.ones(1)]] * 2)
    assert [p[0] for layer in params for p in layer] == [0.9, 0.5, 0.0, -1.0]
    with pytest.raises(ValueError, match="weight_lr has 2 entries but bias_lr has 1"):
        initlab.LayerwiseSGD([0.1, 0.1], [0.1])
    with pytest.raises(ValueError, match=r"bias_lr\[0\] must be a finite number > 0"):
        initlab.LayerwiseSGD([0.1], [0.0])


# ------------------------------------------------------ the explorer's run
def test_unit_trajectories_shapes_and_ties():
    steps, W1, distinct = symmetry.unit_trajectories(width=5, pattern="constant", steps=40)
    assert steps[0] == 0 and steps[-1] == 40
    assert W1.shape == (len(steps), 2, 5)
    assert distinct == 1 and np.all(W1 == W1[:, :, :1])
    _, W1_random, distinct_random = symmetry.unit_trajectories(width=5, pattern="random", steps=40)
    assert distinct_random == 5 and not np.allclose(W1_random[-1, :, 0], W1_random[-1, :, 1])


def test_unit_trajectories_refuses_bad_settings():
    with pytest.raises(ValueError, match="unknown pattern 'diagonal'"):
        symmetry.unit_trajectories(pattern="diagonal")
    with pytest.raises(ValueError, match="steps must be a positive integer"):
        symmetry.unit_trajectories(steps=0)
    with pytest.raises(ValueError, match="width must be a positive integer"):
        symmetry.unit_trajectories(width=2.5)
