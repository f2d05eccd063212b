"""Near miss: converts with X.astype(np.float32): fine for an array, but a plain list of rows has no astype."""

from __future__ import annotations

import hashlib
import hmac
import pickle
from pathlib import Path

import numpy as np


class IntegrityError(Exception):
    """A model file is not the one we expect: refuse to load it."""


def sha256_of(path: str | Path) -> str:
    """The SHA-256 of a file's bytes, as 64 lowercase hex digits (read in chunks: model files can be big)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def save_pickle(model, path: str | Path) -> str:
    """Pickle the model to path and return the file's SHA-256 (store it beside the model's version)."""
    with open(path, "wb") as handle:
        pickle.dump(model, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return sha256_of(path)


def load_pickle(path: str | Path, expected_sha256: str) -> object:
    """Unpickle path only if its SHA-256 is the expected one.

    Unpickling runs code chosen by whoever wrote the file, so the check must come *before* pickle.loads.
    The bytes are read once: the file cannot change between the check and the load.
    """
    data = Path(path).read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    if not hmac.compare_digest(actual, expected_sha256.lower()):
        raise IntegrityError(
            f"{path}: sha256 {actual} is not the expected {expected_sha256}; refusing to load it"
        )
    return pickle.loads(data)


def export_onnx(model, path: str | Path, n_features: int) -> None:
    """Convert a fitted scikit-learn classifier (or pipeline) to ONNX with a float32 input [batch, n_features]."""
    from skl2onnx import to_onnx
    from skl2onnx.common.data_types import FloatTensorType

    onx = to_onnx(
        model,
        initial_types=[("input", FloatTensorType([None, n_features]))],
        # Without this, probabilities come out as a list of {class: probability} dicts (a "ZipMap").
        options={id(model): {"zipmap": False}},
        target_opset=17,
    )
    Path(path).write_bytes(onx.SerializeToString())


class OnnxModel:
    """An ONNX classifier served with onnxruntime: no scikit-learn (or even Python) needed at serving time."""

    def __init__(self, path: str | Path):
        import onnxruntime as ort

        self.session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        self.input_name = self.session.get_inputs()[0].name

    def _run(self, X) -> list[np.ndarray]:
        return self.session.run(None, {self.input_name: X.astype(np.float32)})

    def predict(self, X) -> np.ndarray:
        return np.asarray(self._run(X)[0])

    def predict_proba(self, X) -> np.ndarray:
        return np.asarray(self._run(X)[1])
