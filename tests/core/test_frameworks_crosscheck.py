"""Optional: initlab's re-implemented library defaults against the libraries themselves.

Each test draws a large weight matrix (and the bias) with the library's own default layer
and compares it with a draw of initlab's re-implementation: standard deviation (relative
sampling error of a 512 × 256 draw ≈ 0.1 %, tolerance 1 %), range (largest |w| against the
bound, which 131 072 draws approach to within 0.1 %), and the whole distribution (a
two-sample Kolmogorov–Smirnov distance well above the 5 % critical value ≈ 0.005, far
below what a wrong law gives). A test skips, saying which library is missing, when that
library is not installed; none of them is a dependency of the book.

Install: ``pip install torch==2.13.0 scikit-learn keras jax flax`` (CI: .ci/run).
"""

import importlib.util
import math
import os

import numpy as np
import pytest

from initlab import frameworks as fw

N_IN, N_OUT = 512, 256
STD_RTOL = 0.01
KS_MAX = 0.012


def need(module):
    """Import `module` or skip the test with a message naming the missing library."""
    return pytest.importorskip(module, reason=f"optional cross-check: {module} is not installed "
                                              f"(pip install {module}); initlab alone is tested elsewhere")


def ks_distance(a, b):
    """Two-sample Kolmogorov–Smirnov statistic sup |F_a − F_b|."""
    a, b = np.sort(np.ravel(a)), np.sort(np.ravel(b))
    grid = np.concatenate([a, b])
    return float(np.max(np.abs(np.searchsorted(a, grid, side="right") / a.size
                               - np.searchsorted(b, grid, side="right") / b.size)))


def check_same_law(theirs, ours, std, bound):
    theirs, ours = np.asarray(theirs, dtype=np.float64), np.asarray(ours, dtype=np.float64)
    assert theirs.size == ours.size
    assert abs(theirs.std() / std - 1) < STD_RTOL, (theirs.std(), std)
    assert abs(ours.std() / std - 1) < STD_RTOL, (ours.std(), std)
    assert abs(theirs.mean()) < 5 * std / math.sqrt(theirs.size)
    if math.isfinite(bound):
        for x in (theirs, ours):
            assert np.abs(x).max() <= bound * (1 + 1e-6), (np.abs(x).max(), bound)
            assert np.abs(x).max() >= bound * (1 - 1e-3), (np.abs(x).max(), bound)
    assert ks_distance(theirs, ours) < KS_MAX


def initlab_draw(init, shape, seed=1):
    return init(shape, np.random.default_rng(seed))


# ------------------------------------------------------------------ PyTorch
@pytest.mark.parametrize("nonlinearity,param", [("linear", None), ("sigmoid", None),
                                                ("tanh", None), ("relu", None),
                                                ("leaky_relu", None), ("leaky_relu", 0.2),
                                                ("leaky_relu", math.sqrt(5)), ("selu", None),
                                                ("conv2d", None)])
def test_torch_calculate_gain(nonlinearity, param):
    torch = need("torch")
    assert abs(fw.torch_gain(nonlinearity, param)
               - torch.nn.init.calculate_gain(nonlinearity, param)) < 1e-15


def test_torch_linear_weights_and_bias():
    torch = need("torch")
    torch.manual_seed(0)
    layer = torch.nn.Linear(N_IN, N_OUT, dtype=torch.float64)
    W = layer.weight.detach().numpy().T  # PyTorch stores (fan_out, fan_in)
    b = layer.bias.detach().numpy()
    init = fw.torch_linear
    check_same_law(W, initlab_draw(init, (N_IN, N_OUT)), init.std(N_IN, N_OUT),
                   init.bound(N_IN, N_OUT))
    assert abs(init.std(N_IN, N_OUT) - 1 / math.sqrt(3 * N_IN)) < 1e-15
    # The bias: U(±1/√fan_in); 256 values, so a looser check of the std and the range.
    bias = fw.torch_linear_bias
    limit = 1 / math.sqrt(N_IN)
    assert abs(bias.limit(N_IN, N_OUT) - limit) < 1e-15
    assert np.abs(b).max() <= limit and np.abs(b).max() > 0.95 * limit
    assert abs(b.std() / bias.std(N_IN, N_OUT) - 1) < 0.15
    ours = initlab_draw(bias.initializer(N_IN, N_OUT), (200_000,))
    theirs = torch.empty(200_000, dtype=torch.float64).uniform_(-limit, limit).numpy()
    check_same_law(theirs, ours, bias.std(N_IN, N_OUT), limit)


@pytest.mark.parametrize("kind", ["kaiming_uniform", "kaiming_normal", "xavier_uniform"])
@pytest.mark.parametrize("nonlinearity", ["relu", "tanh", "leaky_relu"])
def test_torch_init_functions(kind, nonlinearity):
    torch = need("torch")
    torch.manual_seed(1)
    w = torch.empty(N_OUT, N_IN, dtype=torch.float64)
    if kind == "xavier_uniform":
        gain = torch.nn.init.calculate_gain(nonlinearity)
        torch.nn.init.xavier_uniform_(w, gain=gain)
        init = fw.torch_xavier_uniform(fw.torch_gain(nonlinearity))
    else:
        getattr(torch.nn.init, kind + "_")(w, nonlinearity=nonlinearity)
        init = getattr(fw, "torch_" + kind)(nonlinearity=nonlinearity)
    check_same_law(w.numpy().T, initlab_draw(init, (N_IN, N_OUT)), init.std(N_IN, N_OUT),
                   init.bound(N_IN, N_OUT))


# -------------------------------------------------------------------- Keras
@pytest.fixture(scope="module")
def keras():
    if "KERAS_BACKEND" not in os.environ:
        os.environ["KERAS_BACKEND"] = "torch" if importlib.util.find_spec("torch") else "numpy"
    return need("keras")


def test_keras_dense_default(keras):
    keras.utils.set_random_seed(0)
    layer = keras.layers.Dense(N_OUT, dtype="float64")
    layer.build((None, N_IN))
    W = keras.ops.convert_to_numpy(layer.kernel)
    b = keras.ops.convert_to_numpy(layer.bias)
    assert W.shape == (N_IN, N_OUT)
    init = fw.library_default("keras").weight
    check_same_law(W, initlab_draw(init, (N_IN, N_OUT)), init.std(N_IN, N_OUT),
                   init.bound(N_IN, N_OUT))
    assert np.all(b == 0) and fw.library_default("keras").bias.limit(N_IN, N_OUT) == 0


def test_keras_lecun_normal_is_flax_truncated_law(keras):
    """Keras' LecunNormal is the same truncated law as Flax's default (the mapping table).

    Measured quirk: on the torch backend Keras truncates by drawing 4 normal values per entry
    and keeping the first inside (−2, 2); when all 4 fall outside (probability
    0.0455⁴ ≈ 4e-6) it keeps the first anyway.  So a few entries in a million exceed 2σ;
    the law is otherwise the same.
    """
    W = keras.ops.convert_to_numpy(keras.initializers.LecunNormal(seed=0)((N_IN, N_OUT),
                                                                        dtype="float64"))
    init = fw.flax_lecun_normal
    bound = init.bound(N_IN, N_OUT)
    outside = float(np.mean(np.abs(W) > bound))
    miss_all_four = (1 - math.erf(2 / math.sqrt(2))) ** 4
    assert outside <= 20 * miss_all_four, outside
    inside = np.where(np.abs(W) <= bound, W, 0.0)
    check_same_law(W, initlab_draw(init, (N_IN, N_OUT)), init.std(N_IN, N_OUT), math.inf)
    assert np.abs(inside).max() >= bound * (1 - 1e-3)


# --------------------------------------------------------------- JAX / Flax
def test_flax_dense_default():
    jax = need("jax")
    need("flax")
    import flax.linen as nn
    import jax.numpy as jnp

    params = nn.Dense(N_OUT).init(jax.random.key(0), jnp.ones((1, N_IN)))["params"]
    W = np.asarray(params["kernel"], dtype=np.float64)  # float32, Flax's default param dtype
    b = np.asarray(params["bias"])
    assert W.shape == (N_IN, N_OUT)
    init = fw.flax_lecun_normal
    sigma = init.bound(N_IN, N_OUT) / 2
    # Truncation: nothing beyond 2σ, and the constant that restores the std is JAX's own.
    assert abs(fw.truncated_normal_std_factor(2.0) - 0.87962566103423978) < 1e-15
    assert abs(sigma * fw.truncated_normal_std_factor(2.0) - 1 / math.sqrt(N_IN)) < 1e-15
    check_same_law(W, initlab_draw(init, (N_IN, N_OUT)), init.std(N_IN, N_OUT),
                   init.bound(N_IN, N_OUT) * (1 + 1e-6))  # float32 rounding at the edge
    assert np.all(b == 0)


def test_jax_lecun_normal_untruncated_std_would_differ():
    """Without JAX's correction the std would be 0.88/√n: the test above would see it."""
    jax = need("jax")
    W = np.asarray(jax.nn.initializers.lecun_normal()(jax.random.key(1), (N_IN, N_OUT)),
                   dtype=np.float64)
    assert abs(W.std() * math.sqrt(N_IN) - 1) < STD_RTOL
    assert abs(W.std() * math.sqrt(N_IN) - 0.8796) > 0.1


# ------------------------------------------------------------- scikit-learn
@pytest.mark.parametrize("activation", ["relu", "tanh", "logistic"])
def test_sklearn_mlp_initial_coefficients(activation):
    need("sklearn")
    from sklearn.neural_network import MLPClassifier

    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((8, N_IN)), np.arange(8) % 2
    # One partial_fit step with a negligible learning rate leaves the initial coefficients
    # bitwise in place and uses only the public API.
    clf = MLPClassifier(hidden_layer_sizes=(N_OUT,), activation=activation, solver="sgd",
                        learning_rate_init=1e-300, momentum=0.0, random_state=0)
    clf.partial_fit(X, y, classes=[0, 1])
    W, b = clf.coefs_[0], clf.intercepts_[0]
    ours = fw.library_default("sklearn", "sigmoid" if activation == "logistic" else activation)
    init = ours.weight
    check_same_law(W, initlab_draw(init, (N_IN, N_OUT)), init.std(N_IN, N_OUT),
                   init.bound(N_IN, N_OUT))
    limit = ours.bias.limit(N_IN, N_OUT)
    assert abs(limit - init.bound(N_IN, N_OUT)) < 1e-15  # intercepts share the weights' bound
    assert np.abs(b).max() <= limit and np.abs(b).max() > 0.95 * limit
    factor = 2.0 if activation == "logistic" else 6.0
    assert abs(limit - math.sqrt(factor / (N_IN + N_OUT))) < 1e-15
    # The output layer (256 -> 1) uses the same factor.
    assert np.abs(clf.coefs_[1]).max() <= math.sqrt(factor / (N_OUT + 1))
