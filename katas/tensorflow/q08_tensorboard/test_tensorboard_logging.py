"""Hidden-test style checks for tensorflow/q08: event files read back hold the expected tags, steps and values."""

import tempfile
from pathlib import Path

import keras
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis import strategies as st

from graders.kit.strategies import kata_settings

EPOCHS = 4  # not the default 3: `epochs` must be passed on
TRAIN_ROWS, BATCH = 128, 32


@pytest.fixture
def tb(kata):
    return kata.module("tensorboard_logging")


def _scalars(folder: Path) -> dict[str, list[tuple[int, float]]]:
    """{tag: [(step, value), ...]} from every event file directly inside `folder`."""
    found: dict[str, list[tuple[int, float]]] = {}
    for path in sorted(folder.glob("events.out.tfevents.*")):
        for event in tf.compat.v1.train.summary_iterator(str(path)):
            for value in event.summary.value:
                if value.metadata.plugin_data.plugin_name not in ("", "scalars"):
                    continue  # the callback also writes the model's config as text: keep scalars only
                number = (
                    float(tf.make_ndarray(value.tensor)) if value.HasField("tensor") else value.simple_value
                )
                found.setdefault(value.tag, []).append((event.step, number))
    return found


def _open_files_under(folder: Path) -> list[str] | None:
    """Files under `folder` this process holds open (Linux /proc); None where /proc is not available."""
    fds = Path("/proc/self/fd")
    if not fds.is_dir():
        return None
    found = []
    for fd in fds.iterdir():
        try:
            target = fd.readlink()
        except OSError:
            continue
        if str(target).startswith(str(folder)):
            found.append(str(target))
    return found


@pytest.mark.parametrize("as_text", [False, True], ids=["Path", "str"])
def test_gap_logger_writes_its_scalar(tb, tmp_path, as_text):
    logger = tb.GapLogger(str(tmp_path) if as_text else tmp_path)
    assert isinstance(logger, keras.callbacks.Callback), "GapLogger must subclass keras.callbacks.Callback"
    folder = tmp_path / "custom"
    assert folder.is_dir() and list(folder.glob("events.out.tfevents.*")), (
        f"GapLogger(log_dir) should create its writer (and so {folder} with an event file) in __init__"
    )
    logger.on_train_begin({})
    epochs = [(1.0, 1.25), (0.5, 1.0), (0.25, 1.5)]
    for epoch, (loss, val_loss) in enumerate(epochs):
        logger.on_epoch_end(epoch, {"loss": loss, "val_loss": val_loss})
        on_disk = sorted(_scalars(folder).get("generalisation_gap", []))
        assert [step for step, _ in on_disk] == list(range(epoch + 1)), (
            f"after on_epoch_end({epoch}) the event files hold generalisation_gap at steps "
            f"{[s for s, _ in on_disk]}: write it at step=epoch (Keras counts from 0) inside "
            "`with writer.as_default():` and flush the writer"
        )
    logger.on_train_end({})
    scalars = _scalars(folder)
    assert "generalisation_gap" in scalars, (
        f"tags found: {sorted(scalars)}; tf.summary.scalar writes only inside `with writer.as_default():`"
    )
    got = sorted(scalars["generalisation_gap"])
    assert [step for step, _ in got] == [0, 1, 2], f"steps {[s for s, _ in got]}: use Keras's epoch (from 0)"
    np.testing.assert_allclose(
        [v for _, v in got], [0.25, 0.5, 1.25], err_msg="val_loss - loss at each epoch"
    )
    still_open = _open_files_under(folder)
    if still_open is not None:
        assert not still_open, f"on_train_end() should close the writer; still open: {still_open}"


# Losses with ties (a gap of exactly 0) and validation losses below the training loss (a negative gap).
_LOSSES = st.one_of(st.sampled_from([0.0, 0.5, 1.0, 2.5]), st.floats(0.0, 10.0, width=32))


@kata_settings(max_examples=15)
@given(epochs=st.lists(st.tuples(_LOSSES, _LOSSES), min_size=1, max_size=4))
def test_gap_is_val_loss_minus_loss_for_any_losses(tb, epochs):
    with tempfile.TemporaryDirectory() as log_dir:
        logger = tb.GapLogger(log_dir)
        logger.on_train_begin({})
        for epoch, (loss, val_loss) in enumerate(epochs):
            logger.on_epoch_end(epoch, {"loss": loss, "val_loss": val_loss})
        logger.on_train_end({})
        got = sorted(_scalars(Path(log_dir) / "custom").get("generalisation_gap", []))
    assert [step for step, _ in got] == list(range(len(epochs))), f"steps {[s for s, _ in got]}"
    np.testing.assert_allclose(
        [v for _, v in got],
        [val_loss - loss for loss, val_loss in epochs],
        rtol=1e-6,
        atol=1e-6,
        err_msg="generalisation_gap is val_loss - loss, signed (negative when val_loss < loss), per epoch",
    )


@pytest.fixture(scope="module")
def run(kata_shared, tmp_path_factory):
    tb = kata_shared.module("tensorboard_logging")
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(160, 6)).astype("float32")
    y = (x[:, 0] + x[:, 1] > 0).astype("int64")
    model = keras.Sequential(
        [keras.Input((6,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(2)]
    )
    model.compile(
        optimizer="adam",
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    log_dir = tmp_path_factory.mktemp("logs")
    history = tb.train_with_tensorboard(
        model, x[:TRAIN_ROWS], y[:TRAIN_ROWS], x[TRAIN_ROWS:], y[TRAIN_ROWS:], log_dir, epochs=EPOCHS
    )
    return history, log_dir, model


@pytest.mark.parametrize(("run_name", "prefix"), [("train", ""), ("validation", "val_")])
def test_tensorboard_callback_logged_each_epoch(run, run_name, prefix):
    history, log_dir, _ = run
    folder = log_dir / run_name
    assert folder.is_dir(), (
        f"no {run_name}/ folder in the log directory: use keras.callbacks.TensorBoard(log_dir)"
    )
    scalars = _scalars(folder)
    for metric in ("loss", "accuracy"):
        tag = f"epoch_{metric}"
        assert tag in scalars, f"{run_name}/: tags {sorted(scalars)}, expected {tag}"
        got = sorted(scalars[tag])
        assert [step for step, _ in got] == list(range(EPOCHS)), (
            f"{run_name}/{tag}: steps {[s for s, _ in got]}"
        )
        np.testing.assert_allclose(
            [v for _, v in got],
            history.history[prefix + metric],
            rtol=1e-5,
            err_msg=f"{run_name}/{tag} should equal the History's {prefix + metric}",
        )


def test_custom_scalar_logged_during_training(run):
    history, log_dir, _ = run
    scalars = _scalars(log_dir / "custom")
    got = sorted(scalars.get("generalisation_gap", []))
    assert [step for step, _ in got] == list(range(EPOCHS)), f"custom/generalisation_gap steps: {got}"
    expected = np.array(history.history["val_loss"]) - np.array(history.history["loss"])
    np.testing.assert_allclose([v for _, v in got], expected, rtol=1e-4, atol=1e-6)


def test_fit_runs_the_requested_epochs_in_batches_of_32(run):
    history, _, model = run
    assert len(history.history["loss"]) == EPOCHS, (
        f"{len(history.history['loss'])} epochs in the History, expected epochs={EPOCHS}"
    )
    steps = int(keras.ops.convert_to_numpy(model.optimizer.iterations))
    expected = EPOCHS * -(-TRAIN_ROWS // BATCH)
    assert steps == expected, (
        f"{steps} optimizer steps for {EPOCHS} epochs of {TRAIN_ROWS} rows, expected {expected} (batch_size=32)"
    )
