"""Near miss: `with conn:` instead of `with conn.transaction():`: psycopg 3 commits, then closes the caller's
connection at the end of the block (psycopg 2's `with conn:` only ended the transaction).

q08 · Range partitioning by month, with a default partition (reference solution)."""

import datetime as dt

import psycopg
from psycopg import sql

PARENT = """
    CREATE TABLE measurements (
        id bigint NOT NULL,
        taken_on date NOT NULL,
        sensor text NOT NULL,
        value float8
    ) PARTITION BY RANGE (taken_on)
"""
# FROM is included, TO excluded: each month runs up to the first day of the next one.
MONTH = sql.SQL("CREATE TABLE {} PARTITION OF measurements FOR VALUES FROM ({}) TO ({})")
DEFAULT = "CREATE TABLE measurements_default PARTITION OF measurements DEFAULT"


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + 1, 1, 1) if day.month == 12 else dt.date(day.year, day.month + 1, 1)


def create_measurements(conn: psycopg.Connection, first_month: dt.date, months: int) -> list[str]:
    """Create the partitioned table `measurements`, one partition per month and a default; return their names."""
    names = []
    with conn:
        conn.execute(PARENT)
        start = first_month
        for _ in range(months):
            end = _next_month(start)
            name = f"measurements_{start.year:04d}_{start.month:02d}"
            # DDL takes no bind parameters: the bounds are composed as literals.
            conn.execute(MONTH.format(sql.Identifier(name), sql.Literal(start), sql.Literal(end)))
            names.append(name)
            start = end
        # Every row outside the months goes here instead of failing the insert.
        conn.execute(DEFAULT)
    return [*names, "measurements_default"]
