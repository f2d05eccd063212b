"""Hidden-test style checks for kaggle/e03: features exact, submission valid, baseline beats the majority class."""

import numpy as np
import pandas as pd
import pytest

from graders.kit import titanic
from graders.kit.checks import assert_frame_equal


@pytest.fixture
def baseline(kata):
    return kata.module("baseline")


@pytest.mark.parametrize("seed", range(3))
def test_baseline_features(baseline, titanic_frames, seed):
    train, test = titanic_frames
    frame = pd.concat([train, test]).sample(frac=0.5, random_state=seed)  # shuffled index, NaN included
    before = frame.copy()
    got = baseline.baseline_features(frame)
    assert list(got.columns) == baseline.FEATURES, (
        f"columns {list(got.columns)}, expected {baseline.FEATURES}"
    )
    assert list(got.index) == list(frame.index), "keep the frame's index"
    copied = [c for c in baseline.FEATURES if c != "IsFemale"]
    assert_frame_equal(got[copied], frame[copied], where="the copied columns of baseline_features")
    assert pd.api.types.is_integer_dtype(got["IsFemale"]), "IsFemale should be integers 0/1"
    for index, sex, flag in zip(frame.index, frame["Sex"], got["IsFemale"], strict=True):
        assert flag == (1 if sex == "female" else 0), f"row {index}: Sex {sex!r} gives IsFemale {flag}"
    assert_frame_equal(frame, before, where="the input frame (it must not be modified)")


@pytest.fixture(scope="module")
def submitted(kata_shared, tmp_path_factory):
    baseline = kata_shared.module("baseline")
    train, test, _ = titanic.generate()
    path = tmp_path_factory.mktemp("sub") / "submission.csv"
    model = baseline.fit_baseline(train)
    returned = baseline.write_submission(model, test, path)
    return model, returned, path, test


def test_model_is_the_specified_tree(baseline, submitted):
    from sklearn.tree import DecisionTreeClassifier

    model = submitted[0]
    assert isinstance(model, DecisionTreeClassifier), (
        f"expected a DecisionTreeClassifier, got {type(model).__name__}"
    )
    assert model.get_params()["max_depth"] == 4 and model.get_params()["random_state"] == 0
    assert list(model.feature_names_in_) == baseline.FEATURES, f"fitted on {list(model.feature_names_in_)}"


def test_submission_file_is_valid(submitted):
    _, returned, path, test = submitted
    assert path.is_file(), f"no file written at {path}"
    header = path.read_text().splitlines()[0]
    assert header == "PassengerId,Survived", f"the header should be 'PassengerId,Survived', got {header!r}"
    sub = pd.read_csv(path)
    assert len(sub) == len(test) == 418, f"{len(sub)} rows: every one of the 418 test passengers needs a row"
    assert sub["PassengerId"].tolist() == test["PassengerId"].tolist(), (
        "PassengerId must follow the test file"
    )
    assert pd.api.types.is_integer_dtype(sub["Survived"]), (
        f"Survived must be written as integers 0/1, got values such as {sub['Survived'].iloc[0]!r}"
    )
    assert set(sub["Survived"].unique()) <= {0, 1} and not sub.isna().any().any()
    assert isinstance(returned, pd.DataFrame) and returned.shape == (418, 2)
    assert returned["Survived"].tolist() == sub["Survived"].tolist(), (
        "the returned frame should be what was written"
    )


def test_beats_the_majority_class_on_held_out_labels(submitted, held_out):
    sub = pd.read_csv(submitted[2])
    score = titanic.accuracy(sub, held_out)
    majority = max(held_out.mean(), 1 - held_out.mean())
    assert score >= majority + 0.10, (
        f"held-out accuracy {score:.3f}: the majority class alone gets {majority:.3f}; a baseline must beat it by 0.10"
    )


def test_predictions_follow_the_features(baseline, submitted):
    model, returned, _, test = submitted
    expected = model.predict(baseline.baseline_features(test)).astype(int)
    assert np.array_equal(returned["Survived"].to_numpy(), expected), (
        "predictions differ from model.predict(features)"
    )


def test_survived_is_written_as_int_whatever_the_model_predicts(baseline, titanic_frames, tmp_path):
    from sklearn.tree import DecisionTreeClassifier

    train, test = titanic_frames
    # a model fitted on a float target predicts 0.0 / 1.0: the file still needs 0 / 1
    model = DecisionTreeClassifier(max_depth=3, random_state=0)
    model.fit(baseline.baseline_features(train), train["Survived"].astype(float))
    path = tmp_path / "submission.csv"
    returned = baseline.write_submission(model, test, path)
    assert pd.api.types.is_integer_dtype(returned["Survived"]), (
        f"Survived as int in the returned frame, got {returned['Survived'].dtype}"
    )
    assert path.read_text().splitlines()[1].split(",")[1] in ("0", "1"), (
        f"Survived written as 0/1 integers: {path.read_text().splitlines()[1]!r}"
    )
