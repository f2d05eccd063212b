"""Near miss: creates the right index but never runs ANALYZE events afterwards (README: run it).

q02 · Indexes: the right one for a workload, and what many of them cost on writes (reference solution)."""

import time

import psycopg
from psycopg import sql

# Equality column first, then the range / ORDER BY column: the scan starts at (user, since) and reads the
# entries already sorted by created_at, so the plan needs no Sort node.
WORKLOAD_INDEX = "CREATE INDEX IF NOT EXISTS events_user_created_idx ON events (user_id, created_at)"
# Column lists (an expression needs its own parentheses) for the write-overhead table's indexes.
INDEXED_COLUMNS = [
    "user_id",
    "kind",
    "created_at",
    "payload",
    "(lower(payload))",
    "user_id, created_at",
    "kind, user_id",
]


def create_workload_index(conn: psycopg.Connection) -> str:
    """Create the one index that serves the workload query of README.md; return its name."""
    conn.execute(WORKLOAD_INDEX)
    return "events_user_created_idx"


def _timed_insert(conn: psycopg.Connection, table: str, rows: int) -> float:
    statement = sql.SQL("INSERT INTO {} SELECT * FROM events ORDER BY id LIMIT %s").format(
        sql.Identifier(table)
    )
    start = time.perf_counter()
    conn.execute(statement, (rows,))
    return time.perf_counter() - start


def measure_write_overhead(conn: psycopg.Connection, rows: int, extra_indexes: int = 5) -> dict:
    """Time inserting `rows` rows into an unindexed and an indexed copy of events; see README.md."""
    conn.execute("CREATE TABLE events_plain (LIKE events)")  # LIKE copies columns, not indexes
    conn.execute("CREATE TABLE events_indexed (LIKE events)")
    for number in range(extra_indexes):
        columns = sql.SQL(INDEXED_COLUMNS[number % len(INDEXED_COLUMNS)])
        # The indexes exist before the insert, so every row written must also go into each of them.
        name = sql.Identifier(f"events_indexed_{number}")
        conn.execute(sql.SQL("CREATE INDEX {} ON events_indexed ({})").format(name, columns))
    plain_s = _timed_insert(conn, "events_plain", rows)
    indexed_s = _timed_insert(conn, "events_indexed", rows)
    return {"plain_s": plain_s, "indexed_s": indexed_s, "ratio": indexed_s / plain_s}
