"""Kata tensorflow/q04: forward and backward pass of a 2-layer MLP in numpy. Edit this file."""

from __future__ import annotations

import numpy as np

FILE = "katas/tensorflow/q04_backprop_numpy/backprop.py"


def forward(params: dict[str, np.ndarray], x: np.ndarray) -> tuple[np.ndarray, object]:
    """softmax(relu(x @ W1 + b1) @ W2 + b2): return (probabilities of shape (N, n_out), cache for backward)."""
    raise NotImplementedError(f"forward: write it in {FILE}")


def cross_entropy(probs: np.ndarray, y: np.ndarray) -> float:
    """Mean cross-entropy of integer labels y under the predicted probabilities."""
    raise NotImplementedError(f"cross_entropy: write it in {FILE}")


def backward(params: dict[str, np.ndarray], cache: object, y: np.ndarray) -> dict[str, np.ndarray]:
    """Gradients of the mean cross-entropy with respect to W1, b1, W2, b2 (same keys and shapes as params)."""
    raise NotImplementedError(f"backward: write it in {FILE}")
