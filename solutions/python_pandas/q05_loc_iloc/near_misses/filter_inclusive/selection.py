"""Near miss: filter_rows keeps the rows equal to the threshold too (>= instead of >)."""

from __future__ import annotations

from typing import Any

import pandas as pd


def rows_by_label(df: pd.DataFrame, first: Any, last: Any) -> pd.DataFrame:
    """Label slices include BOTH ends: labels are not numbers to count with, so 'up to last' means with last."""
    return df.loc[first:last]


def rows_by_position(df: pd.DataFrame, start: int, stop: int) -> pd.DataFrame:
    """Position slices behave like list slices: stop is excluded."""
    return df.iloc[start:stop]


def cell_by_label(df: pd.DataFrame, row: Any, column: str) -> Any:
    return df.loc[row, column]


def cell_by_position(df: pd.DataFrame, i: int, j: int) -> Any:
    return df.iloc[i, j]


def last_rows(df: pd.DataFrame, n: int) -> pd.DataFrame:
    """Not df.iloc[-n:]: for n = 0 that is df.iloc[0:], the whole frame."""
    return df.iloc[len(df) - n :]


def filter_rows(df: pd.DataFrame, column: str, threshold: float, columns: list[str]) -> pd.DataFrame:
    """A boolean mask for the rows and a list for the columns, in one .loc call (no chained indexing)."""
    return df.loc[df[column] >= threshold, columns]


def with_value(df: pd.DataFrame, row: Any, column: str, value: Any) -> pd.DataFrame:
    """Copy first, then write with a single .loc: the caller's frame stays as it was."""
    out = df.copy()
    out.loc[row, column] = value
    return out
