"""Kata tensorflow/e05: transfer learning with a frozen MobileNetV2 base and a new head. Edit this file."""

from __future__ import annotations

import keras

FILE = "katas/tensorflow/e05_transfer/transfer.py"


def build_transfer_model(
    num_classes: int = 5, input_shape: tuple[int, int, int] = (128, 128, 3), weights: str | None = "imagenet"
) -> keras.Model:
    """Raw pixels -> Rescaling to [-1, 1] -> frozen MobileNetV2 -> Dense(num_classes, softmax), compiled."""
    raise NotImplementedError(f"build_transfer_model: write it in {FILE}")


def unfreeze_for_fine_tuning(
    model: keras.Model, base: keras.Model, learning_rate: float = 1e-5
) -> keras.Model:
    """Unfreeze the whole base except its BatchNormalization layers, recompile with a low learning rate."""
    raise NotImplementedError(f"unfreeze_for_fine_tuning: write it in {FILE}")
