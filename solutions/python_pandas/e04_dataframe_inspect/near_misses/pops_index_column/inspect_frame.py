"""Near miss: build_frame pops the index column out of the caller's dict of columns."""

from __future__ import annotations

from typing import Any

import pandas as pd

FIGURES = ["mean", "std", "min", "25%", "50%", "75%", "max"]


def build_frame(data: dict[str, list] | list[dict], index: str | None = None) -> pd.DataFrame:
    """The DataFrame constructor takes both shapes; set_index returns a new frame, the input stays as it is."""
    if index is not None and isinstance(data, dict):
        labels = data.pop(index)  # takes the index column out of the caller's dict
        return pd.DataFrame(data, index=pd.Index(labels, name=index))
    frame = pd.DataFrame(data)
    if index is not None:
        frame = frame.set_index(index)
    return frame


def profile(df: pd.DataFrame) -> dict[str, Any]:
    """A JSON-friendly first look at a frame."""
    # "number" covers every int and float dtype but not bool: the same columns describe() picks.
    numeric = df.select_dtypes(include="number")
    # describe() on a frame without numeric columns would describe the text columns instead: guard it.
    stats = numeric.describe() if numeric.shape[1] else pd.DataFrame()
    return {
        "rows": int(df.shape[0]),
        "columns": int(df.shape[1]),
        "dtypes": {col: str(dtype) for col, dtype in df.dtypes.items()},
        "missing": {col: int(count) for col, count in df.isna().sum().items()},
        "numeric": {
            col: {"count": int(stats.loc["count", col])}
            | {name: float(stats.loc[name, col]) for name in FIGURES}
            for col in numeric.columns
        },
    }
