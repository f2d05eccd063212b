"""Hidden-test style checks for deployment/q03: a pipeline served from a hash-checked pickle and from ONNX."""

import hashlib
import pathlib
import pickle

import numpy as np
import pytest


@pytest.fixture(scope="module")
def pipeline(iris_data):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = iris_data
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=500)).fit(X, y)


@pytest.fixture
def serving(kata):
    return kata.module("serving")


@pytest.fixture(scope="module")
def probe_rows(iris_data):
    X, _ = iris_data
    rng = np.random.default_rng(9)
    return np.vstack([X, rng.uniform(X.min(0) - 1, X.max(0) + 1, size=(300, 4))])


class Trap:
    """Unpickling this creates a file: proof that the pickle's code ran."""

    def __init__(self, marker: pathlib.Path):
        self.marker = marker

    def __reduce__(self):
        return (pathlib.Path.touch, (self.marker,))


def test_sha256_of_a_file(serving, tmp_path):
    rng = np.random.default_rng(0)
    for size in (0, 1, 1000, 3_000_000):
        path = tmp_path / f"blob{size}"
        path.write_bytes(rng.bytes(size))
        assert serving.sha256_of(path) == hashlib.sha256(path.read_bytes()).hexdigest(), f"{size} bytes"


def test_pickle_round_trip_with_its_hash(serving, pipeline, probe_rows, tmp_path):
    path = tmp_path / "model.pkl"
    digest = serving.save_pickle(pipeline, path)
    assert digest == hashlib.sha256(path.read_bytes()).hexdigest(), (
        "save_pickle returns the SHA-256 of the file"
    )
    loaded = serving.load_pickle(path, digest)
    np.testing.assert_array_equal(loaded.predict(probe_rows), pipeline.predict(probe_rows))


def test_a_tampered_file_is_refused(serving, pipeline, tmp_path):
    path = tmp_path / "model.pkl"
    digest = serving.save_pickle(pipeline, path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(serving.IntegrityError):
        serving.load_pickle(path, digest)


def test_a_malicious_pickle_never_runs(serving, pipeline, tmp_path):
    good = tmp_path / "good.pkl"
    digest = serving.save_pickle(pipeline, good)
    marker = tmp_path / "pwned"
    evil = tmp_path / "model.pkl"
    evil.write_bytes(pickle.dumps(Trap(marker)))
    with pytest.raises(serving.IntegrityError):
        serving.load_pickle(evil, digest)
    assert not marker.exists(), "the file was unpickled before its hash was checked: its code already ran"


def test_uppercase_expected_hash_is_the_same_hash(serving, pipeline, tmp_path):
    path = tmp_path / "model.pkl"
    digest = serving.save_pickle(pipeline, path)
    loaded = serving.load_pickle(path, digest.upper())
    assert loaded.predict(np.zeros((1, 4))).shape == (1,)


@pytest.fixture(scope="module")
def onnx_path(kata_module_serving, pipeline, tmp_path_factory):
    path = tmp_path_factory.mktemp("onnx") / "model.onnx"
    kata_module_serving.export_onnx(pipeline, str(path), 4)  # a str path, as in the README's example
    assert path.is_file(), f"export_onnx(model, {str(path)!r}, 4) wrote no file there"
    return path


@pytest.fixture(scope="module")
def kata_module_serving(kata_shared):
    return kata_shared.module("serving")


def test_onnx_file_has_a_float_batch_input(onnx_path):
    import onnxruntime as ort

    session = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    (inp,) = session.get_inputs()
    assert inp.type == "tensor(float)", f"the input should be float32, got {inp.type}"
    assert len(inp.shape) == 2 and inp.shape[1] == 4 and not isinstance(inp.shape[0], int), (
        f"the input should be [batch (dynamic), 4], got {inp.shape}"
    )


def test_onnx_predictions_equal_the_pipeline(serving, onnx_path, pipeline, probe_rows):
    model = serving.OnnxModel(onnx_path)
    labels = model.predict(probe_rows)
    assert isinstance(labels, np.ndarray) and labels.shape == (len(probe_rows),), (
        f"labels shape {np.shape(labels)}"
    )
    np.testing.assert_array_equal(labels.astype(np.int64), pipeline.predict(probe_rows))


def test_onnx_probabilities_match(serving, onnx_path, pipeline, probe_rows):
    model = serving.OnnxModel(onnx_path)
    proba = model.predict_proba(probe_rows)
    assert (
        isinstance(proba, np.ndarray) and proba.dtype.kind == "f" and proba.shape == (len(probe_rows), 3)
    ), (
        f"predict_proba should return a float array of shape (n, 3), got {type(proba).__name__} "
        f"{getattr(proba, 'dtype', None)} {np.shape(proba)}"
    )
    np.testing.assert_allclose(proba, pipeline.predict_proba(probe_rows), atol=1e-5)


def test_onnx_model_accepts_a_list_of_rows(serving, onnx_path, pipeline, probe_rows):
    model = serving.OnnxModel(onnx_path)
    rows = probe_rows[::23]
    try:
        labels, proba = model.predict(rows.tolist()), model.predict_proba(rows.tolist())
    except Exception as exc:  # noqa: BLE001  (the message names the rule)
        pytest.fail(
            f"OnnxModel should accept a plain list of rows (convert X to a float32 array first), got {exc!r}"
        )
    np.testing.assert_array_equal(np.asarray(labels).astype(np.int64), pipeline.predict(rows))
    np.testing.assert_allclose(np.asarray(proba), pipeline.predict_proba(rows), atol=1e-5)


def test_pickle_and_onnx_serve_the_same_answers(serving, onnx_path, pipeline, probe_rows, tmp_path):
    path = tmp_path / "model.pkl"
    from_pickle = serving.load_pickle(path, serving.save_pickle(pipeline, path))
    from_onnx = serving.OnnxModel(onnx_path)
    np.testing.assert_array_equal(from_onnx.predict(probe_rows), from_pickle.predict(probe_rows))
