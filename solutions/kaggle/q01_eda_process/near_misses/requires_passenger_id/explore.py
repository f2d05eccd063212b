"""Near miss: drops PassengerId without errors="ignore": a frame that has no PassengerId column raises a
KeyError instead of giving the correlations of its numeric columns."""

from __future__ import annotations

import pandas as pd

ID_COLUMNS = ["PassengerId"]


def target_correlations(df: pd.DataFrame, target: str = "Survived") -> pd.Series:
    """Pearson correlation of each numeric column with the target, strongest (in absolute value) first."""
    numeric = df.select_dtypes("number").drop(columns=[target, *ID_COLUMNS])
    # An identifier is numeric but meaningless: any correlation with it is noise (or a leak of row order).
    corr = numeric.corrwith(df[target])
    order = corr.abs().sort_values(ascending=False, kind="stable").index
    return corr[order].rename(target)


def missingness(df: pd.DataFrame) -> pd.DataFrame:
    """Columns with missing values: how many and what percentage of the rows."""
    missing = df.isna().sum()
    missing = missing[missing > 0].sort_values(ascending=False, kind="stable")
    return pd.DataFrame({"missing": missing, "percent": 100.0 * missing / len(df)})


def survival_by(df: pd.DataFrame, by: str | list[str], target: str = "Survived") -> pd.DataFrame:
    """Passengers, survivors and survival rate per group (groups with a missing key are left out)."""
    return df.groupby(by)[target].agg(passengers="count", survived="sum", rate="mean").sort_index()
