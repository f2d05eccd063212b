"""Near miss: the default activation is ReLU (the usual modern choice), not the sigmoid whose gradients vanish."""

from __future__ import annotations

import keras
import tensorflow as tf


def build_deep_net(
    depth: int = 10,
    width: int = 32,
    activation: str = "relu",
    batch_norm: bool = False,
    input_dim: int = 16,
) -> keras.Sequential:
    """`depth` hidden blocks Dense(width) [-> BatchNormalization] -> Activation, then a linear Dense(1)."""
    layers: list[keras.layers.Layer] = [keras.Input(shape=(input_dim,))]
    for _ in range(depth):
        layers.append(keras.layers.Dense(width))  # linear; the activation comes after the normalisation
        if batch_norm:
            # Re-centres and re-scales each unit over the batch, so the next activation sees inputs of a healthy
            # scale (for ReLU: about half active) instead of drifting into a flat region.
            layers.append(keras.layers.BatchNormalization())
        layers.append(keras.layers.Activation(activation))
    layers.append(keras.layers.Dense(1))
    return keras.Sequential(layers)


def layer_gradient_norms(model: keras.Model, x, y) -> list[float]:
    """L2 norm of d(MSE)/d(kernel) for every Dense layer, from the first layer to the output layer."""
    kernels = [layer.kernel for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    with tf.GradientTape() as tape:
        # training=True: BatchNormalization normalises with the batch's own statistics, as during training.
        predictions = model(x, training=True)
        loss = keras.losses.MeanSquaredError()(y, predictions)
    gradients = tape.gradient(loss, kernels)
    # Backpropagation multiplies by each layer's local derivative on the way down. sigmoid'(z) <= 0.25, so ten
    # sigmoid layers shrink the first layer's gradient by orders of magnitude; ReLU's derivative is 0 or 1.
    return [float(tf.norm(gradient)) for gradient in gradients]
