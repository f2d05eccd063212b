"""Kata python_pandas/q05: selecting by label (.loc) and by position (.iloc). Edit this file."""

from __future__ import annotations

from typing import Any

import pandas as pd

FILE = "katas/python_pandas/q05_loc_iloc/selection.py"


def rows_by_label(df: pd.DataFrame, first: Any, last: Any) -> pd.DataFrame:
    """Rows from label `first` through label `last`, both included."""
    raise NotImplementedError(f"rows_by_label: write it in {FILE}")


def rows_by_position(df: pd.DataFrame, start: int, stop: int) -> pd.DataFrame:
    """Rows at positions start .. stop-1."""
    raise NotImplementedError(f"rows_by_position: write it in {FILE}")


def cell_by_label(df: pd.DataFrame, row: Any, column: str) -> Any:
    """The value at (row label, column name)."""
    raise NotImplementedError(f"cell_by_label: write it in {FILE}")


def cell_by_position(df: pd.DataFrame, i: int, j: int) -> Any:
    """The value at (row position, column position)."""
    raise NotImplementedError(f"cell_by_position: write it in {FILE}")


def last_rows(df: pd.DataFrame, n: int) -> pd.DataFrame:
    """The last n rows; n = 0 gives an empty frame."""
    raise NotImplementedError(f"last_rows: write it in {FILE}")


def filter_rows(df: pd.DataFrame, column: str, threshold: float, columns: list[str]) -> pd.DataFrame:
    """Rows where df[column] > threshold, only `columns`."""
    raise NotImplementedError(f"filter_rows: write it in {FILE}")


def with_value(df: pd.DataFrame, row: Any, column: str, value: Any) -> pd.DataFrame:
    """A copy of df with the cell (row label, column) set to value; df itself unchanged."""
    raise NotImplementedError(f"with_value: write it in {FILE}")
