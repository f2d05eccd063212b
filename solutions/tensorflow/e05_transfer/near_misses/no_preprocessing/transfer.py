"""Near miss: raw 0..255 pixels go straight into MobileNetV2, which expects inputs scaled to [-1, 1]."""

from __future__ import annotations

import keras


def build_transfer_model(
    num_classes: int = 5, input_shape: tuple[int, int, int] = (128, 128, 3), weights: str | None = "imagenet"
) -> keras.Model:
    """Raw pixels -> Rescaling to [-1, 1] -> frozen MobileNetV2 (inference mode) -> Dense(num_classes, softmax)."""
    # `weights` is passed through: "imagenet" downloads the pretrained weights once, a path loads a local
    # file, None leaves them random (what the offline tests use).
    base = keras.applications.MobileNetV2(
        input_shape=input_shape, include_top=False, weights=weights, pooling="avg"
    )  # include_top=False drops ImageNet's 1000-class classifier; pooling="avg" gives 1280 features per image
    base.trainable = False  # freeze every layer of the base: its features are reused, not re-learnt

    inputs = keras.Input(shape=input_shape)
    # MobileNetV2 was trained on pixels scaled to [-1, 1] (what mobilenet_v2.preprocess_input does).
    x = inputs
    # training=False: the base's BatchNormalization layers always use their stored statistics, even if the base
    # is unfrozen later for fine-tuning (a small new data set's batch statistics would wreck the features).
    x = base(x, training=False)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(
        x
    )  # the new head: the only trainable part
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
