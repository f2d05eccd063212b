"""Reference solution for tensorflow/q02: a two-input functional model with a shared layer and residual connections."""

from __future__ import annotations

import keras


def build_model(dim: int = 16) -> keras.Model:
    """Inputs 'a' and 'b' of shape (dim,); shared Dense 'shared'; residual Adds; concatenation; Dense(1) 'head'."""
    a = keras.Input(shape=(dim,), name="a")
    b = keras.Input(shape=(dim,), name="b")
    # One layer object, called twice: both branches use (and train) the same kernel and bias. A Sequential model
    # cannot express this, nor the two inputs, nor the skip connections below.
    shared = keras.layers.Dense(dim, activation="relu", name="shared")
    # Residual connections: each branch outputs its input plus what the layer adds to it. The shapes must agree,
    # hence Dense(dim) for an input of width dim.
    ra = keras.layers.Add()([a, shared(a)])
    rb = keras.layers.Add()([b, shared(b)])
    merged = keras.layers.Concatenate()([ra, rb])  # (None, 2 * dim): branch a first
    output = keras.layers.Dense(1, name="head")(merged)
    return keras.Model(inputs=[a, b], outputs=output)
