"""Fixtures shared by the tensorflow katas: quiet logs, fixed seeds, two CPU threads, small real data sets."""

from __future__ import annotations

import os

# Before TensorFlow is imported: no C++ info/warning logs, no oneDNN notice, the TensorFlow backend for Keras.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import absl.logging  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402

absl.logging.set_verbosity(absl.logging.ERROR)
tf.get_logger().setLevel("ERROR")
keras.utils.disable_interactive_logging()  # no progress bars, whatever `verbose` a learner passes

# Thread pools must be sized before TensorFlow initialises its runtime (the first op). On two cores, two
# intra-op threads and one inter-op thread keep runs fast and repeatable.
try:
    tf.config.threading.set_intra_op_parallelism_threads(2)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    tf.config.experimental.enable_op_determinism()
except RuntimeError:  # another topic already started TensorFlow in this process
    pass


@pytest.fixture(autouse=True)
def _seed_everything():
    """Every test starts from the same random state (Python, numpy, TensorFlow), whatever ran before it."""
    keras.utils.set_random_seed(0)
    yield


@pytest.fixture(scope="session")
def mnist():
    """The real 5,000-image MNIST sample: ((x_train, y_train), (x_test, y_test)), 4,000 / 1,000 images.

    Images are float32 in [0, 1] shaped (N, 28, 28); labels int64.
    """
    from graders.kit.data import mnist_split

    (x_train, y_train), (x_test, y_test) = mnist_split()
    return (
        (x_train.astype("float32") / 255.0, y_train.astype("int64")),
        (x_test.astype("float32") / 255.0, y_test.astype("int64")),
    )


@pytest.fixture(scope="session")
def overfit_data():
    """An over-fitting set-up: few scikit-learn digits with a third of the training labels shuffled.

    Returns (x_train, y_train, x_val, y_val): 120 training rows (noisy labels), 400 clean validation rows,
    64 float32 features scaled to [0, 1]. A wide network memorises the noise, so the validation loss falls
    for a few epochs and then rises.
    """
    from sklearn.datasets import load_digits

    x, y = load_digits(return_X_y=True)
    rng = np.random.default_rng(0)
    order = rng.permutation(len(y))
    x = (x[order] / 16.0).astype("float32")
    y = y[order].astype("int64")
    x_train, y_train = x[:120], y[:120].copy()
    noisy = rng.choice(120, size=40, replace=False)
    y_train[noisy] = rng.integers(0, 10, size=40)
    return x_train, y_train, x[120:520], y[120:520]


@pytest.fixture(scope="session")
def batch_norm_facts():
    """A tiny experiment on the installed Keras: what keeps BatchNormalization's moving statistics fixed in `fit`?

    An inner functional model (Dense -> BatchNormalization), nested in an outer one, trained for one `fit` step:
    - "training_false": the inner model is called with `training=False` when the outer model is built and its
      BatchNorm layer is trainable (the keras.io guide's recipe, which held in Keras 2 / tf.keras);
    - "bn_frozen": it is called plainly, but its BatchNorm layer has `trainable = False`.
    Returns {variant: True if the moving mean and variance stayed unchanged}. In Keras 3 `fit` passes
    training=True down to every layer, overriding the `training=False` written at construction
    (keras-team/keras#20285), so only a frozen BatchNorm layer keeps its statistics: expected
    {"training_false": False, "bn_frozen": True}. The fine-tuning katas (e05, q07) assert it, so that their
    READMEs are re-examined if a Keras release changes it.
    """
    rng = np.random.default_rng(0)
    x = rng.normal(3.0, 2.0, size=(16, 4)).astype("float32")  # far from the initial moving mean 0, variance 1
    y = rng.normal(size=(16, 1)).astype("float32")
    kept = {}
    for variant in ("training_false", "bn_frozen"):
        keras.utils.set_random_seed(0)
        inner_in = keras.Input((4,))
        bn = keras.layers.BatchNormalization()
        inner = keras.Model(inner_in, bn(keras.layers.Dense(3)(inner_in)))
        outer_in = keras.Input((4,))
        features = inner(outer_in, training=False) if variant == "training_false" else inner(outer_in)
        outer = keras.Model(outer_in, keras.layers.Dense(1)(features))
        if variant == "bn_frozen":
            bn.trainable = False
        outer.compile(optimizer="sgd", loss="mse", run_eagerly=True)
        before = [w.numpy().copy() for w in (bn.moving_mean, bn.moving_variance)]
        outer.fit(x, y, batch_size=16, epochs=1, verbose=0)
        after = [w.numpy() for w in (bn.moving_mean, bn.moving_variance)]
        kept[variant] = all(np.array_equal(a, b) for a, b in zip(after, before, strict=True))
    keras.utils.set_random_seed(0)
    return kept
