"""Reference solution for tensorflow/e01: load mnist.npz, build a Flatten-Dense(128)-Dense(10) network, train it."""

from __future__ import annotations

import keras
import numpy as np


def load_mnist(path) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Read an mnist.npz file into ((x_train, y_train), (x_test, y_test)): images float32 in [0, 1], labels int64."""
    # The same layout keras.datasets.mnist.load_data() reads: four arrays in one .npz archive.
    with np.load(path) as data:
        x_train, y_train = data["x_train"], data["y_train"]
        x_test, y_test = data["x_test"], data["y_test"]
    # Pixels arrive as uint8 0..255. Networks train far better on small inputs, so scale to [0, 1]; float32 is
    # the dtype Keras computes in (float64 would only cost memory).
    scale = 255.0
    return (
        (x_train.astype("float32") / scale, y_train.astype("int64")),
        (x_test.astype("float32") / scale, y_test.astype("int64")),
    )


def build_model() -> keras.Model:
    """Input (28, 28) -> Flatten -> Dense(128, relu) -> Dense(10, softmax), compiled for integer labels."""
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),  # Keras 3: an Input, not `input_shape=` on the first layer
            keras.layers.Flatten(),  # (28, 28) -> (784,)
            keras.layers.Dense(128, activation="relu"),  # 784 * 128 + 128 = 100,480 parameters
            keras.layers.Dense(10, activation="softmax"),  # 128 * 10 + 10 = 1,290: one probability per digit
        ]
    )
    # Integer labels 0..9 with probabilities out: the *sparse* categorical cross-entropy. Keras 3's compile()
    # takes (optimizer, loss, loss_weights, metrics, ...): metrics must be passed by keyword.
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def train(model: keras.Model, x, y, epochs: int = 5, batch_size: int = 32) -> keras.callbacks.History:
    """Fit the model silently and return the History."""
    return model.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0)
