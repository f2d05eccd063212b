"""Hidden-test style checks for tensorflow/q05: the deep networks, their gradient norms, and what they show."""

import keras
import numpy as np
import pytest
import tensorflow as tf


@pytest.fixture
def vg(kata):
    return kata.module("vanishing")


def _batch(seed=0, n=256, dim=16):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, dim)).astype("float32"), rng.normal(size=(n, 1)).astype("float32")


def _reference_norms(model, x, y):
    kernels = [layer.kernel for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(y - model(x, training=True)))
    return [float(tf.norm(g)) for g in tape.gradient(loss, kernels)]


@pytest.mark.parametrize(
    ("depth", "width", "activation", "batch_norm"), [(10, 32, "sigmoid", False), (4, 8, "relu", True)]
)
def test_network_structure(vg, depth, width, activation, batch_norm):
    model = vg.build_deep_net(
        depth=depth, width=width, activation=activation, batch_norm=batch_norm, input_dim=5
    )
    assert tuple(model.input_shape) == (None, 5), f"input shape {model.input_shape}, expected (None, 5)"
    block = ["Dense", "BatchNormalization", "Activation"] if batch_norm else ["Dense", "Activation"]
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == block * depth + ["Dense"], f"layers {kinds}, expected {depth} x {block} then Dense"
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    assert [d.units for d in dense] == [width] * depth + [1], (
        "hidden Dense layers have `width` units, output 1"
    )
    assert all(d.activation.__name__ == "linear" for d in dense), "the Dense layers themselves are linear"
    acts = {layer.activation.__name__ for layer in model.layers if isinstance(layer, keras.layers.Activation)}
    assert acts == {activation}, f"activations {acts}, expected {activation}"


def test_default_network(vg):
    model = vg.build_deep_net()
    assert tuple(model.input_shape) == (None, 16), f"input shape {model.input_shape}, expected (None, 16)"
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["Dense", "Activation"] * 10 + ["Dense"], (
        f"build_deep_net() layers {kinds}, expected the defaults: 10 x [Dense, Activation] then Dense"
    )
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    assert [d.units for d in dense] == [32] * 10 + [1], "by default the hidden Dense layers have 32 units"
    acts = {layer.activation.__name__ for layer in model.layers if isinstance(layer, keras.layers.Activation)}
    assert acts == {"sigmoid"}, f"build_deep_net() activations {acts}, expected the default sigmoid"


@pytest.mark.parametrize(
    ("activation", "batch_norm", "seed"), [("sigmoid", False, 0), ("relu", True, 1), ("tanh", True, 2)]
)
def test_norms_equal_gradient_tape(vg, activation, batch_norm, seed):
    keras.utils.set_random_seed(seed)
    model = vg.build_deep_net(depth=5, activation=activation, batch_norm=batch_norm)
    x, y = _batch(seed)
    norms = vg.layer_gradient_norms(model, x, y)
    assert isinstance(norms, list) and all(isinstance(n, float) for n in norms), "return a list of floats"
    expected = _reference_norms(model, x, y)
    assert len(norms) == len(expected), f"{len(norms)} norms for {len(expected)} Dense layers"
    np.testing.assert_allclose(
        norms,
        expected,
        rtol=1e-5,
        err_msg="norms of d(MSE)/d(kernel), first layer first, computed with model(x, training=True)",
    )


def test_sigmoid_gradients_vanish_with_depth(vg):
    x, y = _batch(3)
    ratios = {}
    for depth in (3, 10):
        keras.utils.set_random_seed(0)
        norms = vg.layer_gradient_norms(vg.build_deep_net(depth=depth, activation="sigmoid"), x, y)
        ratios[depth] = norms[0] / norms[-1]
    assert ratios[10] < 1e-4, f"10 sigmoid layers: first/last gradient norm {ratios[10]:.2e}, expected < 1e-4"
    assert ratios[3] > 100 * ratios[10], f"the ratio should shrink fast with depth: {ratios}"


def test_relu_and_batch_norm_keep_gradients_alive(vg):
    x, y = _batch(4)
    keras.utils.set_random_seed(0)
    sigmoid = vg.layer_gradient_norms(vg.build_deep_net(depth=10, activation="sigmoid"), x, y)
    keras.utils.set_random_seed(0)
    healthy = vg.layer_gradient_norms(vg.build_deep_net(depth=10, activation="relu", batch_norm=True), x, y)
    sigmoid_ratio, healthy_ratio = sigmoid[0] / sigmoid[-1], healthy[0] / healthy[-1]
    assert healthy_ratio > 0.1, (
        f"ReLU + BatchNorm: first/last gradient norm {healthy_ratio:.2e}, expected > 0.1"
    )
    assert healthy_ratio / sigmoid_ratio > 1e4, (
        f"the first layer's share of the gradient should differ by orders of magnitude: "
        f"sigmoid {sigmoid_ratio:.2e}, ReLU + BatchNorm {healthy_ratio:.2e}"
    )
