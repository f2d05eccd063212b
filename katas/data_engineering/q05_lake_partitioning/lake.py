"""Kata data_engineering/q05: a hive-partitioned lake, pruned reads and compaction. Edit this file."""

from __future__ import annotations

from datetime import date

import pandas as pd

FILE = "katas/data_engineering/q05_lake_partitioning/lake.py"


def write_partitioned(df: pd.DataFrame, root: str) -> None:
    """Append `df` to the lake under year=YYYY/month=M/day=D folders derived from its `ts` column."""
    raise NotImplementedError(f"write_partitioned: write it in {FILE}")


def matching_files(root: str, start: date, end: date) -> list[str]:
    """The data files (relative to root, '/'-separated, sorted) that a read of days [start, end] must open."""
    raise NotImplementedError(f"matching_files: write it in {FILE}")


def read_range(root: str, start: date, end: date) -> pd.DataFrame:
    """Rows of the days [start, end], original columns, sorted by ts then id, opening only those days' files."""
    raise NotImplementedError(f"read_range: write it in {FILE}")


def compact(root: str) -> tuple[int, int]:
    """Rewrite every partition's files as a single file; return (files before, files after)."""
    raise NotImplementedError(f"compact: write it in {FILE}")
