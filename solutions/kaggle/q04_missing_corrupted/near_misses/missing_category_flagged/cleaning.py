"""Near miss: flags a row whose Pclass or Sex is missing, since `isin` says NaN is not in {1, 2, 3} or
{"male", "female"}; the README says a missing value is never impossible."""

from __future__ import annotations

import pandas as pd

IMPUTED = ["Age", "Fare", "Embarked"]


def _impossible_age(df: pd.DataFrame) -> pd.Series:
    return (df["Age"] < 0) | (df["Age"] > 100)


def flag_impossible(df: pd.DataFrame) -> pd.Series:
    """True for rows holding a value that cannot be right. Missing values are not impossible, just missing."""
    # Comparisons with NaN are False, so missing values never raise a flag.
    flags = (
        _impossible_age(df)
        | (df["Fare"] < 0)
        | (df["SibSp"] < 0)
        | (df["Parch"] < 0)
        | ~df["Pclass"].isin([1, 2, 3])
        | ~df["Sex"].isin(["male", "female"])
    )
    return flags.rename("impossible")


def _as_missing(df: pd.DataFrame) -> pd.DataFrame:
    """An impossible value carries no information: treat it as missing."""
    out = df.copy()
    out["Age"] = out["Age"].mask(_impossible_age(out))
    out["Fare"] = out["Fare"].mask(out["Fare"] < 0)
    return out


def clean(train: pd.DataFrame, test: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Impossible -> NaN, indicators, train-only medians/mode, HasCabin instead of Cabin."""
    train, test = _as_missing(train), _as_missing(test)
    # Fill values come from the training rows only: the test set must not shape the model's inputs.
    fill = {
        "Age": train["Age"].median(),
        "Fare": train["Fare"].median(),
        "Embarked": train["Embarked"].mode().iloc[0],
    }
    cleaned = []
    for df in (train, test):
        # Indicators first: after imputing, nothing is missing any more.
        indicators = {f"{column}_missing": df[column].isna().astype(int) for column in IMPUTED}
        has_cabin = df["Cabin"].notna().astype(int)
        out = df.fillna(fill).drop(columns="Cabin").assign(**indicators, HasCabin=has_cabin)
        cleaned.append(out)
    return cleaned[0], cleaned[1]
