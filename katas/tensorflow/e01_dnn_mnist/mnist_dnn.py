"""Kata tensorflow/e01: load mnist.npz, build a Flatten-Dense(128)-Dense(10) network, train it. Edit this file."""

from __future__ import annotations

import keras
import numpy as np

FILE = "katas/tensorflow/e01_dnn_mnist/mnist_dnn.py"


def load_mnist(path) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Read an mnist.npz file into ((x_train, y_train), (x_test, y_test)): images float32 in [0, 1], labels int64."""
    raise NotImplementedError(f"load_mnist: write it in {FILE}")


def build_model() -> keras.Model:
    """Input (28, 28) -> Flatten -> Dense(128, relu) -> Dense(10, softmax), compiled for integer labels."""
    raise NotImplementedError(f"build_model: write it in {FILE}")


def train(model: keras.Model, x, y, epochs: int = 5, batch_size: int = 32) -> keras.callbacks.History:
    """Fit the model silently and return the History."""
    raise NotImplementedError(f"train: write it in {FILE}")
