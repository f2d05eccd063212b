"""Kata tensorflow/q09: data-parallel training with MirroredStrategy over two logical CPUs. Edit this file."""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

FILE = "katas/tensorflow/q09_distribute/distributed.py"


def configure_cpus(n: int = 2) -> None:
    """Split the physical CPU into n logical devices. Must run before TensorFlow initialises its runtime."""
    raise NotImplementedError(f"configure_cpus: write it in {FILE}")


def make_strategy() -> tf.distribute.MirroredStrategy:
    """A MirroredStrategy over every logical CPU device."""
    raise NotImplementedError(f"make_strategy: write it in {FILE}")


def build_model(strategy: tf.distribute.Strategy) -> keras.Model:
    """Input (8,) -> Dense(16, relu) -> Dense(2) logits, created and compiled inside strategy.scope()."""
    raise NotImplementedError(f"build_model: write it in {FILE}")


def replica_batch_sizes(strategy: tf.distribute.Strategy, x: np.ndarray, global_batch_size: int) -> list[int]:
    """Split the first global batch of x across the replicas; return the number of rows each replica gets."""
    raise NotImplementedError(f"replica_batch_sizes: write it in {FILE}")
