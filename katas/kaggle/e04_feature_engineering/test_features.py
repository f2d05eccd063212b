"""Hidden-test style checks for kaggle/e04: titles and family features exact; the transformer works in a Pipeline."""

import random

import numpy as np
import pandas as pd
import pytest

from graders.kit import titanic
from graders.kit.checks import assert_frame_equal

TITLES = {
    "Mr": "Mr",
    "Mrs": "Mrs",
    "Miss": "Miss",
    "Master": "Master",
    "Mlle": "Miss",
    "Ms": "Miss",
    "Mme": "Mrs",
    "Dr": "Rare",
    "Rev": "Rare",
    "Col": "Rare",
    "Major": "Rare",
    "Capt": "Rare",
    "Sir": "Rare",
    "Lady": "Rare",
    "Don": "Rare",
    "Dona": "Rare",
    "Jonkheer": "Rare",
    "the Countess": "Rare",
}


@pytest.fixture
def features(kata):
    return kata.module("features")


def _random_names(seed, n=200):
    rng = random.Random(seed)
    raw = list(TITLES)
    names, expected = [], []
    for _ in range(n):
        title = rng.choice(raw)
        surname = rng.choice(
            ["Braund", "O'Brien", "van Billiard", "Smith-Jones", "Cumings", "de Messemaeker"]
        )
        given = rng.choice(
            ["Owen Harris", "John Bradley (Florence St. Clair)", "Mary", "Leo J. Jr", "of (Lucy N.)"]
        )
        names.append(f"{surname},{' ' * rng.randint(0, 2)}{title}. {given}")
        expected.append(TITLES[title])
    return names, expected


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("Braund, Mr. Owen Harris", "Mr"),
        ("Cumings, Mrs. John Bradley (Florence St. Clair)", "Mrs"),
        ("Rothes, the Countess. of (Lucy Dyer)", "Rare"),
        ("Aubart, Mme. Leontine Pauline", "Mrs"),
        ("Sagesser, Mlle. Emma", "Miss"),
        ("Palsson, Master. Gosta Leonard", "Master"),
        ("Uruchurtu, Don. Manuel E", "Rare"),
    ],
)
def test_readme_titles(features, name, title):
    got = features.extract_title(pd.Series([name], index=[7]))
    assert isinstance(got, pd.Series) and list(got.index) == [7], "keep the index of the input"
    assert got.iloc[0] == title, f"extract_title({name!r}) gave {got.iloc[0]!r}, expected {title!r}"


@pytest.mark.parametrize("seed", range(3))
def test_random_titles(features, seed):
    names, expected = _random_names(seed)
    index = pd.Index(np.random.default_rng(seed).permutation(len(names)) + 100)
    got = features.extract_title(pd.Series(names, index=index))
    assert got.name == "Title", f"the Series should be named 'Title', got {got.name!r}"
    for name, want, have in zip(names, expected, got.tolist(), strict=True):
        assert have == want, f"extract_title({name!r}) gave {have!r}, expected {want!r}"


@pytest.mark.parametrize("seed", range(3))
def test_add_family_features(features, titanic_frames, seed):
    train, test = titanic_frames
    frame = pd.concat([train, test]).sample(n=300, random_state=seed)
    rng = np.random.default_rng(seed)
    frame["SibSp"] = rng.integers(0, 6, len(frame))
    frame["Parch"] = rng.integers(0, 4, len(frame))
    before = frame.copy()
    got = features.add_family_features(frame)
    assert list(got.columns) == [*frame.columns, "FamilySize", "IsAlone", "Title"], (
        f"columns {list(got.columns)}"
    )
    assert_frame_equal(got[list(frame.columns)], frame, where="the original columns of add_family_features")
    for index, sibsp, parch, size, alone in zip(
        frame.index, frame["SibSp"], frame["Parch"], got["FamilySize"], got["IsAlone"], strict=True
    ):
        assert size == sibsp + parch + 1, (
            f"row {index}: SibSp {sibsp} + Parch {parch} + 1 = {sibsp + parch + 1}, got {size}"
        )
        assert alone == (1 if size == 1 else 0), f"row {index}: FamilySize {size} gives IsAlone {alone}"
    pd.testing.assert_series_equal(
        got["Title"],
        features.extract_title(frame["Name"]),
        check_names=False,
        obj="Title = extract_title(Name)",
    )
    for column in ("FamilySize", "IsAlone"):
        assert pd.api.types.is_integer_dtype(got[column]), f"{column} should be integers"
    assert_frame_equal(frame, before, where="the input frame (it must not be modified)")


def test_transformer_in_a_pipeline(features, titanic_frames, held_out):
    from sklearn.base import clone
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder

    train, test = titanic_frames
    before = test.copy()
    columns = ColumnTransformer(
        [
            ("cat", OneHotEncoder(handle_unknown="ignore"), ["Title", "Sex"]),
            ("num", "passthrough", ["FamilySize", "IsAlone", "Pclass"]),
        ]
    )
    pipe = Pipeline(
        [("family", features.FamilyFeatures()), ("columns", columns), ("model", LogisticRegression())]
    )
    pipe = clone(pipe)  # get_params / clone must work
    step = pipe.named_steps["family"]
    assert step.fit(train) is step, "fit should return self"
    pipe.fit(train, train["Survived"])
    predictions = pipe.predict(test)
    assert len(predictions) == len(test)
    assert_frame_equal(test, before, where="the test frame after predict (it must not be modified)")
    score = titanic.accuracy(
        pd.DataFrame({"PassengerId": test["PassengerId"], "Survived": predictions}), held_out
    )
    assert score > 0.72, (
        f"a pipeline on Title/Sex/FamilySize/IsAlone/Pclass should score > 0.72, got {score:.3f}"
    )
    transformed = step.transform(test)
    assert {"FamilySize", "IsAlone", "Title"} <= set(transformed.columns)
