"""Near miss: the seq_scan check forgets "that ran": a Seq Scan with Actual Loops 0 still counts.

q09 · Tuning a slow query: read the plan, name the cause, fix it (reference solution)."""

from collections.abc import Iterator

import psycopg
from psycopg import sql

MIN_KB, MAX_KB = 64, 1048576
FACTOR = 10
MIN_PAGES = 100


def _walk(node: dict) -> Iterator[dict]:
    yield node
    for child in node.get("Plans", []):
        yield from _walk(child)


def _wasteful_scan(node: dict) -> bool:
    """A Seq Scan that read many pages to keep few of their rows: an index is missing or cannot be used."""
    if node["Node Type"] != "Seq Scan":
        return False
    removed = node.get("Rows Removed by Filter", 0)
    pages = node.get("Shared Hit Blocks", 0) + node.get("Shared Read Blocks", 0)
    return pages >= MIN_PAGES and removed > 0 and removed >= FACTOR * node["Actual Rows"]


def _spilled_sort(node: dict) -> bool:
    return node["Node Type"] == "Sort" and node.get("Sort Space Type") == "Disk"


def _misestimated(node: dict) -> bool:
    if node.get("Actual Loops", 0) == 0:  # never ran: nothing was measured
        return False
    estimated, actual = node["Plan Rows"], node["Actual Rows"]
    return max(estimated, actual) / max(min(estimated, actual), 1) >= FACTOR


def diagnose(document: dict) -> list[str]:
    """The problems an EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) document shows, in a fixed order, each once."""
    nodes = list(_walk(document["Plan"]))
    checks = [("seq_scan", _wasteful_scan), ("sort_spill", _spilled_sort), ("misestimate", _misestimated)]
    return [name for name, check in checks if any(check(node) for node in nodes)]


def create_customer_index(conn: psycopg.Connection) -> None:
    """The index the per-customer query lacks, then fresh statistics."""
    # A b-tree on the column of the equality: the query reads ~40 rows through it instead of 200,000.
    conn.execute("CREATE INDEX IF NOT EXISTS orders_customer_id_idx ON orders (customer_id)")
    conn.execute("ANALYZE orders")


def day_query() -> str:
    """The per-day query rewritten so that the index on created_at can serve it (same rows)."""
    # date(created_at) hides the column inside a function: compare the bare column with a half-open range.
    return "SELECT id, total FROM orders WHERE created_at >= %(day)s::date AND created_at < %(day)s::date + 1"


def refresh_statistics(conn: psycopg.Connection, table: str) -> None:
    """Fresh planner statistics for `table` (VACUUM alone would not refresh them)."""
    conn.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(table)))


def sort_method(conn: psycopg.Connection, query: str, work_mem_kb: int) -> str:
    """The "Sort Method" of the query's Sort node when run with SET LOCAL work_mem = <work_mem_kb> kB."""
    # SET takes no bind parameters: compose a literal. SET LOCAL dies with the transaction.
    setting = sql.SQL("SET LOCAL work_mem = {}").format(sql.Literal(f"{int(work_mem_kb)}kB"))
    with conn.transaction():  # commits (or rolls back) at the end: the setting is gone either way
        conn.execute(setting)
        document = conn.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query).fetchone()[0][0]
    return next(node for node in _walk(document["Plan"]) if node["Node Type"] == "Sort")["Sort Method"]


def smallest_in_memory_work_mem(conn: psycopg.Connection, query: str) -> int:
    """The smallest work_mem in kB (64 .. 1048576) with which the query's sort is a quicksort in memory."""
    low, high = MIN_KB, MAX_KB  # invariant: the answer lies in [low, high]
    while low < high:
        middle = (low + high) // 2
        if sort_method(conn, query, middle) == "quicksort":
            high = middle
        else:
            low = middle + 1
    return low
