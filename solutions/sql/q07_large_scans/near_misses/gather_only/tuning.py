"""Near miss: looks for "Gather" nodes only: a sorted parallel plan merges its workers with a Gather Merge,
whose Workers Planned it misses (0 instead of 2).

q07 · Large scans: indexes, a materialized view and parallel scans on a 10^6-row table (reference solution)."""

import psycopg

STATEMENTS = [
    # Q1: rows are appended in time order, so each block range covers a narrow time span: BRIN keeps only
    # min/max per range of pages and is a few kilobytes for a million rows.
    "CREATE INDEX readings_recorded_brin ON readings USING brin (recorded_at)",
    # Q2: every column the query reads is in the index, so the heap is never visited (Index Only Scan).
    "CREATE INDEX readings_sensor_covering ON readings (sensor_id) INCLUDE (recorded_at, value)",
    # Q3: only the 0.1 % of rows with status 'error' are indexed; the query's WHERE implies the predicate.
    "CREATE INDEX readings_errors_partial ON readings (recorded_at) WHERE status = 'error'",
    # Fresh statistics, and a visibility map so that index-only scans need no heap fetches.
    "VACUUM (ANALYZE) readings",
]


def tune(conn: psycopg.Connection) -> None:
    """Create the indexes that take the three queries of README.md off a sequential scan."""
    for statement in STATEMENTS:
        conn.execute(statement)


SUMMARY = """
CREATE MATERIALIZED VIEW readings_daily AS
SELECT recorded_at::date AS day,
       count(*) AS readings,
       count(*) FILTER (WHERE status = 'error') AS errors,
       avg(value) AS avg_value
FROM readings
GROUP BY recorded_at::date
"""


def create_daily_summary(conn: psycopg.Connection) -> None:
    """Create the materialized view readings_daily (and what it needs to be refreshed concurrently)."""
    # The view stores its rows: reading it never touches readings, and it is as old as its last refresh.
    conn.execute(SUMMARY)
    # REFRESH ... CONCURRENTLY diffs the new result against the stored rows by a unique key: it needs a unique
    # index on plain columns, with no WHERE clause, covering every row.
    conn.execute("CREATE UNIQUE INDEX readings_daily_day ON readings_daily (day)")


def refresh_daily_summary(conn: psycopg.Connection, concurrently: bool = False) -> None:
    """Refresh readings_daily, without blocking its readers when `concurrently` is true."""
    if concurrently:
        # Takes an EXCLUSIVE lock: readers (ACCESS SHARE) go on reading the old rows meanwhile.
        conn.execute("REFRESH MATERIALIZED VIEW CONCURRENTLY readings_daily")
    else:
        # Rebuilds the view under an ACCESS EXCLUSIVE lock: it waits for readers, and readers wait for it.
        conn.execute("REFRESH MATERIALIZED VIEW readings_daily")


def _gathers(node: dict):
    if node["Node Type"] == "Gather":
        yield node
    for child in node.get("Plans", []):
        yield from _gathers(child)


def planned_workers(
    conn: psycopg.Connection, query: str, workers: int, setup_cost: float | None = None
) -> int:
    """The parallel workers the planner plans for `query` under these settings (0: no parallel plan)."""
    # SET LOCAL only lasts inside a transaction block (on an autocommit connection without one it does nothing);
    # set_config(..., true) is its function form, which takes bind parameters.
    with conn.transaction():
        conn.execute("SELECT set_config('max_parallel_workers_per_gather', %s, true)", (str(int(workers)),))
        if setup_cost is not None:
            conn.execute("SELECT set_config('parallel_setup_cost', %s, true)", (str(float(setup_cost)),))
        document = conn.execute("EXPLAIN (FORMAT JSON) " + query).fetchone()[0][0]
    # The Gather sits under the final Aggregate: look through the whole plan.
    return max((node["Workers Planned"] for node in _gathers(document["Plan"])), default=0)
