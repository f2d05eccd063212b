"""Kata tensorflow/q08: the TensorBoard callback plus custom tf.summary scalars. Edit this file."""

from __future__ import annotations

import keras

FILE = "katas/tensorflow/q08_tensorboard/tensorboard_logging.py"


class GapLogger(keras.callbacks.Callback):
    """Logs the scalar 'generalisation_gap' (val_loss - loss) at each epoch to event files in <log_dir>/custom."""

    def __init__(self, log_dir):
        super().__init__()
        raise NotImplementedError(f"GapLogger: write it in {FILE}")


def train_with_tensorboard(
    model: keras.Model, x, y, x_val, y_val, log_dir, epochs: int = 3
) -> keras.callbacks.History:
    """Fit with validation data, the TensorBoard callback writing to log_dir, and a GapLogger(log_dir)."""
    raise NotImplementedError(f"train_with_tensorboard: write it in {FILE}")
