"""Kata tensorflow/q06: EarlyStopping, ModelCheckpoint (best only) and a custom logging callback. Edit this file."""

from __future__ import annotations

import keras

FILE = "katas/tensorflow/q06_callbacks/callbacks.py"


class EpochLogger(keras.callbacks.Callback):
    """Writes one JSON line per epoch to `path`: {"epoch": 1-based, "loss": ..., "val_loss": ...}."""

    def __init__(self, path):
        super().__init__()
        raise NotImplementedError(f"EpochLogger: write it in {FILE}")


def make_callbacks(checkpoint_path, log_path, patience: int = 3) -> list[keras.callbacks.Callback]:
    """[EarlyStopping, ModelCheckpoint (best val_loss only), EpochLogger], in that order."""
    raise NotImplementedError(f"make_callbacks: write it in {FILE}")
