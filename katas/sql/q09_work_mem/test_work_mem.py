"""Hidden-test style checks for sql/q09: read EXPLAIN (ANALYZE, BUFFERS) to name the cause of a slow query, fix
each cause (a missing index, a non-sargable predicate, stale statistics, a sort spilling to disk), and prove each fix
by plan facts — node types, pages touched, estimates, sort methods — never by timings."""

import datetime as dt
import re

import psycopg
import pytest

from graders.kit.sql_checks import plan_root, walk

CUSTOMER_QUERY = "SELECT id, total FROM orders WHERE customer_id = %(customer)s"
DAY_QUERY = "SELECT id, total FROM orders WHERE date(created_at) = %(day)s"
STALE_QUERY = "SELECT count(*) FROM {} WHERE kind = %(kind)s"
SORT_QUERIES = {
    "events": "SELECT * FROM events ORDER BY payload",
    "small": "SELECT id, note FROM notes ORDER BY note DESC, id",
}
# The Sort feeds a WindowAgg: it is a child node, not the top of the plan.
WINDOW_QUERY = "SELECT id, rank() OVER (ORDER BY payload) FROM events"


@pytest.fixture
def work_mem(kata):
    return kata.module("work_mem")


def _build_orders(url):
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            """
            CREATE TABLE orders AS
            SELECT g::bigint AS id,
                   (g * 7919 % 5000)::int AS customer_id,
                   TIMESTAMP '2024-01-01' + g * INTERVAL '86.4 seconds' AS created_at,  -- 1000 a day, midnights included
                   ((g * 37) % 100000 / 100.0)::numeric(10, 2) AS total,
                   (ARRAY['new', 'paid', 'shipped', 'cancelled'])[g % 4 + 1] AS status
            FROM generate_series(1, 200000) AS g
            """
        )
        conn.execute("ALTER TABLE orders ADD PRIMARY KEY (id)")
        conn.execute("CREATE INDEX orders_created_at_idx ON orders (created_at)")
        # Two tables whose statistics go stale: analyzed with one kind only, then 30,000 rows of another arrive.
        for table in ("log", '"order"'):
            conn.execute(f"CREATE TABLE {table} (id int, kind text) WITH (autovacuum_enabled = off)")
            conn.execute(f"INSERT INTO {table} SELECT g, 'old' FROM generate_series(1, 20000) AS g")
        conn.execute("VACUUM (ANALYZE)")
        for table in ("log", '"order"'):
            conn.execute(f"INSERT INTO {table} SELECT g, 'new' FROM generate_series(20001, 50000) AS g")


@pytest.fixture
def shop(postgres_server, postgres_template):
    """A fresh copy (per test) of the orders table and the two stale tables, built once per session."""
    name = postgres_template.clone("q09_orders", _build_orders)
    postgres_server._execute(f'ALTER DATABASE "{name}" SET max_parallel_workers_per_gather = 0')
    with psycopg.connect(postgres_server.url_for(name), autocommit=True) as conn:
        yield conn
    postgres_server.drop_database(name)


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
        conn.execute("SET work_mem = '3MB'")  # not the default 4MB: "restored" must mean this session's value
        conn.commit()
        yield conn


def explain(conn, query, params=None):
    """The EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) document of `query` (its effects rolled back)."""
    with conn.transaction():
        document = conn.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + query, params).fetchone()[0][0]
    return document


def nodes_of(document):
    return list(walk(plan_root(document)))


def pages(document):
    root = plan_root(document)
    return root["Shared Hit Blocks"] + root["Shared Read Blocks"]


# --- diagnose: fixed plans with their answers written out ---------------------------------------------------------


def scan(relation, actual, removed, hit, read=0, plan_rows=None, loops=1, node_type="Seq Scan"):
    node = {
        "Node Type": node_type,
        "Relation Name": relation,
        "Plan Rows": actual if plan_rows is None else plan_rows,
        "Actual Rows": float(actual),
        "Actual Loops": loops,
        "Shared Hit Blocks": hit,
        "Shared Read Blocks": read,
        "Temp Read Blocks": 0,
        "Temp Written Blocks": 0,
    }
    if removed is not None:
        node["Filter"] = "(x = 1)"
        node["Rows Removed by Filter"] = removed
    return node


def sort(child, space_type, method):
    return {
        "Node Type": "Sort",
        "Plan Rows": child["Plan Rows"],
        "Actual Rows": child["Actual Rows"],
        "Actual Loops": 1,
        "Sort Key": ["x"],
        "Sort Method": method,
        "Sort Space Used": 5120,
        "Sort Space Type": space_type,
        "Shared Hit Blocks": child["Shared Hit Blocks"],
        "Shared Read Blocks": child["Shared Read Blocks"],
        "Temp Read Blocks": 640 if space_type == "Disk" else 0,
        "Temp Written Blocks": 642 if space_type == "Disk" else 0,
        "Plans": [child],
    }


def doc(plan):
    return {"Plan": plan, "Planning": {"Shared Hit Blocks": 0}, "Planning Time": 0.1, "Execution Time": 9.0}


def test_diagnose_fixed_plans(work_mem):
    cases = {
        # seq_scan: at least 100 pages read and removed >= 10 x kept
        "wasteful scan": (scan("orders", 40, 199_960, 1747), ["seq_scan"]),
        "exactly 10x, exactly 100 pages": (scan("t", 100, 1000, 60, read=40), ["seq_scan"]),
        "just under 10x": (scan("t", 100, 999, 500), []),
        "99 pages": (scan("t", 100, 100_000, 59, read=40), []),
        "keeps nothing": (scan("t", 0, 5000, 300), ["seq_scan"]),
        "removes one, keeps nothing": (scan("t", 0, 1, 300), ["seq_scan"]),
        "scan that never ran": (scan("t", 0, 5000, 300, loops=0), []),
        "no filter": (scan("t", 5000, None, 300), []),
        "index scan filtering": (scan("t", 1, 50_000, 900, node_type="Index Scan"), []),
        # sort_spill: a Sort whose space type is Disk
        "spilled sort": (sort(scan("t", 5000, None, 300), "Disk", "external merge"), ["sort_spill"]),
        "sort in memory": (sort(scan("t", 5000, None, 300), "Memory", "quicksort"), []),
        "top-N sort": (sort(scan("t", 5000, None, 300), "Memory", "top-N heapsort"), []),
        # misestimate: estimate and actual rows 10x apart or more (either way), never-run nodes skipped
        "underestimate": (scan("t", 30_000, 20_000, 222, plan_rows=1), ["misestimate"]),
        "overestimate 10x": (scan("t", 100, 0, 5, plan_rows=1000), ["misestimate"]),
        "off by 9.99x": (scan("t", 1000, 0, 5, plan_rows=9_990), []),
        "estimate 0, 10 found": (scan("t", 10, 0, 5, plan_rows=0), ["misestimate"]),
        "never ran": (scan("t", 0, 0, 0, plan_rows=60_000, loops=0), []),
    }
    for name, (plan, want) in cases.items():
        got = work_mem.diagnose(doc(plan))
        assert got == want, f"diagnose({name}: {plan['Node Type']} ...) gave {got!r}, expected {want!r}"


def test_diagnose_reports_each_problem_once_in_order(work_mem):
    stale = scan("log", 30_000, 20_000, 222, plan_rows=1)  # misestimate only
    wasteful = scan("orders", 40, 199_960, 1747)  # seq_scan only
    also_wasteful = scan("items", 3, 9_000, 150)
    spilled = sort(scan("events", 30_000, None, 500), "Disk", "external merge")
    plan = {
        "Node Type": "Append",
        "Plan Rows": 60_043,
        "Actual Rows": 60_043.0,
        "Actual Loops": 1,
        "Shared Hit Blocks": 2619,
        "Shared Read Blocks": 0,
        "Plans": [stale, spilled, wasteful, also_wasteful],
    }
    assert work_mem.diagnose(doc(plan)) == ["seq_scan", "sort_spill", "misestimate"]


# --- diagnose on real plans ---------------------------------------------------------------------------------------


def test_diagnose_real_plans(work_mem, shop, conn):
    cases = [
        ("missing index", shop, CUSTOMER_QUERY, {"customer": 417}, ["seq_scan"]),
        ("non-sargable", shop, DAY_QUERY, {"day": dt.date(2024, 3, 5)}, ["seq_scan"]),
        ("stale statistics", shop, STALE_QUERY.format("log"), {"kind": "new"}, ["misestimate"]),
        ("indexed range", shop, "SELECT id FROM orders WHERE created_at < %(t)s", {"t": "2024-01-02"}, []),
        ("primary key", shop, "SELECT * FROM orders WHERE id = %(id)s", {"id": 5}, []),
    ]
    for name, where, query, params, want in cases:
        got = work_mem.diagnose(explain(where, query, params))
        assert got == want, f"diagnose(plan of the {name} query) gave {got!r}, expected {want!r}"
    for kb, want in [(64, ["sort_spill"]), (64 * 1024, [])]:
        with conn.transaction():
            conn.execute(f"SET LOCAL work_mem = '{kb}kB'")
            document = conn.execute(
                "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + SORT_QUERIES["events"]
            ).fetchone()[0][0]
        got = work_mem.diagnose(document)
        assert got == want, f"diagnose(sort with work_mem {kb}kB) gave {got!r}, expected {want!r}"


# --- the fixes, proven by the plan --------------------------------------------------------------------------------


def test_create_customer_index(work_mem, shop):
    before = {c: sorted(shop.execute(CUSTOMER_QUERY, {"customer": c}).fetchall()) for c in (417, 0, 4999)}
    assert "Seq Scan" in [n["Node Type"] for n in nodes_of(explain(shop, CUSTOMER_QUERY, {"customer": 417}))]
    assert work_mem.create_customer_index(shop) is None
    for customer, rows in before.items():
        document = explain(shop, CUSTOMER_QUERY, {"customer": customer})
        nodes = nodes_of(document)
        types = [n["Node Type"] for n in nodes]
        assert "Seq Scan" not in types, f"customer {customer}: the plan still reads the whole table: {types}"
        conds = [n.get("Index Cond", "") for n in nodes if "Index Name" in n]
        assert any("customer_id" in c for c in conds), f"no index lookup on customer_id: {types}, {conds}"
        assert pages(document) <= 80, (
            f"customer {customer}: {pages(document)} pages touched for {len(rows)} rows: the index does not lead "
            "to the customer's rows directly (a b-tree on customer_id needs about 45)"
        )
        assert sorted(shop.execute(CUSTOMER_QUERY, {"customer": customer}).fetchall()) == rows


@pytest.fixture
def day_edges(shop):
    """Rows at the very edges of 2024-03-05 (midnight at both ends is already in the data)."""
    shop.execute(
        "INSERT INTO orders VALUES (900001, 1, '2024-03-05 23:59:59.999999', 1.00, 'new'), "
        "(900002, 2, '2024-03-04 23:59:59.999999', 2.00, 'new')"
    )
    shop.execute("ANALYZE orders")
    return shop


@pytest.mark.parametrize(
    "day",
    [
        dt.date(2024, 3, 5),
        dt.date(2024, 1, 1),
        dt.date(2024, 7, 19),
        dt.date(2023, 12, 31),
        dt.date(2024, 3, 4),
    ],
)
def test_day_query_is_sargable_and_equivalent(work_mem, day_edges, day):
    query = work_mem.day_query()
    assert isinstance(query, str), f"day_query() must return the SQL text, got {type(query).__name__}"
    want = sorted(day_edges.execute(DAY_QUERY, {"day": day}).fetchall())
    got = sorted(day_edges.execute(query, {"day": day}).fetchall())
    missing, extra = sorted(set(want) - set(got)), sorted(set(got) - set(want))
    assert got == want, (
        f"{day}: your query returns {len(got)} rows, date(created_at) = day gives {len(want)}; "
        f"missing {missing[:3]}, extra {extra[:3]} (the day is [midnight, next midnight): half-open)"
    )
    nodes = nodes_of(explain(day_edges, query, {"day": day}))
    types = [n["Node Type"] for n in nodes]
    assert "Seq Scan" not in types, f"{day}: your query still reads the whole table: {types}"
    used = [n.get("Index Name") for n in nodes if "Index Name" in n]
    assert "orders_created_at_idx" in used, f"{day}: the index on created_at is not used: {types} {used}"


def test_refresh_statistics(work_mem, shop):
    for table, quoted in (("log", "log"), ("order", '"order"')):
        query = STALE_QUERY.format(quoted)
        (before,) = [
            n for n in nodes_of(explain(shop, query, {"kind": "new"})) if n["Node Type"] == "Seq Scan"
        ]
        assert before["Plan Rows"] * 10 <= before["Actual Rows"], f"the test's premise: {table} is stale"
        try:
            work_mem.refresh_statistics(shop, table)
        except psycopg.errors.SyntaxError as exc:
            raise AssertionError(
                f"refresh_statistics(conn, {table!r}) sent invalid SQL: compose the table name as an identifier "
                f"(psycopg.sql.Identifier): {exc}"
            ) from exc
        (after,) = [
            n for n in nodes_of(explain(shop, query, {"kind": "new"})) if n["Node Type"] == "Seq Scan"
        ]
        ratio = max(after["Plan Rows"], after["Actual Rows"]) / max(
            min(after["Plan Rows"], after["Actual Rows"]), 1
        )
        assert ratio < 1.5, (
            f"{table}: after refresh_statistics the planner expects {after['Plan Rows']} rows of kind 'new' and "
            f"finds {after['Actual Rows']:.0f}: the statistics are still stale (VACUUM alone does not refresh them)"
        )


# --- work_mem: SET LOCAL for one query ----------------------------------------------------------------------------

SORT_METHOD = re.compile(r"Sort Method: (.+?)(?:  |$)", re.MULTILINE)


def probe(postgres_url, query, kb):
    """The test's own look at the sort, independent of yours: a separate connection started with the setting,
    and the text form of EXPLAIN ANALYZE."""
    options = f"-c work_mem={int(kb)}kB -c max_parallel_workers_per_gather=0"
    with psycopg.connect(postgres_url, options=options, autocommit=True) as other:
        text = "\n".join(
            row[0] for row in other.execute("EXPLAIN (ANALYZE, FORMAT TEXT) " + query).fetchall()
        )
    methods = SORT_METHOD.findall(text)
    assert len(methods) == 1, f"the test expected one sort in the plan:\n{text}"
    return methods[0]


def assert_settings_untouched(conn, where):
    status = conn.info.transaction_status
    assert status == psycopg.pq.TransactionStatus.IDLE, (
        f"{where} left the connection {status.name}, expected IDLE"
    )
    shown = conn.execute("SHOW work_mem").fetchone()[0]
    conn.rollback()
    assert shown == "3MB", (
        f"after {where}, SHOW work_mem gives {shown!r} instead of the session's 3MB: the setting leaked "
        "(SET LOCAL, not SET)"
    )


def test_sort_method(work_mem, conn):
    query = SORT_QUERIES["events"]
    assert work_mem.sort_method(conn, query, 64) == "external merge"
    assert_settings_untouched(conn, "sort_method(..., 64)")
    assert work_mem.sort_method(conn, query, 64 * 1024) == "quicksort"
    assert_settings_untouched(conn, "sort_method(..., 65536)")
    for kb, want in [(64, "external merge"), (64 * 1024, "quicksort")]:
        got = work_mem.sort_method(conn, WINDOW_QUERY, kb)
        assert got == want, f"sort_method(conn, {WINDOW_QUERY!r}, {kb}) gave {got!r}, expected {want!r}"
        assert_settings_untouched(conn, f"sort_method(window query, {kb})")


@pytest.mark.parametrize("name", list(SORT_QUERIES))
def test_smallest_in_memory_work_mem(work_mem, conn, postgres_url, name):
    query = SORT_QUERIES[name]
    kb = work_mem.smallest_in_memory_work_mem(conn, query)
    assert_settings_untouched(conn, "smallest_in_memory_work_mem")
    assert isinstance(kb, int) and not isinstance(kb, bool), f"expected an int (kB), got {kb!r}"
    assert 64 <= kb <= 1048576, f"{kb} kB is outside 64 .. 1048576"
    assert probe(postgres_url, query, kb) == "quicksort", (
        f"with work_mem = {kb}kB the sort is not a quicksort"
    )
    below = probe(postgres_url, query, kb - 1)
    assert below != "quicksort", f"{kb} kB is not the smallest: {kb - 1} kB already sorts in memory ({below})"
