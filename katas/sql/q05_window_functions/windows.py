"""q05 · Window functions: running total, 7-row moving average, rank vs dense_rank, lag: see README.md."""

import psycopg

FILE = "katas/sql/q05_window_functions/windows.py"


def sales_windows(conn: psycopg.Connection) -> list[tuple]:
    """(store, day, amount, running_total, moving_avg_7, rank, dense_rank, delta) per row of daily_sales."""
    raise NotImplementedError(f"sales_windows: write it in {FILE}")
