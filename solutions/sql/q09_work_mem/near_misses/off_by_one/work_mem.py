"""Near miss: keeps the last size that spilled: one kB short of sorting in memory.

q09 · Tuning work_mem: the smallest SET LOCAL that keeps a sort in memory (reference solution)."""

import psycopg
from psycopg import sql

MIN_KB, MAX_KB = 64, 1048576


def _sort_nodes(node: dict):
    if node["Node Type"] == "Sort":
        yield node
    for child in node.get("Plans", []):
        yield from _sort_nodes(child)


def sort_method(conn: psycopg.Connection, query: str, work_mem_kb: int) -> str:
    """The "Sort Method" of the query's Sort node when run with SET LOCAL work_mem = <work_mem_kb> kB."""
    # SET takes no bind parameters: compose a literal. SET LOCAL dies with the transaction.
    setting = sql.SQL("SET LOCAL work_mem = {}").format(sql.Literal(f"{int(work_mem_kb)}kB"))
    with conn.transaction():  # commits (or rolls back) at the end: the setting is gone either way
        conn.execute(setting)
        document = conn.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query).fetchone()[0][0]
    return next(_sort_nodes(document["Plan"]))["Sort Method"]


def smallest_in_memory_work_mem(conn: psycopg.Connection, query: str) -> int:
    """The smallest work_mem in kB (64 .. 1048576) with which the query's sort is a quicksort in memory."""
    low, high = MIN_KB, MAX_KB  # invariant: the answer lies in [low, high]
    while low < high:
        middle = (low + high) // 2
        if sort_method(conn, query, middle) == "quicksort":
            high = middle
        else:
            low = middle + 1
    return low - 1
