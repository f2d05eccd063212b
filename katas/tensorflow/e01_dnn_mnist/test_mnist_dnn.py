"""Hidden-test style checks for tensorflow/e01: the mnist.npz loader, the dense network, and its accuracy."""

from pathlib import Path

import keras
import numpy as np
import pytest

from graders.kit.data import write_mnist_npz


@pytest.fixture
def dnn(kata):
    return kata.module("mnist_dnn")


def _write_random_npz(path: Path, n_train: int, n_test: int, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    arrays = {
        "x_train": rng.integers(0, 256, size=(n_train, 28, 28), dtype=np.uint8),
        "y_train": rng.integers(0, 10, size=n_train, dtype=np.uint8),
        "x_test": rng.integers(0, 256, size=(n_test, 28, 28), dtype=np.uint8),
        "y_test": rng.integers(0, 10, size=n_test, dtype=np.uint8),
    }
    np.savez(path, **arrays)
    return arrays


@pytest.mark.parametrize("seed", [1, 2])
def test_loader_reads_the_four_arrays_and_scales_pixels(dnn, tmp_path, seed):
    raw = _write_random_npz(tmp_path / "mnist.npz", 7 + seed, 3 + seed, seed)
    (x_train, y_train), (x_test, y_test) = dnn.load_mnist(tmp_path / "mnist.npz")
    for name, got in [("x_train", x_train), ("x_test", x_test)]:
        assert isinstance(got, np.ndarray) and got.dtype == np.float32, f"{name}: expected a float32 array"
        assert got.shape == raw[name].shape, f"{name}: shape {got.shape}, expected {raw[name].shape}"
        np.testing.assert_allclose(
            got, raw[name] / 255.0, atol=1e-6, err_msg=f"{name} should be pixels / 255"
        )
    for name, got in [("y_train", y_train), ("y_test", y_test)]:
        assert isinstance(got, np.ndarray) and got.dtype == np.int64, f"{name}: expected an int64 array"
        np.testing.assert_array_equal(got, raw[name], err_msg=f"{name} should be the labels unchanged")


def test_model_structure_and_parameter_count(dnn):
    model = dnn.build_model()
    assert isinstance(model, keras.Model), "build_model() must return a keras Model"
    assert tuple(model.input_shape) == (None, 28, 28), (
        f"input shape {model.input_shape}, expected (None, 28, 28)"
    )
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["Flatten", "Dense", "Dense"], f"layers {kinds}, expected Flatten, Dense, Dense"
    hidden, out = model.layers[1], model.layers[2]
    assert hidden.units == 128 and hidden.activation.__name__ == "relu", (
        "the hidden layer is Dense(128, relu)"
    )
    assert out.units == 10, "the output layer has 10 units, one per digit"
    assert model.count_params() == 101_770, (
        f"{model.count_params()} parameters, expected 784*128+128 + 128*10+10"
    )


def test_model_outputs_probabilities(dnn):
    model = dnn.build_model()
    x = np.random.default_rng(0).random((5, 28, 28), dtype=np.float32)
    probs = np.asarray(model(x))
    assert probs.shape == (5, 10), f"output shape {probs.shape}, expected (5, 10)"
    assert (probs >= 0).all(), "outputs must be probabilities (softmax), found negatives"
    np.testing.assert_allclose(
        probs.sum(axis=1), 1.0, atol=1e-5, err_msg="each row of outputs should sum to 1"
    )


def test_model_is_compiled_for_integer_labels(dnn):
    model = dnn.build_model()
    assert model.optimizer is not None, "build_model() must compile the model"
    assert isinstance(model.optimizer, keras.optimizers.Adam), (
        f"compile with optimizer='adam', got {type(model.optimizer).__name__}"
    )
    x = np.random.default_rng(1).random((8, 28, 28), dtype=np.float32)
    y = np.arange(8) % 10
    results = model.evaluate(x, y, verbose=0, return_dict=True)
    assert "accuracy" in results, (
        f"compile with metrics=['accuracy'] (by keyword): got metrics {list(results)}"
    )
    expected = float(keras.losses.sparse_categorical_crossentropy(y, model(x)).numpy().mean())
    assert results["loss"] == pytest.approx(expected, rel=1e-4), (
        "the loss should be sparse categorical cross-entropy"
    )


@pytest.mark.parametrize(("epochs", "batch_size"), [(2, 50), (3, 16)])
def test_train_uses_its_epochs_and_batch_size(dnn, epochs, batch_size):
    model = dnn.build_model()
    rng = np.random.default_rng(epochs)
    x = rng.random((120, 28, 28), dtype=np.float32)
    y = rng.integers(0, 10, size=120)
    history = dnn.train(model, x, y, epochs=epochs, batch_size=batch_size)
    assert isinstance(history, keras.callbacks.History), "train() must return what model.fit returns"
    assert history.epoch == list(range(epochs)), f"trained epochs {history.epoch}, expected {epochs}"
    steps = int(keras.ops.convert_to_numpy(model.optimizer.iterations))
    expected = epochs * -(-120 // batch_size)
    assert steps == expected, (
        f"{steps} optimizer steps for {epochs} epochs of 120 rows, expected {expected} (batch_size={batch_size})"
    )


@pytest.fixture(scope="module")
def trained(kata_shared, tmp_path_factory):
    """The learner's pipeline on the real 5,000-image sample: load, build, train with the defaults, evaluate."""
    dnn = kata_shared.module("mnist_dnn")
    keras.utils.set_random_seed(0)
    path = write_mnist_npz(tmp_path_factory.mktemp("mnist") / "mnist.npz")
    (x_train, y_train), (x_test, y_test) = dnn.load_mnist(path)
    model = dnn.build_model()
    history = dnn.train(model, x_train, y_train)  # the defaults: 5 epochs, batches of 32
    return model, history, model.evaluate(x_test, y_test, verbose=0, return_dict=True)


def test_train_defaults_to_five_epochs_of_batches_of_32(trained):
    model, history, _ = trained
    assert isinstance(history, keras.callbacks.History), "train() must return what model.fit returns"
    assert history.epoch == [0, 1, 2, 3, 4], f"trained epochs {history.epoch}, expected 5 (the default)"
    steps = int(keras.ops.convert_to_numpy(model.optimizer.iterations))
    assert steps == 5 * 4000 // 32, (
        f"{steps} optimizer steps for 5 epochs of 4,000 digits, expected {5 * 4000 // 32} (default batch_size=32)"
    )
    losses = history.history["loss"]
    assert losses[-1] < losses[0] * 0.5, f"the training loss should fall: {losses}"


def test_test_accuracy_on_real_mnist(trained):
    _, _, results = trained
    assert results["accuracy"] >= 0.9, (
        f"test accuracy {results['accuracy']:.3f} on 1,000 held-out digits, need 0.9"
    )
