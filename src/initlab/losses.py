r"""Loss functions, averaged over the N samples of a batch.

Each loss has

* ``value(a, t)``: the loss of output activations ``a`` against targets ``t``,
  both of shape ``(N, O)`` (or ``(K, N, O)`` for a population: then the result
  has shape ``(K,)``, one loss per member);
* ``gradient(a, t)``: dLoss/da, same shape as ``a``;
* ``output_delta(z, a, t, output)``: delta_L = dLoss/dz_L = dLoss/da · g_L'(z_L),
  where the backward pass starts;
* ``targets(y, n_outputs, per_sample)``: checks y and brings it to the shape
  of ``a`` (labels to one-hot, a column for a single output).

`bce` and `softmax_ce` take logits: the output layer must be "identity", and
the sigmoid / softmax is part of the loss.  That is numerically stable, and it
makes delta_L = (p − t)/N, the same simple form as for `mse` with a linear
output.
"""

import numpy as np

from ._checks import unknown_name


class Loss:
    """Base class.  `needs_logits`: the output layer must be the identity."""

    name = "loss"
    needs_logits = False

    def output_delta(self, z, a, t, output):
        """delta_L = dLoss/da ⊙ g_L'(z_L), shape of `z`."""
        grad = self.gradient(a, t)
        if output.name == "identity":
            return grad  # g' = 1: skip a multiplication by ones
        return grad * output.derivative(z, a)

    def __repr__(self):
        return f"<loss {self.name}>"


def _column(y, n_outputs, per_sample, loss_name):
    """y with an output axis of length n_outputs."""
    if per_sample:
        if n_outputs != 1:
            raise ValueError(
                f"{loss_name}: y has one value per sample but the network has "
                f"{n_outputs} outputs; give y with a last axis of length {n_outputs}"
            )
        return y[..., None]
    if y.shape[-1] != n_outputs:
        raise ValueError(
            f"{loss_name}: y has {y.shape[-1]} columns but the network has "
            f"{n_outputs} outputs"
        )
    return y


class MSE(Loss):
    r"""Mean squared error, L = (1/(2N)) Σ_n Σ_o (a_no − y_no)².

    The factor 1/2 makes dL/da = (a − y)/N.
    """

    name = "mse"

    def targets(self, y, n_outputs, per_sample):
        return _column(np.asarray(y, dtype=float), n_outputs, per_sample, self.name)

    def value(self, a, t):
        n = a.shape[-2]
        r = a - t
        return np.sum(r * r, axis=(-2, -1)) / (2 * n)

    def gradient(self, a, t):
        return (a - t) / a.shape[-2]


class BinaryCrossEntropy(Loss):
    r"""Binary cross-entropy on logits z, with p = σ(z), y ∈ {0, 1}:

    L = −(1/N) Σ_n Σ_o [y log p + (1 − y) log(1 − p)]
      = (1/N) Σ_n Σ_o [max(z, 0) − z y + log(1 + e^{−|z|})],

    the second form never overflows.  dL/dz = (σ(z) − y)/N.  Targets in
    [0, 1] (soft labels) are accepted.
    """

    name = "bce"
    needs_logits = True

    def targets(self, y, n_outputs, per_sample):
        y = np.asarray(y, dtype=float)
        if np.any((y < 0) | (y > 1)):
            raise ValueError(
                f"bce needs targets in {{0, 1}} (or probabilities in [0, 1]); got values "
                f"from {y.min():g} to {y.max():g}. For ±1 targets use (y + 1) / 2"
            )
        return _column(y, n_outputs, per_sample, self.name)

    def value(self, z, t):
        n = z.shape[-2]
        per_entry = np.maximum(z, 0) - z * t + np.log1p(np.exp(-np.abs(z)))
        return np.sum(per_entry, axis=(-2, -1)) / n

    def gradient(self, z, t):
        e = np.exp(-np.abs(z))
        p = np.where(z >= 0, 1.0, e) / (1.0 + e)  # stable sigmoid
        return (p - t) / z.shape[-2]


class SoftmaxCrossEntropy(Loss):
    r"""Softmax cross-entropy on logits z of C classes:

    L = −(1/N) Σ_n log softmax(z_n)_{y_n},  softmax(z)_c = e^{z_c} / Σ_k e^{z_k}.

    Computed with the log-sum-exp shift by max_c z_c.  dL/dz = (softmax(z) − Y)/N
    with Y the one-hot targets.  y may be integer labels ``(N,)`` in 0..C−1 or
    one-hot (or probability) rows ``(N, C)``.
    """

    name = "softmax_ce"
    needs_logits = True

    def targets(self, y, n_outputs, per_sample):
        if n_outputs < 2:
            raise ValueError(
                f"softmax_ce needs at least 2 outputs (one per class), the network has "
                f"{n_outputs}; use bce for a single output"
            )
        y = np.asarray(y)
        if not per_sample:
            rows = _column(np.asarray(y, dtype=float), n_outputs, per_sample, self.name)
            if np.any(rows < 0) or np.any(np.abs(rows.sum(axis=-1) - 1) > 1e-6):
                raise ValueError(
                    "softmax_ce needs one-hot (or probability) rows: entries >= 0 that sum to "
                    f"1 in every row; got entries from {rows.min():g} to {rows.max():g} and row "
                    f"sums from {rows.sum(axis=-1).min():g} to {rows.sum(axis=-1).max():g}. "
                    "For class labels pass y of shape (N,)")
            return rows
        labels = y.astype(np.int64)
        if np.any(labels != y) or np.any(labels < 0) or np.any(labels >= n_outputs):
            raise ValueError(
                f"softmax_ce needs integer labels in 0..{n_outputs - 1} (one per output); "
                f"got values from {y.min()!r} to {y.max()!r}"
            )
        return np.eye(n_outputs)[labels]

    def _log_sum_exp(self, z):
        m = np.max(z, axis=-1, keepdims=True)
        return m + np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True))

    def value(self, z, t):
        n = z.shape[-2]
        return np.sum(t * (self._log_sum_exp(z) - z), axis=(-2, -1)) / n

    def gradient(self, z, t):
        p = np.exp(z - self._log_sum_exp(z))
        return (p - t) / z.shape[-2]


mse = MSE()
bce = BinaryCrossEntropy()
softmax_ce = SoftmaxCrossEntropy()

_BY_NAME = {loss.name: loss for loss in (mse, bce, softmax_ce)}

#: Names accepted wherever a loss is expected.
LOSSES = tuple(_BY_NAME)


def get_loss(loss):
    """Resolve a name (see `LOSSES`) or pass a `Loss` object through."""
    if isinstance(loss, Loss):
        return loss
    if isinstance(loss, str):
        if loss not in _BY_NAME:
            raise unknown_name("loss", loss, LOSSES)
        return _BY_NAME[loss]
    raise ValueError(f"loss must be one of {', '.join(LOSSES)} or a Loss object, got {loss!r}")
