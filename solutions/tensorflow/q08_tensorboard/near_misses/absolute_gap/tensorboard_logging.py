"""Near miss: logs the gap's size `abs(val_loss - loss)`, losing its sign: a validation loss below the training loss
looks like over-fitting."""

from __future__ import annotations

from pathlib import Path

import keras
import tensorflow as tf


class GapLogger(keras.callbacks.Callback):
    """Logs the scalar 'generalisation_gap' (val_loss - loss) at each epoch to event files in <log_dir>/custom."""

    def __init__(self, log_dir):
        super().__init__()
        # One writer per run folder; TensorBoard shows each subfolder (train, validation, custom) as a run.
        self.writer = tf.summary.create_file_writer(str(Path(log_dir) / "custom"))

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        # tf.summary ops write to the *default* writer: outside `as_default()` they write nothing.
        with self.writer.as_default():
            # A growing gap between validation and training loss is over-fitting, at a glance.
            tf.summary.scalar("generalisation_gap", abs(logs["val_loss"] - logs["loss"]), step=epoch)
        self.writer.flush()  # events are buffered: flush so they are on disk (and visible) now

    def on_train_end(self, logs=None):
        self.writer.close()


def train_with_tensorboard(
    model: keras.Model, x, y, x_val, y_val, log_dir, epochs: int = 3
) -> keras.callbacks.History:
    """Fit with validation data, the TensorBoard callback writing to log_dir, and a GapLogger(log_dir)."""
    callbacks = [
        # Writes epoch_loss, epoch_<metric> to log_dir/train and log_dir/validation at steps 0, 1, 2, ...
        # View them with: tensorboard --logdir <log_dir>
        keras.callbacks.TensorBoard(log_dir=str(log_dir)),
        GapLogger(log_dir),
    ]
    return model.fit(
        x, y, validation_data=(x_val, y_val), epochs=epochs, batch_size=32, callbacks=callbacks, verbose=0
    )
