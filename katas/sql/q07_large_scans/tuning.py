"""q07 · Large scans: indexes, a materialized view and parallel scans on a 10^6-row table: see README.md."""

import psycopg

FILE = "katas/sql/q07_large_scans/tuning.py"


def tune(conn: psycopg.Connection) -> None:
    """Create the indexes that take the three queries of README.md off a sequential scan."""
    raise NotImplementedError(f"tune: write it in {FILE}")


def create_daily_summary(conn: psycopg.Connection) -> None:
    """Create the materialized view readings_daily (and what it needs to be refreshed concurrently)."""
    raise NotImplementedError(f"create_daily_summary: write it in {FILE}")


def refresh_daily_summary(conn: psycopg.Connection, concurrently: bool = False) -> None:
    """Refresh readings_daily, without blocking its readers when `concurrently` is true."""
    raise NotImplementedError(f"refresh_daily_summary: write it in {FILE}")


def planned_workers(
    conn: psycopg.Connection, query: str, workers: int, setup_cost: float | None = None
) -> int:
    """The parallel workers the planner plans for `query` under these settings (0: no parallel plan)."""
    raise NotImplementedError(f"planned_workers: write it in {FILE}")
