"""Hidden-test style checks for tensorflow/q06: callback configuration, the custom log, the best checkpoint."""

import json
from pathlib import Path

import keras
import numpy as np
import pytest

MAX_EPOCHS = 60


@pytest.fixture
def cbs(kata):
    return kata.module("callbacks")


def _read_log(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_logger_writes_one_json_line_per_epoch(cbs, tmp_path):
    path = tmp_path / "log.jsonl"
    logger = cbs.EpochLogger(path)
    assert isinstance(logger, keras.callbacks.Callback), "EpochLogger must subclass keras.callbacks.Callback"
    logger.on_train_begin({})
    logger.on_epoch_end(0, {"loss": np.float32(1.5), "val_loss": 2.25, "accuracy": 0.5})
    logger.on_epoch_end(1, {"loss": 0.75, "val_loss": np.float64(1.125), "accuracy": 0.75})
    assert path.is_file(), "EpochLogger should write its log to the path it was given"
    assert _read_log(path) == [
        {"epoch": 1, "loss": 1.5, "val_loss": 2.25},
        {"epoch": 2, "loss": 0.75, "val_loss": 1.125},
    ], "one line per epoch with exactly the keys epoch (counted from 1), loss and val_loss"


def test_logger_starts_a_fresh_file_for_each_training(cbs, tmp_path):
    path = tmp_path / "log.jsonl"
    path.write_text('{"epoch": 99, "loss": 0, "val_loss": 0}\n')
    logger = cbs.EpochLogger(str(path))  # a str this time: both str and Path are allowed
    logger.on_train_begin({})
    logger.on_epoch_end(0, {"loss": 0.5, "val_loss": 0.25})
    assert _read_log(path) == [{"epoch": 1, "loss": 0.5, "val_loss": 0.25}], "on_train_begin empties the log"


@pytest.mark.parametrize("patience", [2, 4])
def test_callbacks_are_configured(cbs, tmp_path, patience):
    found = cbs.make_callbacks(tmp_path / "best.keras", tmp_path / "log.jsonl", patience=patience)
    kinds = [type(cb).__name__ for cb in found]
    assert kinds == ["EarlyStopping", "ModelCheckpoint", "EpochLogger"], f"callbacks {kinds}"
    stop, checkpoint, _ = found
    assert (stop.monitor, stop.patience, stop.restore_best_weights) == ("val_loss", patience, True), (
        "EarlyStopping(monitor='val_loss', patience=patience, restore_best_weights=True)"
    )
    assert Path(checkpoint.filepath) == tmp_path / "best.keras", f"checkpoint path {checkpoint.filepath}"
    assert checkpoint.monitor == "val_loss" and checkpoint.save_best_only, (
        "ModelCheckpoint(..., monitor='val_loss', save_best_only=True)"
    )


@pytest.fixture(scope="module")
def run(kata_shared, tmp_path_factory, overfit_data):
    """Fit an over-fitting model with the learner's callbacks."""
    cbs = kata_shared.module("callbacks")
    x_train, y_train, x_val, y_val = overfit_data
    folder = tmp_path_factory.mktemp("callbacks")
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input((64,)), keras.layers.Dense(256, activation="relu"), keras.layers.Dense(10)]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(0.01),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    callbacks = cbs.make_callbacks(folder / "best.keras", folder / "log.jsonl", patience=3)
    history = model.fit(
        x_train,
        y_train,
        validation_data=(x_val, y_val),
        epochs=MAX_EPOCHS,
        batch_size=32,
        callbacks=callbacks,
        verbose=0,
    )
    return model, history, folder, (x_val, y_val)


def test_training_stopped_early(run):
    _, history, _, _ = run
    val = history.history["val_loss"]
    assert len(val) < MAX_EPOCHS, "EarlyStopping should stop this over-fitting run well before 60 epochs"
    assert len(val) == int(np.argmin(val)) + 1 + 3, f"stop 3 epochs after the best one: val_loss {val}"


def test_checkpoint_holds_the_best_epoch_and_loads(run):
    model, history, folder, (x_val, y_val) = run
    path = folder / "best.keras"
    assert path.is_file(), "ModelCheckpoint should have written best.keras"
    loaded = keras.models.load_model(path)
    best = min(history.history["val_loss"])
    got = loaded.evaluate(x_val, y_val, verbose=0)
    got = got[0] if isinstance(got, list) else got
    assert got == pytest.approx(best, rel=1e-4), (
        f"the checkpoint's validation loss is {got:.5f}, the best epoch's was {best:.5f}: save the best only"
    )
    np.testing.assert_allclose(
        loaded.predict(x_val, verbose=0),
        model.predict(x_val, verbose=0),
        rtol=1e-4,
        atol=1e-5,
        err_msg="restored best weights and best checkpoint should agree",
    )


def test_custom_log_matches_the_history(run):
    _, history, folder, _ = run
    log = _read_log(folder / "log.jsonl")
    epochs = len(history.epoch)
    assert [row["epoch"] for row in log] == list(range(1, epochs + 1)), "one line per epoch that ran"
    np.testing.assert_allclose([row["loss"] for row in log], history.history["loss"], rtol=1e-6)
    np.testing.assert_allclose([row["val_loss"] for row in log], history.history["val_loss"], rtol=1e-6)
