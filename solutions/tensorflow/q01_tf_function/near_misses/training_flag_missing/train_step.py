"""Near miss: calls model(x) without training=True: BatchNormalization (and Dropout) run in inference mode
during the training step."""

from __future__ import annotations

import keras
import tensorflow as tf


def train_step(model: keras.Model, optimizer, loss_fn, x, y) -> tf.Tensor:
    """One eager step: forward pass, loss, gradients, update; return the loss computed before the update."""
    with tf.GradientTape() as tape:
        predictions = model(x)
        loss = loss_fn(y, predictions)
    variables = model.trainable_variables
    gradients = tape.gradient(loss, variables)
    optimizer.apply_gradients(zip(gradients, variables, strict=True))
    return loss


def make_train_step(model: keras.Model, optimizer, loss_fn):
    """Return a tf.function `step(x, y)` doing what train_step does, traced once for every batch size."""
    # Without a signature, tf.function traces a new graph for every new input shape (and for every new Python
    # value passed as an argument). `None` in the batch dimension makes one graph serve every batch size,
    # the last, smaller batch of an epoch included.
    signature = [
        tf.TensorSpec(shape=(None, *model.input_shape[1:]), dtype=tf.float32),
        tf.TensorSpec(shape=(None,), dtype=tf.int64),
    ]

    @tf.function(input_signature=signature)
    def step(x, y):
        # Traced once: Python code here runs only while tracing; the graph then runs without Python.
        return train_step(model, optimizer, loss_fn, x, y)

    return step
