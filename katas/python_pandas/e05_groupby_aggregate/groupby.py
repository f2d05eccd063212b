"""Kata python_pandas/e05: per-department figures with groupby and named aggregations. Edit this file."""

from __future__ import annotations

import pandas as pd

FILE = "katas/python_pandas/e05_groupby_aggregate/groupby.py"


def dept_stats(df: pd.DataFrame) -> pd.DataFrame:
    """Mean and max salary per department: index 'department' (sorted), columns ['mean', 'max']."""
    raise NotImplementedError(f"dept_stats: write it in {FILE}")


def dept_summary(df: pd.DataFrame) -> pd.DataFrame:
    """department, headcount, total_salary, mean_salary, oldest, remote_share; largest total first."""
    raise NotImplementedError(f"dept_summary: write it in {FILE}")
