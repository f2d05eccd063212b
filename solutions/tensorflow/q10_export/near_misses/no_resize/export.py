"""Near miss: the interpreter keeps its batch-of-1 input shape, so larger batches do not fit."""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf


def export_saved_model(model: keras.Model, export_dir) -> None:
    """Write `model` to the folder `export_dir` as a TensorFlow SavedModel with a `serve` endpoint."""
    # Keras 3's way to a SavedModel: the inference function only (dropout off, BatchNorm with its moving
    # statistics), what TF Serving and the TFLite converter need. `model.save()` writes `.keras` (or legacy
    # `.h5`) files for reloading in Keras; the roadmap's `save_format='tf'` no longer exists.
    model.export(str(export_dir), verbose=False)


def predict_saved_model(export_dir, x) -> np.ndarray:
    """Load the SavedModel in `export_dir` (without Keras) and return its predictions for x as numpy."""
    loaded = tf.saved_model.load(str(export_dir))  # plain TensorFlow: no Python model class needed
    return loaded.serve(tf.constant(x, dtype=tf.float32)).numpy()


def convert_to_tflite(export_dir) -> bytes:
    """Convert the SavedModel in `export_dir` to a TFLite flatbuffer."""
    return tf.lite.TFLiteConverter.from_saved_model(str(export_dir)).convert()


def predict_tflite(tflite_model: bytes, x) -> np.ndarray:
    """Run the TFLite model on a batch x of any size and return the predictions as numpy."""
    # tf.lite.Interpreter is deprecated in favour of LiteRT (`from ai_edge_litert.interpreter import
    # Interpreter`), which has the same API.
    interpreter = tf.lite.Interpreter(model_content=tflite_model)
    source = interpreter.get_input_details()[0]
    target = interpreter.get_output_details()[0]
    x = np.asarray(x, dtype=np.float32)  # TFLite does not cast: float64 input is an error
    # Tensors have fixed shapes, batch 1 by default: resize for this batch, then (re)allocate memory.
    interpreter.allocate_tensors()
    interpreter.set_tensor(source["index"], x)
    interpreter.invoke()
    return interpreter.get_tensor(target["index"]).copy()
