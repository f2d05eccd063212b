"""q09 · Tuning work_mem: the smallest SET LOCAL that keeps a sort in memory: see README.md."""

import psycopg

FILE = "katas/sql/q09_work_mem/work_mem.py"


def sort_method(conn: psycopg.Connection, query: str, work_mem_kb: int) -> str:
    """The "Sort Method" of the query's Sort node when run with SET LOCAL work_mem = <work_mem_kb> kB."""
    raise NotImplementedError(f"sort_method: write it in {FILE}")


def smallest_in_memory_work_mem(conn: psycopg.Connection, query: str) -> int:
    """The smallest work_mem in kB (64 .. 1048576) with which the query's sort is a quicksort in memory."""
    raise NotImplementedError(f"smallest_in_memory_work_mem: write it in {FILE}")
