"""Kata sklearn/q09: save and load a model with metadata; refuse bad files before unpickling. Edit this file."""

from __future__ import annotations

FILE = "katas/sklearn/q09_persistence/persist.py"


class ModelLoadError(Exception):
    """The saved model cannot be loaded safely."""


class VersionMismatchError(ModelLoadError):
    """The model was saved with other library versions."""


class IntegrityError(ModelLoadError):
    """model.joblib is not the file that was saved (its SHA-256 differs)."""


def save_model(model, directory, feature_names):
    """Write model.joblib and metadata.json into directory; return Path(directory)."""
    raise NotImplementedError(f"save_model: write it in {FILE}")


def load_model(directory, expected_features=None):
    """Check metadata, versions, hash and features, and only then joblib.load the model."""
    raise NotImplementedError(f"load_model: write it in {FILE}")
