"""Hidden-test style checks for tensorflow/q10: SavedModel and TFLite exports predict what the Keras model does."""

import keras
import numpy as np
import pytest
import tensorflow as tf


@pytest.fixture(scope="module")
def export(kata_shared):
    return kata_shared.module("export")


@pytest.fixture(scope="module")
def model():
    """A small trained model with BatchNormalization and Dropout: serving must run them in inference mode."""
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(2.0, 3.0, size=(256, 12)).astype("float32")
    y = (x[:, :4].argmax(axis=1)).astype("int64")
    model = keras.Sequential(
        [
            keras.Input((12,)),
            keras.layers.Dense(16),
            keras.layers.BatchNormalization(),
            keras.layers.Activation("relu"),
            keras.layers.Dropout(0.3),
            keras.layers.Dense(4, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x, y, epochs=2, batch_size=32, verbose=0)
    return model


@pytest.fixture(scope="module")
def exported(export, model, tmp_path_factory):
    folder = tmp_path_factory.mktemp("export") / "serving"
    export.export_saved_model(model, folder)
    return folder


def _batch(n, seed):
    return np.random.default_rng(seed).normal(2.0, 3.0, size=(n, 12))  # float64 on purpose


def test_export_writes_a_saved_model(exported, model):
    assert (exported / "saved_model.pb").is_file(), f"no saved_model.pb in {exported}: use model.export()"
    loaded = tf.saved_model.load(str(exported))
    assert hasattr(loaded, "serve"), (
        "the SavedModel should have the `serve` endpoint that model.export() writes"
    )
    x = _batch(5, 1).astype("float32")
    np.testing.assert_allclose(
        loaded.serve(tf.constant(x)).numpy(),
        model.predict(x, verbose=0),
        atol=1e-5,
        err_msg="the exported function should be the model in inference mode",
    )


@pytest.mark.parametrize(("n", "as_text"), [(9, False), (1, True)])
def test_saved_model_predictions_match_keras(export, exported, model, n, as_text):
    x = _batch(n, 2 + n)
    got = export.predict_saved_model(str(exported) if as_text else exported, x)  # a Path, then a str
    assert isinstance(got, np.ndarray), (
        f"predict_saved_model() should return a numpy array, got {type(got).__name__}"
    )
    np.testing.assert_allclose(
        got,
        model.predict(x.astype("float32"), verbose=0),
        atol=1e-5,
        err_msg="SavedModel predictions differ from the Keras model's",
    )


@pytest.fixture(scope="module")
def tflite_model(export, exported):
    return export.convert_to_tflite(exported)


def test_tflite_model_is_a_flatbuffer(tflite_model):
    assert isinstance(tflite_model, bytes), (
        f"convert_to_tflite() should return bytes, got {type(tflite_model).__name__}"
    )
    assert tflite_model[4:8] == b"TFL3", "not a TFLite flatbuffer (its file identifier is 'TFL3')"


@pytest.mark.parametrize("n", [1, 7, 32])
def test_tflite_predictions_match_keras(export, tflite_model, model, n):
    x = _batch(n, 40 + n)
    got = export.predict_tflite(tflite_model, x)
    assert isinstance(got, np.ndarray), (
        f"predict_tflite() should return a numpy array, got {type(got).__name__}"
    )
    assert got.shape == (n, 4), f"predict_tflite() on {n} rows returned shape {got.shape}, expected {(n, 4)}"
    np.testing.assert_allclose(
        got,
        model.predict(x.astype("float32"), verbose=0),
        atol=1e-4,
        err_msg="TFLite predictions differ from the Keras model's",
    )
