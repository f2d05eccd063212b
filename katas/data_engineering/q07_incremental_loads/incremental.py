"""Kata data_engineering/q07: watermark-based incremental loads and a full refresh. Edit this file."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine

FILE = "katas/data_engineering/q07_incremental_loads/incremental.py"


def full_refresh(engine: Engine) -> int:
    """Rebuild dw_orders from src_orders and set the watermark; return the number of rows loaded."""
    raise NotImplementedError(f"full_refresh: write it in {FILE}")


def incremental_load(engine: Engine, lookback: timedelta = timedelta(0)) -> int:
    """Upsert the source rows changed after the watermark minus `lookback`; return the number of rows read."""
    raise NotImplementedError(f"incremental_load: write it in {FILE}")
