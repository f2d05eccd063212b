"""Hidden-test style checks for sql/q09: SET LOCAL work_mem, sort methods, the smallest in-memory setting."""

import psycopg
import pytest

from graders.sql_checks import explain, walk

QUERIES = {
    "events": "SELECT * FROM events ORDER BY payload",
    "small": "SELECT id, note FROM notes ORDER BY note DESC, id",
}


@pytest.fixture
def work_mem(kata):
    return kata.module("work_mem")


@pytest.fixture
def conn(admin, postgres_url):
    admin.execute(
        "CREATE TABLE events AS SELECT g AS id, md5(g::text) || md5((g * 31)::text) AS payload, g % 17 AS kind "
        "FROM generate_series(1, 30000) AS g"
    )
    admin.execute(
        "CREATE TABLE notes AS SELECT g AS id, repeat(chr(65 + g % 26), 1 + g % 40) AS note FROM generate_series(1, 8000) AS g"
    )
    admin.execute("ANALYZE")
    with psycopg.connect(postgres_url) as conn:
        conn.execute("SET max_parallel_workers_per_gather = 0")
        conn.commit()
        yield conn


def true_method(conn, query, kb):
    """The test's own probe (session SET on a separate transaction, reset afterwards)."""
    with conn.transaction():
        conn.execute(f"SET LOCAL work_mem = '{int(kb)}kB'")
        plan = explain(conn, query)
    return next(node["Sort Method"] for node in walk(plan) if node["Node Type"] == "Sort")


def assert_settings_untouched(conn, where):
    status = conn.info.transaction_status
    assert status == psycopg.pq.TransactionStatus.IDLE, (
        f"{where} left the connection {status.name}, expected IDLE"
    )
    shown = conn.execute("SHOW work_mem").fetchone()[0]
    conn.rollback()
    assert shown == "4MB", (
        f"after {where}, SHOW work_mem gives {shown!r}: the setting leaked (SET LOCAL, not SET)"
    )


def test_sort_method(work_mem, conn):
    query = QUERIES["events"]
    assert work_mem.sort_method(conn, query, 64) == "external merge"
    assert_settings_untouched(conn, "sort_method(..., 64)")
    assert work_mem.sort_method(conn, query, 64 * 1024) == "quicksort"
    assert_settings_untouched(conn, "sort_method(..., 65536)")


@pytest.mark.parametrize("name", list(QUERIES))
def test_smallest_in_memory_work_mem(work_mem, conn, name):
    query = QUERIES[name]
    kb = work_mem.smallest_in_memory_work_mem(conn, query)
    assert_settings_untouched(conn, "smallest_in_memory_work_mem")
    assert isinstance(kb, int) and not isinstance(kb, bool), f"expected an int (kB), got {kb!r}"
    assert 64 <= kb <= 1048576, f"{kb} kB is outside 64 .. 1048576"
    assert true_method(conn, query, kb) == "quicksort", f"with work_mem = {kb}kB the sort is not a quicksort"
    below = true_method(conn, query, kb - 1)
    assert below != "quicksort", f"{kb} kB is not the smallest: {kb - 1} kB already sorts in memory ({below})"
