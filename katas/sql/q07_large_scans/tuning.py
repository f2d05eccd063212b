"""q07 · Large scans: covering, partial and BRIN indexes on a 10^6-row table: see README.md."""

import psycopg

FILE = "katas/sql/q07_large_scans/tuning.py"


def tune(conn: psycopg.Connection) -> None:
    """Create the indexes that take the three queries of README.md off a sequential scan."""
    raise NotImplementedError(f"tune: write it in {FILE}")
