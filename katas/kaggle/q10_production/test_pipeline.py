"""Hidden-test style checks for kaggle/q10: from a clean folder, train then predict in fresh processes."""

import hashlib
import json
import subprocess
import sys

import joblib
import numpy as np
import pandas as pd
import pytest
import sklearn
from sklearn.base import clone
from sklearn.model_selection import StratifiedKFold, cross_val_score

from graders.kit import titanic


def _run(script, args, cwd):
    done = subprocess.run(
        [sys.executable, str(script), *args], cwd=cwd, capture_output=True, text=True, timeout=100
    )
    assert done.returncode == 0, (
        f"`python pipeline.py {' '.join(args)}` exited with {done.returncode}:\n{done.stderr[-2000:]}"
    )
    return done


@pytest.fixture(scope="module")
def run(kata_shared, tmp_path_factory):
    script = kata_shared.path("pipeline.py")
    work = tmp_path_factory.mktemp("clean")
    titanic.write_csvs(work / "data")
    _run(script, ["train", "data", "model"], work)
    _run(script, ["predict", "model", "data/test.csv", "out/submission.csv"], work)
    return work


def test_only_the_expected_files_are_written(run):
    found = sorted(str(p.relative_to(run)) for p in run.rglob("*") if p.is_file())
    assert found == [
        "data/test.csv",
        "data/train.csv",
        "model/model.joblib",
        "model/model_card.json",
        "out/submission.csv",
    ], f"files in the clean folder after train and predict: {found}"


def test_submission_is_valid_and_scores(run, held_out):
    path = run / "out" / "submission.csv"
    assert path.read_text().splitlines()[0] == "PassengerId,Survived", "header should be PassengerId,Survived"
    sub = pd.read_csv(path)
    test = pd.read_csv(run / "data" / "test.csv")
    assert sub["PassengerId"].tolist() == test["PassengerId"].tolist(), "one row per test passenger, in order"
    assert pd.api.types.is_integer_dtype(sub["Survived"]) and set(sub["Survived"]) <= {0, 1}
    score = titanic.accuracy(sub, held_out)
    assert score >= 0.74, f"held-out accuracy {score:.3f} < 0.74"


def test_model_card_is_complete(run):
    card = json.loads((run / "model" / "model_card.json").read_text())
    missing = {
        "name",
        "model",
        "created_with",
        "training_data",
        "features",
        "target",
        "metrics",
        "intended_use",
        "limitations",
    } - set(card)
    assert not missing, f"model card lacks {sorted(missing)}"
    assert card["created_with"].get("sklearn") == sklearn.__version__
    assert card["created_with"].get("pandas") == pd.__version__ and card["created_with"].get("python")
    data = run / "data" / "train.csv"
    assert card["training_data"] == {
        "file": "train.csv",
        "rows": 891,
        "sha256": hashlib.sha256(data.read_bytes()).hexdigest(),
    }, f"training_data: {card['training_data']}"
    assert card["target"] == "Survived"
    assert card["features"] and set(card["features"]) <= set(titanic.TEST_COLUMNS), (
        f"features: {card['features']}"
    )
    for key in ("name", "intended_use", "limitations"):
        assert isinstance(card[key], str) and card[key].strip(), f"{key} should be a non-empty string"
    artefact = joblib.load(run / "model" / "model.joblib")
    assert card["model"] == type(artefact[-1]).__name__


def test_artefact_loads_elsewhere_and_card_metric_is_cross_validated(run):
    try:
        artefact = joblib.load(run / "model" / "model.joblib")
    except (AttributeError, ModuleNotFoundError) as exc:
        raise AssertionError(
            f"the artefact does not load outside pipeline.py ({exc}): it pickles code defined in the script"
        ) from None
    card = json.loads((run / "model" / "model_card.json").read_text())
    train = pd.read_csv(run / "data" / "train.csv")
    X, y = train[card["features"]], train["Survived"]
    scores = cross_val_score(clone(artefact), X, y, cv=StratifiedKFold(5, shuffle=True, random_state=0))
    assert abs(card["metrics"]["cv_accuracy_mean"] - scores.mean()) < 1e-9, (
        f"card says {card['metrics']['cv_accuracy_mean']:.4f}, 5-fold CV of the pipeline gives {scores.mean():.4f}"
    )
    assert abs(card["metrics"]["cv_accuracy_std"] - scores.std()) < 1e-9
    test = pd.read_csv(run / "data" / "test.csv")
    sub = pd.read_csv(run / "out" / "submission.csv")
    assert np.array_equal(artefact.predict(test), sub["Survived"].to_numpy()), (
        "the artefact predicts differently"
    )


def test_in_process_functions(kata, tmp_path):
    pipeline = kata.module("pipeline")
    data = titanic.write_csvs(tmp_path / "data")
    (tmp_path / "m").mkdir()  # an existing model folder is fine: "create model_dir if needed"
    card = pipeline.train(data, tmp_path / "m")
    metrics = card["metrics"]
    assert all(type(metrics[k]) is float for k in ("cv_accuracy_mean", "cv_accuracy_std")), (
        f"the metrics are Python floats: {[type(v).__name__ for v in metrics.values()]}"
    )
    assert card == json.loads((tmp_path / "m" / "model_card.json").read_text()), (
        "return the card that was written"
    )
    returned = pipeline.predict(tmp_path / "m", data / "test.csv", tmp_path / "s" / "sub.csv")
    written = pd.read_csv(tmp_path / "s" / "sub.csv")
    assert (
        isinstance(returned, pd.DataFrame) and returned["Survived"].tolist() == written["Survived"].tolist()
    )


def test_main_without_a_command_is_a_usage_error(kata):
    pipeline = kata.module("pipeline")
    try:
        pipeline.main([])
    except SystemExit as exc:
        assert exc.code == 2, f"argparse's usage error exits with status 2, got {exc.code!r}"
    except Exception as exc:
        pytest.fail(
            f"main([]) without a sub-command should be argparse's usage error (required=True): {exc!r}"
        )
    else:
        pytest.fail("main([]) without a sub-command should be argparse's usage error, not a normal return")
