"""Hidden-test style checks for sklearn/q09: model persistence with metadata; bad files refused before unpickling."""

import hashlib
import json
import os
import pickle
import platform

import numpy as np
import pytest
import sklearn
from hypothesis import given
from hypothesis import strategies as st
from sklearn.datasets import load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from graders.kit.strategies import kata_settings, texts


@pytest.fixture
def mod(kata):
    return kata.module("persist")


class BoobyTrap:
    """Unpickling this creates a directory: proof that the file was unpickled."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (os.mkdir, (self.marker,))


@pytest.fixture(scope="module")
def wine():
    data = load_wine(as_frame=True)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(data.data, data.target)
    return model, data.data


@pytest.fixture
def saved(mod, wine, tmp_path):
    model, X = wine
    directory = mod.save_model(model, tmp_path / "artefact", feature_names=list(X.columns))
    return tmp_path / "artefact", directory


def _metadata(folder):
    return json.loads((folder / "metadata.json").read_text())


def _write_metadata(folder, **changes):
    meta = _metadata(folder)
    meta.update(changes)
    (folder / "metadata.json").write_text(json.dumps(meta))


def _plant_trap(folder, marker):
    """Replace model.joblib with a booby-trapped pickle; return its true SHA-256."""
    payload = pickle.dumps(BoobyTrap(marker))
    (folder / "model.joblib").write_bytes(payload)
    return hashlib.sha256(payload).hexdigest()


def test_save_writes_the_files_and_metadata(saved, wine):
    folder, returned = saved
    assert returned is not None and os.fspath(returned) == os.fspath(folder), "return Path(directory)"
    meta = _metadata(folder)
    expected_keys = {"sklearn_version", "numpy_version", "python_version", "feature_names", "sha256"}
    assert set(meta) == expected_keys, f"metadata keys {sorted(meta)}, expected {sorted(expected_keys)}"
    assert meta["sklearn_version"] == sklearn.__version__ and meta["numpy_version"] == np.__version__
    assert meta["python_version"] == platform.python_version()
    assert meta["feature_names"] == list(wine[1].columns)
    digest = hashlib.sha256((folder / "model.joblib").read_bytes()).hexdigest()
    assert meta["sha256"] == digest, "sha256 must be the hex digest of model.joblib's bytes"


def test_round_trip_predicts_the_same(mod, saved, wine):
    model, X = wine
    folder, _ = saved
    loaded = mod.load_model(folder, expected_features=list(X.columns))
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
    np.testing.assert_allclose(loaded.predict_proba(X), model.predict_proba(X))
    assert mod.load_model(folder) is not None, "expected_features is optional"


def test_flipped_byte_is_refused(mod, saved):
    folder, _ = saved
    data = bytearray((folder / "model.joblib").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (folder / "model.joblib").write_bytes(bytes(data))
    with pytest.raises(mod.IntegrityError) as info:
        mod.load_model(folder)
    assert "model.joblib" in str(info.value), f"the message should name model.joblib: {info.value}"


def test_swapped_file_is_refused_before_unpickling(mod, saved, tmp_path):
    folder, _ = saved
    marker = tmp_path / "UNPICKLED"
    _plant_trap(folder, marker)
    with pytest.raises(mod.IntegrityError):
        mod.load_model(folder)
    assert not marker.exists(), "the tampered file was unpickled: check the SHA-256 BEFORE joblib.load"


@pytest.mark.parametrize(
    ("key", "library"), [("sklearn_version", "scikit-learn"), ("numpy_version", "numpy")]
)
def test_version_mismatch_is_refused_before_unpickling(mod, saved, tmp_path, key, library):
    folder, _ = saved
    marker = tmp_path / "UNPICKLED"
    digest = _plant_trap(folder, marker)  # the hash matches: only the version is wrong
    _write_metadata(folder, sha256=digest, **{key: "0.0.1"})
    with pytest.raises(mod.VersionMismatchError) as info:
        mod.load_model(folder)
    message = str(info.value)
    assert not marker.exists(), "the file was unpickled although the versions differ"
    installed = sklearn.__version__ if key == "sklearn_version" else np.__version__
    assert library in message and "0.0.1" in message and installed in message, (
        f"name the library and both versions: {message}"
    )
    assert issubclass(mod.VersionMismatchError, mod.ModelLoadError)


def test_other_features_are_refused(mod, saved, tmp_path, wine):
    folder, _ = saved
    marker = tmp_path / "UNPICKLED"
    digest = _plant_trap(folder, marker)
    _write_metadata(folder, sha256=digest)
    names = list(wine[1].columns)
    with pytest.raises(mod.ModelLoadError):
        mod.load_model(folder, expected_features=names[::-1])
    assert not marker.exists(), "the file was unpickled although the features differ"


def test_missing_or_broken_metadata(mod, saved):
    folder, _ = saved
    (folder / "metadata.json").write_text("{not json")
    with pytest.raises(mod.ModelLoadError) as info:
        mod.load_model(folder)
    assert isinstance(info.value.__cause__, ValueError), (
        f"chain the JSON error (raise ... from exc), got __cause__ {info.value.__cause__!r}"
    )
    (folder / "metadata.json").unlink()
    with pytest.raises(mod.ModelLoadError) as info:
        mod.load_model(folder)
    assert isinstance(info.value.__cause__, OSError), (
        f"chain the missing-file error (raise ... from exc), got __cause__ {info.value.__cause__!r}"
    )


def test_save_into_a_str_path_new_or_existing(mod, wine, tmp_path):
    model, X = wine
    target = tmp_path / "runs" / "wine"  # its parent does not exist yet either
    for attempt in ("new", "existing"):
        got = mod.save_model(model, str(target), feature_names=list(X.columns))
        assert got == target and isinstance(got, type(target)), (
            f"{attempt} directory given as a str: return Path(directory), got {got!r}"
        )
    loaded = mod.load_model(str(target), expected_features=list(X.columns))
    np.testing.assert_array_equal(loaded.predict(X.head(5)), model.predict(X.head(5)))


def test_missing_model_file_is_an_integrity_error(mod, saved):
    folder, _ = saved
    (folder / "model.joblib").unlink()
    with pytest.raises(mod.IntegrityError) as info:
        mod.load_model(folder)
    assert "model.joblib" in str(info.value), f"the message should name model.joblib: {info.value}"


def test_versions_are_checked_before_the_hash(mod, saved, tmp_path):
    folder, _ = saved
    marker = tmp_path / "UNPICKLED"
    _plant_trap(folder, marker)  # the hash no longer matches either
    _write_metadata(folder, numpy_version="0.0.1")
    with pytest.raises(mod.VersionMismatchError):
        mod.load_model(folder)
    assert not marker.exists()


def test_hash_is_checked_before_the_features(mod, saved, tmp_path, wine):
    folder, _ = saved
    marker = tmp_path / "UNPICKLED"
    _plant_trap(folder, marker)  # the hash no longer matches
    with pytest.raises(mod.IntegrityError):
        mod.load_model(folder, expected_features=list(wine[1].columns)[::-1])
    assert not marker.exists()


@kata_settings(max_examples=25)
@given(names=st.lists(texts(1, 8), min_size=1, max_size=5, unique=True))
def test_feature_names_round_trip(mod, tmp_path_factory, names):
    """Any names (unicode, inner and edge whitespace, digits) come back exactly, in order; others are refused."""
    from sklearn.dummy import DummyClassifier

    folder = tmp_path_factory.mktemp("names")
    model = DummyClassifier().fit(np.zeros((4, len(names))), [0, 1, 1, 0])
    mod.save_model(model, folder, feature_names=names)
    assert _metadata(folder)["feature_names"] == names, "feature_names are stored exactly as given"
    assert isinstance(mod.load_model(folder, expected_features=list(names)), DummyClassifier)
    for other in (names[::-1], [*names, "extra"], [name + " " for name in names]):
        if other != names:
            with pytest.raises(mod.ModelLoadError):
                mod.load_model(folder, expected_features=other)
