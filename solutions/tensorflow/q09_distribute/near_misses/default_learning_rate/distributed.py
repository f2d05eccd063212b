"""Near miss: compiles with `keras.optimizers.Adam()`, whose default learning rate 0.001 is not the 0.01 asked for."""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf


def configure_cpus(n: int = 2) -> None:
    """Split the physical CPU into n logical devices. Must run before TensorFlow initialises its runtime."""
    # Logical devices let one machine pretend to have several: the same code then runs on 2 GPUs or 8.
    # TensorFlow fixes its devices at start-up, so this raises RuntimeError once any op has run.
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(
        cpu, [tf.config.LogicalDeviceConfiguration() for _ in range(n)]
    )


def make_strategy() -> tf.distribute.MirroredStrategy:
    """A MirroredStrategy over every logical CPU device."""
    # Name the devices: with no argument MirroredStrategy chooses by itself (all GPUs when there are some).
    devices = [device.name for device in tf.config.list_logical_devices("CPU")]
    return tf.distribute.MirroredStrategy(devices)


def build_model(strategy: tf.distribute.Strategy) -> keras.Model:
    """Input (8,) -> Dense(16, relu) -> Dense(2) logits, created and compiled inside strategy.scope()."""
    # Variables created inside the scope are MirroredVariables: one copy per replica, kept identical because
    # every replica applies the same all-reduced (summed) gradients.
    with strategy.scope():
        model = keras.Sequential(
            [keras.Input(shape=(8,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(2)]
        )
        model.compile(
            optimizer=keras.optimizers.Adam(),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            metrics=["accuracy"],
        )
    return model


def replica_batch_sizes(strategy: tf.distribute.Strategy, x: np.ndarray, global_batch_size: int) -> list[int]:
    """Split the first global batch of x across the replicas; return the number of rows each replica gets."""
    dataset = tf.data.Dataset.from_tensor_slices(x).batch(global_batch_size)
    # Each global batch is divided between the replicas: 32 rows on 2 replicas = 16 rows each.
    distributed = strategy.experimental_distribute_dataset(dataset)
    first = next(iter(distributed))
    return [int(part.shape[0]) for part in strategy.experimental_local_results(first)]
