"""Kata tensorflow/q05: per-layer gradient norms in deep sigmoid and ReLU + BatchNorm networks. Edit this file."""

from __future__ import annotations

import keras

FILE = "katas/tensorflow/q05_vanishing_gradients/vanishing.py"


def build_deep_net(
    depth: int = 10,
    width: int = 32,
    activation: str = "sigmoid",
    batch_norm: bool = False,
    input_dim: int = 16,
) -> keras.Sequential:
    """`depth` hidden blocks Dense(width) [-> BatchNormalization] -> Activation, then a linear Dense(1)."""
    raise NotImplementedError(f"build_deep_net: write it in {FILE}")


def layer_gradient_norms(model: keras.Model, x, y) -> list[float]:
    """L2 norm of d(MSE)/d(kernel) for every Dense layer, from the first layer to the output layer."""
    raise NotImplementedError(f"layer_gradient_norms: write it in {FILE}")
