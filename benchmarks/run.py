"""Benchmarks of initlab's population training (not part of the test suite).

Run:  .venv/bin/python benchmarks/run.py

1. XOR 2-2-1 (sigmoid, mse), K = 1000 networks, 2000 full-batch SGD steps:
   one population vs the same networks trained one at a time (a subset, scaled
   per network) and vs a PyTorch CPU population (torch.bmm + autograd).
2. K = 64 networks 784-256-256-10 (relu, softmax_ce), batch 256: GFLOP/s of one
   forward + backward pass vs numpy's own matmul on the same shapes.

Every number is a median over repeats measured in this run.
"""

import statistics
import time

import numpy as np

import initlab as il

REPEATS = 3


def median_time(fn, repeats=REPEATS, clock=time.perf_counter):
    """Median of `repeats` timings of fn() on `clock` (wall time by default)."""
    times = []
    for _ in range(repeats):
        start = clock()
        fn()
        times.append(clock() - start)
    return statistics.median(times)


# ----------------------------------------------------------------------- XOR
XOR_K, XOR_STEPS, XOR_LR, XOR_SUBSET = 1000, 2000, 2.0, 20


def xor_population():
    return il.MLP([2, 2, 1], activation="sigmoid", output="sigmoid",
                  weight_init=il.uniform(1.0), population=XOR_K, seed=0)


def bench_xor():
    X, y = il.xor("pm1", target="01")
    rows = []

    t_pop = median_time(lambda: il.train(xor_population(), X, y, lr=XOR_LR, steps=XOR_STEPS))
    rows.append((f"initlab population (K={XOR_K})", t_pop, 1.0))

    members = [xor_population().member(k) for k in range(XOR_SUBSET)]

    def one_at_a_time():
        for net in members:
            il.train(net.copy(), X, y, lr=XOR_LR, steps=XOR_STEPS)

    t_subset = median_time(one_at_a_time)
    t_loop = t_subset / XOR_SUBSET * XOR_K
    rows.append((f"initlab one at a time ({XOR_SUBSET} timed, x{XOR_K // XOR_SUBSET})",
                 t_loop, t_loop / t_pop))

    return rows


def bench_torch_xor():
    """Run last: once torch's OpenMP threads exist they compete with OpenBLAS's."""
    X, y = il.xor("pm1", target="01")
    try:
        import torch
    except ImportError:
        return ("torch population (bmm)", None, None)
    t_torch = median_time(lambda: torch_xor(torch, X, y))
    return (f"torch {torch.__version__} population (bmm, float64, {torch.get_num_threads()} threads)",
            t_torch, None)


def torch_xor(torch, X, y):
    """The same population in PyTorch: bmm forward, autograd backward, SGD."""
    net = xor_population()
    Ws = [torch.tensor(W, requires_grad=True) for W in net.weights]
    bs = [torch.tensor(b, requires_grad=True) for b in net.biases]
    Xt = torch.tensor(X).expand(XOR_K, -1, -1)
    yt = torch.tensor(y)
    for _ in range(XOR_STEPS):
        a = Xt
        for W, b in zip(Ws, bs):
            a = torch.sigmoid(torch.bmm(a, W) + b[:, None, :])
        loss = 0.5 * ((a - yt) ** 2).sum() / X.shape[0]  # sum over members: independent gradients
        for p in Ws + bs:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in Ws + bs:
                p -= XOR_LR * p.grad


# ------------------------------------------------------------------- MNIST-sized
MLP_K, MLP_SIZES, MLP_BATCH = 64, [784, 256, 256, 10], 256


def matmul_shapes(sizes, batch):
    """(m, k, n) of every matrix product of one forward + backward pass."""
    shapes = [(batch, a, b) for a, b in zip(sizes[:-1], sizes[1:])]          # z = a @ W
    shapes += [(a, batch, b) for a, b in zip(sizes[:-1], sizes[1:])]         # dW = aᵀ @ delta
    shapes += [(batch, b, a) for a, b in zip(sizes[1:-1], sizes[2:])]        # delta @ Wᵀ
    return shapes


def bench_mlp():
    rng = np.random.default_rng(0)
    net = il.MLP(MLP_SIZES, activation="relu", weight_init="he_normal", population=MLP_K, seed=0)
    X = rng.standard_normal((MLP_BATCH, MLP_SIZES[0]))
    y = rng.integers(0, MLP_SIZES[-1], MLP_BATCH)
    shapes = matmul_shapes(MLP_SIZES, MLP_BATCH)
    flops = MLP_K * sum(2 * m * k * n for m, k, n in shapes)

    net.loss_and_gradients(X, y, "softmax_ce")  # warm-up
    t_net = median_time(lambda: net.loss_and_gradients(X, y, "softmax_ce"), repeats=5)

    operands = [(rng.standard_normal((MLP_K, m, k)), rng.standard_normal((MLP_K, k, n)))
                for m, k, n in shapes]

    def matmuls_only():
        for A, B in operands:
            np.matmul(A, B)

    matmuls_only()
    t_mm = median_time(matmuls_only, repeats=5)
    return flops, t_net, t_mm


def main():
    print(f"initlab {il.__version__}, numpy {np.__version__}; medians of {REPEATS} runs unless noted\n")
    xor_rows = bench_xor()
    flops, t_net, t_mm = bench_mlp()
    xor_rows.append(bench_torch_xor())

    t_pop = xor_rows[0][1]
    print(f"1. XOR 2-2-1 sigmoid/mse, K={XOR_K} networks x {XOR_STEPS} full-batch SGD steps")
    print(f"   {'method':<58} {'time [s]':>9} {'ratio':>9}")
    for name, seconds, _ in xor_rows:
        if seconds is None:
            print(f"   {name:<58} {'-':>9}   torch not installed")
        else:
            ratio = "1.0 (ref)" if seconds == t_pop else f"{seconds / t_pop:.1f}x"
            print(f"   {name:<58} {seconds:9.3f} {ratio:>9}")
    print("   ratio = time / population time (> 1: the initlab population is faster; target >= 20x\n"
          "   for one at a time)\n")

    print(f"2. K={MLP_K} networks {'-'.join(map(str, MLP_SIZES))} relu/softmax_ce, batch {MLP_BATCH}, "
          f"float64 (medians of 5)")
    print(f"   {flops / 1e9:.1f} GFLOP per forward+backward (2mnk per matmul: 3 forward, "
          f"3 weight-gradient, 2 delta)")
    print(f"   {'measurement':<58} {'time [s]':>9} {'GFLOP/s':>9}")
    print(f"   {'initlab loss_and_gradients (all work)':<58} {t_net:9.3f} {flops / t_net / 1e9:9.1f}")
    print(f"   {'numpy matmul alone, same shapes (contiguous operands)':<58} {t_mm:9.3f} "
          f"{flops / t_mm / 1e9:9.1f}")
    print(f"   initlab reaches {100 * t_mm / t_net:.0f} % of numpy's matmul throughput (target >= 50 %)")


if __name__ == "__main__":
    main()
