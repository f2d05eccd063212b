"""Near miss: keeps the path as given and calls Path methods on it: fine for a pathlib.Path, an
AttributeError for a str path (the README allows both)."""

from __future__ import annotations

import json

import keras


class EpochLogger(keras.callbacks.Callback):
    """Writes one JSON line per epoch to `path`: {"epoch": 1-based, "loss": ..., "val_loss": ...}."""

    def __init__(self, path):
        super().__init__()
        self.path = path

    def on_train_begin(self, logs=None):
        self.path.write_text("")  # a fresh log for every fit() call

    def on_epoch_end(self, epoch, logs=None):
        # Keras passes the epoch index from 0 and the epoch's metrics in `logs` (tensors or numpy floats: make
        # them plain floats for JSON). People count epochs from 1.
        logs = logs or {}
        record = {"epoch": epoch + 1, "loss": float(logs["loss"]), "val_loss": float(logs["val_loss"])}
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record) + "\n")


def make_callbacks(checkpoint_path, log_path, patience: int = 3) -> list[keras.callbacks.Callback]:
    """[EarlyStopping, ModelCheckpoint (best val_loss only), EpochLogger], in that order."""
    return [
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience, restore_best_weights=True),
        # Keras 3 saves whole models as `.keras` files (or weights only as `.weights.h5` with
        # save_weights_only=True); the roadmap's 'best.h5' is the legacy format.
        keras.callbacks.ModelCheckpoint(str(checkpoint_path), monitor="val_loss", save_best_only=True),
        EpochLogger(log_path),
    ]
