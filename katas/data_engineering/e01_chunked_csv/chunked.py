"""Kata data_engineering/e01: aggregate a CSV that does not fit in memory, chunk by chunk. Edit this file."""

from __future__ import annotations

import pandas as pd

FILE = "katas/data_engineering/e01_chunked_csv/chunked.py"


def region_totals(path: str, chunksize: int = 50_000) -> pd.DataFrame:
    """Per-region `orders`, `revenue` and `avg_order`, reading `chunksize` rows at a time (see README.md)."""
    raise NotImplementedError(f"region_totals: write it in {FILE}")
