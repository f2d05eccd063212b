"""Kata tensorflow/q07: fine-tune the top layers of a transfer-learning base. Edit this file."""

from __future__ import annotations

import keras

FILE = "katas/tensorflow/q07_fine_tuning/fine_tune.py"


def unfreeze_top(
    model: keras.Model, base: keras.Model, n_top: int, learning_rate: float = 1e-5
) -> keras.Model:
    """Make base.layers[-n_top:] trainable except BatchNormalization, freeze the rest of base, recompile."""
    raise NotImplementedError(f"unfreeze_top: write it in {FILE}")
