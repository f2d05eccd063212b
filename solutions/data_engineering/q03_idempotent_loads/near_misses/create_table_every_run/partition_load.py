"""Near miss: creates the table without IF NOT EXISTS: the pipeline's second run fails before loading.

Reference solution for data_engineering/q03: idempotent partition loads (delete-insert and upsert)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from itertools import islice

from sqlalchemy import Engine, text

DDL = """
CREATE TABLE daily_sales (
    day     date          NOT NULL,
    store   text          NOT NULL,
    revenue numeric(12,2) NOT NULL,
    PRIMARY KEY (day, store)
)
"""

INSERT = text("INSERT INTO daily_sales (day, store, revenue) VALUES (:day, :store, :revenue)")
UPSERT = text(
    "INSERT INTO daily_sales (day, store, revenue) VALUES (:day, :store, :revenue) "
    "ON CONFLICT (day, store) DO UPDATE SET revenue = EXCLUDED.revenue"
)


def ensure_table(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text(DDL))


def _batches(day: date, rows: Iterable[tuple[str, float]], size: int) -> Iterator[list[dict]]:
    """Parameter dicts in batches of `size`; pulls the rows lazily (the source may fail half-way)."""
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield [{"day": day, "store": store, "revenue": revenue} for store, revenue in batch]


def load_partition(
    engine: Engine, day: date, rows: Iterable[tuple[str, float]], batch_size: int = 1000
) -> int:
    """Replace the partition `day` with `rows` atomically: DELETE + INSERTs in one transaction."""
    inserted = 0
    # One transaction: readers see the old partition until COMMIT, then the new one; an exception anywhere
    # (the source, a constraint) rolls back the DELETE too, so the old partition is still there.
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM daily_sales WHERE day = :day"), {"day": day})
        for batch in _batches(day, rows, batch_size):
            conn.execute(INSERT, batch)  # a list of dicts: executemany
            inserted += len(batch)
    return inserted


def upsert_rows(engine: Engine, day: date, rows: Iterable[tuple[str, float]], batch_size: int = 1000) -> int:
    """Insert or update the given stores of `day` in one transaction; other rows stay as they are."""
    written = 0
    with engine.begin() as conn:
        for batch in _batches(day, rows, batch_size):
            conn.execute(UPSERT, batch)  # re-running with the same rows changes nothing: idempotent
            written += len(batch)
    return written
