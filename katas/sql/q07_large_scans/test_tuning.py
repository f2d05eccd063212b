"""Hidden-test style checks for sql/q07: the right index kind per query, proven by plans and a measured speed-up;
a materialized view that answers from its own rows, stays stale until refreshed and refreshes without blocking its
readers; and the planner's parallel workers under the settings and table sizes that decide them."""

import datetime as dt
import time
from collections import defaultdict
from decimal import Decimal

import psycopg
import pytest

from graders.kit.sql_checks import assert_rows_equal, explain, walk

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


@pytest.fixture(scope="module")
def big_database(postgres_server):
    # The 10^6 rows are built once for the module, in their own database (a template would add a 100 MB copy).
    # The parallel-plan test only plans queries no index of the tuning test serves; the tuning test adds indexes.
    name = postgres_server.create_database("q07_big", statement_timeout="60s")
    try:
        postgres_server._execute(f'ALTER DATABASE "{name}" SET max_parallel_workers_per_gather = 0')
        postgres_server._execute(f"ALTER DATABASE \"{name}\" SET maintenance_work_mem = '256MB'")
        _build(ROWS)(postgres_server.url_for(name))
        yield name
    finally:
        postgres_server.drop_database(name)


@pytest.fixture
def big(postgres_server, big_database):
    with psycopg.connect(postgres_server.url_for(big_database), autocommit=True) as conn:
        yield conn


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


# --- a materialized view over the small copy ---------------------------------------------------------------------

SUMMARY_COLUMNS = ["day", "readings", "errors", "avg_value"]
SUMMARY_SELECT = "SELECT day, readings, errors, avg_value FROM readings_daily ORDER BY day"
START = dt.datetime(2024, 1, 1)


def generated(rows):
    """(recorded_at, value, status) of the rows BUILD generates, computed in Python."""
    for g in range(1, rows + 1):
        value = float(Decimal(g % 997) * Decimal("0.1"))
        yield START + dt.timedelta(seconds=30 * g), value, "error" if g % 1000 == 0 else "ok"


def daily(readings):
    """The expected summary: one row per day with readings, their count, their errors and their mean value."""
    per_day = defaultdict(lambda: [0, 0, 0.0])
    for recorded_at, value, status in readings:
        day = per_day[recorded_at.date()]
        day[0] += 1
        day[1] += status == "error"
        day[2] += value
    return [(day, n, errors, total / n) for day, (n, errors, total) in sorted(per_day.items())]


def summary(conn):
    cursor = conn.execute(SUMMARY_SELECT)
    return [c.name for c in cursor.description], cursor.fetchall()


def refresh(tuning, conn, concurrently):
    try:
        tuning.refresh_daily_summary(conn, concurrently=concurrently)
    except psycopg.errors.ObjectNotInPrerequisiteState as exc:
        raise AssertionError(
            f"REFRESH failed: {str(exc).strip()} (REFRESH ... CONCURRENTLY needs a unique index on the view)"
        ) from exc


def test_daily_summary_answers_from_its_own_rows(tuning, small):
    assert tuning.create_daily_summary(small) is None
    kind = small.execute("SELECT relkind FROM pg_class WHERE relname = 'readings_daily'").fetchone()
    assert kind == ("m",), f"readings_daily should be a materialized view (relkind 'm'), found {kind}"
    assert_rows_equal(
        summary(small),
        daily(generated(20_000)),
        columns=SUMMARY_COLUMNS,
        rel_tol=1e-9,
        where="readings_daily",
    )
    scanned = {
        n["Relation Name"]
        for n in walk(explain(small, "SELECT * FROM readings_daily"))
        if "Relation Name" in n
    }
    assert scanned == {"readings_daily"}, (
        f"reading the view scans {scanned}: it should read its own stored rows"
    )


# Rows that change the summary: an error on a day that exists, a day that did not exist (at both of its ends),
# and a whole day deleted.
CHANGES = [
    "INSERT INTO readings VALUES (900001, 5, '2024-01-03 12:00:00', 1000.0, 'error'), "
    "(900002, 6, '2024-01-09 00:00:00', 7.5, 'ok'), (900003, 6, '2024-01-09 23:59:59', 2.5, 'error')",
    "DELETE FROM readings WHERE recorded_at >= '2024-01-07' AND recorded_at < '2024-01-08'",
]


def changed(rows):
    kept = [r for r in generated(rows) if r[0].date() != dt.date(2024, 1, 7)]
    return kept + [
        (dt.datetime(2024, 1, 3, 12), 1000.0, "error"),
        (dt.datetime(2024, 1, 9), 7.5, "ok"),
        (dt.datetime(2024, 1, 9, 23, 59, 59), 2.5, "error"),
    ]


@pytest.mark.parametrize("concurrently", [False, True])
def test_daily_summary_is_stale_until_refreshed(tuning, small, concurrently):
    tuning.create_daily_summary(small)
    for statement in CHANGES:
        small.execute(statement)
    assert_rows_equal(
        summary(small),
        daily(generated(20_000)),
        columns=SUMMARY_COLUMNS,
        rel_tol=1e-9,
        where="readings_daily before the refresh (it keeps the rows of its last refresh)",
    )
    refresh(tuning, small, concurrently)
    assert_rows_equal(
        summary(small),
        daily(changed(20_000)),
        columns=SUMMARY_COLUMNS,
        rel_tol=1e-9,
        where=f"readings_daily after refresh_daily_summary(conn, concurrently={concurrently})",
    )


def test_concurrent_refresh_does_not_wait_for_readers(tuning, small, postgres_server):
    tuning.create_daily_summary(small)
    unique = small.execute(
        "SELECT count(*) FROM pg_index WHERE indrelid = 'readings_daily'::regclass "
        "AND indisunique AND indpred IS NULL"
    ).fetchone()[0]
    assert unique >= 1, (
        "readings_daily has no unique index without a WHERE clause: it cannot refresh concurrently"
    )
    small.execute(CHANGES[0])
    url = postgres_server.url_for(small.info.dbname)
    with psycopg.connect(url) as reader:
        before = reader.execute("SELECT count(*) FROM readings_daily").fetchone()[0]  # holds ACCESS SHARE
        small.execute("SET lock_timeout = '2s'")
        try:
            refresh(tuning, small, concurrently=True)
        except psycopg.errors.LockNotAvailable as exc:
            raise AssertionError(
                "refresh_daily_summary(conn, concurrently=True) waited for a reader's lock: a plain REFRESH takes "
                "an ACCESS EXCLUSIVE lock, REFRESH ... CONCURRENTLY does not block readers"
            ) from exc
        finally:
            small.execute("RESET lock_timeout")
        after = reader.execute("SELECT count(*) FROM readings_daily").fetchone()[0]
        reader.rollback()
    assert (before, after) == (7, 8), (
        f"days in the view before/after the concurrent refresh: {before}, {after}"
    )


# --- parallel plans ---------------------------------------------------------------------------------------------

PARALLEL_QUERY = "SELECT count(*), avg(value) FROM readings WHERE status <> 'error'"
# Sorted output: the workers' sorted streams are merged by a Gather Merge (under the Limit), not a Gather.
ORDERED_QUERY = "SELECT id, value FROM readings WHERE status <> 'error' ORDER BY value DESC, id LIMIT 10"


def workers_by_size(conn):
    """The workers PostgreSQL allows a scan of readings by its size alone (its documented rule): one from
    min_parallel_table_scan_size on, one more each time the table is three times larger."""
    pages, threshold, unit = conn.execute(
        "SELECT pg_relation_size('readings') / current_setting('block_size')::int, setting::int, unit "
        "FROM pg_settings WHERE name = 'min_parallel_table_scan_size'"
    ).fetchone()
    assert unit == "8kB", f"the test expected min_parallel_table_scan_size in 8kB pages, not {unit}"
    if pages < threshold:
        return 0
    workers = 1
    while pages >= threshold * 3:
        workers, threshold = workers + 1, threshold * 3
    return workers


def assert_settings_kept(conn, where, setup_cost):
    status = conn.info.transaction_status
    assert status == psycopg.pq.TransactionStatus.IDLE, f"{where} left the connection {status.name}"
    got = (
        conn.execute("SHOW max_parallel_workers_per_gather").fetchone()[0],
        conn.execute("SHOW parallel_setup_cost").fetchone()[0],
    )
    assert got == ("0", setup_cost), (
        f"after {where}: max_parallel_workers_per_gather, parallel_setup_cost = {got}, expected ('0', "
        f"{setup_cost!r}): the settings leaked out of the transaction (SET LOCAL or set_config(..., true))"
    )


def test_parallel_workers_planned(tuning, big, small):
    by_size = workers_by_size(big)
    assert by_size == 2, (
        f"the test's premise: 10^6 readings allow 2 workers by size, the rule gives {by_size}"
    )
    assert workers_by_size(small) == 0, (
        "the test's premise: the small copy is below min_parallel_table_scan_size"
    )
    big.execute("SET parallel_setup_cost = 1500")  # a session value of its own, which must survive every call
    cases = [(0, None, 0), (1, None, 1), (2, None, 2), (8, None, by_size), (3, 0.0, by_size), (8, 1e9, 0)]
    for workers, setup_cost, want in cases:
        call = f"planned_workers(conn, query, workers={workers}, setup_cost={setup_cost})"
        got = tuning.planned_workers(big, PARALLEL_QUERY, workers, setup_cost)
        assert got == want, f"{call} on 10^6 rows gave {got}, expected {want}"
        assert_settings_kept(big, call, "1500")
    with big.transaction():
        big.execute("SET LOCAL max_parallel_workers_per_gather = 8")
        kinds = [n["Node Type"] for n in walk(explain(big, ORDERED_QUERY, analyze=False))]
    assert "Gather Merge" in kinds, f"the test's premise: the ordered query plans a Gather Merge, got {kinds}"
    got = tuning.planned_workers(big, ORDERED_QUERY, 8)
    assert got == by_size, (
        f"planned_workers(conn, ordered query, 8) gave {got}, expected {by_size}: its plan's parallel node is a "
        f"Gather Merge ({kinds})"
    )
    assert_settings_kept(big, "planned_workers(conn, ordered query, 8)", "1500")
    got = tuning.planned_workers(small, PARALLEL_QUERY, 4, 0.0)
    assert got == 0, (
        f"planned_workers on 20,000 rows (under 8 MB) gave {got}: a small table gets no parallel scan"
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
