"""Hidden-test style checks for tensorflow/e04: EarlyStopping's configuration, when it stops, which weights remain."""

import inspect

import keras
import numpy as np
import pytest

MAX_EPOCHS = 40
PATIENCE = 4  # not the default 3: fit_with_early_stopping must pass its patience on


@pytest.fixture
def es(kata):
    return kata.module("early_stopping")


@pytest.mark.parametrize("patience", [2, 3, 5])
def test_callback_configuration(es, patience):
    callback = es.make_early_stopping(patience)
    assert isinstance(callback, keras.callbacks.EarlyStopping), (
        "make_early_stopping() returns an EarlyStopping"
    )
    assert callback.monitor == "val_loss", f"monitor is {callback.monitor!r}: watch the validation loss"
    assert callback.patience == patience, f"patience {callback.patience}, expected {patience}"
    assert callback.restore_best_weights is True, (
        "restore_best_weights=True, or the last epoch's weights stay"
    )
    assert callback.min_delta == 0, "keep the default min_delta=0"


def test_callback_default_patience_is_3(es):
    callback = es.make_early_stopping()
    assert callback.patience == 3, (
        f"make_early_stopping() has patience {callback.patience}, expected the default 3"
    )


def _wide_model():
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input((64,)), keras.layers.Dense(256, activation="relu"), keras.layers.Dense(10)]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(0.01),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    return model


@pytest.fixture(scope="module")
def run(kata_shared, overfit_data):
    """A wide network on 120 digits with noisy labels: the validation loss falls, then rises."""
    es = kata_shared.module("early_stopping")
    x_train, y_train, x_val, y_val = overfit_data
    model = _wide_model()
    history = es.fit_with_early_stopping(
        model, x_train, y_train, x_val, y_val, max_epochs=MAX_EPOCHS, patience=PATIENCE
    )
    return model, history, (x_val, y_val)


def test_validates_on_the_given_data(run):
    _, history, _ = run
    assert isinstance(history, keras.callbacks.History), "return what model.fit returns"
    assert "val_loss" in history.history, "pass validation_data=(x_val, y_val) to fit"


def test_stops_patience_epochs_after_the_best(run):
    _, history, _ = run
    val = history.history["val_loss"]
    assert len(val) < MAX_EPOCHS, f"ran all {MAX_EPOCHS} epochs: early stopping never triggered"
    best = int(np.argmin(val))
    assert len(val) == best + 1 + PATIENCE, (
        f"the best epoch was {best + 1}; with patience {PATIENCE} training should stop after epoch "
        f"{best + 1 + PATIENCE}, it ran {len(val)}: val_loss {np.round(val, 3).tolist()}"
    )


def test_fits_in_batches_of_32(run):
    model, history, _ = run
    steps = int(keras.ops.convert_to_numpy(model.optimizer.iterations))
    expected = len(history.epoch) * -(-120 // 32)
    assert steps == expected, (
        f"{steps} optimizer steps in {len(history.epoch)} epochs of 120 rows, expected {expected} (batch_size=32)"
    )


def test_stops_at_max_epochs(es, overfit_data):
    x_train, y_train, x_val, y_val = overfit_data
    history = es.fit_with_early_stopping(
        _wide_model(), x_train, y_train, x_val, y_val, max_epochs=2, patience=PATIENCE
    )
    assert history.epoch == [0, 1], (
        f"with max_epochs=2 training should run 2 epochs, ran {len(history.epoch)}"
    )


def test_defaults_reach_fit(es, overfit_data):
    """Left at their defaults, max_epochs=100 and patience=3 are what model.fit and the callback get.

    Running 100 real epochs would take minutes: a spy records the arguments of the model's `fit` and trains a
    single epoch instead.
    """
    x_train, y_train, x_val, y_val = overfit_data
    model = _wide_model()
    real_fit = model.fit
    calls = []

    def spy(*args, **kwargs):
        bound = inspect.signature(real_fit).bind(*args, **kwargs)
        calls.append(dict(bound.arguments))
        bound.arguments["epochs"] = 1
        return real_fit(*bound.args, **bound.kwargs)

    model.fit = spy
    es.fit_with_early_stopping(model, x_train, y_train, x_val, y_val)
    assert len(calls) == 1, (
        f"fit_with_early_stopping() should call model.fit once, it called it {len(calls)} times"
    )
    epochs = calls[0].get("epochs")
    assert epochs == 100, f"model.fit got epochs={epochs!r}: the default max_epochs is 100"
    stoppers = [c for c in calls[0].get("callbacks") or [] if isinstance(c, keras.callbacks.EarlyStopping)]
    assert len(stoppers) == 1, "model.fit should get one EarlyStopping callback"
    assert stoppers[0].patience == 3, (
        f"the callback's patience is {stoppers[0].patience}: the default patience is 3"
    )


def test_final_weights_are_the_best_epochs(run):
    model, history, (x_val, y_val) = run
    best = min(history.history["val_loss"])
    last = history.history["val_loss"][-1]
    got = model.evaluate(x_val, y_val, verbose=0)
    got = got[0] if isinstance(got, list) else got
    assert got == pytest.approx(best, rel=1e-4), (
        f"after fit the model's validation loss is {got:.4f}; the best epoch had {best:.4f} and the last "
        f"{last:.4f}: restore the best weights"
    )
