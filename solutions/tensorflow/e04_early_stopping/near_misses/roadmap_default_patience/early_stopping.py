"""Near miss: copies the roadmap snippet's `patience=2` as the default patience, where the README says 3."""

from __future__ import annotations

import keras


def make_early_stopping(patience: int = 2) -> keras.callbacks.EarlyStopping:
    """Stop when the validation loss has not improved for `patience` epochs; restore the best weights."""
    return keras.callbacks.EarlyStopping(
        monitor="val_loss",  # held-out data: the training loss keeps falling while the model over-fits
        patience=patience,  # tolerate a few epochs without improvement: validation curves are noisy
        # Without this the model ends with the weights of the last epoch, `patience` epochs past the best.
        restore_best_weights=True,
    )


def fit_with_early_stopping(
    model: keras.Model, x_train, y_train, x_val, y_val, max_epochs: int = 100, patience: int = 2
) -> keras.callbacks.History:
    """Fit (batch size 32, silently) for at most max_epochs, validating on (x_val, y_val), stopping early."""
    return model.fit(
        x_train,
        y_train,
        validation_data=(x_val, y_val),  # an explicit validation set (validation_split would also work)
        epochs=max_epochs,
        batch_size=32,
        callbacks=[make_early_stopping(patience)],
        verbose=0,
    )
