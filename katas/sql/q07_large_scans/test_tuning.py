"""Hidden-test style checks for sql/q07: the right index kind per query, proven by plans and a measured speed-up."""

import time

import psycopg
import pytest

from graders.sql_checks import explain, walk

ROWS = 1_000_000
Q1 = "SELECT count(*), avg(value) FROM readings WHERE recorded_at >= %s AND recorded_at < %s"
Q2 = "SELECT recorded_at, value FROM readings WHERE sensor_id = %s"
Q3 = "SELECT id, recorded_at FROM readings WHERE status = 'error' AND recorded_at >= %s"
PARAMS = {
    "Q1": ("2024-06-01 10:00", "2024-06-01 11:00"),
    "Q2": (417,),
    "Q3": ("2024-09-01",),
}
QUERIES = {"Q1": Q1, "Q2": Q2, "Q3": Q3}
BUILD = """
CREATE TABLE readings AS
SELECT g::bigint AS id,
       ((g::bigint * 7919) % 1000)::int AS sensor_id,
       TIMESTAMP '2024-01-01' + g * INTERVAL '30 seconds' AS recorded_at,
       ((g % 997) * 0.1)::float8 AS value,
       CASE WHEN g % 1000 = 0 THEN 'error' ELSE 'ok' END AS status
FROM generate_series(1, {rows}) AS g
"""


@pytest.fixture
def tuning(kata):
    return kata.module("tuning")


def _build(rows):
    def build(url):
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(BUILD.format(rows=rows))
            conn.execute("VACUUM (ANALYZE) readings")

    return build


def _database(postgres_server, postgres_template, rows):
    name = postgres_template.clone(f"q07_readings_{rows}", _build(rows), statement_timeout="60s")
    postgres_server._execute(f'ALTER DATABASE "{name}" SET max_parallel_workers_per_gather = 0')
    postgres_server._execute(f"ALTER DATABASE \"{name}\" SET maintenance_work_mem = '256MB'")
    return name


@pytest.fixture
def small(postgres_server, postgres_template):
    name = _database(postgres_server, postgres_template, 20_000)
    with psycopg.connect(postgres_server.url_for(name), autocommit=True) as conn:
        yield conn
    postgres_server.drop_database(name)


@pytest.fixture
def big(postgres_server):
    # One test uses the 10^6 rows: build them in its own database (a template would add a 100 MB copy).
    name = postgres_server.create_database("q07_big", statement_timeout="60s")
    postgres_server._execute(f'ALTER DATABASE "{name}" SET max_parallel_workers_per_gather = 0')
    postgres_server._execute(f"ALTER DATABASE \"{name}\" SET maintenance_work_mem = '256MB'")
    _build(ROWS)(postgres_server.url_for(name))
    with psycopg.connect(postgres_server.url_for(name), autocommit=True) as conn:
        yield conn
    postgres_server.drop_database(name)


def index_kinds(conn):
    """index name -> (access method, has a WHERE predicate, number of INCLUDE columns)."""
    rows = conn.execute(
        """
        SELECT i.relname, am.amname, x.indpred IS NOT NULL, x.indnatts - x.indnkeyatts
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_am am ON am.oid = i.relam
        WHERE x.indrelid = 'readings'::regclass
        """
    ).fetchall()
    return {name: (am, partial, included) for name, am, partial, included in rows}


def check_plan(conn, label, plan):
    nodes = list(walk(plan))
    types = [n["Node Type"] for n in nodes]
    assert "Seq Scan" not in types, f"{label} still uses a Seq Scan: {types}"
    kinds = index_kinds(conn)
    used = [n["Index Name"] for n in nodes if "Index Name" in n]
    assert used, f"{label} uses no index: {types}"
    if label == "Q1":
        assert any(kinds[name][0] == "brin" for name in used), (
            f"Q1 should use a BRIN index, used {used} {kinds}"
        )
    elif label == "Q2":
        assert "Index Only Scan" in types, f"Q2 should be an Index Only Scan (a covering index), got {types}"
    else:
        assert any(kinds[name][1] for name in used), f"Q3 should use a partial index (WHERE ...), used {used}"


def test_index_kinds_on_a_small_copy(tuning, small):
    assert tuning.tune(small) is None
    kinds = index_kinds(small)
    assert any(am == "brin" for am, _, _ in kinds.values()), f"no BRIN index on readings: {kinds}"
    assert any(inc >= 1 for _, _, inc in kinds.values()), (
        f"no covering index (INCLUDE ...) on readings: {kinds}"
    )
    assert any(partial for _, partial, _ in kinds.values()), (
        f"no partial index (WHERE ...) on readings: {kinds}"
    )


def _best_time(conn, query, params, repeat=2):
    best = float("inf")
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = conn.execute(query, params).fetchall()
        best = min(best, time.perf_counter() - start)
    return best, result


def test_plans_leave_seq_scan_and_speed_up_10x(tuning, big):
    before, results = {}, {}
    for label, query in QUERIES.items():
        types = [n["Node Type"] for n in walk(explain(big, query, PARAMS[label], analyze=False))]
        assert "Seq Scan" in types, f"untuned {label} should be a Seq Scan, got {types}"
        before[label], results[label] = _best_time(big, query, PARAMS[label])
    tuning.tune(big)
    after = {}
    for label, query in QUERIES.items():
        check_plan(big, label, explain(big, query, PARAMS[label]))
        after[label], rows = _best_time(big, query, PARAMS[label])
        assert sorted(rows) == sorted(results[label]), f"{label} returns different rows after tuning"
    ratio = sum(before.values()) / sum(after.values())
    detail = ", ".join(f"{k} {before[k] * 1000:.1f} -> {after[k] * 1000:.2f} ms" for k in QUERIES)
    assert ratio >= 10, f"total speed-up {ratio:.1f}x, expected at least 10x ({detail})"
