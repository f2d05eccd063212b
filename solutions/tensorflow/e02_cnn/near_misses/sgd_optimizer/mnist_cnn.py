"""Near miss: compiles with plain SGD instead of the optimizer="adam" the README asks for."""

from __future__ import annotations

import keras


def build_cnn() -> keras.Model:
    """(28, 28) -> Reshape -> Conv2D(32, 3, relu) -> MaxPooling2D -> Flatten -> Dense(10, softmax), compiled."""
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Reshape((28, 28, 1)),  # images need a channel axis: (28, 28) -> (28, 28, 1)
            # 32 filters of 3x3 over 1 channel: 32 * (3*3*1 + 1) = 320 parameters, shared across every position.
            # padding='valid' (the default) keeps only full windows: 28 - 3 + 1 = 26.
            keras.layers.Conv2D(32, 3, activation="relu"),  # -> (26, 26, 32)
            keras.layers.MaxPooling2D(),  # 2x2 windows, stride 2 -> (13, 13, 32): no parameters
            keras.layers.Flatten(),  # -> 5408
            keras.layers.Dense(10, activation="softmax"),  # 5408 * 10 + 10 = 54,090
        ]
    )
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
