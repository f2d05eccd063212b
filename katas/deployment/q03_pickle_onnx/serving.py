"""Kata deployment/q03: serve a scikit-learn pipeline as a hash-checked pickle and as ONNX. Edit this file."""

from __future__ import annotations

from pathlib import Path

import numpy as np

FILE = "katas/deployment/q03_pickle_onnx/serving.py"


class IntegrityError(Exception):
    """A model file is not the one we expect: refuse to load it."""


def sha256_of(path: str | Path) -> str:
    """The SHA-256 of a file's bytes as 64 lowercase hex digits."""
    raise NotImplementedError(f"sha256_of: write it in {FILE}")


def save_pickle(model, path: str | Path) -> str:
    """Pickle the model to path and return the file's SHA-256."""
    raise NotImplementedError(f"save_pickle: write it in {FILE}")


def load_pickle(path: str | Path, expected_sha256: str) -> object:
    """Unpickle path only if its SHA-256 is the expected one; IntegrityError otherwise (without unpickling)."""
    raise NotImplementedError(f"load_pickle: write it in {FILE}")


def export_onnx(model, path: str | Path, n_features: int) -> None:
    """Convert a fitted scikit-learn classifier or pipeline to an ONNX file with a float32 [None, n_features] input."""
    raise NotImplementedError(f"export_onnx: write it in {FILE}")


class OnnxModel:
    """An ONNX classifier served with onnxruntime."""

    def __init__(self, path: str | Path):
        raise NotImplementedError(f"OnnxModel: write it in {FILE}")

    def predict(self, X) -> np.ndarray:
        raise NotImplementedError(f"OnnxModel.predict: write it in {FILE}")

    def predict_proba(self, X) -> np.ndarray:
        raise NotImplementedError(f"OnnxModel.predict_proba: write it in {FILE}")
