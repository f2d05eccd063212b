"""Near miss: flatten_columns returns a plain index's labels as they are, not as strings."""

from __future__ import annotations

import pandas as pd


def flatten_columns(columns: pd.Index) -> list[str]:
    """Join each (column, function) pair with '_'; a plain index just becomes strings."""
    if isinstance(columns, pd.MultiIndex):
        return ["_".join(str(part) for part in pair) for pair in columns]
    return list(columns)


def multi_agg(df: pd.DataFrame, by: str | list[str], spec: dict[str, list[str]]) -> pd.DataFrame:
    """One .agg call applies every function of the spec; then flatten the two-level header."""
    result = df.groupby(by).agg(spec)
    result.columns = flatten_columns(result.columns)
    return result


def add_group_relative(df: pd.DataFrame, by: str | list[str], column: str) -> pd.DataFrame:
    """transform() returns one value per original row, aligned on the index: no merge back needed."""
    grouped = df.groupby(by)[column]
    out = df.copy()
    out[f"{column}_share"] = df[column] / grouped.transform("sum")
    out[f"{column}_vs_mean"] = df[column] - grouped.transform("mean")
    # rank() is already row-aligned; it returns floats, hence the cast.
    out[f"{column}_rank"] = grouped.rank(ascending=False, method="min").astype("int64")
    return out
