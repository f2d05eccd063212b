"""Near miss: the default input shape is ImageNet's (224, 224, 3), not the (128, 128, 3) the README asks for."""

from __future__ import annotations

import keras


def build_transfer_model(
    num_classes: int = 5, input_shape: tuple[int, int, int] = (224, 224, 3), weights: str | None = "imagenet"
) -> keras.Model:
    """Raw pixels -> Rescaling to [-1, 1] -> frozen MobileNetV2 -> Dense(num_classes, softmax), compiled."""
    # `weights` is passed through: "imagenet" downloads the pretrained weights once, a path loads a local
    # file, None leaves them random (what the offline tests use).
    base = keras.applications.MobileNetV2(
        input_shape=input_shape, include_top=False, weights=weights, pooling="avg"
    )  # include_top=False drops ImageNet's 1000-class classifier; pooling="avg" gives 1280 features per image
    # Freeze every layer of the base: its features are reused, not re-learnt. In Keras 3 this is also what keeps
    # its BatchNormalization layers in inference mode: a frozen BatchNorm layer always uses its stored statistics.
    base.trainable = False

    inputs = keras.Input(shape=input_shape)
    # MobileNetV2 was trained on pixels scaled to [-1, 1] (what mobilenet_v2.preprocess_input does).
    x = keras.layers.Rescaling(1 / 127.5, offset=-1)(inputs)
    # No training=False here: in Keras 3 the training=True that fit() passes would override it anyway.
    x = base(x)
    # The new head: the only trainable part.
    outputs = keras.layers.Dense(num_classes, activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def unfreeze_for_fine_tuning(
    model: keras.Model, base: keras.Model, learning_rate: float = 1e-5
) -> keras.Model:
    """Unfreeze the whole base except its BatchNormalization layers, recompile with a low learning rate."""
    # Setting `trainable` on a model sets it on every layer inside it, BatchNorm included: unfreeze first...
    base.trainable = True
    # ...then re-freeze the BatchNorm layers. A frozen BatchNorm layer runs in inference mode even when fit()
    # trains the model: its pretrained moving mean and variance are used and never updated by small new batches.
    for layer in base.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.trainable = False
    # Changes to `trainable` take effect when the model is compiled again; a low learning rate only nudges the
    # pretrained weights.
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model
