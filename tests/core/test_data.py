import numpy as np
import pytest

import initlab as il

SEEDED = {
    "circles": lambda seed: il.circles(n=101, noise=0.1, seed=seed),
    "moons": lambda seed: il.moons(n=101, noise=0.1, seed=seed),
    "spirals": lambda seed: il.spirals(n=101, turns=2, noise=0.05, seed=seed),
    "blobs": lambda seed: il.blobs(n=101, classes=4, dim=3, seed=seed, spread=0.5),
    "teacher_regression": lambda seed: il.teacher_regression(n=101, d=3, hidden=5, seed=seed),
}


@pytest.mark.parametrize("name", list(SEEDED))
def test_deterministic_under_seed(name):
    X1, y1 = SEEDED[name](0)
    X2, y2 = SEEDED[name](0)
    X3, _ = SEEDED[name](1)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)
    assert X1.dtype == np.float64 and X1.shape[0] == 101 and len(y1) == 101


def test_classification_shapes_and_balance():
    for name in ("circles", "moons", "spirals"):
        X, y = SEEDED[name](0)
        assert X.shape == (101, 2) and y.dtype == np.int64 and set(y) == {0, 1}
        assert abs(np.sum(y == 0) - np.sum(y == 1)) <= 1
    X, y = SEEDED["blobs"](0)
    assert X.shape == (101, 3) and set(y) == {0, 1, 2, 3}
    assert np.bincount(y).max() - np.bincount(y).min() <= 1


def test_teacher_targets_correlate_with_the_input():
    X, y = il.teacher_regression(n=500, d=2, seed=0)
    assert y.shape == (500, 1)
    assert np.abs(X.T @ (y - y.mean())).max() / 500 > 0.05


def test_xor_codings():
    X, y = il.xor()
    np.testing.assert_array_equal(X, [[-1, -1], [-1, 1], [1, -1], [1, 1]])
    np.testing.assert_array_equal(y[:, 0], [-1, 1, 1, -1])
    X, y = il.xor("01")
    np.testing.assert_array_equal(y[:, 0], [0, 1, 1, 0])
    X, y = il.xor("pm1", target="01")
    assert X.min() == -1 and y.shape == (4, 1) and y.min() == 0
    X, y = il.xor("pm1", target="labels")
    assert y.tolist() == [0, 1, 1, 0] and y.dtype == np.int64
    Xpm, ypm = il.xor("pm1")
    assert np.all(Xpm.T @ ypm == 0)  # with ±1 coding the target is uncorrelated with the inputs
    with pytest.raises(ValueError, match="'ones'"):
        il.xor(target="ones")


def test_standardize():
    X = np.random.default_rng(0).normal(3, 5, (200, 3))
    X[:, 2] = 7.0  # a constant feature stays finite
    Z = il.standardize(X)
    np.testing.assert_allclose(Z.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(Z[:, :2].std(axis=0), 1)
    assert np.all(Z[:, 2] == 0)
