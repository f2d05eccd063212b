"""Hidden-test style checks for tensorflow/q03: a GradientTape loop with per-epoch metrics."""

import keras
import numpy as np
import pytest
import tensorflow as tf

LOSS = keras.losses.SparseCategoricalCrossentropy(from_logits=True)


@pytest.fixture
def loop(kata):
    return kata.module("custom_loop")


@pytest.fixture(scope="module")
def digits():
    from sklearn.datasets import load_digits

    x, y = load_digits(return_X_y=True)
    order = np.random.default_rng(0).permutation(len(y))
    return (x[order] / 16.0).astype("float32"), y[order].astype("int64")


def _model(seed: int, batch_norm: bool = False) -> keras.Model:
    keras.utils.set_random_seed(seed)
    if batch_norm:  # training=True matters: batch statistics in the step, moving ones otherwise
        # (No bias before BatchNorm: it would get only round-off gradients, which Adam magnifies.)
        hidden = [
            keras.layers.Dense(32, use_bias=False),
            keras.layers.BatchNormalization(),
            keras.layers.Activation("relu"),
        ]
    else:
        hidden = [keras.layers.Dense(32, activation="relu")]
    return keras.Sequential([keras.Input((64,)), *hidden, keras.layers.Dense(10)])


def _dataset(x, y, batch=64):
    return tf.data.Dataset.from_tensor_slices((x, y)).batch(batch)


def _reference(model, dataset, optimizer, epochs):
    """The loop the README describes, written independently."""
    history = {"loss": [], "accuracy": []}
    for _ in range(epochs):
        losses, correct, seen = [], 0, 0
        for x, y in dataset:
            with tf.GradientTape() as tape:
                logits = model(x, training=True)
                loss = LOSS(y, logits)
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=True))
            losses.append(float(loss))
            correct += int(np.sum(np.argmax(logits.numpy(), axis=1) == y.numpy()))
            seen += len(y)
        history["loss"].append(float(np.mean(losses)))
        history["accuracy"].append(correct / seen)
    return history


def test_returns_one_value_per_epoch_and_trains_every_variable(loop, digits):
    x, y = digits
    model = _model(0)
    before = [v.numpy().copy() for v in model.trainable_variables]
    history = loop.train(model, _dataset(x[:128], y[:128]), keras.optimizers.SGD(0.1), LOSS, epochs=2)
    assert isinstance(history, dict) and sorted(history) == ["accuracy", "loss"], (
        f"train() should return a dict with the keys 'loss' and 'accuracy', got {history!r}"
    )
    for key in ("loss", "accuracy"):
        assert len(history[key]) == 2 and all(isinstance(v, float) for v in history[key]), (
            f"history[{key!r}] should hold one float per epoch: {history[key]!r}"
        )
    unchanged = [
        v.path
        for v, old in zip(model.trainable_variables, before, strict=True)
        if np.array_equal(v.numpy(), old)
    ]
    assert not unchanged, f"these trainable variables never received a gradient update: {unchanged}"


def test_numbers_equal_a_reference_loop(loop, digits):
    x, y = digits
    model = _model(1, batch_norm=True)
    twin = keras.models.clone_model(model)
    twin.set_weights(model.get_weights())
    dataset = _dataset(x[:250], y[:250])  # batches of 64, 64, 64 and 58 rows: uneven on purpose
    optimizer = keras.optimizers.Adam(0.01)
    history = loop.train(model, dataset, optimizer, LOSS, epochs=2)
    steps = int(keras.ops.convert_to_numpy(optimizer.iterations))
    assert steps == 8, (
        f"the optimizer passed in made {steps} steps for 2 epochs of 4 batches: use it, not another"
    )
    expected = _reference(twin, dataset, keras.optimizers.Adam(0.01), epochs=2)
    np.testing.assert_allclose(
        history["loss"],
        expected["loss"],
        rtol=1e-4,
        err_msg="per-epoch loss: the mean of that epoch's batch losses (each batch counts once), "
        "computed with model(x, training=True)",
    )
    np.testing.assert_allclose(
        history["accuracy"],
        expected["accuracy"],
        atol=1e-6,
        err_msg="per-epoch accuracy: that epoch's predictions only (reset the metrics)",
    )
    for got, want in zip(model.get_weights(), twin.get_weights(), strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5, err_msg="weights after two epochs")


def test_loss_falls_and_accuracy_rises(loop, digits):
    x, y = digits
    model = _model(2)
    history = loop.train(
        model, _dataset(x[:1536], y[:1536]).shuffle(2048, seed=0), keras.optimizers.Adam(0.01), LOSS, epochs=4
    )
    assert history["loss"][-1] < 0.3 * history["loss"][0], f"the loss should fall: {history['loss']}"
    assert history["accuracy"][-1] >= 0.9, f"training accuracy {history['accuracy']}"
    held_out = np.argmax(np.asarray(model(x[1536:])), axis=1)
    assert np.mean(held_out == y[1536:]) >= 0.85, "the trained model should classify held-out digits"
