"""Kata data_engineering/e05: load a DataFrame into PostgreSQL with to_sql, types and chunks. Edit this file."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

FILE = "katas/data_engineering/e05_to_sql/warehouse_load.py"


def load_orders(
    df: pd.DataFrame, engine: Engine, table: str = "orders", if_exists: str = "fail", chunksize: int = 500
) -> int:
    """Load `df` into `table` with the column types of README.md, in chunks, in one transaction; rows in table."""
    raise NotImplementedError(f"load_orders: write it in {FILE}")
