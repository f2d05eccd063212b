"""Kata python_pandas/q10: smaller dtypes, categories and chunked reading. Edit this file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

FILE = "katas/python_pandas/q10_memory/memory.py"


def downcast(df: pd.DataFrame) -> pd.DataFrame:
    """Smallest signed int dtype for int columns; float32 for float columns only when no value changes."""
    raise NotImplementedError(f"downcast: write it in {FILE}")


def categorize(df: pd.DataFrame, max_unique_ratio: float = 0.5) -> pd.DataFrame:
    """Text columns with nunique() / len < max_unique_ratio become 'category'."""
    raise NotImplementedError(f"categorize: write it in {FILE}")


def optimise(df: pd.DataFrame) -> pd.DataFrame:
    """categorize(downcast(df))."""
    raise NotImplementedError(f"optimise: write it in {FILE}")


def sum_by_chunks(path: str | Path, by: str, column: str, chunksize: int = 50_000) -> pd.Series:
    """pd.read_csv(path).groupby(by)[column].sum(), computed one chunk at a time."""
    raise NotImplementedError(f"sum_by_chunks: write it in {FILE}")
