"""Near miss: raises ModelLoadError for unreadable metadata without `from exc`: the original error is only the
implicit context, not the chained cause the README asks for."""

from __future__ import annotations

import hashlib
import json
import platform
from pathlib import Path

import joblib
import numpy
import sklearn

MODEL, METADATA = "model.joblib", "metadata.json"


class ModelLoadError(Exception):
    """The saved model cannot be loaded safely."""


class VersionMismatchError(ModelLoadError):
    """The model was saved with other library versions."""


class IntegrityError(ModelLoadError):
    """model.joblib is not the file that was saved (its SHA-256 differs)."""


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def save_model(model, directory, feature_names):
    """Write model.joblib and metadata.json into directory; return Path(directory)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, directory / MODEL)
    metadata = {
        "sklearn_version": sklearn.__version__,
        "numpy_version": numpy.__version__,
        "python_version": platform.python_version(),
        "feature_names": [str(name) for name in feature_names],
        "sha256": _sha256(directory / MODEL),  # the fingerprint of the bytes just written
    }
    (directory / METADATA).write_text(json.dumps(metadata, indent=2), encoding="utf-8")
    return directory


def load_model(directory, expected_features=None):
    """Check metadata, versions, hash and features, and only then joblib.load the model."""
    directory = Path(directory)
    try:
        metadata = json.loads((directory / METADATA).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelLoadError(f"cannot read {directory / METADATA}: {exc}")  # noqa: B904
    # Everything below reads plain bytes and JSON: nothing is unpickled until every check has passed.
    for library, key, installed in [
        ("scikit-learn", "sklearn_version", sklearn.__version__),
        ("numpy", "numpy_version", numpy.__version__),
    ]:
        saved = metadata.get(key)
        if saved != installed:
            raise VersionMismatchError(
                f"{library} {saved} saved, {installed} installed: refusing to unpickle"
            )
    model_path = directory / MODEL
    if not model_path.is_file() or _sha256(model_path) != metadata.get("sha256"):
        raise IntegrityError(
            f"{model_path.name} does not match the SHA-256 in {METADATA}: refusing to unpickle"
        )
    if expected_features is not None and list(expected_features) != metadata.get("feature_names"):
        raise ModelLoadError(
            f"the model expects features {metadata.get('feature_names')}, got {list(expected_features)}"
        )
    return joblib.load(model_path)  # only now: the file is the one we saved, for these library versions
