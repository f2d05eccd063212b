"""Near miss: `dlogits = probs` without a copy, so subtracting the one-hot labels in place changes the probabilities
forward() returned (and the cache): a second backward() gives other gradients."""

from __future__ import annotations

import numpy as np


def forward(params: dict[str, np.ndarray], x: np.ndarray) -> tuple[np.ndarray, object]:
    """softmax(relu(x @ W1 + b1) @ W2 + b2): return (probabilities of shape (N, n_out), cache for backward)."""
    z1 = x @ params["W1"] + params["b1"]  # (N, hidden) pre-activation
    h = np.maximum(z1, 0.0)  # ReLU
    logits = h @ params["W2"] + params["b2"]  # (N, out)
    # Softmax is unchanged by subtracting a constant per row; subtracting the maximum keeps exp() from
    # overflowing when logits are large.
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    probs = exp / exp.sum(axis=1, keepdims=True)
    # The backward pass re-uses the forward pass's intermediate values: that is what "caching activations" means,
    # and why training needs memory proportional to the depth of the network.
    return probs, {"x": x, "z1": z1, "h": h, "probs": probs}


def cross_entropy(probs: np.ndarray, y: np.ndarray) -> float:
    """Mean cross-entropy of integer labels y under the predicted probabilities."""
    picked = probs[np.arange(len(y)), y]
    return float(-np.log(np.clip(picked, 1e-300, None)).mean())


def backward(params: dict[str, np.ndarray], cache: object, y: np.ndarray) -> dict[str, np.ndarray]:
    """Gradients of the mean cross-entropy with respect to W1, b1, W2, b2 (same keys and shapes as params)."""
    x, z1, h, probs = cache["x"], cache["z1"], cache["h"], cache["probs"]
    n = len(y)
    # Softmax + cross-entropy together have the famous simple gradient: probs - one_hot(y). The loss is a mean
    # over the batch, so every example contributes 1/N.
    dlogits = probs
    dlogits[np.arange(n), y] -= 1.0
    dlogits /= n
    # The chain rule, from the output back to the input, one layer at a time.
    grads = {
        "W2": h.T @ dlogits,  # logits = h @ W2 + b2
        "b2": dlogits.sum(axis=0),  # the bias is added to every row: sum over the batch
    }
    dh = dlogits @ params["W2"].T
    dz1 = dh * (z1 > 0)  # ReLU passes the gradient where it was active, blocks it elsewhere
    grads["W1"] = x.T @ dz1
    grads["b1"] = dz1.sum(axis=0)
    return {key: grads[key] for key in ("W1", "b1", "W2", "b2")}
