"""Hidden-test style checks for tensorflow/e02: layer output shapes, parameters, and accuracy on real digits."""

import keras
import numpy as np
import pytest


@pytest.fixture
def cnn(kata):
    return kata.module("mnist_cnn")


def test_layer_output_shapes(cnn):
    model = cnn.build_cnn()
    assert isinstance(model, keras.Model), "build_cnn() must return a keras Model"
    assert tuple(model.input_shape) == (None, 28, 28), (
        f"input shape {model.input_shape}, expected (None, 28, 28)"
    )
    shapes = [(type(layer).__name__, tuple(layer.output.shape)) for layer in model.layers]
    expected = [
        ("Reshape", (None, 28, 28, 1)),
        ("Conv2D", (None, 26, 26, 32)),
        ("MaxPooling2D", (None, 13, 13, 32)),
        ("Flatten", (None, 5408)),
        ("Dense", (None, 10)),
    ]
    assert shapes == expected, f"layers and output shapes {shapes}, expected {expected}"


def test_parameter_count(cnn):
    model = cnn.build_cnn()
    conv = next(layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D))
    assert conv.count_params() == 320, (
        f"the convolution has {conv.count_params()} parameters, expected 32*(3*3+1)"
    )
    assert model.count_params() == 54_410, f"{model.count_params()} parameters, expected 320 + 5408*10 + 10"


def test_outputs_probabilities_and_is_compiled(cnn):
    model = cnn.build_cnn()
    x = np.random.default_rng(0).random((6, 28, 28), dtype=np.float32)
    probs = np.asarray(model(x))
    assert probs.shape == (6, 10) and (probs >= 0).all(), "the model should output 10 probabilities per image"
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-5, err_msg="softmax rows sum to 1")
    assert isinstance(model.optimizer, keras.optimizers.Adam), (
        f"compile with optimizer='adam', got {type(model.optimizer).__name__}"
    )
    y = np.arange(6)
    results = model.evaluate(x, y, verbose=0, return_dict=True)
    assert "accuracy" in results, f"compile with metrics=['accuracy'] (by keyword): got {list(results)}"
    expected = float(keras.losses.sparse_categorical_crossentropy(y, model(x)).numpy().mean())
    assert results["loss"] == pytest.approx(expected, rel=1e-4), (
        "the loss should be sparse categorical cross-entropy"
    )


@pytest.fixture(scope="module")
def trained(kata_shared, mnist):
    cnn = kata_shared.module("mnist_cnn")
    keras.utils.set_random_seed(0)
    (x_train, y_train), (x_test, y_test) = mnist
    model = cnn.build_cnn()
    history = model.fit(x_train, y_train, epochs=2, batch_size=64, verbose=0)
    return history, model.evaluate(x_test, y_test, verbose=0, return_dict=True)


def test_accuracy_on_real_mnist(trained):
    history, results = trained
    assert history.history["loss"][-1] < history.history["loss"][0], (
        f"training loss {history.history['loss']}"
    )
    assert results["accuracy"] >= 0.9, f"test accuracy {results['accuracy']:.3f} after 2 epochs, need 0.9"
