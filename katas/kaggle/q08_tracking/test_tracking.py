"""Hidden-test style checks for kaggle/q08: seeded runs are identical, the log is complete and truthful."""

import json
import os
import random
import subprocess

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import StratifiedKFold

GIT_ENV = {
    "GIT_AUTHOR_NAME": "kata",
    "GIT_AUTHOR_EMAIL": "kata@example.invalid",
    "GIT_COMMITTER_NAME": "kata",
    "GIT_COMMITTER_EMAIL": "kata@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


@pytest.fixture
def tracking(kata):
    return kata.module("tracking")


@pytest.fixture
def repo(tmp_path):
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "train.py").write_text("print('train')\n")
    env = {**os.environ, **GIT_ENV}
    for args in (["init", "-q"], ["add", "train.py"], ["commit", "-q", "-m", "first"]):
        subprocess.run(["git", "-C", str(folder), *args], check=True, env=env, capture_output=True)
    head = subprocess.run(
        ["git", "-C", str(folder), "rev-parse", "HEAD"], check=True, capture_output=True, text=True, env=env
    ).stdout.strip()
    return folder, head


def test_seed_everything(tracking):
    tracking.seed_everything(123)
    got = (random.random(), float(np.random.rand()), os.environ.get("PYTHONHASHSEED"))
    random.seed(123)
    np.random.seed(123)
    assert got == (random.random(), float(np.random.rand()), "123"), f"after seed_everything(123): {got}"


def test_file_sha256(tracking, tmp_path):
    import hashlib

    path = tmp_path / "blob.bin"
    data = np.random.default_rng(0).bytes(5000)
    path.write_bytes(data)
    assert tracking.file_sha256(path) == hashlib.sha256(data).hexdigest()
    try:
        from_text = tracking.file_sha256(str(path))
    except (AttributeError, TypeError) as exc:
        pytest.fail(f"file_sha256 takes a str path as well as a Path: {exc!r}")
    assert from_text == hashlib.sha256(data).hexdigest(), "the path may be a str too"


def test_code_version(tracking, repo, tmp_path):
    folder, head = repo
    assert tracking.code_version(folder) == head, "a clean tree gives the commit hash"
    (folder / "train.py").write_text("print('changed')\n")
    assert tracking.code_version(folder) == f"{head}-dirty", "uncommitted edits must be marked -dirty"
    (folder / "train.py").write_text("print('train')\n")
    assert tracking.code_version(folder) == head, "the edit was undone: clean again"
    (folder / "notes.txt").write_text("an untracked file\n")
    assert tracking.code_version(folder) == f"{head}-dirty", "untracked files make the tree dirty too"
    plain = tmp_path / "not_a_repo"
    plain.mkdir()
    assert tracking.code_version(plain) == "unknown"


@pytest.fixture
def two_runs(tracking, repo, titanic_dir, tmp_path):
    folder, _ = repo
    params = {"n_estimators": 12, "max_depth": 5}
    logs = [
        tracking.run_experiment(
            titanic_dir / "train.csv", params, tmp_path / f"run{i}", seed=7, repo_dir=folder
        )
        for i in range(2)
    ]
    return logs, params, folder


def test_two_runs_are_identical(two_runs, tmp_path):
    (a, b), _, _ = two_runs
    assert a == b, "two runs with the same seed and inputs should give identical logs"
    first, second = (tmp_path / f"run{i}" / "model.joblib" for i in range(2))
    assert first.read_bytes() == second.read_bytes(), (
        "the two saved models differ: is every random source seeded?"
    )


def test_log_is_complete_and_true(two_runs, tracking, titanic_dir, tmp_path):
    (log, _), params, folder = two_runs
    written = json.loads((tmp_path / "run0" / "run.json").read_text())
    assert written == log, "run.json should hold the returned log"
    assert set(log) == {"params", "seed", "metrics", "data", "artefacts", "code_version"}, (
        f"keys {sorted(log)}"
    )
    assert log["params"] == params and log["seed"] == 7
    assert log["data"] == {
        "path": str(titanic_dir / "train.csv"),
        "sha256": tracking.file_sha256(titanic_dir / "train.csv"),
    }
    assert log["artefacts"] == {"model.joblib": tracking.file_sha256(tmp_path / "run0" / "model.joblib")}
    assert log["code_version"] == tracking.code_version(folder)
    train = pd.read_csv(titanic_dir / "train.csv")
    X = train.assign(IsFemale=(train["Sex"] == "female").astype(int))[tracking.FEATURES]
    y = train["Survived"]
    scores = []  # the README's cross-validation, fold by fold
    for fit_rows, held_out in StratifiedKFold(5, shuffle=True, random_state=7).split(X, y):
        forest = RandomForestClassifier(**params, random_state=7).fit(X.iloc[fit_rows], y.iloc[fit_rows])
        scores.append(np.mean(forest.predict(X.iloc[held_out]) == y.iloc[held_out].to_numpy()))
    scores = np.array(scores)
    assert abs(log["metrics"]["cv_accuracy_mean"] - scores.mean()) < 1e-12, (
        f"metrics {log['metrics']} vs {scores.mean()}"
    )
    assert abs(log["metrics"]["cv_accuracy_std"] - scores.std()) < 1e-12
    import joblib

    saved = joblib.load(tmp_path / "run0" / "model.joblib")
    reference = RandomForestClassifier(**params, random_state=7).fit(X, y)
    np.testing.assert_array_equal(
        saved.predict_proba(X),
        reference.predict_proba(X),
        err_msg="model.joblib should be the forest fitted on all rows after the cross-validation",
    )
