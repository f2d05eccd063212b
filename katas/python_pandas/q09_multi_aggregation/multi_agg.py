"""Kata python_pandas/q09: .agg with several functions, flat column names, transform. Edit this file."""

from __future__ import annotations

import pandas as pd

FILE = "katas/python_pandas/q09_multi_aggregation/multi_agg.py"


def flatten_columns(columns: pd.Index) -> list[str]:
    """('sales', 'sum') -> 'sales_sum' for a MultiIndex; str(label) for a plain index."""
    raise NotImplementedError(f"flatten_columns: write it in {FILE}")


def multi_agg(df: pd.DataFrame, by: str | list[str], spec: dict[str, list[str]]) -> pd.DataFrame:
    """groupby(by).agg(spec) with flat 'column_function' names."""
    raise NotImplementedError(f"multi_agg: write it in {FILE}")


def add_group_relative(df: pd.DataFrame, by: str | list[str], column: str) -> pd.DataFrame:
    """A copy with <column>_share, <column>_vs_mean and <column>_rank (1 = largest) within each group."""
    raise NotImplementedError(f"add_group_relative: write it in {FILE}")
