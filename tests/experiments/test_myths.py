"""Chapter 7's ledger: every verdict is computed, and a parameter that changes the outcome
changes the label."""

import ast
from pathlib import Path

import numpy as np
import pytest

import initlab
from initlab.experiments import myths


def test_decide_labels_from_the_measurement():
    assert myths.decide("k", "c", True, "e").verdict == "true"
    assert myths.decide("k", "c", np.array([True, False]), "e").verdict == "false"
    v = myths.decide("k", "c", [True, True], "e", {"x": 1}, when="g(0) = 0", where="Chapter 3")
    assert v.verdict == "true only when g(0) = 0" and v.holds is None and v.numbers == {"x": 1}
    assert myths.decide("k", "c", False, "e", when="never").holds is False
    assert myths.ledger_rows([v]) == [["001", "c", v.verdict, "e", "Chapter 3"]]


def test_biases_verdict_flips_with_the_xor_coding():
    pm1 = myths.biases_claim(settings=("tanh on ±1 XOR",), population=4, steps=300)
    zero_one = myths.biases_claim(settings=("tanh on 0/1 XOR",), population=4, steps=300)
    both = myths.biases_claim(settings=("tanh on ±1 XOR", "tanh on 0/1 XOR"), population=4,
                              steps=300)
    assert pm1.verdict == "false" and zero_one.verdict == "true"
    assert both.verdict == "true only when tanh on 0/1 XOR"
    # odd function, equal targets at x and -x: f = 0 is the best fit, loss 1/2
    np.testing.assert_allclose(pm1.numbers["tanh on ±1 XOR"]["without"], 0.5, atol=1e-3)


def test_bias_free_relu_cannot_separate_circles():
    v = myths.biases_claim(settings=("ReLU on circles",), population=4, steps=300)
    n = v.numbers["ReLU on circles"]
    assert v.verdict == "false" and np.median(n["without"]) < 0.75 < n["with"].min()


def test_absorbed_verdict_flips_with_the_activation():
    tanh = myths.absorbed_claim(activations=("tanh",), population=8)
    sigmoid = myths.absorbed_claim(activations=("sigmoid",), population=8)
    assert tanh.verdict == "true" and sigmoid.verdict == "false"
    assert np.all(tanh.numbers["tanh"]["single"] == 0.0)
    order = tanh.numbers["tanh"]["path_order"]
    for L in (2, 3, 4):                                        # change ~ eps^L along a path
        assert abs(np.median(order[order[:, 0] == L, 1]) - L) < 0.25
    mixed = myths.absorbed_claim(activations=("tanh", "sigmoid"), population=4)
    assert mixed.verdict == "true only when g = tanh"


def test_prior_pins_at_zero_only_above_the_zero_points_curvature():
    weak = myths.prior_claim(multiples=(0.5,), population=4)
    strong = myths.prior_claim(multiples=(2.0,), population=4)
    both = myths.prior_claim(multiples=(0.0, 0.5, 2.0), population=4)
    assert weak.verdict == "false" and strong.verdict == "true"
    assert both.verdict.startswith("true only when the weight decay exceeds")
    assert both.numbers["lambda_min"] < 0
    assert np.all(both.numbers["max_weight"][-1] < 1e-6) and np.all(both.numbers["max_weight"][:2] > 1e-2)


def test_zero_point_curvature_is_a_saddle_not_a_peak():
    v = myths.peak_claim(population=3)
    signs = v.numbers["signs"]
    assert v.verdict == "false"
    assert np.all(signs.sum(axis=1) == 17) and np.all(signs[:, 0] > 0) and np.all(signs[:, 2] > 0)


def test_efficiency_redundancy_is_permanent_slowness_is_not():
    v = myths.efficiency_claim(budgets=(100, 1000), population=4)
    acc = v.numbers["accuracy"]
    assert v.verdict == "false" and v.numbers["slow"][0] and v.numbers["redundant"][-1]
    assert np.median(acc["tiny random"][-1]) > np.median(acc["tiny random"][0])


def test_equal_biases_tie_units_and_shared_layer_matrices_do_not():
    b = myths.bias_symmetry_claim(population=4, steps=100)
    assert b.verdict == "false" and np.all(b.numbers["equal"] == 1)
    assert np.all(b.numbers["random"] == 8)
    layers = myths.layer_symmetry_claim(population=4, steps=200)
    assert layers.verdict == "true"


def test_gap_grows_near_the_predicted_rate_and_constant_steps_are_small_but_not_fixed():
    g = myths.gap_claim(population=8)
    assert g.verdict == "true"
    assert 0.3 * g.numbers["predicted"] < np.median(g.numbers["rate"]) < g.numbers["predicted"]
    c = myths.constant_rate_claim(population=4, steps=100)
    assert c.numbers["slow"] and c.verdict == ("true" if c.numbers["fixed"] else "false")


def test_nudge_is_no_better_than_chance_per_weight_and_direction_does_not_matter():
    n = myths.nudge_claim(population=8, steps=200)
    assert n.verdict == "false" and np.median(n.numbers["sign_agreement"]) < 0.75
    d = myths.direction_claim(population=4, steps=200)
    assert d.verdict == "true" and d.numbers["median"]["anti-aligned"] > 0.9


def test_speed_the_zero_start_never_reaches_the_threshold():
    v = myths.speed_claim(population=4, steps=100)
    steps = v.numbers["steps"]
    assert v.verdict == "false" and np.all(steps[0] == 101) and np.all(steps[2] < steps[1])


def test_explore_covers_every_setting_and_validates():
    assert myths.explore("absorbed", "changed").verdict == "false"
    with pytest.raises(ValueError, match="claim"):
        myths.explore("nope")
    with pytest.raises(ValueError, match="population"):
        myths.gap_claim(population=0)


def test_weight_decay_used_by_the_prior_is_the_core_option():
    opt = initlab.sgd(0.1, weight_decay=0.5)
    assert opt.weight_decay == 0.5


def test_module_imports_no_other_experiment_module():
    source = Path(myths.__file__).read_text()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            assert node.level != 1, f"myths imports a sibling experiment module: {node.module}"
            assert "experiments" not in (node.module or "")


@pytest.mark.parametrize("seed", [0, 1])
def test_explorer_settings_flip_every_claim_with_the_cheap_sizes(seed):
    verdicts = {(c, s): myths.explore(c, s, seed=seed).verdict
                for c in myths.EXPLORER for s in myths.SETTINGS}
    assert verdicts == {("biases", "as in the threads"): "false", ("biases", "changed"): "true",
                        ("absorbed", "as in the threads"): "true", ("absorbed", "changed"): "false",
                        ("prior", "as in the threads"): "false", ("prior", "changed"): "true"}
