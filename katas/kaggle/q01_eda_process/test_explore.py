"""Hidden-test style checks for kaggle/q01: exact EDA figures on the train set and on seeded variants of it."""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import pearsonr

from graders.kit import titanic
from graders.kit.checks import assert_frame_equal


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


def _pearson_ranking(df, target):
    """|r| ranking by scipy's pearsonr on the rows where both values are known; ties keep the column order."""
    scores = []
    for column in df.columns:
        if column in (target, "PassengerId") or not pd.api.types.is_numeric_dtype(df[column]):
            continue
        known = df[[column, target]].dropna()
        scores.append((column, float(pearsonr(known[column], known[target])[0])))
    scores.sort(key=lambda item: -abs(item[1]))  # list.sort is stable
    return pd.Series(dict(scores), name=target)


def _groups_by_hand(df, by):
    """passengers, survived, rate per group, counted row by row; rows with a missing key left out."""
    keys = [by] if isinstance(by, str) else list(by)
    groups = {}
    for row in df[[*keys, "Survived"]].itertuples(index=False):
        key = tuple(row[:-1])
        if any(pd.isna(k) for k in key):
            continue
        groups.setdefault(key, []).append(row[-1])
    ordered = sorted(groups)
    rows = [(len(groups[k]), sum(groups[k]), sum(groups[k]) / len(groups[k])) for k in ordered]
    index = (
        pd.Index([k[0] for k in ordered], name=keys[0])
        if len(keys) == 1
        else pd.MultiIndex.from_tuples(ordered, names=keys)
    )
    return pd.DataFrame(rows, columns=["passengers", "survived", "rate"], index=index)


@pytest.mark.parametrize("seed", range(3))
def test_target_correlations(explore, seed):
    df = _variant(seed)
    expected = _pearson_ranking(df, "Survived")
    got = explore.target_correlations(df)
    assert isinstance(got, pd.Series), f"expected a Series, got {type(got).__name__}"
    assert list(got.index) == list(expected.index), (
        f"order {list(got.index)} != expected {list(expected.index)}"
    )
    pd.testing.assert_series_equal(got, expected, rtol=1e-10)


def test_correlation_ties_keep_the_column_order(explore):
    df = _variant(2)
    # -Pclass correlates exactly as strongly as Pclass (opposite sign): a tie, broken by the column order
    df.insert(0, "Deck", -df["Pclass"])
    df["PclassCopy"] = df["Pclass"]
    got = explore.target_correlations(df)
    tied = [name for name in got.index if name in ("Deck", "Pclass", "PclassCopy")]
    assert tied == ["Deck", "Pclass", "PclassCopy"], f"equal |r| keep the frame's column order, got {tied}"
    assert got.loc["Deck"] == pytest.approx(-got.loc["Pclass"], rel=1e-12)


def test_target_correlations_other_target(explore):
    df = _variant(1)
    df["Label"] = 1 - df["Survived"]
    got = explore.target_correlations(df.drop(columns="Survived"), target="Label")
    assert got.name == "Label" and "Label" not in got.index
    assert got.loc["Pclass"] > 0, "with the flipped target, Pclass correlates positively"
    try:
        without_id = explore.target_correlations(df.drop(columns=["Survived", "PassengerId"]), target="Label")
    except KeyError as exc:
        pytest.fail(f"a frame without PassengerId has nothing to leave out, not an error: KeyError {exc}")
    pd.testing.assert_series_equal(without_id, got, obj="a frame without PassengerId (nothing to leave out)")


@pytest.mark.parametrize("seed", range(3))
def test_missingness(explore, seed):
    df = _variant(seed)
    counted = [(column, sum(1 for value in df[column] if pd.isna(value))) for column in df.columns]
    ranked = sorted((item for item in counted if item[1] > 0), key=lambda item: -item[1])  # stable
    expected = pd.DataFrame(
        {"missing": [n for _, n in ranked], "percent": [100.0 * n / len(df) for _, n in ranked]},
        index=[column for column, _ in ranked],
    )
    got = explore.missingness(df)
    assert list(got.columns) == ["missing", "percent"], f"columns {list(got.columns)}"
    assert list(got.index) == list(expected.index), (
        f"rows {list(got.index)} != expected {list(expected.index)}"
    )
    assert_frame_equal(got, expected, where="missingness", check_dtype=False, check_exact=False, rtol=1e-12)
    assert pd.api.types.is_integer_dtype(got["missing"]), "missing should hold integer counts"


def test_missingness_ties_keep_the_column_order(explore):
    nan = float("nan")
    df = pd.DataFrame(
        {
            "zeta": [nan, 1.0, 2.0, 3.0],
            "alpha": [1.0, nan, 2.0, 3.0],
            "full": [1, 2, 3, 4],
            "mid": [nan, nan, 1, 2],
        }
    )
    got = explore.missingness(df)
    assert list(got.index) == ["mid", "zeta", "alpha"], (
        f"ties keep the frame's column order: {list(got.index)}"
    )
    assert got["missing"].tolist() == [2, 1, 1] and got["percent"].tolist() == [50.0, 25.0, 25.0]


@pytest.mark.parametrize(
    ("seed", "by"), [(0, "Pclass"), (0, ["Sex", "Pclass"]), (1, "Embarked"), (2, ["Embarked", "Sex"])]
)
def test_survival_by(explore, seed, by):
    df = _variant(seed)
    expected = _groups_by_hand(df, by)
    got = explore.survival_by(df, by)
    assert list(got.columns) == ["passengers", "survived", "rate"], f"columns {list(got.columns)}"
    assert_frame_equal(
        got, expected, where=f"survival_by(df, {by!r})", check_dtype=False, check_exact=False, rtol=1e-12
    )
