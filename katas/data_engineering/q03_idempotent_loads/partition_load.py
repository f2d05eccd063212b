"""Kata data_engineering/q03: idempotent partition loads (delete-insert and upsert). Edit this file."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import Engine

FILE = "katas/data_engineering/q03_idempotent_loads/partition_load.py"


def ensure_table(engine: Engine) -> None:
    """Create the table daily_sales (see README.md) if it does not exist."""
    raise NotImplementedError(f"ensure_table: write it in {FILE}")


def load_partition(
    engine: Engine, day: date, rows: Iterable[tuple[str, float]], batch_size: int = 1000
) -> int:
    """Replace the rows of `day` with `rows` (store, revenue) in one transaction; return the rows inserted."""
    raise NotImplementedError(f"load_partition: write it in {FILE}")


def upsert_rows(engine: Engine, day: date, rows: Iterable[tuple[str, float]], batch_size: int = 1000) -> int:
    """Insert or update (day, store) rows in one transaction, leaving other rows alone; return rows written."""
    raise NotImplementedError(f"upsert_rows: write it in {FILE}")
