"""q09 · Tuning a slow query: read the plan, name the cause, fix it: see README.md."""

import psycopg

FILE = "katas/sql/q09_work_mem/work_mem.py"


def diagnose(document: dict) -> list[str]:
    """The problems an EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) document shows: "seq_scan", "sort_spill", "misestimate"."""
    raise NotImplementedError(f"diagnose: write it in {FILE}")


def create_customer_index(conn: psycopg.Connection) -> None:
    """Create the index the per-customer query of README.md lacks."""
    raise NotImplementedError(f"create_customer_index: write it in {FILE}")


def day_query() -> str:
    """The per-day query of README.md rewritten so that the index on created_at can serve it."""
    raise NotImplementedError(f"day_query: write it in {FILE}")


def refresh_statistics(conn: psycopg.Connection, table: str) -> None:
    """Give the planner fresh statistics for `table`."""
    raise NotImplementedError(f"refresh_statistics: write it in {FILE}")


def sort_method(conn: psycopg.Connection, query: str, work_mem_kb: int) -> str:
    """The "Sort Method" of the query's Sort node when run with SET LOCAL work_mem = <work_mem_kb> kB."""
    raise NotImplementedError(f"sort_method: write it in {FILE}")


def smallest_in_memory_work_mem(conn: psycopg.Connection, query: str) -> int:
    """The smallest work_mem in kB (64 .. 1048576) with which the query's sort is a quicksort in memory."""
    raise NotImplementedError(f"smallest_in_memory_work_mem: write it in {FILE}")
