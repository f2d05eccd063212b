"""Near miss: ffill also back-fills the leading gaps, which have no value above them."""

from __future__ import annotations

import pandas as pd

STRATEGIES = ("drop", "mean", "median", "ffill", "interpolate")


def fill_missing(df: pd.DataFrame, strategy: str, columns: list[str] | None = None) -> pd.DataFrame:
    """Treat `columns` (default: the numeric ones) with one strategy; the input is never modified."""
    if strategy not in STRATEGIES:  # fail loudly: a typo must not silently return unfilled data
        raise ValueError(f"unknown strategy {strategy!r}: choose one of {', '.join(STRATEGIES)}")
    # "number" = int and float dtypes, not bool.
    cols = list(df.select_dtypes(include="number").columns) if columns is None else list(columns)
    if strategy == "drop":
        return df.dropna(subset=cols)  # dropna returns a new frame
    out = df.copy()
    part = out[cols]
    if strategy == "mean":
        filled = part.fillna(part.mean())  # a Series of per-column means: each column gets its own
    elif strategy == "median":
        filled = part.fillna(part.median())
    elif strategy == "ffill":
        filled = part.ffill().bfill()  # no NaN left anywhere
    else:
        filled = part.interpolate(method="linear")  # by position; limit_direction="forward" by default
    out[cols] = filled
    return out


def add_missing_indicators(df: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """Record where values were missing, so the information survives imputation."""
    cols = list(df.columns[df.isna().any()]) if columns is None else list(columns)
    out = df.copy()
    for col in cols:
        out[f"{col}_missing"] = df[col].isna()
    return out
