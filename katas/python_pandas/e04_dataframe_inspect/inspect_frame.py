"""Kata python_pandas/e04: build a DataFrame and profile it. Edit this file."""

from __future__ import annotations

from typing import Any

import pandas as pd

FILE = "katas/python_pandas/e04_dataframe_inspect/inspect_frame.py"


def build_frame(data: dict[str, list] | list[dict], index: str | None = None) -> pd.DataFrame:
    """A frame from a dict of columns or a list of records; `index` names the column to use as index."""
    raise NotImplementedError(f"build_frame: write it in {FILE}")


def profile(df: pd.DataFrame) -> dict[str, Any]:
    """rows, columns, dtypes, missing counts and describe() figures of the numeric columns, as plain Python."""
    raise NotImplementedError(f"profile: write it in {FILE}")
