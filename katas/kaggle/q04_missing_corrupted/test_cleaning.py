"""Hidden-test style checks for kaggle/q04: flagged rows exact, imputation from train only, indicators, no NaN."""

import statistics
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from graders.kit import titanic
from graders.kit.checks import assert_frame_equal
from graders.kit.strategies import kata_settings, numbers


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


def _valid(values, low, high=None):
    """The known values within [low, high], as a plain list."""
    return [v for v in values if not pd.isna(v) and v >= low and (high is None or v <= high)]


def _check_cleaned(got, original, train, name):
    """Check each README rule for one cleaned frame; `train` is the raw training frame the fills come from."""
    expected_columns = [c for c in original.columns if c != "Cabin"] + [
        "Age_missing",
        "Fare_missing",
        "Embarked_missing",
        "HasCabin",
    ]
    assert list(got.columns) == expected_columns, f"{name} columns {list(got.columns)}"
    assert list(got.index) == list(original.index), f"{name}: keep the index"
    assert not got.isna().any().any(), f"{name}: NaN left in {list(got.columns[got.isna().any()])}"
    untouched = [c for c in original.columns if c not in ("Age", "Fare", "Embarked", "Cabin")]
    assert_frame_equal(got[untouched], original[untouched], where=f"{name}: the columns clean() leaves alone")
    fills = {
        "Age": statistics.median(_valid(train["Age"], 0, 100)),
        "Fare": statistics.median(_valid(train["Fare"], 0)),
        "Embarked": Counter(v for v in train["Embarked"] if not pd.isna(v)).most_common(1)[0][0],
    }
    bad = {
        "Age": original["Age"].isna() | (original["Age"] < 0) | (original["Age"] > 100),
        "Fare": original["Fare"].isna() | (original["Fare"] < 0),
        "Embarked": original["Embarked"].isna(),
    }
    for column, unusable in bad.items():
        flags = got[f"{column}_missing"]
        assert pd.api.types.is_integer_dtype(flags), f"{name}: {column}_missing should be integers 0/1"
        wrong = flags.to_numpy() != unusable.astype(int).to_numpy()
        assert not wrong.any(), (
            f"{name}: {column}_missing wrong for rows {list(original.index[wrong])[:5]} "
            "(1 where the value was missing or impossible)"
        )
        kept = ~unusable
        assert (got.loc[kept, column] == original.loc[kept, column]).all(), (
            f"{name}: usable {column} values changed"
        )
        filled = got.loc[unusable, column]
        assert (filled == fills[column]).all(), (
            f"{name}: missing/impossible {column} should become the train's {fills[column]!r}, "
            f"got {sorted(set(filled.tolist()))[:3]}"
        )
    has_cabin = original["Cabin"].notna().astype(int)
    assert (got["HasCabin"].to_numpy() == has_cabin.to_numpy()).all(), (
        f"{name}: HasCabin is 1 where Cabin is known"
    )
    assert pd.api.types.is_integer_dtype(got["HasCabin"]), f"{name}: HasCabin should be integers"


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


def test_values_at_the_limits_are_possible(cleaning, titanic_frames):
    train, _ = titanic_frames
    df = train.head(9).copy()
    df["Age"] = [0.0, 100.0, 0.42, 100.5, -0.5, 99.99, 22.0, 30.0, 40.0]
    df["Fare"] = [0.0, 7.25, 8.05, 7.9, 7.9, 7.9, -0.01, 12.0, 13.0]
    df["SibSp"] = [0, 0, 0, 0, 0, 0, 0, 0, 0]
    df["Parch"] = [0, 0, 0, 0, 0, 0, 0, 0, 0]
    df["Pclass"] = [1, 2, 3, 1, 2, 3, 1, 2, 3]
    got = cleaning.flag_impossible(df).tolist()
    expected = [False, False, False, True, True, False, True, False, False]
    assert got == expected, (
        f"Age 0 and 100 and Fare 0 are possible, Age 100.5 or -0.5 and Fare -0.01 are not: {got} != {expected}"
    )


def test_missing_is_not_impossible(cleaning, titanic_frames):
    train, _ = titanic_frames
    flags = cleaning.flag_impossible(train)
    assert not flags.any(), (
        f"the clean train set has missing values but nothing impossible; flagged {int(flags.sum())}"
    )


NAN = float("nan")
_ROW_VALUES = st.fixed_dictionaries(
    {
        "Age": numbers("float", min_value=-5, max_value=250, allow_nan=True, edges=(0, 100, 100.01, -0.01)),
        "Fare": numbers("float", min_value=-10, max_value=600, allow_nan=True, edges=(0, -0.01)),
        "SibSp": st.sampled_from([0, 1, 4, -1, -3, NAN]),
        "Parch": st.sampled_from([0, 2, 6, -1, NAN]),
        "Pclass": st.sampled_from([1, 2, 3, 0, 4, NAN]),
        "Sex": st.sampled_from(["male", "female", "Male", "FEMALE", " male", "", None]),
    }
)


def _row_is_impossible(row) -> bool:
    """The README's rule for one row, written out value by value (a missing value never counts)."""

    def known(value):
        return value is not None and not (isinstance(value, float) and np.isnan(value))

    age, fare, sibsp, parch, pclass, sex = (
        row[c] for c in ("Age", "Fare", "SibSp", "Parch", "Pclass", "Sex")
    )
    return (
        (known(age) and (age < 0 or age > 100))
        or (known(fare) and fare < 0)
        or (known(sibsp) and sibsp < 0)
        or (known(parch) and parch < 0)
        or (known(pclass) and pclass not in (1, 2, 3))
        or (known(sex) and sex not in ("male", "female"))
    )


@kata_settings(max_examples=60)
@given(rows=st.lists(_ROW_VALUES, min_size=1, max_size=8))
def test_flag_impossible_on_arbitrary_values(cleaning, titanic_frames, rows):
    """Every column at its limits, and missing in any column (Pclass, Sex, SibSp ... too): only known values count."""
    train, _ = titanic_frames
    df = train.head(len(rows)).copy()
    for column in rows[0]:
        df[column] = pd.Series([row[column] for row in rows], index=df.index, dtype=object).infer_objects()
    expected = [_row_is_impossible(row) for row in rows]
    got = cleaning.flag_impossible(df)
    assert list(got.index) == list(df.index) and got.name == "impossible"
    assert got.tolist() == expected, (
        f"rows {[{c: row[c] for c in row} for row in rows]}: flags {got.tolist()}, expected {expected} "
        "(a missing value is never impossible; Age 0 and 100, Fare 0 are possible)"
    )


@pytest.mark.parametrize("seed", range(3))
def test_clean_follows_each_rule(cleaning, seed):
    train, test, _, _ = _frames(seed)
    before = train.copy(), test.copy()
    got_train, got_test = cleaning.clean(train, test)
    _check_cleaned(got_train, train, train, "train")
    _check_cleaned(got_test, test, train, "test")
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
