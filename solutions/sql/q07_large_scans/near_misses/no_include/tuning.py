"""Near miss: an index on sensor_id alone: the heap must still be read, no Index Only Scan.

q07 · Large scans: covering, partial and BRIN indexes on a 10^6-row table (reference solution)."""

import psycopg

STATEMENTS = [
    # Q1: rows are appended in time order, so each block range covers a narrow time span: BRIN keeps only
    # min/max per range of pages and is a few kilobytes for a million rows.
    "CREATE INDEX readings_recorded_brin ON readings USING brin (recorded_at)",
    # Q2: every column the query reads is in the index, so the heap is never visited (Index Only Scan).
    "CREATE INDEX readings_sensor_covering ON readings (sensor_id)",
    # Q3: only the 0.1 % of rows with status 'error' are indexed; the query's WHERE implies the predicate.
    "CREATE INDEX readings_errors_partial ON readings (recorded_at) WHERE status = 'error'",
    # Fresh statistics, and a visibility map so that index-only scans need no heap fetches.
    "VACUUM (ANALYZE) readings",
]


def tune(conn: psycopg.Connection) -> None:
    """Create the indexes that take the three queries of README.md off a sequential scan."""
    for statement in STATEMENTS:
        conn.execute(statement)
