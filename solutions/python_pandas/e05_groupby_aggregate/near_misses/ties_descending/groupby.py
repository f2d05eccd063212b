"""Near miss: dept_summary sorts both keys descending, so tied totals come in reverse department order."""

from __future__ import annotations

import pandas as pd


def dept_stats(df: pd.DataFrame) -> pd.DataFrame:
    """groupby sorts the keys and makes them the index; a list of functions gives one column each."""
    return df.groupby("department")["salary"].agg(["mean", "max"])


def dept_summary(df: pd.DataFrame) -> pd.DataFrame:
    """Named aggregation: output name = (input column, function). Flat names, no MultiIndex to untangle."""
    summary = df.groupby("department", as_index=False).agg(
        headcount=("salary", "size"),
        total_salary=("salary", "sum"),
        mean_salary=("salary", "mean"),
        oldest=("age", "max"),
        remote_share=("remote", "mean"),  # the mean of a bool column is the share of True values
    )
    return summary.sort_values(["total_salary", "department"], ascending=False).reset_index(drop=True)
