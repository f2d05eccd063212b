"""Hidden-test style checks for tensorflow/q07: exactly the right weights trainable, BN frozen, a low learning rate.

The transfer model is MobileNetV2 with weights=None at 32x32 pixels (no download) and a Dense head. Its base is
called *without* training=False, so only frozen BatchNorm layers keep it in inference mode.
"""

from pathlib import Path

import keras
import numpy as np
import pytest
import tensorflow as tf

from graders.plugin import kata_files

SHAPE, CLASSES = (32, 32, 3), 4


@pytest.fixture(scope="module")
def ft(request):
    return kata_files(request.config, Path(request.path)).module("fine_tune")


@pytest.fixture(scope="module")
def transfer():
    keras.utils.set_random_seed(0)
    base = keras.applications.MobileNetV2(input_shape=SHAPE, include_top=False, weights=None, pooling="avg")
    base.trainable = False
    inputs = keras.Input(SHAPE)
    outputs = keras.layers.Dense(CLASSES, activation="softmax")(
        base(keras.layers.Rescaling(1 / 127.5, offset=-1)(inputs))
    )
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model, base


def _expected_trainable(model, base, n_top):
    head = model.layers[-1]
    top = [layer for layer in base.layers[-n_top:] if not isinstance(layer, keras.layers.BatchNormalization)]
    return sorted(w.path for layer in [*top, head] for w in layer.weights)


def _images(n, seed):
    return np.random.default_rng(seed).integers(0, 256, size=(n, *SHAPE)).astype("float32")


@pytest.mark.parametrize("n_top", [10, 30])
def test_exactly_the_top_layers_are_trainable(ft, transfer, n_top):
    model, base = transfer
    returned = ft.unfreeze_top(model, base, n_top)
    assert returned is model, "unfreeze_top() returns the model it was given"
    got = sorted(w.path for w in model.trainable_weights)
    expected = _expected_trainable(model, base, n_top)
    extra, missing = sorted(set(got) - set(expected)), sorted(set(expected) - set(got))
    assert not extra and not missing, (
        f"trainable weights differ for n_top={n_top}: should not train {extra[:6]}; should train {missing[:6]}"
    )
    bn = [
        layer.name
        for layer in base.layers
        if isinstance(layer, keras.layers.BatchNormalization) and layer.trainable
    ]
    assert not bn, f"BatchNormalization layers must stay frozen: {bn[:5]}"


@pytest.mark.parametrize("rate", [1e-5, 3e-4])
def test_recompiled_with_a_low_learning_rate(ft, transfer, rate):
    model, base = transfer
    if rate == 1e-5:
        ft.unfreeze_top(model, base, 12)
    else:
        ft.unfreeze_top(model, base, 12, learning_rate=rate)
    assert isinstance(model.optimizer, keras.optimizers.Adam), (
        f"recompile with Adam, got {type(model.optimizer)}"
    )
    got = float(keras.ops.convert_to_numpy(model.optimizer.learning_rate))
    assert got == pytest.approx(rate, rel=1e-6), f"learning rate {got:g}, expected {rate:g}"


def test_batch_norm_stays_in_inference_mode(ft, transfer):
    model, base = transfer
    ft.unfreeze_top(model, base, 20)
    x = _images(6, 1)
    np.testing.assert_allclose(
        np.asarray(model(x, training=True)),
        np.asarray(model(x, training=False)),
        rtol=1e-5,
        atol=1e-6,
        err_msg="with training=True the outputs changed: keep BatchNorm layers frozen",
    )


def test_a_step_moves_only_the_unfrozen_weights(ft, transfer):
    model, base = transfer
    ft.unfreeze_top(model, base, 10)
    expected = set(_expected_trainable(model, base, 10))
    before = {w.path: w.numpy().copy() for w in model.weights}
    x, y = _images(8, 2), np.zeros(8, dtype="int64")
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(y, model(x, training=True)))
    grads = tape.gradient(loss, model.trainable_variables)
    model.optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=True))
    moved = {w.path for w in model.weights if not np.array_equal(w.numpy(), before[w.path])}
    outside = sorted(moved - expected)
    assert not outside, (
        f"a step changed weights that should stay frozen (BatchNorm statistics included): {outside[:5]}"
    )
    # (With random weights MobileNetV2's features are tiny, so some kernels barely move: the head's bias must.)
    assert model.layers[-1].bias.path in moved, "a step should move the head's bias"
