"""q08 · Range partitioning by month, with a default partition: see README.md."""

import datetime as dt

import psycopg

FILE = "katas/sql/q08_partitioning/partitions.py"


def create_measurements(conn: psycopg.Connection, first_month: dt.date, months: int) -> list[str]:
    """Create the partitioned table `measurements`, one partition per month and a default; return their names."""
    raise NotImplementedError(f"create_measurements: write it in {FILE}")
