"""Kata python_pandas/q06: strategies for missing values and indicator columns. Edit this file."""

from __future__ import annotations

import pandas as pd

FILE = "katas/python_pandas/q06_missing_values/missing.py"


def fill_missing(df: pd.DataFrame, strategy: str, columns: list[str] | None = None) -> pd.DataFrame:
    """drop / mean / median / ffill / interpolate on `columns` (default: numeric ones); ValueError otherwise."""
    raise NotImplementedError(f"fill_missing: write it in {FILE}")


def add_missing_indicators(df: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """A copy with bool '<col>_missing' columns appended (default: every column with a missing value)."""
    raise NotImplementedError(f"add_missing_indicators: write it in {FILE}")
