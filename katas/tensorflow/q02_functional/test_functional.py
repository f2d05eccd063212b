"""Hidden-test style checks for tensorflow/q02: inputs, shared weights and residual Adds in behaviour."""

import keras
import numpy as np
import pytest


@pytest.fixture
def functional(kata):
    return kata.module("functional")


def _reference(model, xa, xb):
    """What the README's model computes, from the model's own 'shared' and 'head' weights."""
    kernel, bias = model.get_layer("shared").get_weights()
    head_kernel, head_bias = model.get_layer("head").get_weights()
    ra = xa + np.maximum(xa @ kernel + bias, 0.0)
    rb = xb + np.maximum(xb @ kernel + bias, 0.0)
    return np.concatenate([ra, rb], axis=1) @ head_kernel + head_bias


def _randomise(model, seed):
    rng = np.random.default_rng(seed)
    model.set_weights([rng.normal(0, 0.5, w.shape).astype("float32") for w in model.get_weights()])


@pytest.mark.parametrize("dim", [16, 5])
def test_two_named_inputs(functional, dim):
    model = functional.build_model(dim)
    assert isinstance(model, keras.Model), "build_model() must return a keras Model"
    names = [tensor.name for tensor in model.inputs]
    assert names == ["a", "b"], f"inputs named {names}, expected ['a', 'b'] in that order"
    shapes = [tuple(tensor.shape) for tensor in model.inputs]
    assert shapes == [(None, dim), (None, dim)], f"input shapes {shapes}, expected (None, {dim}) twice"
    assert tuple(model.output_shape) == (None, 1), f"output shape {model.output_shape}, expected (None, 1)"


@pytest.mark.parametrize("dim", [16, 5])
def test_one_shared_layer_holds_the_weights(functional, dim):
    model = functional.build_model(dim)
    expected = (dim * dim + dim) + (2 * dim + 1)
    assert model.count_params() == expected, (
        f"{model.count_params()} parameters, expected {expected}: one Dense({dim}) used by both branches "
        f"plus the Dense(1) head; two separate Dense layers would double the first part"
    )
    shared = model.get_layer("shared")
    assert isinstance(shared, keras.layers.Dense) and shared.units == dim, f"'shared' must be a Dense({dim})"
    assert shared.activation.__name__ == "relu", "'shared' uses the relu activation"
    adds = [layer for layer in model.layers if isinstance(layer, keras.layers.Add)]
    assert len(adds) >= 2, f"found {len(adds)} keras.layers.Add layers, expected one residual Add per branch"


@pytest.mark.parametrize("seed", [0, 1])
def test_outputs_equal_the_reference_computation(functional, seed):
    model = functional.build_model(8)
    _randomise(model, seed)
    rng = np.random.default_rng(100 + seed)
    xa, xb = rng.normal(size=(6, 8)).astype("float32"), rng.normal(size=(6, 8)).astype("float32")
    expected = _reference(model, xa, xb)
    np.testing.assert_allclose(
        np.asarray(model([xa, xb])),
        expected,
        rtol=1e-5,
        atol=1e-5,
        err_msg="model([a, b]) differs from concat(a + shared(a), b + shared(b)) @ head",
    )
    by_name = np.asarray(model.predict({"a": xa, "b": xb}, verbose=0))
    np.testing.assert_allclose(by_name, expected, rtol=1e-5, atol=1e-5, err_msg="inputs given by name")


def test_zero_shared_layer_leaves_the_skip_connections(functional):
    model = functional.build_model(4)
    _randomise(model, 3)
    shared = model.get_layer("shared")
    shared.set_weights([np.zeros_like(w) for w in shared.get_weights()])
    head_kernel, head_bias = model.get_layer("head").get_weights()
    rng = np.random.default_rng(5)
    xa, xb = rng.normal(size=(3, 4)).astype("float32"), rng.normal(size=(3, 4)).astype("float32")
    expected = np.concatenate([xa, xb], axis=1) @ head_kernel + head_bias
    np.testing.assert_allclose(
        np.asarray(model([xa, xb])),
        expected,
        rtol=1e-5,
        atol=1e-5,
        err_msg="with a zero shared layer the inputs must still reach the head (residual)",
    )


def test_training_moves_the_shared_kernel_through_both_branches(functional):
    model = functional.build_model(4)
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    rng = np.random.default_rng(9)
    xa, xb = rng.normal(size=(64, 4)).astype("float32"), rng.normal(size=(64, 4)).astype("float32")
    y = (xa.sum(axis=1) - 2 * xb.sum(axis=1)).astype("float32")[:, None]
    history = model.fit({"a": xa, "b": xb}, y, epochs=15, batch_size=16, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < 0.5 * losses[0], (
        f"the model should learn a linear target: loss {losses[0]:.3f} -> {losses[-1]:.3f}"
    )
    np.testing.assert_allclose(np.asarray(model([xa, xb])), _reference(model, xa, xb), rtol=1e-4, atol=1e-4)
