"""Hidden-test style checks for tensorflow/q01: the graph step computes what the eager step does, traced once."""

import keras
import numpy as np
import pytest
import tensorflow as tf


@pytest.fixture
def ts(kata):
    return kata.module("train_step")


def _model(seed: int = 0) -> keras.Model:
    keras.utils.set_random_seed(seed)
    return keras.Sequential(
        [keras.Input((10,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(3)]
    )


def _twin(model: keras.Model) -> keras.Model:
    twin = keras.models.clone_model(model)
    twin.set_weights(model.get_weights())
    return twin


def _batch(seed: int, n: int = 32):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 10)).astype("float32")
    return tf.constant(x), tf.constant(np.argmax(x[:, :3], axis=1).astype("int64"))


LOSS = keras.losses.SparseCategoricalCrossentropy(from_logits=True)


def test_make_train_step_returns_a_tf_function(ts):
    step = ts.make_train_step(_model(), keras.optimizers.SGD(0.1), LOSS)
    assert hasattr(step, "experimental_get_tracing_count"), (
        f"make_train_step() returned {type(step).__name__}: wrap the step in @tf.function"
    )


def test_eager_step_updates_like_gradient_descent(ts):
    model = _model(1)
    reference = _twin(model)
    x, y = _batch(1)
    with tf.GradientTape() as tape:
        expected_loss = LOSS(y, reference(x, training=True))
    grads = tape.gradient(expected_loss, reference.trainable_variables)
    expected = [w - 0.1 * g for w, g in zip(reference.trainable_variables, grads, strict=True)]
    loss = ts.train_step(model, keras.optimizers.SGD(0.1), LOSS, x, y)
    assert float(loss) == pytest.approx(float(expected_loss), rel=1e-5), "return the loss before the update"
    for got, want in zip(model.trainable_variables, expected, strict=True):
        np.testing.assert_allclose(
            np.asarray(got),
            np.asarray(want),
            rtol=1e-5,
            atol=1e-6,
            err_msg=f"{got.path} after one step of SGD(0.1)",
        )


def test_eager_step_runs_the_model_in_training_mode(ts):
    keras.utils.set_random_seed(5)
    model = keras.Sequential(
        [
            keras.Input((10,)),
            keras.layers.Dense(16),
            keras.layers.BatchNormalization(),
            keras.layers.Activation("relu"),
            keras.layers.Dense(3),
        ]
    )
    reference = _twin(model)
    x, y = _batch(5)
    x = x * 3.0 + 2.0  # batch statistics far from the initial moving mean 0 and variance 1
    expected_loss = float(LOSS(y, reference(x, training=True)))
    bn = model.layers[1]
    moving_mean = bn.moving_mean.numpy().copy()
    loss = ts.train_step(model, keras.optimizers.SGD(0.1), LOSS, x, y)
    assert float(loss) == pytest.approx(expected_loss, rel=1e-5), (
        "the loss differs from model(x, training=True)'s: run the model with training=True "
        "(BatchNormalization then normalises with the batch's own statistics)"
    )
    assert not np.array_equal(bn.moving_mean.numpy(), moving_mean), (
        "BatchNormalization's moving mean did not move: run the model with training=True"
    )


def test_graph_step_gives_the_eager_numbers(ts):
    eager_model = _model(2)
    graph_model = _twin(eager_model)
    eager_opt, graph_opt = keras.optimizers.Adam(0.01), keras.optimizers.Adam(0.01)
    step = ts.make_train_step(graph_model, graph_opt, LOSS)
    for seed in range(5):
        x, y = _batch(10 + seed)
        eager_loss = float(ts.train_step(eager_model, eager_opt, LOSS, x, y))
        graph_loss = float(step(x, y))
        assert graph_loss == pytest.approx(eager_loss, rel=1e-5), (
            f"step {seed}: graph loss differs from eager"
        )
    for got, want in zip(graph_model.get_weights(), eager_model.get_weights(), strict=True):
        np.testing.assert_allclose(
            got, want, rtol=1e-4, atol=1e-6, err_msg="weights after 5 graph vs eager steps"
        )


def test_one_trace_for_every_batch(ts):
    model = _model(3)
    step = ts.make_train_step(model, keras.optimizers.SGD(0.05), LOSS)
    losses = [float(step(*_batch(20 + seed))) for seed in range(4)]
    assert step.experimental_get_tracing_count() == 1, (
        f"{step.experimental_get_tracing_count()} traces for four batches of the same shape, expected 1"
    )
    for n in (17, 5):  # e.g. the last, smaller batch of an epoch
        losses.append(float(step(*_batch(30 + n, n=n))))
    assert step.experimental_get_tracing_count() == 1, (
        f"{step.experimental_get_tracing_count()} traces after batches of 32, 17 and 5 rows: a new batch size "
        "must not trigger a new trace (give tf.function an input_signature with a None batch dimension)"
    )
    assert all(np.isfinite(losses)), f"losses {losses}"


def test_graph_step_learns(ts):
    model = _model(4)
    step = ts.make_train_step(model, keras.optimizers.Adam(0.01), LOSS)
    x, y = _batch(99, n=256)
    first = float(step(x, y))
    for _ in range(60):
        last = float(step(x, y))
    assert last < 0.5 * first, f"60 steps on one batch should halve the loss: {first:.3f} -> {last:.3f}"
