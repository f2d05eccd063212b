"""Hidden-test style checks for tensorflow/e03: learnable sequence data, the RNN's shape, held-out accuracy."""

import keras
import numpy as np
import pytest

EPOCHS, BATCH = 10, 128


@pytest.fixture
def rnn(kata):
    return kata.module("rnn")


@pytest.mark.parametrize(("n", "timesteps", "seed"), [(50, 10, 0), (33, 4, 7)])
def test_sequences_and_labels_follow_the_rule(rnn, n, timesteps, seed):
    x, y = rnn.make_sequences(n, timesteps=timesteps, seed=seed)
    assert isinstance(x, np.ndarray) and x.dtype == np.float32, "x: a float32 array"
    assert x.shape == (n, timesteps, 1), f"x shape {x.shape}, expected {(n, timesteps, 1)}"
    assert isinstance(y, np.ndarray) and y.dtype == np.int64 and y.shape == (n,), "y: int64 of shape (n,)"
    expected = (x.sum(axis=(1, 2)) > 0).astype("int64")
    np.testing.assert_array_equal(y, expected, err_msg="y must be 1 exactly where the sequence sums to > 0")


@pytest.mark.parametrize(("n", "timesteps", "seed"), [(20, 10, 5), (9, 3, 11)])
def test_sequences_come_from_the_seeded_generator(rnn, n, timesteps, seed):
    np.random.seed(123)
    global_state = np.random.get_state()[1].copy()
    x, _ = rnn.make_sequences(n, timesteps=timesteps, seed=seed)
    expected = np.random.default_rng(seed).standard_normal((n, timesteps, 1)).astype("float32")
    np.testing.assert_array_equal(
        x, expected, err_msg="x should be np.random.default_rng(seed).standard_normal((n, timesteps, 1))"
    )
    assert np.array_equal(np.random.get_state()[1], global_state), (
        "make_sequences() should not touch numpy's global random state (use its own default_rng(seed))"
    )


def test_sequences_are_seeded_standard_normal(rnn):
    x1, y1 = rnn.make_sequences(2000, seed=3)
    x2, _ = rnn.make_sequences(2000, seed=3)
    x3, _ = rnn.make_sequences(2000, seed=4)
    np.testing.assert_array_equal(x1, x2, err_msg="the same seed must give the same sequences")
    assert not np.array_equal(x1, x3), "different seeds must give different sequences"
    assert abs(x1.mean()) < 0.05 and abs(x1.std() - 1) < 0.05, "values should be standard normal"
    assert 0.4 < y1.mean() < 0.6, f"about half the labels should be 1, got {y1.mean():.2f}"


def test_model_structure(rnn):
    model = rnn.build_rnn(timesteps=10, units=16)
    assert isinstance(model, keras.Model), "build_rnn() must return a keras Model"
    assert tuple(model.input_shape) == (None, 10, 1), (
        f"input shape {model.input_shape}, expected (None, 10, 1)"
    )
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["SimpleRNN", "Dense"], f"layers {kinds}, expected SimpleRNN, Dense"
    assert tuple(model.output_shape) == (None, 1), (
        f"output shape {model.output_shape}, expected (None, 1): one probability per sequence"
    )
    assert model.count_params() == 16 * (1 + 16 + 1) + 17, f"{model.count_params()} parameters, expected 305"
    other = rnn.build_rnn(timesteps=6, units=8)
    assert tuple(other.input_shape) == (None, 6, 1) and other.count_params() == 8 * 10 + 9, (
        "use the arguments"
    )


def test_outputs_probabilities_and_is_compiled(rnn):
    model = rnn.build_rnn()
    x, y = rnn.make_sequences(16, seed=1)
    probs = np.asarray(model(x))
    assert ((probs > 0) & (probs < 1)).all(), "the output should be a sigmoid probability"
    results = model.evaluate(x, y, verbose=0, return_dict=True)
    assert "accuracy" in results, f"compile with metrics=['accuracy'] (by keyword): got {list(results)}"
    expected = float(keras.losses.binary_crossentropy(y[:, None].astype("float32"), model(x)).numpy().mean())
    assert results["loss"] == pytest.approx(expected, rel=1e-4), "the loss should be binary cross-entropy"
    assert isinstance(model.optimizer, keras.optimizers.Adam), (
        f"compile with keras.optimizers.Adam, got {type(model.optimizer).__name__}"
    )
    rate = float(keras.ops.convert_to_numpy(model.optimizer.learning_rate))
    assert rate == pytest.approx(0.02, rel=1e-6), f"learning rate {rate:g}, expected Adam(learning_rate=0.02)"


@pytest.fixture(scope="module")
def trained(kata_shared):
    rnn = kata_shared.module("rnn")
    keras.utils.set_random_seed(0)
    x, y = rnn.make_sequences(2000, seed=0)
    x_test, y_test = rnn.make_sequences(500, seed=1)
    model = rnn.build_rnn()
    history = model.fit(x, y, epochs=EPOCHS, batch_size=BATCH, verbose=0)
    return history, model.evaluate(x_test, y_test, verbose=0, return_dict=True)


def test_held_out_accuracy(trained):
    history, results = trained
    assert results["accuracy"] >= 0.9, (
        f"accuracy {results['accuracy']:.3f} on 500 held-out sequences, need 0.9 "
        f"(training accuracy per epoch: {[round(a, 3) for a in history.history['accuracy']]})"
    )
