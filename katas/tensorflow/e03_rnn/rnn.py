"""Kata tensorflow/e03: a SimpleRNN classifier on a learnable sequence task. Edit this file."""

from __future__ import annotations

import keras
import numpy as np

FILE = "katas/tensorflow/e03_rnn/rnn.py"


def make_sequences(n: int, timesteps: int = 10, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """n random sequences x (n, timesteps, 1) and labels y (n,): 1 where the sequence sums to more than 0."""
    raise NotImplementedError(f"make_sequences: write it in {FILE}")


def build_rnn(timesteps: int = 10, units: int = 16) -> keras.Model:
    """Input (timesteps, 1) -> SimpleRNN(units) -> Dense(1, sigmoid), compiled for binary labels."""
    raise NotImplementedError(f"build_rnn: write it in {FILE}")
