"""Hidden-test style checks for sql/q02: a composite index for a workload; the write cost of many indexes."""

import datetime as dt

import psycopg
import pytest

from graders.kit.sql_checks import plan_root, walk

QUERY = "SELECT id, kind, created_at FROM events WHERE user_id = %s AND created_at >= %s ORDER BY created_at LIMIT 20"


ANALYZE_COUNT = "SELECT analyze_count FROM pg_stat_user_tables WHERE relname = '{}'"


@pytest.fixture
def workload(kata):
    return kata.module("workload")


def _build_events(url):
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            """
            CREATE TABLE events AS
            SELECT g::bigint AS id,
                   (g * 7907 % 2000 + 1)::int AS user_id,
                   (ARRAY['click', 'view', 'buy', 'share'])[g % 4 + 1] AS kind,
                   TIMESTAMP '2024-01-01' + (g * 157 % 200000) * INTERVAL '150 seconds' AS created_at,
                   md5(g::text) AS payload
            FROM generate_series(1, 200000) AS g
            """
        )
        conn.execute("ALTER TABLE events ADD PRIMARY KEY (id)")
        conn.execute("VACUUM (ANALYZE) events")


@pytest.fixture
def events(postgres_server, postgres_template):
    """A fresh copy (per test) of a seeded events table built once per session."""
    name = postgres_template.clone("q02_events", _build_events)
    with psycopg.connect(postgres_server.url_for(name), autocommit=True) as conn:
        conn.execute("SET max_parallel_workers_per_gather = 0")
        yield conn
    postgres_server.drop_database(name)


@pytest.mark.parametrize(
    ("user", "since"),
    [(42, dt.datetime(2024, 6, 1)), (1999, dt.datetime(2024, 1, 1)), (7, dt.datetime(2024, 9, 15))],
)
def test_workload_query_uses_an_index_scan_without_sort(workload, events, user, since):
    expected = events.execute(
        "SELECT id, kind, created_at FROM events WHERE user_id = %s AND created_at >= %s ORDER BY created_at LIMIT 20",
        (user, since),
    ).fetchall()
    analyzed = ANALYZE_COUNT.format("events")
    before = events.execute(analyzed).fetchone()[0]
    name = workload.create_workload_index(events)
    assert isinstance(name, str), f"expected the index name, got {name!r}"
    after = events.execute(analyzed).fetchone()[0]
    assert after > before, (
        f"pg_stat_user_tables.analyze_count of events is still {after}: run ANALYZE events after the index"
    )
    document = events.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + QUERY, (user, since)).fetchone()[0]
    plan = plan_root(document)
    nodes = list(walk(plan))
    types = [n["Node Type"] for n in nodes]
    assert "Sort" not in types, (
        f"the plan still sorts: {types} (the index should return rows in created_at order)"
    )
    scans = [n for n in nodes if n.get("Index Name") == name]
    assert scans, f"the plan does not use {name}: {types}"
    scan = scans[0]
    assert scan["Node Type"] in ("Index Scan", "Index Only Scan"), f"{name} is used by a {scan['Node Type']}"
    cond = scan.get("Index Cond", "")
    assert "user_id" in cond and "created_at" in cond, f"Index Cond {cond!r} should hold both conditions"
    pages = plan["Shared Hit Blocks"] + plan["Shared Read Blocks"]
    assert pages <= 80, (
        f"the query touched {pages} pages for 20 rows: the index does not lead to one user's rows directly "
        "(a well-ordered composite index needs about 25)"
    )
    got = events.execute(QUERY, (user, since)).fetchall()
    assert got == expected, "the workload query returns other rows once your index exists"


def test_write_overhead_is_measured(workload, events):
    result = workload.measure_write_overhead(events, 20_000, extra_indexes=5)
    assert isinstance(result, dict) and set(result) == {"plain_s", "indexed_s", "ratio"}, f"got {result!r}"
    assert all(isinstance(v, float) and v > 0 for v in result.values()), (
        f"values must be positive floats: {result}"
    )
    assert result["ratio"] == pytest.approx(result["indexed_s"] / result["plain_s"], rel=1e-6), (
        "ratio = indexed_s / plain_s"
    )
    counts = {
        t: events.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("events_plain", "events_indexed")
    }
    assert counts == {"events_plain": 20_000, "events_indexed": 20_000}, f"row counts {counts}"
    same = events.execute(
        "SELECT count(*) FROM events_plain p JOIN events e USING (id) WHERE e.id <= 20000"
    ).fetchone()[0]
    assert same == 20_000, "events_plain should hold the first 20,000 events by id"
    indexes = dict(
        events.execute(
            "SELECT c.relname, count(x.indexrelid) FROM pg_class c LEFT JOIN pg_index x ON x.indrelid = c.oid "
            "WHERE c.relname IN ('events_plain', 'events_indexed') GROUP BY c.relname"
        ).fetchall()
    )
    assert indexes.get("events_plain") == 0, (
        f"events_plain must have no index, has {indexes.get('events_plain')}"
    )
    assert indexes.get("events_indexed", 0) >= 5, (
        f"events_indexed has {indexes.get('events_indexed')} indexes, expected >= 5"
    )
    assert result["ratio"] > 1.2, (
        f"slowdown ratio {result['ratio']:.2f}: writing into 5 indexes should be measurably slower"
    )


def test_write_overhead_with_other_counts(workload, events):
    result = workload.measure_write_overhead(events, 3_000, extra_indexes=8)
    assert isinstance(result, dict) and set(result) == {"plain_s", "indexed_s", "ratio"}, f"got {result!r}"
    assert result["ratio"] == pytest.approx(result["indexed_s"] / result["plain_s"], rel=1e-6)
    counts = {
        t: events.execute(f"SELECT count(*), max(id) FROM {t}").fetchone()
        for t in ("events_plain", "events_indexed")
    }
    assert counts == {"events_plain": (3_000, 3_000), "events_indexed": (3_000, 3_000)}, (
        f"(rows, largest id) per table: {counts}: expected the first 3,000 events by id in each"
    )
    indexes = events.execute(
        "SELECT count(*) FROM pg_index WHERE indrelid = 'events_indexed'::regclass"
    ).fetchone()[0]
    assert indexes >= 8, f"events_indexed has {indexes} indexes, expected at least extra_indexes = 8"


def test_write_overhead_default_extra_indexes(workload, events):
    result = workload.measure_write_overhead(events, 1_000)
    assert isinstance(result, dict) and set(result) == {"plain_s", "indexed_s", "ratio"}, f"got {result!r}"
    indexes = events.execute(
        "SELECT count(*) FROM pg_index WHERE indrelid = 'events_indexed'::regclass"
    ).fetchone()[0]
    assert indexes >= 5, (
        f"events_indexed has {indexes} indexes, expected at least the default extra_indexes = 5"
    )
