"""q02 · Indexes: the right one for a workload, and what many of them cost on writes: see README.md."""

import psycopg

FILE = "katas/sql/q02_workload_index/workload.py"


def create_workload_index(conn: psycopg.Connection) -> str:
    """Create the one index that serves the workload query of README.md; return its name."""
    raise NotImplementedError(f"create_workload_index: write it in {FILE}")


def measure_write_overhead(conn: psycopg.Connection, rows: int, extra_indexes: int = 5) -> dict:
    """Time inserting `rows` rows into an unindexed and an indexed copy of events; see README.md."""
    raise NotImplementedError(f"measure_write_overhead: write it in {FILE}")
