"""Chapter 8's experiments: deterministic starts, the two small models and their backward
passes (checked against finite differences), and the cases the chapter audits."""

import numpy as np
import pytest

import initlab
from initlab.audit import audit
from initlab.experiments import zeros


# ------------------------------------------------------- deterministic starts
def test_zer_o_network_is_the_same_for_every_member():
    net = zeros.zer_o_network([4, 8, 8, 2], population=2)
    assert all(np.all(w == w[0]) for w in net.weights)


def test_zer_o_network_rejects_unknown_start():
    with pytest.raises(ValueError, match="start"):
        zeros.zer_o_network([2, 4, 1], start="random")


# ------------------------------------------------------ finite differences
def numeric_check(model, X, y, loss, entries=6, eps=1e-6, seed=0):
    rng = np.random.default_rng(seed)
    _, grads = model.loss_and_gradients(X, y, loss)
    for layer, glayer in zip(model.parameters(), grads.layers()):
        for p, g in zip(layer, glayer):
            assert g.shape == p.shape
            flat, gflat = p.reshape(-1), g.reshape(-1)
            for i in rng.choice(flat.size, size=min(entries, flat.size), replace=False):
                old = flat[i]
                flat[i] = old + eps
                up = np.sum(model.loss(X, y, loss))
                flat[i] = old - eps
                down = np.sum(model.loss(X, y, loss))
                flat[i] = old
                assert gflat[i] == pytest.approx((up - down) / (2 * eps), rel=1e-5, abs=1e-8)


def test_adapted_linear_gradients_match_finite_differences():
    X, Y, W0, _ = zeros.lora_task(n=12, d=5, outputs=3, rank=2, population=2, seed=1)
    numeric_check(zeros.AdaptedLinear(W0, rank=2, start="both random", seed=0), X, Y, "mse")


def test_residual_mlp_gradients_match_finite_differences():
    X, y = zeros.class_blobs(10, classes=3, dim=4, seed=0)
    model = zeros.ResidualMLP([4, 3, 5, 3], blocks=3, start="He in both layers",
                              population=2, seed=0)
    model.alpha = [a * 0.7 for a in model.alpha]       # away from 1, to test dα
    numeric_check(model, X, y, "softmax_ce", entries=4)


def test_residual_mlp_single_network_gradients_match_finite_differences():
    X, y = zeros.class_blobs(8, classes=2, dim=3, seed=1)
    numeric_check(zeros.ResidualMLP([3, 4, 4, 2], blocks=2, start="He in both layers", seed=2),
                  X, y, "softmax_ce", entries=3)


# ------------------------------------------------------------- the models
def test_lora_b_zero_starts_at_w0_and_a_gets_no_gradient_at_first():
    X, Y, W0, _ = zeros.lora_task(n=20, d=6, outputs=4, rank=2, population=3, seed=0)
    adapter = zeros.AdaptedLinear(W0, rank=2, start="B = 0")
    np.testing.assert_array_equal(adapter.forward(X), X @ W0)
    _, grads = adapter.loss_and_gradients(X, Y, "mse")
    assert not grads.layers()[0][0].any() and grads.layers()[1][0].any()


def test_lora_a_and_b_zero_never_move():
    X, Y, W0, _ = zeros.lora_task(n=20, d=6, outputs=4, rank=2, population=3, seed=0)
    adapter = zeros.AdaptedLinear(W0, rank=2, start="A = B = 0")
    loss = zeros.fit(adapter, X, Y, "mse", lr=0.1, steps=20)
    assert np.all(loss == loss[0]) and not adapter.A.any() and not adapter.B.any()
    assert audit(adapter, X, Y, "mse", steps=3).counts() == {"stationary": 3}


def test_lora_b_zero_learns_a_rank_two_update():
    X, Y, W0, update = zeros.lora_task(n=64, d=8, outputs=8, rank=2, population=4, seed=3)
    adapter = zeros.AdaptedLinear(W0, rank=2, start="B = 0", seed=1)
    loss = zeros.fit(adapter, X, Y, "mse", lr=0.1, steps=400)
    error = np.linalg.norm(adapter.A @ adapter.B - update, axis=(1, 2)) / np.linalg.norm(update, axis=(1, 2))
    assert loss.shape == (401, 4) and np.all(error < 1e-2)


def test_adapted_linear_validates():
    with pytest.raises(ValueError, match="start"):
        zeros.AdaptedLinear(np.zeros((3, 2)), rank=1, start="A = 0")
    with pytest.raises(ValueError, match="W0"):
        zeros.AdaptedLinear(np.zeros(3), rank=1)


def test_residual_zero_starts_are_the_identity_and_he_explodes():
    X, y = zeros.class_blobs(32, classes=4, dim=8, seed=0)
    model = zeros.ResidualMLP([8, 8, 8, 4], blocks=30, start=list(zeros.RESIDUAL_STARTS), seed=0)
    assert model.population == 3
    stream = model.stream(X)
    gap = np.abs(stream[-1] - stream[0]).max(axis=(-2, -1))
    assert gap[1] == 0 and gap[2] == 0 and stream[-1][0].std() > 1e3 * stream[0][0].std()
    assert audit(model, X, y, "softmax_ce", steps=2, lr=0.01).verdict.tolist() == \
        ["exploding", "fine", "fine"]


def test_residual_mlp_validates():
    with pytest.raises(ValueError, match="start"):
        zeros.ResidualMLP([2, 3, 3, 2], blocks=2, start="Fixup")
    with pytest.raises(ValueError, match="population"):
        zeros.ResidualMLP([2, 3, 3, 2], blocks=2, start=["ReZero α = 0"] * 2, population=3)
    with pytest.raises(ValueError, match="sizes"):
        zeros.ResidualMLP([2, 3, 2], blocks=2)


def test_copies_are_independent():
    model = zeros.ResidualMLP([2, 3, 3, 2], blocks=2, seed=0)
    twin = model.copy()
    twin.W1[0][...] = 0
    assert model.W1[0].any()


# -------------------------------------------------------------- the cases
def test_logistic_regression_reaches_one_optimum_from_every_start():
    X, y = initlab.two_moons(100, 0.5, seed=0)
    theta, start, loss = zeros.logistic_from_starts(X, y, l2=0.05, population=8, lr=2.0, steps=300)
    assert np.all(start[0] == 0) and np.abs(start[1:]).max() > 1
    assert np.abs(theta - theta[0]).max() < 1e-8 and loss.shape == (301, 8)


def test_output_gain_zero_gives_exactly_ln_c():
    X, y = zeros.class_blobs(40, classes=4, seed=0)
    losses = zeros.output_gain_initial_loss(X, y, [2, 8, 4], [1.0, 0.0], population=3)
    assert losses.shape == (2, 3) and np.all(np.abs(losses[1] - np.log(4)) < 1e-12)
    assert np.all(losses[0] != losses[1])


def test_class_blobs_population_has_one_data_set_per_member():
    X, y = zeros.class_blobs(20, classes=2, dim=3, population=3, seed=0)
    assert X.shape == (3, 20, 3) and y.shape == (3, 20) and not np.array_equal(X[0], X[1])


def test_failing_starts_of_chapters_1_to_3_get_their_chapters_verdicts():
    for case in zeros.failing_starts(population=4)[:4]:
        report = audit(case.net, case.X, case.y, case.loss, steps=10, lr=case.lr)
        assert report.verdicts == case.expected, case.name


def test_case_table_reports_verdicts_and_divergence():
    X, y = initlab.two_moons(40, 0.5)
    report = audit(initlab.MLP([2, 3, 1], population=2), X, y, "bce", steps=1)
    row = zeros.CaseRow("here", "random", report, np.array([0.1, np.nan]), "fine")
    table = zeros.case_table([row])
    assert row.verdict == "fine" and "1 diverged" in table.to_markdown()
    assert zeros.verdict_text(report) == "fine × 2"


@pytest.mark.parametrize("pattern", zeros.PATTERNS)
def test_pattern_run_shapes(pattern):
    kinds, moved, loss, report = zeros.pattern_run(pattern, steps=5)
    assert moved.shape == (len(kinds), 3) and loss.shape == (6,)
    assert np.all(moved[:, 1:] >= moved[:, :-1])        # once moved, always moved


def test_pattern_all_zero_moves_only_the_output_bias():
    kinds, moved, _, report = zeros.pattern_run("all zero", steps=2)
    assert [k for k, m in zip(kinds, moved[:, -1]) if m] == ["b3"] and report.verdicts == "stationary"
    with pytest.raises(ValueError, match="pattern"):
        zeros.pattern_model("nothing")
