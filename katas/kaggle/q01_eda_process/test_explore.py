"""Hidden-test style checks for kaggle/q01: exact EDA figures on the train set and on seeded variants of it."""

import numpy as np
import pandas as pd
import pytest

from graders import titanic
from graders.checks import assert_frame_equal


@pytest.fixture
def explore(kata):
    return kata.module("explore")


def _variant(seed):
    train = titanic.generate()[0]
    if seed == 0:
        return train
    rng = np.random.default_rng(seed)
    df = train.sample(n=int(rng.integers(300, 800)), random_state=seed)
    df["IsFemale"] = (df["Sex"] == "female").astype(int)
    df["Noise"] = rng.normal(size=len(df))
    df["Fare"] = df["Fare"].where(rng.random(len(df)) > 0.1)
    return df


@pytest.mark.parametrize("seed", range(3))
def test_target_correlations(explore, seed):
    df = _variant(seed)
    numeric = df.select_dtypes("number").drop(columns=["Survived", "PassengerId"])
    corr = numeric.corrwith(df["Survived"])
    expected = corr[corr.abs().sort_values(ascending=False, kind="stable").index].rename("Survived")
    got = explore.target_correlations(df)
    assert isinstance(got, pd.Series), f"expected a Series, got {type(got).__name__}"
    assert list(got.index) == list(expected.index), (
        f"order {list(got.index)} != expected {list(expected.index)}"
    )
    pd.testing.assert_series_equal(got, expected, rtol=1e-10)


def test_target_correlations_other_target(explore):
    df = _variant(1)
    df["Label"] = 1 - df["Survived"]
    got = explore.target_correlations(df.drop(columns="Survived"), target="Label")
    assert got.name == "Label" and "Label" not in got.index
    assert got.loc["Pclass"] > 0, "with the flipped target, Pclass correlates positively"


@pytest.mark.parametrize("seed", range(3))
def test_missingness(explore, seed):
    df = _variant(seed)
    missing = df.isna().sum()
    missing = missing[missing > 0].sort_values(ascending=False, kind="stable")
    expected = pd.DataFrame({"missing": missing, "percent": 100.0 * missing / len(df)})
    got = explore.missingness(df)
    assert list(got.columns) == ["missing", "percent"], f"columns {list(got.columns)}"
    assert list(got.index) == list(expected.index), (
        f"rows {list(got.index)} != expected {list(expected.index)}"
    )
    assert_frame_equal(got, expected, where="missingness", check_dtype=False, check_exact=False, rtol=1e-12)
    assert pd.api.types.is_integer_dtype(got["missing"]), "missing should hold integer counts"


@pytest.mark.parametrize(
    ("seed", "by"), [(0, "Pclass"), (0, ["Sex", "Pclass"]), (1, "Embarked"), (2, ["Embarked", "Sex"])]
)
def test_survival_by(explore, seed, by):
    df = _variant(seed)
    expected = df.groupby(by)["Survived"].agg(passengers="count", survived="sum", rate="mean").sort_index()
    got = explore.survival_by(df, by)
    assert list(got.columns) == ["passengers", "survived", "rate"], f"columns {list(got.columns)}"
    assert_frame_equal(
        got, expected, where=f"survival_by(df, {by!r})", check_dtype=False, check_exact=False, rtol=1e-12
    )
