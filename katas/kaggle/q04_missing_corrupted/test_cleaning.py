"""Hidden-test style checks for kaggle/q04: flagged rows exact, imputation from train only, indicators, no NaN."""

import numpy as np
import pandas as pd
import pytest

from graders import titanic
from graders.checks import assert_frame_equal


@pytest.fixture
def cleaning(kata):
    return kata.module("cleaning")


def _corrupt(df, seed, how_many=25):
    """Write impossible values into random rows; return the frame and the rows touched."""
    rng = np.random.default_rng(seed)
    df = df.copy()
    rows = rng.choice(len(df), size=how_many, replace=False)
    for position in rows:
        index = df.index[position]
        kind = rng.integers(0, 6)
        if kind == 0:
            df.loc[index, "Age"] = -float(rng.integers(1, 40))
        elif kind == 1:
            df.loc[index, "Age"] = float(rng.integers(101, 300))
        elif kind == 2:
            df.loc[index, "Fare"] = -float(rng.uniform(1, 50))
        elif kind == 3:
            df.loc[index, rng.choice(["SibSp", "Parch"])] = -1
        elif kind == 4:
            df.loc[index, "Pclass"] = int(rng.choice([0, 4, 9]))
        else:
            df.loc[index, "Sex"] = str(rng.choice(["M", "unknown", "Female"]))
    return df, set(df.index[rows])


def _frames(seed):
    train, test, _ = titanic.generate()
    train, bad_train = _corrupt(train, seed)
    test, bad_test = _corrupt(test, seed + 50, how_many=15)
    return train, test, bad_train, bad_test


def _reference(train, test):
    def as_missing(df):
        df = df.copy()
        df["Age"] = df["Age"].mask((df["Age"] < 0) | (df["Age"] > 100))
        df["Fare"] = df["Fare"].mask(df["Fare"] < 0)
        return df

    train, test = as_missing(train), as_missing(test)
    fill = {
        "Age": train["Age"].median(),
        "Fare": train["Fare"].median(),
        "Embarked": train["Embarked"].mode().iloc[0],
    }
    out = []
    for df in (train, test):
        extra = {f"{c}_missing": df[c].isna().astype(int) for c in ("Age", "Fare", "Embarked")}
        out.append(
            df.fillna(fill).drop(columns="Cabin").assign(**extra, HasCabin=df["Cabin"].notna().astype(int))
        )
    return out


@pytest.mark.parametrize("seed", range(3))
def test_flag_impossible(cleaning, seed):
    train, test, bad_train, bad_test = _frames(seed)
    for df, bad in ((train, bad_train), (test, bad_test)):
        flags = cleaning.flag_impossible(df)
        assert isinstance(flags, pd.Series) and flags.name == "impossible", "a Series named 'impossible'"
        assert list(flags.index) == list(df.index)
        got = set(df.index[flags.to_numpy(dtype=bool)])
        assert got == bad, (
            f"wrongly flagged rows {sorted(got - bad)[:5]}, missed rows {sorted(bad - got)[:5]}"
        )


def test_missing_is_not_impossible(cleaning, titanic_frames):
    train, _ = titanic_frames
    flags = cleaning.flag_impossible(train)
    assert not flags.any(), (
        f"the clean train set has missing values but nothing impossible; flagged {int(flags.sum())}"
    )


@pytest.mark.parametrize("seed", range(3))
def test_clean_matches_reference(cleaning, seed):
    train, test, _, _ = _frames(seed)
    before = train.copy(), test.copy()
    got_train, got_test = cleaning.clean(train, test)
    want_train, want_test = _reference(train, test)
    for name, got, want in (("train", got_train, want_train), ("test", got_test, want_test)):
        assert list(got.columns) == list(want.columns), f"{name} columns {list(got.columns)}"
        assert not got.isna().any().any(), f"{name}: NaN left in {list(got.columns[got.isna().any()])}"
        assert_frame_equal(got, want, where=f"clean(...) {name}", check_dtype=False)
    assert_frame_equal(train, before[0], where="train after clean (inputs must not be modified)")
    assert_frame_equal(test, before[1], where="test after clean (inputs must not be modified)")


def test_test_set_is_filled_from_train(cleaning):
    train, test, _, _ = _frames(9)
    test = test.copy()
    test["Age"] = test["Age"] + 30  # a test set with a very different age distribution
    test.loc[test.index[:40], "Age"] = np.nan
    _, got = cleaning.clean(train, test)
    ages = train["Age"].mask((train["Age"] < 0) | (train["Age"] > 100))
    filled = got.loc[test.index[:40], "Age"]
    assert np.allclose(filled, ages.median()), (
        f"missing test ages should get the train median {ages.median()}"
    )
    assert (got.loc[test.index[:40], "Age_missing"] == 1).all()
