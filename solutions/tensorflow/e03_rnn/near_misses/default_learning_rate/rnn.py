"""Near miss: compiles with optimizer="adam", whose default learning rate (1e-3) is not the README's 0.02."""

from __future__ import annotations

import keras
import numpy as np


def make_sequences(n: int, timesteps: int = 10, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """n random sequences x (n, timesteps, 1) and labels y (n,): 1 where the sequence sums to more than 0."""
    x = np.random.default_rng(seed).standard_normal((n, timesteps, 1)).astype("float32")
    # The label depends on every time step: the network has to carry a running total in its hidden state.
    # (The roadmap draws labels at random, independent of x: no model can beat 50 % on those.)
    y = (x.sum(axis=(1, 2)) > 0).astype("int64")
    return x, y


def build_rnn(timesteps: int = 10, units: int = 16) -> keras.Model:
    """Input (timesteps, 1) -> SimpleRNN(units) -> Dense(1, sigmoid), compiled for binary labels."""
    model = keras.Sequential(
        [
            keras.Input(shape=(timesteps, 1)),  # Keras 3: no input_shape= on the layer
            # h_t = tanh(x_t W + h_{t-1} U + b), the same W, U, b at every step: units * (1 + units + 1) weights.
            # Only the last h is returned (return_sequences=False): one vector per sequence.
            keras.layers.SimpleRNN(units),
            keras.layers.Dense(1, activation="sigmoid"),  # P(label = 1)
        ]
    )
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model
