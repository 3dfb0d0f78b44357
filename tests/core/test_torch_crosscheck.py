"""Optional: loss and gradients of a population network against PyTorch autograd."""

import numpy as np
import pytest

import initlab as il

torch = pytest.importorskip("torch", reason="optional cross-check: pip install torch==2.13.0")

K, N = 3, 7
TORCH_ACTIVATION = {"tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu,
                    "identity": lambda z: z}


def torch_loss(name, out, y):
    if name == "mse":
        return 0.5 * ((out - y) ** 2).sum(dim=(1, 2)) / N
    if name == "bce":
        f = torch.nn.functional.binary_cross_entropy_with_logits
        return f(out, y.expand_as(out), reduction="none").sum(dim=(1, 2)) / N
    f = torch.nn.functional.cross_entropy
    return torch.stack([f(out[k], y, reduction="mean") for k in range(K)])


@pytest.mark.parametrize("loss,output,n_out", [("mse", "identity", 2), ("mse", "sigmoid", 2),
                                               ("bce", "identity", 1), ("softmax_ce", "identity", 4)])
@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu"])
def test_population_matches_torch_autograd(loss, output, n_out, activation):
    rng = np.random.default_rng(0)
    net = il.MLP([3, 5, 4, n_out], activation=activation, output=output, population=K, seed=1,
                 bias_init=il.normal(0.2))
    X = rng.standard_normal((N, 3))
    if loss == "mse":
        y = rng.standard_normal((N, n_out))
        y_torch = torch.tensor(y)
    elif loss == "bce":
        y = rng.integers(0, 2, N).astype(float)
        y_torch = torch.tensor(y[:, None])
    else:
        y = rng.integers(0, n_out, N)
        y_torch = torch.tensor(y)
    value, grads = net.loss_and_gradients(X, y, loss)

    Ws = [torch.tensor(W, requires_grad=True) for W in net.weights]
    bs = [torch.tensor(b, requires_grad=True) for b in net.biases]
    a = torch.tensor(X).expand(K, N, 3)
    for l, (W, b) in enumerate(zip(Ws, bs)):
        z = torch.bmm(a, W) + b[:, None, :]
        a = TORCH_ACTIVATION[output if l == net.L - 1 else activation](z)
    t_loss = torch_loss(loss, a, y_torch)
    t_loss.sum().backward()  # members are independent: the sum's gradient is each member's

    np.testing.assert_allclose(value, t_loss.detach().numpy(), rtol=1e-12)
    for ours, theirs in zip(grads.weights + grads.biases, Ws + bs):
        np.testing.assert_allclose(ours, theirs.grad.numpy(), rtol=1e-10, atol=1e-14)
