"""Hidden-test style checks for sql/e05: EXPLAIN (ANALYZE, FORMAT JSON) run safely and flattened."""

import psycopg
import pytest

from graders.checks import assert_typed_equal

KEYS = ["node_type", "relation", "depth", "loops", "actual_rows", "actual_time_ms"]
QUERIES = {
    "filter": ("SELECT * FROM items WHERE price > %s", (700,)),
    "nested_loop": (
        "SELECT i.id, t.tag FROM items i JOIN tags t ON t.item_id = i.id WHERE i.id < %s",
        (40,),
    ),
    "aggregate": (
        "SELECT category, count(*), avg(price) FROM items GROUP BY category ORDER BY category",
        None,
    ),
}


@pytest.fixture
def explain(kata):
    return kata.module("explain")


@pytest.fixture
def conn(admin, postgres_url):
    admin.execute(
        "CREATE TABLE items AS SELECT g AS id, (g * 7919) % 1000 AS price, 'c' || (g % 7) AS category "
        "FROM generate_series(1, 5000) AS g"
    )
    admin.execute("ALTER TABLE items ADD PRIMARY KEY (id)")
    admin.execute(
        "CREATE TABLE tags AS SELECT g AS id, g % 5000 + 1 AS item_id, 't' || g AS tag FROM generate_series(1, 15000) AS g"
    )
    admin.execute("CREATE INDEX ON tags (item_id)")
    admin.execute("ANALYZE")
    with psycopg.connect(postgres_url) as conn:
        # Force the join into a nested loop whose inner index scan runs once per outer row.
        conn.execute("SET enable_hashjoin = off")
        conn.execute("SET enable_mergejoin = off")
        conn.execute("SET max_parallel_workers_per_gather = 0")
        conn.commit()
        yield conn


def reference(document):
    out = []

    def visit(node, depth):
        loops = node["Actual Loops"]
        out.append(
            {
                "node_type": node["Node Type"],
                "relation": node.get("Relation Name"),
                "depth": depth,
                "loops": loops,
                "actual_rows": round(node["Actual Rows"] * loops),
                "actual_time_ms": node["Actual Total Time"],
            }
        )
        for child in node.get("Plans", []):
            visit(child, depth + 1)

    visit(document["Plan"], 0)
    return out


def test_explain_analyze_returns_the_document(explain, conn):
    query, params = QUERIES["filter"]
    doc = explain.explain_analyze(conn, query, params)
    assert isinstance(doc, dict), f"expected the plan document (a dict), got {type(doc).__name__}"
    assert {"Plan", "Execution Time", "Planning Time"} <= set(doc), f"keys of the document: {sorted(doc)}"
    assert doc["Plan"]["Actual Loops"] == 1 and "Actual Rows" in doc["Plan"], "this is not an ANALYZE plan"
    expected_rows = conn.execute("SELECT count(*) FROM items WHERE price > 700").fetchone()[0]
    conn.rollback()
    assert round(doc["Plan"]["Actual Rows"]) == expected_rows, "the params were not bound as given"


@pytest.mark.parametrize("name", list(QUERIES))
def test_plan_nodes_match_the_plan(explain, conn, name):
    query, params = QUERIES[name]
    doc = explain.explain_analyze(conn, query, params)
    nodes = explain.plan_nodes(doc)
    assert isinstance(nodes, list) and all(isinstance(n, dict) for n in nodes), "expected a list of dicts"
    for index, node in enumerate(nodes):
        assert list(node) == KEYS, f"node {index} keys {list(node)} != {KEYS}"
    assert_typed_equal(nodes, reference(doc), f"plan_nodes(explain_analyze({name!r} query))")


def test_nested_loop_rows_count_every_loop(explain, conn):
    query, params = QUERIES["nested_loop"]
    nodes = explain.plan_nodes(explain.explain_analyze(conn, query, params))
    types = [n["node_type"] for n in nodes]
    assert "Nested Loop" in types, f"the test expected a nested loop plan, got {types}"
    inner = [n for n in nodes if n["relation"] == "tags"]
    assert inner and inner[0]["loops"] == 39, f"inner scan of tags: {inner}"
    assert inner[0]["actual_rows"] == 117, (
        f"inner scan of tags should produce 117 rows over 39 loops: {inner}"
    )
    assert nodes[0]["actual_rows"] == 117


def test_explain_analyze_keeps_no_effects(explain, conn, admin):
    before = admin.execute("SELECT sum(price) FROM items").fetchone()[0]
    doc = explain.explain_analyze(conn, "UPDATE items SET price = price + 1 WHERE id <= %s", (2500,))
    assert doc["Plan"]["Node Type"] == "ModifyTable", f"top node {doc['Plan']['Node Type']}"
    status = conn.info.transaction_status
    assert status == psycopg.pq.TransactionStatus.IDLE, (
        f"the connection was left {status.name}, expected IDLE"
    )
    same = conn.execute("SELECT sum(price) FROM items").fetchone()[0]
    conn.rollback()
    other = admin.execute("SELECT sum(price) FROM items").fetchone()[0]
    assert same == before and other == before, (
        f"EXPLAIN ANALYZE UPDATE changed the data (sum {before} -> {same} on your connection, {other} elsewhere): "
        "roll the transaction back"
    )
