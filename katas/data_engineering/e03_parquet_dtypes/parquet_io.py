"""Kata data_engineering/e03: Parquet with compression, row groups and exact dtypes. Edit this file."""

from __future__ import annotations

import pandas as pd

FILE = "katas/data_engineering/e03_parquet_dtypes/parquet_io.py"

KINDS = ["view", "click", "buy"]


def write_events(df: pd.DataFrame, path: str, row_group_size: int = 10_000) -> None:
    """Write the events as zstd-compressed Parquet with row groups of `row_group_size` rows and no index."""
    raise NotImplementedError(f"write_events: write it in {FILE}")


def read_events(path: str) -> pd.DataFrame:
    """Read the events back with exactly the dtypes listed in README.md, whoever wrote the file."""
    raise NotImplementedError(f"read_events: write it in {FILE}")


def parquet_summary(path: str) -> dict:
    """{'rows', 'row_groups', 'compression', 'columns'} from the file's footer (see README.md)."""
    raise NotImplementedError(f"parquet_summary: write it in {FILE}")
