"""Kata tensorflow/e02: a small convolutional network for 28x28 digits. Edit this file."""

from __future__ import annotations

import keras

FILE = "katas/tensorflow/e02_cnn/mnist_cnn.py"


def build_cnn() -> keras.Model:
    """(28, 28) -> Reshape -> Conv2D(32, 3, relu) -> MaxPooling2D -> Flatten -> Dense(10, softmax), compiled."""
    raise NotImplementedError(f"build_cnn: write it in {FILE}")
