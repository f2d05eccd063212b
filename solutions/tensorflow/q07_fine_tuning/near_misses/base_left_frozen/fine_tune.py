"""Near miss: sets every layer's flag but never `base.trainable = True`, so the base itself stays frozen and lists no
trainable weights."""

from __future__ import annotations

import keras


def unfreeze_top(
    model: keras.Model, base: keras.Model, n_top: int, learning_rate: float = 1e-5
) -> keras.Model:
    """Make base.layers[-n_top:] trainable except BatchNormalization, freeze the rest of base, recompile."""
    # Set every layer's flag explicitly, so that a second call with another n_top (progressive unfreezing) gives
    # exactly the same result as a first call on a fresh model.
    first_top = len(base.layers) - n_top
    for index, layer in enumerate(base.layers):
        # The lower layers hold generic features (edges, textures): keep them as they are. BatchNorm stays frozen
        # even among the top layers: a frozen BatchNorm runs in inference mode with its pretrained statistics,
        # which a small new data set would otherwise shift, wrecking the features built on them.
        layer.trainable = index >= first_top and not isinstance(layer, keras.layers.BatchNormalization)
    # Recompile so training picks up the new set of trainable weights, with a learning rate far below the
    # default 1e-3: the pretrained weights are good, we only nudge them.
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model
